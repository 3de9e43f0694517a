//! Solaris webhooks: the receiver at `POST /api/solaris/webhooks` and the subscriptions made at
//! start-up. A delivery must carry the HMAC-SHA256 of its raw body under the secret of one of
//! our subscriptions (`Solaris-Webhook-Signature: sha256=<hex>`, compared in constant time);
//! anything else gets 401 and changes nothing. Deliveries are deduplicated by
//! `Solaris-Webhook-Id` and stored before the 2xx answer.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bankident_domain::{ErrorCode, OutcomeCategory};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use crate::AppState;

/// The events the guide recommends, plus IDENTIFICATION for failure reasons.
pub const EVENTS: [&str; 6] = [
    "IDENTIFICATION_SESSION",
    "IDENTIFICATION",
    "PERSON_CHANGED",
    "PERSON_DELETED",
    "PERSON_MOBILE_NUMBER_CREATED",
    "PERSON_MOBILE_NUMBER_DELETED",
];

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok())
}

/// Whether `signature` (`sha256=<hex>`) is the HMAC-SHA256 of `body` under `secret`.
pub fn signature_matches(secret: &str, body: &[u8], signature: &str) -> bool {
    let Some(Ok(expected)) = signature.strip_prefix("sha256=").map(hex::decode) else {
        return false;
    };
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// `POST /api/solaris/webhooks`.
pub async fn webhook_receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if header(&headers, "solaris-webhook-event-type") == Some("WEBHOOK-SUBSCRIPTION") {
        return StatusCode::OK.into_response();
    }
    match receive(&state, &headers, &body).await {
        Ok(status) => status.into_response(),
        Err(status) => status.into_response(),
    }
}

async fn receive(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<StatusCode, StatusCode> {
    let (Some(subscription), Some(signature)) = (
        header(headers, "solaris-webhook-subscription-id"),
        header(headers, "solaris-webhook-signature"),
    ) else {
        return Err(StatusCode::UNAUTHORIZED);
    };
    let secret = state
        .store
        .subscription_secret(subscription)
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    if !secret.is_some_and(|secret| signature_matches(&secret, body, signature)) {
        tracing::warn!("webhook with a missing or wrong signature refused");
        return Err(StatusCode::UNAUTHORIZED);
    }
    let (Some(webhook_id), Some(event_type)) = (
        header(headers, "solaris-webhook-id"),
        header(headers, "solaris-webhook-event-type"),
    ) else {
        return Err(StatusCode::BAD_REQUEST);
    };
    let entity_id = header(headers, "solaris-entity-id").unwrap_or_default();
    let payload: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let first_time = state
        .store
        .record_webhook(webhook_id, event_type, entity_id)
        .await
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
    if !first_time {
        return Ok(StatusCode::OK);
    }
    apply(state, event_type, entity_id, &payload)
        .await
        .map_err(|error| {
            tracing::error!(%error, event_type, "webhook could not be applied");
            StatusCode::SERVICE_UNAVAILABLE
        })?;
    tracing::info!(event_type, entity_id, "webhook processed");
    Ok(StatusCode::OK)
}

/// What a webhook means for our onboardings.
async fn apply(
    state: &AppState,
    event_type: &str,
    entity_id: &str,
    payload: &Value,
) -> Result<(), sqlx::Error> {
    let finish = |category: OutcomeCategory, code: Option<ErrorCode>| {
        (category.code(), code.map(|code| code.code().to_string()))
    };
    let (session_id, person_id, outcome) = match event_type {
        "IDENTIFICATION_SESSION" => {
            let outcome = match payload["status"].as_str() {
                Some("successful") => Some(finish(OutcomeCategory::Success, None)),
                Some("expired") => Some(finish(
                    OutcomeCategory::StartAgain,
                    Some(ErrorCode::Expired),
                )),
                _ => None,
            };
            (Some(entity_id), None, outcome)
        }
        "IDENTIFICATION" => {
            let outcome = match payload["status"].as_str() {
                Some("successful") => Some(finish(OutcomeCategory::Success, None)),
                Some("failed" | "expired") => {
                    let code = ErrorCode::parse(
                        payload["failure_reason"]
                            .as_str()
                            .unwrap_or("GENERIC_ERROR"),
                    );
                    // In Solaris' webview the customer can try another IBAN right away, in
                    // the same session: that failure is decided when they come back.
                    (code.category() != OutcomeCategory::RetryWithAnotherIban)
                        .then(|| finish(code.category(), Some(code)))
                }
                _ => None,
            };
            (None, payload["person_id"].as_str(), outcome)
        }
        "PERSON_DELETED" => {
            let erased = state.store.erase_person(entity_id).await?;
            tracing::info!(
                erased,
                "person deleted by Solaris: its onboardings are erased"
            );
            return Ok(());
        }
        _ => return Ok(()),
    };
    let Some((category, code)) = outcome else {
        return Ok(());
    };
    for onboarding in state
        .store
        .pending_onboardings(session_id, person_id)
        .await?
    {
        state
            .store
            .set_final_outcome(&onboarding.id, category, code.as_deref())
            .await?;
    }
    Ok(())
}

/// Subscribes to every event in [`EVENTS`] we have no working subscription for. Run once the
/// server listens: Solaris calls the URL to verify it before confirming.
pub async fn subscribe_all(state: &AppState) -> Result<(), String> {
    let url = state.config.webhook_url();
    let existing = state
        .solaris
        .webhooks()
        .await
        .map_err(|error| format!("listing webhooks failed: {error:?}"))?;
    for event in EVENTS {
        let current = existing
            .iter()
            .find(|subscription| subscription["event_type"] == event);
        if let Some(subscription) = current {
            let id = subscription["id"].as_str().unwrap_or_default();
            let ours = subscription["url"] == url.as_str();
            let known = state
                .store
                .subscription_secret(id)
                .await
                .map_err(|error| error.to_string())?
                .is_some();
            if ours && known {
                continue;
            }
            // Ours without a stored secret (a lost database), or another URL: replace it.
            state
                .solaris
                .unsubscribe(id)
                .await
                .map_err(|error| format!("replacing the {event} webhook failed: {error:?}"))?;
        }
        let (id, secret) = state
            .solaris
            .subscribe(event, &url)
            .await
            .map_err(|error| format!("subscribing to {event} failed: {error:?}"))?;
        state
            .store
            .save_subscription(&id, event, &secret)
            .await
            .map_err(|error| error.to_string())?;
        tracing::info!(event, "webhook subscribed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_checked_exactly() {
        let valid = "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        assert!(signature_matches(
            "Jefe",
            b"what do ya want for nothing?",
            valid
        ));
        assert!(!signature_matches(
            "Jefe",
            b"what do ya want for nothing!",
            valid
        ));
        assert!(!signature_matches(
            "jefe",
            b"what do ya want for nothing?",
            valid
        ));
        assert!(!signature_matches(
            "Jefe",
            b"what do ya want for nothing?",
            &valid[7..]
        ));
        assert!(!signature_matches(
            "Jefe",
            b"what do ya want for nothing?",
            "sha256=zz"
        ));
    }
}
