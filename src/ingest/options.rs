//! What an ingest run is asked to do, and how it reports its progress.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

/// What an ingest run should do.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub index_dir: PathBuf,
    pub inputs: Vec<PathBuf>,
    /// Start from an empty index.
    pub rebuild: bool,
    pub extract_entities: bool,
    /// Worker and indexing threads; 0 means one per core.
    pub threads: usize,
    /// The index writer's memory budget.
    pub memory_mb: usize,
    /// Work is committed at least this often, so a crash loses at most this much.
    pub commit_interval: Duration,
    /// Set (by a Ctrl-C handler, say) to stop early: what was applied is committed.
    pub cancel: Option<Arc<AtomicBool>>,
    /// Keep the articles of files that are gone from the roots (a disk that comes and goes),
    /// instead of removing them. Moved files are then duplicates of their old selves.
    pub keep_missing: bool,
    /// Near-copies are grouped into stories when dated within this many days of each other;
    /// `None` groups nothing (every article is a story of its own, and no signature is kept).
    pub story_window: Option<u32>,
}

/// A snapshot of a run in progress, for progress display.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub articles: u64,
    pub elapsed: Duration,
}
