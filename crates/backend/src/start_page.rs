//! The start page. A browser whose identification is over for good (identified, or an outcome
//! that closes Bankident) is sent straight to its outcome page, instead of answering seven
//! question pages to learn again what the backend already knows.

use axum::extract::{Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use bankident_domain::{OutcomeCategory, closes_bankident};

use crate::AppState;
use crate::browser::{browser_key, key_hash};
use crate::static_files;

/// `GET /`.
pub async fn start_page_show(State(state): State<AppState>, request: Request) -> Response {
    if is_over(&state, request.headers()).await {
        // Only the query (the language) travels along; the target is always our own page.
        let query = request
            .uri()
            .query()
            .map(|query| format!("?{query}"))
            .unwrap_or_default();
        let mut response = Redirect::to(&format!("/callback{query}")).into_response();
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
        return response;
    }
    let https = state.config.is_https();
    match static_files::serve(&state.config.dist_dir, &state.app_shells, https, request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

async fn is_over(state: &AppState, headers: &axum::http::HeaderMap) -> bool {
    let Some(key) = browser_key(headers, state.config.is_https()) else {
        return false;
    };
    let Ok(Some(onboarding)) = state.store.onboarding_by_browser(&key_hash(&key)).await else {
        return false;
    };
    onboarding.outcome_state == "final"
        && onboarding
            .outcome_category
            .as_deref()
            .and_then(OutcomeCategory::parse)
            .is_some_and(closes_bankident)
}
