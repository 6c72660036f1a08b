//! The only place that knows the index's fields: schema, article <-> document, open and version check.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tantivy::columnar::Column;
use tantivy::directory::MmapDirectory;
use tantivy::schema::{
    DateOptions, DateTimePrecision, Facet, FacetOptions, Field, IndexRecordOption, OwnedValue,
    Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{LowerCaser, RawTokenizer, RemoveLongFilter, TextAnalyzer};
use tantivy::{DateTime, DocId, Index, IndexSettings, SegmentReader, TantivyDocument, Term};

use crate::dates::{day_from_number, day_number};
use crate::entities::{Entity, EntityKind};
use crate::error::{Error, Result};
use crate::plain_reads::PlainStoreDirectory;
use crate::stories::Signature;
use crate::words::WordTokenizer;

/// Bumped whenever the schema or the meaning of a field changes; checked on every open.
/// Version 7: the entity fields hold the modern-news tagger's names (countries named by
/// adjective, generated place names, resolved partial names), so an index mixing the two
/// taggers' entities would count them inconsistently.
pub const FORMAT_VERSION: u32 = 7;

/// Bytes of stored documents compressed together. A hit decompresses its whole block, so
/// smaller blocks make showing ten hits cheaper; tantivy's default is 16 KiB.
const DOCSTORE_BLOCK_BYTES: usize = 4096;
/// Our own state file in the index folder (tantivy's files are tantivy's).
const VERSION_FILE: &str = "dateline.json";
/// The version file while it is being written.
const VERSION_PARTIAL: &str = "dateline.json.partial";
/// Analyzer for entity names: the whole name as one token, lower-cased.
const ENTITY_TOKENIZER: &str = "entity_name";
/// Analyzer for title and body: words, lower-cased, English stemming.
const TEXT_TOKENIZER: &str = "en_stem";
/// Analyzer for the exact forms: words, lower-cased, not stemmed.
const EXACT_TOKENIZER: &str = "exact";

/// Field names as users may type them in queries (`title:nato`, `entity:"pete hegseth"`).
pub const TITLE: &str = "title";
pub const BODY: &str = "body";
pub const ENTITY: &str = "entity";
/// Title and body words as written (lower-cased), without stemming: ranking prefers the
/// query's own word to another that shares its stem ("corn", not "Corning").
pub const EXACT: &str = "exact";
pub const DATE: &str = "date";
pub const ID: &str = "id";
/// The source's stable identity (the canonical path), read back to mirror folders: which
/// articles came from below a folder, and where a duplicate's original lives.
pub const PATH: &str = "path";
/// The facet field of typed entity names (`/person/Pete Hegseth`), which entity counts read.
pub const ENTITY_FACET: &str = "entities";
/// Fields the ingest reads back: the content hash (128 bits, in two halves) and the source
/// file's size and time.
pub const HASH: &str = "hash";
pub const HASH_HIGH: &str = "hash_high";
pub const SOURCE_SIZE: &str = "source_size";
pub const SOURCE_MTIME: &str = "source_mtime";
/// How many words of prose the body has ([`prose_words`]), which the length prior reads.
pub const PROSE_WORDS: &str = "prose_words";
/// The story an article belongs to: near-copies within a few days share one.
pub const STORY: &str = "story";
/// The article's MinHash signature, read back when a later run groups new articles.
pub const SKETCH: &str = "sketch";
/// 16-bit values of a signature packed in each value of the `sketch` column.
const SKETCH_PER_VALUE: usize = 4;

/// Handles to every field of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    /// The low 64 bits of the content hash: the term duplicates are found by. Numbers, not
    /// hex text: a term dictionary of a million random strings cost a tenth of an ingest.
    pub hash: Field,
    /// The high 64 bits, read from its column to confirm a match.
    pub hash_high: Field,
    pub path: Field,
    pub date: Field,
    pub title: Field,
    pub body: Field,
    /// Title and body, unstemmed, with frequencies only: no positions (phrases are matched on
    /// the stemmed fields) and no lengths (the exact form is a bonus for being there, and
    /// both would add to what every ingest pays for this field).
    pub exact: Field,
    /// Lower-cased entity names, one value per entity: exact filters (counts use the facets).
    pub entity: Field,
    /// `type/name`, lower-cased: filters on an entity of one type.
    pub entity_typed: Field,
    /// `/type/Name` facets: typed counts and the names as written.
    pub entity_facet: Field,
    pub url: Field,
    pub source: Field,
    /// Size and modification time of the source file, to skip unchanged files cheaply.
    pub source_size: Field,
    pub source_mtime: Field,
    /// Words of prose in the body: a column only, read by the length prior.
    pub prose_words: Field,
    /// Indexed (the members of a story), stored (export) and fast (collapsing, counting).
    pub story: Field,
    /// The signature, packed four values to a number; fast only.
    pub sketch: Field,
}

fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TEXT_TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let entity_indexing = TextFieldIndexing::default()
        .set_tokenizer(ENTITY_TOKENIZER)
        .set_index_option(IndexRecordOption::Basic)
        .set_fieldnorms(false);
    let fields = Fields {
        id: builder.add_text_field(ID, STRING | STORED | FAST),
        hash: builder.add_u64_field(HASH, INDEXED | STORED | FAST),
        hash_high: builder.add_u64_field(HASH_HIGH, STORED | FAST),
        path: builder.add_text_field(PATH, STORED | FAST),
        date: builder.add_date_field(
            DATE,
            DateOptions::from(INDEXED)
                .set_stored()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        ),
        title: builder.add_text_field(TITLE, text.clone()),
        body: builder.add_text_field(BODY, text),
        exact: builder.add_text_field(
            EXACT,
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(EXACT_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqs)
                    .set_fieldnorms(false),
            ),
        ),
        entity: builder.add_text_field(
            ENTITY,
            TextOptions::default().set_indexing_options(entity_indexing.clone()),
        ),
        entity_typed: builder.add_text_field(
            "entity_typed",
            TextOptions::default().set_indexing_options(entity_indexing),
        ),
        entity_facet: builder.add_facet_field(ENTITY_FACET, FacetOptions::default().set_stored()),
        url: builder.add_text_field("url", STORED),
        source: builder.add_text_field("source", STORED),
        source_size: builder.add_u64_field(SOURCE_SIZE, STORED | FAST),
        source_mtime: builder.add_i64_field(SOURCE_MTIME, STORED | FAST),
        prose_words: builder.add_u64_field(PROSE_WORDS, FAST),
        story: builder.add_u64_field(STORY, INDEXED | STORED | FAST),
        sketch: builder.add_u64_field(SKETCH, FAST),
    };
    (builder.build(), fields)
}

/// An open index with its fields and analyzers registered.
pub struct Store {
    pub index: Index,
    pub fields: Fields,
    pub dir: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct VersionFile {
    format_version: u32,
    created_by: String,
}

fn register_tokenizers(index: &Index) {
    // Replaces tantivy's own `en_stem` with the same analysis, cached (see `stemming`).
    index
        .tokenizers()
        .register(TEXT_TOKENIZER, crate::stemming::english_stemming());
    index.tokenizers().register(EXACT_TOKENIZER, exact_words());
    let entity = TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .build();
    index
        .tokenizers()
        .register(ENTITY_TOKENIZER, entity.clone());
    index
        .fast_field_tokenizer()
        .register(ENTITY_TOKENIZER, entity);
}

/// The analysis of the exact field: `en_stem` without the stemmer.
pub fn exact_words() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build()
}

/// Whether `dir` holds an index (of any version) at all.
pub fn index_exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// How an open index reads its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reads {
    /// Every file memory-mapped: fastest for look-ups.
    #[default]
    Mapped,
    /// Document stores read block by block, so that going through every stored article
    /// keeps memory bounded (see [`crate::plain_reads`]).
    PlainStores,
}

/// Opens an existing dateline index, checking its format version.
pub fn open(dir: &Path) -> Result<Store> {
    open_with(dir, Reads::Mapped)
}

/// Opens an existing dateline index, checking its format version, reading its files as asked.
pub fn open_with(dir: &Path, reads: Reads) -> Result<Store> {
    if !index_exists(dir) {
        return Err(Error::IndexMissing {
            path: dir.to_path_buf(),
        });
    }
    check_version(dir)?;
    let damaged = |err: &dyn std::fmt::Display| Error::IndexDamaged {
        path: dir.to_path_buf(),
        detail: err.to_string(),
    };
    let directory: Box<dyn tantivy::Directory> = match reads {
        Reads::Mapped => Box::new(MmapDirectory::open(dir).map_err(|err| damaged(&err))?),
        Reads::PlainStores => {
            Box::new(PlainStoreDirectory::open(dir).map_err(|err| damaged(&err))?)
        }
    };
    let index = Index::open(directory).map_err(|err| Error::IndexDamaged {
        path: dir.to_path_buf(),
        detail: err.to_string(),
    })?;
    let (expected, fields) = build_schema();
    if index.schema() != expected {
        return Err(Error::IndexIncompatible {
            path: dir.to_path_buf(),
            detail: "its fields differ from this version's".to_string(),
        });
    }
    register_tokenizers(&index);
    Ok(Store {
        index,
        fields,
        dir: dir.to_path_buf(),
    })
}

