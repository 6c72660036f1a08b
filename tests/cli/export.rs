//! `export --format quickwit|opensearch --out DIR`: the index configuration and mapping use
//! only documented settings, every NDJSON line is a document (or a `_bulk` action before one),
//! files keep to their size limit, and the documents ingested back into dateline give the
//! same answers as the original index.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::Fixture;

/// The repository's sample corpus (people, organisations, places over several dates) and a
/// few dozen generated articles, enough to fill several small files.
fn archive() -> Fixture {
    let fx = Fixture::new();
    let words = [
        "Oil prices rose as OPEC ministers met in Vienna.",
        "Wheat exports from Canada fell in the third quarter.",
        "The Federal Reserve kept interest rates unchanged.",
        "Shares of General Motors gained in New York trading.",
    ];
    for n in 0..40 {
        let day = 1 + n % 28;
        let month = 1 + n / 28;
        let lead = words[n % words.len()];
        fx.article(
            &format!("extra/{n:02}.txt"),
            &format!("2025-{month:02}-{day:02}"),
            &format!(
                "Report {n}.\n\n{lead} {}",
                "Traders said the market was calm. ".repeat(n % 7)
            ),
        );
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    fx.ingest(&[corpus.to_str().unwrap(), "extra"]).expect(0);
    fx
}

/// Every article as the JSON Lines export gives it, by id.
fn rows(fx: &Fixture, dates: &[&str]) -> BTreeMap<String, Value> {
    let mut args = vec!["export"];
    args.extend_from_slice(dates);
    fx.run(&args)
        .expect(0)
        .stdout()
        .lines()
        .map(|line| {
            let row: Value = serde_json::from_str(line).unwrap();
            (row["id"].as_str().unwrap().to_string(), row)
        })
        .collect()
}

/// Runs an engine export into `out` (below the fixture) and returns its JSON summary.
fn export(fx: &Fixture, format: &str, out: &str, extra: &[&str]) -> Value {
    let out = fx.path(out);
    let mut args = vec![
        "export",
        "--format",
        format,
        "--out",
        out.to_str().unwrap(),
        "--json",
    ];
    args.extend_from_slice(extra);
    fx.run(&args).expect(0).json()
}

/// The NDJSON files of an export, in name order, with their lines parsed.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<Value>)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ndjson"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                text.ends_with('\n'),
                "{} ends without a newline",
                path.display()
            );
            let lines = text
                .lines()
                .enumerate()
                .map(|(n, line)| {
                    serde_json::from_str::<Value>(line).unwrap_or_else(|err| {
                        panic!("{}:{}: not JSON ({err}): {line}", path.display(), n + 1)
                    })
                })
                .collect();
            (path, lines)
        })
        .collect()
}

/// The documents of an OpenSearch `_bulk` file, checking that each follows an `index` action
/// keyed by its id (and nothing else).
fn bulk_documents(path: &Path, lines: &[Value]) -> Vec<Value> {
    assert!(
        lines.len().is_multiple_of(2),
        "{}: an action without its document",
        path.display()
    );
    lines
        .chunks(2)
        .map(|pair| {
            let (action, document) = (&pair[0], &pair[1]);
            assert_eq!(
                action,
                &serde_json::json!({ "index": { "_id": document["id"] } }),
                "{}: the action before a document",
                path.display()
            );
            document.clone()
        })
        .collect()
}

