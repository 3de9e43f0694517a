//! The IBAN input: accepts what people paste, shows the IBAN in groups of four while they
//! type without moving the caret (also when editing in the middle or deleting across a space),
//! and names the bank once the IBAN is valid.

use bankident_domain::{Field, Iban, format_iban_input};
use leptos::prelude::*;

use crate::texts::{tr, tr_signal};
use wasm_bindgen::JsCast;

use crate::api::{BankInfo, iban_lookup};
use crate::components::binding::Binding;
use crate::components::form_group::{FieldState, FormGroup};
use crate::page_alive::PageAlive;

/// Character index of a UTF-16 offset (what the DOM reports) in `text`.
fn chars_at_utf16(text: &str, offset: usize) -> usize {
    let mut units = 0;
    for (index, c) in text.chars().enumerate() {
        if units >= offset {
            return index;
        }
        units += c.len_utf16();
    }
    text.chars().count()
}

/// UTF-16 offset of a character index in `text`.
fn utf16_at_chars(text: &str, chars: usize) -> u32 {
    text.chars().take(chars).map(char::len_utf16).sum::<usize>() as u32
}

/// Reformats after an edit. A deletion that removed only a space would be undone by the
/// formatting, so it removes the character beyond the space instead, as people expect.
pub fn reformat(
    previous: &str,
    raw: &str,
    caret: usize,
    deleting_backward: bool,
    deleting_forward: bool,
) -> (String, usize) {
    let formatted = format_iban_input(raw, caret);
    let only_space_removed = formatted.text == previous && raw != previous;
    if only_space_removed && (deleting_backward || deleting_forward) {
        let chars: Vec<char> = raw.chars().collect();
        let target = if deleting_backward {
            caret.checked_sub(1)
        } else {
            Some(caret)
        };
        if let Some(target) = target.filter(|target| *target < chars.len()) {
            let edited: String = chars
                .iter()
                .enumerate()
                .filter(|(index, _)| *index != target)
                .map(|(_, c)| c)
                .collect();
            let formatted = format_iban_input(&edited, target);
            return (formatted.text, formatted.caret);
        }
    }
    (formatted.text, formatted.caret)
}

/// The IBAN field with the bank's name and BIC below it once valid.
#[component]
pub fn IbanField(
    /// The bound IBAN text.
    binding: Binding,
) -> impl IntoView {
    let state = FieldState::new(Field::Iban, true);
    let id = state.id;
    let error = state.error;
    // The valid IBAN typed so far, unchanged by keystrokes that do not change it.
    let valid_iban = Memo::new(move |_| {
        binding.value.with(|value| {
            Iban::parse(value)
                .ok()
                .map(|iban| iban.electronic().to_string())
        })
    });
    // Each lookup's answer is kept with the IBAN it is for, and shown only while that IBAN is
    // the one in the field: an answer that arrives after a newer keystroke is never shown for
    // the newer IBAN. (Not a `LocalResource`: it would add 10.5 KB gzip to the app, measured.)
    let bank = RwSignal::new(None::<(Option<String>, Option<BankInfo>)>);
    let page = PageAlive::new();
    Effect::new(move || {
        let iban = valid_iban.get();
        leptos::task::spawn_local(async move {
            let found = match &iban {
                Some(iban) => iban_lookup(iban, page).await,
                None => None,
            };
            // An answer for an IBAN no longer in the field is dropped; the customer may also
            // have left the page meanwhile.
            if valid_iban.try_get_untracked() == Some(iban.clone()) {
                let _ = bank.try_set(Some((iban, found)));
            }
        });
    });
    let on_input = move |event: web_sys::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let input_type = event
            .dyn_ref::<web_sys::InputEvent>()
            .map(|event| event.input_type())
            .unwrap_or_default();
        let raw = input.value();
        let caret_units = input
            .selection_start()
            .ok()
            .flatten()
            .map_or(raw.encode_utf16().count(), |caret| caret as usize);
        let caret = chars_at_utf16(&raw, caret_units);
        let previous = binding.value.get_untracked();
        let (text, new_caret) = reformat(
            &previous,
            &raw,
            caret,
            input_type == "deleteContentBackward",
            input_type == "deleteContentForward",
        );
        if text != raw {
            input.set_value(&text);
        }
        let position = utf16_at_chars(&text, new_caret);
        let _ = input.set_selection_range(position, position);
        binding.set.run(text);
    };
    view! {
        <FormGroup
            state=state
            label=tr_signal(|k| k.bank().iban().inner())
            hint=Some(tr_signal(|k| k.bank().iban_hint().inner()))
        >
            <input
                class=move || if error.get().is_some() { "bk-input bk-input--width-iban bk-input--error" } else { "bk-input bk-input--width-iban" }
                id=id
                name=id
                type="text"
                autocomplete="off"
                spellcheck="false"
                autocapitalize="characters"
                aria-describedby=move || state.described_by.get()
                aria-invalid=state.invalid()
                prop:value=move || binding.value.get()
                on:input=on_input
            />
            <div aria-live="polite" class="bk-bank">
                {move || {
                    // Only the bank of the IBAN in the field: nothing while it is not valid, or
                    // while its bank is still being read.
                    let current = valid_iban.get();
                    bank.get()
                        .filter(|(iban, _)| iban.is_some() && *iban == current)
                        .and_then(|(_, bank)| bank)
                        .and_then(|bank| bank.bank_name.zip(bank.bic))
                        .map(|(name, bic)| {
                        view! {
                            <dl class="bk-bank__details">
                                <dt>{tr(|k| k.bank().bank().inner())}</dt>
                                <dd>{name}</dd>
                                <dt>{tr(|k| k.bank().bic().inner())}</dt>
                                <dd>{bic}</dd>
                            </dl>
                        }
                    })
                }}
            </div>
        </FormGroup>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backspace_over_a_space_deletes_the_digit_before_it() {
        // "DE12 |3456" + Backspace: the browser removed the space.
        assert_eq!(
            reformat("DE12 3456", "DE123456", 4, true, false),
            ("DE13 456".to_string(), 3)
        );
        // "DE12| 3456" + Delete: the browser removed the space.
        assert_eq!(
            reformat("DE12 3456", "DE123456", 4, false, true),
            ("DE12 456".to_string(), 4)
        );
        // An ordinary deletion just reformats.
        assert_eq!(
            reformat("DE12 3456", "DE12 456", 5, true, false),
            ("DE12 456".to_string(), 4)
        );
    }

    #[test]
    fn utf16_offsets_convert_to_characters_and_back() {
        assert_eq!(chars_at_utf16("DE1😀2", 5), 4);
        assert_eq!(utf16_at_chars("DE1😀2", 4), 5);
    }
}
