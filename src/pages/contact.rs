//! "How can we contact you?": email address and mobile number.

use bankident_domain::Field;
use leptos::prelude::*;

use crate::texts::tr_signal;

use crate::components::binding::Binding;
use crate::components::question_page::QuestionPage;
use crate::components::text_field::TextField;
use crate::routing::Page;

/// The contact page.
#[component]
pub fn ContactPage() -> impl IntoView {
    let email = Binding::new(|a| a.person.email.clone(), |a, v| a.person.email = v);
    let mobile = Binding::new(
        |a| a.person.mobile_number.clone(),
        |a, v| a.person.mobile_number = v,
    );
    view! {
        <QuestionPage heading=tr_signal(|k| k.contact().heading().inner()) page=Page::Contact>
            <TextField field=Field::Email label=tr_signal(|k| k.contact().email().inner()) hint=tr_signal(|k| k.contact().email_hint().inner()) binding=email autocomplete="email" input_type="email" no_spellcheck=true />
            <TextField field=Field::MobileNumber label=tr_signal(|k| k.contact().mobile().inner()) hint=tr_signal(|k| k.contact().mobile_hint().inner()) binding=mobile autocomplete="tel" input_type="tel" width="bk-input--width-20" />
        </QuestionPage>
    }
}
