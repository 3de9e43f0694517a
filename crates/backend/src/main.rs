//! Starts the partner backend with the configuration from the environment: the public port
//! and the management port (metrics, readiness, version), Solaris' webhook subscriptions once
//! it listens, the partner's webhook deliveries and the retention job; prints its URL.

use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use bankident_backend::commands;
use bankident_backend::config::environment::Environment;
use bankident_backend::http::management;
use bankident_backend::retention::Retention;
use bankident_backend::serve::{ServeLimits, serve};
use bankident_backend::telemetry::{logs, metrics, traces};
use bankident_backend::{AppState, Config, app};

/// How often the metrics' histograms are tidied (the exporter runs no task of its own).
const METRICS_UPKEEP: Duration = Duration::from_secs(5);

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["serve"] => serve_command().await,
        ["--version" | "version"] => {
            println!("bankident-backend {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        ["check-config"] => commands::check_config(),
        ["migrate"] => commands::migrate(false).await,
        ["migrate", "--check"] => commands::migrate(true).await,
        ["backup", path] => commands::backup(path).await,
        ["health"] => commands::health().await,
        ["--help" | "help"] => {
            println!("{}", commands::USAGE);
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{}", commands::USAGE);
            ExitCode::from(2)
        }
    }
}

/// Serves until Ctrl-C or SIGTERM.
async fn serve_command() -> ExitCode {
    let environment = match Environment::from_process() {
        Ok(environment) => environment,
        Err(error) => {
            eprintln!("configuration error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let config = match Config::from_environment(&environment) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("configuration error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let traces = match traces::install() {
        Ok(traces) => traces,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    logs::init(config.log_format, traces.as_ref());
    for name in environment.unread() {
        tracing::warn!(variable = %name, "set, but this backend does not read it: misspelled, or without effect in this configuration");
    }
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
    if let Some(traces) = traces
        && let Err(error) = traces.shutdown()
    {
        eprintln!("traces not all exported: {error}");
    }
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
