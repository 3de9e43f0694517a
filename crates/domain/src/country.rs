//! ISO 3166-1 alpha-2 countries with their English and German names, for nationality, country of
//! birth and address country.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::country_names::COUNTRIES;
use crate::field_error::Problem;
use crate::language::Language;

/// A country by its ISO 3166-1 alpha-2 code, as Solaris expects it (`DE`, `AT`, ...).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country(u8);

impl Country {
    /// Germany, the default country of address.
    pub const GERMANY: Country = Country::const_from_code("DE");

    const fn const_from_code(code: &str) -> Country {
        let code = code.as_bytes();
        let mut index = 0;
        while index < COUNTRIES.len() {
            let candidate = COUNTRIES[index].0.as_bytes();
            if candidate[0] == code[0] && candidate[1] == code[1] {
                return Country(index as u8);
            }
            index += 1;
        }
        panic!("unknown country code");
    }

    /// Reads an alpha-2 code such as `DE`. Upper case only, as Solaris' enums are case-sensitive.
    pub fn parse(code: &str) -> Result<Country, Problem> {
        if code.is_empty() {
            return Err(Problem::Required);
        }
        COUNTRIES
            .binary_search_by(|(candidate, _, _)| candidate.cmp(&code))
            .map(|index| Country(index as u8))
            .map_err(|_| Problem::UnknownValue)
    }

    /// The alpha-2 code.
    pub fn code(self) -> &'static str {
        COUNTRIES[self.0 as usize].0
    }

    /// The country's short name in the given language.
    pub fn name(self, language: Language) -> &'static str {
        let (_, english, german) = COUNTRIES[self.0 as usize];
        match language {
            Language::En => english,
            Language::De => german,
        }
    }

    /// Every country, in code order.
    pub fn all() -> impl Iterator<Item = Country> {
        (0..COUNTRIES.len()).map(|index| Country(index as u8))
    }

    /// Every country sorted by its name in `language`, as a select list shows them
    /// (umlauts sort with their base letter: Österreich between Oman and Pakistan).
    pub fn sorted_by_name(language: Language) -> Vec<Country> {
        let mut countries: Vec<Country> = Country::all().collect();
        countries.sort_by_cached_key(|country| collation_key(country.name(language)));
        countries
    }
}

/// A sort key that puts accented letters with their base letter, as German dictionaries do.
fn collation_key(name: &str) -> String {
    name.chars()
        .flat_map(|c| {
            let base = match c {
                'Ä' | 'Á' | 'À' | 'Â' | 'Å' | 'Ã' => "a",
                'ä' | 'á' | 'à' | 'â' | 'å' | 'ã' => "a",
                'Ö' | 'Ó' | 'Ò' | 'Ô' | 'Ø' | 'ö' | 'ó' | 'ò' | 'ô' | 'ø' => "o",
                'Ü' | 'Ú' | 'Ù' | 'Û' | 'ü' | 'ú' | 'ù' | 'û' => "u",
                'É' | 'È' | 'Ê' | 'é' | 'è' | 'ê' | 'ë' => "e",
                'Í' | 'Î' | 'í' | 'î' | 'ï' => "i",
                'Ç' | 'ç' => "c",
                'ß' => "ss",
                _ => "",
            };
            if base.is_empty() {
                // Our names are ASCII but for the letters above (the tests sort every name).
                vec![c.to_ascii_lowercase()]
            } else {
                base.chars().collect()
            }
        })
        .collect()
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Country({})", self.code())
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Country::parse(&code)
            .map_err(|_| serde::de::Error::custom(format!("unknown country code {code:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_complete() {
        assert_eq!(COUNTRIES.len(), 249, "ISO 3166-1 has 249 alpha-2 codes");
        for pair in COUNTRIES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for (code, english, german) in COUNTRIES {
            assert!(
                code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase()),
                "{code}"
            );
            assert!(!english.is_empty() && !german.is_empty(), "{code}");
        }
    }

    #[test]
    fn codes_parse_with_names_in_both_languages() {
        for (code, english, german) in [
            ("DE", "Germany", "Deutschland"),
            ("AT", "Austria", "Österreich"),
            ("GB", "United Kingdom", "Vereinigtes Königreich"),
            ("US", "United States", "Vereinigte Staaten"),
            ("KP", "North Korea", "Nordkorea"),
        ] {
            let country = Country::parse(code).unwrap();
            assert_eq!(country.code(), code);
            assert_eq!(country.name(Language::En), english);
            assert_eq!(country.name(Language::De), german);
        }
        assert_eq!(Country::GERMANY.code(), "DE");
    }

    #[test]
    fn rejects_unknown_and_wrong_case_codes() {
        assert_eq!(Country::parse(""), Err(Problem::Required));
        for code in ["XX", "de", "DEU", "D", "UK"] {
            assert_eq!(Country::parse(code), Err(Problem::UnknownValue), "{code}");
        }
        assert!(serde_json::from_str::<Country>("\"ZZ\"").is_err());
        assert_eq!(serde_json::to_string(&Country::GERMANY).unwrap(), "\"DE\"");
    }

    #[test]
    fn sorting_by_name_follows_the_language() {
        let german: Vec<&str> = Country::sorted_by_name(Language::De)
            .iter()
            .map(|c| c.code())
            .collect();
        let position = |code| german.iter().position(|c| *c == code).unwrap();
        // Oman < Österreich < Pakistan in German.
        assert!(position("OM") < position("AT") && position("AT") < position("PK"));
        let english: Vec<&str> = Country::sorted_by_name(Language::En)
            .iter()
            .map(|c| c.code())
            .collect();
        assert_eq!(
            english.first(),
            Some(&"AF"),
            "Afghanistan comes first in English"
        );
    }
}
