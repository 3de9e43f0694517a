//! The Bankident API flow (the guide's Appendix II) against the emulator: every mocked IBAN,
//! the time limits through the clock, and the limits on attempts.
//!
//! Longer than our usual file on purpose: one test per row of the guide's tables (mocked IBANs,
//! time limits, attempt limits), each short, on one shared helper.

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{SUCCESS_IBAN, TestSandbox, german_iban};

async fn create_identification(sandbox: &TestSandbox, person: &str, iban: &str) -> support::Answer {
    sandbox
        .post(&format!("/v1/persons/{person}/identifications"), json!({ "method": "bank", "iban": iban, "terms_and_conditions_signed_at": "2020-07-07T11:36:29.000Z" }))
        .await
}

/// Requests a created identification; returns the payment wizard's URL.
async fn request(sandbox: &TestSandbox, person: &str, id: &str) -> String {
    let requested = sandbox
        .patch(
            &format!("/v1/persons/{person}/identifications/{id}/request"),
            None,
        )
        .await;
    assert_eq!(requested.status, StatusCode::OK, "{}", requested.text);
    assert_eq!(requested.json()["status"], "pending");
    requested.json()["url"].as_str().unwrap().to_string()
}

/// Creates, requests and passes the wizard for an identification; returns (person, id).
async fn through_bank_step(sandbox: &TestSandbox, iban: &str) -> (String, String) {
    let person = sandbox.create_verified_person().await;
    let created = create_identification(sandbox, &person, iban).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.json()["status"], "created");
    let id = created.json()["id"].as_str().unwrap().to_string();
    let wizard = request(sandbox, &person, &id).await;
    assert!(wizard.starts_with("http://sandbox.test/wizard/"));
    let done = sandbox.pass_wizard(&wizard).await;
    assert_eq!(
        done.status,
        StatusCode::OK,
        "API-flow customers see a confirmation page"
    );
    assert!(
        done.text.contains("Überweisung bestätigt"),
        "German unless ?lang=en"
    );
    (person, id)
}

async fn show(sandbox: &TestSandbox, person: &str, id: &str) -> Value {
    let answer = sandbox
        .get(&format!("/v1/persons/{person}/identifications/{id}"))
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    answer.json()
}

#[tokio::test]
async fn happy_path_ends_successful_with_signed_documents() {
    let sandbox = TestSandbox::new().await;
    let (person, id) = through_bank_step(&sandbox, SUCCESS_IBAN).await;
    let identification = show(&sandbox, &person, &id).await;
    assert_eq!(identification["status"], "authorization_required");
    assert_eq!(
        identification["documents"][0]["document_type"],
        "QES_DOCUMENT"
    );

    let authorized = sandbox
        .patch(
            &format!("/v1/persons/{person}/identifications/{id}/authorize"),
            None,
        )
        .await;
    assert_eq!(authorized.status, StatusCode::OK, "{}", authorized.text);
    assert_eq!(authorized.json()["status"], "confirmation_required");
    assert!(authorized.json()["current_reference_token"].is_string());
    let code = sandbox.last_sms_code("+15550101").await;

    let wrong = sandbox
        .patch(
            &format!("/v1/persons/{person}/identifications/{id}/confirm"),
            Some(json!({ "token": "000000" })),
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.error_code()),
        (StatusCode::FORBIDDEN, "invalid_tan".into())
    );
    let confirmed = sandbox
        .patch(
            &format!("/v1/persons/{person}/identifications/{id}/confirm"),
            Some(json!({ "token": code })),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text);
    assert_eq!(confirmed.json()["status"], "confirmed");

    let done = show(&sandbox, &person, &id).await;
    assert_eq!(done["status"], "successful");
    assert!(done["completed_at"].is_string());
    let types: Vec<&str> = done["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["document_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["QES_DOCUMENT", "SIGNED_QES_DOCUMENT"]);
    let file = done["documents"][1]["download_url"]
        .as_str()
        .unwrap()
        .strip_prefix(support::BASE)
        .unwrap()
        .to_string();
    let pdf = sandbox.get(&file).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.content_type, "application/pdf");
    assert!(pdf.text.starts_with("%PDF-1.4"));
    assert_eq!(
        done["documents"][1]["size"],
        pdf.text.len(),
        "the size Solaris reports is the file's"
    );

    let list = sandbox
        .get(&format!("/v1/persons/{person}/identifications"))
        .await;
    assert_eq!(list.json().as_array().unwrap().len(), 1);
    let again = create_identification(&sandbox, &person, SUCCESS_IBAN).await;
    assert_eq!(
        (again.status, again.error_code()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "ALREADY_IDENTIFIED_SUCCESSFULLY".into()
        )
    );
}

