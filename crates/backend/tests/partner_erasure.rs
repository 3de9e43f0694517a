//! Erasure: the partner erases an onboarding, or Solaris deletes the person; what we held about
//! the customer goes in one transaction, a tombstone answers `410 erased`, the partner's systems
//! hear `onboarding.erased`, and the customer's next page says the identification was closed.

mod support;

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::Emulator;
use support::partner::{
    KEY, Receiver, cookie_hash, create, customer, listed_events, open_link, page_of,
    partner_backend, partner_call,
};
use support::unix_now;

#[tokio::test]
async fn an_erased_onboarding_leaves_a_tombstone_the_partner_hears_of_and_the_customer_sees() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("erasure", &emulator, &receiver).await;
    let (id, browser, link) = customer(&backend, "customer-erased").await;
    let (kept, _, _) = customer(&backend, "customer-kept").await;
    assert!(
        backend
            .onboarding(&browser)
            .await
            .unwrap()
            .person_id
            .is_some()
    );

    let (status, tombstone) = partner_call(
        &backend,
        "DELETE",
        &format!("/partner/v1/onboardings/{id}"),
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{tombstone}");
    assert_eq!(tombstone["id"], id.as_str());
    assert_eq!(tombstone["state"], "pending", "the state it had");
    assert_eq!(tombstone["erased_by"], "partner");
    assert!(tombstone["erased_at"].as_str().unwrap().starts_with("20"));

    // The partner API answers 410 for it from now on, with when and at whose request.
    for (method, path) in [
        ("GET", format!("/partner/v1/onboardings/{id}")),
        ("GET", format!("/partner/v1/onboardings/{id}/events")),
        (
            "GET",
            format!("/partner/v1/onboardings/{id}/documents/doc-1"),
        ),
        ("DELETE", format!("/partner/v1/onboardings/{id}")),
    ] {
        let (status, answer) = partner_call(&backend, method, &path, Some(KEY), None).await;
        assert_eq!(status, StatusCode::GONE, "{method} {path}: {answer}");
        assert_eq!(answer["code"], "erased");
        assert_eq!(answer["erased_by"], "partner");
    }
    let (status, _) = partner_call(
        &backend,
        "DELETE",
        "/partner/v1/onboardings/no-such-onboarding",
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // What was stored about the customer is gone; the other customer's is untouched.
    let stored = backend.state.store.onboarding(&id).await.unwrap().unwrap();
    assert_eq!(
        (
            &stored.customer_reference,
            &stored.person_id,
            &stored.session_id,
            &stored.session_url,
            &stored.erased_by
        ),
        (&None, &None, &None, &None, &Some("partner".to_string()))
    );
    assert!(
        backend.onboarding(&browser).await.is_none(),
        "its browsers are forgotten"
    );
    assert!(
        backend
            .state
            .store
            .browser_was_erased(&cookie_hash(&browser))
            .await
            .unwrap()
    );
    let events = listed_events(&backend).await;
    let about_it: Vec<&Value> = events
        .iter()
        .filter(|event| event["data"]["onboarding_id"] == id.as_str())
        .collect();
    assert_eq!(about_it.len(), 1, "only the erasure is left: {events:?}");
    assert_eq!(about_it[0]["type"], "onboarding.erased");
    assert_eq!(
        about_it[0]["data"],
        json!({ "onboarding_id": id, "customer_reference": "customer-erased", "person_id": null,
                "session_id": null, "category": null, "error_code": null, "identification_id": null })
    );
    assert!(
        events
            .iter()
            .any(|event| event["data"]["onboarding_id"] == kept.as_str()
                && event["type"] == "onboarding.session_opened")
    );
    backend
        .state
        .partner_delivery
        .deliver_due(unix_now())
        .await
        .unwrap();
    let delivered: Vec<(String, String)> = receiver
        .verified_events()
        .iter()
        .map(|event| {
            (
                event["type"].as_str().unwrap().to_string(),
                event["data"]["onboarding_id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        !delivered.contains(&("onboarding.session_opened".into(), id.clone())),
        "its pending event is not delivered after the erasure: {delivered:?}"
    );
    assert!(delivered.contains(&("onboarding.erased".into(), id.clone())));

    // The customer's next page says the identification was closed, keeping their language;
    // the old start link opens nothing.
    for path in ["/", "/callback", "/check"] {
        assert_eq!(
            page_of(&backend, &browser, path).await.as_deref(),
            Some("/link?problem=erased"),
            "{path}"
        );
    }
    assert_eq!(
        page_of(&backend, &browser, "/callback?lang=de")
            .await
            .as_deref(),
        Some("/link?problem=erased&lang=de")
    );
    assert_eq!(
        page_of(&backend, &browser, "/link?problem=erased").await,
        None
    );
    let (_, location) = open_link(&backend, &link, None).await;
    assert!(location.starts_with("/link?problem="), "{location}");
    assert!(backend.onboarding(&browser).await.is_none());

    // The partner may start the same customer again: a new onboarding.
    let (status, again) = create(&backend, "customer-erased").await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_ne!(again["onboarding"]["id"], id.as_str());
}

#[tokio::test]
async fn solaris_deleting_the_person_erases_its_onboarding_and_the_events_that_name_it() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("erasure-solaris", &emulator, &receiver).await;
    let (id, browser, _) = customer(&backend, "customer-deleted").await;
    let person = backend.person_of(&browser).await;
    assert!(
        listed_events(&backend)
            .await
            .iter()
            .any(|event| event["data"]["person_id"] == person.as_str()),
        "an event names the person, not yet delivered"
    );

    emulator
        .control("DELETE", &format!("/_sandbox/persons/{person}"), json!({}))
        .await;
    // Waits on the event list, which asks Solaris nothing: asking for the onboarding would let
    // it find the person gone first and forget it (then the webhook finds nothing to erase).
    for _ in 0..200 {
        let erased = listed_events(&backend)
            .await
            .iter()
            .any(|event| event["type"] == "onboarding.erased");
        if erased {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let (_, answer) = partner_call(
        &backend,
        "GET",
        &format!("/partner/v1/onboardings/{id}"),
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(answer["code"], "erased", "{answer}");
    assert_eq!(answer["erased_by"], "solaris");
    let events = listed_events(&backend).await;
    assert!(
        !serde_json::to_string(&events).unwrap().contains(&person),
        "no event names the person any more: {events:?}"
    );
    assert_eq!(
        events
            .iter()
            .map(|event| event["type"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["onboarding.erased"]
    );
    assert_eq!(
        page_of(&backend, &browser, "/").await.as_deref(),
        Some("/link?problem=erased")
    );
}
