//! The HTML frame of every hosted screen and its form widgets, following the GOV.UK patterns:
//! labels, hints, errors linked to their fields, an error summary, "Error:" in the title.
//! Markup comes from maud, which escapes every value it is given.

use axum::response::Html;
use bankident_domain::Language;
use maud::{DOCTYPE, Markup, Render, html};

use super::texts::Text;

/// A field error: the input's id and the message.
pub type FieldError = (&'static str, &'static str);

/// A whole page: heading, optional error summary, content. `base` is the emulator's public URL.
pub fn page(
    base: &str,
    language: Language,
    title: &str,
    errors: &[FieldError],
    content: Markup,
) -> Html<String> {
    let brand = Text::Brand.get(language);
    let markup = html! {
        (DOCTYPE)
        html lang=(language.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title {
                    @if !errors.is_empty() { (Text::ErrorPrefix.get(language)) }
                    (title) " – " (brand)
                }
                link rel="stylesheet" href={ (base) "/screens.css" };
                link rel="icon" href="data:,";
            }
            body {
                header {
                    span.brand { (brand) }
                    p.notice { (Text::SandboxNotice.get(language)) }
                }
                main #main {
                    @if !errors.is_empty() {
                        div.summary role="alert" tabindex="-1" {
                            h2 { (Text::ErrorSummaryTitle.get(language)) }
                            ul {
                                @for (id, message) in errors {
                                    li { a href={ "#" (id) } { (message) } }
                                }
                            }
                        }
                    }
                    h1 { (title) }
                    (content)
                }
            }
        }
    };
    Html(markup.into_string())
}

/// What a text input asks for, which sets the keyboard and what the browser may fill in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// An SMS code or a TAN: digits, filled from the SMS where the device can.
    OneTimeCode,
    /// An IBAN: capitals, no spelling correction, never remembered.
    Iban,
    /// A bank login's user id.
    Username,
    /// A bank login's password.
    Password,
}

/// A labelled text input with a hint and, if any, its error.
#[derive(Debug, Clone, Copy)]
pub struct TextInput<'a> {
    /// The input's id and name.
    pub id: &'a str,
    /// The visible label.
    pub label: &'a str,
    /// Help shown under the label.
    pub hint: Option<&'a str>,
    /// The value to show again.
    pub value: &'a str,
    /// What is wrong with the value.
    pub error: Option<&'a str>,
    /// What it asks for.
    pub kind: InputKind,
}

