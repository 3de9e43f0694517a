//! The backend's metrics for Prometheus: the one catalog of their names and labels, recorded
//! through the `metrics` facade where things happen and rendered as Prometheus text on the
//! management port. Every label value comes from a closed set (route templates, Solaris
//! endpoints with their ids replaced, codes, doors), never an id or personal data.

use std::sync::OnceLock;
use std::time::Duration;

use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// Requests answered, by `route` (the route's template; `app` for the app's pages and files),
/// `method` and `status`.
pub const HTTP_REQUESTS: &str = "bankident_http_requests_total";
/// How long requests took, by `route` and `method`.
pub const HTTP_DURATION: &str = "bankident_http_request_duration_seconds";
/// Calls to Solaris, by `endpoint` (ids replaced), `method` and `status` (the HTTP status, or
/// `unreachable`, `no_answer`).
pub const SOLARIS_CALLS: &str = "bankident_solaris_calls_total";
/// How long calls to Solaris took, by `endpoint` and `method`.
pub const SOLARIS_DURATION: &str = "bankident_solaris_call_duration_seconds";
/// Calls to Solaris tried again, by `endpoint`.
pub const SOLARIS_RETRIES: &str = "bankident_solaris_retries_total";
/// Solaris' webhooks received, by `event`.
pub const SOLARIS_WEBHOOKS_RECEIVED: &str = "bankident_solaris_webhooks_received_total";
/// Solaris' webhooks refused, by `reason`.
pub const SOLARIS_WEBHOOKS_REJECTED: &str = "bankident_solaris_webhooks_rejected_total";
/// Solaris' webhooks applied, by `event`.
pub const SOLARIS_WEBHOOKS_PROCESSED: &str = "bankident_solaris_webhooks_processed_total";
/// Identifications opened, by `mode`.
pub const ONBOARDINGS_OPENED: &str = "bankident_onboardings_opened_total";
/// Onboardings that reached an outcome, by `mode`, `category` and `code` (the guide's
/// Appendix III code, `none` for a success, `other` for one the guide does not list).
pub const ONBOARDINGS_ENDED: &str = "bankident_onboardings_ended_total";
/// Onboardings cancelled by the partner.
pub const ONBOARDINGS_CANCELLED: &str = "bankident_onboardings_cancelled_total";
/// Onboardings erased, by `by` (`partner`, `solaris`, `retention`).
pub const ONBOARDINGS_ERASED: &str = "bankident_onboardings_erased_total";
/// Delivery attempts of the partner's webhooks, by `result` (`delivered`, `retry`, `failed`:
/// every retry used up, `lease_lost`: another instance took the event over).
pub const PARTNER_DELIVERIES: &str = "bankident_partner_deliveries_total";
/// The partner's events waiting for a delivery (read from the database at each scrape).
pub const PARTNER_EVENTS_PENDING: &str = "bankident_partner_events_pending";
/// The partner's events whose every retry was used up.
pub const PARTNER_EVENTS_FAILED: &str = "bankident_partner_events_failed";
/// How long the oldest pending event has waited, in seconds (0 without one).
pub const PARTNER_EVENTS_OLDEST_PENDING_AGE: &str =
    "bankident_partner_events_oldest_pending_age_seconds";
/// Requests refused by a rate limit, by `door`.
pub const RATE_LIMITED: &str = "bankident_rate_limited_total";
/// Database connections of this instance, by `state` (`idle`, `in_use`).
pub const DB_CONNECTIONS: &str = "bankident_db_pool_connections";
/// Answers that failed on our side, by `kind` (`storage_unavailable`, `internal`,
/// `redirect_not_allowed`).
pub const FAILURES: &str = "bankident_failures_total";

/// Histogram buckets, in seconds: from a fast database answer to Solaris' time limit.
const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's recorder, installed on first use (every `AppState` of a test process shares
/// it); its handle renders the metrics.
pub fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets(&BUCKETS)
                .expect("the buckets are not empty")
                .build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!(
                    "another metrics recorder was installed first: /metrics stays empty"
                );
            }
            describe();
            handle
        })
        .clone()
}