fn check_version(dir: &Path) -> Result<()> {
    let incompatible = |detail: String| Error::IndexIncompatible {
        path: dir.to_path_buf(),
        detail,
    };
    let path = dir.join(VERSION_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|_| incompatible(format!("{VERSION_FILE} is missing or unreadable")))?;
    let version: VersionFile = serde_json::from_str(&text)
        .map_err(|err| incompatible(format!("{VERSION_FILE} is damaged: {err}")))?;
    if version.format_version != FORMAT_VERSION {
        return Err(incompatible(format!(
            "format version {} written by {}, this dateline reads version {FORMAT_VERSION}",
            version.format_version, version.created_by
        )));
    }
    Ok(())
}

/// Creates an empty index in `dir` (made if missing). Fails if one is already there.
///
/// tantivy's files come first and our version file last, so a failure in between never leaves
/// a folder that looks like a dateline index without being one.
pub fn create(dir: &Path) -> Result<Store> {
    let unwritable = |source| Error::IndexUnwritable {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(unwritable)?;
    let (schema, fields) = build_schema();
    let directory = MmapDirectory::open(dir).map_err(|err| Error::IndexDamaged {
        path: dir.to_path_buf(),
        detail: err.to_string(),
    })?;
    let settings = IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..IndexSettings::default()
    };
    let index = Index::create(directory, schema, settings)?;
    write_version(dir)?;
    register_tokenizers(&index);
    Ok(Store {
        index,
        fields,
        dir: dir.to_path_buf(),
    })
}

/// Writes our version file whole or not at all: to a temporary name, then renamed.
fn write_version(dir: &Path) -> Result<()> {
    let unwritable = |source| Error::IndexUnwritable {
        path: dir.to_path_buf(),
        source,
    };
    let version = VersionFile {
        format_version: FORMAT_VERSION,
        created_by: format!("dateline {}", env!("CARGO_PKG_VERSION")),
    };
    let version_text = serde_json::to_string_pretty(&version).unwrap_or_default();
    let partial = dir.join(VERSION_PARTIAL);
    std::fs::write(&partial, version_text + "\n").map_err(unwritable)?;
    std::fs::rename(&partial, dir.join(VERSION_FILE)).map_err(unwritable)
}

/// Whether `dir` holds a tantivy index with no documents and no version file of ours: what a
/// creation stopped between its two steps leaves behind, safe to finish.
pub fn is_unfinished_creation(dir: &Path) -> bool {
    if !index_exists(dir) || dir.join(VERSION_FILE).exists() {
        return false;
    }
    let Ok(directory) = MmapDirectory::open(dir) else {
        return false;
    };
    Index::open(directory)
        .and_then(|index| index.searchable_segment_metas())
        .is_ok_and(|segments| segments.is_empty())
}

/// Opens an index whose creation stopped before its version file was written.
pub fn finish_creation(dir: &Path) -> Result<Store> {
    write_version(dir)?;
    open(dir)
}

/// Removes an index's files from `dir` (tantivy's and ours), leaving anything else there alone.
pub fn remove_index_files(dir: &Path) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(Error::IndexUnwritable {
                path: dir.to_path_buf(),
                source,
            })
        }
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if is_index_file(&name) {
            std::fs::remove_file(entry.path()).map_err(|source| Error::IndexUnwritable {
                path: entry.path(),
                source,
            })?;
        }
    }
    Ok(())
}

/// tantivy's own files (`meta.json`, `.managed.json`, `<segment uuid>.<ext>`) and our version file.
fn is_index_file(name: &str) -> bool {
    if matches!(
        name,
        "meta.json" | ".managed.json" | VERSION_FILE | VERSION_PARTIAL
    ) {
        return true;
    }
    let stem = name.split('.').next().unwrap_or("");
    stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()) && name.len() > 33
}

/// What the index stores of one article, ready to be written.
pub struct NewDocument<'a> {
    pub id: &'a str,
    pub hash: u128,
    pub path: &'a str,
    pub date: NaiveDate,
    pub title: &'a str,
    pub body: &'a str,
    pub entities: &'a [Entity],
    pub url: Option<&'a str>,
    pub source: Option<&'a str>,
    pub source_size: Option<u64>,
    pub source_mtime: Option<i64>,
}

