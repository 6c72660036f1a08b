//! What an export for a distributed engine wrote.

use std::path::PathBuf;

use super::engines::Engine;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportReport {
    pub engine: Engine,
    /// The folder written.
    pub out: PathBuf,
    pub articles: u64,
    /// The index configuration or mapping file.
    pub config: PathBuf,
    /// The NDJSON files, in the order written.
    pub files: Vec<WrittenFile>,
    pub max_file_bytes: u64,
    /// Articles that alone exceed the size limit (each written alone in its own file).
    pub oversized: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    pub path: PathBuf,
    pub articles: u64,
    pub bytes: u64,
}
