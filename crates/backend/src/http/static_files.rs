//! Serving the release build (`cargo xtask`): files from dist/ (precompressed `.br`/`.gz` twins
//! when the browser accepts them), long-lived caching for the hashed build folder
//! (`/app-<hash>/…`) and hashed file names, `no-cache` for everything else, and
//! index.html for the app's routes so a reload or deep link shows the right page. A missing
//! file (a path with an extension) is a 404, not the app.

use std::convert::Infallible;
use std::path::Path;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use super::app_shell::AppShells;
use crate::browser::{CookiePolicy, new_key};

/// Whether `name` ends in `-` and 8 to 16 hex digits (a content hash: the app folder's has 16,
/// Trunk's, a 64-bit number in hex without leading zeros, up to 16).
fn is_hashed(name: &str) -> bool {
    name.rsplit_once('-').is_some_and(|(_, hash)| {
        (8..=16).contains(&hash.len()) && hash.chars().all(|c| c.is_ascii_hexdigit())
    })
}

/// Cache-Control for a path: hashed assets never change, so browsers keep them for a year.
pub fn cache_control(path: &str) -> &'static str {
    let mut segments = path.trim_start_matches('/').split('/');
    let first = segments.next().unwrap_or_default();
    if segments.next().is_some() && first.starts_with("app-") && is_hashed(first) {
        return "public, max-age=31536000, immutable";
    }
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file
        .rsplit_once('.')
        .map_or(file, |(stem, _)| stem)
        .trim_end_matches("_bg");
    if is_hashed(stem) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// Whether a path names a file (the last segment has an extension) rather than an app page.
pub fn looks_like_a_file(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|segment| segment.contains('.'))
}

/// Serves a request from dist/, falling back to the page's app shell (held in memory) for app
/// pages.
/// The app shell also gives a new browser its cookie, so that even a double click on the very
/// first submit finds one onboarding.
pub async fn serve(
    dist_dir: &Path,
    app_shells: &AppShells,
    cookies: &CookiePolicy,
    request: Request,
) -> Result<Response, Infallible> {
    let path = request.uri().path().to_string();
    let needs_cookie = cookies.key(request.headers()).is_none();
    let is_index = path == "/" || path == "/index.html";
    if !is_index {
        // No trailing-slash redirects for folders: `//folder` would redirect to `//folder/`, a
        // protocol-relative address that leaves the site.
        let served = ServeDir::new(dist_dir)
            .append_index_html_on_directories(false)
            .precompressed_br()
            .precompressed_gzip()
            .oneshot(request)
            .await
            .map(IntoResponse::into_response)
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
        if served.status() != StatusCode::NOT_FOUND {
            let mut response = served;
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static(cache_control(&path)),
            );
            return Ok(response);
        }
        if looks_like_a_file(&path) {
            return Ok((
                StatusCode::NOT_FOUND,
                [(header::CACHE_CONTROL, "no-cache")],
                "not found",
            )
                .into_response());
        }
    }
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from(app_shells.for_path(&path)),
    )
        .into_response();
    if needs_cookie {
        let cookie = cookies.set_cookie(&new_key());
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hashed_names_are_cached_long() {
        assert_eq!(
            cache_control("/bankident-app-8310668c39242501.js"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("/bankident-app-8310668c39242501_bg.wasm"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("/main-b9b6c89ce8bd186f.css"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("/app-0123456789abcdef/chunk_12.wasm"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("/app-nothex/x.js"), "no-cache");
        // Trunk's CSS hash: 64 bits in hex, without leading zeros.
        assert_eq!(
            cache_control("/main-8a3f09c1d2e4b5a.css"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("/main-1f.css"), "no-cache");
        assert_eq!(cache_control("/index.html"), "no-cache");
        assert_eq!(cache_control("/robots.txt"), "no-cache");
        assert!(looks_like_a_file("/x-1.js") && !looks_like_a_file("/callback"));
    }
}
