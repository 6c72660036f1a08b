//! Drives the real `dateline` binary on small fixtures with known answers.

mod analysis;
mod browser;
mod commands;
mod contract;
mod corpus;
mod errors;
mod export;
mod ingest;
mod layout;
mod mirror;
mod ranking;
mod reliability;
mod serve_api;
mod serve_reload;
mod server;
mod stories;
mod util;
mod wire;
