//! The single consumer: applies prepared articles in input order, deciding new, replaced,
//! unchanged, duplicate or moved, removes what is gone from the run's roots, and owns the
//! index writer and its commits.

use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;
use tantivy::schema::IndexRecordOption;
use tantivy::{
    DocId, DocSet, IndexReader, IndexWriter, ReloadPolicy, Searcher, SegmentReader, Term,
    TERMINATED,
};

use super::bloom;
use super::merging;
use super::mirror::{Held, Mirror};
use super::pending::{self, StoryWork};
use super::prepared::{generated_id_key, key_of, low_bits, ArticleDoc, Item, Prepared};
use super::report::{Duplicate, IngestReport};
use super::storying::{self, Storyteller};
use super::worker::Preparer;
use crate::error::{Error, Result};
use crate::schema::{self, ContentHashes, Store};

/// An article id as the run remembers it: generated ids (16 lower-case hex digits) in 8 bytes,
/// given ids as written.
enum RunId {
    Generated(u64),
    Given(Box<str>),
}

impl RunId {
    fn new(id: String) -> RunId {
        let generated =
            id.len() == 16 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        match u64::from_str_radix(&id, 16) {
            Ok(value) if generated => RunId::Generated(value),
            _ => RunId::Given(id.into_boxed_str()),
        }
    }

    fn is(&self, id: &str) -> bool {
        match self {
            RunId::Generated(_) => self.to_id() == id,
            RunId::Given(given) => **given == *id,
        }
    }

    fn key(&self) -> u128 {
        match self {
            RunId::Generated(value) => generated_id_key(*value),
            RunId::Given(given) => key_of(given),
        }
    }

    fn to_id(&self) -> String {
        match self {
            RunId::Generated(value) => format!("{value:016x}"),
            RunId::Given(given) => given.to_string(),
        }
    }
}

/// An error reading the index's files.
fn index_error(err: std::io::Error) -> Error {
    Error::Tantivy(err.into())
}

/// A document's value of a text column (`id`, `path`).
fn text_of(segment: &SegmentReader, field: &str, doc: DocId) -> Result<Option<String>> {
    let Some(column) = segment.fast_fields().str(field)? else {
        return Ok(None);
    };
    let mut text = String::new();
    let found = match column.ords().first(doc) {
        Some(ord) => column.ord_to_str(ord, &mut text).map_err(index_error)?,
        None => false,
    };
    Ok(found.then_some(text))
}

/// A searcher from the run's reader (the index as of the last commit it was reloaded at),
/// opened when first needed.
fn searcher_of(reader: &mut Option<IndexReader>, store: &Store) -> Result<Searcher> {
    let reader = match reader {
        Some(reader) => reader,
        // The index opened a second time, for mappings of its own: sharing the writer's, it
        // would keep every page a merge reads resident until the next reload, segments merged
        // away included.
        None => reader.insert(
            schema::open(&store.dir)?
                .index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()?,
        ),
    };
    Ok(reader.searcher())
}

/// In `run_ids`, for an id whose article this run deleted (a later copy of it turned out to
/// duplicate another article): the index may still show it until the next commit. A content
/// hash has this value with a chance of one in 2^64.
const DELETED: u64 = u64::MAX;

/// Articles the run maps may hold before a commit empties them, whatever the commit interval:
/// with the filters below, memory stays bounded however many articles a run reads.
const MAX_UNCOMMITTED: usize = 1 << 18;

