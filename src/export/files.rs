//! NDJSON files of at most a given size, for engines that take one request per file.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::report::WrittenFile;
use crate::error::{Error, Result};

/// Writes records (one article's complete lines) into `articles-00001.ndjson`,
/// `articles-00002.ndjson`, ... in a folder, starting a new file before a record that would
/// take the current one over the limit. A record never spans two files.
pub struct SplitWriter {
    dir: PathBuf,
    max_bytes: u64,
    open: Option<(BufWriter<File>, WrittenFile)>,
    written: Vec<WrittenFile>,
    oversized: u64,
}

impl SplitWriter {
    pub fn new(dir: &Path, max_bytes: u64) -> SplitWriter {
        SplitWriter {
            dir: dir.to_path_buf(),
            max_bytes,
            open: None,
            written: Vec::new(),
            oversized: 0,
        }
    }

    /// Appends one record; a record larger than the limit gets a file of its own.
    pub fn write(&mut self, record: &[u8]) -> Result<()> {
        let size = record.len() as u64;
        if size > self.max_bytes {
            self.oversized += 1;
        }
        if self
            .open
            .as_ref()
            .is_some_and(|(_, file)| file.bytes + size > self.max_bytes)
        {
            self.close()?;
        }
        if self.open.is_none() {
            let path = self
                .dir
                .join(format!("articles-{:05}.ndjson", self.written.len() + 1));
            let file = File::create(&path).map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
            let written = WrittenFile {
                path,
                articles: 0,
                bytes: 0,
            };
            self.open = Some((BufWriter::with_capacity(1 << 16, file), written));
        }
        if let Some((out, file)) = &mut self.open {
            out.write_all(record).map_err(|source| Error::Write {
                path: file.path.clone(),
                source,
            })?;
            file.articles += 1;
            file.bytes += size;
        }
        Ok(())
    }

    fn close(&mut self) -> Result<()> {
        if let Some((out, file)) = self.open.take() {
            out.into_inner().map_err(|err| Error::Write {
                path: file.path.clone(),
                source: err.into_error(),
            })?;
            self.written.push(file);
        }
        Ok(())
    }

    /// Closes the last file: the files written, and how many records were over the limit.
    pub fn finish(mut self) -> Result<(Vec<WrittenFile>, u64)> {
        self.close()?;
        Ok((self.written, self.oversized))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_never_span_files_and_files_stay_under_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = SplitWriter::new(dir.path(), 10);
        for record in ["aaaa\n", "bbbb\n", "cccc\n", "dddddddddddd\n", "ee\n"] {
            writer.write(record.as_bytes()).unwrap();
        }
        let (files, oversized) = writer.finish().unwrap();
        let contents: Vec<String> = files
            .iter()
            .map(|file| std::fs::read_to_string(&file.path).unwrap())
            .collect();
        assert_eq!(
            contents,
            ["aaaa\nbbbb\n", "cccc\n", "dddddddddddd\n", "ee\n"]
        );
        assert_eq!(oversized, 1);
        assert_eq!(
            files
                .iter()
                .map(|f| (f.articles, f.bytes))
                .collect::<Vec<_>>(),
            [(2, 10), (1, 5), (1, 13), (1, 3)]
        );
        assert!(files[0].path.ends_with("articles-00001.ndjson"));
    }
}
