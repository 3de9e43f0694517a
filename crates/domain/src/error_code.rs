//! The Bankident rejection reasons and error codes of the guide's Appendix III: for each code its
//! HTTP status, the customer message in German and English, and what the product does next.
//!
//! The messages are the guide's own words, typos included, because partners and Solaris support
//! recognise them. The guide's table lost the line break between two sentences in some cells
//! ("erreicht.Bitte"); a single space stands in for it here.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::language::Language;

/// What the product does after an outcome: one clear next step per category (design.md §3).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeCategory {
    /// Verified: say what happens next.
    Success,
    /// The account cannot be used: let the customer try another IBAN.
    RetryWithAnotherIban,
    /// The attempt expired: open a new identification.
    StartAgain,
    /// Bankident is not available for this person: offer the partner's fallback method.
    MethodNotAvailable,
    /// Possible fraud: stop and show the generic text.
    Stop,
    /// Already identified: ask the customer to use their existing account.
    AlreadyIdentified,
    /// Data is missing or wrong: let the customer fix it and retry.
    FixDataAndRetry,
    /// Something broke: contact support.
    ContactSupport,
}

impl OutcomeCategory {
    /// Every category.
    pub const ALL: [OutcomeCategory; 8] = [
        OutcomeCategory::Success,
        OutcomeCategory::RetryWithAnotherIban,
        OutcomeCategory::StartAgain,
        OutcomeCategory::MethodNotAvailable,
        OutcomeCategory::Stop,
        OutcomeCategory::AlreadyIdentified,
        OutcomeCategory::FixDataAndRetry,
        OutcomeCategory::ContactSupport,
    ];

    /// The category's name, as serialized and stored (`retry_with_another_iban`).
    pub fn code(self) -> &'static str {
        match self {
            OutcomeCategory::Success => "success",
            OutcomeCategory::RetryWithAnotherIban => "retry_with_another_iban",
            OutcomeCategory::StartAgain => "start_again",
            OutcomeCategory::MethodNotAvailable => "method_not_available",
            OutcomeCategory::Stop => "stop",
            OutcomeCategory::AlreadyIdentified => "already_identified",
            OutcomeCategory::FixDataAndRetry => "fix_data_and_retry",
            OutcomeCategory::ContactSupport => "contact_support",
        }
    }

    /// Reads a category's name.
    pub fn parse(code: &str) -> Option<OutcomeCategory> {
        OutcomeCategory::ALL
            .into_iter()
            .find(|category| category.code() == code)
    }
}

/// An Appendix III error code, or one the guide does not list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The IBAN reached its limit of failed attempts.
    IbanUsageLimitExceeded,
    /// The customer has no verified mobile number.
    MobileNumberNotVerified,
    /// The mobile number or name reached its limit of failed attempts.
    IdentificationAttemptsExceeded,
    /// The customer is already identified.
    AlreadyIdentifiedSuccessfully,
    /// SCHUFA has no record of the customer.
    MatchForPersonDataNotFound,
    /// The customer and the IBAN could not be connected.
    PersonAccountMatchNotFound,
    /// The customer did not meet the preconditions.
    PreviousIdentNotFound,
    /// The person is missing required data.
    PersonMissingRequiredData,
    /// An external provider failed.
    DependencyError,
    /// The request body was wrong.
    InvalidModel,
    /// A technical error at Solaris.
    InternalRequestError,
    /// A technical error at Solaris.
    GenericError,
    /// The customer is an authorised person on the account, not its holder. Solaris spells the
    /// code `ACCESS_BY_ATHORIZED_HOLDER`; the correct spelling is read too.
    AccessByAuthorizedHolder,
    /// The identification expired (after 30 days).
    Expired,
    /// The cent transfer failed.
    AccountSnapshotFailed,
    /// The account is a joint account.
    JointAccount,
    /// The cent transfer was not finished within 10 minutes.
    AccountSnapshotExpired,
    /// A code the guide does not list, kept as received (upper-cased).
    Unknown(String),
}

impl ErrorCode {
    /// Every code the guide lists, in its order.
    pub const KNOWN: [ErrorCode; 17] = [
        ErrorCode::IbanUsageLimitExceeded,
        ErrorCode::MobileNumberNotVerified,
        ErrorCode::IdentificationAttemptsExceeded,
        ErrorCode::AlreadyIdentifiedSuccessfully,
        ErrorCode::MatchForPersonDataNotFound,
        ErrorCode::PersonAccountMatchNotFound,
        ErrorCode::PreviousIdentNotFound,
        ErrorCode::PersonMissingRequiredData,
        ErrorCode::DependencyError,
        ErrorCode::InvalidModel,
        ErrorCode::InternalRequestError,
        ErrorCode::GenericError,
        ErrorCode::AccessByAuthorizedHolder,
        ErrorCode::Expired,
        ErrorCode::AccountSnapshotFailed,
        ErrorCode::JointAccount,
        ErrorCode::AccountSnapshotExpired,
    ];

