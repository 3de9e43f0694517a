//! Statuses of identification sessions and person identifications, as Solaris reports them.
//! Both tolerate values Solaris may add later: they are kept, not rejected.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Generates a status enum with known values, an `Unknown` catch-all and string serde.
macro_rules! status_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A status this product does not know yet, kept as received.
            Unknown(String),
        }

        impl $name {
            /// Reads Solaris' value; unknown values are kept.
            pub fn parse(text: &str) -> Self {
                match text {
                    $($text => $name::$variant,)+
                    other => $name::Unknown(other.to_string()),
                }
            }

            /// Solaris' value.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Unknown(text) => text,
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok($name::parse(&String::deserialize(deserializer)?))
            }
        }
    };
}

status_enum! {
    /// Status of an identification session (the guide's Appendix I).
    SessionStatus {
        /// Created; stays so until the customer completes the identification.
        Created = "created",
        /// The customer completed the identification successfully.
        Successful = "successful",
        /// The customer did not complete it in time.
        Expired = "expired",
        /// Rejected (Solaris' reference lists it; the guide does not describe it).
        Rejected = "rejected",
        /// In progress (reference).
        Pending = "pending",
        /// Provisionally successful (reference).
        PendingSuccessful = "pending_successful",
        /// The contract can be signed (reference).
        AuthorizationRequired = "authorization_required",
        /// The signing code is awaited (reference).
        ConfirmationRequired = "confirmation_required",
        /// The signing code was confirmed (reference).
        Confirmed = "confirmed",
        /// More data is needed (reference).
        IdentificationDataRequired = "identification_data_required",
    }
}

impl SessionStatus {
    /// Whether the status can no longer change.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            SessionStatus::Successful | SessionStatus::Expired | SessionStatus::Rejected
        )
    }
}

status_enum! {
    /// Status of a person identification with method `bank`.
    IdentificationStatus {
        /// Created, not yet requested.
        Created = "created",
        /// Requested: the customer is at the bank connection (cent transfer).
        Pending = "pending",
        /// The cent transfer succeeded; the contract can be signed (QES).
        AuthorizationRequired = "authorization_required",
        /// The QES was started; the SMS code is awaited.
        ConfirmationRequired = "confirmation_required",
        /// The SMS code was confirmed; the signature is being completed.
        Confirmed = "confirmed",
        /// Provisionally successful.
        PendingSuccessful = "pending_successful",
        /// Provisionally failed.
        PendingFailed = "pending_failed",
        /// Identified.
        Successful = "successful",
        /// Failed; `failure_reason` says why.
        Failed = "failed",
        /// Expired.
        Expired = "expired",
        /// Aborted by the customer.
        Aborted = "aborted",
        /// Canceled.
        Canceled = "canceled",
        /// Rejected.
        Rejected = "rejected",
    }
}

impl IdentificationStatus {
    /// Whether the status can no longer change.
    pub fn is_final(&self) -> bool {
        use IdentificationStatus::*;
        matches!(
            self,
            Successful | Failed | Expired | Aborted | Canceled | Rejected
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_statuses_round_trip_and_tolerate_new_values() {
        for text in ["created", "successful", "expired", "pending", "reviewing"] {
            let status: SessionStatus = serde_json::from_str(&format!("\"{text}\"")).unwrap();
            assert_eq!(status.as_str(), text);
            assert_eq!(
                serde_json::to_string(&status).unwrap(),
                format!("\"{text}\"")
            );
        }
        assert_eq!(
            SessionStatus::parse("reviewing"),
            SessionStatus::Unknown("reviewing".into())
        );
        assert!(SessionStatus::Expired.is_final() && !SessionStatus::Created.is_final());
        assert!(SessionStatus::Rejected.is_final());
        assert!(!SessionStatus::parse("pending").is_final());
        assert!(!SessionStatus::parse("reviewing").is_final());
    }

    #[test]
    fn identification_statuses() {
        assert_eq!(
            IdentificationStatus::parse("authorization_required"),
            IdentificationStatus::AuthorizationRequired
        );
        assert_eq!(
            IdentificationStatus::parse("signed"),
            IdentificationStatus::Unknown("signed".into())
        );
        for (text, is_final) in [
            ("pending", false),
            ("confirmed", false),
            ("successful", true),
            ("failed", true),
            ("expired", true),
        ] {
            assert_eq!(
                IdentificationStatus::parse(text).is_final(),
                is_final,
                "{text}"
            );
        }
    }
}
