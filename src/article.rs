//! `Article` and the pure parsers of the two input formats: dated text files and JSON Lines.

use chrono::NaiveDate;
use serde_json::Value;

use crate::dates::{indexable_days, parse_day};

/// One dated article, as read from its source and before it is indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// The id the source gave (JSON Lines `id`); files get theirs from their path at ingest.
    pub given_id: Option<String>,
    pub date: NaiveDate,
    pub title: String,
    pub body: String,
    pub url: Option<String>,
    pub source: Option<String>,
}

/// Why an input was not turned into an article: a sentence for the user, no file name
/// (the caller knows where the input came from and adds it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn reject<T>(reason: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError(reason.into()))
}

/// The longest a headline may be; a longer first paragraph is body text.
const HEADLINE_MAX_CHARS: usize = 160;
/// Where a title taken from the first sentence is cut (at a word boundary).
const SENTENCE_TITLE_MAX_CHARS: usize = 150;

impl Article {
    /// 128-bit digest of date, title and body: equal digests mean the same article.
    pub fn content_hash(&self) -> u128 {
        let mut buffer = String::with_capacity(self.title.len() + self.body.len() + 16);
        buffer.push_str(&self.date.format("%Y-%m-%d").to_string());
        buffer.push('\n');
        buffer.push_str(&self.title);
        buffer.push_str("\n\n");
        buffer.push_str(&self.body);
        xxhash_rust::xxh3::xxh3_128(buffer.as_bytes())
    }
}

/// Decodes raw file bytes as text: strips a UTF-8 BOM, refuses binary data and invalid UTF-8,
/// and turns CRLF (or lone CR) line ends into LF.
pub fn decode_text(bytes: &[u8]) -> Result<String, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return reject(format!(
            "binary data (a NUL byte at offset {at}), not a text article"
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            return reject(format!(
                "not valid UTF-8 (first bad byte at offset {})",
                err.valid_up_to()
            ))
        }
    };
    if text.contains('\r') {
        Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Ok(text.to_string())
    }
}

/// Checks that an article's day can be stored in the index.
fn check_indexable(day: NaiveDate, written: &str) -> Result<NaiveDate, ParseError> {
    let (first, last) = indexable_days();
    if day < first || day > last {
        return reject(format!(
            "date {written} is outside the supported range {first} to {last}"
        ));
    }
    Ok(day)
}

/// Parses a dated text article: optional leading whitespace, the word `date`, whitespace,
/// `YYYY-MM-DD`, whitespace, then the text (on the same line or the next).
pub fn parse_dated_text(text: &str) -> Result<Article, ParseError> {
    let rest = text.trim_start_matches('\u{FEFF}').trim_start();
    let keyword = rest
        .get(..4)
        .filter(|word| word.eq_ignore_ascii_case("date"));
    let after_keyword = match keyword {
        Some(_) if rest[4..].starts_with(|c: char| c.is_whitespace()) => rest[4..].trim_start(),
        _ => {
            if rest.is_empty() {
                return reject(
                    "empty file: expected `date YYYY-MM-DD` followed by the article text",
                );
            }
            return reject("missing date header: the text must start with `date YYYY-MM-DD`");
        }
    };
    let token_end = after_keyword
        .find(char::is_whitespace)
        .unwrap_or(after_keyword.len());
    let token = &after_keyword[..token_end];
    if token.is_empty() {
        return reject("missing date after `date`: expected `date YYYY-MM-DD`");
    }
    let day = parse_day(token)
        .map_err(|reason| ParseError(format!("bad date {token:?} in the header: {reason}")))?;
    let day = check_indexable(day, token)?;
    let (title, body) = split_title(&after_keyword[token_end..])
        .ok_or_else(|| ParseError(format!("no article text after the date {token}")))?;
    Ok(Article {
        given_id: None,
        date: day,
        title,
        body,
        url: None,
        source: None,
    })
}

