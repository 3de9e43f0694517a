//! The bank page's IBAN lookup: a valid German IBAN and its bank, from the Bundesbank
//! directory.

use bankident_domain::bank_directory::bank_of;
use serde::Serialize;

use super::{Browser, Onboardings, parse_iban};
use crate::error::ApiError;
use crate::rate_limits::ClientCall;

/// A valid German IBAN and its bank.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IbanLookupAnswer {
    /// Electronic form (no spaces).
    pub iban: String,
    /// In groups of four.
    pub formatted: String,
    /// The German bank code (BLZ).
    pub bank_code: String,
    /// The bank's name, when the Bundesbank directory knows the bank code.
    pub bank_name: Option<String>,
    /// Its BIC, likewise.
    pub bic: Option<String>,
}

impl Onboardings {
    /// Checks an IBAN and names its bank, within the lookups' rate limits (per client address
    /// and per browser).
    pub fn iban_lookup(&self, browser: &Browser, iban: &str) -> Result<IbanLookupAnswer, ApiError> {
        self.rate_limits
            .check_client(ClientCall::Lookup, browser.address)?;
        self.rate_limits.check_lookup(browser.hash())?;
        let iban = parse_iban(iban)?;
        let bank = bank_of(&iban);
        Ok(IbanLookupAnswer {
            iban: iban.electronic().to_string(),
            formatted: iban.to_string(),
            bank_code: iban.bank_code().to_string(),
            bank_name: bank.map(|bank| bank.name.to_string()),
            bic: bank.map(|bank| bank.bic.to_string()),
        })
    }
}
