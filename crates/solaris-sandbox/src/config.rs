//! The emulator's settings: its public URL (for the session and wizard links it hands out),
//! the client credentials it accepts, and how fast it retries webhooks.

use std::time::Duration;

/// Client id accepted when none is configured.
pub const DEFAULT_CLIENT_ID: &str = "sandbox-client";
/// Client secret accepted when none is configured.
pub const DEFAULT_CLIENT_SECRET: &str = "sandbox-secret";

/// Settings of one emulator instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxConfig {
    /// The URL the emulator is reachable at, without a trailing slash (e.g.
    /// `http://127.0.0.1:3000/solaris`); session and wizard URLs start with it.
    pub public_url: String,
    /// The OAuth2 client id partners authenticate with.
    pub client_id: String,
    /// The OAuth2 client secret.
    pub client_secret: String,
    /// Delay before the first webhook retry; each further retry waits twice as long.
    pub webhook_retry_base: Duration,
    /// Deliveries of one webhook, the first included, before it is given up.
    pub webhook_max_attempts: u32,
    /// Leave out what Solaris does not document: a session's `person_id`,
    /// `identification_id` and `failure_reason`, an identification's `person_id`, and the
    /// `Solaris-Webhook-Subscription-Id` header. Partners' code must work without them; tests
    /// turn this on to prove it (`SANDBOX_DOCUMENTED_FIELDS_ONLY=1` for the binary).
    pub documented_fields_only: bool,
    /// Where sessions may send the customer back (`callback_url` must start with one of these
    /// origins): an emulator anyone can reach with its default credentials must not turn
    /// `/finish` into a redirect to any site. `None` takes any https (or loopback http) URL.
    pub callback_origins: Option<Vec<String>>,
    /// Where the payment wizard sends a customer of the API flow once the transfer is done:
    /// the partner's return page, which Solaris sets up for a partner (inferred: the public
    /// guide names no such setting). `None`: the wizard only says it is done, and the customer
    /// returns to the partner's app by themselves.
    pub wizard_return_url: Option<String>,
}

impl SandboxConfig {
    /// Settings for an emulator reachable at `public_url`, with the default credentials.
    pub fn new(public_url: impl Into<String>) -> SandboxConfig {
        SandboxConfig {
            public_url: public_url.into().trim_end_matches('/').to_string(),
            client_id: DEFAULT_CLIENT_ID.into(),
            client_secret: DEFAULT_CLIENT_SECRET.into(),
            webhook_retry_base: Duration::from_secs(2),
            webhook_max_attempts: 6,
            documented_fields_only: false,
            callback_origins: None,
            wizard_return_url: None,
        }
    }
}
