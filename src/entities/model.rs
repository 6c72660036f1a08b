//! The trained tagging model: quantised hashed weights plus transition scores, its binary
//! file format (load/save) and sentence decoding.
//!
//! File layout (little endian): magic `DLNER\x03\0\0`, `u32` hash bits, `u32` label count (9),
//! `u32` feature count per token, `f32` quantisation scale, 9 `i32` start scores, 81 `i32`
//! transition scores (`prev * 9 + cur`), then `2^bits * 9` `i8` weights, feature-major
//! (the 9 label weights of a feature are contiguous), then the word lexicon: `u32` slot count
//! `n` (a power of two), `n` `u64` keys and `n` `u8` profiles.

use super::features::{FeatureBuilder, FeatureHasher, WordContext, NUM_FEATURES};
use super::lexicon::{Lexicon, Profile};
use super::tags::NUM_LABELS;
use super::viterbi::viterbi;
use super::word_cache::{CachedWord, WordCache};
use super::words::word_key;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

const MAGIC: &[u8; 8] = b"DLNER\x03\0\0";

/// Start and transition scores are kept `2^WEIGHT_SHIFT` times finer than the `i8` weights;
/// emission sums are shifted up by this much before decoding.
pub(crate) const WEIGHT_SHIFT: u32 = 8;
const HEADER: usize = 8 + 4 * 4 + 4 * NUM_LABELS + 4 * NUM_LABELS * NUM_LABELS;

/// Why a model file could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    BadMagic,
    Truncated,
    Incompatible(String),
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::BadMagic => f.write_str("not a dateline NER model (bad magic)"),
            ModelError::Truncated => f.write_str("model file truncated"),
            ModelError::Incompatible(s) => write!(f, "incompatible model: {s}"),
        }
    }
}

impl std::error::Error for ModelError {}

/// A number no other model built by this process has: what the word caches of the tagging
/// threads are valid for.
pub(crate) fn new_generation() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Quantised model ready for tagging. Its weights are not changed once it is built: the word
/// caches of the threads that tag with it rely on that.
#[derive(Clone)]
pub struct Model {
    pub(crate) generation: u64,
    pub(crate) bits: u32,
    pub(crate) scale: f32,
    pub(crate) start: [i32; NUM_LABELS],
    pub(crate) trans: [i32; NUM_LABELS * NUM_LABELS],
    pub(crate) weights: Vec<i8>,
    pub(crate) lexicon: Lexicon,
}

impl fmt::Debug for Model {
    /// Summary only (the weight table has millions of entries).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("bits", &self.bits)
            .field("scale", &self.scale)
            .field("weight_bytes", &self.weight_bytes())
            .field("lexicon_slots", &self.lexicon.raw().0.len())
            .finish()
    }
}

/// Scratch buffers for decoding, reused across sentences.
#[derive(Default)]
pub struct Scratch {
    pub(crate) fb: FeatureBuilder,
    pub(crate) words: WordCache,
    pub(crate) caps_words: WordCache,
    pub(crate) contexts: Vec<WordContext>,
    #[cfg(test)]
    pub(crate) feats: Vec<u32>,
    pub(crate) scores: Vec<i32>,
    pub(crate) scores2: Vec<i32>,
    pub(crate) back: Vec<u8>,
    pub(crate) path: Vec<u8>,
}

fn read_u32(b: &[u8], at: usize) -> Result<u32, ModelError> {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map(u32::from_le_bytes)
        .ok_or(ModelError::Truncated)
}

impl Model {
    /// A model with all-zero weights (tags everything `O`): what training returns when it
    /// has nothing to learn from.
    #[cfg(any(test, feature = "train"))]
    pub fn empty() -> Model {
        Model {
            generation: new_generation(),
            bits: 1,
            scale: 1.0,
            start: [0; NUM_LABELS],
            trans: [0; NUM_LABELS * NUM_LABELS],
            weights: vec![0; 2 * NUM_LABELS],
            lexicon: Lexicon::default(),
        }
    }

