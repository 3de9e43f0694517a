//! An onboarding's life beyond one identification: the partner cancels one that is under way
//! (the customer's next page says it was closed, and what they still do at Solaris is not
//! recorded), and identifies a customer anew once their onboarding is over: a new onboarding
//! for the same reference, linked to the old one, with a Solaris person of its own.

mod support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::partner::{
    KEY, Receiver, create, customer, get, identified_customer, listed_events, open_link, page_of,
    partner_backend, partner_call,
};
use support::{Backend, Customer, Emulator, answers, unix_now};

/// `POST` to a partner API path with the key and a JSON body.
async fn post(backend: &Backend, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    partner_call(backend, "POST", path, Some(KEY), body).await
}

/// Creates the customer's onboarding again, asking for a new identification.
async fn reidentify(backend: &Backend, reference: &str) -> (StatusCode, Value) {
    post(
        backend,
        "/partner/v1/onboardings",
        Some(json!({ "customer_reference": reference, "language": "en", "reidentify": true })),
    )
    .await
}

#[tokio::test]
async fn a_cancelled_onboarding_closes_for_the_customer_and_ignores_what_solaris_says_later() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("cancel", &emulator, &receiver).await;
    let (id, browser, link) = customer(&backend, "customer-cancelled").await;
    let session_url = backend
        .onboarding(&browser)
        .await
        .unwrap()
        .session_url
        .unwrap();

    let (status, cancelled) = post(
        &backend,
        &format!("/partner/v1/onboardings/{id}/cancel"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    assert_eq!(cancelled["state"], "cancelled");
    assert!(cancelled["ended_at"].is_string());
    let last = cancelled["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (
            &last["from"],
            &last["to"],
            &last["cause"],
            &last["api_key_name"]
        ),
        (
            &json!("pending"),
            &json!("cancelled"),
            &json!("partner"),
            &json!("current")
        )
    );
    let (status, again) = post(
        &backend,
        &format!("/partner/v1/onboardings/{id}/cancel"),
        None,
    )
    .await;
    assert_eq!(
        (status, &again["state"]),
        (StatusCode::OK, &json!("cancelled")),
        "a retried cancel"
    );

    // The customer's next page says the identification was closed; their link opens nothing.
    assert_eq!(
        page_of(&backend, &browser, "/callback?lang=de")
            .await
            .as_deref(),
        Some("/link?problem=erased&lang=de")
    );
    let (_, location) = open_link(&backend, &link, None).await;
    assert!(location.starts_with("/link?problem="), "{location}");

    // The customer finishes at Solaris anyway: nothing of it is recorded.
    let end = Customer::new()
        .identify(&emulator, &session_url, "DE11110101010100000020")
        .await;
    assert!(end.page.contains("You are identified"), "{}", end.page);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let (_, shown) = get(&backend, &format!("/partner/v1/onboardings/{id}")).await;
    assert_eq!(shown["state"], "cancelled", "{shown}");
    assert_eq!(shown["category"], Value::Null);
    let types: Vec<String> = listed_events(&backend)
        .await
        .iter()
        .filter(|event| event["data"]["onboarding_id"] == id.as_str())
        .map(|event| event["type"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(types, ["onboarding.session_opened", "onboarding.cancelled"]);
    backend
        .state
        .partner_delivery
        .deliver_due(unix_now())
        .await
        .unwrap();
    assert!(
        receiver
            .verified_events()
            .iter()
            .any(|event| event["type"] == "onboarding.cancelled"
                && event["data"]["onboarding_id"] == id.as_str())
    );

    // No link for a cancelled onboarding: the partner identifies the customer anew instead.
    let (status, refused) = create(&backend, "customer-cancelled").await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["code"], "cancelled");
    let (status, anew) = reidentify(&backend, "customer-cancelled").await;
    assert_eq!(status, StatusCode::CREATED);
    // The same browser opens the new link: it is no longer told its identification was closed.
    let (_, location) = open_link(
        &backend,
        anew["start_link"]["url"].as_str().unwrap(),
        Some(&browser),
    )
    .await;
    assert_eq!(location, "/?lang=en");
    assert_eq!(
        page_of(&backend, &browser, "/").await,
        None,
        "the start page is served"
    );
    let (status, cancelled_again) = post(
        &backend,
        &format!("/partner/v1/onboardings/{id}/cancel"),
        None,
    )
    .await;
    assert_eq!(
        (status, &cancelled_again["state"]),
        (StatusCode::OK, &json!("cancelled"))
    );
}

#[tokio::test]
async fn what_cannot_be_cancelled_or_identified_anew_is_refused_with_its_reason() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("cancel-refused", &emulator, &receiver).await;
    let (status, refused) = post(&backend, "/partner/v1/onboardings/no-such-id/cancel", None).await;
    assert_eq!(
        (status, &refused["code"]),
        (StatusCode::NOT_FOUND, &json!("not_found"))
    );

    let (id, _, _) = customer(&backend, "customer-open").await;
    let (status, refused) = reidentify(&backend, "customer-open").await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["code"], "not_final");
    assert!(
        refused["detail"].as_str().unwrap().contains("pending"),
        "{refused}"
    );

    let (status, _) = partner_call(
        &backend,
        "DELETE",
        &format!("/partner/v1/onboardings/{id}"),
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, refused) = post(
        &backend,
        &format!("/partner/v1/onboardings/{id}/cancel"),
        None,
    )
    .await;
    assert_eq!(
        (status, &refused["code"]),
        (StatusCode::GONE, &json!("erased"))
    );
}

