//! The API's OpenAPI description, served as written in `openapi.json` and checked against the
//! routes and parameters by the tests below.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

const SPEC: &str = include_str!("openapi.json");

pub async fn spec() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        SPEC,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    use super::SPEC;
    use crate::params;
    use crate::serve::{api, routes};

    fn spec() -> Value {
        serde_json::from_str(SPEC).expect("openapi.json is JSON")
    }

    /// The API's routes in OpenAPI's spelling (`{*id}` is `{id}`).
    fn api_routes() -> BTreeSet<String> {
        routes::table()
            .into_iter()
            .map(|(path, _)| path.replace("{*", "{"))
            .filter(|path| path.starts_with("/api/"))
            .collect()
    }

    #[test]
    fn every_api_route_is_described_and_nothing_else() {
        let described: BTreeSet<String> = spec()["paths"]
            .as_object()
            .expect("paths")
            .keys()
            .cloned()
            .collect();
        assert_eq!(described, api_routes());
    }

    fn accepted(path: &str) -> &'static [&'static str] {
        match path {
            "/api/search" => api::SEARCH,
            "/api/timeline" => api::TIMELINE,
            "/api/entities" => api::ENTITIES,
            "/api/stats" => api::STATS,
            "/api/trends" => api::TRENDS,
            "/api/related/{id}" => api::RELATED,
            _ => api::NONE,
        }
    }

    #[test]
    fn described_query_parameters_are_exactly_those_taken() {
        let spec = spec();
        for path in api_routes() {
            let operation = &spec["paths"][&path]["get"];
            assert!(operation.is_object(), "{path} has no GET");
            let mut described = BTreeSet::new();
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let parameter = match parameter.get("$ref").and_then(Value::as_str) {
                    Some(reference) => {
                        let name = reference.trim_start_matches("#/components/parameters/");
                        &spec["components"]["parameters"][name]
                    }
                    None => parameter,
                };
                let name = parameter["name"].as_str().expect("name").to_string();
                if parameter["in"] == "query" {
                    assert!(params::NAMES.contains(&name.as_str()), "{path}: {name}");
                    described.insert(name);
                }
            }
            let taken: BTreeSet<String> = accepted(&path).iter().map(|n| n.to_string()).collect();
            assert_eq!(described, taken, "{path}");
        }
    }

    #[test]
    fn described_bounds_are_the_enforced_ones() {
        let spec = spec();
        let schema = |name: &str| spec["components"]["parameters"][name]["schema"].clone();
        assert_eq!(schema("limit")["maximum"], params::MAX_LIMIT);
        assert_eq!(schema("offset")["maximum"], params::MAX_OFFSET);
        assert_eq!(schema("q")["maxLength"], params::MAX_QUERY_BYTES);
        assert_eq!(schema("entity")["maxItems"], params::MAX_ENTITY_FILTERS);
        assert_eq!(
            schema("entity")["items"]["maxLength"],
            params::MAX_ENTITY_BYTES
        );
    }
}
