//! Test controls the real Sandbox does not have, under `/_sandbox/` and kept apart from the
//! Solaris API: advance the clock, read the SMS inbox, list webhook deliveries, and inject
//! faults (a status, a delay, or no answer at all) into the next calls of a route.

use std::time::Duration;

use axum::Json;
use axum::extract::{Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Sandbox;
use crate::api::json_body::JsonObject;
use crate::clock::format_timestamp;
use crate::error::{ApiError, ApiResult};
use crate::model::Fault;

/// How long a "dropped" call hangs before the emulator gives up on it: longer than any
/// sensible client timeout.
const DROP_HANG: Duration = Duration::from_secs(300);

/// `GET /_sandbox/clock`: the emulator's current time.
pub async fn clock_show(State(sandbox): State<Sandbox>) -> Json<Value> {
    Json(json!({ "now": format_timestamp(sandbox.now()) }))
}

/// Middleware: test controls that change something take JSON only and never from another site
/// (`Sec-Fetch-Site`, `Origin`, `Origin: null` included), so no page a tester visits can move
/// the clock or inject faults. Tools that send neither header (tests, curl) are served.
pub async fn require_same_origin_json(
    State(sandbox): State<Sandbox>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == axum::http::Method::GET {
        return next.run(request).await;
    }
    let headers = request.headers();
    let text = |name: axum::http::HeaderName| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string)
    };
    let cross_site = text(axum::http::HeaderName::from_static("sec-fetch-site"))
        .is_some_and(|site| site != "same-origin" && site != "none");
    let own_origin = origin_of(&sandbox.config().public_url);
    let foreign_origin = text(axum::http::header::ORIGIN)
        .is_some_and(|origin| Some(origin.trim_end_matches('/')) != own_origin.as_deref());
    if cross_site || foreign_origin {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "cross_site",
            "Cross-site request",
            "test controls take requests from this site only",
        )
        .into_response();
    }
    let has_body = request.method() == axum::http::Method::POST;
    let json = text(axum::http::header::CONTENT_TYPE)
        .is_some_and(|content_type| content_type.starts_with("application/json"));
    if has_body && !json {
        return ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Unsupported media type",
            "send JSON with Content-Type: application/json",
        )
        .into_response();
    }
    next.run(request).await
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    Some(format!("{scheme}://{authority}"))
}

/// `POST /_sandbox/clock` with `{"advance_seconds": N}`.
pub async fn clock_advance(
    State(sandbox): State<Sandbox>,
    JsonObject(body): JsonObject,
) -> ApiResult {
    let seconds = body
        .get("advance_seconds")
        .and_then(Value::as_i64)
        .filter(|seconds| *seconds > 0)
        .ok_or_else(|| {
            ApiError::invalid_model(
                "advance_seconds",
                "must be a positive whole number of seconds",
            )
        })?;
    if !sandbox.advance_clock(time::Duration::seconds(seconds)) {
        return Err(ApiError::invalid_model(
            "advance_seconds",
            "would move the clock more than 10 years ahead of real time",
        ));
    }
    Ok(Json(json!({ "now": format_timestamp(sandbox.now()) })).into_response())
}

/// The SMS inbox filter.
#[derive(Debug, Deserialize)]
pub struct SmsQuery {
    number: Option<String>,
}

/// `GET /_sandbox/sms[?number=+49…]`: the latest [`KEPT_RECORDS`] SMS sent, oldest first.
pub async fn sms_index(
    State(sandbox): State<Sandbox>,
    Query(query): Query<SmsQuery>,
) -> Json<Value> {
    let state = sandbox.state();
    let messages: Vec<_> = state
        .sms
        .iter()
        .filter(|sms| {
            query
                .number
                .as_deref()
                .is_none_or(|number| sms.number == number)
        })
        .collect();
    Json(json!(messages))
}

/// `GET /_sandbox/webhook_deliveries`: the latest [`KEPT_RECORDS`] webhook delivery attempts.
pub async fn webhook_deliveries_index(State(sandbox): State<Sandbox>) -> Json<Value> {
    Json(json!(sandbox.webhooks().deliveries()))
}

