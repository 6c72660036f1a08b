//! Ingest: walk -> read and parse -> extract entities (parallel) -> one index writer; upsert, dedup, commit, report.
//!
//! Files are handed out in sorted order to worker threads and their results are applied in that
//! same order, so which copy of a duplicate is kept, and the order of the report, never depend
//! on thread timing. Workers skip files the index already holds unchanged (same size and
//! modification time, or same content); the single consumer decides new / replaced /
//! duplicate and owns the writer.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, UNIX_EPOCH};

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::columnar::StrColumn;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexWriter, TantivyDocument, Term};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

use crate::article::{decode_text, parse_dated_text, parse_json_line, Article};
use crate::entities::Extractor;
use crate::error::{Error, Result};
use crate::schema::{self, Fields, NewDocument, Store};
use crate::sources::{walk, Format, Found};

/// The largest article (a whole dated file, or one JSON line) that is read.
pub const MAX_ARTICLE_BYTES: u64 = 32 * 1024 * 1024;
/// How many JSON lines a worker hands over at a time, at most,
const JSON_BATCH: usize = 512;
/// and how many bytes of them.
const JSON_BATCH_BYTES: usize = 1 << 20;
/// How far (in files) workers may run ahead of the writer; bounds memory.
const WINDOW: u64 = 256;
/// Batches a JSON Lines file may send before it is the one being written.
const JSON_BATCHES_AHEAD: usize = 4;
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub path: String,
    pub line: Option<u64>,
    pub reason: String,
}

/// An article not stored because the same date and text are already indexed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    pub path: String,
    pub line: Option<u64>,
    pub duplicate_of: String,
}

/// The outcome of an ingest run.
#[derive(Debug, Clone, Default, Serialize)]
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
    pub files: u64,
    pub elapsed: Duration,
}

/// Flow control between the consumer and the workers.
#[derive(Default)]
struct Flow {
    /// Inputs (by sequence number) fully applied by the consumer.
    applied: AtomicU64,
    /// Set when the consumer stops, normally or not: workers give up.
    stop: AtomicBool,
}

impl Flow {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Acquire)
    }

    /// Waits until input `seq` is fewer than `ahead` inputs past the last one applied;
    /// false if the run stopped meanwhile.
    fn wait_until_within(&self, seq: u64, ahead: u64) -> bool {
        while seq >= self.applied.load(Ordering::Acquire) + ahead {
            if self.stopped() {
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        !self.stopped()
    }
}

struct StopOnDrop<'a>(&'a Flow);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.stop.store(true, Ordering::Release);
    }
}

/// What the index already held when the run started.
#[derive(Default)]
struct Known {
    by_id: HashMap<u128, KnownArticle>,
    by_hash: HashMap<u128, u128>,
}

struct KnownArticle {
    hash: u128,
    source_size: Option<u64>,
    source_mtime: Option<i64>,
}

/// An article ready to be written, prepared by a worker.
struct Prepared {
    id: String,
    id_key: u128,
    hash: u128,
    path: String,
    line: Option<u64>,
    doc: TantivyDocument,
}

