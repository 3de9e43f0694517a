//! The Solaris API client: OAuth2 client credentials with a cached token (refreshed a minute
//! before it expires and after a 401), a time limit per call, and retries with backoff where a
//! retry cannot do harm: reads always, creating calls only when the request never left.
//! Nothing personal is logged: only methods, paths with Solaris ids, statuses and codes.

use std::time::{Duration, Instant};

use bankident_domain::{ErrorCode, Person};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::sync::Mutex;

use crate::config::SolarisConfig;

/// Attempts of a call that may be retried.
const MAX_ATTEMPTS: u32 = 3;
/// First retry delay; each further one doubles.
const RETRY_BASE: Duration = Duration::from_millis(200);
/// Refresh a token this long before Solaris says it expires.
const TOKEN_MARGIN: Duration = Duration::from_secs(60);

/// Why a call to Solaris failed.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// Solaris could not be reached, timed out, or answered 5xx.
    Unavailable(String),
}

impl SolarisError {
    /// The Appendix III code of a Bankident rejection, if it is one.
    pub fn bankident_code(&self) -> Option<ErrorCode> {
        match self {
            SolarisError::Rejected { code, .. } => match ErrorCode::parse(code) {
                ErrorCode::Unknown(_) => None,
                known => Some(known),
            },
            SolarisError::Unavailable(_) => None,
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
}

/// A created identification session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedSession {
    /// `…ises`.
    pub id: String,
    /// The webview URL.
    pub url: String,
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
        }
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
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            tracing::error!(
                status = status.as_u16(),
                "Solaris refused the client credentials"
            );
            return Err(rejection(status, &body));
        }
        let value = body["access_token"].as_str().ok_or_else(|| {
            SolarisError::Unavailable("token response without access_token".into())
        })?;
        let lifetime = Duration::from_secs(body["expires_in"].as_u64().unwrap_or(3599));
        let token = CachedToken {
            value: value.to_string(),
            refresh_at: Instant::now() + lifetime.saturating_sub(TOKEN_MARGIN),
        };
        let value = token.value.clone();
        *cached = Some(token);
        Ok(value)
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
    ) -> Result<Value, SolarisError> {
        let mut refreshed_token = false;
        let mut attempt = 1;
        loop {
            let token = self.token().await?;
            let mut request = self
                .http
                .request(method.clone(), format!("{}{path}", self.config.api_url))
                .bearer_auth(token);
            if let Some(body) = body {
                request = request.json(body);
            }
            let outcome = request.send().await;
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
            if retryable && attempt < MAX_ATTEMPTS {
                tracing::warn!(%method, path, attempt, "Solaris call failed, retrying");
                tokio::time::sleep(RETRY_BASE * 2u32.pow(attempt - 1)).await;
                attempt += 1;
                continue;
            }
            let response = outcome.map_err(|error| {
                tracing::warn!(%method, path, "Solaris unreachable: {}", describe(&error));
                SolarisError::Unavailable(describe(&error))
            })?;
            let status = response.status();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            if status.is_success() {
                return Ok(body);
            }
            let error = rejection(status, &body);
            tracing::info!(%method, path, status = status.as_u16(), ?error, "Solaris answered with an error");
            return Err(error);
        }
    }

    /// Creates the person (`POST /v1/persons`); returns its id.
    pub async fn create_person(&self, person: &Person) -> Result<String, SolarisError> {
        let timestamp = |at: Option<time::OffsetDateTime>| {
            at.and_then(|at| {
                at.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
        };
        let consents = &person.consents;
        let body = json!({
            "salutation": person.salutation.solaris_value(),
            "first_name": person.first_name.as_str(),
            "last_name": person.last_name.as_str(),
            "birth_date": person.birth_date.to_string(),
            "birth_city": person.birth_city,
            "birth_country": person.birth_country.code(),
            "nationality": person.nationality.code(),
            "address": {
                "line_1": person.address.line_1,
                "line_2": person.address.line_2,
                "postal_code": person.address.postal_code,
                "city": person.address.city,
                "country": person.address.country.code(),
            },
            "email": person.email.as_str(),
            "employment_status": person.employment_status.code(),
            "data_terms_signed_at": timestamp(consents.data_terms_signed_at),
            "terms_conditions_signed_at": timestamp(consents.terms_conditions_signed_at),
            "own_economic_interest_signed_at": timestamp(consents.own_economic_interest_signed_at),
            "fatca_crs_confirmed_at": timestamp(consents.fatca_crs_confirmed_at),
        });
        let created = self
            .call(Method::POST, "/v1/persons", Some(&body), Retry::OnlyUnsent)
            .await?;
        created["id"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| SolarisError::Unavailable("person created without id".into()))
    }

    /// Adds the mobile number; one that already exists is fine (a retry after a lost answer).
    pub async fn create_mobile_number(
        &self,
        person_id: &str,
        number: &str,
    ) -> Result<(), SolarisError> {
        let path = format!("/v1/persons/{person_id}/mobile_number");
        match self
            .call(
                Method::POST,
                &path,
                Some(&json!({ "number": number })),
                Retry::OnlyUnsent,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(SolarisError::Rejected { status: 409, .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// Opens an identification session with method `bank`.
    pub async fn create_session(
        &self,
        person_id: &str,
        callback_url: &str,
    ) -> Result<CreatedSession, SolarisError> {
        let path = format!("/v1/persons/{person_id}/identification_sessions");
        let body = json!({ "callback_url": callback_url, "identification_methods": ["bank"] });
        let session = self
            .call(Method::POST, &path, Some(&body), Retry::OnlyUnsent)
            .await?;
        match (session["id"].as_str(), session["url"].as_str()) {
            (Some(id), Some(url)) => Ok(CreatedSession {
                id: id.to_string(),
                url: url.to_string(),
            }),
            _ => Err(SolarisError::Unavailable(
                "session created without id or url".into(),
            )),
        }
    }

    /// `GET` an identification session.
    pub async fn session(&self, person_id: &str, session_id: &str) -> Result<Value, SolarisError> {
        let path = format!("/v1/persons/{person_id}/identification_sessions/{session_id}");
        self.call(Method::GET, &path, None, Retry::Safe).await
    }

    /// The person's identifications.
    pub async fn identifications(&self, person_id: &str) -> Result<Vec<Value>, SolarisError> {
        let path = format!("/v1/persons/{person_id}/identifications");
        let list = self.call(Method::GET, &path, None, Retry::Safe).await?;
        Ok(list.as_array().cloned().unwrap_or_default())
    }

    /// Our webhook subscriptions.
    pub async fn webhooks(&self) -> Result<Vec<Value>, SolarisError> {
        Ok(self
            .call(Method::GET, "/v1/webhooks", None, Retry::Safe)
            .await?
            .as_array()
            .cloned()
            .unwrap_or_default())
    }

    /// Subscribes `url` to `event_type`; returns `(subscription id, secret)`.
    pub async fn subscribe(
        &self,
        event_type: &str,
        url: &str,
    ) -> Result<(String, String), SolarisError> {
        let body = json!({ "event_type": event_type, "url": url });
        let created = self
            .call(Method::POST, "/v1/webhooks", Some(&body), Retry::OnlyUnsent)
            .await?;
        match (created["id"].as_str(), created["secret"].as_str()) {
            (Some(id), Some(secret)) => Ok((id.to_string(), secret.to_string())),
            _ => Err(SolarisError::Unavailable(
                "subscription created without id or secret".into(),
            )),
        }
    }

    /// Deletes a webhook subscription.
    pub async fn unsubscribe(&self, id: &str) -> Result<(), SolarisError> {
        self.call(
            Method::DELETE,
            &format!("/v1/webhooks/{id}"),
            None,
            Retry::Safe,
        )
        .await
        .map(|_| ())
    }
}

fn rejection(status: StatusCode, body: &Value) -> SolarisError {
    if status.is_server_error() {
        return SolarisError::Unavailable(format!("Solaris answered {status}"));
    }
    let error = &body["errors"][0];
    SolarisError::Rejected {
        status: status.as_u16(),
        code: error["code"].as_str().unwrap_or("unknown").to_string(),
        detail: error["detail"].as_str().unwrap_or_default().to_string(),
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
