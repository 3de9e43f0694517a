//! Solaris' error envelope: `{"errors":[{id,status,code,title,detail,source}]}` (Solaris'
//! "Errors" reference). Several validation errors may come in one answer.

use serde::{Deserialize, Serialize};

/// The code of a 404 for a resource that does not exist (`Couldn't find 'Solaris::Person' …`).
/// Only this code, not any 404, means that a person is gone: a proxy's plain-text 404 or an
/// unknown path is not Solaris saying so.
pub const MODEL_NOT_FOUND: &str = "model_not_found";

/// The body of every Solaris error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The errors, most relevant first.
    pub errors: Vec<ErrorObject>,
}

/// One error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorObject {
    /// Unique id to quote to Solaris support.
    pub id: String,
    /// HTTP status (older examples show it as a string; both are read).
    #[serde(deserialize_with = "status_number_or_text")]
    pub status: u16,
    /// Machine code: `invalid_model`, `model_not_found`, or an Appendix III code.
    pub code: String,
    /// Generic title.
    pub title: String,
    /// What exactly is wrong.
    #[serde(default)]
    pub detail: String,
    /// The request field at fault, if one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ErrorSource>,
}

/// The request field an error is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorSource {
    /// Field name, e.g. `employment_status`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

fn status_number_or_text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<u16, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumberOrText {
        Number(u16),
        Text(String),
    }
    match NumberOrText::deserialize(deserializer)? {
        NumberOrText::Number(number) => Ok(number),
        NumberOrText::Text(text) => text.parse().map_err(serde::de::Error::custom),
    }
}

impl ErrorBody {
    /// The first error, which callers act on.
    pub fn first(&self) -> Option<&ErrorObject> {
        self.errors.first()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_solaris_documented_example_and_string_statuses() {
        // Solaris' "Errors" reference example.
        let body: ErrorBody = serde_json::from_str(
            r#"{"errors":[{"id":"84b61fb9bf2117b3653a91ba9fc18d8bex","status":400,"code":"invalid_model","title":"Invalid Model","detail":"employment_status is not included in the list","source":{"field":"employment_status","message":"is not included in the list"}}]}"#,
        )
        .unwrap();
        let first = body.first().unwrap();
        assert_eq!((first.status, first.code.as_str()), (400, "invalid_model"));
        assert_eq!(first.source.as_ref().unwrap().field, "employment_status");
        let old: ErrorBody = serde_json::from_str(
            r#"{"errors":[{"id":"x","status":"404","code":"model_not_found","title":"Model Not Found"}]}"#,
        )
        .unwrap();
        assert_eq!(old.errors[0].status, 404);
        assert_eq!(old.errors[0].detail, "");
    }
}
