//! The app's API against the real emulator: opening identifications, outcomes for the mocked
//! IBANs, retries, double submits, and Solaris failing or answering slowly.
//!
//! Longer than our usual file on purpose: each test is one scenario of the app's API against
//! the same emulator set-up; split by theme (outcomes, retries, Solaris failing) if it grows.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;
use support::{Backend, Customer, Emulator, answers, fresh_dir, started};

#[tokio::test]
async fn happy_path_from_answers_to_a_successful_outcome() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("happy"), &[]).await;
    let browser = backend.new_browser().await;
    assert_eq!(backend.outcome(&browser).await["state"], "not_started");
    let (status, opened) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    let url = opened["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/webview/", emulator.url)));
    assert_eq!(backend.outcome(&browser).await["state"], "unfinished");

    let end = Customer::new()
        .identify(&emulator, url, "DE11110101010100000020")
        .await;
    assert!(end.page.contains("You are identified"), "{}", end.page);
    assert_eq!(
        end.back_to.as_deref(),
        Some(format!("{}/callback", backend.url).as_str()),
        "back to our callback page"
    );
    let outcome = backend.outcome(&browser).await;
    assert_eq!(
        outcome,
        json!({ "state": "final", "category": "success", "error_code": null })
    );

    let (again, body) = backend.open(&browser, &answers()).await;
    assert_eq!(
        (again, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("already_identified"))
    );
    // Starting again in the same browser shows the success at once.
    let start = Request::get("/?lang=de")
        .header(header::COOKIE, &browser)
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = backend.send(start).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/callback?lang=de");
    let (status, _, _) = backend
        .send(Request::get("/").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK, "a new browser gets the start page");
}

#[tokio::test]
async fn every_failing_iban_ends_in_its_category_and_a_retry_opens_a_new_session() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("failures"), &[]).await;
    for (iban, category, code) in [
        (
            "DE55110101010100000004",
            "retry_with_another_iban",
            "JOINT_ACCOUNT",
        ),
        (
            "DE66110101010100000000",
            "retry_with_another_iban",
            "ACCOUNT_SNAPSHOT_FAILED",
        ),
        (
            "DE43110101010000000010",
            "retry_with_another_iban",
            "ACCESS_BY_ATHORIZED_HOLDER",
        ),
        (
            "DE22110101010100000016",
            "method_not_available",
            "MATCH_FOR_PERSON_DATA_NOT_FOUND",
        ),
        (
            "DE33110101010100000012",
            "method_not_available",
            "PREVIOUS_IDENT_NOT_FOUND",
        ),
        (
            "DE77110101010100000093",
            "contact_support",
            "DEPENDENCY_ERROR",
        ),
    ] {
        let browser = backend.new_browser().await;
        let given = answers();
        let (_, opened) = backend.open(&browser, &given).await;
        let first_url = opened["url"].as_str().unwrap().to_string();
        let end = Customer::new().identify(&emulator, &first_url, iban).await;
        assert!(
            end.back_to.is_some(),
            "{iban}: the webview offers the way back"
        );
        let outcome = backend.outcome(&browser).await;
        assert_eq!(
            outcome,
            json!({ "state": "final", "category": category, "error_code": code }),
            "{iban}"
        );
        if category == "retry_with_another_iban" {
            let (status, reopened) = backend.open(&browser, &given).await;
            assert_eq!(status, StatusCode::OK, "{iban}");
            assert_ne!(reopened["url"], first_url.as_str(), "{iban}: a new session");
            assert_eq!(backend.outcome(&browser).await["state"], "unfinished");
            let end = Customer::new()
                .identify(
                    &emulator,
                    reopened["url"].as_str().unwrap(),
                    "DE11110101010100000020",
                )
                .await;
            assert!(end.page.contains("You are identified"));
            assert_eq!(
                backend.outcome(&browser).await["category"],
                "success",
                "{iban} then success"
            );
        }
    }
}

#[tokio::test]
async fn a_double_submit_opens_one_session() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("double"), &[]).await;
    let browser = backend.new_browser().await;
    let body = answers();
    let (first, second) =
        tokio::join!(backend.open(&browser, &body), backend.open(&browser, &body));
    assert_eq!((first.0, second.0), (StatusCode::OK, StatusCode::OK));
    assert_eq!(
        first.1["url"], second.1["url"],
        "the second click gets the same session"
    );
    let (third, again) = backend.open(&browser, &body).await;
    assert_eq!((third, &again["url"]), (StatusCode::OK, &first.1["url"]));
}

