//! Feature extraction: hashed feature indices for every token of a sentence.
//!
//! Each token gets [`NUM_FEATURES`] indices into a hashed weight table (word, neighbours,
//! bigrams, affixes, word shape, capitalisation pattern). Lexical features use the lower-cased,
//! digit-normalised word so they work the same in ALL-CAPS text; case-dependent features are
//! hashed into a separate namespace when the whole sentence is upper case ("caps mode"), so the
//! model learns how to read headlines without losing what capitalisation tells it elsewhere.

/// Feature indices produced per token.
pub const NUM_FEATURES: usize = 35;

use super::lexicon::Lexicon;
use super::words::{fnv_byte, fnv_char, FNV_OFFSET};

const BOS: u64 = 0x5b0f_5e27_11aa_0001;
const EOS: u64 = 0x5b0f_5e27_11aa_0002;
const CAPS_SALT: u64 = 0x7c3a_91d2_0be4_5f19;

#[inline]
fn mix(a: u64, b: u64) -> u64 {
    (a ^ b).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29)
}

/// Bucket from the high bits of one more multiply (inputs are already FNV-mixed).
#[inline]
fn finish(x: u64, shift: u32) -> u32 {
    (x.wrapping_mul(0xBF58_476D_1CE4_E5B9) >> shift) as u32
}

/// Per-template salt (template numbers are small; spread them over the word).
#[inline]
fn salt(t: u64) -> u64 {
    t.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ 0x2545_F491_4F6C_DD1D
}

#[derive(Clone, Copy, Default, Debug, PartialEq)]
struct TokInfo {
    lw: u64,
    raw: u64,
    shape: u64,
    short: u64,
    pre: [u64; 3],
    suf: [u64; 3],
    cap: u64,
    len: u64,
    case: u64,
    lab: u64,
}

const CAP_NONE: u64 = 0;
const CAP_LOWER: u64 = 1;
const CAP_INIT: u64 = 2;
const CAP_ALL: u64 = 3;
const CAP_MIXED: u64 = 4;

/// Capitalisation class of a word from its counts of upper- and lower-case letters.
fn cap_class(upper: usize, lower: usize, first_upper: bool) -> u64 {
    if upper + lower == 0 {
        CAP_NONE
    } else if upper == 0 {
        CAP_LOWER
    } else if lower == 0 {
        CAP_ALL
    } else if first_upper && upper == 1 {
        CAP_INIT
    } else {
        CAP_MIXED
    }
}

/// Word length in characters, bucketed: 0-4 exactly, then 5-6, 7-9 and longer.
fn length_bucket(chars: usize) -> u64 {
    match chars {
        0..=4 => chars as u64,
        5..=6 => 5,
        7..=9 => 6,
        _ => 7,
    }
}

fn char_class(c: char) -> char {
    if c.is_ascii_digit() {
        'd'
    } else if c.is_uppercase() {
        'X'
    } else if c.is_alphabetic() {
        'x'
    } else {
        c
    }
}

/// `token_info` of an ASCII word, byte by byte: the same values as the general
/// character-by-character version (checked by a test), without building the lower-cased copy.
fn token_info_ascii(word: &[u8], lex: &Lexicon) -> TokInfo {
    let norm = |b: u8| {
        if b.is_ascii_digit() {
            b'0'
        } else {
            b.to_ascii_lowercase()
        }
    };
    let mut raw = FNV_OFFSET;
    let mut lw = FNV_OFFSET;
    let mut shape = FNV_OFFSET ^ 1;
    let mut short = FNV_OFFSET ^ 2;
    let mut pre = [0u64; 3];
    let mut upper = 0usize;
    let mut lowerc = 0usize;
    let mut last_class = 0u8;
    for (k, &b) in word.iter().enumerate() {
        raw = fnv_byte(raw, b);
        let cls = if b.is_ascii_digit() {
            b'd'
        } else if b.is_ascii_uppercase() {
            upper += 1;
            b'X'
        } else if b.is_ascii_lowercase() {
            lowerc += 1;
            b'x'
        } else {
            b
        };
        if k < 12 {
            shape = fnv_byte(shape, cls);
        }
        if cls != last_class {
            short = fnv_byte(short, cls);
            last_class = cls;
        }
        lw = fnv_byte(lw, norm(b));
        if (1..=3).contains(&k) {
            pre[k - 1] = lw;
        }
    }
    for p in pre.iter_mut() {
        if *p == 0 {
            *p = lw;
        }
    }
    let n = word.len();
    let mut suf = [lw; 3];
    for (i, s) in suf.iter_mut().enumerate() {
        let need = i + 2;
        if n >= need {
            let mut h = FNV_OFFSET ^ 3;
            for &b in &word[n - need..] {
                h = fnv_byte(h, norm(b));
            }
            *s = h;
        }
    }
    let first_upper = word.first().is_some_and(u8::is_ascii_uppercase);
    let cap = cap_class(upper, lowerc, first_upper);
    let len = length_bucket(n);
    let prof = lex.get(lw);
    TokInfo {
        lw,
        raw,
        shape,
        short,
        pre,
        suf,
        cap,
        len,
        case: u64::from(prof.case_class()),
        lab: u64::from(prof.label_class()),
    }
}

