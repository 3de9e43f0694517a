//! The domain's Appendix III catalog against an independent fixture typed from the guide
//! (`fixtures/appendix_iii.tsv`): every code with a customer text has the guide's status and
//! its exact German and English words.

use bankident_domain::{ErrorCode, Language};

const FIXTURE: &str = include_str!("fixtures/appendix_iii.tsv");

fn rows() -> Vec<[&'static str; 4]> {
    FIXTURE
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            cells
                .try_into()
                .unwrap_or_else(|_| panic!("four cells: {line}"))
        })
        .collect()
}

#[test]
fn every_code_of_the_guide_has_its_status_and_exact_words() {
    let rows = rows();
    assert_eq!(rows.len(), 16, "the guide gives texts for 16 codes");
    for [status, code, german, english] in rows {
        let parsed = ErrorCode::parse(code);
        assert!(!matches!(parsed, ErrorCode::Unknown(_)), "{code} is known");
        assert_eq!(parsed.code(), code, "spelled as the guide spells it");
        assert_eq!(parsed.http_status().to_string(), status, "{code}");
        assert_eq!(parsed.customer_message(Language::De), german, "{code} DE");
        assert_eq!(parsed.customer_message(Language::En), english, "{code} EN");
    }
}

#[test]
fn the_catalog_knows_no_code_the_guide_does_not_list() {
    let listed: Vec<&str> = rows().iter().map(|[_, code, _, _]| *code).collect();
    for known in ErrorCode::KNOWN {
        assert!(
            listed.contains(&known.code()) || known == ErrorCode::MobileNumberNotVerified,
            "{known} is not in the guide's table"
        );
    }
}
