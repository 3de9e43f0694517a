//! `cargo xtask run` with the embedded emulator: a partner API key for this run (unless one is
//! configured) and, once the backend listens, a start link made through the partner API for a
//! demo customer, so the partner's real flow is one click away next to the demo mode's start
//! page.
//!
//! The call is one HTTP/1.1 request on loopback ([`crate::http`]).

use anyhow::{Context, anyhow};
use std::io::Read;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::shell::Result;

/// A random API key for this run (32 bytes of the system's randomness, hex).
pub fn new_api_key() -> Result<String> {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut bytes))
        .context("cannot read /dev/urandom")?;
    Ok(format!("demo_{}", hex::encode(bytes)))
}

/// Waits for the backend at `address`, then asks the partner API for a demo customer's start
/// link; returns it.
pub fn demo_start_link(address: &str, api_key: &str) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(120);
    while TcpStream::connect(address).is_err() {
        if Instant::now() >= deadline {
            return Err(anyhow!("the backend did not listen on {address}"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let authorization = format!("Bearer {api_key}");
    let (status, json) = crate::http::request(
        address,
        "POST",
        "/partner/v1/onboardings",
        &[
            ("Authorization", &authorization),
            ("Content-Type", "application/json"),
        ],
        r#"{"customer_reference":"demo-customer"}"#,
    )?;
    if !(status.starts_with("HTTP/1.1 200") || status.starts_with("HTTP/1.1 201")) {
        return Err(anyhow!("partner API refused the demo customer: {status}"));
    }
    let created: serde_json::Value =
        serde_json::from_str(&json).context("partner API answer is not JSON")?;
    created["start_link"]["url"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow!("partner API answer without a start link"))
}
