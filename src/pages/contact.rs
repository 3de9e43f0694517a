//! "How can we contact you?": email address and mobile number.

use bankident_domain::Field;
use leptos::prelude::*;

use crate::components::binding::Binding;
use crate::components::question_page::QuestionPage;
use crate::components::text_field::TextField;
use crate::i18n::{I18nKeys, t_string, use_i18n};
use crate::routing::Page;

/// The contact page.
#[component]
pub fn ContactPage() -> impl IntoView {
    let i18n = use_i18n();
    let text = move |get: fn(&I18nKeys) -> &'static str| {
        Signal::derive(move || get(&i18n.get_locale().get_keys_const()))
    };
    let email = Binding::new(|a| a.person.email.clone(), |a, v| a.person.email = v);
    let mobile = Binding::new(
        |a| a.person.mobile_number.clone(),
        |a, v| a.person.mobile_number = v,
    );
    view! {
        <QuestionPage heading=Signal::derive(move || t_string!(i18n, contact.heading)) page=Page::Contact>
            <TextField field=Field::Email label=text(|k| k.contact().email().inner()) hint=text(|k| k.contact().email_hint().inner()) binding=email autocomplete="email" input_type="email" no_spellcheck=true />
            <TextField field=Field::MobileNumber label=text(|k| k.contact().mobile().inner()) hint=text(|k| k.contact().mobile_hint().inner()) binding=mobile autocomplete="tel" input_type="tel" width="bk-input--width-20" />
        </QuestionPage>
    }
}
