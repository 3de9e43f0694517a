//! OAuth2 client credentials: 1-hour bearer tokens for the partner's client id and secret.

use solaris_contract::AccessToken;
use time::Duration;

use crate::Sandbox;
use crate::error::ApiError;
use crate::ids::random_hex;

/// Lifetime of a token; the answer says 3599 seconds, as Solaris' sample does.
pub const TOKEN_LIFETIME: Duration = Duration::hours(1);

impl Sandbox {
    /// A new bearer token for the configured client, or 401 for any other.
    pub(crate) fn issue_token(
        &self,
        client_id: &str,
        client_secret: &str,
    ) -> Result<AccessToken, ApiError> {
        let config = self.config();
        if client_id != config.client_id || client_secret != config.client_secret {
            return Err(ApiError::unauthorized(
                "unknown client id or wrong client secret",
            ));
        }
        let token = random_hex(32);
        let expires = self.now() + TOKEN_LIFETIME;
        self.state().tokens.insert(token.clone(), expires);
        Ok(AccessToken {
            access_token: token,
            expires_in: TOKEN_LIFETIME.whole_seconds().unsigned_abs() - 1,
            scope: "partners".into(),
            token_type: "bearer".into(),
        })
    }

    /// Whether `token` was issued here and has not expired.
    pub(crate) fn token_is_valid(&self, token: &str) -> bool {
        let now = self.now();
        self.state()
            .tokens
            .get(token)
            .is_some_and(|expires| *expires > now)
    }
}