enum Item {
    Ready(Box<Prepared>),
    Unchanged {
        id: String,
        id_key: u128,
        hash: u128,
    },
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

fn parse_hash(hex: &str) -> Option<u128> {
    u128::from_str_radix(hex, 16).ok()
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
    let indexing_threads = threads
        .min(options.memory_mb / MIN_MB_PER_THREAD)
        .clamp(1, 8);
    let budget = options.memory_mb.max(MIN_MB_PER_THREAD) * 1024 * 1024;
    let writer: IndexWriter = store
        .index
        .writer_with_num_threads(indexing_threads, budget)
        .map_err(|err| writer_error(&store, err))?;
    if options.rebuild {
        writer.delete_all_documents()?;
    }
    let known = if options.rebuild {
        Known::default()
    } else {
        load_known(&store)?
    };
    let mut consumer = Consumer {
        store: &store,
        writer,
        known: &known,
        report: IngestReport::default(),
        run_ids: HashMap::new(),
        run_hashes: HashMap::new(),
        last_commit: Instant::now(),
        commit_interval: options.commit_interval,
        start_searcher: None,
    };
    let extractor = options.extract_entities.then(Extractor::shared);
    let flow = Flow::default();
    std::thread::scope(|scope| -> Result<()> {
        // Whatever way this closure ends, waiting workers must not wait forever.
        let _stop_workers = StopOnDrop(&flow);
        let (job_tx, job_rx) = crossbeam_channel::bounded::<(u64, Found)>(threads * 4);
        let (batch_tx, batch_rx) = crossbeam_channel::bounded::<Batch>(threads * 16);
        let flow = &flow;
        scope.spawn(move || {
            for (seq, found) in walk(&options.inputs, Some(&options.index_dir)).enumerate() {
                if flow.stopped() || job_tx.send((seq as u64, found)).is_err() {
                    break;
                }
            }
        });
        for _ in 0..threads {
            let job_rx = job_rx.clone();
            let batch_tx = batch_tx.clone();
            let worker = Worker {
                fields: store.fields,
                known: &known,
                extractor,
                flow,
            };
            scope.spawn(move || {
                for (seq, found) in job_rx {
                    if !flow.wait_until_within(seq, WINDOW)
                        || !worker.process(seq, found, &batch_tx)
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
                consumer.report.interrupted = true;
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
                    flow.applied.store(next, Ordering::Release);
                }
            }
            consumer.maybe_commit()?;
            if last_tick.elapsed() >= Duration::from_millis(100) {
                last_tick = Instant::now();
                on_progress(Progress {
                    articles: consumer.articles_seen(),
                    files: next,
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

/// Reads the id, content hash and source file metadata of every live article.
fn load_known(store: &Store) -> Result<Known> {
    let searcher = store.index.reader()?.searcher();
    let mut known = Known::default();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let (Some(ids), Some(hashes)) = (fast.str(schema::ID)?, fast.str("hash")?) else {
            continue;
        };
        let id_keys = dictionary_values(&ids, xxh3_128)?;
        let hash_values = dictionary_values(&hashes, |bytes| {
            std::str::from_utf8(bytes)
                .ok()
                .and_then(parse_hash)
                .unwrap_or_default()
        })?;
        let sizes = fast.u64("source_size")?;
        let mtimes = fast.i64("source_mtime")?;
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|bits| !bits.is_alive(doc)) {
                continue;
            }
            let (Some(id_ord), Some(hash_ord)) = (ids.ords().first(doc), hashes.ords().first(doc))
            else {
                continue;
            };
            let id_key = id_keys[id_ord as usize];
            let hash = hash_values[hash_ord as usize];
            known.by_hash.insert(hash, id_key);
            known.by_id.insert(
                id_key,
                KnownArticle {
                    hash,
                    source_size: sizes.first(doc),
                    source_mtime: mtimes.first(doc),
                },
            );
        }
    }
    Ok(known)
}

/// Maps every term of a fast-field dictionary, in ordinal order.
fn dictionary_values<T>(column: &StrColumn, map: impl Fn(&[u8]) -> T) -> Result<Vec<T>> {
    let dictionary = column.dictionary();
    let mut values = Vec::with_capacity(dictionary.num_terms());
    let mut stream = dictionary
        .stream()
        .map_err(|err| Error::Tantivy(err.into()))?;
    while stream.advance() {
        values.push(map(stream.key()));
    }
    Ok(values)
}

/// Reads, parses and prepares one input on a worker thread.
struct Worker<'a> {
    fields: Fields,
    known: &'a Known,
    extractor: Option<&'static Extractor>,
    flow: &'a Flow,
}

struct SourceFile {
    /// Canonical absolute path: the stable identity of a file.
    path: String,
    size: u64,
    mtime: Option<i64>,
}

impl Worker<'_> {
    /// Returns false when the consumer has gone away.
    fn process(&self, seq: u64, found: Found, out: &crossbeam_channel::Sender<Batch>) -> bool {
        let send = |items: Vec<Item>, last: bool| out.send(Batch { seq, items, last }).is_ok();
        let display = |path: &Path| path.to_string_lossy().into_owned();
        match found {
            Found::Unreadable { path, reason } => send(
                vec![Item::Rejected(Rejection {
                    path: display(&path),
                    line: None,
                    reason,
                })],
                true,
            ),
            Found::File {
                path,
                identity,
                format,
            } => {
                let source = match describe(&path, &identity) {
                    Ok(source) => source,
                    Err(reason) => {
                        let rejection = Rejection {
                            path: display(&path),
                            line: None,
                            reason,
                        };
                        return send(vec![Item::Rejected(rejection)], true);
                    }
                };
                match format {
                    Format::DatedText => send(vec![self.dated_file(&path, source)], true),
                    Format::JsonLines => {
                        // A file ahead of the one being written may stream only a few batches,
                        // so memory stays bounded however long the file is.
                        let mut sent = 0;
                        self.json_file(&path, &source, |items| {
                            sent += 1;
                            (sent <= JSON_BATCHES_AHEAD || self.flow.wait_until_within(seq, 1))
                                && send(items, false)
                        }) && send(Vec::new(), true)
                    }
                }
            }
        }
    }

    fn dated_file(&self, path: &Path, source: SourceFile) -> Item {
        let id = format!("{:016x}", xxh3_64(source.path.as_bytes()));
        let id_key = key_of(&id);
        let known = self.known.by_id.get(&id_key);
        if let Some(known) = known {
            if known.source_size == Some(source.size)
                && known.source_mtime.is_some()
                && known.source_mtime == source.mtime
            {
                return Item::Unchanged {
                    id,
                    id_key,
                    hash: known.hash,
                };
            }
        }
        let rejected = |reason: String| {
            Item::Rejected(Rejection {
                path: path.to_string_lossy().into_owned(),
                line: None,
                reason,
            })
        };
        if source.size > MAX_ARTICLE_BYTES {
            return rejected(format!(
                "file is {:.1} MB, over the {} MB limit for one article",
                source.size as f64 / 1e6,
                MAX_ARTICLE_BYTES / (1024 * 1024)
            ));
        }
        let bytes = match read_limited(path) {
            Ok(bytes) => bytes,
            Err(err) => return rejected(format!("cannot read: {err}")),
        };
        let article = match decode_text(&bytes).and_then(|text| parse_dated_text(&text)) {
            Ok(article) => article,
            Err(err) => return rejected(err.0),
        };
        let hash = article.content_hash();
        if known.is_some_and(|known| known.hash == hash) {
            return Item::Unchanged { id, id_key, hash };
        }
        Item::Ready(Box::new(self.prepare(
            id,
            &article,
            &source,
            None,
            Some(&source),
        )))
    }

    /// Streams a JSON Lines file in batches; returns false when the consumer has gone away.
    fn json_file(
        &self,
        path: &Path,
        source: &SourceFile,
        mut send: impl FnMut(Vec<Item>) -> bool,
    ) -> bool {
        let display = path.to_string_lossy().into_owned();
        let rejected = |line: Option<u64>, reason: String| {
            Item::Rejected(Rejection {
                path: display.clone(),
                line,
                reason,
            })
        };
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(err) => return send(vec![rejected(None, format!("cannot read: {err}"))]),
        };
        let mut reader = BufReader::new(file);
        let mut batch = Vec::with_capacity(JSON_BATCH);
        let mut batch_bytes = 0;
        let mut buffer = Vec::new();
        let mut line_number = 0u64;
        loop {
            buffer.clear();
            line_number += 1;
            let read = (&mut reader)
                .take(MAX_ARTICLE_BYTES + 1)
                .read_until(b'\n', &mut buffer);
            match read {
                Ok(0) => break,
                Ok(_) => {}
                Err(err) => {
                    batch.push(rejected(Some(line_number), format!("cannot read: {err}")));
                    break;
                }
            }
            let item = if buffer.len() as u64 > MAX_ARTICLE_BYTES {
                // Skip the rest of an over-long line without holding it in memory.
                while !buffer.ends_with(b"\n") {
                    buffer.clear();
                    match (&mut reader).take(1 << 20).read_until(b'\n', &mut buffer) {
                        Ok(0) | Err(_) => break,
                        Ok(_) => {}
                    }
                }
                Some(rejected(
                    Some(line_number),
                    format!(
                        "line is over the {} MB limit for one article",
                        MAX_ARTICLE_BYTES / (1024 * 1024)
                    ),
                ))
            } else {
                match decode_text(&buffer).and_then(|text| parse_json_line(&text)) {
                    Ok(None) => None,
                    Ok(Some(article)) => Some(self.json_article(article, source, line_number)),
                    Err(err) => Some(rejected(Some(line_number), err.0)),
                }
            };
            if let Some(item) = item {
                batch.push(item);
                batch_bytes += buffer.len();
            }
            if batch.len() >= JSON_BATCH || batch_bytes >= JSON_BATCH_BYTES {
                batch_bytes = 0;
                if !send(std::mem::take(&mut batch)) {
                    return false;
                }
            }
        }
        batch.is_empty() || send(batch)
    }

    fn json_article(&self, article: Article, source: &SourceFile, line: u64) -> Item {
        let id = match &article.given_id {
            Some(id) => id.clone(),
            None => format!(
                "{:016x}",
                xxh3_64(format!("{}#{line}", source.path).as_bytes())
            ),
        };
        let id_key = key_of(&id);
        let hash = article.content_hash();
        if self
            .known
            .by_id
            .get(&id_key)
            .is_some_and(|known| known.hash == hash)
        {
            return Item::Unchanged { id, id_key, hash };
        }
        Item::Ready(Box::new(self.prepare(
            id,
            &article,
            source,
            Some(line),
            None,
        )))
    }

    fn prepare(
        &self,
        id: String,
        article: &Article,
        source: &SourceFile,
        line: Option<u64>,
        file: Option<&SourceFile>,
    ) -> Prepared {
        let entities = match self.extractor {
            Some(extractor) => extractor.extract(&article.title, &article.body),
            None => Vec::new(),
        };
        let hash = article.content_hash();
        let hash_hex = format!("{hash:032x}");
        let doc = self.fields.to_document(&NewDocument {
            id: &id,
            hash: &hash_hex,
            path: &source.path,
            date: article.date,
            title: &article.title,
            body: &article.body,
            entities: &entities,
            url: article.url.as_deref(),
            source: article.source.as_deref(),
            source_size: file.map(|f| f.size),
            source_mtime: file.and_then(|f| f.mtime),
        });
        Prepared {
            id_key: key_of(&id),
            id,
            hash,
            path: source.path.clone(),
            line,
            doc,
        }
    }
}

fn describe(path: &Path, identity: &Path) -> std::result::Result<SourceFile, String> {
    let metadata = std::fs::metadata(path).map_err(|err| format!("cannot read: {err}"))?;
    let mtime = metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .and_then(|since| i64::try_from(since.as_nanos()).ok());
    Ok(SourceFile {
        path: identity.to_string_lossy().into_owned(),
        size: metadata.len(),
        mtime,
    })
}

fn read_limited(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_ARTICLE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Applies prepared articles to the index in input order; owns the writer.
struct Consumer<'a> {
    store: &'a Store,
    writer: IndexWriter,
    known: &'a Known,
    report: IngestReport,
    /// Ids written or confirmed in this run, with their content hash.
    run_ids: HashMap<u128, u128>,
    /// Content hashes written or confirmed in this run, with their id.
    run_hashes: HashMap<u128, String>,
    last_commit: Instant,
    commit_interval: Duration,
    start_searcher: Option<tantivy::Searcher>,
}

impl Consumer<'_> {
    fn articles_seen(&self) -> u64 {
        let r = &self.report;
        r.indexed + r.replaced + r.unchanged + r.duplicates
    }

    fn apply(&mut self, item: Item) -> Result<()> {
        match item {
            Item::Rejected(rejection) => self.report.rejected.push(rejection),
            Item::Unchanged { id, id_key, hash } => {
                self.report.unchanged += 1;
                self.run_ids.insert(id_key, hash);
                self.run_hashes.entry(hash).or_insert(id);
            }
            Item::Ready(prepared) => self.write(*prepared)?,
        }
        Ok(())
    }

    fn write(&mut self, article: Prepared) -> Result<()> {
        let id_term = Term::from_field_text(self.store.fields.id, &article.id);
        let previous_in_run = self.run_ids.get(&article.id_key).copied();
        if previous_in_run == Some(article.hash) {
            self.report.unchanged += 1;
            return Ok(());
        }
        let in_index = self.known.by_id.contains_key(&article.id_key);
        if let Some(original) = self.original_of(&article)? {
            // The same date and text are stored under another id: keep one copy. This id's own
            // older content, if any, is stale now.
            if in_index || previous_in_run.is_some() {
                self.writer.delete_term(id_term);
                self.run_ids.remove(&article.id_key);
            }
            self.report.duplicates += 1;
            self.report.duplicate_articles.push(Duplicate {
                path: article.path,
                line: article.line,
                duplicate_of: original,
            });
            return Ok(());
        }
        if in_index || previous_in_run.is_some() {
            self.writer.delete_term(id_term);
            self.report.replaced += 1;
        } else {
            self.report.indexed += 1;
        }
        self.writer.add_document(article.doc)?;
        self.run_ids.insert(article.id_key, article.hash);
        self.run_hashes.insert(article.hash, article.id);
        Ok(())
    }

    /// The id of an article with the same content under another id, if one is still live.
    fn original_of(&mut self, article: &Prepared) -> Result<Option<String>> {
        if let Some(id) = self.run_hashes.get(&article.hash) {
            if *id != article.id {
                return Ok(Some(id.clone()));
            }
        }
        let Some(&other_key) = self.known.by_hash.get(&article.hash) else {
            return Ok(None);
        };
        let replaced_since = self
            .run_ids
            .get(&other_key)
            .is_some_and(|hash| *hash != article.hash);
        if other_key == article.id_key || replaced_since {
            return Ok(None);
        }
        self.stored_id_with_hash(article.hash)
    }

    fn stored_id_with_hash(&mut self, hash: u128) -> Result<Option<String>> {
        // What the index held when the run started, opened once and only if needed.
        if self.start_searcher.is_none() {
            self.start_searcher = Some(self.store.index.reader()?.searcher());
        }
        let Some(searcher) = &self.start_searcher else {
            return Ok(None);
        };
        let term = Term::from_field_text(self.store.fields.hash, &format!("{hash:032x}"));
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let hits = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, address)) = hits.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(*address)?;
        Ok(doc
            .get_first(self.store.fields.id)
            .and_then(|value| value.as_str())
            .map(str::to_string))
    }

    fn maybe_commit(&mut self) -> Result<()> {
        if self.last_commit.elapsed() >= self.commit_interval {
            self.writer.commit()?;
            self.last_commit = Instant::now();
        }
        Ok(())
    }

    fn finish(mut self) -> Result<IngestReport> {
        self.writer.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(self.report)
    }
}
