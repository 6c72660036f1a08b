//! Relevance evaluation: P@10, nDCG@10 and MRR of dateline's ranking beside plain BM25.
//!
//! ```text
//! cargo run --release --example rank_eval -- [--index DIR] [--set tune|held|all] [--markdown]
//!                                            [--shared DIR]
//! ```
//!
//! The index is the one `dateline ingest` builds from the Reuters-21578 and Wikinews corpora:
//!
//! ```text
//! dateline ingest ../shared/corpus/reuters21578 ../shared/corpus/wikinews --index DIR
//! ```
//!
//! Without `--index`, `target/rank-eval-index` is used, and built that way first if absent.
//! The reference data is read in place from `--shared` (default `$DATELINE_SHARED`, else
//! `../shared` beside the repository): `corpus/` and `eval/reuters21578-tags.jsonl`. Where it is missing the example
//! says so and exits 0.
//!
//! Queries and judgments are in `docs/eval/`: `reuters-topics.tsv` (relevant = the article's
//! TOPICS tags contain the query's topic) and `wikinews.tsv` (relevant articles listed by hand).
//! Each is split into a tune half and a held half: within each class, the 1st, 3rd, ... query is
//! tuned on, the 2nd, 4th, ... held out.
//!
//! Three systems are compared:
//! - **dateline**: `Archive::search` as `dateline search QUERY [--from --to]` runs it (sorted by
//!   relevance, limit 10);
//! - **bm25**: a tantivy index of the same articles with one `body` field (`en_stem`), queried
//!   with tantivy's `QueryParser` over `body` (OR by default), top 10 by BM25; the date class is
//!   filtered on the same days. It is built once under `target/rank-eval-bm25/` and rebuilt when
//!   the archive's article count differs;
//! - **fts5**: SQLite FTS5 through the `sqlite3` shell (title and body, `porter unicode61`,
//!   `ORDER BY rank`), words joined by AND, or by OR for requests in plain words; built once
//!   under `target/rank-eval-fts5/`. Without `sqlite3` on `PATH` its columns read n/a.
//!
//! Metrics, per query, averaged over the queries of a row: P@10 = relevant in the top 10 / 10;
//! nDCG@10 with binary gains, ideal DCG from min(relevant articles, 10); MRR = 1 / rank of the
//! first relevant hit, 0 if none is in the top 10.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use dateline::dates::DateRange;
use dateline::ingest::{ingest, IngestOptions};
use dateline::query::{Filter, SearchRequest, SortOrder};
use dateline::search::Archive;
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByString};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery};
use tantivy::schema::{
    IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, FAST, STORED,
    STRING,
};
use tantivy::{doc, DocAddress, Index, Order, TantivyDocument, Term};

const TOP: usize = 10;
const CLASSES: [&str; 5] = ["one", "several", "phrase", "date", "request"];

/// One evaluation query with its judgments.
struct EvalQuery {
    collection: &'static str,
    text: String,
    class: String,
    dates: DateRange,
    relevant: HashSet<String>,
    held: bool,
}

/// One query's scores for dateline, plain BM25 and SQLite FTS5 (`None` where not measured).
type Systems = [Option<Scores>; 3];

#[derive(Clone, Copy, Default)]
struct Scores {
    p10: f64,
    ndcg10: f64,
    mrr: f64,
}

