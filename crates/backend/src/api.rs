//! The app's API under `/api`:
//!
//! - `POST /api/identification` with the customer's answers: creates the person (once per
//!   onboarding), the mobile number and an identification session; answers with the webview
//!   URL. A repeated submit while a session is open answers with the same URL.
//! - `GET /api/identification/outcome`: how the identification ended, from Solaris (webhooks
//!   only make a final state known sooner).
//! - `POST /api/iban_lookups` with `{"iban"}`: the bank's name and BIC.
//!
//! Changing requests must be JSON and come from this site (`Sec-Fetch-Site`/`Origin`), which
//! together with the SameSite cookie makes them unforgeable from other sites.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Extension, Json, Router};
use bankident_domain::bank_directory::bank_of;
use bankident_domain::{
    ErrorCode, Field, FieldError, FieldErrorsResponse, Iban, IdentificationMode, Language,
    OpenedIdentification, Outcome, OutcomeCategory, PersonAnswers, Prefill, Problem,
    closes_bankident,
};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::browser::{key_hash, request_key};
use crate::config::host_of;
use crate::corrections::differences;
use crate::error::ApiError;
use crate::outcomes::{current_outcome, not_started};
use crate::rate_limits::ClientCall;
use crate::serve::ClientAddress;
use crate::solaris::{SolarisError, person_request};
use crate::store::{Leased, Onboarding, OnboardingState};

/// The API routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/identification", post(identification_open))
        .route(
            "/api/identification/continue",
            post(identification_continue),
        )
        .route("/api/identification/outcome", get(outcome_show))
        .route("/api/onboarding/prefill", get(prefill_show))
        .route("/api/iban_lookups", post(iban_lookup_create))
        .route("/api/{*rest}", any(api_not_found))
}

/// Any other path under `/api/`: a JSON 404, never the app's page.
async fn api_not_found() -> ApiError {
    ApiError::UnknownEndpoint
}

/// JSON bodies with our error answers instead of axum's plain-text ones.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::UnsupportedMediaType),
            Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError::PayloadTooLarge)
            }
            // The body stopped arriving (the body time limit, or the client went away).
            Err(JsonRejection::BytesRejection(_)) => Err(ApiError::BodyTimeout),
            Err(rejection) => Err(ApiError::BadRequest(rejection.body_text())),
        }
    }
}

/// Middleware: state-changing API calls must come from this site.
pub async fn require_same_site(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let headers = request.headers();
    let fetch_site = headers
        .get("sec-fetch-site")
        .and_then(|value| value.to_str().ok());
    let cross_site = matches!(fetch_site, Some(site) if site != "same-origin" && site != "none");
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok());
    // `Origin: null` (sandboxed frames, some redirects, `file:` pages) is not this site either.
    let foreign_origin =
        origin.is_some_and(|origin| origin.trim_end_matches('/') != state.config.public_url);
    if request.method() != axum::http::Method::GET && (cross_site || foreign_origin) {
        return ApiError::CrossSite.into_response();
    }
    next.run(request).await
}

/// The client's address, for its rate limits (see [`crate::Config::client_address`]).
pub fn client_address(
    state: &AppState,
    headers: &HeaderMap,
    connection: Option<&Extension<ClientAddress>>,
) -> Option<std::net::IpAddr> {
    state
        .config
        .client_address(headers, connection.map(|Extension(address)| address.0))
}

pub(crate) fn browser_hash(state: &AppState, headers: &HeaderMap) -> Option<String> {
    state.cookies.key(headers).map(|key| key_hash(&key))
}

/// The query of `POST /api/identification`: the language the customer uses (for the webview).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpenQuery {
    /// `de` or `en`: the webview speaks it too, where a parameter for it is configured.
    lang: Option<String>,
}

