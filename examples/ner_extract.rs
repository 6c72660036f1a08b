//! Prints the entities `Extractor::extract` finds in article files (one `kind<TAB>name` line
//! each). A file may start with the corpus header ` date YYYY-MM-DD `; its title is the text up
//! to the first ".\n\n" when that comes before any other blank line, else the title is empty.
//!
//! cargo run --release --example ner_extract -- FILE...

use dateline::entities::Extractor;
use std::process::ExitCode;

fn split(raw: &str) -> (&str, &str) {
    let t = raw.trim_start();
    let t = match t.strip_prefix("date ") {
        Some(rest) if rest.len() >= 10 && rest.is_char_boundary(10) => {
            rest[10..].trim_start_matches(' ')
        }
        _ => t,
    };
    match (t.find(".\n\n"), t.find("\n\n")) {
        (Some(p), Some(q)) if p + 1 == q => (&t[..p], &t[p + 3..]),
        _ => ("", t),
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
        match std::fs::read_to_string(f) {
            Ok(raw) => {
                let (title, body) = split(&raw);
                println!("== {f}");
                for e in x.extract(title, body) {
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
