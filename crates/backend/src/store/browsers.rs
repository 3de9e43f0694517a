//! Browsers bound to onboardings (by the hash of their cookie's key), and the demo mode's
//! onboardings that a browser starts itself.

use super::{ONBOARDING_COLUMNS, Onboarding, Store, now};
use crate::ids::random_hex;

/// Binds a browser to an onboarding (a browser bound elsewhere before follows the new one). A
/// browser whose earlier onboarding was erased or cancelled is no longer told so: it has a new
/// one now (the customer identified anew, or onboarded afresh).
pub(super) async fn bind_browser(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    browser_key_hash: &str,
    onboarding_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM erased_browsers WHERE key_hash = $1")
        .bind(browser_key_hash)
        .execute(&mut **transaction)
        .await?;
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

/// Lets go of an onboarding's browsers and start links, inside an erasure's or a
/// cancellation's transaction: each browser's cookie hash is noted (`erased_browsers`, nothing
/// else about it), so that its next page says the identification was closed instead of asking
/// for a link.
pub(super) async fn let_go_of_browsers(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    onboarding_id: &str,
) -> Result<(), sqlx::Error> {
    let unix_now = time::OffsetDateTime::now_utc().unix_timestamp();
    sqlx::query(
        "INSERT INTO erased_browsers (key_hash, erased_at) SELECT key_hash, $1 FROM browsers WHERE onboarding_id = $2 \
         ON CONFLICT (key_hash) DO NOTHING",
    )
    .bind(unix_now)
    .bind(onboarding_id)
    .execute(&mut **transaction)
    .await?;
    for statement in [
        "DELETE FROM browsers WHERE onboarding_id = $1",
        "DELETE FROM start_links WHERE onboarding_id = $1",
    ] {
        sqlx::query(statement)
            .bind(onboarding_id)
            .execute(&mut **transaction)
            .await?;
    }
    Ok(())
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
