//! Serving the Trunk build: files from dist/, and index.html for every other path so the app's
//! own router can show its pages (and its not-found page) on a reload or a deep link.

use std::path::Path;

use tower_http::services::{ServeDir, ServeFile};

/// The service for dist/ with the single-page-app fallback.
pub fn service(dist_dir: &Path) -> ServeDir<tower_http::set_status::SetStatus<ServeFile>> {
    ServeDir::new(dist_dir).not_found_service(ServeFile::new(dist_dir.join("index.html")))
}
