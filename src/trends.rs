//! What changed: the entities and words that significantly more articles mention in a window of
//! days than in a baseline period.
//!
//! Counts are articles (an article mentioning a word ten times counts once), and each entity or
//! word is scored by the signed log-likelihood ratio G² of its count in the window against its
//! count in the baseline ([`crate::significance`]). Listed are those more frequent in the window,
//! in at least [`MIN_COUNT`] of its articles, with G² of at least [`MIN_SCORE`] (p < 0.05),
//! strongest first. Words are title and body words as written, lower-cased (the index's `exact`
//! field), leaving out single letters and words with a digit (numbers, and the contract months
//! and codes of price tables such as `may7`).

use std::collections::HashMap;

use chrono::NaiveDate;
use tantivy::collector::Count;
use tantivy::schema::IndexRecordOption;
use tantivy::DocId;

use crate::dates::DateRange;
use crate::entities::{Entity, EntityKind};
use crate::error::Result;
use crate::query::Filter;
use crate::schema::{self, datetime_to_day};
use crate::search::Archive;
use crate::significance::signed_g2;

/// Fewest window articles for an entity or word to be listed: one article is an anecdote.
pub const MIN_COUNT: u64 = 2;
/// Least G² listed: the 95th percentile of χ² with one degree of freedom. The ranking, not
/// this cut, is what matters on a large archive, where many words pass it.
pub const MIN_SCORE: f64 = 3.841;
/// How many times longer than the window the default baseline is.
pub const BASELINE_FACTOR: i64 = 4;

/// The window to look at, the period to compare it with, and how much to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendsRequest {
    pub window: Period,
    pub baseline: Period,
    /// Only entities of this type (words are listed whatever it is).
    pub kind: Option<EntityKind>,
    /// Most entities, and most words, listed.
    pub limit: usize,
}

/// A closed range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Period {
    /// The range's days, if both ends are given.
    pub fn closed(range: DateRange) -> Option<Period> {
        Some(Period {
            first: range.first?,
            last: range.last?,
        })
    }

    /// The period just before this one, [`BASELINE_FACTOR`] times as long; `None` before the
    /// calendar starts.
    pub fn preceding(&self) -> Option<Period> {
        let days = self.last.signed_duration_since(self.first).num_days() + 1;
        let last = self.first.pred_opt()?;
        let first = last.checked_sub_days(chrono::Days::new(
            u64::try_from(days * BASELINE_FACTOR - 1).ok()?,
        ))?;
        Some(Period { first, last })
    }

    pub fn range(&self) -> DateRange {
        DateRange {
            first: Some(self.first),
            last: Some(self.last),
        }
    }

    fn contains(&self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }
}

/// One entity or word that rose: its articles in the window and in the baseline, and G².
#[derive(Debug, Clone, PartialEq)]
pub struct Rise<T> {
    pub item: T,
    pub count: u64,
    pub baseline_count: u64,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Trends {
    pub window: Period,
    pub baseline: Period,
    pub entities: Vec<Rise<Entity>>,
    pub terms: Vec<Rise<String>>,
}

impl Archive {
    pub fn trends(&self, request: &TrendsRequest) -> Result<Trends> {
        let searcher = self.reader.searcher();
        let in_dates = |period: Period| Filter {
            dates: period.range(),
            ..Filter::default()
        };
        let window_filter = in_dates(request.window);
        let baseline_filter = in_dates(request.baseline);
        let documents = |filter: &Filter| -> Result<u64> {
            let built = filter.build(&self.store)?;
            Ok(searcher.search(&*built.query, &Count)? as u64)
        };
        let (window_documents, baseline_documents) =
            (documents(&window_filter)?, documents(&baseline_filter)?);

        let (_, _, in_window) = self.entity_counts(&window_filter, false)?;
        let (_, _, in_baseline) = self.entity_counts(&baseline_filter, false)?;
        let entities = rising(
            in_window
                .into_iter()
                .filter(|(entity, _)| request.kind.is_none_or(|kind| entity.kind == kind))
                .map(|(entity, count)| {
                    let before = in_baseline.get(&entity).copied().unwrap_or(0);
                    (entity, count, before)
                }),
            window_documents,
            baseline_documents,
            request.limit,
            |a: &Entity, b: &Entity| a.name.cmp(&b.name).then(a.kind.cmp(&b.kind)),
        );
        let words = self.word_counts(&searcher, request.window, request.baseline)?;
        let terms = rising(
            words
                .into_iter()
                .map(|(word, (count, before))| (word, count, before)),
            window_documents,
            baseline_documents,
            request.limit,
            |a: &String, b: &String| a.cmp(b),
        );
        Ok(Trends {
            window: request.window,
            baseline: request.baseline,
            entities,
            terms,
        })
    }

