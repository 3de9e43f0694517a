//! German banks by bank code (BLZ): name and BIC, from the Bundesbank's bank-code file
//! (`data/bank_codes.tsv`, one row per bank code). Server-side only (feature `bank-directory`).

use std::sync::OnceLock;

use crate::iban::Iban;

/// A bank of the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bank {
    /// The 8-digit bank code.
    pub bank_code: &'static str,
    /// The bank's BIC (11 characters).
    pub bic: &'static str,
    /// The bank's name as the Bundesbank lists it.
    pub name: &'static str,
}

const DATA: &str = include_str!("../data/bank_codes.tsv");

/// Every bank, sorted by bank code, parsed once.
fn banks() -> &'static [Bank] {
    static BANKS: OnceLock<Vec<Bank>> = OnceLock::new();
    BANKS.get_or_init(|| {
        DATA.lines()
            .filter(|line| !line.starts_with('#') && !line.is_empty())
            .filter_map(|line| {
                let mut parts = line.splitn(3, '\t');
                Some(Bank {
                    bank_code: parts.next()?,
                    bic: parts.next()?,
                    name: parts.next()?,
                })
            })
            .collect()
    })
}

/// The bank with this 8-digit bank code, if the directory has it.
pub fn bank_by_code(bank_code: &str) -> Option<Bank> {
    let banks = banks();
    banks
        .binary_search_by(|bank| bank.bank_code.cmp(bank_code))
        .ok()
        .map(|index| banks[index])
}

/// The bank of a German IBAN, if the directory has its bank code (it may be newer than the data).
pub fn bank_of(iban: &Iban) -> Option<Bank> {
    bank_by_code(iban.bank_code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_is_complete_sorted_and_well_formed() {
        let banks = banks();
        assert_eq!(banks.len(), 3505);
        for pair in banks.windows(2) {
            assert!(pair[0].bank_code < pair[1].bank_code);
        }
        for bank in banks {
            assert!(
                bank.bank_code.len() == 8 && bank.bank_code.chars().all(|c| c.is_ascii_digit()),
                "{bank:?}"
            );
            assert!(
                bank.bic.len() == 11 && bank.bic.chars().all(|c| c.is_ascii_alphanumeric()),
                "{bank:?}"
            );
            assert!(!bank.name.is_empty(), "{bank:?}");
        }
    }

    #[test]
    fn finds_the_sandbox_bank_and_others() {
        let sandbox = bank_of(&Iban::parse("DE11110101010100000020").unwrap()).unwrap();
        assert_eq!((sandbox.name, sandbox.bic), ("Solaris", "SOBKDEB2XXX"));
        assert_eq!(
            bank_by_code("37040044").map(|bank| bank.bic),
            Some("COBADEFFXXX")
        );
        assert_eq!(bank_by_code("99999999"), None);
    }
}
