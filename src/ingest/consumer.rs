//! The single consumer: applies prepared articles in input order, deciding new, replaced,
//! unchanged or duplicate, and owns the index writer and its commits.

use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::known::Known;
use super::{key_of, Duplicate, IngestReport, Item, Prepared};
use crate::error::Result;
use crate::schema::Store;

/// Applies prepared articles to the index in input order; owns the writer.
pub(super) struct Consumer<'a> {
    store: &'a Store,
    writer: IndexWriter,
    known: &'a Known,
    report: IngestReport,
    /// Ids written in this run, with their content hash.
    run_ids: FxHashMap<u128, u128>,
    /// Content hashes written or confirmed in this run, with their id.
    run_hashes: FxHashMap<u128, String>,
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
            // A re-run confirms most of what is known: room for that up front.
            run_ids: FxHashMap::default(),
            run_hashes: FxHashMap::with_capacity_and_hasher(known.by_id.len(), Default::default()),
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
            Item::Unchanged { id, hash } => {
                // Not in `run_ids`: that holds what this run wrote, and an id confirmed
                // unchanged is treated there exactly as one not seen (it matches `known`).
                self.report.unchanged += 1;
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
            .get(&stored_key)
            .is_some_and(|hash| *hash != article.hash);
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
