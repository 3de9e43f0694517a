//! The partner's onboardings listed, for reconciliation: filtered by state, by when they last
//! changed and by reference, one page at a time with a cursor.

use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Onboardings;
use super::events::{page_limit, time_parameter};
use super::partner::{OnboardingSummary, check_reference};
use crate::error::PartnerError;
use crate::store::{OnboardingFilter, OnboardingState, rfc3339};

/// `GET /partner/v1/onboardings`: which onboardings, as given.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OnboardingQuery {
    /// Only onboardings in this state.
    #[param(value_type = Option<OnboardingState>)]
    pub state: Option<String>,
    /// Only those that changed at or after this time (RFC 3339; to the second, and a page may
    /// also hold changes of the second before).
    #[param(value_type = Option<String>, format = DateTime)]
    pub updated_since: Option<String>,
    /// Only the onboarding of this customer reference.
    pub customer_reference: Option<String>,
    /// The `next_cursor` of the page before.
    pub cursor: Option<String>,
    /// How many onboardings (1 to 100; 20 if not given).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
}

/// One page of onboardings, in the order they last changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct OnboardingPage {
    /// The onboardings as stored (ask for one by id for its documents and Solaris' latest).
    pub onboardings: Vec<OnboardingSummary>,
    /// Whether more follow this page.
    pub has_more: bool,
    /// The `cursor` of the next page, when more follow.
    pub next_cursor: Option<String>,
}

/// A cursor: where the last onboarding of a page stood in the order when it was listed.
fn cursor_of(updated_at: &str, id: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{updated_at}\n{id}"))
}

fn position_of(cursor: &str) -> Option<(String, String)> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (at, id) = text.split_once('\n')?;
    Some((at.to_string(), id.to_string()))
}

/// The filter a query asks for, or what is wrong with it.
fn filter_of(query: &OnboardingQuery) -> Result<OnboardingFilter, PartnerError> {
    let state = query
        .state
        .as_deref()
        .map(|text| {
            text.parse::<OnboardingState>().map_err(|_| {
                let known: Vec<&str> = OnboardingState::ALL.iter().map(|s| s.as_str()).collect();
                PartnerError::invalid(
                    "state",
                    "unknown_value",
                    format!("state must be one of {}", known.join(", ")),
                )
            })
        })
        .transpose()?;
    // Stored times carry fractions of a second; one second earlier takes in every change of
    // the second asked for.
    let updated_since = time_parameter("updated_since", query.updated_since.as_deref())?
        .map(|since| rfc3339(since - 1));
    let customer_reference = query
        .customer_reference
        .as_deref()
        .map(|reference| check_reference(reference).map(str::to_string))
        .transpose()?;
    let after = query
        .cursor
        .as_deref()
        .map(|cursor| {
            position_of(cursor).ok_or_else(|| {
                PartnerError::invalid(
                    "cursor",
                    "unknown_cursor",
                    "cursor must be a next_cursor this API gave",
                )
            })
        })
        .transpose()?;
    Ok(OnboardingFilter {
        state,
        updated_since,
        customer_reference,
        after,
        limit: page_limit(query.limit.as_deref())?,
    })
}

impl Onboardings {
    /// One page of the partner's onboardings (erased ones are not listed).
    pub async fn partner_list(
        &self,
        query: &OnboardingQuery,
    ) -> Result<OnboardingPage, PartnerError> {
        let filter = filter_of(query)?;
        let asked = OnboardingFilter {
            limit: filter.limit + 1,
            ..filter.clone()
        };
        let mut found = self.store.list_onboardings(&asked).await?;
        let limit = usize::try_from(filter.limit).unwrap_or(usize::MAX);
        let has_more = found.len() > limit;
        found.truncate(limit);
        let next_cursor = has_more
            .then(|| {
                found
                    .last()
                    .map(|last| cursor_of(&last.updated_at, &last.id))
            })
            .flatten();
        Ok(OnboardingPage {
            onboardings: found
                .into_iter()
                .map(|onboarding| self.summary(onboarding))
                .collect(),
            has_more,
            next_cursor,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_gives_back_the_position_it_was_made_from() {
        let cursor = cursor_of("2026-12-04T03:22:29.5Z", "0c6f");
        assert_eq!(
            position_of(&cursor),
            Some(("2026-12-04T03:22:29.5Z".into(), "0c6f".into()))
        );
        assert_eq!(position_of("not a cursor!"), None);
        assert_eq!(position_of("bm8gbmV3bGluZQ"), None, "no newline inside");
    }

    #[test]
    fn the_filters_are_checked() {
        let query = |state: &str| OnboardingQuery {
            state: Some(state.into()),
            ..OnboardingQuery::default()
        };
        assert_eq!(
            filter_of(&query("final")).unwrap().state,
            Some(OnboardingState::Final)
        );
        assert!(matches!(
            filter_of(&query("done")),
            Err(PartnerError::Invalid { .. })
        ));
        let since = OnboardingQuery {
            updated_since: Some("2026-12-04T10:00:00Z".into()),
            ..OnboardingQuery::default()
        };
        assert_eq!(
            filter_of(&since).unwrap().updated_since.as_deref(),
            Some("2026-12-04T09:59:59Z")
        );
        let bad_cursor = OnboardingQuery {
            cursor: Some("%%%".into()),
            ..OnboardingQuery::default()
        };
        assert!(matches!(
            filter_of(&bad_cursor),
            Err(PartnerError::Invalid { .. })
        ));
    }
}
