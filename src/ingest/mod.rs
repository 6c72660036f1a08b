//! Ingest: walk -> read and parse -> extract entities (parallel) -> one index writer; upsert, dedup, commit, report.
//!
//! `worker` reads and prepares inputs, `consumer` applies them to the writer in order (`bloom`
//! tells it which articles to look up in the index), `known` loads what the index held before
//! the run, `merging` chooses the segments to merge; this file runs the pipeline.
//!
//! Files are handed out in sorted order to worker threads and their results are applied in that
//! same order, so which copy of a duplicate is kept, and the order of the report, never depend
//! on thread timing. Workers skip files the index already holds unchanged (same size and
//! modification time, or same content); the single consumer decides new / replaced /
//! duplicate and owns the writer.

mod bloom;
mod consumer;
mod known;
mod merging;
mod worker;

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tantivy::{IndexWriter, TantivyDocument};
use xxhash_rust::xxh3::xxh3_128;

use crate::article::Article;
use crate::entities::Extractor;
use crate::error::{Error, Result};
use crate::schema::{self, Store};
use crate::sources::{walk, FileStamp, Format, Found, StampReader};
use consumer::Consumer;
use known::{load_known, Known};
pub use worker::MAX_ARTICLE_BYTES;
use worker::{Preparer, Worker};

/// Dated files handed to a worker at a time.
const FILES_PER_JOB: usize = 256;
/// How far (in jobs) workers may run ahead of the writer; bounds memory.
const WINDOW: u64 = 4;
/// Smallest writer memory budget tantivy accepts per indexing thread.
const MIN_MB_PER_THREAD: usize = 15;

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
}

/// One input that was not indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub path: String,
    pub line: Option<u64>,
    pub reason: String,
}

/// An article not stored because the same date and text are already indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub path: String,
    pub line: Option<u64>,
    pub duplicate_of: String,
}

/// The outcome of an ingest run.
#[derive(Debug, Clone, Default)]
pub struct IngestReport {
    /// New articles added.
    pub indexed: u64,
    /// Articles whose id was indexed with other content, now replaced.
    pub replaced: u64,
    pub unchanged: u64,
    pub duplicates: u64,
    pub rejected: Vec<Rejection>,
    pub duplicate_articles: Vec<Duplicate>,
    pub elapsed_ms: u64,
    /// Articles read (indexed, replaced, unchanged or duplicate) per second of the run.
    pub articles_per_second: f64,
    /// Articles in the index after the run.
    pub documents: u64,
    /// The run was cancelled before all input was read; what was read is committed.
    pub interrupted: bool,
}

/// A snapshot of a run in progress, for progress display.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub articles: u64,
    pub elapsed: Duration,
}

/// Flow control between the consumer and the workers.
#[derive(Default)]
struct Flow {
    /// Inputs (by sequence number) fully applied by the consumer.
    applied: Mutex<u64>,
    /// Signalled when `applied` grows or the run stops.
    progressed: Condvar,
    /// Set when the consumer stops, normally or not: workers give up.
    stop: AtomicBool,
}

impl Flow {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }

    fn set_applied(&self, applied: u64) {
        *self.applied.lock().unwrap_or_else(PoisonError::into_inner) = applied;
        self.progressed.notify_all();
    }

    fn stop(&self) {
        self.stop.store(true, Ordering::Release);
        // Taking the lock orders the store before any waiter's next check.
        drop(self.applied.lock().unwrap_or_else(PoisonError::into_inner));
        self.progressed.notify_all();
    }

    /// Waits until input `seq` is fewer than `ahead` inputs past the last one applied;
    /// false if the run stopped meanwhile.
    fn wait_until_within(&self, seq: u64, ahead: u64) -> bool {
        let mut applied = self.applied.lock().unwrap_or_else(PoisonError::into_inner);
        while seq >= *applied + ahead && !self.stopped() {
            applied = self
                .progressed
                .wait(applied)
                .unwrap_or_else(PoisonError::into_inner);
        }
        !self.stopped()
    }
}

struct StopOnDrop<'a>(&'a Flow);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// An article ready to be written, prepared by a worker.
struct Prepared {
    id: String,
    id_key: u128,
    hash: u128,
    path: String,
    line: Option<u64>,
    doc: Document,
}

