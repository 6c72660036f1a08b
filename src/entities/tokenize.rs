//! News-text tokeniser: splits raw text into CoNLL-style tokens (with byte offsets) and sentences.
//!
//! Conventions follow the CoNLL-2003 data the model is trained on: punctuation is split off,
//! dotted abbreviations stay whole (`U.S.`, `E.C.`, `Corp.`), hyphenated words stay whole
//! (`Bosnia-Herzegovina`), the possessive `'s` is its own token, numbers keep their separators
//! (`1,750.5`, `1986/87`) and tickers such as `<WER>` become `<`, `WER`, `>`.

/// A token as a byte range of the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
}

/// Longest token kept whole; longer runs are cut (keeps feature work bounded on junk input).
pub const MAX_TOKEN_BYTES: usize = 64;
/// Longest sentence handed to the tagger; longer runs are cut into pieces.
pub const MAX_SENTENCE_TOKENS: usize = 200;

/// Words that keep their trailing period as part of the token.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "corp", "inc", "ltd", "co", "jr", "sr", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "gen", "gov", "sen", "rep",
    "prof", "mt", "ft", "vs", "no", "bros", "cos", "messrs", "pres", "lt", "col", "capt", "sgt",
    "adm", "maj", "rev", "hon", "plc", "cie", "mln", "bln", "pct", "dlrs",
];

/// Words that web pages put under pictures, and that lose the space before them when a
/// caption is turned into text ("Phil CollinsImage: ...", "Edward Snowden.Image: ...").
pub(crate) const CAPTION_WORDS: &[&str] = &[
    "Image", "Images", "Photo", "Photos", "Picture", "Credit", "Caption", "Video", "File", "Source",
];

/// True when a caption word followed by a colon starts at byte `i` of `text`.
fn caption_word_at(text: &str, i: usize) -> bool {
    let rest = text.get(i..).unwrap_or("");
    CAPTION_WORDS.iter().any(|c| {
        rest.strip_prefix(c)
            .is_some_and(|after| after.starts_with(':'))
    })
}

fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|s| s.chars().next())
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_abbreviation(word: &str) -> bool {
    word.len() <= 7 && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// End (exclusive) of the word starting at `start` (which must be a word character).
fn scan_word(text: &str, start: usize) -> usize {
    let limit = start.saturating_add(MAX_TOKEN_BYTES);
    let mut j = start;
    // Start of the current alphanumeric segment (after the last internal separator).
    let mut seg_start = start;
    let mut dotted = false;
    loop {
        // Alphanumeric run (ASCII bytes directly, other characters decoded).
        loop {
            match text.as_bytes().get(j) {
                Some(&b) if b.is_ascii() => {
                    if !b.is_ascii_alphanumeric() || j + 1 > limit {
                        break;
                    }
                    j += 1;
                }
                Some(_) => {
                    let Some(c) = char_at(text, j) else { break };
                    if !is_word_char(c) || j + c.len_utf8() > limit {
                        break;
                    }
                    j += c.len_utf8();
                }
                None => break,
            }
        }
        if j >= limit {
            return j;
        }
        // Most words end at a space or a punctuation mark that never continues a word: done,
        // without looking at the characters around it.
        if text.as_bytes().get(j).is_some_and(|&b| {
            b.is_ascii() && !matches!(b, b'.' | b',' | b'/' | b':' | b'-' | b'&' | b'\'')
        }) {
            return j;
        }
        let Some(c) = char_at(text, j) else {
            return j;
        };
        let next = char_at(text, j + c.len_utf8());
        let prev = text[..j].chars().next_back();
        let seg = &text[seg_start..j];
        // One character in the segment (without counting them all).
        let one_char = {
            let mut cs = seg.chars();
            cs.next().is_some() && cs.next().is_none()
        };
        match c {
            '.' => {
                let digits_around = prev.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit());
                if digits_around {
                    j += 1;
                    seg_start = j;
                    continue;
                }
                let single_letter = one_char && prev.is_some_and(|p| p.is_alphabetic());
                if single_letter && next.is_some_and(|n| n.is_alphabetic()) {
                    // Dotted abbreviation such as U.S. or U.S.S.R.: take the dot and go on.
                    let after = j + 1 + next.map_or(0, char::len_utf8);
                    let then = char_at(text, after);
                    if then == Some('.') {
                        j += 1;
                        seg_start = j;
                        dotted = true;
                        continue;
                    }
                }
                if dotted
                    || (single_letter && prev.is_some_and(char::is_uppercase))
                    || (seg_start == start && is_abbreviation(seg))
                {
                    return j + 1;
                }
                // A dot between letters with no space ("DBKG.F", "reuters.com") is internal,
                // but for a caption's first word glued to the sentence before it ("Edward
                // Snowden.Image: ...").
                if next.is_some_and(|n| n.is_alphanumeric())
                    && prev.is_some_and(char::is_alphanumeric)
                    && !caption_word_at(text, j + 1)
                {
                    j += 1;
                    seg_start = j;
                    continue;
                }
                return j;
            }
            ',' | '/' | ':' => {
                if prev.is_some_and(|p| p.is_ascii_digit())
                    && next.is_some_and(|n| n.is_ascii_digit())
                {
                    j += 1;
                    seg_start = j;
                    continue;
                }
                return j;
            }
            '-' => {
                if next.is_some_and(is_word_char) {
                    j += 1;
                    seg_start = j;
                    continue;
                }
                return j;
            }
            '&' => {
                if prev.is_some_and(char::is_uppercase) && next.is_some_and(char::is_uppercase) {
                    j += 1;
                    seg_start = j;
                    continue;
                }
                return j;
            }
            '\'' | '\u{2019}' => {
                let Some(n) = next else { return j };
                if !is_word_char(n) {
                    return j;
                }
                let after = j + c.len_utf8() + n.len_utf8();
                let after_c = char_at(text, after);
                let ends = after_c.is_none_or(|a| !is_word_char(a));
                if (n == 's' || n == 'S') && ends {
                    return j; // possessive: 's is its own token
                }
                if (n == 't' || n == 'T') && ends && prev.is_some_and(|p| p == 'n' || p == 'N') {
                    // don't -> do n't (CoNLL convention)
                    if j - 1 == start {
                        return after;
                    }
                    return j - 1;
                }
                j += c.len_utf8();
                seg_start = j;
                continue;
            }
            _ => return j,
        }
    }
}

