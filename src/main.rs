//! Entry point of the web app: mounts [`bankident_app::App`] into the page body.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(bankident_app::App);
}
