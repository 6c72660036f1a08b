//! Span repairs that look at the words beside a span: names the model cut short ("Ned" left
//! out of "Ned Lamont", "Police" out of "North Wales Police"), a nickname in quotes inside a
//! person's name, a place behind a job title ("Mayor of Birmingham"), a publication named
//! with a capital "The", and codes that name no entity ("H1N1").

use super::canonical::{MISC_HEADS, ORG_HEADS, ORG_ONLY_HEADS};
use super::gazetteer::{gazetteer, Gazetteer};
use super::lexicon::Profile;
use super::rules::{is_name_word, is_title_head, small_roman_numeral};
use super::span::Span;
use super::tags::TagType;
use super::word_lists::{is_common_surname, is_given_name, is_ordinary_word};
use super::words::alias_key;

/// Heads that end a place or facility and never a person's name, added to the org heads
/// when a span runs into one ("Bradley" + "Airport").
const GROW_PLACE_HEADS: &[&str] = &["airport", "mall", "stadium", "arena"];

/// Lower-case nouns that, followed by "of", say that a place comes next ("the island of Rapa
/// Nui", "the city of El Paso", "the mayor of Denver").
const PLACE_NOUNS: &[&str] = &[
    "island",
    "islands",
    "city",
    "town",
    "village",
    "state",
    "province",
    "region",
    "county",
    "republic",
    "kingdom",
    "municipality",
    "district",
    "mayor",
    "port",
    "suburb",
    "archipelago",
];

/// Quote tokens that may hold a nickname inside a person's name.
fn is_quote(w: &str) -> bool {
    matches!(w, "\"" | "“" | "”" | "''" | "``")
}

fn capitalised(w: &str) -> bool {
    w.starts_with(|c: char| c.is_uppercase())
}

/// True when `w` could be one more word of a person's name beside a person span: a
/// capitalised word with lower-case letters (or a short one, "Ip"), no job title, function
/// word, weekday or head noun, not a country or organisation of the gazetteer, and not a word
/// the training text mostly writes in lower case or as a place or MISC name.
fn may_extend_person(w: &str, profile: &impl Fn(&str) -> Profile) -> bool {
    if !capitalised(w) || w.len() > 20 || !w.chars().all(|c| c.is_alphabetic() || c == '-') {
        return false;
    }
    if !w.chars().any(char::is_lowercase) {
        return false;
    }
    if !is_name_word(w) || gazetteer().kind_of(w).is_some() {
        return false;
    }
    let p = profile(w);
    !(p.mostly_lower_case() || p.mostly_place() || p.mostly_misc())
}

/// True when no word comes before `words[i]` in its sentence (punctuation aside).
fn sentence_initial(words: &[&str], i: usize) -> bool {
    words[..i]
        .iter()
        .all(|w| !w.chars().any(char::is_alphanumeric))
}

/// True when the word `words[i]` before a person span ending at `end` belongs to it: a name
/// particle or a short word ("Di Cicco", "Ned Lamont"), or a name that ends in an
/// organisation head noun ("Saint Francis Hospital"). (Any capitalised word after a job title
/// was tried too: it took in ranks the title lists lack and lost more than it won.)
fn left_fits(words: &[&str], i: usize, end: usize) -> bool {
    let particle = !is_name_word(words[i]) || words[i].len() <= 3;
    let org = words[end - 1].len() > 2
        && ORG_ONLY_HEADS
            .iter()
            .any(|h| h.eq_ignore_ascii_case(words[end - 1]));
    particle || org
}

fn in_any(spans: &[Span], i: usize) -> bool {
    spans.iter().any(|s| s.contains(i))
}

/// True for a middle initial ("L.").
fn is_initial(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 2 && b[0].is_ascii_uppercase() && b[1] == b'.'
}