/// Tokenises `text` into `tokens` and sentence ranges (token index ranges) into `sentences`.
/// Both vectors are cleared first; callers reuse them between calls to avoid allocation.
pub fn tokenize(text: &str, tokens: &mut Vec<Token>, sentences: &mut Vec<(usize, usize)>) {
    tokens.clear();
    sentences.clear();
    let mut sent_start = 0usize;
    let mut newlines = 0u32;
    let mut i = 0usize;
    let bytes = text.as_bytes();
    let close = |tokens: &Vec<Token>, sentences: &mut Vec<(usize, usize)>, s: &mut usize| {
        if tokens.len() > *s {
            sentences.push((*s, tokens.len()));
        }
        *s = tokens.len();
    };
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII fast paths.
        if b == b'\n' {
            newlines += 1;
            if newlines >= 2 {
                close(tokens, sentences, &mut sent_start);
            }
            i += 1;
            continue;
        }
        if b == b' ' {
            i += 1;
            continue;
        }
        let Some(c) = char_at(text, i) else {
            i += 1;
            continue;
        };
        if c.is_whitespace() || c.is_control() {
            i += c.len_utf8();
            continue;
        }
        newlines = 0;
        if tokens.len() - sent_start >= MAX_SENTENCE_TOKENS {
            close(tokens, sentences, &mut sent_start);
        }
        if is_word_char(c) {
            let j = scan_word(text, i).max(i + c.len_utf8());
            tokens.push(Token { start: i, end: j });
            i = j;
            continue;
        }
        // Possessive 's / ' attached to the previous word.
        if c == '\'' || c == '\u{2019}' {
            let attached = tokens.last().is_some_and(|t| t.end == i);
            let n = char_at(text, i + c.len_utf8());
            if attached && (n == Some('s') || n == Some('S')) {
                let end = i + c.len_utf8() + 1;
                if char_at(text, end).is_none_or(|a| !is_word_char(a)) {
                    tokens.push(Token { start: i, end });
                    i = end;
                    continue;
                }
            }
        }
        // Runs of the same punctuation character ("...", "--") form one token.
        let mut j = i + c.len_utf8();
        if !c.is_alphanumeric() && matches!(c, '.' | '-' | '=' | '*' | '!' | '?') {
            while char_at(text, j) == Some(c) && j - i < MAX_TOKEN_BYTES {
                j += c.len_utf8();
            }
        }
        tokens.push(Token { start: i, end: j });
        i = j;
        if matches!(c, '.' | '!' | '?') {
            close(tokens, sentences, &mut sent_start);
        }
    }
    close(tokens, sentences, &mut sent_start);
}

