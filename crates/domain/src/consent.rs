//! The customer's consents, each recorded as the UTC moment they ticked it. Nothing is ever
//! pre-ticked: a consent without a timestamp was not given.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime, UtcOffset};

use crate::field_error::{Field, FieldError};

/// How long before it reaches the server a consent may have been given: a journey's answers
/// live in the browser tab; one left open for longer is asked to tick again.
pub const MAX_CONSENT_AGE: Duration = Duration::hours(24);
/// How far ahead of the server's clock a browser's clock may run.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);

/// A consent or confirmation the customer gives before the identification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    /// Solaris' data processing terms (`data_terms_signed_at`).
    DataTerms,
    /// Solaris' terms and conditions (`terms_conditions_signed_at`).
    TermsConditions,
    /// Acting on one's own account, not for someone else (`own_economic_interest_signed_at`).
    OwnEconomicInterest,
    /// The FATCA/CRS tax residency confirmation (`fatca_crs_confirmed_at`).
    FatcaCrs,
}

impl ConsentKind {
    /// Every consent, in the order the consent screen shows them. All are required.
    pub const ALL: [ConsentKind; 4] = [
        ConsentKind::DataTerms,
        ConsentKind::TermsConditions,
        ConsentKind::OwnEconomicInterest,
        ConsentKind::FatcaCrs,
    ];

    /// The Solaris person field that carries this consent's timestamp.
    pub fn solaris_field(self) -> &'static str {
        match self {
            ConsentKind::DataTerms => "data_terms_signed_at",
            ConsentKind::TermsConditions => "terms_conditions_signed_at",
            ConsentKind::OwnEconomicInterest => "own_economic_interest_signed_at",
            ConsentKind::FatcaCrs => "fatca_crs_confirmed_at",
        }
    }

    /// The form field of this consent's checkbox.
    pub fn field(self) -> Field {
        match self {
            ConsentKind::DataTerms => Field::DataTerms,
            ConsentKind::TermsConditions => Field::TermsConditions,
            ConsentKind::OwnEconomicInterest => Field::OwnEconomicInterest,
            ConsentKind::FatcaCrs => Field::FatcaCrs,
        }
    }
}

/// When each consent was given, in UTC, to the second (as Solaris' examples show them).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consents {
    /// `data_terms_signed_at`.
    #[serde(with = "time::serde::rfc3339::option", default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub data_terms_signed_at: Option<OffsetDateTime>,
    /// `terms_conditions_signed_at`.
    #[serde(with = "time::serde::rfc3339::option", default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub terms_conditions_signed_at: Option<OffsetDateTime>,
    /// `own_economic_interest_signed_at`.
    #[serde(with = "time::serde::rfc3339::option", default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub own_economic_interest_signed_at: Option<OffsetDateTime>,
    /// `fatca_crs_confirmed_at`.
    #[serde(with = "time::serde::rfc3339::option", default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub fatca_crs_confirmed_at: Option<OffsetDateTime>,
}

impl Consents {
    fn slot(&mut self, kind: ConsentKind) -> &mut Option<OffsetDateTime> {
        match kind {
            ConsentKind::DataTerms => &mut self.data_terms_signed_at,
            ConsentKind::TermsConditions => &mut self.terms_conditions_signed_at,
            ConsentKind::OwnEconomicInterest => &mut self.own_economic_interest_signed_at,
            ConsentKind::FatcaCrs => &mut self.fatca_crs_confirmed_at,
        }
    }

    /// Records that the customer ticked `kind` at `now` (converted to UTC, whole seconds).
    pub fn tick(&mut self, kind: ConsentKind, now: OffsetDateTime) {
        let utc = now.to_offset(UtcOffset::UTC);
        *self.slot(kind) = Some(utc.replace_nanosecond(0).unwrap_or(utc));
    }

    /// Records that the customer unticked `kind`: the consent is withdrawn, its time forgotten.
    pub fn untick(&mut self, kind: ConsentKind) {
        *self.slot(kind) = None;
    }

