//! Stories: near-copies grouped at ingest, collapsed in search, counted once, listed by
//! `show`, and kept consistent as articles come, change and go.

use std::collections::BTreeMap;

use crate::contract;
use crate::util::Fixture;

/// A body made of numbered units of six words found in no other unit: two bodies share
/// about as large a part of their shingles as of their units.
fn units(numbers: impl IntoIterator<Item = u32>) -> String {
    numbers
        .into_iter()
        .map(|n| format!("alpha{n} bravo{n} charlie{n} delta{n} echo{n} foxtrot{n}."))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The story of every stored article, by file name.
fn stories(fx: &Fixture) -> BTreeMap<String, String> {
    fx.run(&["export"])
        .expect(0)
        .stdout()
        .lines()
        .map(|line| {
            let article: contract::Article = serde_json::from_str(line).expect("export line");
            let name = article
                .path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_string();
            (name, article.story)
        })
        .collect()
}

/// The id of the article from this file.
fn id_of(fx: &Fixture, name: &str) -> String {
    fx.run(&["export"])
        .expect(0)
        .stdout()
        .lines()
        .map(|line| serde_json::from_str::<contract::Article>(line).expect("export line"))
        .find(|article| article.path.ends_with(&format!("/{name}")))
        .map(|article| article.id)
        .unwrap_or_else(|| panic!("no article from {name}"))
}

/// a and b: near-copies two days apart, both mentioning Germany; c: another text; d: a's
/// text seven weeks later.
fn four_articles(fx: &Fixture) {
    let germany = "Officials in Germany said so.";
    fx.article(
        "news/a.txt",
        "2025-03-03",
        &format!("Rates rise.\n\n{} {germany}", units(1..=20)),
    );
    fx.article(
        "news/b.txt",
        "2025-03-05",
        &format!(
            "UPDATE 1-Rates rise again.\n\n{} {germany} {}",
            units(1..=20),
            units([99])
        ),
    );
    fx.article(
        "news/c.txt",
        "2025-03-04",
        &format!("Floods.\n\n{}", units(100..=120)),
    );
    fx.article(
        "news/d.txt",
        "2025-04-20",
        &format!("Rates rise.\n\n{}", units(1..=20)),
    );
}

#[test]
fn near_copies_within_the_window_share_a_story() {
    let fx = Fixture::new();
    four_articles(&fx);
    fx.ingest(&["news"]).expect(0);
    let s = stories(&fx);
    assert_eq!(s["a.txt"], s["b.txt"], "{s:?}");
    assert_ne!(s["a.txt"], s["c.txt"], "{s:?}");
    assert_ne!(s["a.txt"], s["d.txt"], "outside the window: {s:?}");
    assert!(s.values().all(|story| story.len() == 16), "{s:?}");

    fx.run(&["ingest", "--rebuild", "--story-window", "60", "news"])
        .expect(0);
    let s = stories(&fx);
    assert_eq!(s["a.txt"], s["d.txt"], "a wider window: {s:?}");

    fx.run(&["ingest", "--rebuild", "--no-stories", "news"])
        .expect(0);
    let s = stories(&fx);
    let distinct: std::collections::BTreeSet<_> = s.values().collect();
    assert_eq!(distinct.len(), 4, "no stories: {s:?}");
    let err = fx.run(&["ingest", "--no-stories", "--story-window", "3", "news"]);
    assert_eq!(err.code(), 2, "{}", err.describe());
}

#[test]
fn search_collapses_stories_and_counts_see_them_once() {
    let fx = Fixture::new();
    four_articles(&fx);
    fx.ingest(&["news"]).expect(0);
    let (a, b) = (id_of(&fx, "a.txt"), id_of(&fx, "b.txt"));

    let plain: contract::Search = fx.run(&["search", "alpha1", "--json"]).expect(0).json();
    assert_eq!((plain.total, plain.hits.len(), plain.stories), (3, 3, None));
    assert!(plain.hits.iter().all(|hit| hit.similar.is_none()));
    let collapsed: contract::Search = fx
        .run(&["search", "alpha1", "--collapse", "--json"])
        .expect(0)
        .json();
    assert_eq!(collapsed.total, 3);
    assert_eq!(collapsed.stories, Some(2));
    assert_eq!(collapsed.hits.len(), 2);
    let ranks: Vec<usize> = collapsed.hits.iter().map(|hit| hit.rank).collect();
    assert_eq!(ranks, [1, 2]);
    let pair = collapsed
        .hits
        .iter()
        .find(|hit| hit.id == a || hit.id == b)
        .expect("a hit of the a/b story");
    let other = if pair.id == a { &b } else { &a };
    assert_eq!(pair.similar.as_deref(), Some(&[other.clone()][..]));
    let best = plain
        .hits
        .iter()
        .find(|hit| hit.id == a || hit.id == b)
        .unwrap();
    assert_eq!(
        pair.id, best.id,
        "the best-scoring article of the story is shown"
    );
    let text = fx
        .run(&["search", "alpha1", "--collapse"])
        .expect(0)
        .stdout();
    assert!(text.contains(&format!("+1 similar: {other}")), "{text}");
    assert!(text.contains("3 articles match in 2 stories"), "{text}");
    let second: contract::Search = fx
        .run(&[
            "search",
            "alpha1",
            "--collapse",
            "--offset",
            "1",
            "--limit",
            "1",
            "--json",
        ])
        .expect(0)
        .json();
    assert_eq!(second.hits.len(), 1);
    assert_eq!(second.hits[0].id, collapsed.hits[1].id);

    let timeline = |unique: bool| -> contract::Timeline {
        let mut args = vec!["timeline", "--interval", "year", "--json"];
        if unique {
            args.push("--unique");
        }
        fx.run(&args).expect(0).json()
    };
    assert_eq!((timeline(false).total, timeline(false).unique), (4, false));
    assert_eq!((timeline(true).total, timeline(true).unique), (3, true));
    let week: contract::Timeline = fx
        .run(&["timeline", "--interval", "week", "--unique", "--json"])
        .expect(0)
        .json();
    assert_eq!(
        week.buckets[0].count, 2,
        "a, b and c fall in one week: {week:?}"
    );

    let germany = |args: &[&str]| -> (usize, Option<usize>, u64) {
        let mut all = vec!["entities", "--json"];
        all.extend_from_slice(args);
        let answer: contract::Entities = fx.run(&all).expect(0).json();
        let count = answer
            .entities
            .iter()
            .find(|e| e.name == "Germany")
            .map_or(0, |e| e.count);
        (answer.documents, answer.stories, count)
    };
    assert_eq!(germany(&[]), (4, None, 2));
    assert_eq!(germany(&["--unique"]), (4, Some(3), 1));

    let shown: contract::Article = fx.run(&["show", &a, "--json"]).expect(0).json();
    let similar: Vec<String> = shown
        .similar
        .expect("show lists the story")
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(similar, std::slice::from_ref(&b));
    let text = fx.run(&["show", &a]).expect(0).stdout();
    assert!(
        text.contains("Same story (1 more)") && text.contains(&b),
        "{text}"
    );
    let alone: contract::Article = fx
        .run(&["show", &id_of(&fx, "c.txt"), "--json"])
        .expect(0)
        .json();
    assert_eq!(alone.similar.map(|s| s.len()), Some(0));
}

#[test]
fn stories_follow_articles_that_come_change_and_go() {
    let fx = Fixture::new();
    // x shares three quarters of its shingles with a and with b; a and b share half.
    fx.article(
        "news/x.txt",
        "2025-03-03",
        &format!("X.\n\n{}", units(1..=16)),
    );
    fx.ingest(&["news"]).expect(0);
    fx.article(
        "news/a.txt",
        "2025-03-03",
        &format!("A.\n\n{}", units(1..=12)),
    );
    fx.article(
        "news/b.txt",
        "2025-03-04",
        &format!("B.\n\n{}", units(5..=16)),
    );
    fx.ingest(&["news"]).expect(0);
    let s = stories(&fx);
    assert_eq!(
        s["a.txt"], s["x.txt"],
        "new articles join a stored story: {s:?}"
    );
    assert_eq!(s["b.txt"], s["x.txt"], "{s:?}");

    // Without x, a and b are no near-copies of each other: the story falls apart, as a
    // rebuild would have it.
    std::fs::remove_file(fx.path("news/x.txt")).unwrap();
    let report: contract::Ingest = fx.ingest(&["news"]).expect(0).json();
    assert_eq!(report.removed, 1);
    let s = stories(&fx);
    assert_ne!(s["a.txt"], s["b.txt"], "{s:?}");
    fx.run(&["ingest", "--rebuild", "news"]).expect(0);
    let rebuilt = stories(&fx);
    assert_ne!(rebuilt["a.txt"], rebuilt["b.txt"], "{rebuilt:?}");

    // b changed into a near-copy of a joins a's story; changed into something else, it
    // leaves it, and a's story is a alone.
    fx.article(
        "news/b.txt",
        "2025-03-04",
        &format!("B.\n\n{} {}", units(1..=12), units([50])),
    );
    let report: contract::Ingest = fx.ingest(&["news"]).expect(0).json();
    assert_eq!(report.replaced, 1);
    let s = stories(&fx);
    assert_eq!(s["a.txt"], s["b.txt"], "{s:?}");
    fx.article(
        "news/b.txt",
        "2025-03-04",
        &format!("B.\n\n{}", units(200..=220)),
    );
    fx.ingest(&["news"]).expect(0);
    let s = stories(&fx);
    assert_ne!(s["a.txt"], s["b.txt"], "{s:?}");
    let a = id_of(&fx, "a.txt");
    let shown: contract::Article = fx.run(&["show", &a, "--json"]).expect(0).json();
    assert_eq!(shown.similar.map(|s| s.len()), Some(0));

    // `dateline remove` splits a story too.
    fx.article(
        "news/b.txt",
        "2025-03-04",
        &format!("B.\n\n{}", units(5..=16)),
    );
    fx.article(
        "news/x.txt",
        "2025-03-03",
        &format!("X.\n\n{}", units(1..=16)),
    );
    fx.run(&["ingest", "--rebuild", "news"]).expect(0);
    let s = stories(&fx);
    assert!(
        s["a.txt"] == s["x.txt"] && s["b.txt"] == s["x.txt"],
        "{s:?}"
    );
    fx.run(&["remove", "news/x.txt"]).expect(0);
    let s = stories(&fx);
    assert_eq!(s.len(), 2);
    assert_ne!(s["a.txt"], s["b.txt"], "{s:?}");
}
