//! Ingest: walk -> read and parse -> extract entities (parallel) -> one index writer; upsert,
//! dedup, mirror the roots, commit, report.
//!
//! - `pipeline` runs the threads: the walk, the `worker`s that read and prepare inputs side by
//!   side, and the in-order hand-over of what they `prepared` to the `consumer`;
//! - `consumer` decides new / replaced / unchanged / duplicate / moved and owns the writer
//!   (`bloom` tells it which articles to look up in the index);
//! - `known` loads what the index held before the run; `mirror` finds what is gone from the
//!   run's roots; `writer` locks, opens and sizes; `merging` chooses the segments to merge;
//!   `flow` keeps workers within reach of the writer;
//! - `storying` gives each written article its story and merges and regroups stories once the
//!   run is committed; `pending` records that work with each commit, for the next run to take
//!   over if this one is killed.
//!
//! Files are handed out in sorted order to worker threads and their results are applied in that
//! same order, so which copy of a duplicate is kept, and the order of the report, never depend
//! on thread timing. Workers skip files the index already holds unchanged (same size and
//! modification time, or same content).

mod bloom;
mod consumer;
mod flow;
mod known;
mod merging;
mod mirror;
mod options;
mod pending;
mod pipeline;
mod prepared;
mod report;
mod storying;
mod worker;
mod writer;

use std::path::PathBuf;
use std::time::Instant;

use tantivy::Term;

use crate::entities::Extractor;
use crate::error::{Error, Result};
use crate::schema;
use consumer::Consumer;
use known::{load_known, Known};
use mirror::{Mirror, Scope};
pub use options::{IngestOptions, Progress};
pub use report::{CompactReport, Duplicate, IngestReport, Rejection, RemoveReport};
use worker::Preparer;
pub use worker::MAX_ARTICLE_BYTES;

