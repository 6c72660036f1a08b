//! Stories during an ingest: which story each written article joins, and regrouping the
//! stories that lost members (replaced, moved or removed articles) once the run is committed.
//!
//! What is left to do is recorded with every commit (`pending`), so a run killed before doing it
//! leaves it to the next run, which takes it over and does it at its own end: the stories come
//! out as an uninterrupted run would have made them.

use rustc_hash::FxHashSet;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, IndexWriter, Searcher, TantivyDocument, Term, TERMINATED};

use super::pending::StoryWork;
use super::prepared::{key_of, low_bits};
use crate::dates::day_number;
use crate::error::{Error, Result};
use crate::schema::{self, ContentHashes, Fields, StoryColumns};
use crate::stories::{components, founded_by, Member, Signature, Table};

/// The run's view of the stories: the signatures of the articles it may group new ones with.
pub(super) struct Storyteller {
    /// Days around an article within which near-copies are looked for; `None`: no grouping,
    /// every article is a story of its own.
    window: Option<u32>,
    table: Table,
    /// Whether the table holds what the index held when the run started. Loaded when the run
    /// first writes: a run that finds everything unchanged never pays for it.
    loaded: bool,
    /// Articles deleted before the table was loaded: the index still shows them until the
    /// next commit.
    forgotten: FxHashSet<u64>,
    /// Stories that lost a member during the run.
    dirty: FxHashSet<u64>,
}

impl Storyteller {
    /// `empty`: the index holds nothing the run keeps (a first run, a rebuild).
    pub(super) fn new(window: Option<u32>, empty: bool) -> Storyteller {
        Storyteller {
            window,
            table: Table::new(window.unwrap_or(0)),
            loaded: empty || window.is_none(),
            forgotten: FxHashSet::default(),
            dirty: FxHashSet::default(),
        }
    }

    pub(super) fn window(&self) -> Option<u32> {
        self.window
    }

    pub(super) fn needs_loading(&self) -> bool {
        !self.loaded
    }

    /// Loads every live article's signature from the index as of `searcher` (the run's start:
    /// the table is loaded before the run writes anything).
    pub(super) fn load(&mut self, searcher: &Searcher) -> Result<()> {
        for segment in searcher.segment_readers() {
            let columns = StoryColumns::open(segment)?;
            let dates = segment.fast_fields().date(schema::DATE)?;
            let ids = segment.fast_fields().str(schema::ID)?;
            let Some(ids) = ids else { continue };
            let mut id = String::new();
            for doc in segment.doc_ids_alive() {
                let (Some(signature), Some(story), Some(date)) =
                    (columns.signature(doc), columns.story(doc), dates.first(doc))
                else {
                    continue;
                };
                let Some(ord) = ids.ords().first(doc) else {
                    continue;
                };
                id.clear();
                if !ids.ord_to_str(ord, &mut id).map_err(index_error)? {
                    continue;
                }
                let key = low_bits(key_of(&id));
                if !self.forgotten.contains(&key) {
                    let day = day_number(schema::datetime_to_day(date));
                    self.table.insert(key, day, story, signature);
                }
            }
        }
        self.forgotten.clear();
        self.loaded = true;
        Ok(())
    }

    /// The story of an article about to be written: that of its nearest near-copy, or one of
    /// its own. The table must be loaded.
    pub(super) fn assign(
        &mut self,
        key: u64,
        day: i64,
        content_hash: u128,
        signature: Option<&Signature>,
    ) -> u64 {
        let own = founded_by(content_hash);
        let (Some(_), Some(signature)) = (self.window, signature) else {
            return own;
        };
        let story = match self.table.nearest(day, signature) {
            Some(near) => {
                // A near-copy of articles of several stories joins them into one.
                for other in near.others {
                    self.table.merge(other, near.story);
                }
                near.story
            }
            None => own,
        };
        self.table.insert(key, day, story, *signature);
        story
    }

    /// An article leaves the index (replaced, moved or removed); `stored_story` finds its
    /// story in the index when the table is not loaded.
    pub(super) fn forget(
        &mut self,
        key: u64,
        stored_story: impl FnOnce() -> Result<Option<u64>>,
    ) -> Result<()> {
        if self.window.is_none() {
            return Ok(());
        }
        let story = if self.loaded {
            self.table.remove(key)
        } else {
            self.forgotten.insert(key);
            stored_story()?
        };
        self.dirty.extend(story);
        Ok(())
    }

    /// Takes over the work a killed run left undone: its merges hold for the articles it
    /// committed, as they would have in an uninterrupted run, and its stories that lost members
    /// are regrouped with this run's at the end. The work must have been made with this run's
    /// window.
    pub(super) fn resume(&mut self, work: StoryWork) {
        for (from, into) in work.merged {
            self.table.merge(from, into);
        }
        self.dirty.extend(work.dirty);
    }

    /// What the run leaves to do once committed, so far: the stories merged into others, to
    /// [`relabel`]; and the stories that lost members (as they are called after the merges), to
    /// [`regroup`]. Recorded with each commit; small (a run's merges and lost members).
    pub(super) fn work(&self) -> StoryWork {
        let Some(window) = self.window else {
            return StoryWork::default();
        };
        let mut dirty: Vec<u64> = self
            .dirty
            .iter()
            .map(|&story| self.table.resolve(story))
            .collect();
        dirty.sort_unstable();
        dirty.dedup();
        StoryWork {
            window,
            merged: self.table.merges(),
            dirty,
        }
    }

    /// The run's work, once its articles are all written; the table's memory is freed.
    pub(super) fn take_work(&mut self) -> StoryWork {
        let work = self.work();
        self.dirty.clear();
        self.table.clear();
        work
    }
}

