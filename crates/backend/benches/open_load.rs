//! Load figure for opening an onboarding: requests per second and p50/p99 latency of
//! `POST /api/identification` through the backend (which creates the person, the mobile number
//! and the session at the emulator), against making the same three Solaris calls directly.
//! Everything runs on loopback in this process; the loops are bounded in count and time.

use std::time::{Duration, Instant};

use bankident_backend::{AppState, Config, app, webhooks};
use serde_json::{Value, json};

/// Onboardings opened per measurement.
const ONBOARDINGS: usize = 300;
/// Requests in flight at once.
const CONCURRENCY: usize = 8;
/// Each request's time limit: the run cannot hang.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

fn unique_name(n: usize) -> String {
    let letters: String = n
        .to_string()
        .chars()
        .map(|d| (b'a' + d.to_digit(10).unwrap() as u8) as char)
        .collect();
    format!("Bench {letters}")
}

fn answers(n: usize) -> Value {
    json!({
        "salutation": "MS", "first_name": unique_name(n), "last_name": "Zierfisch",
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

/// A minute ago, as the app records a tick: the backend refuses implausible consent times.
fn consent_time() -> String {
    (time::OffsetDateTime::now_utc() - time::Duration::minutes(1))
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

struct Figures {
    per_second: f64,
    p50: Duration,
    p99: Duration,
    failures: usize,
}

/// Runs `ONBOARDINGS` calls of `one` with `CONCURRENCY` in flight; `one` returns its latency.
async fn measure<F, Fut>(one: F) -> Figures
where
    F: Fn(usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = Result<Duration, String>> + Send,
{
    let started = Instant::now();
    let mut latencies = Vec::with_capacity(ONBOARDINGS);
    let mut failures = 0;
    let mut tasks = tokio::task::JoinSet::new();
    let mut next = 0;
    while next < ONBOARDINGS || !tasks.is_empty() {
        while next < ONBOARDINGS && tasks.len() < CONCURRENCY {
            let one = one.clone();
            let n = next;
            tasks.spawn(async move { one(n).await });
            next += 1;
        }
        match tasks.join_next().await {
            Some(Ok(Ok(latency))) => latencies.push(latency),
            Some(Ok(Err(error))) => {
                failures += 1;
                eprintln!("failed: {error}");
            }
            Some(Err(error)) => panic!("task failed: {error}"),
            None => break,
        }
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Figures {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
        failures,
    }
}

fn print(label: &str, figures: &Figures) {
    println!(
        "{label:<44} {:>8.1} /s   p50 {:>7.2} ms   p99 {:>7.2} ms   failures {}",
        figures.per_second,
        figures.p50.as_secs_f64() * 1000.0,
        figures.p99.as_secs_f64() * 1000.0,
        figures.failures
    );
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("bankident-bench-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("dist")).unwrap();
    std::fs::write(
        dir.join("dist/index.html"),
        "<!doctype html><title>bench</title>",
    )
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (dist, database) = (
        dir.join("dist").display().to_string(),
        format!("sqlite://{}", dir.join("db.sqlite").display()),
    );
    let config = Config::from_lookup(|name| match name {
        "BANKIDENT_LISTEN" => Some(address.clone()),
        "BANKIDENT_DIST_DIR" => Some(dist.clone()),
        "BANKIDENT_DATABASE_URL" => Some(database.clone()),
        _ => None,
    })
    .unwrap();
    let base = config.public_url.clone();
    let emulator = config.solaris.api_url.clone();
    let state = AppState::new(config).await.unwrap();
    let router = app(state.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    assert_eq!(webhooks::subscribe_all(&state).await, Vec::new());
    let client = reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .unwrap();

    println!(
        "Opening {ONBOARDINGS} onboardings, {CONCURRENCY} at a time, backend and embedded emulator on loopback:"
    );
    let backend_client = client.clone();
    let backend_base = base.clone();
    let through_backend = measure(move |n| {
        let client = backend_client.clone();
        let base = backend_base.clone();
        async move {
            let shell = client
                .get(format!("{base}/"))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let cookie = shell.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .to_string();
            let started = Instant::now();
            let response = client
                .post(format!("{base}/api/identification"))
                .header("cookie", cookie)
                .json(&answers(n))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let status = response.status();
            if !status.is_success() {
                return Err(format!(
                    "{status}: {}",
                    response.text().await.unwrap_or_default()
                ));
            }
            Ok(started.elapsed())
        }
    })
    .await;
    print(
        "through the backend (POST /api/identification)",
        &through_backend,
    );

    let token: Value = client
        .post(format!("{emulator}/oauth2/token"))
        .basic_auth("sandbox-client", Some("sandbox-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_string();
    let direct = measure(move |n| {
        let client = client.clone();
        let emulator = emulator.clone();
        let token = token.clone();
        let base = base.clone();
        async move {
            let started = Instant::now();
            let person = json!({
                "salutation": "MS", "first_name": unique_name(n + ONBOARDINGS), "last_name": "Zierfisch",
                "birth_date": "1978-07-15", "birth_city": "Aachen", "birth_country": "DE", "nationality": "DE",
                "address": { "line_1": "BERLINER STR. 45", "line_2": "", "postal_code": "14169", "city": "Berlin", "state": "BE", "country": "DE" },
                "email": "person@example.com", "employment_status": "EMPLOYED", "fatca_relevant": false,
                "mobile_number": "+15550101", "data_terms_signed_at": consent_time(),
                "terms_conditions_signed_at": consent_time()
            });
            let created: Value = client.post(format!("{emulator}/v1/persons")).bearer_auth(&token).json(&person).send().await.map_err(|e| e.to_string())?.json().await.map_err(|e| e.to_string())?;
            let id = created["id"].as_str().ok_or("no person id")?.to_string();
            client.post(format!("{emulator}/v1/persons/{id}/mobile_number")).bearer_auth(&token).json(&json!({ "number": "+15550101" })).send().await.map_err(|e| e.to_string())?;
            let session = json!({ "callback_url": format!("{base}/callback"), "identification_methods": ["bank"] });
            let response = client.post(format!("{emulator}/v1/persons/{id}/identification_sessions")).bearer_auth(&token).json(&session).send().await.map_err(|e| e.to_string())?;
            if !response.status().is_success() {
                return Err(response.status().to_string());
            }
            Ok(started.elapsed())
        }
    })
    .await;
    print("the same 3 Solaris calls, made directly", &direct);
    let overhead = |a: Duration, b: Duration| (a.as_secs_f64() - b.as_secs_f64()) * 1000.0;
    println!(
        "backend overhead per onboarding: p50 {:+.2} ms, p99 {:+.2} ms (validation, database, cookie, HTTP hop; webhooks run alongside)",
        overhead(through_backend.p50, direct.p50),
        overhead(through_backend.p99, direct.p99)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
