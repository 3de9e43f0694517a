//! The persons' API: create with validation of mandatory fields, enums, lengths and formats;
//! read; and update limited to the fields the guide lists as updatable.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use bankident_domain::address::GERMAN_STATES;
use bankident_domain::{Country, EmploymentStatus};
use serde_json::{Map, Value};
use solaris_contract::pages::PageQuery;

use super::json_body::{JsonObject, required_str};
use super::pages::page_response;
use crate::Sandbox;
use crate::error::{ApiError, ApiResult};

/// Solaris' limit for names ("is too long (maximum is 50 characters)").
const MAX_NAME_CHARS: usize = 50;

/// Fields `PATCH /v1/persons/{id}` may change (the guide's list); others go through support.
pub const UPDATABLE_FIELDS: [&str; 38] = [
    "title",
    "salutation",
    "address",
    "contact_address",
    "employment_status",
    "job_title",
    "email",
    "tax_information",
    "fatca_relevant",
    "fatca_crs_confirmed_at",
    "business_purpose",
    "industry",
    "industry_key",
    "own_economic_interest_signed_at",
    "aml_confirmed_on",
    "expected_monthly_revenue_cents",
    "vat_number",
    "website_social_media",
    "business_trading_name",
    "nace_code",
    "business_address_line_1",
    "business_address_line_2",
    "business_postal_code",
    "business_city",
    "business_country",
    "annual_income_range",
    "data_terms_signed_at",
    "branch",
    "birth_province",
    "birth_post_code",
    "socioprofessional_category",
    "purpose_of_account_opening",
    "main_income_source",
    "work_country",
    "work_province",
    "self_declared_as_pep",
    "international_operativity_expectation",
    "registration_number",
];

const TIMESTAMP_FIELDS: [&str; 4] = [
    "data_terms_signed_at",
    "terms_conditions_signed_at",
    "own_economic_interest_signed_at",
    "fatca_crs_confirmed_at",
];

/// `POST /v1/persons`.
pub async fn person_create(
    State(sandbox): State<Sandbox>,
    JsonObject(body): JsonObject,
) -> ApiResult {
    validate_new_person(&body)?;
    let fields = sandbox.create_person(body)?;
    Ok((StatusCode::CREATED, Json(Value::Object(fields))).into_response())
}

/// `GET /v1/persons`: every person of the partner, one page at a time (`page[number]`,
/// `page[size]`), oldest first, with the `total` and `per_page` headers of Solaris' lists.
pub async fn person_index(
    State(sandbox): State<Sandbox>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult {
    page_response(&sandbox.persons(), query)
}

/// `GET /v1/persons/{id}`.
pub async fn person_show(State(sandbox): State<Sandbox>, Path(id): Path<String>) -> ApiResult {
    Ok(Json(Value::Object(sandbox.person(&id)?)).into_response())
}

/// `PATCH /v1/persons/{id}`: only the updatable fields; `null` values are ignored, as Solaris
/// ignores them.
pub async fn person_update(
    State(sandbox): State<Sandbox>,
    Path(id): Path<String>,
    JsonObject(body): JsonObject,
) -> ApiResult {
    if let Some(field) = body
        .keys()
        .find(|key| !UPDATABLE_FIELDS.contains(&key.as_str()))
    {
        return Err(ApiError::invalid_model(
            field,
            "cannot be updated through the API; contact Customer Support",
        ));
    }
    check_self_employed_rule(&body)?;
    check_aml_confirmed_on(&body, sandbox.now().date())?;
    validate_present_fields(&body)?;
    let fields = sandbox.update_person(&id, body)?;
    Ok(Json(Value::Object(fields)).into_response())
}

/// The guide: changing `employment_status` to FREELANCER or SELF_EMPLOYED needs `nace_code`
/// in the same request, or `industry` and `industry_key` set to null.
fn check_self_employed_rule(body: &Map<String, Value>) -> Result<(), ApiError> {
    let status = body.get("employment_status").and_then(Value::as_str);
    let Some(status) = status.and_then(|code| EmploymentStatus::parse(code).ok()) else {
        return Ok(());
    };
    if !status.needs_nace_code() {
        return Ok(());
    }
    let has_nace = body
        .get("nace_code")
        .is_some_and(|value| value.as_str().is_some_and(|text| !text.is_empty()));
    let industry_cleared = ["industry", "industry_key"]
        .iter()
        .all(|key| body.get(*key) == Some(&Value::Null));
    if has_nace || industry_cleared {
        Ok(())
    } else {
        Err(ApiError::invalid_model(
            "nace_code",
            format!(
                "is required when employment_status is {}, unless industry and industry_key are set to null",
                status.code()
            ),
        ))
    }
}

/// The guide: `aml_confirmed_on` takes only today's or tomorrow's date.
fn check_aml_confirmed_on(body: &Map<String, Value>, today: time::Date) -> Result<(), ApiError> {
    let Some(text) = optional_str(body, "aml_confirmed_on")? else {
        return Ok(());
    };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text, format)
        .map_err(|_| ApiError::invalid_model("aml_confirmed_on", "must be a date as YYYY-MM-DD"))?;
    if date == today || Some(date) == today.next_day() {
        Ok(())
    } else {
        Err(ApiError::invalid_model(
            "aml_confirmed_on",
            "must be today's or tomorrow's date",
        ))
    }
}