/// Opens the identification with the customer's answers: creates the Solaris person (once per
/// onboarding, corrected when answers change), its mobile number and a session. A repeated
/// submit while a session is open answers with the same URL.
#[utoipa::path(
    post,
    path = "/api/identification",
    tag = "app",
    params(OpenQuery),
    request_body = PersonAnswers,
    responses(
        (status = 200, description = "Send the customer to `url`", body = OpenedIdentification),
        (status = 404, description = "`no_onboarding`: this browser opened no start link (not in the demo mode)"),
        (status = 409, description = "`already_identified`, `identification_not_possible` (with `error_code` and `category`) or `correction_not_possible`"),
        (status = 422, description = "Answers that break a rule", body = FieldErrorsResponse),
        (status = 429, description = "`too_many_requests`: more than 5 at once or 10 a minute for this onboarding; see `Retry-After`"),
        (status = 502, description = "`solaris_unavailable`: try again"),
        (status = 503, description = "`solaris_busy`: Solaris asked to wait; see `Retry-After`"),
    )
)]
pub async fn identification_open(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    query: Result<Query<OpenQuery>, QueryRejection>,
    JsonBody(answers): JsonBody<PersonAnswers>,
) -> Result<Response, ApiError> {
    let language = webview_language(query);
    state.rate_limits.check_client(
        ClientCall::Open,
        client_address(&state, &headers, client.as_ref()),
    )?;
    let now = time::OffsetDateTime::now_utc();
    let person = answers.validate(now.date()).map_err(ApiError::Invalid)?;
    let implausible = person.consents.implausible(now);
    if !implausible.is_empty() {
        return Err(ApiError::Invalid(implausible));
    }
    let (key, new_cookie) = request_key(&state, &headers).await?;
    let hash = key_hash(&key);
    // One request at a time per browser (a double click waits, then finds the session open),
    // and per onboarding (the customer's other devices).
    let browser_lock = state.lock_for(&format!("browser:{hash}"));
    let _browser_guard = browser_lock.lock().await;
    let onboarding = match state.store.onboarding_by_browser(&hash).await? {
        Some(onboarding) => onboarding,
        None if !state.config.demo_mode => return Err(ApiError::NoOnboarding),
        None => state.store.create_onboarding(&hash).await?,
    };
    let (_held, mut onboarding) = hold(&state, &onboarding.id).await?;
    state
        .store
        .set_consents_received(&onboarding.id, now)
        .await?;
    let mode = state.config.mode_of(&onboarding);
    let mut open_session = None;
    if onboarding.outcome_state == OnboardingState::Pending {
        // Hand out the open session again only while Solaris says it is open.
        current_outcome(&state, &onboarding).await?;
        onboarding = state
            .store
            .onboarding(&onboarding.id)
            .await?
            .ok_or_else(|| ApiError::Internal("onboarding vanished".into()))?;
        if onboarding.outcome_state == OnboardingState::Pending {
            open_session = open_identification_url(&state, &onboarding);
        }
    }
    refuse_when_closed(&onboarding)?;
    let existing = match onboarding.person_id.clone() {
        Some(id) => existing_person(&state, &mut onboarding, id, &person).await?,
        None => None,
    };
    if let (Some(url), Some((person_id, _))) = (&open_session, &existing) {
        // The open session goes on, with Solaris holding the customer's latest answers.
        ensure_mobile_number(&state, &mut onboarding, person_id, &person).await?;
        return Ok(opened(
            url,
            language,
            new_cookie.then_some(key.as_str()),
            &state,
        ));
    }
    let (person_id, known_identification_ids) = match existing {
        Some(known) => known,
        None => (
            created_person(&state, &onboarding, &person).await?,
            Vec::new(),
        ),
    };
    ensure_mobile_number(&state, &mut onboarding, &person_id, &person).await?;
    if mode == IdentificationMode::Api {
        // Our own screens: the mobile number's code, then the bank step.
        let page = crate::api_mode::first_step(&state, &onboarding, &person_id).await?;
        return Ok(opened(
            page,
            None,
            new_cookie.then_some(key.as_str()),
            &state,
        ));
    }
    let session = state
        .solaris
        .create_session(&person_id, &state.config.callback_url())
        .await?;
    let allowed =
        host_of(&session.url).is_some_and(|host| state.config.redirect_hosts.contains(&host));
    if !allowed {
        return Err(ApiError::RedirectNotAllowed);
    }
    state
        .store
        .set_session(
            &onboarding.id,
            &session.id,
            &session.url,
            &known_identification_ids,
        )
        .await?;
    tracing::info!(session_id = %session.id, "identification session opened");
    Ok(opened(
        &session.url,
        language,
        new_cookie.then_some(key.as_str()),
        &state,
    ))
}

