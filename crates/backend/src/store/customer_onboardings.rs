//! The onboardings of the partner's customers, by the partner's customer reference: created on
//! first use, identified anew once over (a new onboarding linked to the one before), and
//! cancelled. Of one reference's onboardings, one is current: the one nothing replaced
//! (`next_onboarding_id IS NULL`, unique per reference in the database).

use super::browsers::let_go_of_browsers;
use super::{Cause, ONBOARDING_COLUMNS, Onboarding, PartnerEventType, Store, now};
use crate::ids::random_hex;

/// What asking for a new identification of a customer came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reidentified {
    /// A new onboarding, linked to the customer's one before (if there was one).
    New(Onboarding),
    /// The customer's current onboarding is not over; nothing changed.
    NotOver(Onboarding),
}

/// What cancelling an onboarding came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cancellation {
    /// Cancelled now.
    Cancelled(Onboarding),
    /// It was cancelled before (a retried call).
    AlreadyCancelled(Onboarding),
    /// It has its final outcome: nothing changed.
    AlreadyFinal,
    /// No such onboarding, or it was erased.
    Unknown,
}

/// The current onboarding of a reference, read in `transaction`.
async fn current_of(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    customer_reference: &str,
) -> Result<Option<Onboarding>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {ONBOARDING_COLUMNS} FROM onboardings WHERE customer_reference = $1 AND next_onboarding_id IS NULL"
    ))
    .bind(customer_reference)
    .fetch_optional(&mut **transaction)
    .await
}

impl Store {
    /// The current onboarding of a partner's customer.
    pub async fn onboarding_by_reference(
        &self,
        customer_reference: &str,
    ) -> Result<Option<Onboarding>, sqlx::Error> {
        let mut transaction = self.pool.begin().await?;
        let current = current_of(&mut transaction, customer_reference).await?;
        transaction.commit().await?;
        Ok(current)
    }

    /// The current onboarding of a partner's customer, created on first use: the same
    /// reference gets the same onboarding until the partner asks for a new identification. A
    /// `language` or `prefill` given again replaces the earlier one (the prefill only while no
    /// Solaris person exists and the onboarding is not over). Returns it and whether it is new.
    pub async fn customer_onboarding(
        &self,
        customer_reference: &str,
        language: Option<&str>,
        prefill: Option<&str>,
    ) -> Result<(Onboarding, bool), sqlx::Error> {
        let at = now();
        let created = sqlx::query(
            "INSERT INTO onboardings (id, customer_reference, language, prefill, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (customer_reference) WHERE next_onboarding_id IS NULL DO NOTHING",
        )
        .bind(random_hex(16))
        .bind(customer_reference)
        .bind(language)
        .bind(prefill)
        .bind(&at)
        .bind(&at)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1;
        if !created {
            sqlx::query(
                "UPDATE onboardings SET language = COALESCE($1, language), \
                 prefill = CASE WHEN $2 IS NOT NULL AND person_id IS NULL AND outcome_state NOT IN ('final', 'cancelled') \
                 THEN $3 ELSE prefill END, updated_at = $4 \
                 WHERE customer_reference = $5 AND next_onboarding_id IS NULL AND outcome_state <> 'cancelled'",
            )
            .bind(language)
            .bind(prefill)
            .bind(prefill)
            .bind(&at)
            .bind(customer_reference)
            .execute(&self.pool)
            .await?;
        }
        let onboarding = self
            .onboarding_by_reference(customer_reference)
            .await?
            .ok_or(sqlx::Error::RowNotFound)?;
        Ok((onboarding, created))
    }

    /// A new identification of a partner's customer: a new onboarding for the reference,
    /// linked to the current one when that is over (final or cancelled), which it replaces.
    /// Without an onboarding for the reference, simply the first one.
    pub async fn reidentify(
        &self,
        customer_reference: &str,
        language: Option<&str>,
        prefill: Option<&str>,
    ) -> Result<Reidentified, sqlx::Error> {
        let id = random_hex(16);
        let at = now();
        let mut transaction = self.pool.begin().await?;
        // Locks the row it replaces: a second request for the same reference waits, then finds
        // the new onboarding current (and not over).
        let previous: Option<String> = sqlx::query_scalar(
            "UPDATE onboardings SET next_onboarding_id = $1, updated_at = $2 \
             WHERE customer_reference = $3 AND next_onboarding_id IS NULL AND outcome_state IN ('final', 'cancelled') \
             RETURNING id",
        )
        .bind(&id)
        .bind(&at)
        .bind(customer_reference)
        .fetch_optional(&mut *transaction)
        .await?;
        let inserted = sqlx::query(
            "INSERT INTO onboardings (id, customer_reference, language, prefill, previous_onboarding_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (customer_reference) WHERE next_onboarding_id IS NULL DO NOTHING",
        )
        .bind(&id)
        .bind(customer_reference)
        .bind(language)
        .bind(prefill)
        .bind(previous.as_deref())
        .bind(&at)
        .bind(&at)
        .execute(&mut *transaction)
        .await?
        .rows_affected()
            == 1;
        if !inserted {
            let current = current_of(&mut transaction, customer_reference).await?;
            transaction.rollback().await?;
            return current
                .map(Reidentified::NotOver)
                .ok_or(sqlx::Error::RowNotFound);
        }
        transaction.commit().await?;
        self.onboarding(&id)
            .await?
            .map(Reidentified::New)
            .ok_or(sqlx::Error::RowNotFound)
    }

