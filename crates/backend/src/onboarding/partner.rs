//! What the partner's servers ask of an onboarding: the customer's onboarding (by the
//! partner's reference, created on first use) with a fresh start link, how it stands with its
//! signed documents, and the events sent about it.

use bankident_domain::{CustomerPlace, IdentificationMode, Language, Prefill};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Onboardings, pages};
use crate::error::{PartnerError, ProblemCode};
use crate::partner_events::EventRecord;
use crate::store::{
    Cancellation, Cause, HistoryEntry, LinkProblem, Onboarding, OnboardingState, Reidentified,
    StartLink, rfc3339,
};

/// The name of the API key a partner API call came with: it is logged with the call and kept in
/// the history of what the call changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerKey(pub String);

/// Longest `customer_reference` accepted.
pub const MAX_REFERENCE_CHARS: usize = 128;

/// `POST /partner/v1/onboardings`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "customer_reference": "customer-4711", "language": "de",
    "prefill": {"first_name": "Anna Maria", "last_name": "Schmidt", "email": "anna@example.com"}
}))]
pub struct OnboardingCreate {
    /// Your id for the customer (1 to 128 characters, no control characters). The same
    /// reference always gets its current onboarding and the same Solaris person.
    #[schema(min_length = 1, max_length = 128, example = "customer-4711")]
    pub customer_reference: String,
    /// The customer's language on our screens and Solaris'; otherwise their browser's.
    #[schema(value_type = Option<Language>)]
    pub language: Option<String>,
    /// Answers you already know, shown in the fields for the customer to confirm or change.
    pub prefill: Option<Prefill>,
    /// `webview` (Solaris' hosted screens) or `api` (our screens through Solaris' API, with
    /// the IBAN the customer gave us); otherwise the backend's `BANKIDENT_MODE`. Changing it
    /// takes effect at the customer's next attempt.
    #[schema(value_type = Option<IdentificationMode>)]
    pub mode: Option<String>,
    /// `true`: identify the customer anew. Their current onboarding must be over (`final` or
    /// `cancelled`); a new onboarding replaces it, linked to it (`previous_onboarding_id`).
    /// Without it, the same reference always gets its current onboarding.
    pub reidentify: Option<bool>,
}

/// The onboarding and a fresh start link.
#[derive(Debug, Serialize, ToSchema)]
pub struct OnboardingCreated {
    /// The onboarding.
    pub onboarding: OnboardingView,
    /// Send the customer here (once; a new call gives a new link).
    pub start_link: StartLinkView,
}

/// How many start links were revoked.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinksRevoked {
    /// Links that will not open the onboarding any more.
    pub revoked: u64,
}

/// A single-use start link.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "url": "https://onboarding.partner.example/start?token=9aa1b2c3d4e5f60718293a4b5c6d7e8f9aa1b2c3d4e5f60718293a4b5c6d7e8f",
    "expires_at": "2026-11-26T16:46:18Z"
}))]
pub struct StartLinkView {
    /// The link (it binds the first browser that opens it).
    pub url: String,
    /// When it stops working.
    #[schema(format = DateTime)]
    pub expires_at: String,
}

/// An onboarding as the partner sees it in a list: ids, state and outcome as stored, no
/// personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct OnboardingSummary {
    /// Our id.
    pub id: String,
    /// Your reference.
    pub customer_reference: Option<String>,
    /// The customer's language when you chose it.
    pub language: Option<Language>,
    /// How the customer identifies (see `mode` when creating).
    pub mode: IdentificationMode,
    /// Where it stands.
    pub state: OnboardingState,
    /// Once final: what the outcome asks of the customer (`success`, or the category of the
    /// failure in the guide's Appendix III).
    pub category: Option<bankident_domain::OutcomeCategory>,
    /// Once final with a failure: the Appendix III code of the Solaris guide (a code Solaris
    /// adds later comes as Solaris sends it).
    #[schema(example = "PERSON_ACCOUNT_MATCH_NOT_FOUND")]
    pub error_code: Option<String>,
    /// The Solaris person.
    pub person_id: Option<String>,
    /// The latest Solaris identification session.
    pub session_id: Option<String>,
    /// The identification that decided the outcome.
    pub identification_id: Option<String>,
    /// The customer's onboarding before, when this one identifies them anew.
    pub previous_onboarding_id: Option<String>,
    /// The customer's onboarding after, once the partner asked to identify them anew.
    pub next_onboarding_id: Option<String>,
    /// Created.
    #[serde(serialize_with = "crate::timestamps::stored")]
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Last changed.
    #[serde(serialize_with = "crate::timestamps::stored")]
    #[schema(format = DateTime)]
    pub updated_at: String,
    /// When the latest session opened.
    #[serde(serialize_with = "crate::timestamps::stored_opt")]
    #[schema(format = DateTime)]
    pub session_opened_at: Option<String>,
    /// When the outcome became final.
    #[serde(serialize_with = "crate::timestamps::stored_opt")]
    #[schema(format = DateTime)]
    pub ended_at: Option<String>,
}

