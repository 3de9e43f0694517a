//! Types and rules of the Bankident onboarding, shared by the web app (compiled to wasm) and the
//! partner backend (native), so both validate a customer's answers in exactly the same way.
//!
//! Everything here is pure: no I/O, no clock (callers pass "today" or "now"), no server-only
//! dependencies. User-facing texts of field errors live in the app's DE/EN catalogs, keyed by
//! [`FieldError`]; the customer messages of Solaris' Appendix III live in [`error_code`] because
//! the backend and the emulator need them too.

pub mod address;
pub mod answers;
#[cfg(feature = "bank-directory")]
pub mod bank_directory;
pub mod bank_step;
pub mod birth_date;
pub mod consent;
pub mod country;
mod country_names;
pub mod email;
pub mod employment;
pub mod error_code;
pub mod field_error;
pub mod iban;
pub mod language;
pub mod mobile_number;
pub mod mode;
pub mod name;
pub mod outcome_rule;
pub mod prefill;
pub mod salutation;
pub mod status;

pub use address::Address;
pub use answers::{
    FieldErrorsResponse, OpenedIdentification, Outcome, OutcomeState, Person, PersonAnswers,
};
pub use bank_step::{BankStep, BankStepKind, DocumentView, NextUrl};
pub use birth_date::BirthDate;
pub use consent::{ConsentKind, Consents};
pub use country::Country;
pub use email::Email;
pub use employment::EmploymentStatus;
pub use error_code::{ErrorCode, OutcomeCategory};
pub use field_error::{Field, FieldError, Problem};
pub use iban::{Iban, IbanError, IbanInput, format_iban_input};
pub use language::Language;
pub use mobile_number::MobileNumber;
pub use mode::IdentificationMode;
pub use name::PersonName;
pub use outcome_rule::{
    CustomerPlace, IdentificationFacts, Verdict, closes_bankident, deciding_identification,
    identification_verdict, session_verdict,
};
pub use prefill::Prefill;
pub use salutation::Salutation;
pub use status::{IdentificationStatus, SessionStatus};
