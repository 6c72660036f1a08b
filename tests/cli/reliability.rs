//! Faults: hostile input, SIGKILL mid-ingest, concurrent use, damaged indexes, interruption.

use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::contract;
use crate::util::Fixture;

/// Writes `count` distinct small articles named `NNNNNN.txt` into `folder`.
pub(crate) fn many_articles(fx: &Fixture, folder: &str, count: usize) {
    for n in 0..count {
        let day = 1 + n % 28;
        let month = 1 + (n / 28) % 12;
        fx.article(
            &format!("{folder}/{n:06}.txt"),
            &format!("2024-{month:02}-{day:02}"),
            &format!("Report number {n}.\n\nThe committee met on item {n} and agreed on the budget for project {n}."),
        );
    }
}

pub(crate) fn spawn(fx: &Fixture, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("dateline"))
        .arg("--index")
        .arg(fx.index())
        .args(args)
        .current_dir(fx.dir.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn dateline")
}

/// Article paths in the index, via export (empty when no index was committed yet).
pub(crate) fn indexed_paths(fx: &Fixture) -> Vec<String> {
    if !fx.index().join("meta.json").exists() {
        return Vec::new();
    }
    let run = fx.run(&["export"]).expect(0);
    let mut paths: Vec<String> = run
        .stdout()
        .lines()
        .map(|line| {
            serde_json::from_str::<contract::Article>(line)
                .expect("export line")
                .path
        })
        .collect();
    paths.sort();
    paths
}

/// A seed from the clock, printed by the tests that use it, so a failure can be repeated.
pub(crate) fn seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

/// An uninterrupted ingest of `folder` of `fx` into an index of its own: the reference final
/// state, and how long it took in milliseconds.
pub(crate) fn reference_run(fx: &Fixture, folder: &str) -> (Fixture, u64) {
    let reference = Fixture::new();
    let path = fx.path(folder).to_string_lossy().into_owned();
    let started = Instant::now();
    reference.ingest(&[&path]).expect(0);
    (reference, started.elapsed().as_millis() as u64)
}

/// A small deterministic generator, so a failing run can be repeated from its printed seed.
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn below(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound.max(1)
    }
}

#[test]
fn hostile_input_is_rejected_with_reasons_and_the_rest_committed() {
    let fx = Fixture::new();
    fx.article("in/good.txt", "2025-01-15", "Good.\n\nFine text.");
    fx.write("in/zero-date.txt", " date 0000-00-00 Text.");
    fx.write("in/year-99999.txt", " date 99999-01-01 Text.");
    fx.write("in/whitespace.txt", "  \n\t\n   ");
    fx.write(
        "in/bom-crlf.txt",
        b"\xEF\xBB\xBF date 2025-01-16 Bom crlf.\r\n\r\nFine text too.\r\n".as_slice(),
    );
    let huge = format!(" date 2025-01-01 {}", "x".repeat(50 * 1024 * 1024));
    fx.write("in/huge.txt", huge.as_bytes());
    let deep: String = (0..100).map(|i| format!("d{i}/")).collect();
    fx.article(
        &format!("in/{deep}deep.txt"),
        "2025-01-17",
        "Deep.\n\nFine text, deep down.",
    );
    fx.write(
        "in/feed.jsonl",
        concat!(
            "{\"date\":\"2025-01-18\",\"body\":\"Fine text in JSON.\"}\n",
            "42\n",
            "{\"date\":\"2025-01-18\",\"title\":5,\"body\":\"x\"}\n",
            "{\"title\":\"no date or body\"}\n",
            "{\"date\":\"2025-01-18\",\"body\":\"trunc",
        ),
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(fx.path("in"), fx.path("in/loop")).unwrap();
        std::os::unix::fs::symlink(fx.path("in/missing-target.txt"), fx.path("in/dangling.txt"))
            .unwrap();
    }
    let run = fx.ingest(&["in"]).expect(3);
    let report: contract::Ingest = run.json();
    assert_eq!(
        report.indexed, 4,
        "good, bom-crlf, deep and one JSON line: {:#?}",
        report.rejected
    );
    let find = |file: &str, line: Option<u64>| {
        report
            .rejected
            .iter()
            .find(|r| r.path.ends_with(file) && r.line == line)
            .unwrap_or_else(|| panic!("no rejection for {file}:{line:?} in {:#?}", report.rejected))
            .reason
            .clone()
    };
    assert!(find("zero-date.txt", None).contains("\"0000-00-00\""));
    assert!(find("year-99999.txt", None).contains("YYYY-MM-DD"));
    assert!(find("whitespace.txt", None).contains("empty file"));
    assert!(find("huge.txt", None).contains("over the 32 MB limit"));
    assert!(find("feed.jsonl", Some(2)).contains("expected a JSON object"));
    assert!(find("feed.jsonl", Some(3)).contains("\"title\" must be a string"));
    assert!(find("feed.jsonl", Some(4)).contains("missing field \"date\""));
    assert!(find("feed.jsonl", Some(5)).contains("not valid JSON"));
    #[cfg(unix)]
    {
        assert!(find("loop", None).contains("symbolic link loop"));
        assert!(find("dangling.txt", None).contains("No such file"));
    }
    let hits: contract::Search = fx.run(&["search", "fine", "--json"]).expect(0).json();
    assert_eq!(hits.total, 4, "the index stays searchable");
}

