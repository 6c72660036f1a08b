//! Searches that see stories: one hit per story, counts of stories instead of articles, and
//! the other articles of an article's story.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::FacetReader;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{DateTime, DocAddress, DocId, Score, Searcher, SegmentReader, TantivyDocument};

use crate::dates::{day_from_number, day_number};
use crate::entities::Entity;
use crate::error::Result;
use crate::query::{BuiltQuery, Filter, SearchRequest};
use crate::schema::{self, datetime_to_day, facet_entity, StoredArticle};
use crate::search::{ranked, Archive};

/// Most articles of one story listed as its similar ones, or shown with an article.
const MAX_SIMILAR: usize = 1000;

/// An article with the other articles of its story, oldest first.
#[derive(Debug, Clone)]
pub struct ArticleInStory {
    pub article: StoredArticle,
    pub others: Vec<StoredArticle>,
}

/// A hit of a collapsed page: score, address, and the ids of the other matching articles of
/// its story, best first.
pub(crate) type CollapsedHit = (f32, DocAddress, Vec<String>);

impl Archive {
    /// How many stories the articles matching `query` belong to.
    pub(crate) fn story_count(&self, searcher: &Searcher, query: &dyn Query) -> Result<usize> {
        Ok(searcher.search(query, &StorySet)?.len())
    }

    /// One page of a collapsed search: the best article of each story, in the order asked
    /// for, and the total number of matching articles. Pages deeper in the ranking are
    /// fetched until the page is full of distinct stories or the matches run out.
    pub(crate) fn collapsed(
        &self,
        searcher: &Searcher,
        built: &BuiltQuery,
        request: &SearchRequest,
    ) -> Result<(usize, Vec<CollapsedHit>)> {
        let columns = Columns::open(searcher);
        let wanted = request.offset.saturating_add(request.limit);
        let mut fetch = wanted.saturating_mul(4).max(64);
        let (total, leaders) = loop {
            let (total, ranked) = self.ranked_page(searcher, built, request.sort, fetch, 0)?;
            let mut seen = HashSet::new();
            let leaders: Vec<(f32, DocAddress, u64)> = ranked
                .iter()
                .filter_map(|&(score, address)| {
                    let story = columns.story(address);
                    seen.insert(story).then_some((score, address, story))
                })
                .collect();
            if leaders.len() >= wanted || ranked.len() < fetch || fetch >= total {
                break (total, leaders);
            }
            fetch = fetch.saturating_mul(4);
        };
        let mut page = Vec::new();
        for (score, address, story) in leaders.into_iter().skip(request.offset).take(request.limit)
        {
            let in_story = BooleanQuery::new(vec![
                (Occur::Must, built.query.box_clone()),
                (
                    Occur::Must,
                    Box::new(ConstScoreQuery::new(
                        Box::new(TermQuery::new(
                            self.store.fields.story_term(story),
                            IndexRecordOption::Basic,
                        )),
                        0.0,
                    )),
                ),
            ]);
            let (_, members) = ranked(searcher, &in_story, request.sort, MAX_SIMILAR, 0)?;
            let similar = members
                .into_iter()
                .filter(|(_, member)| *member != address)
                .filter_map(|(_, member)| columns.id(member))
                .collect();
            page.push((score, address, similar));
        }
        Ok((total, page))
    }

    /// The (day, story) pairs of the matching articles.
    pub(crate) fn story_days(&self, filter: &Filter) -> Result<HashSet<(NaiveDate, u64)>> {
        let built = filter.build(&self.store)?;
        let pairs = self.reader.searcher().search(&*built.query, &StoryDays)?;
        Ok(pairs
            .into_iter()
            .filter_map(|(day, story)| Some((day_from_number(day)?, story)))
            .collect())
    }

    /// The matching articles, and per entity the number of stories that mention it.
    pub(crate) fn entity_stories(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
    ) -> Result<(usize, HashMap<Entity, u64>)> {
        let (matching, stories) =
            searcher.search(query, &(tantivy::collector::Count, EntityStories))?;
        Ok((
            matching,
            stories
                .into_iter()
                .map(|(entity, stories)| (entity, stories.len() as u64))
                .collect(),
        ))
    }

    /// One stored article by id, with the other articles of its story.
    pub fn article_with_story(&self, id: &str) -> Result<ArticleInStory> {
        let article = self.article(id)?;
        let searcher = self.reader.searcher();
        let members = searcher.search(
            &TermQuery::new(
                self.store.fields.story_term(article.story),
                IndexRecordOption::Basic,
            ),
            &TopDocs::with_limit(MAX_SIMILAR + 1).order_by_score(),
        )?;
        let mut others = Vec::new();
        for (_, address) in members {
            let doc: TantivyDocument = searcher.doc(address)?;
            let member = self.store.fields.to_stored(&doc);
            if member.id != article.id {
                others.push(member);
            }
        }
        others.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        others.truncate(MAX_SIMILAR);
        Ok(ArticleInStory { article, others })
    }
}

/// The story and id columns of every segment, opened once per search: a collapsed page
/// reads them for every ranked hit and every member of its stories.
struct Columns {
    stories: Vec<Option<Column<u64>>>,
    ids: Vec<Option<StrColumn>>,
}

