//! The library's error type: every failure a user may see, worded so they can act on it.

use std::path::PathBuf;

/// Errors from opening indexes, running queries and reading input.
///
/// Per-article input problems are not errors: they are [`crate::ingest::Rejection`]s,
/// reported and skipped while the rest of the run goes on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no index at {path}: run `dateline ingest` first (or pass --index DIR)")]
    IndexMissing { path: PathBuf },

    #[error(
        "{path} is not a dateline index of this version ({detail}); \
         re-create it with `dateline ingest --rebuild`"
    )]
    IndexIncompatible { path: PathBuf, detail: String },

    #[error("the index at {path} could not be opened: {detail}; re-create it with `dateline ingest --rebuild`")]
    IndexDamaged { path: PathBuf, detail: String },

    #[error(
        "another ingest is writing to {path} (lock file {lock}); wait for it to finish and try again"
    )]
    IndexLocked { path: PathBuf, lock: PathBuf },

    #[error("cannot write the index at {path}: {source}")]
    IndexUnwritable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("invalid query {query:?}: {reason}")]
    BadQuery { query: String, reason: String },

    #[error("invalid date {value:?}: {reason}")]
    BadDate { value: String, reason: String },

    #[error("invalid date range: --from {from} is later than --to {to}")]
    EmptyDateRange { from: String, to: String },

    #[error("invalid value {value:?} for {what}: {reason}")]
    BadArgument {
        what: &'static str,
        value: String,
        reason: String,
    },

    #[error("no article with id {0:?}")]
    NoSuchArticle(String),

    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot start the ingest threads: {0}")]
    Threads(String),

    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),

    #[error("no indexed article comes from {path}")]
    NothingIndexedFrom { path: PathBuf },

    #[error(
        "the disk holding the index at {path} is full; the index keeps its last commit{}; \
         free some space and run the same ingest again to carry on from there",
        match documents { Some(n) => format!(" ({n} articles)"), None => String::new() }
    )]
    DiskFull {
        path: PathBuf,
        documents: Option<u64>,
    },

    #[error(
        "an ingest thread stopped on an internal error ({0}); the index keeps its last commit"
    )]
    ThreadPanicked(String),

    #[error("the built-in entity model could not be loaded: {0}")]
    EntityModel(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