#[test]
fn over_long_json_line_is_rejected_and_the_lines_after_it_are_read() {
    let fx = Fixture::new();
    let line = |id: &str, body: &str| {
        format!("{{\"id\":\"{id}\",\"date\":\"2025-01-01\",\"body\":\"{body}\"}}\n")
    };
    // Line 2 is longer than the per-article limit (33 MB); what follows it is read as usual.
    let mut feed = line("a", "Before the long line.");
    feed.push_str(&line("long", &"x".repeat(33 * 1024 * 1024)));
    feed.push_str(&line("b", "After the long line."));
    fx.write("feed.jsonl", feed.as_bytes());
    let report: contract::Ingest = fx.ingest(&["feed.jsonl"]).expect(3).json();
    let rejected: Vec<(Option<u64>, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(
        rejected,
        [(Some(2), "line is over the 32 MB limit for one article")]
    );
    assert_eq!((report.indexed, report.documents), (2, 2));
    let after: contract::Article = fx.run(&["show", "b", "--json"]).expect(0).json();
    assert_eq!(after.title, "After the long line");
}

#[test]
fn unwritable_index_path_fails_before_any_work() {
    let fx = Fixture::new();
    let run = fx.ingest_into_unwritable_index().expect(2);
    assert!(
        run.stderr().contains("cannot write the index"),
        "{}",
        run.describe()
    );
    assert!(
        run.stderr().contains("not-a-folder/index"),
        "{}",
        run.describe()
    );
    assert!(run.stdout().is_empty());
}

#[test]
fn sigkill_at_random_moments_leaves_a_committed_prefix_and_a_rerun_finishes_the_job() {
    let fx = Fixture::new();
    let count = 3000;
    many_articles(&fx, "in", count);
    // The uninterrupted run, into its own index, is the reference final state.
    let (reference, full_run) = reference_run(&fx, "in");
    let expected = indexed_paths(&reference);
    assert_eq!(expected.len(), count);

    let seed = seed();
    let mut random = Lcg(seed);
    for round in 0..8 {
        let delay = random.below(full_run + 50);
        let mut child = spawn(&fx, &["ingest", "--commit-every", "0.01", "in"]);
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let paths = indexed_paths(&fx);
        // Ingest goes through files in sorted order, so what is committed is a prefix of them.
        assert_eq!(
            paths[..],
            expected[..paths.len()],
            "round {round}, seed {seed}, killed after {delay} ms"
        );
        let stats: contract::Stats = fx.run(&["stats", "--json"]).code_or_missing();
        assert_eq!(
            stats.documents as usize,
            paths.len(),
            "round {round}, seed {seed}"
        );
    }
    let report: contract::Ingest = fx.ingest(&["in"]).expect(0).json();
    assert_eq!(report.documents as usize, count, "seed {seed}");
    assert_eq!(report.duplicates, 0);
    assert_eq!(indexed_paths(&fx), expected);
    let reference_export = without_stories(&reference.run(&["export"]).expect(0).stdout());
    assert_eq!(
        without_stories(&fx.run(&["export"]).expect(0).stdout()),
        reference_export,
        "same final state as an uninterrupted run"
    );
}

trait StatsOrEmpty {
    fn code_or_missing(self) -> contract::Stats;
}

impl StatsOrEmpty for crate::util::Run {
    /// Stats of the index, or an empty one when the run was killed before its first commit.
    fn code_or_missing(self) -> contract::Stats {
        if self.code() == 2 && self.stderr().contains("no index at") {
            return contract::Stats {
                documents: 0,
                first_date: None,
                last_date: None,
                months: Vec::new(),
                top_entities: Vec::new(),
            };
        }
        self.expect(0).json()
    }
}

#[test]
fn searches_see_commits_while_an_ingest_runs_and_a_second_ingest_is_refused() {
    let fx = Fixture::new();
    let count = 20_000;
    many_articles(&fx, "in", count);
    fx.article("first/a.txt", "2023-01-01", "Seed.\n\nSo the index exists.");
    fx.ingest(&["first"]).expect(0);
    let mut child = spawn(
        &fx,
        &["ingest", "--commit-every", "0.05", "--threads", "1", "in"],
    );
    let mut seen = Vec::new();
    let mut refused = None;
    while child.try_wait().unwrap().is_none() {
        let stats: contract::Stats = fx.run(&["stats", "--json"]).expect(0).json();
        seen.push(stats.documents);
        // Only once a commit of the run is visible does the first ingest surely hold the
        // writer: tried earlier, the second could take the lock first and the first fail.
        if refused.is_none() && stats.documents > 1 && stats.documents < count as u64 + 1 {
            let second = fx.run(&["ingest", "first"]);
            if second.code() == 2 {
                refused = Some(second.stderr());
            }
        }
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        seen.windows(2).all(|w| w[0] <= w[1]),
        "counts never go back: {seen:?}"
    );
    assert!(
        seen.iter().any(|&n| n > 1 && n < count as u64 + 1),
        "a commit was seen mid-run: {seen:?}"
    );
    let refused = refused.expect("a second ingest during the first is refused");
    assert!(refused.contains(".dateline-writer.lock"), "{refused}");
    let stats: contract::Stats = fx.run(&["stats", "--json"]).expect(0).json();
    assert_eq!(stats.documents, count as u64 + 1);
}

#[cfg(unix)]
#[test]
fn ctrl_c_commits_what_was_read_and_exits_130_promptly() {
    let fx = Fixture::new();
    let count = 20_000;
    many_articles(&fx, "in", count);
    let mut child = spawn(&fx, &["ingest", "--threads", "1", "in"]);
    std::thread::sleep(Duration::from_millis(400));
    let sent = Instant::now();
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    let exit = child.wait().unwrap();
    assert!(sent.elapsed() < Duration::from_secs(10), "stopped promptly");
    if exit.success() {
        // The whole run finished before the signal arrived; nothing to check.
        return;
    }
    assert_eq!(exit.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let kept = indexed_paths(&fx).len();
    assert!(kept < count);
    let report: contract::Ingest = fx.ingest(&["in"]).expect(0).json();
    assert_eq!(
        (report.unchanged as usize, report.documents as usize),
        (kept, count)
    );
}

/// Runs `search` and `stats` on a damaged index: exit 2, a message that says `--rebuild`, no panic text.
fn assert_damaged_is_reported(fx: &Fixture, what: &str) {
    for args in [
        &["search", "committee"][..],
        &["stats"][..],
        &["export"][..],
    ] {
        let run = fx.run(args);
        assert_eq!(run.code(), 2, "{what}: {}", run.describe());
        assert!(
            run.stderr().contains("--rebuild"),
            "{what}: {}",
            run.describe()
        );
        assert!(
            !run.stderr().contains("panicked"),
            "{what}: {}",
            run.describe()
        );
    }
    let rebuilt: contract::Ingest = fx
        .run(&["ingest", "--rebuild", "--json", "in"])
        .expect(0)
        .json();
    assert_eq!(rebuilt.documents, 40, "{what}");
}

fn segment_files(fx: &Fixture, extension: &str) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(fx.index())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect()
}

/// A way to damage an index in place.
type Damage = fn(&Fixture);

#[test]
fn damaged_indexes_get_a_clear_message_and_rebuild_repairs_them() {
    let cases: [(&str, Damage); 4] = [
        ("corrupted meta.json", |fx| {
            std::fs::write(fx.index().join("meta.json"), "{ not json").unwrap()
        }),
        ("deleted segment file", |fx| {
            for file in segment_files(fx, "idx") {
                std::fs::remove_file(file).unwrap();
            }
        }),
        ("truncated store file", |fx| {
            for file in segment_files(fx, "store") {
                let len = std::fs::metadata(&file).unwrap().len();
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&file)
                    .unwrap()
                    .set_len(len / 2)
                    .unwrap();
            }
        }),
        ("truncated term file", |fx| {
            for file in segment_files(fx, "term") {
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(&file)
                    .unwrap()
                    .set_len(3)
                    .unwrap();
            }
        }),
    ];
    for (what, damage) in cases {
        let fx = Fixture::new();
        many_articles(&fx, "in", 40);
        fx.ingest(&["in"]).expect(0);
        damage(&fx);
        assert_damaged_is_reported(&fx, what);
    }
}

