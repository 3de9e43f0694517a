//! The webview's bank step: the IBAN, the guide's failure messages, and where the customer
//! goes next (the payment wizard, the contract, or the end).

use super::*;

pub(super) fn iban_page(
    sandbox: &Sandbox,
    token: &str,
    language: Language,
    value: &str,
    error: Option<&'static str>,
) -> Response {
    let errors: Vec<FieldError> = error.map(|message| ("iban", message)).into_iter().collect();
    let field = TextInput {
        id: "iban",
        label: Text::IbanLabel.get(language),
        hint: Some(Text::IbanHint.get(language)),
        value,
        error,
        kind: InputKind::Iban,
    };
    let content = html! {
        (paragraph(Text::IbanBody.get(language)))
        (form(
            &url(sandbox, token, "/iban", language),
            &[field],
            Text::Continue.get(language)
        ))
    };
    session_page(
        sandbox,
        token,
        language,
        Text::IbanTitle.get(language),
        &errors,
        content,
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
    let requested = sandbox.request_identification(&session.person_id, &identification.id);
    match requested.map(|requested| requested.url) {
        Ok(Some(wizard)) => {
            Redirect::to(&format!("{wizard}?lang={}", language.tag())).into_response()
        }
        _ => Redirect::to(&url(&sandbox, &token, "/next", language)).into_response(),
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
