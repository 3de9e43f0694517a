//! The question pages' accessibility wiring and behaviour, in headless Chromium.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use support::{MountedApp, clear_session, focused_id};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn empty_submit_shows_a_focused_error_summary_linked_to_each_field() {
    clear_session();
    let app = MountedApp::at("/name?lang=en").await;
    assert_eq!(app.text("h1"), "What is your name?");
    app.click("button[type=submit]").await;

    assert_eq!(app.text(".bk-error-summary h2"), "There is a problem");
    assert_eq!(app.count(".bk-error-summary li"), 3);
    assert_eq!(
        app.attribute(".bk-error-summary li a", "href").as_deref(),
        Some("#salutation")
    );
    assert_eq!(
        app.find(".bk-error-summary")
            .get_attribute("role")
            .as_deref(),
        Some("alert")
    );
    assert!(
        document()
            .active_element()
            .unwrap()
            .class_name()
            .contains("bk-error-summary"),
        "the summary takes focus"
    );
    assert!(document().title().starts_with("Error: What is your name?"));

    assert_eq!(
        app.attribute("#first_name", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        app.attribute("#first_name", "aria-describedby").as_deref(),
        Some("first_name-hint first_name-error")
    );
    assert!(
        app.text("#first_name-error")
            .contains("Enter your first names")
    );
    assert_eq!(
        app.attribute("#last_name", "aria-describedby").as_deref(),
        Some("last_name-error")
    );
    assert_eq!(
        app.attribute("label[for=first_name]", "for").as_deref(),
        Some("first_name")
    );

    app.click(".bk-error-summary li:nth-child(2) a").await;
    assert_eq!(
        focused_id(),
        "first_name",
        "summary links move focus to the field"
    );
}

#[wasm_bindgen_test]
async fn valid_answers_continue_and_survive_a_reload() {
    clear_session();
    let app = MountedApp::at("/name?lang=en").await;
    app.click("#salutation-1").await;
    app.type_into("#first_name", "Anna Lena").await;
    app.type_into("#last_name", "Zierfisch").await;
    app.click("button[type=submit]").await;
    assert_eq!(window().location().pathname().unwrap(), "/birth");
    assert_eq!(
        window().location().search().unwrap(),
        "?lang=en",
        "the language travels along"
    );
    assert_eq!(app.text("h1"), "When and where were you born?");
    let stored = window()
        .session_storage()
        .unwrap()
        .unwrap()
        .get_item("bankident.journey")
        .unwrap()
        .unwrap();
    assert!(
        stored.contains("Anna Lena"),
        "kept in this tab's session storage"
    );
    assert!(
        window()
            .local_storage()
            .unwrap()
            .unwrap()
            .get_item("bankident.journey")
            .unwrap()
            .is_none(),
        "never localStorage"
    );
    drop(app);

    let reloaded = MountedApp::at("/name?lang=en").await;
    assert_eq!(reloaded.value("#first_name"), "Anna Lena");
    assert_eq!(reloaded.value("#last_name"), "Zierfisch");
    assert!(
        reloaded
            .find("#salutation-1")
            .unchecked_into::<web_sys::HtmlInputElement>()
            .checked()
    );
}

#[wasm_bindgen_test]
async fn switching_language_keeps_answers_and_translates_errors() {
    clear_session();
    let app = MountedApp::at("/name?lang=en").await;
    app.type_into("#first_name", "Jürgen").await;
    app.click("button[type=submit]").await;
    assert!(
        app.text("#last_name-error")
            .contains("Enter your last name")
    );
    app.click("nav.bk-language-switch button").await;
    assert_eq!(app.text("h1"), "Wie heißen Sie?");
    assert_eq!(app.value("#first_name"), "Jürgen", "answers stay");
    assert!(
        app.text("#last_name-error")
            .contains("Geben Sie Ihren Nachnamen ein")
    );
    assert!(document().title().starts_with("Fehler: "));
}

#[wasm_bindgen_test]
async fn birth_page_checks_the_date_and_lists_countries_in_the_language() {
    clear_session();
    let app = MountedApp::at("/birth?lang=de").await;
    assert_eq!(
        app.attribute("#birth_date", "inputmode").as_deref(),
        Some("numeric")
    );
    assert_eq!(
        app.attribute("#birth_date", "autocomplete").as_deref(),
        Some("bday-day")
    );
    app.type_into("#birth_date", "1").await;
    app.type_into("#birth_date-month", "1").await;
    app.type_into("#birth_date-year", "2020").await;
    app.click("button[type=submit]").await;
    assert!(
        app.text("#birth_date-error")
            .contains("Sie müssen mindestens 18 Jahre alt sein")
    );
    assert!(
        app.text("#nationality").contains("Deutschland")
            && app.text("#nationality").contains("Österreich")
    );
    app.choose("#nationality", "AT").await;
    app.type_into("#birth_date-year", "1980").await;
    app.type_into("#birth_city", "Wien").await;
    app.choose("#birth_country", "AT").await;
    app.click("button[type=submit]").await;
    assert_eq!(window().location().pathname().unwrap(), "/address");
}