/// Parses one line of a JSON Lines file. Blank lines give `Ok(None)`.
pub fn parse_json_line(line: &str) -> Result<Option<Article>, ParseError> {
    let line = line.trim_start_matches('\u{FEFF}').trim();
    if line.is_empty() {
        return Ok(None);
    }
    let value: Value = match serde_json::from_str(line) {
        Ok(value) => value,
        Err(err) => return reject(format!("not valid JSON: {err}")),
    };
    let Value::Object(fields) = value else {
        return reject("expected a JSON object with \"date\" and \"body\" (or \"text\")");
    };
    let optional_string = |name: &str| -> Result<Option<String>, ParseError> {
        match fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text.trim().to_string())),
            Some(_) => reject(format!("field \"{name}\" must be a string")),
        }
    };
    let date_text = match fields.get("date") {
        Some(Value::String(text)) => text.trim().to_string(),
        Some(Value::Null) | None => return reject("missing field \"date\""),
        Some(_) => return reject("field \"date\" must be a string (YYYY-MM-DD or RFC 3339)"),
    };
    let day = parse_json_date(&date_text)?;
    let body = match optional_string("body")? {
        Some(body) => Some(body),
        None => optional_string("text")?,
    };
    let Some(body) = body else {
        return reject("missing field \"body\" (or \"text\")");
    };
    let title = optional_string("title")?.filter(|title| !title.is_empty());
    let given_id = match fields.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) if !id.trim().is_empty() => Some(id.trim().to_string()),
        Some(Value::Number(number)) => Some(number.to_string()),
        Some(_) => return reject("field \"id\" must be a non-empty string or a number"),
    };
    let url = optional_string("url")?;
    let source = optional_string("source")?;
    let (title, body) = match title {
        Some(title) => (strip_final_period(&collapse_whitespace(&title)), body),
        None => split_title(&body).ok_or_else(|| ParseError("empty \"body\"".to_string()))?,
    };
    if title.is_empty() && body.is_empty() {
        return reject("empty \"body\"");
    }
    Ok(Some(Article {
        given_id,
        date: day,
        title,
        body,
        url,
        source,
    }))
}

/// A JSON date: `YYYY-MM-DD`, or RFC 3339 whose calendar day is taken as written
/// (the day in the article's own time zone, not converted to UTC).
fn parse_json_date(text: &str) -> Result<NaiveDate, ParseError> {
    let day = if text.len() == 10 {
        parse_day(text).map_err(|reason| ParseError(format!("bad \"date\" {text:?}: {reason}")))?
    } else {
        chrono::DateTime::parse_from_rfc3339(text)
            .map_err(|err| {
                ParseError(format!(
                    "bad \"date\" {text:?}: expected YYYY-MM-DD or RFC 3339 ({err})"
                ))
            })?
            .date_naive()
    };
    check_indexable(day, text)
}

/// Splits article text into its title and body.
///
/// A short first paragraph (or a first line followed by a blank line) is the headline and
/// the rest the body; otherwise the title is the first sentence, cut at a word boundary,
/// and the body is the whole text. `None` when there is no text at all.
pub fn split_title(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let (first_paragraph, rest) = match find_paragraph_break(text) {
        Some((end, next)) => (&text[..end], text[next..].trim()),
        None => (text, ""),
    };
    let headline = collapse_whitespace(first_paragraph);
    if headline.chars().count() <= HEADLINE_MAX_CHARS {
        return Some((strip_final_period(&headline), tidy_body(rest)));
    }
    Some((sentence_title(&headline), tidy_body(text)))
}

/// The byte range of the first blank line: (end of first paragraph, start of the next).
fn find_paragraph_break(text: &str) -> Option<(usize, usize)> {
    let mut search_from = 0;
    while let Some(offset) = text[search_from..].find('\n') {
        let newline = search_from + offset;
        let after = &text[newline + 1..];
        let blank_len = after.len() - after.trim_start_matches([' ', '\t']).len();
        if after[blank_len..].starts_with('\n') {
            return Some((newline, newline + 1 + blank_len + 1));
        }
        search_from = newline + 1;
    }
    None
}

/// Body text with line ends kept, paragraphs separated by one blank line, outer whitespace gone.
fn tidy_body(text: &str) -> String {
    let mut body = String::with_capacity(text.len());
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        if !body.is_empty() {
            body.push_str("\n\n");
        }
        body.push_str(paragraph);
    }
    body
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_final_period(text: &str) -> String {
    match text.strip_suffix('.') {
        // Keep the dot of an abbreviation ending the headline ("... in the U.S.").
        Some(stripped) if !ends_with_abbreviation(stripped) => stripped.to_string(),
        _ => text.to_string(),
    }
}

