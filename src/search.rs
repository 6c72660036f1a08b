//! Running requests against an index: ranked hits with snippets, counts by day and by entity, look-ups.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::query::{Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{
    DateTime, DocAddress, DocId, IndexReader, Order, ReloadPolicy, Score, Searcher, SegmentReader,
    TantivyDocument, Term,
};

use crate::dates::{day_from_number, DateRange};
use crate::entities::{Entity, EntityKind};
use crate::error::{Error, Result};
use crate::feedback;
use crate::query::{BuiltQuery, Filter, SearchRequest, SortOrder};
use crate::schema::{self, datetime_to_day, facet_entity, Reads, Store, StoredArticle};
use crate::snippet::Snippets;
use crate::top_hits::TopHits;

/// An open index, ready to answer.
pub struct Archive {
    pub(crate) store: Store,
    pub(crate) reader: IndexReader,
}

pub use crate::snippet::Snippet;

#[derive(Debug, Clone)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub article: StoredArticle,
    pub snippet: Snippet,
    /// In a collapsed search: the ids of the other matching articles of its story, best first.
    pub similar: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    /// Every matching article, not just this page.
    pub total: usize,
    /// In a collapsed search: the stories of the matching articles.
    pub stories: Option<usize>,
    pub hits: Vec<Hit>,
}

/// The entities counted among matching articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityTally {
    /// Matching articles.
    pub documents: usize,
    /// Their stories, when stories are counted instead of articles.
    pub stories: Option<usize>,
    pub entities: Vec<EntityCount>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityCount {
    pub entity: Entity,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub documents: u64,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
    /// (first day of month, articles), in date order.
    pub months: Vec<(NaiveDate, u64)>,
    pub top_entities: Vec<EntityCount>,
}

/// Calendar buckets of a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    Day,
    /// ISO weeks, starting on Monday.
    Week,
    Month,
    Year,
}

impl Interval {
    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Day => "day",
            Interval::Week => "week",
            Interval::Month => "month",
            Interval::Year => "year",
        }
    }

    /// The first day of the bucket holding `day`.
    pub fn bucket_start(self, day: NaiveDate) -> NaiveDate {
        match self {
            Interval::Day => day,
            Interval::Week => {
                day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()))
            }
            Interval::Month => day.with_day(1).unwrap_or(day),
            Interval::Year => NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day),
        }
    }

    /// The first day of the bucket after the one starting at `start`.
    pub fn next_start(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Interval::Day => start.succ_opt(),
            Interval::Week => start.checked_add_days(chrono::Days::new(7)),
            Interval::Month => start.checked_add_months(chrono::Months::new(1)),
            Interval::Year => start.checked_add_months(chrono::Months::new(12)),
        }
    }
}

/// How many buckets a timeline may have, so a daily timeline over centuries stays printable.
pub const MAX_BUCKETS: usize = 100_000;

/// Decompressed store blocks a long-lived or exporting reader keeps (tantivy's default): an
/// export reads every article of a block in turn, a server the same pages again.
const STORE_CACHE_BLOCKS: usize = 100;

impl Archive {
    /// Opens the index as it is now: for a command that answers once and exits.
    pub fn open(dir: &std::path::Path) -> Result<Archive> {
        // No cache of decompressed store blocks: a page of hits seldom has two in one block,
        // and each block kept is fresh memory to fault in (a tenth of a search's page faults).
        Archive::open_with(dir, ReloadPolicy::Manual, Reads::Mapped, 0)
    }

    /// Opens the index for a reader that keeps running: every commit of an ingest is picked up
    /// shortly after it lands (tantivy watches `meta.json`). A request holds the searcher it
    /// started with, so a commit or merge meanwhile never changes what it reads.
    pub fn open_following_commits(dir: &std::path::Path) -> Result<Archive> {
        Archive::open_with(
            dir,
            ReloadPolicy::OnCommitWithDelay,
            Reads::Mapped,
            STORE_CACHE_BLOCKS,
        )
    }

