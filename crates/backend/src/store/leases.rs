//! Leases on onboardings: the database-held guard that keeps two requests for one customer
//! (double clicks, two devices, two backend instances) from opening two sessions.

use std::time::Duration;

use super::{ONBOARDING_COLUMNS, Onboarding, Store};
use crate::ids::random_hex;

/// How long a lease holds unless renewed: a holder that crashed blocks its onboarding this long
/// at most. A live holder renews it every third of this.
const LEASE_FOR: Duration = if cfg!(test) {
    Duration::from_millis(600)
} else {
    Duration::from_secs(10)
};
/// How long a request waits for another's lease before it gives up.
const WAIT_AT_MOST: Duration = Duration::from_secs(45);
/// How often a waiting request looks again.
const LOOK_AGAIN: Duration = Duration::from_millis(25);

fn unix_ms() -> i64 {
    i64::try_from(time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000)
        .unwrap_or(i64::MAX)
}

/// A lease held on an onboarding, renewed in the background while held; let go with
/// [`Lease::release`], or on drop (in the background), or when it runs out after a crash.
pub struct Lease {
    store: Store,
    onboarding_id: String,
    holder: String,
    released: bool,
    renewal: tokio::task::JoinHandle<()>,
}

impl Lease {
    /// Lets go of the lease.
    pub async fn release(mut self) {
        self.released = true;
        self.renewal.abort();
        let _ = self
            .store
            .release_lease(&self.onboarding_id, &self.holder)
            .await;
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.renewal.abort();
        if self.released {
            return;
        }
        let store = self.store.clone();
        let onboarding_id = std::mem::take(&mut self.onboarding_id);
        let holder = std::mem::take(&mut self.holder);
        // An early return (an error) drops the lease: let go without making the caller wait.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let _ = store.release_lease(&onboarding_id, &holder).await;
            });
        }
    }
}

/// What asking for an onboarding's lease came to.
pub enum Leased {
    /// Held, with the onboarding as it stands now (read in the same statement).
    Held(Lease, Box<Onboarding>),
    /// Another request held it for [`WAIT_AT_MOST`].
    Busy,
    /// There is no such onboarding (any more).
    Gone,
}

impl Store {
    /// Takes the onboarding's lease, waiting while another request holds it, and reads the
    /// onboarding as the lease is taken.
    pub async fn lease(&self, onboarding_id: &str) -> Result<Leased, sqlx::Error> {
        let holder = random_hex(8);
        let started = std::time::Instant::now();
        loop {
            let now = unix_ms();
            let until = now + i64::try_from(LEASE_FOR.as_millis()).unwrap_or(i64::MAX);
            let taken: Option<Onboarding> = sqlx::query_as(&format!(
                "UPDATE onboardings SET leased_by = $1, leased_until = $2 \
                 WHERE id = $3 AND (leased_until IS NULL OR leased_until <= $4) RETURNING {ONBOARDING_COLUMNS}"
            ))
            .bind(&holder)
            .bind(until)
            .bind(onboarding_id)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
            if let Some(onboarding) = taken {
                let renewal = tokio::spawn(
                    self.clone()
                        .keep_renewing(onboarding_id.to_string(), holder.clone()),
                );
                let lease = Lease {
                    store: self.clone(),
                    onboarding_id: onboarding_id.to_string(),
                    holder,
                    released: false,
                    renewal,
                };
                return Ok(Leased::Held(lease, Box::new(onboarding)));
            }
            if self.onboarding(onboarding_id).await?.is_none() {
                return Ok(Leased::Gone);
            }
            if started.elapsed() > WAIT_AT_MOST {
                return Ok(Leased::Busy);
            }
            tokio::time::sleep(LOOK_AGAIN).await;
        }
    }

    /// Extends a held lease every third of [`LEASE_FOR`] until aborted (or lost).
    async fn keep_renewing(self, onboarding_id: String, holder: String) {
        loop {
            tokio::time::sleep(LEASE_FOR / 3).await;
            let until = unix_ms() + i64::try_from(LEASE_FOR.as_millis()).unwrap_or(i64::MAX);
            let renewed = sqlx::query(
                "UPDATE onboardings SET leased_until = $1 WHERE id = $2 AND leased_by = $3",
            )
            .bind(until)
            .bind(&onboarding_id)
            .bind(&holder)
            .execute(&self.pool)
            .await;
            match renewed {
                Ok(result) if result.rows_affected() == 1 => {}
                Ok(_) => return,
                Err(error) => tracing::warn!(%error, "a lease could not be renewed"),
            }
        }
    }

    async fn release_lease(&self, onboarding_id: &str, holder: &str) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE onboardings SET leased_by = NULL, leased_until = NULL WHERE id = $1 AND leased_by = $2",
        )
        .bind(onboarding_id)
        .bind(holder)
        .execute(&self.pool)
        .await
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_holder_at_a_time_and_a_dropped_lease_lets_go() {
        let store = crate::store::testing::scratch_store().await;
        let onboarding = store.create_onboarding("browser").await.unwrap();
        let Leased::Held(first, _) = store.lease(&onboarding.id).await.unwrap() else {
            panic!("free")
        };
        let waiting = {
            let store = store.clone();
            let id = onboarding.id.clone();
            tokio::spawn(async move { matches!(store.lease(&id).await.unwrap(), Leased::Held(..)) })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(
            !waiting.is_finished(),
            "the second waits while the first holds it"
        );
        first.release().await;
        assert!(waiting.await.unwrap(), "then it gets it");
        assert!(
            matches!(
                store.lease("no-such-onboarding").await.unwrap(),
                Leased::Gone
            ),
            "an erased onboarding is not waited for"
        );
        // Dropped without release (an error path): let go in the background.
        let dropped = store.lease(&onboarding.id).await;
        drop(dropped);
        assert!(matches!(
            store.lease(&onboarding.id).await.unwrap(),
            Leased::Held(..)
        ));
    }

    #[tokio::test]
    async fn a_held_lease_is_renewed_and_a_vanished_holders_runs_out() {
        let store = crate::store::testing::scratch_store().await;
        let onboarding = store.create_onboarding("browser").await.unwrap();
        let Leased::Held(held, _) = store.lease(&onboarding.id).await.unwrap() else {
            panic!("free")
        };
        let waiting = {
            let store = store.clone();
            let id = onboarding.id.clone();
            tokio::spawn(async move { matches!(store.lease(&id).await.unwrap(), Leased::Held(..)) })
        };
        tokio::time::sleep(LEASE_FOR * 3).await;
        assert!(!waiting.is_finished(), "renewed while held");
        // The holder vanishes (a crash): its renewal stops and nobody lets go.
        held.renewal.abort();
        std::mem::forget(held);
        tokio::time::sleep(LEASE_FOR * 2).await;
        assert!(waiting.is_finished(), "the lease ran out");
        assert!(waiting.await.unwrap());
    }
}