    /// For every word (of the `exact` field) in an article of the window: how many articles of
    /// the window and of the baseline have it. Each segment's posting lists are read once,
    /// and each article's period looked up in a table made from the date column.
    fn word_counts(
        &self,
        searcher: &tantivy::Searcher,
        window: Period,
        baseline: Period,
    ) -> Result<HashMap<String, (u64, u64)>> {
        const NEITHER: u8 = 0;
        const WINDOW: u8 = 1;
        const BASELINE: u8 = 2;
        let mut words: HashMap<String, (u64, u64)> = HashMap::new();
        for segment in searcher.segment_readers() {
            let dates = segment.fast_fields().date(schema::DATE)?;
            let alive = segment.alive_bitset();
            let mut period = vec![NEITHER; segment.max_doc() as usize];
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|alive| !alive.is_alive(doc)) {
                    continue;
                }
                let Some(day) = dates.first(doc).map(datetime_to_day) else {
                    continue;
                };
                period[doc as usize] = if window.contains(day) {
                    WINDOW
                } else if baseline.contains(day) {
                    BASELINE
                } else {
                    NEITHER
                };
            }
            if !period.contains(&WINDOW) {
                continue;
            }
            let inverted = segment.inverted_index(self.store.fields.exact)?;
            let mut stream = inverted
                .terms()
                .stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                let mut postings = inverted
                    .read_block_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)
                    .map_err(tantivy::TantivyError::from)?;
                let (mut in_window, mut in_baseline) = (0u64, 0u64);
                loop {
                    let docs: &[DocId] = postings.docs();
                    if docs.is_empty() {
                        break;
                    }
                    for &doc in docs {
                        match period.get(doc as usize) {
                            Some(&WINDOW) => in_window += 1,
                            Some(&BASELINE) => in_baseline += 1,
                            _ => {}
                        }
                    }
                    postings.advance();
                }
                if in_window == 0 {
                    continue;
                }
                let Ok(word) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if word.bytes().any(|b| b.is_ascii_digit()) || word.chars().nth(1).is_none() {
                    continue;
                }
                let counts = words.entry(word.to_string()).or_default();
                counts.0 += in_window;
                counts.1 += in_baseline;
            }
        }
        Ok(words)
    }
}

/// The items more frequent in the window, at least [`MIN_COUNT`] there and scoring at least
/// [`MIN_SCORE`], strongest first (ties by `order`), at most `limit`.
fn rising<T>(
    counts: impl Iterator<Item = (T, u64, u64)>,
    window_documents: u64,
    baseline_documents: u64,
    limit: usize,
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Vec<Rise<T>> {
    let mut rises: Vec<Rise<T>> = counts
        .filter(|(_, count, _)| *count >= MIN_COUNT)
        .map(|(item, count, baseline_count)| Rise {
            score: signed_g2(count, window_documents, baseline_count, baseline_documents),
            item,
            count,
            baseline_count,
        })
        .filter(|rise| rise.score >= MIN_SCORE)
        .collect();
    rises.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| order(&a.item, &b.item))
    });
    rises.truncate(limit);
    rises
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        crate::dates::parse_day(text).unwrap()
    }

    #[test]
    fn the_default_baseline_is_the_four_times_longer_period_before() {
        let window = Period {
            first: day("2025-03-01"),
            last: day("2025-03-10"),
        };
        assert_eq!(
            window.preceding(),
            Some(Period {
                first: day("2025-01-20"),
                last: day("2025-02-28"),
            })
        );
    }

    #[test]
    fn rising_keeps_significant_increases_only() {
        let counts = vec![
            ("burst", 20, 2),
            ("steady", 10, 40),
            ("falling", 2, 80),
            ("once", 1, 0),
        ];
        let rises = rising(counts.into_iter(), 100, 400, 10, |a, b| a.cmp(b));
        let names: Vec<&str> = rises.iter().map(|rise| rise.item).collect();
        assert_eq!(names, ["burst"]);
    }
}
