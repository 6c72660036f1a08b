//! Named-entity extraction for news articles: the public API (entity kinds, the shared
//! extractor, the alias map) used by ingest and by `--entity` filters.
//!
//! The tagger is an averaged structured perceptron over hashed features with Viterbi decoding
//! (see `NER.md`), trained on CoNLL-2003 and embedded in the binary.

mod aliases;
mod canonical;
pub mod conll;
mod features;
mod gazetteer;
mod lexicon;
mod model;
pub mod perceptron;
mod rules;
mod tags;
mod tokenize;
mod truecase;
mod word_cache;

pub use aliases::canonical_alias;
pub use model::{Model, ModelError};
pub use tags::{Tag, TagType};

use canonical::{resolve_with, Mention};
use features::is_caps_sentence;
use model::Scratch;
use std::cell::RefCell;
use std::sync::OnceLock;
use tokenize::{tokenize, Token};

/// The model shipped with the binary (trained by `examples/ner_train.rs`).
static EMBEDDED_MODEL: &[u8] = include_bytes!("model.bin");

/// Kind of entity returned by [`Extractor::extract`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityKind {
    Person,
    Org,
    Place,
}

impl EntityKind {
    /// "person", "org" or "place".
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Org => "org",
            EntityKind::Place => "place",
        }
    }

    /// Parses "person", "org" or "place" (any case, surrounding spaces ignored).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        [EntityKind::Person, EntityKind::Org, EntityKind::Place]
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
    }

    fn from_tag_type(t: TagType) -> Option<Self> {
        match t {
            TagType::Per => Some(EntityKind::Person),
            TagType::Org => Some(EntityKind::Org),
            TagType::Loc => Some(EntityKind::Place),
            TagType::Misc => None,
        }
    }
}

/// An entity of one article, under its canonical name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Entity {
    pub name: String,
    pub kind: EntityKind,
}

/// Named-entity extractor. Immutable after loading, so it is `Send + Sync` and can be shared
/// by reference across threads; per-thread scratch buffers are kept internally.
#[derive(Debug, Clone)]
pub struct Extractor {
    model: Model,
}

#[derive(Default)]
struct ExtractScratch {
    dec: Scratch,
    tokens: Vec<Token>,
    sents: Vec<(usize, usize)>,
    runs: Vec<(usize, usize)>,
}

thread_local! {
    static SCRATCH: RefCell<ExtractScratch> = RefCell::new(ExtractScratch::default());
}

/// Runs `f` with this thread's scratch buffers (fresh ones if they are already in use, e.g.
/// during thread teardown).
fn with_scratch<R>(f: impl FnOnce(&mut ExtractScratch) -> R) -> R {
    let mut f = Some(f);
    let done = SCRATCH.try_with(|cell| {
        let mut s = cell.try_borrow_mut().ok()?;
        f.take().map(|f| f(&mut s))
    });
    if let Ok(Some(r)) = done {
        return r;
    }
    let mut fresh = ExtractScratch::default();
    match f.take() {
        Some(f) => f(&mut fresh),
        // `f` is only taken when it also produced the result returned above.
        None => unreachable!("scratch closure consumed without a result"),
    }
}

