//! Lists as Solaris answers them, one page at a time.

use axum::Json;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::response::IntoResponse;
use serde::Serialize;
use solaris_contract::pages::{MAX_PAGE_SIZE, PageQuery, Paginated};

use crate::error::{ApiError, ApiResult};

/// One page of a list as Solaris answers it: a bare JSON array, with `total` and `per_page`
/// headers. Page sizes above [`MAX_PAGE_SIZE`] are cut to it.
pub fn page_response<T: Serialize>(
    items: &[T],
    query: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult {
    let Query(asked) = query.map_err(|_| {
        ApiError::invalid_model("page", "page[number] and page[size] must be whole numbers")
    })?;
    let page = PageQuery::new(asked.number.max(1), asked.size.clamp(1, MAX_PAGE_SIZE));
    let headers = [
        ("total", items.len().to_string()),
        ("per_page", page.size.to_string()),
    ];
    Ok((headers, Json(items.page(page))).into_response())
}
