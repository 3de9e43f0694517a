//! The bank account, consent, check and outcome pages, in headless Chromium. The backend is
//! stubbed by replacing `window.fetch`.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use support::{MountedApp, clear_session, fetched, settle, store_sandbox_answers, stub_fetch};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Types `text` at the caret position `caret` of the IBAN input, as the browser would.
async fn edit_iban(app: &MountedApp, value: &str, caret: u32, input_type: &str) -> (String, u32) {
    let input: web_sys::HtmlInputElement = app.find("#iban").unchecked_into();
    input.set_value(value);
    input.set_selection_range(caret, caret).unwrap();
    let init = web_sys::InputEventInit::new();
    init.set_input_type(input_type);
    let event = web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap();
    input.dispatch_event(&event).unwrap();
    settle().await;
    (input.value(), input.selection_start().unwrap().unwrap())
}

#[wasm_bindgen_test]
async fn iban_is_grouped_while_typing_without_moving_the_caret() {
    clear_session();
    stub_fetch(
        200,
        r#"{"iban":"DE11110101010100000020","bank_name":"Solaris","bic":"SOBKDEB2XXX"}"#,
    );
    let app = MountedApp::at("/bank?lang=en").await;
    assert_eq!(
        app.attribute("#iban", "spellcheck").as_deref(),
        Some("false")
    );
    assert_eq!(
        app.attribute("#iban", "autocomplete").as_deref(),
        Some("off")
    );
    assert_eq!(
        edit_iban(&app, "de111", 5, "insertText").await,
        ("DE11 1".to_string(), 6)
    );
    // Typing in the middle keeps the caret right after the new character.
    assert_eq!(
        edit_iban(&app, "DE191 1", 3, "insertText").await,
        ("DE19 11".to_string(), 3)
    );
    // Backspace right after a space deletes the digit before it, not just the space.
    assert_eq!(
        edit_iban(&app, "DE1911", 4, "deleteContentBackward").await,
        ("DE11 1".to_string(), 3)
    );
    // A paste with odd spacing and hyphens.
    let pasted = "de11-1101 0101 0100-0000 20";
    let (text, _) = edit_iban(&app, pasted, pasted.len() as u32, "insertFromPaste").await;
    assert_eq!(text, "DE11 1101 0101 0100 0000 20");
    settle().await;
    assert!(
        app.text(".bk-bank").contains("Solaris") && app.text(".bk-bank").contains("SOBKDEB2XXX")
    );
    assert!(
        fetched().iter().all(|url| !url.contains("DE11")),
        "the IBAN never goes into a URL"
    );
}

/// Waits `milliseconds` in the browser.
async fn wait(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_late_bank_lookup_never_names_the_bank_of_an_iban_no_longer_typed() {
    clear_session();
    // The first IBAN's bank answers after 300 ms, the second's at once.
    js_sys::eval(
        r#"window.__fetched = []; window.fetch = async (request) => {
            const body = await request.clone().text();
            const slow = body.includes('DE11110101010100000020');
            if (slow) await new Promise((resolve) => setTimeout(resolve, 300));
            const bank = slow
                ? { iban: 'DE11110101010100000020', bank_name: 'Slow Bank', bic: 'SLOWDEFFXXX' }
                : { iban: 'DE89370400440532013000', bank_name: 'Fast Bank', bic: 'FASTDEFFXXX' };
            return new Response(JSON.stringify(bank), { status: 200, headers: { 'content-type': 'application/json' } });
        };"#,
    )
    .unwrap();
    let app = MountedApp::at("/bank?lang=en").await;
    let first = "DE11 1101 0101 0100 0000 20";
    edit_iban(&app, first, first.len() as u32, "insertFromPaste").await;
    let second = "DE89 3704 0044 0532 0130 00";
    edit_iban(&app, second, second.len() as u32, "insertFromPaste").await;
    wait(600).await;
    let bank = app.text(".bk-bank");
    assert!(bank.contains("Fast Bank"), "the typed IBAN's bank: {bank}");
    assert!(
        !bank.contains("Slow Bank"),
        "no earlier IBAN's bank: {bank}"
    );
    // An IBAN made invalid names no bank, even when its lookup answers later.
    edit_iban(&app, first, first.len() as u32, "insertFromPaste").await;
    edit_iban(&app, "DE11 1101", 9, "deleteContentBackward").await;
    wait(600).await;
    assert_eq!(app.text(".bk-bank").trim(), "");
}

