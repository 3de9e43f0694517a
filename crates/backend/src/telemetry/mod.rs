//! What operators see of the backend: [`metrics`] (Prometheus, on the management port),
//! [`logs`] (text or JSON lines with the request id) and [`traces`] (OpenTelemetry, when an
//! OTLP endpoint is configured). They carry ids, codes and counts, never personal data.

pub mod logs;
pub mod metrics;
pub mod traces;
