//! The webhook receiver: only deliveries signed with the secret of a subscription to their own
//! event type count, each once; what they change comes from the signed body and from Solaris'
//! answers (never from the payload's claimed status or the unsigned entity header), and a
//! delivery that cannot be applied is not marked processed, so Solaris' retry applies it.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bankident_test_support::webhook_signature;
use serde_json::json;
use solaris_contract::signature_matches;
use support::{Backend, Customer, Emulator, answers, started};

const SECRET: &str = "test-subscription-secret";

fn sign(body: &str) -> String {
    webhook_signature(SECRET, body.as_bytes())
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
    let (emulator, backend, browser) = started(name).await;
    backend
        .state
        .store
        .save_subscription("test-subscription", "IDENTIFICATION_SESSION", SECRET)
        .await
        .unwrap();
    let (_, opened) = backend.open(&browser, &answers()).await;
    let onboarding = backend.onboarding(&browser).await.unwrap();
    (
        emulator,
        backend,
        browser,
        onboarding.session_id.unwrap(),
        opened["url"].as_str().unwrap().to_string(),
    )
}

async fn stored_state(backend: &Backend, browser: &str) -> Option<(String, Option<String>)> {
    let onboarding = backend.onboarding(browser).await?;
    // As stored: the names the partner API shows.
    Some((
        onboarding.outcome_state.as_str().to_string(),
        onboarding
            .outcome_category
            .map(|category| category.code().to_string()),
    ))
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
async fn a_signed_delivery_settles_from_solaris_not_from_its_claims_and_once() {
    let (emulator, backend, browser, session_id, _) = setup("signed").await;
    forget_real_subscriptions(&backend).await;
    let claim = json!({ "id": session_id, "status": "successful" }).to_string();
    let (status, _, _) = backend
        .send(delivery(
            "IDENTIFICATION_SESSION",
            "w-1",
            &session_id,
            &claim,
            Some(&sign(&claim)),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        stored_state(&backend, &browser).await.unwrap().0,
        "pending",
        "Solaris says the session is still open, whatever the body claims"
    );
    // 31 days later Solaris shows the session expired; a delivery about it settles it.
    emulator.advance(31 * 24 * 3600).await;
    let body = json!({ "id": session_id, "status": "expired" }).to_string();
    for _ in 0..2 {
        let (status, _, _) = backend
            .send(delivery(
                "IDENTIFICATION_SESSION",
                "w-2",
                &session_id,
                &body,
                Some(&sign(&body)),
            ))
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    assert_eq!(
        stored_state(&backend, &browser).await.unwrap(),
        ("final".into(), Some("start_again".into()))
    );
    assert!(backend.state.store.webhook_processed("w-2").await.unwrap());
    assert_eq!(backend.outcome(&browser).await["error_code"], "EXPIRED");
}

#[tokio::test]
async fn the_payload_names_the_session_not_the_entity_header() {
    let (emulator, backend, browser, session_id, _) = setup("entity").await;
    forget_real_subscriptions(&backend).await;
    emulator.advance(31 * 24 * 3600).await;
    let body =
        json!({ "id": "0000000000000000000000000000000ises", "status": "expired" }).to_string();
    let (status, _, _) = backend
        .send(delivery(
            "IDENTIFICATION_SESSION",
            "w-entity",
            &session_id,
            &body,
            Some(&sign(&body)),
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(stored_state(&backend, &browser).await.unwrap().0, "pending");
}

#[tokio::test]
async fn a_secret_verifies_only_its_own_event_type() {
    let (_, backend, browser, _, _) = setup("event-type").await;
    let person = backend.person_of(&browser).await;
    // Signed with the IDENTIFICATION_SESSION subscription's secret, sent as PERSON_DELETED.
    let (status, _, _) = backend
        .send(delivery(
            "PERSON_DELETED",
            "w-swap",
            &person,
            "{}",
            Some(&sign("{}")),
        ))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(stored_state(&backend, &browser).await.is_some());
}

#[tokio::test]
async fn a_subscription_stored_after_the_secrets_were_read_verifies_at_once() {
    let (_, backend, _, session_id, _) = setup("secrets-read").await;
    let body = json!({ "id": session_id }).to_string();
    let (status, _, _) = backend
        .send(delivery(
            "IDENTIFICATION_SESSION",
            "w-first",
            &session_id,
            &body,
            Some(&sign(&body)),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "this instance has read the secrets");
    // Another instance subscribes again (say its secret was lost) and stores the new secret.
    let new_secret = "the-other-instance-secret";
    backend
        .state
        .store
        .save_subscription("test-subscription", "IDENTIFICATION_SESSION", new_secret)
        .await
        .unwrap();
    let signature = webhook_signature(new_secret, body.as_bytes());
    let (status, _, _) = backend
        .send(delivery(
            "IDENTIFICATION_SESSION",
            "w-second",
            &session_id,
            &body,
            Some(&signature),
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "the new secret verifies at once");
    assert!(
        backend
            .state
            .store
            .webhook_processed("w-second")
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_delivery_that_cannot_be_applied_is_retried_not_lost() {
    let (emulator, backend, browser, session_id, _) = setup("retry").await;
    forget_real_subscriptions(&backend).await;
    emulator.advance(31 * 24 * 3600).await;
    emulator
        .control(
            "POST",
            "/_sandbox/faults",
            json!({ "path_prefix": "/v1/persons", "status": 503, "count": 1000 }),
        )
        .await;
    let body = json!({ "id": session_id }).to_string();
    let send = || {
        backend.send(delivery(
            "IDENTIFICATION_SESSION",
            "w-retry",
            &session_id,
            &body,
            Some(&sign(&body)),
        ))
    };
    assert_eq!(send().await.0, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        !backend
            .state
            .store
            .webhook_processed("w-retry")
            .await
            .unwrap()
    );
    assert_eq!(stored_state(&backend, &browser).await.unwrap().0, "pending");
    emulator
        .control("DELETE", "/_sandbox/faults", json!({}))
        .await;
    assert_eq!(send().await.0, StatusCode::OK, "Solaris' retry");
    assert_eq!(
        stored_state(&backend, &browser).await.unwrap(),
        ("final".into(), Some("start_again".into()))
    );
}

/// Makes the backend refuse the emulator's own deliveries (their secrets are forgotten), so
/// only the test's deliveries change anything.
async fn forget_real_subscriptions(backend: &Backend) {
    for event in solaris_contract::EventType::ALL {
        for (id, _) in backend
            .state
            .store
            .subscriptions_for(event.name())
            .await
            .unwrap()
        {
            if id != "test-subscription" {
                backend.state.store.delete_subscription(&id).await.unwrap();
            }
        }
    }
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
async fn person_deleted_erases_the_onboarding_only_when_solaris_confirms() {
    let (emulator, backend, browser, _, _) = setup("deleted").await;
    backend
        .state
        .store
        .save_subscription("test-deleted", "PERSON_DELETED", SECRET)
        .await
        .unwrap();
    let person = backend.person_of(&browser).await;
    let deleted = |id: &str| {
        let mut request = delivery("PERSON_DELETED", id, &person, "{}", Some(&sign("{}")));
        request.headers_mut().insert(
            "solaris-webhook-subscription-id",
            "test-deleted".parse().unwrap(),
        );
        request
    };
    assert_eq!(backend.send(deleted("w-del-1")).await.0, StatusCode::OK);
    assert!(
        stored_state(&backend, &browser).await.is_some(),
        "Solaris still knows the person: nothing is erased"
    );
    emulator
        .control("DELETE", &format!("/_sandbox/persons/{person}"), json!({}))
        .await;
    assert_eq!(backend.send(deleted("w-del-2")).await.0, StatusCode::OK);
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

#[tokio::test]
async fn late_and_repeated_deliveries_never_undo_an_outcome() {
    let (emulator, backend, browser, session_id, url) = setup("out-of-order").await;
    forget_real_subscriptions(&backend).await;
    Customer::new()
        .identify(&emulator, &url, "DE11110101010100000020")
        .await;
    let send = |webhook_id: &'static str, status: &'static str| {
        let body = json!({ "id": session_id, "status": status }).to_string();
        let signature = sign(&body);
        let request = delivery(
            "IDENTIFICATION_SESSION",
            webhook_id,
            &session_id,
            &body,
            Some(&signature),
        );
        backend.send(request)
    };
    assert_eq!(send("w-new", "successful").await.0, StatusCode::OK);
    assert_eq!(
        stored_state(&backend, &browser).await.unwrap(),
        ("final".into(), Some("success".into()))
    );
    // A delivery Solaris sent earlier, arriving late, and the same delivery again.
    assert_eq!(send("w-old", "created").await.0, StatusCode::OK);
    assert_eq!(send("w-new", "successful").await.0, StatusCode::OK);
    assert_eq!(send("w-older", "failed").await.0, StatusCode::OK);
    assert_eq!(
        stored_state(&backend, &browser).await.unwrap(),
        ("final".into(), Some("success".into())),
        "an outcome, once final, stays"
    );
    assert_eq!(backend.outcome(&browser).await["category"], "success");
}
