//! The partner's events, for reconciliation and replay: every event in the order it was
//! committed, one page at a time with a cursor, and events delivered again on request (one, or
//! every `failed` or `not_sent` one).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};

use super::Onboardings;
use crate::error::{PartnerError, ProblemCode};
use crate::partner_events::{EventStatus, ListedEvent, PartnerEventType};
use crate::store::event_log::{EventFilter, Requeued};

/// Events or onboardings a page holds unless `limit` says otherwise.
pub const DEFAULT_PAGE_SIZE: i64 = 20;
/// The most a page holds.
pub const MAX_PAGE_SIZE: i64 = 100;

/// `GET /partner/v1/events`: which events, as given (checked by [`Onboardings::partner_event_list`]).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// Only events after this one (the `next_starting_after` of the page before).
    pub starting_after: Option<String>,
    /// How many events (1 to 100; 20 if not given).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// Only events of this type.
    #[serde(rename = "type")]
    #[param(rename = "type", value_type = Option<PartnerEventType>)]
    pub event_type: Option<String>,
    /// Only events that happened at or after this time (RFC 3339, to the second).
    #[param(value_type = Option<String>, format = DateTime)]
    pub created_gte: Option<String>,
    /// Only events that happened before this time (RFC 3339, to the second).
    #[param(value_type = Option<String>, format = DateTime)]
    pub created_lt: Option<String>,
}

/// One page of events, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    /// The events, in the order they were committed.
    pub events: Vec<ListedEvent>,
    /// Whether more events follow this page.
    pub has_more: bool,
    /// The `starting_after` of the next page (the last event's id), when more follow.
    pub next_starting_after: Option<String>,
}

/// `POST /partner/v1/events/redeliver`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeliveryRequest {
    /// Which events to deliver again: `failed` (every retry used up) or `not_sent` (written
    /// while no webhook URL was configured).
    #[schema(value_type = RedeliverableStatus)]
    pub status: String,
}

/// The statuses whose events can be delivered again all at once (for the OpenAPI document;
/// the request is checked by [`Onboardings::partner_redeliver_all`], which names the field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RedeliverableStatus {
    /// Every retry was used up.
    Failed,
    /// Written while no webhook URL was configured.
    NotSent,
}

/// How many events were queued again.
#[derive(Debug, Serialize, ToSchema)]
pub struct RedeliveryQueued {
    /// Events now pending, each with a fresh retry schedule.
    pub queued: u64,
}

/// A time parameter of the partner API's lists, in Unix seconds, or what is wrong with it.
pub(super) fn time_parameter(field: &str, text: Option<&str>) -> Result<Option<i64>, PartnerError> {
    text.map(|text| {
        OffsetDateTime::parse(text, &Rfc3339)
            .map(OffsetDateTime::unix_timestamp)
            .map_err(|_| {
                PartnerError::invalid(
                    field,
                    "not_a_time",
                    format!("{field} must be an RFC 3339 time such as 2026-12-01T00:00:00Z"),
                )
            })
    })
    .transpose()
}

/// A page's size as asked for (`limit`), or what is wrong with it: the partner API's lists
/// share it.
pub(super) fn page_limit(text: Option<&str>) -> Result<i64, PartnerError> {
    match text {
        None => Ok(DEFAULT_PAGE_SIZE),
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|limit| (1..=MAX_PAGE_SIZE).contains(limit))
            .ok_or_else(|| {
                PartnerError::invalid(
                    "limit",
                    "out_of_range",
                    format!("limit must be a whole number from 1 to {MAX_PAGE_SIZE}"),
                )
            }),
    }
}

/// The filter a query asks for, or what is wrong with it.
fn filter_of(query: &EventQuery) -> Result<EventFilter, PartnerError> {
    let limit = page_limit(query.limit.as_deref())?;
    let event_type = query
        .event_type
        .as_deref()
        .map(|name| {
            PartnerEventType::named(name).ok_or_else(|| {
                let known: Vec<&str> = PartnerEventType::ALL.iter().map(|t| t.name()).collect();
                PartnerError::invalid(
                    "type",
                    "unknown_value",
                    format!("type must be one of {}", known.join(", ")),
                )
            })
        })
        .transpose()?;
    let created_gte = time_parameter("created_gte", query.created_gte.as_deref())?;
    let created_lt = time_parameter("created_lt", query.created_lt.as_deref())?;
    if let (Some(gte), Some(lt)) = (created_gte, created_lt)
        && gte >= lt
    {
        return Err(PartnerError::invalid(
            "created_lt",
            "order",
            "created_gte must be before created_lt",
        ));
    }
    Ok(EventFilter {
        starting_after: query.starting_after.clone(),
        event_type,
        created_gte,
        created_lt,
        limit,
    })
}