/// Reusable feature builder; holds scratch buffers so tagging does not allocate per token.
#[derive(Default)]
pub struct FeatureBuilder {
    lower: String,
    #[cfg(any(test, feature = "train"))]
    info: Vec<TokInfo>,
    #[cfg(any(test, feature = "train"))]
    contexts: Vec<WordContext>,
}

impl FeatureBuilder {
    fn token_info(&mut self, word: &str, lex: &Lexicon) -> TokInfo {
        if word.is_ascii() {
            token_info_ascii(word.as_bytes(), lex)
        } else {
            self.token_info_chars(word, lex)
        }
    }

    /// `token_info` for any word, character by character.
    fn token_info_chars(&mut self, word: &str, lex: &Lexicon) -> TokInfo {
        self.lower.clear();
        let mut raw = FNV_OFFSET;
        let mut lw = FNV_OFFSET;
        let mut shape = FNV_OFFSET ^ 1;
        let mut short = FNV_OFFSET ^ 2;
        let mut pre = [0u64; 3];
        let mut nchars = 0usize;
        let mut upper = 0usize;
        let mut lowerc = 0usize;
        let mut first_upper = false;
        let mut last_class = '\0';
        for c in word.chars() {
            raw = fnv_char(raw, c);
            let cls = char_class(c);
            if nchars < 12 {
                shape = fnv_char(shape, cls);
            }
            if cls != last_class {
                short = fnv_char(short, cls);
                last_class = cls;
            }
            if cls == 'X' {
                upper += 1;
                if nchars == 0 {
                    first_upper = true;
                }
            } else if cls == 'x' {
                lowerc += 1;
            }
            if c.is_ascii() {
                let b = if c.is_ascii_digit() {
                    b'0'
                } else {
                    (c as u8).to_ascii_lowercase()
                };
                lw = fnv_byte(lw, b);
                self.lower.push(b as char);
            } else {
                for l in c.to_lowercase() {
                    lw = fnv_char(lw, l);
                    self.lower.push(l);
                }
            }
            nchars += 1;
            if (2..=4).contains(&nchars) {
                pre[nchars - 2] = lw;
            }
        }
        for p in pre.iter_mut().take(3) {
            if *p == 0 {
                *p = lw;
            }
        }
        // Suffixes of the lower-cased word (last 2, 3, 4 characters).
        let mut suf = [lw; 3];
        let mut ends = [0usize; 4];
        let mut k = 0;
        for (idx, _) in self.lower.char_indices().rev() {
            ends[k] = idx;
            k += 1;
            if k == 4 {
                break;
            }
        }
        for (n, s) in suf.iter_mut().enumerate() {
            let need = n + 2;
            if k >= need {
                let from = ends[need - 1];
                let mut h = FNV_OFFSET ^ 3;
                for &b in &self.lower.as_bytes()[from..] {
                    h = fnv_byte(h, b);
                }
                *s = h;
            }
        }
        let cap = cap_class(upper, lowerc, first_upper);
        let len = length_bucket(nchars);
        let prof = lex.get(lw);
        TokInfo {
            lw,
            raw,
            shape,
            short,
            pre,
            suf,
            cap,
            len,
            case: u64::from(prof.case_class()),
            lab: u64::from(prof.label_class()),
        }
    }

