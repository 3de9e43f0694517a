//! The webview of an identification session: introduction, mobile number verification, IBAN,
//! (payment wizard), contract review with the PDF, QES code, and the end: success or the
//! guide's failure message, then back to the partner's callback URL.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use bankident_domain::{ErrorCode, IdentificationStatus, Language, OutcomeCategory, SessionStatus};
use maud::{Markup, html};
use serde::Deserialize;
use solaris_contract::Identification;

use super::LangQuery;
use super::page::{
    FieldError, InputKind, TextInput, button_link, form, page, paragraph, secondary_form,
};
use super::texts::Text;
use crate::Sandbox;
use crate::error::ApiError;

/// The code forms' field.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// The IBAN form's field.
#[derive(Debug, Deserialize)]
pub struct IbanForm {
    #[serde(default)]
    iban: String,
}

/// A refusal of a session that is over: expired, or already completed.
fn over_page(
    sandbox: &Sandbox,
    token: &str,
    language: Language,
    status: &SessionStatus,
) -> Response {
    let (title, body) = if *status == SessionStatus::Successful {
        (Text::CompletedTitle, Text::CompletedBody)
    } else {
        (Text::ExpiredTitle, Text::ExpiredBody)
    };
    let content = html! {
        (paragraph(body.get(language)))
        (button_link(
            &url(sandbox, token, "/finish", language),
            Text::BackToPartner.get(language)
        ))
    };
    (
        StatusCode::GONE,
        page(
            &sandbox.config().public_url,
            language,
            title.get(language),
            &[],
            content,
        ),
    )
        .into_response()
}

/// A screen of an open session, with the way back to the partner's app at its end: the
/// customer can always leave.
fn session_page(
    sandbox: &Sandbox,
    token: &str,
    language: Language,
    title: &str,
    errors: &[FieldError],
    content: Markup,
) -> axum::response::Html<String> {
    let content = html! {
        (content)
        p.leave {
            a href=(url(sandbox, token, "/finish", language)) {
                (Text::LeaveToPartner.get(language))
            }
        }
    };
    page(
        &sandbox.config().public_url,
        language,
        title,
        errors,
        content,
    )
}

fn not_found(sandbox: &Sandbox, language: Language) -> Response {
    (
        StatusCode::NOT_FOUND,
        page(
            &sandbox.config().public_url,
            language,
            Text::NotFoundTitle.get(language),
            &[],
            paragraph(Text::NotFoundBody.get(language)),
        ),
    )
        .into_response()
}

fn url(sandbox: &Sandbox, token: &str, step: &str, language: Language) -> String {
    format!(
        "{}/webview/{token}{step}?lang={}",
        sandbox.config().public_url,
        language.tag()
    )
}

/// Resolves the session or answers 404 with a page saying the link is not valid.
macro_rules! session_or_404 {
    ($sandbox:expr, $token:expr, $language:expr) => {
        match $sandbox.webview_session(&$token) {
            Some(session) => session,
            None => return not_found(&$sandbox, $language),
        }
    };
}

/// Resolves a session the customer can still act in, or answers with the refusal Solaris
/// gives for a session that is over (410 with a way back to the app).
macro_rules! open_session_or_refuse {
    ($sandbox:expr, $token:expr, $language:expr) => {{
        let session = session_or_404!($sandbox, $token, $language);
        if session.status.is_final() {
            return over_page(&$sandbox, &$token, $language, &session.status);
        }
        session
    }};
}

/// `GET /webview/{token}`: what is going to happen.
pub async fn intro_show(
    State(sandbox): State<Sandbox>,
    Path(token): Path<String>,
    Query(lang): Query<LangQuery>,
) -> Response {
    let language = lang.language();
    open_session_or_refuse!(sandbox, token, language);
    let steps = [Text::IntroSteps1, Text::IntroSteps2, Text::IntroSteps3];
    let content = html! {
        (paragraph(Text::IntroBody.get(language)))
        ol { @for step in steps { li { (step.get(language)) } } }
        (form(
            &url(&sandbox, &token, "/start", language),
            &[],
            Text::Start.get(language)
        ))
    };
    session_page(
        &sandbox,
        &token,
        language,
        Text::IntroTitle.get(language),
        &[],
        content,
    )
    .into_response()
}