/// The language the customer uses, for the webview URL: an unreadable one is left out.
pub(crate) fn webview_language(
    query: Result<Query<OpenQuery>, QueryRejection>,
) -> Option<Language> {
    query
        .ok()
        .and_then(|Query(query)| query.lang)
        .and_then(|tag| Language::from_tag(&tag))
}

/// What keeps other requests for an onboarding waiting while this one opens or continues its
/// identification: this instance's lock and the database lease (other instances).
pub(crate) struct Held {
    _lock: tokio::sync::OwnedMutexGuard<()>,
    _lease: crate::store::Lease,
}

/// Holds an onboarding for one request (within its rate limit) and reads it afresh once held:
/// a request that waited finds what the one before it did. A request that waited too long for
/// the lease is told to try again.
pub(crate) async fn hold(
    state: &AppState,
    onboarding_id: &str,
) -> Result<(Held, Onboarding), ApiError> {
    state.rate_limits.check_open(onboarding_id)?;
    held(state, onboarding_id).await
}

/// [`hold`] for a call whose rate limit was checked already.
pub(crate) async fn held(
    state: &AppState,
    onboarding_id: &str,
) -> Result<(Held, Onboarding), ApiError> {
    let lock = state.lock_for(onboarding_id).lock_owned().await;
    let (lease, onboarding) = match state.store.lease(onboarding_id).await? {
        Leased::Held(lease, onboarding) => (lease, *onboarding),
        Leased::Busy => return Err(ApiError::TooManyRequests(5)),
        Leased::Gone => return Err(ApiError::NoOnboarding),
    };
    // The customer goes on: no earlier outcome answers their next poll.
    state.forget_outcome(onboarding_id);
    Ok((
        Held {
            _lock: lock,
            _lease: lease,
        },
        onboarding,
    ))
}

/// The person for an onboarding that has none yet: created at Solaris, unless an earlier
/// creation whose answer was lost made it already (then it is looked up, never made twice).
///
/// A creation whose answer never came (a timeout, a dropped connection; a crash of ours after
/// sending it) may still be under way at Solaris: until twice the time limit has passed since it
/// was sent, a person not found yet is not created again; the customer is asked to try again in
/// a moment (503 `solaris_busy` with `Retry-After`).
async fn created_person(
    state: &AppState,
    onboarding: &Onboarding,
    person: &bankident_domain::Person,
) -> Result<String, ApiError> {
    if let Some(requested_at) = &onboarding.person_requested_at {
        if let Some(id) = state.solaris.find_person(person).await? {
            state.store.set_person(&onboarding.id, &id).await?;
            tracing::info!(person_id = %id, "person found: the answer to its creation was lost");
            return Ok(id);
        }
        let settled = time::OffsetDateTime::parse(
            requested_at,
            &time::format_description::well_known::Rfc3339,
        )
        .map(|at| at + state.config.solaris.timeout * 2)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let wait = settled - time::OffsetDateTime::now_utc();
        if wait.is_positive() {
            let seconds = u64::try_from(wait.whole_seconds()).unwrap_or(0) + 1;
            return Err(ApiError::SolarisBusy(seconds));
        }
    }
    state.store.set_person_requested(&onboarding.id).await?;
    match state.solaris.create_person(person).await {
        Ok(id) => {
            state.store.set_person(&onboarding.id, &id).await?;
            tracing::info!(person_id = %id, "person created");
            Ok(id)
        }
        Err(error) => {
            // Solaris answered: it made no person (a 500 that made one anyway is not guarded
            // against). Only an answer that never came leaves something to look for.
            if !matches!(error, SolarisError::NoAnswer(_)) {
                state
                    .store
                    .set_person_request_answered(&onboarding.id)
                    .await?;
            }
            Err(error.into())
        }
    }
}

