//! Widgets shared by the pages.

pub mod binding;
pub mod code_form;
pub mod consent_checkbox;
pub mod consent_documents;
pub mod country_select;
pub mod date_field;
pub mod documents_list;
pub mod error_message;
pub mod error_summary;
pub mod fallback_link;
pub mod final_outcome;
pub mod form_errors;
pub mod form_group;
pub mod iban_field;
pub mod iban_to_copy;
pub mod language_switch;
pub mod page_not_loaded;
pub mod page_shell;
pub mod page_title;
pub mod question_page;
pub mod radio_group;
pub mod select_field;
pub mod step_lost;
pub mod support_contact;
pub mod text_field;
