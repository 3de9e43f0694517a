//! Webhooks: the subscription API (`/v1/webhooks`) and signed deliveries.
//!
//! Subscribing first POSTs an empty body with `Solaris-Webhook-Event-Type: WEBHOOK-SUBSCRIPTION`
//! to the URL, which must answer 2xx; the answer then shows the secret, once. Deliveries carry
//! Solaris' headers and `Solaris-Webhook-Signature: sha256=<hex HMAC-SHA256(secret, body)>`.
//! A failed delivery is retried with doubling delays up to a bounded number of attempts;
//! 410 cancels the subscription, 422 stops retrying.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::Sandbox;
use crate::error::{ApiError, ApiResult};
use crate::ids::random_hex;
use crate::json_body::{JsonObject, required_str};

/// The events the emulator delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// An identification session changed status.
    IdentificationSession,
    /// A person identification changed status.
    Identification,
    /// A person was updated.
    PersonChanged,
    /// A person was deleted; partners must erase what they hold.
    PersonDeleted,
    /// A mobile number was created.
    PersonMobileNumberCreated,
    /// A mobile number was deleted.
    PersonMobileNumberDeleted,
}

impl Event {
    /// Every event, by name.
    pub const ALL: [Event; 6] = [
        Event::IdentificationSession,
        Event::Identification,
        Event::PersonChanged,
        Event::PersonDeleted,
        Event::PersonMobileNumberCreated,
        Event::PersonMobileNumberDeleted,
    ];

    /// Solaris' event type name.
    pub fn name(self) -> &'static str {
        match self {
            Event::IdentificationSession => "IDENTIFICATION_SESSION",
            Event::Identification => "IDENTIFICATION",
            Event::PersonChanged => "PERSON_CHANGED",
            Event::PersonDeleted => "PERSON_DELETED",
            Event::PersonMobileNumberCreated => "PERSON_MOBILE_NUMBER_CREATED",
            Event::PersonMobileNumberDeleted => "PERSON_MOBILE_NUMBER_DELETED",
        }
    }

    fn parse(name: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|event| event.name() == name)
    }
}

/// A webhook subscription.
#[derive(Debug, Clone)]
struct Subscription {
    id: String,
    event: Event,
    url: String,
    secret: String,
}

impl Subscription {
    fn to_json(&self) -> Value {
        json!({ "id": self.id, "event_type": self.event.name(), "url": self.url })
    }
}

/// One delivery attempt, as the test controls list it.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryRecord {
    /// `Solaris-Webhook-Id`.
    pub webhook_id: String,
    /// Event type name.
    pub event_type: &'static str,
    /// Target URL.
    pub url: String,
    /// Attempt number, from 1.
    pub attempt: u32,
    /// The receiver's HTTP status, or `None` if it did not answer.
    pub status: Option<u16>,
}

/// Subscriptions and the deliveries made to them.
#[derive(Debug, Clone)]
pub struct Webhooks {
    subscriptions: Arc<Mutex<Vec<Subscription>>>,
    deliveries: Arc<Mutex<Vec<DeliveryRecord>>>,
    client: reqwest::Client,
    retry_base: Duration,
    max_attempts: u32,
}

/// HMAC-SHA256 of `body` keyed with `secret`, as `sha256=<lowercase hex>`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

impl Webhooks {
    /// No subscriptions yet.
    pub fn new(retry_base: Duration, max_attempts: u32) -> Webhooks {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("an HTTP client without TLS always builds");
        Webhooks {
            subscriptions: Default::default(),
            deliveries: Default::default(),
            client,
            retry_base,
            max_attempts: max_attempts.max(1),
        }
    }

