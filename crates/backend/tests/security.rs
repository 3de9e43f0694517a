//! Headers on every response, and how the built app is served.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use sha2::{Digest, Sha256};
use support::{Backend, Emulator, LOADER, fresh_dir};

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("headers"), &[]).await;
    let loader_hash =
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(LOADER.as_bytes()));
    for path in [
        "/",
        "/callback",
        "/health",
        "/api/identification/outcome",
        "/app-0123456789abcdef.js",
        "/missing.js",
    ] {
        let (_, headers, _) = backend.send(get(path)).await;
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains(&format!("'sha256-{loader_hash}'")),
            "{path}: the app's loader is allowed by its hash"
        );
        assert!(
            csp.contains("'wasm-unsafe-eval'")
                && !csp.contains("unsafe-inline")
                && !csp.contains("'unsafe-eval'"),
            "{path}"
        );
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"),
            "{path}"
        );
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(headers[header::REFERRER_POLICY], "no-referrer", "{path}");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{path}");
        assert_eq!(
            headers["cross-origin-opener-policy"], "same-origin",
            "{path}"
        );
        assert!(
            headers["permissions-policy"]
                .to_str()
                .unwrap()
                .contains("camera=()"),
            "{path}"
        );
        assert!(headers.contains_key("x-request-id"), "{path}");
        assert!(
            !headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
            "{path}: no HSTS over http"
        );
    }
}

#[tokio::test]
async fn https_and_framing_follow_the_configuration() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(
        &emulator,
        &fresh_dir("https"),
        &[
            ("BANKIDENT_PUBLIC_URL", "https://onboarding.partner.example"),
            ("BANKIDENT_FRAME_ANCESTORS", "https://app.partner.example"),
        ],
    )
    .await;
    let (_, headers, body) = backend.send(get("/")).await;
    assert!(
        body.contains(
            r#"<meta name="bankident-parent-origin" content="https://app.partner.example">"#
        ),
        "the app learns its parent"
    );
    assert!(
        headers[header::STRICT_TRANSPORT_SECURITY]
            .to_str()
            .unwrap()
            .starts_with("max-age=")
    );
    let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors https://app.partner.example")
            && csp.contains("upgrade-insecure-requests")
    );
    assert!(
        !headers.contains_key(header::X_FRAME_OPTIONS),
        "framing is allowed for the partner"
    );
    let cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.starts_with("__Host-bankident=")
            && cookie.contains("; Secure")
            && cookie.contains("HttpOnly")
    );
}

#[tokio::test]
async fn the_app_is_served_with_the_right_caching() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("static"), &[]).await;
    let (status, headers, body) = backend.send(get("/")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(LOADER));
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    let cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "a new browser gets its cookie"
    );

    let (status, headers, _) = backend.send(get("/app-0123456789abcdef.js")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    let brotli = Request::get("/app-0123456789abcdef.js")
        .header(header::ACCEPT_ENCODING, "br, gzip")
        .body(Body::empty())
        .unwrap();
    let (_, headers, body) = backend.send(brotli).await;
    assert_eq!(
        headers[header::CONTENT_ENCODING],
        "br",
        "the precompressed twin"
    );
    assert_eq!(body, "fake brotli");

    for page in ["/callback", "/name", "/no/such/page"] {
        let (status, headers, body) = backend.send(get(page)).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{page}"
        );
        assert!(
            body.contains(LOADER),
            "{page}: the app decides what to show"
        );
    }
    let (status, _, _) = backend.send(get("/missing-0123456789abcdef.js")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a missing asset is not the app"
    );
    let (_, headers, _) = backend.send(get("/robots.txt")).await;
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn health_and_readiness() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("health"), &[]).await;
    let (status, _, body) = backend.send(get("/health")).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, r#"{"status":"ok"}"#)
    );
    let (status, _, _) = backend.send(get("/ready")).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the app's page: readiness is not on the public port"
    );
    let (status, ready) = backend.ready().await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["missing_webhooks"], serde_json::json!([]));
    let ours = backend
        .state
        .store
        .subscriptions_for("PERSON_DELETED")
        .await
        .unwrap();
    backend
        .state
        .store
        .delete_subscription(&ours[0].0)
        .await
        .unwrap();
    let (status, ready) = backend.ready().await;
    assert_eq!(
        status,
        StatusCode::OK,
        "outcomes are still read from Solaris"
    );
    assert_eq!(
        ready["missing_webhooks"],
        serde_json::json!(["PERSON_DELETED"])
    );

    // A database without this build's latest migration (an older schema, a failed migration)
    // is not ready.
    let database = support::database_url(&backend.dir).await;
    sqlx::any::install_default_drivers();
    let other = sqlx::AnyPool::connect(&database).await.unwrap();
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&other)
    .await
    .unwrap();
    let (status, body) = backend.ready().await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["status"], "database not migrated");
}

