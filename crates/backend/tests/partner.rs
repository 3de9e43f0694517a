//! The partner's integration: the partner API creates a customer's onboarding and start links,
//! the customer's browsers are bound by opening them, and the partner's systems learn the
//! results through signed webhooks (delivered again after failures) and the API.
//!
//! Longer than our usual file on purpose: each test is one scenario of the partner's
//! integration, built on the same partner, receiver and journey helpers in `support`; split by
//! theme (start links, webhooks, the API) if it grows further.

mod support;

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Request, StatusCode, header};
use bankident_backend::partner_events::{RETRY_DELAYS, signature};
use base64::Engine;
use serde_json::{Value, json};
use support::{Backend, Customer, Emulator, answers, fresh_dir};

const KEY: &str = "partner-test-key-0123456789abcdef-0001";
const OLD_KEY: &str = "partner-test-key-0123456789abcdef-0000";
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// A partner's webhook receiver on loopback: it keeps what it receives and answers with the
/// status a test sets.
#[derive(Clone)]
struct Receiver {
    url: String,
    received: Arc<Mutex<Vec<(HeaderMap, String)>>>,
    answer: Arc<AtomicU16>,
}

impl Receiver {
    async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let receiver = Receiver {
            url: format!("http://{}/hooks", listener.local_addr().unwrap()),
            received: Arc::default(),
            answer: Arc::new(AtomicU16::new(204)),
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
                    StatusCode::from_u16(kept.answer.load(Ordering::Relaxed)).unwrap()
                }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        receiver
    }

    /// The bodies received whose signature verifies, as a receiver following Standard
    /// Webhooks checks it.
    fn verified_events(&self) -> Vec<Value> {
        let key = base64::engine::general_purpose::STANDARD
            .decode(SECRET.trim_start_matches("whsec_"))
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
                assert_eq!(
                    get("webhook-signature"),
                    signature(&key, &get("webhook-id"), timestamp, body)
                );
                let event: Value = serde_json::from_str(body).unwrap();
                assert_eq!(event["id"], get("webhook-id"));
                event
            })
            .collect()
    }
}

async fn partner_backend(name: &str, emulator: &Emulator, receiver: &Receiver) -> Backend {
    Backend::start(
        emulator,
        &fresh_dir(name),
        &[
            ("BANKIDENT_DEMO_MODE", "false"),
            ("BANKIDENT_PARTNER_API_KEYS", &format!("{KEY},{OLD_KEY}")),
            ("BANKIDENT_PARTNER_WEBHOOK_URL", &receiver.url),
            ("BANKIDENT_PARTNER_WEBHOOK_SECRET", SECRET),
        ],
    )
    .await
}

