//! Webhooks: the subscription API (`/v1/webhooks`), the event types, the delivery headers and
//! the signature (`Solaris-Webhook-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`).

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The event type of the verification request Solaris sends to a new subscription's URL.
pub const SUBSCRIPTION_VERIFICATION: &str = "WEBHOOK-SUBSCRIPTION";

/// The events of Bankident's webview flow (the guide's recommendation, plus `IDENTIFICATION`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventType {
    /// A session changed status; body: the session.
    IdentificationSession,
    /// An identification changed status; body: the identification.
    Identification,
    /// A person changed; body `{}`, the person in `Solaris-Entity-Id`.
    PersonChanged,
    /// Solaris deleted a person; body `{}`, the person in `Solaris-Entity-Id`.
    PersonDeleted,
    /// A mobile number was created; body `{}`, the person in `Solaris-Entity-Id`.
    PersonMobileNumberCreated,
    /// A mobile number was deleted; body `{"id": "…cmno"}`.
    PersonMobileNumberDeleted,
}

impl EventType {
    /// Every event type.
    pub const ALL: [EventType; 6] = [
        EventType::IdentificationSession,
        EventType::Identification,
        EventType::PersonChanged,
        EventType::PersonDeleted,
        EventType::PersonMobileNumberCreated,
        EventType::PersonMobileNumberDeleted,
    ];

    /// Solaris' name.
    pub fn name(self) -> &'static str {
        match self {
            EventType::IdentificationSession => "IDENTIFICATION_SESSION",
            EventType::Identification => "IDENTIFICATION",
            EventType::PersonChanged => "PERSON_CHANGED",
            EventType::PersonDeleted => "PERSON_DELETED",
            EventType::PersonMobileNumberCreated => "PERSON_MOBILE_NUMBER_CREATED",
            EventType::PersonMobileNumberDeleted => "PERSON_MOBILE_NUMBER_DELETED",
        }
    }

    /// Reads a name; `None` for events we do not handle.
    pub fn parse(name: &str) -> Option<EventType> {
        EventType::ALL
            .into_iter()
            .find(|event| event.name() == name)
    }
}

/// Body of `POST /v1/webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSubscriptionRequest {
    /// The event.
    pub event_type: EventType,
    /// Where deliveries go.
    pub url: String,
}

/// A subscription as Solaris answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSubscription {
    /// Subscription id.
    pub id: String,
    /// The event, as Solaris names it (kept as text: other services on the same account may
    /// subscribe to events we do not know).
    pub event_type: String,
    /// Where deliveries go.
    pub url: String,
    /// The signing secret, shown only in the answer to the creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// Header names of a delivery.
pub struct WebhookHeaders;

impl WebhookHeaders {
    /// Delivery id, the same on every retry.
    pub const ID: &'static str = "Solaris-Webhook-Id";
    /// Not documented: the subscription the delivery belongs to.
    pub const SUBSCRIPTION_ID: &'static str = "Solaris-Webhook-Subscription-Id";
    /// The event type.
    pub const EVENT_TYPE: &'static str = "Solaris-Webhook-Event-Type";
    /// The resource the event is about (a claim: not signed).
    pub const ENTITY_ID: &'static str = "Solaris-Entity-Id";
    /// Attempt number, from 1.
    pub const ATTEMPT: &'static str = "Solaris-Webhook-Attempt";
    /// `sha256=<hex>`.
    pub const SIGNATURE: &'static str = "Solaris-Webhook-Signature";
}

fn mac(secret: &str, body: &[u8]) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    mac
}

/// The signature header's value for `body` under `secret`: `sha256=<lowercase hex>`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    format!(
        "sha256={}",
        hex::encode(mac(secret, body).finalize().into_bytes())
    )
}

/// Whether `header` (`sha256=<hex>`) is the signature of `body` under `secret`, compared in
/// constant time.
pub fn signature_matches(secret: &str, body: &[u8], header: &str) -> bool {
    let Some(Ok(expected)) = header.trim().strip_prefix("sha256=").map(hex::decode) else {
        return false;
    };
    mac(secret, body).verify_slice(&expected).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 4231, test case 2.
    const KEY: &str = "Jefe";
    const DATA: &[u8] = b"what do ya want for nothing?";
    const MAC: &str = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    #[test]
    fn signatures_are_hmac_sha256_checked_exactly() {
        let valid = format!("sha256={MAC}");
        assert_eq!(signature(KEY, DATA), valid);
        assert!(signature_matches(KEY, DATA, &valid));
        assert!(!signature_matches(
            KEY,
            b"what do ya want for nothing!",
            &valid
        ));
        assert!(!signature_matches("jefe", DATA, &valid));
        assert!(!signature_matches(KEY, DATA, MAC), "prefix required");
        assert!(!signature_matches(KEY, DATA, "sha256=zz"));
        assert!(!signature_matches(KEY, DATA, "sha256="));
    }

    #[test]
    fn event_names_round_trip() {
        for event in EventType::ALL {
            assert_eq!(EventType::parse(event.name()), Some(event));
            assert_eq!(
                serde_json::to_value(event).unwrap(),
                serde_json::Value::String(event.name().into())
            );
        }
        assert_eq!(EventType::parse("ACCOUNT_BLOCK"), None);
    }
}
