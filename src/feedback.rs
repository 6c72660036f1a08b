//! Pseudo-relevance feedback: the best matches of a search in several words lend it the words
//! they share, and the first hits are ranked again with them.
//!
//! A request in plain words names its subject in a few words, and the reports on it use others
//! as well: for `japan buys american wheat` the wheat reports say "tonnes", "grain" and
//! "export", while articles about Japan buying anything match three of the four words. The
//! words the best matches share, weighed by how rare they are in the archive, are a relevance
//! model (RM3, Lavrenko and Croft; Abdul-Jaleel et al.): scored with BM25 and added to the
//! query's own score, they lift the reports on the subject over those that only share its
//! weaker words. Only the order of the first [`DEPTH`] hits changes; what matches, and how many,
//! stay the query's own.

use std::collections::HashSet;

use rustc_hash::FxHashMap;
use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, DocSet, Score, Searcher, TantivyDocument, Term};

use crate::error::Result;
use crate::schema::{exact_words, Store};
use crate::significance::idf;
use crate::stemming::english_stemming;

/// Hits ranked again: the first ten pages. A hit further down keeps its place after them.
pub const DEPTH: usize = 100;
/// Best matches the words are taken from, one per story: copies of one report would lend its
/// words several times over.
const FEEDBACK_ARTICLES: usize = 10;
/// Words of an article read: its headline and the first of its body. A news report says what
/// it is about first; the rest is detail, and would cost a long article's reading for little.
/// Measured (rank_eval, P@10 / nDCG@10): the whole article 0.771 / 0.844 on the tune half and
/// 0.834 / 0.868 on the held half; the first 300 words 0.774 / 0.845 and 0.842 / 0.873.
const LEAD_WORDS: usize = 300;
/// Words added to the query.
const EXPANSION_WORDS: usize = 10;
/// A word must be in the bodies of this many of the best matches: one article's own names and
/// figures say nothing of the subject. It also spares looking up words that cannot be chosen,
/// and in an archive of a few dozen articles no word is both this shared and rare enough, so
/// its searches are left as they are.
const MIN_ARTICLES: u32 = 2;
/// Words in more than this share of the archive's articles are too common to tell anything.
const MAX_SHARE: f32 = 0.1;
/// The expansion's weight against the query's own score: one query word's worth per query
/// word, as RM3 weighs the two models equally.
const EXPANSION_WEIGHT: Score = 1.0;

/// Words a query needs for its hits to be ranked again. Measured with `examples/rank_eval`
/// (docs/RANKING.md), P@10 / nDCG@10: tune half 0.755 / 0.826 before, 0.774 / 0.845 after; held
/// half 0.829 / 0.867 before, 0.842 / 0.873 after. One-word searches drifted to neighbouring
/// subjects (tune P@10 for one word 0.950 to 0.900: `wheat` to grain in general), so they are
/// left as they are.
pub const MIN_QUERY_WORDS: usize = 2;

/// Orders `hits` (a search's first hits, best first) again: each keeps its score, plus the
/// BM25 score over the body of the words its best articles share, weighed by how much of the
/// model each holds. `words`: the query's own words, as body terms.
pub fn rerank(
    searcher: &Searcher,
    store: &Store,
    words: &[Term],
    hits: &mut [(Score, DocAddress)],
) -> Result<()> {
    let expansion = expansion(searcher, store, words, hits)?;
    if expansion.is_empty() {
        return Ok(());
    }
    let query = BooleanQuery::new(
        expansion
            .into_iter()
            .map(|(term, weight)| {
                let term: Box<dyn Query> = Box::new(BoostQuery::new(
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    weight,
                ));
                (Occur::Should, term)
            })
            .collect(),
    );
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let scale = EXPANSION_WEIGHT * words.len() as Score;
    // Each segment's hits in document order, so that one scorer per segment moves forward.
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by_key(|&i| hits[i].1);
    let mut current = None;
    for i in order {
        let address = hits[i].1;
        let scorer = match &mut current {
            Some((segment, scorer)) if *segment == address.segment_ord => scorer,
            _ => {
                let reader = searcher.segment_reader(address.segment_ord);
                &mut current
                    .insert((address.segment_ord, weight.scorer(reader, 1.0)?))
                    .1
            }
        };
        if scorer.doc() < address.doc_id {
            scorer.seek(address.doc_id);
        }
        if scorer.doc() == address.doc_id {
            hits[i].0 += scale * scorer.score();
        }
    }
    // Ties keep the order they came in (newest first, then by id).
    hits.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(())
}