impl Columns {
    fn open(searcher: &Searcher) -> Columns {
        let segments = searcher.segment_readers();
        Columns {
            stories: segments
                .iter()
                .map(|segment| segment.fast_fields().u64(schema::STORY).ok())
                .collect(),
            ids: segments
                .iter()
                .map(|segment| segment.fast_fields().str(schema::ID).ok().flatten())
                .collect(),
        }
    }

    /// The story of the article at `address`; an article without one is a story of its own.
    fn story(&self, address: DocAddress) -> u64 {
        self.stories
            .get(address.segment_ord as usize)
            .and_then(Option::as_ref)
            .and_then(|column| column.first(address.doc_id))
            .unwrap_or_else(|| u64::from(address.segment_ord) << 32 | u64::from(address.doc_id))
    }

    /// The id of the article at `address`.
    fn id(&self, address: DocAddress) -> Option<String> {
        let ids = self.ids.get(address.segment_ord as usize)?.as_ref()?;
        let ord = ids.ords().first(address.doc_id)?;
        let mut id = String::new();
        ids.ord_to_str(ord, &mut id).ok()?.then_some(id)
    }
}

/// The stories of the matching articles.
struct StorySet;

struct StorySetSegment {
    stories: Column<u64>,
    found: HashSet<u64>,
}

impl Collector for StorySet {
    type Fruit = HashSet<u64>;
    type Child = StorySetSegment;

    fn for_segment(
        &self,
        _segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<StorySetSegment> {
        Ok(StorySetSegment {
            stories: reader.fast_fields().u64(schema::STORY)?,
            found: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashSet<u64>>) -> tantivy::Result<HashSet<u64>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for StorySetSegment {
    type Fruit = HashSet<u64>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.found.extend(self.stories.first(doc));
    }

    fn harvest(self) -> HashSet<u64> {
        self.found
    }
}

/// The (day number, story) pairs of the matching articles.
struct StoryDays;

struct StoryDaysSegment {
    stories: Column<u64>,
    dates: Column<DateTime>,
    found: HashSet<(i64, u64)>,
}

impl Collector for StoryDays {
    type Fruit = HashSet<(i64, u64)>;
    type Child = StoryDaysSegment;

    fn for_segment(
        &self,
        _segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<StoryDaysSegment> {
        Ok(StoryDaysSegment {
            stories: reader.fast_fields().u64(schema::STORY)?,
            dates: reader.fast_fields().date(schema::DATE)?,
            found: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<HashSet<(i64, u64)>>,
    ) -> tantivy::Result<HashSet<(i64, u64)>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for StoryDaysSegment {
    type Fruit = HashSet<(i64, u64)>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let (Some(date), Some(story)) = (self.dates.first(doc), self.stories.first(doc)) {
            self.found
                .insert((day_number(datetime_to_day(date)), story));
        }
    }

    fn harvest(self) -> HashSet<(i64, u64)> {
        self.found
    }
}

/// The stories that mention each entity, among the matching articles. Pairs of (facet ordinal,
/// story) are kept while collecting and named once per segment, as `EntityCounter` does.
struct EntityStories;

struct EntityStoriesSegment {
    facets: FacetReader,
    stories: Column<u64>,
    pairs: HashSet<(u64, u64)>,
}

impl Collector for EntityStories {
    type Fruit = HashMap<Entity, HashSet<u64>>;
    type Child = EntityStoriesSegment;

    fn for_segment(
        &self,
        _segment: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<EntityStoriesSegment> {
        Ok(EntityStoriesSegment {
            facets: reader.facet_reader(schema::ENTITY_FACET)?,
            stories: reader.fast_fields().u64(schema::STORY)?,
            pairs: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<HashMap<Entity, HashSet<u64>>>,
    ) -> tantivy::Result<HashMap<Entity, HashSet<u64>>> {
        let mut merged: HashMap<Entity, HashSet<u64>> = HashMap::new();
        for fruit in fruits {
            for (entity, stories) in fruit {
                merged.entry(entity).or_default().extend(stories);
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for EntityStoriesSegment {
    type Fruit = HashMap<Entity, HashSet<u64>>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let Some(story) = self.stories.first(doc) else {
            return;
        };
        for ord in self.facets.facet_ords(doc) {
            self.pairs.insert((ord, story));
        }
    }

    fn harvest(self) -> HashMap<Entity, HashSet<u64>> {
        let mut by_ord: HashMap<u64, HashSet<u64>> = HashMap::new();
        for (ord, story) in self.pairs {
            by_ord.entry(ord).or_default().insert(story);
        }
        let mut named = HashMap::new();
        let Ok(mut terms) = self.facets.facet_dict().stream() else {
            return named;
        };
        while terms.advance() {
            let Some(stories) = by_ord.remove(&terms.term_ord()) else {
                continue;
            };
            let entity = Facet::from_encoded(terms.key().to_vec())
                .ok()
                .and_then(|facet| facet_entity(&facet));
            if let Some(entity) = entity {
                named.insert(entity, stories);
            }
        }
        named
    }
}
