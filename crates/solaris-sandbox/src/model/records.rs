//! What the test controls keep: injected faults, and the bounded records (SMS, webhook
//! delivery attempts).

use std::time::Duration;

use axum::http::StatusCode;

/// A fault for the next `remaining` calls whose path starts with `path_prefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// Calls whose path starts with this are affected.
    pub path_prefix: String,
    /// Only calls with this method, if set.
    pub method: Option<String>,
    /// Answer with this status (in Solaris' error envelope) instead of handling the call.
    pub status: Option<StatusCode>,
    /// Wait this long first (then answer normally, or with `status`).
    pub delay: Duration,
    /// Never answer.
    pub drop: bool,
    /// Handle the call, then never answer: the change is made, its answer is lost.
    pub lose_answer: bool,
    /// How many more calls this fault affects.
    pub remaining: u32,
    /// `Retry-After` seconds sent with the injected status (Solaris' rate limit sends one).
    pub retry_after_seconds: Option<u64>,
}

/// How many SMS and webhook delivery attempts the controls keep (the latest): an emulator that
/// runs for long (the embedded one in a demo, a load benchmark) does not grow without bound.
pub const KEPT_RECORDS: usize = 10_000;

/// Adds `record` to `records`, forgetting the oldest beyond [`KEPT_RECORDS`].
pub fn keep_latest<T>(records: &mut std::collections::VecDeque<T>, record: T) {
    if records.len() >= KEPT_RECORDS {
        records.pop_front();
    }
    records.push_back(record);
}