/// Joins a person span that ends with an initial to the span right after it: the model cut
/// the name after the initial ("George L." + "Pennock Trust"). The joined name is an
/// organisation when the second part ends with an organisation's head word, else a person
/// when the second part is one word ("George W." + "Bush"), else of the second part's type
/// ("John F." + "Kennedy Airport").
pub(crate) fn join_after_initials(words: &[&str], spans: &mut Vec<Span>) {
    let mut k = 0;
    while k + 1 < spans.len() {
        let (a, b) = (spans[k], spans[k + 1]);
        let joins = a.kind == TagType::Per
            && a.canonical.is_none()
            && b.canonical.is_none()
            && b.start == a.end
            && a.end > a.start + 1
            && is_initial(words[a.end - 1])
            && capitalised(words[b.start]);
        if !joins {
            k += 1;
            continue;
        }
        let last = words[b.end - 1];
        let kind = if ORG_HEADS.iter().any(|h| h.eq_ignore_ascii_case(last)) {
            TagType::Org
        } else if b.end == b.start + 1 {
            TagType::Per
        } else {
            b.kind
        };
        spans[k] = Span::new(a.start, b.end, kind);
        spans.remove(k + 1);
    }
}

/// Adjectives of a level of government: "Federal" in "the U.S. Federal government" names no
/// place. (Not "National" or "State", which end names: "Washington State".)
const GOVERNMENT_ADJECTIVES: &[&str] = &["Federal", "Provincial", "Municipal", "Regional"];

/// Cuts from a place span a last word that only describes the place the rest names: a head
/// noun in lower case ("Omsk hospital" names Omsk, where "Kennedy airport" names an airport),
/// or an adjective of government written with a capital before a lower-case noun ("the U.S.
/// Federal government"). The rest must be a gazetteer place, and the whole span no longer
/// gazetteer name ("Mexico City police" keeps "Mexico City").
pub(crate) fn trim_place_descriptors(words: &[&str], caps: bool, spans: &mut [Span]) {
    if caps {
        return;
    }
    for s in spans.iter_mut() {
        if s.kind != TagType::Loc || s.canonical.is_some() || s.end - s.start < 2 {
            continue;
        }
        let last = words[s.end - 1];
        let lower = |w: &str| w.chars().all(char::is_lowercase);
        let descriptor = lower(last)
            || (GOVERNMENT_ADJECTIVES.contains(&last)
                && words.get(s.end).is_some_and(|w| lower(w)));
        // The gazetteer is asked only about spans that end in such a word.
        if descriptor
            && gazetteer()
                .match_at(words, s.start, false, true)
                .is_some_and(|m| m.kind == TagType::Loc && s.start + m.len == s.end - 1)
        {
            s.end -= 1;
        }
    }
}

/// Grows the spans of one sentence over the words beside them, before the title and
/// function-word repairs:
/// - a person span takes in one capitalised word on each side that no span holds and that
///   reads as part of a name ("Regina" + "Ip"); on the left, not the first word of the
///   sentence, and only where [`left_fits`] says so;
/// - a person written with a nickname in quotes ("Pasquale "Pat" Di Cicco") is one span,
///   whose name leaves the nickname out (see [`nickname_at`]);
/// - any span takes in a capitalised head noun right after it ("North Wales" + "Police",
///   "Bradley" + "Airport"), so the head word types it later.
pub(crate) fn grow_spans(words: &[&str], spans: &mut Vec<Span>, profile: impl Fn(&str) -> Profile) {
    name_publications(words, spans);
    if spans.is_empty() {
        return;
    }
    let n = words.len();
    let mut changed = false;
    for k in 0..spans.len() {
        let s = spans[k];
        if s.canonical.is_some() {
            continue;
        }
        let mut start = s.start;
        let mut end = s.end;
        if s.kind == TagType::Per {
            if start > 0
                && !in_any(spans, start - 1)
                && may_extend_person(words[start - 1], &profile)
                && profile(words[start - 1]).unknown_or_person()
                && !sentence_initial(words, start - 1)
                && left_fits(words, start - 1, s.end)
            {
                start -= 1;
            }
            if end < n && !in_any(spans, end) && may_extend_person(words[end], &profile) {
                end += 1;
            }
            // First "Nick" Last: the name before the quotes joins the span after them.
            if start >= 4
                && is_quote(words[start - 1])
                && is_quote(words[start - 3])
                && capitalised(words[start - 2])
                && capitalised(words[start - 4])
                && !is_title_head(words[start - 4])
            {
                start -= 4;
            }
        }
        if end < n && !in_any(spans, end) && capitalised(words[end]) {
            let head = words[end];
            let is_head = |list: &[&str]| list.iter().any(|h| h.eq_ignore_ascii_case(head));
            if is_head(ORG_ONLY_HEADS) || is_head(GROW_PLACE_HEADS) {
                end += 1;
            }
        }
        // "the 2000 US Presidential election": a name that ends in an ordinary word written
        // with a capital and runs into an event's head noun is the event's (MISC).
        if end == s.end
            && end < n
            && end - start >= 2
            && !in_any(spans, end)
            && MISC_HEADS.contains(&words[end])
            && matches!(profile(words[end - 1]).case_class(), 2..=4)
        {
            end += 1;
        }
        if (start, end) != (s.start, s.end) {
            spans[k].start = start;
            spans[k].end = end;
            changed = true;
        }
    }
    if changed {
        // A grown span swallows the spans inside it (the nickname's own "person").
        spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        let mut out: Vec<Span> = Vec::with_capacity(spans.len());
        for s in spans.drain(..) {
            if out.last().is_some_and(|l| {
                l.canonical.is_none() && s.canonical.is_none() && l.covers(s.start, s.end)
            }) {
                continue;
            }
            out.push(s);
        }
        *spans = out;
    }
}

