//! The IBAN as the Solaris webview will ask for it again, grouped, with a copy button.

use bankident_domain::Iban;
use leptos::prelude::*;

use crate::texts::tr;

use crate::journey::use_journey;
use crate::language::use_i18n;

/// Whether copying the IBAN worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Copied {
    NotYet,
    Done,
    Failed,
}

/// The IBAN as the Solaris webview will ask for it, grouped, with a copy button.
#[component]
pub fn IbanToCopy() -> impl IntoView {
    let i18n = use_i18n();
    let journey = use_journey();
    let copied = RwSignal::new(Copied::NotYet);
    let iban = Signal::derive(move || {
        journey
            .answers
            .with(|answers| Iban::parse(&answers.iban).ok())
    });
    let copy = move |_| {
        let Some(electronic) = iban
            .get_untracked()
            .map(|iban| iban.electronic().to_string())
        else {
            return;
        };
        let promise = window().navigator().clipboard().write_text(&electronic);
        leptos::task::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            copied.set(if done { Copied::Done } else { Copied::Failed });
        });
    };
    move || {
        iban.get().map(|iban| {
            view! {
                <div class="bk-inset">
                    <p class="bk-body">{tr(|k| k.check().iban_again().inner())}</p>
                    <p class="bk-iban-copy">
                        <span class="bk-iban-copy__value" id="iban-to-copy">{iban.to_string()}</span>
                        <button type="button" class="bk-copy-button" aria-describedby="iban-to-copy" on:click=copy>{tr(|k| k.check().copy().inner())}</button>
                    </p>
                    <p class="bk-body" role="status" aria-live="polite">
                        {move || match copied.get() {
                            Copied::NotYet => String::new(),
                            Copied::Done => i18n.keys().check().copied().inner().to_string(),
                            Copied::Failed => i18n.keys().check().copy_failed().inner().to_string(),
                        }}
                    </p>
                </div>
            }
        })
    }
}
