//! The API mode (the guide's Appendix II flow with our own screens), under `/api`:
//!
//! - `POST /api/mobile_number/code`: sends (again) the SMS code that verifies the mobile number.
//! - `POST /api/mobile_number/confirm` with `{"code"}`: verifies the mobile number.
//! - `POST /api/bank_identification` with `{"iban", "signature_terms_accepted"}`: creates the
//!   bank identification with the IBAN the customer gave us, requests it and answers with the
//!   payment wizard's URL (allow-listed host).
//! - `GET /api/bank_identification`: where the identification stands ([`BankStep`]).
//! - `POST /api/bank_identification/authorize`: starts the signature (Solaris sends a code; each
//!   new code replaces the previous one).
//! - `POST /api/bank_identification/confirm` with `{"code"}`: signs.
//! - `GET /api/bank_identification/documents/{document_id}`: a contract document, streamed from
//!   Solaris to the browser bound to the onboarding only.
//!
//! Every call is bound to the browser's cookie; the changing ones run one at a time per
//! onboarding within its rate limit, like opening the identification. Solaris decides about
//! codes and time limits; its refusals end the onboarding through the one outcome rule.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use bankident_domain::{
    BankStep, BankStepKind, DocumentView, ErrorCode, IdentificationMode, IdentificationStatus,
    NextUrl, identification_verdict,
};
use serde::Deserialize;
use solaris_contract::Identification;
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

use crate::AppState;
use crate::api::{
    Held, JsonBody, OpenQuery, browser_hash, client_address, held, parse_iban, refuse_when_closed,
    webview_language,
};
use crate::config::host_of;
use crate::error::ApiError;
use crate::outcomes::current_outcome;
use crate::rate_limits::ClientCall;
use crate::serve::ClientAddress;
use crate::solaris::{IdentificationStep, SolarisError};
use crate::store::{Ending, Onboarding, OnboardingState};

/// How long after a code was sent a new one may be asked for.
pub const RESEND_COOLDOWN: Duration = Duration::seconds(30);
/// How long a signature code works (the guide: 10 minutes).
pub const SIGNATURE_CODE_VALIDITY: Duration = Duration::minutes(10);

/// The API mode's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/mobile_number/code", post(mobile_code_send))
        .route("/api/mobile_number/confirm", post(mobile_number_confirm))
        .route(
            "/api/bank_identification",
            get(bank_step_show).post(bank_identification_create),
        )
        .route(
            "/api/bank_identification/authorize",
            post(signature_authorize),
        )
        .route("/api/bank_identification/confirm", post(signature_confirm))
        .route(
            "/api/bank_identification/documents/{document_id}",
            get(document_download),
        )
}

/// Our pages of the API mode, where the app sends the customer next.
pub mod pages {
    /// The SMS code for the mobile number.
    pub const VERIFY: &str = "/verify";
    /// The IBAN, the signature terms and the way to the bank.
    pub const TRANSFER: &str = "/transfer";
    /// Back from the bank: the contract, the signature code, the wait for the result (the
    /// payment wizard's return page).
    pub const SIGN: &str = "/sign";
}

/// A code the customer typed.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CodeRequest {
    /// The six digits from the SMS (spaces are ignored).
    #[serde(default)]
    code: String,
}

impl CodeRequest {
    /// The six digits, or `code_format`.
    fn digits(&self) -> Result<String, ApiError> {
        let digits: String = self.code.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == 6 && digits.bytes().all(|byte| byte.is_ascii_digit()) {
            Ok(digits)
        } else {
            Err(ApiError::CodeFormat)
        }
    }
}

/// `POST /api/bank_identification`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct BankIdentificationRequest {
    /// The IBAN the customer gave (validated again here).
    #[serde(default)]
    iban: String,
    /// The customer accepted Swisscom's terms for the qualified electronic signature; the
    /// moment this request arrives is recorded as when.
    #[serde(default)]
    signature_terms_accepted: bool,
}

