//! Document-level evaluation of `Extractor::extract` on hand-labelled modern news: precision,
//! recall and F1 of the people, organisations and places each article names.
//!
//! ```text
//! cargo run --release --example ner_doc_eval -- [--set tune|held|all] [--misses] [--markdown]
//!                                               [--labels FILE] [--shared DIR]
//! ```
//!
//! Labels are in `docs/eval/ner-modern.jsonl`, one article a line: `source` (`wikinews`, read
//! from `corpus/wikinews/` of `--shared`, default `$DATELINE_SHARED`, else `../shared` beside
//! the repository; or `repo`, a path inside the repository), `file`, and `entities`, each with
//! a `kind` (`person`, `org`, `place`, or two joined by `|` when either is right), the accepted
//! `names`, and `optional: true` for names an annotator may or may not list (a journal, a
//! building, a continent named only by its adjective). Articles whose file is absent are
//! skipped with a note.
//!
//! Split: the 1st, 3rd, 5th ... line is the **tune** half, the 2nd, 4th ... the **held** half.
//!
//! Scoring, per article and type. A found entity is right when its canonical name
//! (`canonical_alias`, ignoring case) equals that of one of the names of a labelled entity of
//! its type; found entities that only match optional ones are not counted. A labelled entity
//! (not optional) is recalled when some found entity of one of its types matches it. Several
//! found entities may match one labelled entity ("Obama" and "Barack Obama"); each counts as
//! right.

use dateline::article::{decode_text, parse_dated_text, split_title};
use dateline::entities::{canonical_alias, Entity, EntityKind, Extractor};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    source: String,
    file: String,
    entities: Vec<Label>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Label {
    kind: String,
    names: Vec<String>,
    #[serde(default)]
    optional: bool,
}

const KINDS: [EntityKind; 3] = [EntityKind::Person, EntityKind::Org, EntityKind::Place];

/// Counts of one type: labelled (required), recalled, found (counted), found right.
#[derive(Default, Clone, Copy)]
struct Counts {
    gold: usize,
    recalled: usize,
    found: usize,
    right: usize,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.gold += o.gold;
        self.recalled += o.recalled;
        self.found += o.found;
        self.right += o.right;
    }
    fn prf(&self) -> (f64, f64, f64) {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let p = ratio(self.right, self.found);
        let r = ratio(self.recalled, self.gold);
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    }
}

fn key(name: &str) -> String {
    canonical_alias(name).to_lowercase()
}

impl Label {
    fn kinds(&self) -> Vec<EntityKind> {
        self.kind.split('|').filter_map(EntityKind::parse).collect()
    }
    fn matches(&self, e: &Entity) -> bool {
        let k = key(&e.name);
        self.kinds().contains(&e.kind) && self.names.iter().any(|n| key(n) == k)
    }
}

/// Title and body of a file as ingest reads it (see `ner_extract`).
fn read_article(path: &Path) -> Result<(String, String), String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = decode_text(&bytes).map_err(|e| e.to_string())?;
    match parse_dated_text(&text) {
        Ok(a) => Ok((a.title, a.body)),
        Err(_) => Ok(split_title(&text).unwrap_or_default()),
    }
}

/// Scores one article: counts per type (in `KINDS` order), and the misses as lines.
fn score(doc: &Doc, found: &[Entity]) -> ([Counts; 3], Vec<String>) {
    let mut c = [Counts::default(); 3];
    let mut misses = Vec::new();
    for e in found {
        let Some(t) = KINDS.iter().position(|k| *k == e.kind) else {
            continue;
        };
        let hit = doc.entities.iter().filter(|l| l.matches(e));
        let (mut required, mut optional) = (false, false);
        for l in hit {
            required |= !l.optional;
            optional |= l.optional;
        }
        if required {
            c[t].found += 1;
            c[t].right += 1;
        } else if !optional {
            c[t].found += 1;
            misses.push(format!("  wrong  {:<6} {}", e.kind.as_str(), e.name));
        }
    }
    for l in doc.entities.iter().filter(|l| !l.optional) {
        let Some(t) = l
            .kinds()
            .first()
            .and_then(|k| KINDS.iter().position(|x| x == k))
        else {
            continue;
        };
        c[t].gold += 1;
        if found.iter().any(|e| l.matches(e)) {
            c[t].recalled += 1;
        } else {
            misses.push(format!("  missed {:<6} {}", l.kind, l.names.join(" | ")));
        }
    }
    (c, misses)
}

