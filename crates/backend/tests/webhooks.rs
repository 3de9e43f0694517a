//! The webhook receiver: only correctly signed deliveries count, each once; they make a final
//! outcome known without asking Solaris, and PERSON_DELETED erases what we hold.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bankident_backend::browser::key_hash;
use bankident_backend::webhooks::signature_matches;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use support::{Backend, Customer, Emulator, answers, fresh_dir};

const SECRET: &str = "test-subscription-secret";

fn sign(body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

fn delivery(
    event: &str,
    webhook_id: &str,
    entity: &str,
    body: &str,
    signature: Option<&str>,
) -> Request<Body> {
    let mut request = Request::post("/api/solaris/webhooks")
        .header(header::CONTENT_TYPE, "application/json")
        .header("solaris-webhook-id", webhook_id)
        .header("solaris-webhook-subscription-id", "test-subscription")
        .header("solaris-webhook-event-type", event)
        .header("solaris-entity-id", entity)
        .header("solaris-webhook-attempt", "1");
    if let Some(signature) = signature {
        request = request.header("solaris-webhook-signature", signature);
    }
    request.body(Body::from(body.to_string())).unwrap()
}

/// A backend with a known subscription secret and a browser with an open session.
async fn setup(name: &str) -> (Emulator, Backend, String, String, String) {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir(name), &[]).await;
    backend
        .state
        .store
        .save_subscription("test-subscription", "IDENTIFICATION_SESSION", SECRET)
        .await
        .unwrap();
    let browser = backend.new_browser().await;
    let (_, opened) = backend.open(&browser, &answers()).await;
    let hash = key_hash(browser.split('=').nth(1).unwrap());
    let onboarding = backend
        .state
        .store
        .onboarding_by_browser(&hash)
        .await
        .unwrap()
        .unwrap();
    (
        emulator,
        backend,
        browser,
        onboarding.session_id.unwrap(),
        opened["url"].as_str().unwrap().to_string(),
    )
}

async fn stored_state(backend: &Backend, browser: &str) -> Option<(String, Option<String>)> {
    let hash = key_hash(browser.split('=').nth(1).unwrap());
    let onboarding = backend
        .state
        .store
        .onboarding_by_browser(&hash)
        .await
        .unwrap()?;
    Some((onboarding.outcome_state, onboarding.outcome_category))
}

#[tokio::test]
async fn forged_and_unsigned_deliveries_get_401_and_change_nothing() {
    let (_, backend, browser, session_id, _) = setup("forged").await;
    let body = json!({ "id": session_id, "status": "successful" }).to_string();
    for signature in [
        None,
        Some("sha256=00"),
        Some(&*format!("sha256={}", "ab".repeat(32))),
        Some("md5=abc"),
    ] {
        let (status, _, _) = backend
            .send(delivery(
                "IDENTIFICATION_SESSION",
                "w-forged",
                &session_id,
                &body,
                signature,
            ))
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{signature:?}");
    }
    let tampered = json!({ "id": session_id, "status": "successful", "x": 1 }).to_string();
    let (status, _, _) = backend
        .send(delivery(
            "IDENTIFICATION_SESSION",
            "w-tampered",
            &session_id,
            &tampered,
            Some(&sign(&body)),
        ))
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the signature covers the exact body"
    );
    let mut unknown = delivery(
        "IDENTIFICATION_SESSION",
        "w-unknown",
        &session_id,
        &body,
        Some(&sign(&body)),
    );
    unknown.headers_mut().insert(
        "solaris-webhook-subscription-id",
        "not-ours".parse().unwrap(),
    );
    assert_eq!(backend.send(unknown).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        stored_state(&backend, &browser).await.unwrap().0,
        "pending",
        "nothing changed"
    );
}

#[tokio::test]
async fn a_signed_delivery_finishes_the_onboarding_once_and_replays_change_nothing() {
    let (_, backend, browser, session_id, _) = setup("signed").await;
    let body = json!({ "id": session_id, "status": "expired" }).to_string();
    let (status, _, _) = backend
        .send(delivery(
            "IDENTIFICATION_SESSION",
            "w-1",
            &session_id,
            &body,
            Some(&sign(&body)),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        stored_state(&backend, &browser).await.unwrap(),
        ("final".into(), Some("start_again".into()))
    );
    // The same webhook id again, now claiming success: a replay, ignored.
    let replay = json!({ "id": session_id, "status": "successful" }).to_string();
    let (status, _, _) = backend
        .send(delivery(
            "IDENTIFICATION_SESSION",
            "w-1",
            &session_id,
            &replay,
            Some(&sign(&replay)),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        stored_state(&backend, &browser).await.unwrap().1.as_deref(),
        Some("start_again")
    );
    assert_eq!(backend.outcome(&browser).await["error_code"], "EXPIRED");
}

#[tokio::test]
async fn the_subscription_check_is_answered() {
    let (_, backend, _, _, _) = setup("verification").await;
    let request = Request::post("/api/solaris/webhooks")
        .header("solaris-webhook-event-type", "WEBHOOK-SUBSCRIPTION")
        .body(Body::empty())
        .unwrap();
    assert_eq!(backend.send(request).await.0, StatusCode::OK);
}

#[tokio::test]
async fn person_deleted_erases_the_onboarding() {
    let (_, backend, browser, _, _) = setup("deleted").await;
    let hash = key_hash(browser.split('=').nth(1).unwrap());
    let person = backend
        .state
        .store
        .onboarding_by_browser(&hash)
        .await
        .unwrap()
        .unwrap()
        .person_id
        .unwrap();
    let (status, _, _) = backend
        .send(delivery(
            "PERSON_DELETED",
            "w-del",
            &person,
            "{}",
            Some(&sign("{}")),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        stored_state(&backend, &browser).await.is_none(),
        "nothing left about the person"
    );
    assert_eq!(backend.outcome(&browser).await["state"], "not_started");
}

#[tokio::test]
async fn real_webhooks_from_solaris_make_the_outcome_final_without_asking() {
    let (emulator, backend, browser, _, url) = setup("real").await;
    let end = Customer::new()
        .identify(&emulator, &url, "DE11110101010100000020")
        .await;
    assert!(end.page.contains("You are identified"));
    for _ in 0..100 {
        if stored_state(&backend, &browser).await.unwrap().0 == "final" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        stored_state(&backend, &browser).await.unwrap(),
        ("final".into(), Some("success".into())),
        "set by the webhook"
    );
}

#[test]
fn signature_check_uses_the_raw_body() {
    let body = r#"{"id":"x"}"#;
    assert!(signature_matches(SECRET, body.as_bytes(), &sign(body)));
    assert!(!signature_matches(SECRET, br#"{"id": "x"}"#, &sign(body)));
}
