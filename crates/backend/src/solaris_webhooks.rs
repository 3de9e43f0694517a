//! Solaris' webhooks: what a delivery to `POST /api/solaris/webhooks` changes, and our
//! subscriptions.
//!
//! A delivery must carry the HMAC-SHA256 of its raw body under the secret of one of our
//! subscriptions to the event type it names (`Solaris-Webhook-Signature: sha256=<hex>`, compared
//! in constant time); anything else gets 401 and changes nothing. What it changes is decided from
//! the signed body and from Solaris' own answers, never from unsigned headers: session and
//! person ids come from the payload, and events whose body carries no id (`PERSON_DELETED`,
//! `PERSON_MOBILE_NUMBER_CREATED`, …) only make us ask Solaris about the person the
//! `Solaris-Entity-Id` header names. A delivery is recorded as processed in the same
//! transaction that applies it, and one that cannot be applied answers 503 so Solaris retries.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use std::sync::Arc;

use bankident_domain::CustomerPlace;
use serde::Deserialize;
use solaris_contract::{EventType, SUBSCRIPTION_VERIFICATION, WebhookHeaders, signature_matches};

use crate::config::Config;
use crate::onboarding::Onboardings;
use crate::onboarding::outcome::Standing;
use crate::solaris::SolarisClient;
use crate::store::{Store, WebhookChange};
use crate::telemetry::metrics;

/// The events the guide recommends, plus `IDENTIFICATION` for failure reasons.
pub const EVENTS: [EventType; 6] = EventType::ALL;
/// First delay before subscribing again after a failure; doubles up to [`RETRY_MAX`].
const RETRY_BASE: Duration = Duration::from_secs(2);
/// Longest delay between two subscription attempts.
const RETRY_MAX: Duration = Duration::from_secs(300);

/// What a delivery came to, for the answer Solaris gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// Processed now or before, or nothing for us: 200.
    Accepted,
    /// Not signed by a secret of ours for its event type: 401, nothing changed.
    Unauthorized,
    /// Signed but without a delivery id: 400.
    Malformed,
    /// It could not be applied now (database or Solaris unavailable): 503, so Solaris retries.
    Unavailable,
}

/// Solaris' webhooks: the intake of deliveries and our subscriptions. One per instance.
pub struct SolarisWebhooks {
    config: Arc<Config>,
    store: Store,
    solaris: Arc<SolarisClient>,
    onboardings: Arc<Onboardings>,
    secrets: WebhookSecrets,
}

/// The ids a payload may carry (the signed part of a delivery).
#[derive(Debug, Default, Deserialize)]
struct Payload {
    id: Option<String>,
    person_id: Option<String>,
}

/// How long secrets read from the database verify deliveries without reading them again: a
/// subscription deleted by another instance stops verifying here within this time.
const SECRETS_FRESH_FOR: Duration = Duration::from_secs(60);

/// Our subscriptions' `(id, secret)` by event type, as this instance last read them. Deliveries
/// are checked against these first; only one that none of them verifies (a subscription made
/// since, by any instance, or a forgery) reads the database. That spares every genuine delivery
/// a read (two of the about twenty statements of an onboarding). Only the six event types we
/// subscribe to are kept, so a sender cannot grow it.
#[derive(Debug, Default)]
struct WebhookSecrets(std::sync::Mutex<HashMap<EventType, (Instant, Subscriptions)>>);

/// `(id, secret)` of our subscriptions to one event type.
type Subscriptions = Vec<(String, String)>;

impl WebhookSecrets {
    /// Whether `verifies` holds for the subscriptions to `event` read less than
    /// [`SECRETS_FRESH_FOR`] ago (`false` when there are none that recent).
    fn recent_verify(
        &self,
        event: EventType,
        verifies: impl Fn(&[(String, String)]) -> bool,
    ) -> bool {
        let secrets = self.0.lock().expect("webhook secrets lock");
        secrets
            .get(&event)
            .filter(|(read_at, _)| read_at.elapsed() < SECRETS_FRESH_FOR)
            .is_some_and(|(_, subscriptions)| verifies(subscriptions))
    }

