//! Starts the partner backend with the configuration from the environment, subscribes to
//! Solaris' webhooks once it listens, and prints its URL.

use std::process::ExitCode;

use bankident_backend::retention::Retention;
use bankident_backend::serve::{ServeLimits, serve};
use bankident_backend::{AppState, Config, app};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("configuration error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let listen = config.listen;
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
    serve(listener, app(state), ServeLimits::default(), stop_signal()).await;
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