/// The browser's onboarding, held for one changing request; it must be in the API mode.
async fn held_api_onboarding(
    state: &AppState,
    headers: &HeaderMap,
    client: Option<&Extension<ClientAddress>>,
) -> Result<(Held, Onboarding), ApiError> {
    state
        .rate_limits
        .check_client(ClientCall::Step, client_address(state, headers, client))?;
    let onboarding = api_onboarding(state, headers).await?;
    state.rate_limits.check_step(&onboarding.id)?;
    held(state, &onboarding.id).await
}

/// The browser's onboarding, which must be in the API mode.
async fn api_onboarding(state: &AppState, headers: &HeaderMap) -> Result<Onboarding, ApiError> {
    let hash = browser_hash(state, headers).ok_or(ApiError::NoOnboarding)?;
    let onboarding = state
        .store
        .onboarding_by_browser(&hash)
        .await?
        .ok_or(ApiError::NoOnboarding)?;
    if state.config.mode_of(&onboarding) != IdentificationMode::Api {
        return Err(ApiError::WrongStep);
    }
    Ok(onboarding)
}

fn person_of(onboarding: &Onboarding) -> Result<&str, ApiError> {
    onboarding.person_id.as_deref().ok_or(ApiError::WrongStep)
}

fn unix_now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Seconds until a new code may be sent, if it is too soon.
fn cooldown_left(onboarding: &Onboarding, now: i64) -> Option<i64> {
    let ready_at = onboarding.code_sent_at? + RESEND_COOLDOWN.whole_seconds();
    (ready_at > now).then_some(ready_at - now)
}

/// The first API-mode step for a person with its mobile number: the transfer when the number
/// is verified, else an SMS code is sent (unless one went out moments ago) and the customer
/// types it.
pub async fn first_step(
    state: &AppState,
    onboarding: &Onboarding,
    person_id: &str,
) -> Result<&'static str, ApiError> {
    let number = state.solaris.mobile_number(person_id).await?;
    match number {
        Some(number) if number.verified => Ok(pages::TRANSFER),
        Some(number) => {
            if cooldown_left(onboarding, unix_now()).is_none() {
                send_mobile_code(state, onboarding, person_id, &number.number).await?;
            }
            Ok(pages::VERIFY)
        }
        None => Err(ApiError::Internal(
            "the person has no mobile number after it was created".into(),
        )),
    }
}

/// Has Solaris send an SMS code to the mobile number, and records when (for the cool-down).
async fn send_mobile_code(
    state: &AppState,
    onboarding: &Onboarding,
    person_id: &str,
    number: &str,
) -> Result<(), ApiError> {
    let now = unix_now();
    state
        .solaris
        .authorize_mobile_number(person_id, number)
        .await?;
    state.store.set_code_sent(&onboarding.id, now, None).await?;
    Ok(())
}

/// Sends a new SMS code for the mobile number (after the cool-down).
#[utoipa::path(
    post,
    path = "/api/mobile_number/code",
    tag = "app",
    responses(
        (status = 200, description = "Sent; the next may be asked for after `resend_after_seconds`", body = BankStep),
        (status = 409, description = "`wrong_step`: not the API mode, or no person yet"),
        (status = 429, description = "`code_cooldown`: too soon; see `Retry-After`"),
    )
)]
pub async fn mobile_code_send(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
) -> Result<Json<BankStep>, ApiError> {
    let (_held, onboarding) = held_api_onboarding(&state, &headers, client.as_ref()).await?;
    let person_id = person_of(&onboarding)?;
    if let Some(seconds) = cooldown_left(&onboarding, unix_now()) {
        return Err(ApiError::CodeCooldown(seconds.unsigned_abs()));
    }
    let number = state
        .solaris
        .mobile_number(person_id)
        .await?
        .ok_or(ApiError::WrongStep)?;
    if number.verified {
        return Ok(Json(BankStep::only(BankStepKind::Transfer)));
    }
    send_mobile_code(&state, &onboarding, person_id, &number.number).await?;
    Ok(Json(BankStep {
        resend_after_seconds: Some(RESEND_COOLDOWN.whole_seconds()),
        ..BankStep::only(BankStepKind::Verify)
    }))
}

