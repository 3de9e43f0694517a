//! The partner's integration: the partner API creates a customer's onboarding and start links,
//! the customer's browsers are bound by opening them, and the partner's systems learn the
//! results through signed webhooks and the API. How webhooks are delivered again after
//! failures is `partner_deliveries.rs`'.
//!
//! Longer than our usual file on purpose: each test is one scenario of the partner's
//! integration, built on the same partner, receiver and journey helpers in `support`; split by
//! theme (start links, webhooks, the API) if it grows further.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use support::partner::{
    KEY, OLD_KEY, Receiver, create, delivery_log, open_link, partner_backend, partner_call,
    times_in_one_format,
};
use support::{Backend, Customer, Emulator, answers};

#[tokio::test]
async fn a_customer_goes_from_the_start_link_to_a_signed_result_the_partner_can_fetch() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-journey", &emulator, &receiver).await;

    let (status, created) = create(&backend, "customer-42").await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["onboarding"]["id"].as_str().unwrap().to_string();
    assert_eq!(created["onboarding"]["state"], "not_started");
    let link = created["start_link"]["url"].as_str().unwrap().to_string();
    assert!(link.starts_with(&format!("{}/start?token=", backend.url)));

    let (browser, location) = open_link(&backend, &link, None).await;
    assert_eq!(location, "/?lang=en", "the token leaves the address bar");
    let (status, opened) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    let end = Customer::new()
        .identify(
            &emulator,
            opened["url"].as_str().unwrap(),
            "DE11110101010100000020",
        )
        .await;
    assert!(end.back_to.is_some(), "{}", end.page);
    assert_eq!(backend.outcome(&browser).await["category"], "success");

    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert_eq!(
        backend
            .state
            .partner_delivery
            .deliver_due(now)
            .await
            .unwrap(),
        2
    );
    let events = receiver.verified_events();
    let types: Vec<&str> = events
        .iter()
        .map(|event| event["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["onboarding.session_opened", "onboarding.ended"]);
    let ended = &events[1]["data"];
    assert_eq!(ended["category"], "success");
    assert_eq!(ended["customer_reference"], "customer-42");
    let keys: Vec<&String> = ended.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "category",
            "customer_reference",
            "error_code",
            "identification_id",
            "onboarding_id",
            "person_id",
            "session_id"
        ],
        "ids and the outcome, no other personal data"
    );

    let (status, shown) = partner_call(
        &backend,
        "GET",
        &format!("/partner/v1/onboardings/{id}"),
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["state"], "final");
    assert_eq!(shown["person_id"], ended["person_id"]);
    assert_eq!(shown["identification_id"], ended["identification_id"]);
    let (_, by_reference) = partner_call(
        &backend,
        "GET",
        "/partner/v1/onboardings?customer_reference=customer-42",
        Some(OLD_KEY),
        None,
    )
    .await;
    assert_eq!(
        by_reference["onboardings"][0]["id"],
        id.as_str(),
        "the key being rotated out still works"
    );
    assert_eq!(by_reference["onboardings"].as_array().unwrap().len(), 1);

    let signed = shown["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|document| document["document_type"] == "SIGNED_QES_DOCUMENT")
        .expect("the signed KYC report is listed");
    let request = Request::get(signed["download_path"].as_str().unwrap())
        .header(header::AUTHORIZATION, format!("Bearer {KEY}"))
        .body(Body::empty())
        .unwrap();
    let (status, headers, pdf) = backend.send(request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert!(pdf.starts_with("%PDF"));
    let (status, _) = partner_call(
        &backend,
        "GET",
        &format!("/partner/v1/onboardings/{id}/documents/someone-elses-cdoc"),
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let log = delivery_log(&backend, &id).await;
    let statuses: Vec<&str> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["delivered", "delivered"]);
    assert_eq!(log["events"][1]["deliveries"][0]["status_code"], 204);
    let (_, events) = partner_call(&backend, "GET", "/partner/v1/events", Some(KEY), None).await;
    for (what, shown) in [
        ("the view", &shown),
        ("the list", &by_reference),
        ("the delivery log", &log),
        ("the event list", &events),
    ] {
        assert!(
            times_in_one_format(shown) >= 3,
            "{what} shows its times: {shown}"
        );
    }
    for event in receiver.verified_events() {
        times_in_one_format(&event);
    }
}

#[tokio::test]
async fn the_same_customer_continues_on_a_second_device_and_a_stop_holds_there() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-devices", &emulator, &receiver).await;

    let (_, first) = create(&backend, "customer-7").await;
    let (phone, _) = open_link(&backend, first["start_link"]["url"].as_str().unwrap(), None).await;
    let (_, opened) = backend.open(&phone, &answers()).await;
    let session_url = opened["url"].as_str().unwrap().to_string();

    let (status, again) = create(&backend, "customer-7").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the same reference: the same onboarding"
    );
    assert_eq!(again["onboarding"]["id"], first["onboarding"]["id"]);
    assert_eq!(again["onboarding"]["state"], "pending");
    let link = again["start_link"]["url"].as_str().unwrap();
    assert_ne!(
        link,
        first["start_link"]["url"].as_str().unwrap(),
        "a fresh link"
    );
    let (laptop, location) = open_link(&backend, link, None).await;
    assert_eq!(
        location, "/callback?lang=en",
        "the open identification is shown"
    );
    let request = Request::post("/api/identification/continue")
        .header(header::COOKIE, &laptop)
        .header("sec-fetch-site", "same-origin")
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = backend.send(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.contains(&session_url),
        "the same session continues: {body}"
    );

    let (_, location) = open_link(&backend, link, Some(&laptop)).await;
    assert_eq!(
        location, "/callback?lang=en",
        "a reload of the used link in its browser"
    );
    let (_, location) = open_link(&backend, link, None).await;
    assert_eq!(
        location, "/link?problem=used",
        "a used link opens nothing elsewhere"
    );
    let (_, location) = open_link(
        &backend,
        &format!("{}/start?token={}", backend.url, "ab".repeat(32)),
        None,
    )
    .await;
    assert_eq!(location, "/link?problem=unknown");

    // The customer fails in a way that closes Bankident for them, on the phone…
    Customer::new()
        .identify(&emulator, &session_url, "DE22110101010100000016")
        .await;
    assert_eq!(
        backend.outcome(&phone).await["category"],
        "method_not_available"
    );
    // …and the laptop, with its own answers, cannot start again.
    let (status, refused) = backend.open(&laptop, &answers()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(refused["error_code"], "MATCH_FOR_PERSON_DATA_NOT_FOUND");
    let onboarding = backend.onboarding(&laptop).await.unwrap();
    assert_eq!(onboarding.id, first["onboarding"]["id"].as_str().unwrap());
}

