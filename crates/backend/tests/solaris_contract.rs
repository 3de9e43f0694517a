//! The backend relies only on what Solaris documents: against an emulator that leaves out every
//! undocumented field and header, the journey still ends in the right outcomes (through reads
//! and through webhooks); lists are read page by page; only `model_not_found` means a person is
//! gone; outcomes that close Bankident are enforced on the server.

mod support;

use axum::http::StatusCode;
use bankident_backend::store::OnboardingState;
use bankident_domain::OutcomeCategory;
use serde_json::json;
use support::{Backend, Customer, Emulator, answers, fresh_dir, started};

#[tokio::test]
async fn documented_fields_only_success_is_learned_from_webhooks_and_reads() {
    let emulator = Emulator::start_documented_only().await;
    let backend = Backend::start(&emulator, &fresh_dir("documented-success"), &[]).await;
    let browser = backend.new_browser().await;
    let (status, opened) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    let end = Customer::new()
        .identify(
            &emulator,
            opened["url"].as_str().unwrap(),
            "DE11110101010100000020",
        )
        .await;
    assert!(end.page.contains("You are identified"), "{}", end.page);
    // The session's webhook arrives without a Solaris-Webhook-Subscription-Id header.
    for _ in 0..200 {
        if backend.onboarding(&browser).await.unwrap().outcome_state == OnboardingState::Final {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        backend.onboarding(&browser).await.unwrap().outcome_category,
        Some(OutcomeCategory::Success),
        "set by a webhook verified without the subscription header"
    );
    assert_eq!(backend.outcome(&browser).await["category"], "success");
}

#[tokio::test]
async fn documented_fields_only_failures_and_retries() {
    let emulator = Emulator::start_documented_only().await;
    let backend = Backend::start(&emulator, &fresh_dir("documented-failure"), &[]).await;
    let browser = backend.new_browser().await;
    let answers = answers();
    let (_, opened) = backend.open(&browser, &answers).await;
    Customer::new()
        .identify(
            &emulator,
            opened["url"].as_str().unwrap(),
            "DE55110101010100000004",
        )
        .await;
    assert_eq!(
        backend.outcome(&browser).await,
        json!({ "state": "final", "category": "retry_with_another_iban", "error_code": "JOINT_ACCOUNT" }),
        "the session names no identification: the one made since it opened decides"
    );
    let (status, reopened) = backend.open(&browser, &answers).await;
    assert_eq!(status, StatusCode::OK, "{reopened}");
    assert_ne!(reopened["url"], opened["url"], "a new session");
    assert_eq!(
        backend.outcome(&browser).await["state"],
        "unfinished",
        "the earlier failure belongs to the earlier session"
    );
    Customer::new()
        .identify(
            &emulator,
            reopened["url"].as_str().unwrap(),
            "DE11110101010100000020",
        )
        .await;
    assert_eq!(backend.outcome(&browser).await["category"], "success");
}

#[tokio::test]
async fn more_identifications_than_one_page_still_give_the_right_outcome() {
    let (emulator, backend, browser) = started("pages").await;
    let answers = answers();
    let (_, opened) = backend.open(&browser, &answers).await;
    let url = opened["url"].as_str().unwrap();
    let customer = Customer::new();
    // Twelve refusals inside one session: each is an identification of the person.
    for _ in 0..12 {
        customer
            .identify(&emulator, url, "DE44110101010100000008")
            .await;
    }
    let person = backend.person_of(&browser).await;
    let all = backend
        .state
        .solaris
        .identifications(&person)
        .await
        .unwrap();
    assert!(all.len() > 10, "more than one page: {}", all.len());
    let mut ids: Vec<_> = all
        .iter()
        .map(|identification| identification.id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "every identification once");
    customer
        .identify(&emulator, url, "DE55110101010100000004")
        .await;
    assert_eq!(
        backend.outcome(&browser).await["error_code"],
        "JOINT_ACCOUNT",
        "the latest, on the second page"
    );
    let (status, _) = backend.open(&browser, &answers).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        backend
            .onboarding(&browser)
            .await
            .unwrap()
            .known_identification_ids
            .len(),
        all.len() + 1
    );
    assert_eq!(backend.outcome(&browser).await["state"], "unfinished");
}