#[test]
fn paths_collected_for_the_prefix_check_are_distinct() {
    // Guards the premise of the SIGKILL test: every generated article is its own document.
    let fx = Fixture::new();
    many_articles(&fx, "in", 50);
    let report: contract::Ingest = fx.ingest(&["in"]).expect(0).json();
    assert_eq!(report.indexed, 50);
    let unique: BTreeSet<String> = indexed_paths(&fx).into_iter().collect();
    assert_eq!(unique.len(), 50);
}

/// Peak resident memory of a running process so far, in bytes (Linux).
fn peak_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(target_os = "linux")]
#[test]
fn memory_stays_bounded_on_a_large_json_lines_file() {
    // About 290 MB of JSON Lines: more than ingest may hold at once. What it may hold is
    // the writer's budget (32 MB here), tantivy's queue of up to 10,000 documents (about
    // 50 MB of these), a few MB of batches in flight, the ids seen so far, and the stories'
    // table.
    let fx = Fixture::new();
    let paragraph = "The committee met again to discuss the budget and the schedule. ".repeat(75);
    let lines = 60_000;
    let mut data = String::with_capacity(lines * (paragraph.len() + 80));
    for n in 0..lines {
        data.push_str(&format!(
            "{{\"id\":\"a{n}\",\"date\":\"2024-01-{:02}\",\"title\":\"Item {n}\",\"body\":\"{paragraph} {n}\"}}\n",
            1 + n % 28
        ));
    }
    let input_bytes = data.len() as u64;
    fx.write("big.jsonl", data);
    let mut child = spawn(
        &fx,
        &[
            "ingest",
            "--no-entities",
            "--threads",
            "1",
            "--memory-mb",
            "32",
            "big.jsonl",
        ],
    );
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        peak = peak.max(peak_rss(child.id()).unwrap_or(0));
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stats: contract::Stats = fx.run(&["stats", "--json"]).expect(0).json();
    assert_eq!(stats.documents, lines as u64);
    // Stories keep every article of the run in their table (a signature and its band
    // chains: about 450 bytes an article, `examples/story_memory.rs`), the one cost here that
    // grows with the run.
    let story_table = lines as u64 * 400;
    assert!(
        peak < (200 << 20) + story_table,
        "peak RSS {} MB for a {} MB input: ingest must stream, not hold the file",
        peak >> 20,
        input_bytes >> 20
    );
}