#[tokio::test]
async fn odd_requests_get_plain_safe_answers() {
    let emulator = Emulator::start().await;
    let dir = fresh_dir("odd-requests");
    std::fs::create_dir_all(dir.join("dist/app-0123456789abcdef")).unwrap();
    let backend = Backend::start(&emulator, &dir, &[]).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for path in ["//app-0123456789abcdef", "/app-0123456789abcdef"] {
        let response = client
            .get(format!("{}{path}", backend.url))
            .send()
            .await
            .unwrap();
        assert!(
            response.headers().get("location").is_none(),
            "{path}: a folder is never a redirect (`//folder/` would leave the site)"
        );
    }

    let (status, headers, body) = backend.send(get("/api/nothing/here")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    assert!(body.contains("not_found"));
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let (_, headers, _) = backend.send(get("/api/identification/outcome")).await;
    assert_eq!(
        headers[header::CACHE_CONTROL],
        "no-store",
        "API answers are never cached"
    );

    let (status, _, _) = backend
        .send(Request::post("/name").body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);

    let (_, headers, _) = backend
        .send(
            Request::get("/health")
                .header("x-request-id", "chosen-by-the-client")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let id = headers["x-request-id"].to_str().unwrap();
    assert_ne!(id, "chosen-by-the-client", "request ids are ours");
    assert_eq!(id.len(), 36, "a UUID: {id}");

    let browser = backend.new_browser().await;
    let (status, _, body) = backend
        .send(
            Request::post("/api/iban_lookups")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, &browser)
                .header(header::ORIGIN, "null")
                .body(Body::from(r#"{"iban":"DE02120300000000202051"}"#))
                .unwrap(),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "`Origin: null` is not this site: {body}"
    );
}

#[tokio::test]
async fn a_browser_key_we_never_issued_is_not_adopted() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("made-up-key"), &[]).await;
    let open = |cookie: String| {
        Request::post("/api/identification")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, cookie)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(support::answers().to_string()))
            .unwrap()
    };
    let chosen = "a".repeat(64);
    for made_up in [
        format!("bankident={chosen}"),
        format!("bankident={chosen}{}", "b".repeat(32)),
    ] {
        let (status, headers, body) = backend.send(open(made_up.clone())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let given = headers[header::SET_COOKIE].to_str().unwrap();
        assert!(
            !given.contains(&chosen),
            "a new key replaces {made_up}: {given}"
        );
        assert!(
            backend
                .onboarding(&format!("bankident={chosen}"))
                .await
                .is_none()
        );
    }
    // An unsigned key from before cookies were signed, bound to its onboarding, keeps working.
    let legacy = "c".repeat(64);
    backend
        .state
        .store
        .create_onboarding(&bankident_backend::browser::key_hash(&legacy))
        .await
        .unwrap();
    let (status, headers, body) = backend.send(open(format!("bankident={legacy}"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        headers.get(header::SET_COOKIE).is_none(),
        "the bound key stays"
    );
    assert!(
        backend
            .onboarding(&format!("bankident={legacy}"))
            .await
            .unwrap()
            .session_id
            .is_some()
    );
}

#[tokio::test]
async fn too_many_lookups_from_one_browser_get_429_with_retry_after() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("rate-limits"), &[]).await;
    let browser = backend.new_browser().await;
    let lookup = |cookie: &str| {
        Request::post("/api/iban_lookups")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, cookie)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(r#"{"iban":"DE02120300000000202051"}"#))
            .unwrap()
    };
    for _ in 0..20 {
        let (status, _, body) = backend.send(lookup(&browser)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, headers, body) = backend.send(lookup(&browser)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let wait: u64 = headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait), "{wait}");
    assert!(body.contains("too_many_requests"));
    let other = backend.new_browser().await;
    let (status, _, _) = backend.send(lookup(&other)).await;
    assert_eq!(status, StatusCode::OK, "another browser has its own budget");
}
