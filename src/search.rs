//! Running requests against an index: ranked hits with snippets, counts by day and by entity, look-ups.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue, SortByString};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::query::TermQuery;
use tantivy::schema::Facet;
use tantivy::schema::IndexRecordOption;
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DateTime, DocAddress, DocId, IndexReader, Order, ReloadPolicy, Score, SegmentReader,
    TantivyDocument, Term,
};

use crate::dates::{day_from_number, DateRange};
use crate::entities::{Entity, EntityKind};
use crate::error::{Error, Result};
use crate::query::{Filter, SearchRequest, SortOrder};
use crate::schema::{self, datetime_to_day, facet_entity, Store, StoredArticle};

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 220;

/// An open index, ready to answer.
pub struct Archive {
    pub(crate) store: Store,
    pub(crate) reader: IndexReader,
}

/// A piece of article text with the byte ranges of the query's words in it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<std::ops::Range<usize>>,
}

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

impl Archive {
    /// Opens the index as it is now: for a command that answers once and exits.
    pub fn open(dir: &std::path::Path) -> Result<Archive> {
        Archive::open_with(dir, ReloadPolicy::Manual)
    }

    /// Opens the index for a reader that keeps running: every commit of an ingest is picked up
    /// shortly after it lands (tantivy watches `meta.json`). A request holds the searcher it
    /// started with, so a commit or merge meanwhile never changes what it reads.
    pub fn open_following_commits(dir: &std::path::Path) -> Result<Archive> {
        Archive::open_with(dir, ReloadPolicy::OnCommitWithDelay)
    }