impl Onboardings {
    /// One page of every event, whether or not a webhook URL was configured when it happened.
    pub async fn partner_event_list(&self, query: &EventQuery) -> Result<EventPage, PartnerError> {
        let filter = filter_of(query)?;
        // One more than asked says whether more follow.
        let asked = EventFilter {
            limit: filter.limit + 1,
            ..filter.clone()
        };
        let mut events = self
            .store
            .list_events(&asked)
            .await?
            .ok_or_else(|| {
                PartnerError::invalid(
                    "starting_after",
                    "unknown_cursor",
                    "starting_after names no event (an erased one, or one removed by the retention policy?)",
                )
            })?;
        let has_more = events.len() > usize::try_from(filter.limit).unwrap_or(usize::MAX);
        events.truncate(usize::try_from(filter.limit).unwrap_or(usize::MAX));
        let next_starting_after = has_more
            .then(|| events.last().map(|listed| listed.event.id.clone()))
            .flatten();
        Ok(EventPage {
            events,
            has_more,
            next_starting_after,
        })
    }

    /// Delivers one event again, whatever its status, with a fresh retry schedule.
    pub async fn partner_redeliver(&self, id: &str) -> Result<(), PartnerError> {
        self.require_webhook()?;
        match self.store.requeue_event(id, unix_now()).await? {
            Requeued::Queued => Ok(()),
            Requeued::BeingSent => Err(PartnerError::refused(
                ProblemCode::BeingDelivered,
                "the event is being delivered right now; see its delivery in a moment",
            )),
            Requeued::Unknown => Err(PartnerError::NotFound("event")),
        }
    }

    /// Delivers every `failed` or `not_sent` event again.
    pub async fn partner_redeliver_all(
        &self,
        request: &RedeliveryRequest,
    ) -> Result<RedeliveryQueued, PartnerError> {
        let status = match request.status.as_str() {
            "failed" => EventStatus::Failed,
            "not_sent" => EventStatus::NotSent,
            _ => {
                return Err(PartnerError::invalid(
                    "status",
                    "unknown_value",
                    "status must be failed or not_sent",
                ));
            }
        };
        self.require_webhook()?;
        let queued = self.store.requeue_events(status, unix_now()).await?;
        Ok(RedeliveryQueued { queued })
    }

    /// Redelivery needs somewhere to deliver to.
    fn require_webhook(&self) -> Result<(), PartnerError> {
        if self.config.partner.webhook.is_some() {
            Ok(())
        } else {
            Err(PartnerError::refused(
                ProblemCode::NoWebhook,
                "no webhook URL is configured (BANKIDENT_PARTNER_WEBHOOK_URL); list the events instead",
            ))
        }
    }
}

fn unix_now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(limit: Option<&str>, event_type: Option<&str>) -> EventQuery {
        EventQuery {
            limit: limit.map(str::to_string),
            event_type: event_type.map(str::to_string),
            ..EventQuery::default()
        }
    }

    #[test]
    fn a_page_holds_twenty_events_unless_told_otherwise_and_never_more_than_a_hundred() {
        assert_eq!(filter_of(&query(None, None)).unwrap().limit, 20);
        assert_eq!(filter_of(&query(Some("100"), None)).unwrap().limit, 100);
        for refused in ["0", "101", "-1", "ten", ""] {
            let Err(PartnerError::Invalid { detail, errors }) =
                filter_of(&query(Some(refused), None))
            else {
                panic!("limit {refused:?} accepted");
            };
            assert!(detail.contains("1 to 100"), "{detail}");
            assert_eq!(errors[0].field, "limit");
        }
    }

    #[test]
    fn the_type_and_times_are_checked() {
        assert_eq!(
            filter_of(&query(None, Some("onboarding.ended")))
                .unwrap()
                .event_type,
            Some(PartnerEventType::Ended)
        );
        let Err(PartnerError::Invalid { detail, .. }) =
            filter_of(&query(None, Some("onboarding.created")))
        else {
            panic!("an unknown type accepted");
        };
        assert!(detail.contains("onboarding.session_opened"), "{detail}");
        let backwards = EventQuery {
            created_gte: Some("2026-12-02T00:00:00Z".into()),
            created_lt: Some("2026-12-01T00:00:00Z".into()),
            ..EventQuery::default()
        };
        assert!(matches!(
            filter_of(&backwards),
            Err(PartnerError::Invalid { .. })
        ));
        let not_a_time = EventQuery {
            created_gte: Some("yesterday".into()),
            ..EventQuery::default()
        };
        let Err(PartnerError::Invalid { detail, errors }) = filter_of(&not_a_time) else {
            panic!("a time that is not one accepted");
        };
        assert!(detail.starts_with("created_gte"), "{detail}");
        assert_eq!(errors[0].problem, "not_a_time");
    }
}