/// Applies prepared articles to the index in input order; owns the writer.
pub(super) struct Consumer<'a> {
    store: &'a Store,
    writer: IndexWriter,
    /// Builds the documents workers left unbuilt, and holds what the index held when the run
    /// started.
    preparer: Preparer<'a>,
    report: IngestReport,
    /// Ids written or deleted since the last commit (64 bits of their key), with 64 bits of their
    /// content hash or `DELETED`. Two different ids agreeing in 64 bits would at worst miscount
    /// one as replaced.
    run_ids: FxHashMap<u64, u64>,
    /// Content hashes written since the last commit (all 128 bits: a false match would drop an
    /// article as a duplicate), with their id.
    run_hashes: FxHashMap<u128, RunId>,
    /// What this run wrote before its last commit, by the same 64 bits: the index has it now,
    /// and these filters say which articles need to look there.
    committed_ids: bloom::Filter,
    committed_hashes: bloom::Filter,
    /// The index as of the last commit (or the start of the run), opened when first needed.
    reader: Option<IndexReader>,
    /// What the run met of its roots, to remove what is gone and to tell moves from copies.
    mirror: Mirror,
    /// Which story each written article joins.
    stories: Storyteller,
    /// `MAX_UNCOMMITTED`, but for tests.
    max_uncommitted: usize,
    last_commit: Instant,
    commit_interval: Duration,
}

impl<'a> Consumer<'a> {
    pub(super) fn new(
        store: &'a Store,
        writer: IndexWriter,
        preparer: Preparer<'a>,
        mirror: Mirror,
        stories: Storyteller,
        commit_interval: Duration,
    ) -> Self {
        Consumer {
            mirror,
            stories,
            store,
            writer,
            preparer,
            report: IngestReport::default(),
            run_ids: FxHashMap::default(),
            run_hashes: FxHashMap::default(),
            committed_ids: bloom::Filter::default(),
            committed_hashes: bloom::Filter::default(),
            reader: None,
            max_uncommitted: MAX_UNCOMMITTED,
            last_commit: Instant::now(),
            commit_interval,
        }
    }

    pub(super) fn articles_seen(&self) -> u64 {
        self.report.articles_read()
    }

    pub(super) fn apply(&mut self, item: Item) -> Result<()> {
        match item {
            Item::Rejected(rejection, keep) => {
                self.report.rejected.push(rejection);
                self.mirror.keep(keep);
            }
            // In neither run map: an article confirmed unchanged is treated exactly as one not
            // seen, since it matches what the index held when the run started.
            Item::Unchanged(id_key) => {
                self.report.unchanged += 1;
                self.mirror.seen(id_key);
            }
            Item::Ready(prepared) => self.write(*prepared)?,
        }
        Ok(())
    }

    fn write(&mut self, article: Prepared) -> Result<()> {
        self.mirror.seen(low_bits(article.id_key));
        self.mirror.supersede(article.id_key);
        let id_term = Term::from_field_text(self.store.fields.id, &article.id);
        let previous_in_run = self.written_in_run(&article)?;
        if previous_in_run == Some(low_bits(article.hash)) {
            self.report.unchanged += 1;
            return Ok(());
        }
        let in_index = self.preparer.known.by_id.contains_key(&article.id_key);
        if let Some(original) = self.original_of(&article)? {
            // The same date and text are stored under another id: keep one copy. This id's own
            // older content, if any, is stale now.
            let replaces = in_index || previous_in_run.is_some();
            if replaces {
                self.forget_story(&article.id)?;
                self.writer.delete_term(id_term);
                self.run_ids.insert(low_bits(article.id_key), DELETED);
            }
            return match self.copy_or_move(&original)? {
                Fate::Copy => {
                    self.duplicate(article, original);
                    Ok(())
                }
                Fate::Moved => {
                    self.delete_id(&original)?;
                    self.report.moved += 1;
                    self.add(article)
                }
                Fate::Undecided => {
                    self.mirror.hold(Held {
                        article,
                        original_key: key_of(&original),
                        replaces,
                    });
                    Ok(())
                }
            };
        }
        if in_index || previous_in_run.is_some() {
            self.forget_story(&article.id)?;
            self.writer.delete_term(id_term);
            self.report.replaced += 1;
        } else {
            self.report.indexed += 1;
        }
        self.add(article)
    }