/// Verifies the mobile number with the SMS code.
#[utoipa::path(
    post,
    path = "/api/mobile_number/confirm",
    tag = "app",
    request_body = CodeRequest,
    responses(
        (status = 200, description = "Verified: go on to `url`", body = NextUrl),
        (status = 422, description = "`code_format` (not six digits) or `code_invalid` (wrong or expired)"),
        (status = 409, description = "`wrong_step`"),
    )
)]
pub async fn mobile_number_confirm(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<CodeRequest>,
) -> Result<Json<NextUrl>, ApiError> {
    let code = request.digits()?;
    let (_held, onboarding) = held_api_onboarding(&state, &headers, client.as_ref()).await?;
    let person_id = person_of(&onboarding)?;
    let number = state
        .solaris
        .mobile_number(person_id)
        .await?
        .ok_or(ApiError::WrongStep)?;
    if !number.verified {
        match state
            .solaris
            .confirm_mobile_number(person_id, &number.number, &code)
            .await
        {
            Ok(()) => tracing::info!("mobile number verified"),
            Err(error) if error.is_invalid_code() => return Err(ApiError::CodeInvalid),
            Err(error) => return Err(error.into()),
        }
    }
    Ok(Json(NextUrl {
        url: pages::TRANSFER.to_string(),
    }))
}

/// Creates and requests the bank identification; answers with the payment wizard's URL.
#[utoipa::path(
    post,
    path = "/api/bank_identification",
    tag = "app",
    params(crate::api::OpenQuery),
    request_body = BankIdentificationRequest,
    responses(
        (status = 200, description = "Send the customer to the payment wizard at `url`", body = NextUrl),
        (status = 409, description = "`identification_not_possible` with the guide's `error_code` and `category` (the outcome page shows it), `already_identified` or `wrong_step`"),
        (status = 422, description = "`consent_missing`, or the IBAN's field error"),
        (status = 502, description = "`solaris_unavailable` or `redirect_not_allowed`"),
    )
)]
pub async fn bank_identification_create(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    query: Result<Query<OpenQuery>, QueryRejection>,
    JsonBody(request): JsonBody<BankIdentificationRequest>,
) -> Result<Json<NextUrl>, ApiError> {
    let language = webview_language(query);
    let iban = parse_iban(&request.iban)?;
    if !request.signature_terms_accepted {
        return Err(ApiError::ConsentMissing);
    }
    let (_held, onboarding) = held_api_onboarding(&state, &headers, client.as_ref()).await?;
    // An outcome that closes Bankident holds here too.
    refuse_when_closed(&onboarding)?;
    let person_id = person_of(&onboarding)?;
    // An identification already under way goes on (a second click, the Back button).
    let mut open = None;
    if let Some(id) = &onboarding.bank_identification_id
        && onboarding.outcome_state == OnboardingState::Pending
    {
        let identification = state.solaris.identification(person_id, id).await?;
        if !identification.status.is_final() {
            open = Some(identification);
        }
    }
    let identification = match open {
        Some(identification) => identification,
        None => {
            let signed_at = OffsetDateTime::now_utc()
                .replace_nanosecond(0)
                .unwrap_or_else(|_| OffsetDateTime::now_utc())
                .format(&Rfc3339)
                .expect("UTC timestamps format");
            match state
                .solaris
                .create_identification(person_id, iban.electronic(), &signed_at)
                .await
            {
                Ok(identification) => {
                    state
                        .store
                        .set_bank_identification(&onboarding.id, &identification.id)
                        .await?;
                    tracing::info!(identification_id = %identification.id, "bank identification created");
                    identification
                }
                Err(error) => return Err(refused(&state, &onboarding, error).await),
            }
        }
    };
    let identification = match identification.status {
        IdentificationStatus::Created => {
            state
                .solaris
                .identification_step(person_id, &identification.id, IdentificationStep::Request)
                .await?
        }
        _ => identification,
    };
    if identification.status != IdentificationStatus::Pending {
        // Past the bank step already: the signature page knows where it stands.
        return Ok(Json(NextUrl {
            url: pages::SIGN.to_string(),
        }));
    }
    let url = identification
        .url
        .ok_or_else(|| ApiError::Internal("a requested identification without a url".into()))?;
    if !host_of(&url).is_some_and(|host| state.config.redirect_hosts.contains(&host)) {
        return Err(ApiError::RedirectNotAllowed);
    }
    // The wizard speaks the customer's language where a parameter for it is configured.
    Ok(Json(NextUrl {
        url: state.config.webview_url(&url, language),
    }))
}

