//! The Solaris API client: OAuth2 client credentials with a cached token (refreshed a minute
//! before it expires and after a 401), a time limit per call, and retries with backoff where a
//! retry cannot do harm: reads always, creating calls only when the request never left.
//! Nothing personal is logged: only methods, paths with Solaris ids, statuses and codes.

mod bank_identification;
mod identifications;
mod persons;
mod webhooks;

use std::time::{Duration, Instant};

pub use bank_identification::IdentificationStep;
use bankident_domain::ErrorCode;
pub use persons::person_request;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use solaris_contract::pages::PageQuery;
use solaris_contract::{AccessToken, ErrorBody, MODEL_NOT_FOUND};
use tokio::sync::Mutex;
use tracing::Instrument;

use crate::config::SolarisConfig;
use crate::telemetry::{metrics, traces};

/// Attempts of a call that may be retried.
const MAX_ATTEMPTS: u32 = 3;
/// First retry delay; each further one doubles.
const RETRY_BASE: Duration = Duration::from_millis(200);
/// Longest `Retry-After` of Solaris a customer's request waits for before trying again.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(2);
/// Refresh a token this long before Solaris says it expires.
const TOKEN_MARGIN: Duration = Duration::from_secs(60);
/// Items asked for per page of a list. Solaris documents no maximum; third-party mocks use 10.
const LIST_PAGE_SIZE: usize = 10;
/// Pages read of one list at most (a server ignoring `page[number]` must not loop forever).
const MAX_PAGES: usize = 100;
/// Why a call to Solaris failed. Its `Debug` (what the logs show) leaves out Solaris' error
/// detail, which may quote the customer's data.
#[derive(Clone, PartialEq, Eq)]
pub enum SolarisError {
    /// Solaris answered with an error.
    Rejected {
        /// HTTP status.
        status: u16,
        /// The first error's code.
        code: String,
        /// The first error's detail.
        detail: String,
    },
    /// Solaris could not be reached (nothing was sent), or answered 5xx itself.
    Unavailable(String),
    /// The call went out but its answer did not come back (a timeout, a dropped connection, a
    /// gateway's 502 or 504): what it asked for may have happened.
    NoAnswer(String),
    /// Solaris asked us to wait this many seconds (`429` with `Retry-After`), longer than a
    /// customer's request can.
    Busy(u64),
}

impl std::fmt::Debug for SolarisError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SolarisError::Rejected {
                status,
                code,
                detail,
            } => formatter
                .debug_struct("Rejected")
                .field("status", status)
                .field("code", code)
                .field(
                    "detail",
                    &format_args!("<{} characters redacted>", detail.chars().count()),
                )
                .finish(),
            SolarisError::Unavailable(why) => {
                formatter.debug_tuple("Unavailable").field(why).finish()
            }
            SolarisError::NoAnswer(why) => formatter.debug_tuple("NoAnswer").field(why).finish(),
            SolarisError::Busy(seconds) => formatter.debug_tuple("Busy").field(seconds).finish(),
        }
    }
}

impl SolarisError {
    /// Whether Solaris said the resource does not exist (`model_not_found`). Only this means
    /// that a person is gone: a plain 404 from a proxy or an unknown path says nothing of it.
    pub fn is_model_not_found(&self) -> bool {
        matches!(self, SolarisError::Rejected { status: 404, code, .. } if code == MODEL_NOT_FOUND)
    }

    /// The Appendix III code of a Bankident rejection, if it is one.
    pub fn bankident_code(&self) -> Option<ErrorCode> {
        match self {
            SolarisError::Rejected { code, .. } => match ErrorCode::parse(code) {
                ErrorCode::Unknown(_) => None,
                known => Some(known),
            },
            SolarisError::Unavailable(_) | SolarisError::NoAnswer(_) | SolarisError::Busy(_) => {
                None
            }
        }
    }
}

/// Whether a call may be sent again after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Retry {
    /// Reads and deletes: retry on 5xx, timeouts and connection failures.
    Safe,
    /// Creations: retry only when the connection failed, so the request was never received.
    OnlyUnsent,
}

struct CachedToken {
    value: String,
    refresh_at: Instant,
}

/// A client for one Solaris environment (or the emulator).
pub struct SolarisClient {
    http: reqwest::Client,
    config: SolarisConfig,
    token: Mutex<Option<CachedToken>>,
    /// API requests sent so far (retries included, token requests not).
    requests_sent: std::sync::atomic::AtomicU64,
}

