//! Creating a customer's onboarding exactly once per `Idempotency-Key`: a request sent again
//! with the same key within a day (a timeout, a retry after a crash, on any instance) gets the
//! first answer, start link included, and makes nothing new; the same key with another request
//! is refused. The start link's token is derived from the key and the database's secret, so the
//! answer can be given again without the token (or the key) ever being stored.

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

use super::Onboardings;
use super::partner::{OnboardingCreate, PartnerKey};
use crate::error::{PartnerError, ProblemCode};
use crate::ids::sha256_hex;
use crate::store::idempotency::KeyClaim;

/// The longest `Idempotency-Key` accepted.
pub const MAX_KEY_CHARS: usize = 255;

/// The answer of a create call.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateAnswer {
    /// 201 for a new onboarding, 200 for the customer's existing one.
    pub status: u16,
    /// The body (`OnboardingCreated`).
    pub body: Value,
    /// Whether this is the first answer given again for the same key.
    pub replayed: bool,
}

/// An `Idempotency-Key` as the API takes it, or what is wrong with it.
fn checked_key(key: &str) -> Result<&str, PartnerError> {
    let fits = !key.is_empty()
        && key.len() <= MAX_KEY_CHARS
        && key.bytes().all(|byte| byte.is_ascii_graphic());
    if fits {
        Ok(key)
    } else {
        Err(PartnerError::invalid(
            "Idempotency-Key",
            "malformed",
            format!(
                "Idempotency-Key must be 1 to {MAX_KEY_CHARS} visible ASCII characters (a UUID, say)"
            ),
        ))
    }
}

/// The start link token of an idempotent create: HMAC-SHA256 of the key under the database's
/// secret, 64 hex digits like any token.
fn link_token(secret: &str, idempotency_key: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(b"bankident start link\n");
    mac.update(idempotency_key.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

impl Onboardings {
    /// Creates (or finds) the customer's onboarding with a start link, once per
    /// `idempotency_key` when one is given.
    pub async fn partner_create_once(
        &self,
        request: &OnboardingCreate,
        key: &PartnerKey,
        idempotency_key: Option<&str>,
    ) -> Result<CreateAnswer, PartnerError> {
        let Some(idempotency_key) = idempotency_key else {
            let (created, is_new) = self.partner_create(request, key, None).await?;
            return Ok(CreateAnswer {
                status: if is_new { 201 } else { 200 },
                body: serde_json::to_value(created).expect("an answer serializes"),
                replayed: false,
            });
        };
        let idempotency_key = checked_key(idempotency_key)?;
        let key_hash = sha256_hex(idempotency_key);
        // The request as understood: the same fields give the same hash, however the JSON was
        // spaced or ordered.
        let request_hash =
            sha256_hex(&serde_json::to_string(request).expect("a request serializes"));
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let token = link_token(&self.store.cookie_secret().await?, idempotency_key);
        match self
            .store
            .claim_idempotency_key(&key_hash, &request_hash, now)
            .await?
        {
            KeyClaim::Claimed => {}
            KeyClaim::Answered { status, response } => {
                let mut body: Value = serde_json::from_str(&response).map_err(|error| {
                    PartnerError::from(crate::error::ApiError::Internal(format!(
                        "stored idempotent answer: {error}"
                    )))
                })?;
                body["start_link"]["url"] = Value::String(self.start_link_url(&token));
                tracing::info!(key = %key.0, "idempotent create answered again");
                return Ok(CreateAnswer {
                    status,
                    body,
                    replayed: true,
                });
            }
            KeyClaim::InUse => {
                return Err(PartnerError::refused(
                    ProblemCode::IdempotencyKeyInUse,
                    "a request with this Idempotency-Key is being processed; send it again in a moment",
                ));
            }
            KeyClaim::OtherRequest => {
                return Err(PartnerError::refused(
                    ProblemCode::IdempotencyKeyReused,
                    "this Idempotency-Key was used with another request body in the last 24 hours",
                ));
            }
        }
        let created = match self.partner_create(request, key, Some(token)).await {
            Ok(created) => created,
            Err(error) => {
                if let Err(release) = self.store.release_idempotency_key(&key_hash).await {
                    tracing::error!(error = %release, "idempotency key not let go after a failed create; it frees itself in minutes");
                }
                return Err(error);
            }
        };
        let (created, is_new) = created;
        let status = if is_new { 201 } else { 200 };
        let body = serde_json::to_value(&created).expect("an answer serializes");
        let mut kept = body.clone();
        kept["start_link"]["url"] = Value::Null;
        self.store
            .answer_idempotency_key(
                &key_hash,
                &created.onboarding.onboarding.id,
                status,
                &kept.to_string(),
            )
            .await?;
        Ok(CreateAnswer {
            status,
            body,
            replayed: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_ascii_and_tokens_are_derived_from_them() {
        assert!(checked_key("8e0f2b3c-6c1d-4b7a-9f0e-1a2b3c4d5e6f").is_ok());
        for refused in ["", "with space", "ümlaut", &"k".repeat(256)] {
            assert!(checked_key(refused).is_err(), "{refused:?}");
        }
        let token = link_token("secret", "key-1");
        assert!(crate::store::is_token(&token));
        assert_eq!(
            token,
            link_token("secret", "key-1"),
            "the same key, the same link"
        );
        assert_ne!(token, link_token("secret", "key-2"));
        assert_ne!(token, link_token("other secret", "key-1"));
    }
}
