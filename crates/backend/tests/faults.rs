//! Solaris failing in every way the emulator can inject, at every call of opening an
//! identification: the customer gets a clear error and a retry that works, and the retries never
//! make a second person.

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{Backend, Emulator, answers, fresh_dir};

/// A backend whose Solaris calls give up after a second.
async fn impatient_backend(emulator: &Emulator, name: &str) -> Backend {
    Backend::start(
        emulator,
        &fresh_dir(name),
        &[("SOLARIS_TIMEOUT_SECONDS", "1")],
    )
    .await
}

/// Solaris makes the next person, but the answer never arrives.
async fn lose_the_next_person_creations_answer(emulator: &Emulator) {
    emulator
        .control(
            "POST",
            "/_sandbox/faults",
            json!({ "path_prefix": "/v1/persons", "method": "POST", "lose_answer": true, "count": 1 }),
        )
        .await;
}

#[tokio::test]
async fn a_person_whose_creation_answer_was_lost_is_found_not_made_twice() {
    let emulator = Emulator::start().await;
    let backend = impatient_backend(&emulator, "lost-person").await;
    let browser = backend.new_browser().await;
    let given = answers();
    let name = given["first_name"].as_str().unwrap();
    // Solaris makes the person, but its answer never arrives.
    lose_the_next_person_creations_answer(&emulator).await;
    let (status, body) = backend.open(&browser, &given).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_GATEWAY, Some("solaris_unavailable")),
        "the customer is told to try again"
    );
    let made = emulator.persons_named(name).await;
    assert_eq!(made.len(), 1, "Solaris made the person");
    assert_eq!(backend.onboarding(&browser).await.unwrap().person_id, None);

    let (status, opened) = backend.open(&browser, &given).await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    assert_eq!(
        emulator.persons_named(name).await,
        made,
        "the retry found the person instead of making another"
    );
    let onboarding = backend.onboarding(&browser).await.unwrap();
    assert_eq!(onboarding.person_id.as_deref(), Some(made[0].as_str()));
    assert_eq!(onboarding.person_requested_at, None);
    assert_eq!(backend.outcome(&browser).await["state"], "unfinished");
}

#[tokio::test]
async fn a_changed_answer_after_a_lost_creation_makes_the_person_anew() {
    let emulator = Emulator::start().await;
    let backend = impatient_backend(&emulator, "lost-person-changed").await;
    let browser = backend.new_browser().await;
    let mut given = answers();
    lose_the_next_person_creations_answer(&emulator).await;
    assert_eq!(
        backend.open(&browser, &given).await.0,
        StatusCode::BAD_GATEWAY
    );
    // The customer corrects the email before retrying: the lost person is not theirs any more.
    given["email"] = json!("corrected@example.com");
    let (status, opened) = open_until_it_works(&backend, &browser, &given).await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    let persons = emulator
        .persons_named(given["first_name"].as_str().unwrap())
        .await;
    assert_eq!(persons.len(), 2);
    assert_eq!(
        backend
            .onboarding(&browser)
            .await
            .unwrap()
            .person_id
            .as_deref(),
        Some(persons[1].as_str()),
        "the person with the corrected answers"
    );
}

/// One way Solaris fails, and what the customer is told.
struct Case {
    fault: Value,
    status: StatusCode,
    error: &'static str,
}

/// Every way of failing, as the fault's settings (the path and method come with the step).
fn cases() -> Vec<Case> {
    let with = |fault: Value| fault;
    let unavailable = |fault| Case {
        fault,
        status: StatusCode::BAD_GATEWAY,
        error: "solaris_unavailable",
    };
    vec![
        unavailable(with(json!({ "status": 500 }))),
        unavailable(with(json!({ "status": 503 }))),
        // Slower than the time limit, a connection that never answers, an answer lost after the
        // change was made.
        unavailable(with(json!({ "delay_ms": 1500 }))),
        unavailable(with(json!({ "drop": true }))),
        unavailable(with(json!({ "lose_answer": true }))),
        // Solaris' rate limit with a long Retry-After: passed on, not waited for.
        Case {
            fault: with(json!({ "status": 429, "retry_after_s": 30 })),
            status: StatusCode::SERVICE_UNAVAILABLE,
            error: "solaris_busy",
        },
    ]
}

/// Opens until it works, waiting as the answer's `Retry-After` asks (what the app tells the
/// customer to do): at most a few times.
async fn open_until_it_works(
    backend: &Backend,
    browser: &str,
    given: &Value,
) -> (StatusCode, Value) {
    for _ in 0..5 {
        let (status, body) = backend.open(browser, given).await;
        if !(status == StatusCode::SERVICE_UNAVAILABLE && body["error"] == "solaris_busy") {
            return (status, body);
        }
        tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    }
    backend.open(browser, given).await
}

#[tokio::test]
async fn every_failing_call_of_an_opening_gets_a_clear_error_and_a_retry_that_works() {
    let emulator = Emulator::start().await;
    let backend = impatient_backend(&emulator, "fault-matrix").await;
    let mut tried = 0;
    // The three calls of an opening: the person, its mobile number, the session.
    for step in ["person", "mobile number", "session"] {
        for case in cases() {
            let browser = backend.new_browser().await;
            let given = answers();
            let path = match step {
                "person" => "/v1/persons".to_string(),
                // The first call under a person after its creation is the mobile number.
                "mobile number" => "/v1/persons/".to_string(),
                _ => {
                    // Make the person first (the mobile number fails once), then fail the
                    // session of that person.
                    emulator
                        .control("POST", "/_sandbox/faults", json!({ "path_prefix": "/v1/persons/", "method": "POST", "status": 503 }))
                        .await;
                    assert_eq!(
                        backend.open(&browser, &given).await.0,
                        StatusCode::BAD_GATEWAY
                    );
                    let person = backend.person_of(&browser).await;
                    format!("/v1/persons/{person}/identification_sessions")
                }
            };
            let mut fault = json!({ "path_prefix": path, "method": "POST", "count": 1 });
            fault
                .as_object_mut()
                .unwrap()
                .extend(case.fault.as_object().unwrap().clone());
            emulator
                .control("POST", "/_sandbox/faults", fault.clone())
                .await;
            let (status, body) = backend.open(&browser, &given).await;
            assert_eq!(
                (status, body["error"].as_str()),
                (case.status, Some(case.error)),
                "{step}, {fault}"
            );
            emulator
                .control("DELETE", "/_sandbox/faults", json!({}))
                .await;
            let (status, opened) = open_until_it_works(&backend, &browser, &given).await;
            assert_eq!(status, StatusCode::OK, "{step}, {fault}: {opened}");
            // A creation that was slow or lost may still land at Solaris: give it the time.
            tokio::time::sleep(std::time::Duration::from_millis(600)).await;
            let persons = emulator
                .persons_named(given["first_name"].as_str().unwrap())
                .await;
            assert_eq!(persons.len(), 1, "{step}, {fault}: one person");
            let onboarding = backend.onboarding(&browser).await.unwrap();
            assert_eq!(onboarding.person_id.as_deref(), Some(persons[0].as_str()));
            assert_eq!(backend.outcome(&browser).await["state"], "unfinished");
            tried += 1;
        }
    }
    assert_eq!(tried, 18);
}
