//! Results delivered to the partner's systems: events in an outbox, written in the same
//! transaction as the change they report, and delivered as signed webhooks.
//!
//! The format follows Standard Webhooks 1.0: headers `webhook-id` (the event id, the same on
//! every retry: dedupe on it), `webhook-timestamp` (Unix seconds of this attempt) and
//! `webhook-signature` (`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` under the
//! secret's bytes). A receiver rejects timestamps outside its replay window (five minutes).
//! Deliveries retry with backoff for a little over three days ([`RETRY_DELAYS`]); any backend
//! instance may deliver (an attempt leases the event for a minute); every attempt is logged.

use std::time::{Duration, Instant};

use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use sqlx::FromRow;

use crate::AppState;
use crate::ids::random_hex;
use crate::store::{Onboarding, Store};

/// Seconds to wait after each failed attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h,
/// 24 h (Standard Webhooks' schedule). Ten attempts over 75 h 35 min; then the event is failed.
pub const RETRY_DELAYS: [i64; 9] = [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400];
/// How long one instance holds an event it is delivering.
const LEASE_SECONDS: i64 = 60;
/// Time limit of one delivery.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);
/// Events claimed at a time.
const BATCH: i64 = 20;
/// How often an instance looks for due events.
const POLL_INTERVAL: Duration = Duration::from_secs(1);
/// Longest receiver error text kept in the delivery log.
const MAX_ERROR_CHARS: usize = 200;

/// What happened to an onboarding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartnerEventType {
    /// A Solaris identification session opened: the customer is on their way to the webview.
    SessionOpened,
    /// The onboarding has its final outcome.
    Ended,
}

impl PartnerEventType {
    /// The event's `type`.
    pub fn name(self) -> &'static str {
        match self {
            PartnerEventType::SessionOpened => "onboarding.session_opened",
            PartnerEventType::Ended => "onboarding.ended",
        }
    }
}

/// The body of a webhook: ids and the outcome, no other personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PartnerEvent {
    /// The event id (also in `webhook-id`): the same on every retry.
    pub id: String,
    /// `onboarding.session_opened` or `onboarding.ended`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// When the change happened (RFC 3339, UTC).
    pub timestamp: String,
    /// What changed.
    pub data: PartnerEventData,
}

/// The onboarding as the event reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PartnerEventData {
    /// The onboarding (the partner API's id).
    pub onboarding_id: String,
    /// The partner's reference for the customer (none in the demo mode).
    pub customer_reference: Option<String>,
    /// The Solaris person.
    pub person_id: Option<String>,
    /// The Solaris identification session.
    pub session_id: Option<String>,
    /// `onboarding.ended`: the outcome category (`success`, `stop`, …).
    pub category: Option<String>,
    /// `onboarding.ended`: the guide's Appendix III code of a failure.
    pub error_code: Option<String>,
    /// `onboarding.ended`: the identification that decided the outcome, when one did.
    pub identification_id: Option<String>,
}

fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Writes the event of a change into the outbox, inside the change's transaction.
pub(crate) async fn record_event(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    event_type: PartnerEventType,
    onboarding_id: &str,
) -> Result<(), sqlx::Error> {
    let onboarding: Onboarding = sqlx::query_as(&format!(
        "SELECT {} FROM onboardings WHERE id = $1",
        crate::store::ONBOARDING_COLUMNS
    ))
    .bind(onboarding_id)
    .fetch_one(&mut **transaction)
    .await?;
    let ended = event_type == PartnerEventType::Ended;
    let event = PartnerEvent {
        id: format!("evt_{}", random_hex(16)),
        event_type: event_type.name().to_string(),
        timestamp: crate::store::now(),
        data: PartnerEventData {
            onboarding_id: onboarding.id,
            customer_reference: onboarding.customer_reference,
            person_id: onboarding.person_id,
            session_id: onboarding.session_id,
            category: onboarding.outcome_category.filter(|_| ended),
            error_code: onboarding.error_code.filter(|_| ended),
            identification_id: onboarding.identification_id.filter(|_| ended),
        },
    };
    let payload = serde_json::to_string(&event).expect("events serialize");
    let now = unix_now();
    sqlx::query(
        "INSERT INTO partner_events (id, onboarding_id, event_type, payload, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&event.id)
    .bind(&event.data.onboarding_id)
    .bind(&event.event_type)
    .bind(payload)
    .bind(now)
    .bind(now)
    .execute(&mut **transaction)
    .await
    .map(|_| ())
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

/// An event claimed for delivery.
#[derive(Debug, FromRow)]
struct DueEvent {
    id: String,
    payload: String,
    attempts: i64,
}

/// An event as the partner API's delivery log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, utoipa::ToSchema)]
pub struct EventRecord {
    /// The event id.
    pub id: String,
    /// Its type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// `pending` (delivering or waiting for a retry), `delivered` or `failed` (every retry
    /// used up).
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// When the next attempt is due (Unix seconds), while pending.
    pub next_attempt_at: Option<i64>,
    /// When it was delivered (Unix seconds).
    pub delivered_at: Option<i64>,
    /// When it was written (Unix seconds).
    pub created_at: i64,
    /// Every attempt, oldest first.
    #[sqlx(skip)]
    pub deliveries: Vec<DeliveryRecord>,
}

/// One delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, utoipa::ToSchema)]
pub struct DeliveryRecord {
    /// 1 for the first attempt.
    pub attempt: i64,
    /// When (Unix seconds).
    pub attempted_at: i64,
    /// The receiver's HTTP status; none when it could not be reached.
    pub status_code: Option<i64>,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// How long it took.
    pub duration_ms: i64,
}

/// What an attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Attempt {
    status_code: Option<u16>,
    error: Option<String>,
    duration_ms: i64,
}

impl Attempt {
    fn delivered(&self) -> bool {
        self.status_code
            .is_some_and(|code| (200..300).contains(&code))
    }
}

impl Store {
    /// Claims up to [`BATCH`] due events for delivery (leased for a minute, so a crashed
    /// instance's events come back), counting the attempt.
    async fn claim_due_events(&self, now: i64) -> Result<Vec<DueEvent>, sqlx::Error> {
        // The outer condition is checked again on the row itself: an event another instance
        // claimed meanwhile is not claimed twice, whatever the engine's isolation.
        let due = "status = 'pending' AND next_attempt_at <= $2 AND (locked_until IS NULL OR locked_until <= $2)";
        sqlx::query_as(&format!(
            "UPDATE partner_events SET locked_until = $1, attempts = attempts + 1 WHERE {due} AND id IN \
             (SELECT id FROM partner_events WHERE {due} ORDER BY next_attempt_at LIMIT $3{}) \
             RETURNING id, payload, attempts",
            self.engine.skip_locked()
        ))
        .bind(now + LEASE_SECONDS)
        .bind(now)
        .bind(BATCH)
        .fetch_all(&self.pool)
        .await
    }

    /// Logs an attempt and schedules what follows: delivered, a retry, or failed for good.
    async fn record_attempt(
        &self,
        event: &DueEvent,
        now: i64,
        attempt: &Attempt,
    ) -> Result<(), sqlx::Error> {
        let mut transaction = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO partner_deliveries (id, event_id, attempt, attempted_at, status_code, error, duration_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(random_hex(16))
        .bind(&event.id)
        .bind(event.attempts)
        .bind(now)
        .bind(attempt.status_code.map(i64::from))
        .bind(attempt.error.as_deref())
        .bind(attempt.duration_ms)
        .execute(&mut *transaction)
        .await?;
        let retry_in = usize::try_from(event.attempts - 1)
            .ok()
            .and_then(|index| RETRY_DELAYS.get(index));
        let query = match (attempt.delivered(), retry_in) {
            (true, _) => sqlx::query(
                "UPDATE partner_events SET status = 'delivered', delivered_at = $1, locked_until = NULL WHERE id = $2",
            )
            .bind(now),
            (false, Some(delay)) => sqlx::query(
                "UPDATE partner_events SET next_attempt_at = $1, locked_until = NULL WHERE id = $2",
            )
            .bind(now + delay),
            (false, None) => {
                sqlx::query("UPDATE partner_events SET status = 'failed', locked_until = $1 WHERE id = $2")
                    .bind(Option::<i64>::None)
            }
        };
        query.bind(&event.id).execute(&mut *transaction).await?;
        transaction.commit().await
    }

    /// How many events wait for a delivery, and how many failed for good.
    pub async fn partner_event_backlog(&self) -> Result<(i64, i64), sqlx::Error> {
        sqlx::query_as(
            "SELECT COUNT(*) FILTER (WHERE status = 'pending'), COUNT(*) FILTER (WHERE status = 'failed') FROM partner_events",
        )
        .fetch_one(&self.pool)
        .await
    }

    /// The events of an onboarding with their delivery attempts, oldest first.
    pub async fn events_of(&self, onboarding_id: &str) -> Result<Vec<EventRecord>, sqlx::Error> {
        let mut events: Vec<EventRecord> = sqlx::query_as(
            "SELECT id, event_type, status, attempts, \
             CASE WHEN status = 'pending' THEN next_attempt_at END AS next_attempt_at, delivered_at, created_at \
             FROM partner_events WHERE onboarding_id = $1 ORDER BY created_at, id",
        )
        .bind(onboarding_id)
        .fetch_all(&self.pool)
        .await?;
        for event in &mut events {
            event.deliveries = sqlx::query_as(
                "SELECT attempt, attempted_at, status_code, error, duration_ms FROM partner_deliveries \
                 WHERE event_id = $1 ORDER BY attempt",
            )
            .bind(&event.id)
            .fetch_all(&self.pool)
            .await?;
        }
        Ok(events)
    }
}

/// Delivers the events due at `now` (Unix seconds) once each; returns how many were
/// delivered. The background loop calls it every second; tests call it with a later `now`.
pub async fn deliver_due(state: &AppState, now: i64) -> Result<usize, sqlx::Error> {
    let Some(webhook) = &state.config.partner.webhook else {
        return Ok(0);
    };
    let due = state.store.claim_due_events(now).await?;
    let mut delivered = 0;
    for event in &due {
        let attempt = send(&state.partner_http, webhook, event).await;
        if attempt.delivered() {
            delivered += 1;
        } else {
            tracing::warn!(event_id = %event.id, attempt = event.attempts, status = ?attempt.status_code, "partner webhook not delivered");
        }
        state.store.record_attempt(event, now, &attempt).await?;
    }
    Ok(delivered)
}

/// One signed POST of an event to the partner.
async fn send(
    client: &reqwest::Client,
    webhook: &crate::config::PartnerWebhook,
    event: &DueEvent,
) -> Attempt {
    let timestamp = unix_now();
    let started = Instant::now();
    let result = client
        .post(&webhook.url)
        .timeout(DELIVERY_TIMEOUT)
        .header("content-type", "application/json")
        .header("webhook-id", &event.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header(
            "webhook-signature",
            signature(webhook.secret.bytes(), &event.id, timestamp, &event.payload),
        )
        .body(event.payload.clone())
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
            Attempt {
                status_code: Some(status.as_u16()),
                error,
                duration_ms,
            }
        }
        Err(error) => Attempt {
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

/// Delivers due events for as long as the backend runs.
pub async fn keep_delivering(state: AppState) {
    if state.config.partner.webhook.is_none() {
        return;
    }
    loop {
        if let Err(error) = deliver_due(&state, unix_now()).await {
            tracing::error!(%error, "partner webhook delivery stopped for a moment");
        }
        tokio::time::sleep(POLL_INTERVAL).await;
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
    fn retries_last_more_than_three_days() {
        let total: i64 = RETRY_DELAYS.iter().sum();
        assert!(total > 3 * 24 * 3600, "{total} s");
        assert!(RETRY_DELAYS.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