/// The help texts Prometheus shows.
fn describe() {
    describe_counter!(
        HTTP_REQUESTS,
        "Requests answered, by route, method and status."
    );
    describe_histogram!(
        HTTP_DURATION,
        metrics::Unit::Seconds,
        "How long requests took, by route and method."
    );
    describe_counter!(
        SOLARIS_CALLS,
        "Calls to Solaris, by endpoint, method and status (or unreachable, no_answer)."
    );
    describe_histogram!(
        SOLARIS_DURATION,
        metrics::Unit::Seconds,
        "How long calls to Solaris took, by endpoint and method."
    );
    describe_counter!(
        SOLARIS_RETRIES,
        "Calls to Solaris tried again, by endpoint."
    );
    describe_counter!(
        SOLARIS_WEBHOOKS_RECEIVED,
        "Solaris' webhooks received, by event."
    );
    describe_counter!(
        SOLARIS_WEBHOOKS_REJECTED,
        "Solaris' webhooks refused, by reason."
    );
    describe_counter!(
        SOLARIS_WEBHOOKS_PROCESSED,
        "Solaris' webhooks applied, by event."
    );
    describe_counter!(ONBOARDINGS_OPENED, "Identifications opened, by mode.");
    describe_counter!(
        ONBOARDINGS_ENDED,
        "Onboardings that reached an outcome, by mode, category and Appendix III code."
    );
    describe_counter!(
        ONBOARDINGS_CANCELLED,
        "Onboardings cancelled by the partner."
    );
    describe_counter!(ONBOARDINGS_ERASED, "Onboardings erased, by who asked.");
    describe_counter!(
        PARTNER_DELIVERIES,
        "Delivery attempts of the partner's webhooks, by result."
    );
    describe_gauge!(
        PARTNER_EVENTS_PENDING,
        "The partner's events waiting for a delivery."
    );
    describe_gauge!(
        PARTNER_EVENTS_FAILED,
        "The partner's events whose every retry was used up."
    );
    describe_gauge!(
        PARTNER_EVENTS_OLDEST_PENDING_AGE,
        metrics::Unit::Seconds,
        "How long the oldest pending partner event has waited."
    );
    describe_counter!(RATE_LIMITED, "Requests refused by a rate limit, by door.");
    describe_gauge!(
        DB_CONNECTIONS,
        "Database connections of this instance, by state."
    );
    describe_counter!(FAILURES, "Answers that failed on our side, by kind.");
}

/// A request answered.
pub fn http_request(route: &str, method: &str, status: u16, took: Duration) {
    let (route, method) = (route.to_string(), method.to_string());
    counter!(HTTP_REQUESTS, "route" => route.clone(), "method" => method.clone(), "status" => status.to_string())
        .increment(1);
    histogram!(HTTP_DURATION, "route" => route, "method" => method).record(took.as_secs_f64());
}

/// A call to Solaris answered (or not: `status` is then `unreachable` or `no_answer`).
pub fn solaris_call(path: &str, method: &str, status: &str, took: Duration) {
    let endpoint = solaris_endpoint(path);
    counter!(SOLARIS_CALLS, "endpoint" => endpoint.clone(), "method" => method.to_string(), "status" => status.to_string())
        .increment(1);
    histogram!(SOLARIS_DURATION, "endpoint" => endpoint, "method" => method.to_string())
        .record(took.as_secs_f64());
}

/// A call to Solaris tried again.
pub fn solaris_retry(path: &str) {
    counter!(SOLARIS_RETRIES, "endpoint" => solaris_endpoint(path)).increment(1);
}

/// A delivery of Solaris' webhooks `received` or `processed` (applied), by its event.
pub fn solaris_webhook(stage: &'static str, event: &'static str) {
    let name = if stage == "processed" {
        SOLARIS_WEBHOOKS_PROCESSED
    } else {
        SOLARIS_WEBHOOKS_RECEIVED
    };
    counter!(name, "event" => event).increment(1);
}