#[tokio::test]
async fn schufa_failures_are_412_at_creation() {
    let sandbox = TestSandbox::new().await;
    for (iban, code) in [
        ("DE22110101010100000016", "MATCH_FOR_PERSON_DATA_NOT_FOUND"),
        ("DE33110101010100000012", "PREVIOUS_IDENT_NOT_FOUND"),
        ("DE44110101010100000008", "PERSON_ACCOUNT_MATCH_NOT_FOUND"),
    ] {
        let person = sandbox.create_verified_person().await;
        let answer = create_identification(&sandbox, &person, iban).await;
        assert_eq!(answer.status, StatusCode::PRECONDITION_FAILED, "{iban}");
        assert_eq!(answer.error_code(), code, "{iban}");
    }
}

#[tokio::test]
async fn bank_step_failures_fail_the_identification_and_the_next_step_is_409() {
    let sandbox = TestSandbox::new().await;
    for (iban, reason) in [
        ("DE43110101010000000010", "ACCESS_BY_ATHORIZED_HOLDER"),
        ("DE55110101010100000004", "JOINT_ACCOUNT"),
        ("DE66110101010100000000", "ACCOUNT_SNAPSHOT_FAILED"),
    ] {
        let (person, id) = through_bank_step(&sandbox, iban).await;
        let identification = show(&sandbox, &person, &id).await;
        assert_eq!(identification["status"], "failed", "{iban}");
        assert_eq!(identification["failure_reason"], reason, "{iban}");
        let next = sandbox
            .patch(
                &format!("/v1/persons/{person}/identifications/{id}/authorize"),
                None,
            )
            .await;
        assert_eq!(
            (next.status, next.error_code()),
            (StatusCode::CONFLICT, "expectation_mismatch".into()),
            "{iban}"
        );
    }
}

#[tokio::test]
async fn swisscom_failure_iban_invalidates_old_codes_and_fails_the_signature() {
    let sandbox = TestSandbox::new().await;
    let (person, id) = through_bank_step(&sandbox, "DE77110101010100000093").await;
    let authorize = format!("/v1/persons/{person}/identifications/{id}/authorize");
    assert_eq!(sandbox.patch(&authorize, None).await.status, StatusCode::OK);
    let first = sandbox.last_sms_code("+15550101").await;
    assert_eq!(sandbox.patch(&authorize, None).await.status, StatusCode::OK);
    let second = sandbox.last_sms_code("+15550101").await;
    let confirm = format!("/v1/persons/{person}/identifications/{id}/confirm");
    if first != second {
        let stale = sandbox
            .patch(&confirm, Some(json!({ "token": first })))
            .await;
        assert_eq!(
            (stale.status, stale.error_code()),
            (StatusCode::FORBIDDEN, "invalid_tan".into()),
            "the first code no longer works"
        );
    }
    let answer = sandbox
        .patch(&confirm, Some(json!({ "token": second })))
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["status"], "failed");
    assert_eq!(answer.json()["failure_reason"], "DEPENDENCY_ERROR");
}

#[tokio::test]
async fn ten_minutes_after_the_request_the_bank_connection_has_expired() {
    let mut sandbox = TestSandbox::new().await;
    let (person, id) = through_bank_step(&sandbox, SUCCESS_IBAN).await;
    sandbox.advance(9 * 60).await;
    assert_eq!(
        show(&sandbox, &person, &id).await["status"],
        "authorization_required",
        "still in time"
    );
    sandbox.advance(2 * 60).await;
    let identification = show(&sandbox, &person, &id).await;
    assert_eq!(identification["status"], "failed");
    assert_eq!(identification["failure_reason"], "ACCOUNT_SNAPSHOT_EXPIRED");
}

