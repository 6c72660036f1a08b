//! More like this: the articles closest to one article by its distinctive words and entities,
//! within a window of days around it.
//!
//! The article's words are weighed by tf-idf (title words counting more), the strongest become
//! a disjunction of BM25-scored term queries over title and body, and its entities join them,
//! lightly weighted, as terms of the entity field. Only articles within the window around its
//! date can match, and none of its own story (itself and its near-copies). The
//! choices are measured by `examples/related_eval.rs` (BENCHMARKS.md, "Related articles").

use std::collections::HashMap;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, StopWordFilter, TextAnalyzer, TokenStream,
};
use tantivy::{Searcher, TantivyDocument, Term};

use crate::dates::{DateRange, Span};
use crate::error::Result;
use crate::query::Filter;
use crate::query::SortOrder;
use crate::schema::StoredArticle;
use crate::search::{ranked, Archive, Hit, SearchResults};
use crate::significance::idf;
use crate::snippet::Snippets;
use crate::stemming::CachedEnglishStemmer;
use crate::words::WordTokenizer;

/// Words of the article that make up the query, by tf-idf. Measured on the tune half of
/// `related_eval` (P@10, no window): 10 words 0.58, 25 words 0.60 (with the boosts of
/// tantivy's more-like-this), and with each word scored by BM25 alone: 25 words 0.69, 40
/// 0.725, 60 0.737, 100 0.735. Beyond a few dozen, the words left are the article's common
/// ones, whose low idf adds little.
const MAX_TERMS: usize = 60;
/// A title word counts as this many occurrences in the body when words are chosen: the
/// headline names the subject (1 and 5 did the same on Reuters, whose articles are short).
const TITLE_WEIGHT: f32 = 3.0;
/// The weight of a title match against a body match of the same word. Measured with 25 words:
/// 0 0.709, 0.5 0.712, 1 0.705, 2 (as `search`) 0.685, 3 0.671; with 60, 0.5 and 1 both 0.737.
const TITLE_BOOST: f32 = 1.0;
/// The weight of one of the article's entities (its BM25 score on the entity field) against a
/// word's. Entities name the same event more surely than words, but on Reuters, whose
/// relevance is a shared topic (commodities, earnings, acquisitions), they only cost: 0.5
/// -0.02, 0.25 -0.013, 0.1 -0.001. Their words already count among the terms; this small weight
/// breaks ties between articles with the same words in favour of those about the same names.
const ENTITY_BOOST: f32 = 0.1;
/// Which articles to find: those like `id`, within `within` of its date (all dates if `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedRequest {
    pub id: String,
    pub within: Option<Span>,
    pub limit: usize,
    /// Hits to skip, as a search's pages do.
    pub offset: usize,
}

/// The answer: hits as a search gives them, and the source article they are related to.
#[derive(Debug, Clone)]
pub struct Related {
    pub source: StoredArticle,
    /// The window searched.
    pub dates: DateRange,
    pub results: SearchResults,
}

