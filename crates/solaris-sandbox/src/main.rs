//! Runs the Solaris Sandbox emulator on its own and prints its URL and client credentials.
//!
//! `SANDBOX_LISTEN` (default `127.0.0.1:4000`), `SANDBOX_PUBLIC_URL` (default
//! `http://<listen>`), `SANDBOX_CLIENT_ID`, `SANDBOX_CLIENT_SECRET`, `SANDBOX_DOCUMENTED_FIELDS_ONLY`
//! (`1`: leave out what Solaris does not document), `SANDBOX_WIZARD_RETURN_URL` (where the
//! payment wizard sends API-flow customers after the transfer; none by default).

use std::process::ExitCode;

use solaris_sandbox::{Sandbox, SandboxConfig, router};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let listen = std::env::var("SANDBOX_LISTEN").unwrap_or_else(|_| "127.0.0.1:4000".into());
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot listen on {listen}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let public_url =
        std::env::var("SANDBOX_PUBLIC_URL").unwrap_or_else(|_| format!("http://{listen}"));
    let mut config = SandboxConfig::new(public_url);
    if let Ok(id) = std::env::var("SANDBOX_CLIENT_ID") {
        config.client_id = id;
    }
    config.documented_fields_only =
        std::env::var("SANDBOX_DOCUMENTED_FIELDS_ONLY").as_deref() == Ok("1");
    config.wizard_return_url = std::env::var("SANDBOX_WIZARD_RETURN_URL").ok();
    if let Ok(secret) = std::env::var("SANDBOX_CLIENT_SECRET") {
        config.client_secret = secret;
    }
    println!("Solaris Sandbox emulator running at {}/", config.public_url);
    println!(
        "client id {:?}, client secret {:?}; token URL {}/oauth2/token",
        config.client_id, config.client_secret, config.public_url
    );
    let app = router(Sandbox::new(config));
    let server = axum::serve(listener, app).with_graceful_shutdown(async {
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
