//! Every error answer of the partner API's document is a `Problem` (`application/problem+json`),
//! and every operation lists the answers any call can get (no key, a rate limit, our fault)
//! besides its own: a generated client knows the shape of each failure.

use utoipa::openapi::path::Operation;
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response};

use crate::error::ProblemCode;
use crate::error::partner::PROBLEM_JSON;

/// The problems any partner API call can answer with.
const ANY_CALL: [ProblemCode; 3] = [
    ProblemCode::Unauthorized,
    ProblemCode::TooManyRequests,
    ProblemCode::Internal,
];

/// Gives every error answer the problem schema, and every operation the answers any call can
/// get.
pub struct ProblemResponses;

impl ProblemResponses {
    fn complete(operation: &mut Operation) {
        let responses = &mut operation.responses.responses;
        for problem in ANY_CALL {
            responses
                .entry(problem.status().as_str().to_string())
                .or_insert_with(|| {
                    RefOr::T(Response::new(format!(
                        "`{}`: {}",
                        problem.code(),
                        problem.title()
                    )))
                });
        }
        for (status, response) in responses.iter_mut() {
            let is_error = status.starts_with('4') || status.starts_with('5');
            if let (true, RefOr::T(response)) = (is_error, response) {
                response.content.clear();
                response.content.insert(
                    PROBLEM_JSON.to_string(),
                    Content::new(Some(Ref::from_schema_name("Problem"))),
                );
            }
        }
    }
}

impl utoipa::Modify for ProblemResponses {
    fn modify(&self, openapi: &mut OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                ProblemResponses::complete(operation);
            }
        }
    }
}
