//! Idempotency keys of the partner API's create call: the first request with a key claims it,
//! records its answer when done, and a later request with the same key (on any instance) gets
//! that answer for [`KEY_LIFETIME_SECONDS`]. Keys are stored as their SHA-256 only.

use super::Store;

/// How long a key answers with its first answer.
pub const KEY_LIFETIME_SECONDS: i64 = 24 * 3_600;
/// How long a claim without an answer holds before another request may take the key over (the
/// first one crashed): longer than any create takes, Solaris' time limits included.
pub const CLAIM_HOLDS_SECONDS: i64 = 120;

/// What claiming an idempotency key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyClaim {
    /// The key is this request's now: carry it out, then record the answer.
    Claimed,
    /// The first request with this key was answered: its status and body (without the start
    /// link's URL).
    Answered {
        /// The HTTP status.
        status: u16,
        /// The JSON body.
        response: String,
    },
    /// The first request with this key is still being processed.
    InUse,
    /// The key was used with another request.
    OtherRequest,
}

impl Store {
    /// Claims an idempotency key for the request whose hash is `request_hash`, at `now` (Unix
    /// seconds). A key older than [`KEY_LIFETIME_SECONDS`] is free again; one claimed longer
    /// than [`CLAIM_HOLDS_SECONDS`] ago without an answer is taken over.
    pub async fn claim_idempotency_key(
        &self,
        key_hash: &str,
        request_hash: &str,
        now: i64,
    ) -> Result<KeyClaim, sqlx::Error> {
        let claimed = sqlx::query(
            "INSERT INTO idempotency_keys (key_hash, request_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key_hash) DO UPDATE SET request_hash = excluded.request_hash, created_at = excluded.created_at, \
             status = NULL, response = NULL, onboarding_id = NULL \
             WHERE idempotency_keys.created_at <= $4 \
             OR (idempotency_keys.status IS NULL AND idempotency_keys.created_at <= $5 AND idempotency_keys.request_hash = $2)",
        )
        .bind(key_hash)
        .bind(request_hash)
        .bind(now)
        .bind(now - KEY_LIFETIME_SECONDS)
        .bind(now - CLAIM_HOLDS_SECONDS)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1;
        if claimed {
            return Ok(KeyClaim::Claimed);
        }
        let found: Option<(String, Option<i64>, Option<String>)> = sqlx::query_as(
            "SELECT request_hash, status, response FROM idempotency_keys WHERE key_hash = $1",
        )
        .bind(key_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match found {
            Some((stored, _, _)) if stored != request_hash => KeyClaim::OtherRequest,
            Some((_, Some(status), Some(response))) => KeyClaim::Answered {
                status: u16::try_from(status).unwrap_or(500),
                response,
            },
            // Being processed, or let go between the two statements: the client tries again.
            _ => KeyClaim::InUse,
        })
    }

    /// Records the answer of the request that claimed the key.
    pub async fn answer_idempotency_key(
        &self,
        key_hash: &str,
        onboarding_id: &str,
        status: u16,
        response: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE idempotency_keys SET onboarding_id = $1, status = $2, response = $3 WHERE key_hash = $4",
        )
        .bind(onboarding_id)
        .bind(i64::from(status))
        .bind(response)
        .bind(key_hash)
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    /// Lets go of a key whose request failed: nothing was created, so the next request with it
    /// is carried out afresh.
    pub async fn release_idempotency_key(&self, key_hash: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM idempotency_keys WHERE key_hash = $1 AND status IS NULL")
            .bind(key_hash)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_key_answers_with_its_first_answer_for_a_day_and_only_for_its_request() {
        let store = crate::store::testing::scratch_store().await;
        let now = 1_000_000;
        assert_eq!(
            store.claim_idempotency_key("k1", "r1", now).await.unwrap(),
            KeyClaim::Claimed
        );
        assert_eq!(
            store
                .claim_idempotency_key("k1", "r1", now + 1)
                .await
                .unwrap(),
            KeyClaim::InUse,
            "while the first request runs"
        );
        store
            .answer_idempotency_key("k1", "o1", 201, "{\"a\":1}")
            .await
            .unwrap();
        assert_eq!(
            store
                .claim_idempotency_key("k1", "r1", now + 2)
                .await
                .unwrap(),
            KeyClaim::Answered {
                status: 201,
                response: "{\"a\":1}".into()
            }
        );
        assert_eq!(
            store
                .claim_idempotency_key("k1", "r2", now + 3)
                .await
                .unwrap(),
            KeyClaim::OtherRequest
        );
        assert_eq!(
            store
                .claim_idempotency_key("k1", "r2", now + KEY_LIFETIME_SECONDS)
                .await
                .unwrap(),
            KeyClaim::Claimed,
            "a day later the key is free"
        );
    }

    #[tokio::test]
    async fn a_key_whose_request_failed_or_crashed_is_free_again() {
        let store = crate::store::testing::scratch_store().await;
        let now = 2_000_000;
        store.claim_idempotency_key("k2", "r1", now).await.unwrap();
        store.release_idempotency_key("k2").await.unwrap();
        assert_eq!(
            store.claim_idempotency_key("k2", "r1", now).await.unwrap(),
            KeyClaim::Claimed
        );
        assert_eq!(
            store
                .claim_idempotency_key("k2", "r2", now + CLAIM_HOLDS_SECONDS)
                .await
                .unwrap(),
            KeyClaim::OtherRequest,
            "a stale claim is taken over only by the same request"
        );
        assert_eq!(
            store
                .claim_idempotency_key("k2", "r1", now + CLAIM_HOLDS_SECONDS)
                .await
                .unwrap(),
            KeyClaim::Claimed,
            "the first request crashed: the key is taken over"
        );
    }
}