#[test]
fn rebuild_leaves_the_index_alone_while_another_run_holds_it() {
    let fx = Fixture::new();
    // Incompatible, so --rebuild would replace its files.
    fx.incompatible_index();
    let files_before = std::fs::read_dir(fx.index()).unwrap().count();
    for lock in [".dateline-writer.lock", ".tantivy-writer.lock"] {
        // Held the way a running ingest holds it.
        let held = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(fx.index().join(lock))
            .unwrap();
        held.try_lock().unwrap();
        let run = fx.run(&["ingest", "--rebuild", "a.txt"]).expect(2);
        assert!(run.stderr().contains(lock), "{}", run.describe());
        drop(held);
        assert!(fx.index().join("meta.json").exists(), "{lock}");
        assert!(
            std::fs::read_dir(fx.index()).unwrap().count() >= files_before,
            "{lock}: files were removed"
        );
    }
    fx.run(&["ingest", "--rebuild", "a.txt"]).expect(0);
}

#[test]
fn a_failed_creation_leaves_no_version_file_behind() {
    let fx = Fixture::new();
    fx.article("a.txt", "2025-01-01", "First.\n\nText.");
    // A folder where tantivy's meta.json must go: creating the index fails.
    std::fs::create_dir_all(fx.index().join("meta.json")).unwrap();
    let run = fx.run(&["ingest", "a.txt"]).expect(2);
    assert!(
        !fx.index().join("dateline.json").exists(),
        "{}",
        run.describe()
    );
}

