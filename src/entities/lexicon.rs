//! Word lexicon derived from the training data only: for each known word (lower-cased,
//! digits normalised) a one-byte profile of how it is usually capitalised in running text and
//! which entity type it usually belongs to. It lets the tagger read ALL-CAPS headlines
//! ("SAYS" is an ordinary word, an unknown word is likely a name) and generalise over names.
//!
//! Profile byte: low 3 bits = case class (0 unknown word, 1 seen only sentence-initially or in
//! capitals, 2 never capitalised, 3 capitalised < 30%, 4 < 70%, 5 < 100%, 6 always);
//! high bits = label class (0 unknown, else 1 + 2 * majority type (O, PER, ORG, LOC, MISC)
//! + 1 if that type has under 90% of the occurrences).

#[cfg(feature = "train")]
use super::tags::{Tag, TagType};
#[cfg(feature = "train")]
use super::words::word_key;

/// What the lexicon knows of a word, in one byte: its case class in the low 3 bits and its
/// label class above them (see the module docs); 0 for a word it does not know.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Profile(u8);

impl Profile {
    /// The profile of a word the lexicon does not know.
    pub(crate) const UNKNOWN: Profile = Profile(0);

    #[cfg(feature = "train")]
    fn new(case_class: u8, label_class: u8) -> Profile {
        Profile(case_class | (label_class << 3))
    }

    /// 0 unknown word, 1 seen only sentence-initially or in capitals, 2 never capitalised,
    /// 3 capitalised < 30%, 4 < 70%, 5 < 100%, 6 always.
    pub(crate) fn case_class(self) -> u8 {
        self.0 & 7
    }

    /// 0 unknown, else 1 + 2 * majority type (O, PER, ORG, LOC, MISC), plus 1 if that type
    /// has under 90% of the occurrences.
    pub(crate) fn label_class(self) -> u8 {
        self.0 >> 3
    }

    /// Written in lower case inside sentences always or most of the time (case class 2, 3).
    pub(crate) fn mostly_lower_case(self) -> bool {
        matches!(self.case_class(), 2 | 3)
    }

    /// Capitalised inside sentences most of the time or always (case class 5, 6).
    pub(crate) fn usually_capitalised(self) -> bool {
        matches!(self.case_class(), 5 | 6)
    }

    /// Never capitalised inside a sentence, and outside any name in at least 90% of its
    /// occurrences ("it", "said").
    pub(crate) fn plain_lower_case_word(self) -> bool {
        self.case_class() == 2 && self.label_class() == 1
    }

    /// Unknown to the training text, or mostly outside names or (part of) a person's name
    /// there: not mostly an organisation, place or MISC word.
    pub(crate) fn unknown_or_person(self) -> bool {
        matches!(self.label_class(), 0..=4)
    }

    /// Mostly (part of) a place name.
    pub(crate) fn mostly_place(self) -> bool {
        matches!(self.label_class(), 7 | 8)
    }

    /// Mostly (part of) a MISC name: a nationality, an event, a product.
    pub(crate) fn mostly_misc(self) -> bool {
        matches!(self.label_class(), 9 | 10)
    }
}

/// Open-addressing hash table from word key to profile byte (load factor at most 1/2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lexicon {
    keys: Vec<u64>,
    vals: Vec<u8>,
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon {
            keys: vec![0; 2],
            vals: vec![0; 2],
        }
    }
}

