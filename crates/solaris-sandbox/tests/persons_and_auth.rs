//! Authentication, persons and mobile numbers, and the error envelope for bad requests.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;
use support::{TestSandbox, person_body, unique_name};

#[tokio::test]
async fn api_calls_need_a_valid_bearer_token_that_expires_after_an_hour() {
    let mut sandbox = TestSandbox::new().await;
    let no_token = sandbox
        .send(Request::get("/v1/persons/x").body(Body::empty()).unwrap())
        .await;
    assert_eq!(
        (no_token.status, no_token.error_code()),
        (StatusCode::UNAUTHORIZED, "invalid_token".into())
    );
    let bad_credentials = sandbox
        .send(
            Request::post("/oauth2/token")
                .header(header::AUTHORIZATION, "Basic d3Jvbmc6d3Jvbmc=")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("grant_type=client_credentials"))
                .unwrap(),
        )
        .await;
    assert_eq!(bad_credentials.status, StatusCode::UNAUTHORIZED);
    let token = sandbox.token.clone();
    sandbox.advance(3601).await;
    sandbox.token = token;
    let expired = sandbox.get("/v1/persons/x").await;
    assert_eq!(
        expired.status,
        StatusCode::UNAUTHORIZED,
        "a token lives one hour"
    );
}

#[tokio::test]
async fn the_guides_sandbox_person_is_created_and_read_back() {
    let sandbox = TestSandbox::new().await;
    let created = sandbox
        .post("/v1/persons", person_body(&unique_name()))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let person = created.json();
    let id = person["id"].as_str().unwrap();
    assert!(id.len() == 36 && id.ends_with("cper"));
    assert_eq!(
        person["fatca_relevant"], false,
        "the example's \"false\" string becomes a boolean"
    );
    let read = sandbox.get(&format!("/v1/persons/{id}")).await;
    assert_eq!(read.json()["last_name"], "Zierfisch");
    let missing = sandbox.get("/v1/persons/nope").await;
    assert_eq!(
        (missing.status, missing.error_code()),
        (StatusCode::NOT_FOUND, "model_not_found".into())
    );
}

#[tokio::test]
async fn invalid_persons_get_invalid_model_with_the_field() {
    let sandbox = TestSandbox::new().await;
    let cases: Vec<(&str, serde_json::Value)> = vec![
        ("first_name", json!(null)),
        ("last_name", json!("x".repeat(51))),
        ("last_name", json!(" Zierfisch")),
        ("first_name", json!("Leander😀")),
        ("salutation", json!("DR")),
        ("employment_status", json!("employed")),
        ("nationality", json!("XX")),
        ("birth_date", json!("15.07.1978")),
        ("terms_conditions_signed_at", json!("yesterday")),
        ("email", json!("not-an-email")),
        ("address", json!(null)),
        ("fatca_relevant", json!("maybe")),
    ];
    for (field, value) in cases {
        let mut body = person_body(&unique_name());
        body[field] = value.clone();
        let answer = sandbox.post("/v1/persons", body).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{field}={value}");
        assert_eq!(answer.error_code(), "invalid_model", "{field}={value}");
        assert_eq!(
            answer.json()["errors"][0]["source"]["field"],
            field,
            "{field}={value}"
        );
    }
    let mut body = person_body(&unique_name());
    body["address"]["country"] = json!("Germany");
    let answer = sandbox.post("/v1/persons", body).await;
    assert_eq!(
        answer.json()["errors"][0]["source"]["field"],
        "address.country"
    );
    for (state, problem) in [
        (json!(null), "can't be blank"),
        (json!("Berlin"), "is not included"),
    ] {
        let mut body = person_body(&unique_name());
        body["address"]["state"] = state;
        let error = sandbox.post("/v1/persons", body).await.json()["errors"][0].clone();
        assert_eq!(error["source"]["field"], "address.state");
        assert!(
            error["detail"].as_str().unwrap().contains(problem),
            "{error}"
        );
    }
}

