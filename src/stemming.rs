//! The `en_stem` analyzer with a cache in front of the English stemmer: news text repeats its
//! words, and running the stemmer on every word took a tenth of the indexing time.
//!
//! The analyzer is tantivy's own `en_stem` (simple tokenizer, words over 40 bytes dropped,
//! lower-casing, Snowball English) and produces the same tokens; only repeated words skip the
//! stemmer.

use std::hash::Hasher;

use rustc_hash::FxHasher;
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};

/// Cache slots per analyzer: a direct-mapped table small enough to stay in a core's L2 cache
/// (a hash map of every word seen was no faster than stemming: each look-up missed the caches).
const SLOTS: usize = 8192;
/// Bytes of a word and its stem kept in a slot; longer words are stemmed every time.
const SLOT_BYTES: usize = 46;
/// Words stemmed before the cache is set up: parsing a query or making the snippets of a page
/// stems fewer, and then filling a table would cost more than it saves.
const WORDS_BEFORE_CACHING: u32 = 4096;

/// tantivy's `en_stem` analyzer, with stems cached.
pub fn english_stemming() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(CachedEnglishStemmer)
        .build()
}

/// A token filter stemming lower-cased English words, remembering recent ones.
#[derive(Clone, Copy, Debug, Default)]
pub struct CachedEnglishStemmer;

impl TokenFilter for CachedEnglishStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner,
            cache: StemCache::default(),
        }
    }
}

#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    cache: StemCache,
}

/// A word and its stem, side by side.
#[derive(Clone, Copy)]
struct Slot {
    word_len: u8,
    stem_len: u8,
    bytes: [u8; SLOT_BYTES],
}

const EMPTY_SLOT: Slot = Slot {
    word_len: 0,
    stem_len: 0,
    bytes: [0; SLOT_BYTES],
};

/// Recently stemmed words, and the stemmer for the others.
struct StemCache {
    /// Empty until `WORDS_BEFORE_CACHING` words have been stemmed.
    slots: Vec<Slot>,
    stemmed: u32,
    /// tantivy's stemmer, run on one word at a time.
    stemmer: TextAnalyzer,
}

impl Default for StemCache {
    fn default() -> Self {
        StemCache {
            slots: Vec::new(),
            stemmed: 0,
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }
}

impl Clone for StemCache {
    /// A clone starts with an empty cache: copying one would cost more than refilling it.
    fn clone(&self) -> Self {
        StemCache {
            slots: Vec::new(),
            stemmed: 0,
            stemmer: self.stemmer.clone(),
        }
    }
}

impl StemCache {
    /// Replaces `word` with its stem.
    fn stem(&mut self, word: &mut String) {
        let len = word.len();
        if len == 0 || len > SLOT_BYTES / 2 {
            *word = self.run_stemmer(word);
            return;
        }
        if self.slots.is_empty() {
            if self.stemmed < WORDS_BEFORE_CACHING {
                self.stemmed += 1;
                *word = self.run_stemmer(word);
                return;
            }
            self.slots = vec![EMPTY_SLOT; SLOTS];
        }
        let mut hasher = FxHasher::default();
        hasher.write(word.as_bytes());
        let slot = &mut self.slots[hasher.finish() as usize % SLOTS];
        if usize::from(slot.word_len) == len && &slot.bytes[..len] == word.as_bytes() {
            let stem = &slot.bytes[len..len + usize::from(slot.stem_len)];
            if let Ok(stem) = std::str::from_utf8(stem) {
                word.clear();
                word.push_str(stem);
                return;
            }
        }
        let stem = self.run_stemmer(word);
        if len + stem.len() <= SLOT_BYTES {
            let slot = &mut self.slots[hasher.finish() as usize % SLOTS];
            slot.bytes[..len].copy_from_slice(word.as_bytes());
            slot.bytes[len..len + stem.len()].copy_from_slice(stem.as_bytes());
            slot.word_len = len as u8;
            slot.stem_len = stem.len() as u8;
        }
        *word = stem;
    }

    fn run_stemmer(&mut self, word: &str) -> String {
        let mut stream = self.stemmer.token_stream(word);
        if stream.advance() {
            stream.token().text.clone()
        } else {
            word.to_string()
        }
    }
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            cache: &mut self.cache,
        }
    }
}

pub struct CachedStemmerStream<'a, T> {
    tail: T,
    cache: &'a mut StemCache,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.cache.stem(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }

    fn tantivy_en_stem() -> TextAnalyzer {
        tantivy::tokenizer::TokenizerManager::default()
            .get("en_stem")
            .expect("tantivy registers en_stem")
    }

    #[test]
    fn same_tokens_as_tantivy_en_stem_on_repeated_words() {
        let text = "Ministers said the ministers' meetings were running; running meetings \
                    RUNNING again. Élections, elections and an extraordinarily-long-word-\
                    thatgoesonandonandonandonandon";
        let mut cached = english_stemming();
        let mut plain = tantivy_en_stem();
        for _ in 0..3 {
            assert_eq!(tokens(&mut cached, text), tokens(&mut plain, text));
        }
        assert_eq!(
            tokens(&mut cached, "running meetings")
                .iter()
                .map(|t| t.text.as_str())
                .collect::<Vec<_>>(),
            ["run", "meet"]
        );
    }

    #[test]
    fn same_tokens_as_tantivy_en_stem_when_slots_are_reused() {
        // Many more distinct words than slots, twice over: collisions overwrite slots.
        let text: String = (0..3 * SLOTS)
            .map(|i| format!("word{i}ing runs{}ed ", i % 97))
            .collect();
        let mut cached = english_stemming();
        let mut plain = tantivy_en_stem();
        for _ in 0..2 {
            assert_eq!(tokens(&mut cached, &text), tokens(&mut plain, &text));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn same_tokens_as_tantivy_en_stem(texts in proptest::collection::vec("[a-zA-Zé' .,-]{0,60}", 1..8)) {
            let mut cached = english_stemming();
            let mut plain = tantivy_en_stem();
            for text in &texts {
                prop_assert_eq!(tokens(&mut cached, text), tokens(&mut plain, text));
            }
        }
    }
}
