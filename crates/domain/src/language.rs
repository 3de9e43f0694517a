//! The two languages every customer-facing text exists in.

use serde::{Deserialize, Serialize};

/// A language of the product's texts. German first: the customers are German banks' customers.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Deutsch.
    #[default]
    De,
    /// English.
    En,
}

impl Language {
    /// Every language, in the order a language switch lists them.
    pub const ALL: [Language; 2] = [Language::De, Language::En];

    /// The BCP 47 tag, as used in `<html lang>` and `?lang=`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
        }
    }

    /// Reads a language tag such as `de`, `de-AT` or `EN-gb`; `None` for other languages.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.split(['-', '_']).next()?.trim();
        if primary.eq_ignore_ascii_case("de") {
            Some(Language::De)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Language::En)
        } else {
            None
        }
    }

    /// The first supported language of a browser's preference list (`navigator.languages`).
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Option<Language> {
        preferred.into_iter().find_map(Language::from_tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags_with_regions_and_any_case() {
        for (tag, expected) in [
            ("de", Some(Language::De)),
            ("de-AT", Some(Language::De)),
            ("DE_ch", Some(Language::De)),
            ("en", Some(Language::En)),
            ("en-GB", Some(Language::En)),
            ("fr", None),
            ("", None),
            ("deu", None),
        ] {
            assert_eq!(Language::from_tag(tag), expected, "{tag}");
        }
    }

    #[test]
    fn negotiation_takes_the_first_supported_preference() {
        assert_eq!(
            Language::negotiate(["fr-FR", "en-US", "de"]),
            Some(Language::En)
        );
        assert_eq!(Language::negotiate(["fr", "it"]), None);
    }
}
