//! The start page: what the identification is, what the customer needs, how it works.

use leptos::prelude::*;

use crate::texts::{tr, tr_signal};

use crate::bridge::{BridgeEvent, post_event};
use crate::components::page_title::PageTitle;
use crate::routing::Page;

/// The journey's start page.
#[component]
pub fn StartPage() -> impl IntoView {
    view! {
        <PageTitle heading=tr_signal(|k| k.start().heading().inner()) />
        <h1 class="bk-heading-xl">{tr(|k| k.start().heading().inner())}</h1>
        <p class="bk-lead">{tr(|k| k.start().lead().inner())}</p>
        <h2 class="bk-heading-m">{tr(|k| k.start().need_heading().inner())}</h2>
        <ul class="bk-list bk-list--bullet">
            <li>{tr(|k| k.start().need_bank().inner())}</li>
            <li>{tr(|k| k.start().need_id().inner())}</li>
            <li>{tr(|k| k.start().need_phone().inner())}</li>
        </ul>
        <h2 class="bk-heading-m">{tr(|k| k.start().how_heading().inner())}</h2>
        <ol class="bk-list bk-list--number">
            <li>{tr(|k| k.start().how_details().inner())}</li>
            <li>{tr(|k| k.start().how_bank().inner())}</li>
            <li>{tr(|k| k.start().how_sign().inner())}</li>
        </ol>
        <p class="bk-body">{tr(|k| k.start().privacy().inner())}</p>
        <a
            href=Page::Start.next().path()
            role="button"
            draggable="false"
            class="bk-button bk-button--start"
            on:click=|_| {
                post_event(&BridgeEvent::Started);
            }
        >
            {tr(|k| k.start().button().inner())}
            <svg class="bk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
                <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
            </svg>
        </a>
    }
}
