//! Requests and how they become tantivy queries: text, inclusive date ranges and entity filters.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, EnableScoring, Occur, Query, QueryParser,
    RangeQuery, TermQuery,
};
use tantivy::query_grammar::{Occur as GrammarOccur, UserInputAst, UserInputLeaf};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, TokenStream};
use tantivy::Term;

use crate::bonus::WithBonus;
use crate::dates::{indexable_days, DateRange};
use crate::entities::{canonical_alias, EntityKind};
use crate::error::{Error, Result};
use crate::prior::LengthPrior;
use crate::schema::{day_to_datetime, exact_words, kind_facet, typed_entity_key, Store};
use crate::soft_and::SoftAnd;

/// Title matches count double: a word in the headline says more than one in the body.
const TITLE_BOOST: f32 = 2.0;
/// What matching every word adds to an article's score, as a share of its score for those
/// words: a soft AND. Articles with all the words come first (their score doubles), those with
/// most of them next, instead of nothing at all when one word is missing. Measured with
/// `examples/rank_eval` (docs/RANKING.md), held half: P@10 0.692 -> 0.784 overall, requests in
/// plain words 0.473 -> 0.764, no query class lower; 3 instead of 1 gave the same within 0.01.
const ALL_WORDS_BONUS: f32 = 1.0;
/// Entity names match (`nato` finds articles whose entities include NATO) but add nothing to
/// the score: their words are already scored in the title and body, and a one-word entity
/// name is so rare as a term that its idf swamped the text ("national" ranked mergers of
/// companies called National first for `gross national product`). Held half: P@10
/// 0.784 -> 0.795, no class lower. The entity field keeps no frequencies, so its stored
/// block maxima are zero: were this above zero, block-max WAND would skip articles that
/// belong on a page ([`crate::bonus`] explains the same for the exact field).
const ENTITY_BOOST: f32 = 0.0;
/// The words of prose in a body at which an article keeps half its text score
/// ([`crate::prior`]): price tables and one-line notices whose headline is the query word
/// stop outranking reports. Held half: P@10 0.795 -> 0.808 with the line above, one-word
/// queries 0.850 -> 0.883; 5, 20 and 40 words did no better on the tune half. Counting prose
/// rather than tokens put phrases above plain BM25 (held nDCG@10 0.912 -> 0.946).
const HALF_SCORE_WORDS: f32 = 10.0;
/// The weight of a query word found as written (unstemmed, in title or body): the stemmer
/// files "Corning" under "corn" and "organization" under "organ", and the reader meant the
/// word they typed. The exact field keeps no lengths, so the bonus is close to the word's idf
/// wherever it occurs. Tune half: P@10 0.724 -> 0.750, nDCG@10 0.785 -> 0.825 (0.5 and 2
/// did less; with length normalisation, 0.745).
const EXACT_BOOST: f32 = 1.0;

/// Which articles a command looks at: text query, dates and entities, all of which must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// tantivy query syntax over title, body and entity; empty or `*` matches everything.
    pub text: String,
    pub dates: DateRange,
    /// Entity names that must all appear (matched case-insensitively, after aliases).
    pub entities: Vec<String>,
    /// Restricts `entities` to this type; alone, requires some entity of this type.
    pub kind: Option<EntityKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

impl SortOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Relevance => "relevance",
            SortOrder::Newest => "newest",
            SortOrder::Oldest => "oldest",
        }
    }
}

/// A ranked search: which articles, in what order, which page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    pub filter: Filter,
    pub sort: SortOrder,
    pub limit: usize,
    pub offset: usize,
    /// One hit per story (its best), with the other matching articles of the story.
    pub collapse: bool,
}

/// The built queries: the whole query, and the text part alone (what snippets highlight).
pub struct BuiltQuery {
    pub query: Box<dyn Query>,
    pub text: Box<dyn Query>,
    /// The words the text asks for, as body terms: a search in several words is ranked again
    /// with the words its best matches share ([`crate::feedback`]).
    pub words: Vec<Term>,
}

