//! Persons and their mobile numbers at Solaris, and finding a person whose creation's answer
//! was lost.

use bankident_domain::Person;
use reqwest::Method;
use serde_json::Value;
use solaris_contract::pages::PageQuery;
use solaris_contract::{AddressBody, MobileNumberBody, MobileNumberRequest, PersonRequest};

use super::{Retry, SolarisClient, SolarisError, list_header};

/// How many pages of the person list a lost person creation is looked for in.
const LOST_PERSON_PAGES: usize = 20;
/// The page size asked for then (Solaris may send fewer; its `per_page` header says).
const PERSON_PAGE_SIZE: usize = 100;
/// What a person is recognised by when its creation's answer was lost.
const RECOGNISED_BY: [&str; 5] = [
    "first_name",
    "last_name",
    "birth_date",
    "birth_city",
    "email",
];

impl SolarisClient {
    /// The person a creation whose answer was lost made, if Solaris lists one with the same
    /// name, birth date, birth city and email. Solaris documents its person list
    /// (`GET /v1/persons`, paginated) but no filter and no order, so this reads the first page,
    /// then from the last page back (the newest persons are at one end or the other), at most
    /// [`LOST_PERSON_PAGES`] pages.
    pub async fn find_person(&self, person: &Person) -> Result<Option<String>, SolarisError> {
        let wanted =
            serde_json::to_value(person_request(person)).expect("request bodies serialize");
        let recognised = |candidate: &&Value| {
            RECOGNISED_BY
                .iter()
                .all(|field| candidate.get(field) == wanted.get(field))
        };
        let found_id = |page: &[Value]| {
            page.iter()
                .find(recognised)
                .and_then(|found| found.get("id")?.as_str().map(str::to_string))
        };
        let (first, total, per_page) = self.person_page(1).await?;
        if let Some(id) = found_id(&first) {
            return Ok(Some(id));
        }
        let pages: Vec<usize> = match total {
            Some(total) => (2..=total.div_ceil(per_page.max(1))).rev().collect(),
            None if first.len() < per_page => Vec::new(),
            None => (2..=LOST_PERSON_PAGES).collect(),
        };
        for number in pages.into_iter().take(LOST_PERSON_PAGES - 1) {
            let (page, _, _) = self.person_page(number).await?;
            if let Some(id) = found_id(&page) {
                return Ok(Some(id));
            }
            if page.is_empty() && total.is_none() {
                break;
            }
        }
        Ok(None)
    }

    /// One page of `GET /v1/persons`, with the `total` and page size Solaris states.
    async fn person_page(
        &self,
        number: usize,
    ) -> Result<(Vec<Value>, Option<usize>, usize), SolarisError> {
        let query = PageQuery::new(number, PERSON_PAGE_SIZE).to_query();
        let (headers, body) = self
            .call(
                Method::GET,
                &format!("/v1/persons?{query}"),
                None,
                Retry::Safe,
            )
            .await?;
        let page: Vec<Value> = serde_json::from_slice(&body).map_err(|error| {
            tracing::warn!(kind = ?error.classify(), "Solaris answered the person list with an unexpected body");
            SolarisError::Unavailable("unexpected answer".into())
        })?;
        let per_page = list_header(&headers, "per_page")
            .or_else(|| list_header(&headers, "per-page"))
            .unwrap_or(PERSON_PAGE_SIZE);
        Ok((page, list_header(&headers, "total"), per_page))
    }

    /// Creates the person (`POST /v1/persons`); returns its id.
    pub async fn create_person(&self, person: &Person) -> Result<String, SolarisError> {
        #[derive(serde::Deserialize)]
        struct Created {
            id: String,
        }
        let created: Created = self
            .call_json(
                Method::POST,
                "/v1/persons",
                Some(&person_request(person)),
                Retry::OnlyUnsent,
            )
            .await?;
        Ok(created.id)
    }

    /// Adds the mobile number; one that already exists is fine (a retry after a lost answer).
    pub async fn create_mobile_number(
        &self,
        person_id: &str,
        number: &str,
    ) -> Result<(), SolarisError> {
        let path = format!("/v1/persons/{person_id}/mobile_number");
        let body = serde_json::to_value(MobileNumberRequest {
            number: number.to_string(),
        })
        .expect("request bodies serialize");
        match self
            .call(Method::POST, &path, Some(&body), Retry::OnlyUnsent)
            .await
        {
            Ok(_) => Ok(()),
            Err(SolarisError::Rejected { status: 409, .. }) => Ok(()),
            Err(error) => Err(error),
        }
    }

