//! Persons and their mobile number (`/v1/persons`, `/v1/persons/{id}/mobile_number`).

use serde::{Deserialize, Serialize};

/// Body of `POST /v1/persons` as the partner backend sends it: the guide's mandatory fields for
/// Bankident's Step 1 and the sandbox example's other consents. Timestamps are UTC RFC 3339.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRequest {
    /// `MR`, `MS`, or absent (the guide's nonbinary option).
    pub salutation: Option<String>,
    /// First names as on the ID.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// Place of birth.
    pub birth_city: String,
    /// ISO 3166-1 alpha-2.
    pub birth_country: String,
    /// ISO 3166-1 alpha-2.
    pub nationality: String,
    /// Residence.
    pub address: AddressBody,
    /// The mobile number (Solaris only forwards this field; verification uses the mobile
    /// number endpoints).
    pub mobile_number: String,
    /// Email address.
    pub email: String,
    /// Employment status enum value.
    pub employment_status: String,
    /// Whether the customer is liable to pay tax in the USA.
    pub fatca_relevant: bool,
    /// When the customer confirmed the FATCA/CRS answer.
    pub fatca_crs_confirmed_at: Option<String>,
    /// Data processing consent.
    pub data_terms_signed_at: Option<String>,
    /// Solaris' terms and conditions.
    pub terms_conditions_signed_at: Option<String>,
    /// Own economic interest.
    pub own_economic_interest_signed_at: Option<String>,
}

/// A person's address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressBody {
    /// Street and number.
    pub line_1: String,
    /// Additional line.
    pub line_2: Option<String>,
    /// Postal code.
    pub postal_code: String,
    /// Town.
    pub city: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// State or region code where the country has them (e.g. `BE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// Body of `POST …/mobile_number`, `…/authorize` and `DELETE …/mobile_number`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MobileNumberRequest {
    /// E.164 number.
    pub number: String,
}

/// A person's mobile number as Solaris answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MobileNumberBody {
    /// `…cmno`.
    pub id: String,
    /// E.164 number.
    pub number: String,
    /// Whether the SMS code was confirmed.
    pub verified: bool,
}
