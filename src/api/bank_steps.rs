//! The API mode's calls: the mobile number's code, the bank identification, the signature.

use bankident_domain::{BankStep, NextUrl};
use gloo_net::http::{Request, Response};
use serde::Deserialize;

use super::{ApiProblem, ErrorBody};

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

async fn send<T: for<'de> Deserialize<'de>>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, CodeProblem> {
    let unavailable = || CodeProblem::Other(ApiProblem::Unavailable);
    let response = request
        .map_err(|_| unavailable())?
        .send()
        .await
        .map_err(|_| unavailable())?;
    if response.status() != 200 {
        return Err(problem_of(response).await);
    }
    response.json::<T>().await.map_err(|_| unavailable())
}

/// Sends a new SMS code for the mobile number.
pub async fn send_mobile_code() -> Result<BankStep, CodeProblem> {
    send(Request::post("/api/mobile_number/code").build()).await
}

/// Verifies the mobile number with the code; returns where to go next.
pub async fn confirm_mobile_number(code: &str) -> Result<String, CodeProblem> {
    let request =
        Request::post("/api/mobile_number/confirm").json(&serde_json::json!({ "code": code }));
    send::<NextUrl>(request).await.map(|next| next.url)
}

/// Creates the bank identification with the IBAN (the customer accepted the signature terms);
/// returns the payment wizard's URL (in the customer's language where it takes one), or our next
/// page.
pub async fn open_bank_identification(
    iban: &str,
    language: bankident_domain::Language,
) -> Result<String, CodeProblem> {
    let path = format!("/api/bank_identification?lang={}", language.tag());
    let request = Request::post(&path).json(&serde_json::json!({
        "iban": iban,
        "signature_terms_accepted": true,
    }));
    send::<NextUrl>(request).await.map(|next| next.url)
}

/// Where the identification stands.
pub async fn bank_step() -> Result<BankStep, CodeProblem> {
    send(Request::get("/api/bank_identification").build()).await
}

/// Starts the signature, or sends a new code.
pub async fn authorize_signature() -> Result<BankStep, CodeProblem> {
    send(Request::post("/api/bank_identification/authorize").build()).await
}

/// Signs with the code.
pub async fn confirm_signature(code: &str) -> Result<BankStep, CodeProblem> {
    let request = Request::post("/api/bank_identification/confirm")
        .json(&serde_json::json!({ "code": code }));
    send(request).await
}

/// Where a document downloads from (the backend streams it to this browser only).
pub fn document_url(id: &str) -> String {
    format!("/api/bank_identification/documents/{id}")
}
