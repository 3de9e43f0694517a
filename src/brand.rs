//! The partner's brand, documents and support contact, as the backend writes them into the app
//! shell (`<script type="application/json" id="bankident-brand">`): no request, no rebuild.
//! Absent values leave the catalogs' own texts in place.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

fn brand_value(key: &str) -> Option<JsValue> {
    let text = document()
        .get_element_by_id("bankident-brand")?
        .text_content()?;
    let brand = js_sys::JSON::parse(&text).ok()?;
    js_sys::Reflect::get(&brand, &JsValue::from_str(key))
        .ok()
        .filter(|value| !value.is_undefined() && !value.is_null())
}

/// A text setting: `name`, `support_email`, `support_phone`, `support_url`, `terms_url`,
/// `privacy_url`, `data_terms_url` or `fallback_url`.
pub fn brand_text(key: &str) -> Option<String> {
    brand_value(key)?
        .as_string()
        .filter(|text| !text.trim().is_empty())
}

/// Whether the backend serves the partner's logo at `/brand/logo`.
pub fn has_logo() -> bool {
    brand_value("logo").and_then(|value| value.as_bool()) == Some(true)
}
