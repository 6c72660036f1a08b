//! The extractor: tags an article's sentences with the model, repairs the spans and resolves
//! the mentions into the article's entities.

use super::canonical::{ends_in_org_or_place_head, resolve, FirstName, Mention, WordFacts};
use super::demonyms::demonym_at;
use super::entity::{Entity, EntityKind};
use super::gazetteer::{gazetteer, GazMatch};
use super::growth::{
    grow_spans, join_after_initials, nickname_at, retype_spans, trim_place_descriptors,
};
use super::institutions::{join_institution_names, join_listed_names};
use super::lexicon::Profile;
use super::model::{Model, ModelError, Scratch};
use super::rules;
use super::span::{collect_spans, Span};
use super::tags::{Tag, TagType};
use super::tokenize::{is_possessive, tokenize, Token, CAPTION_WORDS};
use super::truecase::TrueCaser;
use super::word_lists::{is_common_surname, is_given_name, is_ordinary_word};
use super::words::{alias_key, is_caps_sentence, WordFilter};
use crate::error::{Error, Result};
use std::cell::RefCell;
use std::sync::OnceLock;

/// The model shipped with the binary (trained by `examples/ner_train.rs`).
static EMBEDDED_MODEL: &[u8] = include_bytes!("model.bin");

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

/// The extractor of `cell`, loaded from `bytes` on first use; the error of that load, if it
/// failed, every time.
fn shared_from<'c>(
    cell: &'c OnceLock<std::result::Result<Extractor, ModelError>>,
    bytes: &[u8],
) -> Result<&'c Extractor> {
    cell.get_or_init(|| Extractor::from_bytes(bytes))
        .as_ref()
        .map_err(|err| Error::EntityModel(err.to_string()))
}

/// The words of a sentence (tokens `a..b` of `text`), written into `out`.
fn sentence_words<'t>(text: &'t str, tokens: &[Token], out: &mut Vec<&'t str>) {
    out.clear();
    out.extend(tokens.iter().map(|t| &text[t.start..t.end]));
}

/// The words of an article's mixed-case sentences that the true-caser may need for its
/// ALL-CAPS sentences. While the ALL-CAPS sentences come first (typically the title), only
/// the words that can match theirs are kept as the article is read; when an ALL-CAPS sentence
/// turns up after mixed-case text, the words are gathered again at the end.
enum CasedWords<'t> {
    /// No mixed-case sentence yet; the filter admits the words of the ALL-CAPS sentences
    /// so far (none when there were none).
    Before(Option<WordFilter>),
    /// Mixed-case sentences after all the ALL-CAPS ones so far: their words that may match.
    Kept(WordFilter, Vec<&'t str>),
    /// Mixed-case text came before an ALL-CAPS sentence, or before any: gathered at the end.
    GatherLater,
}

