//! The real corpora in `../shared`: answers checked against a plain scan of the files.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use crate::contract;
use crate::util::{shared_dir, Fixture};

/// One article file as a plain scan sees it: date, and the set of lower-cased words.
struct Scanned {
    date: String,
    words: HashSet<String>,
}

/// Reads every file of a corpus folder; identical files (same date and text) count once.
fn scan(folder: &Path) -> Vec<Scanned> {
    let mut seen = HashSet::new();
    let mut articles = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        if !seen.insert(text.clone()) {
            continue;
        }
        let rest = text
            .trim_start()
            .strip_prefix("date ")
            .unwrap()
            .trim_start();
        let date = rest[..10].to_string();
        let words = rest[10..]
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        articles.push(Scanned { date, words });
    }
    articles
}

/// Says why a test did not run. Written to stderr directly, not through `eprintln!`, which the
/// test harness captures and hides for tests that pass.
fn skip(reason: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED corpus test: {reason}");
}

#[test]
fn reuters_and_wikinews_answers_match_a_plain_scan() {
    let Some(shared) = shared_dir() else {
        return skip("../shared/corpus is not beside the repository");
    };
    let reuters = shared.join("corpus/reuters21578");
    let wikinews = shared.join("corpus/wikinews");
    let fx = Fixture::new();
    let run = fx.run(&[
        "ingest",
        "--json",
        &reuters.to_string_lossy(),
        &wikinews.to_string_lossy(),
    ]);
    let report: contract::Ingest = run.expect(0).json();
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);

    let reuters_scan = scan(&reuters);
    let wikinews_scan = scan(&wikinews);
    let files = std::fs::read_dir(&reuters).unwrap().count()
        + std::fs::read_dir(&wikinews).unwrap().count();
    assert_eq!(files, 21_577 + 291);
    let distinct = (reuters_scan.len() + wikinews_scan.len()) as u64;
    assert_eq!(report.indexed, distinct);
    assert_eq!(report.duplicates, files as u64 - distinct);
    assert_eq!(report.documents, distinct);

    // Articles containing a rare word within a month: the index and the scan agree.
    for (word, month) in [
        ("zinc", "1987-03"),
        ("cobalt", "1987-04"),
        ("tungsten", "1987-06"),
        ("rubber", "1987-10"),
    ] {
        let expected = reuters_scan
            .iter()
            .filter(|a| a.date.starts_with(month))
            .filter(|a| a.words.contains(word) || a.words.contains(&format!("{word}s")))
            .count();
        let result: contract::Search = fx
            .run(&["search", word, "--on", month, "--json", "--limit", "0"])
            .expect(if expected == 0 { 1 } else { 0 })
            .json();
        assert_eq!(result.total, expected, "{word} in {month}");
        assert!(
            expected > 0 || word == "tungsten",
            "{word} should occur in {month}"
        );
    }

    // Articles per month, over both corpora.
    let mut months: BTreeMap<String, u64> = BTreeMap::new();
    for article in reuters_scan.iter().chain(&wikinews_scan) {
        *months.entry(article.date[..7].to_string()).or_default() += 1;
    }
    let stats: contract::Stats = fx.run(&["stats", "--json"]).expect(0).json();
    let indexed: BTreeMap<String, u64> = stats
        .months
        .into_iter()
        .map(|m| (m.month, m.count))
        .collect();
    assert_eq!(indexed, months);
    assert_eq!(stats.first_date.as_deref(), Some("1987-02-26"));
    assert_eq!(stats.last_date.as_deref(), Some("2020-12-28"));

    // Daily timeline of a word in Wikinews 2020 against the scan.
    let mut by_day: HashMap<String, u64> = HashMap::new();
    for article in wikinews_scan.iter().filter(|a| a.date.starts_with("2020")) {
        if article.words.contains("pandemic") || article.words.contains("pandemics") {
            *by_day.entry(article.date.clone()).or_default() += 1;
        }
    }
    let timeline: contract::Timeline = fx
        .run(&[
            "timeline",
            "pandemic",
            "--interval",
            "day",
            "--on",
            "2020",
            "--json",
        ])
        .expect(0)
        .json();
    assert_eq!(timeline.buckets.len(), 366, "2020 is a leap year");
    for bucket in &timeline.buckets {
        assert_eq!(
            bucket.count,
            by_day.get(&bucket.start).copied().unwrap_or(0),
            "{}",
            bucket.start
        );
    }
    assert!(timeline.total > 0);

    // Re-ingesting the same folders changes nothing.
    let again: contract::Ingest = fx
        .run(&[
            "ingest",
            "--json",
            &reuters.to_string_lossy(),
            &wikinews.to_string_lossy(),
        ])
        .expect(0)
        .json();
    assert_eq!(
        (again.indexed, again.replaced, again.unchanged),
        (0, 0, distinct)
    );
    assert_eq!(again.documents, distinct);
}