    /// When `kind` was given, if it was.
    pub fn signed_at(&self, kind: ConsentKind) -> Option<OffsetDateTime> {
        let mut copy = *self;
        *copy.slot(kind)
    }

    /// One error for each consent whose time cannot be true when the server receives it at
    /// `received_at`: in the future (beyond [`CLOCK_SKEW`]) or more than [`MAX_CONSENT_AGE`]
    /// before. The time comes from the customer's device, a claim the server checks.
    pub fn implausible(&self, received_at: OffsetDateTime) -> Vec<FieldError> {
        ConsentKind::ALL
            .into_iter()
            .filter(|kind| {
                self.signed_at(*kind).is_some_and(|at| {
                    at > received_at + CLOCK_SKEW || at < received_at - MAX_CONSENT_AGE
                })
            })
            .map(|kind| FieldError::new(kind.field(), crate::field_error::Problem::NotPlausible))
            .collect()
    }

    /// One error for each consent not given, in screen order.
    pub fn missing(&self) -> Vec<FieldError> {
        ConsentKind::ALL
            .into_iter()
            .filter(|kind| self.signed_at(*kind).is_none())
            .map(|kind| FieldError::new(kind.field(), crate::field_error::Problem::NotConsented))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field_error::Problem;
    use time::macros::datetime;

    #[test]
    fn nothing_is_consented_by_default() {
        let consents = Consents::default();
        assert_eq!(consents.missing().len(), ConsentKind::ALL.len());
        assert!(
            consents
                .missing()
                .iter()
                .all(|e| e.problem == Problem::NotConsented)
        );
    }

    #[test]
    fn ticking_records_utc_to_the_second_and_unticking_clears() {
        let mut consents = Consents::default();
        consents.tick(
            ConsentKind::DataTerms,
            datetime!(2026-11-25 10:15:30.456 +01:00),
        );
        assert_eq!(
            consents.signed_at(ConsentKind::DataTerms),
            Some(datetime!(2026-11-25 09:15:30 UTC))
        );
        let json = serde_json::to_value(consents).unwrap();
        assert_eq!(json["data_terms_signed_at"], "2026-11-25T09:15:30Z");
        assert!(json["terms_conditions_signed_at"].is_null());
        consents.untick(ConsentKind::DataTerms);
        assert_eq!(consents.signed_at(ConsentKind::DataTerms), None);
    }

    #[test]
    fn missing_lists_exactly_the_unticked_ones() {
        let mut consents = Consents::default();
        for kind in [ConsentKind::DataTerms, ConsentKind::FatcaCrs] {
            consents.tick(kind, datetime!(2026-11-25 09:00 UTC));
        }
        assert_eq!(
            consents.missing(),
            vec![
                FieldError::new(Field::TermsConditions, Problem::NotConsented),
                FieldError::new(Field::OwnEconomicInterest, Problem::NotConsented),
            ]
        );
    }

    #[test]
    fn consent_times_must_be_plausible_when_received() {
        let received = datetime!(2026-11-26 12:00 UTC);
        let mut consents = Consents::default();
        consents.tick(ConsentKind::DataTerms, received - Duration::hours(1));
        consents.tick(
            ConsentKind::TermsConditions,
            received + Duration::minutes(4),
        );
        assert!(
            consents.implausible(received).is_empty(),
            "an hour ago, a clock slightly ahead"
        );
        consents.tick(
            ConsentKind::OwnEconomicInterest,
            received + Duration::hours(2),
        );
        consents.tick(ConsentKind::FatcaCrs, received - Duration::days(3));
        assert_eq!(
            consents.implausible(received),
            vec![
                FieldError::new(Field::OwnEconomicInterest, Problem::NotPlausible),
                FieldError::new(Field::FatcaCrs, Problem::NotPlausible),
            ]
        );
    }

    #[test]
    fn solaris_field_names() {
        let names: Vec<_> = ConsentKind::ALL.iter().map(|k| k.solaris_field()).collect();
        assert_eq!(
            names,
            [
                "data_terms_signed_at",
                "terms_conditions_signed_at",
                "own_economic_interest_signed_at",
                "fatca_crs_confirmed_at"
            ]
        );
    }
}
