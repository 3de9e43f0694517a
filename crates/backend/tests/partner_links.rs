//! Start links stay few and revocable: a new link replaces the ones nobody opened yet, and the
//! partner can revoke every link of an onboarding (one sent to the wrong address).

mod support;

use axum::http::StatusCode;
use support::Emulator;
use support::partner::{KEY, Receiver, create, open_link, partner_backend, partner_call};

fn link_of(created: &serde_json::Value) -> String {
    created["start_link"]["url"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_new_link_replaces_unopened_ones_and_the_partner_can_revoke_them_all() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("links", &emulator, &receiver).await;
    let (_, first) = create(&backend, "linked").await;
    let (_, second) = create(&backend, "linked").await;
    let id = first["onboarding"]["id"].as_str().unwrap().to_string();
    assert_eq!(second["onboarding"]["id"], id.as_str());

    let (_, location) = open_link(&backend, &link_of(&first), None).await;
    assert_eq!(
        location, "/link?problem=unknown",
        "replaced before anyone opened it"
    );
    let (browser, location) = open_link(&backend, &link_of(&second), None).await;
    assert!(!location.starts_with("/link"), "{location}");
    assert!(backend.onboarding(&browser).await.is_some());

    let (_, third) = create(&backend, "linked").await;
    let revoke = format!("/partner/v1/onboardings/{id}/start_links/revoke");
    let (status, revoked) = partner_call(&backend, "POST", &revoke, Some(KEY), None).await;
    assert_eq!(status, StatusCode::OK, "{revoked}");
    assert_eq!(revoked["revoked"], 2, "the opened link and the new one");
    let (_, location) = open_link(&backend, &link_of(&third), None).await;
    assert_eq!(location, "/link?problem=unknown");
    assert!(
        backend.onboarding(&browser).await.is_some(),
        "a browser that opened a link stays bound"
    );

    let (status, _) = partner_call(
        &backend,
        "POST",
        "/partner/v1/onboardings/no-such-onboarding/start_links/revoke",
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    partner_call(
        &backend,
        "DELETE",
        &format!("/partner/v1/onboardings/{id}"),
        Some(KEY),
        None,
    )
    .await;
    let (status, answer) = partner_call(&backend, "POST", &revoke, Some(KEY), None).await;
    assert_eq!(status, StatusCode::GONE, "{answer}");
}
