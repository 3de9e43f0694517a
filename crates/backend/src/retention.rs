//! The retention job: applies the retention policy ([`crate::config::retention`]) to what we
//! hold. Every instance runs it; a database-wide lock taken for an hour and never let go makes
//! it run at most once an hour across all of them, so two instances never do the same work.

use std::sync::Arc;
use std::time::Duration;

use crate::config::retention::RetentionPolicy;
use crate::store::Store;
use crate::store::idempotency::KEY_LIFETIME_SECONDS;
use crate::store::retention::{Expired, RETENTION_BATCH};

/// The lock that makes one instance apply the policy per period.
const LOCK: &str = "retention";
/// How often the policy is applied at most, across every instance.
const PERIOD_SECONDS: i64 = 3_600;
/// How often an instance looks whether the period is over.
const CHECK_EVERY: Duration = Duration::from_secs(600);
const DAY: i64 = 24 * 3_600;

/// What one application of the policy removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Onboardings that never ended, erased.
    pub abandoned_erased: u64,
    /// Finished onboardings, erased.
    pub finished_erased: u64,
    /// Partner events deleted, with their delivery logs.
    pub events_deleted: u64,
    /// Records of Solaris' deliveries deleted.
    pub solaris_webhooks_deleted: u64,
    /// Expired start links deleted.
    pub start_links_deleted: u64,
    /// Notes of erased browsers deleted.
    pub erased_browsers_deleted: u64,
    /// Idempotency keys past their day deleted, with the answers they kept.
    pub idempotency_keys_deleted: u64,
}

/// Runs one step of the policy until a batch comes back short; how many rows it took in all.
async fn drain<Step, Batch>(mut step: Step) -> Result<u64, sqlx::Error>
where
    Step: FnMut() -> Batch,
    Batch: Future<Output = Result<u64, sqlx::Error>>,
{
    let mut total = 0;
    loop {
        let done = step().await?;
        total += done;
        if done < RETENTION_BATCH.unsigned_abs() {
            return Ok(total);
        }
    }
}

/// Applies the retention policy.
pub struct Retention {
    store: Store,
    policy: RetentionPolicy,
}

impl Retention {
    /// The job for `store` under `policy`.
    pub fn new(store: Store, policy: RetentionPolicy) -> Retention {
        Retention { store, policy }
    }

    /// Applies the policy as of `now` (Unix seconds), batch after batch until nothing is left.
    pub async fn apply(&self, now: i64) -> Result<RetentionReport, sqlx::Error> {
        let (policy, store) = (self.policy, &self.store);
        let before = |days: i64| now - days * DAY;
        // The notes of erased browsers first, so those this run makes live their full time.
        let erased_browsers_deleted =
            drain(|| store.delete_old_erased_browsers(before(policy.abandoned_days))).await?;
        Ok(RetentionReport {
            abandoned_erased: drain(|| {
                store.erase_expired(Expired::Abandoned(before(policy.abandoned_days)))
            })
            .await?,
            finished_erased: drain(|| {
                store.erase_expired(Expired::Finished(before(policy.finished_days)))
            })
            .await?,
            events_deleted: drain(|| store.delete_old_events(before(policy.event_days))).await?,
            solaris_webhooks_deleted: drain(|| {
                store.delete_old_solaris_webhooks(before(policy.solaris_webhook_days))
            })
            .await?,
            start_links_deleted: drain(|| {
                store.delete_old_start_links(before(policy.start_link_days))
            })
            .await?,
            erased_browsers_deleted,
            idempotency_keys_deleted: drain(|| {
                store.delete_old_idempotency_keys(now - KEY_LIFETIME_SECONDS)
            })
            .await?,
        })
    }

    /// Applies the policy now unless an instance did within the period; `None` then.
    pub async fn apply_if_due(&self) -> Result<Option<RetentionReport>, sqlx::Error> {
        if self.store.try_lock(LOCK, PERIOD_SECONDS).await?.is_none() {
            return Ok(None);
        }
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        self.apply(now).await.map(Some)
    }

    /// Applies the policy once a period for as long as the backend runs.
    pub async fn keep_applying(self: Arc<Self>) {
        loop {
            match self.apply_if_due().await {
                Ok(Some(report)) => tracing::info!(
                    abandoned_erased = report.abandoned_erased,
                    finished_erased = report.finished_erased,
                    events_deleted = report.events_deleted,
                    solaris_webhooks_deleted = report.solaris_webhooks_deleted,
                    start_links_deleted = report.start_links_deleted,
                    erased_browsers_deleted = report.erased_browsers_deleted,
                    idempotency_keys_deleted = report.idempotency_keys_deleted,
                    "retention policy applied"
                ),
                Ok(None) => {}
                Err(error) => {
                    tracing::error!(%error, "retention policy not applied; trying again later")
                }
            }
            tokio::time::sleep(CHECK_EVERY).await;
        }
    }
}
