//! `dateline ingest`: formats, summary, idempotence, replacement, duplicates, rejections, index handling.

use std::collections::HashMap;

use crate::contract;
use crate::util::Fixture;

#[test]
fn ingest_reports_counts_and_indexes_both_formats() {
    let fx = Fixture::new();
    fx.article(
        "in/a.txt",
        "2025-01-15",
        "Budget talks open.\n\nMinisters met.",
    );
    fx.write(
        "in/feed.jsonl",
        "{\"id\":\"j1\",\"date\":\"2025-03-10\",\"title\":\"Budget passed\",\"body\":\"It passed.\"}\n\n{\"date\":\"2025-03-11T09:00:00Z\",\"text\":\"Second line article.\"}\n",
    );
    let run = fx.ingest(&["in"]).expect(0);
    let report: contract::Ingest = run.json();
    assert_eq!(
        (
            report.indexed,
            report.replaced,
            report.unchanged,
            report.duplicates
        ),
        (3, 0, 0, 0)
    );
    assert!(report.rejected.is_empty());
    assert_eq!(report.documents, 3);
    assert!(report.articles_per_second > 0.0);
    let show: contract::Article = fx.run(&["show", "j1", "--json"]).expect(0).json();
    assert_eq!(show.title, "Budget passed");
    assert_eq!(show.date, "2025-03-10");
    assert!(show.path.ends_with("feed.jsonl"), "{}", show.path);
}

#[test]
fn ingest_text_summary_names_the_counts() {
    let fx = Fixture::new();
    fx.article("a.txt", "2025-01-15", "One.\n\nText.");
    let run = fx.run(&["ingest", "a.txt"]).expect(0);
    assert!(
        run.stdout().contains(
            "1 indexed, 0 replaced, 0 unchanged, 0 duplicates, 0 moved, 0 removed, 0 rejected"
        ),
        "{}",
        run.describe()
    );
    assert!(
        run.stdout().contains("now holds 1 articles"),
        "{}",
        run.describe()
    );
}

#[test]
fn reingest_adds_nothing() {
    let fx = Fixture::new();
    fx.article("in/a.txt", "2025-01-15", "First.\n\nText one.");
    fx.article("in/b.txt", "2025-01-16", "Second.\n\nText two.");
    fx.write(
        "in/c.jsonl",
        "{\"date\":\"2025-01-17\",\"body\":\"Third text.\"}\n",
    );
    fx.ingest(&["in"]).expect(0);
    let again: contract::Ingest = fx.ingest(&["in"]).expect(0).json();
    assert_eq!(
        (
            again.indexed,
            again.replaced,
            again.unchanged,
            again.duplicates
        ),
        (0, 0, 3, 0)
    );
    assert_eq!(again.documents, 3);
    // Touching a file without changing it is still "unchanged" (content is compared).
    fx.article("in/a.txt", "2025-01-15", "First.\n\nText one.");
    let touched: contract::Ingest = fx.ingest(&["in"]).expect(0).json();
    assert_eq!(
        (touched.indexed, touched.replaced, touched.unchanged),
        (0, 0, 3)
    );
}

#[test]
fn same_input_given_by_another_relative_path_is_the_same_article() {
    let fx = Fixture::new();
    fx.article("in/a.txt", "2025-01-15", "First.\n\nText one.");
    fx.ingest(&["in"]).expect(0);
    let again: contract::Ingest = fx.ingest(&["./in/../in/a.txt"]).expect(0).json();
    assert_eq!((again.indexed, again.unchanged, again.documents), (0, 1, 1));
}