    /// Opens the index for reading every stored article once (an export): the document
    /// stores are read block by block rather than mapped, so memory stays bounded.
    pub fn open_for_export(dir: &std::path::Path) -> Result<Archive> {
        Archive::open_with(
            dir,
            ReloadPolicy::Manual,
            Reads::PlainStores,
            STORE_CACHE_BLOCKS,
        )
    }

    fn open_with(
        dir: &std::path::Path,
        policy: ReloadPolicy,
        reads: Reads,
        store_cache_blocks: usize,
    ) -> Result<Archive> {
        let store = schema::open_with(dir, reads)?;
        let reader = store
            .index
            .reader_builder()
            .reload_policy(policy)
            .doc_store_cache_num_blocks(store_cache_blocks)
            .try_into()
            .map_err(|err: tantivy::TantivyError| Error::IndexDamaged {
                path: dir.to_path_buf(),
                detail: err.to_string(),
            })?;
        Ok(Archive { store, reader })
    }

    /// The hits from `offset` on, at most `limit`, and the total. By relevance, a search in
    /// several words has its first [`feedback::DEPTH`] hits ranked again with the words its best
    /// matches share; a hit further down keeps its place after them (its score is below theirs).
    pub(crate) fn ranked_page(
        &self,
        searcher: &Searcher,
        built: &BuiltQuery,
        sort: SortOrder,
        limit: usize,
        offset: usize,
    ) -> Result<(usize, Vec<(f32, DocAddress)>)> {
        if sort != SortOrder::Relevance || built.words.len() < feedback::MIN_QUERY_WORDS {
            return ranked(searcher, &*built.query, sort, limit, offset);
        }
        let wanted = offset.saturating_add(limit).max(feedback::DEPTH);
        let (total, mut hits) = ranked(searcher, &*built.query, sort, wanted, 0)?;
        let depth = hits.len().min(feedback::DEPTH);
        feedback::rerank(searcher, &self.store, &built.words, &mut hits[..depth])?;
        Ok((total, hits.into_iter().skip(offset).take(limit).collect()))
    }