    /// Writes an article's document, in the story of its nearest near-copy.
    fn add(&mut self, article: Prepared) -> Result<()> {
        let mut doc = match article.doc {
            ArticleDoc::Built(doc) => doc,
            ArticleDoc::Deferred(unbuilt) => {
                self.preparer.build(&article.id, &article.path, &unbuilt)
            }
        };
        self.load_stories()?;
        let story = self.stories.assign(
            low_bits(article.id_key),
            article.day,
            article.hash,
            article.signature.as_ref(),
        );
        self.store
            .fields
            .add_story(&mut doc, story, article.signature.as_ref());
        if let Err(err) = self.writer.add_document(doc) {
            // A killed indexing thread leaves only "index writer was killed" here; joining it,
            // which preparing a commit does first, gives its own error (a full disk). The
            // prepared commit is dropped, not committed: the index keeps its last commit.
            return Err(match self.writer.prepare_commit() {
                Err(cause) => cause.into(),
                Ok(_) => err.into(),
            });
        }
        self.run_ids
            .insert(low_bits(article.id_key), low_bits(article.hash));
        self.run_hashes.insert(article.hash, RunId::new(article.id));
        Ok(())
    }

    fn duplicate(&mut self, article: Prepared, original: String) {
        self.report.duplicates += 1;
        self.report.duplicate_articles.push(Duplicate {
            path: article.path,
            line: article.line,
            duplicate_of: original,
        });
    }

    /// Loads the signatures the index held when the run started, the first time they are needed.
    fn load_stories(&mut self) -> Result<()> {
        if self.stories.needs_loading() {
            let searcher = self.searcher()?;
            self.stories.load(&searcher)?;
        }
        Ok(())
    }

    /// Takes the article with this id out of its story, which is regrouped at the end of the run.
    fn forget_story(&mut self, id: &str) -> Result<()> {
        let key = low_bits(key_of(id));
        if self.stories.window().is_none() {
            return Ok(());
        }
        if self.stories.needs_loading() {
            let searcher = self.searcher()?;
            let fields = self.store.fields;
            let id = id.to_string();
            return self.stories.forget(key, || {
                Ok(storying::stories_of(&fields, &searcher, &[id])?
                    .into_iter()
                    .next())
            });
        }
        self.stories.forget(key, || Ok(None))
    }

    /// Deletes the stored article with this id, which the run has not met.
    fn delete_id(&mut self, id: &str) -> Result<()> {
        self.forget_story(id)?;
        let key = key_of(id);
        self.writer
            .delete_term(Term::from_field_text(self.store.fields.id, id));
        self.run_ids.insert(low_bits(key), DELETED);
        self.mirror.seen(low_bits(key));
        Ok(())
    }

