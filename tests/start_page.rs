//! The start page and the language switch, in headless Chromium against the real app.
#![cfg(target_arch = "wasm32")]

mod support;

use leptos::prelude::*;
use support::{MountedApp, html_lang};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const EN_HEADING: &str = "Verify your identity with your bank account";
const DE_HEADING: &str = "Identifizieren Sie sich mit Ihrem Bankkonto";

#[wasm_bindgen_test]
async fn lang_query_chooses_the_language_of_texts_html_and_title() {
    let app = MountedApp::at("/?lang=en").await;
    assert_eq!(app.text("h1"), EN_HEADING);
    assert_eq!(html_lang(), "en");
    assert!(
        document().title().starts_with(EN_HEADING),
        "title: {}",
        document().title()
    );

    let app_de = {
        drop(app);
        MountedApp::at("/?lang=de").await
    };
    assert_eq!(app_de.text("h1"), DE_HEADING);
    assert_eq!(html_lang(), "de");
}

#[wasm_bindgen_test]
async fn language_switch_changes_texts_html_lang_and_the_address() {
    let app = MountedApp::at("/?lang=en").await;
    let switch = app.find("nav.bk-language-switch button");
    assert_eq!(app.text("nav.bk-language-switch button"), "Deutsch");
    assert_eq!(
        switch.get_attribute("lang").as_deref(),
        Some("de"),
        "named in its own language"
    );

    app.click("nav.bk-language-switch button").await;
    assert_eq!(app.text("h1"), DE_HEADING);
    assert_eq!(html_lang(), "de");
    assert_eq!(app.text("nav.bk-language-switch button"), "English");
    assert_eq!(
        window().location().search().unwrap(),
        "?lang=de",
        "a reload keeps the choice"
    );
    assert!(document().title().starts_with(DE_HEADING));

    app.click("nav.bk-language-switch button").await;
    assert_eq!(app.text("h1"), EN_HEADING);
    assert_eq!(html_lang(), "en");
}

#[wasm_bindgen_test]
async fn start_page_says_what_is_needed_and_how_to_start() {
    let app = MountedApp::at("/?lang=en").await;
    assert_eq!(app.count("h1"), 1);
    assert_eq!(
        app.count("main#main-content h1"),
        1,
        "the heading is inside the main landmark"
    );
    assert_eq!(
        app.count("ul.bk-list li"),
        3,
        "bank account, ID details, phone"
    );
    assert!(
        app.text("ul.bk-list")
            .contains("German bank account in your own name")
    );
    let start = app.find("a.bk-button--start");
    assert_eq!(start.get_attribute("role").as_deref(), Some("button"));
    assert_eq!(start.get_attribute("href").as_deref(), Some("/name"));
    assert_eq!(app.text("a.bk-button--start"), "Start now");
    let skip = app.find("a.bk-skip-link");
    assert_eq!(skip.get_attribute("href").as_deref(), Some("#main-content"));
    assert_eq!(app.text("a.bk-skip-link"), "Skip to main content");
    assert!(
        app.find("nav.bk-language-switch")
            .get_attribute("aria-label")
            .is_some()
    );
}

#[wasm_bindgen_test]
async fn unknown_address_shows_not_found_and_a_link_home_that_works_without_reload() {
    let app = MountedApp::at("/no-such-page?lang=de").await;
    assert_eq!(app.text("h1"), "Seite nicht gefunden");
    assert_eq!(
        app.find("main a").get_attribute("href").as_deref(),
        Some("/")
    );

    app.click("main a").await;
    assert_eq!(window().location().pathname().unwrap(), "/");
    assert_eq!(app.text("h1"), DE_HEADING);
    let focused = document().active_element().map(|element| element.id());
    assert_eq!(
        focused.as_deref(),
        Some("main-content"),
        "focus moves to the new page"
    );
}

#[wasm_bindgen_test]
async fn the_chosen_language_survives_an_address_without_lang() {
    let chosen = MountedApp::at("/?lang=de").await;
    drop(chosen);
    // Back from the bank: Solaris' callback URL has no ?lang.
    let back = MountedApp::at("/no-such-page").await;
    assert_eq!(back.text("h1"), "Seite nicht gefunden");
    assert_eq!(html_lang(), "de");
}

#[wasm_bindgen_test]
async fn a_native_bridge_hears_versioned_events_without_personal_data() {
    js_sys::eval("window.__events = []; window.ReactNativeWebView = { postMessage: (m) => window.__events.push(m) };").unwrap();
    let app = MountedApp::at("/?lang=en").await;
    app.click("a.bk-button--start").await;
    assert_eq!(window().location().pathname().unwrap(), "/name");
    let events: Vec<String> = js_sys::Array::from(&js_sys::eval("window.__events").unwrap())
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    js_sys::eval("delete window.ReactNativeWebView").unwrap();
    assert!(
        events.contains(&r#"{"event":"step","step":"/","version":1}"#.to_string()),
        "{events:?}"
    );
    assert!(
        events.contains(&r#"{"event":"started","version":1}"#.to_string()),
        "{events:?}"
    );
    assert!(
        events.contains(&r#"{"event":"step","step":"/name","version":1}"#.to_string()),
        "{events:?}"
    );
}