/// Words after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "gov", "sen", "rep", "lt", "col", "capt",
    "sgt", "prof", "inc", "co", "corp", "ltd", "no", "vs", "jan", "feb", "mar", "apr", "aug",
    "sept", "sep", "oct", "nov", "dec", "mt", "ft", "pres", "vol", "dept", "univ", "approx",
];

fn ends_with_abbreviation(text: &str) -> bool {
    let word = text
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or("");
    let letters = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    letters.contains('.')
        || (letters.chars().count() == 1 && letters.chars().all(char::is_uppercase))
        || ABBREVIATIONS.contains(&letters.to_ascii_lowercase().as_str())
}

/// The first sentence of a paragraph, cut at a word boundary with an ellipsis when long.
fn sentence_title(paragraph: &str) -> String {
    let mut end = paragraph.len();
    for (at, c) in paragraph.char_indices() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let after = &paragraph[at + c.len_utf8()..];
        let next = after.trim_start_matches(['"', '\'', '”', '’', ')']);
        let closes = &after[..after.len() - next.len()];
        if next.starts_with(' ')
            && next[1..].starts_with(|c: char| {
                c.is_uppercase() || c.is_ascii_digit() || "\"“'‘".contains(c)
            })
            && (c != '.' || !ends_with_abbreviation(&paragraph[..at]))
        {
            end = at + c.len_utf8() + closes.len();
            break;
        }
    }
    let sentence = paragraph[..end].trim();
    if sentence.chars().count() <= SENTENCE_TITLE_MAX_CHARS {
        return strip_final_period(sentence);
    }
    let cut = sentence
        .char_indices()
        .nth(SENTENCE_TITLE_MAX_CHARS)
        .map_or(sentence.len(), |(at, _)| at);
    let boundary = sentence[..cut].rfind(' ').unwrap_or(cut);
    let head = sentence[..boundary].trim_end_matches([',', ';', ':', ' ', '—', '-']);
    format!("{head}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn reason(result: Result<Article, ParseError>) -> String {
        result.expect_err("expected a rejection").0
    }

    #[test]
    fn dated_text_with_headline_paragraph() {
        let article = parse_dated_text(
            " date 1987-02-26 BAHIA COCOA REVIEW.\n\nShowers continued.\n\nMore text.\n\n",
        )
        .unwrap();
        assert_eq!(article.date, day("1987-02-26"));
        assert_eq!(article.title, "BAHIA COCOA REVIEW");
        assert_eq!(article.body, "Showers continued.\n\nMore text.");
    }

    #[test]
    fn dated_text_date_on_its_own_line_and_extra_spaces() {
        let article =
            parse_dated_text("\n\n  date   2025-04-03  \nHeadline here\n\nBody.").unwrap();
        assert_eq!(article.date, day("2025-04-03"));
        assert_eq!(article.title, "Headline here");
        assert_eq!(article.body, "Body.");
    }

    #[test]
    fn dated_text_keyword_is_case_insensitive() {
        assert!(parse_dated_text("Date 2025-04-03 Text.").is_ok());
        assert!(parse_dated_text("DATE 2025-04-03 Text.").is_ok());
    }

    #[test]
    fn long_first_paragraph_gives_first_sentence_title_and_whole_body() {
        let first = "US Defense Secretary Pete Hegseth will not attend the meeting in Brussels, \
                     Defense News reports. It is the first time the group meets without the US \
                     defense secretary, sources in European and US agencies said on Thursday.";
        let text = format!(" date 2025-04-03 {first}\n\nSecond paragraph.");
        let article = parse_dated_text(&text).unwrap();
        assert_eq!(
            article.title,
            "US Defense Secretary Pete Hegseth will not attend the meeting in Brussels, Defense News reports"
        );
        assert!(article.body.starts_with("US Defense Secretary"));
        assert!(article.body.ends_with("Second paragraph."));
    }

    #[test]
    fn sentence_title_is_cut_at_a_word_boundary() {
        let long = "word ".repeat(60);
        let (title, _) = split_title(&format!("{long}end of a very long sentence")).unwrap();
        assert!(title.ends_with('…'));
        assert!(title.chars().count() <= SENTENCE_TITLE_MAX_CHARS + 1);
        assert!(title.trim_end_matches('…').ends_with("word"));
    }

    #[test]
    fn sentence_title_does_not_stop_at_abbreviations() {
        let paragraph = format!(
            "The U.S. and Mr. Smith met Gen. Jones in Washington on Monday. {}",
            "Then more text followed for a long while. ".repeat(5)
        );
        let (title, _) = split_title(&paragraph).unwrap();
        assert_eq!(
            title,
            "The U.S. and Mr. Smith met Gen. Jones in Washington on Monday"
        );
    }

    #[test]
    fn headline_ending_in_abbreviation_keeps_its_dot() {
        let (title, body) = split_title("TALKS WITH THE U.S.\n\nBody.").unwrap();
        assert_eq!(title, "TALKS WITH THE U.S.");
        assert_eq!(body, "Body.");
    }

    #[test]
    fn headline_only_article_has_empty_body() {
        let article =
            parse_dated_text(" date 1987-03-02 U.S. FEB CAR SALES UP 5.5 PCT.\n\n").unwrap();
        assert_eq!(article.title, "U.S. FEB CAR SALES UP 5.5 PCT");
        assert_eq!(article.body, "");
    }

    #[test]
    fn dated_text_rejections_say_why() {
        assert!(reason(parse_dated_text("")).contains("empty file"));
        assert!(reason(parse_dated_text("   \n\t ")).contains("empty file"));
        assert!(reason(parse_dated_text("Hello world")).contains("missing date header"));
        assert!(reason(parse_dated_text("date")).contains("missing date header"));
        assert!(reason(parse_dated_text("dated 2025-01-01 x")).contains("missing date header"));
        assert!(reason(parse_dated_text("date2025-01-01 x")).contains("missing date header"));
        assert!(reason(parse_dated_text("date 2025-02-30 Text")).contains("not a calendar date"));
        assert!(reason(parse_dated_text("date 0000-00-00 Text")).contains("\"0000-00-00\""));
        assert!(reason(parse_dated_text("date 99999-01-01 Text")).contains("YYYY-MM-DD"));
        assert!(reason(parse_dated_text("date 2025-4-3 Text")).contains("YYYY-MM-DD"));
        assert!(reason(parse_dated_text("date 2025-04-03")).contains("no article text"));
        assert!(reason(parse_dated_text("date 2025-04-03 \n\n  \n")).contains("no article text"));
        assert!(reason(parse_dated_text("date 1500-01-01 Old news")).contains("supported range"));
    }

    #[test]
    fn decode_strips_bom_and_normalises_line_ends() {
        let text = decode_text(b"\xEF\xBB\xBF date 2025-01-02 Title\r\n\r\nBody\rmore").unwrap();
        assert_eq!(text, " date 2025-01-02 Title\n\nBody\nmore");
        let article = parse_dated_text(&text).unwrap();
        assert_eq!(article.title, "Title");
    }

    #[test]
    fn decode_rejects_binary_and_invalid_utf8() {
        assert!(decode_text(b"date 2025-01-01 a\0b")
            .unwrap_err()
            .0
            .contains("NUL byte at offset 17"));
        assert!(decode_text(b"date 2025-01-01 \xff\xfe")
            .unwrap_err()
            .0
            .contains("not valid UTF-8"));
    }

    #[test]
    fn json_line_full_object() {
        let line = r#"{"date":"2025-04-03","title":"Hegseth skips meeting.","body":"He will not attend.","id":"a-1","url":"https://example.org/a","source":"Wire"}"#;
        let article = parse_json_line(line).unwrap().unwrap();
        assert_eq!(article.given_id.as_deref(), Some("a-1"));
        assert_eq!(article.date, day("2025-04-03"));
        assert_eq!(article.title, "Hegseth skips meeting");
        assert_eq!(article.body, "He will not attend.");
        assert_eq!(article.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(article.source.as_deref(), Some("Wire"));
    }

    #[test]
    fn json_line_text_field_rfc3339_date_and_numeric_id() {
        let line =
            r#"{"date":"2025-04-03T23:30:00-05:00","text":"Headline\n\nBody text.","id":17}"#;
        let article = parse_json_line(line).unwrap().unwrap();
        assert_eq!(
            article.date,
            day("2025-04-03"),
            "the day as written, not UTC"
        );
        assert_eq!(article.given_id.as_deref(), Some("17"));
        assert_eq!(article.title, "Headline");
        assert_eq!(article.body, "Body text.");
    }

    #[test]
    fn json_blank_line_is_skipped() {
        assert_eq!(parse_json_line("   "), Ok(None));
    }

    #[test]
    fn json_line_rejections_say_why() {
        let cases = [
            (r#"{"date":"2025-04-03","body":"x""#, "not valid JSON"),
            (r#"[1,2]"#, "expected a JSON object"),
            (r#""text""#, "expected a JSON object"),
            (r#"{"body":"x"}"#, "missing field \"date\""),
            (
                r#"{"date":20250403,"body":"x"}"#,
                "\"date\" must be a string",
            ),
            (r#"{"date":"2025-02-30","body":"x"}"#, "not a calendar date"),
            (r#"{"date":"yesterday","body":"x"}"#, "RFC 3339"),
            (r#"{"date":"2025-04-03"}"#, "missing field \"body\""),
            (
                r#"{"date":"2025-04-03","body":42}"#,
                "\"body\" must be a string",
            ),
            (r#"{"date":"2025-04-03","body":"  "}"#, "empty \"body\""),
            (
                r#"{"date":"2025-04-03","body":"x","title":["a"]}"#,
                "\"title\" must be a string",
            ),
            (
                r#"{"date":"2025-04-03","body":"x","id":{}}"#,
                "\"id\" must be",
            ),
            (
                r#"{"date":"2025-04-03","body":"x","url":1}"#,
                "\"url\" must be a string",
            ),
        ];
        for (line, expected) in cases {
            let err = parse_json_line(line).expect_err(line).0;
            assert!(err.contains(expected), "{line}: {err}");
        }
    }

    #[test]
    fn content_hash_depends_on_date_title_and_body() {
        let a = parse_dated_text("date 2025-01-01 T\n\nB").unwrap();
        let mut b = a.clone();
        assert_eq!(a.content_hash(), b.content_hash());
        b.date = day("2025-01-02");
        assert_ne!(a.content_hash(), b.content_hash());
        let mut c = a.clone();
        c.body.push('!');
        assert_ne!(a.content_hash(), c.content_hash());
    }

    #[test]
    fn json_export_round_trips_to_the_same_hash() {
        let file =
            parse_dated_text(" date 1987-02-26 BAHIA COCOA REVIEW.\n\nShowers continued.\n\n")
                .unwrap();
        let line =
            serde_json::json!({"date": "1987-02-26", "title": file.title, "body": file.body})
                .to_string();
        let json = parse_json_line(&line).unwrap().unwrap();
        assert_eq!(file.content_hash(), json.content_hash());
    }

    mod fuzz {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
                let _ = decode_text(&bytes);
            }

            #[test]
            fn dated_text_parser_never_panics_and_accepts_only_real_articles(text in "\\PC{0,200}") {
                if let Ok(article) = parse_dated_text(&text) {
                    prop_assert!(!article.title.is_empty() || !article.body.is_empty());
                    prop_assert_eq!(article.title.trim(), article.title.as_str());
                }
            }

            #[test]
            fn dated_header_with_any_text_after_it_parses(
                year in 1678i32..=2261, month in 1u32..=12, day in 1u32..=28,
                text in "[A-Za-z][A-Za-z .,!?\n]{0,200}",
            ) {
                let input = format!(" date {year:04}-{month:02}-{day:02} {text}");
                let article = parse_dated_text(&input).unwrap();
                prop_assert_eq!(article.date, NaiveDate::from_ymd_opt(year, month, day).unwrap());
            }

            #[test]
            fn json_line_parser_never_panics(line in "\\PC{0,200}") {
                let _ = parse_json_line(&line);
            }

            #[test]
            fn json_like_lines_never_panic(
                date in "[0-9T:+Z-]{0,30}", body in "\\PC{0,50}", title in proptest::option::of("\\PC{0,30}"),
            ) {
                let mut object = serde_json::json!({"date": date, "body": body});
                if let Some(title) = title {
                    object["title"] = serde_json::Value::String(title);
                }
                let _ = parse_json_line(&object.to_string());
            }
        }
    }
}
