//! Our webhook subscriptions at Solaris.

use reqwest::Method;
use solaris_contract::{EventType, WebhookSubscription, WebhookSubscriptionRequest};

use super::{Retry, SolarisClient, SolarisError};

impl SolarisClient {
    /// Every webhook subscription of the account (ours and others'), every page.
    pub async fn webhooks(&self) -> Result<Vec<WebhookSubscription>, SolarisError> {
        self.call_list("/v1/webhooks", |subscription: &WebhookSubscription| {
            &subscription.id
        })
        .await
    }

    /// Subscribes `url` to `event_type`; returns `(subscription id, secret)`.
    pub async fn subscribe(
        &self,
        event_type: EventType,
        url: &str,
    ) -> Result<(String, String), SolarisError> {
        let body = WebhookSubscriptionRequest {
            event_type,
            url: url.to_string(),
        };
        let created: WebhookSubscription = self
            .call_json(Method::POST, "/v1/webhooks", Some(&body), Retry::OnlyUnsent)
            .await?;
        match created.secret {
            Some(secret) => Ok((created.id, secret)),
            None => Err(SolarisError::Unavailable(
                "subscription created without a secret".into(),
            )),
        }
    }

    /// Deletes a webhook subscription.
    pub async fn unsubscribe(&self, id: &str) -> Result<(), SolarisError> {
        self.call(
            Method::DELETE,
            &format!("/v1/webhooks/{id}"),
            None,
            Retry::Safe,
        )
        .await
        .map(|_| ())
    }
}
