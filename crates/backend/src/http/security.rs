//! Security headers on every response: a strict Content-Security-Policy (no 'unsafe-inline',
//! no 'unsafe-eval'; 'wasm-unsafe-eval' for WebAssembly and the hash of the app's inline loader
//! script), framing from configuration, and the usual hardening headers.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

use super::AppState;
use super::app_shell::{AppShells, PRELOAD_FILE};
use crate::config::Config;

/// The `'sha256-…'` sources of every inline `<script>` of an HTML page that runs (data blocks
/// such as `type="application/json"` do not).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    inline_hashes(html, "script")
        .into_iter()
        .filter(|(opening, _)| !opening.contains("application/json"))
        .map(|(_, hash)| hash)
        .collect()
}

/// The `'sha256-…'` sources of every inline `<style>` of an HTML page (the partner's colours).
pub fn inline_style_hashes(html: &str) -> Vec<String> {
    inline_hashes(html, "style")
        .into_iter()
        .map(|(_, hash)| hash)
        .collect()
}

/// Each inline `<tag>` element's opening tag and the CSP hash source of its content.
fn inline_hashes<'a>(html: &'a str, tag: &str) -> Vec<(&'a str, String)> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after_tag = &rest[start..];
        let Some(open_end) = after_tag.find('>') else {
            break;
        };
        let opening = &after_tag[..open_end];
        let body_and_rest = &after_tag[open_end + 1..];
        let Some(close_at) = body_and_rest.find(&close) else {
            break;
        };
        if !opening.contains(" src=") {
            let digest = Sha256::digest(&body_and_rest.as_bytes()[..close_at]);
            hashes.push((
                opening,
                format!(
                    "'sha256-{}'",
                    base64::engine::general_purpose::STANDARD.encode(digest)
                ),
            ));
        }
        rest = &body_and_rest[close_at..];
    }
    hashes
}

/// Adds `extra` at the end of the page's `<head>` (after its stylesheets).
pub fn with_head_end(index_html: &str, extra: &str) -> String {
    match index_html.find("</head>") {
        Some(position) if !extra.is_empty() => {
            format!(
                "{}{extra}{}",
                &index_html[..position],
                &index_html[position..]
            )
        }
        _ => index_html.to_string(),
    }
}

/// Adds `extra` at the start of the page's `<head>`.
pub fn with_head(index_html: &str, extra: &str) -> String {
    match index_html.find("<head>") {
        Some(position) if !extra.is_empty() => {
            let head_end = position + "<head>".len();
            format!(
                "{}{extra}{}",
                &index_html[..head_end],
                &index_html[head_end..]
            )
        }
        _ => index_html.to_string(),
    }
}

/// The Content-Security-Policy for the app and the embedded emulator's screens.
pub fn content_security_policy(index_html: &str, frame_ancestors: &str, https: bool) -> String {
    let scripts = inline_script_hashes(index_html).join(" ");
    let styles: String = inline_style_hashes(index_html)
        .iter()
        .map(|hash| format!(" {hash}"))
        .collect();
    let upgrade = if https {
        "; upgrade-insecure-requests"
    } else {
        ""
    };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {scripts}; style-src 'self'{styles}; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors {frame_ancestors}{upgrade}"
    )
}

/// The app shell, naming the one origin allowed to frame it (if `frame_ancestors` is a single
/// origin), so the app posts its events to that parent and never to `'*'`.
pub fn with_parent_origin(index_html: &str, frame_ancestors: &str) -> String {
    let origin = frame_ancestors.trim();
    let single_origin = (origin.starts_with("https://") || origin.starts_with("http://localhost"))
        && !origin.contains([' ', '"', '<', '>', '\'', '*']);
    if single_origin {
        with_head(
            index_html,
            &format!(r#"<meta name="bankident-parent-origin" content="{origin}">"#),
        )
    } else {
        index_html.to_string()
    }
}

/// The built app's shells with the partner's brand and the allowed parent written in, and
/// the Content-Security-Policy that fits them; fails with a message saying what to fix.
pub fn app_shells_and_policy(config: &Config) -> Result<(AppShells, String), String> {
    let index_path = config.dist_dir.join("index.html");
    let index_html = std::fs::read(&index_path).map_err(|error| {
        format!("cannot read {} ({error}): build the app first (`cargo xtask run` does) or set BANKIDENT_DIST_DIR", index_path.display())
    })?;
    let index_html = with_head(
        &with_parent_origin(
            &String::from_utf8_lossy(&index_html),
            &config.frame_ancestors,
        ),
        &config.brand.data_html(),
    );
    let index_html = with_head_end(&index_html, &config.brand.style_html());
    let csp = content_security_policy(&index_html, &config.frame_ancestors, config.is_https());
    let preload_path = config.dist_dir.join(PRELOAD_FILE);
    let preload_json = std::fs::read_to_string(&preload_path).ok();
    let app_shells = AppShells::new(&index_html, preload_json.as_deref())
        .map_err(|error| format!("{}: {error}", preload_path.display()))?;
    Ok((app_shells, csp))
}

/// Adds the security headers to every response.
pub async fn add_security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    // Answers about one customer (the APIs, start links) are never stored by a cache.
    let about_one_customer = ["/api/", "/partner/", "/start"]
        .iter()
        .any(|prefix| path.starts_with(prefix));
    if about_one_customer && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let mut set = |name: HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(header::CONTENT_SECURITY_POLICY, &state.web.csp);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "no-referrer");
    set(
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    );
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    if state.config.frame_ancestors == "'none'" {
        set(header::X_FRAME_OPTIONS, "DENY");
    }
    if state.config.is_https() {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_only() {
        let html = r#"<script type="module">import init from '/a.js';</script><script src="/b.js"></script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"import init from '/a.js';"));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
    }

    #[test]
    fn a_single_framing_origin_is_named_to_the_app() {
        let html = "<html><head><title>x</title></head></html>";
        assert!(
            with_parent_origin(html, "https://partner.example").contains(
                r#"<head><meta name="bankident-parent-origin" content="https://partner.example">"#
            )
        );
        assert_eq!(with_parent_origin(html, "'none'"), html);
        assert_eq!(
            with_parent_origin(html, "https://a.example https://b.example"),
            html,
            "several origins: none is named"
        );
    }

    #[test]
    fn data_blocks_are_not_scripts_and_styles_are_hashed() {
        let html =
            r#"<script type="application/json" id="b">{}</script><style>:root{--a:#000;}</style>"#;
        assert!(inline_script_hashes(html).is_empty());
        let csp = content_security_policy(html, "'none'", false);
        let expected =
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b":root{--a:#000;}"));
        assert!(
            csp.contains(&format!("style-src 'self' 'sha256-{expected}';")),
            "{csp}"
        );
    }

    #[test]
    fn policy_is_strict() {
        let csp = content_security_policy("<script>x</script>", "'none'", true);
        assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"));
        assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("'sha256-"));
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.ends_with("upgrade-insecure-requests")
        );
    }
}
