//! Starts the partner backend with the configuration from the environment: the public port
//! and the management port (metrics, readiness, version), Solaris' webhook subscriptions once
//! it listens, the partner's webhook deliveries and the retention job; prints its URL.

use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use bankident_backend::http::management;
use bankident_backend::retention::Retention;
use bankident_backend::serve::{ServeLimits, serve};
use bankident_backend::telemetry::{logs, metrics};
use bankident_backend::{AppState, Config, app};

/// How often the metrics' histograms are tidied (the exporter runs no task of its own).
const METRICS_UPKEEP: Duration = Duration::from_secs(5);

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("configuration error: {error}");
            return ExitCode::FAILURE;
        }
    };
    logs::init(config.log_format);
    let metrics = metrics::install();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(METRICS_UPKEEP).await;
            metrics.run_upkeep();
        }
    });
    let listen = config.listen;
    let management_listen = config.management_listen;
    let public_url = config.public_url.clone();
    let embedded = config.solaris.embedded;
    let state = match AppState::new(config).await {
        Ok(state) => state,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot listen on {listen}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let management_listener = match tokio::net::TcpListener::bind(management_listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!(
                "cannot listen on {management_listen} (BANKIDENT_MANAGEMENT_LISTEN): {error}"
            );
            return ExitCode::FAILURE;
        }
    };
    // Outcomes are read from Solaris without webhooks too; /ready names what is missing.
    tokio::spawn(state.solaris_webhooks.clone().keep_subscribing());
    tokio::spawn(state.partner_delivery.clone().keep_delivering());
    let retention = Retention::new(state.store.clone(), state.config.retention);
    tokio::spawn(std::sync::Arc::new(retention).keep_applying());
    println!("Bankident onboarding is running at {public_url}/");
    if embedded {
        println!(
            "(Solaris Sandbox emulator embedded at {public_url}/solaris; test controls under /solaris/_sandbox/)"
        );
    }
    println!("Management port (metrics, readiness, version): http://{management_listen}/");
    // The management port answers until the public port has drained: readiness says
    // `draining` meanwhile, so load balancers stop sending new requests.
    let (stopped, management_stop) = tokio::sync::oneshot::channel::<()>();
    let management = tokio::spawn(serve(
        management_listener,
        management::app(state.clone()),
        ServeLimits::default(),
        async {
            let _ = management_stop.await;
        },
    ));
    let web = state.web.clone();
    let draining = async move {
        stop_signal().await;
        web.draining.store(true, Ordering::Relaxed);
    };
    serve(listener, app(state), ServeLimits::default(), draining).await;
    let _ = stopped.send(());
    let _ = management.await;
    ExitCode::SUCCESS
}

/// Ctrl-C or SIGTERM (what container platforms send before they stop a process).
async fn stop_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
    tracing::info!("stopping: letting the requests in flight finish");
}
