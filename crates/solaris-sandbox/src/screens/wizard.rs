//! The payment wizard: bank login (any user id and password) and the TAN for the 5-cent
//! transfer (any TAN). Used by the API flow's `request` url and by the webview.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use bankident_domain::Language;
use maud::html;
use serde::Deserialize;

use super::LangQuery;
use super::page::{FieldError, InputKind, TextInput, form, page, paragraph};
use super::texts::Text;
use crate::Sandbox;

/// The login form's fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    password: String,
}

/// The TAN form's field.
#[derive(Debug, Deserialize)]
pub struct TanForm {
    #[serde(default)]
    tan: String,
}

fn login_page(
    sandbox: &Sandbox,
    key: &str,
    language: Language,
    user_id: &str,
    errors: &[FieldError],
) -> Response {
    let base = &sandbox.config().public_url;
    let error = |id| {
        errors
            .iter()
            .find(|(field, _)| *field == id)
            .map(|(_, message)| *message)
    };
    let fields = [
        TextInput {
            id: "user_id",
            label: Text::UserIdLabel.get(language),
            hint: None,
            value: user_id,
            error: error("user_id"),
            kind: InputKind::Username,
        },
        TextInput {
            id: "password",
            label: Text::PasswordLabel.get(language),
            hint: None,
            value: "",
            error: error("password"),
            kind: InputKind::Password,
        },
    ];
    let content = html! {
        (paragraph(Text::BankLoginBody.get(language)))
        (form(
            &format!("{base}/wizard/{key}/login?lang={}", language.tag()),
            &fields,
            Text::LogIn.get(language)
        ))
    };
    page(
        base,
        language,
        Text::BankLoginTitle.get(language),
        errors,
        content,
    )
    .into_response()
}

fn known_key(sandbox: &Sandbox, key: &str) -> Option<(String, String)> {
    sandbox.wizard_target(key)
}

fn unknown(sandbox: &Sandbox, language: Language) -> Response {
    let base = &sandbox.config().public_url;
    (
        axum::http::StatusCode::NOT_FOUND,
        page(
            base,
            language,
            Text::NotFoundTitle.get(language),
            &[],
            paragraph(Text::NotFoundBody.get(language)),
        ),
    )
        .into_response()
}

/// `GET /wizard/{key}`: the bank login.
pub async fn login_show(
    State(sandbox): State<Sandbox>,
    Path(key): Path<String>,
    Query(lang): Query<LangQuery>,
) -> Response {
    if known_key(&sandbox, &key).is_none() {
        return unknown(&sandbox, lang.language());
    }
    login_page(&sandbox, &key, lang.language(), "", &[])
}

/// `POST /wizard/{key}/login`: any user id and password log in.
pub async fn login_submit(
    State(sandbox): State<Sandbox>,
    Path(key): Path<String>,
    Query(lang): Query<LangQuery>,
    Form(login): Form<LoginForm>,
) -> Response {
    let language = lang.language();
    if known_key(&sandbox, &key).is_none() {
        return unknown(&sandbox, language);
    }
    let mut errors = Vec::new();
    if login.user_id.trim().is_empty() {
        errors.push(("user_id", Text::UserIdMissing.get(language)));
    }
    if login.password.is_empty() {
        errors.push(("password", Text::PasswordMissing.get(language)));
    }
    if !errors.is_empty() {
        return login_page(&sandbox, &key, language, &login.user_id, &errors);
    }
    Redirect::to(&format!(
        "{}/wizard/{key}/tan?lang={}",
        sandbox.config().public_url,
        language.tag()
    ))
    .into_response()
}

fn tan_page(sandbox: &Sandbox, key: &str, language: Language, errors: &[FieldError]) -> Response {
    let base = &sandbox.config().public_url;
    let field = TextInput {
        id: "tan",
        label: Text::TanLabel.get(language),
        hint: None,
        value: "",
        error: errors.first().map(|(_, message)| *message),
        kind: InputKind::OneTimeCode,
    };
    let content = html! {
        (paragraph(Text::TanBody.get(language)))
        (form(
            &format!("{base}/wizard/{key}/tan?lang={}", language.tag()),
            &[field],
            Text::Confirm.get(language)
        ))
    };
    page(
        base,
        language,
        Text::TanTitle.get(language),
        errors,
        content,
    )
    .into_response()
}

/// `GET /wizard/{key}/tan`.
pub async fn tan_show(
    State(sandbox): State<Sandbox>,
    Path(key): Path<String>,
    Query(lang): Query<LangQuery>,
) -> Response {
    if known_key(&sandbox, &key).is_none() {
        return unknown(&sandbox, lang.language());
    }
    tan_page(&sandbox, &key, lang.language(), &[])
}

/// `POST /wizard/{key}/tan`: any TAN confirms the transfer; the bank step's outcome depends on
/// the IBAN. Webview customers continue in the webview; API-flow customers go to the partner's
/// return page when one is set up, else they are told to return to the app.
pub async fn tan_submit(
    State(sandbox): State<Sandbox>,
    Path(key): Path<String>,
    Query(lang): Query<LangQuery>,
    Form(tan): Form<TanForm>,
) -> Response {
    let language = lang.language();
    let Some((person_id, identification_id)) = known_key(&sandbox, &key) else {
        return unknown(&sandbox, language);
    };
    if tan.tan.trim().is_empty() {
        return tan_page(
            &sandbox,
            &key,
            language,
            &[("tan", Text::TanMissing.get(language))],
        );
    }
    // A repeated submit, or one after the time limit, finds the identification already moved
    // on; the next screen shows where it stands either way.
    let _ = sandbox.complete_bank_step(&person_id, &identification_id);
    let session_token = sandbox.webview_token_of(&identification_id);
    let base = &sandbox.config().public_url;
    match session_token {
        Some(token) => Redirect::to(&format!(
            "{base}/webview/{token}/next?lang={}",
            language.tag()
        ))
        .into_response(),
        None => {
            if let Some(url) = &sandbox.config().wizard_return_url {
                return Redirect::to(url).into_response();
            }
            page(
                base,
                language,
                Text::TransferDoneTitle.get(language),
                &[],
                paragraph(Text::TransferDoneBody.get(language)),
            )
            .into_response()
        }
    }
}