#[tokio::test]
async fn invalid_answers_get_the_field_errors_the_app_renders() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("invalid"), &[]).await;
    let browser = backend.new_browser().await;
    let mut wrong = answers();
    wrong["mobile_number"] = json!("+850 191 234 5678");
    wrong["birth_year"] = json!("2020");
    let (status, body) = backend.open(&browser, &wrong).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({ "errors": [
            { "field": "birth_date", "problem": "too_young" },
            { "field": "mobile_number", "problem": "country_not_supported" },
        ] })
    );
    let (status, body) = backend.open(&browser, &json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["errors"].as_array().unwrap().len(),
        19,
        "every field of every screen"
    );
    assert_eq!(
        backend.outcome(&browser).await["state"],
        "not_started",
        "nothing reached Solaris"
    );
}

#[tokio::test]
async fn malformed_requests_get_clear_4xx_answers() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("malformed"), &[]).await;
    let post = |content_type: Option<&str>, body: Body| {
        let mut request =
            Request::post("/api/identification").header("sec-fetch-site", "same-origin");
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        request.body(body).unwrap()
    };
    let (status, _, body) = backend
        .send(post(Some("application/json"), Body::from("{not json")))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _, body) = backend
        .send(post(
            Some("application/json"),
            Body::from(r#"{"first_name": 42}"#),
        ))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _, _) = backend
        .send(post(Some("text/plain"), Body::from("{}")))
        .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, _, _) = backend.send(post(None, Body::from("{}"))).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let huge = format!(r#"{{"first_name":"{}"}}"#, "a".repeat(40_000));
    let (status, _, _) = backend
        .send(post(Some("application/json"), Body::from(huge)))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn requests_from_other_sites_are_refused() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("csrf"), &[]).await;
    let browser = backend.new_browser().await;
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("origin", "https://evil.example"),
    ] {
        let request = Request::post("/api/identification")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, &browser)
            .header(name, value)
            .body(Body::from(answers().to_string()))
            .unwrap();
        let (status, _, body) = backend.send(request).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}: {value}: {body}");
    }
    assert_eq!(backend.outcome(&browser).await["state"], "not_started");
}

#[tokio::test]
async fn iban_lookup_names_the_bank() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("lookup"), &[]).await;
    let lookup = |iban: &str| {
        Request::post("/api/iban_lookups")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json!({ "iban": iban }).to_string()))
            .unwrap()
    };
    let (status, _, body) = backend.send(lookup("de11 1101 0101 0100 0000 20")).await;
    assert_eq!(status, StatusCode::OK);
    let body: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (body["bank_name"].as_str(), body["bic"].as_str()),
        (Some("Solaris"), Some("SOBKDEB2XXX"))
    );
    assert_eq!(body["formatted"], "DE11 1101 0101 0100 0000 20");
    let (status, _, body) = backend.send(lookup("GB82WEST12345698765432")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap(),
        json!({ "errors": [{ "field": "iban", "problem": "not_german" }] })
    );
}

#[tokio::test]
async fn solaris_failures_are_clear_and_a_retry_works_without_a_second_person() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(
        &emulator,
        &fresh_dir("faults"),
        &[("SOLARIS_TIMEOUT_SECONDS", "1")],
    )
    .await;
    let browser = backend.new_browser().await;

    // Creating the person fails with 503: nothing is retried blindly, the app is told to retry.
    emulator
        .control(
            "POST",
            "/_sandbox/faults",
            json!({ "path_prefix": "/v1/persons", "method": "POST", "status": 503, "count": 1 }),
        )
        .await;
    let (status, body) = backend.open(&browser, &answers()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_GATEWAY, Some("solaris_unavailable"))
    );

    // The session call is slower than the time limit.
    emulator
        .control("POST", "/_sandbox/faults", json!({ "path_prefix": "/v1/persons/", "method": "POST", "delay_ms": 2500, "count": 1 }))
        .await;
    let started = std::time::Instant::now();
    let (status, _) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "the time limit holds"
    );

    // The retry succeeds and reuses what was already created.
    let (status, opened) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK, "{opened}");

    // Reads are retried: two 502s from Solaris and the outcome still arrives.
    emulator
        .control(
            "POST",
            "/_sandbox/faults",
            json!({ "path_prefix": "/v1/persons/", "method": "GET", "status": 502, "count": 2 }),
        )
        .await;
    assert_eq!(backend.outcome(&browser).await["state"], "unfinished");
}

#[tokio::test]
async fn a_webview_host_off_the_allow_list_is_never_returned() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(
        &emulator,
        &fresh_dir("allowlist"),
        &[(
            "BANKIDENT_REDIRECT_HOSTS",
            "person-onboarding.solaris-sandbox.de",
        )],
    )
    .await;
    let browser = backend.new_browser().await;
    let (status, body) = backend.open(&browser, &answers()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_GATEWAY, Some("redirect_not_allowed"))
    );
    assert!(body.get("url").is_none());
}