impl Extractor {
    /// The embedded model, loaded on first use. If the embedded bytes were unusable the
    /// extractor still works but finds nothing (see [`Extractor::has_model`]).
    pub fn shared() -> &'static Extractor {
        static SHARED: OnceLock<Extractor> = OnceLock::new();
        SHARED.get_or_init(|| {
            Extractor::from_bytes(EMBEDDED_MODEL).unwrap_or(Extractor {
                model: Model::empty(),
            })
        })
    }

    /// Loads an extractor from model-file bytes (as written by `ner_train`).
    pub fn from_bytes(bytes: &[u8]) -> Result<Extractor, ModelError> {
        Ok(Extractor {
            model: Model::from_bytes(bytes)?,
        })
    }

    /// Wraps an in-memory model.
    pub fn from_model(model: Model) -> Extractor {
        Extractor { model }
    }

    /// False when running on the empty fallback model.
    pub fn has_model(&self) -> bool {
        self.model.bits > 1
    }

    /// Tags one pre-tokenised sentence with IOB2 labels over PER/ORG/LOC/MISC.
    /// ALL-CAPS sentences are read with the model's case-insensitive features.
    pub fn tag_tokens(&self, tokens: &[&str]) -> Vec<Tag> {
        let mut out = Vec::with_capacity(tokens.len());
        self.tag_tokens_into(tokens, &mut out);
        out
    }

    /// Like [`Extractor::tag_tokens`], writing into a reusable vector.
    pub fn tag_tokens_into(&self, tokens: &[&str], out: &mut Vec<Tag>) {
        out.clear();
        with_scratch(|s| {
            let caps = is_caps_sentence(tokens);
            self.model.decode(tokens, caps, &mut s.dec);
            out.extend(s.dec.path.iter().map(|&l| Tag::from_index(l as usize)));
        });
    }

    /// Entities of one article: typed, one canonical name per entity within the article
    /// (a later "Hegseth" joins an earlier "Pete Hegseth"; "U.S."/"US"/"United States" are one
    /// place; "EU"/"European Union" one org), deduplicated, in order of first appearance.
    /// `title` may be empty and may be ALL CAPS. Never panics.
    pub fn extract(&self, title: &str, body: &str) -> Vec<Entity> {
        // (sentence number, mention): mixed-case sentences are tagged first, ALL-CAPS ones
        // afterwards (they are true-cased from the rest of the article), then all are put
        // back in text order.
        let mut mentions: Vec<(usize, Mention)> = Vec::with_capacity(32);
        // Words of mixed-case sentences that the true-caser may need: once the ALL-CAPS
        // sentences are known (typically the title, which comes first), only words that can
        // match theirs are kept. If an ALL-CAPS sentence turns up after mixed-case text, the
        // mixed-case words are gathered again at the end.
        let mut cased: Vec<&str> = Vec::new();
        let mut filter: Option<truecase::WordFilter> = None;
        let mut seen_mixed = false;
        let mut seen_capital = false;
        let mut regather = false;
        let mut caps_sents: Vec<(usize, Vec<&str>)> = Vec::new();
        with_scratch(|s| {
            let mut words: Vec<&str> = Vec::with_capacity(64);
            let mut spans: Vec<Span> = Vec::with_capacity(16);
            let mut seq = 0usize;
            for text in [title, body] {
                tokenize(text, &mut s.tokens, &mut s.sents);
                for &(a, b) in &s.sents {
                    seq += 1;
                    words.clear();
                    words.extend(s.tokens[a..b].iter().map(|t| &text[t.start..t.end]));
                    if is_caps_sentence(&words) {
                        caps_sents.push((seq, words.clone()));
                        if seen_mixed {
                            regather = true;
                        } else {
                            filter = Some(truecase::WordFilter::new(
                                caps_sents.iter().flat_map(|(_, w)| w.iter().copied()),
                            ));
                        }
                        continue;
                    }
                    seen_mixed = true;
                    if let Some(f) = &filter {
                        cased.extend(words.iter().copied().filter(|w| f.admits(w)));
                    }
                    // Once the article has shown capitals, a sentence without a capital
                    // letter, apart from a first word that the training text only ever wrote
                    // in lower case inside sentences and never tagged ("It said ..."), names
                    // nothing: it is not tagged.
                    let mut has_capital = false;
                    let may_name = words.iter().enumerate().any(|(i, w)| {
                        let capital = w.chars().any(char::is_uppercase);
                        has_capital |= capital;
                        capital && (i > 0 || self.model.lexicon_profile(w) != 2 | (1 << 3))
                    });
                    let skip = seen_capital && !may_name;
                    seen_capital |= has_capital;
                    if skip {
                        continue;
                    }
                    self.model.decode(&words, false, &mut s.dec);
                    spans.clear();
                    collect_spans(&s.dec.path, &mut spans);
                    trim_spans(&words, &mut spans);
                    rules::repair_spans(&words, &mut spans, &mut s.runs, |w| {
                        self.model.lexicon_profile(w)
                    });
                    complete_with_gazetteer(&words, false, &mut spans);
                    for &(from, to, ty, name) in spans.iter() {
                        let words = match name {
                            Some(n) => vec![n.to_string()],
                            None => words[from..to].iter().map(|w| w.to_string()).collect(),
                        };
                        mentions.push((seq, Mention { words, kind: ty }));
                    }
                }
            }
            if caps_sents.is_empty() {
                return;
            }
            if regather {
                cased.clear();
                for text in [title, body] {
                    tokenize(text, &mut s.tokens, &mut s.sents);
                    for &(a, b) in &s.sents {
                        words.clear();
                        words.extend(s.tokens[a..b].iter().map(|t| &text[t.start..t.end]));
                        if !is_caps_sentence(&words) {
                            cased.extend_from_slice(&words);
                        }
                    }
                }
            }
            let wanted: Vec<&str> = caps_sents
                .iter()
                .flat_map(|(_, w)| w.iter().copied())
                .collect();
            let tc = truecase::TrueCaser::new(&cased, &wanted);
            let mut fixed: Vec<String> = Vec::new();
            for (seq, words) in &caps_sents {
                fixed.clear();
                let mut from_article = 0usize;
                for (i, w) in words.iter().enumerate() {
                    if tc.knows(w) {
                        from_article += 1;
                    }
                    fixed.push(tc.case_for_tagging(w, self.model.case_class(w), i == 0));
                }
                if from_article > 0 {
                    self.model.decode_two_views(words, &fixed, &mut s.dec);
                } else {
                    self.model.decode(words, true, &mut s.dec);
                }
                spans.clear();
                collect_spans(&s.dec.path, &mut spans);
                trim_spans(words, &mut spans);
                rules::repair_spans(words, &mut spans, &mut s.runs, |w| {
                    self.model.lexicon_profile(w)
                });
                complete_with_gazetteer(words, true, &mut spans);
                for &(from, to, ty, name) in spans.iter() {
                    let words = match name {
                        Some(n) => vec![n.to_string()],
                        None => words[from..to].iter().map(|w| tc.case(w)).collect(),
                    };
                    mentions.push((*seq, Mention { words, kind: ty }));
                }
            }
        });
        mentions.sort_by_key(|(seq, _)| *seq);
        let known_place = |w: &str| {
            gazetteer::gazetteer().kind_of(w) == Some(TagType::Loc)
                || self.model.lexicon_is_place(w)
        };
        resolve_with(mentions.into_iter().map(|(_, m)| m).collect(), &known_place)
            .into_iter()
            .filter_map(|r| {
                EntityKind::from_tag_type(r.kind).map(|kind| Entity { name: r.name, kind })
            })
            .collect()
    }
}

