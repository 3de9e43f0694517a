//! Onboardings: one customer's identification each, and every change of its state.

use bankident_domain::IdentificationMode;

use super::history::record_transition;
use super::{
    Cause, Ending, HistoryState, ONBOARDING_COLUMNS, Onboarding, PartnerEventType, Store, now,
};

impl Store {
    /// An onboarding by its id.
    pub async fn onboarding(&self, id: &str) -> Result<Option<Onboarding>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {ONBOARDING_COLUMNS} FROM onboardings WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
    }

    /// The answers the partner already knew (JSON), while the onboarding is open.
    pub async fn prefill(&self, id: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT prefill FROM onboardings WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map(Option::flatten)
    }

    /// Records the created Solaris person.
    pub async fn set_person(&self, id: &str, person_id: &str) -> Result<(), sqlx::Error> {
        self.update(
            "UPDATE onboardings SET person_id = $1, person_requested_at = NULL, updated_at = $2 WHERE id = $3",
            &[person_id],
            id,
        )
        .await
    }

    /// Records that a person creation is being sent to Solaris: if its answer is lost, the next
    /// attempt looks for the person first.
    pub async fn set_person_requested(&self, id: &str) -> Result<(), sqlx::Error> {
        self.update(
            "UPDATE onboardings SET person_requested_at = $1, updated_at = $1 WHERE id = $2",
            &[],
            id,
        )
        .await
    }

    /// Records that the person creation was answered without making a person (a refusal).
    pub async fn set_person_request_answered(&self, id: &str) -> Result<(), sqlx::Error> {
        self.update(
            "UPDATE onboardings SET person_requested_at = NULL, updated_at = $1 WHERE id = $2",
            &[],
            id,
        )
        .await
    }

    /// Records when the customer's consents reached us.
    pub async fn set_consents_received(
        &self,
        id: &str,
        at: time::OffsetDateTime,
    ) -> Result<(), sqlx::Error> {
        let at = at
            .format(&time::format_description::well_known::Rfc3339)
            .expect("UTC timestamps always format");
        self.update(
            "UPDATE onboardings SET consents_received_at = $1, updated_at = $2 WHERE id = $3",
            &[&at],
            id,
        )
        .await
    }

    /// Records a new session, opened when the person had the identifications
    /// `known_identification_ids`; its outcome is pending. The partner's
    /// `onboarding.session_opened` event is written in the same transaction.
    pub async fn set_session(
        &self,
        id: &str,
        session_id: &str,
        url: &str,
        known_identification_ids: &[String],
        cause: Cause,
    ) -> Result<(), sqlx::Error> {
        let at = now();
        // A session is only opened once the person has its mobile number.
        let update = sqlx::query(
            "UPDATE onboardings SET session_id = $1, session_url = $2, known_identification_ids = $3, outcome_state = 'pending', \
             outcome_category = NULL, error_code = NULL, identification_id = NULL, ended_at = NULL, session_opened_at = $4, \
             mobile_number_created = 1, updated_at = $4 WHERE id = $5",
        )
        .bind(session_id)
        .bind(url)
        .bind(known_identification_ids.join(" "))
        .bind(&at)
        .bind(id);
        self.execute_reporting(update, PartnerEventType::SessionOpened, id, &cause)
            .await
    }

    /// Sets the mode the partner chose for this onboarding.
    pub async fn set_mode(&self, id: &str, mode: IdentificationMode) -> Result<(), sqlx::Error> {
        self.update(
            "UPDATE onboardings SET mode = $1, updated_at = $2 WHERE id = $3",
            &[mode.as_str()],
            id,
        )
        .await
    }

    /// API mode: records that an SMS code was requested now (Unix seconds `at`), and until
    /// when it works when that is known (a signature code). A code goes to a mobile number,
    /// so the person has one.
    pub async fn set_code_sent(
        &self,
        id: &str,
        at: i64,
        valid_until: Option<i64>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "UPDATE onboardings SET code_sent_at = $1, code_valid_until = $2, mobile_number_created = 1, updated_at = $3 WHERE id = $4",
        )
        .bind(at)
        .bind(valid_until)
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await
        .map(|_| ())
    }

    /// API mode: records a new bank identification; the outcome is pending again. The partner's
    /// `onboarding.session_opened` event (an identification was opened) is written in the same
    /// transaction.
    pub async fn set_bank_identification(
        &self,
        id: &str,
        identification_id: &str,
        cause: Cause,
    ) -> Result<(), sqlx::Error> {
        let at = now();
        let update = sqlx::query(
            "UPDATE onboardings SET bank_identification_id = $1, outcome_state = 'pending', outcome_category = NULL, \
             error_code = NULL, identification_id = NULL, ended_at = NULL, session_opened_at = $2, code_sent_at = NULL, \
             code_valid_until = NULL, mobile_number_created = 1, updated_at = $2 WHERE id = $3",
        )
        .bind(identification_id)
        .bind(&at)
        .bind(id);
        self.execute_reporting(update, PartnerEventType::SessionOpened, id, &cause)
            .await
    }

    /// API mode: an identification Solaris refused at creation (a 412) ends the onboarding
    /// with that code, as if it had failed: pending first, then final, with both events.
    pub async fn set_refused_identification(
        &self,
        id: &str,
        ending: &Ending,
        cause: Cause,
    ) -> Result<(), sqlx::Error> {
        let at = now();
        let mut transaction = self.pool.begin().await?;
        sqlx::query(
            "UPDATE onboardings SET bank_identification_id = NULL, outcome_state = 'pending', session_opened_at = $1, \
             mobile_number_created = 1, updated_at = $1 WHERE id = $2",
        )
        .bind(&at)
        .bind(id)
        .execute(&mut *transaction)
        .await?;
        self.report(
            &mut transaction,
            PartnerEventType::SessionOpened,
            id,
            &cause,
        )
        .await?;
        self.end(&mut transaction, id, ending, &cause).await?;
        transaction.commit().await
    }

    /// Records a final outcome, unless one was recorded already; the partner's
    /// `onboarding.ended` event is written in the same transaction. `true` if recorded now.
    pub async fn set_final_outcome(
        &self,
        id: &str,
        ending: &Ending,
        cause: Cause,
    ) -> Result<bool, sqlx::Error> {
        let mut transaction = self.pool.begin().await?;
        let ended = self.end(&mut transaction, id, ending, &cause).await?;
        transaction.commit().await?;
        Ok(ended)
    }

    /// The final outcome of a pending onboarding, with its event; the partner's prefill goes.
    pub(super) async fn end(
        &self,
        transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: &str,
        ending: &Ending,
        cause: &Cause,
    ) -> Result<bool, sqlx::Error> {
        let at = now();
        let ended = sqlx::query(
            "UPDATE onboardings SET outcome_state = 'final', outcome_category = $1, error_code = $2, identification_id = $3, \
             prefill = NULL, ended_at = $4, updated_at = $5 WHERE id = $6 AND outcome_state = 'pending'",
        )
        .bind(ending.category.code())
        .bind(ending.error_code.as_deref())
        .bind(ending.identification_id.as_deref())
        .bind(&at)
        .bind(&at)
        .bind(id)
        .execute(&mut **transaction)
        .await?
        .rows_affected()
            == 1;
        if ended {
            self.report(transaction, PartnerEventType::Ended, id, cause)
                .await?;
        }
        Ok(ended)
    }

    async fn update(&self, sql: &str, values: &[&str], id: &str) -> Result<(), sqlx::Error> {
        let mut query = sqlx::query(sql);
        for value in values {
            query = query.bind(*value);
        }
        query
            .bind(now())
            .bind(id)
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Forgets the Solaris ids of an onboarding whose person Solaris no longer knows; when that
    /// takes it back to `not_started`, its history records the change with its `cause`.
    pub async fn forget_person(&self, id: &str, cause: Cause) -> Result<(), sqlx::Error> {
        let forget = |only_started: bool| {
            sqlx::query(if only_started {
                "UPDATE onboardings SET person_id = NULL, mobile_number_created = 0, session_id = NULL, session_url = NULL, \
                 bank_identification_id = NULL, code_sent_at = NULL, code_valid_until = NULL, \
                 known_identification_ids = '', outcome_state = 'not_started', outcome_category = NULL, error_code = NULL, \
                 identification_id = NULL, session_opened_at = NULL, ended_at = NULL, updated_at = $1 \
                 WHERE id = $2 AND outcome_state NOT IN ('not_started', 'cancelled')"
            } else {
                "UPDATE onboardings SET person_id = NULL, mobile_number_created = 0, session_id = NULL, session_url = NULL, \
                 bank_identification_id = NULL, code_sent_at = NULL, code_valid_until = NULL, \
                 known_identification_ids = '', updated_at = $1 WHERE id = $2"
            })
            .bind(now())
            .bind(id)
        };
        let mut transaction = self.pool.begin().await?;
        if forget(true)
            .execute(&mut *transaction)
            .await?
            .rows_affected()
            == 1
        {
            record_transition(
                &mut transaction,
                id,
                HistoryState::NotStarted,
                (None, None),
                &cause,
            )
            .await?;
        } else {
            forget(false).execute(&mut *transaction).await?;
        }
        transaction.commit().await
    }

    /// Pending onboardings waiting on this session or person (for webhooks).
    pub async fn pending_onboardings(
        &self,
        session_id: Option<&str>,
        person_id: Option<&str>,
    ) -> Result<Vec<Onboarding>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {ONBOARDING_COLUMNS} FROM onboardings WHERE outcome_state = 'pending' AND (session_id = $1 OR person_id = $2)"
        ))
        .bind(session_id)
        .bind(person_id)
        .fetch_all(&self.pool)
        .await
    }

    /// The onboardings of a Solaris person, whatever their state.
    pub async fn onboardings_of_person(
        &self,
        person_id: &str,
    ) -> Result<Vec<Onboarding>, sqlx::Error> {
        sqlx::query_as(&format!(
            "SELECT {ONBOARDING_COLUMNS} FROM onboardings WHERE person_id = $1"
        ))
        .bind(person_id)
        .fetch_all(&self.pool)
        .await
    }
}