#[tokio::test]
async fn a_restart_between_opening_and_returning_loses_nothing() {
    let emulator = Emulator::start().await;
    let dir = fresh_dir("restart");
    let before = Backend::start(&emulator, &dir, &[]).await;
    let browser = before.new_browser().await;
    let (_, opened) = before.open(&browser, &answers()).await;
    drop(before);

    let after = Backend::start(&emulator, &dir, &[]).await;
    assert_eq!(
        after.outcome(&browser).await["state"],
        "unfinished",
        "the onboarding survived"
    );
    let end = Customer::new()
        .identify(
            &emulator,
            opened["url"].as_str().unwrap(),
            "DE11110101010100000020",
        )
        .await;
    assert!(end.page.contains("You are identified"));
    assert_eq!(after.outcome(&browser).await["category"], "success");
}

#[cfg(feature = "embedded-sandbox")]
#[tokio::test]
async fn embedded_emulator_serves_everything_on_one_url() {
    let backend = Backend::start_embedded(&fresh_dir("embedded")).await;
    let browser = backend.new_browser().await;
    let (status, opened) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    assert!(
        opened["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/solaris/webview/", backend.url))
    );
    let emulator = Emulator {
        url: format!("{}/solaris", backend.url),
    };
    let end = Customer::new()
        .identify(
            &emulator,
            opened["url"].as_str().unwrap(),
            "DE11110101010100000020",
        )
        .await;
    assert_eq!(
        end.back_to.as_deref(),
        Some(format!("{}/callback", backend.url).as_str())
    );
    assert_eq!(backend.outcome(&browser).await["category"], "success");
}

#[tokio::test]
async fn an_expired_token_is_refreshed_after_solaris_answers_401() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("token"), &[]).await;
    let browser = backend.new_browser().await;
    let (status, _) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK);
    // Solaris' clock moves past the cached token's hour: the next call gets 401 and retries.
    emulator.advance(3700).await;
    assert_eq!(backend.outcome(&browser).await["state"], "unfinished");
}

#[tokio::test]
async fn a_solaris_rejection_of_valid_answers_is_an_error_without_details() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("rejected"), &[]).await;
    let browser = backend.new_browser().await;
    emulator
        .control(
            "POST",
            "/_sandbox/faults",
            json!({ "path_prefix": "/v1/persons", "method": "POST", "status": 400, "count": 1 }),
        )
        .await;
    let (status, body) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["error"], "internal");
    assert!(
        !body.to_string().contains("injected"),
        "Solaris' details stay in the log"
    );
    let (status, _) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK, "a retry works");
}

#[tokio::test]
async fn a_reset_sandbox_does_not_strand_the_browser() {
    let dir = fresh_dir("reset");
    let first = Emulator::start().await;
    let before = Backend::start(&first, &dir, &[]).await;
    let browser = before.new_browser().await;
    let (status, _) = before.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK);
    drop(before);

    // The same database, but a Sandbox that has never heard of the person.
    let second = Emulator::start().await;
    let after = Backend::start(&second, &dir, &[]).await;
    assert_eq!(
        after.outcome(&browser).await["state"],
        "not_started",
        "no 500, a fresh start"
    );
    let (status, opened) = after.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    assert!(
        opened["url"].as_str().unwrap().starts_with(&second.url),
        "a new person at the new Sandbox"
    );
}

#[tokio::test]
async fn consent_times_that_cannot_be_true_are_refused() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("consent-times"), &[]).await;
    let browser = backend.new_browser().await;
    let mut given = answers();
    given["consents"]["data_terms_signed_at"] = json!("2099-01-01T00:00:00Z");
    given["consents"]["fatca_crs_confirmed_at"] = json!("2020-01-01T00:00:00Z");
    let (status, body) = backend.open(&browser, &given).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body,
        json!({ "errors": [
            { "field": "data_terms", "problem": "not_plausible" },
            { "field": "fatca_crs", "problem": "not_plausible" },
        ] })
    );
    assert_eq!(backend.outcome(&browser).await["state"], "not_started");
}

#[tokio::test]
async fn leaving_the_webview_without_an_identification_can_be_continued() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("left-early"), &[]).await;
    let browser = backend.new_browser().await;
    let given = answers();
    let (_, opened) = backend.open(&browser, &given).await;
    let url = opened["url"].as_str().unwrap();
    let back = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{url}/finish?lang=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        back.headers()["location"].to_str().unwrap(),
        format!("{}/callback", backend.url)
    );
    assert_eq!(
        backend.outcome(&browser).await,
        json!({ "state": "unfinished", "category": null, "error_code": null }),
        "not a page that waits for 10 minutes"
    );
    let (status, again) = backend.open(&browser, &given).await;
    assert_eq!(
        (status, &again["url"]),
        (StatusCode::OK, &opened["url"]),
        "the same session"
    );
    let end = Customer::new()
        .identify(&emulator, url, "DE11110101010100000020")
        .await;
    assert!(end.page.contains("You are identified"));
    assert_eq!(backend.outcome(&browser).await["category"], "success");
}