/// A delivery of Solaris' webhooks refused, by `reason` (`signature`, `malformed`,
/// `unavailable`).
pub fn solaris_webhook_rejected(reason: &'static str) {
    counter!(SOLARIS_WEBHOOKS_REJECTED, "reason" => reason).increment(1);
}

/// An identification opened in `mode`.
pub fn onboarding_opened(mode: &'static str) {
    counter!(ONBOARDINGS_OPENED, "mode" => mode).increment(1);
}

/// An onboarding's outcome in `mode`: its category, and its Appendix III code (`none` for a
/// success, `other` for a code the guide does not list, so the label's values stay few).
pub fn onboarding_ended(mode: &'static str, category: &'static str, code: Option<&str>) {
    let code = match code.map(bankident_domain::ErrorCode::parse) {
        None => "none".to_string(),
        Some(bankident_domain::ErrorCode::Unknown(_)) => "other".to_string(),
        Some(known) => known.code().to_string(),
    };
    counter!(ONBOARDINGS_ENDED, "mode" => mode, "category" => category, "code" => code)
        .increment(1);
}

/// An onboarding cancelled by the partner.
pub fn onboarding_cancelled() {
    counter!(ONBOARDINGS_CANCELLED).increment(1);
}

/// An onboarding erased at the request of `by`.
pub fn onboarding_erased(by: &'static str) {
    counter!(ONBOARDINGS_ERASED, "by" => by).increment(1);
}

/// A delivery attempt of the partner's webhooks and what followed it.
pub fn partner_delivery(result: &'static str) {
    counter!(PARTNER_DELIVERIES, "result" => result).increment(1);
}

/// A request refused at a rate limit's `door`.
pub fn rate_limited(door: &'static str) {
    counter!(RATE_LIMITED, "door" => door).increment(1);
}

/// An answer that failed on our side, by its kind.
pub fn failure(kind: &'static str) {
    counter!(FAILURES, "kind" => kind).increment(1);
}

/// Sets a gauge read at scrape time.
pub fn set_gauge(name: &'static str, value: f64) {
    gauge!(name).set(value);
}

/// The database pool of this instance.
pub fn db_connections(size: u32, idle: usize) {
    let idle = u32::try_from(idle).unwrap_or(u32::MAX);
    gauge!(DB_CONNECTIONS, "state" => "idle").set(f64::from(idle));
    gauge!(DB_CONNECTIONS, "state" => "in_use").set(f64::from(size.saturating_sub(idle)));
}

/// The words of Solaris' paths: anything else in a path is an id.
const SOLARIS_PATH_WORDS: [&str; 18] = [
    "v1",
    "oauth2",
    "token",
    "persons",
    "mobile_number",
    "authorize",
    "confirm",
    "identifications",
    "identification_sessions",
    "request",
    "documents",
    "file",
    "webhooks",
    "iban_lookups",
    "eligibility_checks",
    "bank",
    "sessions",
    "mobile_numbers",
];

/// A Solaris path as a metric's label: its words kept, every id (and the query) replaced, so
/// the label's values are few and name no person.
pub fn solaris_endpoint(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    path.split('/')
        .map(|segment| {
            if segment.is_empty() || SOLARIS_PATH_WORDS.contains(&segment) {
                segment
            } else {
                "{id}"
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solaris_paths_lose_their_ids_and_queries() {
        assert_eq!(
            solaris_endpoint(
                "/v1/persons/9a1bcper/identifications/a7a5cidt/documents/4d1acdoc/file"
            ),
            "/v1/persons/{id}/identifications/{id}/documents/{id}/file"
        );
        assert_eq!(
            solaris_endpoint("/v1/persons?page[number]=2&page[size]=100"),
            "/v1/persons"
        );
        assert_eq!(
            solaris_endpoint("/v1/persons/x/mobile_number/confirm"),
            "/v1/persons/{id}/mobile_number/confirm"
        );
        assert_eq!(
            solaris_endpoint("/v1/anything/new"),
            "/v1/{id}/{id}",
            "an unknown word is no label"
        );
    }
}
