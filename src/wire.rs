//! The JSON wire format: one plain serde type per answer, shared by `--json` and the HTTP API.
//!
//! These types are the contract scripts rely on. Every field below is kept and keeps its name;
//! new fields may be added (a reader should ignore fields it does not know, so none of these
//! types refuses them). Each answer is one JSON object; `export` prints one [`Article`] per
//! line (JSON Lines). Keys appear in the order listed.
//!
//! Dates are calendar days, `"YYYY-MM-DD"`; months are `"YYYY-MM"`. Entity types are
//! `"person"`, `"org"` or `"place"`.
//!
//! - `search` ([`SearchResponse`]):
//!   `{"query", "total", "offset", "limit", "sort", "hits": [Hit]}`, where `total` counts every
//!   matching article (not just this page), `sort` is `"relevance"`, `"newest"` or `"oldest"`,
//!   and the hits are in the order shown. `stories` is `null`, except with `collapse`: then each
//!   hit is the best of its story, `rank` counts stories, and `stories` is the number of
//!   stories the matching articles belong to.
//!   - [`Hit`]: `{"rank", "score", "id", "path", "date", "title", "snippet", "highlights":
//!     [[start, end]], "entities": [Entity]}`; `rank` counts from 1 across pages, `highlights`
//!     are byte ranges into `snippet`; `story` is the article's story id (16 hex digits), and
//!     with `collapse` `similar` lists the ids of the other matching articles of the story,
//!     best first (`"+N similar"` in text).
//!   - [`Entity`]: `{"name", "type"}`.
//! - `stats` ([`Stats`]): `{"documents", "first_date", "last_date", "months": [{"month",
//!   "count"}], "top_entities": [EntityCount]}`; the dates are `null` in an empty index.
//!   - [`EntityCount`]: `{"name", "type", "count"}`, `count` being articles that mention it.
//! - `timeline` ([`Timeline`]): `{"query", "interval", "total", "buckets": [{"start",
//!   "count"}]}`; `interval` is `"day"`, `"week"` (from Monday), `"month"` or `"year"`, and
//!   `start` is a bucket's first day. Empty buckets between the first and last are included.
//!   `unique` is true when the counts are of stories (near-copies count once) instead of
//!   articles.
//! - `entities` ([`Entities`]): `{"query", "documents", "entities": [EntityCount]}`, where
//!   `documents` is the number of matching articles the counts come from. With `unique` the
//!   counts are of stories, and `stories` (else `null`) is the number of stories of the
//!   matches.
//!   With `--with NAME` each entity also has `"score"`, its association with NAME (signed
//!   G²), `count` is the articles mentioning both (with `unique`, their stories) and
//!   `documents` those mentioning NAME.
//! - `related` ([`SearchResponse`]): as `search`, `query` being the id of the article the
//!   hits are like; each hit has its `story`, and the article's own story is left out.
//! - `trends` ([`Trends`]): `{"from", "to", "baseline": {"from", "to"}, "entities": [{"name",
//!   "type", "count", "baseline_count", "score"}], "terms": [{"term", "count",
//!   "baseline_count", "score"}]}`; counts are articles, `score` is G², most significant first.
//! - `show`, and each line of `export` ([`Article`]): `{"id", "path", "date", "title", "body",
//!   "entities": [Entity], "url", "source", "story"}`; `url` and `source` are `null` when
//!   unknown, `story` is the story id (16 hex digits) that near-copies share. `show` adds
//!   `"similar": [{"id", "path", "date", "title"}]`, the other articles of the story, oldest
//!   first.
//! - `export --format quickwit|opensearch --out DIR` ([`ExportSummary`]): `{"format", "out",
//!   "articles", "config", "files": [{"path", "articles", "bytes"}], "max_file_bytes",
//!   "oversized"}`; each document in the files is an [`EngineDocument`]: the `export` row with
//!   `date` as `"YYYY-MM-DDT00:00:00Z"` and `entity_keys` (`"type:name"`) and `entity_names`
//!   added.
//! - `ingest` ([`IngestSummary`]): `{"indexed", "replaced", "unchanged", "duplicates",
//!   "removed", "moved", "rejected": [{"path", "line", "reason"}], "duplicate_articles":
//!   [{"path", "line", "duplicate_of"}], "elapsed_ms", "articles_per_second", "documents",
//!   "interrupted"}`; `line` is `null` where it does not apply, `documents` is the index's size
//!   after the run, `removed` counts articles whose source is gone, `moved` articles found under
//!   a new name.
//! - `remove` ([`RemoveSummary`]): `{"removed", "documents"}`.
//! - `compact` ([`CompactSummary`]): `{"segments_before", "segments", "documents"}`.
//! - HTTP only: `/api/health` ([`Health`]): `{"status": "ok", "documents"}`; every error
//!   ([`ErrorResponse`]): `{"error": {"code", "message"}}`, `code` being one short word for
//!   programs (`bad_query`, `not_found`, ...) and `message` a sentence for people.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::comentions::CoMentions;
use crate::entities::EntityKind;
use crate::export::report::ExportReport;
use crate::ingest::{self, CompactReport, IngestReport, RemoveReport};
use crate::query::{SearchRequest, SortOrder};
use crate::related::{Related, RelatedRequest};
use crate::schema::StoredArticle;
use crate::search::{self, EntityCount as LibraryEntityCount, SearchResults};
use crate::trends;

