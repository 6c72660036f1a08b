//! Snippets: the passage of an article that shows the query's words best, with those words
//! marked.
//!
//! The method is tantivy's `SnippetGenerator` (fragments of at most [`SNIPPET_CHARS`] cut at
//! token boundaries, each scored by the summed weights of the query's terms in it, the best
//! and then the earliest kept), written out here because its cost showed in every search:
//! for the ten hits of `search oil` on Reuters x10 it took 4.2 M of 12.4 M instructions
//! (callgrind), a quarter of them in lower-casing and allocating a copy of every token to look
//! it up. The body's analyzer already lower-cases every word that can match, so the tokens are
//! looked up as they come, and the analyzer is built once per search instead of per hit.

use std::ops::Range;

use rustc_hash::FxHashMap;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::{Score, Searcher};

use crate::error::Result;
use crate::schema::StoredArticle;
use crate::stemming::StemFinder;
use crate::words::word_spans;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 220;

/// A piece of article text with the byte ranges of the query's words in it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<Range<usize>>,
}

/// What finds the snippets of one query's hits.
pub(crate) struct Snippets {
    /// The query's terms in `field`, with the weight tantivy gives them: rarer words pick the
    /// fragment.
    weights: FxHashMap<String, Score>,
    /// Stems only the words that may become one of the terms.
    stems: StemFinder,
}

/// Words of this many bytes or more are not indexed (the analyzer's `RemoveLongFilter`), so
/// they are not words here either.
const LONGEST_WORD: usize = 40;

/// A passage being measured: where it starts and ends, its score, and its matches.
struct Fragment {
    start: usize,
    stop: usize,
    score: Score,
    matches: Vec<Range<usize>>,
}

impl Fragment {
    fn at(start: usize) -> Fragment {
        Fragment {
            start,
            stop: start,
            score: 0.0,
            matches: Vec::new(),
        }
    }
}

impl Snippets {
    /// For the terms `query` searches `field` for, weighted by their document frequency in
    /// `searcher`.
    pub(crate) fn for_query(searcher: &Searcher, query: &dyn Query, field: Field) -> Result<Self> {
        let mut terms = Vec::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                terms.push(term.clone());
            }
        });
        terms.sort();
        terms.dedup();
        let mut weights = FxHashMap::default();
        for term in terms {
            if let Some(text) = term.value().as_str() {
                let doc_freq = searcher.doc_freq(&term)?;
                if doc_freq > 0 {
                    weights.insert(text.to_string(), 1.0 / (1.0 + doc_freq as Score));
                }
            }
        }
        let stems = StemFinder::new(weights.keys().map(String::as_str));
        Ok(Snippets { weights, stems })
    }

    /// The snippet of a hit: the passage that shows the query's words best, or the article's
    /// opening where it has none of them (or there are no words to show).
    pub(crate) fn of(snippets: Option<&mut Snippets>, article: &StoredArticle) -> Snippet {
        snippets
            .and_then(|snippets| snippets.best_passage(&article.body))
            .map(|(fragment, matches)| collapse_whitespace(fragment, &matches))
            .unwrap_or_else(|| lead_snippet(article))
    }

    /// The best fragment of `text` and its matches (relative to it), if any term occurs.
    fn best_passage<'t>(&mut self, text: &'t str) -> Option<(&'t str, Vec<Range<usize>>)> {
        if self.weights.is_empty() {
            return None;
        }
        let mut best: Option<Fragment> = None;
        let mut current = Fragment::at(0);
        let mut keep = |fragment: Fragment| {
            // The highest score wins; among equals, the earliest.
            if fragment.score > 0.0 && best.as_ref().is_none_or(|b| fragment.score > b.score) {
                best = Some(fragment);
            }
        };
        // The body analyzer's tokens, read as spans: only the words the screen lets through
        // are copied, lower-cased and stemmed.
        for span in word_spans(text).filter(|span| span.len() < LONGEST_WORD) {
            if span.end - current.start > SNIPPET_CHARS {
                let done = std::mem::replace(&mut current, Fragment::at(span.start));
                keep(done);
            }
            current.stop = span.end;
            let weight = self
                .stems
                .stem(&text[span.clone()])
                .and_then(|stem| self.weights.get(stem));
            if let Some(&weight) = weight {
                current.score += weight;
                current.matches.push(span);
            }
        }
        keep(current);
        let best = best?;
        let matches = best
            .matches
            .iter()
            .map(|m| m.start - best.start..m.end - best.start)
            .collect();
        Some((&text[best.start..best.stop], matches))
    }
}

