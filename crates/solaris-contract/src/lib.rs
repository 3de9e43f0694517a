//! The Solaris API's wire format, typed once for both sides that speak it: the partner
//! backend's client (which reads what Solaris answers) and the Sandbox emulator (which answers
//! as Solaris would). Keeping one definition means a field renamed on one side cannot silently
//! go missing on the other.
//!
//! Fields the guide and Solaris' reference document are plain fields. Fields we have only seen
//! in our own emulator or in third-party mocks are `Option`s marked "not documented": a reader
//! must work without them, and the emulator can be told to leave them out (see
//! `solaris-sandbox`'s `documented_fields_only`).
//!
//! Statuses and the Appendix III codes are the domain crate's ([`bankident_domain::status`],
//! [`bankident_domain::ErrorCode`]): the rule of what they mean for the customer lives there.

pub mod checks;
pub mod errors;
pub mod identifications;
pub mod oauth;
pub mod pages;
pub mod persons;
pub mod sessions;
pub mod webhooks;

pub use checks::{EligibilityCheck, EligibilityCheckRequest, IbanLookup, IbanLookupRequest};
pub use errors::{ErrorBody, ErrorObject, ErrorSource, MODEL_NOT_FOUND};
pub use identifications::{Document, Identification, IdentificationRequest, TokenRequest};
pub use oauth::AccessToken;
pub use pages::{PageQuery, Paginated};
pub use persons::{AddressBody, MobileNumberBody, MobileNumberRequest, PersonRequest};
pub use sessions::{IdentificationSession, SessionRequest};
pub use webhooks::{
    EventType, SUBSCRIPTION_VERIFICATION, WebhookHeaders, WebhookSubscription,
    WebhookSubscriptionRequest, signature, signature_matches,
};