    /// Cancels an onboarding that is not over, in one transaction: its state becomes
    /// `cancelled` (recorded in its history with `cause`), the prefill goes, its browsers are
    /// let go (their next page says the identification was closed), its start links are
    /// revoked, and the partner's `onboarding.cancelled` event is written.
    pub async fn cancel_onboarding(
        &self,
        id: &str,
        cause: &Cause,
    ) -> Result<Cancellation, sqlx::Error> {
        let at = now();
        let mut transaction = self.pool.begin().await?;
        let cancelled = sqlx::query(
            "UPDATE onboardings SET outcome_state = 'cancelled', prefill = NULL, session_url = NULL, ended_at = $1, \
             updated_at = $1 WHERE id = $2 AND erased_at IS NULL AND outcome_state IN ('not_started', 'pending')",
        )
        .bind(&at)
        .bind(id)
        .execute(&mut *transaction)
        .await?
        .rows_affected()
            == 1;
        if !cancelled {
            transaction.rollback().await?;
            return Ok(match self.onboarding(id).await? {
                Some(found) if found.erased_at.is_some() => Cancellation::Unknown,
                Some(found) if found.outcome_state == super::OnboardingState::Cancelled => {
                    Cancellation::AlreadyCancelled(found)
                }
                Some(_) => Cancellation::AlreadyFinal,
                None => Cancellation::Unknown,
            });
        }
        let_go_of_browsers(&mut transaction, id).await?;
        self.report(&mut transaction, PartnerEventType::Cancelled, id, cause)
            .await?;
        transaction.commit().await?;
        Ok(match self.onboarding(id).await? {
            Some(found) => Cancellation::Cancelled(found),
            None => Cancellation::Unknown,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::OnboardingState;
    use bankident_domain::OutcomeCategory;

    async fn ended(store: &Store, id: &str) {
        store.set_person(id, "p1cper").await.unwrap();
        store
            .set_session(id, "s1ises", "https://x/1", &[], Cause::Customer)
            .await
            .unwrap();
        let ending = crate::store::Ending {
            category: OutcomeCategory::Success,
            error_code: None,
            identification_id: Some("i1cidt".into()),
        };
        store
            .set_final_outcome(id, &ending, Cause::Customer)
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn a_customer_is_identified_anew_only_once_the_onboarding_is_over() {
        let store = crate::store::testing::scratch_store().await;
        let (first, _) = store.customer_onboarding("c-1", None, None).await.unwrap();
        let Reidentified::NotOver(current) = store.reidentify("c-1", None, None).await.unwrap()
        else {
            panic!("an open onboarding was replaced");
        };
        assert_eq!(current.id, first.id);

        ended(&store, &first.id).await;
        let Reidentified::New(second) = store.reidentify("c-1", Some("de"), None).await.unwrap()
        else {
            panic!("no new identification");
        };
        assert_ne!(second.id, first.id);
        assert_eq!(
            second.previous_onboarding_id.as_deref(),
            Some(first.id.as_str())
        );
        assert_eq!(second.customer_reference.as_deref(), Some("c-1"));
        assert_eq!(second.outcome_state, OnboardingState::NotStarted);
        let first = store.onboarding(&first.id).await.unwrap().unwrap();
        assert_eq!(
            first.next_onboarding_id.as_deref(),
            Some(second.id.as_str())
        );
        assert_eq!(
            first.customer_reference.as_deref(),
            Some("c-1"),
            "it keeps its reference"
        );
        let (current, created) = store.customer_onboarding("c-1", None, None).await.unwrap();
        assert_eq!((current.id.as_str(), created), (second.id.as_str(), false));

        let Reidentified::New(fresh) = store.reidentify("c-new", None, None).await.unwrap() else {
            panic!("a reference without an onboarding gets its first");
        };
        assert_eq!(fresh.previous_onboarding_id, None);
    }

    #[tokio::test]
    async fn a_cancelled_onboarding_lets_its_browsers_go_and_stays_cancelled() {
        let store = crate::store::testing::scratch_store().await;
        let (onboarding, _) = store.customer_onboarding("c-2", None, None).await.unwrap();
        let link = store
            .create_start_link(&onboarding.id, 1_000, 3_600)
            .await
            .unwrap();
        store
            .redeem_start_link(&link.token, "browser-a", 1_100)
            .await
            .unwrap()
            .unwrap();
        let cause = Cause::Partner("ops".into());
        let Cancellation::Cancelled(cancelled) = store
            .cancel_onboarding(&onboarding.id, &cause)
            .await
            .unwrap()
        else {
            panic!("not cancelled");
        };
        assert_eq!(cancelled.outcome_state, OnboardingState::Cancelled);
        assert!(cancelled.ended_at.is_some());
        assert!(
            store
                .onboarding_by_browser("browser-a")
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store.browser_was_erased("browser-a").await.unwrap(),
            "its next page says so"
        );
        assert!(
            matches!(
                store
                    .cancel_onboarding(&onboarding.id, &cause)
                    .await
                    .unwrap(),
                Cancellation::AlreadyCancelled(_)
            ),
            "a retried cancel"
        );
        let history = store.history_of(&onboarding.id).await.unwrap();
        assert_eq!(history.len(), 1, "{history:?}");
        assert_eq!(history[0].api_key_name.as_deref(), Some("ops"));

        let (other, _) = store.customer_onboarding("c-3", None, None).await.unwrap();
        ended(&store, &other.id).await;
        assert_eq!(
            store.cancel_onboarding(&other.id, &cause).await.unwrap(),
            Cancellation::AlreadyFinal
        );
        assert_eq!(
            store.cancel_onboarding("no-such-id", &cause).await.unwrap(),
            Cancellation::Unknown
        );
    }
}