impl Render for TextInput<'_> {
    fn render(&self) -> Markup {
        let id = self.id;
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let described_by: Vec<&str> = [
            self.hint.map(|_| hint_id.as_str()),
            self.error.map(|_| error_id.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let described_by = (!described_by.is_empty()).then(|| described_by.join(" "));
        let kind = self.kind;
        html! {
            div.field.field--error[self.error.is_some()] {
                label for=(id) { (self.label) }
                @if let Some(hint) = self.hint { div.hint id=(hint_id) { (hint) } }
                @if let Some(error) = self.error { p.error id=(error_id) { (error) } }
                input id=(id) name=(id) value=(self.value)
                    aria-describedby=[described_by]
                    aria-invalid=[self.error.map(|_| "true")]
                    type=[(kind == InputKind::Password).then_some("password")]
                    inputmode=[(kind == InputKind::OneTimeCode).then_some("numeric")]
                    autocomplete=(match kind {
                        InputKind::OneTimeCode => "one-time-code",
                        InputKind::Iban => "off",
                        InputKind::Username => "username",
                        InputKind::Password => "current-password",
                    })
                    spellcheck=[matches!(kind, InputKind::Iban | InputKind::Username).then_some("false")]
                    autocapitalize=[(kind == InputKind::Iban).then_some("characters")];
            }
        }
    }
}

/// A form posting to `action` with its fields and a submit button.
pub fn form(action: &str, fields: &[TextInput], button: &str) -> Markup {
    html! {
        form method="post" action=(action) novalidate {
            @for field in fields { (field) }
            button type="submit" { (button) }
        }
    }
}

/// A form with only a secondary button (e.g. "send a new code").
pub fn secondary_form(action: &str, button: &str) -> Markup {
    html! {
        form method="post" action=(action) {
            button.button--secondary type="submit" { (button) }
        }
    }
}

/// A link styled as a button.
pub fn button_link(href: &str, label: &str) -> Markup {
    html! { p { a.button href=(href) { (label) } } }
}

/// A paragraph of text.
pub fn paragraph(text: &str) -> Markup {
    html! { p { (text) } }
}

/// The stylesheet of the hosted screens: plain, readable, usable at 320 px.
pub const STYLESHEET: &str = "body{margin:0;font-family:system-ui,sans-serif;font-size:1.1875rem;line-height:1.5;color:#0b0c0c;overflow-wrap:anywhere}\
header{background:#1d1d1b;color:#fff;padding:.75rem 1rem}.brand{font-weight:700}.notice{margin:.25rem 0 0;font-size:.875rem}\
main{max-width:38rem;margin:0 auto;padding:1rem}h1{font-size:1.75rem;line-height:1.2;hyphens:auto}\
label{display:block;font-weight:700}.hint{color:#484949}.field{margin-bottom:1.25rem}\
.field--error{border-left:5px solid #b3261e;padding-left:.75rem}.error{color:#b3261e;font-weight:700;margin:.25rem 0}\
input{font:inherit;width:100%;max-width:20rem;padding:.4rem;border:2px solid #0b0c0c;box-sizing:border-box}\
button,.button{display:inline-block;font:inherit;font-weight:700;color:#fff;background:#00703c;border:0;padding:.5rem 1rem;min-height:2.75rem;text-decoration:none;cursor:pointer;margin:.25rem 0}\
.button--secondary{background:#f3f2f1;color:#0b0c0c}\
.summary{border:5px solid #b3261e;padding:1rem;margin-bottom:1.5rem}.summary h2{margin-top:0}.summary a{color:#b3261e}\
.leave{margin-top:2rem;font-size:1rem}\
a:focus,button:focus,input:focus{outline:3px solid #fd0;outline-offset:0}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_wire_hint_and_error_to_the_field() {
        let html = TextInput {
            id: "iban",
            label: "IBAN",
            hint: Some("22 characters"),
            value: "<x>",
            error: Some("Enter a valid IBAN"),
            kind: InputKind::Iban,
        }
        .render()
        .into_string();
        assert!(html.contains(r#"aria-describedby="iban-hint iban-error""#));
        assert!(html.contains(r#"aria-invalid="true""#));
        assert!(html.contains(r#"<label for="iban">"#));
        assert!(html.contains(r#"class="field field--error""#));
        assert!(html.contains("&lt;x&gt;"), "values are escaped");
    }

    #[test]
    fn inputs_without_hint_or_error_describe_nothing() {
        let html = TextInput {
            id: "password",
            label: "Passwort",
            hint: None,
            value: "",
            error: None,
            kind: InputKind::Password,
        }
        .render()
        .into_string();
        assert!(!html.contains("aria-describedby"));
        assert!(!html.contains("aria-invalid"));
        assert!(html.contains(r#"type="password""#));
        assert!(html.contains(r#"class="field""#));
    }

    #[test]
    fn error_pages_say_so_in_the_title_and_summary() {
        let Html(html) = page(
            "http://sandbox",
            Language::De,
            "IBAN",
            &[("iban", "Geben Sie eine IBAN ein")],
            html! {},
        );
        assert!(html.contains("<title>Fehler: IBAN"));
        assert!(html.contains(r##"<a href="#iban">Geben Sie eine IBAN ein</a>"##));
        assert!(html.contains(r#"<html lang="de">"#));
    }

    #[test]
    fn titles_and_addresses_are_escaped() {
        let Html(html) = page("http://a\"b", Language::En, "<T>", &[], html! {});
        assert!(html.contains("<title>&lt;T&gt;"));
        assert!(html.contains(r#"href="http://a&quot;b/screens.css""#));
    }
}