impl SolarisClient {
    /// A client for `config`.
    pub fn new(config: SolarisConfig) -> SolarisClient {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(Duration::from_secs(5))
            .build()
            .expect("the HTTP client's TLS setup is static");
        SolarisClient {
            http,
            config,
            token: Mutex::new(None),
            requests_sent: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// API requests sent to Solaris so far, retries included.
    pub fn requests_sent(&self) -> u64 {
        self.requests_sent
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    async fn token(&self) -> Result<String, SolarisError> {
        let mut cached = self.token.lock().await;
        if let Some(token) = cached
            .as_ref()
            .filter(|token| token.refresh_at > Instant::now())
        {
            return Ok(token.value.clone());
        }
        let response = self
            .http
            .post(&self.config.token_url)
            .basic_auth(&self.config.client_id, Some(&self.config.client_secret))
            .form(&[("grant_type", "client_credentials"), ("scope", "partners")])
            .send()
            .await
            .map_err(|error| {
                SolarisError::Unavailable(format!("token request failed: {}", describe(&error)))
            })?;
        let status = response.status();
        let body = response.bytes().await.unwrap_or_default();
        if !status.is_success() {
            tracing::error!(
                status = status.as_u16(),
                "Solaris refused the client credentials"
            );
            return Err(rejection(status, &body));
        }
        let answer: AccessToken = serde_json::from_slice(&body).map_err(|error| {
            SolarisError::Unavailable(format!("token response not understood: {error}"))
        })?;
        let lifetime = Duration::from_secs(answer.expires_in);
        let token = CachedToken {
            value: answer.access_token,
            refresh_at: Instant::now() + lifetime.saturating_sub(TOKEN_MARGIN),
        };
        let value = token.value.clone();
        *cached = Some(token);
        Ok(value)
    }

    /// Whether an access token can be had now (a cached one, or a fresh one from Solaris):
    /// without one no call to Solaris can be made.
    pub async fn check_token(&self) -> Result<(), SolarisError> {
        self.token().await.map(|_| ())
    }

    async fn forget_token(&self) {
        *self.token.lock().await = None;
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        retry: Retry,
    ) -> Result<(HeaderMap, Vec<u8>), SolarisError> {
        let mut refreshed_token = false;
        let mut attempt = 1;
        loop {
            let token = self.token().await?;
            let span = tracing::info_span!(
                "solaris call",
                otel.kind = "client",
                http.request.method = %method,
                url.path = %metrics::solaris_endpoint(path),
            );
            let mut request = self
                .http
                .request(method.clone(), format!("{}{path}", self.config.api_url))
                .headers(traces::trace_headers(&span))
                .bearer_auth(token);
            if let Some(body) = body {
                request = request.json(body);
            }
            self.requests_sent
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let started = Instant::now();
            let outcome = request.send().instrument(span).await;
            let status = match &outcome {
                Ok(response) => response.status().as_str().to_string(),
                Err(error) if error.is_connect() => "unreachable".to_string(),
                Err(_) => "no_answer".to_string(),
            };
            metrics::solaris_call(path, method.as_str(), &status, started.elapsed());
            let retryable = match &outcome {
                Ok(response)
                    if response.status() == StatusCode::UNAUTHORIZED && !refreshed_token =>
                {
                    refreshed_token = true;
                    self.forget_token().await;
                    continue;
                }
                Ok(response) => {
                    retry == Retry::Safe
                        && (response.status().is_server_error()
                            || response.status() == StatusCode::TOO_MANY_REQUESTS)
                }
                Err(error) => error.is_connect() || (retry == Retry::Safe && error.is_timeout()),
            };
            // Solaris' own `Retry-After` sets the wait: a short one is waited for, a long one
            // ends the call (the customer is told to try again later).
            let asked_to_wait = match &outcome {
                Ok(response) if response.status() == StatusCode::TOO_MANY_REQUESTS => response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| value.trim().parse::<u64>().ok()),
                _ => None,
            };
            if let Some(seconds) = asked_to_wait
                && Duration::from_secs(seconds) > MAX_RETRY_AFTER
            {
                tracing::warn!(%method, path, seconds, "Solaris asks to wait before the next call");
                return Err(SolarisError::Busy(seconds));
            }
            if retryable && attempt < MAX_ATTEMPTS {
                tracing::warn!(%method, path, attempt, "Solaris call failed, retrying");
                metrics::solaris_retry(path);
                let backoff = RETRY_BASE * 2u32.pow(attempt - 1);
                let wait = asked_to_wait
                    .map_or(backoff, |seconds| Duration::from_secs(seconds).max(backoff));
                tokio::time::sleep(wait).await;
                attempt += 1;
                continue;
            }
            let response = outcome.map_err(|error| {
                tracing::warn!(%method, path, "Solaris unreachable: {}", describe(&error));
                if error.is_connect() {
                    SolarisError::Unavailable(describe(&error))
                } else {
                    SolarisError::NoAnswer(describe(&error))
                }
            })?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await.map(|bytes| bytes.to_vec());
            let body = match body {
                Ok(body) => body,
                Err(error) => return Err(SolarisError::NoAnswer(describe(&error))),
            };
            if status.is_success() {
                return Ok((headers, body));
            }
            let error = rejection(status, &body);
            tracing::info!(%method, path, status = status.as_u16(), ?error, "Solaris answered with an error");
            return Err(error);
        }
    }

    /// A call whose answer is JSON of type `T`.
    async fn call_json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&impl Serialize>,
        retry: Retry,
    ) -> Result<T, SolarisError> {
        let body = body.map(|body| serde_json::to_value(body).expect("request bodies serialize"));
        let (_, answer) = self.call(method, path, body.as_ref(), retry).await?;
        serde_json::from_slice(&answer).map_err(|error| {
            // serde's message may quote the body: only where and what kind of error.
            tracing::warn!(path, kind = ?error.classify(), line = error.line(), column = error.column(), "Solaris answered with an unexpected body");
            SolarisError::Unavailable("unexpected answer".into())
        })
    }

    /// Every item of a paginated list (`page[number]`, `page[size]`), in the order Solaris
    /// gives them. Stops at the `total` header when Solaris sends one, at a short or empty page,
    /// or at a page that repeats what was read (a server ignoring the page parameters).
    async fn call_list<T: DeserializeOwned>(
        &self,
        path: &str,
        id_of: impl Fn(&T) -> &str,
    ) -> Result<Vec<T>, SolarisError> {
        let mut items: Vec<T> = Vec::new();
        for number in 1..=MAX_PAGES {
            let query = PageQuery::new(number, LIST_PAGE_SIZE).to_query();
            let (headers, body) = self
                .call(Method::GET, &format!("{path}?{query}"), None, Retry::Safe)
                .await?;
            let page: Vec<T> = serde_json::from_slice(&body).map_err(|error| {
                tracing::warn!(path, kind = ?error.classify(), line = error.line(), column = error.column(), "Solaris answered a list with an unexpected body");
                SolarisError::Unavailable("unexpected answer".into())
            })?;
            let page_size = list_header(&headers, "per_page")
                .or_else(|| list_header(&headers, "per-page"))
                .unwrap_or(LIST_PAGE_SIZE);
            let fetched = page.len();
            let repeats = page
                .first()
                .is_some_and(|first| items.iter().any(|item| id_of(item) == id_of(first)));
            if repeats {
                break;
            }
            items.extend(page);
            let complete = list_header(&headers, "total").is_some_and(|total| items.len() >= total);
            if complete || fetched == 0 || fetched < page_size {
                break;
            }
        }
        Ok(items)
    }
}

/// A number header of Solaris' lists (`total`, `per_page`).
fn list_header(headers: &HeaderMap, name: &str) -> Option<usize> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<usize>().ok())
}

