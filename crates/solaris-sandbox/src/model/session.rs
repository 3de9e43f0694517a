//! An identification session (the webview) as the emulator holds it.

use bankident_domain::SessionStatus;
use time::OffsetDateTime;

/// An identification session.
#[derive(Debug, Clone)]
pub struct Session {
    /// `…ises`.
    pub id: String,
    /// The person it identifies.
    pub person_id: String,
    /// The secret last path segment of its URL.
    pub token: String,
    /// Where the customer goes at the end.
    pub callback_url: String,
    /// As requested.
    pub identification_methods: Vec<String>,
    /// Current status.
    pub status: SessionStatus,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// The latest identification started in it.
    pub identification_id: Option<String>,
}
