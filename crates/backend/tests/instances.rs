//! Several backend instances on one database: requests for one customer alternate between
//! them and still make one person and one session.

mod support;

use axum::http::StatusCode;
use bankident_backend::solaris_webhooks;
use support::{Backend, Emulator, answers, fresh_dir};

#[tokio::test]
async fn requests_for_one_customer_alternating_between_two_instances_make_one_session() {
    let emulator = Emulator::start().await;
    let dir = fresh_dir("two-instances");
    let first = Backend::start(&emulator, &dir, &[]).await;
    let second = Backend::start(&emulator, &dir, &[]).await;
    // The cookie one instance issued is good at the other: they share the signing secret.
    let browser = first.new_browser().await;
    let given = answers();
    let (a, b, c, d, e, f) = tokio::join!(
        first.open(&browser, &given),
        second.open(&browser, &given),
        first.open(&browser, &given),
        second.open(&browser, &given),
        first.open(&browser, &given),
        second.open(&browser, &given),
    );
    let answered = [a, b, c, d, e, f];
    let urls: Vec<&str> = answered
        .iter()
        .map(|(status, body)| {
            assert_eq!(*status, StatusCode::OK, "{body}");
            body["url"].as_str().unwrap()
        })
        .collect();
    assert!(
        urls.iter().all(|url| *url == urls[0]),
        "one session: {urls:?}"
    );
    let seen_by_first = first.onboarding(&browser).await.unwrap();
    let seen_by_second = second.onboarding(&browser).await.unwrap();
    assert_eq!(seen_by_first.id, seen_by_second.id);
    assert_eq!(seen_by_first.person_id, seen_by_second.person_id);
    // Every instance's in-process outcome guard aside, both read the same outcome.
    assert_eq!(
        first.outcome(&browser).await["state"],
        second.outcome(&browser).await["state"]
    );
}

#[tokio::test]
async fn instances_subscribing_at_the_same_moment_make_one_subscription_per_event() {
    let emulator = Emulator::start().await;
    let dir = fresh_dir("subscribing-together");
    let first = Backend::start(&emulator, &dir, &[]).await;
    // Behind one load balancer: both instances have the same public URL.
    let second = Backend::start(&emulator, &dir, &[("BANKIDENT_PUBLIC_URL", &first.url)]).await;
    // Start over as on a first start: no subscriptions at Solaris, no secrets stored.
    let solaris = &first.state.solaris;
    for subscription in solaris.webhooks().await.unwrap() {
        solaris.unsubscribe(&subscription.id).await.unwrap();
        first
            .state
            .store
            .delete_subscription(&subscription.id)
            .await
            .unwrap();
    }
    // Both subscribe at once, as two instances starting together do.
    let (a, b) = tokio::join!(
        first.state.solaris_webhooks.subscribe_all(),
        second.state.solaris_webhooks.subscribe_all()
    );
    assert_eq!((a, b), (Vec::new(), Vec::new()));
    let subscriptions = solaris.webhooks().await.unwrap();
    for event in solaris_webhooks::EVENTS {
        let ours: Vec<_> = subscriptions
            .iter()
            .filter(|subscription| subscription.event_type == event.name())
            .collect();
        assert_eq!(ours.len(), 1, "{}: one subscription", event.name());
        assert!(
            first
                .state
                .store
                .subscription_secret(&ours[0].id)
                .await
                .unwrap()
                .is_some(),
            "{}: its secret is stored",
            event.name()
        );
    }
}
