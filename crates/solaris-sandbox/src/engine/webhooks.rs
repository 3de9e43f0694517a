//! Webhooks: subscriptions and signed deliveries.
//!
//! Subscribing first POSTs an empty body with `Solaris-Webhook-Event-Type: WEBHOOK-SUBSCRIPTION`
//! to the URL, which must answer 2xx; the answer then shows the secret, once. Deliveries carry
//! Solaris' headers and `Solaris-Webhook-Signature: sha256=<hex HMAC-SHA256(secret, body)>`.
//! A failed delivery is retried with doubling delays up to a bounded number of attempts;
//! 410 cancels the subscription, 422 stops retrying.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use serde::Serialize;
use solaris_contract::{
    EventType, SUBSCRIPTION_VERIFICATION, WebhookHeaders, WebhookSubscription, signature,
};

use crate::Sandbox;
use crate::error::ApiError;
use crate::ids::random_hex;
use crate::model::keep_latest;

/// A webhook subscription.
#[derive(Debug, Clone)]
struct Subscription {
    id: String,
    event: EventType,
    url: String,
    secret: String,
}

impl Subscription {
    /// As Solaris lists it: without the secret.
    fn to_wire(&self) -> WebhookSubscription {
        WebhookSubscription {
            id: self.id.clone(),
            event_type: self.event.name().to_string(),
            url: self.url.clone(),
            secret: None,
        }
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
    deliveries: Arc<Mutex<VecDeque<DeliveryRecord>>>,
    client: reqwest::Client,
    retry_base: Duration,
    max_attempts: u32,
    documented_headers_only: bool,
}

impl Webhooks {
    /// No subscriptions yet. `documented_headers_only` leaves out the
    /// `Solaris-Webhook-Subscription-Id` header, which Solaris does not document.
    pub fn new(retry_base: Duration, max_attempts: u32, documented_headers_only: bool) -> Webhooks {
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
            documented_headers_only,
        }
    }

    /// Delivers `body` to every subscription for `event`, in the background.
    pub fn publish(&self, event: EventType, entity_id: &str, body: &impl serde::Serialize) {
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
        let body = serde_json::to_vec(body).expect("webhook bodies serialize");
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
            let mut request = self
                .client
                .post(&subscription.url)
                .header("Content-Type", "application/json")
                .header(WebhookHeaders::ID, &webhook_id)
                .header(WebhookHeaders::EVENT_TYPE, subscription.event.name())
                .header(WebhookHeaders::ENTITY_ID, &entity_id)
                .header(WebhookHeaders::ATTEMPT, attempt.to_string())
                .header(WebhookHeaders::SIGNATURE, &signature);
            if !self.documented_headers_only {
                request = request.header(WebhookHeaders::SUBSCRIPTION_ID, &subscription.id);
            }
            let response = request.body(body.clone()).send().await;
            let status = response
                .as_ref()
                .ok()
                .map(|response| response.status().as_u16());
            self.record(DeliveryRecord {
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

    /// Keeps a delivery attempt for the test controls.
    fn record(&self, record: DeliveryRecord) {
        keep_latest(
            &mut self.deliveries.lock().expect("deliveries lock"),
            record,
        );
    }

    /// The latest [`crate::model::KEPT_RECORDS`] delivery attempts, oldest first.
    pub fn deliveries(&self) -> Vec<DeliveryRecord> {
        self.deliveries
            .lock()
            .expect("deliveries lock")
            .iter()
            .cloned()
            .collect()
    }
}

impl Webhooks {
    /// Subscribes `url` to `event` once it answers Solaris' verification request with 2xx; the
    /// answer shows the secret, this once.
    pub async fn subscribe(
        &self,
        event: EventType,
        url: String,
    ) -> Result<WebhookSubscription, ApiError> {
        let already = self
            .subscriptions
            .lock()
            .expect("subscriptions lock")
            .iter()
            .any(|s| s.event == event && s.url == url);
        if already {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "subscription_exists",
                "Subscription Exists",
                format!(
                    "this URL is already subscribed to {}; delete that subscription to subscribe again",
                    event.name()
                ),
            ));
        }
        let verification = self
            .client
            .post(&url)
            .header(WebhookHeaders::EVENT_TYPE, SUBSCRIPTION_VERIFICATION)
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
        let answer = WebhookSubscription {
            secret: Some(subscription.secret.clone()),
            ..subscription.to_wire()
        };
        self.subscriptions
            .lock()
            .expect("subscriptions lock")
            .push(subscription);
        Ok(answer)
    }

    /// The subscriptions, without secrets, oldest first.
    pub fn subscriptions(&self) -> Vec<WebhookSubscription> {
        self.subscriptions
            .lock()
            .expect("subscriptions lock")
            .iter()
            .map(Subscription::to_wire)
            .collect()
    }

    /// One subscription, without its secret.
    pub fn subscription(&self, id: &str) -> Result<WebhookSubscription, ApiError> {
        self.subscriptions
            .lock()
            .expect("subscriptions lock")
            .iter()
            .find(|s| s.id == id)
            .map(Subscription::to_wire)
            .ok_or_else(|| ApiError::not_found("Webhook", id))
    }

    /// Ends a subscription; answers it as it was.
    pub fn unsubscribe(&self, id: &str) -> Result<WebhookSubscription, ApiError> {
        let mut subscriptions = self.subscriptions.lock().expect("subscriptions lock");
        let index = subscriptions
            .iter()
            .position(|s| s.id == id)
            .ok_or_else(|| ApiError::not_found("Webhook", id))?;
        Ok(subscriptions.remove(index).to_wire())
    }
}

impl Sandbox {
    /// Publishes the webhooks of `changes` (once the data lock is released).
    pub(crate) fn publish(&self, changes: crate::model::Changes) {
        for (event, entity, body) in changes.into_events() {
            self.webhooks().publish(event, &entity, &body);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::KEPT_RECORDS;

    fn attempt(n: usize) -> DeliveryRecord {
        DeliveryRecord {
            webhook_id: format!("w{n}"),
            event_type: EventType::IdentificationSession.name(),
            url: "http://127.0.0.1:1/hook".into(),
            attempt: 1,
            status: Some(200),
        }
    }

    #[test]
    fn the_controls_keep_the_latest_deliveries_only() {
        let webhooks = Webhooks::new(Duration::from_millis(1), 1, false);
        for n in 0..KEPT_RECORDS + 5 {
            webhooks.record(attempt(n));
        }
        let kept = webhooks.deliveries();
        assert_eq!(kept.len(), KEPT_RECORDS);
        assert_eq!(kept[0].webhook_id, "w5", "the oldest five are forgotten");
        assert_eq!(
            kept.last().unwrap().webhook_id,
            format!("w{}", KEPT_RECORDS + 4)
        );
    }
}
