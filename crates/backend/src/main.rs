//! Starts the partner backend with the configuration from the environment and prints its URL.

use std::process::ExitCode;

use bankident_backend::{Config, app};
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
    if !config.dist_dir.join("index.html").is_file() {
        eprintln!(
            "{} has no index.html: build the app first (`cargo xtask run` does) or set BANKIDENT_DIST_DIR",
            config.dist_dir.display()
        );
        return ExitCode::FAILURE;
    }
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot listen on {}: {error}", config.listen);
            return ExitCode::FAILURE;
        }
    };
    println!(
        "Bankident onboarding is running at http://{}/",
        config.listen
    );
    let server = axum::serve(listener, app(&config)).with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    });
    match server.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("server error: {error}");
            ExitCode::FAILURE
        }
    }
}