/// A span of a sentence: token range, type, and for gazetteer names found inside another
/// span or inside a hyphenated word, the canonical name to use instead of the tokens.
type Span = (usize, usize, TagType, Option<&'static str>);

/// Entity spans of a decoded label path (a stray I-X opens a span, as in conlleval).
fn collect_spans(path: &[u8], out: &mut Vec<Span>) {
    let mut open: Option<(usize, TagType)> = None;
    for (i, &l) in path.iter().enumerate() {
        let (begin, ty) = match Tag::from_index(l as usize) {
            Tag::O => (true, None),
            Tag::B(t) => (true, Some(t)),
            Tag::I(t) => (open.is_none_or(|(_, p)| p != t), Some(t)),
        };
        if begin {
            if let Some((s, t)) = open.take() {
                out.push((s, i, t, None));
            }
            open = ty.map(|t| (i, t));
        }
    }
    if let Some((s, t)) = open {
        out.push((s, path.len(), t, None));
    }
}

/// Drops leading and trailing punctuation tokens ("(", "<", quotes) from spans, and spans
/// left without a word.
fn trim_spans(words: &[&str], spans: &mut Vec<Span>) {
    let wordy = |i: usize| {
        words
            .get(i)
            .is_some_and(|w| w.chars().any(char::is_alphanumeric))
    };
    for s in spans.iter_mut() {
        while s.0 < s.1 && !wordy(s.0) {
            s.0 += 1;
        }
        while s.1 > s.0 && !wordy(s.1 - 1) {
            s.1 -= 1;
        }
    }
    spans.retain(|s| s.0 < s.1);
}

/// Number of tokens the extractor's tokeniser finds in `text` (for throughput figures).
pub fn token_count(text: &str) -> usize {
    with_scratch(|s| {
        tokenize(text, &mut s.tokens, &mut s.sents);
        s.tokens.len()
    })
}

/// Completes model spans with gazetteer names: a name the model split or missed replaces the
/// overlapping spans; a country or organisation inside a longer organisation or MISC span, or
/// leading a longer place name, is added as a nested span; names inside person spans are left
/// alone. Tickers in angle brackets are dropped. Spans end sorted by start.
fn complete_with_gazetteer(words: &[&str], caps: bool, spans: &mut Vec<Span>) {
    let g = gazetteer::gazetteer();
    let mut i = 0;
    while i < words.len() {
        // Only capitalised words start gazetteer names (`match_at` checks this again).
        let capital = words[i].starts_with(|c: char| c.is_uppercase());
        let in_name = capital && caps && spans.iter().any(|s| s.0 <= i && i < s.1);
        if let Some(m) = capital
            .then(|| g.match_at(words, i, caps, in_name))
            .flatten()
        {
            let (a, b) = (i, i + m.len);
            if let Some(outer) = spans.iter().find(|s| s.0 <= a && b <= s.1).copied() {
                // Inside a place name only a leading modifier counts ("U.S. Midwest" names
                // the United States, "New South Wales" does not name Wales).
                let nests = match outer.2 {
                    TagType::Org | TagType::Misc => true,
                    TagType::Loc => a == outer.0 && b < outer.1,
                    TagType::Per => false,
                };
                if (outer.0, outer.1) != (a, b) && nests && m.nest {
                    spans.push((a, b, m.kind, Some(m.canonical)));
                }
            } else {
                spans.retain(|s| s.1 <= a || s.0 >= b);
                spans.push((a, b, m.kind, None));
            }
            i = b;
            continue;
        }
        // Hyphenated compounds of names: "Canada-Egypt", "Franco-German" (parts only).
        let w = words[i];
        if w.contains('-') && w.len() <= 64 {
            let inside_person = spans
                .iter()
                .any(|s| s.0 <= i && i < s.1 && s.2 == TagType::Per);
            if !inside_person {
                for part in w.split('-') {
                    if let Some(m) = g.match_at(&[part], 0, caps, false).filter(|m| m.nest) {
                        spans.push((i, i + 1, m.kind, Some(m.canonical)));
                    }
                }
            }
        }
        i += 1;
    }
    spans.sort_by_key(|s| (s.0, s.3.is_some()));
    // Stock tickers in angle brackets ("Standard Oil <SRD>") are not entities of their own;
    // longer bracketed company names ("<Union Faith Canada Holding Ltd>") are kept.
    spans.retain(|s| {
        let ticker = s.1 == s.0 + 1
            && s.0 > 0
            && words.get(s.0 - 1) == Some(&"<")
            && words.get(s.1) == Some(&">")
            && !words[s.0].chars().any(char::is_lowercase);
        !ticker
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(ents: &[Entity], name: &str, kind: EntityKind) -> bool {
        ents.iter().any(|e| e.name == name && e.kind == kind)
    }

    #[test]
    fn kinds_parse() {
        assert_eq!(EntityKind::parse(" PERSON "), Some(EntityKind::Person));
        assert_eq!(EntityKind::parse("Org"), Some(EntityKind::Org));
        assert_eq!(EntityKind::parse("place"), Some(EntityKind::Place));
        assert_eq!(EntityKind::parse("misc"), None);
        assert_eq!(EntityKind::Place.as_str(), "place");
    }

    #[test]
    fn extractor_is_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<Extractor>();
    }

    #[test]
    fn embedded_model_finds_hegseth_and_nato() {
        let x = Extractor::shared();
        assert!(x.has_model(), "embedded model failed to load");
        let ents = x.extract(
            "",
            "US Defense Secretary Pete Hegseth will not attend the meeting at NATO headquarters in Brussels.",
        );
        assert!(has(&ents, "Pete Hegseth", EntityKind::Person), "{ents:?}");
        assert!(has(&ents, "NATO", EntityKind::Org), "{ents:?}");
        let tags = x.tag_tokens(&["Pete", "Hegseth", "visited", "NATO", "."]);
        let s: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        assert_eq!(s, ["B-PER", "I-PER", "O", "B-ORG", "O"]);
    }

    #[test]
    fn article_level_canonicalisation() {
        let x = Extractor::shared();
        let ents = x.extract(
            "",
            "Defense Secretary Pete Hegseth met officials in Washington on Monday. \
             Hegseth told the European Union that the United States would stay. \
             The EU said the U.S. plan was welcome, and US troops would remain in Germany.",
        );
        let people: Vec<_> = ents
            .iter()
            .filter(|e| e.kind == EntityKind::Person)
            .collect();
        assert_eq!(people.len(), 1, "{ents:?}");
        assert!(has(&ents, "Pete Hegseth", EntityKind::Person), "{ents:?}");
        assert!(has(&ents, "United States", EntityKind::Place), "{ents:?}");
        assert!(has(&ents, "European Union", EntityKind::Org), "{ents:?}");
        assert_eq!(ents.iter().filter(|e| e.name == "United States").count(), 1);
        assert_eq!(
            ents.iter().filter(|e| e.name == "European Union").count(),
            1
        );
        // Order of first appearance.
        let pos = |n: &str| ents.iter().position(|e| e.name == n);
        assert!(pos("Pete Hegseth") < pos("European Union"));
    }

    #[test]
    fn news_writing_details() {
        let x = Extractor::shared();
        let ents = x.extract(
            "",
            "Hegseth said on Monday that Russia's war in Ukraine must end. A spokesman for \
             Deutsche Bank AG <DBKG.F> and Standard Oil Co <SRD> said the U.K. and E.C. would talk.",
        );
        assert!(has(&ents, "Hegseth", EntityKind::Person), "{ents:?}");
        assert!(has(&ents, "Russia", EntityKind::Place), "{ents:?}");
        assert!(has(&ents, "Ukraine", EntityKind::Place), "{ents:?}");
        assert!(has(&ents, "Deutsche Bank", EntityKind::Org), "{ents:?}");
        assert!(has(&ents, "United Kingdom", EntityKind::Place), "{ents:?}");
        assert!(
            has(&ents, "European Community", EntityKind::Org),
            "{ents:?}"
        );
        assert!(
            !ents.iter().any(|e| e.name == "DBKG" || e.name == "SRD"),
            "{ents:?}"
        );
    }

    #[test]
    fn all_caps_title() {
        let x = Extractor::shared();
        let ents = x.extract(
            "REAGAN SAYS OPEC MUST CUT OUTPUT",
            "President Reagan said on Tuesday that the Organization of Petroleum Exporting \
             Countries should cut output. OPEC ministers meet in Vienna next week.",
        );
        assert!(has(&ents, "Reagan", EntityKind::Person), "{ents:?}");
        assert!(has(&ents, "OPEC", EntityKind::Org), "{ents:?}");
        assert_eq!(ents.first().map(|e| e.name.as_str()), Some("Reagan"));
        let w = x.extract("", "The Parliament of New South Wales voted on Tuesday.");
        assert!(has(&w, "New South Wales", EntityKind::Place), "{w:?}");
        assert!(!has(&w, "Wales", EntityKind::Place), "{w:?}");
        let k = x.extract("", "Officials visited Kyiv and then went on to Brussels.");
        assert!(has(&k, "Kyiv", EntityKind::Place), "{k:?}");
        // An ALL-CAPS sentence after mixed-case text is true-cased from that text too.
        let late = x.extract(
            "",
            "President Reagan said on Tuesday that OPEC should cut output.\n\nREAGAN SAYS \
             OPEC MUST CUT OUTPUT",
        );
        assert_eq!(
            kinds_of(&late),
            [("Reagan", EntityKind::Person), ("OPEC", EntityKind::Org)],
            "{late:?}"
        );
        let t = x.extract("JAPAN AND U.S. TALK TRADE", "");
        assert!(t.iter().any(|e| e.kind == EntityKind::Place), "{t:?}");
    }

    fn kinds_of(ents: &[Entity]) -> Vec<(&str, EntityKind)> {
        ents.iter().map(|e| (e.name.as_str(), e.kind)).collect()
    }

    #[test]
    fn job_titles_are_not_entities() {
        use EntityKind::*;
        let x = Extractor::shared();
        let e = x.extract(
            "",
            "US Defense Secretary Pete Hegseth said the talks would go on.",
        );
        assert_eq!(
            kinds_of(&e),
            [("United States", Place), ("Pete Hegseth", Person)],
            "{e:?}"
        );
        let e = x.extract(
            "",
            "The group was set up by former US Secretary of Defense Lloyd Austin in 2022.",
        );
        assert!(has(&e, "Lloyd Austin", Person), "{e:?}");
        assert!(!e.iter().any(|x| x.name.contains("Defense")), "{e:?}");
        let e = x.extract(
            "",
            "Meanwhile, US Secretary of State Marco Rubio met British Foreign Secretary David \
             Lammy and German Chancellor Olaf Scholz in Berlin.",
        );
        for p in ["Marco Rubio", "David Lammy", "Olaf Scholz"] {
            assert!(has(&e, p, Person), "{p}: {e:?}");
        }
        assert!(has(&e, "Berlin", Place), "{e:?}");
        assert!(
            !e.iter().any(|x| x.kind == Org || x.name == "Meanwhile"),
            "{e:?}"
        );
        let e = x.extract(
            "",
            "He spoke alongside US Ambassador to NATO Matthew Whitaker in Brussels.",
        );
        assert!(has(&e, "Matthew Whitaker", Person), "{e:?}");
        assert!(has(&e, "NATO", Org), "{e:?}");
        assert!(!e.iter().any(|x| x.name.contains("Ambassador")), "{e:?}");
    }

    #[test]
    fn sentence_initial_function_words_are_not_entities() {
        use EntityKind::*;
        let x = Extractor::shared();
        let e = x.extract("", "Additionally, NATO said it would meet in June.");
        assert_eq!(kinds_of(&e), [("NATO", Org)], "{e:?}");
        let e = x.extract(
            "",
            "Separately, Germany said it would send more troops. However, Russia objected.",
        );
        assert_eq!(
            kinds_of(&e),
            [("Germany", Place), ("Russia", Place)],
            "{e:?}"
        );
        let e = x.extract("", "Okay, I'm going to Paris at 10:00 UTC on Monday.");
        assert_eq!(kinds_of(&e), [("Paris", Place)], "{e:?}");
    }

    #[test]
    fn surnames_and_laws() {
        use EntityKind::*;
        let x = Extractor::shared();
        // A later surname the tagger reads as a place joins the person.
        let e = x.extract(
            "",
            "Opposition leader Alexei Navalny was flown to Berlin. Doctors said Navalny was \
             poisoned.",
        );
        assert_eq!(
            kinds_of(&e),
            [("Alexei Navalny", Person), ("Berlin", Place)],
            "{e:?}"
        );
        // Laws and constitutions are not organisations or places.
        let e = x.extract(
            "",
            "The Alabama Human Life Protection Act violates the US Constitution, the ACLU said.",
        );
        assert!(
            !e.iter()
                .any(|x| x.name.ends_with(" Act") || x.name.ends_with("Constitution")),
            "{e:?}"
        );
    }

    #[test]
    fn sentences_without_capitals_still_read_first_words() {
        let x = Extractor::shared();
        // "Green" starts a sentence with no other capital; it is still tagged.
        let e = x.extract(
            "",
            "The party met in Leeds on Monday. Green said the vote was fair. it was over.",
        );
        assert!(has(&e, "Leeds", EntityKind::Place), "{e:?}");
        assert!(has(&e, "Green", EntityKind::Person), "{e:?}");
    }

    /// The product's sample article, when present under `corpus/seed/` of the crate.
    #[test]
    fn seed_article_entities() {
        use std::io::Write;
        use EntityKind::*;
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus/seed/000_82fd5678c171ad52.txt");
        let Ok(raw) = std::fs::read_to_string(&path) else {
            let _ = writeln!(
                std::io::stderr(),
                "skipping seed_article_entities: {} not found",
                path.display()
            );
            return;
        };
        // The corpus header " date YYYY-MM-DD ", then the text; the title is the first sentence.
        let text = raw.trim_start();
        let text = text
            .strip_prefix("date ")
            .and_then(|r| r.get(10..))
            .unwrap_or(text)
            .trim_start();
        let split = text.find(".\n\n").unwrap_or(0);
        let (title, body) = (
            &text[..split],
            text[split..].trim_start_matches(['.', '\n']),
        );
        let want = [
            ("United States", Place),
            ("Pete Hegseth", Person),
            ("Ukraine Defense Contact Group", Org),
            ("Ukraine", Place),
            ("Ramstein", Place),
            ("Brussels", Place),
            ("Defense News", Org),
            ("Lloyd Austin", Person),
            ("United Kingdom", Place),
            ("Germany", Place),
            ("NATO", Org),
            ("European Union", Org),
            ("Russia", Place),
            ("London", Place),
            ("Pentagon", Org),
            ("Washington", Place),
            ("Europe", Place),
            ("Moscow", Place),
            ("Marco Rubio", Person),
            ("Fox News", Org),
            ("Matthew Whitaker", Person),
        ];
        let x = Extractor::shared();
        let with_title = x.extract(title, body);
        assert_eq!(kinds_of(&with_title), want, "{with_title:?}");
        let whole = x.extract("", text);
        assert_eq!(kinds_of(&whole), want, "{whole:?}");
    }

    #[test]
    fn never_panics_on_odd_input() {
        let x = Extractor::shared();
        let mut inputs: Vec<String> = vec![
            String::new(),
            " \n\t\r ".into(),
            "\u{0}\u{1}\u{7f}\u{85}\u{2028}".into(),
            "İSTANBUL ǅ ß ﬁ 日本 東京 Москва Škoda".into(),
            "'s 's ' ’ ’s <> < > ... -- - . U. U.S .U.S. a.a.a.a.a.a.".into(),
            "x".repeat(10_000_000),
            "A.".repeat(50_000),
            "Smith ".repeat(20_000),
            "\u{1F600}".repeat(10_000),
        ];
        let mut rng = perceptron::SplitMix::new(7);
        let alphabet: Vec<char> = "aZ .,'’-<>&/\n\t0é\u{0}U.S".chars().collect();
        for _ in 0..300 {
            let len = rng.below(80);
            inputs.push(
                (0..len)
                    .map(|_| alphabet[rng.below(alphabet.len())])
                    .collect(),
            );
        }
        for s in &inputs {
            let _ = x.extract(s, s);
            let _ = x.extract("", s);
            let toks: Vec<&str> = s.split(' ').take(1000).collect();
            let _ = x.tag_tokens(&toks);
        }
    }
}