#[test]
fn changed_file_replaces_its_old_version() {
    let fx = Fixture::new();
    fx.article(
        "in/a.txt",
        "2025-01-15",
        "Old headline.\n\nThe walrus spoke.",
    );
    fx.ingest(&["in"]).expect(0);
    fx.article(
        "in/a.txt",
        "2025-01-15",
        "New headline.\n\nThe pelican spoke.",
    );
    let report: contract::Ingest = fx.ingest(&["in"]).expect(0).json();
    assert_eq!(
        (report.indexed, report.replaced, report.documents),
        (0, 1, 1)
    );
    fx.run(&["search", "walrus"]).expect(1);
    let hits: contract::Search = fx.run(&["search", "pelican", "--json"]).expect(0).json();
    assert_eq!(hits.total, 1);
    assert_eq!(hits.hits[0].title, "New headline");
}

#[test]
fn jsonl_line_with_repeated_id_replaces_within_one_run() {
    let fx = Fixture::new();
    fx.write(
        "f.jsonl",
        "{\"id\":\"x\",\"date\":\"2025-01-01\",\"body\":\"first version\"}\n{\"id\":\"x\",\"date\":\"2025-01-01\",\"body\":\"second version\"}\n",
    );
    let report: contract::Ingest = fx.ingest(&["f.jsonl"]).expect(0).json();
    assert_eq!(
        (report.indexed, report.replaced, report.documents),
        (1, 1, 1)
    );
    let article: contract::Article = fx.run(&["show", "x", "--json"]).expect(0).json();
    assert_eq!(article.title, "second version");
}

/// JSON Lines of (id, body) articles, all dated 2025-01-01.
fn jsonl(articles: &[(&str, &str)]) -> String {
    articles
        .iter()
        .map(|(id, body)| {
            format!("{{\"id\":\"{id}\",\"date\":\"2025-01-01\",\"body\":\"{body}\"}}\n")
        })
        .collect()
}

/// Ingests `first`, then `second` into the same index; the second run's report.
fn two_runs(first: &[(&str, &str)], second: &[(&str, &str)]) -> (Fixture, contract::Ingest) {
    let fx = Fixture::new();
    fx.write("a.jsonl", jsonl(first));
    fx.ingest(&["a.jsonl"]).expect(0);
    fx.write("b.jsonl", jsonl(second));
    let report = fx.ingest(&["b.jsonl"]).expect(0).json();
    (fx, report)
}

#[test]
fn content_replaced_earlier_in_the_run_is_no_longer_an_original() {
    let fx = Fixture::new();
    // x first holds "old text", then is replaced; y's "old text" is then the only copy.
    fx.write(
        "f.jsonl",
        jsonl(&[("x", "old text"), ("x", "new text"), ("y", "old text")]),
    );
    let report: contract::Ingest = fx.ingest(&["f.jsonl"]).expect(0).json();
    let counts = (report.indexed, report.replaced, report.duplicates);
    assert_eq!((counts, report.documents), ((2, 1, 0), 2));
    let y: contract::Article = fx.run(&["show", "y", "--json"]).expect(0).json();
    assert_eq!(y.title, "old text");
    // The same holds across runs: x stored with "old text" before, replaced in this run.
    let (_, report) = two_runs(
        &[("x", "old text")],
        &[("x", "new text"), ("y", "old text")],
    );
    assert_eq!(
        (report.indexed, report.replaced, report.duplicates),
        (1, 1, 0)
    );
    // And when the stored article is dropped in this run, as a copy of another one.
    let (fx, report) = two_runs(
        &[("v", "five")],
        &[("t", "four"), ("v", "four"), ("s", "five")],
    );
    assert_eq!(
        (report.indexed, report.duplicates, report.documents),
        (2, 1, 2),
        "v now copies t and is dropped; s holds the only copy of its text"
    );
    let s: contract::Article = fx.run(&["show", "s", "--json"]).expect(0).json();
    assert_eq!(s.title, "five");
}