/// Checks one engine document against the export row of the same article.
fn check_document(document: &Value, rows: &BTreeMap<String, Value>) {
    let id = document["id"].as_str().expect("id");
    let row = rows
        .get(id)
        .unwrap_or_else(|| panic!("{id} is not in the export"));
    // The date: RFC 3339, at midnight UTC of the article's day.
    let date = document["date"].as_str().expect("date");
    let parsed = chrono::DateTime::parse_from_rfc3339(date).expect("RFC 3339");
    assert_eq!(parsed.offset().local_minus_utc(), 0, "{date}");
    assert_eq!(parsed.time(), chrono::NaiveTime::MIN, "{date}");
    assert_eq!(
        parsed.date_naive().to_string(),
        row["date"].as_str().unwrap()
    );
    // Every other field of the row, as it is.
    for (key, value) in row.as_object().unwrap() {
        if key != "date" {
            assert_eq!(&document[key], value, "{id}: {key}");
        }
    }
    let entities = row["entities"].as_array().unwrap();
    let keys: Vec<String> = entities
        .iter()
        .map(|e| {
            format!(
                "{}:{}",
                e["type"].as_str().unwrap(),
                e["name"].as_str().unwrap()
            )
        })
        .collect();
    let names: Vec<&str> = entities
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(document["entity_keys"], serde_json::json!(keys), "{id}");
    assert_eq!(document["entity_names"], serde_json::json!(names), "{id}");
}

#[test]
fn quickwit_export_is_one_document_per_line_for_every_article() {
    let fx = archive();
    let rows = rows(&fx, &[]);
    let summary = export(&fx, "quickwit", "qw", &[]);
    assert_eq!(summary["articles"], rows.len());
    assert!(fx.path("qw/index-config.yaml").is_file());
    let mut ids = BTreeSet::new();
    for (_, lines) in files(&fx.path("qw")) {
        for document in &lines {
            check_document(document, &rows);
            assert!(
                ids.insert(document["id"].to_string()),
                "{} twice",
                document["id"]
            );
        }
    }
    assert_eq!(ids.len(), rows.len());
}

#[test]
fn opensearch_export_pairs_each_document_with_an_index_action() {
    let fx = archive();
    let rows = rows(&fx, &[]);
    let summary = export(&fx, "opensearch", "os", &[]);
    assert_eq!(summary["articles"], rows.len());
    assert!(fx.path("os/mapping.json").is_file());
    let mut ids = BTreeSet::new();
    for (path, lines) in files(&fx.path("os")) {
        for document in bulk_documents(&path, &lines) {
            check_document(&document, &rows);
            assert!(
                ids.insert(document["id"].to_string()),
                "{} twice",
                document["id"]
            );
        }
    }
    assert_eq!(ids.len(), rows.len());
    // Both engines get the same documents.
    export(&fx, "quickwit", "qw", &[]);
    let quickwit: Vec<Value> = files(&fx.path("qw"))
        .into_iter()
        .flat_map(|(_, l)| l)
        .collect();
    let opensearch: Vec<Value> = files(&fx.path("os"))
        .into_iter()
        .flat_map(|(path, lines)| bulk_documents(&path, &lines))
        .collect();
    assert_eq!(quickwit, opensearch);
}

#[test]
fn story_ids_travel_in_every_export_format() {
    let fx = archive();
    // A wire story and its re-send with a paragraph added, two days apart: one story.
    let wire = "Copper prices climbed to a two year high on Tuesday as mine strikes in Chile \
                cut supplies and Chinese buyers returned to the market after the holiday, \
                traders in London said. Stocks in exchange warehouses fell for a ninth day.";
    fx.article("wire/a.txt", "2025-03-03", wire);
    fx.article(
        "wire/b.txt",
        "2025-03-05",
        &format!("{wire}\n\nThe union said talks would resume next week."),
    );
    fx.ingest(&["wire"]).expect(0);
    let rows = rows(&fx, &[]);
    let story_of = |path: &str| -> String {
        let row = rows
            .values()
            .find(|row| row["path"].as_str().unwrap().ends_with(path))
            .unwrap_or_else(|| panic!("{path} is not exported"));
        row["story"].as_str().expect("story").to_string()
    };
    let (a, b) = (story_of("wire/a.txt"), story_of("wire/b.txt"));
    assert_eq!(a, b, "near-copies share a story");
    assert!(
        a.len() == 16 && a.bytes().all(|c| c.is_ascii_hexdigit()),
        "{a}"
    );
    let others: BTreeSet<&str> = rows
        .values()
        .filter(|row| row["story"] == a.as_str())
        .map(|row| row["path"].as_str().unwrap())
        .collect();
    assert_eq!(others.len(), 2, "only the two copies: {others:?}");
    // Every engine document carries the row's story.
    export(&fx, "quickwit", "qw", &[]);
    export(&fx, "opensearch", "os", &[]);
    let quickwit: Vec<Value> = files(&fx.path("qw"))
        .into_iter()
        .flat_map(|(_, lines)| lines)
        .collect();
    let opensearch: Vec<Value> = files(&fx.path("os"))
        .into_iter()
        .flat_map(|(path, lines)| bulk_documents(&path, &lines))
        .collect();
    for document in quickwit.iter().chain(&opensearch) {
        let id = document["id"].as_str().unwrap();
        assert_eq!(document["story"], rows[id]["story"], "{id}");
    }
    assert_eq!(
        quickwit.iter().filter(|d| d["story"] == a.as_str()).count(),
        2
    );
}

