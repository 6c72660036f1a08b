//! The routing table: every path the server answers, and the limits and fallbacks around them.

use axum::routing::{get, MethodRouter};
use axum::Router;

use crate::serve::state::Shared;
use crate::serve::{api, errors, limits, openapi, page};

/// Every route, as the router is built from it (and the OpenAPI test reads it).
pub fn table() -> Vec<(&'static str, MethodRouter<Shared>)> {
    vec![
        ("/", get(page::index)),
        ("/assets/app.js", get(page::script)),
        ("/assets/style.css", get(page::style)),
        ("/api/search", get(api::search)),
        ("/api/timeline", get(api::timeline)),
        ("/api/entities", get(api::entities)),
        ("/api/stats", get(api::stats)),
        ("/api/trends", get(api::trends)),
        ("/api/related/{*id}", get(api::related)),
        // `*`: an id may hold slashes (ids of JSON Lines come from the data).
        ("/api/articles/{*id}", get(api::article)),
        ("/api/health", get(api::health)),
        ("/api/openapi.json", get(openapi::spec)),
    ]
}

pub fn router(state: Shared) -> Router {
    table()
        .into_iter()
        .fold(Router::new(), |router, (path, route)| {
            router.route(path, route)
        })
        .fallback(errors::not_found)
        .method_not_allowed_fallback(errors::method_not_allowed)
        .layer(axum::middleware::from_fn(limits::bounds))
        .with_state(state)
}
