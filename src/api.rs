//! The backend's API, as the app uses it. The only module that talks HTTP. Requests carry no
//! personal data in URLs; the browser's cookie binds them to its onboarding.

use bankident_domain::{
    FieldError, FieldErrorsResponse, IdentificationMode, Language, OpenedIdentification, Outcome,
    PersonAnswers, Prefill,
};
pub mod bank_steps;

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::{Deserialize, Serialize};

use crate::page_alive::PageAlive;

/// Why a call did not work, as the screens need to know it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiProblem {
    /// The backend found these answers invalid.
    Invalid(Vec<FieldError>),
    /// The customer is already identified.
    AlreadyIdentified,
    /// Solaris refused: the Appendix III code.
    NotPossible(String),
    /// The changed answers cannot reach Solaris any more (names, birth data, nationality after
    /// an identification attempt).
    CorrectionNotPossible,
    /// This browser has no onboarding (it opened no start link of the partner).
    NoOnboarding,
    /// There is no open identification to continue.
    NoOpenSession,
    /// The service did not answer or failed: worth retrying.
    Unavailable,
}

/// The backend's error answer: what went wrong, and Solaris' code when it refused.
#[derive(Debug, Deserialize)]
pub(crate) struct ErrorBody {
    pub(crate) error: Option<String>,
    pub(crate) error_code: Option<String>,
}

/// Sends `request` (with `body` as JSON, if any) for the page of `page`: aborted when that page
/// goes away. Every call of the backend goes through here.
pub(crate) async fn fetch(
    request: RequestBuilder,
    body: Option<&impl Serialize>,
    page: PageAlive,
) -> Result<Response, gloo_net::Error> {
    let request = request.abort_signal(page.abort_signal().as_ref());
    match body {
        Some(body) => request.json(body)?.send().await,
        None => request.send().await,
    }
}

/// No body, for [`fetch`].
pub(crate) const NO_BODY: Option<&()> = None;

/// Opens the identification; returns the webview URL to send the customer to (in the API mode,
/// the path of our next page). The language
/// goes along so the webview speaks it too.
pub async fn open_identification(
    answers: &PersonAnswers,
    language: Language,
    page: PageAlive,
) -> Result<String, ApiProblem> {
    let request = Request::post(&format!("/api/identification?lang={}", language.tag()));
    let response = fetch(request, Some(answers), page).await;
    opened_url(response.map_err(|_| ApiProblem::Unavailable)?).await
}

/// Continues the open identification without answers (on another device than the one that
/// opened it); returns the webview URL.
pub async fn continue_identification(
    language: Language,
    page: PageAlive,
) -> Result<String, ApiProblem> {
    let path = format!("/api/identification/continue?lang={}", language.tag());
    let response = fetch(Request::post(&path), NO_BODY, page)
        .await
        .map_err(|_| ApiProblem::Unavailable)?;
    opened_url(response).await
}

/// The webview URL of an "opened" answer, or what went wrong.
async fn opened_url(response: Response) -> Result<String, ApiProblem> {
    match response.status() {
        200 => response
            .json::<OpenedIdentification>()
            .await
            .map(|opened| opened.url)
            .map_err(|_| ApiProblem::Unavailable),
        422 => {
            let body = response
                .json::<FieldErrorsResponse>()
                .await
                .map_err(|_| ApiProblem::Unavailable)?;
            Err(ApiProblem::Invalid(body.errors))
        }
        409 => {
            let body = response
                .json::<ErrorBody>()
                .await
                .map_err(|_| ApiProblem::Unavailable)?;
            match body.error.as_deref() {
                Some("already_identified") => Err(ApiProblem::AlreadyIdentified),
                Some("no_open_session") => Err(ApiProblem::NoOpenSession),
                Some("correction_not_possible") => Err(ApiProblem::CorrectionNotPossible),
                _ => Err(ApiProblem::NotPossible(body.error_code.unwrap_or_default())),
            }
        }
        404 => Err(ApiProblem::NoOnboarding),
        _ => Err(ApiProblem::Unavailable),
    }
}

/// What the backend tells a new tab: the answers the partner already knew, and the mode.
#[derive(Debug, Clone, Deserialize)]
pub struct OnboardingStart {
    /// The partner's answers, if any.
    pub prefill: Option<Prefill>,
    /// Webview or API mode.
    #[serde(default)]
    pub mode: IdentificationMode,
}

/// The answers the partner already knew about the customer, and how they identify.
pub async fn onboarding_start(page: PageAlive) -> Option<OnboardingStart> {
    let request = Request::get("/api/onboarding/prefill");
    let response = fetch(request, NO_BODY, page).await.ok()?;
    if response.status() != 200 {
        return None;
    }
    response.json::<OnboardingStart>().await.ok()
}

/// How the identification of this browser stands.
pub async fn outcome(page: PageAlive) -> Result<Outcome, ApiProblem> {
    let response = fetch(Request::get("/api/identification/outcome"), NO_BODY, page)
        .await
        .map_err(|_| ApiProblem::Unavailable)?;
    if response.status() != 200 {
        return Err(ApiProblem::Unavailable);
    }
    response
        .json::<Outcome>()
        .await
        .map_err(|_| ApiProblem::Unavailable)
}

/// A bank found for an IBAN.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BankInfo {
    /// The bank's name, if the directory knows its bank code.
    pub bank_name: Option<String>,
    /// The bank's BIC, likewise.
    pub bic: Option<String>,
}

/// The bank of a valid IBAN (sent in the body, never in the URL).
pub async fn iban_lookup(iban: &str, page: PageAlive) -> Option<BankInfo> {
    let body = serde_json::json!({ "iban": iban });
    let response = fetch(Request::post("/api/iban_lookups"), Some(&body), page)
        .await
        .ok()?;
    if response.status() != 200 {
        return None;
    }
    response.json::<BankInfo>().await.ok()
}

/// Waits `milliseconds` (for polling with backoff).
pub async fn sleep(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = leptos::prelude::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