/// An error reading the index's files.
fn index_error(err: std::io::Error) -> Error {
    Error::Tantivy(err.into())
}

/// One article of a story being regrouped.
struct Found {
    address: DocAddress,
    id: String,
    hash: u128,
    member: Member,
}

/// Does the story work left by the writer's last commit, which recorded it: moves the
/// articles of merged stories, commits (recording the regrouping still to do), regroups, and
/// commits again, clearing the record. Each step can be done again from its start with the same
/// result, so a run killed in the middle leaves the next run the same work.
/// `committed` gives a searcher on the index as of the writer's last commit.
pub(super) fn settle(
    fields: &Fields,
    writer: &mut IndexWriter,
    mut work: StoryWork,
    mut committed: impl FnMut() -> Result<Searcher>,
) -> Result<()> {
    if work.is_empty() {
        return Ok(());
    }
    if !work.merged.is_empty() {
        let searcher = committed()?;
        for (from, into) in std::mem::take(&mut work.merged) {
            relabel(fields, &searcher, writer, from, into)?;
        }
        super::pending::commit(writer, &work)?;
    }
    if !work.dirty.is_empty() {
        let searcher = committed()?;
        regroup(fields, &searcher, writer, &work.dirty, work.window)?;
    }
    super::pending::commit(writer, &StoryWork::default())
}

/// Moves every article of story `from` into story `into`, writing their documents again; the
/// caller commits.
fn relabel(
    fields: &Fields,
    searcher: &Searcher,
    writer: &IndexWriter,
    from: u64,
    into: u64,
) -> Result<()> {
    for found in members_of(fields, searcher, from)? {
        let doc: TantivyDocument = searcher.doc(found.address)?;
        writer.delete_term(Term::from_field_text(fields.id, &found.id));
        writer.add_document(fields.restoried(&doc, into))?;
    }
    Ok(())
}

/// Splits each of `stories` into its connected parts, as of the committed index in
/// `searcher`: the part holding the article that founded the story (or else the earliest
/// article) keeps the story id, the others get one of their own (founded by their earliest
/// article) and their documents are written again.
/// The caller commits.
fn regroup(
    fields: &Fields,
    searcher: &Searcher,
    writer: &IndexWriter,
    stories: &[u64],
    window: u32,
) -> Result<()> {
    for &story in stories {
        let mut members = members_of(fields, searcher, story)?;
        if members.len() < 2 {
            continue;
        }
        members.sort_by(|a, b| (a.member.day, &a.id).cmp(&(b.member.day, &b.id)));
        let parts = components(
            &members
                .iter()
                .map(|f| Member {
                    day: f.member.day,
                    signature: f.member.signature,
                })
                .collect::<Vec<_>>(),
            window,
        );
        // The part holding the story's founder keeps its id (else the part of the earliest
        // article): another part's founder can then never be given the id back.
        let keeper = parts
            .iter()
            .position(|part| part.iter().any(|&at| founded_by(members[at].hash) == story))
            .unwrap_or(0);
        for (_, part) in parts.iter().enumerate().filter(|(at, _)| *at != keeper) {
            let new_story = founded_by(members[part[0]].hash);
            for &at in part {
                let found = &members[at];
                let doc: TantivyDocument = searcher.doc(found.address)?;
                writer.delete_term(Term::from_field_text(fields.id, &found.id));
                writer.add_document(fields.restoried(&doc, new_story))?;
            }
        }
    }
    Ok(())
}

/// The live articles of a story.
fn members_of(fields: &Fields, searcher: &Searcher, story: u64) -> Result<Vec<Found>> {
    let term = fields.story_term(story);
    let mut found = Vec::new();
    for (ordinal, segment) in searcher.segment_readers().iter().enumerate() {
        let Some(mut postings) = segment
            .inverted_index(fields.story)?
            .read_postings(&term, IndexRecordOption::Basic)
            .map_err(index_error)?
        else {
            continue;
        };
        let columns = StoryColumns::open(segment)?;
        let hashes = ContentHashes::open(segment)?;
        let dates = segment.fast_fields().date(schema::DATE)?;
        let ids = segment.fast_fields().str(schema::ID)?;
        let alive = segment.alive_bitset();
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|bits| bits.is_alive(doc)) {
                let mut id = String::new();
                if let Some(ord) = ids.as_ref().and_then(|ids| ids.ords().first(doc)) {
                    if let Some(ids) = &ids {
                        ids.ord_to_str(ord, &mut id).map_err(index_error)?;
                    }
                }
                found.push(Found {
                    address: DocAddress::new(ordinal as u32, doc),
                    id,
                    hash: hashes.get(doc).unwrap_or(0),
                    member: Member {
                        day: dates
                            .first(doc)
                            .map_or(0, |date| day_number(schema::datetime_to_day(date))),
                        signature: columns.signature(doc),
                    },
                });
            }
            doc = postings.advance();
        }
    }
    Ok(found)
}

/// The stories of the live articles with these ids, as of `searcher`.
pub(super) fn stories_of(
    fields: &Fields,
    searcher: &Searcher,
    ids: &[String],
) -> Result<FxHashSet<u64>> {
    let mut stories = FxHashSet::default();
    for id in ids {
        let term = Term::from_field_text(fields.id, id);
        for segment in searcher.segment_readers() {
            let Some(mut postings) = segment
                .inverted_index(fields.id)?
                .read_postings(&term, IndexRecordOption::Basic)
                .map_err(index_error)?
            else {
                continue;
            };
            let columns = StoryColumns::open(segment)?;
            let alive = segment.alive_bitset();
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|bits| bits.is_alive(doc)) {
                    stories.extend(columns.story(doc));
                }
                doc = postings.advance();
            }
        }
    }
    Ok(stories)
}
