//! The partner API document's `webhooks` section (OpenAPI 3.1): one entry per event the
//! partner's receiver gets, each a signed `POST` of a `PartnerEvent` (the test ping: a
//! `TestPing`), with the Standard Webhooks headers and an example body. utoipa 5 has no field
//! for the section; its extensions are written at the document's top level, so it goes there.

use serde_json::{Value, json};
use utoipa::openapi::OpenApi;

use crate::partner_events::{PartnerEventType, TEST_EVENT_TYPE};

/// The Standard Webhooks headers every delivery carries.
fn signature_headers() -> Value {
    json!([
        {
            "name": "webhook-id", "in": "header", "required": true,
            "description": "The event's id, the same on every retry: store it and ignore repeats.",
            "schema": { "type": "string", "example": "evt_5f0c2a8e8a354a579d0c3b1f6e3c1a2b" }
        },
        {
            "name": "webhook-timestamp", "in": "header", "required": true,
            "description": "Unix seconds of this attempt: refuse anything more than five minutes off.",
            "schema": { "type": "string", "example": "1796378402" }
        },
        {
            "name": "webhook-signature", "in": "header", "required": true,
            "description": "Space-separated `v1,<base64>` entries, one per configured secret: the HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` under the secret's bytes (the base64 after `whsec_`). Verify the raw body before parsing it.",
            "schema": { "type": "string", "example": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=" }
        }
    ])
}

/// An example body of an event of `event_type`.
fn example(event_type: PartnerEventType) -> Value {
    let ids = event_type != PartnerEventType::Erased;
    let ended = event_type == PartnerEventType::Ended;
    json!({
        "id": "evt_5f0c2a8e8a354a579d0c3b1f6e3c1a2b",
        "type": event_type.name(),
        "timestamp": "2026-11-26T15:58:40Z",
        "data": {
            "onboarding_id": "0c6f1d2e3a4b5c6d7e8f9a0b1c2d3e4f",
            "customer_reference": "customer-4711",
            "person_id": if ids { json!("9a1b2c3d4e5f60718293a4b5c6d7e8f9cper") } else { Value::Null },
            "session_id": if ids { json!("3c4d5e6f708192a3b4c5d6e7f8091a2bises") } else { Value::Null },
            "category": if ended { json!("success") } else { Value::Null },
            "error_code": Value::Null,
            "identification_id": if ended { json!("a7a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9cidt") } else { Value::Null },
        }
    })
}

/// What an event of `event_type` means for the partner.
fn meaning(event_type: PartnerEventType) -> (&'static str, &'static str) {
    match event_type {
        PartnerEventType::SessionOpened => (
            "A Solaris identification session opened",
            "Each time the customer sets off to Solaris (in the API mode: an identification was opened). A retry opens a new one.",
        ),
        PartnerEventType::Ended => (
            "The onboarding has its final outcome",
            "Once per outcome: `category` says what it asks of the customer, `error_code` is the guide's Appendix III code of a failure. Fetch the signed KYC report from the onboarding's documents on success.",
        ),
        PartnerEventType::Cancelled => (
            "The onboarding was cancelled",
            "You cancelled it through the API; nothing more happens in it.",
        ),
        PartnerEventType::Erased => (
            "What we held about the customer was erased",
            "At your request, because Solaris deleted the person, or by the retention policy. The body names the onboarding and your reference only.",
        ),
    }
}

/// The section: one `POST` per event type, and the test ping.
fn section() -> Value {
    let delivery = |summary: &str,
                    description: &str,
                    operation_id: String,
                    schema: &str,
                    example: Value| {
        json!({
            "post": {
                "tags": ["webhooks"],
                "summary": summary,
                "description": format!("{description} Answer with any 2xx within 10 seconds; otherwise the delivery is retried for about three days."),
                "operationId": operation_id,
                "parameters": signature_headers(),
                "requestBody": {
                    "required": true,
                    "content": { "application/json": {
                        "schema": { "$ref": format!("#/components/schemas/{schema}") },
                        "example": example
                    } }
                },
                "responses": {
                    "2XX": { "description": "Taken: the event is delivered." },
                    "default": { "description": "Not taken: the delivery is retried later." }
                }
            }
        })
    };
    let mut section = serde_json::Map::new();
    for event_type in PartnerEventType::ALL {
        let (summary, description) = meaning(event_type);
        section.insert(
            event_type.name().to_string(),
            delivery(
                summary,
                description,
                format!("{}_received", event_type.name().replace('.', "_")),
                "PartnerEvent",
                example(event_type),
            ),
        );
    }
    section.insert(
        TEST_EVENT_TYPE.to_string(),
        delivery(
            "A test ping",
            "Sent when you call `POST /partner/v1/webhooks/test`; never recorded or retried.",
            "test_ping_received".to_string(),
            "TestPing",
            json!({ "id": "evt_test_5f0c2a8e8a354a579d0c3b1f6e3c1a2b", "type": TEST_EVENT_TYPE,
                    "timestamp": "2026-11-26T15:58:40Z", "data": {} }),
        ),
    );
    Value::Object(section)
}

/// Adds the `webhooks` section to the partner API's document.
pub struct Webhooks;

impl utoipa::Modify for Webhooks {
    fn modify(&self, openapi: &mut OpenApi) {
        openapi
            .extensions
            .get_or_insert_default()
            .insert("webhooks".to_string(), section());
    }
}