#[tokio::test]
async fn the_guides_mandatory_list_is_enforced() {
    let sandbox = TestSandbox::new().await;
    for field in [
        "salutation",
        "first_name",
        "last_name",
        "birth_date",
        "nationality",
        "address",
        "mobile_number",
        "data_terms_signed_at",
        "terms_conditions_signed_at",
    ] {
        let mut body = person_body(&unique_name());
        body.as_object_mut().unwrap().remove(field);
        let answer = sandbox.post("/v1/persons", body).await;
        assert_eq!(
            (
                answer.status,
                answer.json()["errors"][0]["source"]["field"].clone()
            ),
            (StatusCode::BAD_REQUEST, json!(field)),
            "without {field}"
        );
    }
    let mut nonbinary = person_body(&unique_name());
    nonbinary["salutation"] = json!(null);
    assert_eq!(
        sandbox.post("/v1/persons", nonbinary).await.status,
        StatusCode::CREATED,
        "a null salutation is the nonbinary option"
    );
    let mut foreign = person_body(&unique_name());
    foreign["address"] = json!({ "line_1": "1 Main St", "postal_code": "SW1A 1AA", "city": "London", "country": "GB" });
    assert_eq!(
        sandbox.post("/v1/persons", foreign).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn more_than_a_thousand_identical_persons_are_refused() {
    let sandbox = TestSandbox::new().await;
    let name = unique_name();
    for _ in 0..1000 {
        assert_eq!(
            sandbox.post("/v1/persons", person_body(&name)).await.status,
            StatusCode::CREATED
        );
    }
    let answer = sandbox.post("/v1/persons", person_body(&name)).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert!(
        answer.json()["errors"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("1000")
    );
    assert_eq!(
        sandbox
            .post("/v1/persons", person_body(&unique_name()))
            .await
            .status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn patch_changes_only_the_updatable_fields() {
    let sandbox = TestSandbox::new().await;
    let id = sandbox.create_person().await;
    let path = format!("/v1/persons/{id}");
    let updated = sandbox
        .patch(
            &path,
            Some(json!({ "email": "new@example.com", "job_title": null })),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);
    assert_eq!(updated.json()["email"], "new@example.com");
    for field in ["first_name", "birth_date", "nationality"] {
        let answer = sandbox.patch(&path, Some(json!({ field: "X" }))).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{field}");
        assert_eq!(answer.json()["errors"][0]["source"]["field"], field);
    }
    let freelancer = sandbox
        .patch(&path, Some(json!({ "employment_status": "FREELANCER" })))
        .await;
    assert_eq!(
        freelancer.json()["errors"][0]["source"]["field"],
        "nace_code",
        "FREELANCER needs a NACE code"
    );
    assert_eq!(
        sandbox
            .patch(
                &path,
                Some(json!({ "employment_status": "FREELANCER", "nace_code": "62.01" }))
            )
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        sandbox.patch(&path, Some(json!({ "employment_status": "SELF_EMPLOYED", "industry": null, "industry_key": null }))).await.status,
        StatusCode::OK
    );
    let aml = sandbox
        .patch(&path, Some(json!({ "aml_confirmed_on": "2001-01-01" })))
        .await;
    assert_eq!(
        aml.status,
        StatusCode::BAD_REQUEST,
        "only today or tomorrow"
    );
}

#[tokio::test]
async fn mobile_numbers_verify_with_the_static_code_or_the_code_sent() {
    let sandbox = TestSandbox::new().await;
    let id = sandbox.create_person().await;
    let base = format!("/v1/persons/{id}/mobile_number");
    assert_eq!(sandbox.get(&base).await.status, StatusCode::NOT_FOUND);
    let iran = sandbox
        .post(&base, json!({ "number": "+98 912 345 6789" }))
        .await;
    assert_eq!(
        (iran.status, iran.error_code()),
        (StatusCode::BAD_REQUEST, "invalid_model".into())
    );
    let created = sandbox
        .post(&base, json!({ "number": "+49 151-2345 6789" }))
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(
        created.json()["number"],
        "+4915123456789",
        "spaces and dashes are stripped"
    );
    assert_eq!(created.json()["verified"], false);
    assert_eq!(
        sandbox
            .post(&base, json!({ "number": "+4915123456789" }))
            .await
            .status,
        StatusCode::CONFLICT
    );
    let number = json!({ "number": "+4915123456789" });
    assert_eq!(
        sandbox
            .post(&format!("{base}/authorize"), number.clone())
            .await
            .status,
        StatusCode::CREATED
    );
    let wrong = sandbox
        .post(
            &format!("{base}/confirm"),
            json!({ "number": "+4915123456789", "token": "212212" }),
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.error_code()),
        (StatusCode::FORBIDDEN, "invalid_tan".into()),
        "212212 is for +15550101 only"
    );
    let code = sandbox.last_sms_code("+4915123456789").await;
    let confirmed = sandbox
        .post(
            &format!("{base}/confirm"),
            json!({ "number": "+4915123456789", "token": code }),
        )
        .await;
    assert_eq!(confirmed.json()["verified"], true);
    assert_eq!(
        sandbox.api("DELETE", &base, Some(number)).await.status,
        StatusCode::OK
    );
    assert_eq!(sandbox.get(&base).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_requests_get_the_envelope_never_a_500() {
    let sandbox = TestSandbox::new().await;
    let malformed = sandbox
        .send(
            Request::post("/v1/persons")
                .header(header::AUTHORIZATION, format!("Bearer {}", sandbox.token))
                .body(Body::from("{not json"))
                .unwrap(),
        )
        .await;
    assert_eq!(
        (malformed.status, malformed.error_code()),
        (StatusCode::BAD_REQUEST, "invalid_json".into())
    );
    let array = sandbox
        .api("POST", "/v1/persons", Some(json!([1, 2])))
        .await;
    assert_eq!(
        (array.status, array.error_code()),
        (StatusCode::BAD_REQUEST, "invalid_json".into())
    );
    let unknown = sandbox.get("/v1/nothing/here").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.json()["errors"].is_array());
    let no_grant = sandbox
        .send(Request::post("/oauth2/token").body(Body::empty()).unwrap())
        .await;
    assert_eq!(no_grant.status, StatusCode::BAD_REQUEST);
    assert!(no_grant.json()["errors"].is_array());
}

#[tokio::test]
async fn test_controls_take_json_from_this_site_only() {
    let sandbox = TestSandbox::new().await;
    let clock = |origin: Option<&str>, site: Option<&str>, content_type: &str, body: &str| {
        let mut request =
            Request::post("/_sandbox/clock").header(header::CONTENT_TYPE, content_type);
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        request.body(Body::from(body.to_string())).unwrap()
    };
    let advance = r#"{"advance_seconds": 60}"#;
    for (origin, site) in [
        (Some("https://evil.example"), None),
        (Some("null"), None),
        (None, Some("cross-site")),
    ] {
        let answer = sandbox
            .send(clock(origin, site, "application/json", advance))
            .await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{origin:?} {site:?}");
    }
    let form = sandbox.send(clock(None, None, "text/plain", advance)).await;
    assert_eq!(
        form.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "a form post is not JSON"
    );
    let own = sandbox
        .send(clock(
            Some(support::BASE),
            Some("same-origin"),
            "application/json",
            advance,
        ))
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text);
    let huge = sandbox
        .send(clock(
            None,
            None,
            "application/json",
            r#"{"advance_seconds": 400000000000}"#,
        ))
        .await;
    assert_eq!(
        huge.status,
        StatusCode::BAD_REQUEST,
        "the clock is not poisoned"
    );
    let still = sandbox
        .send(clock(None, None, "application/json", advance))
        .await;
    assert_eq!(still.status, StatusCode::OK);
}

#[tokio::test]
async fn injected_faults_hit_the_next_calls_then_stop() {
    let sandbox = TestSandbox::new().await;
    let inject = Request::post("/_sandbox/faults")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({ "path_prefix": "/v1/persons", "method": "post", "status": 503, "count": 2 })
                .to_string(),
        ))
        .unwrap();
    assert_eq!(sandbox.send(inject).await.status, StatusCode::CREATED);
    for _ in 0..2 {
        let answer = sandbox
            .post("/v1/persons", person_body(&unique_name()))
            .await;
        assert_eq!(
            (answer.status, answer.error_code()),
            (StatusCode::SERVICE_UNAVAILABLE, "injected_fault".into())
        );
    }
    assert_eq!(
        sandbox
            .post("/v1/persons", person_body(&unique_name()))
            .await
            .status,
        StatusCode::CREATED
    );
    let bad = Request::post("/_sandbox/faults")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "path_prefix": "/v1" }).to_string()))
        .unwrap();
    assert_eq!(
        sandbox.send(bad).await.status,
        StatusCode::BAD_REQUEST,
        "a fault must do something"
    );
}

