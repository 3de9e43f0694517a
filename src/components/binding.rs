//! A value of the customer's answers bound to a form control.

use leptos::prelude::*;

use crate::journey::{Answers, use_journey};

/// A value of the answers and the way to change it.
#[derive(Clone, Copy)]
pub struct Binding {
    /// The current value.
    pub value: Signal<String>,
    /// Stores a new value.
    pub set: Callback<String>,
}

impl Binding {
    /// Binds to a string inside the journey's answers.
    pub fn new(
        get: impl Fn(&Answers) -> String + Send + Sync + 'static,
        set: impl Fn(&mut Answers, String) + Send + Sync + 'static,
    ) -> Binding {
        let answers = use_journey().answers;
        Binding {
            value: Signal::derive(move || answers.with(&get)),
            set: Callback::new(move |value| answers.update(|answers| set(answers, value))),
        }
    }
}
