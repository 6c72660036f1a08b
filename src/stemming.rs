//! The `en_stem` analyzer with a cache in front of the English stemmer: news text repeats its
//! words, and running the stemmer on every word took a tenth of the indexing time.
//!
//! The analyzer is tantivy's own `en_stem` (simple tokenizer, words over 40 bytes dropped,
//! lower-casing, Snowball English) and produces the same tokens; only repeated words skip the
//! stemmer.

use std::hash::Hasher;

use rustc_hash::FxHasher;
use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

use crate::words::WordTokenizer;

/// Cache slots per analyzer: a direct-mapped table small enough to stay in a core's L2 cache
/// (a hash map of every word seen was no faster than stemming: each look-up missed the caches).
const SLOTS: usize = 8192;
/// Bytes of a word and its stem kept in a slot; longer words are stemmed every time.
const SLOT_BYTES: usize = 46;
/// Words stemmed before the cache is set up: parsing a query or making the snippets of a page
/// stems fewer, and then filling a table would cost more than it saves.
const WORDS_BEFORE_CACHING: u32 = 4096;
/// Words remembered by [`StemCache::stem_few`].
const FEW_WORDS: usize = 16;

/// tantivy's `en_stem` analyzer, with stems cached.
pub fn english_stemming() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(CachedEnglishStemmer)
        .build()
}

/// The stems of single words, for a reader looking for a few stems in a text word by word
/// (snippets): a word that cannot stem to any of them is neither lower-cased nor stemmed. It
/// then matches none of them either, so the matches are those of [`english_stemming`], without
/// a token stream around each word: making the snippets of a page took two thirds of a
/// one-word search's instructions, nearly all of them in the stemmer.
pub struct StemFinder {
    screen: Screen,
    cache: StemCache,
    word: String,
}

impl StemFinder {
    pub fn new<'a>(stems: impl IntoIterator<Item = &'a str>) -> StemFinder {
        StemFinder {
            screen: Screen::new(stems),
            cache: StemCache::default(),
            word: String::new(),
        }
    }

    /// The stem of `word` (a word as the simple tokenizer cuts it), or `None` when it cannot
    /// be one of the stems.
    pub fn stem(&mut self, word: &str) -> Option<&str> {
        if word.is_ascii() {
            // Screened before copying: most words of a text are not wanted.
            if !self.screen.may_stem_to_one_ascii(word.as_bytes()) {
                return None;
            }
            self.word.clear();
            self.word.push_str(word);
            self.word.make_ascii_lowercase();
        } else {
            // Lower-casing may change the first byte and the length: done first.
            self.word = word.to_lowercase();
            if !self.screen.may_stem_to_one(&self.word) {
                return None;
            }
        }
        self.cache.stem_few(&mut self.word);
        Some(&self.word)
    }
}

/// Which words may stem to one of a few stems. The English stemmer keeps a word's first
/// letter and never lengthens it (it removes or rewrites endings, and its exceptions such as
/// "dying" -> "die" and "skies" -> "sky" do the same), so a word can only stem to a stem that
/// starts with its first byte and is no longer than it.
#[derive(Clone, Copy, Debug)]
struct Screen {
    /// For each first byte, the length of the shortest stem starting with it; `u8::MAX` when
    /// none does.
    shortest: [u8; 256],
}

impl Screen {
    fn new<'a>(stems: impl IntoIterator<Item = &'a str>) -> Screen {
        let mut shortest = [u8::MAX; 256];
        for stem in stems {
            if let Some(&first) = stem.as_bytes().first() {
                let len = u8::try_from(stem.len()).unwrap_or(u8::MAX - 1);
                let slot = &mut shortest[usize::from(first)];
                *slot = (*slot).min(len);
            }
        }
        Screen { shortest }
    }

    fn may_stem_to_one_ascii(&self, word: &[u8]) -> bool {
        match word.first() {
            Some(first) => {
                let shortest = self.shortest[usize::from(first.to_ascii_lowercase())];
                shortest != u8::MAX && usize::from(shortest) <= word.len()
            }
            None => false,
        }
    }

    fn may_stem_to_one(&self, word: &str) -> bool {
        match word.as_bytes().first() {
            Some(&first) => {
                let shortest = self.shortest[usize::from(first)];
                shortest != u8::MAX && usize::from(shortest) <= word.len()
            }
            None => false,
        }
    }
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
    /// Words and stems for [`StemCache::stem_few`].
    few: Vec<(String, String)>,
    /// tantivy's stemmer, run on one word at a time.
    stemmer: TextAnalyzer,
}

impl Default for StemCache {
    fn default() -> Self {
        StemCache {
            slots: Vec::new(),
            stemmed: 0,
            few: Vec::new(),
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
            few: Vec::new(),
            stemmer: self.stemmer.clone(),
        }
    }
}