/// The stem of `word` (lower-cased, as the simple tokenizer cuts it) as the body field has it;
/// `None` for figures and words under 3 letters, which name no subject.
fn stem_of(stemming: &mut TextAnalyzer, word: &str) -> Option<String> {
    if word.len() < 3 || word.bytes().any(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let mut stream = stemming.token_stream(word);
    stream.next().map(|token| token.text.clone())
}

/// The expansion: words of the best hits (not the query's own), each with its share of the
/// relevance model among those chosen.
pub(crate) fn expansion(
    searcher: &Searcher,
    store: &Store,
    words: &[Term],
    hits: &[(Score, DocAddress)],
) -> Result<Vec<(Term, Score)>> {
    let mut stories = HashSet::new();
    let mut articles = Vec::new();
    for &(score, address) in hits {
        if articles.len() == FEEDBACK_ARTICLES {
            break;
        }
        let doc: TantivyDocument = searcher.doc(address)?;
        let story = doc.get_first(store.fields.story).and_then(|v| v.as_u64());
        if story.is_some_and(|story| !stories.insert(story)) {
            continue;
        }
        articles.push((score.max(0.0), store.fields.to_stored(&doc)));
    }
    let total_score: Score = articles.iter().map(|(score, _)| score).sum();
    // With fewer articles, no word can be in enough of them.
    if articles.len() < MIN_ARTICLES as usize || total_score <= 0.0 {
        return Ok(Vec::new());
    }
    let body = store.fields.body;
    // Each article's words are counted as written (lower-cased), and each distinct word is
    // stemmed once: stemming every word of ten articles cost more than the search itself.
    let mut words_of = exact_words();
    let mut stemming = english_stemming();
    let mut stems: FxHashMap<String, Option<String>> = FxHashMap::default();
    // Each stem's probability in the relevance model, and in how many articles' bodies it is:
    // the field it is scored on, so that its frequency there is at least that.
    let mut model: FxHashMap<String, (Score, u32)> = FxHashMap::default();
    // Each word's count in the article, and whether its body has it.
    let mut counts: FxHashMap<String, (u32, bool)> = FxHashMap::default();
    for (score, article) in &articles {
        counts.clear();
        let mut length = 0u32;
        for (text, in_body) in [(&article.title, false), (&article.body, true)] {
            let mut stream = words_of.token_stream(text);
            let mut taken = 0;
            while let Some(token) = stream.next() {
                taken += 1;
                if taken > LEAD_WORDS {
                    break;
                }
                length += 1;
                match counts.get_mut(token.text.as_str()) {
                    Some((count, body)) => {
                        *count += 1;
                        *body |= in_body;
                    }
                    None => {
                        counts.insert(token.text.clone(), (1, in_body));
                    }
                }
            }
        }
        let weight = score / total_score / length.max(1) as Score;
        for word in counts.keys() {
            if !stems.contains_key(word) {
                stems.insert(word.clone(), stem_of(&mut stemming, word));
            }
        }
        // The article's stems, their counts, and whether its body has them.
        let mut in_article: FxHashMap<&str, (u32, bool)> = FxHashMap::default();
        for (word, &(count, body)) in &counts {
            if let Some(Some(stem)) = stems.get(word) {
                let entry = in_article.entry(stem.as_str()).or_default();
                entry.0 += count;
                entry.1 |= body;
            }
        }
        for (stem, &(count, body)) in &in_article {
            let entry = match model.get_mut(*stem) {
                Some(entry) => entry,
                None => model.entry(stem.to_string()).or_default(),
            };
            entry.0 += weight * count as Score;
            entry.1 += u32::from(body);
        }
    }
    let documents = searcher.num_docs() as Score;
    // A word of two articles' bodies is in at least two documents: no word is rarer than that.
    let rarest = idf(documents, MIN_ARTICLES as Score);
    let mut candidates: Vec<(String, Score)> = model
        .into_iter()
        .filter(|(_, (_, in_articles))| *in_articles >= MIN_ARTICLES)
        .map(|(word, (probability, _))| (word, probability))
        .collect();
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    // Chosen by probability and rarity together (common words are likely in any article),
    // weighed by probability alone: BM25 adds the rarity. Taken in order of probability, so
    // that once even the rarest word could not make the list, the rest need no look-up.
    let mut chosen: Vec<(Term, Score, Score)> = Vec::new();
    for (word, probability) in candidates {
        if chosen.len() == EXPANSION_WORDS && probability * rarest < chosen[EXPANSION_WORDS - 1].1 {
            break;
        }
        let term = Term::from_field_text(body, &word);
        if words.contains(&term) {
            continue;
        }
        let df = searcher.doc_freq(&term)? as Score;
        if df > documents * MAX_SHARE {
            continue;
        }
        chosen.push((term, probability * idf(documents, df), probability));
        chosen.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        chosen.truncate(EXPANSION_WORDS);
    }
    let mass: Score = chosen.iter().map(|chosen| chosen.2).sum();
    Ok(chosen
        .into_iter()
        .map(|(term, _, probability)| (term, probability / mass))
        .collect())
}
