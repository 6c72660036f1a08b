//! The index mirrors the archive: deleted files and lines are removed, moved files re-pathed,
//! JSON Lines ids survive insertions, and only "not found" means gone.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::contract;
use crate::reliability::{
    indexed_paths, many_articles, reference_run, seed, spawn, without_stories, Lcg,
};
use crate::util::Fixture;

/// Every stored article as (path relative to the fixture, id, title), sorted.
fn articles(fx: &Fixture) -> Vec<(String, String, String)> {
    let root = std::fs::canonicalize(fx.dir.path()).unwrap();
    let root = root.to_string_lossy();
    let mut all: Vec<_> = fx
        .run(&["export"])
        .expect(0)
        .stdout()
        .lines()
        .map(|line| {
            let article: contract::Article = serde_json::from_str(line).expect("export line");
            let path = article
                .path
                .strip_prefix(&*root)
                .map_or(article.path.clone(), |p| {
                    p.trim_start_matches('/').to_string()
                });
            (path, article.id, article.title)
        })
        .collect();
    all.sort();
    all
}

fn paths(fx: &Fixture) -> Vec<String> {
    articles(fx).into_iter().map(|(path, _, _)| path).collect()
}

fn three_files(fx: &Fixture) {
    fx.article(
        "corpus/a.txt",
        "2025-01-01",
        "Alpha report.\n\nThe alpha text.",
    );
    fx.article(
        "corpus/b.txt",
        "2025-01-02",
        "Beta report.\n\nThe beta text.",
    );
    fx.article(
        "corpus/sub/c.txt",
        "2025-01-03",
        "Gamma report.\n\nThe gamma text.",
    );
}

fn feed(lines: &[&str]) -> String {
    lines
        .iter()
        .map(|body| format!("{{\"date\": \"2025-02-01\", \"body\": \"{body}\"}}\n"))
        .collect()
}

#[test]
fn a_deleted_file_is_removed_and_reported() {
    let fx = Fixture::new();
    three_files(&fx);
    fx.ingest(&["corpus"]).expect(0);
    std::fs::remove_file(fx.path("corpus/a.txt")).unwrap();
    let report: contract::Ingest = fx.ingest(&["corpus"]).expect(0).json();
    assert_eq!((report.removed, report.unchanged), (1, 2));
    assert_eq!(report.documents, 2);
    assert_eq!(paths(&fx), ["corpus/b.txt", "corpus/sub/c.txt"]);
    fx.run(&["search", "alpha"]).expect(1);
    // The text summary names the count too.
    std::fs::remove_file(fx.path("corpus/sub/c.txt")).unwrap();
    let text = fx.run(&["ingest", "corpus"]).expect(0).stdout();
    assert!(text.contains("1 removed"), "{text}");
}

#[test]
fn a_deleted_folder_is_removed_with_everything_below_it() {
    let fx = Fixture::new();
    three_files(&fx);
    fx.ingest(&["corpus"]).expect(0);
    std::fs::remove_dir_all(fx.path("corpus/sub")).unwrap();
    let report: contract::Ingest = fx.ingest(&["corpus"]).expect(0).json();
    assert_eq!(report.removed, 1);
    assert_eq!(paths(&fx), ["corpus/a.txt", "corpus/b.txt"]);
}

#[test]
fn a_deleted_json_line_is_removed_and_the_others_keep_their_ids() {
    let fx = Fixture::new();
    fx.write("corpus/feed.jsonl", feed(&["One.", "Two.", "Three."]));
    fx.ingest(&["corpus"]).expect(0);
    let before = articles(&fx);
    fx.write("corpus/feed.jsonl", feed(&["One.", "Three."]));
    let report: contract::Ingest = fx.ingest(&["corpus"]).expect(0).json();
    assert_eq!(
        (report.removed, report.unchanged, report.indexed),
        (1, 2, 0)
    );
    let after = articles(&fx);
    let kept: Vec<_> = before.into_iter().filter(|a| a.2 != "Two").collect();
    assert_eq!(after, kept);
}

#[test]
fn a_json_line_inserted_near_the_top_changes_no_other_id() {
    let fx = Fixture::new();
    fx.write("corpus/feed.jsonl", feed(&["One.", "Two.", "Three."]));
    fx.ingest(&["corpus"]).expect(0);
    let before = articles(&fx);
    fx.write(
        "corpus/feed.jsonl",
        feed(&["Zero.", "One.", "Two.", "Three."]),
    );
    let report: contract::Ingest = fx.ingest(&["corpus"]).expect(0).json();
    assert_eq!(
        (
            report.indexed,
            report.replaced,
            report.unchanged,
            report.removed
        ),
        (1, 0, 3, 0)
    );
    let after = articles(&fx);
    assert_eq!(after.len(), 4);
    for article in &before {
        assert!(after.contains(article), "{article:?} changed: {after:?}");
    }
    // An id still shows the article it showed before.
    let (_, id, title) = &before[0];
    let shown: contract::Article = fx.run(&["show", id, "--json"]).expect(0).json();
    assert_eq!(&shown.title, title);
}