fn main() -> Result<()> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut index: Option<PathBuf> = None;
    let mut set = "all".to_string();
    let mut markdown = false;
    let mut per_query = false;
    let mut shared = std::env::var_os("DATELINE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../shared"));
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--index" => index = Some(args.next().context("--index needs a folder")?.into()),
            "--set" => set = args.next().context("--set needs tune, held or all")?,
            "--shared" => shared = args.next().context("--shared needs a folder")?.into(),
            "--markdown" => markdown = true,
            "--per-query" => per_query = true,
            "-h" | "--help" => {
                println!(
                    "rank_eval [--index DIR] [--set tune|held|all] [--markdown] [--per-query] [--shared DIR]"
                );
                return Ok(());
            }
            other => bail!("unknown argument {other:?} (see --help)"),
        }
    }
    if !matches!(set.as_str(), "tune" | "held" | "all") {
        bail!("--set must be tune, held or all, not {set:?}");
    }

    let reuters = shared.join("corpus/reuters21578");
    let wikinews = shared.join("corpus/wikinews");
    let tags = shared.join("eval/reuters21578-tags.jsonl");
    for needed in [&reuters, &wikinews, &tags] {
        if !needed.exists() {
            println!(
                "rank_eval: skipped: {} is absent (the reference corpora and tags are read in \
                 place from --shared or $DATELINE_SHARED)",
                needed.display()
            );
            return Ok(());
        }
    }

    let index_dir = match index {
        Some(dir) => dir,
        None => {
            let dir = manifest.join("target/rank-eval-index");
            if !dir.join("meta.json").exists() {
                eprintln!("building {} from the two corpora...", dir.display());
                ingest(
                    &IngestOptions {
                        index_dir: dir.clone(),
                        inputs: vec![reuters.clone(), wikinews.clone()],
                        rebuild: false,
                        extract_entities: true,
                        threads: 0,
                        memory_mb: 96,
                        commit_interval: Duration::from_secs(60),
                        cancel: None,
                        keep_missing: false,
                        story_window: Some(dateline::stories::DEFAULT_WINDOW_DAYS),
                    },
                    &|_| {},
                )?;
            }
            dir
        }
    };
    let archive = Archive::open(&index_dir)
        .with_context(|| format!("opening the index {}", index_dir.display()))?;

    let queries = load_queries(&manifest.join("docs/eval"), &tags)?;
    let bm25 = Bm25::open_or_build(&manifest.join("target/rank-eval-bm25"), &archive)?;

    let fts5 = Fts5::open_or_build(&manifest.join("target/rank-eval-fts5"), &archive)?;

    let mut results: Vec<Systems> = Vec::with_capacity(queries.len());
    for query in &queries {
        let ours = dateline_top(&archive, query)?;
        let theirs = bm25.top(query)?;
        let sqlite = match &fts5 {
            Some(fts5) => Some(score(&fts5.top(query)?, query)),
            None => None,
        };
        results.push([
            Some(score(&ours, query)),
            Some(score(&theirs, query)),
            sqlite,
        ]);
    }

    let sets: &[&str] = match set.as_str() {
        "tune" => &["tune"],
        "held" => &["held"],
        _ => &["tune", "held", "all"],
    };
    for (i, name) in sets.iter().enumerate() {
        if i > 0 {
            println!();
        }
        let chosen: Vec<usize> = (0..queries.len())
            .filter(|&i| match *name {
                "tune" => !queries[i].held,
                "held" => queries[i].held,
                _ => true,
            })
            .collect();
        print_table(name, &queries, &results, &chosen, markdown);
        if per_query {
            println!();
            for &i in &chosen {
                let [ours, theirs, sqlite] = results[i].map(|s| s.unwrap_or_default());
                println!(
                    "{:<8} {:<8} P@10 {:.1} bm25 {:.1} fts5 {:.1}  nDCG {:.3} bm25 {:.3} fts5 {:.3}  {}",
                    queries[i].collection,
                    queries[i].class,
                    ours.p10,
                    theirs.p10,
                    sqlite.p10,
                    ours.ndcg10,
                    theirs.ndcg10,
                    sqlite.ndcg10,
                    queries[i].text
                );
            }
        }
    }
    Ok(())
}

