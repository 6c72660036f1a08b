//! search, stats, timeline, entities, show, export: flags, answers, JSON and exit codes.

use std::io::Read;
use std::process::Stdio;

use crate::contract;
use crate::util::Fixture;

/// A small archive with known answers: "budget" appears in four articles on four dates.
fn news() -> Fixture {
    let fx = Fixture::new();
    fx.article(
        "news/2024-02-29.txt",
        "2024-02-29",
        "Leap day budget.\n\nA budget for the leap year was approved.",
    );
    fx.article(
        "news/2025-01-15.txt",
        "2025-01-15",
        "Budget talks open.\n\nFinance ministers met to discuss the budget.",
    );
    fx.article(
        "news/2025-01-31.txt",
        "2025-01-31",
        "Snow closes airports.\n\nHeavy snow closed airports across the north.",
    );
    fx.article(
        "news/2025-02-01.txt",
        "2025-02-01",
        "Budget deal reached.\n\nMinisters reached a deal after long talks.",
    );
    fx.write(
        "news/wire.jsonl",
        concat!(
            "{\"id\":\"j1\",\"date\":\"2025-03-10\",\"title\":\"Budget passed\",\"body\":\"The budget passed the vote.\",\"url\":\"https://example.org/j1\"}\n",
            "{\"id\":\"t-b\",\"date\":\"2025-04-01\",\"title\":\"Tie two\",\"body\":\"Zebra.\"}\n",
            "{\"id\":\"t-c\",\"date\":\"2025-04-01\",\"title\":\"Tie six\",\"body\":\"Zebra.\"}\n",
            "{\"id\":\"t-a\",\"date\":\"2025-04-01\",\"title\":\"Tie one\",\"body\":\"Zebra.\"}\n",
        ),
    );
    fx.article(
        "news/2025-04-03-hegseth.txt",
        "2025-04-03",
        "Hegseth to skip meeting.\n\nUS Defense Secretary Pete Hegseth will not attend the meeting at NATO headquarters in Brussels, officials said. Hegseth attended in February.",
    );
    fx.ingest(&["news"]).expect(0);
    fx
}

fn search(fx: &Fixture, args: &[&str]) -> contract::Search {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    let run = fx.run(&all);
    assert!(run.code() == 0 || run.code() == 1, "{}", run.describe());
    run.json()
}

fn dates(result: &contract::Search) -> Vec<&str> {
    result.hits.iter().map(|h| h.date.as_str()).collect()
}

#[test]
fn search_json_contract_and_total_counts_every_match() {
    let fx = news();
    let result = search(&fx, &["budget", "--limit", "2"]);
    assert_eq!(result.query, "budget");
    assert_eq!(result.total, 4);
    assert_eq!(result.hits.len(), 2);
    assert_eq!(
        (result.limit, result.offset, result.sort.as_str()),
        (2, 0, "relevance")
    );
    assert_eq!(result.hits[0].rank, 1);
    assert!(result.hits[0].score >= result.hits[1].score);
    for hit in &result.hits {
        assert!(!hit.id.is_empty() && !hit.path.is_empty() && !hit.title.is_empty());
        assert_eq!(hit.date.len(), 10);
    }
}

#[test]
fn snippets_highlight_the_query_words_including_stemmed_forms() {
    let fx = news();
    let result = search(&fx, &["ministers"]);
    assert_eq!(result.total, 2);
    for hit in &result.hits {
        assert!(!hit.highlights.is_empty(), "{hit:?}");
        for [start, end] in &hit.highlights {
            assert!(
                hit.snippet[*start..*end]
                    .to_lowercase()
                    .starts_with("minister"),
                "{hit:?}"
            );
        }
    }
}

