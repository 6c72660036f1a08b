//! The JSON wire format, pinned: every object is deserialised with unknown fields refused.
//! Fields that no test reads are still here: deserialising them checks they are present.
#![allow(dead_code)]

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityRef {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub id: String,
    pub path: String,
    pub date: String,
    pub title: String,
    pub snippet: String,
    pub highlights: Vec<[usize; 2]>,
    pub entities: Vec<EntityRef>,
    pub story: String,
    /// Only with `collapse`.
    #[serde(default)]
    pub similar: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Search {
    pub query: String,
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub sort: String,
    pub hits: Vec<Hit>,
    /// `null` except with `collapse`.
    pub stories: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    pub path: String,
    pub line: Option<u64>,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateRef {
    pub path: String,
    pub line: Option<u64>,
    pub duplicate_of: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ingest {
    pub indexed: u64,
    pub replaced: u64,
    pub unchanged: u64,
    pub duplicates: u64,
    pub removed: u64,
    pub moved: u64,
    pub rejected: Vec<Rejection>,
    pub duplicate_articles: Vec<DuplicateRef>,
    pub elapsed_ms: u64,
    pub articles_per_second: f64,
    pub documents: u64,
    pub interrupted: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthCount {
    pub month: String,
    pub count: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityCount {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub count: u64,
    /// Only with `entities --with`.
    #[serde(default)]
    pub score: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stats {
    pub documents: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub months: Vec<MonthCount>,
    pub top_entities: Vec<EntityCount>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bucket {
    pub start: String,
    pub count: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timeline {
    pub query: String,
    pub interval: String,
    pub total: u64,
    pub buckets: Vec<Bucket>,
    pub unique: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entities {
    pub query: String,
    pub documents: usize,
    pub entities: Vec<EntityCount>,
    /// `null` except with `unique`.
    pub stories: Option<usize>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Article {
    pub id: String,
    pub path: String,
    pub date: String,
    pub title: String,
    pub body: String,
    pub entities: Vec<EntityRefEq>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub story: String,
    /// Only in `show`.
    #[serde(default)]
    pub similar: Option<Vec<SimilarRef>>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SimilarRef {
    pub id: String,
    pub path: String,
    pub date: String,
    pub title: String,
}

#[derive(Debug, Deserialize, PartialEq, Eq, Clone)]
#[serde(deny_unknown_fields)]
pub struct EntityRefEq {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}
