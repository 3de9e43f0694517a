//! `cargo xtask run` with the embedded emulator: a partner API key for this run (unless one is
//! configured) and, once the backend listens, a start link made through the partner API for a
//! demo customer, so the partner's real flow is one click away next to the demo mode's start
//! page.
//!
//! The call is one HTTP/1.1 request on loopback, written by hand: xtask has no HTTP client
//! and needs none for this.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::shell::Result;

/// A random API key for this run (32 bytes of the system's randomness, hex).
pub fn new_api_key() -> Result<String> {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut bytes))
        .map_err(|e| format!("cannot read /dev/urandom: {e}"))?;
    Ok(format!("demo_{}", hex::encode(bytes)))
}

/// Waits for the backend at `address`, then asks the partner API for a demo customer's start
/// link; returns it.
pub fn demo_start_link(address: &str, api_key: &str) -> Result<String> {
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut stream = loop {
        match TcpStream::connect(address) {
            Ok(stream) => break stream,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(200)),
            Err(e) => return Err(format!("the backend did not listen on {address}: {e}")),
        }
    };
    let body = r#"{"customer_reference":"demo-customer"}"#;
    let request = format!(
        "POST /partner/v1/onboardings HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {api_key}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .and_then(|()| stream.write_all(request.as_bytes()))
        .map_err(|e| format!("partner API call failed: {e}"))?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| format!("partner API answer unreadable: {e}"))?;
    let (head, json) = answer
        .split_once("\r\n\r\n")
        .ok_or("partner API answer without a body")?;
    if !(head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.1 201")) {
        return Err(format!(
            "partner API refused the demo customer: {}",
            head.lines().next().unwrap_or_default()
        ));
    }
    let created: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("partner API answer is not JSON: {e}"))?;
    created["start_link"]["url"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| "partner API answer without a start link".to_string())
}