#[tokio::test]
async fn only_model_not_found_means_the_person_is_gone() {
    let (emulator, backend, browser) = started("not-found").await;
    backend.open(&browser, &answers()).await;
    let person = backend.person_of(&browser).await;
    // A 404 that is not Solaris' `model_not_found` (a proxy, a routing fault). Webhook
    // deliveries make the backend read Solaris too, so the fault stays until removed.
    emulator
        .control(
            "POST",
            "/_sandbox/faults",
            json!({ "path_prefix": "/v1/persons", "status": 404, "count": 1000 }),
        )
        .await;
    let request = axum::http::Request::get("/api/identification/outcome")
        .header(axum::http::header::COOKIE, &browser)
        .body(axum::body::Body::empty())
        .unwrap();
    let (status, _, _) = backend.send(request).await;
    assert!(status.is_server_error(), "{status}");
    let (status, _) = backend.open(&browser, &answers()).await;
    assert!(status.is_server_error(), "{status}");
    emulator
        .control("DELETE", "/_sandbox/faults", json!({}))
        .await;
    assert_eq!(
        backend
            .onboarding(&browser)
            .await
            .unwrap()
            .person_id
            .as_deref(),
        Some(person.as_str()),
        "the person is kept: no duplicate is created"
    );
    assert_eq!(backend.outcome(&browser).await["state"], "unfinished");
}