/// A snippet on one line: every run of whitespace (paragraph breaks too) becomes one space,
/// and the highlighted byte ranges move with the text.
fn collapse_whitespace(fragment: &str, highlights: &[Range<usize>]) -> Snippet {
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::snippet::SnippetGenerator;
    use tantivy::tokenizer::{
        Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    };

    use super::*;

    fn snippets(weights: &[(&str, Score)]) -> Snippets {
        let weights: FxHashMap<String, Score> =
            weights.iter().map(|(t, w)| (t.to_string(), *w)).collect();
        let stems = StemFinder::new(weights.keys().map(String::as_str));
        Snippets { weights, stems }
    }

    /// tantivy's generator with the same terms, analyzer and length, as the reference.
    fn reference(weights: &[(&str, Score)], text: &str) -> Option<(String, Vec<Range<usize>>)> {
        let mut schema = Schema::builder();
        let field = schema.add_text_field("body", TEXT);
        let terms: BTreeMap<String, Score> =
            weights.iter().map(|(t, w)| (t.to_string(), *w)).collect();
        // tantivy's own `en_stem`: the analyzer the body is indexed with, uncached.
        let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let generator = SnippetGenerator::new(terms, analyzer, field, SNIPPET_CHARS);
        let snippet = generator.snippet(text);
        (!snippet.is_empty()).then(|| {
            (
                snippet.fragment().to_string(),
                snippet.highlighted().to_vec(),
            )
        })
    }

    fn ours(weights: &[(&str, Score)], text: &str) -> Option<(String, Vec<Range<usize>>)> {
        snippets(weights)
            .best_passage(text)
            .map(|(fragment, matches)| (fragment.to_string(), matches))
    }

    #[test]
    fn the_rarest_words_pick_the_passage() {
        let text = format!(
            "{} Oil prices rose. {} Crude OIL and the Saudi oils fell.",
            "filler words here ".repeat(20),
            "more filler text ".repeat(20)
        );
        let weights = [("oil", 0.1), ("saudi", 0.5)];
        let (fragment, matches) = ours(&weights, &text).expect("a passage");
        assert!(fragment.contains("Saudi"), "{fragment}");
        let marked: Vec<&str> = matches.iter().map(|m| &fragment[m.clone()]).collect();
        assert_eq!(marked, ["OIL", "Saudi", "oils"]);
        assert_eq!(ours(&weights, &text), reference(&weights, &text));
        assert_eq!(ours(&weights, "nothing of the sort"), None);
        assert_eq!(ours(&[], &text), None);
    }

    proptest! {
        /// The same passages and marks as tantivy's generator, on text made of the terms,
        /// their inflections, other words, capitals, accents and punctuation.
        #[test]
        fn the_same_passage_as_tantivys_generator(
            words in proptest::collection::vec(
                prop::sample::select(vec![
                    "oil", "Oils", "OIL", "prices", "Price", "pricing", "rise", "rose",
                    "Zürich", "ÉTÉ", "the", "a", "of", "1987", "—", ",", ".", "\n\n", "cafés",
                    // Words of 40 bytes and more are not indexed: 39, 40 and 41 bytes.
                    "oiloiloiloiloiloiloiloiloiloiloiloiloil", "oiloiloiloiloiloiloiloiloiloiloiloiloils",
                    "Oiloiloiloiloiloiloiloiloiloiloiloiloiloi",
                ]),
                0..200,
            ),
        ) {
            let text = words.join(" ");
            let weights = [
                ("oil", 0.2), ("price", 0.05), ("zürich", 0.7), ("café", 0.3),
                ("oiloiloiloiloiloiloiloiloiloiloiloiloil", 0.4),
            ];
            prop_assert_eq!(ours(&weights, &text), reference(&weights, &text));
        }
    }
}