#[tokio::test]
async fn a_bank_step_finished_after_ten_minutes_is_too_late() {
    let mut sandbox = TestSandbox::new().await;
    let person = sandbox.create_verified_person().await;
    let id = create_identification(&sandbox, &person, SUCCESS_IBAN)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let wizard = sandbox
        .patch(
            &format!("/v1/persons/{person}/identifications/{id}/request"),
            None,
        )
        .await
        .json()["url"]
        .as_str()
        .unwrap()
        .to_string();
    sandbox.advance(11 * 60).await;
    sandbox.pass_wizard(&wizard).await;
    assert_eq!(
        show(&sandbox, &person, &id).await["failure_reason"],
        "ACCOUNT_SNAPSHOT_EXPIRED"
    );
}

#[tokio::test]
async fn identifications_expire_after_thirty_days() {
    let mut sandbox = TestSandbox::new().await;
    let person = sandbox.create_verified_person().await;
    let id = create_identification(&sandbox, &person, SUCCESS_IBAN)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    sandbox.advance(29 * 24 * 3600).await;
    assert_eq!(show(&sandbox, &person, &id).await["status"], "created");
    sandbox.advance(2 * 24 * 3600).await;
    let identification = show(&sandbox, &person, &id).await;
    assert_eq!(
        (
            identification["status"].as_str(),
            identification["failure_reason"].as_str()
        ),
        (Some("expired"), Some("EXPIRED"))
    );
}

#[tokio::test]
async fn twenty_ibans_per_person_then_attempts_exceeded() {
    let sandbox = TestSandbox::new().await;
    let person = sandbox.create_verified_person().await;
    for account in 1..=20 {
        let answer = create_identification(&sandbox, &person, &german_iban(account)).await;
        assert_eq!(
            answer.status,
            StatusCode::CREATED,
            "attempt {account}: {}",
            answer.text
        );
    }
    // The same IBAN again is not a new attempt.
    assert_eq!(
        create_identification(&sandbox, &person, &german_iban(20))
            .await
            .status,
        StatusCode::CREATED
    );
    let answer = create_identification(&sandbox, &person, &german_iban(21)).await;
    assert_eq!(
        (answer.status, answer.error_code()),
        (
            StatusCode::PRECONDITION_FAILED,
            "IDENTIFICATION_ATTEMPTS_EXCEEDED".into()
        )
    );
}

