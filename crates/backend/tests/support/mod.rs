//! A backend and a Solaris Sandbox emulator, each on its own loopback port (so webhooks travel
//! over real HTTP), with helpers to call the app's API through `oneshot` and to walk the
//! emulator's webview like a customer.
#![allow(dead_code)] // each test file uses a different part

pub mod partner;
pub mod process;

use std::path::PathBuf;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use bankident_backend::{AppState, Config, app};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// The inline loader script of the fake dist/index.html (its hash must be in the CSP).
pub const LOADER: &str = "import init from '/app-0123456789abcdef.js'; await init();";

/// The consent screen's documents of the tests' partner.
pub const CONSENT_DOCUMENTS: [(&str, &str); 3] = [
    ("BANKIDENT_TERMS_URL", "https://nova.example/terms"),
    ("BANKIDENT_PRIVACY_URL", "https://nova.example/privacy"),
    (
        "BANKIDENT_SOLARIS_DATA_TERMS_URL",
        "https://www.solarisgroup.com/en/legal/data-terms",
    ),
];

/// A running emulator.
pub struct Emulator {
    pub url: String,
}

impl Emulator {
    pub async fn start() -> Emulator {
        Emulator::start_with(false).await
    }

    /// An emulator that answers with the fields and headers Solaris documents, nothing more.
    pub async fn start_documented_only() -> Emulator {
        Emulator::start_with(true).await
    }

    async fn start_with(documented_fields_only: bool) -> Emulator {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let config = solaris_sandbox::SandboxConfig {
            webhook_retry_base: std::time::Duration::from_millis(50),
            documented_fields_only,
            ..solaris_sandbox::SandboxConfig::new(url.clone())
        };
        let router = solaris_sandbox::router(solaris_sandbox::Sandbox::new(config));
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Emulator { url }
    }

    /// A test control call (`/_sandbox/...`).
    pub async fn control(&self, method: &str, path: &str, body: Value) -> Value {
        let client = reqwest::Client::new();
        let response = client
            .request(method.parse().unwrap(), format!("{}{path}", self.url))
            .json(&body)
            .send()
            .await
            .unwrap();
        response.json().await.unwrap_or(Value::Null)
    }

    /// The ids of the persons Solaris holds with this first name, read through the person
    /// list as any client of Solaris would.
    pub async fn persons_named(&self, first_name: &str) -> Vec<String> {
        self.persons()
            .await
            .iter()
            .filter(|person| person["first_name"] == first_name)
            .map(|person| person["id"].as_str().unwrap().to_string())
            .collect()
    }

    /// An access token of the emulator's default client, as a partner backend gets one.
    pub async fn token(&self) -> String {
        let token = answer_json(
            reqwest::Client::new()
                .post(format!("{}/oauth2/token", self.url))
                .basic_auth("sandbox-client", Some("sandbox-secret"))
                .form(&[("grant_type", "client_credentials")]),
        )
        .await;
        token["access_token"].as_str().unwrap().to_string()
    }

    /// Every person Solaris holds, read through the person list.
    pub async fn persons(&self) -> Vec<Value> {
        let client = reqwest::Client::new();
        let token = self.token().await;
        let mut found = Vec::new();
        for number in 1.. {
            let page: Vec<Value> = client
                .get(format!(
                    "{}/v1/persons?page[number]={number}&page[size]=100",
                    self.url
                ))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let last = page.len() < 100;
            found.extend(page);
            if last {
                return found;
            }
        }
        found
    }

    /// Moves the emulator's clock forward.
    pub async fn advance(&self, seconds: i64) {
        self.control(
            "POST",
            "/_sandbox/clock",
            json!({ "advance_seconds": seconds }),
        )
        .await;
    }

    /// The newest SMS code sent to a number.
    pub async fn last_sms_code(&self, number: &str) -> String {
        let inbox: Value = reqwest::get(format!(
            "{}{}",
            self.url,
            bankident_test_support::sms_inbox_query(number)
        ))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        bankident_test_support::latest_sms_code(&inbox, number)
    }
}

