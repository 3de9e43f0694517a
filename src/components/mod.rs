//! Widgets shared by the pages.

pub mod language_switch;
pub mod page_shell;
pub mod page_title;
