//! The customer's answers while they go through the screens, shared through context. They live
//! in the tab's `sessionStorage` (never `localStorage`), so a reload, the back button or the
//! return from the bank loses nothing, and they are gone when the tab closes or the journey ends.

use bankident_domain::{Field, FieldError, Iban, IdentificationMode, PersonAnswers};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::page_alive::PageAlive;

/// The `sessionStorage` key of the journey.
pub const STORAGE_KEY: &str = "bankident.journey";

/// Everything the screens collect.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Answers {
    /// What Solaris gets.
    pub person: PersonAnswers,
    /// The IBAN the customer plans to use; checked here. In the webview mode it is entered
    /// again in Solaris' webview and never sent to our backend; in the API mode the bank step
    /// sends it.
    pub iban: String,
    /// How this customer identifies (the backend says so when the tab starts).
    pub mode: IdentificationMode,
}

/// The journey's state in context.
#[derive(Clone, Copy)]
pub struct Journey {
    /// The answers so far.
    pub answers: RwSignal<Answers>,
    /// The owner of the journey's context until the stored answers have been read back.
    unrestored: StoredValue<Option<Owner>>,
}

fn storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

impl Journey {
    /// Provides an empty journey; the first [`use_journey`] reads back this tab's answers.
    /// (Only the pages that use the answers need the code that reads and stores them, so the
    /// start page loads without it.)
    pub fn provide() -> Journey {
        let journey = Journey {
            answers: RwSignal::new(Answers::default()),
            unrestored: StoredValue::new(Owner::current()),
        };
        provide_context(journey);
        journey
    }

    /// Reads the answers back from this tab's storage, once, and from then on keeps storing
    /// them.
    fn restore(&self) {
        let Some(owner) = self.unrestored.try_update_value(Option::take).flatten() else {
            return;
        };
        let saved = storage()
            .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|json| serde_json::from_str::<Answers>(&json).ok())
            .unwrap_or_default();
        let fresh = saved == Answers::default();
        self.answers.set(saved);
        let answers = self.answers;
        if fresh {
            // A new tab: offer what the partner already knows; whatever the customer typed
            // meanwhile stays.
            let journey_alive = owner.with(PageAlive::new);
            leptos::task::spawn_local(async move {
                if let Some(start) = crate::api::onboarding_start(journey_alive).await {
                    let _ = answers.try_update(|answers| {
                        answers.mode = start.mode;
                        if let Some(prefill) = &start.prefill {
                            prefill.fill(&mut answers.person);
                        }
                    });
                }
            });
        }
        owner.with(|| {
            Effect::new(move || {
                let json = answers.with(|answers| {
                    (*answers != Answers::default())
                        .then(|| serde_json::to_string(answers).unwrap_or_default())
                });
                if let Some(storage) = storage() {
                    // An empty journey (a new one, or one just completed) leaves nothing behind.
                    let _ = match json {
                        Some(json) => storage.set_item(STORAGE_KEY, &json),
                        None => storage.remove_item(STORAGE_KEY),
                    };
                }
            })
        });
    }

    /// Forgets the answers: the journey is complete.
    pub fn clear(&self) {
        self.answers.set(Answers::default());
        if let Some(storage) = storage() {
            let _ = storage.remove_item(STORAGE_KEY);
        }
    }

    /// The field errors of `fields`, by the same rules the backend applies.
    pub fn errors_for(&self, fields: &[Field]) -> Vec<FieldError> {
        let today = time::OffsetDateTime::now_utc().date();
        self.answers.with_untracked(|answers| {
            let mut errors = answers.person.validate(today).err().unwrap_or_default();
            if let Err(error) = Iban::parse(&answers.iban) {
                errors.push(FieldError::new(Field::Iban, error.into()));
            }
            errors
                .into_iter()
                .filter(|error| fields.contains(&error.field))
                .collect()
        })
    }
}

/// The journey of the nearest [`Journey::provide`], with the tab's answers read back.
pub fn use_journey() -> Journey {
    let journey = expect_context::<Journey>();
    journey.restore();
    journey
}