#[test]
fn files_keep_to_the_size_limit_and_a_larger_article_goes_alone() {
    let fx = archive();
    for (format, out) in [("quickwit", "qw"), ("opensearch", "os")] {
        let summary = export(&fx, format, out, &["--max-file-size", "5K"]);
        let written = files(&fx.path(out));
        assert!(written.len() > 3, "{format}: {} files", written.len());
        let mut articles = 0;
        for (path, lines) in &written {
            let bytes = std::fs::metadata(path).unwrap().len();
            assert!(bytes <= 5000, "{}: {bytes} bytes", path.display());
            articles += if format == "opensearch" {
                bulk_documents(path, lines).len()
            } else {
                lines.len()
            };
        }
        assert_eq!(summary["articles"], articles);
        assert_eq!(summary["oversized"], 0);
        let listed: Vec<u64> = summary["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|file| file["bytes"].as_u64().unwrap())
            .collect();
        let sizes: Vec<u64> = written
            .iter()
            .map(|(path, _)| std::fs::metadata(path).unwrap().len())
            .collect();
        assert_eq!(listed, sizes);
    }

    // An article larger than the limit on its own: a file of its own, reported.
    fx.article(
        "big/long.txt",
        "2025-06-01",
        &format!("Long.\n\n{}", "word ".repeat(1200)),
    );
    fx.ingest(&["big"]).expect(0);
    let out = fx.path("big-export");
    let run = fx
        .run(&[
            "export",
            "--format",
            "quickwit",
            "--out",
            out.to_str().unwrap(),
            "--max-file-size",
            "5K",
        ])
        .expect(0);
    assert!(
        run.stderr()
            .contains("1 articles are larger than 5000 bytes"),
        "{}",
        run.describe()
    );
    let alone: Vec<_> = files(&out)
        .into_iter()
        .filter(|(path, _)| std::fs::metadata(path).unwrap().len() > 5000)
        .collect();
    assert_eq!(alone.len(), 1);
    assert_eq!(alone[0].1.len(), 1);
    assert_eq!(alone[0].1[0]["title"], "Long");
}

#[test]
fn date_filters_export_a_slice() {
    let fx = archive();
    for dates in [
        &["--from", "2025-02", "--to", "2025-03"][..],
        &["--on", "2025-01-05"][..],
    ] {
        let expected = rows(&fx, dates);
        assert!(!expected.is_empty());
        let mut args = dates.to_vec();
        args.extend_from_slice(&["--max-file-size", "3K"]);
        let summary = export(&fx, "opensearch", &format!("os{}", dates.len()), &args);
        assert_eq!(summary["articles"], expected.len());
        let ids: BTreeSet<String> = files(&fx.path(&format!("os{}", dates.len())))
            .into_iter()
            .flat_map(|(path, lines)| bulk_documents(&path, &lines))
            .map(|document| document["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids, expected.keys().cloned().collect());
    }
}

#[test]
fn an_export_goes_into_a_new_or_empty_folder_and_needs_one() {
    let fx = archive();
    fx.write("used/old.ndjson", "{}\n");
    let used = fx.path("used");
    let run = fx
        .run(&[
            "export",
            "--format",
            "quickwit",
            "--out",
            used.to_str().unwrap(),
        ])
        .expect(2);
    assert!(run.stderr().contains("is not empty"), "{}", run.describe());
    assert!(run.stderr().contains("used"), "{}", run.describe());
    fx.run(&["export", "--format", "opensearch"]).expect(2);
    fx.run(&["export", "--out", "x"]).expect(2);
    fx.run(&[
        "export",
        "--format",
        "quickwit",
        "--out",
        "y",
        "--max-file-size",
        "10X",
    ])
    .expect(2);
    fx.run(&["export", "--format", "elastic", "--out", "z"])
        .expect(2);
}

/// What a dateline index answers, with the paths left out (the copy's articles come from
/// the exported files).
fn answers(fx: &Fixture) -> Vec<Value> {
    let mut runs: Vec<Vec<&str>> = vec![
        vec!["stats", "--json", "--top", "50"],
        vec!["entities", "--json", "--limit", "100"],
        vec![
            "entities", "--json", "--type", "person", "--from", "2025-02",
        ],
        vec!["timeline", "--json", "--interval", "day"],
        vec!["timeline", "Hegseth", "--json", "--interval", "week"],
        vec![
            "timeline",
            "--json",
            "--entity",
            "NATO",
            "--interval",
            "month",
        ],
    ];
    for query in [
        "Hegseth",
        "NATO Ukraine",
        "oil prices",
        "\"interest rates\"",
        "entity:nato",
        "*",
    ] {
        runs.push(vec!["search", query, "--json", "--limit", "100"]);
        runs.push(vec![
            "search", query, "--json", "--sort", "oldest", "--from", "2025-02",
        ]);
    }
    runs.push(vec![
        "search",
        "*",
        "--json",
        "--entity",
        "Pete Hegseth",
        "--type",
        "person",
    ]);
    runs.into_iter()
        .map(|args| {
            let run = fx.run(&args);
            assert!(run.code() == 0 || run.code() == 1, "{}", run.describe());
            let mut answer: Value = run.json();
            if let Some(hits) = answer.get_mut("hits").and_then(Value::as_array_mut) {
                for hit in hits {
                    hit.as_object_mut().unwrap().remove("path");
                }
            }
            serde_json::json!({ "args": args, "answer": answer })
        })
        .collect()
}

#[test]
fn documents_ingested_back_give_the_same_answers() {
    let fx = archive();
    export(&fx, "quickwit", "qw", &["--max-file-size", "4K"]);
    // dateline reads the documents as JSON Lines: id, date (RFC 3339), title, body, url and
    // source are taken, the other fields left alone; entities are found again from the text.
    let copy = Fixture::new();
    let written: Vec<String> = files(&fx.path("qw"))
        .into_iter()
        .map(|(path, _)| path.to_str().unwrap().to_string())
        .collect();
    assert!(written.len() > 1);
    let paths: Vec<&str> = written.iter().map(String::as_str).collect();
    let report: Value = copy.ingest(&paths).expect(0).json();
    assert_eq!(report["rejected"], serde_json::json!([]));
    let original = answers(&fx);
    let again = answers(&copy);
    assert_eq!(original.len(), again.len());
    for (original, again) in original.iter().zip(&again) {
        assert_eq!(original, again);
    }
}

// ---------------------------------------------------------------------------------------------
// The index configuration and the mapping, against the settings their engines document.

/// Quickwit's index configuration, as documented for 0.8 and 0.9 at
/// <https://quickwit.io/docs/configuration/index-config> (in the Quickwit repository:
/// `docs/configuration/index-config.md`): the keys of the file, of `doc_mapping`, and the
/// parameters of each field type.
mod quickwit_docs {
    pub const TOP_LEVEL: &[&str] = &[
        "version",
        "index_id",
        "index_uri",
        "doc_mapping",
        "indexing_settings",
        "search_settings",
        "retention",
    ];
    pub const DOC_MAPPING: &[&str] = &[
        "field_mappings",
        "mode",
        "dynamic_mapping",
        "tag_fields",
        "store_source",
        "timestamp_field",
        "partition_key",
        "max_num_partitions",
        "index_field_presence",
    ];
    pub const MODES: &[&str] = &["dynamic", "lenient", "strict"];
    pub const TEXT: &[&str] = &[
        "name",
        "type",
        "description",
        "stored",
        "indexed",
        "tokenizer",
        "record",
        "fieldnorms",
        "fast",
    ];
    pub const DATETIME: &[&str] = &[
        "name",
        "type",
        "description",
        "input_formats",
        "output_format",
        "stored",
        "indexed",
        "fast",
        "fast_precision",
    ];
    /// The tokenizers of the page, without `en_stem`: Quickwit 0.9.0 built from its source
    /// has no such tokenizer and refuses an index that names it.
    pub const TOKENIZERS: &[&str] = &[
        "raw",
        "raw_lowercase",
        "default",
        "whitespace",
        "chinese_compatible",
        "lowercase",
    ];
    pub const RECORDS: &[&str] = &["basic", "freq", "position"];
    pub const DATE_FORMATS: &[&str] = &["iso8601", "rfc2822", "rfc3339", "unix_timestamp"];
    pub const PRECISIONS: &[&str] = &["seconds", "milliseconds", "microseconds", "nanoseconds"];
    pub const SEARCH_SETTINGS: &[&str] = &["default_search_fields"];
}

fn keys_within(object: &Value, allowed: &[&str], what: &str) {
    for key in object
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not a map"))
        .keys()
    {
        assert!(
            allowed.contains(&key.as_str()),
            "{what}: `{key}` is not a documented setting"
        );
    }
}

fn one_of(value: &Value, allowed: &[&str], what: &str) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{what} is not a string: {value}"));
    assert!(
        allowed.contains(&text),
        "{what}: `{text}` is not documented"
    );
}

#[test]
fn quickwit_config_uses_only_documented_settings() {
    use quickwit_docs::*;
    let fx = archive();
    export(&fx, "quickwit", "qw", &[]);
    let text = std::fs::read_to_string(fx.path("qw/index-config.yaml")).unwrap();
    let config: Value = serde_norway::from_str(&text).expect("index-config.yaml is YAML");
    keys_within(&config, TOP_LEVEL, "index config");
    // The format version Quickwit 0.8 and 0.9 both read.
    assert_eq!(config["version"], serde_json::json!(0.8));
    let mapping = &config["doc_mapping"];
    keys_within(mapping, DOC_MAPPING, "doc_mapping");
    one_of(&mapping["mode"], MODES, "mode");
    keys_within(
        &config["search_settings"],
        SEARCH_SETTINGS,
        "search_settings",
    );

    let mut fields = BTreeMap::new();
    for field in mapping["field_mappings"].as_array().unwrap() {
        let name = field["name"].as_str().unwrap().to_string();
        let kind = field["type"].as_str().unwrap();
        match kind
            .strip_prefix("array<")
            .and_then(|k| k.strip_suffix('>'))
            .unwrap_or(kind)
        {
            "text" => {
                keys_within(field, TEXT, &name);
                if let Some(tokenizer) = field.get("tokenizer") {
                    one_of(tokenizer, TOKENIZERS, &format!("{name}.tokenizer"));
                }
                if let Some(record) = field.get("record") {
                    one_of(record, RECORDS, &format!("{name}.record"));
                }
            }
            "datetime" => {
                keys_within(field, DATETIME, &name);
                for format in field["input_formats"].as_array().unwrap() {
                    one_of(format, DATE_FORMATS, &format!("{name}.input_formats"));
                }
                one_of(
                    &field["output_format"],
                    DATE_FORMATS,
                    &format!("{name}.output_format"),
                );
                one_of(
                    &field["fast_precision"],
                    PRECISIONS,
                    &format!("{name}.fast_precision"),
                );
            }
            other => panic!("{name}: type {other} is not used by this export"),
        }
        for flag in ["stored", "indexed", "fast", "fieldnorms"] {
            if let Some(value) = field.get(flag) {
                assert!(value.is_boolean(), "{name}.{flag}: {value}");
            }
        }
        fields.insert(name, field.clone());
    }
    // What the move needs: `date` the timestamp (datetime, fast); `title` and `body` text with
    // positions; entity keys multi-valued, raw and fast, plus the names; `id` raw; `path`
    // stored only.
    assert_eq!(mapping["timestamp_field"], "date");
    assert_eq!(fields["date"]["type"], "datetime");
    assert_eq!(fields["date"]["fast"], true);
    for text in ["title", "body"] {
        assert_eq!(fields[text]["type"], "text");
        assert_eq!(fields[text]["record"], "position");
    }
    assert_eq!(fields["entity_keys"]["type"], "array<text>");
    assert_eq!(fields["entity_keys"]["tokenizer"], "raw");
    assert_eq!(fields["entity_keys"]["fast"], true);
    assert_eq!(fields["entity_names"]["type"], "array<text>");
    assert_eq!(fields["id"]["tokenizer"], "raw");
    assert_eq!(fields["path"]["indexed"], false);
    assert_ne!(fields["path"]["stored"], false);
    // The story id: exact, and fast for counting stories or collapsing by them.
    assert_eq!(fields["story"]["type"], "text");
    assert_eq!(fields["story"]["tokenizer"], "raw");
    assert_eq!(fields["story"]["fast"], true);
    // Every field a document carries is mapped, or left to the dynamic mode.
    let documents = files(&fx.path("qw"));
    for key in documents[0].1[0].as_object().unwrap().keys() {
        assert!(
            fields.contains_key(key) || mapping["mode"] == "dynamic",
            "{key} is neither mapped nor dynamic"
        );
    }
    // The tokenizer caveat is written down beside the settings.
    assert!(text.contains("en_stem") && text.contains("0.9"), "{text}");
}

/// OpenSearch's mapping settings (2.x, also Elasticsearch 8), as documented at
/// <https://docs.opensearch.org/latest/field-types/> (supported field types: `keyword`,
/// `text`, `date`, `nested`; their parameters tables), <https://docs.opensearch.org/latest/field-types/mapping-parameters/dynamic/>,
/// <https://docs.opensearch.org/latest/analyzers/language-analyzers/index/> and
/// <https://docs.opensearch.org/latest/field-types/supported-field-types/date/#formats>.
mod opensearch_docs {
    pub const MAPPINGS: &[&str] = &["dynamic", "properties", "_source", "date_detection"];
    pub const DYNAMIC: &[&str] = &["true", "false", "strict", "strict_allow_templates"];
    pub const KEYWORD: &[&str] = &[
        "type",
        "boost",
        "doc_values",
        "eager_global_ordinals",
        "fields",
        "ignore_above",
        "index",
        "index_options",
        "meta",
        "normalizer",
        "norms",
        "null_value",
        "similarity",
        "split_queries_on_whitespace",
        "store",
    ];
    pub const TEXT: &[&str] = &[
        "type",
        "analyzer",
        "boost",
        "eager_global_ordinals",
        "fielddata",
        "fielddata_frequency_filter",
        "fields",
        "index",
        "index_options",
        "index_prefixes",
        "index_phrases",
        "meta",
        "norms",
        "position_increment_gap",
        "store",
        "search_analyzer",
        "search_quote_analyzer",
        "similarity",
        "term_vector",
    ];
    pub const DATE: &[&str] = &[
        "type",
        "boost",
        "doc_values",
        "format",
        "ignore_malformed",
        "index",
        "locale",
        "meta",
        "null_value",
        "store",
    ];
    pub const NESTED: &[&str] = &[
        "type",
        "properties",
        "include_in_parent",
        "include_in_root",
        "dynamic",
    ];
    /// Built-in analyzers used here: the standard one and the English language analyzer.
    pub const ANALYZERS: &[&str] = &[
        "standard",
        "simple",
        "whitespace",
        "stop",
        "keyword",
        "english",
    ];
    /// Built-in date formats that read `1987-03-02T00:00:00Z`.
    pub const DATE_FORMATS: &[&str] = &[
        "strict_date_optional_time",
        "date_optional_time",
        "strict_date_time_no_millis",
        "date_time_no_millis",
    ];
}

fn check_opensearch_properties(properties: &Value, path: &str) {
    use opensearch_docs::*;
    for (name, field) in properties.as_object().unwrap() {
        let what = format!("{path}{name}");
        match field["type"].as_str().unwrap() {
            "keyword" => keys_within(field, KEYWORD, &what),
            "text" => {
                keys_within(field, TEXT, &what);
                if let Some(analyzer) = field.get("analyzer") {
                    one_of(analyzer, ANALYZERS, &format!("{what}.analyzer"));
                }
            }
            "date" => {
                keys_within(field, DATE, &what);
                for format in field["format"].as_str().unwrap().split("||") {
                    one_of(
                        &Value::from(format),
                        DATE_FORMATS,
                        &format!("{what}.format"),
                    );
                }
            }
            "nested" => {
                keys_within(field, NESTED, &what);
                check_opensearch_properties(&field["properties"], &format!("{what}."));
            }
            other => panic!("{what}: type {other} is not used by this export"),
        }
        for flag in ["index", "doc_values", "store"] {
            if let Some(value) = field.get(flag) {
                assert!(value.is_boolean(), "{what}.{flag}: {value}");
            }
        }
    }
}

#[test]
fn opensearch_mapping_uses_only_documented_settings() {
    use opensearch_docs::*;
    let fx = archive();
    export(&fx, "opensearch", "os", &[]);
    let text = std::fs::read_to_string(fx.path("os/mapping.json")).unwrap();
    let body: Value = serde_json::from_str(&text).expect("mapping.json is JSON");
    keys_within(&body, &["mappings", "settings"], "mapping.json");
    let mappings = &body["mappings"];
    keys_within(mappings, MAPPINGS, "mappings");
    one_of(
        &Value::from(mappings["dynamic"].to_string()),
        DYNAMIC,
        "dynamic",
    );
    let properties = &mappings["properties"];
    check_opensearch_properties(properties, "");
    // What the move needs: `date` a date; text with the english analyzer; entities as nested
    // name/type keywords plus a flat `entity_keys` keyword.
    assert_eq!(properties["date"]["type"], "date");
    for text in ["title", "body"] {
        assert_eq!(properties[text]["type"], "text");
        assert_eq!(properties[text]["analyzer"], "english");
    }
    assert_eq!(properties["entities"]["type"], "nested");
    for key in ["name", "type"] {
        assert_eq!(properties["entities"]["properties"][key]["type"], "keyword");
    }
    assert_eq!(properties["entity_keys"]["type"], "keyword");
    assert_eq!(properties["id"]["type"], "keyword");
    assert_eq!(properties["story"]["type"], "keyword");
    // A document's fields are mapped, or picked up by dynamic mapping.
    let written = files(&fx.path("os"));
    let document = &written[0].1[1];
    for key in document.as_object().unwrap().keys() {
        assert!(
            properties.get(key).is_some() || mappings["dynamic"] == true,
            "{key} is neither mapped nor dynamic"
        );
    }
}
