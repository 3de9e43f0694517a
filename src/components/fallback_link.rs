//! "Continue with video identification": the partner's fallback identification, offered where
//! the guide's text for an outcome says to continue with video identification. A native host
//! also learns of the choice through the bridge (it may open its own video identification).

use bankident_domain::ErrorCode;
use leptos::prelude::*;

use crate::texts::tr;

use crate::brand::brand_text;
use crate::bridge::{BridgeEvent, post_event};

/// The fallback link for an outcome whose guide text offers video identification; nothing
/// when the partner configured no fallback or the outcome does not offer it.
#[component]
pub fn FallbackLink(
    /// The outcome's Appendix III code.
    code: ErrorCode,
) -> impl IntoView {
    let url = brand_text("fallback_url").filter(|_| code.offers_video_identification());
    url.map(|url| {
        let code = code.clone();
        view! {
            <a
                class="bk-button bk-button--secondary"
                role="button"
                href=url
                on:click=move |_| {
                    post_event(&BridgeEvent::FallbackChosen { error_code: code.clone() });
                }
            >
                {tr(|k| k.outcome().video_button().inner())}
            </a>
        }
    })
}