/// A capitalised name right before "magazine", "newspaper" or "tabloid" is a publication
/// ("in an interview with Time magazine"): an organisation, tagged or not.
fn name_publications(words: &[&str], spans: &mut Vec<Span>) {
    for i in 1..words.len().saturating_sub(1) {
        if !matches!(words[i + 1], "magazine" | "newspaper" | "tabloid") || !capitalised(words[i]) {
            continue;
        }
        if let Some(s) = spans.iter_mut().find(|s| s.end == i + 1) {
            if s.canonical.is_none() {
                s.kind = TagType::Org;
            }
            continue;
        }
        if in_any(spans, i) || sentence_initial(words, i) || !is_name_word(words[i]) {
            continue;
        }
        let mut start = i;
        while start > 0
            && start + 3 > i
            && capitalised(words[start - 1])
            && is_name_word(words[start - 1])
            && !in_any(spans, start - 1)
            && !sentence_initial(words, start - 1)
        {
            start -= 1;
        }
        let at = spans.partition_point(|s| s.start < start);
        spans.insert(at, Span::new(start, i + 1, TagType::Org));
    }
}

/// Span repairs after the title and function-word repairs:
/// - a job title followed by "of" and a place is that place ("Mayor of Birmingham",
///   "President of the United States");
/// - a one-word place or person the gazetteer does not list, written after a capital "The"
///   inside a sentence, is a publication or company ("told The Atlantic", "told The Hill"):
///   no one's name takes "The";
/// - a one-word name made of letters and digits that the gazetteer does not list is a code
///   (a virus, a strain, a model), not an entity ("H1N1", "D8");
/// - a name after "island of", "city of", "state of" and the like is a place ("the island of
///   Rapa Nui");
/// - a one-word place that neither the gazetteer nor the training text knows as a place,
///   joined by "and" or "or" to a person, is a person ("to Trump and Mike Pence");
/// - a town before a comma and its country or state is a place ("Denver, Colorado");
/// - one word before "administration" or "presidency" is a person ("the Obama
///   administration");
/// - a listed organisation with more words after it is an organisation ("Netflix Japan");
/// - and the word before a name tells its type: a company ("the airline Saha"), a relative
///   ("his wife Melania").
pub(crate) fn retype_spans(words: &[&str], spans: &mut [Span], profile: impl Fn(&str) -> Profile) {
    let g = gazetteer();
    for k in 0..spans.len() {
        let s = spans[k];
        if s.canonical.is_some() || s.kind != TagType::Loc || s.end != s.start + 1 {
            continue;
        }
        let w = words[s.start];
        if g.match_at(words, s.start, false, true).is_some()
            || g.weak_place_key(&alias_key(w))
            || profile(w).mostly_place()
        {
            continue;
        }
        let person_at = |i: usize| {
            spans
                .iter()
                .any(|o| o.kind == TagType::Per && o.start == i && o.end > i + 1)
        };
        let person_before = s.start >= 2
            && matches!(words[s.start - 1], "and" | "or")
            && spans
                .iter()
                .any(|o| o.kind == TagType::Per && o.end == s.start - 1 && o.end > o.start + 1);
        let person_after =
            matches!(words.get(s.end).copied(), Some("and" | "or")) && person_at(s.end + 1);
        if person_before || person_after {
            spans[k].kind = TagType::Per;
        }
    }
    for s in spans.iter_mut() {
        if s.canonical.is_some() {
            continue;
        }
        if s.start >= 2
            && words[s.start - 1] == "of"
            && PLACE_NOUNS.contains(&words[s.start - 2])
            && s.kind != TagType::Loc
        {
            s.kind = TagType::Loc;
            continue;
        }
        // "Kenosha, Wisconsin", "Mokha, Yemen": a listed town or region right before a comma
        // and a country or state is a place, though the model read a person's name.
        if s.kind != TagType::Loc && in_country_or_state(words, &*s, g, &profile) {
            s.kind = TagType::Loc;
            continue;
        }
        // "the Trump administration", "the Lincoln presidency": one word before these is a
        // president's name, unless the gazetteer lists it ("the U.S. administration").
        if s.kind != TagType::Per
            && s.end == s.start + 1
            && matches!(
                words.get(s.end).copied(),
                Some("administration" | "presidency")
            )
            && g.kind_of_key(&alias_key(words[s.start])).is_none()
        {
            s.kind = TagType::Per;
            continue;
        }
        // "Morgan Tsvangirai": a common given name and surname that the training text knows
        // mostly from companies named after people ("Morgan Stanley"), and a word it never
        // saw, which is no ordinary word or listed name, read as an organisation: a person.
        if s.kind == TagType::Org && s.end - s.start == 2 {
            let (first, last) = (words[s.start], words[s.start + 1]);
            if is_given_name(first)
                && is_common_surname(first)
                && matches!(profile(first).label_class(), 5 | 6)
                && profile(last) == Profile::UNKNOWN
                && last.len() >= 3
                && last.chars().all(char::is_alphabetic)
                && last.chars().skip(1).all(char::is_lowercase)
                && !is_ordinary_word(last)
                && g.kind_of_key(&alias_key(last)).is_none()
                && !g.weak_place_key(&alias_key(last))
            {
                s.kind = TagType::Per;
                continue;
            }
        }
        // "Elizabeth II", "John Paul II": given names and a regnal number name a monarch or a
        // pope, though the model read a place or organisation.
        if matches!(s.kind, TagType::Org | TagType::Loc)
            && (2..=3).contains(&(s.end - s.start))
            && small_roman_numeral(words[s.end - 1])
            && words[s.start..s.end - 1].iter().all(|w| is_given_name(w))
        {
            s.kind = TagType::Per;
            continue;
        }
        // "Facebook Ireland", "Netflix Japan": a listed organisation followed by a country or
        // by more of the name that starts with no given name is that organisation's branch.
        let branch = |n: usize| {
            let next = words[s.start + n];
            g.kind_of(next) == Some(TagType::Loc) || !is_given_name(next)
        };
        if matches!(s.kind, TagType::Per | TagType::Loc)
            && s.end - s.start >= 2
            && g.match_at(words, s.start, false, true)
                .is_some_and(|m| m.kind == TagType::Org && s.start + m.len < s.end && branch(m.len))
        {
            s.kind = TagType::Org;
            continue;
        }
        // "the energy company Burisma", "the airline Saha": a name right after a word for a
        // company is the company's.
        if matches!(s.kind, TagType::Loc | TagType::Misc)
            && s.start >= 1
            && COMPANY_NOUNS.contains(&words[s.start - 1])
        {
            s.kind = TagType::Org;
            continue;
        }
        // "Temasek Holdings": a "person" whose last word is the plural of an ordinary word,
        // and no surname, is a company, a body or a team.
        if s.kind == TagType::Per
            && s.end >= s.start + 2
            && plural_of_ordinary(words[s.end - 1], &profile)
        {
            s.kind = TagType::Org;
            continue;
        }
        // "his wife Melania", "their son Barron": a name right after a word for a relative is
        // a person's.
        if s.kind != TagType::Per && s.start >= 1 && FAMILY_NOUNS.contains(&words[s.start - 1]) {
            s.kind = TagType::Per;
            continue;
        }
        if s.end - s.start >= 3 && is_title_head(words[s.start]) && words[s.start + 1] == "of" {
            let mut from = s.start + 2;
            if words[from].eq_ignore_ascii_case("the") && from + 1 < s.end {
                from += 1;
            }
            let place = g
                .match_at(words, from, false, true)
                .is_some_and(|m| from + m.len == s.end && m.kind == TagType::Loc);
            if place {
                s.start = from;
                s.kind = TagType::Loc;
                continue;
            }
        }
        if s.end == s.start + 1 {
            let w = words[s.start];
            if matches!(s.kind, TagType::Loc | TagType::Per)
                && s.start >= 2
                && words[s.start - 1] == "The"
                && words[s.start - 2].chars().any(char::is_alphabetic)
                && g.match_at(words, s.start, false, true).is_none()
                && !g.weak_place_key(&alias_key(w))
            {
                s.kind = TagType::Org;
            }
            let digits = w.chars().any(|c| c.is_ascii_digit());
            let letters = w.chars().any(char::is_alphabetic);
            if digits && letters && g.match_at(words, s.start, false, true).is_none() {
                s.kind = TagType::Misc;
            }
        }
    }
}