    /// Whether an article with the same content as the stored `original` is a copy of it, or
    /// the same article moved: `original` was stored before the run, has not been met since,
    /// and its source is gone. Where the run may still meet it (a source in the run's roots
    /// that is still there), the answer waits for the end of the run.
    fn copy_or_move(&mut self, original: &str) -> Result<Fate> {
        let key = key_of(original);
        if !self.mirror.is_active()
            || !self.preparer.known.by_id.contains_key(&key)
            || self.mirror.has_seen(low_bits(key))
        {
            return Ok(Fate::Copy);
        }
        let Some(source) = self.live_source_of(original)? else {
            return Ok(Fate::Copy);
        };
        match std::fs::metadata(&source) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Fate::Moved),
            Ok(_) if self.mirror.covers(&source) => Ok(Fate::Undecided),
            _ => Ok(Fate::Copy),
        }
    }

    /// The content (64 bits of its hash) this run has left under the article's id, if the run
    /// wrote that id before.
    fn written_in_run(&mut self, article: &Prepared) -> Result<Option<u64>> {
        match self.run_ids.get(&low_bits(article.id_key)) {
            Some(&DELETED) => return Ok(None),
            Some(&hash) => return Ok(Some(hash)),
            None => {}
        }
        if !self.committed_ids.may_contain(low_bits(article.id_key)) {
            return Ok(None);
        }
        // Written and committed (or a false "maybe", which finds what the run started with,
        // and that is treated alike).
        Ok(self.live_hash_of(&article.id)?.map(low_bits))
    }

    /// The id of an article with the same content under another id, if one is still live.
    fn original_of(&mut self, article: &Prepared) -> Result<Option<String>> {
        if let Some(id) = self.run_hashes.get(&article.hash) {
            // Written since the last commit, and still live only if not replaced or dropped.
            let still_live = self.run_ids.get(&low_bits(id.key())) == Some(&low_bits(article.hash));
            if still_live && !id.is(&article.id) {
                return Ok(Some(id.to_id()));
            }
        }
        if !self.preparer.known.may_hold_content(article.hash)
            && !self.committed_hashes.may_contain(low_bits(article.hash))
        {
            // Nothing stored with this content when the run started, nor committed since.
            return Ok(None);
        }
        let Some(stored) = self.live_id_with_hash(article.hash)? else {
            return Ok(None);
        };
        let stored_key = key_of(&stored);
        let replaced_since = self
            .run_ids
            .get(&low_bits(stored_key))
            .is_some_and(|hash| *hash != low_bits(article.hash));
        if stored_key == article.id_key || replaced_since {
            return Ok(None);
        }
        Ok(Some(stored))
    }

    /// The index as of the last commit.
    fn searcher(&mut self) -> Result<Searcher> {
        searcher_of(&mut self.reader, self.store)
    }

    /// The first live article found by a term that `read` gives a value for, and that value.
    /// Read from the postings and the columns, not the document store: a stored document means
    /// decompressing its whole block, and a re-run looks up every duplicate it meets again.
    fn first_live<T>(
        &mut self,
        term: &Term,
        mut read: impl FnMut(&SegmentReader, DocId) -> Result<Option<T>>,
    ) -> Result<Option<T>> {
        let searcher = self.searcher()?;
        for segment in searcher.segment_readers() {
            let Some(mut postings) = segment
                .inverted_index(term.field())?
                .read_postings(term, IndexRecordOption::Basic)
                .map_err(index_error)?
            else {
                continue;
            };
            let alive = segment.alive_bitset();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|bits| bits.is_alive(doc)) {
                    if let Some(value) = read(segment, doc)? {
                        return Ok(Some(value));
                    }
                }
                doc = postings.advance();
            }
        }
        Ok(None)
    }

    /// The id of a live article with this content hash, as of the last commit.
    fn live_id_with_hash(&mut self, hash: u128) -> Result<Option<String>> {
        let term = self.store.fields.hash_term(hash);
        self.first_live(&term, |segment, doc| {
            if ContentHashes::open(segment)?.get(doc) != Some(hash) {
                return Ok(None);
            }
            text_of(segment, schema::ID, doc)
        })
    }

    /// The source (stable identity) of the live article with this id, as of the last commit.
    fn live_source_of(&mut self, id: &str) -> Result<Option<String>> {
        let term = Term::from_field_text(self.store.fields.id, id);
        self.first_live(&term, |segment, doc| text_of(segment, schema::PATH, doc))
    }

    /// The content hash of the live article with this id, as of the last commit.
    fn live_hash_of(&mut self, id: &str) -> Result<Option<u128>> {
        let term = Term::from_field_text(self.store.fields.id, id);
        self.first_live(&term, |segment, doc| {
            Ok(ContentHashes::open(segment)?.get(doc))
        })
    }

    pub(super) fn maybe_commit(&mut self) -> Result<()> {
        if self.last_commit.elapsed() >= self.commit_interval
            || self.run_hashes.len() >= self.max_uncommitted
            || self.run_ids.len() >= self.max_uncommitted
        {
            self.commit()?;
        }
        Ok(())
    }

    /// Commits, with the story work the run leaves to do so far, then hands what the run maps
    /// held over to the filters: the index has it now.
    fn commit(&mut self) -> Result<()> {
        pending::commit(&mut self.writer, &self.stories.work())?;
        self.last_commit = Instant::now();
        for (&id, _) in self.run_ids.iter() {
            self.committed_ids.insert(id);
        }
        for (&hash, _) in self.run_hashes.iter() {
            self.committed_hashes.insert(low_bits(hash));
        }
        // Cleared, not dropped: the next articles reuse the room.
        self.run_ids.clear();
        self.run_hashes.clear();
        if let Some(reader) = &self.reader {
            reader.reload()?;
        }
        Ok(())
    }

    /// Ends the run: removes what is gone from its roots (only after a `complete` walk),
    /// settles the articles whose fate waited for that, and commits.
    pub(super) fn finish(mut self, complete: bool) -> Result<IngestReport> {
        let mut removed = rustc_hash::FxHashSet::default();
        if !complete {
            self.report.interrupted = true;
        } else if self.mirror.is_active() {
            let searcher = self.searcher()?;
            for id in self.mirror.gone(&searcher)? {
                removed.insert(low_bits(key_of(&id)));
                self.delete_id(&id)?;
                self.report.removed += 1;
            }
        }
        for held in self.mirror.take_held() {
            self.settle(held, &removed)?;
        }
        let work = self.stories.take_work();
        pending::commit(&mut self.writer, &work)?;
        self.settle_stories(work)?;
        self.writer.wait_merging_threads()?;
        // A cancelled run exits as soon as its work is safe.
        if complete {
            merging::consolidate(self.store)?;
        }
        Ok(self.report)
    }

    /// Once the run is committed: moves the articles of stories merged into others, then
    /// regroups the stories that lost members.
    fn settle_stories(&mut self, work: StoryWork) -> Result<()> {
        let Consumer {
            store,
            writer,
            reader,
            ..
        } = self;
        storying::settle(&store.fields, writer, work, || {
            if let Some(reader) = reader {
                reader.reload()?;
            }
            searcher_of(reader, store)
        })
    }

    /// Decides a held article once the run has met all it will: a copy if its original (or
    /// another article with its content) is still stored, else written, as a move if the
    /// original was removed as gone.
    fn settle(&mut self, held: Held, removed: &rustc_hash::FxHashSet<u64>) -> Result<()> {
        let Held {
            article,
            original_key,
            replaces,
        } = held;
        if let Some(original) = self.original_of(&article)? {
            self.duplicate(article, original);
            return Ok(());
        }
        if removed.contains(&low_bits(original_key)) {
            self.report.moved += 1;
            self.report.removed -= 1;
        } else if replaces {
            self.report.replaced += 1;
        } else {
            self.report.indexed += 1;
        }
        self.add(article)
    }
}