impl StemCache {
    /// Replaces `word` with its stem.
    fn stem(&mut self, word: &mut String) {
        let len = word.len();
        // The English stemmer leaves words of fewer than three letters as they are, and
        // numbers, which no suffix ends: a quarter of news text's words ("of", "to", "1987")
        // need neither the stemmer nor a look-up.
        let short = len <= 2;
        if len > 0 && (short || word.bytes().all(|b| b.is_ascii_digit())) {
            return;
        }
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

    /// Replaces `word` with its stem, where few distinct words are stemmed (those a screen
    /// lets through): the last of them are remembered in a short list.
    fn stem_few(&mut self, word: &mut String) {
        if let Some((_, stem)) = self.few.iter().find(|(seen, _)| seen == word) {
            word.clone_from(stem);
            return;
        }
        let stem = self.run_stemmer(word);
        if self.few.len() == FEW_WORDS {
            self.few.remove(0);
        }
        self.few.push((std::mem::replace(word, stem.clone()), stem));
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

    #[test]
    fn short_words_and_numbers_are_their_own_stems_as_en_stem_makes_them() {
        let letters: Vec<char> = ('a'..='z')
            .chain('0'..='9')
            .chain("éüñßжı".chars())
            .collect();
        let mut text = String::new();
        for &a in &letters {
            text.push(a);
            text.push(' ');
            for &b in &letters {
                text.extend([a, b, ' ']);
            }
        }
        // Three letters are stemmed ("ies" is "ie"), numbers with letters too.
        text.push_str("1987 000 31415926535897932384626433 2024 100000 ies ied 1980s");
        let mut cached = english_stemming();
        let mut plain = tantivy_en_stem();
        assert_eq!(tokens(&mut cached, &text), tokens(&mut plain, &text));
    }

    fn stem(word: &str) -> String {
        let mut analyzer = tantivy_en_stem();
        let stems = tokens(&mut analyzer, word);
        stems.first().map(|t| t.text.clone()).unwrap_or_default()
    }

    #[test]
    fn the_stemmer_keeps_the_first_letter_and_never_lengthens_a_word() {
        // The exceptions of the English stemmer and words whose endings it rewrites.
        for word in [
            "dying",
            "lying",
            "tying",
            "skies",
            "skis",
            "idly",
            "gently",
            "ugly",
            "early",
            "only",
            "singly",
            "news",
            "howe",
            "atlas",
            "cosmos",
            "bias",
            "andes",
            "yelling",
            "cried",
            "ties",
            "hoping",
            "luxuriated",
            "biliti",
            "generously",
            "ys",
            "y",
            "a",
            "é",
        ] {
            let stemmed = stem(word);
            assert_eq!(
                stemmed.as_bytes().first(),
                word.as_bytes().first(),
                "{word} -> {stemmed}"
            );
            assert!(stemmed.len() <= word.len(), "{word} -> {stemmed}");
        }
    }

    /// Each word of `text` (as the analyzer keeps them), with its stem when `StemFinder` gives one.
    fn screened_stems(
        wanted: &[&str],
        text: &str,
    ) -> Vec<(std::ops::Range<usize>, Option<String>)> {
        let mut finder = StemFinder::new(wanted.iter().copied());
        crate::words::word_spans(text)
            .filter(|span| span.len() < 40)
            .map(|span| {
                let stem = finder.stem(&text[span.clone()]).map(str::to_string);
                (span, stem)
            })
            .collect()
    }

    #[test]
    fn screened_stemming_finds_the_same_stems() {
        let text = "Dying skies: the ministers' running meetings ran on; oil, oils, oiled and \
                    Oilseeds. Corning corn, corns and cornering the news of yesterday.";
        let mut plain = tantivy_en_stem();
        let plain_tokens = tokens(&mut plain, text);
        for wanted in [
            vec!["die", "sky"],
            vec!["oil"],
            vec!["corn", "news"],
            vec!["run"],
        ] {
            let screened = screened_stems(&wanted, text);
            assert_eq!(screened.len(), plain_tokens.len());
            for ((span, stem), p) in screened.iter().zip(&plain_tokens) {
                assert_eq!((span.start, span.end), (p.offset_from, p.offset_to));
                let wanted_here = |t: &str| wanted.contains(&t);
                assert_eq!(
                    stem.as_deref().is_some_and(wanted_here),
                    wanted_here(&p.text),
                    "{stem:?} against {}",
                    p.text
                );
            }
            // Words that cannot become a wanted stem are not stemmed.
            let ministers = text.find("ministers").unwrap();
            assert!(screened
                .iter()
                .any(|(span, stem)| span.start == ministers && stem.is_none()));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn the_stemmer_keeps_the_first_byte_and_length_bound(word in "[a-zA-Zé]{1,20}") {
            let lower = word.to_lowercase();
            let stemmed = stem(&word);
            prop_assert_eq!(stemmed.as_bytes().first(), lower.as_bytes().first());
            prop_assert!(stemmed.len() <= lower.len());
        }

        #[test]
        fn screened_stemming_matches_the_wanted_stems_as_en_stem_does(
            text in "[a-zA-Z' .,-]{0,80}",
            extra in proptest::collection::vec("[a-z]{1,8}", 0..3),
        ) {
            let mut plain = tantivy_en_stem();
            let plain_tokens = tokens(&mut plain, &text);
            // Stems of some words of the text, so that there are matches to keep.
            let mut wanted: Vec<String> =
                plain_tokens.iter().step_by(3).map(|t| t.text.clone()).collect();
            wanted.extend(extra);
            let wanted_refs: Vec<&str> = wanted.iter().map(String::as_str).collect();
            let p: Vec<bool> = plain_tokens.iter().map(|t| wanted.contains(&t.text)).collect();
            let s: Vec<bool> = screened_stems(&wanted_refs, &text)
                .iter()
                .map(|(_, stem)| stem.as_ref().is_some_and(|stem| wanted.contains(stem)))
                .collect();
            prop_assert_eq!(p, s);
        }

        #[test]
        fn same_tokens_as_tantivy_en_stem(texts in proptest::collection::vec("[a-zA-Z0-9é' .,-]{0,60}", 1..8)) {
            let mut cached = english_stemming();
            let mut plain = tantivy_en_stem();
            for text in &texts {
                prop_assert_eq!(tokens(&mut cached, text), tokens(&mut plain, text));
            }
        }
    }
}
