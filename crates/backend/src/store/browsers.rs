//! Browsers bound to onboardings (by the hash of their cookie's key), and the demo mode's
//! onboardings that a browser starts itself.

use super::{ONBOARDING_COLUMNS, Onboarding, Store, now};
use crate::ids::random_hex;

/// Binds a browser to an onboarding (a browser bound elsewhere before follows the new one).
pub(super) async fn bind_browser(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    browser_key_hash: &str,
    onboarding_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO browsers (key_hash, onboarding_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key_hash) DO UPDATE SET onboarding_id = excluded.onboarding_id",
    )
    .bind(browser_key_hash)
    .bind(onboarding_id)
    .bind(now())
    .execute(&mut **transaction)
    .await
    .map(|_| ())
}

impl Store {
    /// The onboarding of a browser, by the hash of its cookie.
    pub async fn onboarding_by_browser(
        &self,
        browser_key_hash: &str,
    ) -> Result<Option<Onboarding>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {ONBOARDING_COLUMNS} FROM onboardings WHERE id = (SELECT onboarding_id FROM browsers WHERE key_hash = $1)"
        ))
        .bind(browser_key_hash)
        .fetch_optional(&self.pool)
        .await
    }

    /// Starts an onboarding for a browser (the demo mode, without a partner's customer). When
    /// another request (on any instance) started one for this browser first, that one is it.
    pub async fn create_onboarding(
        &self,
        browser_key_hash: &str,
    ) -> Result<Onboarding, sqlx::Error> {
        let id = random_hex(16);
        let at = now();
        let mut transaction = self.pool.begin().await?;
        let created: Onboarding = sqlx::query_as(&format!(
            "INSERT INTO onboardings (id, created_at, updated_at) VALUES ($1, $2, $3) RETURNING {ONBOARDING_COLUMNS}"
        ))
        .bind(&id)
        .bind(&at)
        .bind(&at)
        .fetch_one(&mut *transaction)
        .await?;
        let bound = sqlx::query(
            "INSERT INTO browsers (key_hash, onboarding_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key_hash) DO NOTHING",
        )
        .bind(browser_key_hash)
        .bind(&id)
        .bind(&at)
        .execute(&mut *transaction)
        .await?
        .rows_affected()
            == 1;
        if !bound {
            transaction.rollback().await?;
            return self
                .onboarding_by_browser(browser_key_hash)
                .await?
                .ok_or(sqlx::Error::RowNotFound);
        }
        transaction.commit().await?;
        Ok(created)
    }
}