/// A running backend.
pub struct Backend {
    pub state: AppState,
    pub router: Router,
    /// The management port's routes (metrics, readiness, version).
    pub management: Router,
    pub url: String,
    pub dir: PathBuf,
}

/// A fresh folder for one backend: dist/ like the release build's, and room for the database.
pub fn fresh_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "bankident-backend-{name}-{}",
        bankident_backend_test_nonce()
    ));
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("index.html"),
        format!(r#"<!doctype html><html><head><title>app</title><script type="module">{LOADER}</script></head><body></body></html>"#),
    )
    .unwrap();
    std::fs::write(
        dist.join("app-0123456789abcdef.js"),
        "export default function init() {}",
    )
    .unwrap();
    std::fs::write(dist.join("app-0123456789abcdef.js.br"), b"fake brotli").unwrap();
    std::fs::write(dist.join("robots.txt"), "User-agent: *").unwrap();
    dir
}

/// The database of the backends of one folder: SQLite in it, or (when the test command runs the
/// suite on PostgreSQL) a PostgreSQL database of the folder's own.
pub async fn database_url(dir: &std::path::Path) -> String {
    bankident_backend::store::testing::database_url(
        &dir.display().to_string(),
        &format!("sqlite://{}", dir.join("db.sqlite").display()),
    )
    .await
}

fn bankident_backend_test_nonce() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

