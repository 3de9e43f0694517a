//! The start page and the app's other pages. A browser whose identification is over for good
//! (identified, or an outcome that closes Bankident) is sent from the start page straight to its
//! outcome page, instead of answering seven question pages to learn again what the backend
//! already knows. With a partner configured, a browser that opened no start link is told to
//! open the one its provider gave it. A browser whose onboarding was erased is told so on any
//! page it opens.

use axum::extract::{Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};

use super::{AppState, static_files};
use crate::browser::key_hash;
use crate::onboarding::pages::LINK;

/// Where a browser whose onboarding was erased is sent.
fn erased_page() -> String {
    format!("{LINK}?problem=erased")
}

/// Every other path: dist/'s files, and the app shell for the app's pages.
pub async fn app_page_show(State(state): State<AppState>, request: Request) -> Response {
    let path = request.uri().path();
    if path != LINK
        && !static_files::looks_like_a_file(path)
        && browser_was_erased(&state, request.headers()).await
    {
        return redirect_keeping_language(&erased_page(), request.uri().query());
    }
    serve(&state, request).await
}

async fn serve(state: &AppState, request: Request) -> Response {
    match static_files::serve(
        &state.config.dist_dir,
        &state.web.app_shells,
        &state.web.cookies,
        request,
    )
    .await
    {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

async fn browser_was_erased(state: &AppState, headers: &axum::http::HeaderMap) -> bool {
    let hash = state.web.cookies.key(headers).map(|key| key_hash(&key));
    state.onboardings.browser_was_erased(hash.as_deref()).await
}

/// `GET /`.
pub async fn start_page_show(State(state): State<AppState>, request: Request) -> Response {
    if browser_was_erased(&state, request.headers()).await {
        return redirect_keeping_language(&erased_page(), request.uri().query());
    }
    if let Some(target) = elsewhere(&state, request.headers()).await {
        return redirect_keeping_language(&target, request.uri().query());
    }
    serve(&state, request).await
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
    let hash = state.web.cookies.key(headers).map(|key| key_hash(&key));
    state
        .onboardings
        .start_page_elsewhere(hash.as_deref())
        .await
}