#[tokio::test]
async fn without_a_valid_key_the_partner_api_changes_nothing() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-keys", &emulator, &receiver).await;
    let body = json!({ "customer_reference": "customer-1" });
    for key in [
        None,
        Some("wrong-key-0123456789abcdef-0123456789"),
        Some(&KEY[..KEY.len() - 1]),
    ] {
        let (status, answer) = partner_call(
            &backend,
            "POST",
            "/partner/v1/onboardings",
            key,
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{answer}");
        assert_eq!(answer["code"], "unauthorized");
    }
    let (status, found) = partner_call(
        &backend,
        "GET",
        "/partner/v1/onboardings?customer_reference=customer-1",
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found["onboardings"], json!([]), "nothing was created");
    let rotated = Backend::start(
        &emulator,
        &backend.dir,
        &[
            ("BANKIDENT_DEMO_MODE", "false"),
            ("BANKIDENT_PARTNER_API_KEYS", KEY),
        ],
    )
    .await;
    let (status, _) = partner_call(
        &rotated,
        "POST",
        "/partner/v1/onboardings",
        Some(OLD_KEY),
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a revoked key");

    let (status, answer) = partner_call(
        &backend,
        "POST",
        "/partner/v1/onboardings",
        Some(KEY),
        Some(json!({ "customer_reference": "c-2", "prefill": { "email": "anna@" } })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer["errors"][0]["field"], "prefill.email");
    assert_eq!(answer["errors"][0]["problem"], "invalid_format");
    let (status, _) = partner_call(
        &backend,
        "POST",
        "/partner/v1/onboardings",
        Some(KEY),
        Some(json!({ "customer_reference": "" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Without a start link, a browser of a partner's backend has nothing to open.
    let browser = backend.new_browser_without_start().await;
    let (status, body) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

#[tokio::test]
async fn an_expired_start_link_leads_to_its_explanation_and_binds_nothing() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-expired", &emulator, &receiver).await;
    let (_, created) = create(&backend, "customer-5").await;
    let id = created["onboarding"]["id"].as_str().unwrap();
    let an_hour_ago = time::OffsetDateTime::now_utc().unix_timestamp() - 3_601;
    let old = backend
        .state
        .store
        .create_start_link(id, an_hour_ago, 3_600)
        .await
        .unwrap();
    let (browser, location) = open_link(
        &backend,
        &format!("{}/start?token={}", backend.url, old.token),
        None,
    )
    .await;
    assert_eq!(location, "/link?problem=expired");
    assert!(backend.onboarding(&browser).await.is_none());
    let request = Request::get("/")
        .header(header::COOKIE, &browser)
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = backend.send(request).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers[header::LOCATION],
        "/link?problem=missing",
        "without the demo mode, a browser without a start link is told to open one"
    );
}

/// A call of the app's API from a browser (JSON, same site).
async fn app_call(
    backend: &Backend,
    cookie: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_TYPE, "application/json");
    let request = request
        .body(body.map_or_else(Body::empty, |body| Body::from(body.to_string())))
        .unwrap();
    let (status, _, body) = backend.send(request).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_partner_chooses_the_api_mode_for_one_customer_and_learns_the_signed_result() {
    // Solaris' documented fields only: no `person_id` on identifications, no download URLs.
    let emulator = Emulator::start_documented_only().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-api-mode", &emulator, &receiver).await;

    let (status, refused) = partner_call(
        &backend,
        "POST",
        "/partner/v1/onboardings",
        Some(KEY),
        Some(json!({ "customer_reference": "api-1", "mode": "hosted" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let (_, webview) = create(&backend, "webview-1").await;
    assert_eq!(webview["onboarding"]["mode"], "webview", "the default");
    let (status, created) = partner_call(
        &backend,
        "POST",
        "/partner/v1/onboardings",
        Some(KEY),
        Some(json!({ "customer_reference": "api-1", "mode": "api" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["onboarding"]["mode"], "api");
    let id = created["onboarding"]["id"].as_str().unwrap().to_string();

    let (browser, _) = open_link(
        &backend,
        created["start_link"]["url"].as_str().unwrap(),
        None,
    )
    .await;
    let (status, opened) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    assert_eq!(opened["url"], "/verify", "our own code page, no webview");

    // The mobile number: a wrong code, then the guide's static one.
    let confirm = |code: &str| json!({ "code": code });
    let (status, wrong) = app_call(
        &backend,
        &browser,
        "POST",
        "/api/mobile_number/confirm",
        Some(confirm("000000")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong["error"], "code_invalid");
    let (status, next) = app_call(
        &backend,
        &browser,
        "POST",
        "/api/mobile_number/confirm",
        Some(confirm("212212")),
    )
    .await;
    assert_eq!(
        (status, next["url"].as_str()),
        (StatusCode::OK, Some("/transfer"))
    );

    // The bank step: the signature terms are required; then the wizard, on an allowed host.
    let bank = |accepted: bool| json!({ "iban": "DE11 1101 0101 0100 0000 20", "signature_terms_accepted": accepted });
    let (status, missing) = app_call(
        &backend,
        &browser,
        "POST",
        "/api/bank_identification",
        Some(bank(false)),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing["error"], "consent_missing");
    let (status, wizard) = app_call(
        &backend,
        &browser,
        "POST",
        "/api/bank_identification?lang=en",
        Some(bank(true)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{wizard}");
    let wizard = wizard["url"].as_str().unwrap().to_string();
    assert!(
        wizard.starts_with(&format!("{}/wizard/", emulator.url)),
        "{wizard}"
    );
    let (_, step) = app_call(&backend, &browser, "GET", "/api/bank_identification", None).await;
    assert_eq!(step["step"], "bank");
    assert_eq!(
        Customer::new().through_the_bank(&wizard).await,
        None,
        "this emulator has no return page set up: the customer comes back by themselves"
    );

    // The contract: listed, and downloadable by this browser only.
    let (_, step) = app_call(&backend, &browser, "GET", "/api/bank_identification", None).await;
    assert_eq!(step["step"], "sign", "{step}");
    let document = step["documents"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/bank_identification/documents/{document}");
    let download = |cookie: String| {
        let path = path.clone();
        let backend = &backend;
        async move {
            let request = Request::get(&path)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap();
            backend.send(request).await
        }
    };
    let (status, headers, pdf) = download(browser.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert!(pdf.starts_with("%PDF"));
    let stranger = backend.new_browser_without_start().await;
    let (status, _, _) = download(stranger).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another browser gets nothing"
    );

    // The signature: a code, valid for the guide's 10 minutes; a new one only after the
    // cool-down; the code from the SMS signs.
    let (status, step) = app_call(
        &backend,
        &browser,
        "POST",
        "/api/bank_identification/authorize",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{step}");
    assert_eq!(step["step"], "code");
    let valid = step["code_valid_for_seconds"].as_i64().unwrap();
    assert!((590..=600).contains(&valid), "{valid}");
    let (status, too_soon) = app_call(
        &backend,
        &browser,
        "POST",
        "/api/bank_identification/authorize",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(too_soon["error"], "code_cooldown");
    let code = emulator.last_sms_code("+15550101").await;
    let (status, signed) = app_call(
        &backend,
        &browser,
        "POST",
        "/api/bank_identification/confirm",
        Some(confirm(&code)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    assert_eq!(backend.outcome(&browser).await["category"], "success");
    let (_, done) = app_call(&backend, &browser, "GET", "/api/bank_identification", None).await;
    assert_eq!(done["step"], "done");
    assert!(
        done["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|document| document["document_type"] == "SIGNED_QES_DOCUMENT"),
        "{done}"
    );

    // The partner learns it as from the webview mode.
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert_eq!(
        backend
            .state
            .partner_delivery
            .deliver_due(now)
            .await
            .unwrap(),
        2
    );
    let types: Vec<String> = receiver
        .verified_events()
        .iter()
        .map(|event| event["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(types, ["onboarding.session_opened", "onboarding.ended"]);
    let (_, shown) = partner_call(
        &backend,
        "GET",
        &format!("/partner/v1/onboardings/{id}"),
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(shown["state"], "final");
    assert_eq!(shown["category"], "success");
    assert!(
        shown["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|document| document["document_type"] == "SIGNED_QES_DOCUMENT")
    );
}
