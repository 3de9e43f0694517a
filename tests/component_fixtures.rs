//! The form group and the error summary against the examples of `docs/components.md`: each
//! example is rendered with its options and compared with its HTML, element by element. The
//! examples are typed from the GOV.UK Design System's markup, not from this code.
#![cfg(target_arch = "wasm32")]

mod support;

use bankident_app::components::error_summary::ProblemSummary;
use bankident_app::components::form_group::{FieldState, FormGroup, Grouping};
use bankident_app::i18n::Locale;
use bankident_app::language::{provide_language, use_i18n};
use leptos::mount::mount_to;
use leptos::prelude::*;
use support::settle;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, Node};

wasm_bindgen_test_configure!(run_in_browser);

/// The documented examples.
const DOCUMENT: &str = include_str!("../docs/components.md");

/// One example: its heading, its options and the HTML it must render.
#[derive(Clone)]
struct Example {
    title: &'static str,
    props: Vec<(&'static str, &'static str)>,
    html: &'static str,
}

impl Example {
    fn get(&self, key: &str) -> Option<&'static str> {
        self.props
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, value)| *value)
    }

    fn all(&self, key: &str) -> Vec<&'static str> {
        self.props
            .iter()
            .filter(|(name, _)| *name == key)
            .map(|(_, value)| *value)
            .collect()
    }

    fn required(&self, key: &str) -> &'static str {
        self.get(key)
            .unwrap_or_else(|| panic!("example {:?} has no {key}", self.title))
    }
}

/// The text between `fence` and the next fence in `section`.
fn block(section: &'static str, fence: &str) -> &'static str {
    let start = section
        .find(fence)
        .unwrap_or_else(|| panic!("no {fence:?} block in {section:?}"))
        + fence.len();
    let rest = &section[start..];
    &rest[..rest.find("```").expect("a closing fence")]
}

fn examples() -> Vec<Example> {
    DOCUMENT
        .split("\n## ")
        .skip(1)
        .map(|section| Example {
            title: section.lines().next().unwrap_or_default(),
            props: block(section, "```props\n")
                .lines()
                .filter_map(|line| line.split_once(": "))
                .collect(),
            html: block(section, "```html\n"),
        })
        .collect()
}

#[component]
fn InLanguage(lang: &'static str, children: Children) -> impl IntoView {
    let locale = match lang {
        "de" => Locale::de,
        "en" => Locale::en,
        other => panic!("no language {other:?}"),
    };
    use_i18n().set_locale(locale);
    children()
}

fn form_group(example: &Example) -> AnyView {
    let id = example.required("id");
    let label = example.required("label");
    let hint = example.get("hint");
    let error = example.get("error");
    let grouping = match example.get("grouping") {
        None | Some("label") => Grouping::Label,
        Some("fieldset") => Grouping::Fieldset,
        Some("parts") => Grouping::Parts,
        Some(other) => panic!("no grouping {other:?}"),
    };
    let state = FieldState::of(id, Signal::derive(move || error), hint.is_some());
    view! {
        <FormGroup state=state label=label hint=hint.map(Signal::stored) grouping=grouping>
            <input
                class="bk-input"
                id=id
                name=id
                type="text"
                aria-describedby=move || state.described_by.get()
                aria-invalid=state.invalid()
            />
        </FormGroup>
    }
    .into_any()
}

fn error_summary(example: &Example) -> AnyView {
    let shown = example.required("shown") == "true";
    let problems: Vec<(&'static str, &'static str)> = example
        .all("problem")
        .into_iter()
        .map(|problem| {
            let (id, message) = problem.split_once(" | ").expect("problem: id | message");
            (id, message)
        })
        .collect();
    view! { <ProblemSummary shown=Signal::stored(shown) problems=Signal::stored(problems) /> }
        .into_any()
}

/// The example's component, inside the language context.
fn render(example: &Example) -> AnyView {
    match example.required("component") {
        "form-group" => form_group(example),
        "error-summary" => error_summary(example),
        other => panic!("no component {other:?}"),
    }
}

/// The elements and texts under `node`, one per line and indented: tag names, attributes
/// sorted (and a class attribute's classes sorted), texts with their whitespace collapsed
/// (neighbouring texts joined), comments and scripts left out.
fn canonical(node: &Node, depth: usize, out: &mut Vec<String>) {
    let mut text = String::new();
    let flush = |text: &mut String, out: &mut Vec<String>| {
        let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !collapsed.is_empty() {
            out.push(format!("{}{collapsed:?}", "  ".repeat(depth)));
        }
        text.clear();
    };
    let mut child = node.first_child();
    while let Some(current) = child {
        match current.node_type() {
            // The language context's own script is not the component's.
            Node::ELEMENT_NODE if current.node_name() == "SCRIPT" => {}
            Node::ELEMENT_NODE => {
                flush(&mut text, out);
                let element: &Element = current.unchecked_ref();
                let mut attributes: Vec<String> = element
                    .get_attribute_names()
                    .iter()
                    .filter_map(|name| name.as_string())
                    .map(|name| {
                        let mut value = element.get_attribute(&name).unwrap_or_default();
                        if name == "class" {
                            let mut classes: Vec<&str> = value.split_whitespace().collect();
                            classes.sort_unstable();
                            value = classes.join(" ");
                        }
                        format!("{name}={value:?}")
                    })
                    .collect();
                attributes.sort();
                out.push(format!(
                    "{}<{} {}>",
                    "  ".repeat(depth),
                    element.tag_name().to_lowercase(),
                    attributes.join(" ")
                ));
                canonical(&current, depth + 1, out);
            }
            Node::TEXT_NODE => text.push_str(&current.text_content().unwrap_or_default()),
            _ => {}
        }
        child = current.next_sibling();
    }
    flush(&mut text, out);
}

fn canonical_of(node: &Node) -> String {
    let mut lines = Vec::new();
    canonical(node, 0, &mut lines);
    lines.join("\n")
}

#[wasm_bindgen_test]
async fn every_documented_example_renders_as_documented() {
    let examples = examples();
    assert!(examples.len() >= 9, "the examples of docs/components.md");
    let mut wrong = Vec::new();
    for example in examples {
        let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
        document().body().unwrap().append_child(&container).unwrap();
        let lang = example.required("lang");
        let shown = example.clone();
        let handle = mount_to(container.clone(), move || {
            provide_language();
            view! { <InLanguage lang=lang>{render(&shown)}</InLanguage> }.into_any()
        });
        settle().await;
        let expected = document().create_element("div").unwrap();
        expected.set_inner_html(example.html);
        let (rendered, documented) = (canonical_of(&container), canonical_of(&expected));
        if rendered != documented {
            wrong.push(format!(
                "{}\n-- documented:\n{documented}\n-- rendered:\n{rendered}",
                example.title
            ));
        }
        drop(handle);
        container.remove();
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}