#[tokio::test]
async fn iban_lookup_names_the_bank_and_its_bic() {
    let sandbox = TestSandbox::new().await;
    let solaris = sandbox
        .post(
            "/v1/iban_lookups",
            json!({ "iban": "DE11 1101 0101 0100 0000 20" }),
        )
        .await;
    assert_eq!(solaris.status, StatusCode::OK, "{}", solaris.text);
    assert_eq!(solaris.json()["bank_name"], "Solaris");
    assert_eq!(solaris.json()["bic"], "SOBKDEB2XXX");
    let commerzbank = sandbox
        .post(
            "/v1/iban_lookups",
            json!({ "iban": support::german_iban(1) }),
        )
        .await;
    assert_eq!(commerzbank.json()["bic"], "COBADEFFXXX");
    let invalid = sandbox
        .post("/v1/iban_lookups", json!({ "iban": "DE00" }))
        .await;
    assert_eq!(
        (invalid.status, invalid.error_code()),
        (StatusCode::BAD_REQUEST, "invalid_iban".into())
    );
}

#[tokio::test]
async fn eligibility_for_bank_until_identified() {
    let sandbox = TestSandbox::new().await;
    let person = sandbox.create_person().await;
    let path = format!("/v1/persons/{person}/identification_eligibility_checks");
    let answer = sandbox.post(&path, json!({ "method": "bank" })).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(
        answer.json(),
        json!({ "method": "bank", "eligible": true, "failure_reason": null })
    );
    assert_eq!(
        sandbox
            .post(&path, json!({ "method": "idnow" }))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn deleting_a_person_removes_it() {
    let sandbox = TestSandbox::new().await;
    let person = sandbox.create_person().await;
    let deleted = sandbox
        .send(
            Request::delete(format!("/_sandbox/persons/{person}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        sandbox.get(&format!("/v1/persons/{person}")).await.status,
        StatusCode::NOT_FOUND
    );
}