/// Reads both query files; the tune/held split alternates within each class of each file.
fn load_queries(dir: &Path, tags_path: &Path) -> Result<Vec<EvalQuery>> {
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid day");
    // Reuters file name -> (date, topics).
    let mut tagged: Vec<(String, NaiveDate, Vec<String>)> = Vec::new();
    let text = std::fs::read_to_string(tags_path)
        .with_context(|| format!("reading {}", tags_path.display()))?;
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let value: serde_json::Value = serde_json::from_str(line)?;
        let file = value["file"].as_str().context("a tag line without file")?;
        let date = value["date"].as_str().context("a tag line without date")?;
        let topics = value["topics"]
            .as_array()
            .map(|topics| {
                topics
                    .iter()
                    .filter_map(|topic| topic.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        tagged.push((file.to_string(), date.parse()?, topics));
    }

    let mut queries = Vec::new();
    for (collection, file) in [
        ("reuters", "reuters-topics.tsv"),
        ("wikinews", "wikinews.tsv"),
    ] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let mut seen_in_class: HashMap<String, usize> = HashMap::new();
        for (number, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let where_ = || format!("{}:{}", path.display(), number + 1);
            if cols.len() != 3 && cols.len() != 5 {
                bail!("{}: expected 3 or 5 tab-separated columns", where_());
            }
            let (query, class) = match collection {
                "reuters" => (cols[1], cols[2]),
                _ => (cols[0], cols[1]),
            };
            if !CLASSES.contains(&class) {
                bail!("{}: unknown class {class:?}", where_());
            }
            let dates = if cols.len() == 5 {
                DateRange::from_specs(Some(cols[3]), Some(cols[4]), None, today)?
            } else {
                DateRange::default()
            };
            let relevant: HashSet<String> = match collection {
                "reuters" => tagged
                    .iter()
                    .filter(|(_, date, topics)| {
                        topics.iter().any(|topic| topic == cols[0]) && in_range(dates, *date)
                    })
                    .map(|(file, _, _)| file.clone())
                    .collect(),
                _ => cols[2].split_whitespace().map(str::to_string).collect(),
            };
            if relevant.is_empty() {
                bail!("{}: no relevant article", where_());
            }
            let seen = seen_in_class.entry(class.to_string()).or_default();
            let held = *seen % 2 == 1;
            *seen += 1;
            queries.push(EvalQuery {
                collection,
                text: query.to_string(),
                class: class.to_string(),
                dates,
                relevant,
                held,
            });
        }
    }
    Ok(queries)
}

fn in_range(range: DateRange, day: NaiveDate) -> bool {
    range.first.is_none_or(|first| day >= first) && range.last.is_none_or(|last| day <= last)
}

/// The file name of an article's path: what the judgments name.
fn file_name(path: &str) -> String {
    path.rsplit(['/', '\\']).next().unwrap_or(path).to_string()
}

/// The top 10 file names, as `dateline search QUERY` ranks them.
fn dateline_top(archive: &Archive, query: &EvalQuery) -> Result<Vec<String>> {
    let request = SearchRequest {
        collapse: false,
        filter: Filter {
            text: query.text.clone(),
            dates: query.dates,
            entities: vec![],
            kind: None,
        },
        sort: SortOrder::Relevance,
        limit: TOP,
        offset: 0,
    };
    let results = archive
        .search(&request)
        .with_context(|| format!("dateline search {:?}", query.text))?;
    Ok(results
        .hits
        .iter()
        .map(|hit| file_name(&hit.article.path))
        .collect())
}

fn score(ranked: &[String], query: &EvalQuery) -> Scores {
    let mut found = 0usize;
    let mut dcg = 0.0;
    let mut mrr = 0.0;
    for (i, file) in ranked.iter().take(TOP).enumerate() {
        if query.relevant.contains(file) {
            found += 1;
            dcg += 1.0 / ((i + 2) as f64).log2();
            if mrr == 0.0 {
                mrr = 1.0 / (i + 1) as f64;
            }
        }
    }
    let ideal: f64 = (0..query.relevant.len().min(TOP))
        .map(|i| 1.0 / ((i + 2) as f64).log2())
        .sum();
    Scores {
        p10: found as f64 / TOP as f64,
        ndcg10: dcg / ideal,
        mrr,
    }
}

/// The baseline: plain BM25 over one stemmed `body` field.
struct Bm25 {
    index: Index,
    body: tantivy::schema::Field,
    day: tantivy::schema::Field,
}

impl Bm25 {
    fn open_or_build(dir: &Path, archive: &Archive) -> Result<Bm25> {
        let documents = archive.stats(0)?.documents;
        if dir.join("meta.json").exists() {
            let index = Index::open_in_dir(dir)?;
            let count = index.reader()?.searcher().num_docs();
            if count == documents {
                return Bm25::from_index(index);
            }
            eprintln!(
                "rebuilding {}: {count} articles, the archive has {documents}",
                dir.display()
            );
        }
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let mut builder = Schema::builder();
        let path = builder.add_text_field("path", STRING | STORED | FAST);
        let body = builder.add_text_field(
            "body",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer("en_stem")
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            ),
        );
        let day = builder.add_u64_field("day", NumericOptions::default().set_indexed());
        let index = Index::create_in_dir(dir, builder.build())?;
        let mut writer = index.writer_with_num_threads(1, 200_000_000)?;
        for article in archive.export(DateRange::default())? {
            let article = article?;
            writer.add_document(doc!(
                path => article.path,
                body => article.body,
                day => day_number(article.date),
            ))?;
        }
        writer.commit()?;
        writer.wait_merging_threads()?;
        Bm25::from_index(Index::open_in_dir(dir)?)
    }

    fn from_index(index: Index) -> Result<Bm25> {
        let schema = index.schema();
        Ok(Bm25 {
            body: schema.get_field("body")?,
            day: schema.get_field("day")?,
            index,
        })
    }

    fn top(&self, query: &EvalQuery) -> Result<Vec<String>> {
        let parser = QueryParser::for_index(&self.index, vec![self.body]);
        let parsed = parser
            .parse_query(&query.text)
            .with_context(|| format!("bm25 query {:?}", query.text))?;
        let full: Box<dyn Query> = if query.dates == DateRange::default() {
            parsed
        } else {
            let bound = |day: Option<NaiveDate>| match day {
                Some(day) => Bound::Included(Term::from_field_u64(self.day, day_number(day))),
                None => Bound::Unbounded,
            };
            let range = RangeQuery::new(bound(query.dates.first), bound(query.dates.last));
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, parsed),
                (Occur::Must, Box::new(range) as Box<dyn Query>),
            ]))
        };
        let searcher = self.index.reader()?.searcher();
        // Ties (equal scores) are broken by path, so the order is stable.
        let collector = TopDocs::with_limit(TOP).order_by((
            (SortBySimilarityScore, Order::Desc),
            (SortByString::for_field("path"), Order::Asc),
        ));
        let top: Vec<(_, DocAddress)> = searcher.search(&*full, &collector)?;
        let mut files = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let path = doc
                .get_first(self.index.schema().get_field("path")?)
                .and_then(|value| value.as_str())
                .unwrap_or_default();
            files.push(file_name(path));
        }
        Ok(files)
    }
}