/// An onboarding as the partner sees it: ids, state and outcome, no personal data.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0c6f1d2e3a4b5c6d7e8f9a0b1c2d3e4f", "customer_reference": "customer-4711", "language": "de",
    "mode": "webview", "state": "final", "category": "success", "error_code": null,
    "person_id": "9a1b2c3d4e5f60718293a4b5c6d7e8f9cper", "session_id": "3c4d5e6f708192a3b4c5d6e7f8091a2bises",
    "identification_id": "a7a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9cidt",
    "previous_onboarding_id": null, "next_onboarding_id": null,
    "created_at": "2026-11-26T15:46:18Z", "updated_at": "2026-11-26T15:58:40Z",
    "session_opened_at": "2026-11-26T15:50:02Z", "ended_at": "2026-11-26T15:58:40Z",
    "documents": [{
        "id": "4d1a2b3c4d5e6f708192a3b4c5d6e7f8cdoc", "name": "SIGNED_a7a5_kyc_report.pdf",
        "document_type": "SIGNED_QES_DOCUMENT", "content_type": "application/pdf", "size": 88139,
        "created_at": "2026-11-26T15:58:39Z",
        "download_path": "/partner/v1/onboardings/0c6f1d2e3a4b5c6d7e8f9a0b1c2d3e4f/documents/4d1a2b3c4d5e6f708192a3b4c5d6e7f8cdoc"
    }],
    "history": [
        {"position": 1, "at": "2026-11-26T15:50:02Z", "from": "not_started", "to": "pending",
         "category": null, "error_code": null, "cause": "customer", "api_key_name": null},
        {"position": 2, "at": "2026-11-26T15:58:40Z", "from": "pending", "to": "final",
         "category": "success", "error_code": null, "cause": "solaris_webhook", "api_key_name": null}
    ]
}))]
pub struct OnboardingView {
    /// Where it stands.
    #[serde(flatten)]
    pub onboarding: OnboardingSummary,
    /// The identification's documents (the signed KYC report once successful); `null` when
    /// Solaris could not be asked just now.
    pub documents: Option<Vec<DocumentView>>,
    /// Every change of its state, oldest first: from, to, when, what caused it (`customer`,
    /// `partner`, `solaris_webhook`, `retention`), and the outcome of a change to `final`.
    pub history: Vec<HistoryEntry>,
}

/// A document of the deciding identification.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    /// Solaris' document id.
    pub id: String,
    /// File name.
    pub name: String,
    /// `SIGNED_QES_DOCUMENT` for the signed KYC report.
    pub document_type: String,
    /// MIME type.
    pub content_type: String,
    /// Bytes.
    pub size: u64,
    /// Created.
    #[serde(serialize_with = "crate::timestamps::stored")]
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Where to download it (this API, with your key).
    pub download_path: String,
}

/// The events of an onboarding.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventsView {
    /// Oldest first, each with its delivery attempts.
    pub events: Vec<EventRecord>,
}

