//! Institution names that the tagger split at "of", "for", "on" or "and" ("International
//! Committee | on | Taxonomy of Viruses"), or at the commas of a list of fields ("United
//! Nations Educational | , Scientific and | Cultural Organization"): joined into one
//! organisation span.

use super::gazetteer::gazetteer;
use super::lexicon::Profile;
use super::rules::ends_a_name;
use super::span::Span;
use super::tags::TagType;

/// Words that head an institution's name when "of", "for" or "on" and a capitalised word
/// follow them ("Department of ...", "Center for ...", "Committee on ...").
const HEADS: &[&str] = &[
    "academy",
    "agency",
    "assembly",
    "association",
    "authority",
    "bank",
    "board",
    "bureau",
    "center",
    "centre",
    "college",
    "commission",
    "committee",
    "conference",
    "council",
    "court",
    "department",
    "federation",
    "foundation",
    "fund",
    "institute",
    "laboratory",
    "league",
    "ministry",
    "office",
    "organisation",
    "organization",
    "party",
    "school",
    "service",
    "society",
    "union",
    "university",
];

fn is_head(w: &str) -> bool {
    w.len() <= 12 && HEADS.iter().any(|h| h.eq_ignore_ascii_case(w))
}

/// A capitalised word that may go on a name: no month, which follows "on" as a date ("the
/// Environmental Protection Agency on February 3").
fn capitalised(words: &[&str], i: usize) -> bool {
    words
        .get(i)
        .is_some_and(|w| w.starts_with(|c: char| c.is_uppercase()) && !is_month(w))
}

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_month(w: &str) -> bool {
    MONTHS.contains(&w)
}

/// Joins "Head of/for/on Name" institution names with the capitalised words before the head
/// ("Connecticut Department of Emergency Services and Public Protection") into one
/// organisation span, where the model tagged some part of it. The name runs over capitalised
/// words joined by "of", "of the", "for", "on", "and" or "&" (not "and" before another
/// institution head), and stops before a job title, a weekday or a person's name.
pub(crate) fn join_institution_names(words: &[&str], spans: &mut Vec<Span>) {
    if spans.is_empty() {
        return;
    }
    let person_at = |spans: &[Span], i: usize| {
        spans
            .iter()
            .any(|s| s.kind == TagType::Per && s.contains(i))
    };
    let g = gazetteer();
    let mut joined = false;
    let mut h = 0;
    while h + 2 < words.len() {
        let starts = matches!(words[h + 1], "of" | "for" | "on")
            && capitalised(words, h)
            && capitalised(words, h + 2)
            && is_head(words[h])
            && !person_at(spans, h);
        if !starts {
            h += 1;
            continue;
        }
        let mut start = h;
        while start > 0
            && capitalised(words, start - 1)
            && !ends_a_name(words[start - 1])
            && !person_at(spans, start - 1)
            && !words[start - 1].eq_ignore_ascii_case("the")
        {
            start -= 1;
        }
        let mut end = h + 2;
        let mut j = h + 2;
        loop {
            if ends_a_name(words[j]) || person_at(spans, j) {
                break;
            }
            end = j + 1;
            let next = |k: usize| words.get(j + k).copied().unwrap_or("");
            // "University of Miami and Apex Shark Expeditions": after "Head of" and a place,
            // "and" and a name that is no place start another institution; "Port Authority of
            // New York and New Jersey" goes on.
            let another_after_place = || {
                let place_at = |i: usize| {
                    g.match_at(words, i, false, true)
                        .filter(|m| m.kind == TagType::Loc)
                        .map(|m| m.len)
                };
                let place_after = place_at(j + 2).is_some_and(|n| !capitalised(words, j + 2 + n));
                place_at(h + 2) == Some(j + 1 - (h + 2)) && !place_after
            };
            let joins_after_and = next(1) == "and"
                && next(2).chars().any(char::is_lowercase)
                && !is_head(next(2))
                && !another_after_place();
            let step = if capitalised(words, j + 1) {
                1
            } else if (matches!(next(1), "of" | "for" | "on" | "&") || joins_after_and)
                && capitalised(words, j + 2)
            {
                2
            } else if next(1) == "of" && next(2) == "the" && capitalised(words, j + 3) {
                3
            } else {
                break;
            };
            j += step;
        }
        if end > h + 2 && spans.iter().any(|s| s.overlaps(start, end)) {
            // A model span running on over "and" into another institution keeps that part.
            let rest = spans
                .iter()
                .filter(|s| s.overlaps(start, end) && s.end > end + 1 && words[end] == "and")
                .map(|s| Span::new(end + 1, s.end, s.kind))
                .max_by_key(|s| s.end);
            spans.retain(|s| !s.overlaps(start, end));
            spans.push(Span::new(start, end, TagType::Org));
            spans.extend(rest);
            joined = true;
        }
        h = end.max(h + 1);
    }
    if joined {
        spans.sort_by_key(|s| s.start);
    }
}

/// Words a listed name may hold at most after its first part, commas and "and" included.
const MAX_LISTED_WORDS: usize = 12;