/// The onboarding's person, if Solaris still knows it and it can take the customer's answers,
/// with the ids of its identifications so far; brought up to date first. `None` when a new
/// person is needed (Solaris deleted it, or fields no `PATCH` can change differ before any
/// attempt); the onboarding then forgets it.
async fn existing_person(
    state: &AppState,
    onboarding: &mut Onboarding,
    person_id: String,
    person: &bankident_domain::Person,
) -> Result<Option<(String, Vec<String>)>, ApiError> {
    let known: Vec<String> = match state.solaris.identifications(&person_id).await {
        Ok(identifications) => identifications
            .into_iter()
            .map(|identification| identification.id)
            .collect(),
        Err(error) if error.is_model_not_found() => {
            state.store.forget_person(&onboarding.id).await?;
            onboarding.mobile_number_created = false;
            return Ok(None);
        }
        Err(error) => return Err(error.into()),
    };
    match correct_person(state, &person_id, person, !known.is_empty()).await? {
        Correction::Done { mobile_number_gone } => {
            if mobile_number_gone {
                onboarding.mobile_number_created = false;
            }
            Ok(Some((person_id, known)))
        }
        Correction::NewPersonNeeded => {
            tracing::info!(person_id = %person_id, "locked fields changed before any attempt: a new person");
            state.store.forget_person(&onboarding.id).await?;
            onboarding.mobile_number_created = false;
            Ok(None)
        }
    }
}

/// Creates the customer's mobile number at Solaris unless it exists there already.
async fn ensure_mobile_number(
    state: &AppState,
    onboarding: &mut Onboarding,
    person_id: &str,
    person: &bankident_domain::Person,
) -> Result<(), ApiError> {
    if onboarding.mobile_number_created {
        return Ok(());
    }
    state
        .solaris
        .create_mobile_number(person_id, person.mobile_number.as_str())
        .await?;
    // Stored with the session that follows (one write fewer); a retry before that finds the
    // number at Solaris (409) and goes on.
    onboarding.mobile_number_created = true;
    Ok(())
}

/// What bringing an existing person up to date with the customer's answers came to.
enum Correction {
    /// Solaris holds the answers now; the mobile number is to be created again when it was
    /// replaced or deleted.
    Done {
        /// The person has no mobile number at Solaris now.
        mobile_number_gone: bool,
    },
    /// Fields Solaris cannot change differ, and no identification was attempted: a new person
    /// takes the answers.
    NewPersonNeeded,
}

/// Sends the customer's changed answers to Solaris before a new session opens: a `PATCH` of the
/// updatable fields, and a changed mobile number replaced (deleted, then created by the caller).
/// Fields no `PATCH` can change, once an identification was attempted, need Solaris' support.
async fn correct_person(
    state: &AppState,
    person_id: &str,
    person: &bankident_domain::Person,
    attempted: bool,
) -> Result<Correction, ApiError> {
    let held = state.solaris.person(person_id).await?;
    let found = differences(&held, &person_request(person));
    if !found.locked.is_empty() {
        if !attempted {
            return Ok(Correction::NewPersonNeeded);
        }
        tracing::info!(fields = ?found.locked, "the customer changed fields Solaris cannot change");
        return Err(ApiError::CorrectionNotPossible);
    }
    if !found.patch.is_empty() {
        let fields: Vec<&String> = found.patch.keys().collect();
        if !state.solaris.update_person(person_id, &found.patch).await? {
            tracing::info!(?fields, "Solaris wants a change request for the correction");
            return Err(ApiError::CorrectionNotPossible);
        }
        tracing::info!(?fields, "person updated at Solaris");
    }
    let wanted_number = person.mobile_number.as_str();
    let mobile_number_gone = match state.solaris.mobile_number(person_id).await? {
        Some(held) if held.number == wanted_number => false,
        Some(held) => {
            state
                .solaris
                .delete_mobile_number(person_id, &held.number)
                .await?;
            tracing::info!("mobile number replaced at Solaris");
            true
        }
        None => true,
    };
    Ok(Correction::Done { mobile_number_gone })
}