    fn open_with(dir: &std::path::Path, policy: ReloadPolicy) -> Result<Archive> {
        let store = schema::open(dir)?;
        let reader = store
            .index
            .reader_builder()
            .reload_policy(policy)
            .try_into()
            .map_err(|err: tantivy::TantivyError| Error::IndexDamaged {
                path: dir.to_path_buf(),
                detail: err.to_string(),
            })?;
        Ok(Archive { store, reader })
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
            let (total, page) = self.collapsed(&searcher, &*built.query, request)?;
            let (ranked, similar): (Vec<_>, Vec<_>) = page
                .into_iter()
                .map(|(score, address, similar)| ((score, address), Some(similar)))
                .unzip();
            (total, ranked, similar)
        } else {
            let (total, ranked) = ranked(
                &searcher,
                &*built.query,
                request.sort,
                limit,
                request.offset,
            )?;
            let similar = vec![None; ranked.len()];
            (total, ranked, similar)
        };
        let snippets = if request.filter.matches_everything_textually() {
            None
        } else {
            let mut generator =
                SnippetGenerator::create(&searcher, &*built.text, self.store.fields.body)?;
            generator.set_max_num_chars(SNIPPET_CHARS);
            Some(generator)
        };
        let mut hits = Vec::with_capacity(ranked.len());
        for (position, (score, address)) in ranked.into_iter().enumerate() {
            let doc: TantivyDocument = searcher.doc(address)?;
            let article = self.store.fields.to_stored(&doc);
            let snippet = snippets
                .as_ref()
                .map(|generator| generator.snippet(&article.body))
                .filter(|snippet| !snippet.is_empty())
                .map(|snippet| collapse_whitespace(snippet.fragment(), snippet.highlighted()))
                .unwrap_or_else(|| lead_snippet(&article));
            hits.push(Hit {
                rank: request.offset + position + 1,
                score,
                article,
                snippet,
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
        let built = filter.build(&self.store)?;
        let searcher = self.reader.searcher();
        let (matching, counts, stories) = if unique {
            let (matching, counts) = self.entity_stories(&searcher, &*built.query)?;
            let stories = self.story_count(&searcher, &*built.query)?;
            (matching, counts, Some(stories))
        } else {
            let (matching, counts) = searcher.search(&*built.query, &(Count, EntityCounter))?;
            (matching, counts, None)
        };
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

    /// One stored article by id.
    pub fn article(&self, id: &str) -> Result<StoredArticle> {
        let searcher = self.reader.searcher();
        let term = Term::from_field_text(self.store.fields.id, id.trim());
        let hits = searcher.search(
            &TermQuery::new(term, IndexRecordOption::Basic),
            &TopDocs::with_limit(1).order_by_score(),
        )?;
        let (_, address) = hits
            .first()
            .ok_or_else(|| Error::NoSuchArticle(id.to_string()))?;
        let doc: TantivyDocument = searcher.doc(*address)?;
        Ok(self.store.fields.to_stored(&doc))
    }

    /// Every article in `dates`, oldest first (ties by id), read one at a time.
    pub fn export(
        &self,
        dates: DateRange,
    ) -> Result<impl Iterator<Item = Result<StoredArticle>> + '_> {
        let filter = Filter {
            dates,
            ..Filter::default()
        };
        let built = filter.build(&self.store)?;
        let searcher = self.reader.searcher();
        let total = searcher.search(&*built.query, &Count)?;
        let addresses: Vec<DocAddress> = if total == 0 {
            Vec::new()
        } else {
            let order = TopDocs::with_limit(total).order_by((
                (
                    SortByStaticFastValue::<DateTime>::for_field(schema::DATE),
                    Order::Asc,
                ),
                (SortByString::for_field(schema::ID), Order::Asc),
            ));
            searcher
                .search(&*built.query, &order)?
                .into_iter()
                .map(|(_, address)| address)
                .collect()
        };
        Ok(addresses.into_iter().map(move |address| {
            let doc: TantivyDocument = searcher.doc(address)?;
            Ok(self.store.fields.to_stored(&doc))
        }))
    }
}

/// One page of matches in the order asked for, with the number of all matches. Ties in score
/// (or date) are broken by date (newest first for relevance) and then by id, so the order is
/// stable.
pub(crate) fn ranked(
    searcher: &tantivy::Searcher,
    query: &dyn tantivy::query::Query,
    sort: SortOrder,
    limit: usize,
    offset: usize,
) -> Result<(usize, Vec<(f32, DocAddress)>)> {
    let page = TopDocs::with_limit(limit.max(1)).and_offset(offset);
    let date = || SortByStaticFastValue::<DateTime>::for_field(schema::DATE);
    let id = || (SortByString::for_field(schema::ID), Order::Asc);
    Ok(match sort {
        SortOrder::Relevance => {
            let collector = page.order_by((
                (SortBySimilarityScore, Order::Desc),
                ((date(), Order::Desc), id()),
            ));
            let (total, top) = searcher.search(query, &(Count, collector))?;
            (
                total,
                top.into_iter()
                    .map(|((score, _), address)| (score, address))
                    .collect(),
            )
        }
        SortOrder::Newest | SortOrder::Oldest => {
            let order = if sort == SortOrder::Newest {
                Order::Desc
            } else {
                Order::Asc
            };
            let collector = page.order_by((
                (date(), order),
                (id(), (SortBySimilarityScore, Order::Desc)),
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

/// A snippet on one line: every run of whitespace (paragraph breaks too) becomes one space,
/// and the highlighted byte ranges move with the text.
fn collapse_whitespace(fragment: &str, highlights: &[std::ops::Range<usize>]) -> Snippet {
    let mut text = String::with_capacity(fragment.len());
    // new_offset[i] is where byte i of `fragment` lands in `text`.
    let mut new_offset = vec![0; fragment.len() + 1];
    let mut in_space = false;
    for (at, c) in fragment.char_indices() {
        new_offset[at..at + c.len_utf8()].fill(text.len());
        if c.is_whitespace() {
            if !in_space {
                text.push(' ');
            }
            in_space = true;
        } else {
            text.push(c);
            in_space = false;
        }
    }
    new_offset[fragment.len()] = text.len();
    let highlights = highlights
        .iter()
        .filter(|range| range.end <= fragment.len() && range.start < range.end)
        .map(|range| new_offset[range.start]..new_offset[range.end])
        .collect();
    Snippet { text, highlights }
}

/// The opening of an article, when the query has no words to show in context.
fn lead_snippet(article: &StoredArticle) -> Snippet {
    let source = if article.body.is_empty() {
        &article.title
    } else {
        &article.body
    };
    let flat = source.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = match flat.char_indices().nth(SNIPPET_CHARS) {
        None => flat,
        Some((cut, _)) => {
            let boundary = flat[..cut].rfind(' ').unwrap_or(cut);
            format!("{}…", &flat[..boundary])
        }
    };
    Snippet {
        text,
        highlights: Vec::new(),
    }
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

    #[test]
    fn snippet_whitespace_collapses_and_highlights_follow() {
        let fragment = "Oil  prices\n\nrose — oil";
        let snippet = collapse_whitespace(fragment, &[0..3, 5..11, 22..25]);
        assert_eq!(snippet.text, "Oil prices rose — oil");
        let words: Vec<&str> = snippet
            .highlights
            .iter()
            .map(|r| &snippet.text[r.clone()])
            .collect();
        assert_eq!(words, ["Oil", "prices", "oil"]);
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
