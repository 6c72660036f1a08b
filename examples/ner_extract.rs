//! Prints the entities `Extractor::extract` finds in article files (one `kind<TAB>name` line
//! each). A file may start with the corpus header ` date YYYY-MM-DD `; title and body are split
//! as ingest splits them (`split_title`).
//!
//! cargo run --release --example ner_extract -- FILE...

use dateline::article::{decode_text, parse_dated_text, split_title};
use dateline::entities::Extractor;
use std::process::ExitCode;

/// Title and body of a file as ingest reads it: `decode_text`, then `parse_dated_text` for a
/// file with the date header; the title of a file without one is split off by `split_title`,
/// as ingest does for a JSON Lines article without a title.
fn read_article(bytes: &[u8]) -> Result<(String, String), String> {
    let text = decode_text(bytes).map_err(|e| e.to_string())?;
    match parse_dated_text(&text) {
        Ok(article) => Ok((article.title, article.body)),
        Err(_) => Ok(split_title(&text).unwrap_or_default()),
    }
}

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: ner_extract FILE...");
        return ExitCode::from(2);
    }
    let x = match Extractor::shared() {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let mut status = ExitCode::SUCCESS;
    for f in &files {
        match std::fs::read(f)
            .map_err(|e| e.to_string())
            .and_then(|raw| read_article(&raw))
        {
            Ok((title, body)) => {
                println!("== {f}");
                for e in x.extract(&title, &body) {
                    println!("{}\t{}", e.kind.as_str(), e.name);
                }
            }
            Err(e) => {
                eprintln!("cannot read {f}: {e}");
                status = ExitCode::FAILURE;
            }
        }
    }
    status
}
