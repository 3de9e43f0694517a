//! The identifications' API: `POST`/`GET /v1/persons/{person_id}/identifications`, the
//! `request`, `authorize` and `confirm` steps, and the documents' files, validated as Solaris
//! does before the engine acts.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use solaris_contract::pages::PageQuery;
use solaris_contract::sessions::METHOD_BANK;
use solaris_contract::{IdentificationRequest, TokenRequest};

use super::json_body::SolarisJson;
use super::pages::page_response;
use crate::Sandbox;
use crate::error::{ApiError, ApiResult};

/// `POST /v1/persons/{person_id}/identifications`.
pub async fn identification_create(
    State(sandbox): State<Sandbox>,
    Path(person_id): Path<String>,
    SolarisJson(body): SolarisJson<IdentificationRequest>,
) -> ApiResult {
    if body.method != METHOD_BANK {
        return Err(ApiError::invalid_model(
            "method",
            "is not supported by the emulator (only bank)",
        ));
    }
    let json = sandbox.create_identification(
        &person_id,
        &body.iban,
        body.terms_and_conditions_signed_at,
        None,
    )?;
    Ok((StatusCode::CREATED, Json(json)).into_response())
}

/// `GET /v1/persons/{person_id}/identifications`, one page at a time, oldest first.
pub async fn identification_index(
    State(sandbox): State<Sandbox>,
    Path(person_id): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult {
    page_response(&sandbox.identifications_of(&person_id)?, query)
}

/// `GET /v1/persons/{person_id}/identifications/{id}`.
pub async fn identification_show(
    State(sandbox): State<Sandbox>,
    Path((person_id, id)): Path<(String, String)>,
) -> ApiResult {
    Ok(Json(sandbox.show_identification(&person_id, &id)?).into_response())
}

/// `PATCH /v1/persons/{person_id}/identifications/{id}/request`: starts the payment
/// initiation; the answer's `url` is the payment wizard.
pub async fn identification_request(
    State(sandbox): State<Sandbox>,
    Path((person_id, id)): Path<(String, String)>,
) -> ApiResult {
    Ok(Json(sandbox.request_identification(&person_id, &id)?).into_response())
}

/// `PATCH /v1/persons/{person_id}/identifications/{id}/authorize`: starts the QES.
pub async fn identification_authorize(
    State(sandbox): State<Sandbox>,
    Path((person_id, id)): Path<(String, String)>,
) -> ApiResult {
    Ok(Json(sandbox.authorize_qes(&person_id, &id)?).into_response())
}

/// `PATCH /v1/persons/{person_id}/identifications/{id}/confirm` with `{"token": "<SMS code>"}`.
pub async fn identification_confirm(
    State(sandbox): State<Sandbox>,
    Path((person_id, id)): Path<(String, String)>,
    SolarisJson(body): SolarisJson<TokenRequest>,
) -> ApiResult {
    Ok(Json(sandbox.confirm_qes(&person_id, &id, &body.token)?).into_response())
}

/// `GET /v1/persons/{person_id}/identifications/{id}/documents/{document_id}/file`: the PDF.
pub async fn document_download(
    State(sandbox): State<Sandbox>,
    Path((person_id, id, document_id)): Path<(String, String, String)>,
) -> ApiResult {
    let (pdf, name) = sandbox.document_pdf(&person_id, &id, &document_id)?;
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        pdf,
    )
        .into_response())
}