/// The text query: the words of `text` scored with BM25 over title and body (entity names
/// match without scoring), any word matching (explicit `+word`, `-word`, `AND` and phrases
/// keep their meaning), plus [`ALL_WORDS_BONUS`] times the score of the same words all
/// required; the sum scaled by the length prior.
fn text_query(
    store: &Store,
    text: &str,
) -> std::result::Result<Box<dyn Query>, tantivy::query::QueryParserError> {
    let fields = store.fields;
    let parser = |all_required: bool| {
        let mut parser =
            QueryParser::for_index(&store.index, vec![fields.title, fields.body, fields.entity]);
        if all_required {
            parser.set_conjunction_by_default();
        }
        parser.set_field_boost(fields.title, TITLE_BOOST);
        parser.set_field_boost(fields.entity, ENTITY_BOOST);
        parser
    };
    let any = parser(false).parse_query(text)?;
    let all = parser(true).parse_query(text)?;
    // One word, a phrase, or words already joined by operators: both readings are the same
    // query, and scoring it twice would only cost time.
    let words: Box<dyn Query> = if format!("{any:?}") == format!("{all:?}") {
        any
    } else if let Some(soft) = SoftAnd::new(&*any, &*all, ALL_WORDS_BONUS) {
        Box::new(soft)
    } else {
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, any),
            (
                Occur::Should,
                Box::new(BoostQuery::new(all, ALL_WORDS_BONUS)),
            ),
        ]))
    };
    // They only score: an article with the word as written also has it stemmed, so the
    // matches stay the query's.
    let exact = wanted_terms(text, fields.exact, exact_words());
    let scored: Box<dyn Query> = if exact.is_empty() {
        words
    } else {
        Box::new(WithBonus::new(words, exact, EXACT_BOOST))
    };
    Ok(Box::new(LengthPrior::new(scored, HALF_SCORE_WORDS)))
}

/// The words a query asks for (not those after `-` or `NOT`, nor in another field), as terms
/// of `field` made by `analyzer`.
fn wanted_terms(text: &str, field: Field, mut analyzer: TextAnalyzer) -> Vec<Term> {
    let Ok(ast) = tantivy::query_grammar::parse_query(text) else {
        return Vec::new();
    };
    let mut words = Vec::new();
    collect_wanted_words(&ast, false, &mut words);
    let mut terms = Vec::new();
    for phrase in words {
        let mut stream = analyzer.token_stream(phrase);
        while let Some(token) = stream.next() {
            let term = Term::from_field_text(field, &token.text);
            if !terms.contains(&term) {
                terms.push(term);
            }
        }
    }
    terms
}

fn collect_wanted_words<'a>(ast: &'a UserInputAst, negated: bool, words: &mut Vec<&'a str>) {
    match ast {
        UserInputAst::Clause(clauses) => {
            for (occur, clause) in clauses {
                // Anything under an exclusion is left out, even twice excluded: such words say
                // what to avoid more than what to find.
                let negated = negated || *occur == Some(GrammarOccur::MustNot);
                collect_wanted_words(clause, negated, words);
            }
        }
        UserInputAst::Boost(inner, _) => collect_wanted_words(inner, negated, words),
        UserInputAst::Leaf(leaf) => {
            if let (UserInputLeaf::Literal(literal), false) = (leaf.as_ref(), negated) {
                if literal.field_name.is_none() {
                    words.push(&literal.phrase);
                }
            }
        }
    }
}

impl Filter {
    pub fn matches_everything_textually(&self) -> bool {
        let text = self.text.trim();
        text.is_empty() || text == "*"
    }

