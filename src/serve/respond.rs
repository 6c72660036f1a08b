//! JSON answers: the bytes `--json` prints, with their status and content type.

use axum::body::Bytes;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The bytes `--json` prints for `value`.
pub fn json_bytes(value: &impl serde::Serialize) -> Option<Bytes> {
    let mut body = Vec::with_capacity(512);
    // Serialising our own wire types into memory cannot fail; `None` if it ever does.
    crate::output::write_json(&mut body, value).ok()?;
    Some(Bytes::from(body))
}

/// A JSON answer with its status, in the bytes `--json` prints.
pub fn json_response(status: StatusCode, value: &impl serde::Serialize) -> Response {
    match json_bytes(value) {
        Some(body) => json_body(status, body),
        None => (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response(),
    }
}

/// An answer of JSON bytes already made.
pub fn json_body(status: StatusCode, body: Bytes) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}
