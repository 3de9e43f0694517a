//! The start page: what the identification is, what the customer needs, how it works.

use leptos::prelude::*;

use crate::bridge::{BridgeEvent, post_event};
use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use crate::routing::Page;

/// The journey's start page.
#[component]
pub fn StartPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle heading=Signal::derive(move || t_string!(i18n, start.heading)) />
        <h1 class="bk-heading-xl">{t!(i18n, start.heading)}</h1>
        <p class="bk-lead">{t!(i18n, start.lead)}</p>
        <h2 class="bk-heading-m">{t!(i18n, start.need_heading)}</h2>
        <ul class="bk-list bk-list--bullet">
            <li>{t!(i18n, start.need_bank)}</li>
            <li>{t!(i18n, start.need_id)}</li>
            <li>{t!(i18n, start.need_phone)}</li>
        </ul>
        <h2 class="bk-heading-m">{t!(i18n, start.how_heading)}</h2>
        <ol class="bk-list bk-list--number">
            <li>{t!(i18n, start.how_details)}</li>
            <li>{t!(i18n, start.how_bank)}</li>
            <li>{t!(i18n, start.how_sign)}</li>
        </ol>
        <p class="bk-body">{t!(i18n, start.privacy)}</p>
        <a
            href=Page::Start.next().path()
            role="button"
            draggable="false"
            class="bk-button bk-button--start"
            on:click=|_| {
                post_event(&BridgeEvent::Started);
            }
        >
            {t!(i18n, start.button)}
            <svg class="bk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
            </svg>
        </a>
    }
}
