//! Client-side routing over the History API: the current page as a signal, link clicks
//! handled without a reload, back and forward buttons, and focus moved to the new page's
//! content so screen-reader users hear that the page changed.
//!
//! Hand-written instead of leptos_router: the journey is a fixed list of paths without
//! parameters, and leptos_router 0.8 costs 51 KB gzip of wasm (measured: a bare Leptos app is
//! 29 KB, with one leptos_router route 80 KB), more than all of our pages together.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use bankident_domain::Field;

/// A page of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Page {
    /// `/`: what the identification is and what the customer needs.
    Start,
    /// `/name`: salutation and names.
    Name,
    /// `/birth`: date and place of birth, nationality.
    Birth,
    /// `/address`: postal address.
    Address,
    /// `/contact`: email and mobile number.
    Contact,
    /// `/employment`: employment status.
    Employment,
    /// `/bank`: the IBAN.
    Bank,
    /// `/consents`: the consents with their timestamps.
    Consents,
    /// `/check`: check answers.
    Check,
    /// `/opening`: opening the identification, then off to Solaris.
    Opening,
    /// `/callback`: the outcome, where Solaris sends the customer back.
    Outcome,
    /// `/verify` (API mode): the SMS code that verifies the mobile number.
    Verify,
    /// `/transfer` (API mode): the IBAN, the signature terms, the way to the bank.
    Transfer,
    /// `/sign` (API mode): back from the bank, the contract and its signature code.
    Sign,
    /// `/link`: a start link that did not work, or none opened.
    Link,
    /// Any path the app does not know.
    NotFound,
}

/// One row of [`JOURNEY`].
struct Step {
    page: Page,
    path: &'static str,
    fields: &'static [Field],
}

/// The journey as one table, in the order the customer goes through it: each page's path and
/// the fields it asks for. "Back" and "Continue" go to the rows before and after; the router,
/// the question pages, the check page's "Change" links and the page modules come from it.
/// The pages after `/opening` are not steps: they are where the journey ends.
const JOURNEY: &[Step] = &[
    Step {
        page: Page::Start,
        path: "/",
        fields: &[],
    },
    Step {
        page: Page::Name,
        path: "/name",
        fields: &[Field::Salutation, Field::FirstName, Field::LastName],
    },
    Step {
        page: Page::Birth,
        path: "/birth",
        fields: &[
            Field::BirthDate,
            Field::BirthCity,
            Field::BirthCountry,
            Field::Nationality,
        ],
    },
    Step {
        page: Page::Address,
        path: "/address",
        fields: &[
            Field::AddressLine1,
            Field::AddressLine2,
            Field::PostalCode,
            Field::City,
            Field::AddressState,
            Field::AddressCountry,
        ],
    },
    Step {
        page: Page::Contact,
        path: "/contact",
        fields: &[Field::Email, Field::MobileNumber],
    },
    Step {
        page: Page::Employment,
        path: "/employment",
        fields: &[Field::EmploymentStatus],
    },
    Step {
        page: Page::Bank,
        path: "/bank",
        fields: &[Field::Iban],
    },
    Step {
        page: Page::Consents,
        path: "/consents",
        fields: &[
            Field::FatcaRelevant,
            Field::DataTerms,
            Field::TermsConditions,
            Field::OwnEconomicInterest,
            Field::FatcaCrs,
        ],
    },
    Step {
        page: Page::Check,
        path: "/check",
        fields: &[],
    },
    Step {
        page: Page::Opening,
        path: "/opening",
        fields: &[],
    },
];

/// The pages outside the journey's order, with their paths.
const OTHER_PAGES: &[(Page, &str)] = &[
    (Page::Outcome, "/callback"),
    (Page::Link, "/link"),
    (Page::Verify, "/verify"),
    (Page::Transfer, "/transfer"),
    (Page::Sign, "/sign"),
];

/// Every page with its path: the journey's, then the others.
fn paths() -> impl Iterator<Item = (Page, &'static str)> {
    JOURNEY
        .iter()
        .map(|step| (step.page, step.path))
        .chain(OTHER_PAGES.iter().copied())
}

