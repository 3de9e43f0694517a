//! Results delivered to the partner's systems: events in an outbox, written in the same
//! transaction as the change they report, and delivered as signed webhooks.
//!
//! The format follows Standard Webhooks 1.0: headers `webhook-id` (the event id, the same on
//! every retry: dedupe on it), `webhook-timestamp` (Unix seconds of this attempt) and
//! `webhook-signature` (`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` under the
//! secret's bytes). A receiver rejects timestamps outside its replay window (five minutes).
//! Deliveries retry with backoff for a little over three days ([`RETRY_DELAYS`]); any backend
//! instance may deliver. An instance claims one event at a time under a lease that outlasts
//! the send's time limit, and records the attempt only while that lease is still its own: two
//! instances never send an event at once, and an instance whose lease ran out cannot overwrite
//! what another recorded since. Every attempt recorded is logged.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::PartnerWebhook;
use crate::store::Store;
pub use crate::store::event_log::{DeliveryRecord, EventDelivery, EventRecord, ListedEvent};
use crate::store::outbox::{DeliveryAttempt, NextStep};
pub use crate::store::outbox::{EventStatus, PartnerEvent, PartnerEventData, PartnerEventType};
use crate::telemetry::metrics;

/// Seconds to wait after each failed attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h,
/// 24 h (Standard Webhooks' schedule). Ten attempts over 75 h 35 min; then the event is failed.
pub const RETRY_DELAYS: [i64; 9] = [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400];
/// Time limit of one delivery, connecting included.
pub const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);
/// How much longer than the send's time limit a lease lasts: the clock's whole seconds and
/// writing the attempt down.
const LEASE_MARGIN_SECONDS: i64 = 5;
/// Events one call of [`PartnerDelivery::deliver_due`] delivers at most, one after the other.
const BATCH: usize = 20;
/// How often an instance looks for due events.
const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// Longest receiver error text kept in the delivery log.
const MAX_ERROR_CHARS: usize = 200;

fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The `webhook-signature` value of a delivery: `v1,` and the base64 HMAC-SHA256 of
/// `"{id}.{timestamp}.{body}"` under the secret's bytes.
pub fn signature(secret: &[u8], id: &str, timestamp: i64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    )
}

