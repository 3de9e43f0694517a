//! The backend serves the built app and its health endpoint.

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bankident_backend::{Config, app};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A dist/ folder like Trunk's, in a fresh temporary folder.
fn fake_dist(test_name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "bankident-backend-{test_name}-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>app</title>").unwrap();
    std::fs::write(dir.join("app-0123abcd.js"), "export default 1;").unwrap();
    dir
}

fn config(dist_dir: PathBuf) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        dist_dir,
    }
}

async fn get(config: &Config, uri: &str) -> (StatusCode, Option<String>, String) {
    let response = app(config)
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|value| value.to_str().unwrap().to_string());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        content_type,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

#[tokio::test]
async fn health_answers_ok() {
    let config = config(fake_dist("health"));
    let (status, content_type, body) = get(&config, "/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type.as_deref(), Some("application/json"));
    assert_eq!(body, r#"{"status":"ok"}"#);
}

#[tokio::test]
async fn serves_the_app_and_its_assets() {
    let config = config(fake_dist("assets"));
    let (status, content_type, body) = get(&config, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.unwrap().starts_with("text/html"));
    assert!(body.contains("<title>app</title>"));
    let (status, content_type, _) = get(&config, "/app-0123abcd.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.unwrap().contains("javascript"));
}

#[tokio::test]
async fn app_routes_get_index_html_for_the_apps_router() {
    let config = config(fake_dist("spa"));
    for path in ["/name", "/callback", "/no/such/page"] {
        let (_, content_type, body) = get(&config, path).await;
        assert!(content_type.unwrap().starts_with("text/html"), "{path}");
        assert!(body.contains("<title>app</title>"), "{path}");
    }
}
