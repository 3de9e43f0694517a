//! Widgets shared by the pages.

pub mod fallback_link;
pub mod fields;
pub mod form;
pub mod iban_field;
pub mod language_switch;
pub mod page_shell;
pub mod page_title;
pub mod support_contact;
