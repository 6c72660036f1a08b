//! Drives the real `dateline` binary on small fixtures with known answers.

mod commands;
mod contract;
mod corpus;
mod errors;
mod ingest;
mod layout;
mod mirror;
mod ranking;
mod reliability;
mod util;
mod wire;