/// The answer to `search`: one page of ranked hits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    pub query: String,
    /// Every matching article, not just this page.
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub sort: Sort,
    pub hits: Vec<Hit>,
    /// With `collapse`: the stories of the matching articles (`null` without).
    #[serde(default)]
    pub stories: Option<usize>,
}

/// One ranked article of a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Position in the whole result list, from 1.
    pub rank: usize,
    pub score: f32,
    pub id: String,
    pub path: String,
    #[serde(with = "day")]
    pub date: NaiveDate,
    pub title: String,
    pub snippet: String,
    /// Byte ranges of the query's words in `snippet`, as `[start, end]`.
    pub highlights: Vec<[usize; 2]>,
    pub entities: Vec<Entity>,
    /// The story id: near-copies share it.
    #[serde(default)]
    pub story: String,
    /// With `collapse`: the other matching articles of the story, best first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similar: Option<Vec<String>>,
}

/// A named entity as an article mentions it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
}

/// An entity with the number of articles mentioning it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityCount {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    pub count: u64,
    /// `entities --with` only: the strength of the association with the name asked about
    /// (signed G², higher is stronger).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    Person,
    Org,
    Place,
}

/// Order of search hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    Relevance,
    Newest,
    Oldest,
}

/// The answer to `stats`: the whole index at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub documents: u64,
    #[serde(with = "optional_day")]
    pub first_date: Option<NaiveDate>,
    #[serde(with = "optional_day")]
    pub last_date: Option<NaiveDate>,
    /// Articles per calendar month, in date order.
    pub months: Vec<MonthCount>,
    pub top_entities: Vec<EntityCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCount {
    /// The month's first day, written `YYYY-MM`.
    #[serde(with = "month")]
    pub month: NaiveDate,
    pub count: u64,
}

/// The answer to `timeline`: matching articles per calendar bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    pub query: String,
    pub interval: Interval,
    /// The sum of the buckets' counts.
    pub total: u64,
    pub buckets: Vec<Bucket>,
    /// The counts are of stories, not articles.
    #[serde(default)]
    pub unique: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    Day,
    /// ISO weeks, starting on Monday.
    Week,
    Month,
    Year,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    /// The bucket's first day.
    #[serde(with = "day")]
    pub start: NaiveDate,
    pub count: u64,
}

/// The answer to `entities`: the most mentioned entities among matching articles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entities {
    pub query: String,
    /// Matching articles, which the counts are taken from.
    pub documents: usize,
    pub entities: Vec<EntityCount>,
    /// With `unique`: the stories of the matching articles, which the counts are of (`null`
    /// without).
    #[serde(default)]
    pub stories: Option<usize>,
}

/// The answer to `trends`: what significantly more articles of the window mention than the
/// baseline's do, most significant first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trends {
    #[serde(with = "day")]
    pub from: NaiveDate,
    #[serde(with = "day")]
    pub to: NaiveDate,
    pub baseline: Period,
    pub entities: Vec<EntityTrend>,
    pub terms: Vec<TermTrend>,
}

