//! The webview's mobile number step: the number, the SMS code, and the number verified.

use super::*;

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
    let content = html! {
        (paragraph(Text::MobileVerifiedBody.get(language)))
        (button_link(
            &url(&sandbox, &token, "/next", language),
            Text::Continue.get(language)
        ))
    };
    session_page(
        &sandbox,
        &token,
        language,
        Text::MobileVerifiedTitle.get(language),
        &[],
        content,
    )
    .into_response()
}
