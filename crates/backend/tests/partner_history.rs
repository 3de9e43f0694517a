//! The onboarding's history: every change of its state is kept, so a retry after a failure no
//! longer wipes the earlier outcome from the partner's record.

mod support;

use axum::http::StatusCode;
use serde_json::Value;
use support::partner::{KEY, Receiver, create, open_link, partner_backend, partner_call};
use support::{Customer, Emulator, answers};

/// The guide's sandbox IBAN of a joint account (retry with another IBAN), and of success.
const JOINT_ACCOUNT: &str = "DE55110101010100000004";
const SUCCESS: &str = "DE11110101010100000020";

#[tokio::test]
async fn a_retry_after_a_failure_keeps_the_failure_in_the_history() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("history", &emulator, &receiver).await;
    let (_, created) = create(&backend, "retrying").await;
    let id = created["onboarding"]["id"].as_str().unwrap().to_string();
    let (browser, _) = open_link(
        &backend,
        created["start_link"]["url"].as_str().unwrap(),
        None,
    )
    .await;

    let given = answers();
    for iban in [JOINT_ACCOUNT, SUCCESS] {
        let (status, opened) = backend.open(&browser, &given).await;
        assert_eq!(status, StatusCode::OK, "{opened}");
        Customer::new()
            .identify(&emulator, opened["url"].as_str().unwrap(), iban)
            .await;
        assert_eq!(backend.outcome(&browser).await["state"], "final");
    }

    let (status, view) = partner_call(
        &backend,
        "GET",
        &format!("/partner/v1/onboardings/{id}"),
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["category"], "success");
    let history = view["history"].as_array().unwrap();
    let steps: Vec<(&str, &str, &Value)> = history
        .iter()
        .map(|entry| {
            (
                entry["from"].as_str().unwrap(),
                entry["to"].as_str().unwrap(),
                &entry["category"],
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("not_started", "pending", &Value::Null),
            ("pending", "final", &Value::from("retry_with_another_iban")),
            ("final", "pending", &Value::Null),
            ("pending", "final", &Value::from("success")),
        ],
        "{view}"
    );
    assert_eq!(history[1]["error_code"], "JOINT_ACCOUNT");
    assert_eq!(history[0]["cause"], "customer");
    assert_eq!(history[2]["cause"], "customer");
    for ended in [&history[1], &history[3]] {
        // The customer's outcome page or Solaris' webhook, whichever came first.
        assert!(
            ["customer", "solaris_webhook"].contains(&ended["cause"].as_str().unwrap()),
            "{ended}"
        );
    }
    let positions: Vec<i64> = history
        .iter()
        .map(|entry| entry["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, [1, 2, 3, 4]);

    // An erasure keeps only itself.
    let (status, _) = partner_call(
        &backend,
        "DELETE",
        &format!("/partner/v1/onboardings/{id}"),
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let kept = backend.state.store.history_of(&id).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (
            kept[0].from_state.code(),
            kept[0].to_state.code(),
            kept[0].cause.code(),
            kept[0].api_key_name.as_deref()
        ),
        ("final", "erased", "partner", Some("current")),
        "the partner's key, by name"
    );
}
