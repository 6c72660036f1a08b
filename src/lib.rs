//! dateline: index dated news articles with tantivy and search them by text, date and entity.
//!
//! The library computes and never prints; the `dateline` binary does all I/O.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod article;
pub mod dates;
pub mod entities;
pub mod error;
pub mod ingest;
pub mod output;
pub mod params;
pub mod prior;
pub mod query;
pub mod schema;
pub mod search;
pub mod serve;
pub mod sources;
pub mod stemming;
pub mod stories;
pub mod story_search;
pub mod wire;

pub use error::{Error, Result};
