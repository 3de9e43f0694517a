//! The HTML frame of every hosted screen and its form widgets, following the GOV.UK patterns:
//! labels, hints, errors linked to their fields, an error summary, "Error:" in the title.

use axum::response::Html;
use bankident_domain::Language;

use super::texts::Text;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A field error: the input's id and the message.
pub type FieldError = (&'static str, &'static str);

/// A whole page: heading, optional error summary, content. `base` is the emulator's public URL.
pub fn page(
    base: &str,
    language: Language,
    title: &str,
    errors: &[FieldError],
    content: &str,
) -> Html<String> {
    let prefix = if errors.is_empty() {
        ""
    } else {
        Text::ErrorPrefix.get(language)
    };
    let summary = if errors.is_empty() {
        String::new()
    } else {
        let items: String = errors
            .iter()
            .map(|(id, message)| format!(r##"<li><a href="#{id}">{}</a></li>"##, escape(message)))
            .collect();
        format!(
            r#"<div class="summary" role="alert" tabindex="-1"><h2>{}</h2><ul>{items}</ul></div>"#,
            Text::ErrorSummaryTitle.get(language)
        )
    };
    Html(format!(
        r#"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{prefix}{title} – {brand}</title>
<link rel="stylesheet" href="{base}/screens.css">
<link rel="icon" href="data:,">
</head>
<body>
<header><span class="brand">{brand}</span><p class="notice">{notice}</p></header>
<main id="main">
{summary}
<h1>{title}</h1>
{content}
</main>
</body>
</html>"#,
        lang = language.tag(),
        base = escape(base),
        title = escape(title),
        brand = Text::Brand.get(language),
        notice = Text::SandboxNotice.get(language),
    ))
}

/// A labelled text input with a hint and, if any, its error.
pub fn text_input(
    id: &str,
    label: &str,
    hint: Option<&str>,
    value: &str,
    error: Option<&str>,
    attributes: &str,
) -> String {
    let mut described_by = Vec::new();
    let hint_html = hint.map_or(String::new(), |hint| {
        described_by.push(format!("{id}-hint"));
        format!(r#"<div class="hint" id="{id}-hint">{}</div>"#, escape(hint))
    });
    let error_html = error.map_or(String::new(), |error| {
        described_by.push(format!("{id}-error"));
        format!(r#"<p class="error" id="{id}-error">{}</p>"#, escape(error))
    });
    let described = if described_by.is_empty() {
        String::new()
    } else {
        format!(r#" aria-describedby="{}""#, described_by.join(" "))
    };
    let invalid = if error.is_some() {
        r#" aria-invalid="true""#
    } else {
        ""
    };
    format!(
        r#"<div class="field{err}"><label for="{id}">{label}</label>{hint_html}{error_html}<input id="{id}" name="{id}" value="{value}"{described}{invalid} {attributes}></div>"#,
        err = if error.is_some() { " field--error" } else { "" },
        label = escape(label),
        value = escape(value),
    )
}

/// A form posting to `action` with a submit button.
pub fn form(action: &str, fields: &str, button: &str) -> String {
    format!(
        r#"<form method="post" action="{}" novalidate>{fields}<button type="submit">{}</button></form>"#,
        escape(action),
        escape(button)
    )
}

/// A form with only a secondary button (e.g. "send a new code").
pub fn secondary_form(action: &str, button: &str) -> String {
    format!(
        r#"<form method="post" action="{}"><button type="submit" class="button--secondary">{}</button></form>"#,
        escape(action),
        escape(button)
    )
}

/// A link styled as a button.
pub fn button_link(href: &str, label: &str) -> String {
    format!(
        r#"<p><a class="button" href="{}">{}</a></p>"#,
        escape(href),
        escape(label)
    )
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
        let html = text_input(
            "iban",
            "IBAN",
            Some("22 characters"),
            "<x>",
            Some("Enter a valid IBAN"),
            "",
        );
        assert!(html.contains(r#"aria-describedby="iban-hint iban-error""#));
        assert!(html.contains(r#"aria-invalid="true""#));
        assert!(html.contains(r#"<label for="iban">"#));
        assert!(html.contains("&lt;x&gt;"), "values are escaped");
    }

    #[test]
    fn error_pages_say_so_in_the_title_and_summary() {
        let Html(html) = page(
            "http://sandbox",
            Language::De,
            "IBAN",
            &[("iban", "Geben Sie eine IBAN ein")],
            "",
        );
        assert!(html.contains("<title>Fehler: IBAN"));
        assert!(html.contains(r##"<a href="#iban">Geben Sie eine IBAN ein</a>"##));
        assert!(html.contains(r#"<html lang="de">"#));
    }
}
