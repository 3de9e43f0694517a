//! Solaris' webhooks: the secrets of our subscriptions, and the deliveries processed (each
//! recorded with the changes it made, once).

use super::Cause;
use super::erasure::Eraser;
use super::{Ending, Store, now};

/// What one webhook changes, applied together with recording it as processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookChange {
    /// An onboarding reached its final outcome.
    FinalOutcome {
        /// The onboarding.
        onboarding_id: String,
        /// How it ended.
        ending: Ending,
    },
    /// Solaris deleted the person: erase its onboardings (tombstones remain).
    ErasePerson(String),
    /// Whether the person's mobile number exists at Solaris.
    MobileNumberExists {
        /// The person.
        person_id: String,
        /// Exists.
        exists: bool,
    },
}

impl Store {
    /// Stores a webhook subscription's secret.
    pub async fn save_subscription(
        &self,
        id: &str,
        event_type: &str,
        secret: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO webhook_subscriptions (id, event_type, secret, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET event_type = excluded.event_type, secret = excluded.secret, \
             created_at = excluded.created_at")
            .bind(id)
            .bind(event_type)
            .bind(secret)
            .bind(now())
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// The secret of a subscription we made.
    pub async fn subscription_secret(&self, id: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT secret FROM webhook_subscriptions WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// `(id, secret)` of our subscriptions to `event_type`: a delivery of that event must be
    /// signed with one of these secrets.
    pub async fn subscriptions_for(
        &self,
        event_type: &str,
    ) -> Result<Vec<(String, String)>, sqlx::Error> {
        sqlx::query_as("SELECT id, secret FROM webhook_subscriptions WHERE event_type = $1")
            .bind(event_type)
            .fetch_all(&self.pool)
            .await
    }

    /// Forgets a subscription we deleted at Solaris.
    pub async fn delete_subscription(&self, id: &str) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM webhook_subscriptions WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Whether a delivery was processed before (a replay or a retry).
    pub async fn webhook_processed(&self, webhook_id: &str) -> Result<bool, sqlx::Error> {
        let found: Option<String> =
            sqlx::query_scalar("SELECT webhook_id FROM webhook_events WHERE webhook_id = $1")
                .bind(webhook_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }

    /// Records a delivery as processed and applies its changes, in one transaction: either
    /// both happen or neither. `false` if it was processed before (nothing is applied then).
    pub async fn apply_webhook(
        &self,
        webhook_id: &str,
        event_type: &str,
        entity_id: &str,
        changes: &[WebhookChange],
    ) -> Result<bool, sqlx::Error> {
        let record = sqlx::query("INSERT INTO webhook_events (webhook_id, event_type, entity_id, received_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (webhook_id) DO NOTHING")
            .bind(webhook_id)
            .bind(event_type)
            .bind(entity_id)
            .bind(now());
        if changes.is_empty() {
            // One statement needs no transaction (two round trips fewer).
            return Ok(record.execute(&self.pool).await?.rows_affected() == 1);
        }
        let mut transaction = self.pool.begin().await?;
        let recorded = record.execute(&mut *transaction).await?;
        if recorded.rows_affected() == 0 {
            return Ok(false);
        }
        for change in changes {
            match change {
                WebhookChange::FinalOutcome {
                    onboarding_id,
                    ending,
                } => {
                    self.end(
                        &mut transaction,
                        onboarding_id,
                        ending,
                        &Cause::SolarisWebhook,
                    )
                    .await?;
                }
                WebhookChange::ErasePerson(person_id) => {
                    // Every row is locked before the first erasure takes the event sequence's
                    // lock, so no other change can hold one of them while waiting for it.
                    let ids: Vec<String> = sqlx::query_scalar(
                        "UPDATE onboardings SET updated_at = updated_at WHERE person_id = $1 AND erased_at IS NULL RETURNING id",
                    )
                    .bind(person_id)
                    .fetch_all(&mut *transaction)
                    .await?;
                    for id in ids {
                        self.erase_in(&mut transaction, &id, &Eraser::Solaris)
                            .await?;
                    }
                    // An onboarding that forgot the person before (Solaris no longer knew it
                    // when asked) lives on; what still names the person goes all the same.
                    self.erase_mentions_of_person(&mut transaction, person_id)
                        .await?;
                }
                WebhookChange::MobileNumberExists { person_id, exists } => {
                    sqlx::query("UPDATE onboardings SET mobile_number_created = $1, updated_at = $2 WHERE person_id = $3")
                        .bind(i64::from(*exists))
                        .bind(now())
                        .bind(person_id)
                        .execute(&mut *transaction)
                        .await?;
                }
            }
        }
        transaction.commit().await?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_webhook_is_applied_with_its_record_once() {
        let store = crate::store::testing::scratch_store().await;
        let created = store.create_onboarding("hash-1").await.unwrap();
        store.set_person(&created.id, "p1cper").await.unwrap();
        store
            .set_session(&created.id, "s1ises", "https://x/1", &[], Cause::Customer)
            .await
            .unwrap();
        let success = [WebhookChange::FinalOutcome {
            onboarding_id: created.id.clone(),
            ending: Ending {
                category: bankident_domain::OutcomeCategory::Success,
                error_code: None,
                identification_id: Some("i1cidt".into()),
            },
        }];
        assert!(!store.webhook_processed("w1").await.unwrap());
        assert!(
            store
                .apply_webhook("w1", "IDENTIFICATION_SESSION", "s1ises", &success)
                .await
                .unwrap()
        );
        assert!(store.webhook_processed("w1").await.unwrap());
        let erase = [WebhookChange::ErasePerson("p1cper".into())];
        assert!(
            !store
                .apply_webhook("w1", "PERSON_DELETED", "p1cper", &erase)
                .await
                .unwrap(),
            "a replay applies nothing"
        );
        let read = store
            .onboarding_by_browser("hash-1")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            read.outcome_category,
            Some(bankident_domain::OutcomeCategory::Success)
        );
        assert!(
            store
                .apply_webhook("w2", "PERSON_DELETED", "p1cper", &erase)
                .await
                .unwrap()
        );
        assert!(
            store
                .onboarding_by_browser("hash-1")
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn a_deleted_person_an_onboarding_forgot_before_leaves_no_event_naming_it() {
        let store = crate::store::testing::scratch_store().await;
        let created = store.create_onboarding("hash-2").await.unwrap();
        store.set_person(&created.id, "p_2cper").await.unwrap();
        store
            .set_session(&created.id, "s2ises", "https://x/2", &[], Cause::Customer)
            .await
            .unwrap();
        let other = store.create_onboarding("hash-3").await.unwrap();
        store.set_person(&other.id, "p22cper").await.unwrap();
        store
            .set_session(&other.id, "s3ises", "https://x/3", &[], Cause::Customer)
            .await
            .unwrap();
        assert_eq!(store.events_of(&created.id).await.unwrap().len(), 1);
        store
            .forget_person(&created.id, Cause::Customer)
            .await
            .unwrap();
        let erase = [WebhookChange::ErasePerson("p_2cper".into())];
        assert!(
            store
                .apply_webhook("w3", "PERSON_DELETED", "p_2cper", &erase)
                .await
                .unwrap()
        );
        let kept = store.onboarding(&created.id).await.unwrap().unwrap();
        assert_eq!(kept.erased_at, None, "the onboarding had moved on");
        assert!(
            store.events_of(&created.id).await.unwrap().is_empty(),
            "the event naming the person is gone"
        );
        assert_eq!(
            store.events_of(&other.id).await.unwrap().len(),
            1,
            "p22cper is another person, even to LIKE's _"
        );
    }

    #[tokio::test]
    async fn subscriptions_are_found_by_event_type() {
        let store = crate::store::testing::scratch_store().await;
        store
            .save_subscription("sub1", "IDENTIFICATION", "s3cret")
            .await
            .unwrap();
        assert_eq!(
            store.subscription_secret("sub1").await.unwrap().as_deref(),
            Some("s3cret")
        );
        assert_eq!(
            store.subscriptions_for("IDENTIFICATION").await.unwrap(),
            [("sub1".to_string(), "s3cret".to_string())]
        );
        assert!(
            store
                .subscriptions_for("PERSON_DELETED")
                .await
                .unwrap()
                .is_empty()
        );
        store.delete_subscription("sub1").await.unwrap();
        assert!(
            store
                .subscriptions_for("IDENTIFICATION")
                .await
                .unwrap()
                .is_empty()
        );
        assert!(store.ping().await);
    }
}
