//! Span repairs applied to the tagger's output before the gazetteer: job titles in front of
//! names ("US Defense Secretary Pete Hegseth", "Secretary of Defense Lloyd Austin") and words
//! that are never an entity on their own ("Additionally,", "Okay", "UTC").

use super::canonical::{initials, ORG_HEADS, ORG_SUFFIXES, PLACE_HEADS};
use super::gazetteer::gazetteer;
use super::lexicon::Profile;
use super::span::Span;
use super::tags::TagType;
use super::word_lists::{is_common_surname, is_given_name, is_ordinary_word};
use super::words::{ci_hash, FastMap, WordFilter};
use std::sync::OnceLock;

/// Words that make a run of capitalised words a job title ("Secretary", "Minister").
const TITLE_HEADS: &[&str] = &[
    "secretary",
    "minister",
    "ambassador",
    "president",
    "vice-president",
    "president-elect",
    "chancellor",
    "governor",
    "senator",
    "congressman",
    "congresswoman",
    "representative",
    "speaker",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chairman",
    "chairwoman",
    "chairperson",
    "director",
    "commissioner",
    "envoy",
    "undersecretary",
    "under-secretary",
    "secretary-general",
    "mayor",
    "admiral",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "judge",
    "leader",
    "adviser",
    "advisor",
    "chief",
    "ceo",
    "sheikh",
    "emir",
    "ayatollah",
    "archbishop",
    "bishop",
    "cardinal",
    "rabbi",
    "imam",
    "sultan",
    "taoiseach",
    "gen.",
    "lt.",
    "col.",
    "maj.",
    "sgt.",
    "adm.",
    "capt.",
    "rep.",
    "sen.",
    "gov.",
    "professor",
    "prof.",
    "reverend",
    "rev.",
    "father",
    "officer",
    "detective",
    "sheriff",
    "captain",
    "colonel",
    "lieutenant",
    "sergeant",
    "coach",
    "sir",
    "dame",
    "councillor",
    "councilman",
    "councilwoman",
    "assemblyman",
    "assemblywoman",
    "member",
    "premier",
    "superintendent",
    "constable",
    "inspector",
    "commander",
    "marshal",
    "trooper",
    "attorney",
    "prosecutor",
    "dean",
    "provost",
    "pastor",
    "priest",
    "deacon",
    "chaplain",
    "justice",
    // People described by what they do, capitalised before the name in headings and
    // captions ("Whistleblower Edward Snowden"); none is a surname. Not "Actor" or
    // "Actress", which end award names ("Best Actor").
    "activist",
    "astronaut",
    "author",
    "broadcaster",
    "businessman",
    "businesswoman",
    "comedian",
    "economist",
    "entrepreneur",
    "filmmaker",
    "historian",
    "journalist",
    "nominee",
    "novelist",
    "presenter",
    "rapper",
    "scientist",
    "whistleblower",
];

/// Words that only count as a title head after another title word ("Attorney General", but
/// "General Motors" is a company).
const LATE_HEADS: &[&str] = &["general", "lady"];

/// Words that may stand in a title around its head ("Defense", "Foreign", "Deputy").
const TITLE_MODIFIERS: &[&str] = &[
    "defense",
    "defence",
    "foreign",
    "state",
    "interior",
    "home",
    "finance",
    "financial",
    "treasury",
    "trade",
    "health",
    "energy",
    "agriculture",
    "education",
    "economy",
    "economic",
    "labor",
    "labour",
    "transport",
    "transportation",
    "commerce",
    "environment",
    "culture",
    "homeland",
    "security",
    "intelligence",
    "affairs",
    "human",
    "services",
    "housing",
    "veterans",
    "war",
    "prime",
    "deputy",
    "vice",
    "assistant",
    "under",
    "acting",
    "former",
    "executive",
    "attorney",
    "surgeon",
    "inspector",
    "solicitor",
    "national",
    "senior",
    "special",
    "majority",
    "minority",
    "general",
    "chief",
    "first",
    "supreme",
    "justice",
    "lord",
    "board",
];

