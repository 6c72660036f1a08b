//! `dateline serve`: the archive over HTTP, a JSON API and a page, read-only.
//!
//! Data flows one way: query string → [`crate::params::Params`] → request → hits →
//! [`crate::wire`] types → the same JSON bytes as `--json`. Nothing here writes the index; an
//! ingest running beside the server is picked up commit by commit.

mod api;
mod cache;
mod errors;
mod limits;
mod listener;
mod openapi;
mod page;
mod query_string;
mod respond;
mod routes;
mod state;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::search::Archive;

/// What `dateline serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub index_dir: PathBuf,
    pub addr: SocketAddr,
    /// "Today" for relative dates (`30d`); `None` reads the clock at each request.
    pub today: Option<NaiveDate>,
    /// Bytes of answers kept for repeated requests (0: none kept).
    pub cache_bytes: u64,
}

/// A server that listens but does not answer yet: [`Server::run`] does.
pub struct Server {
    runtime: tokio::runtime::Runtime,
    listener: std::net::TcpListener,
    router: axum::Router,
    addr: SocketAddr,
}

impl Server {
    /// Opens the index and takes the address, so that both can fail before anything is said.
    pub fn bind(options: &ServeOptions) -> Result<Server> {
        let archive = Archive::open_following_commits(&options.index_dir)?;
        let state = Arc::new(state::AppState {
            archive,
            cache: cache::ResponseCache::new(options.cache_bytes),
            today: options.today,
        });
        let listen_error = |source| Error::Listen {
            addr: options.addr,
            source,
        };
        let listener = std::net::TcpListener::bind(options.addr).map_err(listen_error)?;
        listener.set_nonblocking(true).map_err(listen_error)?;
        let addr = listener.local_addr().map_err(listen_error)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .max_blocking_threads(searching_threads())
            .thread_name("dateline-serve")
            .build()
            .map_err(|err| Error::Threads(err.to_string()))?;
        Ok(Server {
            runtime,
            listener,
            router: routes::router(state),
            addr,
        })
    }

    /// The address listened on (with the port chosen when port 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Answers until Ctrl-C or SIGTERM, then lets the requests in flight finish.
    pub fn run(self) -> Result<()> {
        let Server {
            runtime,
            listener,
            router,
            addr,
        } = self;
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener)
                .map_err(|source| Error::Listen { addr, source })?;
            listener::serve(listener, router).await;
            Ok(())
        })
    }
}

/// Threads that search at once. Searching is CPU-bound: more threads than cores would only
/// share the cores among more requests, so each waits longer and holds its memory longer;
/// further requests queue in order instead. Twice the cores, so that one slow request (an
/// entity tally over the whole archive) does not hold up the searches behind it.
fn searching_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()) * 2
}
