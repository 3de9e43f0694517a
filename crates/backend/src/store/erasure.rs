//! Erasure: everything we hold about a customer goes in one transaction, and the onboarding
//! stays as a tombstone (its id, the state it had, when and at whose request) so the partner API
//! can answer `erased` and the partner's systems hear `onboarding.erased`. A crash in the middle
//! leaves either all of it erased or none.

use super::Cause;
use super::browsers::let_go_of_browsers;
use super::outbox::PartnerEventType;
use super::{ONBOARDING_COLUMNS, Onboarding, Store, now};

/// Who asks for an erasure: the partner (with its API key's name), Solaris (it deleted the
/// person) or the retention policy. A customer's browser never erases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Eraser {
    /// The partner API, with the name of the call's API key.
    Partner(String),
    /// Solaris deleted the person.
    Solaris,
    /// The retention policy.
    Retention,
}

/// Who asked for an erasure, as a tombstone's `erased_by` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErasedBy {
    /// The partner.
    Partner,
    /// Solaris deleted the person.
    Solaris,
    /// The retention policy.
    Retention,
}

impl Eraser {
    /// The tombstone's `erased_by`.
    pub fn erased_by(&self) -> &'static str {
        match self {
            Eraser::Partner(_) => "partner",
            Eraser::Solaris => "solaris",
            Eraser::Retention => "retention",
        }
    }

    /// The erasure's cause in the history.
    fn cause(&self) -> Cause {
        match self {
            Eraser::Partner(key) => Cause::Partner(key.clone()),
            Eraser::Solaris => Cause::SolarisWebhook,
            Eraser::Retention => Cause::Retention,
        }
    }
}

/// What an erasure found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Erasure {
    /// Erased now; the tombstone.
    Erased(Onboarding),
    /// Erased before; the tombstone.
    AlreadyErased(Onboarding),
    /// No such onboarding.
    Unknown,
}

impl Store {
    /// Erases an onboarding in one transaction.
    pub async fn erase_onboarding(&self, id: &str, by: &Eraser) -> Result<Erasure, sqlx::Error> {
        let mut transaction = self.pool.begin().await?;
        let erased = self.erase_in(&mut transaction, id, by).await?;
        transaction.commit().await?;
        let Some(tombstone) = self.onboarding(id).await? else {
            return Ok(Erasure::Unknown);
        };
        Ok(if erased {
            Erasure::Erased(tombstone)
        } else {
            Erasure::AlreadyErased(tombstone)
        })
    }

    /// Erases an onboarding inside `transaction`; `false` if there is none left to erase (it
    /// does not exist, or was erased before).
    pub(super) async fn erase_in(
        &self,
        transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
        id: &str,
        by: &Eraser,
    ) -> Result<bool, sqlx::Error> {
        // Locks the row first, so a change of it waits for the erasure and then finds nothing.
        let onboarding: Option<Onboarding> = sqlx::query_as(&format!(
            "UPDATE onboardings SET updated_at = $1 WHERE id = $2 AND erased_at IS NULL RETURNING {ONBOARDING_COLUMNS}"
        ))
        .bind(now())
        .bind(id)
        .fetch_optional(&mut **transaction)
        .await?;
        let Some(onboarding) = onboarding else {
            return Ok(false);
        };
        let_go_of_browsers(transaction, id).await?;
        for statement in [
            "DELETE FROM partner_deliveries WHERE event_id IN (SELECT id FROM partner_events WHERE onboarding_id = $1)",
            "DELETE FROM partner_events WHERE onboarding_id = $1",
            "DELETE FROM idempotency_keys WHERE onboarding_id = $1",
        ] {
            sqlx::query(statement)
                .bind(id)
                .execute(&mut **transaction)
                .await?;
        }
        // Solaris' deliveries about the customer name the person, its sessions and its
        // identifications.
        let solaris_ids = onboarding
            .person_id
            .iter()
            .chain(&onboarding.session_id)
            .chain(&onboarding.identification_id)
            .chain(&onboarding.bank_identification_id)
            .chain(onboarding.known_identification_ids.iter());
        for entity in solaris_ids {
            sqlx::query("DELETE FROM webhook_events WHERE entity_id = $1")
                .bind(entity)
                .execute(&mut **transaction)
                .await?;
        }
        self.report(transaction, PartnerEventType::Erased, id, &by.cause())
            .await?;
        // The history keeps only its erasure: the outcomes before were about the customer.
        sqlx::query(
            "DELETE FROM onboarding_history WHERE onboarding_id = $1 AND position < \
             (SELECT MAX(position) FROM onboarding_history WHERE onboarding_id = $1)",
        )
        .bind(id)
        .execute(&mut **transaction)
        .await?;
        sqlx::query(
            "UPDATE onboardings SET customer_reference = NULL, language = NULL, prefill = NULL, person_id = NULL, \
             mobile_number_created = 0, session_id = NULL, session_url = NULL, known_identification_ids = '', \
             outcome_category = NULL, error_code = NULL, identification_id = NULL, consents_received_at = NULL, \
             session_opened_at = NULL, person_requested_at = NULL, mode = NULL, bank_identification_id = NULL, \
             code_sent_at = NULL, code_valid_until = NULL, leased_by = NULL, leased_until = NULL, \
             erased_at = $1, erased_by = $2, updated_at = $1 WHERE id = $3",
        )
        .bind(now())
        .bind(by.erased_by())
        .bind(id)
        .execute(&mut **transaction)
        .await?;
        Ok(true)
    }

    /// Deletes what still names a person once no onboarding holds it: the partner events whose
    /// body names it (with their deliveries) and Solaris' deliveries about it.
    pub(super) async fn erase_mentions_of_person(
        &self,
        transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
        person_id: &str,
    ) -> Result<(), sqlx::Error> {
        // Our own compact JSON names the person exactly so; the id's LIKE wildcards are escaped.
        let escaped = person_id
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%\"person_id\":\"{escaped}\"%");
        let naming = "SELECT id FROM partner_events WHERE payload LIKE $1 ESCAPE '\\'";
        for statement in [
            format!("DELETE FROM partner_deliveries WHERE event_id IN ({naming})"),
            format!("DELETE FROM partner_events WHERE id IN ({naming})"),
        ] {
            sqlx::query(&statement)
                .bind(&pattern)
                .execute(&mut **transaction)
                .await?;
        }
        sqlx::query("DELETE FROM webhook_events WHERE entity_id = $1")
            .bind(person_id)
            .execute(&mut **transaction)
            .await
            .map(|_| ())
    }

    /// Whether a browser's onboarding was erased (by its cookie's hash).
    pub async fn browser_was_erased(&self, key_hash: &str) -> Result<bool, sqlx::Error> {
        let found: Option<String> =
            sqlx::query_scalar("SELECT key_hash FROM erased_browsers WHERE key_hash = $1")
                .bind(key_hash)
                .fetch_optional(&self.pool)
                .await?;
        Ok(found.is_some())
    }
}
