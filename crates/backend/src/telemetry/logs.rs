//! The log lines: text on a terminal (the default), or one JSON object per line for a log
//! pipeline (`BANKIDENT_LOG_FORMAT=json`). Each line of a request carries its request id (the
//! request's span); `RUST_LOG` filters them (default `info`). No line carries personal data:
//! what is logged is ids, codes and counts.

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line, with the request's span fields (its request id).
    Json,
}

impl LogFormat {
    /// The format `BANKIDENT_LOG_FORMAT` names (`text` or `json`; unset: text).
    pub fn from_setting(value: Option<&str>) -> Result<LogFormat, String> {
        match value.map(str::trim) {
            None | Some("") | Some("text") => Ok(LogFormat::Text),
            Some("json") => Ok(LogFormat::Json),
            Some(other) => Err(format!(
                "BANKIDENT_LOG_FORMAT={other:?} must be text or json"
            )),
        }
    }
}

/// Starts writing log lines in `format` to standard output, and spans to `traces` when
/// tracing is on.
pub fn init(format: LogFormat, traces: Option<&SdkTracerProvider>) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let spans = traces.map(|provider| {
        tracing_opentelemetry::layer().with_tracer(provider.tracer("bankident-backend"))
    });
    let registry = tracing_subscriber::registry().with(filter).with(spans);
    match format {
        LogFormat::Text => registry.with(tracing_subscriber::fmt::layer()).init(),
        LogFormat::Json => registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_current_span(true)
                    .with_span_list(false)
                    .flatten_event(true),
            )
            .init(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_is_text_unless_json_is_asked_for() {
        assert_eq!(LogFormat::from_setting(None), Ok(LogFormat::Text));
        assert_eq!(LogFormat::from_setting(Some("json")), Ok(LogFormat::Json));
        let wrong = LogFormat::from_setting(Some("JSON lines")).unwrap_err();
        assert!(wrong.starts_with("BANKIDENT_LOG_FORMAT"), "{wrong}");
    }
}