#[wasm_bindgen_test]
async fn a_foreign_iban_is_refused_specifically() {
    clear_session();
    let app = MountedApp::at("/bank?lang=en").await;
    edit_iban(&app, "GB82 WEST 1234 5698 7654 32", 27, "insertFromPaste").await;
    app.click("button[type=submit]").await;
    assert!(
        app.text("#iban-error")
            .contains("Enter a German IBAN: it starts with DE")
    );
    edit_iban(&app, "DE11 1101 0101 0100 0000 21", 27, "insertFromPaste").await;
    app.click("button[type=submit]").await;
    assert!(
        app.text("#iban-error")
            .contains("check digits do not match")
    );
}

#[wasm_bindgen_test]
async fn consents_start_unticked_and_record_the_moment_of_each_tick() {
    clear_session();
    let app = MountedApp::at("/consents?lang=de").await;
    assert_eq!(
        app.count("input[type=checkbox]:checked"),
        0,
        "never pre-ticked"
    );
    assert_eq!(
        app.count("input[type=radio]:checked"),
        0,
        "the tax question is not pre-answered"
    );
    app.click("button[type=submit]").await;
    assert_eq!(app.count(".bk-error-summary li"), 5);
    assert!(
        app.text(".bk-error-summary")
            .contains("Wählen Sie „Ja“, wenn Sie in den USA steuerpflichtig sind"),
        "{}",
        app.text(".bk-error-summary")
    );
    app.click("#fatca_relevant").await;
    assert_eq!(
        app.count(".bk-error-summary li"),
        5,
        "errors update on the next submit"
    );
    let before = js_sys::Date::now();
    app.click("#data_terms").await;
    let stored = window()
        .session_storage()
        .unwrap()
        .unwrap()
        .get_item("bankident.journey")
        .unwrap()
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let ticked = json["person"]["consents"]["data_terms_signed_at"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(ticked.ends_with('Z'), "UTC: {ticked}");
    let ticked_ms = js_sys::Date::parse(&ticked);
    assert!(
        (ticked_ms - before).abs() < 2000.0,
        "the moment of the tick"
    );
    app.click("#data_terms").await;
    assert!(
        !app.find("#data_terms")
            .unchecked_into::<web_sys::HtmlInputElement>()
            .checked()
    );
    let stored = window()
        .session_storage()
        .unwrap()
        .unwrap()
        .get_item("bankident.journey")
        .unwrap();
    assert!(
        stored.is_none_or(|stored| stored.contains(r#""data_terms_signed_at":null"#)),
        "unticking clears it"
    );
}

#[wasm_bindgen_test]
async fn check_answers_lists_everything_with_change_links_that_return() {
    clear_session();
    store_sandbox_answers();
    let app = MountedApp::at("/check?lang=en").await;
    let summary = app.text(".bk-summary-list");
    for expected in [
        "Mr Leander Zierfisch",
        "15 July 1978",
        "Aachen, Germany",
        "BERLINER STR. 45, 14169 Berlin, Berlin, Germany",
        "+1 555 0101",
        "Employed",
        "DE11 1101 0101 0100 0000 20",
        "Liable to pay tax in the USA",
    ] {
        assert!(summary.contains(expected), "{expected} in {summary}");
    }
    assert!(
        app.text("main").contains("you have 10 minutes"),
        "the time limit is said before the customer leaves"
    );
    assert!(
        app.text(".bk-inset")
            .contains("DE11 1101 0101 0100 0000 20")
    );
    assert_eq!(app.text(".bk-inset button.bk-copy-button"), "Copy IBAN");
    app.click("a[href='/contact?change=1']").await;
    assert_eq!(app.text("h1"), "How can we contact you?");
    app.click("button[type=submit]").await;
    assert_eq!(
        window().location().pathname().unwrap(),
        "/check",
        "back to check answers"
    );
}

#[wasm_bindgen_test]
async fn check_answers_in_german_writes_dates_and_states_the_german_way() {
    clear_session();
    store_sandbox_answers();
    let app = MountedApp::at("/check?lang=de").await;
    let summary = app.text(".bk-summary-list");
    for expected in ["15. Juli 1978", "14169 Berlin, Berlin, Deutschland"] {
        assert!(summary.contains(expected), "{expected} in {summary}");
    }
}

/// The guide's Appendix III words for a code, from the fixture typed from the guide (not from
/// the code that renders the page).
fn guide_words(code: &str, language: bankident_domain::Language) -> Option<&'static str> {
    include_str!("../crates/domain/tests/fixtures/appendix_iii.tsv")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.split('\t').collect::<Vec<_>>())
        .find(|cells| cells.get(1) == Some(&code))
        .map(|cells| match language {
            bankident_domain::Language::De => cells[2],
            bankident_domain::Language::En => cells[3],
        })
}

async fn outcome_page(lang: &str, body: &str) -> MountedApp {
    stub_fetch(200, body);
    let app = MountedApp::at(&format!("/callback?lang={lang}")).await;
    settle().await;
    app
}

#[wasm_bindgen_test]
async fn outcome_page_shows_each_category_in_both_languages() {
    use bankident_domain::Language;
    clear_session();
    for (category, code, action) in [
        (
            "retry_with_another_iban",
            "JOINT_ACCOUNT",
            Some("/bank?change=1&another=1"),
        ),
        (
            "retry_with_another_iban",
            "PERSON_ACCOUNT_MATCH_NOT_FOUND",
            Some("/bank?change=1&another=1"),
        ),
        (
            "retry_with_another_iban",
            "ACCESS_BY_ATHORIZED_HOLDER",
            Some("/bank?change=1&another=1"),
        ),
        (
            "retry_with_another_iban",
            "ACCOUNT_SNAPSHOT_FAILED",
            Some("/bank?change=1&another=1"),
        ),
        ("start_again", "ACCOUNT_SNAPSHOT_EXPIRED", Some("/opening")),
        ("start_again", "EXPIRED", Some("/opening")),
        (
            "method_not_available",
            "MATCH_FOR_PERSON_DATA_NOT_FOUND",
            None,
        ),
        ("method_not_available", "PREVIOUS_IDENT_NOT_FOUND", None),
        ("stop", "IBAN_USAGE_LIMIT_EXCEEDED", None),
        ("stop", "IDENTIFICATION_ATTEMPTS_EXCEEDED", None),
        (
            "already_identified",
            "ALREADY_IDENTIFIED_SUCCESSFULLY",
            None,
        ),
        (
            "fix_data_and_retry",
            "PERSON_MISSING_REQUIRED_DATA",
            Some("/check"),
        ),
        (
            "fix_data_and_retry",
            "MOBILE_NUMBER_NOT_VERIFIED",
            Some("/check"),
        ),
        ("contact_support", "INVALID_MODEL", None),
        ("contact_support", "DEPENDENCY_ERROR", None),
        ("contact_support", "INTERNAL_REQUEST_ERROR", None),
        ("contact_support", "GENERIC_ERROR", None),
    ] {
        for language in Language::ALL {
            let body =
                format!(r#"{{"state":"final","category":"{category}","error_code":"{code}"}}"#);
            let app = outcome_page(language.tag(), &body).await;
            // MOBILE_NUMBER_NOT_VERIFIED has no words in the guide.
            if let Some(words) = guide_words(code, language) {
                assert!(
                    app.text("[role=status]").contains(words),
                    "{code} ({language:?}): {}",
                    app.text("[role=status]")
                );
            }
            let heading = if language == Language::De {
                "Identifizierung nicht abgeschlossen"
            } else {
                "Identification not completed"
            };
            assert_eq!(app.text("h1"), heading);
            match action {
                Some(href) => assert_eq!(
                    app.attribute("[role=status] a", "href").as_deref(),
                    Some(href),
                    "{code}"
                ),
                None => assert_eq!(app.count("[role=status] a"), 0, "{code}"),
            }
        }
    }
    for (language, heading, next) in [
        (
            "de",
            "Sie sind identifiziert",
            "Wir eröffnen jetzt Ihr Konto",
        ),
        (
            "en",
            "You are identified",
            "We are now opening your account",
        ),
    ] {
        store_sandbox_answers();
        let app = outcome_page(
            language,
            r#"{"state":"final","category":"success","error_code":null}"#,
        )
        .await;
        assert_eq!(app.text("h1"), heading);
        assert!(app.text("[role=status]").contains(next));
        assert!(
            window()
                .session_storage()
                .unwrap()
                .unwrap()
                .get_item("bankident.journey")
                .unwrap()
                .is_none(),
            "answers forgotten on success"
        );
    }
    assert!(
        fetched()
            .iter()
            .all(|url| url.ends_with("/api/identification/outcome")),
        "asks the backend, not the address"
    );
}

#[wasm_bindgen_test]
async fn a_pending_outcome_is_announced_politely() {
    clear_session();
    let app = outcome_page(
        "en",
        r#"{"state":"pending","category":null,"error_code":null}"#,
    )
    .await;
    assert_eq!(app.text("h1"), "We are checking the result");
    assert_eq!(
        app.attribute("[role=status]", "aria-live").as_deref(),
        Some("polite")
    );
    assert!(
        app.text("[role=status]")
            .contains("This page updates by itself")
    );
    assert_eq!(
        app.attribute("[role=status] a", "href").as_deref(),
        Some("/opening"),
        "the way back into the open session"
    );
}

#[wasm_bindgen_test]
async fn an_unfinished_identification_offers_to_continue_in_both_languages() {
    for (lang, heading, button) in [
        (
            "en",
            "Your identification is not finished",
            "Continue identification",
        ),
        (
            "de",
            "Ihre Identifizierung ist nicht abgeschlossen",
            "Identifizierung fortsetzen",
        ),
    ] {
        clear_session();
        let app = outcome_page(
            lang,
            r#"{"state":"unfinished","category":null,"error_code":null}"#,
        )
        .await;
        assert_eq!(app.text("h1"), heading);
        assert_eq!(app.text("[role=status] a"), button);
        assert_eq!(
            app.attribute("[role=status] a", "href").as_deref(),
            Some("/opening")
        );
    }
}

#[wasm_bindgen_test]
async fn another_bank_account_starts_with_an_empty_iban_but_a_change_keeps_it() {
    clear_session();
    store_sandbox_answers();
    let app = MountedApp::at("/bank?change=1&lang=en").await;
    assert_eq!(app.value("#iban"), "DE11 1101 0101 0100 0000 20");
    drop(app);
    let app = MountedApp::at("/bank?change=1&another=1&lang=en").await;
    assert_eq!(
        app.value("#iban"),
        "",
        "the refused IBAN is not offered again"
    );
}

#[wasm_bindgen_test]
fn the_journey_query_is_read_by_name_not_by_substring() {
    use bankident_app::routing::JourneyQuery;
    assert_eq!(
        JourneyQuery::parse("?lang=en&change=1"),
        JourneyQuery::CHANGE
    );
    assert_eq!(
        JourneyQuery::parse("?change=1&another=1&lang=de"),
        JourneyQuery::ANOTHER_IBAN
    );
    assert_eq!(
        JourneyQuery::parse("?exchange=1&another_bank=2"),
        JourneyQuery::default()
    );
}

#[wasm_bindgen_test]
fn a_pages_requests_are_aborted_when_the_page_goes() {
    use bankident_app::page_alive::PageAlive;
    let page_owner = Owner::new();
    let page = page_owner.with(PageAlive::new);
    let signal = page
        .abort_signal()
        .expect("a signal while the page is shown");
    assert!(page.is_alive());
    assert!(!signal.aborted(), "not aborted while the page is shown");

    page_owner.cleanup();

    assert!(signal.aborted(), "aborted once the page is cleaned up");
    assert!(!page.is_alive());
    assert!(
        page.abort_signal().is_none(),
        "no signal for a page that is gone"
    );
}