/// Outcomes that close Bankident for this customer are enforced here, whatever page the
/// browser posts from: no new session is opened.
pub(crate) fn refuse_when_closed(onboarding: &Onboarding) -> Result<(), ApiError> {
    if onboarding.outcome_state != OnboardingState::Final {
        return Ok(());
    }
    let Some(category) = onboarding.outcome_category else {
        return Ok(());
    };
    if !closes_bankident(category) {
        return Ok(());
    }
    match category {
        OutcomeCategory::Success | OutcomeCategory::AlreadyIdentified => {
            Err(ApiError::AlreadyIdentified)
        }
        _ => Err(ApiError::NotPossible(
            onboarding
                .error_code
                .as_deref()
                .map_or(ErrorCode::GenericError, ErrorCode::parse),
        )),
    }
}

/// Where a pending onboarding's open identification goes on: the session's webview, or in the
/// API mode our signature page (which knows the step); `None` when nothing is open.
fn open_identification_url(state: &AppState, onboarding: &Onboarding) -> Option<String> {
    match state.config.mode_of(onboarding) {
        IdentificationMode::Webview => onboarding.session_url.clone(),
        IdentificationMode::Api => onboarding
            .bank_identification_id
            .as_ref()
            .map(|_| crate::api_mode::pages::SIGN.to_string()),
    }
}

/// "Send the customer to the webview" (or, in the API mode, to our next page), with the
/// cookie of a browser key that is new.
fn opened(
    url: &str,
    language: Option<Language>,
    new_key: Option<&str>,
    state: &AppState,
) -> Response {
    let url = if url.starts_with('/') {
        url.to_string()
    } else {
        state.config.webview_url(url, language)
    };
    let mut response = Json(OpenedIdentification { url }).into_response();
    if let Some(key) = new_key {
        response
            .headers_mut()
            .insert(header::SET_COOKIE, state.cookies.set_cookie(key));
    }
    response
}

/// `POST /api/identification/continue`: the open session again, without answers (a customer
/// continuing on another device, whose answers are in the first one's tab). 409
/// `no_open_session` when there is none to continue.
#[utoipa::path(
    post,
    path = "/api/identification/continue",
    tag = "app",
    params(OpenQuery),
    responses(
        (status = 200, description = "Send the customer to `url`", body = OpenedIdentification),
        (status = 404, description = "`no_onboarding`"),
        (status = 409, description = "`no_open_session`: start from the first question"),
        (status = 429, description = "`too_many_requests`; see `Retry-After`"),
    )
)]
pub async fn identification_continue(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    query: Result<Query<OpenQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    state.rate_limits.check_client(
        ClientCall::Open,
        client_address(&state, &headers, client.as_ref()),
    )?;
    let language = webview_language(query);
    let hash = browser_hash(&state, &headers).ok_or(ApiError::NoOnboarding)?;
    let onboarding = state
        .store
        .onboarding_by_browser(&hash)
        .await?
        .ok_or(ApiError::NoOnboarding)?;
    let (_held, onboarding) = hold(&state, &onboarding.id).await?;
    if onboarding.outcome_state == OnboardingState::Pending {
        // Only while Solaris says the session is open.
        current_outcome(&state, &onboarding).await?;
        if let Some(onboarding) = state.store.onboarding(&onboarding.id).await?
            && onboarding.outcome_state == OnboardingState::Pending
            && let Some(url) = open_identification_url(&state, &onboarding)
        {
            return Ok(opened(&url, language, None, &state));
        }
    }
    Err(ApiError::NoOpenSession)
}

/// The answers the partner already knew.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PrefillAnswer {
    /// `null` when there are none (or the onboarding has ended).
    pub prefill: Option<Prefill>,
    /// How this customer identifies: `webview` or `api` (then the app shows its own steps and
    /// does not ask for the IBAN a second time).
    pub mode: IdentificationMode,
}

