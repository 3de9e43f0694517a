//! The hosted webview screens, driven with plain HTTP form posts as a browser without
//! JavaScript would: every mocked IBAN, retries, both languages, and the way back.

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{BASE, SUCCESS_IBAN, TestSandbox};

const CALLBACK: &str = "https://partner.example/identification/callback";

/// A person with an unverified mobile number and a session; returns (person, session JSON).
async fn session(sandbox: &TestSandbox, number: &str) -> (String, Value) {
    let person = sandbox.create_person().await;
    let created = sandbox
        .post(
            &format!("/v1/persons/{person}/mobile_number"),
            json!({ "number": number }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let answer = sandbox
        .post(
            &format!("/v1/persons/{person}/identification_sessions"),
            json!({ "callback_url": CALLBACK, "identification_methods": ["bank"] }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.text);
    (person, answer.json())
}

/// From the session URL through intro and mobile verification to the IBAN screen; returns the
/// webview's base URL.
async fn to_iban_screen(sandbox: &TestSandbox, session: &Value, lang: &str) -> String {
    let url = session["url"].as_str().unwrap().to_string();
    let intro = sandbox.browse(&format!("{url}?lang={lang}")).await;
    assert_eq!(intro.status, StatusCode::OK);
    assert!(intro.text.contains(&format!(r#"<html lang="{lang}">"#)));
    let start = sandbox
        .submit(&format!("{url}/start?lang={lang}"), &[])
        .await;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    assert!(
        start
            .location
            .as_deref()
            .unwrap()
            .ends_with(&format!("/mobile?lang={lang}"))
    );
    let code_screen = sandbox.browse(start.location.as_deref().unwrap()).await;
    assert!(code_screen.text.contains(r#"<label for="code">"#));
    assert!(
        code_screen
            .text
            .contains(&format!(r#"action="{url}/start?lang={lang}""#)),
        "a new code can be asked for"
    );
    let wrong = sandbox
        .submit(&format!("{url}/mobile?lang={lang}"), &[("code", "999999")])
        .await;
    assert_eq!(wrong.status, StatusCode::OK);
    assert!(
        wrong.text.contains(r#"aria-invalid="true""#)
            && wrong
                .text
                .contains(r#"aria-describedby="code-hint code-error""#)
    );
    let verified = sandbox
        .submit(&format!("{url}/mobile?lang={lang}"), &[("code", "212212")])
        .await;
    assert_eq!(verified.status, StatusCode::SEE_OTHER, "{}", verified.text);
    url
}

/// Enters an IBAN; on success passes the wizard and lands on the next webview screen.
async fn enter_iban(sandbox: &TestSandbox, url: &str, iban: &str, lang: &str) -> support::Answer {
    let answer = sandbox
        .submit(&format!("{url}/iban?lang={lang}"), &[("iban", iban)])
        .await;
    match answer.location.clone() {
        Some(wizard) if wizard.contains("/wizard/") => {
            let after_tan = sandbox.pass_wizard(&wizard).await;
            assert_eq!(
                after_tan.status,
                StatusCode::SEE_OTHER,
                "webview customers go back to the webview"
            );
            sandbox.browse(after_tan.location.as_deref().unwrap()).await
        }
        _ => answer,
    }
}

#[tokio::test]
async fn happy_path_through_every_screen_back_to_the_callback() {
    let sandbox = TestSandbox::new().await;
    let (person, session) = session(&sandbox, "+15550101").await;
    let url = to_iban_screen(&sandbox, &session, "en").await;
    let contract = enter_iban(&sandbox, &url, "DE11 1101 0101 0100 0000 20", "en").await;
    assert!(
        contract.text.contains("Review your identification report"),
        "{}",
        contract.text
    );
    let pdf_link = contract
        .text
        .split("href=\"")
        .find(|part| part.contains("/documents/"))
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let pdf = sandbox.browse(&pdf_link).await;
    assert_eq!(
        (pdf.status, pdf.content_type.as_str()),
        (StatusCode::OK, "application/pdf")
    );

    let sign = sandbox.submit(&format!("{url}/sign?lang=en"), &[]).await;
    let qes = sandbox.browse(sign.location.as_deref().unwrap()).await;
    assert!(qes.text.contains("Sign the report"));
    let code = sandbox.last_sms_code("+15550101").await;
    let signed = sandbox
        .submit(&format!("{url}/qes?lang=en"), &[("code", &code)])
        .await;
    let done = sandbox.browse(signed.location.as_deref().unwrap()).await;
    assert!(done.text.contains("You are identified"), "{}", done.text);

    let finish = sandbox.browse(&format!("{url}/finish")).await;
    assert_eq!(finish.status, StatusCode::SEE_OTHER);
    assert_eq!(
        finish.location.as_deref(),
        Some(CALLBACK),
        "the callback URL, unchanged"
    );
    let id = session["id"].as_str().unwrap();
    let read = sandbox
        .get(&format!(
            "/v1/persons/{person}/identification_sessions/{id}"
        ))
        .await
        .json();
    assert_eq!(read["status"], "successful");
    assert!(
        read["identification_id"]
            .as_str()
            .unwrap()
            .ends_with("cidt")
    );
}

#[tokio::test]
async fn account_match_failure_shows_the_guides_text_and_allows_another_iban() {
    let sandbox = TestSandbox::new().await;
    let (person, session) = session(&sandbox, "+15550101").await;
    let url = to_iban_screen(&sandbox, &session, "de").await;
    let refused = enter_iban(&sandbox, &url, "DE44110101010100000008", "de").await;
    assert!(refused.text.contains(
        "Für diese IBAN steht diese Identifikationsmethode nicht zur Verfügung. Bitte versuchen Sie es mit einer anderen IBAN oder fahren Sie mit Video-Identifizierung fort."
    ));
    assert!(
        refused.text.contains(r#"<label for="iban">"#),
        "the IBAN form is offered again"
    );
    let contract = enter_iban(&sandbox, &url, SUCCESS_IBAN, "de").await;
    assert!(contract.text.contains("Identifizierungsbericht prüfen"));
    let id = session["id"].as_str().unwrap();
    assert_eq!(
        sandbox
            .get(&format!(
                "/v1/persons/{person}/identification_sessions/{id}"
            ))
            .await
            .json()["status"],
        "created"
    );
}

#[tokio::test]
async fn bank_step_failures_show_the_message_with_another_iban_and_the_way_back() {
    let sandbox = TestSandbox::new().await;
    for (iban, english) in [
        (
            "DE55110101010100000004",
            "Joint accounts are not supported. Please use a different IBAN or continue with video identification.",
        ),
        (
            "DE66110101010100000000",
            "The bank login or transfer has failed. Please try again.",
        ),
        (
            "DE43110101010000000010",
            "You are not the account holder. Please use another IBAN or continue with the video identification.",
        ),
    ] {
        let (person, session) = session(&sandbox, "+15550101").await;
        let url = to_iban_screen(&sandbox, &session, "en").await;
        let failed = enter_iban(&sandbox, &url, iban, "en").await;
        assert!(failed.text.contains(english), "{iban}: {}", failed.text);
        assert!(
            failed.text.contains("Use another IBAN") && failed.text.contains("Back to the app"),
            "{iban}"
        );
        let id = session["id"].as_str().unwrap();
        let read = sandbox
            .get(&format!(
                "/v1/persons/{person}/identification_sessions/{id}"
            ))
            .await
            .json();
        assert_eq!(
            read["status"], "created",
            "{iban}: the customer may still try another IBAN"
        );
        assert_eq!(read["failure_reason"], failed_reason(iban), "{iban}");
    }
}

fn failed_reason(iban: &str) -> &'static str {
    match iban {
        "DE55110101010100000004" => "JOINT_ACCOUNT",
        "DE66110101010100000000" => "ACCOUNT_SNAPSHOT_FAILED",
        _ => "ACCESS_BY_ATHORIZED_HOLDER",
    }
}

#[tokio::test]
async fn method_not_available_ends_with_the_way_back_only() {
    let sandbox = TestSandbox::new().await;
    for iban in ["DE22110101010100000016", "DE33110101010100000012"] {
        let (person, session) = session(&sandbox, "+15550101").await;
        let url = to_iban_screen(&sandbox, &session, "en").await;
        let answer = enter_iban(&sandbox, &url, iban, "en").await;
        assert!(answer.text.contains("This identification method is not available. Please continue with video identification."), "{iban}");
        assert!(
            !answer.text.contains("Use another IBAN") && answer.text.contains("Back to the app"),
            "{iban}"
        );
        let id = session["id"].as_str().unwrap();
        let read = sandbox
            .get(&format!(
                "/v1/persons/{person}/identification_sessions/{id}"
            ))
            .await
            .json();
        let expected = if iban.starts_with("DE22") {
            "MATCH_FOR_PERSON_DATA_NOT_FOUND"
        } else {
            "PREVIOUS_IDENT_NOT_FOUND"
        };
        assert_eq!(
            read["failure_reason"], expected,
            "{iban}: the partner can read why"
        );
    }
}

#[tokio::test]
async fn invalid_and_foreign_ibans_get_field_errors() {
    let sandbox = TestSandbox::new().await;
    let (_, session) = session(&sandbox, "+15550101").await;
    let url = to_iban_screen(&sandbox, &session, "en").await;
    let foreign = enter_iban(&sandbox, &url, "GB82WEST12345698765432", "en").await;
    assert!(
        foreign
            .text
            .contains("Enter a German IBAN (it starts with DE)")
    );
    assert!(foreign.text.contains("<title>Error: "));
    let typo = enter_iban(&sandbox, &url, "DE11110101010100000021", "en").await;
    assert!(typo.text.contains("Enter a valid German IBAN"));
}

#[tokio::test]
async fn a_late_bank_step_shows_the_expiry_message() {
    let mut sandbox = TestSandbox::new().await;
    let (_, session) = session(&sandbox, "+15550101").await;
    let url = to_iban_screen(&sandbox, &session, "en").await;
    let to_wizard = sandbox
        .submit(&format!("{url}/iban?lang=en"), &[("iban", SUCCESS_IBAN)])
        .await;
    sandbox.advance(11 * 60).await;
    let after = sandbox
        .pass_wizard(to_wizard.location.as_deref().unwrap())
        .await;
    let page = sandbox.browse(after.location.as_deref().unwrap()).await;
    assert!(
        page.text
            .contains("The bank login session has expired. Please try again."),
        "{}",
        page.text
    );
}

#[tokio::test]
async fn sessions_validate_the_callback_and_methods_and_expire() {
    let mut sandbox = TestSandbox::new().await;
    let person = sandbox.create_person().await;
    let path = format!("/v1/persons/{person}/identification_sessions");
    for (callback, methods) in [
        ("http://www.callbackurl.com", json!(["bank"])),
        ("not a url", json!(["bank"])),
        ("https://www.callbackurl.com", json!(["idnow"])),
        (
            "https://www.callbackurl.com",
            json!(["bank", "carrier_pigeon"]),
        ),
        ("https://www.callbackurl.com", json!("bank")),
    ] {
        let answer = sandbox
            .post(
                &path,
                json!({ "callback_url": callback, "identification_methods": methods }),
            )
            .await;
        assert_eq!(
            (answer.status, answer.error_code()),
            (StatusCode::BAD_REQUEST, "invalid_model".into()),
            "{callback} {methods}"
        );
    }
    let local = sandbox.post(&path, json!({ "callback_url": "http://127.0.0.1:3000/callback", "identification_methods": ["bank"] })).await;
    assert_eq!(
        local.status,
        StatusCode::CREATED,
        "http to loopback is fine for local development"
    );
    let id = local.json()["id"].as_str().unwrap().to_string();
    assert!(id.ends_with("ises"));
    sandbox.advance(31 * 24 * 3600).await;
    assert_eq!(
        sandbox.get(&format!("{path}/{id}")).await.json()["status"],
        "expired"
    );
    let unknown = sandbox.browse(&format!("{BASE}/webview/not-a-token")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn swisscom_failure_iban_fails_at_the_signature_with_a_new_code_each_time() {
    let sandbox = TestSandbox::new().await;
    let (_, session) = session(&sandbox, "+15550101").await;
    let url = to_iban_screen(&sandbox, &session, "en").await;
    let contract = enter_iban(&sandbox, &url, "DE77110101010100000093", "en").await;
    assert!(contract.text.contains("Review your identification report"));
    sandbox.submit(&format!("{url}/sign?lang=en"), &[]).await;
    let first = sandbox.last_sms_code("+15550101").await;
    let resend = sandbox.submit(&format!("{url}/sign?lang=en"), &[]).await;
    assert_eq!(resend.status, StatusCode::SEE_OTHER);
    let second = sandbox.last_sms_code("+15550101").await;
    if first != second {
        let stale = sandbox
            .submit(&format!("{url}/qes?lang=en"), &[("code", &first)])
            .await;
        assert!(
            stale.text.contains("The code is wrong or has expired"),
            "the old code is invalid"
        );
    }
    let signed = sandbox
        .submit(&format!("{url}/qes?lang=en"), &[("code", &second)])
        .await;
    let end = sandbox.browse(signed.location.as_deref().unwrap()).await;
    assert!(
        end.text
            .contains("An error has occurred. Please contact Solaris support."),
        "{}",
        end.text
    );
    assert!(end.text.contains("Back to the app") && !end.text.contains("Use another IBAN"));
}

#[tokio::test]
async fn every_screen_of_an_open_session_offers_the_way_back_to_the_app() {
    let sandbox = TestSandbox::new().await;
    let (_, session) = session(&sandbox, "+15550101").await;
    let url = session["url"].as_str().unwrap();
    let finish = format!(r#"href="{url}/finish?lang=en""#);
    for screen in ["", "/mobile", "/iban"] {
        let page = sandbox.browse(&format!("{url}{screen}?lang=en")).await;
        assert_eq!(page.status, StatusCode::OK, "{screen}");
        assert!(page.text.contains(&finish), "{screen}: {}", page.text);
        assert!(
            page.text.contains("Cancel and go back to the app"),
            "{screen}"
        );
    }
    // After a refusal on the IBAN screen (DE44), the way back is still there.
    let refused = sandbox
        .submit(
            &format!("{url}/iban?lang=en"),
            &[("iban", "DE44110101010100000008")],
        )
        .await;
    assert!(refused.text.contains(&finish), "{}", refused.text);
    let back = sandbox.browse(&format!("{url}/finish?lang=en")).await;
    assert_eq!(back.location.as_deref(), Some(CALLBACK));
}

#[tokio::test]
async fn expired_and_completed_sessions_are_refused_with_a_way_back() {
    let mut sandbox = TestSandbox::new().await;
    let (_, session) = session(&sandbox, "+15550101").await;
    let url = session["url"].as_str().unwrap().to_string();
    sandbox.advance(31 * 24 * 3600).await;
    for screen in ["", "/iban"] {
        let page = sandbox.browse(&format!("{url}{screen}?lang=en")).await;
        assert_eq!(page.status, StatusCode::GONE, "{screen}");
        assert!(
            page.text.contains("This identification has expired"),
            "{}",
            page.text
        );
        assert!(page.text.contains(&format!("{url}/finish?lang=en")));
    }
    let start = sandbox.submit(&format!("{url}/start?lang=en"), &[]).await;
    assert_eq!(
        start.status,
        StatusCode::GONE,
        "no step of an expired session runs"
    );
}