/// A refusal of the identification's creation: an Appendix III code ends the onboarding with
/// it (the outcome page shows the guide's text and next step); anything else is passed on.
async fn refused(state: &AppState, onboarding: &Onboarding, error: SolarisError) -> ApiError {
    let Some(code) = error.bankident_code() else {
        return error.into();
    };
    let verdict = identification_verdict(&IdentificationStatus::Failed, Some(code.code()))
        .expect("a failed identification has a verdict");
    let ending = Ending {
        category: verdict.category,
        error_code: Some(code.code().to_string()),
        identification_id: None,
    };
    tracing::info!(error_code = code.code(), "bank identification refused");
    if let Err(error) = state
        .store
        .set_refused_identification(&onboarding.id, &ending)
        .await
    {
        return error.into();
    }
    match code {
        ErrorCode::AlreadyIdentifiedSuccessfully => ApiError::AlreadyIdentified,
        code => ApiError::NotPossible(code),
    }
}

/// Where the identification stands, for the signature page.
#[utoipa::path(
    get,
    path = "/api/bank_identification",
    tag = "app",
    responses(
        (status = 200, body = BankStep),
        (status = 409, description = "`wrong_step`: not the API mode, or no person yet"),
    )
)]
pub async fn bank_step_show(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<BankStep>, ApiError> {
    let onboarding = api_onboarding(&state, &headers).await?;
    current_step(&state, &onboarding).await.map(Json)
}

/// The step of an API-mode onboarding, read from Solaris; a final identification settles the
/// onboarding (`done`).
async fn current_step(state: &AppState, onboarding: &Onboarding) -> Result<BankStep, ApiError> {
    let person_id = person_of(onboarding)?;
    if onboarding.outcome_state == OnboardingState::Final {
        // The documents of the identification that decided (the signed copy after a success).
        let documents = match onboarding
            .identification_id
            .as_ref()
            .or(onboarding.bank_identification_id.as_ref())
        {
            Some(id) => documents_of(state.solaris.identification(person_id, id).await?),
            None => Vec::new(),
        };
        return Ok(BankStep {
            documents,
            ..BankStep::only(BankStepKind::Done)
        });
    }
    let Some(id) = &onboarding.bank_identification_id else {
        let verified = state
            .solaris
            .mobile_number(person_id)
            .await?
            .is_some_and(|number| number.verified);
        let step = if verified {
            BankStepKind::Transfer
        } else {
            BankStepKind::Verify
        };
        return Ok(BankStep {
            resend_after_seconds: cooldown_left(onboarding, unix_now()),
            ..BankStep::only(step)
        });
    };
    let identification = state.solaris.identification(person_id, id).await?;
    step_of(state, onboarding, identification).await
}

fn documents_of(identification: Identification) -> Vec<DocumentView> {
    identification
        .documents
        .into_iter()
        .map(|document| DocumentView {
            id: document.id,
            name: document.name,
            document_type: document.document_type,
            size: document.size,
        })
        .collect()
}

/// The step an identification is at; a final one settles the onboarding.
async fn step_of(
    state: &AppState,
    onboarding: &Onboarding,
    identification: Identification,
) -> Result<BankStep, ApiError> {
    use IdentificationStatus::*;
    let now = unix_now();
    let step = match &identification.status {
        Created => BankStepKind::Transfer,
        Pending => BankStepKind::Bank,
        AuthorizationRequired => BankStepKind::Sign,
        ConfirmationRequired => BankStepKind::Code,
        Confirmed => BankStepKind::Confirming,
        status if status.is_final() => {
            // It decides the outcome; its documents are the ones to show (the signed copy
            // after a success).
            current_outcome(state, onboarding).await?;
            return Ok(BankStep {
                documents: documents_of(identification),
                ..BankStep::only(BankStepKind::Done)
            });
        }
        // Any other status Solaris may show while it works.
        _ => BankStepKind::Confirming,
    };
    let code_valid_for_seconds = (step == BankStepKind::Code)
        .then(|| {
            onboarding
                .code_valid_until
                .map(|until| (until - now).max(0))
        })
        .flatten();
    // The wizard only on an allowed host, as when the customer was first sent there.
    let wizard_url = identification.url.clone().filter(|url| {
        step == BankStepKind::Bank
            && host_of(url).is_some_and(|host| state.config.redirect_hosts.contains(&host))
    });
    Ok(BankStep {
        step,
        wizard_url,
        reference: identification.current_reference_token.clone(),
        documents: documents_of(identification),
        code_valid_for_seconds,
        resend_after_seconds: cooldown_left(onboarding, now),
    })
}

/// Until when (our clock, Unix seconds) a signature code sent `now` works: its 10 minutes, or
/// less when the identification's own limit comes first. Solaris' timestamps are on Solaris'
/// clock; the code's `confirmation_expires_at` minus its validity is when Solaris sent it, which
/// is about `now`, so the gap between the two limits carries over to our clock.
fn code_valid_until(identification: &Identification, now: i64) -> i64 {
    let parse = |text: &Option<String>| {
        text.as_deref()
            .and_then(|text| OffsetDateTime::parse(text, &Rfc3339).ok())
    };
    let validity = match (
        parse(&identification.confirmation_expires_at),
        parse(&identification.authorization_expires_at),
    ) {
        (Some(code_expires), Some(step_expires)) => {
            let sent = code_expires - SIGNATURE_CODE_VALIDITY;
            (step_expires - sent).clamp(Duration::ZERO, SIGNATURE_CODE_VALIDITY)
        }
        _ => SIGNATURE_CODE_VALIDITY,
    };
    now + validity.whole_seconds()
}

/// Starts the signature, or sends a new code (after the cool-down): Solaris sends an SMS code,
/// and every new one replaces the previous.
#[utoipa::path(
    post,
    path = "/api/bank_identification/authorize",
    tag = "app",
    responses(
        (status = 200, description = "The code was sent (`step` `code`), or the identification has ended (`done`)", body = BankStep),
        (status = 409, description = "`wrong_step`"),
        (status = 429, description = "`code_cooldown`; see `Retry-After`"),
    )
)]
pub async fn signature_authorize(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
) -> Result<Json<BankStep>, ApiError> {
    let (_held, onboarding) = held_api_onboarding(&state, &headers, client.as_ref()).await?;
    let person_id = person_of(&onboarding)?;
    let id = onboarding
        .bank_identification_id
        .clone()
        .ok_or(ApiError::WrongStep)?;
    let now = unix_now();
    if let Some(seconds) = cooldown_left(&onboarding, now) {
        return Err(ApiError::CodeCooldown(seconds.unsigned_abs()));
    }
    match state
        .solaris
        .identification_step(person_id, &id, IdentificationStep::Authorize)
        .await
    {
        Ok(identification) => {
            let until = code_valid_until(&identification, now);
            state
                .store
                .set_code_sent(&onboarding.id, now, Some(until))
                .await?;
            let onboarding = Onboarding {
                code_sent_at: Some(now),
                code_valid_until: Some(until),
                ..onboarding
            };
            Ok(Json(step_of(&state, &onboarding, identification).await?))
        }
        // Not ready for a signature: the bank step failed or time ran out. Where it stands
        // decides.
        Err(error) if error.is_expectation_mismatch() => {
            Ok(Json(current_step(&state, &onboarding).await?))
        }
        Err(error) => Err(error.into()),
    }
}