fn print_table(title: &str, docs: usize, c: &[Counts; 3], markdown: bool) {
    let mut all = Counts::default();
    for x in c {
        all.add(*x);
    }
    let rows = KINDS
        .iter()
        .map(|k| k.as_str())
        .zip(c.iter().copied())
        .chain([("all", all)]);
    if markdown {
        println!("**{title}** ({docs} articles)\n");
        println!("| type | labelled | found | P | R | F1 |");
        println!("|---|--:|--:|--:|--:|--:|");
        for (name, x) in rows {
            let (p, r, f) = x.prf();
            println!(
                "| {name} | {} | {} | {p:.3} | {r:.3} | {f:.3} |",
                x.gold, x.found
            );
        }
        println!();
    } else {
        println!("{title} ({docs} articles)");
        println!(
            "  {:<7} {:>8} {:>6} {:>6} {:>6} {:>6}",
            "type", "labelled", "found", "P", "R", "F1"
        );
        for (name, x) in rows {
            let (p, r, f) = x.prf();
            println!(
                "  {name:<7} {:>8} {:>6} {p:>6.3} {r:>6.3} {f:>6.3}",
                x.gold, x.found
            );
        }
    }
}

fn main() -> ExitCode {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut labels = manifest.join("docs/eval/ner-modern.jsonl");
    let mut shared = std::env::var_os("DATELINE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../shared"));
    let mut set = "all".to_string();
    let (mut show_misses, mut markdown) = (false, false);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |what: &str| {
            args.next().ok_or_else(|| {
                eprintln!("{arg} needs {what}");
                ExitCode::from(2)
            })
        };
        match arg.as_str() {
            "--set" => match value("tune, held or all") {
                Ok(v) => set = v,
                Err(code) => return code,
            },
            "--labels" => match value("a file") {
                Ok(v) => labels = v.into(),
                Err(code) => return code,
            },
            "--shared" => match value("a folder") {
                Ok(v) => shared = v.into(),
                Err(code) => return code,
            },
            "--misses" => show_misses = true,
            "--markdown" => markdown = true,
            _ => {
                eprintln!(
                    "usage: ner_doc_eval [--set tune|held|all] [--misses] [--markdown] \
                     [--labels FILE] [--shared DIR]"
                );
                return ExitCode::from(2);
            }
        }
    }
    if !matches!(set.as_str(), "tune" | "held" | "all") {
        eprintln!("--set must be tune, held or all");
        return ExitCode::from(2);
    }
    let text = match std::fs::read_to_string(&labels) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {}: {e}", labels.display());
            return ExitCode::FAILURE;
        }
    };
    let x = match Extractor::shared() {
        Ok(x) => x,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    // [tune, held] totals and article counts.
    let mut totals = [[Counts::default(); 3]; 2];
    let mut counted = [0usize; 2];
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let doc: Doc = match serde_json::from_str(line) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{}:{}: {e}", labels.display(), i + 1);
                return ExitCode::FAILURE;
            }
        };
        let half = i % 2;
        if (set == "tune" && half == 1) || (set == "held" && half == 0) {
            continue;
        }
        let path = match doc.source.as_str() {
            "wikinews" => shared.join("corpus/wikinews").join(&doc.file),
            "repo" => manifest.join(&doc.file),
            other => {
                eprintln!("{}:{}: unknown source {other:?}", labels.display(), i + 1);
                return ExitCode::FAILURE;
            }
        };
        let (title, body) = match read_article(&path) {
            Ok(tb) => tb,
            Err(e) => {
                eprintln!("skipping {}: {e}", path.display());
                continue;
            }
        };
        let found = x.extract(&title, &body);
        let (c, misses) = score(&doc, &found);
        for (t, x) in totals[half].iter_mut().zip(c) {
            t.add(x);
        }
        counted[half] += 1;
        if show_misses && !misses.is_empty() {
            println!("== {} ({})", doc.file, ["tune", "held"][half]);
            for m in misses {
                println!("{m}");
            }
        }
    }
    let mut both = totals[0];
    for (b, h) in both.iter_mut().zip(totals[1]) {
        b.add(h);
    }
    if set != "held" {
        print_table("tune", counted[0], &totals[0], markdown);
    }
    if set != "tune" {
        print_table("held", counted[1], &totals[1], markdown);
    }
    if set == "all" {
        print_table("all", counted[0] + counted[1], &both, markdown);
    }
    ExitCode::SUCCESS
}