#[tokio::test]
async fn identification_needs_a_verified_mobile_number_and_a_german_iban() {
    let sandbox = TestSandbox::new().await;
    let person = sandbox.create_person().await;
    let answer = create_identification(&sandbox, &person, SUCCESS_IBAN).await;
    assert_eq!(
        (answer.status, answer.error_code()),
        (
            StatusCode::PRECONDITION_FAILED,
            "MOBILE_NUMBER_NOT_VERIFIED".into()
        )
    );
    let person = sandbox.create_verified_person().await;
    for iban in [
        "GB82WEST12345698765432",
        "DE11110101010100000021",
        "nonsense",
    ] {
        let answer = create_identification(&sandbox, &person, iban).await;
        assert_eq!(
            (answer.status, answer.error_code()),
            (StatusCode::BAD_REQUEST, "invalid_iban".into()),
            "{iban}"
        );
        assert_eq!(answer.json()["errors"][0]["source"]["field"], "iban");
    }
    let other = sandbox
        .post(
            &format!("/v1/persons/{person}/identifications"),
            json!({ "method": "idnow" }),
        )
        .await;
    assert_eq!(other.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn steps_out_of_order_are_409() {
    let sandbox = TestSandbox::new().await;
    let person = sandbox.create_verified_person().await;
    let id = create_identification(&sandbox, &person, SUCCESS_IBAN)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    for step in ["authorize", "confirm"] {
        let answer = sandbox
            .patch(
                &format!("/v1/persons/{person}/identifications/{id}/{step}"),
                Some(json!({ "token": "1" })),
            )
            .await;
        assert_eq!(
            (answer.status, answer.error_code()),
            (StatusCode::CONFLICT, "expectation_mismatch".into()),
            "{step}"
        );
    }
    let request = format!("/v1/persons/{person}/identifications/{id}/request");
    assert_eq!(sandbox.patch(&request, None).await.status, StatusCode::OK);
    assert_eq!(
        sandbox.patch(&request, None).await.status,
        StatusCode::CONFLICT,
        "requested once only"
    );
    let missing = sandbox
        .get(&format!("/v1/persons/{person}/identifications/nope"))
        .await;
    assert_eq!(
        (missing.status, missing.error_code()),
        (StatusCode::NOT_FOUND, "model_not_found".into())
    );
}

#[tokio::test]
async fn identification_lists_are_paginated() {
    let sandbox = TestSandbox::new().await;
    let person = sandbox.create_verified_person().await;
    for account in 1..=12 {
        let created = create_identification(&sandbox, &person, &german_iban(account)).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    }
    let path = format!("/v1/persons/{person}/identifications");
    let ids = |answer: support::Answer| -> Vec<String> {
        answer
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["id"].as_str().unwrap().to_string())
            .collect()
    };
    let first = ids(sandbox.get(&path).await);
    assert_eq!(first.len(), 10, "ten per page unless asked otherwise");
    let second = ids(sandbox
        .get(&format!("{path}?page%5Bnumber%5D=2&page%5Bsize%5D=10"))
        .await);
    assert_eq!(second.len(), 2);
    assert!(second.iter().all(|id| !first.contains(id)));
    let all = ids(sandbox.get(&format!("{path}?page[size]=50")).await);
    assert_eq!(all.len(), 12);
    let past = ids(sandbox.get(&format!("{path}?page[number]=9")).await);
    assert!(past.is_empty());
    let bad = sandbox.get(&format!("{path}?page[number]=first")).await;
    assert_eq!(
        (bad.status, bad.error_code()),
        (StatusCode::BAD_REQUEST, "invalid_model".to_string())
    );
}

#[tokio::test]
async fn with_callback_origins_a_session_can_only_lead_back_to_them() {
    let config = solaris_sandbox::SandboxConfig {
        callback_origins: Some(vec!["https://partner.example".into()]),
        ..solaris_sandbox::SandboxConfig::new(support::BASE)
    };
    let sandbox = TestSandbox::with_config(config).await;
    let person = sandbox.create_verified_person().await;
    let path = format!("/v1/persons/{person}/identification_sessions");
    for (callback, allowed) in [
        ("https://partner.example/callback", true),
        ("https://partner.example", true),
        ("https://partner.example.evil.example/callback", false),
        ("https://evil.example/", false),
    ] {
        let answer = sandbox
            .post(
                &path,
                json!({ "callback_url": callback, "identification_methods": ["bank"] }),
            )
            .await;
        assert_eq!(answer.status.is_success(), allowed, "{callback}");
    }
}

#[tokio::test]
async fn documented_fields_only_leaves_out_what_solaris_does_not_document() {
    let config = solaris_sandbox::SandboxConfig {
        documented_fields_only: true,
        ..solaris_sandbox::SandboxConfig::new(support::BASE)
    };
    let sandbox = TestSandbox::with_config(config).await;
    let person = sandbox.create_verified_person().await;
    let created = create_identification(&sandbox, &person, SUCCESS_IBAN)
        .await
        .json();
    assert!(created.get("person_id").is_none(), "{created}");
    assert_eq!(created["status"], "created");
    let session = sandbox
        .post(
            &format!("/v1/persons/{person}/identification_sessions"),
            json!({ "callback_url": "https://partner.example/callback", "identification_methods": ["bank"] }),
        )
        .await
        .json();
    for undocumented in ["person_id", "identification_id", "failure_reason"] {
        assert!(
            session.get(undocumented).is_none(),
            "{undocumented}: {session}"
        );
    }
    for documented in [
        "id",
        "url",
        "callback_url",
        "identification_methods",
        "status",
    ] {
        assert!(session.get(documented).is_some(), "{documented}: {session}");
    }
}

#[tokio::test]
async fn failed_attempts_per_mobile_number_or_name_reach_identification_attempts_exceeded() {
    let sandbox = TestSandbox::new().await;
    let mut body = support::person_body(&support::unique_name());
    body["mobile_number"] = json!("+4915112345678");
    let person = sandbox
        .create_verified_person_with(&body, "+4915112345678")
        .await;
    for attempt in 1..=20 {
        let refused = create_identification(&sandbox, &person, "DE44110101010100000008").await;
        assert_eq!(
            refused.error_code(),
            "PERSON_ACCOUNT_MATCH_NOT_FOUND",
            "attempt {attempt}"
        );
    }
    let exceeded = create_identification(&sandbox, &person, SUCCESS_IBAN).await;
    assert_eq!(
        (exceeded.status, exceeded.error_code()),
        (
            StatusCode::PRECONDITION_FAILED,
            "IDENTIFICATION_ATTEMPTS_EXCEEDED".to_string()
        )
    );
    // Another person with the same number, and one with the same name: the same limit.
    let mut same_number = support::person_body(&support::unique_name());
    same_number["mobile_number"] = json!("+4915112345678");
    let other = sandbox
        .create_verified_person_with(&same_number, "+4915112345678")
        .await;
    let first_name = body["first_name"].clone();
    assert_eq!(
        create_identification(&sandbox, &other, SUCCESS_IBAN)
            .await
            .error_code(),
        "IDENTIFICATION_ATTEMPTS_EXCEEDED"
    );
    let mut same_name = support::person_body("x");
    same_name["first_name"] = first_name;
    same_name["birth_city"] = json!("Köln");
    let namesake = sandbox
        .create_verified_person_with(&same_name, "+15550101")
        .await;
    assert_eq!(
        create_identification(&sandbox, &namesake, SUCCESS_IBAN)
            .await
            .error_code(),
        "IDENTIFICATION_ATTEMPTS_EXCEEDED"
    );
    // The guide's static number is shared by every sandbox user: it never counts.
    let unrelated = sandbox.create_verified_person().await;
    assert_eq!(
        create_identification(&sandbox, &unrelated, SUCCESS_IBAN)
            .await
            .status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn an_iban_that_failed_too_often_across_persons_is_blocked() {
    let mut sandbox = TestSandbox::new().await;
    let blocked = german_iban(777);
    for _ in 0..10 {
        let person = sandbox.create_verified_person().await;
        let created = create_identification(&sandbox, &person, &blocked).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
        let id = created.json()["id"].as_str().unwrap().to_string();
        let path = format!("/v1/persons/{person}/identifications/{id}");
        assert_eq!(
            sandbox.patch(&format!("{path}/request"), None).await.status,
            StatusCode::OK
        );
        // The customer never finishes the transfer: the bank connection expires.
        sandbox.advance(11 * 60).await;
        assert_eq!(sandbox.get(&path).await.json()["status"], "failed");
    }
    let next = sandbox.create_verified_person().await;
    let refused = create_identification(&sandbox, &next, &blocked).await;
    assert_eq!(
        (refused.status, refused.error_code()),
        (
            StatusCode::PRECONDITION_FAILED,
            "IBAN_USAGE_LIMIT_EXCEEDED".to_string()
        )
    );
    // The guide's mocked IBANs keep their documented behaviour however often they fail.
    for _ in 0..12 {
        let person = sandbox.create_verified_person().await;
        assert_eq!(
            create_identification(&sandbox, &person, "DE44110101010100000008")
                .await
                .error_code(),
            "PERSON_ACCOUNT_MATCH_NOT_FOUND"
        );
    }
}

#[tokio::test]
async fn with_a_return_url_the_wizard_sends_api_flow_customers_back_to_the_partner() {
    let config = solaris_sandbox::SandboxConfig {
        wizard_return_url: Some("https://partner.example/sign".into()),
        ..solaris_sandbox::SandboxConfig::new(support::BASE)
    };
    let sandbox = TestSandbox::with_config(config).await;
    let person = sandbox.create_verified_person().await;
    let created = create_identification(&sandbox, &person, SUCCESS_IBAN).await;
    let id = created.json()["id"].as_str().unwrap().to_string();
    let wizard = request(&sandbox, &person, &id).await;
    let done = sandbox.pass_wizard(&wizard).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text);
    assert_eq!(
        done.location.as_deref(),
        Some("https://partner.example/sign")
    );
    let shown = sandbox
        .get(&format!("/v1/persons/{person}/identifications/{id}"))
        .await;
    assert_eq!(shown.json()["status"], "authorization_required");
}