    /// Delivers `body` to every subscription for `event`, in the background.
    pub fn publish(&self, event: Event, entity_id: &str, body: Value) {
        let targets: Vec<Subscription> = self
            .subscriptions
            .lock()
            .expect("subscriptions lock")
            .iter()
            .filter(|subscription| subscription.event == event)
            .cloned()
            .collect();
        if targets.is_empty() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            tracing::warn!(
                event = event.name(),
                "no async runtime: webhook not delivered"
            );
            return;
        };
        let body = serde_json::to_vec(&body).expect("JSON values serialize");
        for subscription in targets {
            let webhooks = self.clone();
            let body = body.clone();
            let entity_id = entity_id.to_string();
            runtime.spawn(async move { webhooks.deliver(subscription, entity_id, body).await });
        }
    }

    async fn deliver(self, subscription: Subscription, entity_id: String, body: Vec<u8>) {
        let webhook_id = random_hex(16);
        let signature = signature(&subscription.secret, &body);
        for attempt in 1..=self.max_attempts {
            let response = self
                .client
                .post(&subscription.url)
                .header("Content-Type", "application/json")
                .header("Solaris-Webhook-Id", &webhook_id)
                .header("Solaris-Webhook-Subscription-Id", &subscription.id)
                .header("Solaris-Webhook-Event-Type", subscription.event.name())
                .header("Solaris-Entity-Id", &entity_id)
                .header("Solaris-Webhook-Attempt", attempt.to_string())
                .header("Solaris-Webhook-Signature", &signature)
                .body(body.clone())
                .send()
                .await;
            let status = response
                .as_ref()
                .ok()
                .map(|response| response.status().as_u16());
            self.deliveries
                .lock()
                .expect("deliveries lock")
                .push(DeliveryRecord {
                    webhook_id: webhook_id.clone(),
                    event_type: subscription.event.name(),
                    url: subscription.url.clone(),
                    attempt,
                    status,
                });
            match status {
                Some(200..=299) | Some(422) => return,
                Some(410) => {
                    self.subscriptions
                        .lock()
                        .expect("subscriptions lock")
                        .retain(|s| s.id != subscription.id);
                    return;
                }
                _ if attempt < self.max_attempts => {
                    tokio::time::sleep(self.retry_base * 2u32.pow(attempt - 1)).await
                }
                _ => tracing::warn!(
                    event = subscription.event.name(),
                    attempts = attempt,
                    "webhook given up"
                ),
            }
        }
    }

    /// Every delivery attempt so far, oldest first.
    pub fn deliveries(&self) -> Vec<DeliveryRecord> {
        self.deliveries.lock().expect("deliveries lock").clone()
    }
}

/// Webhook URLs must be https; plain http only to this machine (loopback), for local partners.
fn check_webhook_url(url: &str) -> Result<(), ApiError> {
    if crate::urls::is_https_or_loopback_http(url) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unsafe_webhook_url",
            "Unsafe Webhook URL",
            "the webhook URL must use https (the emulator also accepts http to a loopback host)",
        ))
    }
}

/// `POST /v1/webhooks`.
pub async fn webhook_create(
    State(sandbox): State<Sandbox>,
    JsonObject(body): JsonObject,
) -> ApiResult {
    let event_name = required_str(&body, "event_type")?;
    let event = Event::parse(event_name).ok_or_else(|| {
        let names: Vec<_> = Event::ALL.iter().map(|e| e.name()).collect();
        ApiError::invalid_model(
            "event_type",
            format!("is not included in the list [{}]", names.join(", ")),
        )
    })?;
    let url = required_str(&body, "url")?.to_string();
    check_webhook_url(&url)?;
    let webhooks = sandbox.webhooks();
    if webhooks
        .subscriptions
        .lock()
        .expect("subscriptions lock")
        .iter()
        .any(|s| s.event == event)
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "subscription_exists",
            "Subscription Exists",
            format!(
                "there is already a subscription for {}; delete it to subscribe again",
                event.name()
            ),
        ));
    }
    let verification = webhooks
        .client
        .post(&url)
        .header("Solaris-Webhook-Event-Type", "WEBHOOK-SUBSCRIPTION")
        .send()
        .await;
    if !verification.is_ok_and(|response| response.status().is_success()) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_webhook_url",
            "Invalid Webhook URL",
            "the webhook URL did not answer the verification request with 2xx",
        ));
    }
    let subscription = Subscription {
        id: random_hex(16),
        event,
        url,
        secret: random_hex(32),
    };
    let mut answer = subscription.to_json();
    answer["secret"] = Value::String(subscription.secret.clone());
    webhooks
        .subscriptions
        .lock()
        .expect("subscriptions lock")
        .push(subscription);
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// `GET /v1/webhooks`: every subscription, without secrets.
pub async fn webhook_index(State(sandbox): State<Sandbox>) -> ApiResult {
    let list: Vec<Value> = sandbox
        .webhooks()
        .subscriptions
        .lock()
        .expect("subscriptions lock")
        .iter()
        .map(Subscription::to_json)
        .collect();
    Ok(Json(Value::Array(list)).into_response())
}

/// `GET /v1/webhooks/{id}`.
pub async fn webhook_show(State(sandbox): State<Sandbox>, Path(id): Path<String>) -> ApiResult {
    let subscriptions = sandbox
        .webhooks()
        .subscriptions
        .lock()
        .expect("subscriptions lock")
        .clone();
    let subscription = subscriptions
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| ApiError::not_found("Webhook", &id))?;
    Ok(Json(subscription.to_json()).into_response())
}

/// `DELETE /v1/webhooks/{id}`.
pub async fn webhook_delete(State(sandbox): State<Sandbox>, Path(id): Path<String>) -> ApiResult {
    let mut subscriptions = sandbox
        .webhooks()
        .subscriptions
        .lock()
        .expect("subscriptions lock");
    let index = subscriptions
        .iter()
        .position(|s| s.id == id)
        .ok_or_else(|| ApiError::not_found("Webhook", &id))?;
    let removed = subscriptions.remove(index);
    Ok(Json(removed.to_json()).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_hmac_sha256_hex() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
