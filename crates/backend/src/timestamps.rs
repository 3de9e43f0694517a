//! The one timestamp format of everything the partner sees (the API's answers, the webhooks'
//! bodies): RFC 3339 in UTC to the second, `2026-12-04T09:12:40Z`. The database keeps times as
//! Unix seconds or as RFC 3339 text with fractions of a second; these serializers show either
//! in the one format (`#[serde(serialize_with = "…")]`), and the OpenAPI document calls each
//! such field a `date-time`.

use serde::Serializer;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A Unix second in the partner's format; `None` for one out of range.
pub fn format_unix(unix: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|at| at.format(&Rfc3339).ok())
}

/// A stored RFC 3339 time in the partner's format (whole seconds, UTC); `None` if it is not one.
pub fn format_stored(stored: &str) -> Option<String> {
    OffsetDateTime::parse(stored, &Rfc3339)
        .ok()
        .and_then(|at| format_unix(at.unix_timestamp()))
}

/// Now, in the partner's format.
pub fn now() -> String {
    format_unix(OffsetDateTime::now_utc().unix_timestamp()).expect("now is in range")
}

/// Serializes Unix seconds.
pub fn unix<S: Serializer>(unix: &i64, serializer: S) -> Result<S::Ok, S::Error> {
    match format_unix(*unix) {
        Some(text) => serializer.serialize_str(&text),
        None => serializer.serialize_none(),
    }
}

/// Serializes optional Unix seconds.
pub fn unix_opt<S: Serializer>(unix: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
    match unix.and_then(format_unix) {
        Some(text) => serializer.serialize_str(&text),
        None => serializer.serialize_none(),
    }
}

/// Serializes a stored RFC 3339 time (one that does not parse is shown as it is: it came from
/// elsewhere, and hiding it would hide a fault).
pub fn stored<S: Serializer>(stored: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format_stored(stored).unwrap_or_else(|| stored.to_string()))
}

/// Serializes an optional stored RFC 3339 time.
pub fn stored_opt<S: Serializer>(
    stored: &Option<String>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match stored {
        Some(text) => self::stored(text, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Times {
        #[serde(serialize_with = "unix")]
        unix: i64,
        #[serde(serialize_with = "unix_opt")]
        missing: Option<i64>,
        #[serde(serialize_with = "stored")]
        stored: String,
        #[serde(serialize_with = "stored_opt")]
        offset: Option<String>,
    }

    #[test]
    fn every_time_is_rfc_3339_in_utc_to_the_second() {
        let times = Times {
            unix: 1_796_378_400,
            missing: None,
            stored: "2026-12-04T09:12:40.123456789Z".into(),
            offset: Some("2026-12-04T10:12:40+01:00".into()),
        };
        assert_eq!(
            serde_json::to_value(&times).unwrap(),
            serde_json::json!({
                "unix": "2026-12-04T10:00:00Z",
                "missing": null,
                "stored": "2026-12-04T09:12:40Z",
                "offset": "2026-12-04T09:12:40Z",
            })
        );
        assert_eq!(now().len(), "2026-12-04T09:12:40Z".len());
        assert!(now().ends_with('Z'));
    }
}