impl Page {
    /// The page an address path shows. A trailing slash does not matter.
    pub fn from_path(path: &str) -> Page {
        let path = match path.trim_end_matches('/') {
            "" => "/",
            path => path,
        };
        paths()
            .find(|(_, known)| *known == path)
            .map_or(Page::NotFound, |(page, _)| page)
    }

    /// The page's path (`/` for pages without one of their own).
    pub fn path(self) -> &'static str {
        paths()
            .find(|(page, _)| *page == self)
            .map_or("/", |(_, path)| path)
    }

    fn position(self) -> Option<usize> {
        JOURNEY.iter().position(|step| step.page == self)
    }

    /// The fields the page asks for.
    pub fn fields(self) -> &'static [Field] {
        self.position().map_or(&[], |index| JOURNEY[index].fields)
    }

    /// The page before this one in the journey ("Back").
    pub fn previous(self) -> Page {
        match self.position() {
            Some(index) if index > 0 => JOURNEY[index - 1].page,
            _ => Page::Start,
        }
    }

    /// The page after this one in the journey ("Continue").
    pub fn next(self) -> Page {
        self.position()
            .and_then(|index| JOURNEY.get(index + 1))
            .map_or(Page::Start, |step| step.page)
    }

    /// The page that asks for `field` (where "Change" on the check page goes).
    pub fn asking(field: Field) -> Page {
        JOURNEY
            .iter()
            .find(|step| step.fields.contains(&field))
            .map_or(Page::Start, |step| step.page)
    }

    /// The page's number, as it crosses into a page module.
    pub fn number(self) -> u8 {
        self as u8
    }
}

/// The router's state, shared through context.
#[derive(Clone, Copy)]
pub struct Router {
    path: RwSignal<String>,
}

/// Why the customer is sent back to a question page, as its address says: from the check page
/// to change an answer (`?change=1`), and after a refusal to try another bank account
/// (`&another=1`). Built and read with the browser's `URLSearchParams`, never by hand.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JourneyQuery {
    /// Back from the check page: after the answer, return there.
    pub change: bool,
    /// After a refusal: the refused IBAN is not offered again.
    pub another: bool,
}

impl JourneyQuery {
    /// Changing an answer from the check page.
    pub const CHANGE: JourneyQuery = JourneyQuery {
        change: true,
        another: false,
    };
    /// Another bank account after a refusal (then back to the check page).
    pub const ANOTHER_IBAN: JourneyQuery = JourneyQuery {
        change: true,
        another: true,
    };

    /// The link to `page` with this query.
    pub fn href(self, page: Page) -> String {
        let Ok(params) = web_sys::UrlSearchParams::new() else {
            return page.path().to_string();
        };
        for (name, wanted) in [("change", self.change), ("another", self.another)] {
            if wanted {
                params.append(name, "1");
            }
        }
        let query = String::from(params.to_string());
        if query.is_empty() {
            page.path().to_string()
        } else {
            format!("{}?{query}", page.path())
        }
    }

    /// The query of an address's search part (`?change=1&lang=en`).
    pub fn parse(search: &str) -> JourneyQuery {
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) else {
            return JourneyQuery::default();
        };
        JourneyQuery {
            change: params.has("change"),
            another: params.has("another"),
        }
    }
}

impl Router {
    /// The journey query of the current address (tracked: it changes with the page).
    pub fn journey_query(&self) -> JourneyQuery {
        self.path.track();
        window()
            .location()
            .search()
            .map(|search| JourneyQuery::parse(&search))
            .unwrap_or_default()
    }

    /// The page for the current address.
    pub fn page(&self) -> Page {
        self.path.with(|path| Page::from_path(path))
    }

    /// The current path.
    pub fn path(&self) -> String {
        self.path.get()
    }

    /// Shows the page at `path` (with an optional `?query`) in place of the current one in
    /// the history: Back then skips a page that only passed the customer on.
    pub fn replace(&self, path_and_query: &str) {
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(path_and_query));
        }
        self.path.set(current_path());
        move_focus_to_main();
    }

    /// Shows the page at `path` (with an optional `?query`), adding a history entry.
    /// The customer's `?lang=` choice travels along, so a reload keeps the language.
    pub fn navigate(&self, path_and_query: &str) {
        let target = match crate::language::language_from_url() {
            Some(language) if !path_and_query.contains("lang=") => {
                let separator = if path_and_query.contains('?') {
                    '&'
                } else {
                    '?'
                };
                format!("{path_and_query}{separator}lang={}", language.tag())
            }
            _ => path_and_query.to_string(),
        };
        if let Ok(history) = window().history() {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&target));
        }
        self.path.set(current_path());
        move_focus_to_main();
    }
}

