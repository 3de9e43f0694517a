//! Properties of the rules every customer's input goes through, checked on many generated
//! inputs (proptest): no input makes them panic, what they accept they accept again in the form
//! they give back, and the IBAN checksum catches every single changed digit.

use bankident_domain::{
    BirthDate, Email, Iban, IbanError, MobileNumber, PersonAnswers, PersonName, format_iban_input,
};
use proptest::prelude::*;

/// A valid German IBAN for a BBAN of 18 digits: ISO 13616 check digits, `DE` as 1314.
fn german_iban(bban: &str) -> String {
    let rearranged = format!("{bban}131400");
    let remainder = rearranged.bytes().fold(0u32, |rest, digit| {
        (rest * 10 + u32::from(digit - b'0')) % 97
    });
    format!("DE{:02}{bban}", 98 - remainder)
}

fn today() -> time::Date {
    time::macros::date!(2026 - 11 - 26)
}

proptest! {
    #[test]
    fn every_valid_iban_is_accepted_however_it_is_spaced(bban in "[0-9]{18}", spacing in "[ -]{0,2}") {
        let electronic = german_iban(&bban);
        let iban = Iban::parse(&electronic).unwrap();
        prop_assert_eq!(iban.electronic(), electronic.as_str());
        let grouped = iban.to_string();
        let again = Iban::parse(&grouped).unwrap();
        prop_assert_eq!(again.electronic(), electronic.as_str());
        let typed: String = electronic
            .chars()
            .enumerate()
            .flat_map(|(index, c)| {
                let gap = if index > 0 && index % 4 == 0 { spacing.clone() } else { String::new() };
                gap.chars().chain(std::iter::once(c.to_ascii_lowercase())).collect::<Vec<_>>()
            })
            .collect();
        let typed = Iban::parse(&typed).unwrap();
        prop_assert_eq!(typed.electronic(), electronic.as_str());
    }

    #[test]
    fn every_single_changed_digit_is_caught(bban in "[0-9]{18}", at in 2usize..22, by in 1u8..10) {
        let electronic = german_iban(&bban);
        let mut bytes = electronic.into_bytes();
        bytes[at] = b'0' + (bytes[at] - b'0' + by) % 10;
        let changed = String::from_utf8(bytes).unwrap();
        prop_assert_eq!(Iban::parse(&changed).unwrap_err(), IbanError::CheckDigits);
    }

    #[test]
    fn formatting_while_typing_keeps_the_caret_with_its_character(raw in "[0-9A-Za-z -]{0,40}", caret in 0usize..45) {
        let caret = caret.min(raw.chars().count());
        let formatted = format_iban_input(&raw, caret);
        prop_assert!(formatted.caret <= formatted.text.chars().count());
        // Formatting what is formatted changes nothing.
        let again = format_iban_input(&formatted.text, formatted.caret);
        prop_assert_eq!(&again, &formatted);
        // The caret stands after as many letters and digits as before.
        let significant = |text: &str, upto: usize| text.chars().take(upto).filter(|c| c.is_ascii_alphanumeric()).count();
        prop_assert_eq!(significant(&formatted.text, formatted.caret), significant(&raw, caret));
        prop_assert!(!formatted.text.starts_with(' ') && !formatted.text.ends_with(' ') && !formatted.text.contains("  "));
    }

    #[test]
    fn no_text_makes_a_rule_panic(text in any::<String>()) {
        let _ = Iban::parse(&text);
        let _ = format_iban_input(&text, text.chars().count() / 2);
        let _ = PersonName::parse(&text);
        let _ = Email::parse(&text);
        let _ = MobileNumber::parse(&text);
        let _ = BirthDate::from_parts(&text, &text, &text, today());
        let _ = BirthDate::parse_iso(&text, today());
    }

    #[test]
    fn accepted_names_numbers_and_emails_are_accepted_again_as_given_back(text in "\\PC{0,60}") {
        if let Ok(name) = PersonName::parse(&text) {
            prop_assert!(!name.as_str().chars().any(char::is_control));
            prop_assert_eq!(PersonName::parse(name.as_str()).unwrap(), name.clone());
        }
        if let Ok(number) = MobileNumber::parse(&text) {
            prop_assert_eq!(MobileNumber::parse(number.as_str()).unwrap(), number.clone());
        }
        if let Ok(email) = Email::parse(&text) {
            let refused = ['<', '>', '"', '\u{202E}'];
            prop_assert!(!email.as_str().contains(refused), "{:?}", email.as_str());
            prop_assert_eq!(Email::parse(email.as_str()).unwrap(), email.clone());
        }
    }

    #[test]
    fn dates_of_birth_are_real_and_of_adults(day in "[0-9]{1,2}", month in "[0-9]{1,2}", year in "[0-9]{4}") {
        if let Ok(birth) = BirthDate::from_parts(&day, &month, &year, today()) {
            prop_assert!(birth.age_on(today()) >= 18);
            prop_assert!(birth.date() < today());
        }
    }

    #[test]
    fn the_apis_json_never_panics(json in "\\PC{0,200}") {
        if let Ok(answers) = serde_json::from_str::<PersonAnswers>(&json) {
            let _ = answers.validate(today());
        }
    }
}

#[test]
fn the_generator_makes_the_guides_ibans() {
    assert_eq!(german_iban("110101010100000020"), "DE11110101010100000020");
    assert_eq!(german_iban("110101010100000093"), "DE77110101010100000093");
}
