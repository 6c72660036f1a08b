//! Restores the usual case of words from an ALL-CAPS headline, using the article's own
//! mixed-case text (so "REAGAN" becomes "Reagan" and "OPEC" stays "OPEC").

use super::gazetteer::gazetteer;
use super::words::{ci_hash, eq_ignore_case, FastMap, Fnv, WordFilter};
use std::collections::HashSet;

/// Case lookup over the mixed-case words of an article, for a known set of wanted words.
pub struct TrueCaser<'a> {
    found: FastMap<u64, &'a str>,
}

impl<'a> TrueCaser<'a> {
    /// `words`: tokens of the article's mixed-case sentences; `wanted`: the words that will
    /// be looked up. One pass over `words`; a spelling with a lower-case letter wins over an
    /// all-caps one, else the first spelling wins.
    pub fn new(words: &[&'a str], wanted: &[&str]) -> Self {
        let want: HashSet<u64, std::hash::BuildHasherDefault<Fnv>> =
            wanted.iter().map(|w| ci_hash(w)).collect();
        let filter = WordFilter::new(wanted.iter().copied());
        let mut found: FastMap<u64, &'a str> = FastMap::default();
        for &w in words {
            if !filter.admits(w) {
                continue;
            }
            if !w.chars().any(char::is_alphabetic) {
                continue;
            }
            let h = ci_hash(w);
            if !want.contains(&h) {
                continue;
            }
            let mixed = w.chars().any(char::is_lowercase);
            match found.get(&h) {
                Some(prev) if prev.chars().any(char::is_lowercase) || !mixed => {}
                _ => {
                    found.insert(h, w);
                }
            }
        }
        TrueCaser { found }
    }

    /// True when the article spells `word` somewhere in mixed-case text.
    pub fn knows(&self, word: &str) -> bool {
        self.lookup(word).is_some()
    }

    fn lookup(&self, word: &str) -> Option<&'a str> {
        self.found
            .get(&ci_hash(word))
            .copied()
            .filter(|w| eq_ignore_case(w, word))
    }

    /// Spelling of a word from an ALL-CAPS sentence for tagging it as ordinary text: the
    /// article's spelling, else lower case for words the training lexicon knows as mostly
    /// lower-case (`mostly_lower_case`), else the gazetteer's spelling, else short words and
    /// words with dots or digits as they are, else capitalised. The first word of a sentence
    /// starts with a capital.
    pub fn case_for_tagging(&self, word: &str, mostly_lower_case: bool, first: bool) -> String {
        if let Some(w) = self.lookup(word) {
            return w.to_string();
        }
        let out = if mostly_lower_case {
            word.to_lowercase()
        } else if let Some(sp) = gazetteer().spelling(word) {
            sp.to_string()
        } else if word.chars().filter(|c| c.is_alphabetic()).count() <= 3
            || word.contains('.')
            || word.chars().any(|c| c.is_ascii_digit())
        {
            word.to_string()
        } else {
            capitalise(word)
        };
        if first {
            capitalise_first(&out)
        } else {
            out
        }
    }

    /// Display spelling of a word of a name found in ALL-CAPS text: the article's spelling,
    /// else the gazetteer's (IRAN -> Iran), else as is when it has at most four letters
    /// (likely an acronym) or dots (U.S.), else capitalised ("WASHINGTON" -> "Washington").
    pub fn case(&self, word: &str) -> String {
        if let Some(w) = self.lookup(word) {
            return w.to_string();
        }
        if let Some(sp) = gazetteer().spelling(word) {
            return sp.to_string();
        }
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if letters <= 4 || word.contains('.') || word.chars().any(char::is_lowercase) {
            return word.to_string();
        }
        capitalise(word)
    }
}

/// "WEST-GERMANY" -> "West-Germany": capital after each non-alphanumeric character.
fn capitalise(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut start = true;
    for c in word.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = !c.is_alphanumeric();
    }
    out
}

fn capitalise_first(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) if c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
        _ => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_article_spelling() {
        let words = ["President", "Reagan", "told", "OPEC", "McDonald", "REAGAN"];
        let wanted = [
            "REAGAN",
            "OPEC",
            "MCDONALD",
            "WASHINGTON",
            "WEST-GERMANY",
            "U.S.",
            "ICO",
            "USDA",
            "IRAN",
            "SAYS",
            "VOLCKER",
            "EC",
        ];
        let tc = TrueCaser::new(&words, &wanted);
        assert_eq!(tc.case("REAGAN"), "Reagan");
        assert_eq!(tc.case("OPEC"), "OPEC");
        assert_eq!(tc.case("MCDONALD"), "McDonald");
        assert_eq!(tc.case("WASHINGTON"), "Washington");
        assert_eq!(tc.case("WEST-GERMANY"), "West-Germany");
        assert_eq!(tc.case("U.S."), "U.S.");
        assert_eq!(tc.case("ICO"), "ICO");
        assert_eq!(tc.case("USDA"), "USDA");
        assert_eq!(tc.case("IRAN"), "Iran");
        assert_eq!(tc.case_for_tagging("SAYS", true, false), "says");
        assert_eq!(tc.case_for_tagging("SAYS", true, true), "Says");
        assert_eq!(tc.case_for_tagging("REAGAN", false, true), "Reagan");
        assert_eq!(tc.case_for_tagging("VOLCKER", false, false), "Volcker");
        assert_eq!(tc.case_for_tagging("EC", false, false), "EC");
    }
}