/// The words of prose in `body`: runs of at least two letters (an apostrophe may join them)
/// that touch no digit. Codes, figures and contract months ("MAY7", "13100L", "7-APR") are
/// not prose; a wire table is mostly those.
pub fn prose_words(body: &str) -> u64 {
    // Byte by byte, decoding only non-ASCII characters: the same count as splitting the text
    // on characters and asking Unicode about each (a test compares them), in less than half
    // the instructions, in a function every ingested article runs.
    let bytes = body.as_bytes();
    let mut count = 0;
    let mut letters = 0u32;
    let mut digit = false;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let (class, next) = if byte < 0x80 {
            (ASCII_PROSE[usize::from(byte)], at + 1)
        } else {
            prose_class(body, at)
        };
        match class {
            Prose::Letter => letters += 1,
            Prose::Digit => digit = true,
            Prose::Joiner => {}
            Prose::Gap => {
                count += u64::from(!digit && letters >= 2);
                letters = 0;
                digit = false;
            }
        }
        at = next;
    }
    count + u64::from(!digit && letters >= 2)
}

/// What a character is to [`prose_words`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Prose {
    Letter,
    Digit,
    /// An apostrophe: inside a word, neither letter nor digit.
    Joiner,
    /// Anything else ends a word.
    Gap,
}

const ASCII_PROSE: [Prose; 128] = {
    let mut table = [Prose::Gap; 128];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        table[byte] = if b.is_ascii_alphabetic() {
            Prose::Letter
        } else if b.is_ascii_digit() {
            Prose::Digit
        } else if b == b'\'' {
            Prose::Joiner
        } else {
            Prose::Gap
        };
        byte += 1;
    }
    table
};

/// The class of the (non-ASCII) character at byte `at`, and where the next one starts.
#[cold]
fn prose_class(text: &str, at: usize) -> (Prose, usize) {
    let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
        return (Prose::Gap, text.len());
    };
    let class = if c.is_alphabetic() {
        Prose::Letter
    } else if c.is_numeric() {
        Prose::Digit
    } else if c == '’' {
        Prose::Joiner
    } else {
        Prose::Gap
    };
    (class, at + c.len_utf8())
}

/// The tantivy date of a calendar day (midnight UTC).
pub fn day_to_datetime(day: NaiveDate) -> DateTime {
    DateTime::from_timestamp_secs(day_number(day) * 86_400)
}

/// The calendar day of a stored date.
pub fn datetime_to_day(value: DateTime) -> NaiveDate {
    day_from_number(value.into_timestamp_secs().div_euclid(86_400)).unwrap_or_default()
}

pub fn entity_facet(entity: &Entity) -> Facet {
    Facet::from_path([entity.kind.as_str(), entity.name.as_str()])
}

pub fn kind_facet(kind: EntityKind) -> Facet {
    Facet::from_path([kind.as_str()])
}

/// The typed entity term: `type/name`, lower-cased like the analyzer does.
pub fn typed_entity_key(kind: EntityKind, name: &str) -> String {
    format!("{}/{}", kind.as_str(), name.to_lowercase())
}

/// The halves of a content hash as the `hash` and `hash_high` fields hold them.
fn hash_halves(hash: u128) -> (u64, u64) {
    (hash as u64, (hash >> 64) as u64)
}

impl Fields {
    /// The term that finds articles with this content hash (and, once in 2^64, others: check
    /// [`ContentHashes`]).
    pub fn hash_term(&self, hash: u128) -> Term {
        Term::from_field_u64(self.hash, hash_halves(hash).0)
    }

    pub fn to_document(&self, new: &NewDocument<'_>) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.id, new.id);
        let (low, high) = hash_halves(new.hash);
        doc.add_u64(self.hash, low);
        doc.add_u64(self.hash_high, high);
        doc.add_text(self.path, new.path);
        doc.add_date(self.date, day_to_datetime(new.date));
        doc.add_text(self.title, new.title);
        doc.add_text(self.body, new.body);
        doc.add_text(self.exact, new.title);
        doc.add_text(self.exact, new.body);
        doc.add_u64(self.prose_words, prose_words(new.body));
        for entity in new.entities {
            doc.add_text(self.entity, &entity.name);
            doc.add_text(
                self.entity_typed,
                typed_entity_key(entity.kind, &entity.name),
            );
            doc.add_facet(self.entity_facet, entity_facet(entity));
        }
        if let Some(url) = new.url {
            doc.add_text(self.url, url);
        }
        if let Some(source) = new.source {
            doc.add_text(self.source, source);
        }
        if let Some(size) = new.source_size {
            doc.add_u64(self.source_size, size);
        }
        if let Some(mtime) = new.source_mtime {
            doc.add_i64(self.source_mtime, mtime);
        }
        doc
    }

