//! Word lexicon derived from the training data only: for each known word (lower-cased,
//! digits normalised) a one-byte profile of how it is usually capitalised in running text and
//! which entity type it usually belongs to. It lets the tagger read ALL-CAPS headlines
//! ("SAYS" is an ordinary word, an unknown word is likely a name) and generalise over names.
//!
//! Profile byte: low 3 bits = case class (0 unknown word, 1 seen only sentence-initially or in
//! capitals, 2 never capitalised, 3 capitalised < 30%, 4 < 70%, 5 < 100%, 6 always);
//! high bits = label class (0 unknown, else 1 + 2 * majority type (O, PER, ORG, LOC, MISC)
//! + 1 if that type has under 90% of the occurrences).

use super::features::word_key;
use super::tags::Tag;

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
    /// Builds a table from (word key, profile) pairs; profile 0 entries are skipped.
    pub fn from_entries(entries: &[(u64, u8)]) -> Lexicon {
        let n = (entries.len() * 2).next_power_of_two().max(2);
        let mut lex = Lexicon {
            keys: vec![0; n],
            vals: vec![0; n],
        };
        let mask = n - 1;
        for &(k, v) in entries {
            if v == 0 {
                continue;
            }
            let k = k.max(1);
            let mut i = slot(k, mask);
            while lex.keys[i] != 0 && lex.keys[i] != k {
                i = (i + 1) & mask;
            }
            lex.keys[i] = k;
            lex.vals[i] = v;
        }
        lex
    }

    /// Profile of a word key (0 when unknown).
    #[inline]
    pub fn get(&self, key: u64) -> u8 {
        let k = key.max(1);
        let mask = self.keys.len() - 1;
        let mut i = slot(k, mask);
        // At most half the slots are used, so an empty slot ends every probe sequence.
        for _ in 0..self.keys.len() {
            let kk = self.keys[i];
            if kk == k {
                return self.vals[i];
            }
            if kk == 0 {
                return 0;
            }
            i = (i + 1) & mask;
        }
        0
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
#[derive(Default, Clone)]
pub struct LexCounts {
    /// key -> [lower-case non-initial, capitalised non-initial, any, O, PER, ORG, LOC, MISC]
    counts: std::collections::HashMap<u64, [u32; 8]>,
}

fn caps_sentence(tokens: &[String]) -> bool {
    super::features::is_caps_sentence(tokens)
}

impl LexCounts {
    /// Adds one tagged sentence.
    pub fn add(&mut self, tokens: &[String], tags: &[Tag]) {
        let caps = caps_sentence(tokens);
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
                Some(super::tags::TagType::Per) => 1,
                Some(super::tags::TagType::Org) => 2,
                Some(super::tags::TagType::Loc) => 3,
                Some(super::tags::TagType::Misc) => 4,
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
        let mut entries: Vec<(u64, u8)> =
            self.counts.iter().map(|(&k, c)| (k, profile(c))).collect();
        entries.sort_unstable();
        Lexicon::from_entries(&entries)
    }
}

fn profile(c: &[u32; 8]) -> u8 {
    if c[2] == 0 {
        return 0;
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
    case | (label << 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(t: &[&str], g: &[&str]) -> (Vec<String>, Vec<Tag>) {
        (
            t.iter().map(|x| x.to_string()).collect(),
            g.iter().filter_map(|x| Tag::parse(x)).collect(),
        )
    }

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
        assert_eq!(says & 7, 2);
        assert_eq!(baker & 7, 6);
        assert_eq!(baker >> 3, 3); // PER, dominant
        assert_eq!(lex.get(word_key("unknownword")), 0);
        let minus = lc.minus(&lc);
        assert_eq!(minus.lexicon().get(word_key("says")), 0);
        let raw = lex.raw();
        assert_eq!(Lexicon::from_raw(raw.0.to_vec(), raw.1.to_vec()), Some(lex));
    }
}