    /// Ranked hits for one page, the total number of matches, and snippets for the page only.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let built = request.filter.build(&self.store)?;
        let searcher = self.reader.searcher();
        let limit = request.limit;
        let stories = if request.collapse {
            Some(self.story_count(&searcher, &*built.query)?)
        } else {
            None
        };
        if limit == 0 {
            let total = searcher.search(&*built.query, &Count)?;
            return Ok(SearchResults {
                total,
                stories,
                hits: Vec::new(),
            });
        }
        let (total, ranked, mut similar) = if request.collapse {
            let (total, page) = self.collapsed(&searcher, &built, request)?;
            let (ranked, similar): (Vec<_>, Vec<_>) = page
                .into_iter()
                .map(|(score, address, similar)| ((score, address), Some(similar)))
                .unzip();
            (total, ranked, similar)
        } else {
            let (total, ranked) =
                self.ranked_page(&searcher, &built, request.sort, limit, request.offset)?;
            let similar = vec![None; ranked.len()];
            (total, ranked, similar)
        };
        let mut snippets = if request.filter.matches_everything_textually() {
            None
        } else {
            Some(Snippets::for_query(
                &searcher,
                &*built.text,
                self.store.fields.body,
            )?)
        };
        let mut hits = Vec::with_capacity(ranked.len());
        for (position, (score, address)) in ranked.into_iter().enumerate() {
            let doc: TantivyDocument = searcher.doc(address)?;
            let article = self.store.fields.to_stored(&doc);
            hits.push(Hit {
                rank: request.offset + position + 1,
                score,
                snippet: Snippets::of(snippets.as_mut(), &article),
                article,
                similar: similar.get_mut(position).and_then(Option::take),
            });
        }
        Ok(SearchResults {
            total,
            stories,
            hits,
        })
    }

    /// How many matching articles fall on each day.
    pub fn day_counts(&self, filter: &Filter) -> Result<BTreeMap<NaiveDate, u64>> {
        let built = filter.build(&self.store)?;
        let counts = self.reader.searcher().search(&*built.query, &DayCounter)?;
        Ok(counts
            .into_iter()
            .filter_map(|(day, count)| Some((day_from_number(day)?, count)))
            .collect())
    }

    /// Matching articles per calendar bucket, empty buckets included, from the first to the
    /// last bucket of the filter's date range (or of the matching articles where it is open).
    /// With `unique`, a bucket counts the stories of its articles instead.
    pub fn timeline(
        &self,
        filter: &Filter,
        interval: Interval,
        unique: bool,
    ) -> Result<Vec<(NaiveDate, u64)>> {
        let days = self.day_counts(filter)?;
        let first = filter.dates.first.or_else(|| days.keys().next().copied());
        let last = filter
            .dates
            .last
            .or_else(|| days.keys().next_back().copied());
        let (Some(first), Some(last)) = (first, last) else {
            return Ok(Vec::new());
        };
        let mut buckets: BTreeMap<NaiveDate, u64> = BTreeMap::new();
        let mut start = interval.bucket_start(first);
        let last_start = interval.bucket_start(last);
        while start <= last_start && buckets.len() < MAX_BUCKETS {
            buckets.insert(start, 0);
            match interval.next_start(start) {
                Some(next) => start = next,
                None => break,
            }
        }
        if buckets.len() >= MAX_BUCKETS {
            return Err(Error::TooManyBuckets {
                interval: interval.as_str(),
                limit: MAX_BUCKETS,
            });
        }
        if unique {
            let mut seen = std::collections::HashSet::new();
            for (day, story) in self.story_days(filter)? {
                if seen.insert((interval.bucket_start(day), story)) {
                    *buckets.entry(interval.bucket_start(day)).or_default() += 1;
                }
            }
        } else {
            for (day, count) in days {
                *buckets.entry(interval.bucket_start(day)).or_default() += count;
            }
        }
        Ok(buckets.into_iter().collect())
    }

    /// The most frequent entities among matching articles (each article counts once per entity;
    /// with `unique`, each story), ties in name order.
    pub fn top_entities(
        &self,
        filter: &Filter,
        kind: Option<EntityKind>,
        limit: usize,
        unique: bool,
    ) -> Result<EntityTally> {
        let (matching, stories, counts) = self.entity_counts(filter, unique)?;
        let mut entities: Vec<EntityCount> = counts
            .into_iter()
            .filter(|(entity, _)| kind.is_none_or(|kind| entity.kind == kind))
            .map(|(entity, count)| EntityCount { entity, count })
            .collect();
        entities.sort_unstable_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.entity.name.cmp(&b.entity.name))
                .then_with(|| a.entity.kind.cmp(&b.entity.kind))
        });
        entities.truncate(limit);
        Ok(EntityTally {
            documents: matching,
            stories,
            entities,
        })
    }

    /// How many articles match and how many of them mention each entity; with `unique`, also
    /// how many stories they make, and the entities' counts are of stories.
    pub fn entity_counts(
        &self,
        filter: &Filter,
        unique: bool,
    ) -> Result<(usize, Option<usize>, HashMap<Entity, u64>)> {
        let built = filter.build(&self.store)?;
        let searcher = self.reader.searcher();
        if unique {
            let (matching, counts) = self.entity_stories(&searcher, &*built.query)?;
            let stories = self.story_count(&searcher, &*built.query)?;
            Ok((matching, Some(stories), counts))
        } else {
            let (matching, counts) = searcher.search(&*built.query, &(Count, EntityCounter))?;
            Ok((matching, None, counts))
        }
    }

    pub fn stats(&self, top: usize) -> Result<Stats> {
        let searcher = self.reader.searcher();
        let all = Filter::default();
        let days = self.day_counts(&all)?;
        let mut months: BTreeMap<NaiveDate, u64> = BTreeMap::new();
        for (day, count) in &days {
            *months
                .entry(Interval::Month.bucket_start(*day))
                .or_default() += count;
        }
        let top_entities = self.top_entities(&all, None, top, false)?.entities;
        Ok(Stats {
            documents: searcher.num_docs(),
            first_date: days.keys().next().copied(),
            last_date: days.keys().next_back().copied(),
            months: months.into_iter().collect(),
            top_entities,
        })
    }

    /// Articles in the index, as of the last commit picked up.
    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Which state of the index is read: the same number for the same segments and deletes,
    /// another once a commit that changed them is picked up. Every answer is a function of it
    /// and the request. (tantivy's own generation id counts reloads, and a reload may find the
    /// index as it was.)
    pub fn generation(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        self.reader
            .searcher()
            .generation()
            .segments()
            .hash(&mut hasher);
        hasher.finish()
    }

    /// One stored article by id.
    pub fn article(&self, id: &str) -> Result<StoredArticle> {
        Ok(self.find(&self.reader.searcher(), id)?.1)
    }

    /// One stored article by id, with where it is in this searcher's segments.
    pub(crate) fn find(
        &self,
        searcher: &tantivy::Searcher,
        id: &str,
    ) -> Result<(DocAddress, StoredArticle)> {
        let term = Term::from_field_text(self.store.fields.id, id.trim());
        let hits = searcher.search(
            &TermQuery::new(term, IndexRecordOption::Basic),
            &TopDocs::with_limit(1).order_by_score(),
        )?;
        let (_, address) = hits
            .first()
            .ok_or_else(|| Error::NoSuchArticle(id.to_string()))?;
        let doc: TantivyDocument = searcher.doc(*address)?;
        Ok((*address, self.store.fields.to_stored(&doc)))
    }

    /// Every article in `dates`, oldest first (ties by id), read one at a time.
    ///
    /// Memory stays bounded however large the archive: the articles are read in batches of
    /// consecutive days, each of about [`EXPORT_BATCH`] articles (or one whole day, if larger),
    /// sorted in memory and handed out before the next batch is read.
    pub fn export(&self, dates: DateRange) -> Result<Exported<'_>> {
        let searcher = self.reader.searcher();
        let filter = Filter {
            dates,
            ..Filter::default()
        };
        let built = filter.build(&self.store)?;
        // Day numbers in order.
        let days: BTreeMap<i64, u64> = searcher
            .search(&*built.query, &DayCounter)?
            .into_iter()
            .collect();
        let mut batches = Vec::new();
        let mut current: Option<(i64, i64, u64)> = None;
        for (day, count) in days {
            current = match current {
                Some((first, _, articles)) if articles < EXPORT_BATCH => {
                    Some((first, day, articles + count))
                }
                Some(full) => {
                    batches.push(full);
                    Some((day, day, count))
                }
                None => Some((day, day, count)),
            };
        }
        batches.extend(current);
        let batches = batches
            .into_iter()
            .filter_map(|(first, last, _)| {
                Some(DateRange {
                    first: Some(day_from_number(first)?),
                    last: Some(day_from_number(last)?),
                })
            })
            .collect::<Vec<_>>()
            .into_iter();
        Ok(Exported {
            archive: self,
            searcher,
            batches,
            current: Vec::new().into_iter(),
        })
    }

    /// The articles of one batch of days, oldest first, ties by id.
    fn export_batch(
        &self,
        searcher: &tantivy::Searcher,
        dates: DateRange,
    ) -> Result<Vec<StoredArticle>> {
        let filter = Filter {
            dates,
            ..Filter::default()
        };
        let built = filter.build(&self.store)?;
        let mut addresses: Vec<DocAddress> = searcher
            .search(&*built.query, &tantivy::collector::DocSetCollector)?
            .into_iter()
            .collect();
        // In store order, so that each block of the store is read once.
        addresses.sort_unstable();
        let mut articles = addresses
            .into_iter()
            .map(|address| {
                let doc: TantivyDocument = searcher.doc(address)?;
                Ok(self.store.fields.to_stored(&doc))
            })
            .collect::<Result<Vec<_>>>()?;
        articles.sort_unstable_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
        Ok(articles)
    }
}