#[test]
fn stored_content_under_a_new_id_is_indexed_whole_once_its_first_id_moves_on() {
    // y's text was stored before the run (under x), so y looks like a duplicate until x is
    // replaced; it must then be indexed like any new article, entities and all.
    let text = "Chancellor Helmut Kohl met President Francois Mitterrand in Paris on Monday.";
    let (fx, report) = two_runs(&[("x", text)], &[("x", "new text"), ("y", text)]);
    assert_eq!(
        (report.indexed, report.replaced, report.duplicates),
        (1, 1, 0)
    );
    let y: contract::Article = fx.run(&["show", "y", "--json"]).expect(0).json();
    let fresh = Fixture::new();
    fresh.write("z.jsonl", jsonl(&[("z", text)]));
    fresh.ingest(&["z.jsonl"]).expect(0);
    let z: contract::Article = fresh.run(&["show", "z", "--json"]).expect(0).json();
    assert!(!z.entities.is_empty(), "the text names people and a place");
    assert_eq!(
        (&y.title, &y.body, &y.entities),
        (&z.title, &z.body, &z.entities)
    );
    // While x still holds the text, y is a duplicate of it.
    let (_, report) = two_runs(&[("x", text)], &[("y", text)]);
    let originals: Vec<&str> = report
        .duplicate_articles
        .iter()
        .map(|d| d.duplicate_of.as_str())
        .collect();
    assert_eq!((report.indexed, originals), (0, vec!["x"]));
}

#[test]
fn long_jsonl_file_is_applied_in_line_order() {
    // Long enough to be prepared in several parts side by side; the outcome must be that of
    // reading it line by line: rejections in line order, each text kept at its first line.
    let fx = Fixture::new();
    let lines = 1_600u64;
    let mut text = String::new();
    let mut first_of_story: HashMap<u64, String> = HashMap::new();
    let mut expected_rejected = Vec::new();
    let mut expected_duplicates = Vec::new();
    for line in 1..=lines {
        let story = line % 700;
        if line % 100 == 0 {
            text.push_str("not json\n");
            expected_rejected.push(line);
            continue;
        }
        let id = format!("a{line}");
        text.push_str(&format!(
            "{{\"id\":\"{id}\",\"date\":\"2025-01-01\",\"body\":\"Story number {story}.\"}}\n"
        ));
        match first_of_story.get(&story) {
            Some(original) => expected_duplicates.push((line, original.clone())),
            None => {
                first_of_story.insert(story, id);
            }
        }
    }
    fx.write("long.jsonl", text);
    let report: contract::Ingest = fx.ingest(&["long.jsonl"]).expect(3).json();
    let rejected: Vec<u64> = report.rejected.iter().filter_map(|r| r.line).collect();
    assert_eq!(rejected, expected_rejected);
    let duplicates: Vec<(u64, String)> = report
        .duplicate_articles
        .iter()
        .map(|d| (d.line.unwrap_or(0), d.duplicate_of.clone()))
        .collect();
    assert_eq!(duplicates, expected_duplicates);
    assert_eq!(report.indexed, first_of_story.len() as u64);
    assert_eq!(report.documents, first_of_story.len() as u64);
}

#[test]
fn duplicate_under_another_name_is_stored_once_and_reported() {
    let fx = Fixture::new();
    let text = "Same story.\n\nWord for word the same.";
    fx.article("in/a.txt", "2025-01-15", text);
    fx.article("in/b.txt", "2025-01-15", text);
    fx.article("in/c.txt", "2025-01-16", text);
    let report: contract::Ingest = fx.ingest(&["in"]).expect(0).json();
    assert_eq!(
        (report.indexed, report.duplicates, report.documents),
        (2, 1, 2),
        "same text on another day is another article"
    );
    assert!(report.duplicate_articles[0].path.ends_with("b.txt"));
    let original: contract::Article = fx
        .run(&["show", &report.duplicate_articles[0].duplicate_of, "--json"])
        .expect(0)
        .json();
    assert!(
        original.path.ends_with("a.txt"),
        "the first in sorted order is kept"
    );
    // A later run finds the copy a duplicate of what is already indexed.
    fx.article("later/d.txt", "2025-01-15", text);
    let later: contract::Ingest = fx.ingest(&["later"]).expect(0).json();
    assert_eq!(
        (later.indexed, later.duplicates, later.documents),
        (0, 1, 2)
    );
}

