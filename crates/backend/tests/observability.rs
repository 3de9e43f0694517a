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
    let cookie = support::process::cookie_set_by(page.headers());
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

/// An OTLP/HTTP receiver on loopback: the spans every export carried, as they arrive.
async fn otlp_receiver() -> (
    String,
    std::sync::Arc<std::sync::Mutex<Vec<opentelemetry_proto::tonic::trace::v1::Span>>>,
) {
    use prost::Message;
    let spans = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = spans.clone();
    let router = axum::Router::new().route(
        "/v1/traces",
        axum::routing::post(move |body: axum::body::Bytes| {
            let kept = kept.clone();
            async move {
                let export = opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest::decode(body)
                    .expect("an OTLP export");
                for resource in export.resource_spans {
                    for scope in resource.scope_spans {
                        kept.lock().unwrap().extend(scope.spans);
                    }
                }
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, spans)
}

/// A proxy in front of Solaris (the emulator) that notes the `traceparent` of every request it
/// forwards.
async fn tracing_proxy(solaris: &str) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let noted = seen.clone();
    let solaris = solaris.to_string();
    let client = reqwest::Client::new();
    let router = axum::Router::new().fallback(move |request: axum::extract::Request| {
        let (noted, solaris, client) = (noted.clone(), solaris.clone(), client.clone());
        async move {
            let (parts, body) = request.into_parts();
            if let Some(traceparent) = parts.headers.get("traceparent") {
                noted
                    .lock()
                    .unwrap()
                    .push(traceparent.to_str().unwrap().to_string());
            }
            let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            let mut headers = parts.headers.clone();
            headers.remove("host");
            let answer = client
                .request(parts.method, format!("{solaris}{}", parts.uri))
                .headers(headers)
                .body(body)
                .send()
                .await
                .unwrap();
            let status = answer.status();
            let mut headers = answer.headers().clone();
            headers.remove("transfer-encoding");
            headers.remove("content-length");
            let mut response = axum::response::Response::new(axum::body::Body::from(
                answer.bytes().await.unwrap(),
            ));
            *response.status_mut() = status;
            *response.headers_mut() = headers;
            response
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, seen)
}

#[tokio::test]
async fn one_request_is_one_trace_with_its_solaris_calls_as_children() {
    let emulator = Emulator::start().await;
    let (solaris, traceparents) = tracing_proxy(&emulator.url).await;
    let (collector, spans) = otlp_receiver().await;
    let dir = fresh_dir("traces");
    let database = database_url(&dir).await;
    let backend = BackendProcess::start(
        &dir,
        &database,
        &solaris,
        &[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", collector.as_str()),
            // The identification's URL is the emulator's own.
            (
                "BANKIDENT_REDIRECT_HOSTS",
                emulator.url.trim_start_matches("http://"),
            ),
            ("OTEL_BSP_SCHEDULE_DELAY", "100"),
        ],
    )
    .await;
    let client = reqwest::Client::new();
    let page = client
        .get(format!("{}/", backend.url))
        .send()
        .await
        .unwrap();
    let cookie = support::process::cookie_set_by(page.headers());
    // The partner's proxy started the trace.
    let trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    let proxy_span = "00f067aa0ba902b7";
    let opened = client
        .post(format!("{}/api/identification", backend.url))
        .header("cookie", &cookie)
        .header("sec-fetch-site", "same-origin")
        .header("traceparent", format!("00-{trace_id}-{proxy_span}-01"))
        .json(&answers())
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 200);

    let hex = |bytes: &[u8]| {
        bytes
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect::<String>()
    };
    let mut found = Vec::new();
    for _ in 0..100 {
        found = spans
            .lock()
            .unwrap()
            .iter()
            .filter(|span| hex(&span.trace_id) == trace_id)
            .cloned()
            .collect();
        if found
            .iter()
            .filter(|span| span.name == "solaris call")
            .count()
            >= 3
            && found.iter().any(|span| span.name == "request")
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let request = found
        .iter()
        .find(|span| span.name == "request")
        .expect("the request's span, in the proxy's trace");
    assert_eq!(hex(&request.parent_span_id), proxy_span);
    let calls: Vec<_> = found
        .iter()
        .filter(|span| span.name == "solaris call")
        .collect();
    assert!(
        calls.len() >= 3,
        "person, mobile number, session: {found:#?}"
    );
    // Solaris was told the trace: each call's `traceparent` names the trace and its own span.
    let told = traceparents.lock().unwrap().clone();
    for call in &calls {
        let traceparent = format!("00-{trace_id}-{}-01", hex(&call.span_id));
        assert!(told.contains(&traceparent), "{traceparent} not in {told:?}");
    }
    // Every Solaris call descends from the request's span.
    for call in calls {
        let mut parent = call.parent_span_id.clone();
        while parent != request.span_id {
            parent = found
                .iter()
                .find(|span| span.span_id == parent)
                .unwrap_or_else(|| panic!("{} is not under the request", call.name))
                .parent_span_id
                .clone();
        }
    }
}