/// Lower-case words that may join title words ("Secretary of State", "Minister for Europe").
const TITLE_CONNECTORS: &[&str] = &["of", "for", "and", "&"];

/// Words that are never an entity on their own: sentence adverbs and conjunctions,
/// interjections, pronouns, relative days and time zones.
const NEVER_ALONE: &[&str] = &[
    "additionally",
    "meanwhile",
    "however",
    "furthermore",
    "moreover",
    "nevertheless",
    "nonetheless",
    "consequently",
    "subsequently",
    "therefore",
    "thus",
    "hence",
    "instead",
    "also",
    "still",
    "overall",
    "otherwise",
    "likewise",
    "besides",
    "accordingly",
    "afterwards",
    "earlier",
    "later",
    "today",
    "yesterday",
    "tomorrow",
    "tonight",
    "according",
    "but",
    "and",
    "or",
    "yet",
    "so",
    "then",
    "now",
    "here",
    "there",
    "okay",
    "ok",
    "yes",
    "no",
    "well",
    "oh",
    "ah",
    "um",
    "uh",
    "hey",
    "hello",
    "thanks",
    "please",
    "i",
    "i'm",
    "i've",
    "i'd",
    "i'll",
    "me",
    "myself",
    "we",
    "you",
    "he",
    "she",
    "they",
    "it",
    "this",
    "that",
    "utc",
    "gmt",
    "est",
    "edt",
    "pst",
    "pdt",
    "cet",
    "cest",
    "bst",
];