/// A closed range of days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    #[serde(with = "day")]
    pub from: NaiveDate,
    #[serde(with = "day")]
    pub to: NaiveDate,
}

/// An entity of `trends`: articles mentioning it in the window and in the baseline, and G².
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityTrend {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    pub count: u64,
    pub baseline_count: u64,
    pub score: f64,
}

/// A word of `trends`: articles having it in the window and in the baseline, and G².
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermTrend {
    pub term: String,
    pub count: u64,
    pub baseline_count: u64,
    pub score: f64,
}

/// One stored article in full: the answer to `show`, and one line of `export`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    pub path: String,
    #[serde(with = "day")]
    pub date: NaiveDate,
    pub title: String,
    pub body: String,
    pub entities: Vec<Entity>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// The story id: near-copies share it.
    #[serde(default)]
    pub story: String,
    /// `show` only: the other articles of the story, oldest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similar: Option<Vec<Similar>>,
}

/// Another article of the same story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Similar {
    pub id: String,
    pub path: String,
    #[serde(with = "day")]
    pub date: NaiveDate,
    pub title: String,
}

/// A story id as written: 16 lower-case hex digits, like generated article ids.
pub fn story_id(story: u64) -> String {
    format!("{story:016x}")
}

/// One article as a document for a distributed engine (Quickwit, OpenSearch): the export row
/// ([`Article`], every field of it) with `date` as RFC 3339 at UTC midnight of the article's
/// day, plus `entity_keys` (`"type:name"`, for exact filters and terms aggregations) and
/// `entity_names`. Built from the row, so a field added to [`Article`] reaches the engines too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EngineDocument(pub serde_json::Map<String, serde_json::Value>);

impl From<&Article> for EngineDocument {
    fn from(article: &Article) -> EngineDocument {
        use serde_json::Value;
        let mut fields = match serde_json::to_value(article) {
            Ok(Value::Object(fields)) => fields,
            // A struct of strings and lists always serialises to an object.
            _ => serde_json::Map::new(),
        };
        let midnight = format!("{}T00:00:00Z", article.date.format(day::FORMAT));
        fields.insert("date".to_string(), Value::String(midnight));
        let keys = article
            .entities
            .iter()
            .map(|entity| Value::String(format!("{}:{}", entity.kind.as_str(), entity.name)));
        fields.insert("entity_keys".to_string(), Value::Array(keys.collect()));
        let names = article
            .entities
            .iter()
            .map(|entity| Value::String(entity.name.clone()));
        fields.insert("entity_names".to_string(), Value::Array(names.collect()));
        EngineDocument(fields)
    }
}

/// The summary of `export` into a folder for a distributed engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportSummary {
    /// `"quickwit"` or `"opensearch"`.
    pub format: String,
    /// The folder written.
    pub out: String,
    /// Articles exported.
    pub articles: u64,
    /// The index configuration (Quickwit) or mapping (OpenSearch) written beside the documents.
    pub config: String,
    /// The NDJSON files, in order.
    pub files: Vec<ExportFile>,
    /// The size limit of one file, in bytes.
    pub max_file_bytes: u64,
    /// Articles larger than the limit on their own, each written alone in a file over it.
    pub oversized: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportFile {
    pub path: String,
    pub articles: u64,
    pub bytes: u64,
}

impl From<ExportReport> for ExportSummary {
    fn from(report: ExportReport) -> ExportSummary {
        ExportSummary {
            format: report.engine.as_str().to_string(),
            out: report.out.display().to_string(),
            articles: report.articles,
            config: report.config.display().to_string(),
            files: report
                .files
                .into_iter()
                .map(|file| ExportFile {
                    path: file.path.display().to_string(),
                    articles: file.articles,
                    bytes: file.bytes,
                })
                .collect(),
            max_file_bytes: report.max_file_bytes,
            oversized: report.oversized,
        }
    }
}