/// The answers the partner already knew, for the customer's screens.
#[utoipa::path(
    get,
    path = "/api/onboarding/prefill",
    tag = "app",
    responses((status = 200, body = PrefillAnswer))
)]
pub async fn prefill_show(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<PrefillAnswer>, ApiError> {
    let onboarding = match browser_hash(&state, &headers) {
        Some(hash) => state.store.onboarding_by_browser(&hash).await?,
        None => None,
    };
    let mode = onboarding
        .as_ref()
        .map_or(state.config.default_mode, |onboarding| {
            state.config.mode_of(onboarding)
        });
    let stored = match onboarding {
        Some(onboarding) => state.store.prefill(&onboarding.id).await?,
        None => None,
    };
    let prefill = stored
        .map(|text| serde_json::from_str::<Prefill>(&text))
        .transpose()
        .map_err(|error| ApiError::Internal(format!("stored prefill: {error}")))?;
    Ok(Json(PrefillAnswer { prefill, mode }))
}

/// How the identification of this browser stands, from Solaris (webhooks only make a final
/// state known sooner).
#[utoipa::path(
    get,
    path = "/api/identification/outcome",
    tag = "app",
    responses((status = 200, body = Outcome), (status = 502, description = "`solaris_unavailable`"))
)]
pub async fn outcome_show(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Outcome>, ApiError> {
    let Some(hash) = browser_hash(&state, &headers) else {
        return Ok(Json(not_started()));
    };
    let Some(onboarding) = state.store.onboarding_by_browser(&hash).await? else {
        return Ok(Json(not_started()));
    };
    if onboarding.outcome_state != OnboardingState::Pending {
        return Ok(Json(current_outcome(&state, &onboarding).await?));
    }
    // One Solaris read at a time per onboarding, shared by the polls that waited for it, and an
    // identification under way reused for a moment: however many tabs and devices poll,
    // Solaris sees about one read per onboarding at a time.
    let arrived = std::time::Instant::now();
    let lock = state.lock_for(&format!("outcome:{}", onboarding.id));
    let _guard = lock.lock().await;
    if let Some(cached) = state.cached_outcome(&onboarding.id, arrived) {
        return Ok(Json(cached));
    }
    let outcome = current_outcome(&state, &onboarding).await?;
    state.cache_outcome(&onboarding.id, &outcome);
    Ok(Json(outcome))
}

/// The IBAN lookup's body (the IBAN travels in the body, never in a URL).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct IbanLookupRequest {
    /// The IBAN as typed.
    #[serde(default)]
    iban: String,
}

/// A valid German IBAN and its bank.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IbanLookupAnswer {
    /// Electronic form (no spaces).
    pub iban: String,
    /// In groups of four.
    pub formatted: String,
    /// The German bank code (BLZ).
    pub bank_code: String,
    /// The bank's name, when the Bundesbank directory knows the bank code.
    pub bank_name: Option<String>,
    /// Its BIC, likewise.
    pub bic: Option<String>,
}

/// Checks an IBAN and names its bank.
#[utoipa::path(
    post,
    path = "/api/iban_lookups",
    tag = "app",
    request_body = IbanLookupRequest,
    responses(
        (status = 200, body = IbanLookupAnswer),
        (status = 422, description = "Not a valid German IBAN", body = FieldErrorsResponse),
        (status = 429, description = "`too_many_requests`: more than 20 at once or 60 a minute from this browser; see `Retry-After`"),
    )
)]
pub async fn iban_lookup_create(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<IbanLookupRequest>,
) -> Result<Json<IbanLookupAnswer>, ApiError> {
    state.rate_limits.check_client(
        ClientCall::Lookup,
        client_address(&state, &headers, client.as_ref()),
    )?;
    state
        .rate_limits
        .check_lookup(browser_hash(&state, &headers).as_deref())?;
    let iban = parse_iban(&request.iban)?;
    let bank = bank_of(&iban);
    Ok(Json(IbanLookupAnswer {
        iban: iban.electronic().to_string(),
        formatted: iban.to_string(),
        bank_code: iban.bank_code().to_string(),
        bank_name: bank.map(|bank| bank.name.to_string()),
        bic: bank.map(|bank| bank.bic.to_string()),
    }))
}

/// An IBAN from a request body, or the IBAN field's error (the screens' own message for it).
pub(crate) fn parse_iban(text: &str) -> Result<Iban, ApiError> {
    Iban::parse(text).map_err(|error| {
        ApiError::Invalid(vec![FieldError::new(Field::Iban, Problem::from(error))])
    })
}