/// An article's document, or what it is built from.
enum Document {
    Built(TantivyDocument),
    /// Its content was probably stored before the run, so the article is probably a
    /// duplicate, which needs no document: built (entities and all) only if it is written.
    Deferred(Box<Unbuilt>),
}

/// What an article's document is built from, besides its id and path.
struct Unbuilt {
    article: Article,
    /// A dated file's size and modification time.
    file: Option<FileStamp>,
}

enum Item {
    Ready(Box<Prepared>),
    /// Stored before the run with this content. Nothing more is needed of it: a later article
    /// with the same content finds it in the index.
    Unchanged,
    Rejected(Rejection),
}

struct Batch {
    seq: u64,
    items: Vec<Item>,
    last: bool,
}

fn key_of(id: &str) -> u128 {
    xxh3_128(id.as_bytes())
}

/// The 64 bits of a 128-bit key or hash that the run's maps and filters keep.
fn short(value: u128) -> u64 {
    value as u64
}

/// [`key_of`] a generated id (`value` as 16 lower-case hex digits), without building the string.
fn generated_id_key(value: u64) -> u128 {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = [0u8; 16];
    for (i, digit) in hex.iter_mut().enumerate() {
        *digit = DIGITS[(value >> (60 - 4 * i) & 0xf) as usize];
    }
    xxh3_128(&hex)
}