#[test]
fn identical_json_lines_get_distinct_ids_and_are_duplicates() {
    let fx = Fixture::new();
    fx.write("corpus/feed.jsonl", feed(&["Same.", "Other.", "Same."]));
    let report: contract::Ingest = fx.ingest(&["corpus"]).expect(0).json();
    assert_eq!((report.indexed, report.duplicates), (2, 1));
    let again: contract::Ingest = fx.ingest(&["corpus"]).expect(0).json();
    assert_eq!(
        (
            again.indexed,
            again.duplicates,
            again.removed,
            again.documents
        ),
        (0, 1, 0, 2)
    );
}

#[test]
fn a_moved_folder_is_re_pathed_not_duplicated() {
    let fx = Fixture::new();
    three_files(&fx);
    fx.write("corpus/feed.jsonl", feed(&["One.", "Two."]));
    fx.ingest(&["corpus"]).expect(0);
    std::fs::rename(fx.path("corpus"), fx.path("archive")).unwrap();
    let report: contract::Ingest = fx.ingest(&["archive"]).expect(0).json();
    assert_eq!(
        (
            report.moved,
            report.duplicates,
            report.indexed,
            report.removed
        ),
        (5, 0, 0, 0),
        "{report:?}"
    );
    assert!(report.duplicate_articles.is_empty());
    assert_eq!(
        paths(&fx),
        [
            "archive/a.txt",
            "archive/b.txt",
            "archive/feed.jsonl",
            "archive/feed.jsonl",
            "archive/sub/c.txt"
        ]
    );
    // Settled: the next run changes nothing.
    let again: contract::Ingest = fx.ingest(&["archive"]).expect(0).json();
    assert_eq!((again.unchanged, again.moved, again.removed), (5, 0, 0));
}

#[test]
fn a_renamed_file_inside_the_folder_is_moved_and_a_copy_is_a_duplicate() {
    let fx = Fixture::new();
    three_files(&fx);
    fx.ingest(&["corpus"]).expect(0);
    // Renamed to a name that sorts first: met before the run could know the old one is gone.
    std::fs::rename(fx.path("corpus/b.txt"), fx.path("corpus/0.txt")).unwrap();
    // Copied to a name that sorts first: the original is still there.
    std::fs::copy(fx.path("corpus/a.txt"), fx.path("corpus/00.txt")).unwrap();
    let report: contract::Ingest = fx.ingest(&["corpus"]).expect(0).json();
    assert_eq!(
        (
            report.moved,
            report.duplicates,
            report.removed,
            report.indexed
        ),
        (1, 1, 0, 0),
        "{report:?}"
    );
    assert_eq!(
        report.duplicate_articles[0].path.rsplit('/').next(),
        Some("00.txt")
    );
    assert_eq!(
        paths(&fx),
        ["corpus/0.txt", "corpus/a.txt", "corpus/sub/c.txt"]
    );
}

#[test]
fn keep_missing_keeps_the_articles_of_deleted_files() {
    let fx = Fixture::new();
    three_files(&fx);
    fx.ingest(&["corpus"]).expect(0);
    std::fs::remove_file(fx.path("corpus/a.txt")).unwrap();
    let report: contract::Ingest = fx.ingest(&["--keep-missing", "corpus"]).expect(0).json();
    assert_eq!(report.removed, 0);
    assert_eq!(paths(&fx).len(), 3);
}

#[test]
fn ingesting_one_file_removes_nothing_else() {
    let fx = Fixture::new();
    three_files(&fx);
    fx.ingest(&["corpus"]).expect(0);
    fx.article("other.txt", "2025-03-01", "Other.\n\nText.");
    let report: contract::Ingest = fx.ingest(&["other.txt"]).expect(0).json();
    assert_eq!((report.indexed, report.removed), (1, 0));
    let report: contract::Ingest = fx.ingest(&["corpus/sub"]).expect(0).json();
    assert_eq!((report.unchanged, report.removed), (1, 0));
    assert_eq!(paths(&fx).len(), 4);
}