#[test]
fn text_output_shows_rank_date_title_path_and_snippet_without_colour() {
    let fx = news();
    let run = fx.run(&["search", "snow"]).expect(0);
    let text = run.stdout();
    assert!(
        text.contains("1. 2025-01-31  Snow closes airports"),
        "{text}"
    );
    assert!(text.contains("news/2025-01-31.txt"), "{text}");
    assert!(text.contains("Heavy snow closed airports"), "{text}");
    assert!(text.contains("1 article matches; showing 1-1"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no colour codes off a terminal: {text:?}"
    );
}

#[test]
fn no_hits_exits_1() {
    let fx = news();
    let run = fx.run(&["search", "walrus"]).expect(1);
    assert!(run.stdout().contains("no articles match"));
    let result = search(&fx, &["walrus"]);
    assert_eq!((result.total, result.hits.len()), (0, 0));
}

#[test]
fn bad_query_exits_2_quoting_it() {
    let fx = news();
    let run = fx.run(&["search", "budget AND (snow"]).expect(2);
    assert!(
        run.stderr().contains("\"budget AND (snow\""),
        "{}",
        run.describe()
    );
    let run = fx.run(&["search", "nosuchfield:x"]).expect(2);
    assert!(run.stderr().contains("nosuchfield"), "{}", run.describe());
}

#[test]
fn date_filters_are_inclusive_whole_periods() {
    let fx = news();
    assert_eq!(
        search(&fx, &["budget", "--to", "2025-01"]).total,
        2,
        "Jan 31 is included"
    );
    assert_eq!(search(&fx, &["budget", "--from", "2025-02"]).total, 2);
    assert_eq!(
        search(
            &fx,
            &["budget", "--from", "2025-01-15", "--to", "2025-02-01"]
        )
        .total,
        2
    );
    assert_eq!(search(&fx, &["budget", "--on", "2024"]).total, 1);
    assert_eq!(
        search(&fx, &["budget", "--on", "2024-02"]).total,
        1,
        "leap day is in February"
    );
    assert_eq!(search(&fx, &["budget", "--on", "2024-02-29"]).total, 1);
    assert_eq!(search(&fx, &["snow", "--on", "2025-01-31"]).total, 1);
    assert_eq!(search(&fx, &["snow", "--to", "2025-01-30"]).total, 0);
    assert_eq!(
        search(&fx, &["*", "--from", "1900", "--to", "9999"]).total,
        9
    );
}

#[test]
fn colours_only_when_asked_and_the_same_text_without_them() {
    let fx = news();
    let index = fx.index().to_string_lossy().into_owned();
    let args = ["--index", &index, "search", "budget", "--limit", "2"].map(String::from);
    let plain = fx.run_raw(&args, &[]).expect(0).stdout();
    assert!(
        !plain.contains('\x1b'),
        "NO_COLOR output has escapes: {plain}"
    );
    // NO_COLOR wins over CLICOLOR_FORCE, so the fixture's NO_COLOR is emptied here.
    let forced = [("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")];
    let colored = fx.run_raw(&args, &forced).expect(0).stdout();
    assert!(
        colored.contains("\x1b[1m\x1b[31mbudget\x1b[0m")
            || colored.contains("\x1b[1m\x1b[31mBudget\x1b[0m"),
        "the query word is not marked: {colored:?}"
    );
    let stripped = strip_styles(&colored);
    assert_eq!(stripped, plain);
    // Piped without CLICOLOR_FORCE, the output is plain whatever NO_COLOR says.
    let piped = fx.run_raw(&args, &[("NO_COLOR", "")]).expect(0).stdout();
    assert_eq!(piped, plain);
}

/// The text with every `ESC [ ... m` style sequence taken out.
fn strip_styles(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find('m').expect("a style sequence ends with m");
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn relative_dates_count_back_from_today() {
    let fx = news();
    let index = fx.index().to_string_lossy().into_owned();
    let args = |from: &str| -> Vec<String> {
        [
            "--index", &index, "search", "budget", "--json", "--from", from,
        ]
        .map(String::from)
        .to_vec()
    };
    let today = [("DATELINE_TODAY", "2025-03-10")];
    let result: contract::Search = fx.run_raw(&args("10d"), &today).expect(0).json();
    assert_eq!(
        dates(&result),
        ["2025-03-10"],
        "10 days before 2025-03-10 is 2025-02-28"
    );
    let result: contract::Search = fx.run_raw(&args("6w"), &today).expect(0).json();
    assert_eq!(result.total, 2, "6 weeks back is 2025-01-27");
    let result: contract::Search = fx.run_raw(&args("1y"), &today).expect(0).json();
    assert_eq!(
        result.total, 3,
        "one year back is 2024-03-10, after the leap day"
    );
    let result: contract::Search = fx.run_raw(&args("13m"), &today).expect(0).json();
    assert_eq!(result.total, 4);
}

#[test]
fn impossible_date_range_and_bad_dates_exit_2_with_the_value() {
    let fx = news();
    let run = fx
        .run(&["search", "budget", "--from", "2025-05", "--to", "2025-04"])
        .expect(2);
    assert!(
        run.stderr().contains("2025-05 (2025-05-01)"),
        "{}",
        run.describe()
    );
    let run = fx
        .run(&["search", "budget", "--from", "2025-02-30"])
        .expect(2);
    assert!(
        run.stderr().contains("\"2025-02-30\""),
        "{}",
        run.describe()
    );
    let run = fx.run(&["search", "budget", "--to", "yesterday"]).expect(2);
    assert!(run.stderr().contains("\"yesterday\""), "{}", run.describe());
    fx.run(&["search", "budget", "--on", "2025", "--from", "2024"])
        .expect(2);
    fx.run(&["timeline", "budget", "--from", "2026", "--to", "2025"])
        .expect(2);
}

#[test]
fn sort_orders_and_stable_ties() {
    let fx = news();
    let newest = search(&fx, &["budget", "--sort", "newest"]);
    assert_eq!(
        dates(&newest),
        ["2025-03-10", "2025-02-01", "2025-01-15", "2024-02-29"]
    );
    let oldest = search(&fx, &["budget", "--sort", "oldest"]);
    assert_eq!(
        dates(&oldest),
        ["2024-02-29", "2025-01-15", "2025-02-01", "2025-03-10"]
    );
    for sort in ["relevance", "newest", "oldest"] {
        let ties = search(&fx, &["zebra", "--sort", sort]);
        let ids: Vec<&str> = ties.hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            ["t-a", "t-b", "t-c"],
            "equal scores and dates fall back to id order ({sort})"
        );
    }
}

#[test]
fn limit_and_offset_page_through_the_same_order() {
    let fx = news();
    let all = search(&fx, &["budget", "--sort", "oldest"]);
    let page = search(
        &fx,
        &[
            "budget", "--sort", "oldest", "--limit", "2", "--offset", "1",
        ],
    );
    assert_eq!(page.total, 4);
    assert_eq!(dates(&page), dates(&all)[1..3]);
    assert_eq!(page.hits[0].rank, 2);
    let past_end = search(&fx, &["budget", "--offset", "10"]);
    assert_eq!((past_end.total, past_end.hits.len()), (4, 0));
    let text = fx
        .run(&["search", "budget", "--limit", "1"])
        .expect(0)
        .stdout();
    assert!(text.contains("next page: --offset 1"), "{text}");
}

#[test]
fn star_and_empty_query_match_everything_with_filters() {
    let fx = news();
    assert_eq!(search(&fx, &["*"]).total, 9);
    assert_eq!(search(&fx, &["", "--on", "2025-04"]).total, 4);
}

#[test]
fn query_syntax_phrases_boolean_and_fields() {
    let fx = news();
    assert_eq!(search(&fx, &["\"budget deal\""]).total, 1);
    assert_eq!(
        search(&fx, &["budget -talks"]).total,
        2,
        "talks appears in two budget articles"
    );
    assert_eq!(search(&fx, &["snow OR leap"]).total, 2);
    assert_eq!(search(&fx, &["title:snow"]).total, 1);
    // Several words: any may match, and articles with all of them come first.
    let both = search(&fx, &["budget AND leap"]);
    assert_eq!(both.total, 1, "AND requires both");
    assert_eq!(
        search(&fx, &["+budget +leap"]).total,
        1,
        "+ requires a word"
    );
    let soft = search(&fx, &["budget leap"]);
    assert!(soft.total > 1, "one word is enough to match: {soft:?}");
    assert_eq!(
        soft.hits[0].id, both.hits[0].id,
        "the article with both comes first"
    );
}

#[test]
fn entity_filters_match_names_case_insensitively_and_by_type() {
    let fx = news();
    let hegseth = search(&fx, &["*", "--entity", "pete hegseth"]);
    assert_eq!(hegseth.total, 1, "{hegseth:?}");
    let entities = &hegseth.hits[0].entities;
    let has = |name: &str, kind: &str| entities.iter().any(|e| e.name == name && e.kind == kind);
    assert!(has("Pete Hegseth", "person"), "{entities:?}");
    assert!(has("NATO", "org"), "{entities:?}");
    assert!(has("Brussels", "place"), "{entities:?}");
    assert!(
        !entities.iter().any(|e| e.name == "Hegseth"),
        "a later surname joins the full name: {entities:?}"
    );
    assert_eq!(
        search(&fx, &["*", "--entity", "NATO", "--entity", "brussels"]).total,
        1
    );
    assert_eq!(
        search(&fx, &["*", "--entity", "NATO", "--entity", "Paris"]).total,
        0
    );
    assert_eq!(
        search(&fx, &["*", "--entity", "Brussels", "--type", "place"]).total,
        1
    );
    assert_eq!(
        search(&fx, &["*", "--entity", "Brussels", "--type", "person"]).total,
        0
    );
    let with_people = search(&fx, &["*", "--type", "person", "--limit", "100"]);
    assert!(with_people
        .hits
        .iter()
        .any(|h| h.title == "Hegseth to skip meeting"));
    assert!(
        with_people.total < 9,
        "articles without people are left out"
    );
    for hit in &with_people.hits {
        assert!(hit.entities.iter().any(|e| e.kind == "person"), "{hit:?}");
    }
    assert_eq!(
        search(&fx, &["*", "--entity", "United States"]).total,
        1,
        "\"US\" is an alias of United States"
    );
}

#[test]
fn entities_command_counts_documents_per_entity() {
    let fx = news();
    let result: contract::Entities = fx.run(&["entities", "--json"]).expect(0).json();
    assert_eq!(result.documents, 9);
    let find = |name: &str| result.entities.iter().find(|e| e.name == name);
    let person = find("Pete Hegseth").expect("Pete Hegseth listed");
    assert_eq!((person.kind.as_str(), person.count), ("person", 1));
    let people: contract::Entities = fx
        .run(&["entities", "--type", "person", "--json"])
        .expect(0)
        .json();
    assert!(people.entities.iter().all(|e| e.kind == "person"));
    let none: contract::Entities = fx.run(&["entities", "snow", "--json"]).expect(0).json();
    assert_eq!(none.documents, 1);
    let limited: contract::Entities = fx
        .run(&["entities", "--limit", "1", "--json"])
        .expect(0)
        .json();
    assert_eq!(limited.entities.len(), 1);
    let text = fx.run(&["entities"]).expect(0).stdout();
    assert!(text.contains("person  Pete Hegseth"), "{text}");
}

#[test]
fn stats_json_counts_months_and_span() {
    let fx = news();
    let stats: contract::Stats = fx.run(&["stats", "--json"]).expect(0).json();
    assert_eq!(stats.documents, 9);
    assert_eq!(stats.first_date.as_deref(), Some("2024-02-29"));
    assert_eq!(stats.last_date.as_deref(), Some("2025-04-03"));
    let months: Vec<(&str, u64)> = stats
        .months
        .iter()
        .map(|m| (m.month.as_str(), m.count))
        .collect();
    assert_eq!(
        months,
        [
            ("2024-02", 1),
            ("2025-01", 2),
            ("2025-02", 1),
            ("2025-03", 1),
            ("2025-04", 4)
        ]
    );
    let text = fx.run(&["stats"]).expect(0).stdout();
    assert!(text.contains("documents   9"), "{text}");
}

#[test]
fn timeline_buckets_are_calendar_months_with_empty_ones_filled() {
    let fx = news();
    let timeline: contract::Timeline = fx
        .run(&["timeline", "budget", "--interval", "month", "--json"])
        .expect(0)
        .json();
    assert_eq!(
        (
            timeline.query.as_str(),
            timeline.interval.as_str(),
            timeline.total
        ),
        ("budget", "month", 4)
    );
    assert_eq!(timeline.buckets.len(), 14, "2024-02 to 2025-03");
    assert_eq!(
        (
            timeline.buckets[0].start.as_str(),
            timeline.buckets[0].count
        ),
        ("2024-02-01", 1)
    );
    assert_eq!(timeline.buckets[1].count, 0);
    let jan = timeline
        .buckets
        .iter()
        .find(|b| b.start == "2025-01-01")
        .unwrap();
    assert_eq!(jan.count, 1);
    let years: contract::Timeline = fx
        .run(&["timeline", "--interval", "year", "--json"])
        .expect(0)
        .json();
    let counts: Vec<(&str, u64)> = years
        .buckets
        .iter()
        .map(|b| (b.start.as_str(), b.count))
        .collect();
    assert_eq!(counts, [("2024-01-01", 1), ("2025-01-01", 8)]);
    let weeks: contract::Timeline = fx
        .run(&[
            "timeline",
            "budget",
            "--interval",
            "week",
            "--from",
            "2025-01",
            "--to",
            "2025-02",
            "--json",
        ])
        .expect(0)
        .json();
    assert_eq!(
        weeks.buckets[0].start, "2024-12-30",
        "weeks start on Monday"
    );
    assert_eq!(weeks.total, 2);
    let days: contract::Timeline = fx
        .run(&[
            "timeline",
            "*",
            "--interval",
            "day",
            "--on",
            "2025-01",
            "--json",
        ])
        .expect(0)
        .json();
    assert_eq!(days.buckets.len(), 31);
    let text = fx.run(&["timeline", "budget"]).expect(0).stdout();
    assert!(text.contains("2024-02  1  █"), "{text}");
    assert!(text.contains("4 articles in 14 months"), "{text}");
}

#[test]
fn show_prints_one_article_and_unknown_ids_are_errors() {
    let fx = news();
    let article: contract::Article = fx.run(&["show", "j1", "--json"]).expect(0).json();
    assert_eq!(article.url.as_deref(), Some("https://example.org/j1"));
    assert_eq!(article.body, "The budget passed the vote.");
    let text = fx.run(&["show", "j1"]).expect(0).stdout();
    assert!(text.starts_with("Budget passed\n"), "{text}");
    assert!(text.contains("The budget passed the vote."), "{text}");
    let run = fx.run(&["show", "nope"]).expect(2);
    assert!(
        run.stderr().contains("no article with id \"nope\""),
        "{}",
        run.describe()
    );
}

#[test]
fn export_writes_every_article_as_json_lines_in_date_order() {
    let fx = news();
    let run = fx.run(&["export"]).expect(0);
    let articles: Vec<contract::Article> = run
        .stdout()
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(articles.len(), 9);
    let dates: Vec<&str> = articles.iter().map(|a| a.date.as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    let filtered = fx
        .run(&["export", "--from", "2025-02", "--to", "2025-03"])
        .expect(0)
        .stdout();
    assert_eq!(filtered.lines().count(), 2);
    // What export writes, ingest reads back as the same articles.
    let again = Fixture::new();
    again.write("export.jsonl", run.stdout());
    let report: contract::Ingest = again.ingest(&["export.jsonl"]).expect(0).json();
    assert_eq!(report.indexed, 9);
    let copy: contract::Article = again.run(&["show", "j1", "--json"]).expect(0).json();
    let original: contract::Article = fx.run(&["show", "j1", "--json"]).expect(0).json();
    assert_eq!(
        (copy.title, copy.body, copy.date),
        (original.title, original.body, original.date)
    );
}

/// Runs `export`, reads one byte and closes the pipe: the process must end with exit 0 and
/// nothing on standard error.
fn export_to_a_reader_that_leaves(fx: &Fixture) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dateline"))
        .args(["--index", &fx.index().to_string_lossy(), "export"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 1];
    let mut stdout = child.stdout.take().unwrap();
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn closed_pipe_ends_quietly() {
    export_to_a_reader_that_leaves(&news());
}

#[test]
fn pipe_closed_mid_export_ends_quietly() {
    // More than a pipe holds, so the export is still writing when the reader goes away.
    let fx = Fixture::new();
    let paragraph = "Grain shipments rose again this week, traders said. ".repeat(40);
    for n in 0..200 {
        fx.article(
            &format!("in/{n:03}.txt"),
            "2025-01-15",
            &format!("Story {n}.\n\n{paragraph}"),
        );
    }
    fx.ingest(&["in", "--no-entities"]).expect(0);
    export_to_a_reader_that_leaves(&fx);
}

#[test]
fn index_flag_before_or_after_the_subcommand_and_from_the_environment() {
    let fx = news();
    let index = fx.index().to_string_lossy().into_owned();
    let after = ["search", "snow", "--index", &index]
        .map(String::from)
        .to_vec();
    fx.run_raw(&after, &[]).expect(0);
    let env_only = ["search", "snow"].map(String::from).to_vec();
    fx.run_raw(&env_only, &[("DATELINE_INDEX", &index)])
        .expect(0);
    // The fixture's index is `index/` in the working folder: the default.
    fx.run_raw(&env_only, &[]).expect(0);
    let elsewhere = ["search", "snow", "--index", "elsewhere"]
        .map(String::from)
        .to_vec();
    let missing = fx
        .run_raw(&elsewhere, &[("DATELINE_INDEX", &index)])
        .expect(2);
    assert!(
        missing.stderr().contains("no index at elsewhere"),
        "the flag wins over the environment: {}",
        missing.describe()
    );
}

#[test]
fn bad_flag_values_exit_2() {
    let fx = news();
    fx.run(&["search", "budget", "--limit", "-1"]).expect(2);
    fx.run(&["search", "budget", "--sort", "sideways"])
        .expect(2);
    fx.run(&["search", "budget", "--type", "animal"]).expect(2);
    fx.run(&["timeline", "--interval", "fortnight"]).expect(2);
    fx.run(&["ingest", "--threads", "0"]).expect(2);
    fx.run(&["ingest", "--memory-mb", "1"]).expect(2);
    fx.run(&["frobnicate"]).expect(2);
    fx.run(&["--help"]).expect(0);
}

#[test]
fn entity_filter_finds_a_country_named_only_by_its_adjective() {
    let fx = Fixture::new();
    fx.article(
        "news/2025-03-03.txt",
        "2025-03-03",
        "Exports slow.\n\nJapanese exports of cars fell in February, the trade ministry said.",
    );
    fx.article(
        "news/2025-03-04.txt",
        "2025-03-04",
        "Harvest in.\n\nFarmers in Kenya brought in a large maize harvest.",
    );
    fx.ingest(&["news"]).expect(0);
    let japan = search(&fx, &["*", "--entity", "Japan", "--type", "place"]);
    assert_eq!(japan.total, 1, "{japan:?}");
    assert_eq!(japan.hits[0].date, "2025-03-03");
    let entities = &japan.hits[0].entities;
    assert!(
        entities
            .iter()
            .any(|e| e.name == "Japan" && e.kind == "place"),
        "{entities:?}"
    );
    assert!(
        !entities.iter().any(|e| e.name == "Japanese"),
        "the adjective is no entity of its own: {entities:?}"
    );
    // The text keeps the adjective: a word search finds it as written.
    assert_eq!(search(&fx, &["Japanese"]).total, 1);
}

#[test]
fn a_name_starting_with_a_given_name_is_listed_as_a_person() {
    let fx = Fixture::new();
    fx.article(
        "news/2020-06-14.txt",
        "2020-06-14",
        "Protests in Atlanta.\n\nProtests followed the death of Rayshard Brooks in Atlanta. \
         The Washington Post and Morgan Stanley said so, and the party nominated Rocky De La \
         Fuente and rapper Kanye West.",
    );
    fx.ingest(&["news"]).expect(0);
    let people: contract::Entities = fx
        .run(&["entities", "--type", "person", "--json"])
        .expect(0)
        .json();
    let names: Vec<&str> = people.entities.iter().map(|e| e.name.as_str()).collect();
    for person in ["Rayshard Brooks", "Kanye West"] {
        assert!(names.contains(&person), "{person}: {names:?}");
    }
    // Organisations and places stay what they are.
    let all: contract::Entities = fx.run(&["entities", "--json"]).expect(0).json();
    let kind_of = |n: &str| {
        all.entities
            .iter()
            .find(|e| e.name.ends_with(n))
            .map(|e| e.kind.as_str())
    };
    assert_eq!(kind_of("Morgan Stanley"), Some("org"), "{:?}", all.entities);
    assert_eq!(
        kind_of("Washington Post"),
        Some("org"),
        "{:?}",
        all.entities
    );
    assert_eq!(kind_of("Atlanta"), Some("place"), "{:?}", all.entities);
}

/// On Linux the executable is linked at a fixed address (`build.rs`): an ELF file of type
/// EXEC rather than DYN, so the loader rewrites no pointers at each start.
#[cfg(target_os = "linux")]
#[test]
fn executable_is_linked_at_a_fixed_address() {
    use std::io::Read;
    let mut header = [0u8; 18];
    std::fs::File::open(assert_cmd::cargo::cargo_bin("dateline"))
        .and_then(|mut f| f.read_exact(&mut header))
        .expect("read the executable's ELF header");
    assert_eq!(&header[..4], b"\x7fELF");
    let e_type = u16::from_le_bytes([header[16], header[17]]);
    assert_eq!(
        e_type, 2,
        "ELF type {e_type}: 2 (EXEC) expected, 3 is DYN (PIE)"
    );
}

/// Segments in the fixture's index, from the meta.json of its last commit.
fn segments(fx: &Fixture) -> usize {
    let meta = std::fs::read_to_string(fx.index().join("meta.json")).expect("meta.json");
    let meta: serde_json::Value = serde_json::from_str(&meta).expect("meta.json is JSON");
    meta["segments"].as_array().expect("segments").len()
}

#[test]
fn compact_merges_the_index_into_one_segment_and_keeps_every_article() {
    let fx = Fixture::new();
    // One run a file: each run commits a segment of its own, too few for a merge.
    for n in 1..=3 {
        fx.article(
            &format!("corpus/{n}.txt"),
            &format!("2025-01-0{n}"),
            &format!("Harbour strike, day {n}.\n\nDockers kept the harbour closed on day {n}."),
        );
        fx.ingest(&["corpus"]).expect(0);
    }
    let before = segments(&fx);
    assert!(before >= 2, "{before} segments");
    let search = || {
        let found: contract::Search = fx.run(&["search", "harbour", "--json"]).expect(0).json();
        found.hits.into_iter().map(|hit| hit.id).collect::<Vec<_>>()
    };
    let ids = search();
    let export = fx.run(&["export"]).expect(0).stdout();
    let summary: serde_json::Value = fx.run(&["compact", "--json"]).expect(0).json();
    assert_eq!(summary["segments_before"], before);
    assert_eq!(summary["segments"], 1);
    assert_eq!(summary["documents"], 3);
    assert_eq!(segments(&fx), 1);
    assert_eq!(search(), ids);
    assert_eq!(fx.run(&["export"]).expect(0).stdout(), export);
    // A compact index takes the next run as any other.
    fx.article(
        "corpus/4.txt",
        "2025-01-04",
        "Harbour reopens.\n\nThe strike ended.",
    );
    let report: contract::Ingest = fx.ingest(&["corpus"]).expect(0).json();
    assert_eq!((report.indexed, report.unchanged), (1, 3));
    let text = fx.run(&["compact"]).expect(0).stdout();
    assert!(text.contains("merged 2 segments into 1"), "{text}");
    assert!(text.contains("now holds 4 articles"), "{text}");
}
