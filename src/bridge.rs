//! Telling the host app what happens, when the app runs inside a native app's webview or a
//! partner's iframe: one versioned JSON event format, posted to whichever bridge exists —
//! `window.webkit.messageHandlers.bankident` (iOS WKWebView), `window.BankidentBridge`
//! (Android `addJavascriptInterface`), `window.ReactNativeWebView`, or the parent window with
//! the origin pinned in `<meta name="bankident-parent-origin">` (never `'*'`). Events carry no
//! personal data.

use bankident_domain::{ErrorCode, OutcomeCategory};
use js_sys::{Function, Reflect};
use leptos::prelude::*;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// Version of the event format; raised only for incompatible changes.
pub const EVENT_VERSION: u32 = 1;

/// Something the host app may want to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum BridgeEvent {
    /// The customer started the journey.
    Started,
    /// The customer reached a page (its path, no answers).
    Step {
        /// The page's path.
        step: String,
    },
    /// The Solaris identification session was opened; the webview comes next.
    SessionOpened,
    /// The customer chose the partner's fallback identification (video identification) after
    /// an outcome that offers it; a native host may open its own instead of the link.
    FallbackChosen {
        /// The outcome's Appendix III code.
        error_code: ErrorCode,
    },
    /// The outcome is final.
    Completed {
        /// What happens next.
        category: Option<OutcomeCategory>,
        /// The Appendix III code of a failure.
        error_code: Option<ErrorCode>,
    },
}

/// The JSON text of an event: `{"version":1,"event":"…",…}`.
pub fn event_json(event: &BridgeEvent) -> String {
    let mut value = serde_json::to_value(event).unwrap_or_default();
    value["version"] = EVENT_VERSION.into();
    value.to_string()
}

fn get(target: &JsValue, key: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(key))
        .ok()
        .filter(|value| !value.is_undefined() && !value.is_null())
}

fn call_post_message(target: &JsValue, arguments: &[JsValue]) -> bool {
    let Some(function) =
        get(target, "postMessage").and_then(|value| value.dyn_into::<Function>().ok())
    else {
        return false;
    };
    let result = match arguments {
        [one] => function.call1(target, one),
        [one, two] => function.call2(target, one, two),
        _ => return false,
    };
    result.is_ok()
}

/// The pinned origin of a partner iframe's parent, if the page names one.
fn parent_origin() -> Option<String> {
    document()
        .query_selector("meta[name=bankident-parent-origin]")
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .filter(|origin| origin.starts_with("https://") || origin.starts_with("http://localhost"))
}

/// Posts an event to the first bridge that exists. Returns which one took it.
pub fn post_event(event: &BridgeEvent) -> Option<&'static str> {
    let window: JsValue = window().into();
    let message = JsValue::from_str(&event_json(event));
    if let Some(handler) = get(&window, "webkit")
        .and_then(|w| get(&w, "messageHandlers"))
        .and_then(|h| get(&h, "bankident"))
        && call_post_message(&handler, std::slice::from_ref(&message))
    {
        return Some("webkit");
    }
    if let Some(android) = get(&window, "BankidentBridge")
        && call_post_message(&android, std::slice::from_ref(&message))
    {
        return Some("android");
    }
    if let Some(react_native) = get(&window, "ReactNativeWebView")
        && call_post_message(&react_native, std::slice::from_ref(&message))
    {
        return Some("react-native");
    }
    let parent = get(&window, "parent")?;
    let framed = !js_sys::Object::is(&parent, &window);
    let origin = parent_origin()?;
    (framed && call_post_message(&parent, &[message, JsValue::from_str(&origin)]))
        .then_some("parent")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_versioned_json_without_personal_data() {
        assert_eq!(
            event_json(&BridgeEvent::Started),
            r#"{"event":"started","version":1}"#
        );
        let completed = BridgeEvent::Completed {
            category: Some(OutcomeCategory::RetryWithAnotherIban),
            error_code: Some(ErrorCode::JointAccount),
        };
        assert_eq!(
            event_json(&completed),
            r#"{"category":"retry_with_another_iban","error_code":"JOINT_ACCOUNT","event":"completed","version":1}"#
        );
        assert_eq!(
            event_json(&BridgeEvent::FallbackChosen {
                error_code: ErrorCode::MatchForPersonDataNotFound,
            }),
            r#"{"error_code":"MATCH_FOR_PERSON_DATA_NOT_FOUND","event":"fallback_chosen","version":1}"#
        );
        assert_eq!(
            event_json(&BridgeEvent::Step {
                step: "/name".into()
            }),
            r#"{"event":"step","step":"/name","version":1}"#
        );
    }
}