/// Mounts a small tmpfs at `dir` (root only, and where mounts are allowed); unmounted on drop.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(dir: &std::path::Path, size: &str) -> Option<SmallDisk> {
        std::fs::create_dir_all(dir).ok()?;
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .ok()?;
        status.success().then(|| SmallDisk(dir.to_path_buf()))
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_named_with_what_the_index_keeps_and_what_to_do() {
    let fx = Fixture::new();
    let Some(_disk) = SmallDisk::mount(&fx.path("disk"), "3m") else {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root and mount rights)");
        return;
    };
    let index = fx.path("disk/index");
    many_articles(&fx, "first", 50);
    let run = |input: &str| {
        fx.run_raw(
            &[
                "--index".to_string(),
                index.to_string_lossy().into_owned(),
                "ingest".into(),
                input.into(),
            ],
            &[],
        )
    };
    run("first").expect(0);
    // Far more than the disk holds: words that are all different compress badly.
    let mut random = Lcg(7);
    for n in 0..3000 {
        let words: Vec<String> = (0..300)
            .map(|_| format!("w{:x}", random.below(u64::MAX >> 8)))
            .collect();
        fx.article(
            &format!("second/{n:05}.txt"),
            "2024-06-01",
            &format!("Item {n}.\n\n{}", words.join(" ")),
        );
    }
    let full = run("second").expect(2);
    let err = full.stderr();
    assert!(err.contains("disk"), "{}", full.describe());
    assert!(err.contains("full"), "{}", full.describe());
    assert!(err.contains("50 articles"), "{}", full.describe());
    assert!(err.contains("free some space"), "{}", full.describe());
    assert!(!err.contains("Internal error"), "{}", full.describe());
    assert_eq!(err.lines().count(), 1, "{}", full.describe());
}

/// Export lines without their story ids: a killed run leaves the merging and regrouping of
/// stories it had found undone (they are done once a run's input is all committed), so story
/// ids are compared only between runs that ended.
pub(crate) fn without_stories(export: &str) -> String {
    export
        .lines()
        .map(|line| {
            let mut article: serde_json::Value = serde_json::from_str(line).expect("export line");
            article.as_object_mut().expect("object").remove("story");
            article.to_string() + "\n"
        })
        .collect()
}
