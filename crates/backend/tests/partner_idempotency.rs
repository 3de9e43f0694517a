//! Creating an onboarding with an `Idempotency-Key`: a request sent again gets the first answer,
//! start link included, and makes nothing new (also on another instance, also at the same
//! moment); the same key with another request is refused; a request that failed leaves the key
//! free.

mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use support::partner::{KEY, Receiver, another_instance, get, open_link, partner_backend};
use support::{Backend, Emulator};

/// `POST /partner/v1/onboardings` with an idempotency key: status, whether the answer was given
/// before, and the body.
async fn create_with_key(
    backend: &Backend,
    idempotency_key: &str,
    body: &Value,
) -> (StatusCode, bool, Value) {
    let request = Request::post("/partner/v1/onboardings")
        .header(header::AUTHORIZATION, format!("Bearer {KEY}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header("idempotency-key", idempotency_key)
        .body(Body::from(body.to_string()))
        .unwrap();
    let (status, headers, text) = backend.send(request).await;
    let replayed = headers
        .get("idempotent-replayed")
        .is_some_and(|value| value == "true");
    (status, replayed, serde_json::from_str(&text).unwrap())
}

/// How many onboardings the partner can list for a reference.
async fn onboardings_of(backend: &Backend, reference: &str) -> usize {
    let (status, page) = get(
        backend,
        &format!("/partner/v1/onboardings?customer_reference={reference}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["onboardings"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_request_sent_again_with_its_key_gets_the_first_answer_and_makes_nothing_new() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("idempotency", &emulator, &receiver).await;
    let body = json!({ "customer_reference": "customer-once", "language": "de" });
    let (status, replayed, first) = create_with_key(&backend, "key-0001", &body).await;
    assert_eq!((status, replayed), (StatusCode::CREATED, false), "{first}");

    // The same body, spaced and ordered otherwise, is the same request.
    let reordered = json!({ "language": "de", "customer_reference": "customer-once" });
    let (status, replayed, again) = create_with_key(&backend, "key-0001", &reordered).await;
    assert_eq!((status, replayed), (StatusCode::CREATED, true));
    assert_eq!(again, first, "the first answer, start link included");
    assert_eq!(onboardings_of(&backend, "customer-once").await, 1);
    let (_, location) =
        open_link(&backend, first["start_link"]["url"].as_str().unwrap(), None).await;
    assert_eq!(
        location, "/?lang=de",
        "the link given twice is the live one"
    );

    let other = json!({ "customer_reference": "customer-once", "language": "en" });
    let (status, _, refused) = create_with_key(&backend, "key-0001", &other).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["code"], "idempotency_key_reused");

    let (status, _, refused) = create_with_key(&backend, "key with spaces", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused["errors"],
        json!([{ "field": "Idempotency-Key", "problem": "malformed" }])
    );
}

#[tokio::test]
async fn a_failed_request_leaves_its_key_free_and_a_new_identification_is_made_once() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let backend = partner_backend("idempotency-failed", &emulator, &receiver).await;
    let wrong = json!({ "customer_reference": "customer-fixed", "language": "fr" });
    let (status, _, _) = create_with_key(&backend, "key-0002", &wrong).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let right = json!({ "customer_reference": "customer-fixed", "language": "en" });
    let (status, replayed, _) = create_with_key(&backend, "key-0002", &right).await;
    assert_eq!((status, replayed), (StatusCode::CREATED, false));

    // Cancelled, then identified anew: a retried request does not make a third onboarding.
    let (_, first) = get(
        &backend,
        "/partner/v1/onboardings?customer_reference=customer-fixed",
    )
    .await;
    let id = first["onboardings"][0]["id"].as_str().unwrap().to_string();
    let (status, _) = support::partner::partner_call(
        &backend,
        "POST",
        &format!("/partner/v1/onboardings/{id}/cancel"),
        Some(KEY),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let anew = json!({ "customer_reference": "customer-fixed", "reidentify": true });
    let (status, _, made) = create_with_key(&backend, "key-0003", &anew).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let (status, replayed, again) = create_with_key(&backend, "key-0003", &anew).await;
    assert_eq!((status, replayed), (StatusCode::CREATED, true));
    assert_eq!(again["onboarding"]["id"], made["onboarding"]["id"]);
    assert_eq!(onboardings_of(&backend, "customer-fixed").await, 2);
}

#[tokio::test]
async fn two_instances_given_one_key_at_once_make_one_onboarding() {
    let emulator = Emulator::start().await;
    let receiver = Receiver::start().await;
    let first = partner_backend("idempotency-instances", &emulator, &receiver).await;
    let second = another_instance(&first.dir, &emulator, &receiver).await;
    let body = json!({ "customer_reference": "customer-raced" });
    let (a, b) = tokio::join!(
        create_with_key(&first, "key-0004", &body),
        create_with_key(&second, "key-0004", &body)
    );
    // Each test instance has an address of its own (real ones share one): compare the tokens.
    let without_host = |(status, replayed, mut body): (StatusCode, bool, Value)| {
        if let Some(url) = body["start_link"]["url"].as_str() {
            let token = url.split("token=").nth(1).unwrap().to_string();
            body["start_link"]["url"] = Value::String(token);
        }
        (status, replayed, body)
    };
    let answers = [without_host(a), without_host(b)];
    let made: Vec<&Value> = answers
        .iter()
        .filter(|(status, _, _)| *status == StatusCode::CREATED)
        .map(|(_, _, body)| body)
        .collect();
    assert!(!made.is_empty(), "{answers:?}");
    for (status, _, body) in &answers {
        match *status {
            StatusCode::CREATED => assert_eq!(body, made[0], "one answer for both"),
            StatusCode::CONFLICT => assert_eq!(body["code"], "idempotency_key_in_use"),
            other => panic!("{other}: {body}"),
        }
    }
    assert_eq!(onboardings_of(&first, "customer-raced").await, 1);
    let (status, replayed, later) = without_host(create_with_key(&second, "key-0004", &body).await);
    assert_eq!((status, replayed), (StatusCode::CREATED, true));
    assert_eq!(&later, made[0]);
}
