//! Reconciliation and replay: the partner lists every event in order, whether or not a webhook
//! URL was configured when it happened, and asks for events to be delivered again.

mod support;

use std::sync::atomic::Ordering;

use axum::http::StatusCode;
use bankident_backend::partner_events::RETRY_DELAYS;
use serde_json::{Value, json};
use support::partner::{
    KEY, Receiver, another_instance, customer_with_open_session, delivery_log, get,
    partner_backend, partner_backend_without_webhook, partner_call,
};
use support::unix_now;
use support::{Emulator, fresh_dir};

#[tokio::test]
async fn every_event_is_listed_in_order_one_page_at_a_time_without_a_webhook() {
    let emulator = Emulator::start().await;
    let backend = partner_backend_without_webhook(&fresh_dir("events-list"), &emulator).await;
    let mut onboardings = Vec::new();
    for customer in ["first", "second", "third"] {
        onboardings.push(customer_with_open_session(&backend, customer).await);
    }

    let (status, page) = get(&backend, "/partner/v1/events?limit=2").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["has_more"], true);
    let events = page["events"].as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(page["next_starting_after"], events[1]["id"]);
    let (status, rest) = get(
        &backend,
        &format!(
            "/partner/v1/events?limit=2&starting_after={}",
            page["next_starting_after"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{rest}");
    assert_eq!(rest["has_more"], false);
    assert_eq!(rest["next_starting_after"], Value::Null);
    let all: Vec<&Value> = events
        .iter()
        .chain(rest["events"].as_array().unwrap())
        .collect();
    let listed: Vec<&str> = all
        .iter()
        .map(|event| event["data"]["onboarding_id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, onboardings, "in the order they happened");
    for event in &all {
        assert_eq!(event["type"], "onboarding.session_opened");
        assert_eq!(
            event["delivery"],
            json!({ "status": "not_sent", "attempts": 0, "next_attempt_at": null, "delivered_at": null })
        );
    }

    let (_, ended) = get(&backend, "/partner/v1/events?type=onboarding.ended").await;
    assert_eq!(ended["events"], json!([]));
    let (_, opened) = get(
        &backend,
        "/partner/v1/events?type=onboarding.session_opened",
    )
    .await;
    assert_eq!(opened["events"].as_array().unwrap().len(), 3);
    let (_, later) = get(
        &backend,
        "/partner/v1/events?created_gte=2999-01-01T00:00:00Z",
    )
    .await;
    assert_eq!(later["events"], json!([]));
    let (_, earlier) = get(
        &backend,
        "/partner/v1/events?created_lt=2999-01-01T00:00:00Z",
    )
    .await;
    assert_eq!(earlier["events"].as_array().unwrap().len(), 3);

    for (query, says) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("limit=many", "limit"),
        ("starting_after=evt_nothing", "starting_after"),
        ("type=onboarding.created", "type"),
        ("created_gte=yesterday", "created_gte"),
        (
            "created_gte=2026-12-02T00:00:00Z&created_lt=2026-12-01T00:00:00Z",
            "created_gte",
        ),
        ("limit=1&limit=2", "duplicate field `limit`"),
    ] {
        let (status, answer) = get(&backend, &format!("/partner/v1/events?{query}")).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {answer}"
        );
        assert_eq!(answer["code"], "invalid");
        assert!(
            answer["detail"].as_str().unwrap().contains(says),
            "{query}: {answer}"
        );
    }
    let (status, answer) = partner_call(
        &backend,
        "POST",
        "/partner/v1/events/redeliver",
        Some(KEY),
        Some(json!({ "status": "not_sent" })),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(answer["code"], "no_webhook");
    let (status, _) = partner_call(&backend, "GET", "/partner/v1/events", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn events_not_sent_or_failed_are_delivered_again_on_request_with_a_fresh_schedule() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let dir = fresh_dir("events-redeliver");
    let before = partner_backend_without_webhook(&dir, &emulator).await;
    let early = customer_with_open_session(&before, "early").await;

    // The webhook URL is configured later: the event written before waits as `not_sent`.
    let backend = another_instance(&dir, &emulator, &receiver).await;
    assert_eq!(
        backend
            .state
            .partner_delivery
            .deliver_due(unix_now())
            .await
            .unwrap(),
        0
    );
    let (status, queued) = partner_call(
        &backend,
        "POST",
        "/partner/v1/events/redeliver",
        Some(KEY),
        Some(json!({ "status": "not_sent" })),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{queued}");
    assert_eq!(queued, json!({ "queued": 1 }));
    assert_eq!(
        backend
            .state
            .partner_delivery
            .deliver_due(unix_now())
            .await
            .unwrap(),
        1
    );
    let delivered = receiver.verified_events();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0]["data"]["onboarding_id"], early);

    // A receiver that is down for longer than every retry: the event fails, and is delivered
    // once asked for again.
    receiver.answer.store(500, Ordering::Relaxed);
    let late = customer_with_open_session(&backend, "late").await;
    let mut at = unix_now();
    backend
        .state
        .partner_delivery
        .deliver_due(at)
        .await
        .unwrap();
    for delay in RETRY_DELAYS {
        at += delay;
        backend
            .state
            .partner_delivery
            .deliver_due(at)
            .await
            .unwrap();
    }
    let log = delivery_log(&backend, &late).await;
    assert_eq!(log["events"][0]["status"], "failed", "{log}");
    let event_id = log["events"][0]["id"].as_str().unwrap().to_string();
    let redeliver = format!("/partner/v1/events/{event_id}/redeliver");
    let (status, _) = partner_call(&backend, "POST", &redeliver, Some(KEY), None).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    // The schedule starts afresh: one more refusal is a retry, not the end.
    at += 1;
    backend
        .state
        .partner_delivery
        .deliver_due(at)
        .await
        .unwrap();
    let log = delivery_log(&backend, &late).await;
    assert_eq!(log["events"][0]["status"], "pending", "{log}");
    receiver.answer.store(204, Ordering::Relaxed);
    at += RETRY_DELAYS[0];
    assert_eq!(
        backend
            .state
            .partner_delivery
            .deliver_due(at)
            .await
            .unwrap(),
        1
    );
    let log = delivery_log(&backend, &late).await;
    assert_eq!(log["events"][0]["status"], "delivered", "{log}");
    assert_eq!(log["events"][0]["attempts"], RETRY_DELAYS.len() + 3);

    let (status, answer) = partner_call(
        &backend,
        "POST",
        "/partner/v1/events/evt_nothing/redeliver",
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{answer}");
    let (status, answer) = partner_call(
        &backend,
        "POST",
        "/partner/v1/events/redeliver",
        Some(KEY),
        Some(json!({ "status": "delivered" })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let (status, page) = get(&backend, "/partner/v1/events").await;
    assert_eq!(status, StatusCode::OK);
    let statuses: Vec<&Value> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| &event["delivery"]["status"])
        .collect();
    assert_eq!(statuses, [&json!("delivered"), &json!("delivered")]);
}

#[tokio::test]
async fn a_webhook_receiver_gets_what_the_event_list_shows() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("events-same-body", &emulator, &receiver).await;
    customer_with_open_session(&backend, "customer").await;
    backend
        .state
        .partner_delivery
        .deliver_due(unix_now())
        .await
        .unwrap();
    let delivered = receiver.verified_events();
    let (_, page) = get(&backend, "/partner/v1/events").await;
    let mut listed = page["events"][0].clone();
    assert_eq!(listed["delivery"]["status"], "delivered");
    listed.as_object_mut().unwrap().remove("delivery");
    assert_eq!(
        listed, delivered[0],
        "the list shows the body the webhook carried"
    );
}

#[tokio::test]
async fn the_partner_lists_its_onboardings_by_state_change_and_reference_one_page_at_a_time() {
    let emulator = Emulator::start().await;
    let backend = partner_backend_without_webhook(&fresh_dir("onboardings-list"), &emulator).await;
    let (_, created) = support::partner::create(&backend, "waiting").await;
    let waiting = created["onboarding"]["id"].as_str().unwrap().to_string();
    let open = customer_with_open_session(&backend, "at-solaris").await;
    let done = customer_with_open_session(&backend, "identified").await;
    let ending = bankident_backend::store::Ending {
        category: bankident_domain::OutcomeCategory::Success,
        error_code: None,
        identification_id: None,
    };
    backend
        .state
        .store
        .set_final_outcome(&done, &ending, bankident_backend::store::Cause::Customer)
        .await
        .unwrap();
    let ids = |page: &Value| -> Vec<String> {
        page["onboardings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|onboarding| onboarding["id"].as_str().unwrap().to_string())
            .collect()
    };

    let (status, first) = get(&backend, "/partner/v1/onboardings?limit=2").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["has_more"], true);
    let (_, rest) = get(
        &backend,
        &format!(
            "/partner/v1/onboardings?limit=2&cursor={}",
            first["next_cursor"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(rest["has_more"], false);
    assert_eq!(rest["next_cursor"], Value::Null);
    let mut all = ids(&first);
    all.extend(ids(&rest));
    assert_eq!(
        all,
        [waiting.clone(), open.clone(), done.clone()],
        "in the order they last changed"
    );
    assert!(
        first["onboardings"][0].get("documents").is_none(),
        "a list asks Solaris nothing"
    );

    for (state, expected) in [
        ("not_started", &waiting),
        ("pending", &open),
        ("final", &done),
    ] {
        let (_, page) = get(&backend, &format!("/partner/v1/onboardings?state={state}")).await;
        assert_eq!(ids(&page), std::slice::from_ref(expected), "{state}");
    }
    let (_, page) = get(
        &backend,
        "/partner/v1/onboardings?customer_reference=at-solaris",
    )
    .await;
    assert_eq!(ids(&page), std::slice::from_ref(&open));
    let (_, page) = get(
        &backend,
        "/partner/v1/onboardings?updated_since=2999-01-01T00:00:00Z",
    )
    .await;
    assert_eq!(ids(&page), Vec::<String>::new());

    // A change moves an onboarding to the end, so a partner that syncs sees it again.
    customer_with_open_session(&backend, "waiting").await;
    let (_, page) = get(&backend, "/partner/v1/onboardings").await;
    assert_eq!(ids(&page), [open.clone(), done.clone(), waiting.clone()]);
    // Erased ones are not listed.
    let (status, _) = partner_call(
        &backend,
        "DELETE",
        &format!("/partner/v1/onboardings/{open}"),
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, page) = get(&backend, "/partner/v1/onboardings").await;
    assert_eq!(ids(&page), [done.clone(), waiting.clone()]);

    for (query, says) in [
        ("state=done", "state"),
        ("cursor=not-a-cursor", "cursor"),
        ("limit=0", "limit"),
        ("limit=500", "limit"),
        ("updated_since=yesterday", "updated_since"),
        ("customer_reference=", "customer_reference"),
        ("state=final&state=pending", "duplicate field `state`"),
        ("states=final", "unknown field `states`"),
    ] {
        let (status, answer) = get(&backend, &format!("/partner/v1/onboardings?{query}")).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {answer}"
        );
        assert!(
            answer["detail"].as_str().unwrap().contains(says),
            "{query}: {answer}"
        );
    }
}