async fn partner_call(
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
async fn open_link(backend: &Backend, url: &str, cookie: Option<&str>) -> (String, String) {
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

async fn create(backend: &Backend, reference: &str) -> (StatusCode, Value) {
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
async fn customer_with_open_session(backend: &Backend, reference: &str) -> String {
    let (_, created) = create(backend, reference).await;
    let (browser, _) = open_link(
        backend,
        created["start_link"]["url"].as_str().unwrap(),
        None,
    )
    .await;
    let (status, _) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK);
    created["onboarding"]["id"].as_str().unwrap().to_string()
}

/// The partner API's delivery log of an onboarding.
async fn delivery_log(backend: &Backend, id: &str) -> Value {
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

#[tokio::test]
async fn a_customer_goes_from_the_start_link_to_a_signed_result_the_partner_can_fetch() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-journey", &emulator, &receiver).await;

    let (status, created) = create(&backend, "customer-42").await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["onboarding"]["id"].as_str().unwrap().to_string();
    assert_eq!(created["onboarding"]["state"], "not_started");
    let link = created["start_link"]["url"].as_str().unwrap().to_string();
    assert!(link.starts_with(&format!("{}/start?token=", backend.url)));

    let (browser, location) = open_link(&backend, &link, None).await;
    assert_eq!(location, "/?lang=en", "the token leaves the address bar");
    let (status, opened) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    let end = Customer::new()
        .identify(
            &emulator,
            opened["url"].as_str().unwrap(),
            "DE11110101010100000020",
        )
        .await;
    assert!(end.back_to.is_some(), "{}", end.page);
    assert_eq!(backend.outcome(&browser).await["category"], "success");

    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert_eq!(
        backend
            .state
            .partner_delivery
            .deliver_due(now)
            .await
            .unwrap(),
        2
    );
    let events = receiver.verified_events();
    let types: Vec<&str> = events
        .iter()
        .map(|event| event["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["onboarding.session_opened", "onboarding.ended"]);
    let ended = &events[1]["data"];
    assert_eq!(ended["category"], "success");
    assert_eq!(ended["customer_reference"], "customer-42");
    let keys: Vec<&String> = ended.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "category",
            "customer_reference",
            "error_code",
            "identification_id",
            "onboarding_id",
            "person_id",
            "session_id"
        ],
        "ids and the outcome, no other personal data"
    );

    let (status, shown) = partner_call(
        &backend,
        "GET",
        &format!("/partner/v1/onboardings/{id}"),
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["state"], "final");
    assert_eq!(shown["person_id"], ended["person_id"]);
    assert_eq!(shown["identification_id"], ended["identification_id"]);
    let (_, by_reference) = partner_call(
        &backend,
        "GET",
        "/partner/v1/onboardings?customer_reference=customer-42",
        Some(OLD_KEY),
        None,
    )
    .await;
    assert_eq!(
        by_reference["id"],
        id.as_str(),
        "the key being rotated out still works"
    );

    let signed = shown["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|document| document["document_type"] == "SIGNED_QES_DOCUMENT")
        .expect("the signed KYC report is listed");
    let request = Request::get(signed["download_path"].as_str().unwrap())
        .header(header::AUTHORIZATION, format!("Bearer {KEY}"))
        .body(Body::empty())
        .unwrap();
    let (status, headers, pdf) = backend.send(request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert!(pdf.starts_with("%PDF"));
    let (status, _) = partner_call(
        &backend,
        "GET",
        &format!("/partner/v1/onboardings/{id}/documents/someone-elses-cdoc"),
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let log = delivery_log(&backend, &id).await;
    let statuses: Vec<&str> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["delivered", "delivered"]);
    assert_eq!(log["events"][1]["deliveries"][0]["status_code"], 204);
}

#[tokio::test]
async fn the_same_customer_continues_on_a_second_device_and_a_stop_holds_there() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-devices", &emulator, &receiver).await;

    let (_, first) = create(&backend, "customer-7").await;
    let (phone, _) = open_link(&backend, first["start_link"]["url"].as_str().unwrap(), None).await;
    let (_, opened) = backend.open(&phone, &answers()).await;
    let session_url = opened["url"].as_str().unwrap().to_string();

    let (status, again) = create(&backend, "customer-7").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the same reference: the same onboarding"
    );
    assert_eq!(again["onboarding"]["id"], first["onboarding"]["id"]);
    assert_eq!(again["onboarding"]["state"], "pending");
    let link = again["start_link"]["url"].as_str().unwrap();
    assert_ne!(
        link,
        first["start_link"]["url"].as_str().unwrap(),
        "a fresh link"
    );
    let (laptop, location) = open_link(&backend, link, None).await;
    assert_eq!(
        location, "/callback?lang=en",
        "the open identification is shown"
    );
    let request = Request::post("/api/identification/continue")
        .header(header::COOKIE, &laptop)
        .header("sec-fetch-site", "same-origin")
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = backend.send(request).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body.contains(&session_url),
        "the same session continues: {body}"
    );

    let (_, location) = open_link(&backend, link, Some(&laptop)).await;
    assert_eq!(
        location, "/callback?lang=en",
        "a reload of the used link in its browser"
    );
    let (_, location) = open_link(&backend, link, None).await;
    assert_eq!(
        location, "/link?problem=used",
        "a used link opens nothing elsewhere"
    );
    let (_, location) = open_link(
        &backend,
        &format!("{}/start?token={}", backend.url, "ab".repeat(32)),
        None,
    )
    .await;
    assert_eq!(location, "/link?problem=unknown");

    // The customer fails in a way that closes Bankident for them, on the phone…
    Customer::new()
        .identify(&emulator, &session_url, "DE22110101010100000016")
        .await;
    assert_eq!(
        backend.outcome(&phone).await["category"],
        "method_not_available"
    );
    // …and the laptop, with its own answers, cannot start again.
    let (status, refused) = backend.open(&laptop, &answers()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(refused["error_code"], "MATCH_FOR_PERSON_DATA_NOT_FOUND");
    let onboarding = backend.onboarding(&laptop).await.unwrap();
    assert_eq!(onboarding.id, first["onboarding"]["id"].as_str().unwrap());
}

#[tokio::test]
async fn without_a_valid_key_the_partner_api_changes_nothing() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-keys", &emulator, &receiver).await;
    let body = json!({ "customer_reference": "customer-1" });
    for key in [
        None,
        Some("wrong-key-0123456789abcdef-0123456789"),
        Some(&KEY[..KEY.len() - 1]),
    ] {
        let (status, answer) = partner_call(
            &backend,
            "POST",
            "/partner/v1/onboardings",
            key,
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{answer}");
        assert_eq!(answer["error"], "unauthorized");
    }
    let (status, _) = partner_call(
        &backend,
        "GET",
        "/partner/v1/onboardings?customer_reference=customer-1",
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing was created");
    let rotated = Backend::start(
        &emulator,
        &backend.dir,
        &[
            ("BANKIDENT_DEMO_MODE", "false"),
            ("BANKIDENT_PARTNER_API_KEYS", KEY),
        ],
    )
    .await;
    let (status, _) = partner_call(
        &rotated,
        "POST",
        "/partner/v1/onboardings",
        Some(OLD_KEY),
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a revoked key");

    let (status, answer) = partner_call(
        &backend,
        "POST",
        "/partner/v1/onboardings",
        Some(KEY),
        Some(json!({ "customer_reference": "c-2", "prefill": { "email": "anna@" } })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer["errors"][0]["field"], "email");
    let (status, _) = partner_call(
        &backend,
        "POST",
        "/partner/v1/onboardings",
        Some(KEY),
        Some(json!({ "customer_reference": "" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // Without a start link, a browser of a partner's backend has nothing to open.
    let browser = backend.new_browser_without_start().await;
    let (status, body) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

#[tokio::test]
async fn webhooks_are_delivered_after_the_receiver_was_down_and_the_backend_restarted() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-retries", &emulator, &receiver).await;
    let id = customer_with_open_session(&backend, "customer-9").await;

    receiver.answer.store(503, Ordering::Relaxed);
    let start = time::OffsetDateTime::now_utc().unix_timestamp();
    assert_eq!(
        backend
            .state
            .partner_delivery
            .deliver_due(start)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        backend
            .state
            .partner_delivery
            .deliver_due(start + 1)
            .await
            .unwrap(),
        0,
        "not due again before its retry time"
    );
    assert_eq!(receiver.received.lock().unwrap().len(), 1);

    // The backend restarts on the same database; the receiver is down for two more retries.
    let restarted = Backend::start(
        &emulator,
        &backend.dir,
        &[
            ("BANKIDENT_DEMO_MODE", "false"),
            ("BANKIDENT_PARTNER_API_KEYS", KEY),
            ("BANKIDENT_PARTNER_WEBHOOK_URL", &receiver.url),
            ("BANKIDENT_PARTNER_WEBHOOK_SECRET", SECRET),
        ],
    )
    .await;
    let mut at = start;
    for delay in &RETRY_DELAYS[..2] {
        at += delay;
        assert_eq!(
            restarted
                .state
                .partner_delivery
                .deliver_due(at)
                .await
                .unwrap(),
            0
        );
    }
    receiver.answer.store(200, Ordering::Relaxed);
    at += RETRY_DELAYS[2];
    assert_eq!(
        restarted
            .state
            .partner_delivery
            .deliver_due(at)
            .await
            .unwrap(),
        1
    );
    let events = receiver.verified_events();
    assert_eq!(events.len(), 4);
    assert!(
        events.iter().all(|event| event["id"] == events[0]["id"]),
        "every retry carries the same event id"
    );
    let log = delivery_log(&restarted, &id).await;
    let attempts: Vec<Value> = log["events"][0]["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|delivery| delivery["status_code"].clone())
        .collect();
    assert_eq!(attempts, [json!(503), json!(503), json!(503), json!(200)]);
    assert_eq!(log["events"][0]["status"], "delivered");
}

#[tokio::test]
async fn an_event_the_receiver_never_takes_fails_after_more_than_three_days() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-dead", &emulator, &receiver).await;
    let id = customer_with_open_session(&backend, "customer-3").await;
    receiver.answer.store(500, Ordering::Relaxed);
    let start = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut at = start;
    backend
        .state
        .partner_delivery
        .deliver_due(at)
        .await
        .unwrap();
    for delay in RETRY_DELAYS {
        at += delay;
        backend
            .state
            .partner_delivery
            .deliver_due(at)
            .await
            .unwrap();
    }
    assert!(at - start > 3 * 24 * 3600);
    let log = delivery_log(&backend, &id).await;
    assert_eq!(log["events"][0]["status"], "failed");
    let (_, _, ready) = backend
        .send(Request::get("/ready").body(Body::empty()).unwrap())
        .await;
    let ready: Value = serde_json::from_str(&ready).unwrap();
    assert_eq!(
        ready["partner_events"],
        json!({ "pending": 0, "failed": 1 })
    );
    assert_eq!(log["events"][0]["attempts"], RETRY_DELAYS.len() + 1);
    backend
        .state
        .partner_delivery
        .deliver_due(at + 365 * 24 * 3600)
        .await
        .unwrap();
    assert_eq!(
        receiver.received.lock().unwrap().len(),
        RETRY_DELAYS.len() + 1,
        "a failed event is not sent again"
    );
}

#[tokio::test]
async fn an_expired_start_link_leads_to_its_explanation_and_binds_nothing() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-expired", &emulator, &receiver).await;
    let (_, created) = create(&backend, "customer-5").await;
    let id = created["onboarding"]["id"].as_str().unwrap();
    let an_hour_ago = time::OffsetDateTime::now_utc().unix_timestamp() - 3_601;
    let old = backend
        .state
        .store
        .create_start_link(id, an_hour_ago, 3_600)
        .await
        .unwrap();
    let (browser, location) = open_link(
        &backend,
        &format!("{}/start?token={}", backend.url, old.token),
        None,
    )
    .await;
    assert_eq!(location, "/link?problem=expired");
    assert!(backend.onboarding(&browser).await.is_none());
    let request = Request::get("/")
        .header(header::COOKIE, &browser)
        .body(Body::empty())
        .unwrap();
    let (status, headers, _) = backend.send(request).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers[header::LOCATION],
        "/link?problem=missing",
        "without the demo mode, a browser without a start link is told to open one"
    );
}

/// A call of the app's API from a browser (JSON, same site).
async fn app_call(
    backend: &Backend,
    cookie: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, cookie)
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_TYPE, "application/json");
    let request = request
        .body(body.map_or_else(Body::empty, |body| Body::from(body.to_string())))
        .unwrap();
    let (status, _, body) = backend.send(request).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_partner_chooses_the_api_mode_for_one_customer_and_learns_the_signed_result() {
    // Solaris' documented fields only: no `person_id` on identifications, no download URLs.
    let emulator = Emulator::start_documented_only().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-api-mode", &emulator, &receiver).await;

    let (status, refused) = partner_call(
        &backend,
        "POST",
        "/partner/v1/onboardings",
        Some(KEY),
        Some(json!({ "customer_reference": "api-1", "mode": "hosted" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    let (_, webview) = create(&backend, "webview-1").await;
    assert_eq!(webview["onboarding"]["mode"], "webview", "the default");
    let (status, created) = partner_call(
        &backend,
        "POST",
        "/partner/v1/onboardings",
        Some(KEY),
        Some(json!({ "customer_reference": "api-1", "mode": "api" })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["onboarding"]["mode"], "api");
    let id = created["onboarding"]["id"].as_str().unwrap().to_string();

    let (browser, _) = open_link(
        &backend,
        created["start_link"]["url"].as_str().unwrap(),
        None,
    )
    .await;
    let (status, opened) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    assert_eq!(opened["url"], "/verify", "our own code page, no webview");

    // The mobile number: a wrong code, then the guide's static one.
    let confirm = |code: &str| json!({ "code": code });
    let (status, wrong) = app_call(
        &backend,
        &browser,
        "POST",
        "/api/mobile_number/confirm",
        Some(confirm("000000")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong["error"], "code_invalid");
    let (status, next) = app_call(
        &backend,
        &browser,
        "POST",
        "/api/mobile_number/confirm",
        Some(confirm("212212")),
    )
    .await;
    assert_eq!(
        (status, next["url"].as_str()),
        (StatusCode::OK, Some("/transfer"))
    );

    // The bank step: the signature terms are required; then the wizard, on an allowed host.
    let bank = |accepted: bool| json!({ "iban": "DE11 1101 0101 0100 0000 20", "signature_terms_accepted": accepted });
    let (status, missing) = app_call(
        &backend,
        &browser,
        "POST",
        "/api/bank_identification",
        Some(bank(false)),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing["error"], "consent_missing");
    let (status, wizard) = app_call(
        &backend,
        &browser,
        "POST",
        "/api/bank_identification?lang=en",
        Some(bank(true)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{wizard}");
    let wizard = wizard["url"].as_str().unwrap().to_string();
    assert!(
        wizard.starts_with(&format!("{}/wizard/", emulator.url)),
        "{wizard}"
    );
    let (_, step) = app_call(&backend, &browser, "GET", "/api/bank_identification", None).await;
    assert_eq!(step["step"], "bank");
    assert_eq!(
        Customer::new().through_the_bank(&wizard).await,
        None,
        "this emulator has no return page set up: the customer comes back by themselves"
    );

    // The contract: listed, and downloadable by this browser only.
    let (_, step) = app_call(&backend, &browser, "GET", "/api/bank_identification", None).await;
    assert_eq!(step["step"], "sign", "{step}");
    let document = step["documents"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/api/bank_identification/documents/{document}");
    let download = |cookie: String| {
        let path = path.clone();
        let backend = &backend;
        async move {
            let request = Request::get(&path)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap();
            backend.send(request).await
        }
    };
    let (status, headers, pdf) = download(browser.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert!(pdf.starts_with("%PDF"));
    let stranger = backend.new_browser_without_start().await;
    let (status, _, _) = download(stranger).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another browser gets nothing"
    );

    // The signature: a code, valid for the guide's 10 minutes; a new one only after the
    // cool-down; the code from the SMS signs.
    let (status, step) = app_call(
        &backend,
        &browser,
        "POST",
        "/api/bank_identification/authorize",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{step}");
    assert_eq!(step["step"], "code");
    let valid = step["code_valid_for_seconds"].as_i64().unwrap();
    assert!((590..=600).contains(&valid), "{valid}");
    let (status, too_soon) = app_call(
        &backend,
        &browser,
        "POST",
        "/api/bank_identification/authorize",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(too_soon["error"], "code_cooldown");
    let code = emulator.last_sms_code("+15550101").await;
    let (status, signed) = app_call(
        &backend,
        &browser,
        "POST",
        "/api/bank_identification/confirm",
        Some(confirm(&code)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    assert_eq!(backend.outcome(&browser).await["category"], "success");
    let (_, done) = app_call(&backend, &browser, "GET", "/api/bank_identification", None).await;
    assert_eq!(done["step"], "done");
    assert!(
        done["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|document| document["document_type"] == "SIGNED_QES_DOCUMENT"),
        "{done}"
    );

    // The partner learns it as from the webview mode.
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert_eq!(
        backend
            .state
            .partner_delivery
            .deliver_due(now)
            .await
            .unwrap(),
        2
    );
    let types: Vec<String> = receiver
        .verified_events()
        .iter()
        .map(|event| event["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(types, ["onboarding.session_opened", "onboarding.ended"]);
    let (_, shown) = partner_call(
        &backend,
        "GET",
        &format!("/partner/v1/onboardings/{id}"),
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(shown["state"], "final");
    assert_eq!(shown["category"], "success");
    assert!(
        shown["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|document| document["document_type"] == "SIGNED_QES_DOCUMENT")
    );
}
