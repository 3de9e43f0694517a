//! Pages loaded on demand. The release build (`cargo xtask`, with `--cfg bankident_split`)
//! splits every page but the start and not-found pages into its own WebAssembly module, so
//! the first load carries only the runtime, the start page and the catalogs; the other pages
//! arrive while the customer reads the start page ([`preload_all`]). Tests and other builds
//! compile the same functions as plain async functions that are ready at once.
//!
//! A page that cannot be loaded (the connection dropped) shows a message with a retry instead
//! of a broken screen.

use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;

use crate::components::page_not_loaded::PageNotLoaded;
use crate::pages::{
    address::AddressPage, bank::BankPage, birth::BirthPage, check::CheckPage,
    consents::ConsentsPage, contact::ContactPage, employment::EmploymentPage, link::LinkPage,
    name::NamePage, opening::OpeningPage, outcome::OutcomePage, sign::SignPage,
    transfer::TransferPage, verify::VerifyPage,
};
use crate::routing::Page;

/// Pages travel in a few modules: fewer, larger modules cost fewer requests and less than one
/// per page (measured, see docs/benchmarks.md). Each module is named after the paths of its
/// pages joined by `_` (no path has one; `/callback` is the outcome page): the release build turns the names
/// into the per-path preloads of `preload.json`.
///
/// Declares, for each module, `load` (a page's view, once the module is there) and `preload`
/// (fetches the module only), and from the same list [`lazy_page`] and [`preload_all`]. The
/// view is made untracked: it may be built inside a reactive closure (see [`when_loaded`]), and
/// a page must not be rebuilt because the customer typed. The page travels as its number: a
/// split function's arguments cross a module boundary (`extern "C"`).
macro_rules! split_groups {
    ($($load:ident, $preload:ident => [$($route:ident => $page:ident),*];)*) => {
        $(
            #[cfg(bankident_split)]
            #[leptos::wasm_split::wasm_split(
                $load,
                wasm_split_path = ::leptos::wasm_split,
                fallible,
                preload($preload)
            )]
            fn $load(page: u8) -> Result<AnyView, SplitLoaderError> {
                Ok(untrack(|| match page {
                    $(x if x == Page::$route.number() => view! { <$page /> }.into_any(),)*
                    _ => ().into_any(),
                }))
            }

            #[cfg(not(bankident_split))]
            async fn $load(page: u8) -> Result<AnyView, SplitLoaderError> {
                Ok(untrack(|| match page {
                    $(x if x == Page::$route.number() => view! { <$page /> }.into_any(),)*
                    _ => ().into_any(),
                }))
            }

            #[cfg(not(bankident_split))]
            async fn $preload() -> Result<(), SplitLoaderError> {
                Ok(())
            }
        )*

        /// The view of a page that lives in its own module; `None` for the pages of the first
        /// load.
        pub fn lazy_page(page: Page) -> Option<AnyView> {
            match page {
                $($(Page::$route => Some(when_loaded($preload, move || $load(page.number()))),)*)*
                _ => None,
            }
        }

        /// Fetches every module in journey order, one after the other, so that each page is
        /// there by the time the customer asks for it. Failures are left for [`lazy_page`] to
        /// report.
        pub async fn preload_all() {
            $(let _ = $preload().await;)*
        }

        /// Each module's name and the paths of its pages, for the test that keeps the two in
        /// step.
        #[cfg(test)]
        pub(crate) const MODULES: &[(&str, &[Page])] = &[$((stringify!($load), &[$(Page::$route),*]),)*];
    };
}

split_groups! {
    name_birth_address_contact_employment_bank_consents_check, preload_questions => [
        Name => NamePage, Birth => BirthPage, Address => AddressPage, Contact => ContactPage,
        Employment => EmploymentPage, Bank => BankPage, Consents => ConsentsPage, Check => CheckPage
    ];
    opening_callback_link, preload_outcome => [
        Opening => OpeningPage, Outcome => OutcomePage, Link => LinkPage
    ];
    verify_transfer_sign, preload_bank_steps => [
        Verify => VerifyPage, Transfer => TransferPage, Sign => SignPage
    ];
}

/// The page at once when its module is there (always, in builds without splitting), else
/// nothing until it arrives, then the page, or [`PageNotLoaded`].
///
/// Not `Suspend`: when the route changes, `Suspend` keeps showing the previous page (whose
/// signals are gone by then) until the next one is ready, and any event on it panics.
fn when_loaded<P, L>(
    preload: fn() -> P,
    load: impl Fn() -> L + Copy + Send + Sync + 'static,
) -> AnyView
where
    P: Future<Output = Result<(), SplitLoaderError>> + 'static,
    L: Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
{
    let mut loading = Box::pin(preload());
    match poll_once(loading.as_mut()) {
        Some(Ok(())) => build(load),
        Some(Err(_)) => view! { <PageNotLoaded /> }.into_any(),
        None => {
            let loaded = RwSignal::new(None::<bool>);
            leptos::task::spawn_local(async move {
                let ok = loading.await.is_ok();
                // The customer may have moved on meanwhile; then there is nobody to tell.
                let _ = loaded.try_set(Some(ok));
            });
            (move || {
                loaded.get().map(|ok| {
                    if ok {
                        build(load)
                    } else {
                        view! { <PageNotLoaded /> }.into_any()
                    }
                })
            })
            .into_any()
        }
    }
}

/// Builds a page whose module is loaded (its future is ready at the first poll).
fn build<L>(load: impl Fn() -> L) -> AnyView
where
    L: Future<Output = Result<AnyView, SplitLoaderError>>,
{
    match poll_once(std::pin::pin!(load())) {
        Some(Ok(page)) => page,
        _ => view! { <PageNotLoaded /> }.into_any(),
    }
}

/// Polls a future once: its output if it is ready.
fn poll_once<F: Future>(future: std::pin::Pin<&mut F>) -> Option<F::Output> {
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.poll(&mut context) {
        std::task::Poll::Ready(output) => Some(output),
        std::task::Poll::Pending => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_module_is_named_after_the_paths_of_its_pages() {
        for (module, pages) in MODULES {
            let paths: Vec<&str> = pages
                .iter()
                .map(|page| page.path().trim_start_matches('/'))
                .collect();
            assert_eq!(*module, paths.join("_"));
        }
    }
}