    pub fn build(&self, store: &Store) -> Result<BuiltQuery> {
        let fields = store.fields;
        let (text, words): (Box<dyn Query>, Vec<Term>) = if self.matches_everything_textually() {
            (Box::new(AllQuery), Vec::new())
        } else {
            let parsed = text_query(store, self.text.trim()).map_err(|err| Error::BadQuery {
                query: self.text.clone(),
                reason: err.to_string(),
            })?;
            // The parser leaves `name:*` unchecked: tantivy finds a missing field, or one that
            // cannot answer it, only when the query runs. Checked against the schema alone,
            // any fault is the query's, not the index's.
            parsed
                .weight(EnableScoring::disabled_from_schema(&store.index.schema()))
                .map_err(|err| Error::BadQuery {
                    query: self.text.clone(),
                    reason: err.to_string(),
                })?;
            let body = store.index.tokenizer_for_field(fields.body)?;
            (parsed, wanted_terms(self.text.trim(), fields.body, body))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(range) = self.date_query(store) {
            clauses.push((Occur::Must, range));
        }
        for name in &self.entities {
            let canonical = canonical_alias(name.trim());
            let term = match self.kind {
                Some(kind) => {
                    Term::from_field_text(fields.entity_typed, &typed_entity_key(kind, canonical))
                }
                None => Term::from_field_text(fields.entity, &canonical.to_lowercase()),
            };
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        if let (Some(kind), true) = (self.kind, self.entities.is_empty()) {
            let term = Term::from_facet(fields.entity_facet, &kind_facet(kind));
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        if clauses.is_empty() {
            return Ok(BuiltQuery {
                query: text.box_clone(),
                text,
                words,
            });
        }
        clauses.insert(0, (Occur::Must, text.box_clone()));
        Ok(BuiltQuery {
            query: Box::new(BooleanQuery::new(clauses)),
            text,
            words,
        })
    }

    /// The date clause; ends outside the dates an index can hold are left open.
    fn date_query(&self, store: &Store) -> Option<Box<dyn Query>> {
        if self.dates.is_all() {
            return None;
        }
        let (first_indexable, last_indexable) = indexable_days();
        let field = store.fields.date;
        if self.dates.first.is_some_and(|first| first > last_indexable)
            || self.dates.last.is_some_and(|last| last < first_indexable)
        {
            return Some(Box::new(EmptyQuery));
        }
        let lower = match self.dates.first {
            Some(first) if first > first_indexable => Bound::Included(
                Term::from_field_date_for_search(field, day_to_datetime(first)),
            ),
            _ => Bound::Unbounded,
        };
        let upper = match self.dates.last.and_then(|last| last.succ_opt()) {
            Some(after_last) if after_last <= last_indexable => Bound::Excluded(
                Term::from_field_date_for_search(field, day_to_datetime(after_last)),
            ),
            _ => Bound::Unbounded,
        };
        if matches!((&lower, &upper), (Bound::Unbounded, Bound::Unbounded)) {
            return None;
        }
        Some(Box::new(RangeQuery::new(lower, upper)))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;
    use crate::search::Archive;

    /// One small index shared by the cases: built once, searched many times.
    fn archive() -> &'static Archive {
        static ARCHIVE: OnceLock<(tempfile::TempDir, Archive)> = OnceLock::new();
        &ARCHIVE
            .get_or_init(|| {
                let dir = tempfile::tempdir().unwrap();
                let store = crate::schema::create(dir.path()).unwrap();
                let mut writer: tantivy::IndexWriter = store.index.writer(20_000_000).unwrap();
                let day = chrono::NaiveDate::from_ymd_opt(2025, 4, 3).unwrap();
                let entities = crate::entities::Extractor::shared()
                    .unwrap()
                    .extract("", "Pete Hegseth met NATO in Brussels.");
                writer
                    .add_document(store.fields.to_document(&crate::schema::NewDocument {
                        id: "a",
                        hash: 0,
                        path: "/a.txt",
                        date: day,
                        title: "Hegseth skips meeting",
                        body: "Pete Hegseth met NATO in Brussels.",
                        entities: &entities,
                        url: None,
                        source: None,
                        source_size: None,
                        source_mtime: None,
                    }))
                    .unwrap();
                writer.commit().unwrap();
                let archive = Archive::open(dir.path()).unwrap();
                (dir, archive)
            })
            .1
    }

    fn request(text: &str) -> SearchRequest {
        SearchRequest {
            collapse: false,
            filter: Filter {
                text: text.to_string(),
                ..Filter::default()
            },
            sort: SortOrder::Relevance,
            limit: 10,
            offset: 0,
        }
    }

    #[test]
    fn exact_forms_are_the_words_asked_for() {
        let words = |text: &str| {
            let ast = tantivy::query_grammar::parse_query(text).unwrap();
            let mut words = Vec::new();
            collect_wanted_words(&ast, false, &mut words);
            words.into_iter().map(str::to_string).collect::<Vec<_>>()
        };
        assert_eq!(
            words("corn -corning title:mill \"orange juice\" +wheat^2"),
            ["corn", "orange juice", "wheat"]
        );
        assert_eq!(words("oil AND NOT (gas OR coal)"), ["oil"]);
        assert!(words("-(a -b)").is_empty());
    }

    #[test]
    fn known_queries_find_the_article() {
        for text in [
            "hegseth",
            "\"pete hegseth\"",
            "entity:nato",
            "title:meeting",
            "*",
            "",
            "+nato -paris",
            "brussels OR paris",
        ] {
            assert_eq!(archive().search(&request(text)).unwrap().total, 1, "{text}");
        }
    }

    #[test]
    fn any_value_of_a_field_that_cannot_answer_it_is_a_bad_query() {
        for (text, field) in [
            ("zz:*", "zz"),
            ("\u{d66}:*", "\u{d66}"),
            ("title:*", "title"),
            ("hegseth AND zz:*", "zz"),
        ] {
            match archive().search(&request(text)) {
                Err(Error::BadQuery { query, reason }) => {
                    assert_eq!(query, text);
                    assert!(reason.contains(field), "{reason}");
                }
                other => panic!("{text}: {:?}", other.map(|r| r.total)),
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn any_query_text_is_a_result_or_a_clean_error(text in "\\PC{0,40}") {
            match archive().search(&request(&text)) {
                Ok(_) => {}
                Err(Error::BadQuery { query, .. }) => prop_assert_eq!(query, text),
                Err(other) => prop_assert!(false, "unexpected error {other}"),
            }
        }

        #[test]
        fn query_syntax_soup_never_panics(text in "[a-z \"():+\\-*^~\\[\\]{}]{0,30}(AND|OR|NOT)?[a-z \":()]{0,10}") {
            let _ = archive().search(&request(&text));
        }

        #[test]
        fn any_entity_filter_is_a_result(name in "\\PC{0,30}") {
            let mut req = request("*");
            req.filter.entities = vec![name];
            prop_assert!(archive().search(&req).is_ok());
        }
    }
}