#[test]
fn rejections_name_file_line_and_reason_and_the_rest_is_indexed() {
    let fx = Fixture::new();
    fx.article("in/good.txt", "2025-01-15", "Good.\n\nFine text.");
    fx.write("in/no-header.txt", "Just some text without a date.");
    fx.write("in/bad-date.txt", " date 2025-02-30 Impossible day.");
    fx.write("in/empty.txt", "");
    fx.write("in/date-only.txt", " date 2025-01-01 \n");
    fx.write("in/latin1.txt", b" date 2025-01-01 caf\xe9".as_slice());
    fx.write("in/binary.txt", b" date 2025-01-01 \x00\x01\x02".as_slice());
    fx.write(
        "in/feed.jsonl",
        "{\"date\":\"2025-01-02\",\"body\":\"Good line.\"}\n{\"date\":\"2025-01-02\",\"body\":\n[1]\n{\"date\":\"2025-01-02\",\"body\":7}\n{\"body\":\"no date\"}\n",
    );
    let run = fx.ingest(&["in"]).expect(3);
    let report: contract::Ingest = run.json();
    assert_eq!(report.indexed, 2);
    assert_eq!(report.documents, 2);
    let reasons: Vec<(String, Option<u64>, String)> = report
        .rejected
        .iter()
        .map(|r| {
            (
                r.path.rsplit('/').next().unwrap().to_string(),
                r.line,
                r.reason.clone(),
            )
        })
        .collect();
    let expect = [
        ("bad-date.txt", None, "not a calendar date"),
        ("binary.txt", None, "NUL byte"),
        ("date-only.txt", None, "no article text"),
        ("empty.txt", None, "empty file"),
        ("feed.jsonl", Some(2), "not valid JSON"),
        ("feed.jsonl", Some(3), "expected a JSON object"),
        ("feed.jsonl", Some(4), "\"body\" must be a string"),
        ("feed.jsonl", Some(5), "missing field \"date\""),
        ("latin1.txt", None, "not valid UTF-8"),
        ("no-header.txt", None, "missing date header"),
    ];
    assert_eq!(reasons.len(), expect.len(), "{reasons:#?}");
    for ((file, line, reason), (want_file, want_line, want_reason)) in reasons.iter().zip(expect) {
        assert_eq!((file.as_str(), *line), (want_file, want_line));
        assert!(reason.contains(want_reason), "{file}: {reason}");
    }
    // Text mode prints one line per rejection, naming file (and line).
    let text = fx.run(&["ingest", "in"]).expect(3);
    assert!(
        text.stderr()
            .contains("feed.jsonl:3: expected a JSON object"),
        "{}",
        text.describe()
    );
    assert!(
        text.stderr()
            .contains("bad-date.txt: bad date \"2025-02-30\""),
        "{}",
        text.describe()
    );
    fx.run(&["search", "fine"]).expect(0);
}

#[test]
fn valid_variants_are_indexed() {
    let fx = Fixture::new();
    fx.write(
        "bom.txt",
        b"\xEF\xBB\xBF date 2025-01-01 Bom headline.\n\nBody.".as_slice(),
    );
    fx.write(
        "crlf.txt",
        "date 2025-01-02 Crlf headline.\r\n\r\nBody text.\r\n",
    );
    fx.write(
        "own-line.txt",
        "\n  date\t2025-01-03\nOwn line headline.\n\nBody.",
    );
    let report: contract::Ingest = fx.ingest(&["."]).expect(0).json();
    assert_eq!(report.indexed, 3, "{:?}", report.rejected);
    let hits: contract::Search = fx
        .run(&["search", "headline", "--json", "--sort", "oldest"])
        .expect(0)
        .json();
    let titles: Vec<&str> = hits.hits.iter().map(|h| h.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Bom headline", "Crlf headline", "Own line headline"]
    );
}

