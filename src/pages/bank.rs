//! "Which bank account will you use?": the German IBAN, checked and formatted here so the
//! customer arrives at Solaris with an account that can work. Sent here to try another account
//! after a refusal (`?another`), the field starts empty rather than with the refused IBAN.

use leptos::prelude::*;

use crate::texts::{tr, tr_signal};

use crate::components::binding::Binding;
use crate::components::iban_field::IbanField;
use crate::components::question_page::QuestionPage;
use crate::routing::Page;

/// The bank account page.
#[component]
pub fn BankPage() -> impl IntoView {
    if crate::routing::use_router().journey_query().another {
        crate::journey::use_journey()
            .answers
            .update(|answers| answers.iban.clear());
    }
    let iban = Binding::new(|a| a.iban.clone(), |a, v| a.iban = v);
    view! {
        <QuestionPage heading=tr_signal(|k| k.bank().heading().inner()) page=Page::Bank>
            <p class="bk-body">{tr(|k| k.bank().intro().inner())}</p>
            <IbanField binding=iban />
            <p class="bk-body">{tr(|k| k.bank().later().inner())}</p>
        </QuestionPage>
    }
}