/// What an article with the content of another stored article is.
enum Fate {
    /// A second copy: stored once, reported as a duplicate.
    Copy,
    /// The same article under a new name: the old one goes, the new one is written.
    Moved,
    /// Not known until the run has met all it will.
    Undecided,
}

#[cfg(test)]
mod tests {
    use super::{Consumer, RunId};
    use crate::ingest::known::Known;
    use crate::ingest::mirror::Mirror;
    use crate::ingest::prepared::{key_of, ArticleDoc, Item, Prepared};
    use crate::ingest::worker::Preparer;
    use crate::schema::{self, ContentHashes, NewDocument, Store};

    fn article(store: &Store, id: &str, hash: u128) -> Item {
        let doc = store.fields.to_document(&NewDocument {
            id,
            hash,
            path: "feed.jsonl",
            date: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            title: id,
            body: "text",
            entities: &[],
            url: None,
            source: None,
            source_size: None,
            source_mtime: None,
        });
        Item::Ready(Box::new(Prepared {
            id: id.to_string(),
            id_key: key_of(id),
            hash,
            path: "feed.jsonl".to_string(),
            line: None,
            doc: ArticleDoc::Built(doc),
            day: 0,
            signature: None,
        }))
    }

    /// What a run decided: (indexed, replaced, unchanged, duplicates), the originals the
    /// duplicates were found to copy, and the (id, content) pairs the index holds after it.
    type Outcome = ((u64, u64, u64, u64), Vec<String>, Vec<(String, u128)>);

