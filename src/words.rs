//! Words as tantivy's `SimpleTokenizer` finds them (runs of alphanumeric characters), with a
//! fast path for ASCII.
//!
//! The simple tokenizer decodes every character and asks Unicode whether it is alphanumeric.
//! News text is nearly all ASCII, where one table look-up per byte answers the same question:
//! for the ten snippets of a one-word search on Reuters x10, the simple tokenizer took 1.3 M
//! of 8.8 M instructions (callgrind). The tokens, offsets and positions are the same
//! (a property test compares them), so indexes and queries are unaffected by which is used.

use std::ops::Range;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Splits text into runs of alphanumeric characters, as `SimpleTokenizer` does.
#[derive(Clone, Default)]
pub struct WordTokenizer {
    token: Token,
}

/// The words of one text, as tokens.
pub struct WordStream<'a> {
    spans: WordSpans<'a>,
    token: &'a mut Token,
}

/// The byte ranges of the words of a text, for a reader that needs no token.
pub struct WordSpans<'a> {
    text: &'a str,
    /// Where the search for the next word starts; always on a character boundary.
    at: usize,
}

/// The words of `text`, as byte ranges.
pub fn word_spans(text: &str) -> WordSpans<'_> {
    WordSpans { text, at: 0 }
}

/// For each ASCII byte, whether it is a letter or a digit.
const ASCII_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = (byte as u8).is_ascii_alphanumeric();
        byte += 1;
    }
    table
};

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            spans: word_spans(text),
            token: &mut self.token,
        }
    }
}

impl Iterator for WordSpans<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let start = self.skip_while_word(self.at, false);
        if start >= self.text.len() {
            self.at = self.text.len();
            return None;
        }
        let end = self.skip_while_word(start, true);
        self.at = end;
        Some(start..end)
    }
}

impl WordSpans<'_> {
    /// From byte `at`, the first character that is (`word` false) or is not (`word` true) part
    /// of a word; the text's length if there is none.
    #[inline]
    fn skip_while_word(&self, mut at: usize, word: bool) -> usize {
        let bytes = self.text.as_bytes();
        while let Some(&byte) = bytes.get(at) {
            if byte < 0x80 {
                if ASCII_WORD[usize::from(byte)] != word {
                    return at;
                }
                at += 1;
            } else {
                let (is_word, next) = self.decode(at);
                if is_word != word {
                    return at;
                }
                at = next;
            }
        }
        bytes.len()
    }

    /// Whether the (non-ASCII) character at byte `at` is alphanumeric, and where the next one
    /// starts.
    #[cold]
    fn decode(&self, at: usize) -> (bool, usize) {
        match self.text.get(at..).and_then(|rest| rest.chars().next()) {
            Some(c) => (c.is_alphanumeric(), at + c.len_utf8()),
            None => (false, self.text.len()),
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        let Some(span) = self.spans.next() else {
            return false;
        };
        self.token.text.push_str(&self.spans.text[span.clone()]);
        self.token.offset_from = span.start;
        self.token.offset_to = span.end;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use tantivy::tokenizer::SimpleTokenizer;

    use super::*;

    fn tokens<T: Tokenizer>(mut tokenizer: T, text: &str) -> Vec<Token> {
        let mut stream = tokenizer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().clone());
        }
        tokens
    }

    #[test]
    fn words_are_runs_of_letters_and_digits_in_any_script() {
        let found: Vec<(String, usize, usize)> =
            tokens(WordTokenizer::default(), "Zürich's 3.5% rise—東京 ok")
                .into_iter()
                .map(|t| (t.text, t.offset_from, t.offset_to))
                .collect();
        let expected = [
            ("Zürich", 0, 7),
            ("s", 8, 9),
            ("3", 10, 11),
            ("5", 12, 13),
            ("rise", 15, 19),
            ("東京", 22, 28),
            ("ok", 29, 31),
        ];
        let expected: Vec<(String, usize, usize)> = expected
            .iter()
            .map(|&(t, from, to)| (t.to_string(), from, to))
            .collect();
        assert_eq!(found, expected);
    }

    proptest! {
        /// The same tokens, offsets and positions as tantivy's `SimpleTokenizer`, on any text.
        #[test]
        fn the_same_tokens_as_the_simple_tokenizer(text in any::<String>()) {
            prop_assert_eq!(
                tokens(WordTokenizer::default(), &text),
                tokens(SimpleTokenizer::default(), &text)
            );
        }

        #[test]
        fn the_same_tokens_on_news_like_text(text in "[a-zA-Z0-9éü東 ,.'\\-\n]{0,200}") {
            prop_assert_eq!(
                tokens(WordTokenizer::default(), &text),
                tokens(SimpleTokenizer::default(), &text)
            );
        }
    }
}