impl Archive {
    /// The articles most like the one with `request.id`, best first, the article itself and
    /// the other articles of its story (its near-copies) left out.
    pub fn related(&self, request: &RelatedRequest) -> Result<Related> {
        let searcher = self.reader.searcher();
        let (_, source) = self.find(&searcher, &request.id)?;
        let dates = request
            .within
            .map(|span| span.around(source.date))
            .unwrap_or_default();
        let likeness = self.likeness_query(&searcher, &source)?;
        let Some(likeness) = likeness else {
            return Ok(Related {
                source,
                dates,
                results: SearchResults {
                    total: 0,
                    stories: None,
                    hits: Vec::new(),
                },
            });
        };
        let fields = self.store.fields;
        // The article's story holds the article itself and its near-copies: none of them is
        // other coverage.
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, likeness.box_clone()),
            (
                Occur::MustNot,
                Box::new(TermQuery::new(
                    fields.story_term(source.story),
                    IndexRecordOption::Basic,
                )),
            ),
        ];
        if !dates.is_all() {
            let window = Filter {
                dates,
                ..Filter::default()
            };
            clauses.push((Occur::Must, window.build(&self.store)?.query));
        }
        let query = BooleanQuery::new(clauses);
        let (total, ranked) = ranked(
            &searcher,
            &query,
            SortOrder::Relevance,
            request.limit,
            request.offset,
        )?;
        let mut snippets = Snippets::for_query(&searcher, &*likeness, fields.body)?;
        let mut hits = Vec::with_capacity(ranked.len());
        for (position, (score, address)) in ranked.into_iter().enumerate() {
            let doc: TantivyDocument = searcher.doc(address)?;
            let article = fields.to_stored(&doc);
            hits.push(Hit {
                rank: request.offset + position + 1,
                score,
                snippet: Snippets::of(Some(&mut snippets), &article),
                article,
                similar: None,
            });
        }
        Ok(Related {
            source,
            dates,
            results: SearchResults {
                total,
                stories: None,
                hits,
            },
        })
    }

    /// The article's strongest words and its entities as one disjunction, or `None` when it
    /// has nothing another article could share.
    fn likeness_query(
        &self,
        searcher: &Searcher,
        source: &StoredArticle,
    ) -> Result<Option<Box<dyn Query>>> {
        let fields = self.store.fields;
        let terms = distinctive_terms(searcher, fields.body, &source.title, &source.body)?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // tf-idf only chooses the words; each scores by its own BM25, which weighs it by idf
        // already. Boosting by tf-idf too, as Lucene's more-like-this does, squared the idf
        // and let a rare word outweigh the subject: P@10 0.60 against 0.69 with 25 words.
        for (word, _) in &terms {
            for (field, boost) in [(fields.body, 1.0), (fields.title, TITLE_BOOST)] {
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, word),
                            IndexRecordOption::WithFreqs,
                        )),
                        boost,
                    )),
                ));
            }
        }
        let mut seen = Vec::new();
        for entity in &source.entities {
            let key = entity.name.to_lowercase();
            if seen.contains(&key) {
                continue;
            }
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(
                        Term::from_field_text(fields.entity, &key),
                        IndexRecordOption::Basic,
                    )),
                    ENTITY_BOOST,
                )),
            ));
            seen.push(key);
        }
        if clauses.is_empty() {
            return Ok(None);
        }
        Ok(Some(Box::new(BooleanQuery::new(clauses))))
    }
}

/// The words of `title` and `body` as `field` indexes them (stems), strongest first, by
/// tf-idf: occurrences (a title word counting [`TITLE_WEIGHT`]) times the word's inverse
/// document frequency in `field`. Stop words, numbers and words no other article has are left
/// out.
fn distinctive_terms(
    searcher: &Searcher,
    field: Field,
    title: &str,
    body: &str,
) -> Result<Vec<(String, f32)>> {
    let mut analyzer = words_analyzer();
    let mut counts: HashMap<String, f32> = HashMap::new();
    for (text, weight) in [(title, TITLE_WEIGHT), (body, 1.0)] {
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            if token.text.len() < 2 || token.text.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            *counts.entry(token.text.clone()).or_default() += weight;
        }
    }
    let documents = searcher.num_docs() as f32;
    let mut weighted = Vec::with_capacity(counts.len());
    for (word, count) in counts {
        let frequency = searcher.doc_freq(&Term::from_field_text(field, &word))? as f32;
        // The article itself is one of the documents: a word only it has links to nothing.
        if frequency < 2.0 {
            continue;
        }
        weighted.push((word, count * idf(documents, frequency)));
    }
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    weighted.truncate(MAX_TERMS);
    Ok(weighted)
}

/// The analysis of `title` and `body` (`en_stem`) with English stop words removed first.
fn words_analyzer() -> TextAnalyzer {
    let builder = TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .dynamic();
    let builder = match StopWordFilter::new(Language::English) {
        Some(stop_words) => builder.filter_dynamic(stop_words),
        None => builder,
    };
    builder.filter_dynamic(CachedEnglishStemmer).build()
}