impl Backend {
    /// A backend using `emulator`, with extra settings.
    pub async fn start(
        emulator: &Emulator,
        dir: &std::path::Path,
        extra: &[(&str, &str)],
    ) -> Backend {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let emulator_host = emulator.url.trim_start_matches("http://").to_string();
        let mut vars: Vec<(String, String)> = vec![
            ("BANKIDENT_LISTEN".into(), address.to_string()),
            (
                "BANKIDENT_DIST_DIR".into(),
                dir.join("dist").display().to_string(),
            ),
            ("BANKIDENT_DATABASE_URL".into(), database_url(dir).await),
            ("SOLARIS_API_URL".into(), emulator.url.clone()),
            (
                "SOLARIS_TOKEN_URL".into(),
                format!("{}/oauth2/token", emulator.url),
            ),
            ("SOLARIS_CLIENT_ID".into(), "sandbox-client".into()),
            ("SOLARIS_CLIENT_SECRET".into(), "sandbox-secret".into()),
            ("BANKIDENT_REDIRECT_HOSTS".into(), emulator_host),
            // Each test browser starts its own onboarding unless a test turns this off.
            ("BANKIDENT_DEMO_MODE".into(), "true".into()),
        ];
        // Without the demo mode the backend needs the consent screen's documents.
        vars.extend(
            CONSENT_DOCUMENTS
                .iter()
                .map(|(name, url)| (name.to_string(), url.to_string())),
        );
        for (key, value) in extra {
            vars.retain(|(k, _)| k != key);
            vars.push((key.to_string(), value.to_string()));
        }
        let config = Config::from_lookup(move |name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
        .unwrap();
        Backend::serve(config, listener, dir).await
    }

    /// A backend with the embedded emulator, as `cargo xtask run` starts it.
    #[cfg(feature = "embedded-sandbox")]
    pub async fn start_embedded(dir: &std::path::Path) -> Backend {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let dist = dir.join("dist").display().to_string();
        let database = database_url(dir).await;
        let config = Config::from_lookup(|name| match name {
            "BANKIDENT_LISTEN" => Some(address.clone()),
            "BANKIDENT_DIST_DIR" => Some(dist.clone()),
            "BANKIDENT_DATABASE_URL" => Some(database.clone()),
            _ => None,
        })
        .unwrap();
        Backend::serve(config, listener, dir).await
    }

    async fn serve(
        config: Config,
        listener: tokio::net::TcpListener,
        dir: &std::path::Path,
    ) -> Backend {
        let url = config.public_url.clone();
        let state = AppState::new(config).await.unwrap();
        let router = app(state.clone());
        let served = router.clone();
        tokio::spawn(async move { axum::serve(listener, served).await.unwrap() });
        // Solaris verifies the webhook URL; only a backend it can reach can subscribe.
        if url.starts_with("http://127.0.0.1") {
            assert_eq!(state.solaris_webhooks.subscribe_all().await, Vec::new());
        }
        Backend {
            management: bankident_backend::http::management::app(state.clone()),
            state,
            router,
            url,
            dir: dir.to_path_buf(),
        }
    }

    /// A request through `oneshot`; returns status, headers and body text.
    pub async fn send(
        &self,
        request: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    /// A `GET` of the management port: status and body.
    pub async fn management_get(&self, path: &str) -> (StatusCode, String) {
        let response = self
            .management
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// The management port's readiness: status and body.
    pub async fn ready(&self) -> (StatusCode, Value) {
        let (status, body) = self.management_get("/health/ready").await;
        (status, serde_json::from_str(&body).unwrap_or(Value::Null))
    }

    /// A new browser: loads the app shell and keeps the cookie it gets.
    pub async fn new_browser(&self) -> String {
        let (status, headers, _) = self
            .send(Request::get("/").body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK);
        let cookie = headers[header::SET_COOKIE].to_str().unwrap();
        cookie.split(';').next().unwrap().to_string()
    }

    /// A browser that loaded the app shell somewhere else than the start page (which, without
    /// the demo mode, sends browsers without a start link away).
    pub async fn new_browser_without_start(&self) -> String {
        let (status, headers, _) = self
            .send(Request::get("/name").body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK);
        let cookie = headers[header::SET_COOKIE].to_str().unwrap();
        cookie.split(';').next().unwrap().to_string()
    }

    /// `POST /api/identification` from a browser.
    pub async fn open(&self, cookie: &str, answers: &Value) -> (StatusCode, Value) {
        let request = Request::post("/api/identification")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, cookie)
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(answers.to_string()))
            .unwrap();
        let (status, _, body) = self.send(request).await;
        (status, serde_json::from_str(&body).unwrap_or(Value::Null))
    }

    /// The Solaris person of a browser's onboarding (which must have one).
    pub async fn person_of(&self, cookie: &str) -> String {
        self.onboarding(cookie)
            .await
            .expect("the browser has an onboarding")
            .person_id
            .expect("the onboarding has a person")
    }

    /// The onboarding a browser (its cookie) is bound to, as stored.
    pub async fn onboarding(&self, cookie: &str) -> Option<bankident_backend::store::Onboarding> {
        // The cookie is the key and its signature; the database knows the key.
        let key = &cookie.split('=').nth(1).unwrap()[..64];
        self.state
            .store
            .onboarding_by_browser(&bankident_backend::browser::key_hash(key))
            .await
            .unwrap()
    }

    /// `GET /api/identification/outcome` from a browser.
    pub async fn outcome(&self, cookie: &str) -> Value {
        let request = Request::get("/api/identification/outcome")
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        let (status, _, body) = self.send(request).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        serde_json::from_str(&body).unwrap()
    }
}

/// A fresh emulator, a backend using it, and a new browser of that backend.
pub async fn started(name: &str) -> (Emulator, Backend, String) {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir(name), &[]).await;
    let browser = backend.new_browser().await;
    (emulator, backend, browser)
}

/// The guide's sandbox person as the app sends it, with a unique first name.
pub fn answers() -> Value {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let suffix: String = format!("{n}{}", std::process::id())
        .chars()
        .map(|d| (b'a' + d.to_digit(10).unwrap() as u8) as char)
        .collect();
    json!({
        "salutation": "MR", "first_name": format!("Leander {suffix}"), "last_name": "Zierfisch",
        "birth_day": "15", "birth_month": "7", "birth_year": "1978", "birth_city": "Aachen",
        "birth_country": "DE", "nationality": "DE",
        "address": { "line_1": "BERLINER STR. 45", "line_2": "", "postal_code": "14169", "city": "Berlin", "state": "BE", "country": "DE" },
        "email": "person@example.com", "mobile_number": "+1 555 0101", "employment_status": "EMPLOYED", "fatca_relevant": "no",
        "consents": {
            "data_terms_signed_at": consent_time(), "terms_conditions_signed_at": consent_time(),
            "own_economic_interest_signed_at": consent_time(), "fatca_crs_confirmed_at": consent_time()
        }
    })
}

