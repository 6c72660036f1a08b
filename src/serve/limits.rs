//! Bounds on what a request may carry, answered in JSON before any route runs.

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::serve::errors::ApiError;

/// Longest request target (path and query string), in bytes: room for the longest query
/// text and every entity filter, percent-encoded.
pub const MAX_URI_BYTES: usize = 16 * 1024;
/// Most bytes of header names and values in one request.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

pub async fn bounds(request: Request, next: Next) -> Response {
    if let Some(err) = refusal(&request) {
        return err.into_response();
    }
    next.run(request).await
}

fn refusal(request: &Request) -> Option<ApiError> {
    let uri = request.uri();
    let target = uri.path().len() + uri.query().map_or(0, |query| query.len() + 1);
    if target > MAX_URI_BYTES {
        return Some(ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the request target is longer than {MAX_URI_BYTES} bytes"),
        ));
    }
    let headers: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if headers > MAX_HEADER_BYTES {
        return Some(ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            format!("the request's headers hold more than {MAX_HEADER_BYTES} bytes"),
        ));
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok())
        .is_some_and(|length| length.trim() != "0");
    if declared || request.headers().contains_key(header::TRANSFER_ENCODING) {
        return Some(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_not_accepted",
            "this server only reads: requests carry no body",
        ));
    }
    None
}
