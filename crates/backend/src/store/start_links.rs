//! Single-use start links: the partner API hands one out per request; opening it binds the
//! browser to the customer's onboarding. Only the token's SHA-256 is stored.

use super::browsers::bind_browser;
use super::{Onboarding, Store, now};
use crate::ids::{random_hex, sha256_hex};

/// A start link's token and when it stops working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartLink {
    /// The secret in the link (64 hex digits).
    pub token: String,
    /// Unix seconds.
    pub expires_at: i64,
}

/// Why a start link does not open the onboarding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// No such link (mistyped, or its onboarding was erased).
    Unknown,
    /// Past its expiry.
    Expired,
    /// Opened before, in another browser.
    Used,
    /// The database did not answer: try again.
    Unavailable,
}

impl LinkProblem {
    /// The name the app's link page shows the explanation for.
    pub fn code(self) -> &'static str {
        match self {
            LinkProblem::Unknown => "unknown",
            LinkProblem::Expired => "expired",
            LinkProblem::Used => "used",
            LinkProblem::Unavailable => "unavailable",
        }
    }
}

/// Whether a text has the shape of a start link's token (anything else is not looked up).
pub fn is_token(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

impl Store {
    /// A new start link for an onboarding, valid for `lifetime_seconds` from `now_unix`.
    pub async fn create_start_link(
        &self,
        onboarding_id: &str,
        now_unix: i64,
        lifetime_seconds: i64,
    ) -> Result<StartLink, sqlx::Error> {
        let link = StartLink {
            token: random_hex(32),
            expires_at: now_unix + lifetime_seconds,
        };
        self.add_start_link(onboarding_id, link).await
    }

    /// A new start link with a token the caller made (64 hex digits, derived so that it can
    /// be given again: an idempotent create's answer).
    pub async fn add_start_link(
        &self,
        onboarding_id: &str,
        link: StartLink,
    ) -> Result<StartLink, sqlx::Error> {
        let mut transaction = self.pool.begin().await?;
        // A new link replaces the ones nobody opened yet: a retried create leaves one live link.
        sqlx::query("DELETE FROM start_links WHERE onboarding_id = $1 AND used_at IS NULL")
            .bind(onboarding_id)
            .execute(&mut *transaction)
            .await?;
        // The same token again (a create carried out again after its first try crashed) keeps
        // the link it made, opened or not.
        sqlx::query(
            "INSERT INTO start_links (token_hash, onboarding_id, expires_at, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (token_hash) DO NOTHING",
        )
        .bind(sha256_hex(&link.token))
        .bind(onboarding_id)
        .bind(link.expires_at)
        .bind(now())
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(link)
    }

    /// Revokes every start link of an onboarding; returns how many there were. A browser that
    /// opened one stays bound to the onboarding.
    pub async fn revoke_start_links(&self, onboarding_id: &str) -> Result<u64, sqlx::Error> {
        sqlx::query("DELETE FROM start_links WHERE onboarding_id = $1")
            .bind(onboarding_id)
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected())
    }

    /// Opens a start link in a browser: the first browser to open it (before it expires) is
    /// bound to its onboarding; the same browser may open it again.
    pub async fn redeem_start_link(
        &self,
        token: &str,
        browser_key_hash: &str,
        now_unix: i64,
    ) -> Result<Result<Onboarding, LinkProblem>, sqlx::Error> {
        if !is_token(token) {
            return Ok(Err(LinkProblem::Unknown));
        }
        let token_hash = sha256_hex(token);
        let mut transaction = self.pool.begin().await?;
        let claimed = sqlx::query(
            "UPDATE start_links SET used_at = $1, used_by_key_hash = $2 \
             WHERE token_hash = $3 AND used_at IS NULL AND expires_at > $4",
        )
        .bind(now_unix)
        .bind(browser_key_hash)
        .bind(&token_hash)
        .bind(now_unix)
        .execute(&mut *transaction)
        .await?
        .rows_affected()
            == 1;
        let link: Option<(String, i64, Option<String>)> = sqlx::query_as(
            "SELECT onboarding_id, expires_at, used_by_key_hash FROM start_links WHERE token_hash = $1",
        )
        .bind(&token_hash)
        .fetch_optional(&mut *transaction)
        .await?;
        let Some((onboarding_id, expires_at, used_by)) = link else {
            return Ok(Err(LinkProblem::Unknown));
        };
        let same_browser = used_by.as_deref() == Some(browser_key_hash);
        if !claimed && !same_browser {
            return Ok(Err(if used_by.is_some() {
                LinkProblem::Used
            } else {
                LinkProblem::Expired
            }));
        }
        if !claimed && expires_at <= now_unix {
            // A reload after expiry is harmless: the browser is bound already.
            tracing::debug!("start link opened again after expiry by its browser");
        }
        bind_browser(&mut transaction, browser_key_hash, &onboarding_id).await?;
        transaction.commit().await?;
        Ok(self
            .onboarding(&onboarding_id)
            .await?
            .ok_or(LinkProblem::Unknown))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_start_link_binds_one_browser_once_until_it_expires() {
        let store = crate::store::testing::scratch_store().await;
        let (onboarding, created) = store
            .customer_onboarding("customer-1", Some("en"), None)
            .await
            .unwrap();
        assert!(created);
        let link = store
            .create_start_link(&onboarding.id, 1_000, 3_600)
            .await
            .unwrap();
        assert_eq!(link.expires_at, 4_600);
        let opened = store
            .redeem_start_link(&link.token, "browser-a", 1_100)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(opened.id, onboarding.id);
        assert_eq!(
            store
                .onboarding_by_browser("browser-a")
                .await
                .unwrap()
                .map(|found| found.id),
            Some(onboarding.id.clone())
        );
        assert!(
            store
                .redeem_start_link(&link.token, "browser-a", 1_200)
                .await
                .unwrap()
                .is_ok(),
            "a reload in the same browser"
        );
        assert_eq!(
            store
                .redeem_start_link(&link.token, "browser-b", 1_200)
                .await
                .unwrap(),
            Err(LinkProblem::Used)
        );
        let late = store
            .create_start_link(&onboarding.id, 1_000, 60)
            .await
            .unwrap();
        assert_eq!(
            store
                .redeem_start_link(&late.token, "browser-b", 1_060)
                .await
                .unwrap(),
            Err(LinkProblem::Expired)
        );
        assert_eq!(
            store
                .redeem_start_link(&"0".repeat(64), "browser-b", 1_000)
                .await
                .unwrap(),
            Err(LinkProblem::Unknown)
        );
        assert_eq!(
            store
                .redeem_start_link("not a token", "browser-b", 1_000)
                .await
                .unwrap(),
            Err(LinkProblem::Unknown)
        );
        assert!(
            store
                .onboarding_by_browser("browser-b")
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn a_customer_reference_always_gets_the_same_onboarding() {
        let store = crate::store::testing::scratch_store().await;
        let (first, created) = store
            .customer_onboarding("c-7", None, Some(r#"{"first_name":"Anna"}"#))
            .await
            .unwrap();
        assert!(created);
        let (again, created) = store
            .customer_onboarding("c-7", Some("de"), Some(r#"{"first_name":"Ann"}"#))
            .await
            .unwrap();
        assert!(!created);
        assert_eq!(again.id, first.id);
        assert_eq!(again.language.as_deref(), Some("de"));
        assert_eq!(
            store.prefill(&first.id).await.unwrap().as_deref(),
            Some(r#"{"first_name":"Ann"}"#)
        );
        store.set_person(&first.id, "p1cper").await.unwrap();
        store
            .customer_onboarding("c-7", None, Some(r#"{"first_name":"Zed"}"#))
            .await
            .unwrap();
        assert_eq!(
            store.prefill(&first.id).await.unwrap().as_deref(),
            Some(r#"{"first_name":"Ann"}"#),
            "the person exists: its answers come from the customer now"
        );
    }
}