/// A customer reference as the partner API takes it (trimmed), or what is wrong with it.
pub(super) fn check_reference(reference: &str) -> Result<&str, PartnerError> {
    let reference = reference.trim();
    if reference.is_empty()
        || reference.chars().count() > MAX_REFERENCE_CHARS
        || reference.chars().any(char::is_control)
    {
        return Err(PartnerError::invalid(
            "customer_reference",
            "malformed",
            format!(
                "customer_reference must be 1 to {MAX_REFERENCE_CHARS} characters without control characters"
            ),
        ));
    }
    Ok(reference)
}

/// What opening a start link came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartLinkOpened {
    /// The browser is bound to the onboarding: it continues at `page`, in `language` when the
    /// partner chose one.
    Bound {
        /// Where the customer continues.
        page: &'static str,
        /// The partner's choice of language (`de`, `en`).
        language: Option<String>,
    },
    /// The link does not open the onboarding.
    Refused(LinkProblem),
}

impl Onboardings {
    /// The customer's onboarding (created on first use) and a fresh start link (with
    /// `link_token` when given, else a random one). `true` when the onboarding is new.
    pub(super) async fn partner_create(
        &self,
        request: &OnboardingCreate,
        key: &PartnerKey,
        link_token: Option<String>,
    ) -> Result<(OnboardingCreated, bool), PartnerError> {
        let reference = check_reference(&request.customer_reference)?;
        let language = match request.language.as_deref() {
            None => None,
            Some(tag) => Some(Language::from_tag(tag).ok_or_else(|| {
                PartnerError::invalid("language", "unknown_value", "language must be de or en")
            })?),
        };
        let prefill = match &request.prefill {
            Some(prefill) => {
                prefill.validate().map_err(PartnerError::invalid_prefill)?;
                Some(serde_json::to_string(prefill).expect("a prefill serializes"))
            }
            None => None,
        };
        let mode = match request.mode.as_deref() {
            None => None,
            Some(text) => Some(IdentificationMode::parse(text).ok_or_else(|| {
                PartnerError::invalid("mode", "unknown_value", "mode must be webview or api")
            })?),
        };
        let language = language.map(Language::tag);
        let (mut onboarding, created) = if request.reidentify == Some(true) {
            match self
                .store
                .reidentify(reference, language, prefill.as_deref())
                .await?
            {
                Reidentified::New(onboarding) => {
                    tracing::info!(onboarding_id = %onboarding.id, previous = ?onboarding.previous_onboarding_id, key = %key.0, "customer to be identified anew");
                    (onboarding, true)
                }
                Reidentified::NotOver(current) => {
                    return Err(PartnerError::refused(
                        ProblemCode::NotFinal,
                        format!(
                            "the customer's onboarding {} is {}; a new identification needs it final or cancelled",
                            current.id,
                            current.outcome_state.as_str()
                        ),
                    ));
                }
            }
        } else {
            self.store
                .customer_onboarding(reference, language, prefill.as_deref())
                .await?
        };
        if onboarding.outcome_state == OnboardingState::Cancelled {
            return Err(PartnerError::refused(
                ProblemCode::Cancelled,
                format!(
                    "the customer's onboarding {} was cancelled; send \"reidentify\": true for a new one",
                    onboarding.id
                ),
            ));
        }
        if let Some(mode) = mode {
            self.store.set_mode(&onboarding.id, mode).await?;
            onboarding.mode = Some(mode);
        }
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let lifetime = self.config.partner.start_link_seconds;
        let link = match link_token {
            Some(token) => {
                let link = StartLink {
                    token,
                    expires_at: now + lifetime,
                };
                self.store.add_start_link(&onboarding.id, link).await?
            }
            None => {
                self.store
                    .create_start_link(&onboarding.id, now, lifetime)
                    .await?
            }
        };
        tracing::info!(onboarding_id = %onboarding.id, created, "start link made");
        let body = OnboardingCreated {
            start_link: StartLinkView {
                url: self.start_link_url(&link.token),
                expires_at: rfc3339(link.expires_at),
            },
            onboarding: self.view(onboarding, key).await?,
        };
        Ok((body, created))
    }

    /// The start link with `token`.
    pub(super) fn start_link_url(&self, token: &str) -> String {
        format!("{}/start?token={token}", self.config.public_url)
    }

