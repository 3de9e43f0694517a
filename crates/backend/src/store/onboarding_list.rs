//! The partner's onboardings, one page at a time: in the order they last changed (so a partner
//! that syncs sees each change again after the ones it has), filtered by state, by the time of
//! the change and by its reference. Erased onboardings are not listed.

use super::{ONBOARDING_COLUMNS, Onboarding, OnboardingState, Store};

/// Which onboardings a page holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OnboardingFilter {
    /// Only onboardings in this state.
    pub state: Option<OnboardingState>,
    /// Only those changed at or after this time (RFC 3339, as stored).
    pub updated_since: Option<String>,
    /// Only the one with this reference.
    pub customer_reference: Option<String>,
    /// Only those after this one in the order (its `updated_at` and id when it was listed).
    pub after: Option<(String, String)>,
    /// At most this many.
    pub limit: i64,
}

impl Store {
    /// One page of onboardings, in the order they last changed, then by id.
    pub async fn list_onboardings(
        &self,
        filter: &OnboardingFilter,
    ) -> Result<Vec<Onboarding>, sqlx::Error> {
        let mut conditions = vec!["erased_at IS NULL".to_string()];
        let mut next = 1;
        let mut placeholder = || {
            let text = format!("${next}");
            next += 1;
            text
        };
        if filter.state.is_some() {
            conditions.push(format!("outcome_state = {}", placeholder()));
        }
        if filter.updated_since.is_some() {
            conditions.push(format!("updated_at >= {}", placeholder()));
        }
        if filter.customer_reference.is_some() {
            conditions.push(format!("customer_reference = {}", placeholder()));
        }
        if filter.after.is_some() {
            let (at, id) = (placeholder(), placeholder());
            conditions.push(format!(
                "(updated_at > {at} OR (updated_at = {at} AND id > {id}))"
            ));
        }
        let sql = format!(
            "SELECT {ONBOARDING_COLUMNS} FROM onboardings WHERE {} ORDER BY updated_at, id LIMIT {}",
            conditions.join(" AND "),
            placeholder()
        );
        let mut query = sqlx::query_as(&sql);
        if let Some(state) = filter.state {
            query = query.bind(state.as_str());
        }
        if let Some(since) = &filter.updated_since {
            query = query.bind(since);
        }
        if let Some(reference) = &filter.customer_reference {
            query = query.bind(reference);
        }
        if let Some((at, id)) = &filter.after {
            query = query.bind(at).bind(id);
        }
        query.bind(filter.limit).fetch_all(&self.pool).await
    }
}
