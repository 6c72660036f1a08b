//! The best-scoring articles of a search, ties broken by date (newest first) and then by id, so
//! that the order never depends on how the index happens to be split into segments.
//!
//! tantivy's `TopDocs` ordered by a (score, date, id) key visits and scores every matching
//! article. This collector keeps the same order but lets the query skip what cannot enter the
//! page (`Weight::for_each_pruning`, which runs block-max WAND on unions of words): a one-word
//! search at x10 scored all of its 15,000 matches to keep ten.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Weight;
use tantivy::{DateTime, DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::schema;

/// The `limit` best articles, best first.
pub struct TopHits {
    limit: usize,
}

impl TopHits {
    pub fn with_limit(limit: usize) -> TopHits {
        TopHits { limit }
    }
}

/// One candidate in a segment: its score, day and id ordinal (ids sort as their ordinals do
/// within a segment, since a segment's dictionary is sorted).
#[derive(Clone, Copy, Debug)]
struct Candidate {
    score: Score,
    date: i64,
    id_ord: u64,
    doc: DocId,
}

impl Candidate {
    /// `Less` when `self` ranks before `other`.
    fn rank(&self, other: &Candidate) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(other.date.cmp(&self.date))
            .then(self.id_ord.cmp(&other.id_ord))
            .then(self.doc.cmp(&other.doc))
    }
}

// The heap keeps the worst candidate on top, to be replaced when a better one comes.
impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.rank(other)
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

pub struct TopHitsSegment {
    limit: usize,
    segment: SegmentOrdinal,
    dates: Column<DateTime>,
    ids: Option<StrColumn>,
    heap: BinaryHeap<Candidate>,
}

impl TopHitsSegment {
    fn push(&mut self, doc: DocId, score: Score) {
        if self.limit == 0 {
            return;
        }
        let candidate = Candidate {
            score,
            date: self
                .dates
                .first(doc)
                .map_or(i64::MIN, |date| date.into_timestamp_nanos()),
            id_ord: self
                .ids
                .as_ref()
                .and_then(|ids| ids.term_ords(doc).next())
                .unwrap_or(u64::MAX),
            doc,
        };
        if self.heap.len() < self.limit {
            self.heap.push(candidate);
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if candidate.rank(&worst) == Ordering::Less {
                *worst = candidate;
            }
        }
    }

    /// Scores at or below this cannot enter the page. Equal scores still can (on date or id),
    /// so the bound is the float just below the worst kept score.
    fn threshold(&self) -> Score {
        match self.heap.peek() {
            Some(worst) if self.heap.len() >= self.limit => worst.score.next_down(),
            _ => Score::MIN,
        }
    }
}

/// A segment's best, with what orders equal scores and days against other segments.
pub struct SegmentHits {
    hits: Vec<(Score, i64, u64, DocAddress)>,
    ids: Option<StrColumn>,
}

impl SegmentHits {
    fn id(&self, ord: u64) -> String {
        let mut id = String::new();
        if let Some(ids) = &self.ids {
            // A failed look-up leaves the id empty: it only decides ties.
            let _ = ids.ord_to_str(ord, &mut id);
        }
        id
    }
}

impl SegmentCollector for TopHitsSegment {
    type Fruit = SegmentHits;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.push(doc, score);
    }

    fn harvest(self) -> SegmentHits {
        let segment = self.segment;
        SegmentHits {
            hits: self
                .heap
                .into_vec()
                .into_iter()
                .map(|c| (c.score, c.date, c.id_ord, DocAddress::new(segment, c.doc)))
                .collect(),
            ids: self.ids,
        }
    }
}

impl Collector for TopHits {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = TopHitsSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<TopHitsSegment> {
        let fast = reader.fast_fields();
        Ok(TopHitsSegment {
            limit: self.limit,
            segment,
            dates: fast.date(schema::DATE)?,
            ids: fast.str(schema::ID)?,
            heap: BinaryHeap::with_capacity(self.limit.min(1024) + 1),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<SegmentHits>) -> tantivy::Result<Self::Fruit> {
        // (score, day, index of the segment's hits, id ordinal, address)
        let mut all: Vec<(Score, i64, usize, u64, DocAddress)> = segments
            .iter()
            .enumerate()
            .flat_map(|(n, segment)| {
                segment
                    .hits
                    .iter()
                    .map(move |&(score, date, ord, address)| (score, date, n, ord, address))
            })
            .collect();
        let by_score_and_day =
            |a: &(Score, i64, usize, u64, DocAddress), b: &(Score, i64, usize, u64, DocAddress)| {
                b.0.total_cmp(&a.0).then(b.1.cmp(&a.1))
            };
        all.sort_by(|a, b| by_score_and_day(a, b).then((a.2, a.3).cmp(&(b.2, b.3))));
        // Articles of equal score and day are ordered by id. Ids are looked up only for them
        // (a look-up decodes a dictionary block), and compared as text across segments.
        let mut start = 0;
        while start < all.len() {
            let mut end = start + 1;
            while end < all.len() && by_score_and_day(&all[start], &all[end]).is_eq() {
                end += 1;
            }
            let run = &mut all[start..end];
            if run.iter().any(|hit| hit.2 != run[0].2) {
                run.sort_by_cached_key(|hit| (segments[hit.2].id(hit.3), hit.4));
            }
            start = end;
        }
        all.truncate(self.limit);
        Ok(all
            .into_iter()
            .map(|(score, _, _, _, address)| (score, address))
            .collect())
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentHits> {
        let mut top = self.for_segment(segment, reader)?;
        if self.limit == 0 {
            return Ok(top.harvest());
        }
        let alive = reader.alive_bitset();
        weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                top.push(doc, score);
            }
            top.threshold()
        })?;
        Ok(top.harvest())
    }
}
