//! Scaled benchmark corpora from any folder of dated articles.
//!
//! ```text
//! cargo run --release --example bench_corpus -- SOURCE_DIR OUT_DIR --scale N
//! ```
//!
//! Every dated text file under SOURCE_DIR (`date YYYY-MM-DD` then the text, as `dateline ingest`
//! reads it) is written N times. Copy k (0..N) has its date moved k whole years later (Feb 29
//! becomes Feb 28 in a year that is not a leap year) and exactly the same text: the new date is
//! what makes each copy a distinct article. OUT_DIR receives:
//!
//! - `txt/cKK/<path under SOURCE_DIR>`: the dated text files, input for `dateline ingest`;
//! - `articles.jsonl`: the same articles, one JSON object a line,
//!   `{"id", "date", "title", "body"}`, with `date` as RFC 3339 midnight UTC
//!   (`1987-02-26T00:00:00Z`) so that it loads into a tantivy date field and still reads as the
//!   same calendar day in dateline; input for tantivy-cli and SQLite;
//! - `extra/txt/...` and `extra/articles.jsonl`: 1% more articles (rounded up), taken evenly
//!   from the source and dated N years (and more) later, so their dates are not used by any
//!   copy: the "new articles" of an incremental ingest;
//! - `manifest.json`: counts, among them `distinct`, the number of different (date, text)
//!   pairs, which is what a correct deduplicating index holds.
//!
//! The manifest is written last; when it already exists for the same source and scale the
//! corpus is reused and nothing is written.

use std::collections::HashSet;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::json;

/// Longest first paragraph taken as a headline, as dateline does.
const HEADLINE_MAX_CHARS: usize = 160;

/// A calendar day: year, month, day.
type Day = (i32, u32, u32);

struct Source {
    /// Path under the source folder, with `/` separators.
    relative: String,
    /// Bytes of the file.
    raw: Vec<u8>,
    /// Byte range of the `YYYY-MM-DD` token in `raw`.
    date_span: (usize, usize),
    date: Day,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench_corpus: {message}");
            ExitCode::from(2)
        }
    }
}

fn usage() -> String {
    "usage: bench_corpus SOURCE_DIR OUT_DIR [--scale N] [--force]".to_string()
}

fn run() -> Result<(), String> {
    let mut positional = Vec::new();
    let mut scale: u32 = 10;
    let mut force = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--scale" => {
                let value = args.next().ok_or_else(usage)?;
                scale = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=200).contains(n))
                    .ok_or_else(|| {
                        format!("--scale wants a whole number from 1 to 200, got {value:?}")
                    })?;
            }
            "--force" => force = true,
            "-h" | "--help" => {
                println!("{}", usage());
                return Ok(());
            }
            _ if arg.starts_with('-') => return Err(format!("unknown option {arg}\n{}", usage())),
            _ => positional.push(PathBuf::from(arg)),
        }
    }
    let [source_dir, out_dir] = <[PathBuf; 2]>::try_from(positional).map_err(|_| usage())?;
    let source_dir = fs::canonicalize(&source_dir)
        .map_err(|err| format!("cannot read {}: {err}", source_dir.display()))?;
    let manifest_path = out_dir.join("manifest.json");
    if !force {
        if let Some(existing) = reusable(&manifest_path, &source_dir, scale) {
            println!("reusing {} ({} articles)", out_dir.display(), existing);
            return Ok(());
        }
    }
    if out_dir.exists() {
        fs::remove_dir_all(&out_dir)
            .map_err(|err| format!("cannot clear {}: {err}", out_dir.display()))?;
    }

    let (sources, skipped) = read_sources(&source_dir)?;
    if sources.is_empty() {
        return Err(format!("no dated articles under {}", source_dir.display()));
    }
    let source_bytes: u64 = sources.iter().map(|s| s.raw.len() as u64).sum();

    // The scaled corpus: copy k of every article, k years later.
    let copies = (0..scale).flat_map(|k| sources.iter().map(move |s| (k, s)));
    let main = write_layouts(&out_dir, copies, |k| format!("c{k:02}"))?;

    // New articles for the incremental run: evenly spread over the source, with years no copy uses.
    let total = main.articles;
    let extra_count = total.div_ceil(100);
    let extra = (0..extra_count).map(|j| {
        let index = (j * sources.len() as u64 / extra_count.min(sources.len() as u64)) as usize;
        let round = (j / sources.len() as u64) as u32;
        (scale + round, &sources[index % sources.len()])
    });
    let extra_summary = write_layouts(&out_dir.join("extra"), extra, |k| format!("n{k:02}"))?;

    let manifest = json!({
        "source": source_dir.to_string_lossy(),
        "scale": scale,
        "source_articles": sources.len(),
        "source_bytes": source_bytes,
        "skipped_source_files": skipped,
        "articles": main.articles,
        "distinct": main.distinct,
        "bytes": main.bytes,
        "extra_articles": extra_summary.articles,
        "extra_distinct": extra_summary.distinct,
        "extra_bytes": extra_summary.bytes,
    });
    let text = serde_json::to_string_pretty(&manifest).expect("manifest serialises");
    fs::write(&manifest_path, text + "\n")
        .map_err(|err| format!("cannot write {}: {err}", manifest_path.display()))?;
    println!(
        "wrote {}: {} articles ({} distinct, {:.1} MB) + {} new for incremental runs{}",
        out_dir.display(),
        main.articles,
        main.distinct,
        main.bytes as f64 / 1e6,
        extra_summary.articles,
        if skipped.is_empty() {
            String::new()
        } else {
            format!(
                "; skipped {} source files without a date header",
                skipped.len()
            )
        }
    );
    Ok(())
}

