//! Helpers on single words that the rest of the extractor shares: the FNV hash and the map
//! built on it, the lexicon key and the case-insensitive hash of a word, the alias key of a
//! name, a cheap pre-check on first letter and length, and the ALL-CAPS test of a sentence.
//! This file uses no other file of `entities`.

use std::collections::HashMap;

pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// One byte more of an FNV-1a hash.
#[inline]
pub(crate) fn fnv_byte(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
}

/// The UTF-8 bytes of one character more of an FNV-1a hash.
#[inline]
pub(crate) fn fnv_char(mut h: u64, c: char) -> u64 {
    let mut buf = [0u8; 4];
    for &b in c.encode_utf8(&mut buf).as_bytes() {
        h = fnv_byte(h, b);
    }
    h
}

/// FNV-1a hasher: the keys are short words, where it is much faster than SipHash.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { FNV_OFFSET } else { self.0 };
        for &b in bytes {
            h = fnv_byte(h, b);
        }
        self.0 = h;
    }
}

/// `HashMap` with the FNV hasher.
pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// Lexicon key of a word: FNV hash of the lower-cased, digit-normalised word (the same value
/// as the word feature of `features.rs`, checked by a test there).
pub(crate) fn word_key(word: &str) -> u64 {
    let mut lw = FNV_OFFSET;
    for c in word.chars() {
        if c.is_ascii() {
            let b = if c.is_ascii_digit() {
                b'0'
            } else {
                (c as u8).to_ascii_lowercase()
            };
            lw = fnv_byte(lw, b);
        } else {
            for l in c.to_lowercase() {
                lw = fnv_char(lw, l);
            }
        }
    }
    lw
}

/// The base letters of the lower-case letters U+00E0 to U+017F ("ğ" is "g", "ł" is "l"); NUL
/// where there is none to give ("æ", "ð", "÷"). Generated with Python's `unicodedata` (NFD,
/// first character).
const LATIN_BASES: &[u8; 160] = b"aaaaaa\0ceeeeiiii\0nooooo\0ouuuuy\0yaaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiii\0i\0\0jjkkkllllllllllnnnnnnn\0\0oooooo\0\0rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/// A lower-case letter without its accent, for the Latin letters that have one ("Erdoğan" and
/// "Erdogan" are one name, written with and without it).
#[inline]
fn base_letter(l: char) -> char {
    match (l as usize)
        .checked_sub(0xE0)
        .and_then(|i| LATIN_BASES.get(i))
    {
        Some(&b) if b != 0 => char::from(b),
        _ => l,
    }
}

/// The characters of a word lower-cased and without accents.
fn folded(word: &str) -> impl Iterator<Item = char> + '_ {
    word.chars().flat_map(char::to_lowercase).map(base_letter)
}

/// Case- and accent-insensitive FNV-1a hash of a word.
pub(crate) fn ci_hash(word: &str) -> u64 {
    let mut h: u64 = FNV_OFFSET;
    for c in word.chars() {
        if c.is_ascii() {
            h = (h ^ u64::from(c.to_ascii_lowercase() as u8)).wrapping_mul(FNV_PRIME);
        } else {
            for l in c.to_lowercase() {
                h = (h ^ u64::from(base_letter(l) as u32)).wrapping_mul(FNV_PRIME);
            }
        }
    }
    h
}

/// True when two words are equal ignoring case (full Unicode lower-casing) and accents.
pub(crate) fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b) || (!(a.is_ascii() && b.is_ascii()) && folded(a).eq(folded(b)))
}

/// True when the sentence has letters but none in lower case (a headline in capitals).
pub(crate) fn is_caps_sentence<S: AsRef<str>>(tokens: &[S]) -> bool {
    let mut letters = 0usize;
    for t in tokens {
        for c in t.as_ref().chars() {
            if c.is_lowercase() {
                return false;
            }
            if c.is_alphabetic() {
                letters += 1;
            }
        }
    }
    letters >= 2
}

/// Normalised alias lookup key: lower case, dots removed, whitespace collapsed, leading
/// "the " dropped.
pub(crate) fn alias_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    push_key_words(&mut out, name);
    finish_key(&mut out);
    out
}

/// `alias_key` of the words joined by spaces, written into `out` (no joined copy is built).
pub(crate) fn alias_key_of_words(words: &[String], out: &mut String) {
    out.clear();
    for w in words {
        push_key_words(out, w);
    }
    finish_key(out);
}

/// Appends the words of `name` to a key being built: lower case, no dots, one space between
/// words.
fn push_key_words(out: &mut String, name: &str) {
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            if c == '.' {
                continue;
            }
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        }
    }
}

/// Trailing space off, leading "the " dropped.
fn finish_key(out: &mut String) {
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    if out.starts_with("the ") {
        out.drain(..4);
    }
}

/// Cheap pre-check for words that may equal (ignoring case) one of a set of wanted words:
/// an ASCII word keeps its first letter and byte length in any case, so a table of
/// (first letter, length) pairs of the wanted words rules most other words out. With a
/// non-ASCII wanted word every word is admitted.
pub(crate) struct WordFilter {
    table: [u64; 32],
    all: bool,
}

impl WordFilter {
    fn slot(w: &str) -> (usize, u64) {
        let first = w.as_bytes().first().map_or(0, |b| b.to_ascii_lowercase());
        (usize::from(first & 31), 1u64 << w.len().min(63))
    }

    pub(crate) fn new<'w>(wanted: impl IntoIterator<Item = &'w str>) -> WordFilter {
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
    pub(crate) fn admits(&self, w: &str) -> bool {
        if self.all || !w.is_ascii() {
            return true;
        }
        let (i, bit) = Self::slot(w);
        self.table[i] & bit != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_detection() {
        assert!(is_caps_sentence(&["OPEC", "MEETS", "IN", "VIENNA"]));
        assert!(!is_caps_sentence(&["OPEC", "meets"]));
        assert!(!is_caps_sentence(&["1996", "-"]));
    }

    #[test]
    fn keys_ignore_case_and_dots() {
        assert_eq!(word_key("REAGAN"), word_key("reagan"));
        assert_eq!(word_key("1987"), word_key("2025"));
        assert_eq!(ci_hash("İstanbul"), ci_hash("i\u{307}stanbul"));
        assert!(eq_ignore_case("ŠKODA", "škoda"));
        // Accents are ignored too: a name is often written both ways in one article.
        assert_eq!(ci_hash("Erdoğan"), ci_hash("ERDOGAN"));
        assert_eq!(ci_hash("Wałęsa"), ci_hash("Walesa"));
        assert!(eq_ignore_case("Erdogan", "Erdoğan"));
        assert!(eq_ignore_case("Brudziński", "BRUDZINSKI"));
        assert!(!eq_ignore_case("Erdogan", "Erdoğa"));
        assert_ne!(ci_hash("Færøy"), ci_hash("Faroy"));
        assert_eq!(alias_key(" The  U.S. "), "us");
        let mut key = String::new();
        alias_key_of_words(&["the".into(), "U.N.".into()], &mut key);
        assert_eq!(key, "un");
    }

    #[test]
    fn filter_admits_wanted_words() {
        let f = WordFilter::new(["REAGAN", "OPEC"]);
        assert!(f.admits("Reagan") && f.admits("opec"));
        assert!(!f.admits("Reagans") && !f.admits("Paris"));
        assert!(WordFilter::new(["日本"]).admits("Paris"));
    }
}