/// Runs one ingest. Per-input problems land in the report; errors are for the run as a whole.
pub fn ingest(
    options: &IngestOptions,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<IngestReport> {
    let started = Instant::now();
    for input in &options.inputs {
        if let Err(source) = std::fs::metadata(input) {
            return Err(Error::Io {
                path: input.clone(),
                source,
            });
        }
    }
    let store = open_for_writing(&options.index_dir, options.rebuild)?;
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(2, usize::from)
    } else {
        options.threads
    };
    // Extracting entities costs about as much as indexing: on a first run, half the threads
    // index, each with a larger share of the budget, so the index also ends with fewer
    // segments. A re-run finds most files unchanged and meets its new articles in a burst at
    // the end, which all threads index.
    let rerun = !options.rebuild
        && store
            .index
            .searchable_segment_metas()?
            .iter()
            .any(|segment| segment.num_docs() > 0);
    let indexing_share = if options.extract_entities && !rerun {
        threads.div_ceil(2)
    } else {
        threads
    };
    let indexing_threads = indexing_share
        .min(options.memory_mb / MIN_MB_PER_THREAD)
        .clamp(1, 8);
    let budget = options.memory_mb.max(MIN_MB_PER_THREAD) * 1024 * 1024;
    // Each merge maps all of its inputs, so merges side by side cost memory. Without
    // extraction, two may run: the merges a long run leaves for its end then go side by side
    // (x50 articles.jsonl: 29.1 s against 30.9 s, peak 365 to 483 MB against 311 to 351). With
    // extraction, the workers are the bottleneck and one merge at a time keeps up.
    let merge_threads = if options.extract_entities { 1 } else { 2 };
    let writer: IndexWriter = store
        .index
        .writer_with_options(
            tantivy::indexer::IndexWriterOptions::builder()
                .num_worker_threads(indexing_threads)
                .memory_budget_per_thread(budget / indexing_threads)
                .num_merge_threads(merge_threads)
                .build(),
        )
        .map_err(|err| writer_error(&store, err))?;
    writer.set_merge_policy(Box::new(merging::BoundedMergePolicy::new(
        merging::MAX_MERGED_DOCS,
    )));
    if options.rebuild {
        writer.delete_all_documents()?;
    }
    let known = if options.rebuild {
        Known::default()
    } else {
        load_known(&store)?
    };
    let preparer = Preparer {
        fields: store.fields,
        known: &known,
        extractor: options.extract_entities.then(Extractor::shared),
    };
    let mut consumer = Consumer::new(&store, writer, preparer, options.commit_interval);
    let flow = Flow::default();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|n| format!("prepare-{n}"))
        .build()
        .map_err(|err| Error::Threads(err.to_string()))?;
    std::thread::scope(|scope| -> Result<()> {
        // Whatever way this closure ends, waiting workers must not wait forever.
        let _stop_workers = StopOnDrop(&flow);
        let (job_tx, job_rx) = crossbeam_channel::bounded::<(u64, Vec<Found>)>(threads * 4);
        let (batch_tx, batch_rx) = crossbeam_channel::bounded::<Batch>(threads * 4);
        let flow = &flow;
        scope.spawn(move || {
            // Dated files travel in runs of FILES_PER_JOB, so channel hand-offs stay few;
            // a JSON Lines file is a job of its own, since it is streamed.
            let mut seq = 0u64;
            let mut job = Vec::with_capacity(FILES_PER_JOB);
            let mut send = |job: Vec<Found>| {
                let sent = !flow.stopped() && job_tx.send((seq, job)).is_ok();
                seq += 1;
                sent
            };
            for found in walk(&options.inputs, Some(&options.index_dir)) {
                let streamed =
                    matches!(&found, Found::File(file) if file.format == Format::JsonLines);
                if streamed && !job.is_empty() && !send(std::mem::take(&mut job)) {
                    return;
                }
                job.push(found);
                if (streamed || job.len() >= FILES_PER_JOB) && !send(std::mem::take(&mut job)) {
                    return;
                }
            }
            if !job.is_empty() {
                send(job);
            }
        });
        for _ in 0..threads {
            let job_rx = job_rx.clone();
            let batch_tx = batch_tx.clone();
            let mut worker = Worker {
                preparer,
                pool: &pool,
                flow,
                stamps: StampReader::default(),
                identity: PathBuf::new(),
            };
            scope.spawn(move || {
                for (seq, job) in job_rx {
                    if !flow.wait_until_within(seq, WINDOW) || !worker.process(seq, job, &batch_tx)
                    {
                        break;
                    }
                }
            });
        }
        drop(job_rx);
        drop(batch_tx);
        let mut pending: BTreeMap<u64, VecDeque<Batch>> = BTreeMap::new();
        let mut next = 0u64;
        let mut last_tick = Instant::now();
        loop {
            if options
                .cancel
                .as_ref()
                .is_some_and(|cancel| cancel.load(Ordering::Relaxed))
            {
                consumer.interrupted();
                break;
            }
            match batch_rx.recv_timeout(Duration::from_millis(100)) {
                Ok(batch) => pending.entry(batch.seq).or_default().push_back(batch),
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
                Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break,
            }
            while let Some(queue) = pending.get_mut(&next) {
                let Some(batch) = queue.pop_front() else {
                    break;
                };
                let finished = batch.last;
                for item in batch.items {
                    consumer.apply(item)?;
                }
                if finished {
                    pending.remove(&next);
                    next += 1;
                    flow.set_applied(next);
                }
            }
            consumer.maybe_commit()?;
            if last_tick.elapsed() >= Duration::from_millis(100) {
                last_tick = Instant::now();
                on_progress(Progress {
                    articles: consumer.articles_seen(),
                    elapsed: started.elapsed(),
                });
            }
        }
        Ok(())
    })?;
    let mut report = consumer.finish()?;
    report.documents = store.index.reader()?.searcher().num_docs();
    let elapsed = started.elapsed();
    report.elapsed_ms = elapsed.as_millis() as u64;
    let articles = report.indexed + report.replaced + report.unchanged + report.duplicates;
    report.articles_per_second = articles as f64 / elapsed.as_secs_f64().max(1e-9);
    Ok(report)
}

fn writer_error(store: &Store, err: tantivy::TantivyError) -> Error {
    match err {
        tantivy::TantivyError::LockFailure(..) => Error::IndexLocked {
            path: store.dir.clone(),
            lock: store.dir.join(".tantivy-writer.lock"),
        },
        other => Error::Tantivy(other),
    }
}

/// Opens the index for writing, creating it when absent; `rebuild` also replaces a damaged or
/// incompatible one.
fn open_for_writing(dir: &Path, rebuild: bool) -> Result<Store> {
    if !schema::index_exists(dir) {
        return schema::create(dir);
    }
    match schema::open(dir) {
        Ok(store) => Ok(store),
        Err(Error::IndexIncompatible { .. } | Error::IndexDamaged { .. }) if rebuild => {
            schema::remove_index_files(dir)?;
            schema::create(dir)
        }
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::{generated_id_key, key_of};

    #[test]
    fn generated_id_key_is_the_key_of_the_hex_id() {
        for value in [
            0,
            1,
            0xf,
            0x0123_4567_89ab_cdef,
            u64::MAX,
            0x8000_0000_0000_0000,
        ] {
            assert_eq!(generated_id_key(value), key_of(&format!("{value:016x}")));
        }
    }
}
