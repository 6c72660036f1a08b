//! A length prior: a query wrapper that scales each article's text score by how long its body
//! is, so near-empty items (price tables, one-line notices whose headline is the query word)
//! stop outranking the reports about the subject.
//!
//! BM25 alone favours short bodies: one occurrence in twenty words scores higher than five in
//! five hundred. News archives are full of such short items (wire tables, "guesstimates",
//! corrections), and a reader searching a subject wants the reports first.

use std::fmt;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::Field;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// How much of its score an article of `words` body words keeps: `words / (words + half)`.
/// Smooth, and close to 1 for ordinary articles (with `half` 10, a hundred words keep 0.91 and
/// four hundred 0.98), so it reorders mainly the near-empty items.
pub fn factor(words: u32, half: f32) -> Score {
    let words = words as f32;
    words / (words + half)
}

/// `query`, with each document's score multiplied by the prior of its `field` length.
pub struct LengthPrior {
    query: Box<dyn Query>,
    field: Field,
    table: [Score; 256],
}

impl LengthPrior {
    /// `half`: the length of `field`, in words, at which a document keeps half its score.
    pub fn new(query: Box<dyn Query>, field: Field, half: f32) -> LengthPrior {
        // Field norms are stored as one byte per document: the prior of every possible byte is
        // computed once, so scoring costs a table look-up.
        let mut table = [0.0; 256];
        for (id, slot) in table.iter_mut().enumerate() {
            *slot = factor(FieldNormReader::id_to_fieldnorm(id as u8), half);
        }
        LengthPrior {
            query,
            field,
            table,
        }
    }
}

impl Clone for LengthPrior {
    fn clone(&self) -> Self {
        LengthPrior {
            query: self.query.box_clone(),
            field: self.field,
            table: self.table,
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
            field: self.field,
            table: self.table,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor)
    }
}

struct PriorWeight {
    inner: Box<dyn Weight>,
    field: Field,
    table: [Score; 256],
}

impl Weight for PriorWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(PriorScorer {
            inner: self.inner.scorer(reader, boost)?,
            norms: reader.get_fieldnorms_reader(self.field)?,
            table: self.table,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let norms = reader.get_fieldnorms_reader(self.field)?;
        let prior = self.table[norms.fieldnorm_id(doc) as usize];
        let label = format!("length prior x{prior} ({} words)", norms.fieldnorm(doc));
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
        let norms = reader.get_fieldnorms_reader(self.field)?;
        let mut threshold = threshold;
        self.inner
            .for_each_pruning(threshold, reader, &mut |doc, score| {
                let scaled = score * self.table[norms.fieldnorm_id(doc) as usize];
                if scaled > threshold {
                    threshold = callback(doc, scaled);
                }
                threshold
            })
    }
}

struct PriorScorer {
    inner: Box<dyn Scorer>,
    norms: FieldNormReader,
    table: [Score; 256],
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
        let id = self.norms.fieldnorm_id(self.inner.doc());
        self.inner.score() * self.table[id as usize]
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