    /// Runs (id, content) pairs through a consumer that commits after every `commit_every`
    /// articles.
    fn run(commit_every: usize, articles: &[(&str, u128)]) -> Outcome {
        let dir = tempfile::tempdir().unwrap();
        let store = schema::create(dir.path()).unwrap();
        let writer = store.index.writer_with_num_threads(1, 15_000_000).unwrap();
        let known = Known::default();
        let preparer = Preparer {
            fields: store.fields,
            known: &known,
            extractor: None,
            stories: true,
        };
        let mut consumer = Consumer::new(
            &store,
            writer,
            preparer,
            Mirror::default(),
            crate::ingest::storying::Storyteller::new(Some(7), true),
            std::time::Duration::MAX,
        );
        consumer.max_uncommitted = commit_every;
        for &(id, hash) in articles {
            consumer.apply(article(&store, id, hash)).unwrap();
            consumer.maybe_commit().unwrap();
        }
        let report = consumer.finish(true).unwrap();
        let searcher = store.index.reader().unwrap().searcher();
        let mut stored = Vec::new();
        for segment in searcher.segment_readers() {
            let ids = segment.fast_fields().str(schema::ID).unwrap().unwrap();
            let hashes = ContentHashes::open(segment).unwrap();
            for doc in segment.doc_ids_alive() {
                let mut id = String::new();
                let ord = ids.ords().first(doc).unwrap();
                ids.ord_to_str(ord, &mut id).unwrap();
                stored.push((id, hashes.get(doc).unwrap()));
            }
        }
        stored.sort();
        let duplicates_of = report
            .duplicate_articles
            .iter()
            .map(|d| d.duplicate_of.clone())
            .collect();
        (
            (
                report.indexed,
                report.replaced,
                report.unchanged,
                report.duplicates,
            ),
            duplicates_of,
            stored,
        )
    }

    #[test]
    fn commits_in_the_middle_of_a_run_change_no_decision() {
        let articles = [
            ("x", 1),
            ("x", 2), // replaces x
            ("y", 1), // x no longer holds 1: a new article
            ("x", 2), // unchanged
            ("z", 2), // duplicate of x
            ("w", 3),
            ("w", 3), // unchanged
            ("v", 4),
            ("u", 4), // duplicate of v
            ("v", 5), // replaces v
            ("t", 4), // v no longer holds 4, u was never stored: a new article
            ("v", 4), // duplicate of t: v's own content is dropped
            ("s", 5), // nobody holds 5 any more: a new article
        ];
        let expected = (
            (6, 2, 2, 3),
            vec!["x".to_string(), "v".to_string(), "t".to_string()],
            vec![
                ("s".to_string(), 5),
                ("t".to_string(), 4),
                ("w".to_string(), 3),
                ("x".to_string(), 2),
                ("y".to_string(), 1),
            ],
        );
        for commit_every in [usize::MAX, 1, 2, 3] {
            assert_eq!(
                run(commit_every, &articles),
                expected,
                "commit every {commit_every}"
            );
        }
    }

    #[test]
    fn contents_sharing_the_looked_up_half_of_their_hash_are_not_duplicates() {
        let twin = 7 | 1 << 64;
        let articles = [("a", 7), ("b", twin), ("c", twin), ("d", 7)];
        for commit_every in [usize::MAX, 1] {
            let ((indexed, _, _, duplicates), originals, stored) = run(commit_every, &articles);
            assert_eq!((indexed, duplicates), (2, 2), "commit every {commit_every}");
            assert_eq!(originals, ["b", "a"], "commit every {commit_every}");
            assert_eq!(
                stored,
                [("a".to_string(), 7), ("b".to_string(), twin)],
                "commit every {commit_every}"
            );
        }
    }

    #[test]
    fn run_ids_give_back_the_id_they_were_made_from() {
        for id in [
            "0123456789abcdef",
            "00000000000000ff",
            "0123456789ABCDEF",
            "+123456789abcdef",
            "0123456789abcde",
            "wire-2025-01-20-pentagon",
            "",
        ] {
            let kept = RunId::new(id.to_string());
            assert_eq!(kept.to_id(), id);
            assert!(kept.is(id), "{id}");
            assert!(!kept.is("fedcba9876543210"), "{id}");
        }
        assert!(matches!(
            RunId::new("0123456789abcdef".into()),
            RunId::Generated(_)
        ));
        assert!(matches!(
            RunId::new("+123456789abcdef".into()),
            RunId::Given(_)
        ));
        assert!(std::mem::size_of::<RunId>() <= 16);
    }
}