/// The `webhook-signature` header of a delivery: one signature per configured secret, space
/// separated (Standard Webhooks), so a receiver that knows any one of them verifies it.
fn signatures(webhook: &PartnerWebhook, id: &str, timestamp: i64, body: &str) -> String {
    webhook
        .secrets
        .iter()
        .map(|secret| signature(secret.bytes(), id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the receiver took the event (any 2xx).
fn delivered(attempt: &DeliveryAttempt) -> bool {
    attempt
        .status_code
        .is_some_and(|code| (200..300).contains(&code))
}

/// What follows the `attempts`-th attempt since the event was queued, at `now`: done, a retry
/// after the next of [`RETRY_DELAYS`], or failed once they are used up.
fn next_step(attempt: &DeliveryAttempt, attempts: i64, now: i64) -> NextStep {
    if delivered(attempt) {
        return NextStep::Delivered;
    }
    usize::try_from(attempts - 1)
        .ok()
        .and_then(|index| RETRY_DELAYS.get(index))
        .map_or(NextStep::Failed, |delay| NextStep::RetryAt(now + delay))
}

/// The `type` of the test ping.
pub const TEST_EVENT_TYPE: &str = "webhook.test";

/// The body of the test ping (`webhook.test`), signed as every delivery is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct TestPing {
    /// `evt_test_` and 32 hex digits (also in `webhook-id`).
    pub id: String,
    /// Always `webhook.test`.
    #[serde(rename = "type")]
    #[schema(example = "webhook.test")]
    pub event_type: &'static str,
    /// When it was sent.
    #[schema(format = DateTime)]
    pub timestamp: String,
    /// Always empty.
    #[schema(value_type = Object)]
    pub data: serde_json::Map<String, serde_json::Value>,
}

/// How the partner's receiver answered the test ping.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct TestDelivery {
    /// The test event's id (its `webhook-id`).
    pub event_id: String,
    /// Whether the receiver answered 2xx.
    pub delivered: bool,
    /// The receiver's HTTP status; none when it could not be reached.
    pub status_code: Option<u16>,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// How long it took.
    pub duration_ms: i64,
}

/// Delivers the partner's webhook events. One per instance; any instance may deliver.
pub struct PartnerDelivery {
    store: Store,
    /// The partner's receiver; none: events are not delivered.
    webhook: Option<PartnerWebhook>,
    /// The HTTP client that delivers (no redirects followed).
    client: reqwest::Client,
    /// Time limit of one send.
    timeout: Duration,
}

impl PartnerDelivery {
    /// Delivery of `store`'s events to `webhook`, when one is configured.
    pub fn new(store: Store, webhook: Option<PartnerWebhook>) -> PartnerDelivery {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .build()
            .expect("the HTTP client's TLS setup is static");
        PartnerDelivery {
            store,
            webhook,
            client,
            timeout: DELIVERY_TIMEOUT,
        }
    }

    /// The same delivery with another time limit per send (the lease follows it).
    pub fn with_timeout(self, timeout: Duration) -> PartnerDelivery {
        PartnerDelivery { timeout, ..self }
    }

    /// How long a claim holds an event: longer than any send can take.
    fn lease_seconds(&self) -> i64 {
        let timeout = i64::try_from(self.timeout.as_secs()).unwrap_or(i64::MAX / 2);
        timeout
            .saturating_add(1)
            .saturating_add(LEASE_MARGIN_SECONDS)
    }

    /// Delivers the events due at `now` (Unix seconds) once each; returns how many were
    /// delivered. The background loop calls it every second; tests call it with a later `now`.
    pub async fn deliver_due(&self, now: i64) -> Result<usize, sqlx::Error> {
        let Some(webhook) = &self.webhook else {
            return Ok(0);
        };
        let mut delivered_count = 0;
        for _ in 0..BATCH {
            // The lease starts at the later of the caller's time and the clock's: a claim made
            // after earlier sends of this call still covers its own send.
            let lease_until = now.max(unix_now()) + self.lease_seconds();
            let Some(event) = self.store.claim_due_event(now, lease_until).await? else {
                break;
            };
            let attempt = send(
                &self.client,
                webhook,
                (&event.id, &event.payload),
                self.timeout,
            )
            .await;
            let next = next_step(&attempt, event.attempts - event.retry_from, now);
            if !self
                .store
                .record_attempt(&event, now, &attempt, next)
                .await?
            {
                metrics::partner_delivery("lease_lost");
                tracing::warn!(event_id = %event.id, attempt = event.attempts, "partner webhook lease ran out during its send: another instance took the event over, this attempt is not recorded");
                continue;
            }
            metrics::partner_delivery(match next {
                NextStep::Delivered => "delivered",
                NextStep::RetryAt(_) => "retry",
                NextStep::Failed => "failed",
            });
            if delivered(&attempt) {
                delivered_count += 1;
            } else {
                tracing::warn!(event_id = %event.id, attempt = event.attempts, status = ?attempt.status_code, "partner webhook not delivered");
            }
        }
        Ok(delivered_count)
    }

    /// Sends a signed `webhook.test` event to the partner's receiver now, outside the outbox
    /// (nothing is recorded or retried), and tells how the receiver answered. `None` without a
    /// webhook URL.
    pub async fn send_test(&self) -> Option<TestDelivery> {
        let webhook = self.webhook.as_ref()?;
        let id = format!("evt_test_{}", crate::ids::random_hex(16));
        let payload = serde_json::to_string(&TestPing {
            id: id.clone(),
            event_type: TEST_EVENT_TYPE,
            timestamp: crate::timestamps::now(),
            data: serde_json::Map::new(),
        })
        .expect("a ping serializes");
        let attempt = send(&self.client, webhook, (&id, &payload), self.timeout).await;
        Some(TestDelivery {
            event_id: id,
            delivered: delivered(&attempt),
            status_code: attempt.status_code,
            error: attempt.error,
            duration_ms: attempt.duration_ms,
        })
    }

    /// Delivers due events for as long as the backend runs.
    pub async fn keep_delivering(self: Arc<Self>) {
        if self.webhook.is_none() {
            return;
        }
        loop {
            if let Err(error) = self.deliver_due(unix_now()).await {
                tracing::error!(%error, "partner webhook delivery stopped for a moment");
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }
}

/// One signed POST of an event to the partner.
async fn send(
    client: &reqwest::Client,
    webhook: &PartnerWebhook,
    (id, payload): (&str, &str),
    timeout: Duration,
) -> DeliveryAttempt {
    let timestamp = unix_now();
    let started = Instant::now();
    let result = client
        .post(&webhook.url)
        .timeout(timeout)
        .header("content-type", "application/json")
        .header("webhook-id", id)
        .header("webhook-timestamp", timestamp.to_string())
        .header(
            "webhook-signature",
            signatures(webhook, id, timestamp, payload),
        )
        .body(payload.to_string())
        .send()
        .await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    match result {
        Ok(response) => {
            let status = response.status();
            let error = (!status.is_success()).then(|| {
                format!("the receiver answered {status}")
                    .chars()
                    .take(MAX_ERROR_CHARS)
                    .collect()
            });
            DeliveryAttempt {
                status_code: Some(status.as_u16()),
                error,
                duration_ms,
            }
        }
        Err(error) => DeliveryAttempt {
            status_code: None,
            error: Some(if error.is_timeout() {
                "the receiver did not answer in time".to_string()
            } else {
                "the receiver could not be reached".to_string()
            }),
            duration_ms,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification (its test vector).
        let secret = base64::engine::general_purpose::STANDARD
            .decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .unwrap();
        assert_eq!(
            signature(
                &secret,
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                r#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn an_attempt_is_followed_by_the_next_retry_until_they_are_used_up() {
        let refused = DeliveryAttempt {
            status_code: Some(500),
            error: Some("the receiver answered 500".into()),
            duration_ms: 3,
        };
        assert_eq!(next_step(&refused, 1, 1_000), NextStep::RetryAt(1_005));
        assert_eq!(next_step(&refused, 9, 1_000), NextStep::RetryAt(87_400));
        assert_eq!(next_step(&refused, 10, 1_000), NextStep::Failed);
        let taken = DeliveryAttempt {
            status_code: Some(204),
            ..refused
        };
        assert_eq!(next_step(&taken, 10, 1_000), NextStep::Delivered);
    }

    #[test]
    fn retries_last_more_than_three_days() {
        let total: i64 = RETRY_DELAYS.iter().sum();
        assert!(total > 3 * 24 * 3600, "{total} s");
        assert!(RETRY_DELAYS.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