/// `POST /webview/{token}/start`: verify the mobile number first if it is not yet verified.
pub async fn start_submit(
    State(sandbox): State<Sandbox>,
    Path(token): Path<String>,
    Query(lang): Query<LangQuery>,
) -> Response {
    let language = lang.language();
    let session = open_session_or_refuse!(sandbox, token, language);
    match session.mobile_number {
        Some((_, true)) => Redirect::to(&url(&sandbox, &token, "/next", language)).into_response(),
        Some((number, false)) => {
            // A code that cannot be sent still leads to the code screen, which offers a resend.
            let _ = sandbox.send_mobile_number_code(&session.person_id, &number);
            Redirect::to(&url(&sandbox, &token, "/mobile", language)).into_response()
        }
        None => failure_page(
            &sandbox,
            &token,
            language,
            &ErrorCode::MobileNumberNotVerified,
        ),
    }
}

fn failure_page(sandbox: &Sandbox, token: &str, language: Language, code: &ErrorCode) -> Response {
    let another_iban = code.category() == OutcomeCategory::RetryWithAnotherIban;
    let content = html! {
        p.message { (code.customer_message(language)) }
        @if another_iban {
            (button_link(
                &url(sandbox, token, "/iban", language),
                Text::TryAnotherIban.get(language),
            ))
        }
        (button_link(
            &url(sandbox, token, "/finish", language),
            Text::BackToPartner.get(language),
        ))
    };
    page(
        &sandbox.config().public_url,
        language,
        Text::FailedTitle.get(language),
        &[],
        content,
    )
    .into_response()
}

/// The texts and actions of an SMS-code screen (mobile number or signature).
struct CodeScreen {
    title: Text,
    body: Text,
    hint: Text,
    submit: (&'static str, Text),
    resend: &'static str,
}

/// An SMS-code screen: what was sent where, the code field, and "send a new code".
fn code_page(
    sandbox: &Sandbox,
    token: &str,
    language: Language,
    screen: &CodeScreen,
    emphasis: &str,
    errors: &[FieldError],
) -> Response {
    let field = TextInput {
        id: "code",
        label: Text::CodeLabel.get(language),
        hint: Some(screen.hint.get(language)),
        value: "",
        error: errors.first().map(|(_, message)| *message),
        kind: InputKind::OneTimeCode,
    };
    let (action, button) = screen.submit;
    let content = html! {
        p { (screen.body.get(language)) " " strong { (emphasis) } }
        (form(
            &url(sandbox, token, action, language),
            &[field],
            button.get(language)
        ))
        (secondary_form(
            &url(sandbox, token, screen.resend, language),
            Text::SendNewCode.get(language)
        ))
    };
    session_page(
        sandbox,
        token,
        language,
        screen.title.get(language),
        errors,
        content,
    )
    .into_response()
}

/// `GET /webview/{token}/next`: the screen for where the identification stands now.
pub async fn next_show(
    State(sandbox): State<Sandbox>,
    Path(token): Path<String>,
    Query(lang): Query<LangQuery>,
) -> Response {
    let language = lang.language();
    let session = session_or_404!(sandbox, token, language);
    let base = sandbox.config().public_url.clone();
    let Some(identification_id) = session.identification_id else {
        return bank::iban_page(&sandbox, &token, language, "", None);
    };
    let Ok(identification) = sandbox.show_identification(&session.person_id, &identification_id)
    else {
        return not_found(&sandbox, language);
    };
    match identification.status {
        IdentificationStatus::Created => bank::iban_page(&sandbox, &token, language, "", None),
        IdentificationStatus::Pending => {
            let wizard = format!(
                "{}?lang={}",
                identification.url.as_deref().unwrap_or_default(),
                language.tag()
            );
            page(
                &base,
                language,
                Text::ContinueAtBankTitle.get(language),
                &[],
                button_link(&wizard, Text::ContinueAtBank.get(language)),
            )
            .into_response()
        }
        IdentificationStatus::AuthorizationRequired => {
            signature::contract_page(&sandbox, &token, language, &identification)
        }
        IdentificationStatus::ConfirmationRequired => {
            signature::qes_page(&sandbox, &token, language, &identification, &[])
        }
        IdentificationStatus::Confirmed | IdentificationStatus::Successful => {
            let content = html! {
                (paragraph(Text::DoneBody.get(language)))
                (button_link(
                    &url(&sandbox, &token, "/finish", language),
                    Text::BackToPartner.get(language)
                ))
            };
            page(&base, language, Text::DoneTitle.get(language), &[], content).into_response()
        }
        _ => {
            let reason = identification
                .failure_reason
                .as_deref()
                .map_or(ErrorCode::GenericError, ErrorCode::parse);
            failure_page(&sandbox, &token, language, &reason)
        }
    }
}

mod bank;
mod mobile;
mod signature;

pub use bank::{iban_show, iban_submit};
pub use mobile::{mobile_show, mobile_submit, mobile_verified_show};
pub use signature::{document_download, finish, qes_submit, sign_submit};
