//! The webview of an identification session: introduction, mobile number verification, IBAN,
//! (payment wizard), contract review with the PDF, QES code, and the end: success or the
//! guide's failure message, then back to the partner's callback URL.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use bankident_domain::{ErrorCode, Language, OutcomeCategory, SessionStatus};
use serde::Deserialize;
use serde_json::Value;

use super::LangQuery;
use super::page::{FieldError, button_link, escape, form, page, secondary_form, text_input};
use super::texts::Text;
use crate::Sandbox;
use crate::error::ApiError;

/// What a screen needs to know about its session.
struct SessionView {
    id: String,
    status: SessionStatus,
    person_id: String,
    identification_id: Option<String>,
    callback_url: String,
    mobile_number: Option<(String, bool)>,
}

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

fn session(sandbox: &Sandbox, token: &str) -> Option<SessionView> {
    let (id, person_id) = {
        let state = sandbox.state();
        let id = state.session_tokens.get(token)?.clone();
        let person_id = state.sessions.get(&id)?.person_id.clone();
        (id, person_id)
    };
    // Reading the session applies its expiry, as every Solaris read does.
    sandbox.show_session(&person_id, &id).ok()?;
    let state = sandbox.state();
    let session = state.sessions.get(&id)?;
    let person = state.persons.get(&session.person_id)?;
    Some(SessionView {
        id: session.id.clone(),
        status: session.status.clone(),
        person_id: session.person_id.clone(),
        identification_id: session.identification_id.clone(),
        callback_url: session.callback_url.clone(),
        mobile_number: person
            .mobile_number
            .as_ref()
            .map(|mobile| (mobile.number.clone(), mobile.verified)),
    })
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
    let content = format!(
        "<p>{}</p>{}",
        body.get(language),
        button_link(
            &url(sandbox, token, "/finish", language),
            Text::BackToPartner.get(language)
        )
    );
    (
        StatusCode::GONE,
        page(
            &sandbox.config().public_url,
            language,
            title.get(language),
            &[],
            &content,
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
    content: &str,
) -> axum::response::Html<String> {
    let leave = format!(
        r#"<p class="leave"><a href="{}">{}</a></p>"#,
        escape(&url(sandbox, token, "/finish", language)),
        Text::LeaveToPartner.get(language)
    );
    page(
        &sandbox.config().public_url,
        language,
        title,
        errors,
        &format!("{content}{leave}"),
    )
}

fn not_found(sandbox: &Sandbox, language: Language) -> Response {
    let body = format!("<p>{}</p>", Text::NotFoundBody.get(language));
    (
        StatusCode::NOT_FOUND,
        page(
            &sandbox.config().public_url,
            language,
            Text::NotFoundTitle.get(language),
            &[],
            &body,
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
        match session(&$sandbox, &$token) {
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
    let content = format!(
        "<p>{}</p><ol><li>{}</li><li>{}</li><li>{}</li></ol>{}",
        Text::IntroBody.get(language),
        Text::IntroSteps1.get(language),
        Text::IntroSteps2.get(language),
        Text::IntroSteps3.get(language),
        form(
            &url(&sandbox, &token, "/start", language),
            "",
            Text::Start.get(language)
        ),
    );
    session_page(
        &sandbox,
        &token,
        language,
        Text::IntroTitle.get(language),
        &[],
        &content,
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

fn mobile_page(
    sandbox: &Sandbox,
    token: &str,
    language: Language,
    number: &str,
    errors: &[FieldError],
) -> Response {
    let screen = CodeScreen {
        title: Text::MobileTitle,
        body: Text::MobileBody,
        hint: Text::MobileHint,
        submit: ("/mobile", Text::Confirm),
        resend: "/start",
    };
    code_page(sandbox, token, language, &screen, number, errors)
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
    let error = errors.first().map(|(_, message)| *message);
    let field = text_input(
        "code",
        Text::CodeLabel.get(language),
        Some(screen.hint.get(language)),
        "",
        error,
        r#"inputmode="numeric" autocomplete="one-time-code""#,
    );
    let (action, button) = screen.submit;
    let content = format!(
        "<p>{} <strong>{}</strong></p>{}{}",
        screen.body.get(language),
        escape(emphasis),
        form(
            &url(sandbox, token, action, language),
            &field,
            button.get(language)
        ),
        secondary_form(
            &url(sandbox, token, screen.resend, language),
            Text::SendNewCode.get(language)
        ),
    );
    session_page(
        sandbox,
        token,
        language,
        screen.title.get(language),
        errors,
        &content,
    )
    .into_response()
}

/// `GET /webview/{token}/mobile`: the code screen.
pub async fn mobile_show(
    State(sandbox): State<Sandbox>,
    Path(token): Path<String>,
    Query(lang): Query<LangQuery>,
) -> Response {
    let language = lang.language();
    let session = open_session_or_refuse!(sandbox, token, language);
    let number = session
        .mobile_number
        .map(|(number, _)| number)
        .unwrap_or_default();
    mobile_page(&sandbox, &token, language, &number, &[])
}

/// `POST /webview/{token}/mobile`: confirms the mobile number with the code.
pub async fn mobile_submit(
    State(sandbox): State<Sandbox>,
    Path(token): Path<String>,
    Query(lang): Query<LangQuery>,
    Form(code): Form<CodeForm>,
) -> Response {
    let language = lang.language();
    let session = open_session_or_refuse!(sandbox, token, language);
    let number = session
        .mobile_number
        .map(|(number, _)| number)
        .unwrap_or_default();
    let code = code.code.trim();
    if code.is_empty() {
        return mobile_page(
            &sandbox,
            &token,
            language,
            &number,
            &[("code", Text::CodeMissing.get(language))],
        );
    }
    match sandbox.confirm_mobile_number(&session.person_id, &number, code) {
        Ok(_) => Redirect::to(&url(&sandbox, &token, "/mobile/verified", language)).into_response(),
        Err(_) => mobile_page(
            &sandbox,
            &token,
            language,
            &number,
            &[("code", Text::CodeWrong.get(language))],
        ),
    }
}

/// `GET /webview/{token}/mobile/verified`.
pub async fn mobile_verified_show(
    State(sandbox): State<Sandbox>,
    Path(token): Path<String>,
    Query(lang): Query<LangQuery>,
) -> Response {
    let language = lang.language();
    open_session_or_refuse!(sandbox, token, language);
    let content = format!(
        "<p>{}</p>{}",
        Text::MobileVerifiedBody.get(language),
        button_link(
            &url(&sandbox, &token, "/next", language),
            Text::Continue.get(language)
        )
    );
    session_page(
        &sandbox,
        &token,
        language,
        Text::MobileVerifiedTitle.get(language),
        &[],
        &content,
    )
    .into_response()
}

fn iban_page(
    sandbox: &Sandbox,
    token: &str,
    language: Language,
    value: &str,
    error: Option<&'static str>,
) -> Response {
    let errors: Vec<FieldError> = error.map(|message| ("iban", message)).into_iter().collect();
    let field = text_input(
        "iban",
        Text::IbanLabel.get(language),
        Some(Text::IbanHint.get(language)),
        value,
        error,
        r#"autocomplete="off" spellcheck="false" autocapitalize="characters""#,
    );
    let content = format!(
        "<p>{}</p>{}",
        Text::IbanBody.get(language),
        form(
            &url(sandbox, token, "/iban", language),
            &field,
            Text::Continue.get(language)
        )
    );
    session_page(
        sandbox,
        token,
        language,
        Text::IbanTitle.get(language),
        &errors,
        &content,
    )
    .into_response()
}

/// `GET /webview/{token}/iban`: the IBAN form (also "use another IBAN" after a failure).
pub async fn iban_show(
    State(sandbox): State<Sandbox>,
    Path(token): Path<String>,
    Query(lang): Query<LangQuery>,
) -> Response {
    let language = lang.language();
    open_session_or_refuse!(sandbox, token, language);
    iban_page(&sandbox, &token, language, "", None)
}

/// `POST /webview/{token}/iban`: creates and requests the identification, then sends the
/// customer to the payment wizard. SCHUFA failures show the guide's message.
pub async fn iban_submit(
    State(sandbox): State<Sandbox>,
    Path(token): Path<String>,
    Query(lang): Query<LangQuery>,
    Form(iban): Form<IbanForm>,
) -> Response {
    let language = lang.language();
    let session = open_session_or_refuse!(sandbox, token, language);
    let created = sandbox.create_identification(
        &session.person_id,
        &iban.iban,
        None,
        Some(session.id.clone()),
    );
    let identification = match created {
        Ok(identification) => identification,
        Err(error) => return iban_failure(&sandbox, &token, language, &iban.iban, &error),
    };
    let id = identification["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    match crate::identifications::request_identification(&sandbox, &session.person_id, &id) {
        Ok(requested) => {
            let wizard = requested["url"].as_str().unwrap_or_default();
            Redirect::to(&format!("{wizard}?lang={}", language.tag())).into_response()
        }
        Err(_) => Redirect::to(&url(&sandbox, &token, "/next", language)).into_response(),
    }
}

fn iban_failure(
    sandbox: &Sandbox,
    token: &str,
    language: Language,
    value: &str,
    error: &ApiError,
) -> Response {
    if error.code == "invalid_iban" {
        let message = if error.detail.contains("not German") {
            Text::IbanNotGerman
        } else {
            Text::IbanInvalid
        };
        return iban_page(sandbox, token, language, value, Some(message.get(language)));
    }
    let code = ErrorCode::parse(&error.code);
    if code.category() == OutcomeCategory::RetryWithAnotherIban {
        return iban_page(
            sandbox,
            token,
            language,
            value,
            Some(code.customer_message(language)),
        );
    }
    failure_page(sandbox, token, language, &code)
}

fn failure_page(sandbox: &Sandbox, token: &str, language: Language, code: &ErrorCode) -> Response {
    let mut content = format!(
        r#"<p class="message">{}</p>"#,
        escape(code.customer_message(language))
    );
    if code.category() == OutcomeCategory::RetryWithAnotherIban {
        content.push_str(&button_link(
            &url(sandbox, token, "/iban", language),
            Text::TryAnotherIban.get(language),
        ));
    }
    content.push_str(&button_link(
        &url(sandbox, token, "/finish", language),
        Text::BackToPartner.get(language),
    ));
    page(
        &sandbox.config().public_url,
        language,
        Text::FailedTitle.get(language),
        &[],
        &content,
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
        return iban_page(&sandbox, &token, language, "", None);
    };
    let Ok(identification) = sandbox.show_identification(&session.person_id, &identification_id)
    else {
        return not_found(&sandbox, language);
    };
    let status = identification["status"].as_str().unwrap_or_default();
    match status {
        "created" => iban_page(&sandbox, &token, language, "", None),
        "pending" => {
            let wizard = format!(
                "{}?lang={}",
                identification["url"].as_str().unwrap_or_default(),
                language.tag()
            );
            let content = button_link(&wizard, Text::ContinueAtBank.get(language));
            page(
                &base,
                language,
                Text::ContinueAtBankTitle.get(language),
                &[],
                &content,
            )
            .into_response()
        }
        "authorization_required" => contract_page(&sandbox, &token, language, &identification),
        "confirmation_required" => qes_page(&sandbox, &token, language, &identification, &[]),
        "confirmed" | "successful" => {
            let content = format!(
                "<p>{}</p>{}",
                Text::DoneBody.get(language),
                button_link(
                    &url(&sandbox, &token, "/finish", language),
                    Text::BackToPartner.get(language)
                )
            );
            page(
                &base,
                language,
                Text::DoneTitle.get(language),
                &[],
                &content,
            )
            .into_response()
        }
        _ => {
            let reason = identification["failure_reason"]
                .as_str()
                .unwrap_or("GENERIC_ERROR");
            failure_page(&sandbox, &token, language, &ErrorCode::parse(reason))
        }
    }
}

fn contract_page(
    sandbox: &Sandbox,
    token: &str,
    language: Language,
    identification: &Value,
) -> Response {
    let documents = identification["documents"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let links: String = documents
        .iter()
        .filter(|document| document["document_type"] == "QES_DOCUMENT")
        .map(|document| {
            let href = url(
                sandbox,
                token,
                &format!("/documents/{}", document["id"].as_str().unwrap_or_default()),
                language,
            );
            format!(
                r#"<p><a href="{}" download>{}</a></p>"#,
                escape(&href),
                Text::DownloadContract.get(language)
            )
        })
        .collect();
    let content = format!(
        "<p>{}</p>{links}{}",
        Text::ContractBody.get(language),
        form(
            &url(sandbox, token, "/sign", language),
            "",
            Text::SignWithCode.get(language)
        )
    );
    session_page(
        sandbox,
        token,
        language,
        Text::ContractTitle.get(language),
        &[],
        &content,
    )
    .into_response()
}

fn qes_page(
    sandbox: &Sandbox,
    token: &str,
    language: Language,
    identification: &Value,
    errors: &[FieldError],
) -> Response {
    let reference = identification["current_reference_token"]
        .as_str()
        .unwrap_or_default();
    let screen = CodeScreen {
        title: Text::QesTitle,
        body: Text::QesBody,
        hint: Text::QesHint,
        submit: ("/qes", Text::Sign),
        resend: "/sign",
    };
    code_page(sandbox, token, language, &screen, reference, errors)
}

/// `POST /webview/{token}/sign`: sends a (new) QES code.
pub async fn sign_submit(
    State(sandbox): State<Sandbox>,
    Path(token): Path<String>,
    Query(lang): Query<LangQuery>,
) -> Response {
    let language = lang.language();
    let session = open_session_or_refuse!(sandbox, token, language);
    if let Some(id) = &session.identification_id {
        // When it cannot be signed (any more), the next screen says why.
        let _ = sandbox.authorize_qes(&session.person_id, id);
    }
    Redirect::to(&url(&sandbox, &token, "/next", language)).into_response()
}

/// `POST /webview/{token}/qes`: signs with the code.
pub async fn qes_submit(
    State(sandbox): State<Sandbox>,
    Path(token): Path<String>,
    Query(lang): Query<LangQuery>,
    Form(code): Form<CodeForm>,
) -> Response {
    let language = lang.language();
    let session = open_session_or_refuse!(sandbox, token, language);
    let Some(id) = session.identification_id else {
        return Redirect::to(&url(&sandbox, &token, "/next", language)).into_response();
    };
    let code = code.code.trim().to_string();
    let result = if code.is_empty() {
        Err(Text::CodeMissing)
    } else {
        sandbox
            .confirm_qes(&session.person_id, &id, &code)
            .map_err(|_| Text::CodeWrong)
    };
    match result {
        Ok(_) => Redirect::to(&url(&sandbox, &token, "/next", language)).into_response(),
        Err(message) => match sandbox.show_identification(&session.person_id, &id) {
            Ok(identification) if identification["status"] == "confirmation_required" => qes_page(
                &sandbox,
                &token,
                language,
                &identification,
                &[("code", message.get(language))],
            ),
            _ => Redirect::to(&url(&sandbox, &token, "/next", language)).into_response(),
        },
    }
}

/// `GET /webview/{token}/documents/{document_id}`: the contract PDF.
pub async fn document_download(
    State(sandbox): State<Sandbox>,
    Path((token, document_id)): Path<(String, String)>,
    Query(lang): Query<LangQuery>,
) -> Response {
    let language = lang.language();
    let session = session_or_404!(sandbox, token, language);
    let Some(id) = session.identification_id else {
        return not_found(&sandbox, language);
    };
    match sandbox.document_pdf(&session.person_id, &id, &document_id) {
        Ok((pdf, name)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            pdf,
        )
            .into_response(),
        Err(_) => not_found(&sandbox, language),
    }
}

/// `GET /webview/{token}/finish`: back to the partner's callback URL, unchanged (the partner
/// asks Solaris for the outcome; nothing about it travels in the URL).
pub async fn finish(
    State(sandbox): State<Sandbox>,
    Path(token): Path<String>,
    Query(lang): Query<LangQuery>,
) -> Response {
    let language = lang.language();
    let session = session_or_404!(sandbox, token, language);
    Redirect::to(&session.callback_url).into_response()
}
