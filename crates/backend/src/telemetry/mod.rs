//! What operators see of the backend: [`metrics`] (Prometheus, on the management port) and
//! [`logs`] (text or JSON lines with the request id). Both carry ids, codes and counts, never
//! personal data.

pub mod logs;
pub mod metrics;