/// Days of the week: never an entity alone, but they may start a name ("Sunday Times").
const DAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Last words of a name that make it a place or organisation, not a person ("King Abdullah
/// University"): such a span keeps its title word.
const NAME_BREAKERS: &[&str] = &[
    "university",
    "college",
    "school",
    "hospital",
    "airport",
    "island",
    "islands",
    "hotel",
    "street",
    "avenue",
    "bridge",
    "park",
    "stadium",
    "foundation",
    "institute",
    "centre",
    "center",
    "award",
    "prize",
    "trophy",
    "cup",
    "memorial",
    "building",
    "league",
    "mosque",
    "temple",
    "shrine",
    "mausoleum",
    "academy",
    "library",
    "market",
    "square",
    "gardens",
    "hall",
    "house",
    "tower",
    "palace",
    "church",
    "cathedral",
    "museum",
    "theatre",
    "theater",
    "station",
    "road",
];

/// Name particles allowed in lower case inside a person's name.
const PARTICLES: &[&str] = &[
    "de", "da", "di", "del", "der", "van", "von", "la", "le", "bin", "al", "du", "dos", "ibn",
];

const HEAD: u8 = 1;
const LATE: u8 = 2;
const MODIFIER: u8 = 4;
const CONNECTOR: u8 = 8;
const NEVER: u8 = 16;
const BREAKER: u8 = 32;
const PARTICLE: u8 = 64;
const DAY: u8 = 128;

/// Word lists above as one table: case-insensitive hash -> (word, classes), with a cheap
/// pre-check on first letter and length.
type Table = (WordFilter, FastMap<u64, (&'static str, u8)>);

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut t: FastMap<u64, (&'static str, u8)> = FastMap::default();
        let lists: [(&[&'static str], u8); 11] = [
            (TITLE_HEADS, HEAD),
            (LATE_HEADS, LATE | MODIFIER),
            (TITLE_MODIFIERS, MODIFIER),
            (TITLE_CONNECTORS, CONNECTOR),
            (NEVER_ALONE, NEVER),
            (NAME_BREAKERS, BREAKER),
            (ORG_HEADS, BREAKER),
            (PLACE_HEADS, BREAKER),
            (ORG_SUFFIXES, BREAKER),
            (PARTICLES, PARTICLE),
            (DAYS, DAY),
        ];
        for (list, flag) in lists {
            for w in list {
                t.entry(ci_hash(w)).or_insert((w, 0)).1 |= flag;
            }
        }
        (WordFilter::new(t.values().map(|&(w, _)| w)), t)
    })
}

/// Classes of a word (one hash look-up; any case).
fn class(w: &str) -> u8 {
    if w.len() > 20 || !w.starts_with(|c: char| c.is_alphabetic() || c == '&') {
        return 0;
    }
    let (filter, t) = table();
    if !filter.admits(w) {
        return 0;
    }
    match t.get(&ci_hash(w)) {
        Some(&(s, f)) if s.eq_ignore_ascii_case(w) => f,
        _ => 0,
    }
}

fn is(w: &str, flags: u8) -> bool {
    class(w) & flags != 0
}

/// True for a word that ends a name running into it: a job-title head, a weekday or month
/// day, or a word that is never a name ("Governor" in "Bank of England Governor Eddie George").
pub(crate) fn ends_a_name(w: &str) -> bool {
    is(w, HEAD | DAY | NEVER)
}

/// True for a word of none of the lists above but the name particles: no job title, function
/// word, weekday, connector or head noun.
pub(crate) fn is_name_word(w: &str) -> bool {
    class(w) & !PARTICLE == 0
}

/// True for a particle of names ("de", "van", "bin").
pub(crate) fn is_particle(w: &str) -> bool {
    is(w, PARTICLE)
}

/// True for a job-title head word ("Mayor", "Secretary").
pub(crate) fn is_title_head(w: &str) -> bool {
    is(w, HEAD)
}

fn capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Job-title runs of a sentence: maximal runs of capitalised title words (and connectors
/// between them) that contain a title head. Written into `out` as token ranges.
fn title_runs(words: &[&str], out: &mut Vec<(usize, usize)>) {
    out.clear();
    let word_at = |j: usize| -> Option<(bool, bool)> {
        let w = *words.get(j)?;
        if !capitalised(w) {
            return None;
        }
        let c = class(w);
        let head = c & HEAD != 0;
        (head || c & MODIFIER != 0).then_some((head, c & LATE != 0))
    };
    let mut i = 0;
    while i < words.len() {
        let Some((head0, _)) = word_at(i) else {
            i += 1;
            continue;
        };
        let mut has_head = head0;
        let mut end = i + 1;
        let mut j = i + 1;
        while j < words.len() {
            if let Some((head, late)) = word_at(j) {
                has_head |= head || late;
                end = j + 1;
                j += 1;
            } else if is(words[j], CONNECTOR) && word_at(j + 1).is_some() {
                j += 1;
            } else {
                break;
            }
        }
        if has_head {
            out.push((i, end));
        }
        i = end.max(i + 1);
    }
}

/// True when tokens `from..to` read as a person's name: one to four words, capitalised or
/// name particles, not ending in a place or institution noun, and not a gazetteer name.
fn looks_like_name(words: &[&str], from: usize, to: usize) -> bool {
    let n = to.saturating_sub(from);
    if n == 0 || n > 4 {
        return false;
    }
    let ws = &words[from..to];
    capitalised(ws[0])
        && ws
            .iter()
            .all(|w| capitalised(w) || is(w, PARTICLE) || *w == "-")
        && !ws.iter().any(|w| is(w, BREAKER | HEAD))
        && gazetteer()
            .match_at(ws, 0, false, true)
            .filter(|m| !m.weak)
            .map(|m| m.len)
            != Some(n)
}

/// Removes job titles from spans. A title run that overlaps a span is cut out of it when the
/// run reaches outside the span or covers it, or (except in place names: "Prince Edward
/// Island" stays whole) when it starts the span, is followed by more of it, or follows a
/// capitalised word of it. The part of the span after the title must read as a name and
/// becomes a person; the part before it keeps its type ("US" of "US Defense Secretary",
/// "Bank of England" of "Bank of England Governor Eddie George").
fn strip_titles(
    words: &[&str],
    spans: &mut Vec<Span>,
    runs: &[(usize, usize)],
    profile: &impl Fn(&str) -> Profile,
) {
    if runs.is_empty() {
        return;
    }
    let mut out: Vec<Span> = Vec::with_capacity(spans.len() + 2);
    let mut changed = false;
    for &s in spans.iter() {
        let Span {
            start: a,
            end: b,
            kind: ty,
            canonical: name,
        } = s;
        let run = runs.iter().find(|&&(r0, r1)| s.overlaps(r0, r1)).copied();
        let Some((r0, r1)) = run else {
            out.push(s);
            continue;
        };
        if name.is_some() {
            out.push(s);
            continue;
        }
        let crosses = r0 < a || r1 > b;
        let whole = r0 <= a && r1 >= b;
        // Inside a person's name only a leading title counts: "John Pope Jr" has a surname.
        let fires = match ty {
            TagType::Per => r0 <= a,
            TagType::Loc => crosses || whole,
            _ => crosses || whole || r0 == a || r1 < b || (r0 > a && capitalised(words[r0 - 1])),
        };
        // The rest after the title must read as a name. Inside a longer organisation name a
        // one-word rest is more likely the end of that name ("Commissioner for Human
        // Rights") than a person.
        let right = (r1.max(a), b);
        let right_ok = right.0 >= right.1
            || (looks_like_name(words, right.0, right.1)
                && (ty == TagType::Per || right.1 - right.0 >= 2));
        if !fires || !right_ok {
            out.push(s);
            continue;
        }
        changed = true;
        // Left part, without trailing connectors.
        let mut l1 = r0.max(a);
        while l1 > a && !capitalised(words[l1 - 1]) {
            l1 -= 1;
        }
        if l1 > a {
            // A lone nationality word before the title ("Philippine Finance Secretary") is
            // MISC, as the training lexicon knows it.
            let misc = l1 == a + 1 && profile(words[a]).mostly_misc();
            out.push(Span::new(a, l1, if misc { TagType::Misc } else { ty }));
        }
        if right.0 < right.1 {
            out.push(Span::new(right.0, right.1, TagType::Per));
        }
    }
    if changed {
        *spans = out;
    }
}

/// True when `words[i]` begins a sentence (first token, or after opening quotes/brackets).
fn sentence_initial(words: &[&str], i: usize) -> bool {
    words[..i]
        .iter()
        .all(|w| !w.chars().any(char::is_alphanumeric))
}

/// A pronoun or verb contracted with its auxiliary ("You've", "They're", "Don't"): never a
/// name, though capitalised at the start of a sentence.
fn is_contraction(w: &str) -> bool {
    let Some((_, tail)) = w.rsplit_once(['\'', '’']) else {
        return false;
    };
    ["ve", "re", "ll", "d", "t", "m"]
        .iter()
        .any(|t| t.eq_ignore_ascii_case(tail))
}

/// True for a word that is never an entity by itself at position `i`: a listed function
/// word, or a sentence-initial word ending in "-ly" followed by a comma ("Additionally,")
/// that is neither a gazetteer name nor usually capitalised in the training text.
fn never_alone(words: &[&str], i: usize, profile: impl Fn(&str) -> Profile) -> bool {
    let w = words[i];
    if is(w, NEVER) || is_contraction(w) {
        return true;
    }
    let lower_ly = w.len() > 5 && w.is_ascii() && w[w.len() - 2..].eq_ignore_ascii_case("ly");
    sentence_initial(words, i)
        && lower_ly
        && words.get(i + 1) == Some(&",")
        && gazetteer()
            .match_at(words, i, false, true)
            .filter(|m| !m.weak)
            .is_none()
        && !profile(w).usually_capitalised()
}

/// Applies the title and function-word repairs to the spans of one sentence. `profile` gives
/// a word's training-lexicon profile.
pub(crate) fn repair_spans(
    words: &[&str],
    spans: &mut Vec<Span>,
    runs: &mut Vec<(usize, usize)>,
    profile: impl Fn(&str) -> Profile,
) {
    if spans.is_empty() {
        return;
    }
    title_runs(words, runs);
    strip_titles(words, spans, runs, &profile);
    // A function word or day alone is dropped; a function word that starts a longer span is
    // cut off.
    for s in spans.iter_mut() {
        if s.canonical.is_some() {
            continue;
        }
        if s.end == s.start + 1 && is(words[s.start], DAY) {
            s.start = s.end;
        }
        while s.start < s.end && never_alone(words, s.start, &profile) {
            s.start += 1;
        }
    }
    spans.retain(|s| !s.is_empty());
}

/// Words that name an award: "in" or "for" and a name after them give its field ("Nobel Prize
/// in Physics", "Pulitzer Prize for Fiction"), which is no place or organisation.
const AWARD_HEADS: &[&str] = &["Prize", "Prizes", "Award", "Awards", "Medal", "Medals"];

/// Drops the span of an award's field ("Physics" in "the Nobel Prize in Physics"), unless it is
/// a gazetteer name ("the Nobel Prize in Stockholm") or a person's full name ("the Nobel Prize
/// for Abiy Ahmed"). The award itself is MISC, which no list shows.
pub(crate) fn drop_award_fields(words: &[&str], caps: bool, spans: &mut Vec<Span>) {
    let field = |s: &Span| {
        s.start >= 2
            && s.canonical.is_none()
            && matches!(words[s.start - 1], "in" | "for")
            && AWARD_HEADS.contains(&words[s.start - 2])
            && !(s.kind == TagType::Per && s.end - s.start >= 2)
            && gazetteer()
                .match_at(words, s.start, caps, false)
                .is_none_or(|m| s.start + m.len != s.end)
    };
    spans.retain(|s| !field(s));
}

/// Drops a one-word "person" or "place" that is an ordinary word: one of letters only that the
/// training text writes in lower case inside sentences most of the time ("Radio", "Bread"),
/// and that is no gazetteer name and no common given name or surname. The
/// model, trained on wire copy, reads such a word as a name when a heading or a product writes
/// it capitalised. Organisations are left to the bare-head rule: "the Post" may stand for
/// "The Washington Post". A Roman numeral alone is dropped whatever its type.
pub(crate) fn drop_ordinary_words(
    words: &[&str],
    caps: bool,
    spans: &mut Vec<Span>,
    profile: impl Fn(&str) -> Profile,
) {
    if caps {
        return;
    }
    spans.retain(|s| {
        let w = words[s.start];
        let ordinary = s.end == s.start + 1
            && s.canonical.is_none()
            && matches!(s.kind, TagType::Per | TagType::Loc)
            && w.len() >= 3
            && w.bytes().all(|b| b.is_ascii_alphabetic())
            && profile(w).mostly_lower_case()
            && !is_given_name(w)
            && !is_common_surname(w)
            && gazetteer().match_at(words, s.start, false, true).is_none();
        // "XXI", "III": a Roman numeral of a title or a century split off by the model.
        let numeral = s.end == s.start + 1 && s.canonical.is_none() && small_roman_numeral(w);
        !(ordinary || numeral)
    });
}

/// Lower-case words that join the parts of a place's or organisation's name ("Newcastle upon
/// Tyne", "Reporters without Borders"), beside the particles and connectors.
const NAME_JOINERS: &[&str] = &["upon", "with", "without", "under", "over", "sur", "sous"];

/// Splits a span at a common noun or verb written in lower case inside it: the model ran two
/// names together over it ("Kennedy assassin Sirhan Sirhan", "Liberty Union Party of Vermont
/// chose Party for Socialism and Liberation"). The word must be an ordinary word of four
/// letters or more and no particle ("bin", "van") or joining word ("upon"). Both parts keep
/// the span's type; the second starts at its first capitalised word, if it has one.
pub(crate) fn split_at_common_nouns(words: &[&str], spans: &mut Vec<Span>) {
    let splits = |s: &Span| {
        (s.start + 1..s.end.saturating_sub(1)).find(|&i| {
            let w = words[i];
            w.len() >= 4
                && w.bytes().all(|b| b.is_ascii_lowercase())
                && !is(w, PARTICLE | CONNECTOR)
                && !NAME_JOINERS.contains(&w)
                && is_ordinary_word(w)
        })
    };
    if !spans
        .iter()
        .any(|s| s.canonical.is_none() && splits(s).is_some())
    {
        return;
    }
    let mut out = Vec::with_capacity(spans.len() + 1);
    for s in spans.drain(..) {
        match splits(&s).filter(|_| s.canonical.is_none()) {
            Some(i) => {
                out.push(Span::new(s.start, i, s.kind));
                if let Some(j) = (i + 1..s.end).find(|&j| capitalised(words[j])) {
                    out.push(Span::new(j, s.end, s.kind));
                }
            }
            None => out.push(s),
        }
    }
    *spans = out;
}

/// True for a Roman numeral from 2 to 39 written with capitals ("II", "XIV", "XXI"). Mixed-case
/// text only: in an ALL-CAPS headline "XI" may be Xi.
pub(crate) fn small_roman_numeral(w: &str) -> bool {
    const ONES: [&str; 10] = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"];
    let tens = w.bytes().take_while(|&b| b == b'X').count();
    w.len() >= 2 && tens <= 3 && ONES.contains(&&w[tens..])
}

/// Lower-case words after a name that make it the name of a disease, a pathogen, a
/// measuring scale or an affair ("Powassan virus", "Lyme disease", "the Spanish flu", "the
/// Richter scale", "the Lewinsky affair"): a town or a person the thing is named after is not
/// what the sentence names. Not "scandal": "the Enron scandal" names the company.
const THING_HEADS: &[&str] = &[
    "affair",
    "bacteria",
    "bacterium",
    "disease",
    "diseases",
    "epidemic",
    "fever",
    "flu",
    "influenza",
    "pandemic",
    "scale",
    "syndrome",
    "virus",
    "viruses",
];

/// Makes MISC the spans that name a thing of [`THING_HEADS`], with the names joined to them by
/// a dash ("Saffir–Simpson scale").
pub(crate) fn mark_named_things(words: &[&str], spans: &mut [Span]) {
    let mut next_is_thing = false;
    let mut next_start = usize::MAX;
    for s in spans.iter_mut().rev() {
        let after = words.get(s.end).copied().unwrap_or("");
        let dash = matches!(after, "-" | "–" | "—");
        let joined = next_is_thing && (next_start == s.end || (dash && next_start == s.end + 1));
        next_is_thing = joined || THING_HEADS.contains(&after);
        if next_is_thing {
            s.kind = TagType::Misc;
        }
        next_start = s.start;
    }
}

/// An acronym of two to six capitals ("DRM", "EEZ"), without dots.
fn acronym_letters(w: &str) -> Option<&str> {
    let n = w.len();
    ((2..=6).contains(&n) && w.bytes().all(|b| b.is_ascii_uppercase())).then_some(w)
}

/// Whether `words[from..to]` spell `acronym` as the article-level step reads initials (small
/// words such as "of" skipped: "member of parliament" is "MP"). Each word is in lower case
/// (letters and dashes), or a name already found to be a thing's ("Ebola virus disease").
fn spells(words: &[&str], from: usize, to: usize, acronym: &str, spans: &[Span]) -> bool {
    let defining = (from..to).all(|i| {
        let w = words[i];
        let lower = w.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') && !w.starts_with('-');
        lower
            || spans
                .iter()
                .any(|s| s.kind == TagType::Misc && s.contains(i) && s.start >= from)
    });
    defining && initials(&words[from..to]).eq_ignore_ascii_case(acronym)
}

/// An acronym defined by words in lower case, "digital rights management (DRM)" or "DRM
/// (digital rights management)", is a common noun's, not a name: its span becomes MISC, and
/// the words that define it a MISC span too, whose initials let the article-level step drop
/// the acronym's other mentions ("short forms of things").
pub(crate) fn mark_common_noun_acronyms(words: &[&str], spans: &mut Vec<Span>) {
    let mut things: Vec<(usize, usize, usize)> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some(acronym) = acronym_letters(w) else {
            continue;
        };
        let n = acronym.len();
        // "... management ( DRM )": the words before the bracket.
        if i >= 2 && words[i - 1] == "(" && words.get(i + 1) == Some(&")") {
            let found = (1..=2 * n)
                .filter_map(|len| (i - 1).checked_sub(len).map(|from| (from, i - 1)))
                .find(|&(from, to)| spells(words, from, to, acronym, spans));
            if let Some((from, to)) = found {
                things.push((from, to, i));
            }
        }
        // "DRM ( digital rights management ...": the words after it.
        if words.get(i + 1) == Some(&"(") {
            let from = i + 2;
            let found = (1..=2 * n)
                .map(|len| (from, from + len))
                .take_while(|&(_, to)| to <= words.len())
                .find(|&(from, to)| spells(words, from, to, acronym, spans));
            if let Some((from, to)) = found {
                things.push((from, to, i));
            }
        }
    }
    let changed = !things.is_empty();
    for (from, to, at) in things {
        // The defining words' own spans (a thing's name inside) give way to the one span.
        spans.retain(|s| s.end <= from || s.start >= to);
        match spans.iter_mut().find(|s| s.contains(at)) {
            Some(s) => s.kind = TagType::Misc,
            None => spans.push(Span::new(at, at + 1, TagType::Misc)),
        }
        spans.push(Span::new(from, to, TagType::Misc));
    }
    if changed {
        spans.sort_by_key(|s| s.start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_roman_numerals() {
        for w in ["II", "III", "IV", "IX", "XIV", "XXI", "XXXIX"] {
            assert!(small_roman_numeral(w), "{w}");
        }
        for w in ["I", "X", "XXXX", "IIII", "VX", "MDC", "DC", "Xi", "IVX", ""] {
            assert!(!small_roman_numeral(w), "{w}");
        }
    }

    #[test]
    fn spans_split_at_a_common_word_inside_them() {
        let split = |text: &str, start: usize, end: usize| {
            let words: Vec<&str> = text.split(' ').collect();
            let mut spans = vec![Span::new(start, end, TagType::Org)];
            split_at_common_nouns(&words, &mut spans);
            spans
                .iter()
                .map(|s| words[s.start..s.end].join(" "))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            split(
                "Vermont Party chose Party for Socialism and Liberation",
                0,
                8
            ),
            ["Vermont Party", "Party for Socialism and Liberation"]
        );
        // The second part starts at its first capitalised word.
        assert_eq!(
            split("Vermont Party chose the Socialist Party", 0, 6),
            ["Vermont Party", "Socialist Party"]
        );
        // Particles, connectors and joining words keep a name whole.
        assert_eq!(split("Newcastle upon Tyne", 0, 3), ["Newcastle upon Tyne"]);
        assert_eq!(
            split("Bosnia and Herzegovina", 0, 3),
            ["Bosnia and Herzegovina"]
        );
    }

    fn run(text: &str, spans: &[(usize, usize, TagType)]) -> Vec<(String, TagType)> {
        let words: Vec<&str> = text.split(' ').collect();
        let mut sp: Vec<Span> = spans.iter().map(|&(a, b, t)| Span::new(a, b, t)).collect();
        let mut runs = Vec::new();
        repair_spans(&words, &mut sp, &mut runs, |_| Profile::UNKNOWN);
        sp.iter()
            .map(|s| (words[s.start..s.end].join(" "), s.kind))
            .collect()
    }

    #[test]
    fn names_before_a_disease_or_a_scale_name_the_thing() {
        use TagType::*;
        let words: Vec<&str> =
            "Hagan died of Powassan virus in Maine on the Saffir – Simpson scale"
                .split(' ')
                .collect();
        let mut spans = vec![
            Span::new(0, 1, Per),
            Span::new(3, 4, Loc),
            Span::new(6, 7, Loc),
            Span::new(9, 10, Loc),
            Span::new(11, 12, Per),
        ];
        mark_named_things(&words, &mut spans);
        let kinds: Vec<TagType> = spans.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [Per, Misc, Loc, Misc, Misc]);
    }

    #[test]
    fn titles_are_cut_from_spans() {
        use TagType::*;
        // "US Defense" read as an organisation in front of "Secretary".
        assert_eq!(
            run(
                "US Defense Secretary Pete Hegseth said",
                &[(0, 2, Org), (3, 5, Per)]
            ),
            [("US".into(), Org), ("Pete Hegseth".into(), Per)]
        );
        // A title swallowed with the name.
        assert_eq!(
            run(
                "former US Secretary of Defense Lloyd Austin said",
                &[(1, 2, Loc), (4, 7, Org)]
            ),
            [("US".into(), Loc), ("Lloyd Austin".into(), Per)]
        );
        assert_eq!(
            run("Bank of England Governor Eddie George said", &[(0, 6, Org)]),
            [
                ("Bank of England".into(), Org),
                ("Eddie George".into(), Per)
            ]
        );
        assert_eq!(
            run("President Reagan said", &[(0, 2, Per)]),
            [("Reagan".into(), Per)]
        );
        assert_eq!(
            run("John Pope Jr was elected", &[(0, 3, Per)]),
            [("John Pope Jr".into(), Per)]
        );
        assert_eq!(
            run("the Nobel went to Michel Mayor", &[(4, 6, Per)]),
            [("Michel Mayor".into(), Per)]
        );
        assert_eq!(
            run("the Secretary of State said", &[(1, 4, Org)]),
            Vec::<(String, TagType)>::new()
        );
        assert_eq!(
            run("the Melbourne Lord Mayor election", &[(1, 4, Org)]),
            [("Melbourne".into(), Org)]
        );
        assert_eq!(
            run("the Lord Mayor election", &[(1, 3, Loc)]),
            Vec::<(String, TagType)>::new()
        );
    }

    #[test]
    fn names_with_title_words_stay() {
        use TagType::*;
        for (text, span) in [
            ("General Motors said", (0, 2, Org)),
            ("Prince Edward Island voted", (0, 3, Loc)),
            ("King Abdullah University said", (0, 3, Org)),
            ("the Office of the President said", (1, 5, Org)),
            ("the Defense Ministry said", (1, 3, Org)),
            ("Defense News reports", (0, 2, Org)),
            ("the Justice Department said", (1, 3, Org)),
            ("Burger King Corp said", (0, 3, Org)),
            ("the Premier League said", (1, 3, Org)),
            ("the Sultan Qaboos Grand Mosque in Muscat", (1, 5, Org)),
            ("the High Commissioner for Human Rights said", (1, 6, Org)),
            ("at Queen Victoria Market today", (1, 4, Loc)),
            (
                "the UN High Commissioner for Human Rights said",
                (5, 7, Org),
            ),
            ("the Ukraine Defense Contact Group met", (1, 5, Org)),
        ] {
            let words: Vec<&str> = text.split(' ').collect();
            let want = words[span.0..span.1].join(" ");
            assert_eq!(run(text, &[span]), [(want, span.2)], "{text}");
        }
    }

    #[test]
    fn function_words_are_not_entities() {
        use TagType::*;
        assert_eq!(
            run("Additionally , NATO said", &[(0, 1, Org), (2, 3, Org)]),
            [("NATO".into(), Org)]
        );
        assert_eq!(
            run("Okay , so Twitter", &[(0, 1, Org), (3, 4, Org)]),
            [("Twitter".into(), Org)]
        );
        assert_eq!(
            run("at 10:00 UTC", &[(2, 3, Org)]),
            Vec::<(String, TagType)>::new()
        );
        assert_eq!(
            run(
                "the Sunday Times said on Sunday",
                &[(1, 3, Org), (5, 6, Org)]
            ),
            [("Sunday Times".into(), Org)]
        );
        // A country ending in -ly is not an adverb.
        assert_eq!(
            run("Italy , France and Spain", &[(0, 1, Loc)]),
            [("Italy".into(), Loc)]
        );
    }
}
