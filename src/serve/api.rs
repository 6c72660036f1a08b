//! The API's endpoints: parameters in, the library's answer out as its wire type.
//!
//! Searching is blocking work on the index; it runs on tokio's blocking threads so that
//! accepting and answering other connections goes on meanwhile. An answer given before on the
//! same index is sent again from [`crate::serve::cache`] without searching.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::Response;

use crate::search::Archive;
use crate::serve::cache::Key;
use crate::serve::errors::ApiError;
use crate::serve::query_string;
use crate::serve::respond::{json_body, json_bytes, json_response};
use crate::serve::state::{AppState, Shared};
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

/// Tells whether an answer came from the cache (absent when the cache is off).
const CACHE_HEADER: &str = "x-cache";

/// A request's place in the answer cache: looked up before answering, filled after.
struct Kept {
    generation: u64,
    key: Key,
}

impl Kept {
    fn new(state: &AppState, uri: &Uri) -> Kept {
        Kept {
            generation: state.archive.generation(),
            key: Key {
                target: uri
                    .path_and_query()
                    .map_or_else(|| uri.path().to_string(), |target| target.to_string()),
                today: state.today(),
            },
        }
    }

    /// The answer given before to this request on this index, if it is still kept.
    fn hit(&self, state: &AppState) -> Option<Response> {
        let body = state.cache.get(self.generation, &self.key)?;
        Some(marked(json_body(StatusCode::OK, body), "hit"))
    }

    /// Answers with `value`, and keeps the answer for the next time.
    fn answer(self, state: &AppState, value: &impl serde::Serialize) -> Response {
        if !state.cache.enabled() {
            return json_response(StatusCode::OK, value);
        }
        match json_bytes(value) {
            Some(body) => {
                state.cache.put(self.generation, self.key, body.clone());
                marked(json_body(StatusCode::OK, body), "miss")
            }
            None => json_response(StatusCode::OK, value),
        }
    }
}

fn marked(mut response: Response, how: &'static str) -> Response {
    response
        .headers_mut()
        .insert(CACHE_HEADER, HeaderValue::from_static(how));
    response
}

pub async fn search(
    State(state): State<Shared>,
    uri: Uri,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let kept = Kept::new(&state, &uri);
    if let Some(hit) = kept.hit(&state) {
        return Ok(hit);
    }
    let params = query_string::read(query.as_deref(), SEARCH)?;
    let request = params.search_request(state.today())?;
    let response = on_archive(state.clone(), move |archive| {
        let results = archive.search(&request)?;
        Ok(wire::SearchResponse::new(&request, results))
    })
    .await?;
    Ok(kept.answer(&state, &response))
}

pub async fn timeline(
    State(state): State<Shared>,
    uri: Uri,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let kept = Kept::new(&state, &uri);
    if let Some(hit) = kept.hit(&state) {
        return Ok(hit);
    }
    let params = query_string::read(query.as_deref(), TIMELINE)?;
    let filter = params.filter(state.today())?;
    let (interval, unique) = (params.interval, params.unique);
    let timeline = on_archive(state.clone(), move |archive| {
        let buckets = archive.timeline(&filter, interval, unique)?;
        Ok(wire::Timeline::new(&filter.text, interval, buckets, unique))
    })
    .await?;
    Ok(kept.answer(&state, &timeline))
}

pub async fn entities(
    State(state): State<Shared>,
    uri: Uri,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let kept = Kept::new(&state, &uri);
    if let Some(hit) = kept.hit(&state) {
        return Ok(hit);
    }
    let params = query_string::read(query.as_deref(), ENTITIES)?;
    let filter = params.entities_filter(state.today())?;
    let (kind, limit, with, unique) = (
        params.kind,
        params.entities_limit(),
        params.with,
        params.unique,
    );
    let entities = on_archive(state.clone(), move |archive| match with {
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
    Ok(kept.answer(&state, &entities))
}

pub async fn related(
    State(state): State<Shared>,
    uri: Uri,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let kept = Kept::new(&state, &uri);
    if let Some(hit) = kept.hit(&state) {
        return Ok(hit);
    }
    let request = query_string::read(query.as_deref(), RELATED)?.related_request(&id);
    let response = on_archive(state.clone(), move |archive| {
        let related = archive.related(&request)?;
        Ok(wire::SearchResponse::related(&request, related))
    })
    .await?;
    Ok(kept.answer(&state, &response))
}

pub async fn trends(
    State(state): State<Shared>,
    uri: Uri,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let kept = Kept::new(&state, &uri);
    if let Some(hit) = kept.hit(&state) {
        return Ok(hit);
    }
    let request = query_string::read(query.as_deref(), TRENDS)?.trends_request(state.today())?;
    let trends = on_archive(state.clone(), move |archive| archive.trends(&request)).await?;
    Ok(kept.answer(&state, &wire::Trends::from(trends)))
}

pub async fn stats(
    State(state): State<Shared>,
    uri: Uri,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let kept = Kept::new(&state, &uri);
    if let Some(hit) = kept.hit(&state) {
        return Ok(hit);
    }
    let top = query_string::read(query.as_deref(), STATS)?.stats_top();
    let stats = on_archive(state.clone(), move |archive| archive.stats(top)).await?;
    Ok(kept.answer(&state, &wire::Stats::from(stats)))
}

pub async fn article(
    State(state): State<Shared>,
    uri: Uri,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let kept = Kept::new(&state, &uri);
    if let Some(hit) = kept.hit(&state) {
        return Ok(hit);
    }
    query_string::read(query.as_deref(), NONE)?;
    let article = on_archive(state.clone(), move |archive| {
        archive.article_with_story(&id)
    })
    .await?;
    Ok(kept.answer(&state, &wire::Article::shown(article)))
}

pub async fn health(
    State(state): State<Shared>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    query_string::read(query.as_deref(), NONE)?;
    let documents = on_archive(state, |archive| Ok(archive.documents())).await?;
    Ok(json_response(
        StatusCode::OK,
        &wire::Health {
            status: "ok".to_string(),
            documents,
        },
    ))
}