    /// Reads a code as Solaris sends it, in any case (failure reasons come in lower case,
    /// error codes in upper case); also the correct spelling `ACCESS_BY_AUTHORIZED_HOLDER`.
    pub fn parse(code: &str) -> ErrorCode {
        let upper = code.trim().to_ascii_uppercase();
        if upper == "ACCESS_BY_AUTHORIZED_HOLDER" {
            return ErrorCode::AccessByAuthorizedHolder;
        }
        ErrorCode::KNOWN
            .into_iter()
            .find(|known| known.code() == upper)
            .unwrap_or(ErrorCode::Unknown(upper))
    }

    /// The code as the guide spells it.
    pub fn code(&self) -> &str {
        match self {
            ErrorCode::IbanUsageLimitExceeded => "IBAN_USAGE_LIMIT_EXCEEDED",
            ErrorCode::MobileNumberNotVerified => "MOBILE_NUMBER_NOT_VERIFIED",
            ErrorCode::IdentificationAttemptsExceeded => "IDENTIFICATION_ATTEMPTS_EXCEEDED",
            ErrorCode::AlreadyIdentifiedSuccessfully => "ALREADY_IDENTIFIED_SUCCESSFULLY",
            ErrorCode::MatchForPersonDataNotFound => "MATCH_FOR_PERSON_DATA_NOT_FOUND",
            ErrorCode::PersonAccountMatchNotFound => "PERSON_ACCOUNT_MATCH_NOT_FOUND",
            ErrorCode::PreviousIdentNotFound => "PREVIOUS_IDENT_NOT_FOUND",
            ErrorCode::PersonMissingRequiredData => "PERSON_MISSING_REQUIRED_DATA",
            ErrorCode::DependencyError => "DEPENDENCY_ERROR",
            ErrorCode::InvalidModel => "INVALID_MODEL",
            ErrorCode::InternalRequestError => "INTERNAL_REQUEST_ERROR",
            ErrorCode::GenericError => "GENERIC_ERROR",
            ErrorCode::AccessByAuthorizedHolder => "ACCESS_BY_ATHORIZED_HOLDER",
            ErrorCode::Expired => "EXPIRED",
            ErrorCode::AccountSnapshotFailed => "ACCOUNT_SNAPSHOT_FAILED",
            ErrorCode::JointAccount => "JOINT_ACCOUNT",
            ErrorCode::AccountSnapshotExpired => "ACCOUNT_SNAPSHOT_EXPIRED",
            ErrorCode::Unknown(code) => code,
        }
    }

    /// The HTTP status Solaris answers with for this code (412, or 422 for an identified
    /// customer). Unknown codes are treated as Solaris' generic 412.
    pub fn http_status(&self) -> u16 {
        match self {
            ErrorCode::AlreadyIdentifiedSuccessfully => 422,
            _ => 412,
        }
    }

    /// What the product does next.
    pub fn category(&self) -> OutcomeCategory {
        use OutcomeCategory::*;
        match self {
            ErrorCode::PersonAccountMatchNotFound
            | ErrorCode::AccessByAuthorizedHolder
            | ErrorCode::JointAccount
            | ErrorCode::AccountSnapshotFailed => RetryWithAnotherIban,
            ErrorCode::AccountSnapshotExpired | ErrorCode::Expired => StartAgain,
            ErrorCode::MatchForPersonDataNotFound | ErrorCode::PreviousIdentNotFound => {
                MethodNotAvailable
            }
            ErrorCode::IbanUsageLimitExceeded | ErrorCode::IdentificationAttemptsExceeded => Stop,
            ErrorCode::AlreadyIdentifiedSuccessfully => AlreadyIdentified,
            ErrorCode::MobileNumberNotVerified | ErrorCode::PersonMissingRequiredData => {
                FixDataAndRetry
            }
            // The guide's action is for the partner (fix the request), and its text asks the
            // customer to contact support: that is the customer's next step.
            ErrorCode::InvalidModel
            | ErrorCode::DependencyError
            | ErrorCode::InternalRequestError
            | ErrorCode::GenericError
            | ErrorCode::Unknown(_) => ContactSupport,
        }
    }