/// Days as a number that orders like the dates (YYYYMMDD).
fn day_number(day: NaiveDate) -> u64 {
    use chrono::Datelike;
    (day.year() as u64) * 10_000 + u64::from(day.month()) * 100 + u64::from(day.day())
}

/// The mean of each system's scores over `rows`; `None` for a system not measured.
fn mean(rows: &[usize], results: &[Systems]) -> [Option<Scores>; 3] {
    let n = rows.len().max(1) as f64;
    std::array::from_fn(|system| {
        let mut sum = Scores::default();
        for &i in rows {
            let one = results[i][system]?;
            sum.p10 += one.p10;
            sum.ndcg10 += one.ndcg10;
            sum.mrr += one.mrr;
        }
        Some(Scores {
            p10: sum.p10 / n,
            ndcg10: sum.ndcg10 / n,
            mrr: sum.mrr / n,
        })
    })
}

fn print_table(
    set: &str,
    queries: &[EvalQuery],
    results: &[Systems],
    chosen: &[usize],
    markdown: bool,
) {
    // Rows: each collection's classes, then its total, then the total of all.
    let mut rows: BTreeMap<(usize, usize), (String, Vec<usize>)> = BTreeMap::new();
    for (c, collection) in ["reuters", "wikinews"].iter().enumerate() {
        for (k, class) in CLASSES.iter().enumerate() {
            let members: Vec<usize> = chosen
                .iter()
                .copied()
                .filter(|&i| queries[i].collection == *collection && queries[i].class == *class)
                .collect();
            if !members.is_empty() {
                rows.insert((c, k), (format!("{collection} {class}"), members));
            }
        }
        let members: Vec<usize> = chosen
            .iter()
            .copied()
            .filter(|&i| queries[i].collection == *collection)
            .collect();
        rows.insert((c, CLASSES.len()), (format!("{collection} all"), members));
    }
    rows.insert((2, 0), ("all".to_string(), chosen.to_vec()));

    let header = [
        "queries", "n", "P@10", "bm25", "fts5", "nDCG@10", "bm25", "fts5", "MRR", "bm25", "fts5",
    ];
    if markdown {
        println!("**{set}** (dateline today, then plain BM25 on the body, then SQLite FTS5)\n");
        println!("| {} |", header.join(" | "));
        println!("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    } else {
        println!(
            "set {set}: dateline today, with plain BM25 on the body and SQLite FTS5 beside each \
             metric"
        );
        println!("{}", row_text(&header.map(str::to_string)));
    }
    for (name, members) in rows.values() {
        let [ours, bm25, fts5] = mean(members, results);
        let cell = |scores: Option<Scores>, metric: fn(&Scores) -> f64| match scores {
            Some(scores) => format!("{:.3}", metric(&scores)),
            None => "n/a".to_string(),
        };
        let mut cells = vec![name.clone(), members.len().to_string()];
        for metric in [
            (|s: &Scores| s.p10) as fn(&Scores) -> f64,
            |s: &Scores| s.ndcg10,
            |s: &Scores| s.mrr,
        ] {
            for system in [ours, bm25, fts5] {
                cells.push(cell(system, metric));
            }
        }
        if markdown {
            println!("| {} |", cells.join(" | "));
        } else {
            println!("{}", row_text(&cells));
        }
    }
}

/// A row of the plain-text table: name, count, then three groups of three columns.
fn row_text(cells: &[String]) -> String {
    let mut line = format!("{:<18} {:>3}", cells[0], cells[1]);
    for (i, cell) in cells[2..].iter().enumerate() {
        let gap = if i % 3 == 0 { "  " } else { " " };
        line.push_str(&format!("{gap}{cell:>7}"));
    }
    line
}

/// The second baseline: SQLite FTS5 through the `sqlite3` shell, as a user of SQLite would
/// search: title and body with the `porter unicode61` tokenizer, `ORDER BY rank` (FTS5's
/// bm25), the query's words joined by FTS5's implicit AND, or by OR for requests in plain
/// words (where AND finds almost nothing), phrases kept; dates as a `date` column filter.
struct Fts5 {
    db: PathBuf,
}

impl Fts5 {
    /// `None`, with a message, where the `sqlite3` shell is not installed.
    fn open_or_build(dir: &Path, archive: &Archive) -> Result<Option<Fts5>> {
        if Command::new("sqlite3").arg("--version").output().is_err() {
            eprintln!("rank_eval: no sqlite3 shell on PATH: the fts5 columns read n/a");
            return Ok(None);
        }
        let db = dir.join("articles.db");
        let documents = archive.stats(0)?.documents;
        if db.exists() {
            let count = sqlite(&db, "SELECT count(*) FROM articles;")?;
            if count.trim().parse::<u64>().ok() == Some(documents) {
                return Ok(Some(Fts5 { db }));
            }
            eprintln!(
                "rebuilding {}: the archive has {documents} articles",
                db.display()
            );
        }
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let lines = dir.join("articles.jsonl");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&lines)?);
        for article in archive.export(DateRange::default())? {
            let article = article?;
            let line = serde_json::json!({
                "file": file_name(&article.path),
                "date": article.date.to_string(),
                "title": article.title,
                "body": article.body,
            });
            writeln!(out, "{line}")?;
        }
        out.flush()?;
        drop(out);
        // One JSON line per row: the unit separator never occurs in JSON text.
        let script = format!(
            ".mode ascii\n.separator \"\x1f\" \"\\n\"\nCREATE TEMP TABLE raw(line TEXT);\n\
             .import {} raw\n\
             CREATE VIRTUAL TABLE articles USING fts5(file UNINDEXED, date UNINDEXED, title, body, \
             tokenize='porter unicode61');\n\
             INSERT INTO articles SELECT line->>'file', line->>'date', line->>'title', \
             line->>'body' FROM raw;\n\
             INSERT INTO articles(articles) VALUES('optimize');\n",
            lines.display()
        );
        let script_path = dir.join("load.sql");
        std::fs::write(&script_path, script)?;
        sqlite(&db, &format!(".read {}", script_path.display()))?;
        std::fs::remove_file(&lines)?;
        Ok(Some(Fts5 { db }))
    }

    fn top(&self, query: &EvalQuery) -> Result<Vec<String>> {
        let join = if query.class == "request" {
            " OR "
        } else {
            " "
        };
        let matched = fts5_terms(&query.text).join(join);
        let mut sql = format!(
            "SELECT file FROM articles WHERE articles MATCH '{}'",
            matched.replace('\'', "''")
        );
        if let Some(first) = query.dates.first {
            sql.push_str(&format!(" AND date >= '{first}'"));
        }
        if let Some(last) = query.dates.last {
            sql.push_str(&format!(" AND date <= '{last}'"));
        }
        sql.push_str(&format!(" ORDER BY rank, file LIMIT {TOP};"));
        let out = sqlite(&self.db, &sql)?;
        Ok(out.lines().map(str::to_string).collect())
    }
}

/// The query as FTS5 strings: `"phrases"` kept, every other word quoted (so that no word is
/// read as an FTS5 operator or column name).
fn fts5_terms(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    for (i, part) in text.split('"').enumerate() {
        if i % 2 == 1 {
            if !part.trim().is_empty() {
                terms.push(format!("\"{}\"", part.trim()));
            }
            continue;
        }
        for word in part.split(|c: char| !c.is_alphanumeric()) {
            if !word.is_empty() {
                terms.push(format!("\"{word}\""));
            }
        }
    }
    terms
}

/// Runs one SQL text or shell command in the `sqlite3` shell; its standard output.
fn sqlite(db: &Path, sql: &str) -> Result<String> {
    let output = Command::new("sqlite3")
        .arg("-batch")
        .arg(db)
        .arg(sql)
        .output()
        .context("running sqlite3")?;
    if !output.status.success() {
        bail!(
            "sqlite3 {}: {}",
            sql.chars().take(200).collect::<String>(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