/// `DELETE /_sandbox/persons/{id}`: deletes a person as Solaris' GDPR clean-up does (with its
/// mobile number, identifications and sessions) and sends `PERSON_DELETED`.
pub async fn person_delete(
    State(sandbox): State<Sandbox>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> ApiResult {
    {
        let mut state = sandbox.state();
        if state.persons.remove(&id).is_none() {
            return Err(ApiError::not_found("Person", &id));
        }
        state.person_order.retain(|known| *known != id);
        state
            .identifications
            .retain(|_, identification| identification.person_id != id);
        let sessions: Vec<String> = state
            .sessions
            .values()
            .filter(|s| s.person_id == id)
            .map(|s| s.id.clone())
            .collect();
        for session in sessions {
            state.sessions.remove(&session);
        }
        let live: std::collections::HashSet<String> = state.sessions.keys().cloned().collect();
        state
            .session_tokens
            .retain(|_, session| live.contains(session));
        let identifications: std::collections::HashSet<String> =
            state.identifications.keys().cloned().collect();
        state
            .wizard_keys
            .retain(|_, (_, identification)| identifications.contains(identification));
    }
    sandbox.webhooks().publish(
        solaris_contract::EventType::PersonDeleted,
        &id,
        &crate::model::Payload::Empty {},
    );
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `POST /_sandbox/faults` with `{"path_prefix", "method"?, "status"?, "delay_ms"?, "drop"?,
/// "lose_answer"?, "count"?, "retry_after_s"?}`.
pub async fn fault_create(
    State(sandbox): State<Sandbox>,
    JsonObject(body): JsonObject,
) -> ApiResult {
    let path_prefix = crate::api::json_body::required_str(&body, "path_prefix")?.to_string();
    if !path_prefix.starts_with('/') || path_prefix.starts_with("/_sandbox") {
        return Err(ApiError::invalid_model(
            "path_prefix",
            "must start with / and not be a test control",
        ));
    }
    let status = match body.get("status") {
        None | Some(Value::Null) => None,
        Some(value) => Some(
            value
                .as_u64()
                .and_then(|code| u16::try_from(code).ok())
                .and_then(|code| StatusCode::from_u16(code).ok())
                .filter(|code| code.is_client_error() || code.is_server_error())
                .ok_or_else(|| {
                    ApiError::invalid_model("status", "must be an HTTP error status (400-599)")
                })?,
        ),
    };
    let delay_ms = body
        .get("delay_ms")
        .map_or(Some(0), Value::as_u64)
        .ok_or_else(|| ApiError::invalid_model("delay_ms", "must be a whole number"))?;
    let drop = body
        .get("drop")
        .map_or(Some(false), Value::as_bool)
        .ok_or_else(|| ApiError::invalid_model("drop", "must be true or false"))?;
    let lose_answer = body
        .get("lose_answer")
        .map_or(Some(false), Value::as_bool)
        .ok_or_else(|| ApiError::invalid_model("lose_answer", "must be true or false"))?;
    let count = body
        .get("count")
        .map_or(Some(1), Value::as_u64)
        .filter(|count| *count > 0)
        .ok_or_else(|| ApiError::invalid_model("count", "must be a positive whole number"))?;
    if status.is_none() && delay_ms == 0 && !drop && !lose_answer {
        return Err(ApiError::invalid_model(
            "status",
            "or delay_ms, drop or lose_answer must be given",
        ));
    }
    let retry_after_seconds = match body.get("retry_after_s") {
        None | Some(Value::Null) => None,
        Some(value) => Some(
            value
                .as_u64()
                .filter(|seconds| *seconds <= 86_400)
                .ok_or_else(|| {
                    ApiError::invalid_model("retry_after_s", "must be whole seconds up to a day")
                })?,
        ),
    };
    let method = body
        .get("method")
        .and_then(Value::as_str)
        .map(str::to_ascii_uppercase);
    let fault = Fault {
        retry_after_seconds,
        path_prefix,
        method,
        status,
        delay: Duration::from_millis(delay_ms),
        drop,
        lose_answer,
        remaining: u32::try_from(count).unwrap_or(u32::MAX),
    };
    sandbox.state().faults.push(fault);
    Ok((
        StatusCode::CREATED,
        Json(json!({ "faults": sandbox.state().faults.len() })),
    )
        .into_response())
}

/// `DELETE /_sandbox/faults`: removes every fault.
pub async fn fault_delete_all(State(sandbox): State<Sandbox>) -> StatusCode {
    sandbox.state().faults.clear();
    StatusCode::NO_CONTENT
}

/// Middleware: applies the first fault that matches the call, and counts it down.
pub async fn apply_faults(
    State(sandbox): State<Sandbox>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    let method = request.method().as_str().to_string();
    let fault = {
        let mut state = sandbox.state();
        let index = state.faults.iter().position(|fault| {
            path.starts_with(&fault.path_prefix)
                && fault.method.as_deref().is_none_or(|m| m == method)
        });
        index.map(|index| {
            let fault = state.faults[index].clone();
            state.faults[index].remaining -= 1;
            if state.faults[index].remaining == 0 {
                state.faults.remove(index);
            }
            fault
        })
    };
    let Some(fault) = fault else {
        return next.run(request).await;
    };
    if fault.drop || fault.lose_answer {
        if fault.lose_answer {
            let _made = next.run(request).await;
        }
        tokio::time::sleep(DROP_HANG).await;
        return StatusCode::GATEWAY_TIMEOUT.into_response();
    }
    tokio::time::sleep(fault.delay).await;
    match fault.status {
        Some(status) => {
            let mut response = ApiError::new(
                status,
                "injected_fault",
                "Injected Fault",
                "a fault injected through /_sandbox/faults",
            )
            .into_response();
            if let Some(seconds) = fault.retry_after_seconds {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, seconds.into());
            }
            response
        }
        None => next.run(request).await,
    }
}
