//! `related`, `trends` and `entities --with` through the binary: planted answers in generated
//! corpora, and results equal to a brute-force count over `dateline export` of the sample
//! corpus.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use chrono::{Days, NaiveDate};
use serde::Deserialize;

use crate::contract;
use crate::util::Fixture;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Period {
    from: String,
    to: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntityTrend {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    count: u64,
    baseline_count: u64,
    score: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TermTrend {
    term: String,
    count: u64,
    baseline_count: u64,
    score: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Trends {
    from: String,
    to: String,
    baseline: Period,
    entities: Vec<EntityTrend>,
    terms: Vec<TermTrend>,
}

/// Dunning's G², signed, written out again from its definition.
fn g2(a: u64, a_total: u64, b: u64, b_total: u64) -> f64 {
    let (a, at, b, bt) = (a as f64, a_total as f64, b as f64, b_total as f64);
    let total = at + bt;
    let mut sum = 0.0;
    for (observed, row, column) in [
        (a, at, a + b),
        (at - a, at, total - a - b),
        (b, bt, a + b),
        (bt - b, bt, total - a - b),
    ] {
        if observed > 0.0 {
            sum += observed * (observed / (row * column / total)).ln();
        }
    }
    let sign = if a * bt > b * at {
        1.0
    } else if a * bt < b * at {
        -1.0
    } else {
        0.0
    };
    sign * 2.0 * sum
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Filler words, all in every filler article, so that none of them can rise or fall.
const FILLER: [&str; 12] = [
    "council", "market", "report", "river", "harbour", "weather", "station", "bridge", "school",
    "garden", "railway", "library",
];

/// An article of filler only: the same words every time, in an order that varies.
fn filler(n: usize) -> String {
    let mut words: Vec<&str> = FILLER.to_vec();
    words.rotate_left(n % FILLER.len());
    format!(
        "The {} news.\n\nThe {} were discussed today.",
        words[0],
        words.join(" and the ")
    )
}

#[test]
fn trends_find_a_planted_burst_and_nothing_else() {
    let fx = Fixture::new();
    // Baseline: 40 days of filler, one article mentioning the zeppelin. Window: 20 days, ten
    // with filler only, ten about the zeppelin, six of which quote Angela Merkel.
    let baseline_start = day("2025-01-11");
    for n in 0..40 {
        let date = baseline_start + Days::new(n);
        let mut text = filler(n as usize);
        if n == 17 {
            text.push_str(" A zeppelin flew over.");
        }
        fx.article(&format!("in/base{n}.txt"), &date.to_string(), &text);
    }
    let window_start = day("2025-02-20");
    for n in 0..20 {
        let date = window_start + Days::new(n);
        let mut text = filler(n as usize);
        if n % 2 == 0 {
            text.push_str(" A zeppelin flew over.");
            if n < 12 {
                text.push_str(" Chancellor Angela Merkel spoke.");
            }
        }
        fx.article(&format!("in/window{n}.txt"), &date.to_string(), &text);
    }
    fx.ingest(&["in"]).expect(0);
    let trends: Trends = fx
        .run(&[
            "trends",
            "--from",
            "2025-02-20",
            "--to",
            "2025-03-11",
            "--json",
        ])
        .expect(0)
        .json();
    assert_eq!(
        (trends.from.as_str(), trends.to.as_str()),
        ("2025-02-20", "2025-03-11")
    );
    assert_eq!(
        (trends.baseline.from.as_str(), trends.baseline.to.as_str()),
        ("2024-12-02", "2025-02-19"),
        "the default baseline is the 80 days before the 20-day window"
    );
    let terms: Vec<(&str, u64, u64)> = trends
        .terms
        .iter()
        .map(|t| (t.term.as_str(), t.count, t.baseline_count))
        .collect();
    // The planted sentence's words tie (ten articles against one), ties in name order; single
    // letters ("a") are not listed.
    assert_eq!(
        &terms[..3],
        [("flew", 10, 1), ("over", 10, 1), ("zeppelin", 10, 1)],
        "{terms:?}"
    );
    let listed: BTreeSet<&str> = terms.iter().map(|t| t.0).collect();
    let expected: BTreeSet<&str> = [
        "zeppelin",
        "flew",
        "over",
        "chancellor",
        "angela",
        "merkel",
        "spoke",
    ]
    .into();
    assert_eq!(listed, expected, "filler words never rise");
    let zeppelin = &trends.terms[2];
    assert!((zeppelin.score - g2(10, 20, 1, 40)).abs() < 1e-6);
    assert!(trends.terms.windows(2).all(|w| w[0].score >= w[1].score));
    let merkel = &trends.entities[0];
    assert_eq!(
        (
            merkel.name.as_str(),
            merkel.kind.as_str(),
            merkel.count,
            merkel.baseline_count
        ),
        ("Angela Merkel", "person", 6, 0)
    );
    assert!((merkel.score - g2(6, 20, 0, 40)).abs() < 1e-6);

    // The same burst against a baseline given by hand; a baseline after it finds it too.
    let given: Trends = fx
        .run(&[
            "trends",
            "--on",
            "2025-03",
            "--baseline",
            "2025-01..2025-02-19",
            "--json",
        ])
        .expect(0)
        .json();
    assert_eq!(given.baseline.from, "2025-01-01");
    assert!(given.terms.iter().any(|t| t.term == "zeppelin"));
    // The text form names the window, the baseline and the burst.
    let text = fx
        .run(&["trends", "--from", "2025-02-20", "--to", "2025-03-11"])
        .expect(0)
        .stdout();
    assert!(
        text.contains("2025-02-20 to 2025-03-11 against 2024-12-02 to 2025-02-19"),
        "{text}"
    );
    assert!(
        text.contains("zeppelin") && text.contains("Angela Merkel"),
        "{text}"
    );
}

#[test]
fn trends_refuse_bad_windows_with_the_parameter_named() {
    let fx = Fixture::new();
    fx.article("a.txt", "2025-01-01", "Some news.\n\nText.");
    fx.ingest(&["a.txt"]).expect(0);
    for (args, needle) in [
        (
            vec![
                "trends",
                "--on",
                "2025-01",
                "--baseline",
                "2025-01..2025-02",
            ],
            "overlaps",
        ),
        (
            vec!["trends", "--on", "2025-01", "--baseline", "2024"],
            "FROM..TO",
        ),
        (
            vec!["trends", "--from", "2025-02-30", "--to", "2025-03"],
            "2025-02-30",
        ),
        (
            vec!["trends", "--from", "2025-03", "--to", "2025-02"],
            "later",
        ),
    ] {
        let run = fx.run(&args).expect(2);
        assert!(run.stderr().contains(needle), "{}", run.describe());
    }
}

/// One article of the export, as the brute force reads it.
struct Exported {
    /// The story id.
    story: String,
    date: NaiveDate,
    words: HashSet<String>,
    entities: HashSet<(String, String)>,
}

/// `dateline export` of the sample corpus (`corpus/` in the repository), indexed afresh.
fn sample_export() -> (Fixture, Vec<Exported>) {
    let fx = Fixture::new();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    fx.run(&["ingest", "--json", &corpus.to_string_lossy()])
        .expect(0);
    let export = fx.run(&["export"]).expect(0).stdout();
    let articles = export
        .lines()
        .map(|line| {
            let article: contract::Article = serde_json::from_str(line).unwrap();
            // The index's words: title and body split at every character that is not a letter
            // or digit, lower-cased, words of 40 bytes or more dropped.
            let words = format!("{} {}", article.title, article.body)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty() && w.len() < 40)
                .map(str::to_lowercase)
                .collect();
            Exported {
                story: article.story,
                date: day(&article.date),
                words,
                entities: article
                    .entities
                    .into_iter()
                    .map(|e| (e.name, e.kind))
                    .collect(),
            }
        })
        .collect();
    (fx, articles)
}

#[test]
fn trends_equal_a_brute_force_count_over_the_sample_export() {
    let (fx, articles) = sample_export();
    let (window, baseline) = (
        (day("2025-04-01"), day("2025-07-31")),
        (day("2024-01-01"), day("2025-03-31")),
    );
    let inside = |d: NaiveDate, (first, last): (NaiveDate, NaiveDate)| first <= d && d <= last;
    let in_window: Vec<&Exported> = articles.iter().filter(|a| inside(a.date, window)).collect();
    let in_baseline: Vec<&Exported> = articles
        .iter()
        .filter(|a| inside(a.date, baseline))
        .collect();
    assert!(
        in_window.len() >= 3 && in_baseline.len() >= 3,
        "the sample spans both periods"
    );
    let (nw, nb) = (in_window.len() as u64, in_baseline.len() as u64);

    // Rule: at least 2 window articles, more frequent in the window, G² >= 3.841.
    let rising = |counts: BTreeMap<String, (u64, u64)>| -> BTreeMap<String, (u64, u64, f64)> {
        counts
            .into_iter()
            .filter(|(_, (w, _))| *w >= 2)
            .map(|(key, (w, b))| (key, (w, b, g2(w, nw, b, nb))))
            .filter(|(_, (_, _, score))| *score >= 3.841)
            .collect()
    };
    let mut word_counts: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut entity_counts: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for (group, is_window) in [(&in_window, true), (&in_baseline, false)] {
        for article in group.iter() {
            for word in article
                .words
                .iter()
                .filter(|w| !w.bytes().any(|b| b.is_ascii_digit()) && w.chars().count() >= 2)
            {
                let entry = word_counts.entry(word.clone()).or_default();
                if is_window {
                    entry.0 += 1
                } else {
                    entry.1 += 1
                }
            }
            for (name, kind) in &article.entities {
                let entry = entity_counts.entry(format!("{kind}/{name}")).or_default();
                if is_window {
                    entry.0 += 1
                } else {
                    entry.1 += 1
                }
            }
        }
    }
    let expected_terms = rising(word_counts);
    let expected_entities = rising(entity_counts);
    assert!(!expected_terms.is_empty() && !expected_entities.is_empty());

    let trends: Trends = fx
        .run(&[
            "trends",
            "--from",
            "2025-04",
            "--to",
            "2025-07",
            "--baseline",
            "2024..2025-03",
            "--limit",
            "100000",
            "--json",
        ])
        .expect(0)
        .json();
    let got_terms: BTreeMap<String, (u64, u64, f64)> = trends
        .terms
        .iter()
        .map(|t| (t.term.clone(), (t.count, t.baseline_count, t.score)))
        .collect();
    let got_entities: BTreeMap<String, (u64, u64, f64)> = trends
        .entities
        .iter()
        .map(|e| {
            (
                format!("{}/{}", e.kind, e.name),
                (e.count, e.baseline_count, e.score),
            )
        })
        .collect();
    for (got, expected) in [
        (&got_terms, &expected_terms),
        (&got_entities, &expected_entities),
    ] {
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>()
        );
        for (key, (w, b, score)) in expected {
            let (gw, gb, gscore) = got[key];
            assert_eq!((gw, gb), (*w, *b), "{key}");
            assert!(
                (gscore - score).abs() < 1e-6,
                "{key}: {gscore} against {score}"
            );
        }
    }
    assert!(trends.terms.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(trends.entities.windows(2).all(|w| w[0].score >= w[1].score));
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoredEntity {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    count: u64,
    score: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CoMentions {
    query: String,
    documents: usize,
    entities: Vec<ScoredEntity>,
    /// With `--unique`: the stories of the articles mentioning the name.
    stories: Option<usize>,
}

#[test]
fn entities_with_equal_a_brute_force_count_over_the_sample_export() {
    let (fx, articles) = sample_export();
    for (name, from) in [
        ("NATO", None),
        ("Pete Hegseth", None),
        ("NATO", Some("2025-03")),
    ] {
        for unique in [false, true] {
            let matching: Vec<(usize, &Exported)> = articles
                .iter()
                .enumerate()
                .filter(|(_, a)| from.is_none_or(|from| a.date >= day(&format!("{from}-01"))))
                .collect();
            // What is counted: each article, or (with --unique) each story.
            let unit = |(at, a): &(usize, &Exported)| -> String {
                if unique {
                    a.story.clone()
                } else {
                    format!("article {at}")
                }
            };
            let mentions =
                |a: &Exported| a.entities.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
            let together: Vec<&(usize, &Exported)> =
                matching.iter().filter(|(_, a)| mentions(a)).collect();
            let units: BTreeSet<String> = matching.iter().map(unit).collect();
            let together_units: BTreeSet<String> = together.iter().map(|a| unit(a)).collect();
            let apart = (units.len() - together_units.len()) as u64;
            // Per entity: the units of articles mentioning both, and of all that mention it.
            let mut co: BTreeMap<(String, String), (BTreeSet<String>, BTreeSet<String>)> =
                BTreeMap::new();
            for article in &matching {
                for entity in &article.1.entities {
                    if entity.0.eq_ignore_ascii_case(name) {
                        continue;
                    }
                    let entry = co.entry(entity.clone()).or_default();
                    if mentions(article.1) {
                        entry.0.insert(unit(article));
                    }
                    entry.1.insert(unit(article));
                }
            }
            let expected: BTreeMap<(String, String), (u64, f64)> = co
                .into_iter()
                .filter(|(_, (both, _))| !both.is_empty())
                .map(|(key, (both, all))| {
                    let (both, alone) = (both.len() as u64, (all.len() - both.len()) as u64);
                    let score = g2(both, together_units.len() as u64, alone, apart);
                    (key, (both, score))
                })
                .collect();
            assert!(!expected.is_empty(), "{name}");

            let mut args = vec!["entities", "--with", name, "--limit", "100000", "--json"];
            if let Some(from) = from {
                args.extend(["--from", from]);
            }
            if unique {
                args.push("--unique");
            }
            let answer: CoMentions = fx.run(&args).expect(0).json();
            assert_eq!(answer.query, "*");
            assert_eq!(answer.documents, together.len(), "{name}");
            assert_eq!(
                answer.stories,
                unique.then_some(together_units.len()),
                "{name}"
            );
            let got: BTreeMap<(String, String), (u64, f64)> = answer
                .entities
                .iter()
                .map(|e| ((e.name.clone(), e.kind.clone()), (e.count, e.score)))
                .collect();
            assert_eq!(
                got.keys().collect::<Vec<_>>(),
                expected.keys().collect::<Vec<_>>(),
                "{name}"
            );
            for (key, (count, score)) in &expected {
                assert_eq!(got[key].0, *count, "{key:?} unique={unique}");
                assert!((got[key].1 - score).abs() < 1e-6, "{key:?} unique={unique}");
            }
            assert!(answer.entities.windows(2).all(|w| w[0].score >= w[1].score));
        }
    }
}

#[test]
fn entities_with_unique_counts_the_stories_of_co_mentions() {
    let fx = Fixture::new();
    // Words of one article only, so that articles are near-copies only where planted.
    let own = |tag: &str| -> String {
        (0..30)
            .map(|k| format!("{tag}w{k}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    // One story of three near-copies with Merkel and Macron; one article with Merkel alone;
    // two with Macron alone.
    let meeting = format!(
        "Leaders meet.\n\nAngela Merkel met Emmanuel Macron in Paris on Monday. {}.",
        own("meeting")
    );
    for n in 0..3 {
        fx.article(
            &format!("in/meeting{n}.txt"),
            &format!("2025-03-0{}", n + 1),
            &format!("{meeting} Update {n}."),
        );
    }
    fx.article(
        "in/merkel.txt",
        "2025-03-02",
        &format!(
            "Merkel speaks.\n\nAngela Merkel spoke in Berlin. {}.",
            own("merkel")
        ),
    );
    for n in 0..2 {
        fx.article(
            &format!("in/macron{n}.txt"),
            "2025-03-02",
            &format!(
                "Macron speaks.\n\nEmmanuel Macron spoke in Lyon. {}.",
                own(&format!("macron{n}"))
            ),
        );
    }
    fx.ingest(&["in"]).expect(0);
    let macron = |answer: &CoMentions| -> u64 {
        answer
            .entities
            .iter()
            .find(|e| e.name == "Emmanuel Macron")
            .expect("Macron is co-mentioned")
            .count
    };
    let args = [
        "entities",
        "--with",
        "Angela Merkel",
        "--type",
        "person",
        "--json",
    ];
    let articles: CoMentions = fx.run(&args).expect(0).json();
    assert_eq!((articles.documents, articles.stories), (4, None));
    assert_eq!(macron(&articles), 3, "articles mentioning both");
    let mut unique_args = args.to_vec();
    unique_args.push("--unique");
    let stories: CoMentions = fx.run(&unique_args).expect(0).json();
    assert_eq!((stories.documents, stories.stories), (4, Some(2)));
    assert_eq!(macron(&stories), 1, "stories mentioning both");
    // Stories: Merkel's 2 against the other 2 (Macron alone); Macron in 1 of Merkel's and
    // in both of the others.
    assert!((stories.entities[0].score - g2(1, 2, 2, 2)).abs() < 1e-6);
}

#[test]
fn entities_with_rank_planted_co_mentions_first() {
    let fx = Fixture::new();
    // Merkel and Macron meet in 8 articles; Biden is in every article, Merkel's or not; Putin
    // only in articles without Merkel; Lagarde once with Merkel, twice without.
    for n in 0..20 {
        let mut text = format!("{}\n\nJoe Biden made a statement.", filler(n));
        if n < 8 {
            text.push_str(" Angela Merkel met Emmanuel Macron.");
        } else if n < 12 {
            text.push_str(" Angela Merkel spoke alone.");
        } else {
            text.push_str(" Vladimir Putin spoke.");
        }
        if n == 0 || n == 15 || n == 16 {
            text.push_str(" Christine Lagarde listened.");
        }
        fx.article(&format!("in/{n}.txt"), "2025-03-01", &text);
    }
    fx.ingest(&["in"]).expect(0);
    let answer: CoMentions = fx
        .run(&[
            "entities",
            "--with",
            "Angela Merkel",
            "--type",
            "person",
            "--json",
        ])
        .expect(0)
        .json();
    assert_eq!(answer.documents, 12, "articles mentioning Merkel");
    let found: Vec<(&str, u64)> = answer
        .entities
        .iter()
        .map(|e| (e.name.as_str(), e.count))
        .collect();
    assert_eq!(
        found,
        [
            ("Emmanuel Macron", 8),
            ("Joe Biden", 12),
            ("Christine Lagarde", 1)
        ],
        "Putin never comes with Merkel; Biden comes with everyone"
    );
    assert!((answer.entities[0].score - g2(8, 12, 0, 8)).abs() < 1e-6);
    assert_eq!(answer.entities[1].score, 0.0);
    assert!(answer.entities[2].score < 0.0);
    // The query and date filters narrow the articles counted.
    let none: CoMentions = fx
        .run(&[
            "entities",
            "--with",
            "Angela Merkel",
            "--from",
            "2025-04",
            "--json",
        ])
        .expect(0)
        .json();
    assert_eq!((none.documents, none.entities.len()), (0, 0));
    let filtered: CoMentions = fx
        .run(&[
            "entities",
            "macron",
            "--with",
            "Angela Merkel",
            "--type",
            "person",
            "--json",
        ])
        .expect(0)
        .json();
    assert_eq!(filtered.documents, 8);
    // The text form has a score column.
    let text = fx
        .run(&["entities", "--with", "Angela Merkel", "--type", "person"])
        .expect(0)
        .stdout();
    assert!(
        text.contains("score") && text.contains("Emmanuel Macron"),
        "{text}"
    );
}

#[test]
fn related_lists_coverage_of_the_same_subject_near_its_date() {
    let fx = Fixture::new();
    let subjects = [
        ("volcano", "The volcano erupted again, sending lava and ash over the island; flights were cancelled and villages evacuated near the crater."),
        ("chess", "The chess championship went to a tiebreak as the grandmaster defended the title with the black pieces in a long endgame."),
        ("wheat", "The wheat harvest shrank in the drought; farmers said grain silos were half empty and bread prices would rise."),
    ];
    // Words of one article only: reports on one subject share its sentence but are not
    // near-copies of each other (they share few of their three-word shingles).
    let own_words = |subject: &str, n: u64| -> String {
        (0..24)
            .map(|k| format!("{subject}x{n}w{k}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let report = |subject: &str, text: &str, n: u64| -> String {
        format!(
            "{subject} report {n}.\n\n{text} Report number {n} of {subject} coverage. {}.",
            own_words(subject, n)
        )
    };
    for (s, (subject, text)) in subjects.iter().enumerate() {
        for n in 0..4u64 {
            let date = day("2025-05-10") + Days::new(n + s as u64);
            fx.article(
                &format!("in/{subject}{n}.txt"),
                &date.to_string(),
                &report(subject, text, n),
            );
        }
        // The same subject two months later: outside the default window of 7 days.
        fx.article(
            &format!("in/{subject}-later.txt"),
            "2025-07-20",
            &format!(
                "{subject} later.\n\n{text} Months later. {}.",
                own_words(subject, 9)
            ),
        );
    }
    // A near-copy of the first volcano report, a day later, one sentence added: the same
    // story, so not other coverage.
    fx.article(
        "in/volcano0-copy.txt",
        "2025-05-11",
        &format!(
            "{} Updated with the latest figures.",
            report("volcano", subjects[0].1, 0)
        ),
    );
    fx.ingest(&["in"]).expect(0);
    let search: contract::Search = fx
        .run(&["search", "\"volcano report 0\"", "--json"])
        .expect(0)
        .json();
    let source = search
        .hits
        .iter()
        .find(|hit| hit.path.ends_with("volcano0.txt"))
        .expect("the source")
        .id
        .clone();

    let related: contract::Search = fx.run(&["related", &source, "--json"]).expect(0).json();
    assert_eq!(related.query, source);
    let paths: Vec<String> = related
        .hits
        .iter()
        .map(|hit| hit.path.rsplit('/').next().unwrap().to_string())
        .collect();
    let first: BTreeSet<&str> = paths[..3].iter().map(String::as_str).collect();
    assert_eq!(
        first,
        ["volcano1.txt", "volcano2.txt", "volcano3.txt"].into(),
        "{paths:?}"
    );
    assert!(
        !paths.iter().any(|p| p.starts_with("volcano0")),
        "the source and its copy are left out: {paths:?}"
    );
    // Left out because they are one story, which no hit shares.
    let story_of = |id: &str| -> String {
        let shown: contract::Article = fx.run(&["show", id, "--json"]).expect(0).json();
        shown.story
    };
    let copy = search
        .hits
        .iter()
        .find(|hit| hit.path.ends_with("volcano0-copy.txt"))
        .expect("the copy");
    assert_eq!(copy.story, story_of(&source));
    assert!(
        related.hits.iter().all(|hit| hit.story != copy.story),
        "{paths:?}"
    );
    assert!(
        !paths.iter().any(|p| p.contains("later")),
        "outside the window: {paths:?}"
    );
    assert!(related
        .hits
        .iter()
        .enumerate()
        .all(|(i, hit)| hit.rank == i + 1));
    assert!(related.hits.windows(2).all(|w| w[0].score >= w[1].score));

    let all: contract::Search = fx
        .run(&[
            "related", &source, "--within", "all", "--limit", "4", "--json",
        ])
        .expect(0)
        .json();
    let all_paths: BTreeSet<String> = all
        .hits
        .iter()
        .map(|hit| hit.path.rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(
        all_paths,
        [
            "volcano1.txt",
            "volcano2.txt",
            "volcano3.txt",
            "volcano-later.txt"
        ]
        .map(String::from)
        .into(),
    );
    let second_page: contract::Search = fx
        .run(&[
            "related", &source, "--within", "all", "--limit", "2", "--offset", "2", "--json",
        ])
        .expect(0)
        .json();
    assert_eq!(second_page.hits[0].rank, 3);
    assert_eq!(second_page.hits[0].id, all.hits[2].id);
    // The text form is a search's.
    let text = fx.run(&["related", &source]).expect(0).stdout();
    assert!(text.contains("volcano report 1"), "{text}");
}

#[test]
fn related_refuses_unknown_ids_and_bad_windows() {
    let fx = Fixture::new();
    fx.article("a.txt", "2025-01-01", "Some news.\n\nText about things.");
    fx.ingest(&["a.txt"]).expect(0);
    let run = fx.run(&["related", "nope"]).expect(2);
    assert!(
        run.stderr().contains("no article with id \"nope\""),
        "{}",
        run.describe()
    );
    let run = fx
        .run(&["related", "nope", "--within", "2025-01"])
        .expect(2);
    assert!(
        run.stderr().contains("Nd, Nw, Nm or Ny"),
        "{}",
        run.describe()
    );
}
