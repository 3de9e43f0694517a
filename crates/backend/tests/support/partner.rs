//! The partner's side in tests: its API keys and webhook secret, a webhook receiver, and calls
//! of the partner API.

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use bankident_backend::browser::key_hash;
use bankident_backend::partner_events::signature;
use base64::Engine;
use serde_json::Value;
use serde_json::json;

use super::{Backend, Emulator, answers, fresh_dir};

pub const KEY: &str = "partner-test-key-0123456789abcdef-0001";
pub const OLD_KEY: &str = "partner-test-key-0123456789abcdef-0000";
pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A partner's webhook receiver on loopback: it keeps what it receives (as it arrives) and
/// answers with the status a test sets.
#[derive(Clone)]
pub struct Receiver {
    /// Where it receives.
    pub url: String,
    /// Every request's headers and body, in the order they arrived.
    pub received: Arc<Mutex<Vec<(HeaderMap, String)>>>,
    /// The status it answers with.
    pub answer: Arc<AtomicU16>,
    /// When set, the next request waits this long and then gets this status instead.
    pub slow_next: Arc<Mutex<Option<(Duration, u16)>>>,
}

impl Receiver {
    /// A receiver answering 204 until told otherwise.
    pub async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let receiver = Receiver {
            url: format!("http://{}/hooks", listener.local_addr().unwrap()),
            received: Arc::default(),
            answer: Arc::new(AtomicU16::new(204)),
            slow_next: Arc::default(),
        };
        let kept = receiver.clone();
        let router = axum::Router::new().route(
            "/hooks",
            axum::routing::post(move |headers: HeaderMap, body: Bytes| {
                let kept = kept.clone();
                async move {
                    kept.received
                        .lock()
                        .unwrap()
                        .push((headers, String::from_utf8_lossy(&body).into_owned()));
                    let slow = kept.slow_next.lock().unwrap().take();
                    let status = match slow {
                        Some((wait, status)) => {
                            tokio::time::sleep(wait).await;
                            status
                        }
                        None => kept.answer.load(Ordering::Relaxed),
                    };
                    StatusCode::from_u16(status).unwrap()
                }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        receiver
    }

    /// The bodies received, each checked as a receiver following Standard Webhooks that knows
    /// [`SECRET`] checks it.
    pub fn verified_events(&self) -> Vec<Value> {
        self.events_verified_with(SECRET)
    }

    /// The bodies received, each checked as a receiver that knows only `secret` checks it: one
    /// of the `webhook-signature` entries must be its signature.
    pub fn events_verified_with(&self, secret: &str) -> Vec<Value> {
        let key = base64::engine::general_purpose::STANDARD
            .decode(secret.trim_start_matches("whsec_"))
            .unwrap();
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|(headers, body)| {
                let get = |name: &str| headers[name].to_str().unwrap().to_string();
                let timestamp: i64 = get("webhook-timestamp").parse().unwrap();
                let now = time::OffsetDateTime::now_utc().unix_timestamp();
                assert!((now - timestamp).abs() < 300, "inside the replay window");
                let expected = signature(&key, &get("webhook-id"), timestamp, body);
                let given = get("webhook-signature");
                assert!(
                    given.split(' ').any(|entry| entry == expected),
                    "{given:?} holds no signature of this secret"
                );
                let event: Value = serde_json::from_str(body).unwrap();
                assert_eq!(event["id"], get("webhook-id"));
                event
            })
            .collect()
    }
}

/// The partner mode's settings (no demo), with both API keys and the receiver as its webhook.
fn partner_settings(receiver: &Receiver) -> [(&'static str, String); 4] {
    [
        ("BANKIDENT_DEMO_MODE", "false".into()),
        (
            "BANKIDENT_PARTNER_API_KEYS",
            format!("current:{KEY},rotating-out:{OLD_KEY}"),
        ),
        ("BANKIDENT_PARTNER_WEBHOOK_URL", receiver.url.clone()),
        ("BANKIDENT_PARTNER_WEBHOOK_SECRET", SECRET.into()),
    ]
}

/// A backend in the partner mode, on a database of its own.
pub async fn partner_backend(name: &str, emulator: &Emulator, receiver: &Receiver) -> Backend {
    another_instance(&fresh_dir(name), emulator, receiver).await
}

/// A partner-mode instance on the database in `dir` (a restart, or a second instance beside
/// the first).
pub async fn another_instance(
    dir: &std::path::Path,
    emulator: &Emulator,
    receiver: &Receiver,
) -> Backend {
    let settings = partner_settings(receiver);
    let settings: Vec<(&str, &str)> = settings
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    Backend::start(emulator, dir, &settings).await
}

/// A backend in the partner mode without a webhook URL (events are recorded as `not_sent`).
pub async fn partner_backend_without_webhook(
    dir: &std::path::Path,
    emulator: &Emulator,
) -> Backend {
    let keys = format!("{KEY},{OLD_KEY}");
    Backend::start(
        emulator,
        dir,
        &[
            ("BANKIDENT_DEMO_MODE", "false"),
            ("BANKIDENT_PARTNER_API_KEYS", &keys),
        ],
    )
    .await
}

/// A call of the partner API, with `key` as the bearer token.
pub async fn partner_call(
    backend: &Backend,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(key) = key {
        request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
    }
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let (status, _, body) = backend.send(request).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// Opens a start link in a browser (`None`: a new browser); returns the cookie and where the
/// browser was sent.
pub async fn open_link(backend: &Backend, url: &str, cookie: Option<&str>) -> (String, String) {
    let path = url.strip_prefix(&backend.url).unwrap();
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let (status, headers, _) = backend.send(request.body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = match cookie {
        Some(cookie) => cookie.to_string(),
        None => headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string(),
    };
    (
        cookie,
        headers[header::LOCATION].to_str().unwrap().to_string(),
    )
}

/// Creates an onboarding for `reference` through the partner API.
pub async fn create(backend: &Backend, reference: &str) -> (StatusCode, Value) {
    partner_call(
        backend,
        "POST",
        "/partner/v1/onboardings",
        Some(KEY),
        Some(json!({ "customer_reference": reference, "language": "en" })),
    )
    .await
}

/// A customer whose browser opened the start link and an identification session; returns the
/// onboarding's id.
pub async fn customer_with_open_session(backend: &Backend, reference: &str) -> String {
    customer(backend, reference).await.0
}

/// The partner API's delivery log of an onboarding.
pub async fn delivery_log(backend: &Backend, id: &str) -> Value {
    let (status, log) = partner_call(
        backend,
        "GET",
        &format!("/partner/v1/onboardings/{id}/events"),
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    log
}

/// `GET` a partner API path with the key; the status and the answer.
pub async fn get(backend: &Backend, path: &str) -> (StatusCode, Value) {
    partner_call(backend, "GET", path, Some(KEY), None).await
}

/// Checks that every time in a partner API answer or webhook body (`timestamp`, `at` and every
/// `…_at`) is RFC 3339 in UTC to the second, `2026-12-04T09:12:40Z`; returns how many it found.
pub fn times_in_one_format(value: &Value) -> usize {
    let one_format = |text: &str| {
        let bytes = text.as_bytes();
        text.len() == 20
            && text.ends_with('Z')
            && bytes.iter().enumerate().all(|(index, byte)| match index {
                4 | 7 => *byte == b'-',
                10 => *byte == b'T',
                13 | 16 => *byte == b':',
                19 => *byte == b'Z',
                _ => byte.is_ascii_digit(),
            })
    };
    match value {
        Value::Object(fields) => fields
            .iter()
            .map(|(name, field)| {
                let is_time = name == "timestamp" || name == "at" || name.ends_with("_at");
                match field {
                    Value::String(text) if is_time => {
                        assert!(
                            one_format(text),
                            "{name}: {text:?} is not in the one format"
                        );
                        1
                    }
                    Value::Number(_) if is_time => panic!("{name} is a number: {field}"),
                    other => times_in_one_format(other),
                }
            })
            .sum(),
        Value::Array(items) => items.iter().map(times_in_one_format).sum(),
        _ => 0,
    }
}

/// A customer whose browser opened the start link and an identification session: the
/// onboarding's id, the browser's cookie and the start link.
pub async fn customer(backend: &Backend, reference: &str) -> (String, String, String) {
    let (_, created) = create(backend, reference).await;
    let link = created["start_link"]["url"].as_str().unwrap().to_string();
    let (browser, _) = open_link(backend, &link, None).await;
    let (status, _) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK);
    let id = created["onboarding"]["id"].as_str().unwrap().to_string();
    (id, browser, link)
}

/// Where a page request of the browser is sent (`None`: it is served).
pub async fn page_of(backend: &Backend, browser: &str, path: &str) -> Option<String> {
    let request = Request::get(path)
        .header(header::COOKIE, browser)
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = backend.send(request).await;
    match status {
        StatusCode::SEE_OTHER => Some(headers[header::LOCATION].to_str().unwrap().to_string()),
        StatusCode::OK => None,
        other => panic!("{path}: {other}"),
    }
}

/// The events the partner can list, with their types and onboarding ids.
pub async fn listed_events(backend: &Backend) -> Vec<Value> {
    let (status, page) = partner_call(
        backend,
        "GET",
        "/partner/v1/events?limit=100",
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["events"].as_array().unwrap().clone()
}

pub fn cookie_hash(browser: &str) -> String {
    key_hash(&browser.split('=').nth(1).unwrap()[..64])
}

/// A customer identified successfully through the start link and the webview: the onboarding's
/// id and the browser's cookie.
pub async fn identified_customer(
    backend: &Backend,
    emulator: &Emulator,
    reference: &str,
) -> (String, String) {
    let (id, browser, _) = customer(backend, reference).await;
    let session_url = backend
        .onboarding(&browser)
        .await
        .unwrap()
        .session_url
        .unwrap();
    super::Customer::new()
        .identify(emulator, &session_url, "DE11110101010100000020")
        .await;
    assert_eq!(backend.outcome(&browser).await["category"], "success");
    (id, browser)
}