#[tokio::test]
async fn the_webview_opens_in_the_customers_language() {
    let emulator = Emulator::start().await;
    let dir = fresh_dir("webview-language");
    let backend = Backend::start(
        &emulator,
        &dir,
        &[("BANKIDENT_WEBVIEW_LANGUAGE_PARAM", "lang")],
    )
    .await;
    let browser = backend.new_browser().await;
    let given = answers();
    let open = |lang: &str| {
        Request::post(format!("/api/identification?lang={lang}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, &browser)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(given.to_string()))
            .unwrap()
    };
    let (status, _, body) = backend.send(open("en")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let url: serde_json::Value = serde_json::from_str(&body).unwrap();
    let url = url["url"].as_str().unwrap().to_string();
    assert!(url.ends_with("?lang=en"), "{url}");
    let english = reqwest::get(&url).await.unwrap().text().await.unwrap();
    assert!(english.contains(r#"<html lang="en">"#));
    let (_, _, body) = backend.send(open("de")).await;
    assert!(
        body.contains("?lang=de\""),
        "the same session, now in German: {body}"
    );
    let (_, _, body) = backend.send(open("xx")).await;
    assert!(
        !body.contains("lang="),
        "an unknown language is left out: {body}"
    );
}

#[tokio::test]
async fn a_storm_of_outcome_polls_reads_solaris_about_once() {
    let (_emulator, backend, browser) = started("poll-storm").await;
    let (status, _) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK);
    // The emulator's webhooks about the new session make their own reads: let them pass.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let before = backend.state.solaris.requests_sent();
    let polls: Vec<_> = (0..200)
        .map(|_| {
            let backend = backend.router.clone();
            let browser = browser.clone();
            tokio::spawn(async move {
                let request = Request::get("/api/identification/outcome")
                    .header(header::COOKIE, browser)
                    .body(Body::empty())
                    .unwrap();
                tower::ServiceExt::oneshot(backend, request)
                    .await
                    .unwrap()
                    .status()
            })
        })
        .collect();
    for poll in polls {
        assert_eq!(poll.await.unwrap(), StatusCode::OK);
    }
    let reads = backend.state.solaris.requests_sent() - before;
    // One outcome is the session and the identifications list: two reads, shared by every poll
    // that waited for them; polls arriving after a read make the next one. Without this, 200
    // polls made 400 requests.
    println!("200 concurrent polls: {reads} Solaris requests");
    assert!(reads <= 20, "200 polls made {reads} Solaris requests");
}

#[tokio::test]
async fn solaris_retry_after_is_honoured() {
    let (emulator, backend, browser) = started("retry-after").await;
    let (status, _) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK);
    let person = backend.person_of(&browser).await;
    // The backend reads the number once more when Solaris reports it created: let that
    // webhook land first, so the fault below meets the read this test makes.
    for _ in 0..200 {
        let deliveries = emulator
            .control("GET", "/_sandbox/webhook_deliveries", json!(null))
            .await;
        let answered = deliveries.as_array().unwrap().iter().any(|delivery| {
            delivery["event_type"] == "PERSON_MOBILE_NUMBER_CREATED" && delivery["status"] == 200
        });
        if answered {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let path = format!("/v1/persons/{person}/mobile_number");
    let fault = |seconds: u64| json!({ "path_prefix": path, "method": "get", "status": 429, "retry_after_s": seconds, "count": 1 });
    // A short pause is waited for, then the read goes through.
    emulator.control("POST", "/_sandbox/faults", fault(1)).await;
    let started = std::time::Instant::now();
    let number = backend.state.solaris.mobile_number(&person).await.unwrap();
    assert!(number.is_some());
    assert!(started.elapsed() >= std::time::Duration::from_secs(1));
    // A long one ends the call with Solaris' figure, which the app's API passes on.
    emulator
        .control("POST", "/_sandbox/faults", fault(30))
        .await;
    let error = backend
        .state
        .solaris
        .mobile_number(&person)
        .await
        .unwrap_err();
    assert_eq!(error, bankident_backend::solaris::SolarisError::Busy(30));
    let response = axum::response::IntoResponse::into_response(
        bankident_backend::error::ApiError::from(error),
    );
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()[header::RETRY_AFTER], "30");
}
