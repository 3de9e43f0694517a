//! `GET /start?token=…`: a customer opens the start link the partner sent them. The browser is
//! bound to the customer's onboarding (the cookie) and sent on at once with a `303`, so the
//! token leaves the address bar and the history, and never reaches a page's `Referer`. The
//! token travels in the query, which the request log leaves out.
//!
//! A second device opening a fresh link continues the same onboarding: its outcome page when an
//! identification is open or over, the start page otherwise. A link that does not work leads
//! to a page saying why and what to do.

use axum::Extension;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::AppState;
use crate::api::client_address;
use crate::browser::{key_hash, request_key};
use crate::rate_limits::ClientCall;
use crate::serve::ClientAddress;
use crate::start_page::{LINK_PAGE, is_over, redirect_keeping_language};
use crate::store::{LinkProblem, Onboarding, OnboardingState};

/// The query of a start link.
#[derive(Debug, Deserialize)]
pub struct StartQuery {
    token: String,
}

/// `GET /start`.
pub async fn start_link_open(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    query: Result<Query<StartQuery>, QueryRejection>,
) -> Response {
    let address = client_address(&state, &headers, client.as_ref());
    if let Err(limited) = state
        .rate_limits
        .check_client(ClientCall::StartLink, address)
    {
        return limited.into_response();
    }
    let (key, new_cookie) = match request_key(&state, &headers).await {
        Ok(known) => known,
        Err(error) => {
            tracing::error!(%error, "browser key could not be checked");
            return redirect_keeping_language(
                &format!("{LINK_PAGE}?problem={}", LinkProblem::Unavailable.code()),
                None,
            );
        }
    };
    let token = query.map(|Query(query)| query.token).unwrap_or_default();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let redeemed = state
        .store
        .redeem_start_link(&token, &key_hash(&key), now)
        .await;
    let mut response = match redeemed {
        Ok(Ok(onboarding)) => {
            tracing::info!(onboarding_id = %onboarding.id, "start link opened");
            let language = onboarding
                .language
                .as_deref()
                .map(|language| format!("lang={language}"));
            redirect_keeping_language(destination(&onboarding), language.as_deref())
        }
        Ok(Err(problem)) => {
            tracing::info!(problem = problem.code(), "start link refused");
            redirect_keeping_language(&format!("{LINK_PAGE}?problem={}", problem.code()), None)
        }
        Err(error) => {
            tracing::error!(%error, "start link could not be read");
            redirect_keeping_language(
                &format!("{LINK_PAGE}?problem={}", LinkProblem::Unavailable.code()),
                None,
            )
        }
    };
    if new_cookie {
        response
            .headers_mut()
            .insert(header::SET_COOKIE, state.cookies.set_cookie(&key));
    }
    response
}

/// Where the customer continues: the outcome page while an identification is open or once it
/// is over for good; otherwise the start of the journey.
fn destination(onboarding: &Onboarding) -> &'static str {
    if onboarding.outcome_state == OnboardingState::Pending || is_over(onboarding) {
        "/callback"
    } else {
        "/"
    }
}