    /// `GET` a person, as Solaris shows it.
    pub async fn person(&self, person_id: &str) -> Result<Value, SolarisError> {
        self.call_json(
            Method::GET,
            &format!("/v1/persons/{person_id}"),
            None::<&Value>,
            Retry::Safe,
        )
        .await
    }

    /// `PATCH` a person's updatable fields. `Ok(false)` when Solaris answers 202: the change
    /// needs the customer's strong authentication (a change request) and is not made yet.
    pub async fn update_person(
        &self,
        person_id: &str,
        patch: &serde_json::Map<String, Value>,
    ) -> Result<bool, SolarisError> {
        let body = Value::Object(patch.clone());
        let (_, answer) = self
            .call(
                Method::PATCH,
                &format!("/v1/persons/{person_id}"),
                Some(&body),
                Retry::OnlyUnsent,
            )
            .await?;
        let change_request = serde_json::from_slice::<Value>(&answer)
            .ok()
            .is_some_and(|answer| answer["status"] == "AUTHORIZATION_REQUIRED");
        Ok(!change_request)
    }

    /// The person's mobile number, if one exists.
    pub async fn mobile_number(
        &self,
        person_id: &str,
    ) -> Result<Option<MobileNumberBody>, SolarisError> {
        let path = format!("/v1/persons/{person_id}/mobile_number");
        match self
            .call_json(Method::GET, &path, None::<&Value>, Retry::Safe)
            .await
        {
            Ok(number) => Ok(Some(number)),
            Err(error) if error.is_model_not_found() => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// Deletes the person's mobile number (Solaris wants the number in the body).
    pub async fn delete_mobile_number(
        &self,
        person_id: &str,
        number: &str,
    ) -> Result<(), SolarisError> {
        let body = serde_json::to_value(MobileNumberRequest {
            number: number.to_string(),
        })
        .expect("request bodies serialize");
        self.call(
            Method::DELETE,
            &format!("/v1/persons/{person_id}/mobile_number"),
            Some(&body),
            Retry::Safe,
        )
        .await
        .map(|_| ())
    }

    /// `GET` a person; only its existence matters to us.
    pub async fn person_exists(&self, person_id: &str) -> Result<bool, SolarisError> {
        match self
            .call(
                Method::GET,
                &format!("/v1/persons/{person_id}"),
                None,
                Retry::Safe,
            )
            .await
        {
            Ok(_) => Ok(true),
            Err(error) if error.is_model_not_found() => Ok(false),
            Err(error) => Err(error),
        }
    }
}

/// The person as Solaris' `POST /v1/persons` takes it.
pub fn person_request(person: &Person) -> PersonRequest {
    let timestamp = |at: Option<time::OffsetDateTime>| {
        at.and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
    };
    let consents = &person.consents;
    PersonRequest {
        salutation: person.salutation.solaris_value().map(str::to_string),
        first_name: person.first_name.as_str().to_string(),
        last_name: person.last_name.as_str().to_string(),
        birth_date: person.birth_date.to_string(),
        birth_city: person.birth_city.clone(),
        birth_country: person.birth_country.code().to_string(),
        nationality: person.nationality.code().to_string(),
        address: AddressBody {
            line_1: person.address.line_1.clone(),
            line_2: Some(person.address.line_2.clone()).filter(|line| !line.is_empty()),
            postal_code: person.address.postal_code.clone(),
            city: person.address.city.clone(),
            country: person.address.country.code().to_string(),
            state: person.address.state.clone(),
        },
        mobile_number: person.mobile_number.as_str().to_string(),
        email: person.email.as_str().to_string(),
        employment_status: person.employment_status.code().to_string(),
        fatca_relevant: person.fatca_relevant,
        fatca_crs_confirmed_at: timestamp(consents.fatca_crs_confirmed_at),
        data_terms_signed_at: timestamp(consents.data_terms_signed_at),
        terms_conditions_signed_at: timestamp(consents.terms_conditions_signed_at),
        own_economic_interest_signed_at: timestamp(consents.own_economic_interest_signed_at),
    }
}