#[tokio::test]
async fn a_customer_identified_once_is_identified_anew_in_an_onboarding_linked_to_the_first() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("reidentify", &emulator, &receiver).await;
    let reference = "customer-again";
    let (first, browser) = identified_customer(&backend, &emulator, reference).await;
    let (status, refused) = post(
        &backend,
        &format!("/partner/v1/onboardings/{first}/cancel"),
        None,
    )
    .await;
    assert_eq!(
        (status, &refused["code"]),
        (StatusCode::CONFLICT, &json!("already_final"))
    );
    let (status, same) = create(&backend, reference).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "without asking, the same onboarding: {same}"
    );
    assert_eq!(same["onboarding"]["id"], first.as_str());

    let (status, anew) = reidentify(&backend, reference).await;
    assert_eq!(status, StatusCode::CREATED, "{anew}");
    let second = anew["onboarding"]["id"].as_str().unwrap().to_string();
    assert_ne!(second, first);
    assert_eq!(anew["onboarding"]["previous_onboarding_id"], first.as_str());
    assert_eq!(anew["onboarding"]["state"], "not_started");
    let (_, old) = get(&backend, &format!("/partner/v1/onboardings/{first}")).await;
    assert_eq!(old["next_onboarding_id"], second.as_str());
    assert_eq!(
        (&old["state"], &old["category"]),
        (&json!("final"), &json!("success")),
        "the old outcome stays"
    );

    // The customer goes through the new one, as a new Solaris person (the first one is
    // identified already, and Solaris would refuse it again).
    let (new_browser, _) = open_link(
        &backend,
        anew["start_link"]["url"].as_str().unwrap(),
        Some(&browser),
    )
    .await;
    let (status, opened) = backend.open(&new_browser, &answers()).await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    Customer::new()
        .identify(
            &emulator,
            opened["url"].as_str().unwrap(),
            "DE11110101010100000020",
        )
        .await;
    assert_eq!(backend.outcome(&new_browser).await["category"], "success");
    let (_, new) = get(&backend, &format!("/partner/v1/onboardings/{second}")).await;
    assert_eq!(new["state"], "final");
    assert!(new["person_id"].is_string());
    assert_ne!(new["person_id"], old["person_id"]);

    let (_, listed) = get(
        &backend,
        &format!("/partner/v1/onboardings?customer_reference={reference}"),
    )
    .await;
    let ids: Vec<&str> = listed["onboardings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|onboarding| onboarding["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [first.as_str(), second.as_str()],
        "both, in the order they last changed"
    );
    let (status, current) = create(&backend, reference).await;
    assert_eq!(
        (status, &current["onboarding"]["id"]),
        (StatusCode::OK, &json!(second)),
        "the new one is current"
    );
}