/// Runs one ingest. Per-input problems land in the report; errors are for the run as a whole.
pub fn ingest(
    options: &IngestOptions,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Result<IngestReport> {
    let started = Instant::now();
    // A root that is missing entirely (an unmounted disk, a typo) is an error before any work:
    // read as an empty folder, it would remove everything indexed from it.
    for input in &options.inputs {
        if let Err(source) = std::fs::metadata(input) {
            return Err(Error::Io {
                path: input.clone(),
                source,
            });
        }
    }
    let result = run(options, on_progress);
    let mut report = match result {
        Err(err) if writer::is_disk_full(&err) => {
            return Err(writer::disk_full(&options.index_dir))
        }
        other => other?,
    };
    let elapsed = started.elapsed();
    report.elapsed_ms = elapsed.as_millis() as u64;
    report.articles_per_second = report.articles_read() as f64 / elapsed.as_secs_f64().max(1e-9);
    Ok(report)
}

fn run(options: &IngestOptions, on_progress: &(dyn Fn(Progress) + Sync)) -> Result<IngestReport> {
    if options.extract_entities {
        // The extractor's tables are built while the index is opened and the first files
        // are found and read; a failure to load the model is reported below.
        std::thread::spawn(|| {
            if let Ok(extractor) = Extractor::shared() {
                extractor.warm_up();
            }
        });
    }
    let (_lock, store) = writer::open_for_writing(&options.index_dir, options.rebuild)?;
    let threads = if options.threads == 0 {
        std::thread::available_parallelism().map_or(2, usize::from)
    } else {
        options.threads
    };
    let rerun = !options.rebuild
        && store
            .index
            .searchable_segment_metas()?
            .iter()
            .any(|segment| segment.num_docs() > 0);
    let mut writer = writer::new_writer(
        &store,
        &writer::WriterPlan {
            threads,
            memory_mb: options.memory_mb,
            extract_entities: options.extract_entities,
            rerun,
        },
    )?;
    // Story work a killed run left undone: taken over when this run groups alike, done now
    // otherwise. A rebuild starts from nothing.
    let mut storyteller = storying::Storyteller::new(options.story_window, !rerun);
    if options.rebuild {
        writer.delete_all_documents()?;
    } else if let Some(work) = pending::left_undone(&store.index, &store.dir)? {
        if options.story_window == Some(work.window) {
            storyteller.resume(work);
        } else {
            storying::settle(&store.fields, &mut writer, work, || {
                committed_searcher(&store)
            })?;
        }
    }
    let known = if options.rebuild {
        Known::default()
    } else {
        load_known(&store)?
    };
    let preparer = Preparer {
        fields: store.fields,
        known: &known,
        extractor: options
            .extract_entities
            .then(Extractor::shared)
            .transpose()?,
        stories: options.story_window.is_some(),
    };
    // After a rebuild everything left is what the run wrote: there is nothing to remove.
    let mirror = Mirror::new(
        Scope::of_roots(&options.inputs),
        rerun && !options.keep_missing,
    );
    let mut consumer = Consumer::new(
        &store,
        writer,
        preparer,
        mirror,
        storyteller,
        options.commit_interval,
    );
    let complete = pipeline::run(options, threads, preparer, &mut consumer, on_progress)?;
    let mut report = consumer.finish(complete)?;
    report.documents = store.index.reader()?.searcher().num_docs();
    Ok(report)
}

/// Removes the articles of the given files and folders (whether they still exist or not): for
/// when the wrong folder was indexed. A path that matches no article is an error, and then
/// nothing is removed.
pub fn remove(index_dir: &std::path::Path, paths: &[PathBuf]) -> Result<RemoveReport> {
    // Deletes only: no merge for this run. The stories named below are those that a killed
    // run, whose story work is done first, would have left.
    let (_lock, store, mut writer) = settled_writer(index_dir)?;
    let searcher = committed_searcher(&store)?;
    let mut doomed = Vec::new();
    for path in paths {
        let scope = Scope::for_removal(path);
        let ids = mirror::live_ids_in(&searcher, std::slice::from_ref(&scope), |_| true, |_| true)?;
        if ids.is_empty() {
            return Err(Error::NothingIndexedFrom { path: path.clone() });
        }
        doomed.extend(ids);
    }
    doomed.sort_unstable();
    doomed.dedup();
    let mut dirty: Vec<u64> = storying::stories_of(&store.fields, &searcher, &doomed)?
        .into_iter()
        .collect();
    dirty.sort_unstable();
    for id in &doomed {
        writer.delete_term(Term::from_field_text(store.fields.id, id));
    }
    // The stories that lost members may fall apart: regrouped with the default window (the
    // one a run without `--story-window` uses), recorded with the deletes that call for it.
    let work = pending::StoryWork {
        window: crate::stories::DEFAULT_WINDOW_DAYS,
        merged: Vec::new(),
        dirty,
    };
    pending::commit(&mut writer, &work)?;
    storying::settle(&store.fields, &mut writer, work, || {
        committed_searcher(&store)
    })?;
    writer.wait_merging_threads()?;
    Ok(RemoveReport {
        removed: doomed.len() as u64,
        documents: committed_searcher(&store)?.num_docs(),
    })
}

/// Merges all of the index's segments into one. A search opens every segment, and opening one
/// costs about as much as a short query, so an archive that is written once and searched often
/// gains from this; ingest itself leaves a few segments, bounding what one merge holds in
/// memory. Story work a killed run left undone is done first.
pub fn compact(index_dir: &std::path::Path) -> Result<CompactReport> {
    // The one merge asked for below, and no other.
    let (_lock, store, mut writer) = settled_writer(index_dir)?;
    let segments = store.index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
    }
    writer.garbage_collect_files().wait()?;
    writer.wait_merging_threads()?;
    Ok(CompactReport {
        segments_before: segments.len() as u64,
        segments: store.index.searchable_segment_ids()?.len() as u64,
        documents: committed_searcher(&store)?.num_docs(),
    })
}

/// For the runs that change an existing index without reading files (`remove`, `compact`):
/// the lock, the index, and a one-thread writer that merges nothing of its own accord, once
/// the story work a killed run left undone is done.
fn settled_writer(
    index_dir: &std::path::Path,
) -> Result<(writer::WriteLock, schema::Store, tantivy::IndexWriter)> {
    let store = schema::open(index_dir)?;
    let lock = writer::lock(index_dir)?;
    let mut writer: tantivy::IndexWriter = store
        .index
        .writer_with_num_threads(1, merging::MIN_MB_PER_THREAD * 1024 * 1024)
        .map_err(|err| writer::writer_error(index_dir, err))?;
    writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
    if let Some(work) = pending::left_undone(&store.index, index_dir)? {
        storying::settle(&store.fields, &mut writer, work, || {
            committed_searcher(&store)
        })?;
    }
    Ok((lock, store, writer))
}

/// The index as of its last commit.
fn committed_searcher(store: &schema::Store) -> Result<tantivy::Searcher> {
    let reader: tantivy::IndexReader = store
        .index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    Ok(reader.searcher())
}
