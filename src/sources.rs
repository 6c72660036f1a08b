//! Finding the input files: folders walked recursively in sorted order, hidden entries skipped, loops refused.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// How a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// ` date YYYY-MM-DD ` then the text: one article per file.
    DatedText,
    /// One JSON object per line.
    JsonLines,
}

impl Format {
    fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext)
                if ext.eq_ignore_ascii_case("jsonl") || ext.eq_ignore_ascii_case("ndjson") =>
            {
                Format::JsonLines
            }
            _ => Format::DatedText,
        }
    }
}

/// One input file, or the reason a part of the tree could not be read.
#[derive(Debug, Clone)]
pub enum Found {
    File {
        /// As walked: the root as given, then the names below it.
        path: PathBuf,
        /// The canonical root joined with the same names: the file's stable identity,
        /// whichever way the root was spelled.
        identity: PathBuf,
        format: Format,
    },
    Unreadable {
        path: PathBuf,
        reason: String,
    },
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|name| name.starts_with('.') && name != "." && name != "..")
}

/// `path` (which walkdir built as `root` + names) with `root` replaced by `canonical_root`.
fn identity(canonical_root: &Path, root: &Path, path: &Path) -> PathBuf {
    // The names below the root, cut off as bytes: parsing path components for every file
    // costs more than the rest of a no-op re-ingest's per-file work.
    #[cfg(unix)]
    let below_root = {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        let rest = bytes
            .get(root.as_os_str().len()..)
            .filter(|_| bytes.starts_with(root.as_os_str().as_bytes()));
        match rest {
            Some(rest) => Path::new(std::ffi::OsStr::from_bytes(
                rest.strip_prefix(b"/").unwrap_or(rest),
            )),
            None => path.strip_prefix(root).unwrap_or(Path::new("")),
        }
    };
    #[cfg(not(unix))]
    let below_root = path.strip_prefix(root).unwrap_or(Path::new(""));
    if below_root.as_os_str().is_empty() {
        canonical_root.to_path_buf()
    } else {
        canonical_root.join(below_root)
    }
}

/// Every input below `roots`, in order: each root in turn, its entries sorted by name.
///
/// Symlinks are followed, but a link back to one of its own parents is reported as unreadable
/// instead of being walked forever. The folder `skip` (the index being written) is never entered.
pub fn walk<'a>(roots: &'a [PathBuf], skip: Option<&'a Path>) -> impl Iterator<Item = Found> + 'a {
    let skip = skip.and_then(|dir| std::fs::canonicalize(dir).ok());
    roots.iter().flat_map(move |root| {
        let skip = skip.clone();
        // One canonicalisation per root, not per file: it costs a system call per path component.
        let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
        WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(move |entry| {
                let hidden = entry.depth() > 0 && is_hidden(entry.file_name());
                let is_skipped = entry.file_type().is_dir()
                    && skip.as_deref().is_some_and(|skip| {
                        std::fs::canonicalize(entry.path()).is_ok_and(|path| path == skip)
                    });
                !hidden && !is_skipped
            })
            .filter_map(move |entry| match entry {
                Ok(entry) if entry.file_type().is_file() => Some(Found::File {
                    format: Format::of(entry.path()),
                    identity: identity(&canonical_root, root, entry.path()),
                    path: entry.into_path(),
                }),
                Ok(_) => None,
                Err(err) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    let reason = if err.loop_ancestor().is_some() {
                        "symbolic link loop (points back to one of its parent folders)".to_string()
                    } else {
                        err.io_error()
                            .map(|io| io.to_string())
                            .unwrap_or_else(|| err.to_string())
                    };
                    Some(Found::Unreadable { path, reason })
                }
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(found: Vec<Found>) -> Vec<String> {
        found
            .into_iter()
            .filter_map(|f| match f {
                Found::File { path, .. } => Some(path.to_string_lossy().into_owned()),
                Found::Unreadable { .. } => None,
            })
            .collect()
    }

    #[test]
    fn walk_is_sorted_recursive_and_skips_hidden_and_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/deep/er")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        for name in [
            "c.txt",
            "a.jsonl",
            "b/deep/er/z.txt",
            "b/x.txt",
            ".hidden.txt",
            ".git/config",
        ] {
            std::fs::write(root.join(name), "x").unwrap();
        }
        std::fs::create_dir_all(root.join("index")).unwrap();
        std::fs::write(root.join("index/meta.json"), "{}").unwrap();
        let found = files(walk(&[root.to_path_buf()], Some(&root.join("index"))).collect());
        let relative: Vec<String> = found
            .iter()
            .map(|p| {
                p.strip_prefix(&*root.to_string_lossy())
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(
            relative,
            ["/a.jsonl", "/b/deep/er/z.txt", "/b/x.txt", "/c.txt"]
        );
    }

    #[test]
    fn identity_replaces_the_root_as_typed_with_the_canonical_one() {
        let canonical = Path::new("/data/corpus");
        let cases = [
            ("corpus", "corpus/a/b.txt", "/data/corpus/a/b.txt"),
            ("corpus/", "corpus/a/b.txt", "/data/corpus/a/b.txt"),
            (
                "./corpus/../corpus",
                "./corpus/../corpus/b.txt",
                "/data/corpus/b.txt",
            ),
            ("corpus/b.txt", "corpus/b.txt", "/data/corpus"),
        ];
        for (root, path, expected) in cases {
            assert_eq!(
                identity(canonical, Path::new(root), Path::new(path)),
                Path::new(expected),
                "{root} {path}"
            );
        }
    }

    #[test]
    fn format_follows_extension() {
        assert_eq!(Format::of(Path::new("a.jsonl")), Format::JsonLines);
        assert_eq!(Format::of(Path::new("a.NDJSON")), Format::JsonLines);
        assert_eq!(Format::of(Path::new("a.txt")), Format::DatedText);
        assert_eq!(Format::of(Path::new("README")), Format::DatedText);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_is_reported_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/x.txt"), "x").unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("a/loop")).unwrap();
        let found: Vec<Found> = walk(&[root.to_path_buf()], None).collect();
        assert_eq!(files(found.clone()).len(), 1);
        assert!(found
            .iter()
            .any(|f| matches!(f, Found::Unreadable { reason, .. } if reason.contains("loop"))));
    }
}
