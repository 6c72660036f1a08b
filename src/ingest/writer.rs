//! Opening an index for writing: the run's lock, creating or rebuilding the index, and a
//! writer sized for the run.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use tantivy::indexer::IndexWriterOptions;
use tantivy::IndexWriter;

use super::merging::{self, MIN_MB_PER_THREAD};
use crate::error::{Error, Result};
use crate::schema::{self, Store};

/// Our own lock file in the index folder. tantivy's writer lock lives in the index it guards,
/// so it cannot guard replacing a damaged index; this one is taken first, by every run that
/// writes, and held until the run ends.
const LOCK_FILE: &str = ".dateline-writer.lock";

/// Held for as long as a run writes to the index; released when dropped (or when the process
/// dies, however it dies).
pub(super) struct WriteLock {
    _file: File,
}

/// tantivy's writer lock, in the same folder.
const TANTIVY_LOCK_FILE: &str = ".tantivy-writer.lock";

/// Takes the index folder's write lock, creating the folder if needed; fails at once if
/// another run holds it.
pub(super) fn lock(dir: &Path) -> Result<WriteLock> {
    lock_file(dir, LOCK_FILE)
}

fn lock_file(dir: &Path, name: &str) -> Result<WriteLock> {
    let unwritable = |source| Error::IndexUnwritable {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(unwritable)?;
    let path = dir.join(name);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(unwritable)?;
    match file.try_lock() {
        Ok(()) => Ok(WriteLock { _file: file }),
        Err(TryLockError::WouldBlock) => Err(Error::IndexLocked {
            path: dir.to_path_buf(),
            lock: path,
        }),
        Err(TryLockError::Error(source)) => Err(unwritable(source)),
    }
}

/// Opens the index for writing, creating it when absent; `rebuild` also replaces a damaged or
/// incompatible one. The lock is taken before anything in the folder is touched.
pub(super) fn open_for_writing(dir: &Path, rebuild: bool) -> Result<(WriteLock, Store)> {
    let lock = lock(dir)?;
    let store = if !schema::index_exists(dir) {
        schema::create(dir)?
    } else if schema::is_unfinished_creation(dir) {
        schema::finish_creation(dir)?
    } else {
        match schema::open(dir) {
            Ok(store) => store,
            Err(Error::IndexIncompatible { .. } | Error::IndexDamaged { .. }) if rebuild => {
                // A writer of another kind (an older dateline, another tool) holds only
                // tantivy's lock: its files are not ours to remove either.
                drop(lock_file(dir, TANTIVY_LOCK_FILE)?);
                schema::remove_index_files(dir)?;
                schema::create(dir)?
            }
            Err(err) => return Err(err),
        }
    };
    Ok((lock, store))
}

/// How a run's writer is set up.
pub(super) struct WriterPlan {
    /// Threads preparing documents (and the most that may index).
    pub(super) threads: usize,
    pub(super) memory_mb: usize,
    pub(super) extract_entities: bool,
    /// The index held articles when the run started, and keeps them.
    pub(super) rerun: bool,
}

/// A writer sized for the run, with the bounded merge policy.
pub(super) fn new_writer(store: &Store, plan: &WriterPlan) -> Result<IndexWriter> {
    // Extracting entities costs about as much as indexing: on a first run, half the threads
    // index, each with a larger share of the budget, so the index also ends with fewer
    // segments. A re-run finds most files unchanged and meets its new articles in a burst at
    // the end, which all threads index. On two cores, all threads indexing with entities made
    // Reuters-21578 faster (2.27 s against 2.65 s: the one indexing thread otherwise ends the
    // run alone, working through tantivy's queue and its last segment) but the x10
    // `articles.jsonl` slower (25.8 s against 22.5 s, 10% more CPU time, 7 segments instead
    // of 5), from the smaller segments and the merges they need.
    let indexing_share = if plan.extract_entities && !plan.rerun {
        plan.threads.div_ceil(2)
    } else {
        plan.threads
    };
    let indexing_threads = indexing_share
        .min(plan.memory_mb / MIN_MB_PER_THREAD)
        .clamp(1, 8);
    let budget = plan.memory_mb.max(MIN_MB_PER_THREAD) * 1024 * 1024;
    // Each merge maps all of its inputs, so merges side by side cost memory. Without
    // extraction, two may run: the merges a long run leaves for its end then go side by side
    // (x50 articles.jsonl: 29.1 s against 30.9 s, peak 365 to 483 MB against 311 to 351). With
    // extraction, the workers are the bottleneck and one merge at a time keeps up.
    let merge_threads = if plan.extract_entities { 1 } else { 2 };
    let writer: IndexWriter = store
        .index
        .writer_with_options(
            IndexWriterOptions::builder()
                .num_worker_threads(indexing_threads)
                .memory_budget_per_thread(budget / indexing_threads)
                .num_merge_threads(merge_threads)
                .build(),
        )
        .map_err(|err| writer_error(&store.dir, err))?;
    writer.set_merge_policy(Box::new(merging::BoundedMergePolicy::new(
        merging::MAX_MERGED_DOCS,
    )));
    Ok(writer)
}

/// A failure to get a writer: another writer holding tantivy's lock is named as such.
pub(super) fn writer_error(dir: &Path, err: tantivy::TantivyError) -> Error {
    match err {
        tantivy::TantivyError::LockFailure(..) => Error::IndexLocked {
            path: dir.to_path_buf(),
            lock: dir.join(TANTIVY_LOCK_FILE),
        },
        other => Error::Tantivy(other),
    }
}

/// Whether an error comes from a full disk. tantivy reports it as an I/O error, or as text
/// inside an internal error or a failed indexing thread, so both are looked for.
pub(super) fn is_disk_full(err: &Error) -> bool {
    const ENOSPC: i32 = 28;
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = cause {
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::StorageFull || io.raw_os_error() == Some(ENOSPC) {
                return true;
            }
        }
        let text = current.to_string();
        if text.contains("No space left on device") || text.contains("os error 28") {
            return true;
        }
        cause = current.source();
    }
    false
}

/// The error to report for a run that stopped on a full disk: where, and what the index
/// still holds (its last commit).
pub(super) fn disk_full(dir: &Path) -> Error {
    let documents = schema::open(dir)
        .and_then(|store| Ok(store.index.reader()?.searcher().num_docs()))
        .ok();
    Error::DiskFull {
        path: dir_for_message(dir),
        documents,
    }
}

fn dir_for_message(dir: &Path) -> PathBuf {
    std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
}
