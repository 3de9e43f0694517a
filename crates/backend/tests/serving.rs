//! Serving under hostile and careless clients: stalled sockets, too many connections, slow
//! bodies, and a shutdown with a request in flight.

mod support;

use std::time::{Duration, Instant};

use bankident_backend::serve::{ServeLimits, serve};
use serde_json::json;
use support::{Backend, Emulator, answers, fresh_dir, started};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const QUICK: ServeLimits = ServeLimits {
    max_connections: 2_000,
    header_read_timeout: Duration::from_secs(1),
    body_read_timeout: Duration::from_secs(1),
    drain_timeout: Duration::from_secs(10),
};

/// Serves a backend's app with `limits` on a port of its own; returns the address and the
/// trigger that stops it, and the task that ends when it has stopped.
async fn served(
    backend: &Backend,
    limits: ServeLimits,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let router = backend.router.clone();
    let task = tokio::spawn(serve(listener, router, limits, async {
        let _ = stopped.await;
    }));
    (address, stop, task)
}

/// Sends a raw request and reads the whole answer (the connection closes after it).
async fn raw(address: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_string(&mut answer)).await;
    answer
}

fn health(address: &str) -> String {
    format!("GET /health HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n")
}

#[tokio::test]
async fn a_thousand_stalled_sockets_do_not_stop_health_and_are_closed() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("stalled"), &[]).await;
    let (address, _stop, _task) = served(&backend, QUICK).await;
    let mut stalled = Vec::new();
    for _ in 0..1_000 {
        let mut stream = TcpStream::connect(&address).await.unwrap();
        stream
            .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        stalled.push(stream);
    }
    let started = Instant::now();
    let answer = raw(&address, &health(&address)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // Past the header time limit, every stalled socket has been closed by the server.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    for stream in &mut stalled {
        let mut buffer = [0u8; 256];
        // The server ends the connection (perhaps with a 408 first): the read returns.
        tokio::time::timeout(Duration::from_secs(2), stream.read(&mut buffer))
            .await
            .expect("closed, not still waiting")
            .ok();
    }
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_and_the_limit_closes_the_one_too_many() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("keep-alive"), &[]).await;
    let limits = ServeLimits {
        max_connections: 2,
        ..QUICK
    };
    let (address, _stop, _task) = served(&backend, limits).await;
    let mut idle = TcpStream::connect(&address).await.unwrap();
    idle.write_all(format!("GET /health HTTP/1.1\r\nHost: {address}\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut buffer = vec![0u8; 4096];
    let read = idle.read(&mut buffer).await.unwrap();
    assert!(String::from_utf8_lossy(&buffer[..read]).starts_with("HTTP/1.1 200"));
    let _second = TcpStream::connect(&address).await.unwrap();
    // A third connection is over the limit: closed at once, without an answer.
    let mut third = TcpStream::connect(&address).await.unwrap();
    let _ = third.write_all(health(&address).as_bytes()).await;
    let read = tokio::time::timeout(Duration::from_millis(500), third.read(&mut buffer))
        .await
        .expect("closed at once");
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    // The idle keep-alive connection is closed once it waited longer than the header limit.
    let read = tokio::time::timeout(Duration::from_secs(3), idle.read(&mut buffer))
        .await
        .expect("closed after the limit");
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_gets_408() {
    let (_emulator, backend, browser) = started("slow-body").await;
    let (address, _stop, _task) = served(&backend, QUICK).await;
    let mut stream = TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/iban_lookups HTTP/1.1\r\nHost: {address}\r\nCookie: {browser}\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\nSec-Fetch-Site: same-origin\r\nConnection: close\r\n\r\n{{\"iban\""
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let mut answer = String::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_string(&mut answer)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_shutdown_lets_the_request_in_flight_finish() {
    let (emulator, backend, browser) = started("drain").await;
    let (status, _) = backend.open(&browser, &answers()).await;
    assert_eq!(status, axum::http::StatusCode::OK);
    let (address, stop, task) = served(&backend, QUICK).await;
    // Solaris answers slowly: the outcome request is still running when the stop comes.
    emulator
        .control(
            "POST",
            "/_sandbox/faults",
            json!({ "path_prefix": "/v1/persons", "method": "get", "delay_ms": 1000, "count": 1 }),
        )
        .await;
    let request = format!(
        "GET /api/identification/outcome HTTP/1.1\r\nHost: {address}\r\nCookie: {browser}\r\nConnection: close\r\n\r\n"
    );
    let in_flight = tokio::spawn({
        let address = address.clone();
        async move { raw(&address, &request).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.send(()).unwrap();
    let answer = in_flight.await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("serve ends after the drain")
        .unwrap();
    assert!(
        TcpStream::connect(&address).await.is_err(),
        "no new connections after the stop"
    );
}

#[tokio::test]
async fn one_client_address_has_its_own_budget_also_behind_a_trusted_proxy() {
    let emulator = Emulator::start().await;
    let backend = Backend::start(&emulator, &fresh_dir("client-limits"), &[]).await;
    let (address, _stop, _task) = served(&backend, QUICK).await;
    let start_link = |address: &str, forwarded: Option<&str>| {
        let forwarded = forwarded
            .map(|ip| format!("X-Forwarded-For: {ip}\r\n"))
            .unwrap_or_default();
        format!(
            "GET /start?token={} HTTP/1.1\r\nHost: {address}\r\n{forwarded}Connection: close\r\n\r\n",
            "ab".repeat(32)
        )
    };
    for _ in 0..20 {
        let answer = raw(&address, &start_link(&address, None)).await;
        assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    }
    let answer = raw(&address, &start_link(&address, None)).await;
    assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("retry-after: "),
        "{answer}"
    );

    // Behind a proxy the connections all come from it: the proxy's header names the client.
    let proxied = Backend::start(
        &emulator,
        &fresh_dir("client-limits-proxy"),
        &[("BANKIDENT_CLIENT_IP_HEADER", "x-forwarded-for")],
    )
    .await;
    let (address, _stop, _task) = served(&proxied, QUICK).await;
    for _ in 0..20 {
        let answer = raw(&address, &start_link(&address, Some("203.0.113.7"))).await;
        assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    }
    let limited = raw(
        &address,
        &start_link(&address, Some("198.51.100.1, 203.0.113.7")),
    )
    .await;
    assert!(
        limited.starts_with("HTTP/1.1 429"),
        "the last address counts: {limited}"
    );
    let other = raw(&address, &start_link(&address, Some("203.0.113.8"))).await;
    assert!(other.starts_with("HTTP/1.1 303"), "another client: {other}");
}