    /// Keeps the subscriptions to `event` just read from the database.
    fn remember(&self, event: EventType, subscriptions: Subscriptions) {
        self.0
            .lock()
            .expect("webhook secrets lock")
            .insert(event, (Instant::now(), subscriptions));
    }
}

/// A person id as Solaris writes them (hex, `…cper`); anything else is not looked up.
fn person_id_claim(claim: &str) -> Option<&str> {
    let well_formed = claim.len() <= 64
        && claim.ends_with("cper")
        && claim.bytes().all(|byte| byte.is_ascii_alphanumeric());
    well_formed.then_some(claim)
}

impl SolarisWebhooks {
    /// The intake and subscriptions over these parts; outcomes are decided by `onboardings`.
    pub fn new(
        config: Arc<Config>,
        store: Store,
        solaris: Arc<SolarisClient>,
        onboardings: Arc<Onboardings>,
    ) -> SolarisWebhooks {
        SolarisWebhooks {
            config,
            store,
            solaris,
            onboardings,
            secrets: WebhookSecrets::default(),
        }
    }

    /// Processes one delivery: `header` reads its headers (claims, until the signature over
    /// the raw `body` is verified; the ids then come from the signed body).
    pub async fn receive<'h>(
        &self,
        header: impl Fn(&str) -> Option<&'h str>,
        body: &[u8],
    ) -> Receipt {
        if header(WebhookHeaders::EVENT_TYPE) == Some(SUBSCRIPTION_VERIFICATION) {
            return Receipt::Accepted;
        }
        // The event's name is a claim until verified: only the names Solaris documents label it.
        let event = header(WebhookHeaders::EVENT_TYPE)
            .and_then(EventType::parse)
            .map_or("unknown", EventType::name);
        metrics::solaris_webhook("received", event);
        let receipt = match self.process(header, body).await {
            Ok(receipt) | Err(receipt) => receipt,
        };
        let refusal = match receipt {
            Receipt::Accepted => None,
            Receipt::Unauthorized => Some("signature"),
            Receipt::Malformed => Some("malformed"),
            Receipt::Unavailable => Some("unavailable"),
        };
        if let Some(reason) = refusal {
            metrics::solaris_webhook_rejected(reason);
        }
        receipt
    }

    async fn process<'h>(
        &self,
        header: impl Fn(&str) -> Option<&'h str>,
        body: &[u8],
    ) -> Result<Receipt, Receipt> {
        let unavailable = |error: &dyn std::fmt::Display| {
            tracing::error!(%error, "webhook could not be processed");
            Receipt::Unavailable
        };
        let (Some(event_name), Some(signature)) = (
            header(WebhookHeaders::EVENT_TYPE),
            header(WebhookHeaders::SIGNATURE),
        ) else {
            return Err(Receipt::Unauthorized);
        };
        // Only a secret of a subscription to this very event type may verify it: a body signed for
        // one event cannot be replayed as another.
        let claimed_subscription = header(WebhookHeaders::SUBSCRIPTION_ID);
        let verifies = |subscriptions: &[(String, String)]| {
            subscriptions
                .iter()
                .filter(|(id, _)| claimed_subscription.is_none_or(|claimed| claimed == id))
                .any(|(_, secret)| signature_matches(secret, body, signature))
        };
        let event = EventType::parse(event_name);
        let mut verified = event.is_some_and(|event| self.secrets.recent_verify(event, verifies));
        if !verified {
            // Not verified by the secrets read lately: read them again (another instance may have
            // subscribed since).
            let subscriptions = self
                .store
                .subscriptions_for(event_name)
                .await
                .map_err(|error| unavailable(&error))?;
            verified = verifies(&subscriptions);
            if let Some(event) = event {
                self.secrets.remember(event, subscriptions);
            }
        }
        if !verified {
            tracing::warn!("webhook with a missing or wrong signature refused");
            return Err(Receipt::Unauthorized);
        }
        let Some(webhook_id) = header(WebhookHeaders::ID) else {
            return Err(Receipt::Malformed);
        };
        let Some(event) = event else {
            return Ok(Receipt::Accepted);
        };
        if self
            .store
            .webhook_processed(webhook_id)
            .await
            .map_err(|error| unavailable(&error))?
        {
            return Ok(Receipt::Accepted);
        }
        let payload: Payload = serde_json::from_slice(body).unwrap_or_default();
        let entity_claim = header(WebhookHeaders::ENTITY_ID).unwrap_or_default();
        let changes = self
            .changes_for(event, &payload, entity_claim)
            .await
            .map_err(|error| unavailable(&error))?;
        let applied = self
            .store
            .apply_webhook(webhook_id, event.name(), entity_claim, &changes)
            .await
            .map_err(|error| unavailable(&error))?;
        if applied {
            metrics::solaris_webhook("processed", event.name());
            tracing::info!(
                event = event.name(),
                changes = changes.len(),
                "webhook processed"
            );
        }
        Ok(Receipt::Accepted)
    }

    /// What a verified delivery changes, worked out from its payload and Solaris' answers.
    async fn changes_for(
        &self,
        event: EventType,
        payload: &Payload,
        entity_claim: &str,
    ) -> Result<Vec<WebhookChange>, String> {
        let describe = |error: &dyn std::fmt::Debug| format!("{error:?}");
        let onboardings = match event {
            EventType::IdentificationSession => match &payload.id {
                Some(session_id) => self
                    .store
                    .pending_onboardings(Some(session_id), None)
                    .await
                    .map_err(|error| describe(&error))?,
                None => Vec::new(),
            },
            // Solaris documents no person id on identifications; without one the outcome page and
            // the session's own event settle the onboarding.
            EventType::Identification => match &payload.person_id {
                Some(person_id) => self
                    .store
                    .pending_onboardings(None, Some(person_id))
                    .await
                    .map_err(|error| describe(&error))?,
                None => Vec::new(),
            },
            EventType::PersonDeleted => {
                // The body is empty: the header's claim is confirmed with Solaris first.
                return Ok(match person_id_claim(entity_claim) {
                    Some(person_id)
                        if !self
                            .solaris
                            .person_exists(person_id)
                            .await
                            .map_err(|error| describe(&error))? =>
                    {
                        tracing::info!("person deleted by Solaris: its onboardings are erased");
                        vec![WebhookChange::ErasePerson(person_id.to_string())]
                    }
                    _ => Vec::new(),
                });
            }
            EventType::PersonMobileNumberCreated | EventType::PersonMobileNumberDeleted => {
                let Some(person_id) = person_id_claim(entity_claim) else {
                    return Ok(Vec::new());
                };
                let ours = self
                    .store
                    .onboardings_of_person(person_id)
                    .await
                    .map_err(|error| describe(&error))?;
                if ours.is_empty() {
                    return Ok(Vec::new());
                }
                let exists = self
                    .solaris
                    .mobile_number(person_id)
                    .await
                    .map_err(|error| describe(&error))?
                    .is_some();
                return Ok(vec![WebhookChange::MobileNumberExists {
                    person_id: person_id.to_string(),
                    exists,
                }]);
            }
            // We keep nothing of the person but its id, so a change asks nothing of us.
            EventType::PersonChanged => return Ok(Vec::new()),
        };
        let mut changes = Vec::new();
        for onboarding in onboardings {
            let standing = self
                .onboardings
                .standing(&onboarding, CustomerPlace::MayBeInWebview)
                .await
                .map_err(|error| describe(&error))?;
            if let Standing::Final(ending) = standing {
                changes.push(WebhookChange::FinalOutcome {
                    onboarding_id: onboarding.id,
                    ending,
                });
            }
        }
        Ok(changes)
    }

    /// Which of our events still lack a working subscription.
    pub async fn missing_subscriptions(&self) -> Result<Vec<EventType>, String> {
        let mut missing = Vec::new();
        for event in EVENTS {
            let ours = self
                .store
                .subscriptions_for(event.name())
                .await
                .map_err(|error| error.to_string())?;
            if ours.is_empty() {
                missing.push(event);
            }
        }
        Ok(missing)
    }

    /// Subscribes to one event unless a subscription of ours (our URL, secret stored) exists.
    /// Subscriptions of others (other URLs: another service on the same Solaris account) are never
    /// touched; one of ours whose secret we lost is replaced. One instance at a time does this per
    /// event (a lock in the database), so instances starting together neither subscribe twice nor
    /// replace each other's subscription before its secret is stored; the one that waits (up to
    /// 10 s) then finds the subscription made.
    async fn subscribe(&self, event: EventType) -> Result<(), String> {
        let lock = format!("subscribe:{}", event.name());
        let mut holder = None;
        for _ in 0..200 {
            holder = self
                .store
                .try_lock(&lock, 30)
                .await
                .map_err(|error| error.to_string())?;
            if holder.is_some() {
                break;
            }
            // Another instance is at it: it takes a few calls to Solaris.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let holder = holder
            .ok_or_else(|| format!("another instance is subscribing to {} now", event.name()))?;
        let subscribed = self.subscribe_holding_the_lock(event).await;
        if let Err(error) = self.store.unlock(&lock, &holder).await {
            tracing::warn!(%error, "a subscription lock could not be let go (it runs out in 30 s)");
        }
        subscribed
    }

    async fn subscribe_holding_the_lock(&self, event: EventType) -> Result<(), String> {
        let url = self.config.webhook_url();
        let existing = self
            .solaris
            .webhooks()
            .await
            .map_err(|error| format!("listing webhooks failed: {error:?}"))?;
        for subscription in existing.iter().filter(|subscription| {
            subscription.event_type == event.name() && subscription.url == url
        }) {
            let known = self
                .store
                .subscription_secret(&subscription.id)
                .await
                .map_err(|error| error.to_string())?
                .is_some();
            if known {
                return Ok(());
            }
            self.solaris
                .unsubscribe(&subscription.id)
                .await
                .map_err(|error| {
                    format!("replacing the {} webhook failed: {error:?}", event.name())
                })?;
        }
        let (id, secret) = self
            .solaris
            .subscribe(event, &url)
            .await
            .map_err(|error| format!("subscribing to {} failed: {error:?}", event.name()))?;
        self.store
            .save_subscription(&id, event.name(), &secret)
            .await
            .map_err(|error| error.to_string())?;
        tracing::info!(event = event.name(), "webhook subscribed");
        Ok(())
    }

    /// Subscribes to every event in [`EVENTS`], each on its own, once. Returns the events that
    /// failed, with why.
    pub async fn subscribe_all(&self) -> Vec<(EventType, String)> {
        let mut failed = Vec::new();
        for event in EVENTS {
            if let Err(error) = self.subscribe(event).await {
                failed.push((event, error));
            }
        }
        failed
    }

    /// Subscribes to every event, retrying the failed ones with a doubling delay until all
    /// succeed. Run once the server listens: Solaris calls the URL to verify it first.
    pub async fn keep_subscribing(self: Arc<Self>) {
        let mut delay = RETRY_BASE;
        loop {
            let failed = self.subscribe_all().await;
            if failed.is_empty() {
                return;
            }
            for (event, error) in &failed {
                tracing::warn!(event = event.name(), %error, retry_in_seconds = delay.as_secs(), "webhook subscription failed");
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(RETRY_MAX);
        }
    }
}