/// The summary of an `ingest` run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestSummary {
    /// New articles added.
    pub indexed: u64,
    /// Articles whose id was indexed with other content, now replaced.
    pub replaced: u64,
    pub unchanged: u64,
    /// Articles not stored because the same date and text are already indexed.
    pub duplicates: u64,
    /// Articles whose source is gone from the ingested folders (or whose line is gone from a
    /// JSON Lines file read again), removed from the index.
    pub removed: u64,
    /// Articles found under a new name (a moved or renamed file), stored once under the new one.
    pub moved: u64,
    pub rejected: Vec<Rejection>,
    pub duplicate_articles: Vec<Duplicate>,
    pub elapsed_ms: u64,
    /// Articles read (indexed, replaced, unchanged or duplicate) per second of the run.
    pub articles_per_second: f64,
    /// Articles in the index after the run.
    pub documents: u64,
    /// The run was stopped before all input was read; what was read is committed.
    pub interrupted: bool,
}

/// The answer of `remove`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoveSummary {
    /// Articles removed.
    pub removed: u64,
    /// Articles in the index after the removal.
    pub documents: u64,
}

impl From<RemoveReport> for RemoveSummary {
    fn from(report: RemoveReport) -> RemoveSummary {
        RemoveSummary {
            removed: report.removed,
            documents: report.documents,
        }
    }
}

/// The answer to `compact`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompactSummary {
    /// Segments before the run.
    pub segments_before: u64,
    /// Segments after it.
    pub segments: u64,
    /// Articles in the index.
    pub documents: u64,
}

impl From<CompactReport> for CompactSummary {
    fn from(report: CompactReport) -> CompactSummary {
        CompactSummary {
            segments_before: report.segments_before,
            segments: report.segments,
            documents: report.documents,
        }
    }
}

/// The answer of the server's health check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// Always `"ok"`: a server that answers is up.
    pub status: String,
    /// Articles the server currently searches.
    pub documents: u64,
}

/// An HTTP error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// What went wrong, as one word for programs: `bad_query`, `bad_date`, `bad_parameter`,
    /// `not_found`, `method_not_allowed`, `body_not_accepted`, `uri_too_long`,
    /// `headers_too_large` or `internal`.
    pub code: String,
    pub message: String,
}

/// Input that could not be indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub path: String,
    /// The line of a JSON Lines file; `null` for a whole file.
    pub line: Option<u64>,
    pub reason: String,
}

/// An article not stored because its date and text are those of an indexed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    pub path: String,
    pub line: Option<u64>,
    /// The id of the article already indexed.
    pub duplicate_of: String,
}

impl SearchResponse {
    pub fn new(request: &SearchRequest, results: SearchResults) -> SearchResponse {
        SearchResponse {
            query: request.filter.text.clone(),
            total: results.total,
            offset: request.offset,
            limit: request.limit,
            sort: request.sort.into(),
            hits: results.hits.into_iter().map(Hit::from).collect(),
            stories: results.stories,
        }
    }
}

impl SearchResponse {
    /// The answer to `related`: `query` is the id of the article the hits are like.
    pub fn related(request: &RelatedRequest, related: Related) -> SearchResponse {
        SearchResponse {
            query: request.id.clone(),
            total: related.results.total,
            offset: request.offset,
            limit: request.limit,
            sort: Sort::Relevance,
            hits: related.results.hits.into_iter().map(Hit::from).collect(),
            stories: related.results.stories,
        }
    }
}

impl From<search::Hit> for Hit {
    fn from(hit: search::Hit) -> Hit {
        let article = hit.article;
        Hit {
            rank: hit.rank,
            score: hit.score,
            id: article.id,
            path: article.path,
            date: article.date,
            title: article.title,
            snippet: hit.snippet.text,
            highlights: hit
                .snippet
                .highlights
                .iter()
                .map(|range| [range.start, range.end])
                .collect(),
            entities: entity_list(article.entities),
            story: story_id(article.story),
            similar: hit.similar,
        }
    }
}

fn entity_list(entities: Vec<crate::entities::Entity>) -> Vec<Entity> {
    entities.into_iter().map(Entity::from).collect()
}

impl From<crate::entities::Entity> for Entity {
    fn from(entity: crate::entities::Entity) -> Entity {
        Entity {
            name: entity.name,
            kind: entity.kind.into(),
        }
    }
}

impl From<LibraryEntityCount> for EntityCount {
    fn from(counted: LibraryEntityCount) -> EntityCount {
        EntityCount {
            name: counted.entity.name,
            kind: counted.entity.kind.into(),
            count: counted.count,
            score: None,
        }
    }
}