    /// How an onboarding stands, by our id.
    pub async fn partner_show(
        &self,
        id: &str,
        key: &PartnerKey,
    ) -> Result<OnboardingView, PartnerError> {
        let onboarding = self.partner_onboarding(id).await?;
        self.view(onboarding, key).await
    }

    /// Cancels an onboarding that is not over: nothing more happens in it (its browsers are
    /// let go, its links revoked, what Solaris reports later is not recorded), and the partner
    /// hears `onboarding.cancelled`. A retried cancel answers the same; a final onboarding
    /// cannot be cancelled.
    pub async fn partner_cancel(
        &self,
        id: &str,
        key: &PartnerKey,
    ) -> Result<OnboardingView, PartnerError> {
        self.partner_onboarding(id).await?;
        // Waits for a request that opens or continues the identification right now, so none
        // opens one after the cancellation.
        let (held, _) = self.held(id).await?;
        let cancellation = self
            .store
            .cancel_onboarding(id, &Cause::Partner(key.0.clone()))
            .await?;
        drop(held);
        match cancellation {
            Cancellation::Cancelled(onboarding) => {
                self.forget_outcome(id);
                tracing::info!(onboarding_id = %id, key = %key.0, "onboarding cancelled at the partner's request");
                self.view(onboarding, key).await
            }
            Cancellation::AlreadyCancelled(onboarding) => self.view(onboarding, key).await,
            Cancellation::AlreadyFinal => Err(PartnerError::refused(
                ProblemCode::AlreadyFinal,
                "the onboarding has its final outcome; erase it, or identify the customer anew",
            )),
            // Erased meanwhile: the partner's next call says so.
            Cancellation::Unknown => Err(self
                .partner_onboarding(id)
                .await
                .err()
                .unwrap_or(PartnerError::NotFound("onboarding"))),
        }
    }

    /// Revokes every start link of an onboarding (one sent to the wrong address, say); returns
    /// how many. Browsers that opened one stay bound to it.
    pub async fn partner_revoke_links(&self, id: &str) -> Result<LinksRevoked, PartnerError> {
        self.partner_onboarding(id).await?;
        let revoked = self.store.revoke_start_links(id).await?;
        tracing::info!(onboarding_id = %id, revoked, "start links revoked");
        Ok(LinksRevoked { revoked })
    }

    /// An onboarding the partner asks about by our id: 404 if there is none, 410 once it was
    /// erased.
    pub(super) async fn partner_onboarding(&self, id: &str) -> Result<Onboarding, PartnerError> {
        let onboarding = self
            .store
            .onboarding(id)
            .await?
            .ok_or(PartnerError::NotFound("onboarding"))?;
        match (&onboarding.erased_at, &onboarding.erased_by) {
            (Some(erased_at), erased_by) => Err(PartnerError::Erased {
                erased_at: erased_at.clone(),
                erased_by: erased_by.clone().unwrap_or_default(),
            }),
            (None, _) => Ok(onboarding),
        }
    }

    /// A document of the onboarding's deciding identification, from Solaris.
    pub async fn partner_document(
        &self,
        id: &str,
        document_id: &str,
    ) -> Result<super::documents::DocumentFile, PartnerError> {
        let onboarding = self.partner_onboarding(id).await?;
        let (Some(person_id), Some(identification_id)) =
            (&onboarding.person_id, &onboarding.identification_id)
        else {
            return Err(PartnerError::NotFound("document"));
        };
        self.listed_document(person_id, identification_id, document_id)
            .await?
            .ok_or(PartnerError::NotFound("document"))
    }

    /// The events sent about an onboarding, with every delivery attempt.
    pub async fn partner_events(&self, id: &str) -> Result<EventsView, PartnerError> {
        self.partner_onboarding(id).await?;
        Ok(EventsView {
            events: self.store.events_of(id).await?,
        })
    }