/// True when span `s` is a town's or region's name followed by a comma and a country, a
/// state or a capital of the gazetteer's own tables ("Denver, Colorado"): a generated name,
/// or one word that the training text never saw and that is no common given name or surname
/// ("Mokha, Yemen"). "Abbott, Texas governor" keeps the person.
fn in_country_or_state(
    words: &[&str],
    s: &Span,
    g: &Gazetteer,
    profile: &impl Fn(&str) -> Profile,
) -> bool {
    if s.end - s.start > 3 || words.get(s.end) != Some(&",") {
        return false;
    }
    let region = g
        .match_at(words, s.end + 1, false, true)
        .is_some_and(|m| m.kind == TagType::Loc && !m.weak);
    if !region {
        return false;
    }
    let w = words[s.start];
    let unknown_word = s.end == s.start + 1
        && profile(w) == Profile::UNKNOWN
        && !is_given_name(w)
        && !is_common_surname(w);
    unknown_word || g.weak_place_key(&alias_key(&words[s.start..s.end].join(" ")))
}

/// Lower-case words for a company, a bank or a broadcaster, written right before its name.
const COMPANY_NOUNS: &[&str] = &[
    "airline",
    "automaker",
    "bank",
    "broadcaster",
    "carmaker",
    "carrier",
    "chipmaker",
    "company",
    "conglomerate",
    "firm",
    "insurer",
    "manufacturer",
    "network",
    "retailer",
    "startup",
];

