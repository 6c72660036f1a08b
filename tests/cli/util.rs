//! Test harness: a scratch folder with articles, an index inside it, and the real binary to run.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde::de::DeserializeOwned;

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

/// One run of the binary, with everything needed to explain a failed assertion.
pub struct Run {
    pub args: Vec<String>,
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().unwrap_or(-1)
    }

    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub fn describe(&self) -> String {
        format!(
            "dateline {}\nexit: {}\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            self.code(),
            self.stdout(),
            self.stderr()
        )
    }

    /// Asserts the exit code, printing the whole run when it differs.
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(self.code(), code, "{}", self.describe());
        self
    }

    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.output.stdout).unwrap_or_else(|err| {
            panic!(
                "stdout is not the expected JSON ({err})\n{}",
                self.describe()
            )
        })
    }
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn index(&self) -> PathBuf {
        self.path("index")
    }

    /// Writes a file below the fixture folder, creating parent folders.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, contents).expect("write");
        path
    }

    /// A dated article file.
    pub fn article(&self, relative: &str, date: &str, text: &str) -> PathBuf {
        self.write(relative, format!(" date {date} {text}\n"))
    }

    /// Runs `dateline --index <fixture index> ARGS` in the fixture folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let index = self.index();
        let mut all = vec!["--index".to_string(), index.to_string_lossy().into_owned()];
        all.extend(args.iter().map(|a| a.to_string()));
        self.run_raw(&all, &[])
    }

    /// Runs the binary with exactly these arguments and extra environment.
    pub fn run_raw(&self, args: &[String], env: &[(&str, &str)]) -> Run {
        let mut command = assert_cmd::Command::cargo_bin("dateline").expect("binary");
        command
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("DATELINE_INDEX")
            .env_remove("DATELINE_TODAY")
            .env("NO_COLOR", "1");
        for (key, value) in env {
            command.env(key, value);
        }
        let output = command.output().expect("run dateline");
        Run {
            args: args.to_vec(),
            output,
        }
    }

    /// An index of one article whose version file says it was written by an incompatible
    /// dateline.
    pub fn incompatible_index(&self) {
        self.article("a.txt", "2025-01-01", "First.\n\nText.");
        self.ingest(&["a.txt"]).expect(0);
        std::fs::write(
            self.index().join("dateline.json"),
            "{\"format_version\": 999, \"created_by\": \"dateline 99\"}",
        )
        .expect("write the version file");
    }

    /// `dateline ingest in` into an index whose folder cannot be made: a file stands where
    /// its parent folder should be.
    pub fn ingest_into_unwritable_index(&self) -> Run {
        self.article("in/a.txt", "2025-01-15", "Good.\n\nFine text.");
        self.write("not-a-folder", "a file");
        let index = self.path("not-a-folder/index");
        let args = [
            "--index".to_string(),
            index.to_string_lossy().into_owned(),
            "ingest".into(),
            "in".into(),
        ];
        self.run_raw(&args, &[])
    }

    pub fn ingest(&self, paths: &[&str]) -> Run {
        let mut args = vec!["ingest", "--json"];
        args.extend_from_slice(paths);
        self.run(&args)
    }
}

/// `../shared` beside the repository, where the real corpora live, if it is there.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    dir.join("corpus").is_dir().then_some(dir)
}