#[test]
fn hidden_files_are_skipped() {
    let fx = Fixture::new();
    fx.article("in/a.txt", "2025-01-01", "Visible.\n\nText.");
    fx.write("in/.draft.txt", "not an article");
    fx.write("in/.cache/x.txt", "not an article");
    let report: contract::Ingest = fx.ingest(&["in"]).expect(0).json();
    assert_eq!((report.indexed, report.rejected.len()), (1, 0));
}

#[test]
fn missing_input_path_is_an_error_before_any_work() {
    let fx = Fixture::new();
    let run = fx.run(&["ingest", "no-such-folder"]).expect(2);
    assert!(
        run.stderr().contains("no-such-folder"),
        "{}",
        run.describe()
    );
    assert!(!fx.index().join("meta.json").exists());
}

#[test]
fn no_entities_flag_skips_extraction() {
    let fx = Fixture::new();
    fx.article(
        "a.txt",
        "2025-01-01",
        "Talks.\n\nPete Hegseth met NATO officials in Brussels.",
    );
    fx.run(&["ingest", "--no-entities", "a.txt"]).expect(0);
    let hits: contract::Search = fx.run(&["search", "hegseth", "--json"]).expect(0).json();
    assert!(hits.hits[0].entities.is_empty());
    fx.run(&["ingest", "--rebuild", "a.txt"]).expect(0);
    let hits: contract::Search = fx.run(&["search", "hegseth", "--json"]).expect(0).json();
    assert!(!hits.hits[0].entities.is_empty());
}

#[test]
fn rebuild_starts_from_empty() {
    let fx = Fixture::new();
    fx.article("one/a.txt", "2025-01-01", "First.\n\nText.");
    fx.article("two/b.txt", "2025-01-02", "Second.\n\nText.");
    fx.ingest(&["one"]).expect(0);
    let report: contract::Ingest = fx
        .run(&["ingest", "--rebuild", "--json", "two"])
        .expect(0)
        .json();
    assert_eq!((report.indexed, report.documents), (1, 1));
    fx.run(&["search", "first"]).expect(1);
}

#[test]
fn incompatible_index_asks_for_rebuild_and_rebuild_fixes_it() {
    let fx = Fixture::new();
    fx.incompatible_index();
    let run = fx.run(&["search", "first"]).expect(2);
    assert!(run.stderr().contains("--rebuild"), "{}", run.describe());
    assert!(
        run.stderr().contains("format version 999"),
        "{}",
        run.describe()
    );
    fx.run(&["ingest", "a.txt"]).expect(2);
    fx.run(&["ingest", "--rebuild", "a.txt"]).expect(0);
    fx.run(&["search", "first"]).expect(0);
}

#[test]
fn foreign_folder_with_a_meta_json_is_not_taken_for_an_index() {
    let fx = Fixture::new();
    fx.write("index/meta.json", "{\"not\": \"tantivy\"}");
    let run = fx.run(&["stats"]).expect(2);
    assert!(run.stderr().contains("--rebuild"), "{}", run.describe());
}

#[test]
fn second_concurrent_ingest_fails_at_once_naming_the_lock() {
    let fx = Fixture::new();
    fx.article("a.txt", "2025-01-01", "First.\n\nText.");
    fx.ingest(&["a.txt"]).expect(0);
    let store = dateline::schema::open(&fx.index()).unwrap();
    let _held: tantivy::IndexWriter = store.index.writer(50_000_000).unwrap();
    let run = fx.run(&["ingest", "a.txt"]).expect(2);
    assert!(
        run.stderr().contains(".tantivy-writer.lock"),
        "{}",
        run.describe()
    );
    assert!(
        run.stderr().contains("another ingest"),
        "{}",
        run.describe()
    );
}

#[test]
fn missing_index_is_a_clear_error() {
    let fx = Fixture::new();
    let run = fx.run(&["search", "x"]).expect(2);
    assert!(run.stderr().contains("no index at"), "{}", run.describe());
    assert!(
        run.stderr().contains("dateline ingest"),
        "{}",
        run.describe()
    );
}
