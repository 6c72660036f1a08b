//! Error messages on the command line: each cause printed once, and the flag that fixes it.

use crate::util::{Fixture, Run};

fn occurrences(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

fn assert_stderr_has(run: &Run, wanted: &str) {
    assert!(run.stderr().contains(wanted), "{}", run.describe());
}

#[test]
fn missing_input_path_names_its_cause_once() {
    let fx = Fixture::new();
    let run = fx.run(&["ingest", "no-such-folder"]).expect(2);
    assert_stderr_has(&run, "cannot read no-such-folder: ");
    assert_eq!(
        occurrences(&run.stderr(), "os error"),
        1,
        "{}",
        run.describe()
    );
    assert_eq!(run.stderr().lines().count(), 1, "{}", run.describe());
}

#[test]
fn unwritable_index_names_its_cause_once() {
    let fx = Fixture::new();
    let run = fx.ingest_into_unwritable_index().expect(2);
    assert_stderr_has(&run, "cannot write the index at ");
    assert_eq!(
        occurrences(&run.stderr(), "os error"),
        1,
        "{}",
        run.describe()
    );
}

#[test]
fn missing_index_hints_at_ingest_and_the_index_flag() {
    let fx = Fixture::new();
    let run = fx.run(&["search", "snow"]).expect(2);
    assert_stderr_has(&run, "no index at ");
    assert_stderr_has(&run, "run `dateline ingest` first (or pass --index DIR)");
}

#[test]
fn incompatible_index_hints_at_rebuild() {
    let fx = Fixture::new();
    fx.incompatible_index();
    let run = fx.run(&["stats"]).expect(2);
    assert_stderr_has(&run, "is not a dateline index of this version");
    assert_stderr_has(&run, "re-create it with `dateline ingest --rebuild`");
}

#[test]
fn date_range_and_timeline_errors_hint_at_their_flags() {
    let fx = Fixture::new();
    fx.article("a.txt", "2025-01-01", "First.\n\nText.");
    fx.ingest(&["a.txt"]).expect(0);
    let run = fx
        .run(&["search", "first", "--from", "2025-05", "--to", "2025-04"])
        .expect(2);
    assert_stderr_has(&run, "2025-05 (2025-05-01)");
    assert_stderr_has(&run, "--from must not be later than --to");
    let run = fx
        .run(&[
            "timeline",
            "--interval",
            "day",
            "--from",
            "1700",
            "--to",
            "2200",
        ])
        .expect(2);
    assert_stderr_has(&run, "more than 100000 buckets");
    assert_stderr_has(&run, "use a longer --interval or a narrower --from/--to");
}