    /// Writes `NUM_FEATURES` hashed indices (each `< 2^bits`) per token into `out`: first its
    /// [`NUM_WORD_FEATURES`], then its [`NUM_CONTEXT_FEATURES`].
    /// `caps` selects the ALL-CAPS namespace for case-dependent features.
    #[cfg(any(test, feature = "train"))]
    pub fn build<S: AsRef<str>>(
        &mut self,
        tokens: &[S],
        bits: u32,
        caps: bool,
        lex: &Lexicon,
        out: &mut Vec<u32>,
    ) {
        out.clear();
        self.info.clear();
        for t in tokens {
            let info = self.token_info(t.as_ref(), lex);
            self.info.push(info);
        }
        let hasher = FeatureHasher::new(bits, caps);
        self.contexts.clear();
        self.contexts.extend(self.info.iter().map(TokInfo::context));
        for (i, info) in self.info.iter().enumerate() {
            out.extend_from_slice(&hasher.word_features(info));
            out.extend_from_slice(&hasher.context_features(&self.contexts, i));
        }
    }

    /// The features of a word that depend on nothing else, for a word cache: the word's
    /// [`NUM_WORD_FEATURES`] and what its own and its neighbours' context features need of it.
    pub(crate) fn word_features(
        &mut self,
        word: &str,
        hasher: &FeatureHasher,
        lex: &Lexicon,
    ) -> ([u32; NUM_WORD_FEATURES], WordContext) {
        let info = self.token_info(word, lex);
        (hasher.word_features(&info), info.context())
    }
}

/// Of the features of a token, those that depend only on the word itself.
pub(crate) const NUM_WORD_FEATURES: usize = 15;
/// Of the features of a token, those that depend on its place in the sentence.
pub(crate) const NUM_CONTEXT_FEATURES: usize = NUM_FEATURES - NUM_WORD_FEATURES;

/// What the context features of a token and of its neighbours need of a word.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct WordContext {
    lw: u64,
    short: u64,
    suf: u64,
    cap: u64,
    case: u64,
    lab: u64,
}

impl TokInfo {
    fn context(&self) -> WordContext {
        WordContext {
            lw: self.lw,
            short: self.short,
            suf: self.suf[1],
            cap: self.cap,
            case: self.case,
            lab: self.lab,
        }
    }
}

/// Before the first token of a sentence.
const BOUNDARY: WordContext = WordContext {
    lw: BOS,
    short: BOS,
    suf: BOS,
    cap: 9,
    case: 9,
    lab: 15,
};
/// After the last token of a sentence.
const END: WordContext = WordContext {
    lw: EOS,
    short: EOS,
    suf: EOS,
    cap: 10,
    case: 10,
    lab: 16,
};

/// Hashes feature templates and their values into weight-table rows.
pub(crate) struct FeatureHasher {
    shift: u32,
    /// Salt of the case-dependent templates in an ALL-CAPS sentence (0 otherwise).
    cs: u64,
}

impl FeatureHasher {
    /// For a table of `2^bits` rows.
    pub(crate) fn new(bits: u32, caps: bool) -> FeatureHasher {
        FeatureHasher {
            shift: 64 - bits.clamp(1, 32),
            cs: if caps { CAP_SALT_ON } else { 0 },
        }
    }

    fn f(&self, t: u64, a: u64) -> u32 {
        finish(mix(salt(t), a), self.shift)
    }

    fn f2(&self, t: u64, a: u64, b: u64) -> u32 {
        finish(mix(mix(salt(t), a), b), self.shift)
    }

    fn f3(&self, t: u64, a: u64, b: u64, c: u64) -> u32 {
        finish(mix(mix(mix(salt(t), a), b), c), self.shift)
    }

    fn word_features(&self, w: &TokInfo) -> [u32; NUM_WORD_FEATURES] {
        let cs = self.cs;
        [
            self.f(1 ^ cs, 0),
            self.f(2, w.lw),
            self.f(3 ^ cs, w.raw),
            self.f(10, w.pre[0]),
            self.f(11, w.pre[1]),
            self.f(12, w.pre[2]),
            self.f(13, w.suf[0]),
            self.f(14, w.suf[1]),
            self.f(15, w.suf[2]),
            self.f(16 ^ cs, w.shape),
            self.f(17 ^ cs, w.short),
            self.f2(26 ^ cs, w.len, w.cap),
            self.f2(29 ^ cs, w.case, w.cap),
            self.f(30, w.lab),
            self.f2(31 ^ cs, w.case, w.lab),
        ]
    }

