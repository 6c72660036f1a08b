//! The single consumer: applies prepared articles in input order, deciding new, replaced,
//! unchanged or duplicate, and owns the index writer and its commits.

use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::known::Known;
use super::{generated_id_key, key_of, Duplicate, IngestReport, Item, Prepared};
use crate::error::Result;
use crate::schema::Store;

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

/// The 64 bits of a 128-bit key or hash that the run maps keep.
fn short(value: u128) -> u64 {
    value as u64
}

/// Applies prepared articles to the index in input order; owns the writer.
pub(super) struct Consumer<'a> {
    store: &'a Store,
    writer: IndexWriter,
    known: &'a Known,
    report: IngestReport,
    /// Ids written in this run (64 bits of their key), with 64 bits of their content hash.
    /// These maps hold an entry per article of the run, so each entry is kept small: two
    /// different ids agreeing in 64 bits would at worst miscount one of them as replaced.
    run_ids: FxHashMap<u64, u64>,
    /// Content hashes written or confirmed in this run (all 128 bits: a false match would drop
    /// an article as a duplicate), with their id.
    run_hashes: FxHashMap<u128, RunId>,
    last_commit: Instant,
    commit_interval: Duration,
    start_searcher: Option<tantivy::Searcher>,
}

impl<'a> Consumer<'a> {
    pub(super) fn new(
        store: &'a Store,
        writer: IndexWriter,
        known: &'a Known,
        commit_interval: Duration,
    ) -> Self {
        Consumer {
            store,
            writer,
            known,
            report: IngestReport::default(),
            run_ids: FxHashMap::default(),
            run_hashes: FxHashMap::default(),
            last_commit: Instant::now(),
            commit_interval,
            start_searcher: None,
        }
    }

    /// Marks the run as cancelled before all input was read.
    pub(super) fn interrupted(&mut self) {
        self.report.interrupted = true;
    }

    pub(super) fn articles_seen(&self) -> u64 {
        let r = &self.report;
        r.indexed + r.replaced + r.unchanged + r.duplicates
    }

    pub(super) fn apply(&mut self, item: Item) -> Result<()> {
        match item {
            Item::Rejected(rejection) => self.report.rejected.push(rejection),
            // In neither run map: an article confirmed unchanged is treated exactly as one not
            // seen, since it matches what the index held when the run started.
            Item::Unchanged => self.report.unchanged += 1,
            Item::Ready(prepared) => self.write(*prepared)?,
        }
        Ok(())
    }

    fn write(&mut self, article: Prepared) -> Result<()> {
        let id_term = Term::from_field_text(self.store.fields.id, &article.id);
        let previous_in_run = self.run_ids.get(&short(article.id_key)).copied();
        if previous_in_run == Some(short(article.hash)) {
            self.report.unchanged += 1;
            return Ok(());
        }
        let in_index = self.known.by_id.contains_key(&article.id_key);
        if let Some(original) = self.original_of(&article)? {
            // The same date and text are stored under another id: keep one copy. This id's own
            // older content, if any, is stale now.
            if in_index || previous_in_run.is_some() {
                self.writer.delete_term(id_term);
                self.run_ids.remove(&short(article.id_key));
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
        self.run_ids
            .insert(short(article.id_key), short(article.hash));
        self.run_hashes.insert(article.hash, RunId::new(article.id));
        Ok(())
    }

    /// The id of an article with the same content under another id, if one is still live.
    fn original_of(&mut self, article: &Prepared) -> Result<Option<String>> {
        if let Some(id) = self.run_hashes.get(&article.hash) {
            // Written earlier in the run, and still live only if not replaced or dropped since.
            let still_live = self.run_ids.get(&short(id.key())) == Some(&short(article.hash));
            if still_live && !id.is(&article.id) {
                return Ok(Some(id.to_id()));
            }
        }
        if self.known.by_id.is_empty() {
            // Nothing was stored when the run started (or the run rebuilds the index).
            return Ok(None);
        }
        let Some(stored) = self.stored_id_with_hash(article.hash)? else {
            return Ok(None);
        };
        let stored_key = key_of(&stored);
        let replaced_since = self
            .run_ids
            .get(&short(stored_key))
            .is_some_and(|hash| *hash != short(article.hash));
        if stored_key == article.id_key || replaced_since {
            return Ok(None);
        }
        Ok(Some(stored))
    }

    /// The id of an article stored with this content hash when the run started.
    fn stored_id_with_hash(&mut self, hash: u128) -> Result<Option<String>> {
        // What the index held when the run started, opened once and only if needed.
        if self.start_searcher.is_none() {
            self.start_searcher = Some(self.store.index.reader()?.searcher());
        }
        let Some(searcher) = &self.start_searcher else {
            return Ok(None);
        };
        let term = Term::from_field_text(self.store.fields.hash, &format!("{hash:032x}"));
        // A term-dictionary look-up first: most new articles have no stored twin.
        if searcher.doc_freq(&term)? == 0 {
            return Ok(None);
        }
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

    pub(super) fn maybe_commit(&mut self) -> Result<()> {
        if self.last_commit.elapsed() >= self.commit_interval {
            self.writer.commit()?;
            self.last_commit = Instant::now();
        }
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<IngestReport> {
        self.writer.commit()?;
        self.writer.wait_merging_threads()?;
        Ok(self.report)
    }
}

#[cfg(test)]
mod tests {
    use super::RunId;

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
