//! How Bankident is driven: Solaris' hosted webview (the default) or Solaris' API with our own
//! screens (the guide's Appendix II flow).

use serde::{Deserialize, Serialize};

/// The integration mode of an onboarding.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentificationMode {
    /// Solaris' webview: an identification session, Solaris' own screens.
    #[default]
    Webview,
    /// Solaris' API: our screens verify the mobile number, send the customer to the payment
    /// wizard and run the signature; the IBAN the customer gave us is used as it is.
    Api,
}

impl IdentificationMode {
    /// Its name in settings, the database and the partner API.
    pub fn as_str(self) -> &'static str {
        match self {
            IdentificationMode::Webview => "webview",
            IdentificationMode::Api => "api",
        }
    }

    /// Reads `webview` or `api` (any case, surrounding spaces ignored).
    pub fn parse(text: &str) -> Option<IdentificationMode> {
        match text.trim().to_ascii_lowercase().as_str() {
            "webview" => Some(IdentificationMode::Webview),
            "api" => Some(IdentificationMode::Api),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_modes_and_nothing_else() {
        assert_eq!(
            IdentificationMode::parse(" API "),
            Some(IdentificationMode::Api)
        );
        assert_eq!(
            IdentificationMode::parse("webview"),
            Some(IdentificationMode::Webview)
        );
        assert_eq!(IdentificationMode::parse("web"), None);
        assert_eq!(IdentificationMode::default(), IdentificationMode::Webview);
        for mode in [IdentificationMode::Api, IdentificationMode::Webview] {
            assert_eq!(IdentificationMode::parse(mode.as_str()), Some(mode));
        }
    }
}
