//! dateline: index dated news articles with tantivy and search them by text, date and entity.
//!
//! The library computes and never prints; the `dateline` binary does all I/O.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod article;
pub mod bonus;
pub mod comentions;
pub mod dates;
pub mod entities;
pub mod error;
pub mod export;
pub mod feedback;
pub mod ingest;
pub mod output;
pub mod params;
pub mod plain_reads;
pub mod prior;
pub mod query;
pub mod related;
pub mod schema;
pub mod search;
pub mod serve;
pub mod significance;
pub mod snippet;
pub mod soft_and;
pub mod sources;
pub mod stemming;
pub mod stories;
pub mod story_search;
pub mod top_hits;
pub mod trends;
pub mod wire;
pub mod words;

pub use error::{Error, Result};
