//! The library's error type: every failure a user may see, worded so they can act on it.
//!
//! Messages say what failed and on which file or value, in terms any front end shares: they
//! name no command-line flag (the CLI adds its own hints, see `cli::hint`). A message never
//! repeats its `#[source]`: whoever prints the error prints the chain of causes after it.

use std::path::PathBuf;

/// Errors from opening indexes, running queries and reading input.
///
/// Per-article input problems are not errors: they are [`crate::ingest::Rejection`]s,
/// reported and skipped while the rest of the run goes on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no index at {path}")]
    IndexMissing { path: PathBuf },

    /// Re-creating the index (ingest with `rebuild`) replaces it.
    #[error("{path} is not a dateline index of this version ({detail})")]
    IndexIncompatible { path: PathBuf, detail: String },

    /// Re-creating the index (ingest with `rebuild`) replaces it.
    #[error("the index at {path} could not be opened: {detail}")]
    IndexDamaged { path: PathBuf, detail: String },

    #[error(
        "another ingest is writing to {path} (lock file {lock}); wait for it to finish and try again"
    )]
    IndexLocked { path: PathBuf, lock: PathBuf },

    #[error("cannot write the index at {path}")]
    IndexUnwritable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("invalid query {query:?}: {reason}")]
    BadQuery { query: String, reason: String },

    #[error("invalid date {value:?}: {reason}")]
    BadDate { value: String, reason: String },

    /// `from` and `to` are the dates as given, each followed by the day it stands for.
    #[error("invalid date range: the start {from} is later than the end {to}")]
    EmptyDateRange { from: String, to: String },

    #[error("invalid value {value:?} for {what}: {reason}")]
    BadArgument {
        what: &'static str,
        value: String,
        reason: String,
    },

    /// A longer interval or a narrower date range needs fewer.
    #[error("a timeline by {interval} over this date range needs more than {limit} buckets")]
    TooManyBuckets {
        interval: &'static str,
        limit: usize,
    },

    #[error("no article with id {0:?}")]
    NoSuchArticle(String),

    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("cannot start the ingest threads: {0}")]
    Threads(String),

    #[error("search index error")]
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

    /// An export writes only into a folder of its own, so that no file of an earlier export
    /// is loaded with it.
    #[error("{path} is not empty; an export goes into a new or empty folder")]
    ExportFolderNotEmpty { path: PathBuf },

    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Another address, or stopping whatever holds this one, lets the server start.
    #[error("cannot listen on {addr}")]
    Listen {
        addr: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    /// One error of every variant; the `match` below stops compiling when a variant is added,
    /// so a new one cannot be left out.
    fn one_of_each() -> Vec<Error> {
        let path = || PathBuf::from("/archive/index");
        let io = || std::io::Error::new(std::io::ErrorKind::NotFound, "gone missing");
        let errors = vec![
            Error::IndexMissing { path: path() },
            Error::IndexIncompatible {
                path: path(),
                detail: "format version 999".to_string(),
            },
            Error::IndexDamaged {
                path: path(),
                detail: "meta.json is truncated".to_string(),
            },
            Error::IndexLocked {
                path: path(),
                lock: path().join(".tantivy-writer.lock"),
            },
            Error::IndexUnwritable {
                path: path(),
                source: io(),
            },
            Error::BadQuery {
                query: "a AND (".to_string(),
                reason: "syntax error".to_string(),
            },
            Error::BadDate {
                value: "2025-02-30".to_string(),
                reason: "not a calendar date".to_string(),
            },
            Error::EmptyDateRange {
                from: "2025-05 (2025-05-01)".to_string(),
                to: "2025-04 (2025-04-30)".to_string(),
            },
            Error::BadArgument {
                what: "`on`",
                value: "2025".to_string(),
                reason: "cannot be combined".to_string(),
            },
            Error::TooManyBuckets {
                interval: "day",
                limit: 100_000,
            },
            Error::NoSuchArticle("a1".to_string()),
            Error::Io {
                path: path(),
                source: io(),
            },
            Error::Threads("no threads left".to_string()),
            Error::NothingIndexedFrom { path: path() },
            Error::DiskFull {
                path: path(),
                documents: Some(7),
            },
            Error::ThreadPanicked("index out of bounds".to_string()),
            Error::EntityModel("truncated".to_string()),
            Error::ExportFolderNotEmpty { path: path() },
            Error::Write {
                path: path(),
                source: io(),
            },
            Error::Listen {
                addr: std::net::SocketAddr::from(([127, 0, 0, 1], 7700)),
                source: io(),
            },
            Error::Tantivy(tantivy::TantivyError::InvalidArgument(
                "not a field".to_string(),
            )),
        ];
        for err in &errors {
            match err {
                Error::IndexMissing { .. }
                | Error::IndexIncompatible { .. }
                | Error::IndexDamaged { .. }
                | Error::IndexLocked { .. }
                | Error::IndexUnwritable { .. }
                | Error::BadQuery { .. }
                | Error::BadDate { .. }
                | Error::EmptyDateRange { .. }
                | Error::BadArgument { .. }
                | Error::TooManyBuckets { .. }
                | Error::NoSuchArticle(_)
                | Error::Io { .. }
                | Error::Threads(_)
                | Error::NothingIndexedFrom { .. }
                | Error::DiskFull { .. }
                | Error::ThreadPanicked(_)
                | Error::EntityModel(_)
                | Error::ExportFolderNotEmpty { .. }
                | Error::Write { .. }
                | Error::Listen { .. }
                | Error::Tantivy(_) => {}
            }
        }
        errors
    }

    #[test]
    fn messages_name_no_command_line_flag() {
        for err in one_of_each() {
            let message = err.to_string();
            assert!(!message.contains("--"), "{message}");
        }
    }

    #[test]
    fn messages_leave_their_cause_to_the_chain() {
        for err in one_of_each() {
            if let Some(source) = err.source() {
                let message = err.to_string();
                assert!(
                    !message.contains(&source.to_string()),
                    "{message} repeats {source}"
                );
            }
        }
    }
}
