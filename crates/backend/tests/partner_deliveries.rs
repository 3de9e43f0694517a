//! Deliveries of the partner's webhooks: retried after the receiver was down, given up after
//! more than three days, and exactly right when several instances deliver.

mod support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::http::StatusCode;
use bankident_backend::partner_events::RETRY_DELAYS;
use serde_json::{Value, json};
use support::Emulator;
use support::partner::{
    KEY, Receiver, SECRET, another_instance, customer_with_open_session, delivery_log,
    partner_backend, partner_backend_without_webhook, partner_call,
};
use support::unix_now;

#[tokio::test]
async fn webhooks_are_delivered_after_the_receiver_was_down_and_the_backend_restarted() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-retries", &emulator, &receiver).await;
    let id = customer_with_open_session(&backend, "customer-9").await;

    receiver.answer.store(503, Ordering::Relaxed);
    let start = time::OffsetDateTime::now_utc().unix_timestamp();
    assert_eq!(
        backend
            .state
            .partner_delivery
            .deliver_due(start)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        backend
            .state
            .partner_delivery
            .deliver_due(start + 1)
            .await
            .unwrap(),
        0,
        "not due again before its retry time"
    );
    assert_eq!(receiver.received.lock().unwrap().len(), 1);

    // The backend restarts on the same database; the receiver is down for two more retries.
    let restarted = another_instance(&backend.dir, &emulator, &receiver).await;
    let mut at = start;
    for delay in &RETRY_DELAYS[..2] {
        at += delay;
        assert_eq!(
            restarted
                .state
                .partner_delivery
                .deliver_due(at)
                .await
                .unwrap(),
            0
        );
    }
    receiver.answer.store(200, Ordering::Relaxed);
    at += RETRY_DELAYS[2];
    assert_eq!(
        restarted
            .state
            .partner_delivery
            .deliver_due(at)
            .await
            .unwrap(),
        1
    );
    let events = receiver.verified_events();
    assert_eq!(events.len(), 4);
    assert!(
        events.iter().all(|event| event["id"] == events[0]["id"]),
        "every retry carries the same event id"
    );
    let log = delivery_log(&restarted, &id).await;
    let attempts: Vec<Value> = log["events"][0]["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|delivery| delivery["status_code"].clone())
        .collect();
    assert_eq!(attempts, [json!(503), json!(503), json!(503), json!(200)]);
    assert_eq!(log["events"][0]["status"], "delivered");
}

#[tokio::test]
async fn an_event_the_receiver_never_takes_fails_after_more_than_three_days() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-dead", &emulator, &receiver).await;
    let id = customer_with_open_session(&backend, "customer-3").await;
    receiver.answer.store(500, Ordering::Relaxed);
    let start = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut at = start;
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
    assert!(at - start > 3 * 24 * 3600);
    let log = delivery_log(&backend, &id).await;
    assert_eq!(log["events"][0]["status"], "failed");
    let (_, ready) = backend.ready().await;
    assert_eq!(
        ready["partner_events"],
        json!({ "pending": 0, "failed": 1, "oldest_pending_age_seconds": 0 })
    );
    assert_eq!(log["events"][0]["attempts"], RETRY_DELAYS.len() + 1);
    backend
        .state
        .partner_delivery
        .deliver_due(at + 365 * 24 * 3600)
        .await
        .unwrap();
    assert_eq!(
        receiver.received.lock().unwrap().len(),
        RETRY_DELAYS.len() + 1,
        "a failed event is not sent again"
    );
}

#[tokio::test]
async fn a_late_answer_to_an_instance_whose_lease_ran_out_does_not_undo_a_delivery() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let first = partner_backend("partner-leases", &emulator, &receiver).await;
    let second = another_instance(&first.dir, &emulator, &receiver).await;
    let id = customer_with_open_session(&first, "customer-11").await;

    // Nine attempts fail; the tenth is the last before the event would be failed for good.
    receiver.answer.store(500, Ordering::Relaxed);
    let mut at = unix_now();
    first.state.partner_delivery.deliver_due(at).await.unwrap();
    for delay in &RETRY_DELAYS[..8] {
        at += delay;
        first.state.partner_delivery.deliver_due(at).await.unwrap();
    }
    assert_eq!(receiver.received.lock().unwrap().len(), 9);
    at += RETRY_DELAYS[8];

    // The first instance's last attempt meets a receiver that is slow and then refuses; by the
    // time it answers, the second instance (whose clock is past the first one's lease) has
    // taken the event over and delivered it.
    *receiver.slow_next.lock().unwrap() = Some((Duration::from_secs(2), 500));
    receiver.answer.store(204, Ordering::Relaxed);
    let late = first.state.partner_delivery.deliver_due(at);
    let taken_over = async {
        while receiver.received.lock().unwrap().len() < 10 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        second.state.partner_delivery.deliver_due(at + 61).await
    };
    let (late, taken_over) = tokio::join!(late, taken_over);
    assert_eq!(taken_over.unwrap(), 1, "the second instance delivers");
    assert_eq!(
        late.unwrap(),
        0,
        "the first instance's refusal counts for nothing"
    );

    let log = delivery_log(&first, &id).await;
    let event = &log["events"][0];
    assert_eq!(event["status"], "delivered", "{log}");
    let deliveries = event["deliveries"].as_array().unwrap();
    assert_eq!(
        deliveries.len(),
        10,
        "the attempt whose lease ran out is not recorded: {log}"
    );
    assert_eq!(deliveries.last().unwrap()["status_code"], 204);
    assert_eq!(receiver.received.lock().unwrap().len(), 11);
    assert_eq!(
        first
            .state
            .partner_delivery
            .deliver_due(at + 365 * 24 * 3600)
            .await
            .unwrap(),
        0,
        "a delivered event is not sent again"
    );
    assert_eq!(receiver.received.lock().unwrap().len(), 11);
}