/// The guide's mandatory fields for Bankident's Step 1 (`salutation` may be null: nonbinary),
/// then every other field that is present.
fn validate_new_person(body: &Map<String, Value>) -> Result<(), ApiError> {
    if !body.contains_key("salutation") {
        return Err(ApiError::invalid_model("salutation", "can't be blank"));
    }
    for field in [
        "first_name",
        "last_name",
        "birth_date",
        "nationality",
        "mobile_number",
        "data_terms_signed_at",
        "terms_conditions_signed_at",
    ] {
        required_str(body, field)?;
    }
    match body.get("address") {
        Some(Value::Object(_)) => {}
        None | Some(Value::Null) => {
            return Err(ApiError::invalid_model("address", "can't be blank"));
        }
        Some(_) => return Err(ApiError::invalid_model("address", "must be an object")),
    }
    validate_present_fields(body)
}

fn validate_present_fields(body: &Map<String, Value>) -> Result<(), ApiError> {
    for field in ["first_name", "last_name", "birth_city", "birth_name"] {
        if let Some(name) = optional_str(body, field)? {
            check_name(field, name)?;
        }
    }
    if let Some(value) = body.get("salutation")
        && !value.is_null()
        && !matches!(value.as_str(), Some("MR" | "MS"))
    {
        return Err(ApiError::invalid_model(
            "salutation",
            "is not included in the list [\"MR\", \"MS\"]",
        ));
    }
    if let Some(status) = optional_str(body, "employment_status")?
        && EmploymentStatus::parse(status).is_err()
    {
        let all: Vec<_> = EmploymentStatus::ALL
            .iter()
            .map(|s| format!("\"{}\"", s.code()))
            .collect();
        return Err(ApiError::invalid_model(
            "employment_status",
            format!("is not included in the list [{}]", all.join(", ")),
        ));
    }
    for field in ["nationality", "birth_country"] {
        check_country(body, field)?;
    }
    if let Some(date) = optional_str(body, "birth_date")? {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        if time::Date::parse(date, format).is_err() {
            return Err(ApiError::invalid_model(
                "birth_date",
                "must be a date as YYYY-MM-DD",
            ));
        }
    }
    for field in TIMESTAMP_FIELDS {
        if let Some(text) = optional_str(body, field)?
            && time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                .is_err()
        {
            return Err(ApiError::invalid_model(
                field,
                "must be a UTC timestamp such as 2019-01-01T00:00:00Z",
            ));
        }
    }
    if let Some(email) = optional_str(body, "email")?
        && !looks_like_email(email)
    {
        return Err(ApiError::invalid_model(
            "email",
            "is not a valid email address",
        ));
    }
    if let Some(value) = body.get("fatca_relevant")
        && !matches!(value, Value::Null | Value::Bool(_))
        && !matches!(value.as_str(), Some("true" | "false"))
    {
        return Err(ApiError::invalid_model(
            "fatca_relevant",
            "must be true or false",
        ));
    }
    for field in ["address", "contact_address"] {
        if let Some(Value::Object(address)) = body.get(field) {
            validate_address(field, address)?;
        }
    }
    Ok(())
}

fn validate_address(field: &str, address: &Map<String, Value>) -> Result<(), ApiError> {
    for part in ["line_1", "postal_code", "city", "country"] {
        required_str(address, part)
            .map_err(|_| ApiError::invalid_model(&format!("{field}.{part}"), "can't be blank"))?;
    }
    for part in ["line_1", "line_2", "postal_code", "city", "state"] {
        if let Some(text) = address.get(part).and_then(Value::as_str)
            && text != text.trim()
        {
            return Err(ApiError::invalid_model(
                &format!("{field}.{part}"),
                "must not start or end with whitespace",
            ));
        }
    }
    let country = address
        .get("country")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if Country::parse(country).is_err() {
        return Err(ApiError::invalid_model(
            &format!("{field}.country"),
            "is not an ISO 3166-1 alpha-2 country code",
        ));
    }
    // The guide's address includes the state; German addresses name their federal state by its
    // ISO 3166-2:DE code.
    if country == "DE" {
        let state = address
            .get("state")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if state.is_empty() {
            return Err(ApiError::invalid_model(
                &format!("{field}.state"),
                "can't be blank",
            ));
        }
        if !GERMAN_STATES.contains(&state) {
            return Err(ApiError::invalid_model(
                &format!("{field}.state"),
                format!("is not included in the list {GERMAN_STATES:?}"),
            ));
        }
    }
    Ok(())
}

fn optional_str<'a>(
    body: &'a Map<String, Value>,
    field: &str,
) -> Result<Option<&'a str>, ApiError> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(ApiError::invalid_model(field, "must be a string")),
    }
}

fn check_name(field: &str, name: &str) -> Result<(), ApiError> {
    if name.trim().is_empty() {
        return Err(ApiError::invalid_model(field, "can't be blank"));
    }
    if name != name.trim() {
        return Err(ApiError::invalid_model(
            field,
            "must not start or end with whitespace",
        ));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::invalid_model(
            field,
            format!("is too long (maximum is {MAX_NAME_CHARS} characters)"),
        ));
    }
    let allowed = |c: char| {
        c.is_alphabetic()
            || ('\u{0300}'..='\u{036F}').contains(&c)
            || matches!(c, ' ' | '-' | '\'' | '\u{2019}' | '.')
    };
    if !name.chars().all(allowed) {
        return Err(ApiError::invalid_model(
            field,
            "must not contain symbols or emoji",
        ));
    }
    Ok(())
}

/// Solaris' email rule is not published; the emulator takes one `@` between a local part and
/// a domain with a dot, without spaces.
fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
}

fn check_country(body: &Map<String, Value>, field: &str) -> Result<(), ApiError> {
    if let Some(code) = optional_str(body, field)?
        && Country::parse(code).is_err()
    {
        return Err(ApiError::invalid_model(
            field,
            "is not an ISO 3166-1 alpha-2 country code",
        ));
    }
    Ok(())
}
