//! The OpenAPI documents of the partner API and of the app's own API, generated from the
//! handlers and types (utoipa) and served at [`PARTNER_PATH`] and [`APP_PATH`]. A partner that
//! prefers its own backend can implement the app's API from the second one. The checked-in
//! copies in `docs/openapi/` are compared with the generated ones by a test, and the test
//! command lints the partner API's copy and generates a client from it (`tools/openapi/`).
//!
//! The partner API's document is complete enough to generate a client from: a schema for every
//! answer, errors included ([`problems`]), enums for every closed set of values, `date-time`
//! for every time, examples, the server (its address a variable: the backend's public URL),
//! the bearer scheme required everywhere, and the `webhooks` section ([`webhooks`]).

mod problems;
mod webhooks;

use axum::Json;
use axum::extract::State;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::server::{ServerBuilder, ServerVariableBuilder};
use utoipa::{Modify, OpenApi};

use super::{AppState, api_mode, app_api, partner_api};
use crate::error::{InvalidField, Problem, ProblemCode};
use crate::partner_events;

/// Where the partner API's document is served.
pub const PARTNER_PATH: &str = "/openapi/partner.json";
/// Where the app API's document is served.
pub const APP_PATH: &str = "/openapi/app.json";

/// The partner API: API key as a bearer token.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bankident partner API",
        version = "1",
        description = "Create your customers' onboardings and start links, and read their results. \
            Every call needs `Authorization: Bearer <API key>`. Results also arrive as signed webhooks \
            (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`) whose body is a `PartnerEvent` \
            (see `webhooks`). Every error is an RFC 9457 problem (`application/problem+json`, schema `Problem`). \
            Times are RFC 3339 in UTC to the second."
    ),
    paths(
        partner_api::onboarding_create,
        partner_api::onboarding_list,
        partner_api::onboarding_show,
        partner_api::onboarding_erase,
        partner_api::document_download,
        partner_api::events_index,
        partner_api::event_list,
        partner_api::event_redeliver,
        partner_api::events_redeliver,
        partner_api::webhook_test,
        partner_api::start_links_revoke,
        partner_api::onboarding_cancel,
    ),
    components(schemas(
        partner_events::PartnerEvent,
        partner_events::PartnerEventData,
        partner_events::TestPing,
        Problem,
        InvalidField,
        ProblemCode
    )),
    modifiers(&BearerKey, &ProblemResponses, &Servers, &Webhooks),
    security(("api_key" = [])),
    tags(
        (name = "partner", description = "Server to server, with your API key"),
        (name = "webhooks", description = "What your receiver gets: signed POSTs, retried for about three days")
    )
)]
pub struct PartnerApiDoc;

/// The app's own API (browser to backend; the cookie binds the browser to its onboarding).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Bankident app API",
        version = "1",
        description = "What the web app calls. Changing calls must be JSON from the same site \
            (`Sec-Fetch-Site`/`Origin`); the HttpOnly cookie binds the browser to its onboarding."
    ),
    paths(
        app_api::identification_open,
        app_api::identification_continue,
        app_api::outcome_show,
        app_api::prefill_show,
        app_api::iban_lookup_create,
        api_mode::mobile_code_send,
        api_mode::mobile_number_confirm,
        api_mode::bank_identification_create,
        api_mode::bank_step_show,
        api_mode::signature_authorize,
        api_mode::signature_confirm,
        api_mode::document_download,
    ),
    modifiers(&Servers, &BrowserCookie),
    security(("browser_cookie" = [])),
    tags((name = "app", description = "For the web app, same site only"))
)]
pub struct AppApiDoc;

/// The app API's scheme: the HttpOnly cookie that binds the browser to its onboarding.
struct BrowserCookie;

impl Modify for BrowserCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_default()
            .add_security_scheme(
                "browser_cookie",
                SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                    crate::browser::cookie_name(true),
                    "Set by the backend on the app's pages (HttpOnly, SameSite=Lax); named `bankident` when served over plain http on a developer's machine.",
                ))),
            );
    }
}

use problems::ProblemResponses;
use webhooks::Webhooks;

/// The address of this API in a document that is not served by a backend (the checked-in one).
const DOCUMENTED_ORIGIN: &str = "http://127.0.0.1:3000";

/// The one server: the backend's public URL, a variable whose default is where the document
/// comes from.
struct Servers;

impl Modify for Servers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let origin = ServerVariableBuilder::new()
            .default_value(DOCUMENTED_ORIGIN)
            .description(Some(
                "Your backend's BANKIDENT_PUBLIC_URL (https://onboarding.partner.example, say)",
            ))
            .build();
        openapi.servers = Some(vec![
            ServerBuilder::new()
                .url("{origin}")
                .description(Some("Your Bankident onboarding backend"))
                .parameter("origin", origin)
                .build(),
        ]);
    }
}

/// The partner API's document as this backend serves it: its server's default is the
/// backend's own public URL.
pub fn partner_document(public_url: &str) -> utoipa::openapi::OpenApi {
    let mut document = PartnerApiDoc::openapi();
    if let Some(variable) = document
        .servers
        .as_mut()
        .and_then(|servers| servers.first_mut())
        .and_then(|server| server.variables.as_mut())
        .and_then(|variables| variables.get_mut("origin"))
    {
        variable.default_value = public_url.to_string();
    }
    document
}

struct BearerKey;

impl Modify for BearerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_default()
            .add_security_scheme(
                "api_key",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
}

/// `GET /openapi/partner.json`.
pub async fn partner_show(State(state): State<AppState>) -> Json<utoipa::openapi::OpenApi> {
    Json(partner_document(&state.config.public_url))
}

/// `GET /openapi/app.json`.
pub async fn app_show() -> Json<utoipa::openapi::OpenApi> {
    Json(AppApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compares a generated document with its checked-in copy; `UPDATE_OPENAPI=1` rewrites
    /// the copy.
    fn matches_checked_in(generated: &utoipa::openapi::OpenApi, file: &str) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/openapi")
            .join(file);
        let text = generated.to_pretty_json().unwrap() + "\n";
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            checked_in == text,
            "{} differs from the API: run `UPDATE_OPENAPI=1 cargo test -p bankident-backend openapi` and commit it",
            path.display()
        );
    }

    #[test]
    fn the_checked_in_openapi_documents_match_the_code() {
        let partner = PartnerApiDoc::openapi();
        let paths: Vec<&String> = partner.paths.paths.keys().collect();
        assert_eq!(
            paths,
            [
                "/partner/v1/events",
                "/partner/v1/events/redeliver",
                "/partner/v1/events/{id}/redeliver",
                "/partner/v1/onboardings",
                "/partner/v1/onboardings/{id}",
                "/partner/v1/onboardings/{id}/cancel",
                "/partner/v1/onboardings/{id}/documents/{document_id}",
                "/partner/v1/onboardings/{id}/events",
                "/partner/v1/onboardings/{id}/start_links/revoke",
                "/partner/v1/webhooks/test",
            ]
        );
        matches_checked_in(&partner, "partner.json");
        let app = AppApiDoc::openapi();
        assert_eq!(app.paths.paths.len(), 11);
        matches_checked_in(&app, "app.json");
    }
}