#[tokio::test]
async fn outcomes_that_close_bankident_are_enforced_on_the_server() {
    let (emulator, backend, browser) = started("enforced").await;
    let (_, opened) = backend.open(&browser, &answers()).await;
    Customer::new()
        .identify(
            &emulator,
            opened["url"].as_str().unwrap(),
            "DE22110101010100000016",
        )
        .await;
    assert_eq!(
        backend.outcome(&browser).await["category"],
        "method_not_available"
    );
    let (status, body) = backend.open(&browser, &answers()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error_code"], "MATCH_FOR_PERSON_DATA_NOT_FOUND");

    let other = backend.new_browser().await;
    backend.open(&other, &answers()).await;
    let id = backend.onboarding(&other).await.unwrap().id;
    backend
        .state
        .store
        .set_final_outcome(
            &id,
            &bankident_backend::store::Ending {
                category: OutcomeCategory::Stop,
                error_code: Some("IBAN_USAGE_LIMIT_EXCEEDED".into()),
                identification_id: None,
            },
            bankident_backend::store::Cause::Customer,
        )
        .await
        .unwrap();
    let (status, body) = backend.open(&other, &answers()).await;
    assert_eq!(
        (status, body["error_code"].as_str()),
        (StatusCode::CONFLICT, Some("IBAN_USAGE_LIMIT_EXCEEDED")),
        "no new session after a stop, whatever page posts"
    );
}

#[tokio::test]
async fn an_expired_session_url_is_never_handed_out_again() {
    let (emulator, backend, browser) = started("expired-url").await;
    let given = answers();
    let (_, opened) = backend.open(&browser, &given).await;
    let (_, same) = backend.open(&browser, &given).await;
    assert_eq!(
        same["url"], opened["url"],
        "an open session is handed out again"
    );
    emulator.advance(31 * 24 * 3600).await;
    let person = backend.onboarding(&browser).await.unwrap().person_id;
    let (status, fresh) = backend.open(&browser, &given).await;
    assert_eq!(status, StatusCode::OK, "{fresh}");
    assert_eq!(
        backend.onboarding(&browser).await.unwrap().person_id,
        person,
        "the same person"
    );
    assert_ne!(
        fresh["url"], opened["url"],
        "a new session instead of the expired one"
    );
}

#[tokio::test]
async fn start_up_leaves_other_services_subscriptions_alone() {
    let emulator = Emulator::start().await;
    // Another service on the same Solaris account, with its own URL.
    let other = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let other_url = format!("http://{}/hooks", other.local_addr().unwrap());
    let receiver = axum::Router::new().route("/hooks", axum::routing::post(|| async { "ok" }));
    tokio::spawn(async move { axum::serve(other, receiver).await.unwrap() });
    let token = emulator.token().await;
    let created = reqwest::Client::new()
        .post(format!("{}/v1/webhooks", emulator.url))
        .bearer_auth(&token)
        .json(&json!({ "event_type": "PERSON_DELETED", "url": other_url }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let backend = Backend::start(&emulator, &fresh_dir("others"), &[]).await;
    let all = backend.state.solaris.webhooks().await.unwrap();
    assert!(
        all.iter().any(|subscription| subscription.url == other_url),
        "the other service's subscription survives"
    );
    let ours = all
        .iter()
        .filter(|subscription| subscription.url == backend.state.config.webhook_url())
        .count();
    assert_eq!(ours, 6, "one of ours per event");
}

/// Reads the person and its mobile number at the emulator, as Solaris holds them.
async fn at_solaris(backend: &Backend, person: &str) -> (serde_json::Value, Option<String>) {
    let held = backend.state.solaris.person(person).await.unwrap();
    let number = backend
        .state
        .solaris
        .mobile_number(person)
        .await
        .unwrap()
        .map(|number| number.number);
    (held, number)
}

#[tokio::test]
async fn a_correction_after_a_failure_reaches_solaris_before_the_next_session() {
    let (emulator, backend, browser) = started("correction").await;
    let mut answers = answers();
    let (_, opened) = backend.open(&browser, &answers).await;
    Customer::new()
        .identify(
            &emulator,
            opened["url"].as_str().unwrap(),
            "DE55110101010100000004",
        )
        .await;
    assert_eq!(
        backend.outcome(&browser).await["error_code"],
        "JOINT_ACCOUNT"
    );
    let person = backend.person_of(&browser).await;

    answers["address"]["line_1"] = json!("Torstr. 1");
    answers["email"] = json!("moved@example.com");
    answers["mobile_number"] = json!("+49 151 23456789");
    let (status, reopened) = backend.open(&browser, &answers).await;
    assert_eq!(status, StatusCode::OK, "{reopened}");
    assert_eq!(
        backend
            .onboarding(&browser)
            .await
            .unwrap()
            .person_id
            .as_deref(),
        Some(person.as_str()),
        "the same person"
    );
    let (held, number) = at_solaris(&backend, &person).await;
    assert_eq!(held["address"]["line_1"], "Torstr. 1");
    assert_eq!(held["email"], "moved@example.com");
    assert_eq!(
        number.as_deref(),
        Some("+4915123456789"),
        "the number was replaced"
    );

    // While the new session is open, a further correction reaches Solaris too.
    answers["address"]["city"] = json!("Potsdam");
    answers["address"]["state"] = json!("BB");
    let (status, same) = backend.open(&browser, &answers).await;
    assert_eq!(
        (status, &same["url"]),
        (StatusCode::OK, &reopened["url"]),
        "the same session"
    );
    let (held, _) = at_solaris(&backend, &person).await;
    assert_eq!(
        (
            held["address"]["city"].as_str(),
            held["address"]["state"].as_str()
        ),
        (Some("Potsdam"), Some("BB"))
    );

    answers["last_name"] = json!("Zierfish");
    let (status, body) = backend.open(&browser, &answers).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::CONFLICT, Some("correction_not_possible")),
        "a name cannot change once an identification was attempted"
    );
    assert_eq!(
        at_solaris(&backend, &person).await.0["last_name"],
        "Zierfisch"
    );
}

#[tokio::test]
async fn a_name_changed_before_any_attempt_gets_a_new_person() {
    let (emulator, backend, browser) = started("new-person").await;
    let mut answers = answers();
    backend.open(&browser, &answers).await;
    let first = backend.person_of(&browser).await;
    emulator.advance(31 * 24 * 3600).await;
    answers["first_name"] = json!(format!("{} Maria", answers["first_name"].as_str().unwrap()));
    let (status, body) = backend.open(&browser, &answers).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let second = backend.person_of(&browser).await;
    assert_ne!(second, first);
    let (held, _) = at_solaris(&backend, &second).await;
    assert_eq!(held["first_name"], answers["first_name"]);
}

#[tokio::test]
async fn the_person_reaches_solaris_with_every_mandatory_field() {
    let (_emulator, backend, browser) = started("mandatory").await;
    let mut given = answers();
    given["fatca_relevant"] = json!("yes");
    let (status, body) = backend.open(&browser, &given).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let person = backend.person_of(&browser).await;
    let (held, _) = at_solaris(&backend, &person).await;
    assert_eq!(
        held["fatca_relevant"], true,
        "a US taxpayer is not shut out"
    );
    assert_eq!(held["address"]["state"], "BE");
    assert_eq!(held["mobile_number"], "+15550101");
    assert_eq!(held["salutation"], "MR");
    assert_eq!(
        held["data_terms_signed_at"],
        given["consents"]["data_terms_signed_at"]
    );
}