/// Signs with the SMS code.
#[utoipa::path(
    post,
    path = "/api/bank_identification/confirm",
    tag = "app",
    request_body = CodeRequest,
    responses(
        (status = 200, description = "Signed (`confirming`, then `done`), or the identification has ended (`done`)", body = BankStep),
        (status = 422, description = "`code_format` or `code_invalid` (wrong, expired, or replaced by a newer code)"),
        (status = 409, description = "`wrong_step`"),
    )
)]
pub async fn signature_confirm(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<CodeRequest>,
) -> Result<Json<BankStep>, ApiError> {
    let code = request.digits()?;
    let (_held, onboarding) = held_api_onboarding(&state, &headers, client.as_ref()).await?;
    let person_id = person_of(&onboarding)?;
    let id = onboarding
        .bank_identification_id
        .clone()
        .ok_or(ApiError::WrongStep)?;
    match state
        .solaris
        .identification_step(person_id, &id, IdentificationStep::Confirm(&code))
        .await
    {
        Ok(identification) => Ok(Json(step_of(&state, &onboarding, identification).await?)),
        Err(error) if error.is_invalid_code() => Err(ApiError::CodeInvalid),
        Err(error) if error.is_expectation_mismatch() => {
            Ok(Json(current_step(&state, &onboarding).await?))
        }
        Err(error) => Err(error.into()),
    }
}

