//! The API mode against the emulator, where the webview mode has no counterpart: the limits
//! Solaris sets on bank identifications.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bankident_domain::OutcomeCategory;
use serde_json::{Value, json};
use support::{Backend, Emulator, answers, fresh_dir};

/// A valid German IBAN for bank code 11010101 and `account` (ISO 13616 check digits).
fn german_iban(account: u64) -> String {
    let bban = format!("11010101{account:010}");
    // "DE00" moved to the end, letters as numbers (D = 13, E = 14).
    let digits = format!("{bban}131400");
    let remainder = digits.bytes().fold(0u32, |rest, digit| {
        (rest * 10 + u32::from(digit - b'0')) % 97
    });
    format!("DE{:02}{bban}", 98 - remainder)
}

async fn app_call(backend: &Backend, cookie: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let request = Request::post(path)
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let (status, _, body) = backend.send(request).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

#[test]
fn the_test_ibans_are_valid() {
    assert_eq!(
        german_iban(100_000_020),
        "DE11110101010100000020",
        "the guide's own"
    );
    assert!(bankident_domain::Iban::parse(&german_iban(4_711)).is_ok());
}

#[tokio::test]
async fn past_twenty_ibans_solaris_stops_the_api_mode_and_so_do_we() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(
        &emulator,
        &fresh_dir("api-mode-attempts"),
        &[("BANKIDENT_MODE", "api")],
    )
    .await;
    let browser = backend.new_browser().await;
    let (status, opened) = backend.open(&browser, &answers()).await;
    assert_eq!(
        (status, opened["url"].as_str()),
        (StatusCode::OK, Some("/verify"))
    );
    let (status, _) = app_call(
        &backend,
        &browser,
        "/api/mobile_number/confirm",
        json!({ "code": "212212" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // Twenty IBANs tried already (through Solaris' API, as another integration of the partner
    // might have done).
    let person = backend.person_of(&browser).await;
    let token = emulator.token().await;
    let client = reqwest::Client::new();
    for account in 1..=20 {
        let created = client
            .post(format!("{}/v1/persons/{person}/identifications", emulator.url))
            .bearer_auth(&token)
            .json(&json!({ "method": "bank", "iban": german_iban(account), "terms_and_conditions_signed_at": "2026-01-01T00:00:00Z" }))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
    }

    let (status, refused) = app_call(
        &backend,
        &browser,
        "/api/bank_identification",
        json!({ "iban": "DE11110101010100000020", "signature_terms_accepted": true }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["error_code"], "IDENTIFICATION_ATTEMPTS_EXCEEDED");
    assert_eq!(refused["category"], "stop");
    let outcome = backend.outcome(&browser).await;
    assert_eq!(outcome["state"], "final");
    assert_eq!(outcome["category"], "stop");
    // A stop holds: no new attempt, whatever the browser posts.
    let (status, again) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    let (status, closed) = app_call(
        &backend,
        &browser,
        "/api/bank_identification",
        json!({ "iban": german_iban(99), "signature_terms_accepted": true }),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(closed["error_code"], "IDENTIFICATION_ATTEMPTS_EXCEEDED");
    let onboarding = backend.onboarding(&browser).await.unwrap();
    assert_eq!(onboarding.outcome_category, Some(OutcomeCategory::Stop));
    assert_eq!(
        emulator_identifications(&emulator, &person).await,
        20,
        "we did not ask Solaris again"
    );
}

async fn emulator_identifications(emulator: &Emulator, person: &str) -> usize {
    // Solaris' list answers carry the number of items in `total`.
    let answer = reqwest::Client::new()
        .get(format!(
            "{}/v1/persons/{person}/identifications",
            emulator.url
        ))
        .bearer_auth(emulator.token().await)
        .send()
        .await
        .unwrap();
    answer.headers()["total"].to_str().unwrap().parse().unwrap()
}
