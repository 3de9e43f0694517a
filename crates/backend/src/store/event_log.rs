//! The partner's events read back: every event in the order it was committed (with a cursor and
//! filters), an onboarding's events with every delivery attempt, the backlog, and events queued
//! again for delivery on the partner's request.

use serde::Serialize;
use sqlx::{FromRow, Row};

use super::Store;
use super::outbox::{EventStatus, PartnerEvent, PartnerEventType};

/// An event as the partner API's delivery log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, utoipa::ToSchema)]
pub struct EventRecord {
    /// The event id.
    pub id: String,
    /// Its type.
    #[serde(rename = "type")]
    #[sqlx(try_from = "String")]
    pub event_type: PartnerEventType,
    /// Where its delivery stands.
    #[sqlx(try_from = "String")]
    pub status: EventStatus,
    /// Attempts made.
    pub attempts: i64,
    /// When the next attempt is due, while pending.
    #[serde(serialize_with = "crate::timestamps::unix_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_attempt_at: Option<i64>,
    /// When it was delivered.
    #[serde(serialize_with = "crate::timestamps::unix_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub delivered_at: Option<i64>,
    /// When it was written.
    #[serde(serialize_with = "crate::timestamps::unix")]
    #[schema(value_type = String, format = DateTime)]
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
    /// When.
    #[serde(serialize_with = "crate::timestamps::unix")]
    #[schema(value_type = String, format = DateTime)]
    pub attempted_at: i64,
    /// The receiver's HTTP status; none when it could not be reached.
    pub status_code: Option<i64>,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// How long it took.
    pub duration_ms: i64,
}

/// Which events a page of the event list holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFilter {
    /// Only events after the one with this id (the cursor).
    pub starting_after: Option<String>,
    /// Only events of this type.
    pub event_type: Option<PartnerEventType>,
    /// Only events written at or after this Unix second.
    pub created_gte: Option<i64>,
    /// Only events written before this Unix second.
    pub created_lt: Option<i64>,
    /// At most this many.
    pub limit: i64,
}

/// An event as the event list shows it: the body as delivered, and its delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ListedEvent {
    /// The event, exactly as its webhook carries it.
    #[serde(flatten)]
    pub event: PartnerEvent,
    /// Where its delivery stands.
    pub delivery: EventDelivery,
}

/// Where an event's delivery stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, utoipa::ToSchema)]
pub struct EventDelivery {
    /// `pending`, `delivered`, `failed` or `not_sent`.
    #[sqlx(try_from = "String")]
    pub status: EventStatus,
    /// Attempts made.
    pub attempts: i64,
    /// When the next attempt is due, while pending.
    #[serde(serialize_with = "crate::timestamps::unix_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub next_attempt_at: Option<i64>,
    /// When it was delivered.
    #[serde(serialize_with = "crate::timestamps::unix_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub delivered_at: Option<i64>,
}

/// What asking for an event again found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requeued {
    /// It is due now.
    Queued,
    /// An instance is sending it right now; it is not queued twice.
    BeingSent,
    /// There is no such event.
    Unknown,
}

/// The columns of an event's delivery, with `next_attempt_at` only while it is pending.
const DELIVERY_COLUMNS: &str = "status, attempts, \
    CASE WHEN status = 'pending' THEN next_attempt_at END AS next_attempt_at, delivered_at";

/// The partner's events not delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backlog {
    /// Waiting for a delivery (or a retry).
    pub pending: i64,
    /// Every retry used up.
    pub failed: i64,
    /// How long the oldest pending one has waited, in seconds (0 without one).
    pub oldest_pending_age_seconds: i64,
}

