//! Restores the usual case of words from an ALL-CAPS headline, using the article's own
//! mixed-case text (so "REAGAN" becomes "Reagan" and "OPEC" stays "OPEC").

use std::collections::HashMap;

/// Case lookup over the mixed-case words of an article.
pub struct TrueCaser<'a> {
    words: &'a [&'a str],
    seen: Option<HashMap<String, &'a str>>,
}

/// Below this many (lookups x words) a linear scan is cheaper than building a map.
const SCAN_LIMIT: usize = 50_000;

fn same_word(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || (!a.is_ascii()
            && a.chars()
                .flat_map(char::to_lowercase)
                .eq(b.chars().flat_map(char::to_lowercase)))
}

impl<'a> TrueCaser<'a> {
    /// `words`: tokens of the article's mixed-case sentences; `lookups`: expected number of
    /// calls to [`TrueCaser::case`]. The first spelling with a lower-case letter wins over an
    /// all-caps one.
    pub fn new(words: &'a [&'a str], lookups: usize) -> Self {
        if lookups.saturating_mul(words.len()) <= SCAN_LIMIT {
            return TrueCaser { words, seen: None };
        }
        let mut seen: HashMap<String, &'a str> = HashMap::new();
        for &w in words {
            if !w.chars().any(char::is_alphabetic) {
                continue;
            }
            let key = w.to_lowercase();
            let mixed = w.chars().any(char::is_lowercase);
            match seen.get(&key) {
                Some(prev) if prev.chars().any(char::is_lowercase) || !mixed => {}
                _ => {
                    seen.insert(key, w);
                }
            }
        }
        TrueCaser {
            words,
            seen: Some(seen),
        }
    }

    fn lookup(&self, word: &str) -> Option<&'a str> {
        match &self.seen {
            Some(m) => m.get(&word.to_lowercase()).copied(),
            None => {
                let mut found: Option<&'a str> = None;
                for &w in self.words {
                    if same_word(w, word) {
                        if w.chars().any(char::is_lowercase) {
                            return Some(w);
                        }
                        found = found.or(Some(w));
                    }
                }
                found
            }
        }
    }

    /// The article's spelling of `word`, else: kept as is when short (likely an acronym)
    /// gazetteer spelling for countries and organisations (IRAN -> Iran), else
    /// kept as is when short (likely an acronym)
    /// or containing dots (U.S.), else capitalised ("WASHINGTON" -> "Washington").
    pub fn case(&self, word: &str) -> String {
        if let Some(w) = self.lookup(word) {
            return w.to_string();
        }
        if let Some(sp) = super::gazetteer::gazetteer().spelling(word) {
            return sp.to_string();
        }
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if letters <= 4 || word.contains('.') || word.chars().any(char::is_lowercase) {
            return word.to_string();
        }
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uses_article_spelling() {
        let words = ["President", "Reagan", "told", "OPEC", "McDonald"];
        let tc = TrueCaser::new(&words, 1);
        let big = TrueCaser::new(&words, 1_000_000);
        for w in ["REAGAN", "OPEC", "MCDONALD", "WASHINGTON", "IRAN"] {
            assert_eq!(tc.case(w), big.case(w));
        }
        assert_eq!(tc.case("REAGAN"), "Reagan");
        assert_eq!(tc.case("OPEC"), "OPEC");
        assert_eq!(tc.case("MCDONALD"), "McDonald");
        assert_eq!(tc.case("WASHINGTON"), "Washington");
        assert_eq!(tc.case("WEST-GERMANY"), "West-Germany");
        assert_eq!(tc.case("U.S."), "U.S.");
        assert_eq!(tc.case("ICO"), "ICO");
        assert_eq!(tc.case("USDA"), "USDA");
        assert_eq!(tc.case("IRAN"), "Iran");
    }
}
