//! Quality of `dateline related` on Reuters-21578: precision at 10 beside plain more-like-this.
//!
//! ```text
//! cargo run --release --example related_eval -- [--index DIR] [--shared DIR] [--within SPAN]
//!                                               [--per-source]
//! ```
//!
//! The index is the one `dateline ingest ../shared/corpus/reuters21578 --index DIR` builds;
//! without `--index`, `target/related-eval-index` is used, and built that way first if absent.
//! The corpus and `eval/reuters21578-tags.jsonl` are read in place from `--shared` (default
//! `$DATELINE_SHARED`, else `../shared` beside the repository); where they are missing the
//! example says so and exits 0.
//!
//! A hit is relevant when it shares a TOPICS tag with the source article. The sources are fixed:
//! the articles with TOPICS tags, in NEWID order, that the index holds (a duplicate is stored
//! once, under its first name); the 1st, 51st, 101st, ... make the **tune** half, on which the
//! method's constants were chosen, and the 26th, 76th, ... the **held** half, which was not looked
//! at while choosing. P@10 is relevant hits among the first 10 / 10 (a list shorter than 10
//! counts its missing hits as not relevant), averaged over the sources.
//!
//! Systems, each leaving out the source itself:
//! - **dateline related** (`Archive::related`, as `dateline related ID` runs it), with its
//!   default window (or the one given with `--within`) and with `--within all`;
//! - **mlt**: tantivy's `MoreLikeThisQuery` with its default settings (Lucene's: at most 25
//!   terms, each in at least 5 articles and twice in the source) over the title and body of
//!   the same index, with and without the same window;
//! - **tfidf10**: the source's 10 words of highest tf-idf (title and body as written,
//!   lower-cased; document frequencies from the index) joined by OR and run through
//!   `dateline search`, no date window.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dateline::dates::Span;
use dateline::ingest::{ingest, IngestOptions};
use dateline::params::DEFAULT_WITHIN;
use dateline::query::{Filter, SearchRequest, SortOrder};
use dateline::related::RelatedRequest;
use dateline::schema::{self, exact_words};
use dateline::search::Archive;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue, Value};
use tantivy::tokenizer::TokenStream;
use tantivy::{TantivyDocument, Term};

const TOP: usize = 10;
/// Every how many sources with tags one is taken, and where the held half starts.
const STEP: usize = 50;
const HELD_OFFSET: usize = 25;

struct Source {
    id: String,
    topics: HashSet<String>,
    held: bool,
}