impl<'t> CasedWords<'t> {
    /// After an ALL-CAPS sentence; `caps_sents` are all of them so far.
    fn after_caps_sentence(&mut self, caps_sents: &[(usize, Vec<&'t str>)]) {
        *self = match self {
            CasedWords::Before(_) => CasedWords::Before(Some(WordFilter::new(
                caps_sents.iter().flat_map(|(_, w)| w.iter().copied()),
            ))),
            _ => CasedWords::GatherLater,
        };
    }

    /// After a mixed-case sentence of `words`.
    fn after_mixed_sentence(&mut self, words: &[&'t str]) {
        match self {
            CasedWords::Before(None) => *self = CasedWords::GatherLater,
            CasedWords::Before(Some(_)) => {
                if let CasedWords::Before(Some(filter)) =
                    std::mem::replace(self, CasedWords::GatherLater)
                {
                    let kept = words.iter().copied().filter(|w| filter.admits(w)).collect();
                    *self = CasedWords::Kept(filter, kept);
                }
            }
            CasedWords::Kept(filter, kept) => {
                kept.extend(words.iter().copied().filter(|w| filter.admits(w)));
            }
            CasedWords::GatherLater => {}
        }
    }
}

/// The mention of a span of `words`, each word spelt by `spell` unless the span has a
/// canonical name.
fn mention_of(
    span: &Span,
    words: &[&str],
    from_caps: bool,
    spell: impl Fn(&str) -> String,
) -> Mention {
    let words = match span.canonical {
        Some(name) => vec![name.to_string()],
        None => {
            let mut out: Vec<String> = Vec::with_capacity(span.end - span.start);
            let mut i = span.start;
            while i < span.end {
                // A person's nickname in quotes is no part of the name.
                if span.kind == TagType::Per && nickname_at(&words[..span.end], i) {
                    i += 3;
                    continue;
                }
                let w = words[i];
                match out.last_mut() {
                    // A possessive is written against its word ("Bishops' Conference",
                    // "People's Republic"), as the alias map spells such names.
                    Some(prev) if is_possessive(w) => prev.push_str(w),
                    // So is a comma inside a name that lists its fields ("Department of
                    // Health, Education, and Welfare").
                    Some(prev) if w == "," && i + 1 < span.end => prev.push(','),
                    _ => out.push(spell(unglue_caption(w))),
                }
                i += 1;
            }
            out
        }
    };
    Mention {
        words,
        kind: span.kind,
        from_caps,
    }
}

/// A word without the caption word glued to its end ("CollinsImage" is "Collins"); other
/// words as they are ("McDonald", "WalesOnline").
fn unglue_caption(w: &str) -> &str {
    for c in CAPTION_WORDS {
        if let Some(stem) = w.strip_suffix(c) {
            if stem.len() >= 2 && stem.ends_with(|ch: char| ch.is_lowercase()) {
                return stem;
            }
        }
    }
    w
}

impl Extractor {
    /// The embedded model, loaded on first use; an error when its bytes cannot be read (then
    /// no entity could be found, so extraction must not go on without it).
    pub fn shared() -> Result<&'static Extractor> {
        static SHARED: OnceLock<std::result::Result<Extractor, ModelError>> = OnceLock::new();
        shared_from(&SHARED, EMBEDDED_MODEL)
    }

    /// Builds the tables that are otherwise built on first use (the gazetteer above all,
    /// about 40 ms of one core), so that a caller can have that done on a thread of its own
    /// while it does other work, rather than in the way of the first article.
    pub fn warm_up(&self) {
        gazetteer();
        // Words each table holds, so that the look-ups reach them.
        super::aliases::canonical_alias("U.S.");
        super::demonyms::country_of_demonym("Japanese");
        rules::is_name_word("Mayor");
    }

    /// Loads an extractor from model-file bytes (as written by `ner_train`).
    pub fn from_bytes(bytes: &[u8]) -> std::result::Result<Extractor, ModelError> {
        Ok(Extractor {
            model: Model::from_bytes(bytes)?,
        })
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
    ///
    /// Mixed-case sentences are tagged as they come; ALL-CAPS ones afterwards, true-cased
    /// from the rest of the article. Mentions carry their sentence number, so that they are
    /// resolved in text order.
    pub fn extract(&self, title: &str, body: &str) -> Vec<Entity> {
        let mut mentions: Vec<(usize, Mention)> = Vec::with_capacity(32);
        with_scratch(|s| {
            let mut caps_sents: Vec<(usize, Vec<&str>)> = Vec::new();
            let mut cased = CasedWords::Before(None);
            let mut article_has_capitals = false;
            let mut words: Vec<&str> = Vec::with_capacity(64);
            let mut spans: Vec<Span> = Vec::with_capacity(16);
            let mut seq = 0usize;
            for text in [title, body] {
                tokenize(text, &mut s.tokens, &mut s.sents);
                for &(a, b) in &s.sents {
                    seq += 1;
                    sentence_words(text, &s.tokens[a..b], &mut words);
                    if is_caps_sentence(&words) {
                        caps_sents.push((seq, words.clone()));
                        cased.after_caps_sentence(&caps_sents);
                        continue;
                    }
                    cased.after_mixed_sentence(&words);
                    if !self.worth_tagging(&words, &mut article_has_capitals) {
                        continue;
                    }
                    self.model.decode(&words, false, &mut s.dec);
                    self.sentence_spans(&words, false, &s.dec.path, &mut s.runs, &mut spans);
                    self.drop_common_first_word(&words, title, body, &mut spans);
                    mentions.extend(
                        spans
                            .iter()
                            .map(|span| (seq, mention_of(span, &words, false, str::to_string))),
                    );
                }
            }
            if caps_sents.is_empty() {
                return;
            }
            let cased = match cased {
                CasedWords::Before(_) => Vec::new(),
                CasedWords::Kept(_, kept) => kept,
                CasedWords::GatherLater => {
                    let mut all = Vec::new();
                    for text in [title, body] {
                        tokenize(text, &mut s.tokens, &mut s.sents);
                        for &(a, b) in &s.sents {
                            sentence_words(text, &s.tokens[a..b], &mut words);
                            if !is_caps_sentence(&words) {
                                all.extend_from_slice(&words);
                            }
                        }
                    }
                    all
                }
            };
            let wanted: Vec<&str> = caps_sents
                .iter()
                .flat_map(|(_, w)| w.iter().copied())
                .collect();
            let tc = TrueCaser::new(&cased, &wanted);
            let mut fixed: Vec<String> = Vec::new();
            for (seq, words) in &caps_sents {
                self.decode_caps_sentence(words, &tc, &mut fixed, &mut s.dec);
                self.sentence_spans(words, true, &s.dec.path, &mut s.runs, &mut spans);
                mentions.extend(
                    spans
                        .iter()
                        .map(|span| (*seq, mention_of(span, words, true, |w| tc.case(w)))),
                );
            }
        });
        self.resolve_mentions(mentions)
    }

    /// Drops a one-word span at the start of a sentence when the word is an ordinary one:
    /// the article writes it in lower case and never capitalised inside a sentence
    /// ("Zebra stripes may ..." in an article about zebras). Words the training text
    /// usually capitalises and gazetteer names are kept.
    fn drop_common_first_word(
        &self,
        words: &[&str],
        title: &str,
        body: &str,
        spans: &mut Vec<Span>,
    ) {
        let Some(first) = spans.first().copied() else {
            return;
        };
        let w = words[first.start];
        if first.end != first.start + 1
            || first.canonical.is_some()
            || !sentence_start(words, first.start)
            || !w.is_ascii()
            || w.len() < 3
            || self.model.lexicon_profile(w).usually_capitalised()
            || gazetteer()
                .match_at(words, first.start, false, true)
                .is_some()
        {
            return;
        }
        let lower = w.to_ascii_lowercase();
        let common = [title, body].iter().any(|t| written_lower(t, &lower))
            && ![title, body].iter().any(|t| capitalised_inside(t, w));
        if common {
            spans.remove(0);
        }
    }

    /// Whether a mixed-case sentence is worth tagging. Once the article has shown capitals
    /// (`article_has_capitals`, updated here), a sentence without a capital letter, apart
    /// from a first word that the training text only ever wrote in lower case inside
    /// sentences and never tagged ("It said ..."), names nothing.
    fn worth_tagging(&self, words: &[&str], article_has_capitals: &mut bool) -> bool {
        let mut has_capital = false;
        let may_name = words.iter().enumerate().any(|(i, w)| {
            let capital = w.chars().any(char::is_uppercase);
            has_capital |= capital;
            capital && (i > 0 || !self.model.lexicon_profile(w).plain_lower_case_word())
        });
        let worth = !*article_has_capitals || may_name;
        *article_has_capitals |= has_capital;
        worth
    }

    /// Tags an ALL-CAPS sentence. When the article spells some of its words in mixed case,
    /// from two views: the capitals in caps mode, and a true-cased copy (written into
    /// `fixed`) as ordinary text. Otherwise in caps mode alone.
    fn decode_caps_sentence(
        &self,
        words: &[&str],
        tc: &TrueCaser,
        fixed: &mut Vec<String>,
        dec: &mut Scratch,
    ) {
        if !words.iter().any(|w| tc.knows(w)) {
            self.model.decode(words, true, dec);
            return;
        }
        fixed.clear();
        fixed.extend(words.iter().enumerate().map(|(i, w)| {
            let lower = self.model.lexicon_profile(w).mostly_lower_case();
            tc.case_for_tagging(w, lower, i == 0)
        }));
        self.model.decode_two_views(words, fixed, dec);
    }

    /// The entity spans of a sentence whose labels the model left in `path`: the labelled
    /// spans, trimmed of punctuation, with job titles and lone function words taken out
    /// (`rules.rs`), completed with gazetteer names.
    fn sentence_spans(
        &self,
        words: &[&str],
        caps: bool,
        path: &[u8],
        runs: &mut Vec<(usize, usize)>,
        spans: &mut Vec<Span>,
    ) {
        spans.clear();
        collect_spans(path.iter().map(|&l| Tag::from_index(l as usize)), spans);
        trim_span_ends(words, spans);
        rules::split_at_common_nouns(words, spans);
        trim_place_descriptors(words, caps, spans);
        join_after_initials(words, spans);
        grow_spans(words, spans, |w| self.model.lexicon_profile(w));
        rules::repair_spans(words, spans, runs, |w| self.model.lexicon_profile(w));
        join_institution_names(words, spans);
        join_listed_names(words, spans, |w| self.model.lexicon_profile(w));
        retype_spans(words, spans, |w| self.model.lexicon_profile(w));
        complete_with_gazetteer(words, caps, spans);
        rules::drop_award_fields(words, caps, spans);
        add_demonym_countries(words, caps, spans);
        rules::mark_named_things(words, spans);
        rules::drop_ordinary_words(words, caps, spans, |w| self.model.lexicon_profile(w));
        rules::mark_common_noun_acronyms(words, spans);
    }

    /// The entities of an article's mentions (numbered by sentence), in text order.
    fn resolve_mentions(&self, mut mentions: Vec<(usize, Mention)>) -> Vec<Entity> {
        mentions.sort_by_key(|(seq, _)| *seq);
        resolve(
            mentions.into_iter().map(|(_, m)| m).collect(),
            &ModelFacts(&self.model),
        )
        .into_iter()
        .filter_map(|r| EntityKind::from_tag_type(r.kind).map(|kind| Entity { name: r.name, kind }))
        .collect()
    }
}

/// What the gazetteer, the model's training lexicon and the word lists say of single words.
struct ModelFacts<'m>(&'m Model);

impl WordFacts for ModelFacts<'_> {
    fn known_place(&self, w: &str) -> bool {
        gazetteer().kind_of(w) == Some(TagType::Loc) || self.0.lexicon_profile(w).mostly_place()
    }

    /// A common given name counts when it is no country, city or organisation of the
    /// gazetteer, no job title or function word, and no word the training text mostly writes
    /// in lower case or knows as a place's, organisation's or MISC name's ("Rayshard"; not
    /// "Paris", "Lord", "Will", "Morgan"). One that is also the name of a generated town or
    /// region counts only before a common surname ("Kanye West").
    fn first_name(&self, w: &str) -> FirstName {
        if !is_given_name(w) || !rules::is_name_word(w) {
            return FirstName::No;
        }
        let profile = self.0.lexicon_profile(w);
        if !profile.unknown_or_person() || profile.mostly_lower_case() {
            return FirstName::No;
        }
        let key = alias_key(w);
        if gazetteer().kind_of_key(&key).is_some() {
            FirstName::No
        } else if gazetteer().weak_place_key(&key) {
            FirstName::AlsoTown
        } else {
            FirstName::Given
        }
    }

    fn no_persons_name(&self, w: &str) -> bool {
        let p = self.0.lexicon_profile(w);
        (p == Profile::UNKNOWN || p.mostly_place()) && !is_given_name(w) && !is_common_surname(w)
    }

    /// Also no word the training text knows as capitalised most of the time.
    fn ordinary_word(&self, w: &str) -> bool {
        let p = self.0.lexicon_profile(w);
        // The alias key is built only for the few words that pass the cheap checks.
        (p == Profile::UNKNOWN || p.mostly_lower_case())
            && is_ordinary_word(w)
            && !is_given_name(w)
            && !is_common_surname(w)
            && {
                let key = alias_key(w);
                gazetteer().kind_of_key(&key).is_none() && !gazetteer().weak_place_key(&key)
            }
    }
}

/// Drops leading and trailing punctuation tokens ("(", "<", quotes) and trailing lower-case
/// words from spans, and spans left without a word.
fn trim_span_ends(words: &[&str], spans: &mut Vec<Span>) {
    let wordy = |i: usize| {
        words
            .get(i)
            .is_some_and(|w| w.chars().any(char::is_alphanumeric))
    };
    for s in spans.iter_mut() {
        while s.start < s.end && !wordy(s.start) {
            s.start += 1;
        }
        while s.end > s.start && !wordy(s.end - 1) {
            s.end -= 1;
        }
        // Nor does a lower-case word end one ("University of", "Senado de", "E. coli"),
        // except a head noun written in lower case ("the European union", "Kennedy airport").
        while s.end > s.start + 1 && lower_word_after_name(words[s.end - 1]) {
            s.end -= 1;
        }
        // A person's name starts with no lower-case word but a particle ("de Graaf", "bin
        // Laden"): "the god Thoth" names Thoth.
        while s.kind == TagType::Per
            && s.end > s.start + 1
            && words[s.start].len() >= 3
            && words[s.start].chars().all(char::is_lowercase)
            && !rules::is_particle(words[s.start])
        {
            s.start += 1;
        }
    }
    spans.retain(|s| !s.is_empty());
}

/// A word of lower-case letters only, other than an organisation's, place's or facility's
/// head noun.
fn lower_word_after_name(w: &str) -> bool {
    w.chars().all(char::is_lowercase) && !ends_in_org_or_place_head(w)
}

/// Adds the country of each nationality adjective or demonym ("Japanese exports" names
/// Japan), in place of a span of the adjective alone and nested in a longer name; not inside
/// a person's name. "American" after a capitalised word ("Latin American") names no country.
fn add_demonym_countries(words: &[&str], caps: bool, spans: &mut Vec<Span>) {
    let before = spans.len();
    let mut i = 0;
    while i < words.len() {
        let Some((country, n)) = demonym_at(words, i, caps) else {
            i += 1;
            continue;
        };
        let compound = country == "United States"
            && i > 0
            && words[i - 1].starts_with(|c: char| c.is_uppercase())
            && !sentence_start(words, i);
        // "the Spanish language" names a language, not Spain.
        let language = words.get(i + n).is_some_and(|w| {
            w.eq_ignore_ascii_case("language") || w.eq_ignore_ascii_case("languages")
        });
        // A "person" that is the demonym alone ("Samoan") is replaced like any other span.
        let in_person = spans.iter().any(|s| {
            s.kind == TagType::Per && s.covers(i, i + n) && (s.start, s.end) != (i, i + n)
        });
        // A place name that starts with the adjective names another place ("American
        // Samoa", "British Columbia", "Indian Ocean").
        let starts_place = spans
            .iter()
            .any(|s| s.kind == TagType::Loc && s.start == i && s.end > i + n)
            || gazetteer()
                .match_at(words, i, caps, true)
                .is_some_and(|m| m.kind == TagType::Loc && m.len > n);
        if !compound && !language && !in_person && !starts_place {
            spans.retain(|s| (s.start, s.end) != (i, i + n) || s.canonical.is_some());
            spans.push(Span {
                canonical: Some(country),
                ..Span::new(i, i + n, TagType::Loc)
            });
        }
        i += n;
    }
    if spans.len() != before || spans.windows(2).any(|w| w[0].start > w[1].start) {
        spans.sort_by_key(|s| (s.start, s.canonical.is_some()));
    }
}

/// True when `text` holds `lower` at the start of a word ("zebra", "zebras").
fn written_lower(text: &str, lower: &str) -> bool {
    text.match_indices(lower).any(|(at, _)| {
        !text[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
    })
}

/// True when `text` holds the word `w` after a lower-case word or a comma, that is inside a
/// sentence.
fn capitalised_inside(text: &str, w: &str) -> bool {
    text.match_indices(w).any(|(at, _)| {
        let mut before = text[..at].chars().rev();
        before.next() == Some(' ') && before.next().is_some_and(|c| c.is_lowercase() || c == ',')
    })
}

/// True when no word comes before `words[i]` in its sentence (punctuation aside).
fn sentence_start(words: &[&str], i: usize) -> bool {
    words[..i]
        .iter()
        .all(|w| !w.chars().any(char::is_alphanumeric))
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
    let g = gazetteer();
    let mut i = 0;
    while i < words.len() {
        // Only capitalised words start gazetteer names (`match_at` checks this again).
        let capital = words[i].starts_with(|c: char| c.is_uppercase());
        let in_name = capital && caps && spans.iter().any(|s| s.contains(i));
        // A weak (generated) name completes only a name the model found: alone it may be an
        // ordinary word or a person's name.
        let found_by_model = |a: usize, b: usize, m: &GazMatch| {
            !m.weak || (m.len > 1 && spans.iter().any(|s| s.overlaps(a, b)))
        };
        if let Some(m) = capital
            .then(|| g.match_at(words, i, caps, in_name))
            .flatten()
            .filter(|m| {
                spans.iter().any(|s| s.covers(i, i + m.len)) || found_by_model(i, i + m.len, m)
            })
        {
            let (a, b) = (i, i + m.len);
            if let Some(outer) = spans.iter().find(|s| s.covers(a, b)).copied() {
                // Inside a place name only a leading modifier counts ("U.S. Midwest" names
                // the United States, "New South Wales" does not name Wales).
                let nests = match outer.kind {
                    TagType::Org | TagType::Misc => true,
                    TagType::Loc => a == outer.start && b < outer.end,
                    TagType::Per => false,
                };
                if (outer.start, outer.end) != (a, b) && nests && m.nest {
                    spans.push(Span {
                        canonical: Some(m.canonical),
                        ..Span::new(a, b, m.kind)
                    });
                }
            } else {
                spans.retain(|s| !s.overlaps(a, b));
                spans.push(Span::new(a, b, m.kind));
            }
            i = b;
            continue;
        }
        // Hyphenated compounds of names: "Canada-Egypt", "Franco-German" (parts only).
        let w = words[i];
        if w.contains('-') && w.len() <= 64 {
            let inside_person = spans
                .iter()
                .any(|s| s.contains(i) && s.kind == TagType::Per);
            if !inside_person {
                for part in w.split('-') {
                    if let Some(m) = g.match_at(&[part], 0, caps, false).filter(|m| m.nest) {
                        spans.push(Span {
                            canonical: Some(m.canonical),
                            ..Span::new(i, i + 1, m.kind)
                        });
                    }
                }
            }
        }
        i += 1;
    }
    spans.sort_by_key(|s| (s.start, s.canonical.is_some()));
    // Stock tickers in angle brackets ("Standard Oil <SRD>") are not entities of their own;
    // longer bracketed company names ("<Union Faith Canada Holding Ltd>") are kept.
    spans.retain(|s| {
        let ticker = s.end == s.start + 1
            && s.start > 0
            && words.get(s.start - 1) == Some(&"<")
            && words.get(s.end) == Some(&">")
            && !words[s.start].chars().any(char::is_lowercase);
        !ticker
    });
}

#[cfg(test)]
mod tests {
    use super::super::rng::SplitMix;
    use super::*;

    fn shared() -> &'static Extractor {
        Extractor::shared().expect("the embedded model loads")
    }

    #[test]
    fn damaged_model_bytes_are_an_error() {
        let truncated = &EMBEDDED_MODEL[..EMBEDDED_MODEL.len() / 2];
        assert_eq!(
            Extractor::from_bytes(truncated).unwrap_err(),
            ModelError::Truncated
        );
        let mut renamed = EMBEDDED_MODEL.to_vec();
        renamed[0] ^= 0x20;
        assert_eq!(
            Extractor::from_bytes(&renamed).unwrap_err(),
            ModelError::BadMagic
        );
        // The shared extractor does not fall back to a model that finds nothing.
        let cell = OnceLock::new();
        let err = shared_from(&cell, truncated).unwrap_err();
        assert!(matches!(err, Error::EntityModel(_)), "{err:?}");
        assert_eq!(
            err.to_string(),
            "the built-in entity model could not be loaded: model file truncated"
        );
        assert!(shared_from(&cell, EMBEDDED_MODEL).is_err(), "loaded once");
        assert!(shared_from(&OnceLock::new(), EMBEDDED_MODEL).is_ok());
    }

    fn has(ents: &[Entity], name: &str, kind: EntityKind) -> bool {
        ents.iter().any(|e| e.name == name && e.kind == kind)
    }

    #[test]
    fn extractor_is_send_sync() {
        fn check<T: Send + Sync>() {}
        check::<Extractor>();
    }

    #[test]
    fn embedded_model_finds_hegseth_and_nato() {
        let x = shared();
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
    fn ordinary_words_and_named_things_are_no_entities() {
        let x = shared();
        let ents = x.extract(
            "",
            "It is an interferometer working in Radio astronomy, said Maria Lopez of the \
             observatory in Chile. The storm reached Category 4 on the Saffir – Simpson scale.",
        );
        let names: Vec<&str> = ents.iter().map(|e| e.name.as_str()).collect();
        assert!(has(&ents, "Maria Lopez", EntityKind::Person), "{ents:?}");
        assert!(has(&ents, "Chile", EntityKind::Place), "{ents:?}");
        for thing in ["Radio", "Saffir", "Simpson"] {
            assert!(!names.contains(&thing), "{thing}: {ents:?}");
        }
    }

    #[test]
    fn a_name_after_a_word_for_a_company_is_the_company() {
        let ents = shared().extract(
            "",
            "Hunter Biden served as an adviser to the board of the energy company Burisma, \
             on which he served.",
        );
        assert!(has(&ents, "Burisma", EntityKind::Org), "{ents:?}");
        assert!(has(&ents, "Hunter Biden", EntityKind::Person), "{ents:?}");
    }

    #[test]
    fn a_person_ending_in_the_plural_of_an_ordinary_word_is_a_body_or_a_team() {
        let x = shared();
        // Surnames that are plurals of ordinary words stay people's.
        let words = [
            "Temasek", "Holdings", ",", "Bernie", "Sanders", ",", "Garth", "Brooks",
        ];
        let mut spans = vec![
            Span::new(0, 2, TagType::Per),
            Span::new(3, 5, TagType::Per),
            Span::new(6, 8, TagType::Per),
        ];
        retype_spans(&words, &mut spans, |w| x.model.lexicon_profile(w));
        let kinds: Vec<TagType> = spans.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [TagType::Org, TagType::Per, TagType::Per]);
    }

    #[test]
    fn a_description_before_a_name_is_no_part_of_it() {
        let ents = shared().extract(
            "",
            "Whistleblower Edward Snowden spoke to Journalist Glenn Greenwald on Monday. \
             Rapper Kanye West is running. Comedian Sacha Baron Cohen attended. Broadcaster \
             Piers Morgan left the show.",
        );
        for name in [
            "Edward Snowden",
            "Glenn Greenwald",
            "Kanye West",
            "Sacha Baron Cohen",
            "Piers Morgan",
        ] {
            assert!(has(&ents, name, EntityKind::Person), "{name}: {ents:?}");
        }
        // Given names and a regnal number name a monarch or a pope.
        let ents = shared().extract(
            "",
            "Yesterday, the United Kingdom's Queen Elizabeth II announced she will comply with \
             the request.",
        );
        assert!(has(&ents, "Elizabeth II", EntityKind::Person), "{ents:?}");
    }

    #[test]
    fn a_town_before_a_comma_and_its_country_or_state_is_a_place() {
        use EntityKind::*;
        let x = shared();
        let e = x.extract(
            "Mokha, Yemen bomb kills photojournalist",
            "At the debate, held October 8 in Denver, Colorado, the candidates took questions. \
             Mokha is less affected by violence than other parts of Yemen.",
        );
        assert!(has(&e, "Denver", Place), "{e:?}");
        assert!(has(&e, "Mokha", Place), "{e:?}");
        assert!(!e.iter().any(|x| x.kind == Person), "{e:?}");
        // A person's name before a state and a title stays the person's.
        let e = x.extract(
            "",
            "Greg Abbott, Texas governor, said so and Abbott, Texas' governor, agreed.",
        );
        assert!(has(&e, "Greg Abbott", Person), "{e:?}");
        assert!(
            !e.iter()
                .any(|x| x.name.contains("Abbott") && x.kind != Person),
            "{e:?}"
        );
    }

    #[test]
    fn and_after_an_institution_of_a_place_starts_another() {
        let x = shared();
        let e = x.extract(
            "",
            "The researchers from the University of Washington and Stanford University said \
             so. Scientists of the University of Miami and Apex Shark Expeditions tagged \
             sharks. The Port Authority of New York and New Jersey agreed.",
        );
        for name in [
            "University of Washington",
            "Stanford University",
            "University of Miami",
            "Apex Shark Expeditions",
            "Port Authority of New York and New Jersey",
        ] {
            assert!(has(&e, name, EntityKind::Org), "{name}: {e:?}");
        }
    }

    #[test]
    fn a_name_before_administration_is_a_president_s() {
        let x = shared();
        let e = x.extract(
            "",
            "The move was the Trump administration's latest application of pressure on Cuba's \
             government, following improved relations during the presidency of Barack Obama. \
             Trump point out the Obama administration constructed the cages. The U.S. \
             administration declined to comment.",
        );
        assert!(has(&e, "Trump", EntityKind::Person), "{e:?}");
        assert!(has(&e, "Barack Obama", EntityKind::Person), "{e:?}");
        assert!(has(&e, "United States", EntityKind::Place), "{e:?}");
        assert!(!e
            .iter()
            .any(|x| x.name.contains("Obama") && x.kind != EntityKind::Person));
    }

    #[test]
    fn a_listed_organisation_with_more_words_is_its_branch() {
        let x = shared();
        let e = x.extract(
            "",
            "The court ruled against Facebook Ireland on Thursday. Netflix Japan said so too.",
        );
        assert!(has(&e, "Facebook Ireland", EntityKind::Org), "{e:?}");
        assert!(has(&e, "Netflix Japan", EntityKind::Org), "{e:?}");
        assert!(has(&e, "Ireland", EntityKind::Place), "{e:?}");
    }

    #[test]
    fn numerals_and_affairs_are_no_names() {
        let x = shared();
        let e = x.extract(
            "",
            "In el siglo XXI, toda sociedad cambia. Clinton was impeached during the Lewinsky \
             affair. Reserves I, II and III have matured.",
        );
        let names: Vec<&str> = e.iter().map(|x| x.name.as_str()).collect();
        for word in ["XXI", "Lewinsky", "II", "III"] {
            assert!(!names.contains(&word), "{word}: {e:?}");
        }
        assert!(has(&e, "Clinton", EntityKind::Person), "{e:?}");
    }

    #[test]
    fn a_capitalised_ordinary_word_alone_is_no_name() {
        let x = shared();
        let e = x.extract(
            "",
            "Officials are removed from office for \"Treason, Bribery, or other high Crimes\". \
             Cows are considered sacred by Hindus. Microscopy analysis of the bone tools \
             followed. Vice President Mike Pence spoke; Pence left. In findings published last \
             month in the journal Current Biology, neuroscientists examined rats.",
        );
        let names: Vec<&str> = e.iter().map(|x| x.name.as_str()).collect();
        for word in ["Bribery", "Cows", "Microscopy", "Current Biology"] {
            assert!(!names.contains(&word), "{word}: {e:?}");
        }
        assert_eq!(names, ["Mike Pence"], "{e:?}");
    }

    #[test]
    fn a_person_s_name_starts_with_no_lower_case_word_but_a_particle() {
        let words = ["the", "god", "Thoth", "and", "de", "Graaf"];
        let mut spans = vec![Span::new(1, 3, TagType::Per), Span::new(4, 6, TagType::Per)];
        trim_span_ends(&words, &mut spans);
        assert_eq!(
            spans,
            [Span::new(2, 3, TagType::Per), Span::new(4, 6, TagType::Per)]
        );
    }

    #[test]
    fn a_name_after_a_word_for_a_relative_is_a_person() {
        let ents = shared().extract(
            "",
            "President Trump, his wife Melania, and their son Barron tested positive, officials \
             said.",
        );
        assert!(has(&ents, "Melania", EntityKind::Person), "{ents:?}");
        assert!(has(&ents, "Barron", EntityKind::Person), "{ents:?}");
        assert!(!has(&ents, "Melania", EntityKind::Place), "{ents:?}");
    }

    #[test]
    fn an_acronym_of_words_in_lower_case_is_no_name() {
        let ents = shared().extract(
            "",
            "Stallman has been highly critical of DRM (digital rights management), and of \
             the new rules. Officials of the export enhancement program (EEP) met in Moscow. \
             The EEP and DRM were discussed with the World Health Organization (WHO).",
        );
        let names: Vec<&str> = ents.iter().map(|e| e.name.as_str()).collect();
        assert!(!names.contains(&"DRM"), "{ents:?}");
        assert!(!names.contains(&"EEP"), "{ents:?}");
        assert!(has(&ents, "Moscow", EntityKind::Place), "{ents:?}");
        assert!(
            ents.iter()
                .any(|e| e.kind == EntityKind::Org && e.name.contains("World Health")),
            "a defining name in capitals stays an organisation: {ents:?}"
        );
    }

    #[test]
    fn article_level_canonicalisation() {
        let x = shared();
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
        let x = shared();
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
        let x = shared();
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
        let x = shared();
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
        // A judge's title, beside the institutions named after justice.
        let e = x.extract(
            "",
            "Justice Sonia Sotomayor dissented. The Justice Department and the European Court \
             of Justice disagreed, and Cde Mugabe spoke.",
        );
        assert!(has(&e, "Sonia Sotomayor", Person), "{e:?}");
        assert!(has(&e, "Mugabe", Person), "{e:?}");
        assert!(has(&e, "Justice Department", Org), "{e:?}");
        assert!(has(&e, "European Court of Justice", Org), "{e:?}");
    }

    #[test]
    fn sentence_initial_function_words_are_not_entities() {
        use EntityKind::*;
        let x = shared();
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
        let x = shared();
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
    fn nationality_adjectives_name_their_country() {
        use EntityKind::*;
        let x = shared();
        let e = x.extract(
            "",
            "Japanese exports rose in March, and the French government said so.",
        );
        assert_eq!(kinds_of(&e), [("Japan", Place), ("France", Place)], "{e:?}");
        let e = x.extract("", "The Latin American market grew, Welsh officials said.");
        assert!(!has(&e, "United States", Place), "{e:?}");
        assert!(has(&e, "Wales", Place), "{e:?}");
        assert!(!e.iter().any(|x| x.name == "Welsh"), "{e:?}");
        let e = x.extract("JAPANESE EXPORTS FALL", "Exports fell in March.");
        assert!(has(&e, "Japan", Place), "{e:?}");
    }

    #[test]
    fn organisation_shaped_names_are_organisations() {
        use EntityKind::*;
        let x = shared();
        let e = x.extract(
            "",
            "He was treated at Walter Reed Hospital. Regeneron Pharmaceuticals made the drug, \
             and Hartford Hospital took the injured.",
        );
        for o in [
            "Walter Reed Hospital",
            "Regeneron Pharmaceuticals",
            "Hartford Hospital",
        ] {
            assert!(has(&e, o, Org), "{o}: {e:?}");
        }
        assert!(!e.iter().any(|x| x.kind != Org), "{e:?}");
    }

    #[test]
    fn a_legal_form_or_air_ends_a_company_s_name() {
        use EntityKind::*;
        let x = shared();
        let e = x.extract(
            "",
            "Computer Terminal sold shares to Sedio N.V. of Lugano. Flights to Baghdad are \
             served by Mahan Air, an Iranian airline. Germany was asked to restrict Mahan's \
             operations.",
        );
        for o in ["Sedio", "Mahan Air"] {
            assert!(has(&e, o, Org), "{o}: {e:?}");
        }
        assert!(!e.iter().any(|x| x.kind == Person), "{e:?}");
        // The model reads the airline as a product here.
        let e = x.extract("", "Flights on Mahan Air were banned on Tuesday.");
        assert!(has(&e, "Mahan Air", Org), "{e:?}");
    }

    #[test]
    fn words_that_describe_a_place_or_join_two_names_are_no_part_of_one() {
        use EntityKind::*;
        let x = shared();
        let e = x.extract(
            "",
            "Initial reports from Omsk hospital reported no traces of poison. The Speaker is \
             the third-highest ranking person in the U.S. Federal government.",
        );
        assert!(has(&e, "Omsk", Place), "{e:?}");
        assert!(has(&e, "United States", Place), "{e:?}");
        assert!(
            !e.iter()
                .any(|x| x.name.contains("hospital") || x.name.contains("Federal")),
            "{e:?}"
        );
        let e = x.extract("", "The Kennedy assassin Sirhan Sirhan was denied parole.");
        assert!(has(&e, "Sirhan Sirhan", Person), "{e:?}");
        assert!(!e.iter().any(|x| x.name.contains("assassin")), "{e:?}");
    }

    #[test]
    fn a_name_cut_after_an_initial_is_joined() {
        let e = shared().extract(
            "",
            "It stays afloat, in part, due to the George L. Pennock Trust established in 1939.",
        );
        assert_eq!(
            kinds_of(&e),
            [("George L. Pennock Trust", EntityKind::Org)],
            "{e:?}"
        );
    }

    #[test]
    fn a_given_name_of_companies_before_an_unknown_word_names_a_person() {
        use EntityKind::*;
        let e = shared().extract(
            "",
            "Mugabe won a presidential election over Morgan Tsvangirai of the MDC. Both Mugabe \
             and Tsvangirai claimed victory.",
        );
        assert!(has(&e, "Morgan Tsvangirai", Person), "{e:?}");
        assert!(
            !e.iter()
                .any(|x| x.name.contains("Tsvangirai") && x.kind != Person),
            "{e:?}"
        );
    }

    #[test]
    fn outlets_faiths_and_possessives() {
        use EntityKind::*;
        let x = shared();
        let e = x.extract(
            "",
            "The senator told The Hill on Monday that Politico and Mediaite were wrong, and \
             Newsweek said the USPS would cut services. Muslims and Christians prayed to God, \
             and Marxism was discussed. The Catholic Bishops' Conference of the Philippines met.",
        );
        for o in ["Hill", "Politico", "Mediaite", "Newsweek", "USPS"] {
            assert!(has(&e, o, Org), "{o}: {e:?}");
        }
        assert!(
            has(&e, "Catholic Bishops' Conference of the Philippines", Org),
            "{e:?}"
        );
        for w in ["Muslims", "Christians", "God", "Marxism"] {
            assert!(!e.iter().any(|x| x.name == w), "{w}: {e:?}");
        }
    }

    #[test]
    fn a_name_running_into_an_event_is_the_event() {
        let x = shared();
        let e = x.extract(
            "",
            "Officials in the 2000 US Presidential election were blamed. The UK General \
             election was held in December.",
        );
        assert!(has(&e, "United States", EntityKind::Place), "{e:?}");
        assert!(has(&e, "United Kingdom", EntityKind::Place), "{e:?}");
        assert!(
            !e.iter()
                .any(|x| x.name.contains("Presidential") || x.name.contains("General")),
            "{e:?}"
        );
    }

    #[test]
    fn spans_end_with_a_word_of_the_name() {
        let words = [
            "found",
            "E.",
            "coli",
            ",",
            "the",
            "European",
            "union",
            "and",
            "University",
            "of",
        ];
        let mut spans = vec![
            Span::new(1, 4, TagType::Per),
            Span::new(5, 7, TagType::Org),
            Span::new(8, 10, TagType::Org),
        ];
        trim_span_ends(&words, &mut spans);
        let ends: Vec<(usize, usize)> = spans.iter().map(|s| (s.start, s.end)).collect();
        assert_eq!(ends, [(1, 2), (5, 7), (8, 9)]);
    }

    #[test]
    fn names_that_list_their_fields_and_the_fields_of_awards() {
        use EntityKind::*;
        let x = shared();
        let e = x.extract(
            "",
            "The site is protected by the United Nations Educational, Scientific and Cultural \
             Organization since 1985. He worked at the Department of Health, Education, and \
             Welfare for years. The Ministry of Defence, Britain and France said talks would go \
             on. The Royal Swedish Academy of Sciences announced the winners of the 2019 Nobel \
             Prize in Physics in Stockholm. The Bank of England, Barclays and Lloyds agreed. \
             HDT is under the aegis of Hungarian National Asset Management, Inc. since May.",
        );
        for o in [
            "United Nations Educational, Scientific and Cultural Organization",
            "Department of Health, Education, and Welfare",
            "Ministry of Defence",
            "Bank of England",
            "Hungarian National Asset Management",
        ] {
            assert!(has(&e, o, Org), "{o}: {e:?}");
        }
        for p in ["United Kingdom", "France", "Stockholm"] {
            assert!(has(&e, p, Place), "{p}: {e:?}");
        }
        for w in ["Cultural Organization", "Physics"] {
            assert!(!e.iter().any(|x| x.name == w), "{w}: {e:?}");
        }
    }

    #[test]
    fn glued_captions_and_contractions_are_not_names() {
        use EntityKind::*;
        let x = shared();
        let e = x.extract(
            "",
            "Prohibition Party nominee Phil CollinsImage spoke on Monday. You've heard it before.",
        );
        assert!(has(&e, "Phil Collins", Person), "{e:?}");
        assert!(
            !e.iter()
                .any(|x| x.name.contains("Image") || x.name.contains("You")),
            "{e:?}"
        );
    }

    #[test]
    fn generated_place_names_complete_the_model() {
        use EntityKind::*;
        let x = shared();
        let e = x.extract(
            "",
            "A gunman opened fire in El Paso on Saturday. Police chief Greg Allen said Allen \
             would speak later.",
        );
        assert!(has(&e, "El Paso", Place), "{e:?}");
        assert!(has(&e, "Greg Allen", Person), "{e:?}");
        assert!(!has(&e, "Allen", Place), "{e:?}");
    }

    #[test]
    fn names_starting_with_a_given_name_are_people() {
        use EntityKind::*;
        let x = shared();
        let e = x.extract(
            "",
            "Protests followed the death of Rayshard Brooks in Atlanta. The Washington Post \
             and Morgan Stanley said so, and Paris Hilton visited Abu Dhabi Media.",
        );
        assert!(has(&e, "Rayshard Brooks", Person), "{e:?}");
        assert!(has(&e, "Atlanta", Place), "{e:?}");
        assert!(has(&e, "Morgan Stanley", Org), "{e:?}");
        // Names that start with a place or a company's word are not people.
        assert!(!has(&e, "Abu Dhabi Media", Person), "{e:?}");
        assert!(
            e.iter()
                .any(|x| x.name.ends_with("Washington Post") && x.kind == Org),
            "{e:?}"
        );
        // A given name that is also a town's name counts before a common surname only.
        let e = x.extract(
            "",
            "The party nominated Rocky De La Fuente for president and rapper Kanye West for \
             vice president. Fans in Charlotte cheered the Charlotte Hornets. Orlando Magic \
             officials said the team would play Dallas Mavericks next week.",
        );
        assert!(has(&e, "Kanye West", Person), "{e:?}");
        let team = |n: &str| n.contains("Hornets") || n.contains("Mavericks");
        assert!(
            !e.iter().any(|x| x.kind == Person && team(&x.name)),
            "{e:?}"
        );
    }

    #[test]
    fn partial_names_join_the_full_name() {
        use EntityKind::*;
        let x = shared();
        let e = x.extract(
            "",
            "Barack Obama spoke in Chicago on Monday. Obama said the plan would pass. Patients \
             went to Saint Francis Hospital, and Saint Francis said it had room.",
        );
        let people: Vec<_> = e.iter().filter(|x| x.kind == Person).collect();
        assert_eq!(people.len(), 1, "{e:?}");
        assert!(has(&e, "Barack Obama", Person), "{e:?}");
        assert!(has(&e, "Saint Francis Hospital", Org), "{e:?}");
        assert!(
            !e.iter()
                .any(|x| x.name == "Saint Francis" || x.name == "Obama"),
            "{e:?}"
        );
    }

    #[test]
    fn sentences_without_capitals_still_read_first_words() {
        let x = shared();
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
        let x = shared();
        let with_title = x.extract(title, body);
        assert_eq!(kinds_of(&with_title), want, "{with_title:?}");
        let whole = x.extract("", text);
        assert_eq!(kinds_of(&whole), want, "{whole:?}");
    }

    #[test]
    fn never_panics_on_odd_input() {
        let x = shared();
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
        let mut rng = SplitMix::new(7);
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