#[tokio::test]
async fn two_instances_delivering_at_once_send_each_event_exactly_once() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let first = partner_backend("partner-two-deliverers", &emulator, &receiver).await;
    let second = another_instance(&first.dir, &emulator, &receiver).await;
    for customer in 0..6 {
        customer_with_open_session(&first, &format!("customer-{customer}")).await;
    }
    // The first send is slow, so the second instance works while the first one waits.
    *receiver.slow_next.lock().unwrap() = Some((Duration::from_millis(500), 204));
    let now = unix_now();
    let (by_first, by_second) = tokio::join!(
        first.state.partner_delivery.deliver_due(now),
        second.state.partner_delivery.deliver_due(now),
    );
    let (by_first, by_second) = (by_first.unwrap(), by_second.unwrap());
    assert_eq!(by_first + by_second, 6, "{by_first} + {by_second}");
    let mut ids: Vec<String> = receiver
        .verified_events()
        .iter()
        .map(|event| event["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 6, "each event once");
    assert_eq!(receiver.received.lock().unwrap().len(), 6);
}

/// A second webhook secret (the base64 of the bytes 0 to 23), for a rotation.
const NEW_SECRET: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX";

#[tokio::test]
async fn during_a_secret_rotation_each_delivery_verifies_with_the_old_secret_and_the_new() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let dir = support::fresh_dir("partner-rotation");
    let secrets = format!("{SECRET},{NEW_SECRET}");
    let keys = format!("current:{KEY}");
    let backend = support::Backend::start(
        &emulator,
        &dir,
        &[
            ("BANKIDENT_DEMO_MODE", "false"),
            ("BANKIDENT_PARTNER_API_KEYS", &keys),
            ("BANKIDENT_PARTNER_WEBHOOK_URL", &receiver.url),
            ("BANKIDENT_PARTNER_WEBHOOK_SECRET", &secrets),
        ],
    )
    .await;
    customer_with_open_session(&backend, "rotating").await;
    assert_eq!(
        backend
            .state
            .partner_delivery
            .deliver_due(unix_now())
            .await
            .unwrap(),
        1
    );
    let (headers, _) = receiver.received.lock().unwrap()[0].clone();
    assert_eq!(
        headers["webhook-signature"]
            .to_str()
            .unwrap()
            .split(' ')
            .count(),
        2,
        "one signature per secret"
    );
    assert_eq!(
        receiver.events_verified_with(SECRET).len(),
        1,
        "a receiver with the old secret"
    );
    assert_eq!(
        receiver.events_verified_with(NEW_SECRET).len(),
        1,
        "and one with the new"
    );
}

#[tokio::test]
async fn a_test_ping_reaches_the_receiver_signed_and_says_how_it_answered() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("partner-ping", &emulator, &receiver).await;
    let (status, answer) = partner_call(
        &backend,
        "POST",
        "/partner/v1/webhooks/test",
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["delivered"], true);
    assert_eq!(answer["status_code"], 204);
    let pings = receiver.verified_events();
    assert_eq!(pings.len(), 1);
    assert_eq!(pings[0]["type"], "webhook.test");
    assert_eq!(pings[0]["id"], answer["event_id"]);
    assert_eq!(pings[0]["data"], json!({}));

    receiver.answer.store(500, Ordering::Relaxed);
    let (_, answer) = partner_call(
        &backend,
        "POST",
        "/partner/v1/webhooks/test",
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(answer["delivered"], false);
    assert_eq!(answer["status_code"], 500);
    assert!(
        answer["error"].as_str().unwrap().contains("500"),
        "{answer}"
    );
    let (_, page) = partner_call(&backend, "GET", "/partner/v1/events", Some(KEY), None).await;
    assert_eq!(page["events"], json!([]), "a ping is not an event");

    let quiet =
        partner_backend_without_webhook(&support::fresh_dir("partner-ping-none"), &emulator).await;
    let (status, answer) =
        partner_call(&quiet, "POST", "/partner/v1/webhooks/test", Some(KEY), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(answer["code"], "no_webhook");
}
