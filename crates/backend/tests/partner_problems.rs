//! The partner API answers every error in one shape, RFC 9457 problem details, whatever goes
//! wrong: no key, an unknown path or method, a body that is not JSON, too large or malformed, a
//! query it cannot read, a rule broken. Each carries the request id of its answer, and its
//! `type` leads to a page saying what to do.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use support::partner::{KEY, Receiver, partner_backend};
use support::{Backend, Emulator};

/// A body and its content type.
type Content<'a> = Option<(&'a str, String)>;

/// Sends a request as a partner's program would, with the key unless told otherwise: the
/// status, the headers and the body as JSON (`Null` when it is not JSON).
async fn call(
    backend: &Backend,
    method: &str,
    path: &str,
    content: Content<'_>,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {KEY}"));
    let request = match content {
        Some((content_type, body)) => request
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body)),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let (status, headers, body) = backend.send(request).await;
    (
        status,
        headers,
        serde_json::from_str(&body).unwrap_or(Value::Null),
    )
}

/// Checks the shape every problem has, and returns its code.
fn problem_code(status: StatusCode, headers: &axum::http::HeaderMap, body: &Value) -> String {
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "application/problem+json",
        "{status}: {body}"
    );
    assert_eq!(body["status"], status.as_u16(), "{body}");
    let code = body["code"].as_str().expect("a code").to_string();
    assert_eq!(body["type"], format!("/problems/{code}"), "{body}");
    assert!(
        body["title"]
            .as_str()
            .is_some_and(|title| !title.is_empty())
    );
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|detail| !detail.is_empty())
    );
    assert_eq!(
        body["request_id"],
        headers["x-request-id"].to_str().unwrap(),
        "the request id is the answer's own"
    );
    code
}

#[tokio::test]
async fn every_error_of_the_partner_api_is_a_problem_document_with_its_request_id() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("problems", &emulator, &receiver).await;
    let json = |value: Value| Some(("application/json", value.to_string()));
    let cases: Vec<(&str, &str, Content, StatusCode, &str)> = vec![
        (
            "GET",
            "/partner/v1/nothing-here",
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "GET",
            "/partner/v2/onboardings",
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "GET",
            "/partner/v1/onboardings/no-such-id",
            None,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            "PUT",
            "/partner/v1/onboardings",
            json(json!({})),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            "POST",
            "/partner/v1/onboardings",
            Some(("text/plain", "customer_reference=x".into())),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (
            "POST",
            "/partner/v1/onboardings",
            Some(("application/json", "{\"customer_reference\": ".into())),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "POST",
            "/partner/v1/onboardings",
            json(json!({ "customer_reference": "c-1", "colour": "blue" })),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (
            "POST",
            "/partner/v1/onboardings",
            json(json!({ "customer_reference": "x".repeat(20_000) })),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (
            "POST",
            "/partner/v1/onboardings",
            json(json!({ "customer_reference": "c-1", "language": "fr" })),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            "GET",
            "/partner/v1/events?limit=500",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            "GET",
            "/partner/v1/events?colour=blue",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
        (
            "GET",
            "/partner/v1/onboardings?cursor=%25%25",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        ),
    ];
    for (method, path, content, status, code) in cases {
        let (answered, headers, body) = call(&backend, method, path, content).await;
        assert_eq!(answered, status, "{method} {path}: {body}");
        assert_eq!(
            problem_code(answered, &headers, &body),
            code,
            "{method} {path}"
        );
    }

    let (status, headers, body) = call(&backend, "PUT", "/partner/v1/onboardings", None).await;
    problem_code(status, &headers, &body);
    assert!(
        headers[header::ALLOW].to_str().unwrap().contains("POST"),
        "a 405 says which methods the endpoint takes"
    );

    let (status, _, body) = call(
        &backend,
        "GET",
        "/partner/v1/events?limit=500&type=onboarding.created",
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["errors"],
        json!([{ "field": "limit", "problem": "out_of_range" }]),
        "the first broken rule is named"
    );

    let unauthorized = backend
        .send(
            Request::get("/partner/v1/onboardings")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let body: Value = serde_json::from_str(&unauthorized.2).unwrap();
    assert_eq!(
        problem_code(unauthorized.0, &unauthorized.1, &body),
        "unauthorized"
    );
    assert_eq!(unauthorized.1[header::WWW_AUTHENTICATE], "Bearer");
}

#[tokio::test]
async fn a_problem_type_leads_to_what_to_do() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("problem-types", &emulator, &receiver).await;
    let (status, headers, body) = backend
        .send(
            Request::get("/problems/erased")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    assert!(body.contains("HTTP 410"), "{body}");
    assert!(body.contains("Only the onboarding's id is kept"), "{body}");
    let (status, _, _) = backend
        .send(
            Request::get("/problems/no-such-problem")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