/// A contract document of this browser's identification, streamed from Solaris.
#[utoipa::path(
    get,
    path = "/api/bank_identification/documents/{document_id}",
    tag = "app",
    params(("document_id" = String, Path, description = "A document id from `GET /api/bank_identification`")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf"),
        (status = 404, description = "`no_onboarding`, or not a document of this browser's identification"),
    )
)]
pub async fn document_download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(document_id): Path<String>,
) -> Result<Response, ApiError> {
    let hash = browser_hash(&state, &headers).ok_or(ApiError::NoOnboarding)?;
    let onboarding = state
        .store
        .onboarding_by_browser(&hash)
        .await?
        .ok_or(ApiError::NoOnboarding)?;
    let (Some(person_id), Some(id)) = (
        &onboarding.person_id,
        onboarding
            .bank_identification_id
            .as_ref()
            .or(onboarding.identification_id.as_ref()),
    ) else {
        return Err(ApiError::NoOnboarding);
    };
    crate::documents::listed_document(&state, person_id, id, &document_id)
        .await?
        .ok_or(ApiError::UnknownEndpoint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identification(code_expires: Option<&str>, step_expires: Option<&str>) -> Identification {
        serde_json::from_value(serde_json::json!({
            "id": "1cidt", "status": "confirmation_required",
            "confirmation_expires_at": code_expires, "authorization_expires_at": step_expires,
        }))
        .unwrap()
    }

    #[test]
    fn a_code_works_for_ten_minutes_unless_the_identification_ends_first() {
        let now = 1_000_000;
        // The guide's example: the code expires at 08:37:23, the identification at 08:38:21.
        let plenty = identification(
            Some("2022-08-11T08:37:23.000Z"),
            Some("2022-08-11T08:38:21.000Z"),
        );
        assert_eq!(code_valid_until(&plenty, now), now + 600);
        let short = identification(
            Some("2022-08-11T08:37:23.000Z"),
            Some("2022-08-11T08:30:23.000Z"),
        );
        assert_eq!(code_valid_until(&short, now), now + 180);
        let over = identification(
            Some("2022-08-11T08:37:23.000Z"),
            Some("2022-08-11T08:20:00.000Z"),
        );
        assert_eq!(code_valid_until(&over, now), now);
        assert_eq!(
            code_valid_until(&identification(None, None), now),
            now + 600
        );
    }

    #[test]
    fn a_code_is_six_digits_spaces_aside() {
        let code = |text: &str| CodeRequest { code: text.into() }.digits();
        assert_eq!(code("212 212").unwrap(), "212212");
        assert!(matches!(code("21221"), Err(ApiError::CodeFormat)));
        assert!(matches!(code("21221a"), Err(ApiError::CodeFormat)));
        assert!(matches!(code("2122123"), Err(ApiError::CodeFormat)));
    }
}
