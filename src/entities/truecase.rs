//! Restores the usual case of words from an ALL-CAPS headline, using the article's own
//! mixed-case text (so "REAGAN" becomes "Reagan" and "OPEC" stays "OPEC").

use super::gazetteer::FastMap;
use std::collections::HashSet;

/// Case lookup over the mixed-case words of an article, for a known set of wanted words.
pub struct TrueCaser<'a> {
    found: FastMap<u64, &'a str>,
}

/// Case-insensitive FNV-1a hash of a word.
pub(crate) fn ci_hash(word: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in word.chars() {
        if c.is_ascii() {
            h = (h ^ u64::from(c.to_ascii_lowercase() as u8)).wrapping_mul(0x0000_0100_0000_01b3);
        } else {
            for l in c.to_lowercase() {
                h = (h ^ u64::from(l as u32)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
    }
    h
}

fn same_word(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || (!a.is_ascii()
            && a.chars()
                .flat_map(char::to_lowercase)
                .eq(b.chars().flat_map(char::to_lowercase)))
}

/// Cheap pre-check for words that may equal (ignoring case) one of a set of wanted words:
/// an ASCII word keeps its first letter and byte length in any case, so a table of
/// (first letter, length) pairs of the wanted words rules most other words out. With a
/// non-ASCII wanted word every word is admitted.
pub struct WordFilter {
    table: [u64; 32],
    all: bool,
}

impl WordFilter {
    fn slot(w: &str) -> (usize, u64) {
        let first = w.as_bytes().first().map_or(0, |b| b.to_ascii_lowercase());
        (usize::from(first & 31), 1u64 << w.len().min(63))
    }

    pub fn new<'w>(wanted: impl IntoIterator<Item = &'w str>) -> WordFilter {
        let mut f = WordFilter {
            table: [0; 32],
            all: false,
        };
        for w in wanted {
            f.all |= !w.is_ascii();
            let (i, bit) = Self::slot(w);
            f.table[i] |= bit;
        }
        f
    }

    /// False only for words that cannot equal a wanted word.
    pub fn admits(&self, w: &str) -> bool {
        if self.all || !w.is_ascii() {
            return true;
        }
        let (i, bit) = Self::slot(w);
        self.table[i] & bit != 0
    }
}

impl<'a> TrueCaser<'a> {
    /// `words`: tokens of the article's mixed-case sentences; `wanted`: the words that will
    /// be looked up. One pass over `words`; a spelling with a lower-case letter wins over an
    /// all-caps one, else the first spelling wins.
    pub fn new(words: &[&'a str], wanted: &[&str]) -> Self {
        let want: HashSet<u64, std::hash::BuildHasherDefault<super::gazetteer::Fnv>> =
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
            .filter(|w| same_word(w, word))
    }

    /// Spelling of a word from an ALL-CAPS sentence for tagging it as ordinary text: the
    /// article's spelling, else lower case for words the training lexicon knows as mostly
    /// lower-case (`case_class` 2 or 3), else the gazetteer's spelling, else short words and
    /// words with dots or digits as they are, else capitalised. The first word of a sentence
    /// starts with a capital.
    pub fn case_for_tagging(&self, word: &str, case_class: u8, first: bool) -> String {
        if let Some(w) = self.lookup(word) {
            return w.to_string();
        }
        let out = if case_class == 2 || case_class == 3 {
            word.to_lowercase()
        } else if let Some(sp) = super::gazetteer::gazetteer().spelling(word) {
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
        if let Some(sp) = super::gazetteer::gazetteer().spelling(word) {
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
        assert_eq!(tc.case_for_tagging("SAYS", 2, false), "says");
        assert_eq!(tc.case_for_tagging("SAYS", 2, true), "Says");
        assert_eq!(tc.case_for_tagging("REAGAN", 0, true), "Reagan");
        assert_eq!(tc.case_for_tagging("VOLCKER", 0, false), "Volcker");
        assert_eq!(tc.case_for_tagging("EC", 0, false), "EC");
    }
}