    /// Parses a model file.
    pub fn from_bytes(b: &[u8]) -> Result<Model, ModelError> {
        if b.len() < HEADER {
            return if b.get(..8).is_some_and(|m| m == MAGIC) || b.len() < 8 {
                Err(ModelError::Truncated)
            } else {
                Err(ModelError::BadMagic)
            };
        }
        if &b[..8] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let bits = read_u32(b, 8)?;
        let labels = read_u32(b, 12)? as usize;
        let nfeat = read_u32(b, 16)? as usize;
        let scale = f32::from_bits(read_u32(b, 20)?);
        if labels != NUM_LABELS {
            return Err(ModelError::Incompatible(format!("{labels} labels")));
        }
        if nfeat != NUM_FEATURES {
            return Err(ModelError::Incompatible(format!(
                "{nfeat} features per token, this build uses {NUM_FEATURES}"
            )));
        }
        if !(1..=28).contains(&bits) {
            return Err(ModelError::Incompatible(format!("{bits} hash bits")));
        }
        let mut at = 24;
        let mut start = [0i32; NUM_LABELS];
        for s in start.iter_mut() {
            *s = read_u32(b, at)? as i32;
            at += 4;
        }
        let mut trans = [0i32; NUM_LABELS * NUM_LABELS];
        for t in trans.iter_mut() {
            *t = read_u32(b, at)? as i32;
            at += 4;
        }
        let n = (1usize << bits) * NUM_LABELS;
        let body = b.get(at..at + n).ok_or(ModelError::Truncated)?;
        let weights = body.iter().map(|&x| x as i8).collect();
        at += n;
        let slots = read_u32(b, at)? as usize;
        at += 4;
        if slots > 1 << 26 {
            return Err(ModelError::Incompatible(format!("{slots} lexicon slots")));
        }
        let keys_bytes = b.get(at..at + 8 * slots).ok_or(ModelError::Truncated)?;
        at += 8 * slots;
        let vals = b.get(at..at + slots).ok_or(ModelError::Truncated)?.to_vec();
        at += slots;
        if b.len() != at {
            return Err(ModelError::Incompatible("trailing bytes".into()));
        }
        let keys = keys_bytes
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
            .collect();
        let lexicon = Lexicon::from_raw(keys, vals)
            .ok_or_else(|| ModelError::Incompatible("bad lexicon table".into()))?;
        Ok(Model {
            generation: new_generation(),
            bits,
            scale,
            start,
            trans,
            weights,
            lexicon,
        })
    }

    /// Serialises the model (inverse of [`Model::from_bytes`]).
    #[cfg(any(test, feature = "train"))]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER + self.weights.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&(NUM_LABELS as u32).to_le_bytes());
        out.extend_from_slice(&(NUM_FEATURES as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_bits().to_le_bytes());
        for s in self.start {
            out.extend_from_slice(&s.to_le_bytes());
        }
        for t in self.trans {
            out.extend_from_slice(&t.to_le_bytes());
        }
        out.extend(self.weights.iter().map(|&w| w as u8));
        let (keys, vals) = self.lexicon.raw();
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for k in keys {
            out.extend_from_slice(&k.to_le_bytes());
        }
        out.extend_from_slice(vals);
        out
    }

    /// Emission scores of one sentence into `scratch.scores` (`n * 9`, token-major).
    fn emissions<S: AsRef<str>>(&self, tokens: &[S], caps: bool, scratch: &mut Scratch) {
        let hasher = FeatureHasher::new(self.bits, caps);
        // ALL-CAPS sentences (every Reuters headline) have a cache of their own: their case
        // features are hashed in another namespace.
        let words = if caps {
            &mut scratch.caps_words
        } else {
            &mut scratch.words
        };
        words.serve(self.generation);
        scratch.contexts.clear();
        scratch.scores.clear();
        for token in tokens {
            let word = token.as_ref();
            let cached = words.get(word).unwrap_or_else(|| {
                let (features, context) = scratch.fb.word_features(word, &hasher, &self.lexicon);
                let cached = CachedWord {
                    scores: self.sum_weights(&features),
                    context,
                };
                words.insert(word, &cached);
                cached
            });
            scratch.contexts.push(cached.context);
            scratch.scores.extend_from_slice(&cached.scores);
        }
        for (i, scores) in scratch.scores.chunks_exact_mut(NUM_LABELS).enumerate() {
            let context = self.sum_weights(&hasher.context_features(&scratch.contexts, i));
            for (s, c) in scores.iter_mut().zip(context) {
                *s = (*s + c) << WEIGHT_SHIFT;
            }
        }
    }

    /// [`Model::emissions`] with every feature computed afresh (what the caches must give).
    #[cfg(test)]
    fn emissions_uncached<S: AsRef<str>>(&self, tokens: &[S], caps: bool, scratch: &mut Scratch) {
        let n = tokens.len();
        scratch
            .fb
            .build(tokens, self.bits, caps, &self.lexicon, &mut scratch.feats);
        scratch.scores.clear();
        scratch.scores.resize(n * NUM_LABELS, 0);
        for (features, scores) in scratch
            .feats
            .chunks_exact(NUM_FEATURES)
            .zip(scratch.scores.chunks_exact_mut(NUM_LABELS))
        {
            for (s, a) in scores.iter_mut().zip(self.sum_weights(features)) {
                *s = a << WEIGHT_SHIFT;
            }
        }
    }

    /// Per label, the sum of the weights of `features`.
    fn sum_weights(&self, features: &[u32]) -> [i32; NUM_LABELS] {
        let mask = (1usize << self.bits) - 1;
        let mut acc = [0i32; NUM_LABELS];
        for &f in features {
            let base = (f as usize & mask) * NUM_LABELS;
            // A fixed-size row: the nine adds need no bounds checks and may run as one.
            let row: Option<&[i8; NUM_LABELS]> = self
                .weights
                .get(base..base + NUM_LABELS)
                .and_then(|r| r.try_into().ok());
            if let Some(row) = row {
                for (a, &w) in acc.iter_mut().zip(row) {
                    *a += i32::from(w);
                }
            }
        }
        acc
    }