    /// Where a browser belongs instead of the start page, if anywhere: its outcome page once
    /// its identification is over for good; without the demo mode, a browser with no
    /// onboarding is told to open the start link its provider gave it.
    pub async fn start_page_elsewhere(&self, browser_hash: Option<&str>) -> Option<String> {
        let onboarding = match browser_hash {
            Some(hash) => self.store.onboarding_by_browser(hash).await.ok().flatten(),
            None => None,
        };
        match onboarding {
            Some(onboarding) if super::is_over(&onboarding) => Some(pages::CALLBACK.into()),
            None if !self.config.demo_mode => Some(format!("{}?problem=missing", pages::LINK)),
            _ => None,
        }
    }

    /// Opens a start link in the browser whose key hashes to `browser_hash`, at `now` (Unix
    /// seconds): the browser is bound to the link's onboarding.
    pub async fn start_link_open(
        &self,
        token: &str,
        browser_hash: &str,
        now: i64,
    ) -> Result<StartLinkOpened, sqlx::Error> {
        Ok(
            match self
                .store
                .redeem_start_link(token, browser_hash, now)
                .await?
            {
                Ok(onboarding) => {
                    tracing::info!(onboarding_id = %onboarding.id, "start link opened");
                    StartLinkOpened::Bound {
                        page: continue_page(&onboarding),
                        language: onboarding.language,
                    }
                }
                Err(problem) => {
                    tracing::info!(problem = problem.code(), "start link refused");
                    StartLinkOpened::Refused(problem)
                }
            },
        )
    }

    /// The onboarding brought up to date from Solaris while pending, and its documents.
    /// How an onboarding stands, as Solaris has it now (asked with the partner's `key`).
    async fn view(
        &self,
        onboarding: Onboarding,
        key: &PartnerKey,
    ) -> Result<OnboardingView, PartnerError> {
        let onboarding = if onboarding.outcome_state == OnboardingState::Pending {
            match self
                .settle(
                    &onboarding,
                    CustomerPlace::MayBeInWebview,
                    Cause::Partner(key.0.clone()),
                )
                .await
            {
                Ok(_) => self
                    .store
                    .onboarding(&onboarding.id)
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or(onboarding),
                Err(_) => onboarding,
            }
        } else {
            onboarding
        };
        let documents = match (&onboarding.person_id, &onboarding.identification_id) {
            (Some(person_id), Some(identification_id)) => self
                .documents_of(person_id, identification_id)
                .await
                .ok()
                .map(|documents| {
                    documents
                        .iter()
                        .map(|document| DocumentView {
                            download_path: format!(
                                "/partner/v1/onboardings/{}/documents/{}",
                                onboarding.id, document.id
                            ),
                            id: document.id.clone(),
                            name: document.name.clone(),
                            document_type: document.document_type.clone(),
                            content_type: document.content_type.clone(),
                            size: document.size,
                            created_at: document.created_at.clone(),
                        })
                        .collect()
                }),
            _ => Some(Vec::new()),
        };
        let history = self.store.history_of(&onboarding.id).await?;
        Ok(OnboardingView {
            onboarding: self.summary(onboarding),
            documents,
            history,
        })
    }

    /// An onboarding as it is stored, for the partner.
    pub(super) fn summary(&self, onboarding: Onboarding) -> OnboardingSummary {
        OnboardingSummary {
            mode: self.mode_of(&onboarding),
            id: onboarding.id,
            customer_reference: onboarding.customer_reference,
            language: onboarding.language.as_deref().and_then(Language::from_tag),
            state: onboarding.outcome_state,
            category: onboarding.outcome_category,
            error_code: onboarding.error_code,
            person_id: onboarding.person_id,
            session_id: onboarding.session_id,
            identification_id: onboarding.identification_id,
            previous_onboarding_id: onboarding.previous_onboarding_id,
            next_onboarding_id: onboarding.next_onboarding_id,
            created_at: onboarding.created_at,
            updated_at: onboarding.updated_at,
            session_opened_at: onboarding.session_opened_at,
            ended_at: onboarding.ended_at,
        }
    }
}

/// The page a continued onboarding's browser goes to: the outcome page while an identification
/// is open or once it is over for good; otherwise the start.
fn continue_page(onboarding: &Onboarding) -> &'static str {
    if onboarding.outcome_state == OnboardingState::Pending || super::is_over(onboarding) {
        pages::CALLBACK
    } else {
        "/"
    }
}
