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

use super::AppState;
use super::extract::client_address;
use super::start_page::redirect_keeping_language;
use crate::browser::key_hash;
use crate::onboarding::pages::LINK;
use crate::onboarding::partner::StartLinkOpened;
use crate::rate_limits::ClientCall;
use crate::serve::ClientAddress;
use crate::store::LinkProblem;

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
        .web
        .rate_limits
        .check_client(ClientCall::StartLink, address)
    {
        return limited.into_response();
    }
    let (key, new_cookie) = match state
        .onboardings
        .browser_key(state.web.cookies.browser_key(&headers))
        .await
    {
        Ok(known) => known,
        Err(error) => {
            tracing::error!(%error, "browser key could not be checked");
            return redirect_keeping_language(
                &format!("{LINK}?problem={}", LinkProblem::Unavailable.code()),
                None,
            );
        }
    };
    let token = query.map(|Query(query)| query.token).unwrap_or_default();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let opened = state
        .onboardings
        .start_link_open(&token, &key_hash(&key), now)
        .await;
    let mut response = match opened {
        Ok(StartLinkOpened::Bound { page, language }) => {
            let language = language.map(|language| format!("lang={language}"));
            redirect_keeping_language(page, language.as_deref())
        }
        Ok(StartLinkOpened::Refused(problem)) => {
            redirect_keeping_language(&format!("{LINK}?problem={}", problem.code()), None)
        }
        Err(error) => {
            tracing::error!(%error, "start link could not be read");
            redirect_keeping_language(
                &format!("{LINK}?problem={}", LinkProblem::Unavailable.code()),
                None,
            )
        }
    };
    if new_cookie {
        response
            .headers_mut()
            .insert(header::SET_COOKIE, state.web.cookies.set_cookie(&key));
    }
    response
}