    /// Tags one sentence; label indices are left in `scratch.path`.
    pub(crate) fn decode<S: AsRef<str>>(&self, tokens: &[S], caps: bool, scratch: &mut Scratch) {
        let n = tokens.len();
        scratch.path.clear();
        if n == 0 {
            return;
        }
        self.emissions(tokens, caps, scratch);
        viterbi(
            &scratch.scores,
            n,
            &self.start,
            &self.trans,
            &mut scratch.back,
            &mut scratch.path,
        );
    }

    /// Tags an ALL-CAPS sentence from two views: the capitals as written (caps mode) and a
    /// true-cased copy (normal mode). Their emission scores are added before decoding.
    pub(crate) fn decode_two_views<S: AsRef<str>, T: AsRef<str>>(
        &self,
        caps_tokens: &[S],
        cased_tokens: &[T],
        scratch: &mut Scratch,
    ) {
        let n = caps_tokens.len();
        scratch.path.clear();
        if n == 0 || cased_tokens.len() != n {
            self.decode(caps_tokens, true, scratch);
            return;
        }
        self.emissions(cased_tokens, false, scratch);
        std::mem::swap(&mut scratch.scores, &mut scratch.scores2);
        self.emissions(caps_tokens, true, scratch);
        for (a, b) in scratch.scores.iter_mut().zip(&scratch.scores2) {
            *a += *b;
        }
        viterbi(
            &scratch.scores,
            n,
            &self.start,
            &self.trans,
            &mut scratch.back,
            &mut scratch.path,
        );
    }

    /// Profile of a word in the training lexicon (see `lexicon.rs`).
    pub(crate) fn lexicon_profile(&self, word: &str) -> Profile {
        self.lexicon.get(word_key(word))
    }

    /// Size of the weight table in bytes.
    pub fn weight_bytes(&self) -> usize {
        self.weights.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_errors() {
        let mut m = Model::empty();
        m.weights[3] = -7;
        m.trans[5] = 11;
        let b = m.to_bytes();
        let m2 = Model::from_bytes(&b).expect("roundtrip");
        assert_eq!(m2.weights, m.weights);
        assert_eq!(m2.trans, m.trans);
        assert_eq!(
            Model::from_bytes(b"nope").unwrap_err(),
            ModelError::Truncated
        );
        assert_eq!(
            Model::from_bytes(&[7u8; 1000]).unwrap_err(),
            ModelError::BadMagic
        );
        assert_eq!(
            Model::from_bytes(&b[..b.len() - 1]).unwrap_err(),
            ModelError::Truncated
        );
    }

    #[test]
    fn empty_model_tags_o() {
        let m = Model::empty();
        let mut s = Scratch::default();
        m.decode(&["Hello", "world"], false, &mut s);
        assert_eq!(s.path, vec![0, 0]);
    }

    #[test]
    fn cached_word_features_score_as_computed_ones() {
        let model = Model::from_bytes(include_bytes!("model.bin")).expect("embedded model");
        let sentences: [&[&str]; 4] = [
            &[
                "Pete",
                "Hegseth",
                "met",
                "NATO",
                "officials",
                "in",
                "Brussels",
                ".",
            ],
            &[
                "The", "U.S.", "Federal", "Reserve", "raised", "rates", "by", "0.25", "pct",
            ],
            &[
                "İstanbul",
                "and",
                "日本",
                "",
                "a-very-long-hyphenated-word-beyond-the-cache",
            ],
            &[
                "Brussels",
                "officials",
                "met",
                "Hegseth",
                "again",
                "in",
                "Brussels",
            ],
        ];
        let mut cached = Scratch::default();
        let mut fresh = Scratch::default();
        // Twice: the first pass fills the cache, the second reads from it.
        for _ in 0..2 {
            for tokens in sentences {
                for caps in [false, true] {
                    model.emissions(tokens, caps, &mut cached);
                    model.emissions_uncached(tokens, caps, &mut fresh);
                    assert_eq!(cached.scores, fresh.scores, "{tokens:?}, caps {caps}");
                    assert_eq!(cached.scores.len(), tokens.len() * NUM_LABELS);
                }
            }
        }
        // The two namespaces do not share cached words.
        let word: &[&str] = &["NATO"];
        model.emissions(word, false, &mut cached);
        let plain = cached.scores.clone();
        model.emissions(word, true, &mut cached);
        assert_ne!(plain, cached.scores);
        // A model with other weights gets its own scores, not the cached ones.
        let mut other = model.clone();
        other.generation = new_generation();
        other
            .weights
            .iter_mut()
            .for_each(|w| *w = w.saturating_add(1));
        other.emissions(sentences[0], false, &mut cached);
        other.emissions_uncached(sentences[0], false, &mut fresh);
        assert_eq!(cached.scores, fresh.scores);
    }
}
