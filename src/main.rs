//! Entry point of the web app: mounts [`bankident_app::App`] into the page body.

fn main() {
    // Development builds say in the console why the app stopped; the release leaves the hook
    // and its formatting out (measured in docs/benchmarks.md, "Size work of issue 25").
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(bankident_app::App);
}