/// Joins an organisation whose name lists its fields with commas and "and", which the tagger
/// cuts at the commas: "United Nations Educational, Scientific and Cultural Organization",
/// "Department of Health, Education, and Welfare". The name starts with an organisation span
/// just before a comma. The list after it holds ordinary words written with capitals (words
/// the training text writes in lower case at least a third of the time: "Scientific",
/// "Cultural"), commas and one "and". It ends with the organisation span that the last field
/// starts or, after a "Head of ..." name, with the last field itself. Names, places and people
/// never join it: in "the Ministry of Defence, Britain and France" or "the Bank of England,
/// Barclays and Lloyds" the list is of other names.
pub(crate) fn join_listed_names(
    words: &[&str],
    spans: &mut Vec<Span>,
    profile: impl Fn(&str) -> Profile,
) {
    let mut joined = Vec::new();
    for first in spans
        .iter()
        .filter(|s| s.kind == TagType::Org && s.canonical.is_none())
    {
        if words.get(first.end) != Some(&",") {
            continue;
        }
        let span_at = |i: usize| spans.iter().find(|s| s.contains(i));
        let field_word = |i: usize| {
            capitalised(words, i)
                && !ends_a_name(words[i])
                && matches!(profile(words[i]).case_class(), 2..=4)
        };
        let head_of = words[first.start..first.end]
            .iter()
            .any(|w| matches!(*w, "of" | "for"));
        let mut i = first.end + 1;
        let mut after_and = false;
        let mut end = None;
        while i < words.len() && i <= first.end + MAX_LISTED_WORDS {
            if let Some(last) = span_at(i) {
                // The last field opens an organisation span ("Cultural Organization"), or a
                // MISC one that its head noun makes one later.
                let has_and = words[last.start..last.end].contains(&"and");
                if last.start == i
                    && matches!(last.kind, TagType::Org | TagType::Misc)
                    && (after_and || has_and)
                    && field_word(i)
                {
                    end = Some(last.end);
                }
                break;
            }
            if !field_word(i) {
                break;
            }
            while field_word(i + 1) && span_at(i + 1).is_none() {
                i += 1;
            }
            let next = words.get(i + 1).copied();
            if after_and {
                // The last field, after "and": the end of a "Head of ..." name.
                if head_of && !next.is_some_and(|w| capitalised(words, i + 1) || w == "of") {
                    end = Some(i + 1);
                }
                break;
            }
            match (next, words.get(i + 2).copied()) {
                (Some(","), Some("and")) => {
                    after_and = true;
                    i += 3;
                }
                (Some(","), _) => i += 2,
                (Some("and"), _) => {
                    after_and = true;
                    i += 2;
                }
                _ => break,
            }
        }
        if let Some(end) = end {
            joined.push(Span::new(first.start, end, TagType::Org));
        }
    }
    if joined.is_empty() {
        return;
    }
    for name in joined {
        spans.retain(|s| !s.overlaps(name.start, name.end));
        spans.push(name);
    }
    spans.sort_by_key(|s| s.start);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, spans: &[(usize, usize, TagType)]) -> Vec<(String, TagType)> {
        let words: Vec<&str> = text.split(' ').collect();
        let mut s: Vec<Span> = spans.iter().map(|&(a, b, k)| Span::new(a, b, k)).collect();
        join_institution_names(&words, &mut s);
        s.iter()
            .map(|s| (words[s.start..s.end].join(" "), s.kind))
            .collect()
    }

    #[test]
    fn split_institution_names_are_joined() {
        use TagType::*;
        assert_eq!(
            run(
                "the International Committee on Taxonomy of Viruses named it",
                &[(1, 3, Org), (4, 7, Misc)]
            ),
            [(
                "International Committee on Taxonomy of Viruses".to_string(),
                Org
            )]
        );
        assert_eq!(
            run(
                "Commissioner James Rovella of the Connecticut Department of Emergency Services and Public Protection said",
                &[(1, 3, Per), (5, 10, Org), (11, 13, Org)]
            ),
            [
                ("James Rovella".to_string(), Per),
                (
                    "Connecticut Department of Emergency Services and Public Protection"
                        .to_string(),
                    Org
                )
            ]
        );
        // A job title ends the name; the person after it stays.
        assert_eq!(
            run(
                "Bank of England Governor Eddie George said",
                &[(0, 3, Org), (4, 6, Per)]
            ),
            [
                ("Bank of England".to_string(), Org),
                ("Eddie George".to_string(), Per)
            ]
        );
        // A month after "on" is a date, no part of the name.
        assert_eq!(
            run(
                "told the Environmental Protection Agency on February 18 that",
                &[(2, 5, Org)]
            ),
            [("Environmental Protection Agency".to_string(), Org)]
        );
        // "and" before another institution is two names.
        assert_eq!(
            run(
                "the Ministry of Health and Ministry of Defence met",
                &[(1, 4, Org), (5, 8, Org)]
            ),
            [
                ("Ministry of Health".to_string(), Org),
                ("Ministry of Defence".to_string(), Org)
            ]
        );
        // "and" before an acronym joins two names ("University of Bristol and UC Davis").
        assert_eq!(
            run(
                "the University of Bristol and UC Davis said",
                &[(1, 4, Org), (5, 7, Org)]
            ),
            [
                ("University of Bristol".to_string(), Org),
                ("UC Davis".to_string(), Org)
            ]
        );
        // Nothing the model tagged: left alone.
        assert!(run("the Department of Health said", &[]).is_empty());
    }
}