fn current_path() -> String {
    window()
        .location()
        .pathname()
        .unwrap_or_else(|_| "/".to_string())
}

/// After a navigation, start reading at the top of the new page, like a page load would.
fn move_focus_to_main() {
    window().scroll_to_with_x_and_y(0.0, 0.0);
    if let Some(main) = document()
        .get_element_by_id("main-content")
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}

/// The router of the nearest [`provide_router`].
pub fn use_router() -> Router {
    expect_context::<Router>()
}

/// Creates the router for the current address and handles link clicks and history moves.
pub fn provide_router() -> Router {
    let router = Router {
        path: RwSignal::new(current_path()),
    };
    provide_context(router);
    let popstate = window_event_listener(ev::popstate, move |_| router.path.set(current_path()));
    let clicks = window_event_listener(ev::click, move |event| {
        if let Some(target) = in_app_link_target(&event) {
            event.prevent_default();
            router.navigate(&target);
        }
    });
    on_cleanup(move || {
        popstate.remove();
        clicks.remove();
    });
    router
}

/// The path and query of a plain left click on a link to a page of this app; `None` for
/// clicks the browser should handle (other origins, paths of this origin that are not the
/// app's pages, such as documents served beside it, new tabs, downloads, modified clicks).
fn in_app_link_target(event: &web_sys::MouseEvent) -> Option<String> {
    if event.default_prevented()
        || event.button() != 0
        || event.meta_key()
        || event.ctrl_key()
        || event.shift_key()
        || event.alt_key()
    {
        return None;
    }
    let anchor = event
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("a[href]")
        .ok()??
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .ok()?;
    let opens_elsewhere = !anchor.target().is_empty() || anchor.has_attribute("download");
    let same_origin = anchor.origin() == window().location().origin().ok()?;
    if opens_elsewhere || !same_origin {
        return None;
    }
    // In-page links (the skip link) keep the browser's own behaviour.
    if anchor.pathname() == current_path() && !anchor.hash().is_empty() {
        return None;
    }
    // The consent documents, the emulator's sample documents, a partner's pages on this host.
    if Page::from_path(&anchor.pathname()) == Page::NotFound {
        return None;
    }
    Some(format!("{}{}", anchor.pathname(), anchor.search()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_pages() {
        assert_eq!(Page::from_path("/"), Page::Start);
        assert_eq!(Page::from_path(""), Page::Start);
        assert_eq!(Page::from_path("/name/"), Page::Name);
        assert_eq!(Page::from_path("/callback"), Page::Outcome);
        assert_eq!(Page::from_path("/verify"), Page::Verify);
        assert_eq!(Page::from_path("/transfer"), Page::Transfer);
        assert_eq!(Page::from_path("/sign"), Page::Sign);
        assert_eq!(Page::from_path("/nope"), Page::NotFound);
        assert_eq!(Page::from_path("/index.html"), Page::NotFound);
    }

    /// The guide's order of the questions (typed here, not read from the table).
    #[test]
    fn the_journey_goes_through_the_questions_in_order() {
        let order = [
            "/",
            "/name",
            "/birth",
            "/address",
            "/contact",
            "/employment",
            "/bank",
            "/consents",
            "/check",
            "/opening",
        ];
        for pair in order.windows(2) {
            let page = Page::from_path(pair[0]);
            assert_eq!(page.next().path(), pair[1]);
            assert_eq!(Page::from_path(pair[1]).previous(), page);
            assert_eq!(page.path(), pair[0]);
        }
        assert_eq!(Page::asking(Field::Iban), Page::Bank);
        assert_eq!(Page::asking(Field::MobileNumber), Page::Contact);
        assert_eq!(Page::Bank.fields(), &[Field::Iban]);
    }
}