/// The article count of an existing corpus made from the same source at the same scale.
fn reusable(manifest_path: &Path, source_dir: &Path, scale: u32) -> Option<u64> {
    let text = fs::read_to_string(manifest_path).ok()?;
    let manifest: serde_json::Value = serde_json::from_str(&text).ok()?;
    let same = manifest["source"].as_str()? == source_dir.to_string_lossy()
        && manifest["scale"].as_u64()? == u64::from(scale);
    if same {
        manifest["articles"].as_u64()
    } else {
        None
    }
}

/// Every dated text file under `dir`, in sorted path order; hidden entries are skipped, as
/// dateline skips them. Files without a date header are listed separately.
fn read_sources(dir: &Path) -> Result<(Vec<Source>, Vec<String>), String> {
    let mut files = Vec::new();
    collect_files(dir, dir, &mut files)?;
    files.sort();
    let mut sources = Vec::with_capacity(files.len());
    let mut skipped = Vec::new();
    for relative in files {
        let path = dir.join(&relative);
        let raw =
            fs::read(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        match find_date(&raw) {
            Some((date_span, date)) => sources.push(Source {
                relative,
                raw,
                date_span,
                date,
            }),
            None => skipped.push(relative),
        }
    }
    Ok((sources, skipped))
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), String> {
    let entries =
        fs::read_dir(dir).map_err(|err| format!("cannot read {}: {err}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|err| format!("cannot read {}: {err}", dir.display()))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            collect_files(root, &path, out)?;
        } else if path.is_file() {
            let relative = path.strip_prefix(root).expect("under root");
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

/// The span and value of the date in a `date YYYY-MM-DD` header (after an optional BOM and
/// leading whitespace).
fn find_date(raw: &[u8]) -> Option<((usize, usize), Day)> {
    let mut at = if raw.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    while at < raw.len() && raw[at].is_ascii_whitespace() {
        at += 1;
    }
    if !raw.get(at..at + 4)?.eq_ignore_ascii_case(b"date") {
        return None;
    }
    at += 4;
    let gap = at;
    while at < raw.len() && raw[at].is_ascii_whitespace() {
        at += 1;
    }
    if at == gap {
        return None;
    }
    let token = std::str::from_utf8(raw.get(at..at + 10)?).ok()?;
    if raw.get(at + 10).is_some_and(|b| !b.is_ascii_whitespace()) {
        return None;
    }
    let year = token.get(0..4)?.parse().ok()?;
    let month = token.get(5..7)?.parse().ok()?;
    let day = token.get(8..10)?.parse().ok()?;
    if &token[4..5] != "-" || &token[7..8] != "-" || !valid(year, month, day) {
        return None;
    }
    Some(((at, at + 10), (year, month, day)))
}

fn leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn valid(year: i32, month: u32, day: u32) -> bool {
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap(year) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// The same calendar day `years` later; Feb 29 becomes Feb 28 in a common year.
fn shift((year, month, day): Day, years: u32) -> Day {
    let year = year + years as i32;
    let day = if month == 2 && day == 29 && !leap(year) {
        28
    } else {
        day
    };
    (year, month, day)
}

struct Summary {
    articles: u64,
    distinct: u64,
    bytes: u64,
}

/// Writes the dated text files and the JSON Lines file for (years shift, source) pairs.
fn write_layouts<'a>(
    out_dir: &Path,
    articles: impl Iterator<Item = (u32, &'a Source)>,
    folder_of: impl Fn(u32) -> String,
) -> Result<Summary, String> {
    let io_error =
        |path: &Path, err: std::io::Error| format!("cannot write {}: {err}", path.display());
    let txt_root = out_dir.join("txt");
    fs::create_dir_all(&txt_root).map_err(|err| io_error(&txt_root, err))?;
    let jsonl_path = out_dir.join("articles.jsonl");
    let jsonl_file = fs::File::create(&jsonl_path).map_err(|err| io_error(&jsonl_path, err))?;
    let mut jsonl = BufWriter::with_capacity(1 << 20, jsonl_file);
    let mut seen = HashSet::new();
    let mut summary = Summary {
        articles: 0,
        distinct: 0,
        bytes: 0,
    };
    let mut made_dirs = HashSet::new();
    for (years, source) in articles {
        let (year, month, day) = shift(source.date, years);
        let date = format!("{year:04}-{month:02}-{day:02}");
        let mut raw = Vec::with_capacity(source.raw.len());
        raw.extend_from_slice(&source.raw[..source.date_span.0]);
        raw.extend_from_slice(date.as_bytes());
        raw.extend_from_slice(&source.raw[source.date_span.1..]);

        let path = txt_root.join(folder_of(years)).join(&source.relative);
        let parent = path.parent().expect("file has a folder").to_path_buf();
        if made_dirs.insert(parent.clone()) {
            fs::create_dir_all(&parent).map_err(|err| io_error(&parent, err))?;
        }
        fs::write(&path, &raw).map_err(|err| io_error(&path, err))?;

        let text = String::from_utf8_lossy(&source.raw[source.date_span.1..]).replace("\r\n", "\n");
        let text = text.trim();
        if seen.insert((date.clone(), text.to_string())) {
            summary.distinct += 1;
        }
        let (title, body) = split_title(text);
        let id = format!("{}/{}", folder_of(years), source.relative);
        let line = json!({
            "id": id,
            "date": format!("{date}T00:00:00Z"),
            "title": title,
            "body": body,
        });
        serde_json::to_writer(&mut jsonl, &line)
            .map_err(|err| io_error(&jsonl_path, err.into()))?;
        jsonl
            .write_all(b"\n")
            .map_err(|err| io_error(&jsonl_path, err))?;
        summary.articles += 1;
        summary.bytes += raw.len() as u64;
    }
    jsonl.flush().map_err(|err| io_error(&jsonl_path, err))?;
    Ok(summary)
}

/// A short first paragraph is the headline and the rest the body; otherwise the headline is
/// the start of the text and the body the whole text (dateline's rule, simplified).
fn split_title(text: &str) -> (String, String) {
    let (first, rest) = match text.find("\n\n") {
        Some(at) => (&text[..at], text[at + 2..].trim()),
        None => (text, ""),
    };
    let headline = first.split_whitespace().collect::<Vec<_>>().join(" ");
    if headline.chars().count() <= HEADLINE_MAX_CHARS {
        let title = headline.strip_suffix('.').unwrap_or(&headline).to_string();
        return (title, rest.to_string());
    }
    let cut: String = headline.chars().take(HEADLINE_MAX_CHARS).collect();
    let title = match cut.rfind(' ') {
        Some(space) => cut[..space].to_string(),
        None => cut,
    };
    (title, text.to_string())
}
