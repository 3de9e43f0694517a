//! The partner API's limits: calls per API key and refused keys per client address answer 429
//! with `Retry-After`, and a finished onboarding's documents are listed from memory, so a
//! polling partner cannot drive Solaris into its own limits.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use support::partner::{KEY, OLD_KEY, Receiver, get, identified_customer, partner_backend};
use support::{Backend, Emulator};

/// A `GET` of the partner API with `key`: status, headers and body.
async fn get_with(
    backend: &Backend,
    key: &str,
    path: &str,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .body(Body::empty())
        .unwrap();
    let (status, headers, body) = backend.send(request).await;
    (
        status,
        headers,
        serde_json::from_str(&body).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn a_key_over_its_limit_waits_while_other_keys_go_on() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-rate", &emulator, &receiver).await;
    let mut limited = None;
    for call in 1..=400 {
        let (status, headers, body) = get_with(&backend, KEY, "/partner/v1/events?limit=1").await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            limited = Some((call, headers, body));
            break;
        }
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (call, headers, body) = limited.expect("a limit within 400 calls");
    assert!(
        call > 250,
        "bursts of a few hundred pass: limited at call {call}"
    );
    assert_eq!(body["code"], "too_many_requests");
    let wait: u64 = headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    assert_eq!(body["retry_after_seconds"], wait);
    let (status, _, _) = get_with(&backend, OLD_KEY, "/partner/v1/events?limit=1").await;
    assert_eq!(status, StatusCode::OK, "every key has a budget of its own");
}

#[tokio::test]
async fn guessing_keys_is_slowed_down_and_the_right_key_still_works() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-guess", &emulator, &receiver).await;
    let guesses: Vec<StatusCode> = guessed_statuses(&backend).await;
    assert!(
        guesses[..10]
            .iter()
            .all(|status| *status == StatusCode::UNAUTHORIZED),
        "{guesses:?}"
    );
    assert_eq!(guesses[10..], [StatusCode::TOO_MANY_REQUESTS; 5]);
    let (status, _, _) = get_with(&backend, KEY, "/partner/v1/events").await;
    assert_eq!(status, StatusCode::OK);
}

/// Fifteen calls with wrong keys, one after the other.
async fn guessed_statuses(backend: &Backend) -> Vec<StatusCode> {
    let mut statuses = Vec::new();
    for guess in 0..15 {
        let key = format!("guessed-key-{guess:02}-0123456789abcdef0123456789");
        statuses.push(get_with(backend, &key, "/partner/v1/events").await.0);
    }
    statuses
}

#[tokio::test]
async fn a_finished_onboardings_documents_are_listed_without_asking_solaris_again() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-documents", &emulator, &receiver).await;
    let (id, _) = identified_customer(&backend, &emulator, "customer-documents").await;
    let (status, first) = get(&backend, &format!("/partner/v1/onboardings/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let listed = first["documents"].as_array().expect("listed").clone();
    assert!(
        listed
            .iter()
            .any(|document| document["document_type"] == "SIGNED_QES_DOCUMENT")
    );

    // Solaris fails every identification read from now on: the list still comes, from memory.
    emulator
        .control(
            "POST",
            "/_sandbox/faults",
            json!({ "path_prefix": "/v1/persons/", "method": "GET", "status": 503, "count": 50 }),
        )
        .await;
    for _ in 0..3 {
        let (status, again) = get(&backend, &format!("/partner/v1/onboardings/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["documents"], Value::Array(listed.clone()));
    }
    emulator
        .control("DELETE", "/_sandbox/faults", json!({}))
        .await;
}
