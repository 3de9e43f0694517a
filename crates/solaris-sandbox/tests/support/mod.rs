//! Drives the emulator's router in-process, as a partner's backend and a customer's browser
//! would: JSON API calls with a bearer token, and form posts to the hosted screens.
#![allow(dead_code)] // each test file uses a different part

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use solaris_sandbox::{Sandbox, SandboxConfig, router};
use tower::ServiceExt;

/// The public URL the test emulator pretends to live at.
pub const BASE: &str = "http://sandbox.test";
/// The guide's happy-path IBAN.
pub const SUCCESS_IBAN: &str = "DE11110101010100000020";

/// An emulator and a token for its API.
pub struct TestSandbox {
    pub sandbox: Sandbox,
    pub app: Router,
    pub token: String,
}

/// An HTTP answer, body parsed as JSON when it is JSON.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub location: Option<String>,
    pub content_type: String,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|_| panic!("not JSON ({}): {}", self.status, self.text))
    }

    /// The code of the first error in Solaris' envelope.
    pub fn error_code(&self) -> String {
        self.json()["errors"][0]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

impl TestSandbox {
    pub async fn new() -> TestSandbox {
        TestSandbox::with_config(SandboxConfig::new(BASE)).await
    }

    pub async fn with_config(config: SandboxConfig) -> TestSandbox {
        let sandbox = Sandbox::new(config);
        let app = router(sandbox.clone());
        let mut test = TestSandbox {
            sandbox,
            app,
            token: String::new(),
        };
        test.token = test.new_token().await;
        test
    }

    pub async fn new_token(&self) -> String {
        let credentials =
            base64::engine::general_purpose::STANDARD.encode("sandbox-client:sandbox-secret");
        let request = Request::post("/oauth2/token")
            .header(header::AUTHORIZATION, format!("Basic {credentials}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("grant_type=client_credentials&scope=partners"))
            .unwrap();
        let answer = self.send(request).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        answer.json()["access_token"].as_str().unwrap().to_string()
    }

    pub async fn send(&self, request: Request<Body>) -> Answer {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            location,
            content_type,
            text: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn api(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let body = body.map_or(Body::empty(), |body| Body::from(body.to_string()));
        self.send(request.body(body).unwrap()).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.api("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.api("POST", path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Option<Value>) -> Answer {
        self.api("PATCH", path, body).await
    }

    /// A browser GET of a screen (absolute emulator URLs are fine).
    pub async fn browse(&self, url: &str) -> Answer {
        let path = url.strip_prefix(BASE).unwrap_or(url);
        self.send(Request::get(path).body(Body::empty()).unwrap())
            .await
    }

    /// A browser form post to a screen.
    pub async fn submit(&self, url: &str, form: &[(&str, &str)]) -> Answer {
        let path = url.strip_prefix(BASE).unwrap_or(url);
        let body: Vec<String> = form
            .iter()
            .map(|(k, v)| format!("{k}={}", v.replace(' ', "+")))
            .collect();
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.join("&")))
            .unwrap();
        self.send(request).await
    }

    /// Moves the emulator's clock, then takes a new token as a partner would (tokens last 1 hour).
    pub async fn advance(&mut self, seconds: i64) {
        let answer = self
            .send(
                Request::post("/_sandbox/clock")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(
                        json!({ "advance_seconds": seconds }).to_string(),
                    ))
                    .unwrap(),
            )
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        self.token = self.new_token().await;
    }

    /// The newest SMS code sent to `number`.
    pub async fn last_sms_code(&self, number: &str) -> String {
        let answer = self
            .send(
                Request::get(bankident_test_support::sms_inbox_query(number))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        bankident_test_support::latest_sms_code(&answer.json(), number)
    }

    /// Creates a person with unique identity fields, as the guide asks for on Sandbox.
    pub async fn create_person(&self) -> String {
        let answer = self.post("/v1/persons", person_body(&unique_name())).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
        answer.json()["id"].as_str().unwrap().to_string()
    }

    /// A person whose mobile number (the guide's static one) is verified.
    pub async fn create_verified_person(&self) -> String {
        self.create_verified_person_with(&person_body(&unique_name()), "+15550101")
            .await
    }

    /// A person from `body` whose mobile number `number` is verified (with the code sent).
    pub async fn create_verified_person_with(&self, body: &Value, number: &str) -> String {
        let answer = self.post("/v1/persons", body.clone()).await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
        let id = answer.json()["id"].as_str().unwrap().to_string();
        let number_body = json!({ "number": number });
        assert_eq!(
            self.post(
                &format!("/v1/persons/{id}/mobile_number"),
                number_body.clone()
            )
            .await
            .status,
            StatusCode::CREATED
        );
        assert_eq!(
            self.post(
                &format!("/v1/persons/{id}/mobile_number/authorize"),
                number_body
            )
            .await
            .status,
            StatusCode::CREATED
        );
        let code = self.last_sms_code(number).await;
        let confirm = self
            .post(
                &format!("/v1/persons/{id}/mobile_number/confirm"),
                json!({ "number": number, "token": code }),
            )
            .await;
        assert_eq!(confirm.status, StatusCode::CREATED, "{}", confirm.text);
        id
    }

    /// Goes through the payment wizard as a customer: any login, any TAN.
    pub async fn pass_wizard(&self, wizard_url: &str) -> Answer {
        let login_page = self.browse(wizard_url).await;
        assert_eq!(login_page.status, StatusCode::OK);
        assert!(login_page.text.contains(r#"<label for="user_id">"#));
        let (key_url, query) = wizard_url
            .split_once('?')
            .unwrap_or((wizard_url, "lang=de"));
        let login = self
            .submit(
                &format!("{key_url}/login?{query}"),
                &[("user_id", "anyone"), ("password", "1234")],
            )
            .await;
        assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.text);
        let tan_url = login.location.unwrap();
        self.submit(&tan_url, &[("tan", "123456")]).await
    }
}

/// A name no other test uses.
pub fn unique_name() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let letters: String = n
        .to_string()
        .chars()
        .map(|d| (b'a' + d.to_digit(10).unwrap() as u8) as char)
        .collect();
    format!("Leander{letters}")
}

/// The guide's sandbox person, with the given first name.
pub use bankident_test_support::sandbox_person as person_body;

/// A valid German IBAN for an account number (bank code 37040044), for tests that need many.
pub fn german_iban(account: u64) -> String {
    let bban = format!("37040044{account:010}");
    let numeric = format!("{bban}131400");
    let remainder = numeric
        .chars()
        .fold(0u64, |r, c| (r * 10 + c.to_digit(10).unwrap() as u64) % 97);
    format!("DE{:02}{bban}", 98 - remainder)
}