fn main() -> Result<()> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut index: Option<PathBuf> = None;
    let mut per_source = false;
    let mut window = DEFAULT_WITHIN;
    let mut shared = std::env::var_os("DATELINE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join("../shared"));
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--index" => index = Some(args.next().context("--index needs a folder")?.into()),
            "--shared" => shared = args.next().context("--shared needs a folder")?.into(),
            "--per-source" => per_source = true,
            "--within" => {
                let text = args.next().context("--within needs a span such as 7d")?;
                window = Span::parse_window(&text)?.context("--within needs a span, not all")?;
            }
            "-h" | "--help" => {
                println!(
                    "related_eval [--index DIR] [--shared DIR] [--within SPAN] [--per-source]"
                );
                return Ok(());
            }
            other => bail!("unknown argument {other:?} (see --help)"),
        }
    }
    let reuters = shared.join("corpus/reuters21578");
    let tags = shared.join("eval/reuters21578-tags.jsonl");
    for needed in [&reuters, &tags] {
        if !needed.exists() {
            println!(
                "related_eval: skipped: {} is absent (the Reuters corpus and its tags are read \
                 in place, never copied)",
                needed.display()
            );
            return Ok(());
        }
    }
    let index = index.unwrap_or_else(|| manifest.join("target/related-eval-index"));
    if !schema::index_exists(&index) {
        eprintln!("related_eval: building {}", index.display());
        ingest(
            &IngestOptions {
                index_dir: index.clone(),
                inputs: vec![reuters.clone()],
                rebuild: false,
                extract_entities: true,
                threads: 0,
                memory_mb: 96,
                commit_interval: std::time::Duration::from_secs(60),
                cancel: None,
                keep_missing: false,
                story_window: Some(dateline::stories::DEFAULT_WINDOW_DAYS),
            },
            &|_| {},
        )?;
    }
    let archive = Archive::open(&index)?;
    let store = schema::open(&index)?;

    // Topics by file name, and the stored articles' ids by file name.
    let mut topics_of_file: HashMap<String, HashSet<String>> = HashMap::new();
    let mut order: Vec<(u64, String)> = Vec::new();
    for line in std::fs::read_to_string(&tags)?.lines() {
        let row: serde_json::Value = serde_json::from_str(line)?;
        let file = row["file"].as_str().context("file")?.to_string();
        let topics: HashSet<String> = row["topics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect();
        if !topics.is_empty() {
            order.push((row["newid"].as_u64().context("newid")?, file.clone()));
        }
        topics_of_file.insert(file, topics);
    }
    order.sort();
    let mut id_of_file: HashMap<String, String> = HashMap::new();
    let mut topics_of_id: HashMap<String, HashSet<String>> = HashMap::new();
    for article in archive.export(Default::default())? {
        let article = article?;
        let file = file_name(&article.path);
        let topics = topics_of_file.get(&file).cloned().unwrap_or_default();
        topics_of_id.insert(article.id.clone(), topics);
        id_of_file.insert(file, article.id);
    }
    let sources: Vec<Source> = order
        .iter()
        .filter_map(|(_, file)| id_of_file.get(file).map(|id| (file, id)))
        .enumerate()
        .filter(|(position, _)| position % STEP == 0 || position % STEP == HELD_OFFSET)
        .map(|(position, (file, id))| Source {
            id: id.clone(),
            topics: topics_of_file[file].clone(),
            held: position % STEP == HELD_OFFSET,
        })
        .collect();

    let relevant_in = |source: &Source, ids: &[String]| -> f64 {
        let hits = ids
            .iter()
            .take(TOP)
            .filter(|id| {
                topics_of_id
                    .get(*id)
                    .is_some_and(|topics| !topics.is_disjoint(&source.topics))
            })
            .count();
        hits as f64 / TOP as f64
    };

    let searcher = store.index.reader()?.searcher();
    let fields = store.fields;
    let systems: Vec<String> = vec![
        format!("dateline related ({window})"),
        "dateline related (all)".to_string(),
        "mlt (all)".to_string(),
        format!("mlt ({window})"),
        "tfidf10 OR (all)".to_string(),
    ];
    let mut sums = vec![[0.0f64; 2]; systems.len()];
    let mut times = vec![Vec::new(); systems.len()];
    let mut counts = [0usize; 2];
    for source in &sources {
        let half = usize::from(source.held);
        counts[half] += 1;
        let mut lists: Vec<Vec<String>> = Vec::new();
        for (system, within) in [(0, Some(window)), (1, None)] {
            let started = Instant::now();
            let related = archive.related(&RelatedRequest {
                id: source.id.clone(),
                within,
                limit: TOP,
                offset: 0,
            })?;
            times[system].push(started.elapsed().as_secs_f64());
            lists.push(
                related
                    .results
                    .hits
                    .into_iter()
                    .map(|h| h.article.id)
                    .collect(),
            );
        }
        let (address, article) = {
            let term = Term::from_field_text(fields.id, &source.id);
            let found = searcher.search(
                &TermQuery::new(term, IndexRecordOption::Basic),
                &TopDocs::with_limit(1).order_by_score(),
            )?;
            let (_, address) = *found.first().context("source not found")?;
            let doc: TantivyDocument = searcher.doc(address)?;
            (address, fields.to_stored(&doc))
        };
        let _ = address;
        for (system, span) in [(2, None), (3, Some(window))] {
            let started = Instant::now();
            let mlt = MoreLikeThisQuery::builder().with_document_fields(vec![
                (fields.title, vec![OwnedValue::Str(article.title.clone())]),
                (fields.body, vec![OwnedValue::Str(article.body.clone())]),
            ]);
            let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
                (Occur::Must, Box::new(mlt)),
                (
                    Occur::MustNot,
                    Box::new(TermQuery::new(
                        Term::from_field_text(fields.id, &source.id),
                        IndexRecordOption::Basic,
                    )),
                ),
            ];
            if let Some(span) = span {
                let filter = Filter {
                    dates: Span::around(&span, article.date),
                    ..Filter::default()
                };
                clauses.push((Occur::Must, filter.build(&store)?.query));
            }
            let top = searcher.search(
                &BooleanQuery::new(clauses),
                &TopDocs::with_limit(TOP).order_by_score(),
            )?;
            let mut ids = Vec::new();
            for (_, address) in top {
                let doc: TantivyDocument = searcher.doc(address)?;
                let id = doc
                    .get_first(fields.id)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default();
                ids.push(id.to_string());
            }
            times[system].push(started.elapsed().as_secs_f64());
            lists.push(ids);
        }
        let started = Instant::now();
        let words = top_tfidf_words(&searcher, fields.exact, &article.title, &article.body)?;
        let request = SearchRequest {
            filter: Filter {
                text: words.join(" OR "),
                ..Filter::default()
            },
            sort: SortOrder::Relevance,
            limit: TOP + 1,
            offset: 0,
            collapse: false,
        };
        let ids: Vec<String> = archive
            .search(&request)?
            .hits
            .into_iter()
            .map(|h| h.article.id)
            .filter(|id| *id != source.id)
            .collect();
        times[4].push(started.elapsed().as_secs_f64());
        lists.push(ids);
        let scores: Vec<f64> = lists.iter().map(|ids| relevant_in(source, ids)).collect();
        for (system, score) in scores.iter().enumerate() {
            sums[system][half] += score;
        }
        if per_source {
            println!(
                "{}\t{}\t{}\t{}",
                source.id,
                if source.held { "held" } else { "tune" },
                article.title,
                scores
                    .iter()
                    .map(|s| format!("{s:.1}"))
                    .collect::<Vec<_>>()
                    .join("\t")
            );
        }
    }

    println!(
        "Reuters-21578, {} sources with TOPICS tags ({} tune, {} held); P@10 = share of the first \
         10 hits sharing a TOPICS tag with the source",
        sources.len(),
        counts[0],
        counts[1]
    );
    println!();
    println!("| system | P@10 tune | P@10 held | P@10 all | median ms |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (system, name) in systems.iter().enumerate() {
        let [tune, held] = sums[system];
        let all = (tune + held) / sources.len().max(1) as f64;
        println!(
            "| {name} | {:.3} | {:.3} | {all:.3} | {:.2} |",
            tune / counts[0].max(1) as f64,
            held / counts[1].max(1) as f64,
            median(&mut times[system]) * 1000.0
        );
    }
    Ok(())
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The source's ten words of highest tf-idf, as written (lower-cased), numbers left out.
fn top_tfidf_words(
    searcher: &tantivy::Searcher,
    field: tantivy::schema::Field,
    title: &str,
    body: &str,
) -> Result<Vec<String>> {
    let mut analyzer = exact_words();
    let mut counts: HashMap<String, f64> = HashMap::new();
    for text in [title, body] {
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            if token.text.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            *counts.entry(token.text.clone()).or_default() += 1.0;
        }
    }
    let documents = searcher.num_docs() as f64;
    let mut weighted = Vec::new();
    for (word, count) in counts {
        let frequency = searcher.doc_freq(&Term::from_field_text(field, &word))? as f64;
        if frequency == 0.0 {
            continue;
        }
        weighted.push((word, count * (documents / frequency).ln()));
    }
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(weighted
        .into_iter()
        .take(TOP)
        // Words that are query syntax would not be read as words.
        .filter(|(word, _)| !matches!(word.as_str(), "and" | "or" | "not"))
        .map(|(word, _)| word)
        .collect())
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
