//! Identification sessions (the webview), the person's identifications and their documents.

use reqwest::Method;
use serde_json::Value;
use solaris_contract::sessions::METHOD_BANK;
use solaris_contract::{IdentificationSession, SessionRequest};

use super::{Retry, SolarisClient, SolarisError};

impl SolarisClient {
    /// Opens an identification session with method `bank`.
    pub async fn create_session(
        &self,
        person_id: &str,
        callback_url: &str,
    ) -> Result<IdentificationSession, SolarisError> {
        let path = format!("/v1/persons/{person_id}/identification_sessions");
        let body = SessionRequest {
            callback_url: callback_url.to_string(),
            identification_methods: vec![METHOD_BANK.to_string()],
        };
        self.call_json(Method::POST, &path, Some(&body), Retry::OnlyUnsent)
            .await
    }

    /// `GET` an identification session.
    pub async fn session(
        &self,
        person_id: &str,
        session_id: &str,
    ) -> Result<IdentificationSession, SolarisError> {
        let path = format!("/v1/persons/{person_id}/identification_sessions/{session_id}");
        self.call_json(Method::GET, &path, None::<&Value>, Retry::Safe)
            .await
    }

    /// The person's identifications, every page.
    pub async fn identifications(
        &self,
        person_id: &str,
    ) -> Result<Vec<solaris_contract::Identification>, SolarisError> {
        let path = format!("/v1/persons/{person_id}/identifications");
        self.call_list(
            &path,
            |identification: &solaris_contract::Identification| &identification.id,
        )
        .await
    }

    /// One identification with its documents (`GET …/identifications/{id}`).
    pub async fn identification(
        &self,
        person_id: &str,
        identification_id: &str,
    ) -> Result<solaris_contract::Identification, SolarisError> {
        let path = format!("/v1/persons/{person_id}/identifications/{identification_id}");
        self.call_json(Method::GET, &path, None::<&Value>, Retry::Safe)
            .await
    }

    /// A document's file and its content type
    /// (`GET …/identifications/{id}/documents/{document_id}/file`).
    pub async fn document_file(
        &self,
        person_id: &str,
        identification_id: &str,
        document_id: &str,
    ) -> Result<(String, Vec<u8>), SolarisError> {
        let path = format!(
            "/v1/persons/{person_id}/identifications/{identification_id}/documents/{document_id}/file"
        );
        let (headers, body) = self.call(Method::GET, &path, None, Retry::Safe).await?;
        let content_type = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_string();
        Ok((content_type, body))
    }
}