    /// The context features of token `i` of a sentence whose words are `words`.
    pub(crate) fn context_features(
        &self,
        words: &[WordContext],
        i: usize,
    ) -> [u32; NUM_CONTEXT_FEATURES] {
        let at = |k: usize| words.get(k).copied().unwrap_or(END);
        let before = |back: usize| i.checked_sub(back).map_or(BOUNDARY, at);
        let w = at(i);
        let (p1, p2) = (before(1), before(2));
        let (n1, n2) = (at(i + 1), at(i + 2));
        let first = u64::from(i == 0);
        let cs = self.cs;
        [
            self.f(4, p1.lw),
            self.f(5, n1.lw),
            self.f(6, p2.lw),
            self.f(7, n2.lw),
            self.f2(8, p1.lw, w.lw),
            self.f2(9, w.lw, n1.lw),
            self.f3(18 ^ cs, p1.short, w.short, n1.short),
            self.f(19 ^ cs, p1.short),
            self.f(20 ^ cs, n1.short),
            self.f2(21 ^ cs, w.cap, first),
            self.f2(22 ^ cs, p1.cap, w.cap),
            self.f2(23 ^ cs, w.cap, n1.cap),
            self.f2(24 ^ cs, p1.lw, w.short),
            self.f2(25 ^ cs, w.short, n1.lw),
            self.f2(27, p1.suf, w.lw),
            self.f2(28, w.lw, n1.suf),
            self.f2(32 ^ cs, p1.case, w.case),
            self.f2(33 ^ cs, w.case, n1.case),
            self.f2(34, p1.lab, w.lab),
            self.f2(35, w.lab, n1.lab),
        ]
    }
}

const CAP_SALT_ON: u64 = CAPS_SALT;

#[cfg(test)]
mod tests {
    use super::super::words::word_key;
    use super::*;

    #[test]
    fn features_in_range_and_case_insensitive_lexically() {
        let mut fb = FeatureBuilder::default();
        let mut a = Vec::new();
        let mut b = Vec::new();
        fb.build(
            &["Pete", "Hegseth", "said"],
            16,
            false,
            &Lexicon::default(),
            &mut a,
        );
        assert_eq!(a.len(), 3 * NUM_FEATURES);
        assert!(a.iter().all(|&x| x < (1 << 16)));
        fb.build(
            &["PETE", "HEGSETH", "SAID"],
            16,
            true,
            &Lexicon::default(),
            &mut b,
        );
        // The lower-cased word feature is shared between cases; the raw word is not.
        assert_eq!(a[1], b[1]);
        assert_ne!(a[2], b[2]);
    }

    #[test]
    fn ascii_token_info_matches_general() {
        let mut fb = FeatureBuilder::default();
        let lex = Lexicon::default();
        for w in [
            "",
            "a",
            "I",
            "ab",
            "Pete",
            "HEGSETH",
            "U.S.",
            "1,750.5",
            "DBKG.F",
            "'s",
            "<",
            "--",
            "McDonald",
            "x9Y",
            "Bosnia-Herzegovina",
            "abcdefghijklmnopq",
            "A1",
            "...",
        ] {
            assert_eq!(
                token_info_ascii(w.as_bytes(), &lex),
                fb.token_info_chars(w, &lex),
                "{w}"
            );
        }
    }

    #[test]
    fn word_key_matches_feature_hash() {
        let mut fb = FeatureBuilder::default();
        for w in [
            "Reagan",
            "U.S.",
            "1,750",
            "İstanbul",
            "ǅ",
            "日本",
            "",
            "o'neill",
        ] {
            assert_eq!(word_key(w), fb.token_info(w, &Lexicon::default()).lw, "{w}");
        }
    }

    #[test]
    fn odd_tokens_do_not_panic() {
        let mut fb = FeatureBuilder::default();
        let mut out = Vec::new();
        fb.build(
            &["", "\u{0}", "İstanbul", "ǅ", "日本", "x"],
            18,
            false,
            &Lexicon::default(),
            &mut out,
        );
        assert_eq!(out.len(), 6 * NUM_FEATURES);
        let empty: [&str; 0] = [];
        fb.build(&empty, 18, false, &Lexicon::default(), &mut out);
        assert!(out.is_empty());
    }
}
