//! The partner's outbox: events written in the same transaction as the change they report, the
//! claims of events for delivery and the log of their attempts. Delivery itself (signing,
//! sending, the retry schedule) is [`crate::partner_events`]'; reading the events back is
//! [`super::event_log`]'s.

use serde::{Deserialize, Serialize};
use sqlx::FromRow;

use super::{ONBOARDING_COLUMNS, Onboarding, Store};
use crate::ids::random_hex;

/// What happened to an onboarding: the event's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum PartnerEventType {
    /// A Solaris identification session opened: the customer is on their way to the webview
    /// (in the API mode: an identification was opened).
    #[serde(rename = "onboarding.session_opened")]
    SessionOpened,
    /// The onboarding has its final outcome.
    #[serde(rename = "onboarding.ended")]
    Ended,
    /// The partner cancelled the onboarding before it ended.
    #[serde(rename = "onboarding.cancelled")]
    Cancelled,
    /// What we held about the customer was erased; only the onboarding's id remains.
    #[serde(rename = "onboarding.erased")]
    Erased,
}

impl TryFrom<String> for PartnerEventType {
    type Error = String;

    fn try_from(stored: String) -> Result<PartnerEventType, String> {
        PartnerEventType::named(&stored).ok_or_else(|| format!("unknown event type {stored:?}"))
    }
}

impl PartnerEventType {
    /// Every event type.
    pub const ALL: [PartnerEventType; 4] = [
        PartnerEventType::SessionOpened,
        PartnerEventType::Ended,
        PartnerEventType::Cancelled,
        PartnerEventType::Erased,
    ];

    /// The event's `type`.
    pub fn name(self) -> &'static str {
        match self {
            PartnerEventType::SessionOpened => "onboarding.session_opened",
            PartnerEventType::Ended => "onboarding.ended",
            PartnerEventType::Cancelled => "onboarding.cancelled",
            PartnerEventType::Erased => "onboarding.erased",
        }
    }

    /// The event type called `name`.
    pub fn named(name: &str) -> Option<PartnerEventType> {
        PartnerEventType::ALL
            .into_iter()
            .find(|event_type| event_type.name() == name)
    }
}

/// Where an event's delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// Being delivered, or waiting for its next attempt.
    Pending,
    /// The receiver took it.
    Delivered,
    /// Every retry was used up; it can be asked for again.
    Failed,
    /// No webhook URL was configured when it happened; it can be asked for once one is.
    NotSent,
}

impl EventStatus {
    /// Every status.
    pub const ALL: [EventStatus; 4] = [
        EventStatus::Pending,
        EventStatus::Delivered,
        EventStatus::Failed,
        EventStatus::NotSent,
    ];

    /// The status as stored and shown.
    pub fn code(self) -> &'static str {
        match self {
            EventStatus::Pending => "pending",
            EventStatus::Delivered => "delivered",
            EventStatus::Failed => "failed",
            EventStatus::NotSent => "not_sent",
        }
    }
}

impl TryFrom<String> for EventStatus {
    type Error = String;

    fn try_from(stored: String) -> Result<EventStatus, String> {
        EventStatus::ALL
            .into_iter()
            .find(|status| status.code() == stored)
            .ok_or_else(|| format!("unknown event status {stored:?}"))
    }
}

/// The body of a webhook: ids and the outcome, no other personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({
    "id": "evt_5f0c2a8e8a354a579d0c3b1f6e3c1a2b", "type": "onboarding.ended", "timestamp": "2026-11-26T15:58:40Z",
    "data": {"onboarding_id": "0c6f1d2e3a4b5c6d7e8f9a0b1c2d3e4f", "customer_reference": "customer-4711",
             "person_id": "9a1b2c3d4e5f60718293a4b5c6d7e8f9cper", "session_id": "3c4d5e6f708192a3b4c5d6e7f8091a2bises",
             "category": "success", "error_code": null, "identification_id": "a7a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9cidt"}
}))]
pub struct PartnerEvent {
    /// The event id (also in `webhook-id`): the same on every retry.
    pub id: String,
    /// What happened.
    #[serde(rename = "type")]
    pub event_type: PartnerEventType,
    /// When the change happened.
    #[serde(serialize_with = "crate::timestamps::stored")]
    #[schema(format = DateTime)]
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
    /// `onboarding.ended`: the outcome category.
    pub category: Option<bankident_domain::OutcomeCategory>,
    /// `onboarding.ended`: the guide's Appendix III code of a failure.
    pub error_code: Option<String>,
    /// `onboarding.ended`: the identification that decided the outcome, when one did.
    pub identification_id: Option<String>,
}