    /// Adds what a document needs of its story: the story id and the signature, if any.
    pub fn add_story(&self, doc: &mut TantivyDocument, story: u64, signature: Option<&Signature>) {
        doc.add_u64(self.story, story);
        for packed in signature.iter().flat_map(|s| s.chunks(SKETCH_PER_VALUE)) {
            let value = packed
                .iter()
                .enumerate()
                .fold(0u64, |acc, (i, v)| acc | u64::from(*v) << (16 * i));
            doc.add_u64(self.sketch, value);
        }
    }

    /// The term of a story's members.
    pub fn story_term(&self, story: u64) -> Term {
        Term::from_field_u64(self.story, story)
    }

    /// A stored document again, in another story: every field rebuilt from what is stored
    /// (the signature from the body, as the ingest makes it).
    pub fn restoried(&self, doc: &TantivyDocument, story: u64) -> TantivyDocument {
        let article = self.to_stored(doc);
        let number = |field: Field| doc.get_first(field).and_then(|v| v.as_u64());
        let hash = u128::from(number(self.hash_high).unwrap_or(0)) << 64
            | u128::from(number(self.hash).unwrap_or(0));
        let mut rebuilt = self.to_document(&NewDocument {
            id: &article.id,
            hash,
            path: &article.path,
            date: article.date,
            title: &article.title,
            body: &article.body,
            entities: &article.entities,
            url: article.url.as_deref(),
            source: article.source.as_deref(),
            source_size: number(self.source_size),
            source_mtime: doc.get_first(self.source_mtime).and_then(|v| v.as_i64()),
        });
        self.add_story(
            &mut rebuilt,
            story,
            crate::stories::sketch(&article.body).as_ref(),
        );
        rebuilt
    }

    /// Reads a stored document back into an article.
    pub fn to_stored(&self, doc: &TantivyDocument) -> StoredArticle {
        let text = |field: Field| -> String {
            doc.get_first(field)
                .and_then(|value| value.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let optional = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let date = doc
            .get_first(self.date)
            .and_then(|value| value.as_datetime())
            .map(datetime_to_day)
            .unwrap_or_default();
        let entities = doc
            .get_all(self.entity_facet)
            .filter_map(|value| match OwnedValue::from(value) {
                OwnedValue::Facet(facet) => facet_entity(&facet),
                _ => None,
            })
            .collect();
        StoredArticle {
            id: text(self.id),
            path: text(self.path),
            date,
            title: text(self.title),
            body: text(self.body),
            entities,
            url: optional(self.url),
            source: optional(self.source),
            story: doc
                .get_first(self.story)
                .and_then(|value| value.as_u64())
                .unwrap_or(0),
        }
    }
}

/// The story ids and signatures of one segment's articles, read from their columns.
pub struct StoryColumns {
    story: Column<u64>,
    sketch: Column<u64>,
}

impl StoryColumns {
    pub fn open(segment: &SegmentReader) -> Result<StoryColumns> {
        let fast = segment.fast_fields();
        Ok(StoryColumns {
            story: fast.u64(STORY)?,
            sketch: fast.u64(SKETCH)?,
        })
    }

    pub fn story(&self, doc: DocId) -> Option<u64> {
        self.story.first(doc)
    }

    /// The signature, in the order it was written (a column keeps a document's values in
    /// order); `None` for an article too short to have one.
    pub fn signature(&self, doc: DocId) -> Option<Signature> {
        let mut signature: Signature = [0; crate::stories::HASHES];
        let mut filled = 0;
        for (i, value) in self.sketch.values_for_doc(doc).enumerate() {
            for j in 0..SKETCH_PER_VALUE {
                *signature.get_mut(i * SKETCH_PER_VALUE + j)? = (value >> (16 * j)) as u16;
            }
            filled += SKETCH_PER_VALUE;
        }
        (filled == signature.len()).then_some(signature)
    }
}

/// The content hashes of one segment's articles, read from their columns.
pub struct ContentHashes {
    low: Column<u64>,
    high: Column<u64>,
}

impl ContentHashes {
    pub fn open(segment: &SegmentReader) -> Result<ContentHashes> {
        let fast = segment.fast_fields();
        Ok(ContentHashes {
            low: fast.u64(HASH)?,
            high: fast.u64(HASH_HIGH)?,
        })
    }

    pub fn get(&self, doc: DocId) -> Option<u128> {
        let (low, high) = (self.low.first(doc)?, self.high.first(doc)?);
        Some(u128::from(high) << 64 | u128::from(low))
    }
}

/// The entity of a `/type/Name` facet.
pub fn facet_entity(facet: &Facet) -> Option<Entity> {
    let path = facet.to_path();
    match path.as_slice() {
        [kind, name] => Some(Entity {
            kind: EntityKind::parse(kind)?,
            name: (*name).to_string(),
        }),
        _ => None,
    }
}

/// One article as stored in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredArticle {
    pub id: String,
    pub path: String,
    pub date: NaiveDate,
    pub title: String,
    pub body: String,
    pub entities: Vec<Entity>,
    pub url: Option<String>,
    pub source: Option<String>,
    /// The story id (0 in an index written without stories).
    pub story: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_words_not_figures_or_codes() {
        assert_eq!(prose_words("The Fed's rate rose, analysts said."), 6);
        assert_eq!(prose_words("MAY7 13100L 13105H 13350 7-APR UNTRD"), 2);
        assert_eq!(prose_words("a I x -- 1.5 pct"), 1);
        assert_eq!(prose_words("Café crème à l’ancienne"), 3);
        assert_eq!(prose_words(""), 0);
    }

    /// The count as first written: split on characters, Unicode asked about each.
    fn prose_words_by_chars(body: &str) -> u64 {
        let mut count = 0;
        for token in body.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')) {
            let mut letters = 0;
            let mut digit = false;
            for c in token.chars() {
                if c.is_alphabetic() {
                    letters += 1;
                } else if c.is_numeric() {
                    digit = true;
                }
            }
            count += u64::from(!digit && letters >= 2);
        }
        count
    }

