//! A length prior: a query wrapper that scales each article's text score by how much prose its
//! body has, so near-empty items (price tables, one-line notices whose headline is the query
//! word) stop outranking the reports about the subject.
//!
//! BM25 alone favours short bodies: one occurrence in twenty words scores higher than five in
//! five hundred. News archives are full of such short items (wire tables, "guesstimates",
//! corrections), and a reader searching a subject wants the reports first. Length is counted
//! in words of prose ([`crate::schema::prose_words`]), not in tokens: a wire price table ("MAY7 13100L 13105H 13350") is long
//! in tokens and says nothing in words.

use std::fmt;

use tantivy::columnar::Column;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

use crate::schema::PROSE_WORDS;

/// How much of its score an article of `words` body words keeps: `words / (words + half)`.
/// Smooth, and close to 1 for ordinary articles (with `half` 10, a hundred words keep 0.91 and
/// four hundred 0.98), so it reorders mainly the near-empty items.
pub fn factor(words: u32, half: f32) -> Score {
    let words = words as f32;
    words / (words + half)
}

/// `query`, with each document's score multiplied by the prior of its words of prose.
pub struct LengthPrior {
    query: Box<dyn Query>,
    half: f32,
}

impl LengthPrior {
    /// `half`: the words of prose at which a document keeps half its score.
    pub fn new(query: Box<dyn Query>, half: f32) -> LengthPrior {
        LengthPrior { query, half }
    }
}

impl Clone for LengthPrior {
    fn clone(&self) -> Self {
        LengthPrior {
            query: self.query.box_clone(),
            half: self.half,
        }
    }
}

impl fmt::Debug for LengthPrior {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "LengthPrior({:?})", self.query)
    }
}

impl Query for LengthPrior {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.query.weight(enable_scoring)?;
        if !enable_scoring.is_scoring_enabled() {
            return Ok(inner);
        }
        Ok(Box::new(PriorWeight {
            inner,
            half: self.half,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor)
    }
}

struct PriorWeight {
    inner: Box<dyn Weight>,
    half: f32,
}

/// A segment's words of prose per document, as priors.
struct Priors {
    words: Column<u64>,
    half: f32,
}

impl Priors {
    fn open(reader: &SegmentReader, half: f32) -> tantivy::Result<Priors> {
        Ok(Priors {
            words: reader.fast_fields().u64(PROSE_WORDS)?,
            half,
        })
    }

    fn words(&self, doc: DocId) -> u32 {
        self.words.first(doc).unwrap_or(0).min(u32::MAX as u64) as u32
    }

    fn of(&self, doc: DocId) -> Score {
        factor(self.words(doc), self.half)
    }
}

impl Weight for PriorWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(PriorScorer {
            inner: self.inner.scorer(reader, boost)?,
            priors: Priors::open(reader, self.half)?,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let priors = Priors::open(reader, self.half)?;
        let prior = priors.of(doc);
        let label = format!(
            "length prior x{prior} ({} words of prose)",
            priors.words(doc)
        );
        let mut explanation = Explanation::new_with_string(label, inner.value() * prior);
        explanation.add_detail(inner);
        Ok(explanation)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }

    /// The inner query prunes as it would alone (block-max WAND on a union of words): the
    /// prior never raises a score, so whatever cannot beat the threshold before it cannot
    /// after it either.
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let priors = Priors::open(reader, self.half)?;
        let mut threshold = threshold;
        self.inner
            .for_each_pruning(threshold, reader, &mut |doc, score| {
                let scaled = score * priors.of(doc);
                if scaled > threshold {
                    threshold = callback(doc, scaled);
                }
                threshold
            })
    }
}

struct PriorScorer {
    inner: Box<dyn Scorer>,
    priors: Priors,
}

impl DocSet for PriorScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for PriorScorer {
    fn score(&mut self) -> Score {
        self.inner.score() * self.priors.of(self.inner.doc())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prior_spares_articles_and_shrinks_near_empty_items() {
        assert!(factor(0, 10.0) == 0.0);
        assert!((factor(10, 10.0) - 0.5).abs() < 1e-6);
        assert!(factor(400, 10.0) > 0.97);
        assert!(factor(5, 10.0) < factor(50, 10.0));
    }
}