impl From<EntityKind> for EntityType {
    fn from(kind: EntityKind) -> EntityType {
        match kind {
            EntityKind::Person => EntityType::Person,
            EntityKind::Org => EntityType::Org,
            EntityKind::Place => EntityType::Place,
        }
    }
}

impl EntityType {
    /// Every type, in the order text output lists them.
    pub const ALL: [EntityType; 3] = [EntityType::Person, EntityType::Org, EntityType::Place];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::Org => "org",
            EntityType::Place => "place",
        }
    }
}

impl From<SortOrder> for Sort {
    fn from(order: SortOrder) -> Sort {
        match order {
            SortOrder::Relevance => Sort::Relevance,
            SortOrder::Newest => Sort::Newest,
            SortOrder::Oldest => Sort::Oldest,
        }
    }
}

impl Sort {
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
        }
    }
}

impl From<search::Stats> for Stats {
    fn from(stats: search::Stats) -> Stats {
        Stats {
            documents: stats.documents,
            first_date: stats.first_date,
            last_date: stats.last_date,
            months: stats
                .months
                .into_iter()
                .map(|(month, count)| MonthCount { month, count })
                .collect(),
            top_entities: counted_list(stats.top_entities),
        }
    }
}

fn counted_list(counts: Vec<LibraryEntityCount>) -> Vec<EntityCount> {
    counts.into_iter().map(EntityCount::from).collect()
}

impl Timeline {
    /// `buckets` are (first day, articles) in date order, as [`search::Archive::timeline`] gives them.
    pub fn new(
        query: &str,
        interval: search::Interval,
        buckets: Vec<(NaiveDate, u64)>,
        unique: bool,
    ) -> Timeline {
        Timeline {
            query: query.to_string(),
            interval: interval.into(),
            total: buckets.iter().map(|(_, count)| count).sum(),
            buckets: buckets
                .into_iter()
                .map(|(start, count)| Bucket { start, count })
                .collect(),
            unique,
        }
    }
}

impl From<search::Interval> for Interval {
    fn from(interval: search::Interval) -> Interval {
        match interval {
            search::Interval::Day => Interval::Day,
            search::Interval::Week => Interval::Week,
            search::Interval::Month => Interval::Month,
            search::Interval::Year => Interval::Year,
        }
    }
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
}

impl Entities {
    /// The tally [`search::Archive::top_entities`] gives.
    pub fn new(query: &str, tally: search::EntityTally) -> Entities {
        Entities {
            query: query.to_string(),
            documents: tally.documents,
            entities: counted_list(tally.entities),
            stories: tally.stories,
        }
    }
}

impl Entities {
    /// The answer to `entities --with`: `documents` are the matching articles mentioning the
    /// name, the counts those of them (with `unique`, of their stories) mentioning each entity.
    pub fn co_mentions(query: &str, answer: CoMentions) -> Entities {
        Entities {
            query: query.to_string(),
            documents: answer.documents,
            stories: answer.stories,
            entities: answer
                .found
                .into_iter()
                .map(|found| EntityCount {
                    name: found.entity.name,
                    kind: found.entity.kind.into(),
                    count: found.count,
                    score: Some(found.score),
                })
                .collect(),
        }
    }
}

impl From<trends::Trends> for Trends {
    fn from(trends: trends::Trends) -> Trends {
        Trends {
            from: trends.window.first,
            to: trends.window.last,
            baseline: Period {
                from: trends.baseline.first,
                to: trends.baseline.last,
            },
            entities: trends
                .entities
                .into_iter()
                .map(|rise| EntityTrend {
                    name: rise.item.name,
                    kind: rise.item.kind.into(),
                    count: rise.count,
                    baseline_count: rise.baseline_count,
                    score: rise.score,
                })
                .collect(),
            terms: trends
                .terms
                .into_iter()
                .map(|rise| TermTrend {
                    term: rise.item,
                    count: rise.count,
                    baseline_count: rise.baseline_count,
                    score: rise.score,
                })
                .collect(),
        }
    }
}

