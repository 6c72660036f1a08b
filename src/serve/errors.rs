//! Every error the API answers with, as `{"error": {"code", "message"}}` and its HTTP status.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::Error;
use crate::serve::respond::json_response;
use crate::wire::{ErrorDetail, ErrorResponse};

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
}

/// The message with its causes, as the command line prints them.
fn chain(err: &Error) -> String {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

impl From<Error> for ApiError {
    fn from(err: Error) -> ApiError {
        let (status, code) = match &err {
            Error::BadQuery { .. } => (StatusCode::BAD_REQUEST, "bad_query"),
            Error::BadDate { .. } | Error::EmptyDateRange { .. } => {
                (StatusCode::BAD_REQUEST, "bad_date")
            }
            Error::BadArgument { .. } | Error::TooManyBuckets { .. } => {
                (StatusCode::BAD_REQUEST, "bad_parameter")
            }
            Error::NoSuchArticle(_) => (StatusCode::NOT_FOUND, "not_found"),
            // What remains is the index's or the machine's fault, never the request's.
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        ApiError::new(status, code, chain(&err))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorResponse {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
            },
        };
        let mut response = json_response(self.status, &body);
        if self.status == StatusCode::METHOD_NOT_ALLOWED {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        }
        response
    }
}

/// Any path no route serves.
pub async fn not_found(uri: axum::http::Uri) -> ApiError {
    let path: String = uri.path().chars().take(200).collect();
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no such path {path:?}"),
    )
}

/// A method other than GET or HEAD on a known path.
pub async fn method_not_allowed(method: axum::http::Method) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{method} is not allowed here; the server only reads (GET or HEAD)"),
    )
}