/// Articles read per batch of an export (a day larger than this is read whole).
pub const EXPORT_BATCH: u64 = 2048;

/// The articles of an export, in order, read batch by batch ([`Archive::export`]).
pub struct Exported<'a> {
    archive: &'a Archive,
    searcher: tantivy::Searcher,
    batches: std::vec::IntoIter<DateRange>,
    current: std::vec::IntoIter<StoredArticle>,
}

impl Iterator for Exported<'_> {
    type Item = Result<StoredArticle>;

    fn next(&mut self) -> Option<Result<StoredArticle>> {
        loop {
            if let Some(article) = self.current.next() {
                return Some(Ok(article));
            }
            let dates = self.batches.next()?;
            match self.archive.export_batch(&self.searcher, dates) {
                Ok(articles) => self.current = articles.into_iter(),
                Err(err) => {
                    // An error ends the export: what follows would have a gap.
                    self.batches = Vec::new().into_iter();
                    return Some(Err(err));
                }
            }
        }
    }
}

/// One page of matches in the order asked for, with the number of all matches. Ties in score
/// (or date) are broken by date (newest first for relevance) and then by id, so the order is
/// stable.
pub(crate) fn ranked(
    searcher: &Searcher,
    query: &dyn Query,
    sort: SortOrder,
    limit: usize,
    offset: usize,
) -> Result<(usize, Vec<(f32, DocAddress)>)> {
    Ok(match sort {
        SortOrder::Relevance => {
            // Counting apart lets the ranking skip what cannot make the page.
            let total = searcher.search(query, &Count)?;
            let top = searcher.search(query, &TopHits::with_limit(offset.saturating_add(limit)))?;
            (total, top.into_iter().skip(offset).collect())
        }
        SortOrder::Newest | SortOrder::Oldest => {
            let order = if sort == SortOrder::Newest {
                Order::Desc
            } else {
                Order::Asc
            };
            let collector = TopDocs::with_limit(limit.max(1))
                .and_offset(offset)
                .order_by((
                    (
                        SortByStaticFastValue::<DateTime>::for_field(schema::DATE),
                        order,
                    ),
                    (
                        (SortByString::for_field(schema::ID), Order::Asc),
                        (SortBySimilarityScore, Order::Desc),
                    ),
                ));
            let (total, top) = searcher.search(query, &(Count, collector))?;
            (
                total,
                top.into_iter()
                    .map(|((_, (_, score)), address)| (score, address))
                    .collect(),
            )
        }
    })
}

