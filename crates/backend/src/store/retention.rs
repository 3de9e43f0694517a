//! The retention policy's deletions, each bounded to a batch so no transaction runs long: the
//! onboardings past their time are erased as any erasure is (tombstones remain), the rest is
//! deleted outright.

use super::erasure::Eraser;
use super::{Store, rfc3339};

/// Rows one statement of the retention job touches at most.
pub(crate) const RETENTION_BATCH: i64 = 500;

/// Which onboardings are past their time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expired {
    /// Never over, and unchanged since before this Unix second.
    Abandoned(i64),
    /// Over (final or cancelled) since before this Unix second.
    Finished(i64),
}

impl Store {
    /// Erases up to a batch of onboardings past their time; returns how many.
    pub async fn erase_expired(&self, expired: Expired) -> Result<u64, sqlx::Error> {
        let (sql, before) = match expired {
            Expired::Abandoned(before) => (
                "SELECT id FROM onboardings WHERE erased_at IS NULL AND outcome_state NOT IN ('final', 'cancelled') \
                 AND updated_at < $1 ORDER BY updated_at LIMIT $2",
                before,
            ),
            Expired::Finished(before) => (
                "SELECT id FROM onboardings WHERE erased_at IS NULL AND outcome_state IN ('final', 'cancelled') \
                 AND ended_at < $1 ORDER BY ended_at LIMIT $2",
                before,
            ),
        };
        let ids: Vec<String> = sqlx::query_scalar(sql)
            .bind(rfc3339(before))
            .bind(RETENTION_BATCH)
            .fetch_all(&self.pool)
            .await?;
        let mut erased = 0;
        for id in ids {
            let mut transaction = self.pool.begin().await?;
            if self
                .erase_in(&mut transaction, &id, &Eraser::Retention)
                .await?
            {
                erased += 1;
            }
            transaction.commit().await?;
        }
        Ok(erased)
    }

    /// Deletes up to a batch of partner events (with their delivery logs) that happened before
    /// `before` (Unix seconds) and are no longer pending; returns how many.
    pub async fn delete_old_events(&self, before: i64) -> Result<u64, sqlx::Error> {
        let old = "SELECT id FROM partner_events WHERE status <> 'pending' AND created_at < $1 ORDER BY sequence LIMIT $2";
        let mut transaction = self.pool.begin().await?;
        sqlx::query(&format!(
            "DELETE FROM partner_deliveries WHERE event_id IN ({old})"
        ))
        .bind(before)
        .bind(RETENTION_BATCH)
        .execute(&mut *transaction)
        .await?;
        let deleted = sqlx::query(&format!("DELETE FROM partner_events WHERE id IN ({old})"))
            .bind(before)
            .bind(RETENTION_BATCH)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        transaction.commit().await?;
        Ok(deleted)
    }

    /// Deletes up to a batch of records of Solaris' deliveries that came before `before` (Unix
    /// seconds); returns how many.
    pub async fn delete_old_solaris_webhooks(&self, before: i64) -> Result<u64, sqlx::Error> {
        self.delete_oldest(
            "webhook_events",
            "webhook_id",
            "received_at",
            rfc3339(before),
        )
        .await
    }

    /// Deletes up to a batch of start links that expired before `before` (Unix seconds);
    /// returns how many.
    pub async fn delete_old_start_links(&self, before: i64) -> Result<u64, sqlx::Error> {
        self.delete_oldest("start_links", "token_hash", "expires_at", before)
            .await
    }

    /// Deletes up to a batch of notes of erased browsers made before `before` (Unix seconds);
    /// returns how many.
    pub async fn delete_old_erased_browsers(&self, before: i64) -> Result<u64, sqlx::Error> {
        self.delete_oldest("erased_browsers", "key_hash", "erased_at", before)
            .await
    }

    /// Deletes up to a batch of idempotency keys claimed before `before` (Unix seconds);
    /// returns how many.
    pub async fn delete_old_idempotency_keys(&self, before: i64) -> Result<u64, sqlx::Error> {
        self.delete_oldest("idempotency_keys", "key_hash", "created_at", before)
            .await
    }

    /// Deletes up to a batch of `table`'s rows (by their `key`) whose `time` is before `before`,
    /// oldest first; returns how many. The names are this module's own, never a caller's input.
    async fn delete_oldest<T>(
        &self,
        table: &str,
        key: &str,
        time: &str,
        before: T,
    ) -> Result<u64, sqlx::Error>
    where
        T: 'static + Send + for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        let sql = format!(
            "DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {table} WHERE {time} < $1 ORDER BY {time} LIMIT $2)"
        );
        sqlx::query(&sql)
            .bind(before)
            .bind(RETENTION_BATCH)
            .execute(&self.pool)
            .await
            .map(|done| done.rows_affected())
    }
}
