//! Moving an archive to a distributed engine: an index configuration and the articles as
//! NDJSON files of bounded size, written into a folder.
//!
//! Articles stream from the index one batch of days at a time ([`Archive::export`]) and each
//! goes out as soon as it is shaped, so memory does not grow with the archive.

pub mod engines;
pub mod files;
pub mod report;

use std::path::{Path, PathBuf};

pub use engines::Engine;
use files::SplitWriter;
use report::ExportReport;

use crate::dates::DateRange;
use crate::error::{Error, Result};
use crate::search::Archive;
use crate::wire;

/// The default size limit of one NDJSON file: Quickwit's ingest API takes requests up to
/// 10 MB, and OpenSearch's `_bulk` works best with requests of a few to ten MB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 10_000_000;

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub engine: Engine,
    /// The folder to write; made if missing, and it must be empty.
    pub out: PathBuf,
    pub dates: DateRange,
    /// Largest NDJSON file, in bytes (an article larger on its own is written alone).
    pub max_file_bytes: u64,
}

/// Writes the engine's index configuration and the articles in `options.dates` into
/// `options.out`.
pub fn export_for_engine(archive: &Archive, options: &ExportOptions) -> Result<ExportReport> {
    prepare_folder(&options.out)?;
    let config = options.out.join(options.engine.config_file());
    std::fs::write(&config, options.engine.config()).map_err(|source| Error::Write {
        path: config.clone(),
        source,
    })?;
    let mut writer = SplitWriter::new(&options.out, options.max_file_bytes);
    let mut record = Vec::new();
    let mut articles = 0;
    for article in archive.export(options.dates)? {
        let article = wire::Article::from(article?);
        record.clear();
        append_record(options.engine, &article, &mut record).map_err(|err| Error::Write {
            path: options.out.clone(),
            source: err.into(),
        })?;
        writer.write(&record)?;
        articles += 1;
    }
    let (files, oversized) = writer.finish()?;
    Ok(ExportReport {
        engine: options.engine,
        out: options.out.clone(),
        articles,
        config,
        files,
        max_file_bytes: options.max_file_bytes,
        oversized,
    })
}

/// Appends one article's complete lines to `record`: the document for Quickwit; for
/// OpenSearch's `_bulk`, an `index` action keyed by the article's id, then the document (so
/// loading the same export again replaces rather than duplicates). Both engines get the same
/// document ([`wire::EngineDocument`]).
fn append_record(
    engine: Engine,
    article: &wire::Article,
    record: &mut Vec<u8>,
) -> serde_json::Result<()> {
    if engine == Engine::OpenSearch {
        let action = serde_json::json!({ "index": { "_id": article.id } });
        serde_json::to_writer(&mut *record, &action)?;
        record.push(b'\n');
    }
    serde_json::to_writer(&mut *record, &wire::EngineDocument::from(article))?;
    record.push(b'\n');
    Ok(())
}

/// Makes the folder, or checks that it is empty: files of an earlier export left beside
/// the new ones would be loaded with them.
fn prepare_folder(out: &Path) -> Result<()> {
    std::fs::create_dir_all(out).map_err(|source| Error::Write {
        path: out.to_path_buf(),
        source,
    })?;
    let mut entries = std::fs::read_dir(out).map_err(|source| Error::Io {
        path: out.to_path_buf(),
        source,
    })?;
    if entries.next().is_some() {
        return Err(Error::ExportFolderNotEmpty {
            path: out.to_path_buf(),
        });
    }
    Ok(())
}