/// Adds up per-segment counts.
pub(crate) fn merge_counts<K: std::hash::Hash + Eq>(
    fruits: Vec<HashMap<K, u64>>,
) -> HashMap<K, u64> {
    let mut merged = HashMap::new();
    for fruit in fruits {
        for (key, count) in fruit {
            *merged.entry(key).or_default() += count;
        }
    }
    merged
}

/// Counts matching documents per entity, from the entity facets' column.
///
/// Counts are kept per term ordinal while collecting; each segment's dictionary is then read
/// once, in order, to name the entities that occurred (look-ups one ordinal at a time would
/// decode the same dictionary blocks over and over).
struct EntityCounter;

struct EntitySegmentCounter {
    facets: FacetReader,
    counts: Vec<u32>,
}

impl Collector for EntityCounter {
    type Fruit = HashMap<Entity, u64>;
    type Child = EntitySegmentCounter;

    fn for_segment(
        &self,
        _segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<EntitySegmentCounter> {
        let facets = reader.facet_reader(schema::ENTITY_FACET)?;
        let counts = vec![0; facets.num_facets()];
        Ok(EntitySegmentCounter { facets, counts })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<HashMap<Entity, u64>>,
    ) -> tantivy::Result<HashMap<Entity, u64>> {
        Ok(merge_counts(fruits))
    }
}

impl SegmentCollector for EntitySegmentCounter {
    type Fruit = HashMap<Entity, u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        for ord in self.facets.facet_ords(doc) {
            if let Some(count) = self.counts.get_mut(ord as usize) {
                *count += 1;
            }
        }
    }

