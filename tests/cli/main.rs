//! Drives the real `dateline` binary on small fixtures with known answers.

mod browser;
mod commands;
mod contract;
mod corpus;
mod errors;
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
