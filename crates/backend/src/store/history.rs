//! The append-only history of each onboarding: every change of its state, when, and what
//! caused it. It is written in the same transaction as the change, by [`Store::report`] (the
//! changes the partner hears of) and by the forgetting of a person Solaris no longer knows.

use serde::Serialize;
use sqlx::FromRow;

use super::Store;

/// What made an onboarding's state change (and, for an erasure, who asked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// The customer's browser (opening, continuing, the outcome page asking Solaris).
    Customer,
    /// The partner API (asking how it stands, erasing), with the name of the call's API key.
    Partner(String),
    /// A delivery from Solaris.
    SolarisWebhook,
    /// The retention policy.
    Retention,
}

impl Cause {
    /// What kind of cause it is.
    pub fn kind(&self) -> ChangeCause {
        match self {
            Cause::Customer => ChangeCause::Customer,
            Cause::Partner(_) => ChangeCause::Partner,
            Cause::SolarisWebhook => ChangeCause::SolarisWebhook,
            Cause::Retention => ChangeCause::Retention,
        }
    }

    /// As stored and shown.
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// The name of the partner's API key, when the partner made the change.
    pub fn api_key_name(&self) -> Option<&str> {
        match self {
            Cause::Partner(name) => Some(name),
            _ => None,
        }
    }
}

/// What made a change, as the history shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeCause {
    /// The customer's browser.
    Customer,
    /// The partner API (the entry names the API key).
    Partner,
    /// A delivery from Solaris.
    SolarisWebhook,
    /// The retention policy.
    Retention,
}

impl ChangeCause {
    const ALL: [ChangeCause; 4] = [
        ChangeCause::Customer,
        ChangeCause::Partner,
        ChangeCause::SolarisWebhook,
        ChangeCause::Retention,
    ];

    /// As stored and shown.
    pub fn code(self) -> &'static str {
        match self {
            ChangeCause::Customer => "customer",
            ChangeCause::Partner => "partner",
            ChangeCause::SolarisWebhook => "solaris_webhook",
            ChangeCause::Retention => "retention",
        }
    }
}

impl TryFrom<String> for ChangeCause {
    type Error = String;

    fn try_from(stored: String) -> Result<ChangeCause, String> {
        ChangeCause::ALL
            .into_iter()
            .find(|cause| cause.code() == stored)
            .ok_or_else(|| format!("unknown cause {stored:?}"))
    }
}

/// A state in the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HistoryState {
    /// No identification opened.
    NotStarted,
    /// An identification open or under way.
    Pending,
    /// A final outcome.
    Final,
    /// Cancelled by the partner.
    Cancelled,
    /// Erased.
    Erased,
}

impl HistoryState {
    const ALL: [HistoryState; 5] = [
        HistoryState::NotStarted,
        HistoryState::Pending,
        HistoryState::Final,
        HistoryState::Cancelled,
        HistoryState::Erased,
    ];

    /// As stored and shown.
    pub fn code(self) -> &'static str {
        match self {
            HistoryState::NotStarted => "not_started",
            HistoryState::Pending => "pending",
            HistoryState::Final => "final",
            HistoryState::Cancelled => "cancelled",
            HistoryState::Erased => "erased",
        }
    }
}

impl TryFrom<String> for HistoryState {
    type Error = String;

    fn try_from(stored: String) -> Result<HistoryState, String> {
        HistoryState::ALL
            .into_iter()
            .find(|state| state.code() == stored)
            .ok_or_else(|| format!("unknown history state {stored:?}"))
    }
}

/// One change of an onboarding's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, utoipa::ToSchema)]
pub struct HistoryEntry {
    /// 1 for the first change.
    pub position: i64,
    /// When.
    #[serde(serialize_with = "crate::timestamps::stored")]
    #[schema(format = DateTime)]
    pub at: String,
    /// The state before.
    #[serde(rename = "from")]
    #[sqlx(rename = "from_state", try_from = "String")]
    pub from_state: HistoryState,
    /// The state after.
    #[serde(rename = "to")]
    #[sqlx(rename = "to_state", try_from = "String")]
    pub to_state: HistoryState,
    /// The outcome category, for a change to `final`.
    #[schema(value_type = Option<bankident_domain::OutcomeCategory>)]
    pub category: Option<String>,
    /// The guide's Appendix III code of a failure, for a change to `final`.
    pub error_code: Option<String>,
    /// What made the change.
    #[sqlx(try_from = "String")]
    pub cause: ChangeCause,
    /// The name of the API key the partner made the change with.
    pub api_key_name: Option<String>,
}

/// Appends a change to an onboarding's history inside the change's transaction; the state
/// before is the one the last entry ended in.
pub(super) async fn record_transition(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    onboarding_id: &str,
    to: HistoryState,
    outcome: (Option<&str>, Option<&str>),
    cause: &Cause,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO onboarding_history (onboarding_id, position, at, from_state, to_state, category, error_code, cause, api_key_name) \
         SELECT $1, COALESCE(MAX(position), 0) + 1, $2, \
         COALESCE((SELECT to_state FROM onboarding_history WHERE onboarding_id = $1 ORDER BY position DESC LIMIT 1), 'not_started'), \
         $3, $4, $5, $6, $7 FROM onboarding_history WHERE onboarding_id = $1",
    )
    .bind(onboarding_id)
    .bind(super::now())
    .bind(to.code())
    .bind(outcome.0)
    .bind(outcome.1)
    .bind(cause.code())
    .bind(cause.api_key_name())
    .execute(&mut **transaction)
    .await
    .map(|_| ())
}

impl Store {
    /// An onboarding's history, oldest first.
    pub async fn history_of(&self, onboarding_id: &str) -> Result<Vec<HistoryEntry>, sqlx::Error> {
        sqlx::query_as(
            "SELECT position, at, from_state, to_state, category, error_code, cause, api_key_name FROM onboarding_history \
             WHERE onboarding_id = $1 ORDER BY position",
        )
        .bind(onboarding_id)
        .fetch_all(&self.pool)
        .await
    }
}