    proptest::proptest! {
        #[test]
        fn prose_words_counts_as_splitting_on_characters_does(
            body in "([a-zA-Z0-9 '’.,\\-]|é|ß|Ж|٣|½|Ⅷ|\\PC){0,40}"
        ) {
            proptest::prop_assert_eq!(prose_words(&body), prose_words_by_chars(&body));
        }
    }

    #[test]
    fn index_files_are_recognised_and_others_left_alone() {
        assert!(is_index_file("meta.json"));
        assert!(is_index_file(".managed.json"));
        assert!(is_index_file("dateline.json"));
        assert!(is_index_file("0123456789abcdef0123456789abcdef.idx"));
        assert!(is_index_file("0123456789abcdef0123456789abcdef.123.del"));
        assert!(!is_index_file("README.md"));
        assert!(!is_index_file(".gitignore"));
        assert!(!is_index_file("notes.json"));
    }

    #[test]
    fn days_round_trip_through_tantivy_dates() {
        for text in [
            "1678-01-01",
            "1987-02-26",
            "2025-04-03",
            "2261-12-31",
            "1969-12-31",
        ] {
            let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
            assert_eq!(datetime_to_day(day_to_datetime(day)), day);
        }
    }

    #[test]
    fn signatures_round_trip_through_the_column() {
        let dir = tempfile::tempdir().unwrap();
        let store = create(dir.path()).unwrap();
        let mut writer = store.index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut signature: Signature = [0; crate::stories::HASHES];
        for (i, value) in signature.iter_mut().enumerate() {
            *value = (64 - i as u16) * 1000;
        }
        for (i, with) in [true, false].into_iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_text(store.fields.id, format!("a{i}"));
            store
                .fields
                .add_story(&mut doc, 7 + i as u64, with.then_some(&signature));
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = store.index.reader().unwrap().searcher();
        let columns = StoryColumns::open(searcher.segment_reader(0)).unwrap();
        assert_eq!(columns.signature(0), Some(signature));
        assert_eq!(columns.story(0), Some(7));
        assert_eq!(columns.signature(1), None);
        assert_eq!(columns.story(1), Some(8));
    }

    #[test]
    fn facets_round_trip_names_with_slashes() {
        let entity = Entity {
            name: "AC/DC".to_string(),
            kind: EntityKind::Org,
        };
        assert_eq!(facet_entity(&entity_facet(&entity)), Some(entity));
    }
}
