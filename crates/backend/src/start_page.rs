//! The start page. A browser whose identification is over for good (identified, or an outcome
//! that closes Bankident) is sent straight to its outcome page, instead of answering seven
//! question pages to learn again what the backend already knows. With a partner configured, a
//! browser that opened no start link is told to open the one its provider gave it.

use axum::extract::{Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use bankident_domain::closes_bankident;

use crate::AppState;
use crate::browser::key_hash;
use crate::static_files;
use crate::store::{Onboarding, OnboardingState};

/// The app page that explains a start link that does not work, or a missing one.
pub const LINK_PAGE: &str = "/link";

/// `GET /`.
pub async fn start_page_show(State(state): State<AppState>, request: Request) -> Response {
    if let Some(target) = elsewhere(&state, request.headers()).await {
        return redirect_keeping_language(&target, request.uri().query());
    }
    match static_files::serve(
        &state.config.dist_dir,
        &state.app_shells,
        &state.cookies,
        request,
    )
    .await
    {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// A `303 See Other` to one of our own pages, never cached, with the request's query (the
/// language) added: the target is always a fixed path of ours.
pub fn redirect_keeping_language(target: &str, query: Option<&str>) -> Response {
    let target = match query.filter(|query| !query.is_empty()) {
        Some(query) if target.contains('?') => format!("{target}&{query}"),
        Some(query) => format!("{target}?{query}"),
        None => target.to_string(),
    };
    let mut response = Redirect::to(&target).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

/// Where a browser belongs instead of the start page, if anywhere.
async fn elsewhere(state: &AppState, headers: &axum::http::HeaderMap) -> Option<String> {
    let onboarding = match state.cookies.key(headers) {
        Some(key) => state
            .store
            .onboarding_by_browser(&key_hash(&key))
            .await
            .ok()
            .flatten(),
        None => None,
    };
    match onboarding {
        Some(onboarding) if is_over(&onboarding) => Some("/callback".into()),
        None if !state.config.demo_mode => Some(format!("{LINK_PAGE}?problem=missing")),
        _ => None,
    }
}

/// Whether the onboarding's identification is over for good.
pub fn is_over(onboarding: &Onboarding) -> bool {
    onboarding.outcome_state == OnboardingState::Final
        && onboarding.outcome_category.is_some_and(closes_bankident)
}
