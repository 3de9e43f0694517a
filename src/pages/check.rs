//! "Check your answers": every answer with a change link that returns here, then the button
//! that opens the identification.

use bankident_domain::{Country, EmploymentStatus, Field, Iban, IdentificationMode, Salutation};
use leptos::prelude::*;

use crate::texts::{tr, tr_signal};

use crate::components::iban_to_copy::IbanToCopy;
use crate::components::page_title::PageTitle;
use crate::i18n::I18nKeys;
use crate::journey::{Answers, use_journey};
use crate::language::language_of;
use crate::language::use_i18n;
use crate::pages::employment::status_label;
use crate::routing::{JourneyQuery, Page, use_router};

fn month_name(keys: &I18nKeys, month: u8) -> &'static str {
    let m = keys.months();
    match month {
        1 => m.m1().inner(),
        2 => m.m2().inner(),
        3 => m.m3().inner(),
        4 => m.m4().inner(),
        5 => m.m5().inner(),
        6 => m.m6().inner(),
        7 => m.m7().inner(),
        8 => m.m8().inner(),
        9 => m.m9().inner(),
        10 => m.m10().inner(),
        11 => m.m11().inner(),
        _ => m.m12().inner(),
    }
}

/// The rows of the summary: (label, value, page to change it).
fn rows(
    keys: &I18nKeys,
    language: bankident_domain::Language,
    answers: &Answers,
) -> Vec<(&'static str, String, Page)> {
    let person = &answers.person;
    let country = |code: &str| {
        Country::parse(code)
            .map(|country| country.name(language).to_string())
            .unwrap_or_default()
    };
    let salutation = match Salutation::parse(&person.salutation) {
        Ok(Salutation::Mr) => keys.name().salutation_mr().inner(),
        Ok(Salutation::Ms) => keys.name().salutation_ms().inner(),
        _ => "",
    };
    let name = [
        salutation,
        person.first_name.trim(),
        person.last_name.trim(),
    ]
    .iter()
    .filter(|part| !part.is_empty())
    .cloned()
    .collect::<Vec<_>>()
    .join(" ");
    let month = person
        .birth_month
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|m| (1..=12).contains(m));
    let birth_date = match month {
        // "15. Juli 1978" in German, "15 July 1978" in English.
        Some(month) => format!(
            "{}{} {} {}",
            person.birth_day.trim(),
            keys.check().day_suffix().inner(),
            month_name(keys, month),
            person.birth_year.trim()
        ),
        None => String::new(),
    };
    let address = [
        person.address.line_1.trim(),
        person.address.line_2.trim(),
        &format!(
            "{} {}",
            person.address.postal_code.trim(),
            person.address.city.trim()
        ),
        if person.address.country.trim() == "DE" {
            crate::pages::address::state_name(keys, person.address.state.trim())
        } else {
            ""
        },
        &country(&person.address.country),
    ]
    .iter()
    .filter(|line| !line.trim().is_empty())
    .map(|line| line.to_string())
    .collect::<Vec<_>>()
    .join(", ");
    let employment = EmploymentStatus::parse(&person.employment_status)
        .map(|status| status_label(keys, status))
        .unwrap_or_default();
    let iban = Iban::parse(&answers.iban)
        .map(|iban| iban.to_string())
        .unwrap_or_default();
    let c = keys.check();
    vec![
        (c.name().inner(), name, Page::asking(Field::FirstName)),
        (
            c.birth_date().inner(),
            birth_date,
            Page::asking(Field::BirthDate),
        ),
        (
            c.birth_place().inner(),
            format!(
                "{}, {}",
                person.birth_city.trim(),
                country(&person.birth_country)
            ),
            Page::asking(Field::BirthDate),
        ),
        (
            c.nationality().inner(),
            country(&person.nationality),
            Page::asking(Field::BirthDate),
        ),
        (
            c.address().inner(),
            address,
            Page::asking(Field::AddressLine1),
        ),
        (
            c.email().inner(),
            person.email.trim().to_string(),
            Page::asking(Field::Email),
        ),
        (
            c.mobile().inner(),
            person.mobile_number.trim().to_string(),
            Page::asking(Field::Email),
        ),
        (
            c.employment().inner(),
            employment.to_string(),
            Page::asking(Field::EmploymentStatus),
        ),
        (c.iban().inner(), iban, Page::asking(Field::Iban)),
        (
            c.fatca().inner(),
            match person.fatca_relevant.trim() {
                "yes" => keys.consents().fatca_yes().inner().to_string(),
                "no" => keys.consents().fatca_no().inner().to_string(),
                _ => String::new(),
            },
            Page::asking(Field::FatcaRelevant),
        ),
    ]
}

/// The check-answers page.
#[component]
pub fn CheckPage() -> impl IntoView {
    let i18n = use_i18n();
    let journey = use_journey();
    let router = use_router();
    view! {
        <PageTitle heading=tr_signal(|k| k.check().heading().inner()) />
        <a href=Page::Check.previous().path() class="bk-back-link">{tr(|k| k.form().back().inner())}</a>
        <h1 class="bk-heading-l">{tr(|k| k.check().heading().inner())}</h1>
        <dl class="bk-summary-list">
            {move || {
                let locale = i18n.get_locale();
                let keys = locale.get_keys_const();
                let change = keys.check().change().inner();
                journey.answers.with(|answers| rows(&keys, language_of(locale), answers))
                    .into_iter()
                    .map(|(label, value, page)| {
                        view! {
                            <div class="bk-summary-list__row">
                                <dt class="bk-summary-list__key">{label}</dt>
                                <dd class="bk-summary-list__value">{value}</dd>
                                <dd class="bk-summary-list__actions">
                                    <a class="bk-link" href=JourneyQuery::CHANGE.href(page)>
                                        {change}<span class="bk-visually-hidden">{format!(" {label}")}</span>
                                    </a>
                                </dd>
                            </div>
                        }
                    })
                    .collect_view()
            }}
        </dl>
        <h2 class="bk-heading-m">{tr(|k| k.check().before_heading().inner())}</h2>
        {move || if journey.answers.with(|answers| answers.mode) == IdentificationMode::Api {
            // Our own steps follow, with the IBAN given here: nothing to type twice.
            view! { <p class="bk-body">{tr(|k| k.check().api_next().inner())}</p> }.into_any()
        } else {
            view! {
                <p class="bk-body">{tr(|k| k.check().submit_intro().inner())}</p>
                <p class="bk-body">{tr(|k| k.check().ten_minutes().inner())}</p>
                <IbanToCopy />
            }.into_any()
        }}
        <button type="button" class="bk-button" on:click=move |_| router.navigate(Page::Check.next().path())>{tr(|k| k.check().submit().inner())}</button>
    }
}
