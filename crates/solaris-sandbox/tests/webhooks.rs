//! Webhook subscriptions and signed deliveries to a real HTTP receiver on loopback.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use serde_json::json;
use solaris_sandbox::SandboxConfig;
use support::{BASE, SUCCESS_IBAN, TestSandbox};

/// A received webhook: headers and raw body.
type Received = Arc<Mutex<Vec<(HeaderMap, Bytes)>>>;

/// Starts a receiver on loopback answering with `statuses` in turn (then 200); returns its URL.
async fn receiver(statuses: Vec<u16>) -> (String, Received) {
    let received: Received = Arc::default();
    let queue = Arc::new(Mutex::new(statuses));
    let log = received.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let log = log.clone();
            let queue = queue.clone();
            async move {
                let verification = headers
                    .get("solaris-webhook-event-type")
                    .is_some_and(|v| v == "WEBHOOK-SUBSCRIPTION");
                if !verification {
                    log.lock().unwrap().push((headers, body));
                }
                let mut queue = queue.lock().unwrap();
                let status = if verification || queue.is_empty() {
                    200
                } else {
                    queue.remove(0)
                };
                StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}/hook"), received)
}

fn fast_config() -> SandboxConfig {
    SandboxConfig {
        webhook_retry_base: Duration::from_millis(20),
        webhook_max_attempts: 3,
        ..SandboxConfig::new(BASE)
    }
}

