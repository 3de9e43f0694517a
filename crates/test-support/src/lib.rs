//! What the backend's and the emulator's tests share, written from the Solaris guide and not
//! from either crate's code, so a test that uses it can catch a mistake in both:
//!
//! - [`webhook_signature`]: the `Solaris-Webhook-Signature` of a body;
//! - [`latest_sms_code`]: the newest code in the emulator's SMS inbox (its test controls);
//! - [`sandbox_person`]: the guide's sandbox person, as `POST /v1/persons` takes it.

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

/// The `Solaris-Webhook-Signature` header Solaris sends with `body` for a subscription with
/// `secret`: `sha256=` and the hex HMAC-SHA256 of the raw body.
pub fn webhook_signature(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The query of the emulator's SMS inbox for one number (`GET /_sandbox/sms?number=…`).
pub fn sms_inbox_query(number: &str) -> String {
    format!("/_sandbox/sms?number={}", number.replace('+', "%2B"))
}

/// The newest code in an answer of the emulator's SMS inbox (oldest first); panics, naming
/// `number`, when there is none.
pub fn latest_sms_code(inbox: &Value, number: &str) -> String {
    inbox
        .as_array()
        .and_then(|messages| messages.last())
        .and_then(|message| message["code"].as_str())
        .unwrap_or_else(|| panic!("no SMS to {number}"))
        .to_string()
}

/// The guide's sandbox person with the given first name, and the fields the guide's list of
/// mandatory data adds to its example (`mobile_number`, `data_terms_signed_at`, the state).
pub fn sandbox_person(first_name: &str) -> Value {
    json!({
        "salutation": "MR", "first_name": first_name, "last_name": "Zierfisch",
        "address": { "line_1": "BERLINER STR. 45", "line_2": "", "postal_code": "14169", "city": "Berlin", "state": "BE", "country": "DE" },
        "mobile_number": "+15550101", "data_terms_signed_at": "2019-01-01T00:00:00Z",
        "birth_date": "1978-07-15", "birth_city": "Aachen", "birth_country": "DE", "nationality": "DE",
        "email": "person@example.com", "employment_status": "EMPLOYED", "fatca_relevant": "false",
        "fatca_crs_confirmed_at": "2019-01-01T00:00:00Z", "terms_conditions_signed_at": "2019-01-01T00:00:00Z",
        "own_economic_interest_signed_at": "2019-01-01T00:00:00Z"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_hex_hmac_of_the_raw_body() {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), the example of
        // the HMAC article every implementation is checked against.
        assert_eq!(
            webhook_signature("key", b"The quick brown fox jumps over the lazy dog"),
            "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }

    #[test]
    fn the_newest_code_of_the_inbox_is_read() {
        let inbox = json!([{ "code": "111111" }, { "code": "212212" }]);
        assert_eq!(latest_sms_code(&inbox, "+15550101"), "212212");
        assert_eq!(
            sms_inbox_query("+15550101"),
            "/_sandbox/sms?number=%2B15550101"
        );
        let empty = std::panic::catch_unwind(|| latest_sms_code(&json!([]), "+4915"));
        assert!(empty.is_err());
    }
}
