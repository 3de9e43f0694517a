//! One plain HTTP/1.1 request to a server of ours on loopback (the backend, Trunk): enough for
//! the few calls xtask makes, without an HTTP client among its dependencies.

use anyhow::{Context, anyhow};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::shell::Result;

/// Sends `method path` with `headers` and `body` to `address` over a new connection and returns
/// the status line and the body. Fails when nobody listens or the answer cannot be read.
pub fn request(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<(String, String)> {
    let mut stream =
        TcpStream::connect(address).with_context(|| format!("nothing listens on {address}"))?;
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .and_then(|()| stream.write_all(request.as_bytes()))
        .with_context(|| format!("{method} {path} on {address} failed"))?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .with_context(|| format!("the answer to {method} {path} is unreadable"))?;
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .ok_or_else(|| anyhow!("the answer to {method} {path} has no body"))?;
    Ok((
        head.lines().next().unwrap_or_default().to_string(),
        body.to_string(),
    ))
}