    fn harvest(self) -> HashMap<Entity, u64> {
        let mut named = HashMap::new();
        let Ok(mut terms) = self.facets.facet_dict().stream() else {
            return named;
        };
        while terms.advance() {
            let count = self
                .counts
                .get(terms.term_ord() as usize)
                .copied()
                .unwrap_or(0);
            if count == 0 {
                continue;
            }
            let entity = Facet::from_encoded(terms.key().to_vec())
                .ok()
                .and_then(|facet| facet_entity(&facet));
            if let Some(entity) = entity {
                named.insert(entity, u64::from(count));
            }
        }
        named
    }
}

/// Counts matching documents per day number, from the date fast field.
struct DayCounter;

struct DaySegmentCounter {
    dates: Column<DateTime>,
    counts: HashMap<i64, u64>,
}

impl Collector for DayCounter {
    type Fruit = HashMap<i64, u64>;
    type Child = DaySegmentCounter;

    fn for_segment(
        &self,
        _segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<DaySegmentCounter> {
        Ok(DaySegmentCounter {
            dates: reader.fast_fields().date(schema::DATE)?,
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashMap<i64, u64>>) -> tantivy::Result<HashMap<i64, u64>> {
        Ok(merge_counts(fruits))
    }
}

impl SegmentCollector for DaySegmentCounter {
    type Fruit = HashMap<i64, u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(date) = self.dates.first(doc) {
            let day = crate::dates::day_number(datetime_to_day(date));
            *self.counts.entry(day).or_default() += 1;
        }
    }

    fn harvest(self) -> HashMap<i64, u64> {
        self.counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// An index of generated articles over a few words, with exact copies (equal scores) on
    /// different days, in three segments.
    fn generated_archive() -> (tempfile::TempDir, Archive) {
        let dir = tempfile::tempdir().unwrap();
        let store = schema::create(dir.path()).unwrap();
        let words = [
            "oil", "oils", "oiled", "crude", "gas", "prices", "rose", "fell", "opec", "wheat",
            "the", "a", "said", "market", "corning", "corn",
        ];
        let mut state: u64 = 7;
        let mut next = move |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        };
        let mut writer: tantivy::IndexWriter = store.index.writer(20_000_000).unwrap();
        for n in 0..600usize {
            let length = 1 + next(60);
            let body: Vec<&str> = (0..length).map(|_| words[next(words.len())]).collect();
            let mut body = body.join(" ");
            let title = words[next(words.len())];
            // Reports headlined "wheat" share words rare in the archive: what feedback finds.
            if title == "wheat" {
                body.push_str(" durum tonnes");
            }
            for copy in 0..1 + n % 3 {
                let id = format!("{n:04}-{copy}");
                let day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()
                    + chrono::Days::new((copy * 7 + n % 5) as u64);
                let mut doc = store.fields.to_document(&schema::NewDocument {
                    id: &id,
                    hash: (n * 10 + copy) as u128,
                    path: &id,
                    date: day,
                    title,
                    body: &body,
                    entities: &[],
                    url: None,
                    source: None,
                    source_size: None,
                    source_mtime: None,
                });
                // The copies of an article are one story.
                store.fields.add_story(&mut doc, n as u64, None);
                writer.add_document(doc).unwrap();
            }
            if n % 200 == 199 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        drop(writer);
        let archive = Archive::open(dir.path()).unwrap();
        (dir, archive)
    }

    #[test]
    fn pruned_ranking_is_the_full_ranking() {
        let (_dir, archive) = generated_archive();
        assert!(archive.reader.searcher().segment_readers().len() >= 3);
        let searcher = archive.reader.searcher();
        for text in [
            "oil",
            "Oil",
            "corn",
            "oil gas",
            "crude oil prices",
            "\"crude oil\"",
            "+oil -gas",
            "oil OR wheat",
            "title:oil",
            "oil*",
            "wheat prices",
        ] {
            for (offset, limit) in [(0, 1), (0, 3), (0, 10), (5, 10), (0, 200)] {
                let request = SearchRequest {
                    filter: Filter {
                        text: text.to_string(),
                        ..Filter::default()
                    },
                    sort: SortOrder::Relevance,
                    limit,
                    offset,
                    collapse: false,
                };
                let got: Vec<(String, f32)> = archive
                    .search(&request)
                    .unwrap()
                    .hits
                    .into_iter()
                    .map(|hit| (hit.article.id, hit.score))
                    .collect();
                // tantivy's own collector, which scores every match; then, for several words,
                // the first hits ranked again as a search does.
                let built = request.filter.build(&archive.store).unwrap();
                let expanded = built.words.len() >= feedback::MIN_QUERY_WORDS;
                let wanted = if expanded {
                    (offset + limit).max(feedback::DEPTH)
                } else {
                    offset + limit
                };
                let collector = TopDocs::with_limit(wanted).order_by((
                    (SortBySimilarityScore, Order::Desc),
                    (
                        (
                            SortByStaticFastValue::<DateTime>::for_field(schema::DATE),
                            Order::Desc,
                        ),
                        (SortByString::for_field(schema::ID), Order::Asc),
                    ),
                ));
                let mut full: Vec<(f32, DocAddress)> = searcher
                    .search(&*built.query, &collector)
                    .unwrap()
                    .into_iter()
                    .map(|((score, _), address)| (score, address))
                    .collect();
                if expanded {
                    let depth = full.len().min(feedback::DEPTH);
                    feedback::rerank(&searcher, &archive.store, &built.words, &mut full[..depth])
                        .unwrap();
                }
                let expected: Vec<(String, f32)> = full
                    .into_iter()
                    .skip(offset)
                    .take(limit)
                    .map(|(score, address)| {
                        let doc: TantivyDocument = searcher.doc(address).unwrap();
                        (archive.store.fields.to_stored(&doc).id, score)
                    })
                    .collect();
                assert!(!expected.is_empty(), "{text}");
                // The same articles in the same order; block-max WAND sums a union's term
                // scores in another order, so the last bit of a score may differ.
                let ids =
                    |hits: &[(String, f32)]| hits.iter().map(|h| h.0.clone()).collect::<Vec<_>>();
                assert_eq!(
                    ids(&got),
                    ids(&expected),
                    "{text} offset {offset} limit {limit}"
                );
                for ((_, got), (id, expected)) in got.iter().zip(&expected) {
                    assert!(
                        (got - expected).abs() <= 1e-5 * expected.abs(),
                        "{text}: {id}"
                    );
                }
            }
        }
    }

    #[test]
    fn feedback_lends_the_rare_words_the_best_matches_share() {
        let (_dir, archive) = generated_archive();
        let searcher = archive.reader.searcher();
        let built = Filter {
            text: "wheat prices".to_string(),
            ..Filter::default()
        }
        .build(&archive.store)
        .unwrap();
        let (_, hits) = ranked(
            &searcher,
            &*built.query,
            SortOrder::Relevance,
            feedback::DEPTH,
            0,
        )
        .unwrap();
        let expansion =
            feedback::expansion(&searcher, &archive.store, &built.words, &hits).unwrap();
        let words: Vec<String> = expansion
            .iter()
            .map(|(term, _)| term.value().as_str().unwrap().to_string())
            .collect();
        // The stems of "durum" and "tonnes"; every other word is in most articles, and the
        // query's own words are left out.
        assert_eq!(words.len(), 2, "{words:?}");
        assert!(words.contains(&"durum".to_string()), "{words:?}");
        assert!(words.contains(&"tonn".to_string()), "{words:?}");
        // Each in the bodies of at least two of the best articles.
        for (term, _) in &expansion {
            assert!(searcher.doc_freq(term).unwrap() >= 2, "{term:?}");
        }
        let total: f32 = expansion.iter().map(|(_, weight)| weight).sum();
        assert!((total - 1.0).abs() < 1e-5, "{total}");
        // The page ranks again: an article with the words moves up.
        let mut again = hits.clone();
        feedback::rerank(&searcher, &archive.store, &built.words, &mut again).unwrap();
        assert_ne!(again, hits);
        assert!(again.windows(2).all(|pair| pair[0].0 >= pair[1].0));
    }

    #[test]
    fn collapsed_ranking_is_the_best_of_each_story_in_the_full_ranking() {
        let (_dir, archive) = generated_archive();
        let searcher = archive.reader.searcher();
        for text in [
            "oil",
            "crude oil prices",
            "corn OR wheat",
            "\"crude oil\"",
            "wheat prices",
        ] {
            let filter = Filter {
                text: text.to_string(),
                ..Filter::default()
            };
            // Every match in order, as tantivy's own collector ranks them.
            let built = filter.build(&archive.store).unwrap();
            let collector = TopDocs::with_limit(100_000).order_by((
                (SortBySimilarityScore, Order::Desc),
                (
                    (
                        SortByStaticFastValue::<DateTime>::for_field(schema::DATE),
                        Order::Desc,
                    ),
                    (SortByString::for_field(schema::ID), Order::Asc),
                ),
            ));
            let full: Vec<(f32, DocAddress)> = searcher
                .search(&*built.query, &collector)
                .unwrap()
                .into_iter()
                .map(|((score, _), address)| (score, address))
                .collect();
            // The order stories are led in: for several words, the first hits ranked again.
            let mut leading = full.clone();
            if built.words.len() >= feedback::MIN_QUERY_WORDS {
                let depth = leading.len().min(feedback::DEPTH);
                feedback::rerank(
                    &searcher,
                    &archive.store,
                    &built.words,
                    &mut leading[..depth],
                )
                .unwrap();
            }
            let stored = |hits: Vec<(f32, DocAddress)>| -> Vec<StoredArticle> {
                hits.into_iter()
                    .map(|(_, address)| {
                        let doc: TantivyDocument = searcher.doc(address).unwrap();
                        archive.store.fields.to_stored(&doc)
                    })
                    .collect()
            };
            let all = stored(full);
            // Each story once, at the place of its best article, with the others in order.
            let mut expected: Vec<(String, Vec<String>)> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for article in &stored(leading) {
                if !seen.insert(article.story) {
                    continue;
                }
                let others = all
                    .iter()
                    .filter(|other| other.story == article.story && other.id != article.id)
                    .map(|other| other.id.clone())
                    .collect();
                expected.push((article.id.clone(), others));
            }
            assert!(
                expected.len() < all.len(),
                "{text}: some stories have copies"
            );
            for (offset, limit) in [(0, 1), (0, 10), (3, 10), (0, 500)] {
                let results = archive
                    .search(&SearchRequest {
                        filter: filter.clone(),
                        sort: SortOrder::Relevance,
                        limit,
                        offset,
                        collapse: true,
                    })
                    .unwrap();
                assert_eq!(results.total, all.len(), "{text}");
                assert_eq!(results.stories, Some(expected.len()), "{text}");
                let got: Vec<(String, Vec<String>)> = results
                    .hits
                    .into_iter()
                    .map(|hit| (hit.article.id, hit.similar.unwrap_or_default()))
                    .collect();
                let wanted: Vec<(String, Vec<String>)> =
                    expected.iter().skip(offset).take(limit).cloned().collect();
                assert_eq!(got, wanted, "{text} offset {offset} limit {limit}");
            }
        }
    }

    #[test]
    fn buckets_are_calendar_periods() {
        assert_eq!(
            Interval::Week.bucket_start(day("2025-04-03")),
            day("2025-03-31")
        );
        assert_eq!(
            Interval::Week.bucket_start(day("2025-03-31")),
            day("2025-03-31")
        );
        assert_eq!(
            Interval::Month.bucket_start(day("2024-02-29")),
            day("2024-02-01")
        );
        assert_eq!(
            Interval::Year.bucket_start(day("2024-12-31")),
            day("2024-01-01")
        );
        assert_eq!(
            Interval::Month.next_start(day("2024-01-01")),
            Some(day("2024-02-01"))
        );
        assert_eq!(
            Interval::Month.next_start(day("2024-12-01")),
            Some(day("2025-01-01"))
        );
        assert_eq!(
            Interval::Week.next_start(day("2024-12-30")),
            Some(day("2025-01-06"))
        );
    }
}