async fn wait_for(received: &Received, count: usize) {
    for _ in 0..200 {
        if received.lock().unwrap().len() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!(
        "expected {count} webhooks, got {}",
        received.lock().unwrap().len()
    );
}

fn verify(secret: &str, headers: &HeaderMap, body: &[u8]) -> bool {
    let expected = bankident_test_support::webhook_signature(secret, body);
    headers
        .get("solaris-webhook-signature")
        .is_some_and(|value| value.to_str().unwrap() == expected)
}

#[tokio::test]
async fn subscription_shows_the_secret_once_and_deliveries_are_signed() {
    let sandbox = TestSandbox::with_config(fast_config()).await;
    let (url, received) = receiver(vec![]).await;
    let created = sandbox
        .post(
            "/v1/webhooks",
            json!({ "event_type": "IDENTIFICATION", "url": url }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let secret = created.json()["secret"].as_str().unwrap().to_string();
    let id = created.json()["id"].as_str().unwrap().to_string();
    assert!(
        sandbox
            .get(&format!("/v1/webhooks/{id}"))
            .await
            .json()
            .get("secret")
            .is_none(),
        "shown once only"
    );
    assert_eq!(
        sandbox
            .get("/v1/webhooks")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let again = sandbox
        .post(
            "/v1/webhooks",
            json!({ "event_type": "IDENTIFICATION", "url": url }),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::CONFLICT,
        "one subscription per event type"
    );

    let person = sandbox.create_verified_person().await;
    let identification = sandbox
        .post(
            &format!("/v1/persons/{person}/identifications"),
            json!({ "method": "bank", "iban": SUCCESS_IBAN }),
        )
        .await;
    wait_for(&received, 1).await;
    let (headers, body) = received.lock().unwrap()[0].clone();
    assert!(
        verify(&secret, &headers, &body),
        "HMAC-SHA256 over the raw body"
    );
    assert!(!verify("wrong secret", &headers, &body));
    assert_eq!(headers["solaris-webhook-event-type"], "IDENTIFICATION");
    assert_eq!(headers["solaris-webhook-subscription-id"], id.as_str());
    assert_eq!(headers["solaris-webhook-attempt"], "1");
    assert_eq!(
        headers["solaris-entity-id"],
        identification.json()["id"].as_str().unwrap()
    );
    assert!(headers.contains_key("solaris-webhook-id"));
    let payload: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(payload["status"], "created");

    assert_eq!(
        sandbox
            .api("DELETE", &format!("/v1/webhooks/{id}"), None)
            .await
            .status,
        StatusCode::OK
    );
    assert!(
        sandbox
            .get("/v1/webhooks")
            .await
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn failed_deliveries_are_retried_with_the_same_id_and_410_cancels() {
    let sandbox = TestSandbox::with_config(fast_config()).await;
    let (url, received) = receiver(vec![500, 503]).await;
    let created = sandbox
        .post(
            "/v1/webhooks",
            json!({ "event_type": "PERSON_CHANGED", "url": url }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let person = sandbox.create_person().await;
    assert_eq!(
        sandbox
            .patch(
                &format!("/v1/persons/{person}"),
                Some(json!({ "email": "a@example.com" }))
            )
            .await
            .status,
        StatusCode::OK
    );
    wait_for(&received, 3).await;
    let log = received.lock().unwrap().clone();
    let attempts: Vec<_> = log
        .iter()
        .map(|(headers, _)| {
            headers["solaris-webhook-attempt"]
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(attempts, ["1", "2", "3"]);
    assert!(
        log.iter()
            .all(|(headers, _)| headers["solaris-webhook-id"] == log[0].0["solaris-webhook-id"])
    );
    assert_eq!(log[0].0["solaris-entity-id"], person.as_str());

    let (deleted_url, deleted_received) = receiver(vec![]).await;
    let deleted = sandbox
        .post(
            "/v1/webhooks",
            json!({ "event_type": "PERSON_MOBILE_NUMBER_DELETED", "url": deleted_url }),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::CREATED);

    let (gone_url, gone_received) = receiver(vec![410]).await;
    let other = sandbox
        .post(
            "/v1/webhooks",
            json!({ "event_type": "PERSON_MOBILE_NUMBER_CREATED", "url": gone_url }),
        )
        .await;
    assert_eq!(other.status, StatusCode::CREATED);
    sandbox
        .post(
            &format!("/v1/persons/{person}/mobile_number"),
            json!({ "number": "+15550101" }),
        )
        .await;
    wait_for(&gone_received, 1).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let remaining: Vec<String> = sandbox
        .get("/v1/webhooks")
        .await
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["event_type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        remaining,
        ["PERSON_CHANGED", "PERSON_MOBILE_NUMBER_DELETED"],
        "410 cancels the subscription"
    );

    let number = sandbox
        .get(&format!("/v1/persons/{person}/mobile_number"))
        .await
        .json();
    let removed = sandbox
        .api(
            "DELETE",
            &format!("/v1/persons/{person}/mobile_number"),
            Some(json!({ "number": "+15550101" })),
        )
        .await;
    assert_eq!(removed.status, StatusCode::OK);
    wait_for(&deleted_received, 1).await;
    let (_, body) = deleted_received.lock().unwrap()[0].clone();
    let payload: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(payload, json!({ "id": number["id"] }));
}

#[tokio::test]
async fn subscriptions_need_a_safe_url_that_answers() {
    let sandbox = TestSandbox::with_config(fast_config()).await;
    let unsafe_url = sandbox
        .post(
            "/v1/webhooks",
            json!({ "event_type": "IDENTIFICATION", "url": "http://partner.example/hook" }),
        )
        .await;
    assert_eq!(
        (unsafe_url.status, unsafe_url.error_code()),
        (StatusCode::BAD_REQUEST, "unsafe_webhook_url".into())
    );
    let silent = sandbox
        .post(
            "/v1/webhooks",
            json!({ "event_type": "IDENTIFICATION", "url": "http://127.0.0.1:9/hook" }),
        )
        .await;
    assert_eq!(
        (silent.status, silent.error_code()),
        (StatusCode::BAD_REQUEST, "invalid_webhook_url".into())
    );
    let unknown = sandbox
        .post(
            "/v1/webhooks",
            json!({ "event_type": "SOMETHING", "url": "https://partner.example/hook" }),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn sessions_report_through_identification_session_webhooks() {
    let sandbox = TestSandbox::with_config(fast_config()).await;
    let (url, received) = receiver(vec![]).await;
    let created = sandbox
        .post(
            "/v1/webhooks",
            json!({ "event_type": "IDENTIFICATION_SESSION", "url": url }),
        )
        .await;
    let secret = created.json()["secret"].as_str().unwrap().to_string();
    let person = sandbox.create_person().await;
    let session = sandbox
        .post(&format!("/v1/persons/{person}/identification_sessions"), json!({ "callback_url": "https://partner.example/cb", "identification_methods": ["bank"] }))
        .await;
    wait_for(&received, 1).await;
    let (headers, body) = received.lock().unwrap()[0].clone();
    assert!(verify(&secret, &headers, &body));
    assert_eq!(
        headers["solaris-entity-id"],
        session.json()["id"].as_str().unwrap()
    );
    let payload: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(payload["status"], "created");
}

#[tokio::test]
async fn gdpr_deletion_sends_person_deleted() {
    let sandbox = TestSandbox::with_config(fast_config()).await;
    let (url, received) = receiver(vec![]).await;
    let created = sandbox
        .post(
            "/v1/webhooks",
            json!({ "event_type": "PERSON_DELETED", "url": url }),
        )
        .await;
    let secret = created.json()["secret"].as_str().unwrap().to_string();
    let person = sandbox.create_person().await;
    let request = axum::http::Request::delete(format!("/_sandbox/persons/{person}"))
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(sandbox.send(request).await.status, StatusCode::NO_CONTENT);
    wait_for(&received, 1).await;
    let (headers, body) = received.lock().unwrap()[0].clone();
    assert!(verify(&secret, &headers, &body));
    assert_eq!(headers["solaris-entity-id"], person.as_str());
    assert_eq!(&body[..], b"{}");
}
