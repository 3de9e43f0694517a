//! The API mode's calls: the mobile number's code, the bank identification, the signature.

use bankident_domain::{BankStep, NextUrl};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::{Deserialize, Serialize};

use super::{ApiProblem, ErrorBody, NO_BODY, fetch};
use crate::page_alive::PageAlive;

/// Why a step with a code (or a new code) did not work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeProblem {
    /// Not six digits.
    Format,
    /// Wrong, expired, or replaced by a newer code.
    Invalid,
    /// A new code was asked for too soon: wait this many seconds.
    Cooldown(u64),
    /// Anything else.
    Other(ApiProblem),
}

/// The problem an error answer names.
async fn problem_of(response: Response) -> CodeProblem {
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|value| value.trim().parse::<u64>().ok());
    let body = response.json::<ErrorBody>().await.ok();
    let error = body.as_ref().and_then(|body| body.error.as_deref());
    match (status, error) {
        (422, Some("code_format")) => CodeProblem::Format,
        (422, Some("code_invalid")) => CodeProblem::Invalid,
        (429, Some("code_cooldown")) => CodeProblem::Cooldown(retry_after.unwrap_or(30)),
        (409, Some("already_identified")) => CodeProblem::Other(ApiProblem::AlreadyIdentified),
        (409, Some("identification_not_possible")) => CodeProblem::Other(ApiProblem::NotPossible(
            body.and_then(|body| body.error_code).unwrap_or_default(),
        )),
        (409 | 404, _) => CodeProblem::Other(ApiProblem::NoOpenSession),
        _ => CodeProblem::Other(ApiProblem::Unavailable),
    }
}

/// Sends one of the steps' requests and reads its answer, or the problem it names.
async fn send<T: for<'de> Deserialize<'de>>(
    request: RequestBuilder,
    body: Option<&impl Serialize>,
    page: PageAlive,
) -> Result<T, CodeProblem> {
    let unavailable = || CodeProblem::Other(ApiProblem::Unavailable);
    let response = fetch(request, body, page)
        .await
        .map_err(|_| unavailable())?;
    if response.status() != 200 {
        return Err(problem_of(response).await);
    }
    response.json::<T>().await.map_err(|_| unavailable())
}

/// Sends a new SMS code for the mobile number.
pub async fn send_mobile_code(page: PageAlive) -> Result<BankStep, CodeProblem> {
    send(Request::post("/api/mobile_number/code"), NO_BODY, page).await
}

/// Verifies the mobile number with the code; returns where to go next.
pub async fn confirm_mobile_number(code: &str, page: PageAlive) -> Result<String, CodeProblem> {
    let body = serde_json::json!({ "code": code });
    send::<NextUrl>(
        Request::post("/api/mobile_number/confirm"),
        Some(&body),
        page,
    )
    .await
    .map(|next| next.url)
}

/// Creates the bank identification with the IBAN (the customer accepted the signature terms);
/// returns the payment wizard's URL (in the customer's language where it takes one), or our next
/// page.
pub async fn open_bank_identification(
    iban: &str,
    language: bankident_domain::Language,
    page: PageAlive,
) -> Result<String, CodeProblem> {
    let path = format!("/api/bank_identification?lang={}", language.tag());
    let body = serde_json::json!({
        "iban": iban,
        "signature_terms_accepted": true,
    });
    send::<NextUrl>(Request::post(&path), Some(&body), page)
        .await
        .map(|next| next.url)
}

/// Where the identification stands.
pub async fn bank_step(page: PageAlive) -> Result<BankStep, CodeProblem> {
    send(Request::get("/api/bank_identification"), NO_BODY, page).await
}

/// Starts the signature, or sends a new code.
pub async fn authorize_signature(page: PageAlive) -> Result<BankStep, CodeProblem> {
    let request = Request::post("/api/bank_identification/authorize");
    send(request, NO_BODY, page).await
}

/// Signs with the code.
pub async fn confirm_signature(code: &str, page: PageAlive) -> Result<BankStep, CodeProblem> {
    let body = serde_json::json!({ "code": code });
    send(
        Request::post("/api/bank_identification/confirm"),
        Some(&body),
        page,
    )
    .await
}

/// Where a document downloads from (the backend streams it to this browser only).
pub fn document_url(id: &str) -> String {
    format!("/api/bank_identification/documents/{id}")
}
