//! JSON answers: the bytes `--json` prints, with their status and content type.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A JSON answer with its status, in the bytes `--json` prints.
pub fn json_response(status: StatusCode, value: &impl serde::Serialize) -> Response {
    let mut body = Vec::with_capacity(512);
    if crate::output::write_json(&mut body, value).is_err() {
        // Serialising our own wire types into memory cannot fail; answer plainly if it does.
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response();
    }
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