#[test]
fn a_missing_root_is_an_error_and_removes_nothing() {
    let fx = Fixture::new();
    three_files(&fx);
    fx.ingest(&["corpus"]).expect(0);
    std::fs::rename(fx.path("corpus"), fx.path("elsewhere")).unwrap();
    let run = fx.run(&["ingest", "corpus"]).expect(2);
    assert!(run.stderr().contains("corpus"), "{}", run.describe());
    std::fs::rename(fx.path("elsewhere"), fx.path("corpus")).unwrap();
    assert_eq!(paths(&fx).len(), 3);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_or_folder_is_reported_and_its_articles_kept() {
    let fx = Fixture::new();
    three_files(&fx);
    fx.write("corpus/feed.jsonl", feed(&["One.", "Two."]));
    fx.ingest(&["corpus"]).expect(0);
    let before = articles(&fx);
    // Links that point at themselves fail to open with "too many levels of symbolic links",
    // for root too (permissions would not stop root). Neither is "not found".
    for path in ["corpus/a.txt", "corpus/feed.jsonl", "corpus/sub"] {
        let full = fx.path(path);
        if full.is_dir() {
            std::fs::remove_dir_all(&full).unwrap();
        } else {
            std::fs::remove_file(&full).unwrap();
        }
        std::os::unix::fs::symlink(&full, &full).unwrap();
    }
    let run = fx.ingest(&["corpus"]).expect(3);
    let report: contract::Ingest = run.json();
    assert_eq!(report.removed, 0, "{}", run.describe());
    assert_eq!(report.rejected.len(), 3, "{}", run.describe());
    assert_eq!(articles(&fx), before);
}

#[test]
fn a_dated_file_that_no_longer_parses_keeps_its_last_good_version() {
    let fx = Fixture::new();
    three_files(&fx);
    fx.ingest(&["corpus"]).expect(0);
    fx.write("corpus/a.txt", "no date here");
    let report: contract::Ingest = fx.ingest(&["corpus"]).expect(3).json();
    assert_eq!((report.removed, report.rejected.len()), (0, 1));
    assert_eq!(paths(&fx).len(), 3);
}

#[test]
fn a_hidden_path_indexed_on_its_own_survives_an_ingest_of_its_folder() {
    let fx = Fixture::new();
    three_files(&fx);
    fx.article("corpus/.drafts/d.txt", "2025-01-04", "Draft.\n\nText.");
    fx.ingest(&["corpus", "corpus/.drafts/d.txt"]).expect(0);
    let report: contract::Ingest = fx.ingest(&["corpus"]).expect(0).json();
    assert_eq!(report.removed, 0);
    assert_eq!(paths(&fx).len(), 4);
}

#[test]
fn remove_takes_out_files_and_folders_even_when_they_are_gone() {
    let fx = Fixture::new();
    three_files(&fx);
    fx.article("other/x.txt", "2025-03-01", "Other.\n\nText.");
    fx.ingest(&["corpus", "other"]).expect(0);
    let removed: serde_json::Value = fx.run(&["remove", "corpus/sub", "--json"]).expect(0).json();
    assert_eq!(removed["removed"], 1);
    assert_eq!(removed["documents"], 3);
    std::fs::remove_dir_all(fx.path("other")).unwrap();
    let text = fx.run(&["remove", "other"]).expect(0).stdout();
    assert!(text.contains("1 removed"), "{text}");
    // A path that matches nothing is an error, and then nothing is removed.
    let run = fx.run(&["remove", "corpus/a.txt", "nowhere"]).expect(2);
    assert!(run.stderr().contains("nowhere"), "{}", run.describe());
    assert_eq!(paths(&fx), ["corpus/a.txt", "corpus/b.txt"]);
}

#[test]
fn sigkill_during_a_removing_run_reaches_the_same_final_state() {
    let fx = Fixture::new();
    let count = 3000;
    many_articles(&fx, "in", count);
    fx.ingest(&["in"]).expect(0);
    // Every third file goes, and new ones come, so the run both writes and removes.
    for n in (0..count).step_by(3) {
        std::fs::remove_file(fx.path(&format!("in/{n:06}.txt"))).unwrap();
    }
    for n in 0..300 {
        fx.article(
            &format!("in/new/{n:03}.txt"),
            "2024-12-01",
            &format!("New report {n}.\n\nA new text, number {n}."),
        );
    }
    let (reference, full_run) = reference_run(&fx, "in");
    let expected = indexed_paths(&reference);
    assert_eq!(expected.len(), count - count.div_ceil(3) + 300);

    let seed = seed();
    let mut random = Lcg(seed);
    let mut counts = BTreeMap::new();
    for round in 0..6 {
        let delay = random.below(full_run + 50);
        let mut child = spawn(&fx, &["ingest", "--commit-every", "0.01", "in"]);
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = indexed_paths(&fx).len();
        *counts.entry(now).or_insert(0) += 1;
        // Removal is committed with the run's last commit, never before its walk is done: a
        // killed run holds at least what the reference keeps.
        assert!(now >= expected.len(), "round {round}, seed {seed}: {now}");
    }
    let report: contract::Ingest = fx.ingest(&["in"]).expect(0).json();
    assert_eq!(report.duplicates, 0, "seed {seed}");
    assert_eq!(
        indexed_paths(&fx),
        expected,
        "seed {seed}, counts {counts:?}"
    );
    assert_eq!(
        without_stories(&fx.run(&["export"]).expect(0).stdout()),
        without_stories(&reference.run(&["export"]).expect(0).stdout()),
        "same final state as an uninterrupted run"
    );
}

/// A random archive under change: files created, edited, deleted, renamed (also to names that
/// sort first) and moved between folders, folders moved, JSON lines inserted and deleted.
/// Every content is unique, so no article is a duplicate.
struct Churn {
    random: Lcg,
    next: u64,
}

impl Churn {
    fn text(&mut self) -> String {
        self.next += 1;
        let n = self.next;
        // Each new text is longer than any before: an edit never keeps a file's size, so the
        // size-and-time check cannot miss it within one tick of the file system's clock.
        format!("Report {n}.\n\nItem {n} {}", "x".repeat(n as usize))
    }

    fn files(fx: &Fixture, ext: &str) -> Vec<std::path::PathBuf> {
        let mut found = Vec::new();
        let mut stack = vec![fx.path("archive")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == ext) {
                    found.push(path);
                }
            }
        }
        found.sort();
        found
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.random.below(items.len() as u64) as usize].clone())
    }

    fn folder(&mut self) -> String {
        ["archive", "archive/a", "archive/b", "archive/a/c"][self.random.below(4) as usize]
            .to_string()
    }

    fn step(&mut self, fx: &Fixture) {
        let texts = Self::files(fx, "txt");
        match self.random.below(8) {
            0 | 1 => {
                let name = format!("{}/{:05}.txt", self.folder(), self.random.below(100_000));
                let text = self.text();
                fx.article(&name, "2025-01-01", &text);
            }
            2 => {
                if let Some(path) = self.pick(&texts) {
                    std::fs::remove_file(path).unwrap();
                }
            }
            3 => {
                if let Some(path) = self.pick(&texts) {
                    let text = self.text();
                    std::fs::write(path, format!(" date 2025-01-02 {text}\n")).unwrap();
                }
            }
            4 => {
                if let Some(path) = self.pick(&texts) {
                    let to = fx.path(&format!(
                        "{}/{:05}.txt",
                        self.folder(),
                        self.random.below(100_000)
                    ));
                    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                    if !to.exists() {
                        std::fs::rename(path, to).unwrap();
                    }
                }
            }
            5 => {
                let (from, to) = if fx.path("archive/b").exists() {
                    ("archive/b", "archive/a/b2")
                } else {
                    ("archive/a/b2", "archive/b")
                };
                if fx.path(from).exists() && !fx.path(to).exists() {
                    std::fs::create_dir_all(fx.path(to).parent().unwrap()).unwrap();
                    std::fs::rename(fx.path(from), fx.path(to)).unwrap();
                }
            }
            _ => {
                let feed = fx.path("archive/feed.jsonl");
                let old = std::fs::read_to_string(&feed).unwrap_or_default();
                let mut lines: Vec<String> = old.lines().map(str::to_string).collect();
                if self.random.below(3) == 0 && !lines.is_empty() {
                    let at = self.random.below(lines.len() as u64) as usize;
                    lines.remove(at);
                } else {
                    let at = self.random.below(lines.len() as u64 + 1) as usize;
                    let text = self.text().replace('\n', " ");
                    lines.insert(
                        at,
                        format!("{{\"date\": \"2025-02-01\", \"body\": \"{text}\"}}"),
                    );
                }
                let body: String = lines.iter().map(|line| format!("{line}\n")).collect();
                std::fs::write(feed, body).unwrap();
            }
        }
    }
}

#[test]
fn after_any_changes_an_ingest_leaves_what_a_fresh_ingest_would() {
    let fx = Fixture::new();
    let seed = seed();
    let mut churn = Churn {
        random: Lcg(seed),
        next: 0,
    };
    std::fs::create_dir_all(fx.path("archive")).unwrap();
    for _ in 0..12 {
        churn.step(&fx);
    }
    for round in 0..25 {
        for _ in 0..1 + churn.random.below(4) {
            churn.step(&fx);
        }
        let report: contract::Ingest = fx.ingest(&["archive"]).expect(0).json();
        assert_eq!(report.duplicates, 0, "seed {seed}, round {round}");
        let fresh = Fixture::new();
        let archive = fx.path("archive").to_string_lossy().into_owned();
        fresh.ingest(&[&archive]).expect(0);
        assert_eq!(
            fx.run(&["export"]).expect(0).stdout(),
            fresh.run(&["export"]).expect(0).stdout(),
            "seed {seed}, round {round}: {report:?}"
        );
    }
}