/// A minute ago, to the second, as the app records a tick (the backend refuses consent times
/// that cannot be true when it receives them).
pub fn consent_time() -> String {
    (time::OffsetDateTime::now_utc() - time::Duration::minutes(1))
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// A browser without JavaScript walking the emulator's webview, following no redirects itself.
pub struct Customer {
    client: reqwest::Client,
}

/// Where a walk through the webview ended.
#[derive(Debug)]
pub struct WalkEnd {
    /// The text of the last page.
    pub page: String,
    /// Where "back to the app" leads, if the page offers it.
    pub back_to: Option<String>,
}

impl Customer {
    pub fn new() -> Customer {
        Customer {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    async fn get(&self, url: &str) -> (u16, Option<String>, String) {
        let response = self.client.get(url).send().await.unwrap();
        Customer::read(response).await
    }

    async fn post(&self, url: &str, form: &[(&str, &str)]) -> (u16, Option<String>, String) {
        let response = self.client.post(url).form(form).send().await.unwrap();
        Customer::read(response).await
    }

    async fn read(response: reqwest::Response) -> (u16, Option<String>, String) {
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string());
        (status, location, response.text().await.unwrap())
    }

    /// Goes through the webview with `iban` until it ends or asks for something else.
    pub async fn identify(&self, emulator: &Emulator, url: &str, iban: &str) -> WalkEnd {
        let lang = "lang=en";
        let (_, next, _) = self.post(&format!("{url}/start?{lang}"), &[]).await;
        if next.as_deref().is_some_and(|next| next.contains("/mobile")) {
            let (_, _, _) = self
                .post(&format!("{url}/mobile?{lang}"), &[("code", "212212")])
                .await;
        }
        let (_, wizard, page) = self
            .post(&format!("{url}/iban?{lang}"), &[("iban", iban)])
            .await;
        let Some(wizard) = wizard else {
            return self.end(url, page).await;
        };
        let key_url = wizard.split('?').next().unwrap();
        self.post(
            &format!("{key_url}/login?{lang}"),
            &[("user_id", "a"), ("password", "b")],
        )
        .await;
        let (_, next, _) = self
            .post(&format!("{key_url}/tan?{lang}"), &[("tan", "1")])
            .await;
        let (_, _, page) = self.get(&next.unwrap()).await;
        if !page.contains("Review your identification report") {
            return self.end(url, page).await;
        }
        self.post(&format!("{url}/sign?{lang}"), &[]).await;
        let code = emulator.last_sms_code("+15550101").await;
        let (_, next, _) = self
            .post(&format!("{url}/qes?{lang}"), &[("code", &code)])
            .await;
        let (_, _, page) = self.get(&next.unwrap()).await;
        self.end(url, page).await
    }

    /// The API mode's bank step in the payment wizard at `wizard`: logs in and confirms the
    /// transfer; returns where the wizard sends the customer, if anywhere.
    pub async fn through_the_bank(&self, wizard: &str) -> Option<String> {
        let key_url = wizard.split('?').next().unwrap();
        self.post(
            &format!("{key_url}/login?lang=en"),
            &[("user_id", "a"), ("password", "b")],
        )
        .await;
        let (_, next, _) = self
            .post(&format!("{key_url}/tan?lang=en"), &[("tan", "1")])
            .await;
        next
    }

    async fn end(&self, url: &str, page: String) -> WalkEnd {
        let back_to = if page.contains("/finish") {
            let (status, location, _) = self.get(&format!("{url}/finish")).await;
            assert_eq!(status, 303);
            location
        } else {
            None
        };
        WalkEnd { page, back_to }
    }
}

/// Sends `request` and reads its answer as JSON.
pub async fn answer_json(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

/// Now, in Unix seconds.
pub fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
