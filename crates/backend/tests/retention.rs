//! The retention policy: abandoned onboardings are erased after 30 days, finished ones after 90,
//! old events, Solaris delivery records and expired start links go, and one instance applies
//! the policy per hour however many run.

mod support;

use axum::http::StatusCode;
use bankident_backend::config::retention::RetentionPolicy;
use bankident_backend::retention::Retention;
use bankident_backend::store::Ending;
use bankident_domain::OutcomeCategory;
use support::partner::{
    KEY, Receiver, another_instance, create, customer_with_open_session, partner_backend,
    partner_call,
};
use support::unix_now;

const DAY: i64 = 24 * 3_600;

async fn status_of(backend: &support::Backend, id: &str) -> (StatusCode, serde_json::Value) {
    partner_call(
        backend,
        "GET",
        &format!("/partner/v1/onboardings/{id}"),
        Some(KEY),
        None,
    )
    .await
}

#[tokio::test]
async fn abandoned_and_finished_onboardings_and_old_records_go_when_their_time_is_up() {
    let emulator = support::Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("retention", &emulator, &receiver).await;
    let (_, not_started) = create(&backend, "never-started").await;
    let not_started = not_started["onboarding"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let pending = customer_with_open_session(&backend, "left-at-solaris").await;
    let finished = customer_with_open_session(&backend, "identified").await;
    let ending = Ending {
        category: OutcomeCategory::Success,
        error_code: None,
        identification_id: None,
    };
    assert!(
        backend
            .state
            .store
            .set_final_outcome(
                &finished,
                &ending,
                bankident_backend::store::Cause::Customer
            )
            .await
            .unwrap()
    );
    let store = &backend.state.store;
    assert!(
        store
            .apply_webhook("w-kept-a-while", "IDENTIFICATION_SESSION", "ses-other", &[])
            .await
            .unwrap()
    );
    let now = unix_now();
    store
        .claim_idempotency_key("hash-of-a-key", "hash-of-its-request", now)
        .await
        .unwrap();
    backend
        .state
        .partner_delivery
        .deliver_due(now)
        .await
        .unwrap();
    let retention = Retention::new(backend.state.store.clone(), RetentionPolicy::default());
    let report = retention.apply(now + DAY - 1).await.unwrap();
    assert_eq!(
        report.idempotency_keys_deleted, 0,
        "a key answers for a day"
    );
    let report = retention.apply(now + DAY + 1).await.unwrap();
    assert_eq!(report.idempotency_keys_deleted, 1, "{report:?}");

    let report = retention.apply(now + 29 * DAY).await.unwrap();
    assert_eq!(
        (
            report.abandoned_erased,
            report.finished_erased,
            report.events_deleted
        ),
        (0, 0, 0),
        "{report:?}"
    );
    for id in [&not_started, &pending, &finished] {
        assert_eq!(status_of(&backend, id).await.0, StatusCode::OK);
    }

    let report = retention.apply(now + 31 * DAY).await.unwrap();
    assert_eq!(report.abandoned_erased, 2, "{report:?}");
    assert_eq!(report.finished_erased, 0);
    assert!(report.solaris_webhooks_deleted >= 1, "{report:?}");
    assert!(!store.webhook_processed("w-kept-a-while").await.unwrap());
    for id in [&not_started, &pending] {
        let (status, answer) = status_of(&backend, id).await;
        assert_eq!(status, StatusCode::GONE, "{answer}");
        assert_eq!(answer["erased_by"], "retention");
    }
    assert_eq!(status_of(&backend, &finished).await.0, StatusCode::OK);

    let report = retention.apply(now + 91 * DAY).await.unwrap();
    assert_eq!(report.finished_erased, 1, "{report:?}");
    assert_eq!(
        status_of(&backend, &finished).await.1["erased_by"],
        "retention"
    );
    assert_eq!(
        report.events_deleted, 0,
        "the erasures took their events with them; theirs are still pending"
    );
    backend
        .state
        .partner_delivery
        .deliver_due(unix_now())
        .await
        .unwrap();
    let report = retention.apply(now + 182 * DAY).await.unwrap();
    assert_eq!(
        report.events_deleted, 3,
        "the erasures' own events, once delivered and old"
    );
    let (_, page) = partner_call(&backend, "GET", "/partner/v1/events", Some(KEY), None).await;
    assert_eq!(page["events"], serde_json::json!([]));
    assert!(
        report.solaris_webhooks_deleted
            + retention
                .apply(now + 400 * DAY)
                .await
                .unwrap()
                .solaris_webhooks_deleted
            <= 100,
        "bounded"
    );
}

#[tokio::test]
async fn one_instance_applies_the_policy_per_hour_however_many_run() {
    let emulator = support::Emulator::start().await;
    let receiver = Receiver::start().await;
    let first = partner_backend("retention-instances", &emulator, &receiver).await;
    let second = another_instance(&first.dir, &emulator, &receiver).await;
    let policy = RetentionPolicy::default();
    let (by_first, by_second) = tokio::join!(
        async {
            Retention::new(first.state.store.clone(), policy)
                .apply_if_due()
                .await
                .unwrap()
        },
        async {
            Retention::new(second.state.store.clone(), policy)
                .apply_if_due()
                .await
                .unwrap()
        },
    );
    assert_eq!(
        usize::from(by_first.is_some()) + usize::from(by_second.is_some()),
        1,
        "{by_first:?} {by_second:?}"
    );
    assert!(
        Retention::new(first.state.store.clone(), policy)
            .apply_if_due()
            .await
            .unwrap()
            .is_none(),
        "not again within the hour"
    );
}
