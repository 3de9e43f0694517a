//! Changes made under the data lock, published as webhooks once it is released.

use serde_json::Value;
use solaris_contract::EventType;

use super::Identification;

/// What changed, to publish as webhooks once the data lock is released.
#[derive(Debug, Default)]
#[must_use]
pub struct Changes(Vec<(EventType, String, Value)>);

impl Changes {
    pub(crate) fn identification(
        &mut self,
        identification: &Identification,
        public_url: &str,
        documented_only: bool,
    ) {
        self.0.push((
            EventType::Identification,
            identification.id.clone(),
            identification.to_json(public_url, documented_only),
        ));
    }

    /// Records a session webhook.
    pub fn session(&mut self, id: &str, json: Value) {
        self.0
            .push((EventType::IdentificationSession, id.to_string(), json));
    }

    /// The webhooks to send: event, entity id, body.
    pub(crate) fn into_events(self) -> Vec<(EventType, String, Value)> {
        self.0
    }
}
