//! Helpers for the app's browser tests: mounting the real app at an address, letting effects
//! run, and finding things the way a user would.
#![allow(dead_code)] // each test file uses a different part

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement};

/// The app mounted into its own container; unmounted and removed when dropped.
pub struct MountedApp {
    container: HtmlElement,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

impl MountedApp {
    /// Mounts the app as if the browser had opened `path_and_query`.
    pub async fn at(path_and_query: &str) -> MountedApp {
        window()
            .history()
            .unwrap()
            .replace_state_with_url(&JsValue::NULL, "", Some(path_and_query))
            .unwrap();
        let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
        document().body().unwrap().append_child(&container).unwrap();
        let handle = mount_to(container.clone(), || bankident_app::App().into_any());
        settle().await;
        MountedApp {
            container,
            _handle: handle,
        }
    }

    /// The first element matching a CSS selector, failing the test if there is none.
    pub fn find(&self, selector: &str) -> Element {
        self.container
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    /// How many elements match a CSS selector.
    pub fn count(&self, selector: &str) -> u32 {
        self.container
            .query_selector_all(selector)
            .unwrap()
            .length()
    }

    /// The visible text of the first element matching a selector, whitespace collapsed.
    pub fn text(&self, selector: &str) -> String {
        let text = self.find(selector).text_content().unwrap_or_default();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Clicks the first element matching a selector and lets the app react.
    pub async fn click(&self, selector: &str) {
        self.find(selector).unchecked_into::<HtmlElement>().click();
        settle().await;
    }
}

impl Drop for MountedApp {
    fn drop(&mut self) {
        self.container.remove();
    }
}

/// Waits until scheduled effects and tasks have run (two turns of the event loop).
pub async fn settle() {
    for _ in 0..2 {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            window().set_timeout_with_callback(&resolve).unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    }
}

/// The `lang` attribute of `<html>`.
pub fn html_lang() -> String {
    document()
        .document_element()
        .unwrap()
        .get_attribute("lang")
        .unwrap_or_default()
}

impl MountedApp {
    /// Types into a text input as a user would (value, then an `input` event).
    pub async fn type_into(&self, selector: &str, text: &str) {
        let input: web_sys::HtmlInputElement = self.find(selector).unchecked_into();
        input.set_value(text);
        input
            .dispatch_event(&web_sys::Event::new("input").unwrap())
            .unwrap();
        settle().await;
    }

    /// Chooses an option of a select.
    pub async fn choose(&self, selector: &str, value: &str) {
        let select: web_sys::HtmlSelectElement = self.find(selector).unchecked_into();
        select.set_value(value);
        select
            .dispatch_event(&web_sys::Event::new("change").unwrap())
            .unwrap();
        settle().await;
    }

    /// An attribute of the first element matching a selector.
    pub fn attribute(&self, selector: &str, name: &str) -> Option<String> {
        self.find(selector).get_attribute(name)
    }

    /// The value of an input.
    pub fn value(&self, selector: &str) -> String {
        self.find(selector)
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value()
    }
}

/// Forgets the journey stored in this tab.
pub fn clear_session() {
    window()
        .session_storage()
        .unwrap()
        .unwrap()
        .clear()
        .unwrap();
}

/// The id of the focused element.
pub fn focused_id() -> String {
    document()
        .active_element()
        .map(|element| element.id())
        .unwrap_or_default()
}

/// Answers every `fetch` of the app with `status` and `body` (JSON), recording the URLs asked.
pub fn stub_fetch(status: u16, body: &str) {
    let script = format!(
        "window.__fetched = []; window.fetch = (request) => {{ window.__fetched.push(typeof request === 'string' ? request : request.url); \
         return Promise.resolve(new Response({body:?}, {{ status: {status}, headers: {{ 'content-type': 'application/json' }} }})); }};"
    );
    js_sys::eval(&script).unwrap();
}

/// The URLs fetched since [`stub_fetch`].
pub fn fetched() -> Vec<String> {
    let list = js_sys::eval("window.__fetched || []").unwrap();
    js_sys::Array::from(&list)
        .iter()
        .filter_map(|value| value.as_string())
        .collect()
}

/// Fills the journey with the guide's sandbox person (as stored in session storage).
pub fn store_sandbox_answers() {
    let answers = r#"{"person":{"salutation":"MR","first_name":"Leander","last_name":"Zierfisch","birth_day":"15","birth_month":"7","birth_year":"1978","birth_city":"Aachen","birth_country":"DE","nationality":"DE","address":{"line_1":"BERLINER STR. 45","line_2":"","postal_code":"14169","city":"Berlin","state":"BE","country":"DE"},"email":"person@example.com","mobile_number":"+1 555 0101","employment_status":"EMPLOYED","fatca_relevant":"no","consents":{"data_terms_signed_at":"2026-11-25T09:00:00Z","terms_conditions_signed_at":"2026-11-25T09:00:00Z","own_economic_interest_signed_at":"2026-11-25T09:00:00Z","fatca_crs_confirmed_at":"2026-11-25T09:00:00Z"}},"iban":"DE11 1101 0101 0100 0000 20"}"#;
    window()
        .session_storage()
        .unwrap()
        .unwrap()
        .set_item("bankident.journey", answers)
        .unwrap();
}
