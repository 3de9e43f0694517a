//! The webview's signature: the contract with its PDF, the QES code, and the way back to the
//! partner's callback URL.

use super::*;

pub(super) fn contract_page(
    sandbox: &Sandbox,
    token: &str,
    language: Language,
    identification: &Identification,
) -> Response {
    let contracts = identification
        .documents
        .iter()
        .filter(|document| document.document_type == "QES_DOCUMENT")
        .map(|document| {
            url(
                sandbox,
                token,
                &format!("/documents/{}", document.id),
                language,
            )
        });
    let content = html! {
        (paragraph(Text::ContractBody.get(language)))
        @for href in contracts {
            p { a href=(href) download { (Text::DownloadContract.get(language)) } }
        }
        (form(
            &url(sandbox, token, "/sign", language),
            &[],
            Text::SignWithCode.get(language)
        ))
    };
    session_page(
        sandbox,
        token,
        language,
        Text::ContractTitle.get(language),
        &[],
        content,
    )
    .into_response()
}

pub(super) fn qes_page(
    sandbox: &Sandbox,
    token: &str,
    language: Language,
    identification: &Identification,
    errors: &[FieldError],
) -> Response {
    let reference = identification
        .current_reference_token
        .as_deref()
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
            Ok(identification)
                if identification.status == IdentificationStatus::ConfirmationRequired =>
            {
                qes_page(
                    &sandbox,
                    &token,
                    language,
                    &identification,
                    &[("code", message.get(language))],
                )
            }
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
