//! The API's endpoints: parameters in, the library's answer out as its wire type.
//!
//! Searching is blocking work on the index; it runs on tokio's blocking threads so that
//! accepting and answering other connections goes on meanwhile.

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;

use crate::search::Archive;
use crate::serve::errors::ApiError;
use crate::serve::query_string;
use crate::serve::respond::json_response;
use crate::serve::state::Shared;
use crate::wire;

/// The parameters each endpoint takes (the names are the command line's long flags).
pub const SEARCH: &[&str] = &[
    "q", "from", "to", "on", "entity", "type", "sort", "limit", "offset", "collapse",
];
pub const TIMELINE: &[&str] = &[
    "q", "from", "to", "on", "entity", "type", "interval", "unique",
];
pub const ENTITIES: &[&str] = &[
    "q", "from", "to", "on", "entity", "type", "limit", "with", "unique",
];
pub const RELATED: &[&str] = &["within", "limit", "offset"];
pub const TRENDS: &[&str] = &["from", "to", "on", "baseline", "type", "limit"];
pub const STATS: &[&str] = &["top"];
pub const NONE: &[&str] = &[];

/// Runs `work` on the archive off the async threads; a panic in it is an internal error
/// of this request alone.
async fn on_archive<T: Send + 'static>(
    state: Shared,
    work: impl FnOnce(&Archive) -> crate::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(move || work(&state.archive))
        .await
        .map_err(|_| ApiError::internal("the search stopped on an internal error"))?
        .map_err(ApiError::from)
}

fn ok(value: &impl serde::Serialize) -> Response {
    json_response(StatusCode::OK, value)
}

pub async fn search(
    State(state): State<Shared>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = query_string::read(query.as_deref(), SEARCH)?;
    let request = params.search_request(state.today())?;
    let response = on_archive(state, move |archive| {
        let results = archive.search(&request)?;
        Ok(wire::SearchResponse::new(&request, results))
    })
    .await?;
    Ok(ok(&response))
}

pub async fn timeline(
    State(state): State<Shared>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = query_string::read(query.as_deref(), TIMELINE)?;
    let filter = params.filter(state.today())?;
    let (interval, unique) = (params.interval, params.unique);
    let timeline = on_archive(state, move |archive| {
        let buckets = archive.timeline(&filter, interval, unique)?;
        Ok(wire::Timeline::new(&filter.text, interval, buckets, unique))
    })
    .await?;
    Ok(ok(&timeline))
}

pub async fn entities(
    State(state): State<Shared>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let params = query_string::read(query.as_deref(), ENTITIES)?;
    let filter = params.entities_filter(state.today())?;
    let (kind, limit, with, unique) = (
        params.kind,
        params.entities_limit(),
        params.with,
        params.unique,
    );
    let entities = on_archive(state, move |archive| match with {
        Some(name) => {
            let found = archive.co_mentions(&filter, &name, kind, limit, unique)?;
            Ok(wire::Entities::co_mentions(&filter.text, found))
        }
        None => {
            let tally = archive.top_entities(&filter, kind, limit, unique)?;
            Ok(wire::Entities::new(&filter.text, tally))
        }
    })
    .await?;
    Ok(ok(&entities))
}

pub async fn related(
    State(state): State<Shared>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let request = query_string::read(query.as_deref(), RELATED)?.related_request(&id);
    let response = on_archive(state, move |archive| {
        let related = archive.related(&request)?;
        Ok(wire::SearchResponse::related(&request, related))
    })
    .await?;
    Ok(ok(&response))
}

pub async fn trends(
    State(state): State<Shared>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let request = query_string::read(query.as_deref(), TRENDS)?.trends_request(state.today())?;
    let trends = on_archive(state, move |archive| archive.trends(&request)).await?;
    Ok(ok(&wire::Trends::from(trends)))
}

pub async fn stats(
    State(state): State<Shared>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let top = query_string::read(query.as_deref(), STATS)?.stats_top();
    let stats = on_archive(state, move |archive| archive.stats(top)).await?;
    Ok(ok(&wire::Stats::from(stats)))
}

pub async fn article(
    State(state): State<Shared>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    query_string::read(query.as_deref(), NONE)?;
    let article = on_archive(state, move |archive| archive.article_with_story(&id)).await?;
    Ok(ok(&wire::Article::shown(article)))
}

pub async fn health(
    State(state): State<Shared>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    query_string::read(query.as_deref(), NONE)?;
    let documents = on_archive(state, |archive| Ok(archive.documents())).await?;
    Ok(ok(&wire::Health {
        status: "ok".to_string(),
        documents,
    }))
}