fn rejection(status: StatusCode, body: &[u8]) -> SolarisError {
    if status == StatusCode::BAD_GATEWAY || status == StatusCode::GATEWAY_TIMEOUT {
        return SolarisError::NoAnswer(format!("a gateway answered {status}"));
    }
    if status.is_server_error() {
        return SolarisError::Unavailable(format!("Solaris answered {status}"));
    }
    // Not Solaris' envelope (a proxy's page, plain text): no code, so never `model_not_found`.
    let first = serde_json::from_slice::<ErrorBody>(body)
        .ok()
        .and_then(|body| body.errors.into_iter().next());
    SolarisError::Rejected {
        status: status.as_u16(),
        code: first
            .as_ref()
            .map_or_else(|| "unknown".to_string(), |error| error.code.clone()),
        detail: first.map(|error| error.detail).unwrap_or_default(),
    }
}

/// A transport error in a few words, without the URL.
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "timed out".into()
    } else if error.is_connect() {
        "could not connect".into()
    } else if error.is_decode() || error.is_body() {
        "unreadable answer".into()
    } else {
        "request failed".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_never_show_what_solaris_quoted_back() {
        let error = rejection(
            StatusCode::BAD_REQUEST,
            br#"{"errors":[{"id":"1","status":400,"code":"invalid_model","title":"Invalid Model","detail":"first_name 'Leander' is invalid"}]}"#,
        );
        let logged = format!("{error:?}");
        assert!(
            logged.contains("invalid_model") && logged.contains("400"),
            "{logged}"
        );
        assert!(!logged.contains("Leander"), "{logged}");
        assert!(logged.contains("31 characters redacted"), "{logged}");
    }
}
