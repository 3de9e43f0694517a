//! A bank identification as the emulator holds it, its documents, and the time limits its
//! state machine applies whenever it is read or changed.

use bankident_domain::{ErrorCode, IdentificationStatus};
use solaris_contract::{Document as WireDocument, Identification as WireIdentification};
use time::{Duration, OffsetDateTime};

use crate::clock::format_timestamp;
use crate::ids::new_id;

/// From requesting the identification (payment initiation) to finishing the QES.
pub const BANK_CONNECTION_TIMEOUT: Duration = Duration::minutes(10);
/// Validity of a QES SMS code.
pub const QES_CODE_VALIDITY: Duration = Duration::minutes(10);
/// An identification not finished by then expires.
pub const IDENTIFICATION_EXPIRY: Duration = Duration::days(30);

/// A contract document of an identification.
#[derive(Debug, Clone)]
pub struct Document {
    /// `…cdoc`.
    pub id: String,
    /// `QES_DOCUMENT` or `SIGNED_QES_DOCUMENT`.
    pub document_type: &'static str,
    /// File name.
    pub name: String,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// The PDF, made once when the document is created.
    pub pdf: Vec<u8>,
}

/// A bank identification.
#[derive(Debug, Clone)]
pub struct Identification {
    /// `…cidt`.
    pub id: String,
    /// The person identified.
    pub person_id: String,
    /// The session it belongs to, when started from the webview.
    pub session_id: Option<String>,
    /// Electronic form.
    pub iban: String,
    /// Current status.
    pub status: IdentificationStatus,
    /// Why it failed or expired.
    pub failure_reason: Option<ErrorCode>,
    /// Swisscom's T&C consent timestamp, as sent.
    pub terms_and_conditions_signed_at: Option<String>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// When the payment initiation started.
    pub requested_at: Option<OffsetDateTime>,
    /// When it reached a final status.
    pub completed_at: Option<OffsetDateTime>,
    /// The payment wizard's key, once requested.
    pub wizard_key: Option<String>,
    /// The latest QES code and when it was sent; each new one replaces the previous.
    pub qes_code: Option<(String, OffsetDateTime)>,
    /// Reference shown to the customer with the QES code.
    pub reference_token: Option<String>,
    /// Contract documents.
    pub documents: Vec<Document>,
}

impl Identification {
    /// The identification as Solaris answers it. `documented_only` leaves out what Solaris
    /// does not document (`person_id`, the documents' `download_url`).
    pub fn to_wire(&self, public_url: &str, documented_only: bool) -> WireIdentification {
        let timestamp = |at: Option<OffsetDateTime>| at.map(format_timestamp);
        let undocumented = |value: String| (!documented_only).then_some(value);
        let documents = self
            .documents
            .iter()
            .map(|document| WireDocument {
                id: document.id.clone(),
                name: document.name.clone(),
                content_type: "application/pdf".into(),
                document_type: document.document_type.into(),
                size: document.pdf.len() as u64,
                customer_accessible: false,
                created_at: format_timestamp(document.created_at),
                download_url: undocumented(format!(
                    "{public_url}/v1/persons/{}/identifications/{}/documents/{}/file",
                    self.person_id, self.id, document.id
                )),
            })
            .collect();
        WireIdentification {
            id: self.id.clone(),
            reference: None,
            url: self
                .wizard_key
                .as_ref()
                .map(|key| format!("{public_url}/wizard/{key}")),
            status: self.status.clone(),
            failure_reason: self
                .failure_reason
                .as_ref()
                .map(|code| code.code().to_string()),
            completed_at: timestamp(self.completed_at),
            method: Some("bank".into()),
            iban: Some(self.iban.clone()),
            documents,
            authorization_expires_at: timestamp(
                self.requested_at.map(|at| at + BANK_CONNECTION_TIMEOUT),
            ),
            confirmation_expires_at: timestamp(
                self.qes_code
                    .as_ref()
                    .map(|(_, sent)| *sent + QES_CODE_VALIDITY),
            ),
            terms_and_conditions_signed_at: self.terms_and_conditions_signed_at.clone(),
            current_reference_token: self.reference_token.clone(),
            person_id: undocumented(self.person_id.clone()),
        }
    }

    pub(crate) fn fail(&mut self, reason: ErrorCode, now: OffsetDateTime) {
        self.status = IdentificationStatus::Failed;
        self.failure_reason = Some(reason);
        self.completed_at = Some(now);
    }

    pub(crate) fn add_document(&mut self, document_type: &'static str, now: OffsetDateTime) {
        let signed = document_type == "SIGNED_QES_DOCUMENT";
        let prefix = if signed { "SIGNED_" } else { "" };
        let name = format!("{prefix}{}_prepared_for_signing_kyc_report.pdf", self.id);
        let lines = vec![
            "Solaris Sandbox emulator - not a real document".to_string(),
            String::new(),
            format!("Identification: {}", self.id),
            format!("Person: {}", self.person_id),
            format!("Bank account (IBAN): {}", self.iban),
            format!("Created: {}", format_timestamp(now)),
            if signed {
                "Signed with a qualified electronic signature (emulated).".into()
            } else {
                "To be signed with a qualified electronic signature.".into()
            },
        ];
        let pdf = crate::pdf::text_document("Bankident KYC report", &lines);
        self.documents.push(Document {
            id: new_id("cdoc"),
            document_type,
            name,
            created_at: now,
            pdf,
        });
    }

    /// Applies the time limits and finishes a confirmed signature. Returns whether it changed.
    pub(crate) fn refresh(&mut self, now: OffsetDateTime) -> bool {
        use IdentificationStatus::*;
        if self.status.is_final() {
            return false;
        }
        if now - self.created_at > IDENTIFICATION_EXPIRY {
            self.status = Expired;
            self.failure_reason = Some(ErrorCode::Expired);
            self.completed_at = Some(now);
            return true;
        }
        let bank_connection_over = self
            .requested_at
            .is_some_and(|at| now - at > BANK_CONNECTION_TIMEOUT);
        match self.status {
            Pending | AuthorizationRequired | ConfirmationRequired if bank_connection_over => {
                self.fail(ErrorCode::AccountSnapshotExpired, now);
                true
            }
            Confirmed => {
                self.status = Successful;
                self.completed_at = Some(now);
                self.add_document("SIGNED_QES_DOCUMENT", now);
                true
            }
            _ => false,
        }
    }
}
