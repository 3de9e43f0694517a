//! What the handlers take from a request: JSON bodies with our error answers (the app's, and
//! the partner API's problems), the partner API's query strings, the same-site check of
//! changing calls, the client's address (for its rate limits), the browser's key, and the
//! customer's language.

use axum::Extension;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bankident_domain::Language;
use serde::Deserialize;

use super::AppState;
use crate::browser::key_hash;
use crate::error::{ApiError, PartnerError};
use crate::onboarding::Browser;
use crate::serve::ClientAddress;

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

/// A partner API body: [`JsonBody`]'s checks, answered as problems.
pub struct PartnerJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for PartnerJson<T> {
    type Rejection = PartnerError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        JsonBody::<T>::from_request(request, state)
            .await
            .map(|JsonBody(value)| PartnerJson(value))
            .map_err(PartnerError::from)
    }
}

/// A partner API query string. One that cannot be read (an unknown parameter, one given
/// twice, a wrong type) is a 422 problem naming what serde found, never ignored: a misspelled
/// filter must not silently list everything.
pub struct PartnerQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for PartnerQuery<T> {
    type Rejection = PartnerError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| PartnerQuery(value))
            .map_err(|rejection| {
                let detail = rejection.body_text();
                let detail = detail
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&detail);
                PartnerError::invalid("query", "malformed", format!("the query string: {detail}"))
            })
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

impl FromRequestParts<AppState> for Browser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Browser, Self::Rejection> {
        let connection = parts
            .extensions
            .get::<ClientAddress>()
            .map(|address| address.0);
        Ok(Browser {
            hash: browser_hash(state, &parts.headers),
            address: state.config.client_address(&parts.headers, connection),
        })
    }
}

/// The hash the database knows the request's browser key by, when it has one.
pub fn browser_hash(state: &AppState, headers: &HeaderMap) -> Option<String> {
    state.web.cookies.key(headers).map(|key| key_hash(&key))
}

/// The query of the calls that send the customer on: the language they use.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpenQuery {
    /// `de` or `en`: the webview speaks it too, where a parameter for it is configured.
    lang: Option<String>,
}

/// The language the customer uses, for the webview URL: an unreadable one is left out.
pub fn webview_language(query: Result<Query<OpenQuery>, QueryRejection>) -> Option<Language> {
    query
        .ok()
        .and_then(|Query(query)| query.lang)
        .and_then(|tag| Language::from_tag(&tag))
}
