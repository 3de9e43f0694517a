//! An onboarding as stored: its columns, its row mapping and its typed states.

use std::str::FromStr;

use bankident_domain::{IdentificationMode, OutcomeCategory};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

/// The columns of an onboarding, as every query that reads one names them.
pub(crate) const ONBOARDING_COLUMNS: &str = "id, customer_reference, language, person_id, mobile_number_created, session_id, \
     session_url, outcome_state, outcome_category, error_code, identification_id, known_identification_ids, \
     session_opened_at, ended_at, person_requested_at, mode, bank_identification_id, code_sent_at, code_valid_until, \
     erased_at, erased_by, previous_onboarding_id, next_onboarding_id, created_at, updated_at";

/// An onboarding: one customer's identification, for the partner's customer or (demo mode)
/// for one browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Onboarding {
    /// Our id (the partner API's; never in a customer's URL, never sent to the browser).
    pub id: String,
    /// The partner's id for its customer; `None` in the demo mode.
    pub customer_reference: Option<String>,
    /// The language the partner chose for the customer (`de`, `en`).
    pub language: Option<String>,
    /// The Solaris person, once created.
    pub person_id: Option<String>,
    /// Whether the mobile number was added to the person.
    pub mobile_number_created: bool,
    /// The latest identification session.
    pub session_id: Option<String>,
    /// Its webview URL.
    pub session_url: Option<String>,
    /// Not started, pending or final.
    pub outcome_state: OnboardingState,
    /// The outcome category once final.
    pub outcome_category: Option<OutcomeCategory>,
    /// The Appendix III code of a failure.
    pub error_code: Option<String>,
    /// The identification that decided the final outcome, when one did.
    pub identification_id: Option<String>,
    /// The identifications the person had when the current session opened.
    pub known_identification_ids: IdList,
    /// When the latest session opened (RFC 3339).
    pub session_opened_at: Option<String>,
    /// When the outcome became final (RFC 3339).
    pub ended_at: Option<String>,
    /// When a person creation was sent whose answer never came (RFC 3339): look the person up
    /// before creating another.
    pub person_requested_at: Option<String>,
    /// The partner's choice of mode for this onboarding (`webview`, `api`); `None`: the
    /// backend's default.
    pub mode: Option<IdentificationMode>,
    /// API mode: the bank identification our screens created and follow.
    pub bank_identification_id: Option<String>,
    /// API mode: when the latest SMS code was requested (Unix seconds), for the resend cool-down.
    pub code_sent_at: Option<i64>,
    /// API mode: until when the current signature code works (Unix seconds, our clock).
    pub code_valid_until: Option<i64>,
    /// When it was erased (RFC 3339): it is a tombstone since.
    pub erased_at: Option<String>,
    /// At whose request it was erased (`partner`, `solaris`, `retention`).
    pub erased_by: Option<String>,
    /// The customer's onboarding this one identifies anew (the partner asked for it).
    pub previous_onboarding_id: Option<String>,
    /// The customer's onboarding that identifies them anew, once the partner asked for one.
    pub next_onboarding_id: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl FromRow<'_, AnyRow> for Onboarding {
    fn from_row(row: &AnyRow) -> Result<Onboarding, sqlx::Error> {
        Ok(Onboarding {
            id: row.try_get("id")?,
            customer_reference: row.try_get("customer_reference")?,
            language: row.try_get("language")?,
            person_id: row.try_get("person_id")?,
            // Stored as 0 or 1: neither engine's integer reads as a bool through `Any`.
            mobile_number_created: row.try_get::<i64, _>("mobile_number_created")? != 0,
            session_id: row.try_get("session_id")?,
            session_url: row.try_get("session_url")?,
            outcome_state: decoded(row, "outcome_state", |text| text.parse().ok())?,
            outcome_category: row
                .try_get::<Option<String>, _>("outcome_category")?
                .map(|text| {
                    OutcomeCategory::parse(&text)
                        .ok_or_else(|| unreadable("outcome_category", &text))
                })
                .transpose()?,
            error_code: row.try_get("error_code")?,
            identification_id: row.try_get("identification_id")?,
            known_identification_ids: IdList::from(
                row.try_get::<String, _>("known_identification_ids")?,
            ),
            session_opened_at: row.try_get("session_opened_at")?,
            ended_at: row.try_get("ended_at")?,
            person_requested_at: row.try_get("person_requested_at")?,
            mode: row
                .try_get::<Option<String>, _>("mode")?
                .map(|text| {
                    IdentificationMode::parse(&text).ok_or_else(|| unreadable("mode", &text))
                })
                .transpose()?,
            bank_identification_id: row.try_get("bank_identification_id")?,
            code_sent_at: row.try_get("code_sent_at")?,
            code_valid_until: row.try_get("code_valid_until")?,
            erased_at: row.try_get("erased_at")?,
            erased_by: row.try_get("erased_by")?,
            previous_onboarding_id: row.try_get("previous_onboarding_id")?,
            next_onboarding_id: row.try_get("next_onboarding_id")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// A column read as text and parsed by `parse`.
fn decoded<T>(
    row: &AnyRow,
    column: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, sqlx::Error> {
    let text: String = row.try_get(column)?;
    parse(&text).ok_or_else(|| unreadable(column, &text))
}

/// The error of a stored value this build does not know (a newer release wrote it).
fn unreadable(column: &str, text: &str) -> sqlx::Error {
    sqlx::Error::ColumnDecode {
        index: column.to_string(),
        source: format!("unknown value {text:?}").into(),
    }
}

/// Where an onboarding stands, as stored (the outcome page's `unfinished` is worked out from
/// Solaris, never stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnboardingState {
    /// No identification was opened.
    NotStarted,
    /// An identification is open or under way.
    Pending,
    /// The outcome is final.
    Final,
    /// The partner cancelled it before it ended: nothing more happens in it.
    Cancelled,
}

impl OnboardingState {
    /// Every state.
    pub const ALL: [OnboardingState; 4] = [
        OnboardingState::NotStarted,
        OnboardingState::Pending,
        OnboardingState::Final,
        OnboardingState::Cancelled,
    ];

    /// The state as stored and shown to the partner (`not_started`, `pending`, `final`,
    /// `cancelled`).
    pub fn as_str(self) -> &'static str {
        match self {
            OnboardingState::NotStarted => "not_started",
            OnboardingState::Pending => "pending",
            OnboardingState::Final => "final",
            OnboardingState::Cancelled => "cancelled",
        }
    }

    /// Whether nothing more happens in the onboarding: it ended, or was cancelled.
    pub fn is_over(self) -> bool {
        matches!(self, OnboardingState::Final | OnboardingState::Cancelled)
    }
}

impl FromStr for OnboardingState {
    type Err = String;

    fn from_str(text: &str) -> Result<OnboardingState, String> {
        OnboardingState::ALL
            .into_iter()
            .find(|state| state.as_str() == text)
            .ok_or_else(|| format!("unknown onboarding state {text:?}"))
    }
}

/// Identification ids, stored space-separated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdList(pub Vec<String>);

impl From<String> for IdList {
    fn from(stored: String) -> IdList {
        IdList(stored.split_whitespace().map(str::to_string).collect())
    }
}

impl std::ops::Deref for IdList {
    type Target = Vec<String>;
    fn deref(&self) -> &Vec<String> {
        &self.0
    }
}

impl PartialEq<[String]> for IdList {
    fn eq(&self, other: &[String]) -> bool {
        self.0 == other
    }
}

impl<const N: usize> PartialEq<[String; N]> for IdList {
    fn eq(&self, other: &[String; N]) -> bool {
        self.0 == other
    }
}

/// How an onboarding ended, as it is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    /// What the customer does next.
    pub category: OutcomeCategory,
    /// Appendix III code.
    pub error_code: Option<String>,
    /// The identification that decided it.
    pub identification_id: Option<String>,
}
