//! Recently tagged words and what tagging needs of each on its own: the summed weights of its
//! word features and the values its context features use. News text repeats its words, and
//! hashing a word's features and looking up their weights was most of the cost of tagging.

use std::hash::Hasher;

use rustc_hash::FxHasher;

use super::features::WordContext;
use super::tags::NUM_LABELS;

/// A direct-mapped table small enough to stay in a core's L2 cache next to the weights.
const SLOTS: usize = 4096;
/// Longest word kept, in bytes; longer ones are rare and computed every time.
const MAX_WORD_BYTES: usize = 22;

/// A word and what tagging needs of it.
#[derive(Clone, Copy)]
struct Slot {
    len: u8,
    bytes: [u8; MAX_WORD_BYTES],
    scores: [i16; NUM_LABELS],
    context: WordContext,
}

/// What the cache holds for a word.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct CachedWord {
    /// The summed weights of the word's own features, per label.
    pub(crate) scores: [i32; NUM_LABELS],
    pub(crate) context: WordContext,
}

/// Words of one model; emptied when used with another.
#[derive(Default)]
pub(crate) struct WordCache {
    slots: Vec<Slot>,
    model: u64,
}

impl WordCache {
    /// Readies the cache for `model` (a model's generation), emptying it if it held
    /// the words of another.
    pub(crate) fn serve(&mut self, model: u64) {
        if self.model != model || self.slots.is_empty() {
            let empty = Slot {
                len: 0,
                bytes: [0; MAX_WORD_BYTES],
                scores: [0; NUM_LABELS],
                context: WordContext::default(),
            };
            self.slots.clear();
            self.slots.resize(SLOTS, empty);
            self.model = model;
        }
    }

    fn slot_of(word: &str) -> usize {
        let mut hasher = FxHasher::default();
        hasher.write(word.as_bytes());
        hasher.finish() as usize % SLOTS
    }

    /// The cached values of `word`, if it is in the cache.
    pub(crate) fn get(&self, word: &str) -> Option<CachedWord> {
        let slot = self.slots.get(Self::slot_of(word))?;
        let len = word.len();
        if len == 0 || usize::from(slot.len) != len || &slot.bytes[..len] != word.as_bytes() {
            return None;
        }
        Some(CachedWord {
            scores: slot.scores.map(i32::from),
            context: slot.context,
        })
    }

    /// Remembers `word`, replacing the word that shared its slot. Words too long to keep, and
    /// scores out of the range kept, are left out.
    pub(crate) fn insert(&mut self, word: &str, cached: &CachedWord) {
        let len = word.len();
        let Some(scores) = narrow(&cached.scores) else {
            return;
        };
        if len == 0 || len > MAX_WORD_BYTES {
            return;
        }
        let at = Self::slot_of(word);
        if let Some(slot) = self.slots.get_mut(at) {
            slot.len = len as u8;
            slot.bytes[..len].copy_from_slice(word.as_bytes());
            slot.scores = scores;
            slot.context = cached.context;
        }
    }
}

/// The scores as `i16`, if they all fit.
fn narrow(scores: &[i32; NUM_LABELS]) -> Option<[i16; NUM_LABELS]> {
    let mut out = [0i16; NUM_LABELS];
    for (o, &s) in out.iter_mut().zip(scores) {
        *o = i16::try_from(s).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cached(score: i32) -> CachedWord {
        CachedWord {
            scores: [score; NUM_LABELS],
            context: WordContext::default(),
        }
    }

    #[test]
    fn remembers_words_and_tells_them_apart() {
        let mut cache = WordCache::default();
        cache.serve(1);
        assert_eq!(cache.get("Reagan"), None);
        cache.insert("Reagan", &cached(7));
        assert_eq!(cache.get("Reagan"), Some(cached(7)));
        assert_eq!(cache.get("reagan"), None);
        assert_eq!(cache.get("Reaga"), None);
        assert_eq!(cache.get(""), None);
    }

    #[test]
    fn leaves_out_what_it_cannot_keep() {
        let mut cache = WordCache::default();
        cache.serve(1);
        let long = "a".repeat(MAX_WORD_BYTES + 1);
        cache.insert(&long, &cached(1));
        assert_eq!(cache.get(&long), None);
        cache.insert("big", &cached(i32::from(i16::MAX) + 1));
        assert_eq!(cache.get("big"), None);
        cache.insert("", &cached(1));
        assert_eq!(cache.get(""), None);
    }

    #[test]
    fn another_model_empties_it() {
        let mut cache = WordCache::default();
        cache.serve(1);
        cache.insert("oil", &cached(3));
        cache.serve(1);
        assert_eq!(cache.get("oil"), Some(cached(3)));
        cache.serve(2);
        assert_eq!(cache.get("oil"), None);
    }
}
