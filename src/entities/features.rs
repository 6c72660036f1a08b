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

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
const BOS: u64 = 0x5b0f_5e27_11aa_0001;
const EOS: u64 = 0x5b0f_5e27_11aa_0002;
const CAPS_SALT: u64 = 0x7c3a_91d2_0be4_5f19;

#[inline]
fn fnv_byte(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
}

#[inline]
fn fnv_char(mut h: u64, c: char) -> u64 {
    let mut buf = [0u8; 4];
    for &b in c.encode_utf8(&mut buf).as_bytes() {
        h = fnv_byte(h, b);
    }
    h
}

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
        case: u64::from(prof & 7),
        lab: u64::from(prof >> 3),
    }
}

/// Reusable feature builder; holds scratch buffers so tagging does not allocate per token.
#[derive(Default)]
pub struct FeatureBuilder {
    lower: String,
    info: Vec<TokInfo>,
}

/// Lexicon key of a word: FNV hash of the lower-cased, digit-normalised word.
pub fn word_key(word: &str) -> u64 {
    // Same computation as `lw` in `token_info` (checked by a test).
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

/// True when the sentence has letters but none in lower case (a headline in capitals).
pub fn is_caps_sentence<S: AsRef<str>>(tokens: &[S]) -> bool {
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

impl FeatureBuilder {
    pub fn new() -> Self {
        Self::default()
    }

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
            case: u64::from(prof & 7),
            lab: u64::from(prof >> 3),
        }
    }

    /// Writes `NUM_FEATURES` hashed indices (each `< 2^bits`) per token into `out`.
    /// `caps` selects the ALL-CAPS namespace for case-dependent features.
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
        let shift = 64 - bits.clamp(1, 32);
        let n = self.info.len();
        let cs = if caps { CAP_SALT_ON } else { 0 };
        let boundary = TokInfo {
            lw: BOS,
            raw: BOS,
            shape: BOS,
            short: BOS,
            pre: [BOS; 3],
            suf: [BOS; 3],
            cap: 9,
            len: 9,
            case: 9,
            lab: 15,
        };
        let end = TokInfo {
            lw: EOS,
            raw: EOS,
            shape: EOS,
            short: EOS,
            pre: [EOS; 3],
            suf: [EOS; 3],
            cap: 10,
            len: 10,
            case: 10,
            lab: 16,
        };
        let get = |i: isize| -> TokInfo {
            if i < 0 {
                boundary
            } else if i as usize >= n {
                end
            } else {
                self.info[i as usize]
            }
        };
        for i in 0..n {
            let ii = i as isize;
            let w = self.info[i];
            let p1 = get(ii - 1);
            let p2 = get(ii - 2);
            let n1 = get(ii + 1);
            let n2 = get(ii + 2);
            let first = u64::from(i == 0);
            let f = |t: u64, a: u64| finish(mix(salt(t), a), shift);
            let f2 = |t: u64, a: u64, b: u64| finish(mix(mix(salt(t), a), b), shift);
            let f3 =
                |t: u64, a: u64, b: u64, c: u64| finish(mix(mix(mix(salt(t), a), b), c), shift);
            let feats: [u32; NUM_FEATURES] = [
                f(1 ^ cs, 0),
                f(2, w.lw),
                f(3 ^ cs, w.raw),
                f(4, p1.lw),
                f(5, n1.lw),
                f(6, p2.lw),
                f(7, n2.lw),
                f2(8, p1.lw, w.lw),
                f2(9, w.lw, n1.lw),
                f(10, w.pre[0]),
                f(11, w.pre[1]),
                f(12, w.pre[2]),
                f(13, w.suf[0]),
                f(14, w.suf[1]),
                f(15, w.suf[2]),
                f(16 ^ cs, w.shape),
                f(17 ^ cs, w.short),
                f3(18 ^ cs, p1.short, w.short, n1.short),
                f(19 ^ cs, p1.short),
                f(20 ^ cs, n1.short),
                f2(21 ^ cs, w.cap, first),
                f2(22 ^ cs, p1.cap, w.cap),
                f2(23 ^ cs, w.cap, n1.cap),
                f2(24 ^ cs, p1.lw, w.short),
                f2(25 ^ cs, w.short, n1.lw),
                f2(26 ^ cs, w.len, w.cap),
                f2(27, p1.suf[1], w.lw),
                f2(28, w.lw, n1.suf[1]),
                f2(29 ^ cs, w.case, w.cap),
                f(30, w.lab),
                f2(31 ^ cs, w.case, w.lab),
                f2(32 ^ cs, p1.case, w.case),
                f2(33 ^ cs, w.case, n1.case),
                f2(34, p1.lab, w.lab),
                f2(35, w.lab, n1.lab),
            ];
            out.extend_from_slice(&feats);
        }
    }
}

const CAP_SALT_ON: u64 = CAPS_SALT;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_in_range_and_case_insensitive_lexically() {
        let mut fb = FeatureBuilder::new();
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
        let mut fb = FeatureBuilder::new();
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
        let mut fb = FeatureBuilder::new();
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
    fn caps_detection() {
        assert!(is_caps_sentence(&["OPEC", "MEETS", "IN", "VIENNA"]));
        assert!(!is_caps_sentence(&["OPEC", "meets"]));
        assert!(!is_caps_sentence(&["1996", "-"]));
    }

    #[test]
    fn odd_tokens_do_not_panic() {
        let mut fb = FeatureBuilder::new();
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
