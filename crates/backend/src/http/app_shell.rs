//! The app shell (the built index.html) as each page gets it. The release build splits the app
//! into page modules and writes `preload.json` next to index.html: for each page path, the
//! modules that page needs. A customer who opens such a page directly (a reload, the return
//! from the bank to `/callback`) gets `<link rel="preload">` tags for them, so they download
//! alongside the main module instead of after it.

use std::collections::HashMap;

use axum::body::Bytes;

/// The file of the release build that lists each page's modules.
pub const PRELOAD_FILE: &str = "preload.json";

/// index.html for every page path.
#[derive(Debug, Clone)]
pub struct AppShells {
    default: Bytes,
    by_path: HashMap<String, Bytes>,
}

impl AppShells {
    /// The shells for `index_html`, with the preloads of `preload_json` (when the build has one).
    pub fn new(index_html: &str, preload_json: Option<&str>) -> Result<AppShells, String> {
        let mut by_path = HashMap::new();
        if let Some(json) = preload_json {
            let pages: HashMap<String, Vec<String>> =
                serde_json::from_str(json).map_err(|error| {
                    format!("{PRELOAD_FILE} is not a map of paths to files: {error}")
                })?;
            for (path, files) in pages {
                if let Some(bad) = files.iter().find(|file| !is_plain_path(file)) {
                    return Err(format!("{PRELOAD_FILE}: {bad:?} is not a plain path"));
                }
                by_path.insert(path, Bytes::from(with_preloads(index_html, &files)));
            }
        }
        Ok(AppShells {
            default: Bytes::from(index_html.to_string()),
            by_path,
        })
    }

    /// The shell for a request path.
    pub fn for_path(&self, path: &str) -> Bytes {
        self.by_path.get(path).unwrap_or(&self.default).clone()
    }
}

/// An absolute path of letters, digits, `/`, `.`, `-` and `_` only (safe inside an attribute).
fn is_plain_path(file: &str) -> bool {
    file.starts_with('/')
        && file
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_'))
}

/// index.html with a preload link per file, at the end of `<head>`.
fn with_preloads(index_html: &str, files: &[String]) -> String {
    let links: String = files
        .iter()
        .map(|file| {
            format!(
                r#"<link rel="preload" href="{file}" as="fetch" type="application/wasm" crossorigin>"#
            )
        })
        .collect();
    match index_html.find("</head>") {
        Some(end) => format!("{}{links}{}", &index_html[..end], &index_html[end..]),
        None => index_html.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HTML: &str = "<html><head><title>t</title></head><body></body></html>";

    #[test]
    fn a_page_with_modules_gets_preload_links_and_others_the_plain_shell() {
        let json = r#"{"/name": ["/app-0123456789abcdef/chunk_1.wasm", "/app-0123456789abcdef/split_name_page.wasm"]}"#;
        let shells = AppShells::new(HTML, Some(json)).unwrap();
        let name = String::from_utf8(shells.for_path("/name").to_vec()).unwrap();
        assert!(name.contains(
            r#"<link rel="preload" href="/app-0123456789abcdef/chunk_1.wasm" as="fetch" type="application/wasm" crossorigin>"#
        ));
        assert!(name.contains(
            r#"split_name_page.wasm" as="fetch" type="application/wasm" crossorigin></head>"#
        ));
        assert_eq!(name.matches("rel=\"preload\"").count(), 2);
        assert_eq!(shells.for_path("/").as_ref(), HTML.as_bytes());
        assert_eq!(
            AppShells::new(HTML, None)
                .unwrap()
                .for_path("/name")
                .as_ref(),
            HTML.as_bytes()
        );
    }

    #[test]
    fn a_broken_or_unsafe_preload_file_is_refused() {
        assert!(AppShells::new(HTML, Some("[1, 2]")).is_err());
        let quote = r#"{"/name": ["/x\"><script>.wasm"]}"#;
        assert!(
            AppShells::new(HTML, Some(quote))
                .unwrap_err()
                .contains("not a plain path")
        );
    }
}
