//! What each IBAN does in the emulator: the guide's mocked sandbox IBANs (Appendix II), and the
//! happy path for every other valid German IBAN.

use bankident_domain::ErrorCode;

/// How an identification with a given IBAN plays out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IbanBehaviour {
    /// Bank step and QES succeed (DE11110101010100000020 and every unlisted valid German IBAN).
    Success,
    /// Creating the identification fails with this 412 code (SCHUFA checks at the IBAN step).
    RejectedAtCreation(ErrorCode),
    /// The bank step finds a problem: the identification fails with this reason, and the next
    /// step (authorize) answers 409 expectation_mismatch.
    FailsAtBankStep(ErrorCode),
    /// The bank step succeeds, the QES at Swisscom fails (DE77110101010100000093).
    QesFails,
}

/// The guide's mocked sandbox IBANs: their behaviour is fixed by the guide's table, for every
/// partner, so they never count towards a limit across persons.
pub const MOCKED_IBANS: [&str; 8] = [
    "DE11110101010100000020",
    "DE43110101010000000010",
    "DE22110101010100000016",
    "DE33110101010100000012",
    "DE44110101010100000008",
    "DE55110101010100000004",
    "DE66110101010100000000",
    "DE77110101010100000093",
];

/// The behaviour of a valid German IBAN (electronic form).
pub fn behaviour(iban: &str) -> IbanBehaviour {
    match iban {
        "DE43110101010000000010" => {
            IbanBehaviour::FailsAtBankStep(ErrorCode::AccessByAuthorizedHolder)
        }
        "DE22110101010100000016" => {
            IbanBehaviour::RejectedAtCreation(ErrorCode::MatchForPersonDataNotFound)
        }
        "DE33110101010100000012" => {
            IbanBehaviour::RejectedAtCreation(ErrorCode::PreviousIdentNotFound)
        }
        "DE44110101010100000008" => {
            IbanBehaviour::RejectedAtCreation(ErrorCode::PersonAccountMatchNotFound)
        }
        "DE55110101010100000004" => IbanBehaviour::FailsAtBankStep(ErrorCode::JointAccount),
        "DE66110101010100000000" => {
            IbanBehaviour::FailsAtBankStep(ErrorCode::AccountSnapshotFailed)
        }
        "DE77110101010100000093" => IbanBehaviour::QesFails,
        _ => IbanBehaviour::Success,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mocked_iban_is_valid_and_has_its_behaviour() {
        for (iban, expected) in [
            ("DE11110101010100000020", IbanBehaviour::Success),
            (
                "DE43110101010000000010",
                IbanBehaviour::FailsAtBankStep(ErrorCode::AccessByAuthorizedHolder),
            ),
            (
                "DE22110101010100000016",
                IbanBehaviour::RejectedAtCreation(ErrorCode::MatchForPersonDataNotFound),
            ),
            (
                "DE33110101010100000012",
                IbanBehaviour::RejectedAtCreation(ErrorCode::PreviousIdentNotFound),
            ),
            (
                "DE44110101010100000008",
                IbanBehaviour::RejectedAtCreation(ErrorCode::PersonAccountMatchNotFound),
            ),
            (
                "DE55110101010100000004",
                IbanBehaviour::FailsAtBankStep(ErrorCode::JointAccount),
            ),
            (
                "DE66110101010100000000",
                IbanBehaviour::FailsAtBankStep(ErrorCode::AccountSnapshotFailed),
            ),
            ("DE77110101010100000093", IbanBehaviour::QesFails),
        ] {
            assert!(bankident_domain::Iban::parse(iban).is_ok(), "{iban}");
            assert_eq!(behaviour(iban), expected, "{iban}");
        }
        assert_eq!(behaviour("DE89370400440532013000"), IbanBehaviour::Success);
    }
}