/// Writes the event of a change into the outbox, inside the change's transaction: `pending`
/// for delivery, or `not_sent` without a webhook URL. It takes the next number of the event
/// sequence, whose lock the transaction then holds until it commits.
pub(crate) async fn record_event(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    event_type: PartnerEventType,
    onboarding_id: &str,
    for_delivery: bool,
) -> Result<(PartnerEvent, Option<bankident_domain::IdentificationMode>), sqlx::Error> {
    let onboarding: Onboarding = sqlx::query_as(&format!(
        "SELECT {ONBOARDING_COLUMNS} FROM onboardings WHERE id = $1"
    ))
    .bind(onboarding_id)
    .fetch_one(&mut **transaction)
    .await?;
    let mode = onboarding.mode;
    let ended = event_type == PartnerEventType::Ended;
    // An erasure names the onboarding and the partner's reference only.
    let ids = event_type != PartnerEventType::Erased;
    let event = PartnerEvent {
        id: format!("evt_{}", random_hex(16)),
        event_type,
        timestamp: crate::timestamps::now(),
        data: PartnerEventData {
            onboarding_id: onboarding.id,
            customer_reference: onboarding.customer_reference,
            person_id: onboarding.person_id.filter(|_| ids),
            session_id: onboarding.session_id.filter(|_| ids),
            category: onboarding.outcome_category.filter(|_| ended),
            error_code: onboarding.error_code.filter(|_| ended),
            identification_id: onboarding.identification_id.filter(|_| ended),
        },
    };
    let payload = serde_json::to_string(&event).expect("events serialize");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let sequence: i64 = sqlx::query_scalar(
        "UPDATE partner_event_sequence SET last = last + 1 WHERE id = 1 RETURNING last",
    )
    .fetch_one(&mut **transaction)
    .await?;
    let status = if for_delivery {
        EventStatus::Pending
    } else {
        EventStatus::NotSent
    };
    sqlx::query(
        "INSERT INTO partner_events (id, onboarding_id, event_type, payload, status, next_attempt_at, created_at, sequence) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&event.id)
    .bind(&event.data.onboarding_id)
    .bind(event.event_type.name())
    .bind(payload)
    .bind(status.code())
    .bind(now)
    .bind(now)
    .bind(sequence)
    .execute(&mut **transaction)
    .await?;
    Ok((event, mode))
}

/// How often a claim picks another candidate after other instances took the one it picked.
const CLAIM_TRIES: usize = 3;

/// An event claimed for delivery, under a lease of its own.
#[derive(Debug, FromRow)]
pub(crate) struct DueEvent {
    /// The event id.
    pub id: String,
    /// Its body, as signed and sent.
    pub payload: String,
    /// Attempts made, this one included.
    pub attempts: i64,
    /// The lease this attempt holds: its outcome is recorded only while the lease is still
    /// this one.
    pub lease_id: String,
    /// The attempt count when the event was last queued: the retry schedule counts from there.
    pub retry_from: i64,
}

/// One delivery attempt as it is logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeliveryAttempt {
    /// The receiver's HTTP status; none when it could not be reached.
    pub status_code: Option<u16>,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// How long it took.
    pub duration_ms: i64,
}

/// What follows an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NextStep {
    /// The receiver took the event.
    Delivered,
    /// Try again at this Unix second.
    RetryAt(i64),
    /// Every retry is used up.
    Failed,
}

impl Store {
    /// Claims the next event due at `now` for one delivery, leased until `locked_until` (so a
    /// crashed instance's event comes back), counting the attempt. One event per lease, so the
    /// lease covers exactly the one send its holder makes. `None`: nothing is due, or other
    /// instances took each candidate first.
    pub(crate) async fn claim_due_event(
        &self,
        now: i64,
        locked_until: i64,
    ) -> Result<Option<DueEvent>, sqlx::Error> {
        let due = "status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)";
        for _ in 0..CLAIM_TRIES {
            let candidate: Option<String> = sqlx::query_scalar(&format!(
                "SELECT id FROM partner_events WHERE {due} ORDER BY next_attempt_at, created_at LIMIT 1"
            ))
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
            let Some(candidate) = candidate else {
                return Ok(None);
            };
            // The condition is checked again on the row itself, so of two instances that
            // picked the same candidate one claims it and the other tries the next.
            let claimed = sqlx::query_as(&format!(
                "UPDATE partner_events SET locked_until = $2, lease_id = $3, attempts = attempts + 1 \
                 WHERE id = $4 AND {due} RETURNING id, payload, attempts, lease_id, retry_from"
            ))
            .bind(now)
            .bind(locked_until)
            .bind(random_hex(16))
            .bind(&candidate)
            .fetch_optional(&self.pool)
            .await?;
            if claimed.is_some() {
                return Ok(claimed);
            }
        }
        Ok(None)
    }

    /// Logs an attempt and records what follows it (delivered, a retry, or failed for good),
    /// if the event is still under the attempt's lease. `false`: the lease ran out and another
    /// instance has claimed the event since, so nothing is recorded and what that instance
    /// records stands.
    pub(crate) async fn record_attempt(
        &self,
        event: &DueEvent,
        now: i64,
        attempt: &DeliveryAttempt,
        next: NextStep,
    ) -> Result<bool, sqlx::Error> {
        let mut transaction = self.pool.begin().await?;
        let (set, value) = match next {
            NextStep::Delivered => ("status = 'delivered', delivered_at = $1", Some(now)),
            NextStep::RetryAt(at) => ("next_attempt_at = $1", Some(at)),
            // Never delivered: `delivered_at` stays empty (and $1 has a place to go).
            NextStep::Failed => ("status = 'failed', delivered_at = $1", None),
        };
        let sql = format!(
            "UPDATE partner_events SET {set}, locked_until = NULL, lease_id = NULL \
             WHERE id = $2 AND lease_id = $3 AND status = 'pending'"
        );
        let updated = sqlx::query(&sql)
            .bind(value)
            .bind(&event.id)
            .bind(&event.lease_id)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        if updated == 0 {
            transaction.rollback().await?;
            return Ok(false);
        }
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
        transaction.commit().await?;
        Ok(true)
    }
}
