//! The partner API's problem details on their way out, and the documentation of each problem
//! type: every error of the partner API carries the answer's request id, a method the endpoint
//! does not take answers a problem too, and `GET /problems/{code}` (each problem's `type`) says
//! what the problem means and what to do.

use axum::extract::{Path, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{PartnerError, Problem, ProblemCode};

/// Middleware of the partner API: a problem answer gets the request's id (`request_id`, the
/// same as its `x-request-id` header); axum's own 405 becomes a problem too.
pub async fn complete_problems(request: Request, next: Next) -> Response {
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let mut response = next.run(request).await;
    if response.status() == StatusCode::METHOD_NOT_ALLOWED
        && response.extensions().get::<Problem>().is_none()
    {
        let allow = response.headers().get(header::ALLOW).cloned();
        response = PartnerError::refused(
            ProblemCode::MethodNotAllowed,
            "this endpoint does not take this method",
        )
        .into_response();
        if let Some(allow) = allow {
            response.headers_mut().insert(header::ALLOW, allow);
        }
    }
    let Some(mut problem) = response.extensions_mut().remove::<Problem>() else {
        return response;
    };
    problem.request_id = request_id;
    let body = serde_json::to_vec(&problem).expect("a problem serializes");
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// `GET /problems/{code}`: what a problem type means and what to do, in plain text.
pub async fn problem_type_show(Path(code): Path<String>) -> Response {
    let Some(problem) = ProblemCode::named(&code) else {
        return (StatusCode::NOT_FOUND, "No such problem type.\n").into_response();
    };
    let text = format!(
        "{code}: {title} (HTTP {status})\n\n{what_to_do}\n\nEvery problem of the Bankident partner API is an RFC 9457 document \
         (application/problem+json) with type, title, status, detail, code and request_id.\n",
        code = problem.code(),
        title = problem.title(),
        status = problem.status().as_u16(),
        what_to_do = problem.what_to_do(),
    );
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        text,
    )
        .into_response()
}