impl From<StoredArticle> for Article {
    fn from(article: StoredArticle) -> Article {
        Article {
            id: article.id,
            path: article.path,
            date: article.date,
            title: article.title,
            body: article.body,
            entities: entity_list(article.entities),
            url: article.url,
            source: article.source,
            story: story_id(article.story),
            similar: None,
        }
    }
}

impl Article {
    /// The answer to `show`: the article, and the other articles of its story.
    pub fn shown(found: crate::story_search::ArticleInStory) -> Article {
        let similar = found
            .others
            .into_iter()
            .map(|other| Similar {
                id: other.id,
                path: other.path,
                date: other.date,
                title: other.title,
            })
            .collect();
        Article {
            similar: Some(similar),
            ..Article::from(found.article)
        }
    }
}

impl From<IngestReport> for IngestSummary {
    fn from(report: IngestReport) -> IngestSummary {
        // Taken apart field by field, so a field added to the report does not compile until
        // the wire format has decided about it.
        let IngestReport {
            indexed,
            replaced,
            unchanged,
            duplicates,
            removed,
            moved,
            rejected,
            duplicate_articles,
            elapsed_ms,
            articles_per_second,
            documents,
            interrupted,
        } = report;
        IngestSummary {
            indexed,
            replaced,
            unchanged,
            duplicates,
            removed,
            moved,
            rejected: rejected.into_iter().map(Rejection::from).collect(),
            duplicate_articles: duplicate_articles
                .into_iter()
                .map(Duplicate::from)
                .collect(),
            elapsed_ms,
            articles_per_second,
            documents,
            interrupted,
        }
    }
}

impl From<ingest::Rejection> for Rejection {
    fn from(rejection: ingest::Rejection) -> Rejection {
        Rejection {
            path: rejection.path,
            line: rejection.line,
            reason: rejection.reason,
        }
    }
}

impl From<ingest::Duplicate> for Duplicate {
    fn from(duplicate: ingest::Duplicate) -> Duplicate {
        Duplicate {
            path: duplicate.path,
            line: duplicate.line,
            duplicate_of: duplicate.duplicate_of,
        }
    }
}

/// Days as `YYYY-MM-DD`.
mod day {
    use chrono::NaiveDate;
    use serde::{de, Deserialize, Deserializer, Serializer};

    pub const FORMAT: &str = "%Y-%m-%d";

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&date.format(FORMAT))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let text = String::deserialize(deserializer)?;
        NaiveDate::parse_from_str(&text, FORMAT).map_err(de::Error::custom)
    }
}