impl Store {
    /// The partner's events still waiting for a delivery, and those that failed for good.
    pub async fn partner_event_backlog(&self) -> Result<Backlog, sqlx::Error> {
        let (pending, failed, oldest): (i64, i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*) FILTER (WHERE status = 'pending'), COUNT(*) FILTER (WHERE status = 'failed'), \
             MIN(CASE WHEN status = 'pending' THEN created_at END) FROM partner_events",
        )
        .fetch_one(&self.pool)
        .await?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        Ok(Backlog {
            pending,
            failed,
            oldest_pending_age_seconds: oldest.map_or(0, |created| (now - created).max(0)),
        })
    }

    /// The events of an onboarding with their delivery attempts, oldest first.
    pub async fn events_of(&self, onboarding_id: &str) -> Result<Vec<EventRecord>, sqlx::Error> {
        let mut events: Vec<EventRecord> = sqlx::query_as(
            "SELECT id, event_type, status, attempts, \
             CASE WHEN status = 'pending' THEN next_attempt_at END AS next_attempt_at, delivered_at, created_at \
             FROM partner_events WHERE onboarding_id = $1 ORDER BY sequence",
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

    /// One page of the events in the order they were committed. `None`: `starting_after`
    /// names no event.
    pub async fn list_events(
        &self,
        filter: &EventFilter,
    ) -> Result<Option<Vec<ListedEvent>>, sqlx::Error> {
        let after = match &filter.starting_after {
            None => 0,
            Some(id) => {
                let sequence: Option<i64> =
                    sqlx::query_scalar("SELECT sequence FROM partner_events WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                match sequence {
                    Some(sequence) => sequence,
                    None => return Ok(None),
                }
            }
        };
        // Numbered by hand: sqlx's QueryBuilder writes `?` for the Any driver, which
        // PostgreSQL does not take.
        let mut conditions = vec!["sequence > $1".to_string()];
        let mut next = 2;
        let mut condition = |text: &str| {
            conditions.push(format!("{text} ${next}"));
            next += 1;
        };
        if filter.event_type.is_some() {
            condition("event_type =");
        }
        if filter.created_gte.is_some() {
            condition("created_at >=");
        }
        if filter.created_lt.is_some() {
            condition("created_at <");
        }
        let sql = format!(
            "SELECT payload, {DELIVERY_COLUMNS} FROM partner_events WHERE {} ORDER BY sequence LIMIT ${next}",
            conditions.join(" AND ")
        );
        let mut query = sqlx::query(&sql).bind(after);
        if let Some(event_type) = filter.event_type {
            query = query.bind(event_type.name());
        }
        if let Some(gte) = filter.created_gte {
            query = query.bind(gte);
        }
        if let Some(lt) = filter.created_lt {
            query = query.bind(lt);
        }
        let rows = query.bind(filter.limit).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let payload: String = row.try_get("payload")?;
                let event =
                    serde_json::from_str(&payload).map_err(|error| sqlx::Error::ColumnDecode {
                        index: "payload".into(),
                        source: Box::new(error),
                    })?;
                Ok(ListedEvent {
                    event,
                    delivery: EventDelivery::from_row(row)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map(Some)
    }

    /// Queues an event for delivery at `now` again, whatever its status, with a fresh retry
    /// schedule; an event an instance is sending right now is left to that instance.
    pub async fn requeue_event(&self, id: &str, now: i64) -> Result<Requeued, sqlx::Error> {
        let queued = sqlx::query(
            "UPDATE partner_events SET status = 'pending', next_attempt_at = $1, retry_from = attempts, \
             locked_until = NULL, lease_id = NULL \
             WHERE id = $2 AND NOT (status = 'pending' AND locked_until IS NOT NULL AND locked_until > $1)",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if queued == 1 {
            return Ok(Requeued::Queued);
        }
        let exists: Option<String> =
            sqlx::query_scalar("SELECT id FROM partner_events WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(if exists.is_some() {
            Requeued::BeingSent
        } else {
            Requeued::Unknown
        })
    }

    /// Queues every event of `status` (`failed` or `not_sent`) for delivery at `now`, each with
    /// a fresh retry schedule; returns how many.
    pub async fn requeue_events(&self, status: EventStatus, now: i64) -> Result<u64, sqlx::Error> {
        sqlx::query(
            "UPDATE partner_events SET status = 'pending', next_attempt_at = $1, retry_from = attempts, \
             locked_until = NULL, lease_id = NULL WHERE status = $2",
        )
        .bind(now)
        .bind(status.code())
        .execute(&self.pool)
        .await
        .map(|done| done.rows_affected())
    }
}