#[inline]
fn slot(key: u64, mask: usize) -> usize {
    ((key ^ (key >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40) as usize & mask
}

impl Lexicon {
    /// Builds a table from (word key, profile) pairs; unknown profiles are skipped.
    #[cfg(feature = "train")]
    pub fn from_entries(entries: &[(u64, Profile)]) -> Lexicon {
        let n = (entries.len() * 2).next_power_of_two().max(2);
        let mut lex = Lexicon {
            keys: vec![0; n],
            vals: vec![0; n],
        };
        let mask = n - 1;
        for &(k, v) in entries {
            if v == Profile::UNKNOWN {
                continue;
            }
            let k = k.max(1);
            let mut i = slot(k, mask);
            while lex.keys[i] != 0 && lex.keys[i] != k {
                i = (i + 1) & mask;
            }
            lex.keys[i] = k;
            lex.vals[i] = v.0;
        }
        lex
    }

    /// Profile of a word key ([`Profile::UNKNOWN`] when unknown).
    #[inline]
    pub fn get(&self, key: u64) -> Profile {
        let k = key.max(1);
        let mask = self.keys.len() - 1;
        let mut i = slot(k, mask);
        // At most half the slots are used, so an empty slot ends every probe sequence.
        for _ in 0..self.keys.len() {
            let kk = self.keys[i];
            if kk == k {
                return Profile(self.vals[i]);
            }
            if kk == 0 {
                return Profile::UNKNOWN;
            }
            i = (i + 1) & mask;
        }
        Profile::UNKNOWN
    }

    pub(crate) fn raw(&self) -> (&[u64], &[u8]) {
        (&self.keys, &self.vals)
    }

    /// Rebuilds from serialised slots; `None` if the size is not a power of two or the
    /// table is more than half full.
    pub(crate) fn from_raw(keys: Vec<u64>, vals: Vec<u8>) -> Option<Lexicon> {
        let n = keys.len();
        if n < 2 || !n.is_power_of_two() || vals.len() != n {
            return None;
        }
        if keys.iter().filter(|&&k| k != 0).count() > n / 2 {
            return None;
        }
        Some(Lexicon { keys, vals })
    }
}

/// Word statistics gathered from tagged sentences.
#[cfg(feature = "train")]
#[derive(Default, Clone)]
pub struct LexCounts {
    /// key -> [lower-case non-initial, capitalised non-initial, any, O, PER, ORG, LOC, MISC]
    counts: std::collections::HashMap<u64, [u32; 8]>,
}

#[cfg(feature = "train")]
impl LexCounts {
    /// Adds one tagged sentence.
    pub fn add(&mut self, tokens: &[String], tags: &[Tag]) {
        let caps = super::words::is_caps_sentence(tokens);
        for (i, (t, tag)) in tokens.iter().zip(tags).enumerate() {
            let Some(first) = t.chars().find(|c| c.is_alphabetic()) else {
                continue;
            };
            let c = self.counts.entry(word_key(t)).or_insert([0; 8]);
            if i > 0 && !caps {
                if first.is_uppercase() {
                    c[1] += 1;
                } else {
                    c[0] += 1;
                }
            }
            c[2] += 1;
            let ty = match tag.entity_type() {
                None => 0,
                Some(TagType::Per) => 1,
                Some(TagType::Org) => 2,
                Some(TagType::Loc) => 3,
                Some(TagType::Misc) => 4,
            };
            c[3 + ty] += 1;
        }
    }

    /// Counts of `self` minus `other` (for leave-one-fold-out lexicons).
    pub fn minus(&self, other: &LexCounts) -> LexCounts {
        let mut out = self.clone();
        for (k, o) in &other.counts {
            if let Some(c) = out.counts.get_mut(k) {
                for (a, b) in c.iter_mut().zip(o) {
                    *a = a.saturating_sub(*b);
                }
            }
        }
        out.counts.retain(|_, c| c[2] > 0);
        out
    }

    /// The lexicon of these counts.
    pub fn lexicon(&self) -> Lexicon {
        let mut entries: Vec<(u64, Profile)> =
            self.counts.iter().map(|(&k, c)| (k, profile(c))).collect();
        entries.sort_unstable();
        Lexicon::from_entries(&entries)
    }
}

#[cfg(feature = "train")]
fn profile(c: &[u32; 8]) -> Profile {
    if c[2] == 0 {
        return Profile::UNKNOWN;
    }
    let (lower, cap) = (c[0], c[1]);
    let case = if lower + cap == 0 {
        1
    } else if cap == 0 {
        2
    } else {
        let share = f64::from(cap) / f64::from(lower + cap);
        if share < 0.3 {
            3
        } else if share < 0.7 {
            4
        } else if share < 1.0 {
            5
        } else {
            6
        }
    };
    let labels = &c[3..8];
    let total: u32 = labels.iter().sum();
    let (m, &best) = labels
        .iter()
        .enumerate()
        .max_by_key(|&(i, &v)| (v, std::cmp::Reverse(i)))
        .unwrap_or((0, &0));
    let label = if total == 0 {
        0
    } else {
        1 + 2 * m as u8 + u8::from(f64::from(best) < 0.9 * f64::from(total))
    };
    Profile::new(case, label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_lexicon_knows_nothing() {
        let lex = Lexicon::default();
        assert_eq!(lex.get(12345), Profile::UNKNOWN);
        let raw = lex.raw();
        assert_eq!(Lexicon::from_raw(raw.0.to_vec(), raw.1.to_vec()), Some(lex));
        assert_eq!(Lexicon::from_raw(vec![0; 3], vec![0; 3]), None);
    }

    #[cfg(feature = "train")]
    fn sent(t: &[&str], g: &[&str]) -> (Vec<String>, Vec<Tag>) {
        (
            t.iter().map(|x| x.to_string()).collect(),
            g.iter().filter_map(|x| Tag::parse(x)).collect(),
        )
    }

    #[cfg(feature = "train")]
    #[test]
    fn profiles_and_table() {
        let mut lc = LexCounts::default();
        for _ in 0..3 {
            let (t, g) = sent(&["Then", "Baker", "says", "no"], &["O", "B-PER", "O", "O"]);
            lc.add(&t, &g);
        }
        let lex = lc.lexicon();
        let says = lex.get(word_key("SAYS"));
        let baker = lex.get(word_key("baker"));
        assert_eq!(says.case_class(), 2);
        assert!(says.plain_lower_case_word());
        assert_eq!(baker.case_class(), 6);
        assert!(baker.usually_capitalised());
        assert_eq!(baker.label_class(), 3); // PER, dominant
        assert_eq!(lex.get(word_key("unknownword")), Profile::UNKNOWN);
        let minus = lc.minus(&lc);
        assert_eq!(minus.lexicon().get(word_key("says")), Profile::UNKNOWN);
        let raw = lex.raw();
        assert_eq!(Lexicon::from_raw(raw.0.to_vec(), raw.1.to_vec()), Some(lex));
    }
}