    /// The message the customer reads, in the guide's words where it gives them.
    pub fn customer_message(&self, language: Language) -> &'static str {
        let (de, en) = self.messages();
        match language {
            Language::De => de,
            Language::En => en,
        }
    }

    /// Whether the guide's text for this outcome tells the customer to continue with video
    /// identification (where the partner's fallback identification is offered).
    pub fn offers_video_identification(&self) -> bool {
        self.messages().1.contains("video identification")
    }

    /// `(German, English)` customer messages.
    fn messages(&self) -> (&'static str, &'static str) {
        const NOT_AVAILABLE: (&str, &str) = (
            "Diese Identifikations-methode steht nicht zur Verfügung. Bitte fahren sie mit der Video-Identifizierung fort.",
            "This identification method is not available. Please continue with video identification.",
        );
        const CONTACT_SOLARIS: (&str, &str) = (
            "Ein Fehler ist aufgetreten. Bitte kontaktieren Sie den Support.",
            "An error has occurred. Please contact Solaris support.",
        );
        match self {
            ErrorCode::IbanUsageLimitExceeded => (
                "Sie haben das Limit an Versuchen erreicht. Bitte fahren sie mit der Video-Identifizierung fort.",
                "You have reached the limit of attempts. Please continue with the video identification.",
            ),
            // The guide gives no message for this code; ours says what the customer can do.
            ErrorCode::MobileNumberNotVerified => (
                "Ihre Mobilnummer ist noch nicht bestätigt. Bitte bestätigen Sie Ihre Mobilnummer und versuchen Sie es erneut.",
                "Your mobile number has not been verified yet. Please verify your mobile number and try again.",
            ),
            ErrorCode::IdentificationAttemptsExceeded
            | ErrorCode::MatchForPersonDataNotFound
            | ErrorCode::PreviousIdentNotFound => NOT_AVAILABLE,
            ErrorCode::AlreadyIdentifiedSuccessfully => (
                "Sie haben sich bereits erfolgreich identifizert.",
                "You have already successfully identified yourself.",
            ),
            ErrorCode::PersonAccountMatchNotFound => (
                "Für diese IBAN steht diese Identifikationsmethode nicht zur Verfügung. Bitte versuchen Sie es mit einer anderen IBAN oder fahren Sie mit Video-Identifizierung fort.",
                "This identification method is not available for this IBAN. Please try another IBAN or continue with video identification.",
            ),
            ErrorCode::InvalidModel => (
                "Ein Fehler ist aufgetreten. Bitte kontaktieren Sie den Support.",
                "An error has occurred. Please contact the support.",
            ),
            ErrorCode::PersonMissingRequiredData
            | ErrorCode::DependencyError
            | ErrorCode::InternalRequestError
            | ErrorCode::GenericError
            | ErrorCode::Unknown(_) => CONTACT_SOLARIS,
            ErrorCode::AccessByAuthorizedHolder => (
                "Sie sind nicht Kontoinhaber. Bitte nutzen sie eine andere IBAN oder fahren Sie mit der Video-Identifizierung fort.",
                "You are not the account holder. Please use another IBAN or continue with the video identification.",
            ),
            ErrorCode::Expired => (
                "Ihr Identifizierungsprozess ist abgelaufen. Bitte versuchen Sie es erneut.",
                "Your Identification attempt has expired. Please Try again.",
            ),
            ErrorCode::AccountSnapshotFailed => (
                "Die Bankanmeldung oder Überweisung ist fehlgeschlagen. Bitte versuchen Sie es erneut.",
                "The bank login or transfer has failed. Please try again.",
            ),
            ErrorCode::JointAccount => (
                "Gemeinschaftskonten sind nicht unterstützt. Bitte nutzen sie eine andere IBAN oder fahren Sie mit der Video-Identifizierung fort.",
                "Joint accounts are not supported. Please use a different IBAN or continue with video identification.",
            ),
            ErrorCode::AccountSnapshotExpired => (
                "Die Anmeldesitzung der Bank ist abgelaufen. Bitte versuchen Sie es erneut.",
                "The bank login session has expired. Please try again.",
            ),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(ErrorCode::parse(&String::deserialize(deserializer)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn video_identification_is_offered_where_the_guide_says_so() {
        assert!(ErrorCode::JointAccount.offers_video_identification());
        assert!(ErrorCode::MatchForPersonDataNotFound.offers_video_identification());
        assert!(!ErrorCode::DependencyError.offers_video_identification());
        assert!(!ErrorCode::AlreadyIdentifiedSuccessfully.offers_video_identification());
    }

    #[test]
    fn every_listed_code_has_both_texts_a_status_and_a_category() {
        for code in ErrorCode::KNOWN {
            for language in Language::ALL {
                let text = code.customer_message(language);
                assert!(
                    text.len() > 20 && text.ends_with('.'),
                    "{code} {language:?}: {text}"
                );
            }
            assert_ne!(
                code.customer_message(Language::De),
                code.customer_message(Language::En),
                "{code}"
            );
            assert!(matches!(code.http_status(), 412 | 422), "{code}");
            assert_eq!(ErrorCode::parse(code.code()), code, "{code} parses back");
        }
    }

    #[test]
    fn categories_follow_the_guides_actions_column() {
        use OutcomeCategory::*;
        for (code, category) in [
            ("PERSON_ACCOUNT_MATCH_NOT_FOUND", RetryWithAnotherIban),
            ("ACCESS_BY_ATHORIZED_HOLDER", RetryWithAnotherIban),
            ("JOINT_ACCOUNT", RetryWithAnotherIban),
            ("ACCOUNT_SNAPSHOT_FAILED", RetryWithAnotherIban),
            ("ACCOUNT_SNAPSHOT_EXPIRED", StartAgain),
            ("EXPIRED", StartAgain),
            ("MATCH_FOR_PERSON_DATA_NOT_FOUND", MethodNotAvailable),
            ("PREVIOUS_IDENT_NOT_FOUND", MethodNotAvailable),
            ("IBAN_USAGE_LIMIT_EXCEEDED", Stop),
            ("IDENTIFICATION_ATTEMPTS_EXCEEDED", Stop),
            ("ALREADY_IDENTIFIED_SUCCESSFULLY", AlreadyIdentified),
            ("MOBILE_NUMBER_NOT_VERIFIED", FixDataAndRetry),
            ("PERSON_MISSING_REQUIRED_DATA", FixDataAndRetry),
            ("INVALID_MODEL", ContactSupport),
            ("DEPENDENCY_ERROR", ContactSupport),
            ("INTERNAL_REQUEST_ERROR", ContactSupport),
            ("GENERIC_ERROR", ContactSupport),
            ("SOMETHING_NEW", ContactSupport),
        ] {
            assert_eq!(ErrorCode::parse(code).category(), category, "{code}");
        }
    }

    #[test]
    fn category_codes_are_the_serialized_names() {
        for category in OutcomeCategory::ALL {
            assert_eq!(serde_json::to_value(category).unwrap(), category.code());
            assert_eq!(OutcomeCategory::parse(category.code()), Some(category));
        }
        assert_eq!(OutcomeCategory::parse("retry"), None);
    }

    #[test]
    fn authorized_holder_in_both_spellings_and_any_case() {
        for spelling in [
            "ACCESS_BY_ATHORIZED_HOLDER",
            "access_by_athorized_holder",
            "ACCESS_BY_AUTHORIZED_HOLDER",
            "access_by_authorized_holder",
            " Access_By_Authorized_Holder ",
        ] {
            assert_eq!(
                ErrorCode::parse(spelling),
                ErrorCode::AccessByAuthorizedHolder,
                "{spelling}"
            );
        }
        assert_eq!(
            ErrorCode::AccessByAuthorizedHolder.code(),
            "ACCESS_BY_ATHORIZED_HOLDER"
        );
    }

    #[test]
    fn the_guides_exact_words() {
        let code = ErrorCode::parse("person_account_match_not_found");
        assert_eq!(
            code.customer_message(Language::En),
            "This identification method is not available for this IBAN. Please try another IBAN or continue with video identification."
        );
        assert_eq!(
            ErrorCode::JointAccount.customer_message(Language::De),
            "Gemeinschaftskonten sind nicht unterstützt. Bitte nutzen sie eine andere IBAN oder fahren Sie mit der Video-Identifizierung fort."
        );
        assert_eq!(ErrorCode::AlreadyIdentifiedSuccessfully.http_status(), 422);
        assert_eq!(ErrorCode::Expired.http_status(), 412);
    }

    #[test]
    fn unknown_codes_are_kept_and_go_to_support() {
        let code: ErrorCode = serde_json::from_str("\"new_reason\"").unwrap();
        assert_eq!(code, ErrorCode::Unknown("NEW_REASON".into()));
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"NEW_REASON\"");
        assert_eq!(
            code.customer_message(Language::En),
            "An error has occurred. Please contact Solaris support."
        );
    }
}