/// Days as `YYYY-MM-DD`, or `null`.
mod optional_day {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        date: &Option<NaiveDate>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => super::day::serialize(date, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        #[derive(Deserialize)]
        struct Day(#[serde(with = "super::day")] NaiveDate);
        Ok(Option::<Day>::deserialize(deserializer)?.map(|Day(date)| date))
    }
}

/// A month's first day as `YYYY-MM`.
mod month {
    use chrono::NaiveDate;
    use serde::{de, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&date.format("%Y-%m"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let text = String::deserialize(deserializer)?;
        NaiveDate::parse_from_str(&format!("{text}-01"), super::day::FORMAT)
            .map_err(|_| de::Error::custom(format!("{text:?} is not a month (YYYY-MM)")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// Serialises `value`, checks the exact JSON, and reads it back to the same value.
    fn round_trip<T>(value: &T, json: &str)
    where
        T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        assert_eq!(serde_json::to_string(value).unwrap(), json);
        assert_eq!(&serde_json::from_str::<T>(json).unwrap(), value);
    }

    fn hegseth() -> Entity {
        Entity {
            name: "Pete Hegseth".to_string(),
            kind: EntityType::Person,
        }
    }

    #[test]
    fn search_response_keys_and_dates_are_the_contract() {
        let response = SearchResponse {
            query: "budget".to_string(),
            total: 12,
            offset: 10,
            limit: 1,
            sort: Sort::Newest,
            hits: vec![Hit {
                rank: 11,
                score: 1.5,
                id: "a1".to_string(),
                path: "news/a.txt".to_string(),
                date: date("2025-02-01"),
                title: "Budget deal".to_string(),
                snippet: "a budget deal".to_string(),
                highlights: vec![[2, 8]],
                entities: vec![hegseth()],
                story: "00000000000000ab".to_string(),
                similar: Some(vec!["a2".to_string()]),
            }],
            stories: Some(7),
        };
        round_trip(
            &response,
            r#"{"query":"budget","total":12,"offset":10,"limit":1,"sort":"newest","hits":[{"rank":11,"score":1.5,"id":"a1","path":"news/a.txt","date":"2025-02-01","title":"Budget deal","snippet":"a budget deal","highlights":[[2,8]],"entities":[{"name":"Pete Hegseth","type":"person"}],"story":"00000000000000ab","similar":["a2"]}],"stories":7}"#,
        );
    }

    #[test]
    fn stats_months_are_year_and_month_and_empty_dates_are_null() {
        let stats = Stats {
            documents: 3,
            first_date: Some(date("2024-02-29")),
            last_date: None,
            months: vec![MonthCount {
                month: date("2024-02-01"),
                count: 3,
            }],
            top_entities: vec![EntityCount {
                name: "NATO".to_string(),
                kind: EntityType::Org,
                count: 2,
                score: None,
            }],
        };
        round_trip(
            &stats,
            r#"{"documents":3,"first_date":"2024-02-29","last_date":null,"months":[{"month":"2024-02","count":3}],"top_entities":[{"name":"NATO","type":"org","count":2}]}"#,
        );
    }

    #[test]
    fn timeline_totals_its_buckets() {
        let timeline = Timeline::new(
            "snow",
            search::Interval::Week,
            vec![(date("2024-12-30"), 2), (date("2025-01-06"), 0)],
            false,
        );
        round_trip(
            &timeline,
            r#"{"query":"snow","interval":"week","total":2,"buckets":[{"start":"2024-12-30","count":2},{"start":"2025-01-06","count":0}],"unique":false}"#,
        );
    }

    #[test]
    fn entities_and_articles_keep_their_keys() {
        round_trip(
            &Entities {
                query: "*".to_string(),
                documents: 4,
                entities: vec![],
                stories: None,
            },
            r#"{"query":"*","documents":4,"entities":[],"stories":null}"#,
        );
        round_trip(
            &Article {
                id: "j1".to_string(),
                path: "wire.jsonl".to_string(),
                date: date("2025-03-10"),
                title: "Budget passed".to_string(),
                body: "The budget passed.".to_string(),
                entities: vec![hegseth()],
                url: Some("https://example.org/j1".to_string()),
                source: None,
                story: "00000000000000ab".to_string(),
                similar: None,
            },
            r#"{"id":"j1","path":"wire.jsonl","date":"2025-03-10","title":"Budget passed","body":"The budget passed.","entities":[{"name":"Pete Hegseth","type":"person"}],"url":"https://example.org/j1","source":null,"story":"00000000000000ab"}"#,
        );
    }

    #[test]
    fn ingest_summary_carries_every_report_field() {
        let report = IngestReport {
            indexed: 2,
            replaced: 1,
            unchanged: 0,
            duplicates: 1,
            removed: 4,
            moved: 5,
            rejected: vec![ingest::Rejection {
                path: "feed.jsonl".to_string(),
                line: Some(3),
                reason: "expected a JSON object".to_string(),
            }],
            duplicate_articles: vec![ingest::Duplicate {
                path: "b.txt".to_string(),
                line: None,
                duplicate_of: "a1".to_string(),
            }],
            elapsed_ms: 40,
            articles_per_second: 100.0,
            documents: 3,
            interrupted: false,
        };
        round_trip(
            &IngestSummary::from(report),
            r#"{"indexed":2,"replaced":1,"unchanged":0,"duplicates":1,"removed":4,"moved":5,"rejected":[{"path":"feed.jsonl","line":3,"reason":"expected a JSON object"}],"duplicate_articles":[{"path":"b.txt","line":null,"duplicate_of":"a1"}],"elapsed_ms":40,"articles_per_second":100.0,"documents":3,"interrupted":false}"#,
        );
    }

    #[test]
    fn dates_that_are_not_days_are_refused() {
        assert!(serde_json::from_str::<Bucket>(r#"{"start":"2025-02-30","count":1}"#).is_err());
        assert!(serde_json::from_str::<MonthCount>(r#"{"month":"2025-13","count":1}"#).is_err());
    }
}
