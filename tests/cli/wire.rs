//! The library's wire types read back what the binary prints, and write it again byte for byte;
//! rejected input goes to standard error only in text form.

use serde::de::DeserializeOwned;
use serde::Serialize;

use dateline::wire;

use crate::util::{Fixture, Run};

fn archive() -> Fixture {
    let fx = Fixture::new();
    fx.article(
        "news/2025-01-15.txt",
        "2025-01-15",
        "Budget talks open.\n\nNATO ministers met in Brussels to discuss the budget.",
    );
    fx.article(
        "news/2025-02-01.txt",
        "2025-02-01",
        "Budget deal reached.\n\nPete Hegseth said the budget deal was reached.",
    );
    fx.write(
        "news/wire.jsonl",
        "{\"id\":\"j1\",\"date\":\"2025-03-10\",\"title\":\"Budget passed\",\"body\":\"The budget \\\"passed\\\" the vote.\",\"url\":\"https://example.org/j1\"}\n",
    );
    fx.ingest(&["news"]).expect(0);
    fx
}

/// Reads each line of stdout as `T` and checks that writing it gives the same line.
fn reads_back<T: Serialize + DeserializeOwned>(run: &Run) -> Vec<T> {
    let stdout = run.stdout();
    assert!(!stdout.is_empty(), "{}", run.describe());
    stdout
        .lines()
        .map(|line| {
            let value: T = serde_json::from_str(line)
                .unwrap_or_else(|err| panic!("{err}: {line}\n{}", run.describe()));
            assert_eq!(serde_json::to_string(&value).unwrap(), line);
            value
        })
        .collect()
}

#[test]
fn every_json_answer_round_trips_through_the_wire_types() {
    let fx = archive();
    let search =
        reads_back::<wire::SearchResponse>(&fx.run(&["search", "budget", "--json"]).expect(0));
    assert_eq!(search[0].total, 3);
    assert!(search[0].hits.iter().all(|hit| !hit.highlights.is_empty()));
    reads_back::<wire::Stats>(&fx.run(&["stats", "--json"]).expect(0));
    reads_back::<wire::Timeline>(
        &fx.run(&["timeline", "budget", "--interval", "week", "--json"])
            .expect(0),
    );
    reads_back::<wire::Entities>(&fx.run(&["entities", "--json"]).expect(0));
    reads_back::<wire::Article>(&fx.run(&["show", "j1", "--json"]).expect(0));
    let exported = reads_back::<wire::Article>(&fx.run(&["export"]).expect(0));
    assert_eq!(exported.len(), 3);
    reads_back::<wire::IngestSummary>(&fx.ingest(&["news"]).expect(0));
}

#[test]
fn rejections_are_stderr_lines_in_text_form_only() {
    let fx = archive();
    fx.write("bad/feed.jsonl", "not json\n");
    let json = fx.ingest(&["bad"]).expect(3);
    let summary: wire::IngestSummary = json.json();
    assert_eq!(summary.rejected.len(), 1);
    assert!(json.stderr().is_empty(), "{}", json.describe());
    let text = fx.run(&["ingest", "bad"]).expect(3);
    assert!(
        text.stderr().starts_with("dateline: ") && text.stderr().contains("feed.jsonl:1: "),
        "{}",
        text.describe()
    );
    assert!(text.stdout().contains("1 rejected"), "{}", text.describe());
    let quiet = fx.run(&["ingest", "--quiet", "bad"]).expect(3);
    assert_eq!(quiet.stderr(), text.stderr());
    assert!(quiet.stdout().is_empty(), "{}", quiet.describe());
}
