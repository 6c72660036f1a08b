//! A query with an optional bonus: the matches of one query, each scored as that query scores
//! it plus the scores of the bonus terms it contains. It answers as `+query bonus...` would,
//! and it lets the ranking skip what cannot make the page.
//!
//! tantivy skips with block-max WAND only over a union of terms whose stored block maxima are
//! true bounds. The bonus terms (the exact forms of the query's words) live in a field without
//! lengths, whose stored maxima are zero, so inside such a union they would make it skip
//! articles that belong on the page. Here the required query prunes alone, against the
//! threshold less the most the bonus can add, and each article it keeps looks its bonus up.

use std::fmt;

use tantivy::query::{
    Bm25Weight, BooleanQuery, BoostQuery, EnableScoring, Explanation, Occur, Query, Scorer,
    TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// `required`, with each bonus term adding its BM25 score times `boost` to the score of the
/// matches that contain it.
pub struct WithBonus {
    required: Box<dyn Query>,
    bonus: Vec<Term>,
    boost: Score,
}

impl WithBonus {
    pub fn new(required: Box<dyn Query>, bonus: Vec<Term>, boost: Score) -> WithBonus {
        WithBonus {
            required,
            bonus,
            boost,
        }
    }

    fn bonus_query(&self, term: &Term) -> Box<dyn Query> {
        Box::new(BoostQuery::new(
            Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
            self.boost,
        ))
    }

    /// The same query, as tantivy's own boolean query.
    fn as_boolean(&self) -> BooleanQuery {
        let bonus = self
            .bonus
            .iter()
            .map(|term| (Occur::Should, self.bonus_query(term)))
            .collect();
        BooleanQuery::new(vec![
            (Occur::Must, self.required.box_clone()),
            (Occur::Should, Box::new(BooleanQuery::new(bonus))),
        ])
    }
}

impl Clone for WithBonus {
    fn clone(&self) -> Self {
        WithBonus {
            required: self.required.box_clone(),
            bonus: self.bonus.clone(),
            boost: self.boost,
        }
    }
}

impl fmt::Debug for WithBonus {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "WithBonus({:?}, {:?})", self.required, self.bonus)
    }
}

impl Query for WithBonus {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let combined = self.as_boolean().weight(enable_scoring)?;
        let EnableScoring::Enabled {
            statistics_provider,
            ..
        } = enable_scoring
        else {
            return Ok(combined);
        };
        // The most a term can score is its BM25 weight's bound, whatever the article.
        let mut most: Score = 0.0;
        for term in &self.bonus {
            most += Bm25Weight::for_terms(statistics_provider, std::slice::from_ref(term))?
                .boost_by(self.boost)
                .max_score();
        }
        Ok(Box::new(BonusWeight {
            combined,
            required: self.required.weight(enable_scoring)?,
            bonus: self
                .bonus
                .iter()
                .map(|term| self.bonus_query(term).weight(enable_scoring))
                .collect::<tantivy::Result<_>>()?,
            most,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.required.query_terms(visitor);
        for term in &self.bonus {
            visitor(term, false);
        }
    }
}

struct BonusWeight {
    /// `+required bonus...`: scores one article at a time.
    combined: Box<dyn Weight>,
    required: Box<dyn Weight>,
    bonus: Vec<Box<dyn Weight>>,
    /// The most the bonus can add to an article's score.
    most: Score,
}

impl Weight for BonusWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.combined.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.combined.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.required.count(reader)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let scorers = || -> tantivy::Result<Vec<Box<dyn Scorer>>> {
            self.bonus
                .iter()
                .map(|weight| weight.scorer(reader, 1.0))
                .collect()
        };
        let mut bonus = scorers()?;
        let mut last = 0;
        let mut failed = None;
        let most = self.most;
        let mut threshold = threshold;
        self.required
            .for_each_pruning(threshold - most, reader, &mut |doc, score| {
                // Articles come in increasing order, so each bonus list is read once, unless
                // the words make several passes (a soft AND does): then it starts again.
                if doc < last {
                    match scorers() {
                        Ok(fresh) => bonus = fresh,
                        Err(err) => {
                            failed = Some(err);
                            return Score::INFINITY;
                        }
                    }
                }
                last = doc;
                let mut added: Score = 0.0;
                for scorer in bonus.iter_mut() {
                    if scorer.doc() < doc {
                        scorer.seek(doc);
                    }
                    if scorer.doc() == doc {
                        added += scorer.score();
                    }
                }
                let total = score + added;
                if total > threshold {
                    threshold = callback(doc, total);
                }
                threshold - most
            })?;
        failed.map_or(Ok(()), Err)
    }
}