/// A capitalised plural ("Holdings") of a word the training text mostly writes in lower
/// case, that is no common surname ("Brooks", "Fields") or given name.
fn plural_of_ordinary(w: &str, profile: &impl Fn(&str) -> Profile) -> bool {
    let Some(singular) = w.strip_suffix('s') else {
        return false;
    };
    singular.len() >= 3
        && w.starts_with(|c: char| c.is_ascii_uppercase())
        && w.bytes().all(|b| b.is_ascii_alphabetic())
        && !singular.ends_with('s')
        && profile(singular).mostly_lower_case()
        && !is_common_surname(w)
        && !is_given_name(w)
}

/// Lower-case words for a relative, written right before a person's name.
const FAMILY_NOUNS: &[&str] = &[
    "aunt",
    "brother",
    "cousin",
    "daughter",
    "father",
    "fiance",
    "fiancee",
    "fiancé",
    "fiancée",
    "granddaughter",
    "grandfather",
    "grandmother",
    "grandson",
    "husband",
    "mother",
    "nephew",
    "niece",
    "sister",
    "son",
    "stepdaughter",
    "stepfather",
    "stepmother",
    "stepson",
    "uncle",
    "widow",
    "widower",
    "wife",
];

/// The words of a person's name without a nickname in quotes ("Pasquale "Pat" Di Cicco" is
/// "Pasquale Di Cicco"): the index of the opening quote, when tokens `at..at + 3` are a
/// quoted word.
pub(crate) fn nickname_at(words: &[&str], at: usize) -> bool {
    at + 2 < words.len()
        && is_quote(words[at])
        && is_quote(words[at + 2])
        && capitalised(words[at + 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grow(text: &str, spans: &[(usize, usize, TagType)]) -> Vec<(String, TagType)> {
        let words: Vec<&str> = text.split(' ').collect();
        let mut sp: Vec<Span> = spans.iter().map(|&(a, b, t)| Span::new(a, b, t)).collect();
        grow_spans(&words, &mut sp, |_| Profile::UNKNOWN);
        retype_spans(&words, &mut sp, |_| Profile::UNKNOWN);
        sp.iter()
            .map(|s| (words[s.start..s.end].join(" "), s.kind))
            .collect()
    }

    #[test]
    fn person_spans_take_in_name_words_beside_them() {
        use TagType::*;
        assert_eq!(
            grow("Connecticut Governor Ned Lamont said", &[(3, 4, Per)]),
            [("Ned Lamont".into(), Per)]
        );
        assert_eq!(
            grow("Regina Ip from the camp", &[(0, 1, Per)]),
            [("Regina Ip".into(), Per)]
        );
        assert_eq!(
            grow(
                "married to Pasquale \" Pat \" Di Cicco ;",
                &[(4, 5, Per), (7, 8, Per)]
            ),
            [("Pasquale \" Pat \" Di Cicco".into(), Per)]
        );
        // Not a word of the sentence's start, a title, or a lower-case word.
        assert_eq!(
            grow("Governor Lamont said", &[(1, 2, Per)]),
            [("Lamont".into(), Per)]
        );
        assert_eq!(
            grow("Yesterday Lamont said", &[(1, 2, Per)]),
            [("Lamont".into(), Per)]
        );
    }

    #[test]
    fn head_nouns_join_the_span_before_them() {
        use TagType::*;
        assert_eq!(
            grow("alongside North Wales Police was", &[(1, 3, Loc)]),
            [("North Wales Police".into(), Loc)]
        );
        assert_eq!(
            grow("the NATO summit", &[(1, 2, Org)]),
            [("NATO".into(), Org)]
        );
    }

    #[test]
    fn titles_of_places_codes_and_publications() {
        use TagType::*;
        assert_eq!(
            grow("for the Mayor of Birmingham called", &[(2, 5, Org)]),
            [("Birmingham".into(), Loc)]
        );
        assert_eq!(
            grow("the 2009 H1N1 outbreak", &[(2, 3, Org)]),
            [("H1N1".into(), Misc)]
        );
        assert_eq!(
            grow("Mak told The Atlantic ,", &[(3, 4, Loc)]),
            [("Atlantic".into(), Org)]
        );
        // A person span after "The" (retyping alone: growth would take in "The", which the
        // training lexicon, unknown here, knows as a lower-case word).
        let words = ["Mak", "told", "The", "Hill", ","];
        let mut sp = vec![Span::new(3, 4, Per)];
        retype_spans(&words, &mut sp, |_| Profile::UNKNOWN);
        assert_eq!(sp[0].kind, Org);
        assert_eq!(
            grow("talks in The Hague ,", &[(3, 4, Loc)]),
            [("Hague".into(), Loc)]
        );
        assert_eq!(
            grow("an interview with Time magazine ,", &[]),
            [("Time".into(), Org)]
        );
        assert_eq!(
            grow("the island of Rapa Nui ,", &[(3, 5, Per)]),
            [("Rapa Nui".into(), Loc)]
        );
        assert_eq!(
            grow("fight to Trump and Mike Pence", &[(2, 3, Loc), (4, 6, Per)]),
            [("Trump".into(), Per), ("Mike Pence".into(), Per)]
        );
        assert_eq!(
            grow("to France and Mike Pence", &[(1, 2, Loc), (3, 5, Per)]),
            [("France".into(), Loc), ("Mike Pence".into(), Per)]
        );
    }
}