/// The possessive tokens `tokenize` splits off a word: `'s` and a lone `'`.
pub(crate) fn is_possessive(w: &str) -> bool {
    matches!(
        w,
        "'" | "'s" | "'S" | "\u{2019}" | "\u{2019}s" | "\u{2019}S"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        let mut t = Vec::new();
        let mut s = Vec::new();
        tokenize(text, &mut t, &mut s);
        t.iter().map(|t| &text[t.start..t.end]).collect()
    }

    fn sents(text: &str) -> usize {
        let mut t = Vec::new();
        let mut s = Vec::new();
        tokenize(text, &mut t, &mut s);
        s.len()
    }

    #[test]
    fn dotted_abbreviations() {
        assert_eq!(
            toks("the U.S. and U.K. said"),
            ["the", "U.S.", "and", "U.K.", "said"]
        );
        assert_eq!(toks("E.C. ministers"), ["E.C.", "ministers"]);
        assert_eq!(
            toks("the U.S.S.R. Inc. Corp. J. Smith"),
            ["the", "U.S.S.R.", "Inc.", "Corp.", "J.", "Smith"]
        );
        assert_eq!(
            toks("It rose 5.93 pct to 1,750."),
            ["It", "rose", "5.93", "pct", "to", "1,750", "."]
        );
        assert_eq!(toks("went home."), ["went", "home", "."]);
    }

    #[test]
    fn a_caption_glued_after_a_dot_is_split_off() {
        assert_eq!(
            toks("Whistleblower Edward Snowden.Image: Wiki"),
            [
                "Whistleblower",
                "Edward",
                "Snowden",
                ".",
                "Image",
                ":",
                "Wiki"
            ]
        );
        // Other dots between letters stay inside the word.
        assert_eq!(toks("see reuters.com now"), ["see", "reuters.com", "now"]);
        assert_eq!(toks("Snowden.Images"), ["Snowden.Images"]);
    }

    #[test]
    fn possessives_and_apostrophes() {
        assert_eq!(toks("Hegseth's plan"), ["Hegseth", "'s", "plan"]);
        assert_eq!(toks("Russia\u{2019}s war"), ["Russia", "\u{2019}s", "war"]);
        assert_eq!(toks("O'Neill said"), ["O'Neill", "said"]);
        assert_eq!(toks("don't"), ["do", "n't"]);
        assert_eq!(toks("the banks' shares"), ["the", "banks", "'", "shares"]);
    }

    #[test]
    fn tickers_and_hyphens() {
        assert_eq!(
            toks("Standard Oil <SRD> to"),
            ["Standard", "Oil", "<", "SRD", ">", "to"]
        );
        assert_eq!(
            toks("Bosnia-Herzegovina and Smith-Jones"),
            ["Bosnia-Herzegovina", "and", "Smith-Jones"]
        );
        assert_eq!(toks("a -- b"), ["a", "--", "b"]);
        assert_eq!(toks("AT&T and S&P"), ["AT&T", "and", "S&P"]);
        assert_eq!(toks("the 1986/87 crop"), ["the", "1986/87", "crop"]);
    }

    #[test]
    fn sentences() {
        assert_eq!(sents("One here. Two there! Three?"), 3);
        assert_eq!(sents("Para one\n\nPara two"), 2);
        assert_eq!(sents("The U.S. Treasury said"), 1);
        assert_eq!(sents(""), 0);
        assert_eq!(sents("   \n\n  "), 0);
    }

    #[test]
    fn junk_is_bounded() {
        let long = "a".repeat(1000);
        let t = toks(&long);
        assert!(t.iter().all(|t| t.len() <= MAX_TOKEN_BYTES));
        assert_eq!(t.concat(), long);
        let dots = "a.".repeat(500);
        assert!(!toks(&dots).is_empty());
        let mut tk = Vec::new();
        let mut s = Vec::new();
        tokenize(&"x ".repeat(1000), &mut tk, &mut s);
        assert!(s.iter().all(|(a, b)| b - a <= MAX_SENTENCE_TOKENS));
    }
}
