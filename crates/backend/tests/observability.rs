//! What an operations team sees: the management port's metrics after a customer's journey
//! (counted where it happened, with labels that name no one), its readiness and version, and
//! the JSON log lines of a backend process (one access line per request with its request id,
//! no personal data).

mod support;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde_json::Value;
use support::partner::{
    Receiver, customer, get, identified_customer, partner_backend, partner_call,
};
use support::process::BackendProcess;
use support::{Emulator, answers, database_url, fresh_dir, unix_now};

/// The metrics of a Prometheus text: each sample's name and labels, and its value.
fn samples(text: &str) -> Vec<(String, BTreeMap<String, String>, f64)> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            let (name, labels) = match series.split_once('{') {
                Some((name, labels)) => (name, labels.trim_end_matches('}')),
                None => (series, ""),
            };
            let labels = labels
                .split(',')
                .filter(|pair| !pair.is_empty())
                .filter_map(|pair| {
                    let (key, value) = pair.split_once('=')?;
                    Some((key.to_string(), value.trim_matches('"').to_string()))
                })
                .collect();
            Some((name.to_string(), labels, value.parse().ok()?))
        })
        .collect()
}

/// The sum of a metric's samples whose labels include `with`.
fn total(text: &str, name: &str, with: &[(&str, &str)]) -> f64 {
    samples(text)
        .iter()
        .filter(|(sample, labels, _)| {
            sample == name
                && with
                    .iter()
                    .all(|(key, value)| labels.get(*key).map(String::as_str) == Some(*value))
        })
        .map(|(_, _, value)| value)
        .sum()
}

#[tokio::test]
async fn a_journey_shows_in_the_metrics_without_naming_anyone() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("metrics", &emulator, &receiver).await;
    let (status, before) = backend.management_get("/metrics").await;
    assert_eq!(status, StatusCode::OK);

    let (id, browser) = identified_customer(&backend, &emulator, "customer-metrics").await;
    let (_, refused) = partner_call(
        &backend,
        "GET",
        "/partner/v1/events",
        Some("wrong-key-0123456789abcdef0123456789"),
        None,
    )
    .await;
    assert_eq!(refused["code"], "unauthorized");
    backend
        .state
        .partner_delivery
        .deliver_due(unix_now())
        .await
        .unwrap();
    let (_, after) = backend.management_get("/metrics").await;

    let grew =
        |name: &str, with: &[(&str, &str)]| total(&after, name, with) - total(&before, name, with);
    assert_eq!(
        grew("bankident_onboardings_opened_total", &[("mode", "webview")]),
        1.0
    );
    assert_eq!(
        grew(
            "bankident_onboardings_ended_total",
            &[
                ("mode", "webview"),
                ("category", "success"),
                ("code", "none")
            ]
        ),
        1.0
    );
    assert_eq!(
        grew(
            "bankident_http_requests_total",
            &[
                ("route", "/api/identification"),
                ("method", "POST"),
                ("status", "200")
            ]
        ),
        1.0
    );
    assert_eq!(
        grew(
            "bankident_http_requests_total",
            &[("route", "/partner/v1/events"), ("status", "401")]
        ),
        1.0
    );
    assert!(
        grew(
            "bankident_solaris_calls_total",
            &[
                ("endpoint", "/v1/persons"),
                ("method", "POST"),
                ("status", "201")
            ]
        ) >= 1.0,
        "{after}"
    );
    assert!(
        grew("bankident_solaris_webhooks_received_total", &[]) >= 1.0,
        "{after}"
    );
    assert_eq!(
        grew(
            "bankident_partner_deliveries_total",
            &[("result", "delivered")]
        ),
        2.0
    );
    assert_eq!(total(&after, "bankident_partner_events_pending", &[]), 0.0);
    assert!(
        total(
            &after,
            "bankident_db_pool_connections",
            &[("state", "idle")]
        ) >= 1.0
    );
    assert!(after.contains("bankident_http_request_duration_seconds_bucket"));

    // Labels come from closed sets: no id, reference or answer appears anywhere.
    let (_, shown) = get(&backend, &format!("/partner/v1/onboardings/{id}")).await;
    let person = shown["person_id"].as_str().unwrap();
    let key = browser.split('=').nth(1).unwrap();
    for secret in [id.as_str(), person, "customer-metrics", "Leander", key] {
        assert!(!after.contains(secret), "{secret} is in the metrics");
    }
}

#[tokio::test]
async fn readiness_says_why_not_and_the_version_is_shown() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("management", &emulator, &receiver).await;
    let (status, live) = backend.management_get("/health/live").await;
    assert_eq!(
        (status, live.as_str()),
        (StatusCode::OK, r#"{"status":"ok"}"#)
    );
    let (status, ready) = backend.ready().await;
    assert_eq!(
        (status, &ready["status"]),
        (StatusCode::OK, &Value::from("ready"))
    );
    customer(&backend, "customer-backlog").await;
    let (_, ready) = backend.ready().await;
    assert_eq!(ready["partner_events"]["pending"], 1, "{ready}");

    backend
        .state
        .web
        .draining
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let (status, ready) = backend.ready().await;
    assert_eq!(
        (status, &ready["status"]),
        (StatusCode::SERVICE_UNAVAILABLE, &Value::from("draining"))
    );

    let (status, version) = backend.management_get("/version").await;
    let version: Value = serde_json::from_str(&version).unwrap();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(version["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        version["schema"]["applied"],
        version["schema"]["this_build"]
    );
    let (status, _) = backend.management_get("/metrics").await;
    assert_eq!(status, StatusCode::OK, "metrics while draining");
}

#[tokio::test]
async fn json_logs_carry_the_request_id_and_one_access_line_per_request_without_personal_data() {
    let emulator = Emulator::start().await;
    let dir = fresh_dir("json-logs");
    let database = database_url(&dir).await;
    let backend = BackendProcess::start(
        &dir,
        &database,
        &emulator.url,
        &[("BANKIDENT_LOG_FORMAT", "json")],
    )
    .await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = client
        .get(format!("{}/", backend.url))
        .send()
        .await
        .unwrap();
    let cookie = page.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let answers = answers();
    let opened = client
        .post(format!("{}/api/identification", backend.url))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "same-origin")
        .json(&answers)
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 200);
    let request_id = opened.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    drop(backend);

    let log = std::fs::read_to_string(dir.join("backend.log")).unwrap();
    let lines: Vec<Value> = log
        .lines()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let of_the_request: Vec<&Value> = lines
        .iter()
        .filter(|line| line["span"]["request_id"] == request_id.as_str())
        .collect();
    let access: Vec<&&Value> = of_the_request
        .iter()
        .filter(|line| line["message"] == "request")
        .collect();
    assert_eq!(access.len(), 1, "one access line: {of_the_request:?}");
    assert_eq!(access[0]["route"], "/api/identification");
    assert_eq!(access[0]["status"], 200);
    assert!(access[0]["duration_ms"].is_u64());
    assert!(
        of_the_request.len() > 1,
        "the service's own lines carry the request id too"
    );
    for answer in [
        answers["first_name"].as_str().unwrap(),
        answers["last_name"].as_str().unwrap(),
        answers["email"].as_str().unwrap(),
        "BERLINER STR. 45",
        "Aachen",
    ] {
        assert!(!log.contains(answer), "{answer} is in the log");
    }
}