#[cfg(test)]
mod tests {
    use bankident_domain::OutcomeCategory;

    use super::*;
    use crate::store::OnboardingState;

    #[tokio::test]
    async fn onboardings_move_through_their_states() {
        let store = crate::store::testing::scratch_store().await;
        let created = store.create_onboarding("hash-1").await.unwrap();
        assert_eq!(created.outcome_state, OnboardingState::NotStarted);
        store.set_person(&created.id, "p1cper").await.unwrap();
        let known = ["i1cidt".to_string(), "i2cidt".to_string()];
        store
            .set_session(
                &created.id,
                "s1ises",
                "https://x/1",
                &known,
                Cause::Customer,
            )
            .await
            .unwrap();
        let read = store
            .onboarding_by_browser("hash-1")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (read.person_id.as_deref(), read.outcome_state),
            (Some("p1cper"), OnboardingState::Pending)
        );
        assert_eq!(read.known_identification_ids, known);
        assert_eq!(
            store
                .pending_onboardings(Some("s1ises"), None)
                .await
                .unwrap()
                .len(),
            1
        );
        let ending = Ending {
            category: OutcomeCategory::RetryWithAnotherIban,
            error_code: Some("JOINT_ACCOUNT".into()),
            identification_id: Some("i3cidt".into()),
        };
        assert!(
            store
                .set_final_outcome(&created.id, &ending, Cause::Customer)
                .await
                .unwrap()
        );
        assert!(
            !store
                .set_final_outcome(&created.id, &ending, Cause::Customer)
                .await
                .unwrap(),
            "an outcome is recorded once"
        );
        let read = store
            .onboarding_by_browser("hash-1")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(read.error_code.as_deref(), Some("JOINT_ACCOUNT"));
        assert!(
            store
                .onboarding_by_browser("other")
                .await
                .unwrap()
                .is_none()
        );
    }
}
