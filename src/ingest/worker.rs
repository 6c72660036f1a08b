//! A worker thread's job: read one input, parse it, extract entities and build its documents.

use std::io::{BufRead, BufReader, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::iter::{ParallelDrainRange, ParallelIterator};

use tantivy::TantivyDocument;
use xxhash_rust::xxh3::xxh3_64;

use rustc_hash::FxHashMap;

use super::flow::Flow;
use super::known::{Known, KnownArticle};
use super::prepared::{
    generated_id_key, key_of, low_bits, ArticleDoc, Batch, Item, Keep, Prepared, Unbuilt,
};
use super::report::Rejection;
use crate::article::{decode_text, parse_dated_text, parse_json_line, Article};
use crate::entities::Extractor;
use crate::schema::{Fields, NewDocument};
use crate::sources::{FileStamp, Format, Found, InputFile, StampReader};

/// A rejection of a whole input, keeping what `keep` says of it.
fn rejected(path: &Path, reason: String, keep: Keep) -> Item {
    rejected_line(&path.to_string_lossy(), None, reason, keep)
}

/// What a source that failed to read keeps: nothing if it is gone, else `keep`.
fn unless_gone(err: &std::io::Error, keep: Keep) -> Keep {
    if err.kind() == std::io::ErrorKind::NotFound {
        Keep::Nothing
    } else {
        keep
    }
}

/// The largest article (a whole dated file, or one JSON line) that is read.
pub const MAX_ARTICLE_BYTES: u64 = 32 * 1024 * 1024;
/// How many JSON lines a worker hands over at a time, at most,
const JSON_BATCH: usize = 512;
/// and how many bytes of them.
const JSON_BATCH_BYTES: usize = 1 << 20;
/// Batches a JSON Lines file may send before it is the one being written.
const JSON_BATCHES_AHEAD: usize = 4;

/// Reads, parses and prepares one input on a worker thread.
pub(super) struct Worker<'a> {
    pub(super) preparer: Preparer<'a>,
    /// Prepares the lines of a JSON Lines file side by side: one file is often a whole
    /// archive, and entity extraction is most of the work.
    pub(super) pool: &'a rayon::ThreadPool,
    pub(super) flow: &'a Flow,
    pub(super) stamps: StampReader,
    /// Reused for each file's identity.
    pub(super) identity: PathBuf,
}

/// What it takes to turn an article into a document; shared by the threads preparing the
/// lines of one JSON Lines file.
#[derive(Clone, Copy)]
pub(super) struct Preparer<'a> {
    pub(super) fields: Fields,
    pub(super) known: &'a Known,
    pub(super) extractor: Option<&'static Extractor>,
    /// Whether articles get a signature, to be grouped into stories.
    pub(super) stories: bool,
}

/// JSON lines read but not yet prepared: their text, one after the other, and for each its
/// line number, the id it gets if it has none of its own, and its place in the text, or why
/// it was not kept.
#[derive(Default)]
struct JsonLines {
    text: Vec<u8>,
    lines: Vec<JsonLine>,
}

struct JsonLine {
    number: u64,
    generated_id: u64,
    text: Result<Range<usize>, String>,
}

/// Gives JSON lines without an id of their own an id that other lines coming and going
/// leave alone: a digest of the file and the line's text, with how many identical lines came
/// before it in the file.
struct LineIds<'a> {
    identity: &'a str,
    /// How many times each line text (by its digest) was met so far.
    occurrences: FxHashMap<u64, u32>,
}

impl LineIds<'_> {
    fn next(&mut self, line: &[u8]) -> u64 {
        let text = xxh3_64(line.trim_ascii_end());
        let occurrence = self.occurrences.entry(text).or_insert(0);
        let id = xxh3_64(format!("{}#{text:016x}#{occurrence}", self.identity).as_bytes());
        *occurrence += 1;
        id
    }
}

impl Worker<'_> {
    /// Processes one job: a run of dated files and unreadable entries, answered in one batch,
    /// or a single JSON Lines file, streamed in batches. Returns false when the consumer has
    /// gone away.
    pub(super) fn process(
        &mut self,
        seq: u64,
        job: Vec<Found>,
        out: &crossbeam_channel::Sender<Batch>,
    ) -> bool {
        let send = |items: Vec<Item>, last: bool| out.send(Batch { seq, items, last }).is_ok();
        if let [Found::File(file)] = job.as_slice() {
            if file.format == Format::JsonLines {
                let path = file.path();
                // The canonical path: the stable identity of the file.
                let identity = file.identity().to_string_lossy().into_owned();
                if let Err(err) = self.stamps.stamp(file) {
                    let keep = unless_gone(&err, Keep::Source(identity));
                    return send(
                        vec![rejected(&path, format!("cannot read: {err}"), keep)],
                        true,
                    );
                }
                // A file ahead of the one being written may stream only a few batches, so
                // memory stays bounded however long the file is.
                let mut sent = 0;
                let flow = self.flow;
                return self.json_file(&path, &identity, |items| {
                    sent += 1;
                    (sent <= JSON_BATCHES_AHEAD || flow.wait_until_within(seq, 1))
                        && send(items, false)
                }) && send(Vec::new(), true);
            }
        }
        // All the system calls first, then all the look-ups, then the reading: kept apart,
        // each runs faster (on a re-run that finds everything unchanged, this is most of the
        // work).
        let stamped: Vec<_> = job
            .into_iter()
            .map(|found| match found {
                Found::File(file) => {
                    let stamp = self.stamps.stamp(&file);
                    Ok((file, stamp))
                }
                Found::Unreadable {
                    path,
                    identity,
                    reason,
                    missing,
                } => {
                    let keep = if missing {
                        Keep::Nothing
                    } else {
                        Keep::Source(identity.to_string_lossy().into_owned())
                    };
                    Err(rejected(&path, reason, keep))
                }
            })
            .collect();
        let generated: Vec<_> = stamped
            .iter()
            .map(|stamped| match stamped {
                Ok((file, _)) => self.generated_id(file),
                Err(_) => 0,
            })
            .collect();
        // A loop of look-ups alone: each misses the cache, and back to back the processor
        // overlaps the misses.
        let known = &self.preparer.known.by_id;
        let stored: Vec<_> = generated
            .iter()
            .map(|&generated| known.get(&generated_id_key(generated)))
            .collect();
        let items = stamped
            .into_iter()
            .zip(generated.into_iter().zip(stored))
            .map(|(stamped, (generated, stored))| match stamped {
                Ok((file, Ok(stamp))) => self.dated_file(&file, stamp, generated, stored),
                Ok((file, Err(err))) => {
                    let keep = unless_gone(&err, keep_id(generated));
                    rejected(&file.path(), format!("cannot read: {err}"), keep)
                }
                Err(rejection) => rejection,
            })
            .collect();
        send(items, true)
    }

    /// A dated file's generated id: the hash of its identity. Built in a buffer reused from
    /// file to file, since a re-run looks at every file, most of them only to find them
    /// unchanged.
    fn generated_id(&mut self, file: &InputFile) -> u64 {
        file.identity_into(&mut self.identity);
        xxh3_64(self.identity.to_string_lossy().as_bytes())
    }

    /// A dated file, `stored` as the index held its id (`generated`) when the run started.
    fn dated_file(
        &mut self,
        file: &InputFile,
        stamp: FileStamp,
        generated: u64,
        stored: Option<&KnownArticle>,
    ) -> Item {
        if stored.is_some_and(|stored| stored.stored_with(&stamp)) {
            return Item::Unchanged(low_bits(generated_id_key(generated)));
        }
        let path = file.path();
        // A file that is there but unusable keeps its last good version.
        let reject = |reason: String| rejected(&path, reason, keep_id(generated));
        if stamp.size > MAX_ARTICLE_BYTES {
            return reject(format!(
                "file is {:.1} MB, over the {} MB limit for one article",
                stamp.size as f64 / 1e6,
                MAX_ARTICLE_BYTES / (1024 * 1024)
            ));
        }
        let bytes = match read_limited(&path, stamp.size) {
            Ok(bytes) => bytes,
            Err(err) => {
                let keep = unless_gone(&err, keep_id(generated));
                return rejected(&path, format!("cannot read: {err}"), keep);
            }
        };
        let article = match decode_text(&bytes).and_then(|text| parse_dated_text(&text)) {
            Ok(article) => article,
            Err(err) => return reject(err.0),
        };
        if stored.is_some_and(|stored| stored.hash == article.content_hash()) {
            return Item::Unchanged(low_bits(generated_id_key(generated)));
        }
        Item::Ready(Box::new(self.preparer.prepare(
            format!("{generated:016x}"),
            article,
            file.identity().to_string_lossy().into_owned(),
            None,
            Some(stamp),
        )))
    }

    /// Streams a JSON Lines file in batches; returns false when the consumer has gone away.
    fn json_file(
        &self,
        path: &Path,
        identity: &str,
        mut send: impl FnMut(Vec<Item>) -> bool,
    ) -> bool {
        let display = path.to_string_lossy().into_owned();
        // A file that fails to read keeps every article it gave before.
        let keep = || Keep::Source(identity.to_string());
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(err) => {
                let keep = unless_gone(&err, keep());
                return send(vec![rejected_line(
                    &display,
                    None,
                    format!("cannot read: {err}"),
                    keep,
                )]);
            }
        };
        let mut reader = BufReader::new(file);
        let mut pending = JsonLines::default();
        let mut line_ids = LineIds {
            identity,
            occurrences: FxHashMap::default(),
        };
        let mut read_error = None;
        let mut line_number = 0u64;
        loop {
            line_number += 1;
            let start = pending.text.len();
            let read = (&mut reader)
                .take(MAX_ARTICLE_BYTES + 1)
                .read_until(b'\n', &mut pending.text);
            match read {
                Ok(0) => break,
                Ok(_) => {}
                Err(err) => {
                    pending.text.truncate(start);
                    read_error = Some(rejected_line(
                        &display,
                        Some(line_number),
                        format!("cannot read: {err}"),
                        keep(),
                    ));
                    break;
                }
            }
            let over_long = (pending.text.len() - start) as u64 > MAX_ARTICLE_BYTES;
            let generated_id = if over_long {
                0
            } else {
                line_ids.next(&pending.text[start..])
            };
            let text = if over_long {
                // Skip the rest of an over-long line without holding it in memory.
                let mut rest_of_line = !pending.text.ends_with(b"\n");
                pending.text.truncate(start);
                while rest_of_line {
                    let mut piece = Vec::new();
                    match (&mut reader).take(1 << 20).read_until(b'\n', &mut piece) {
                        Ok(0) | Err(_) => break,
                        Ok(_) => rest_of_line = !piece.ends_with(b"\n"),
                    }
                }
                Err(format!(
                    "line is over the {} MB limit for one article",
                    MAX_ARTICLE_BYTES / (1024 * 1024)
                ))
            } else {
                Ok(start..pending.text.len())
            };
            pending.lines.push(JsonLine {
                number: line_number,
                generated_id,
                text,
            });
            if (pending.lines.len() >= JSON_BATCH || pending.text.len() >= JSON_BATCH_BYTES)
                && !send(self.prepare_lines(&mut pending, identity, &display))
            {
                return false;
            }
        }
        let mut items = self.prepare_lines(&mut pending, identity, &display);
        items.extend(read_error);
        items.is_empty() || send(items)
    }

    /// Prepares the lines read so far, in parallel, and empties `pending`.
    fn prepare_lines(&self, pending: &mut JsonLines, identity: &str, display: &str) -> Vec<Item> {
        let preparer = self.preparer;
        let JsonLines { text, lines } = pending;
        let items = self.pool.install(|| {
            lines
                .par_drain(..)
                .filter_map(|line| match &line.text {
                    Ok(range) => preparer.json_line(&text[range.clone()], identity, &line, display),
                    Err(reason) => Some(rejected_line(
                        display,
                        Some(line.number),
                        reason.clone(),
                        Keep::Nothing,
                    )),
                })
                .collect()
        });
        text.clear();
        items
    }
}

/// A rejection of one line of a JSON Lines file (or of all of it, without a line number).
fn rejected_line(display: &str, line: Option<u64>, reason: String, keep: Keep) -> Item {
    Item::Rejected(
        Rejection {
            path: display.to_owned(),
            line,
            reason,
        },
        keep,
    )
}

/// Keeps the article of a dated file with this generated id.
fn keep_id(generated: u64) -> Keep {
    Keep::Id(low_bits(generated_id_key(generated)))
}

impl Preparer<'_> {
    /// The item for one JSON line: none for a blank line.
    fn json_line(
        &self,
        text: &[u8],
        identity: &str,
        line: &JsonLine,
        display: &str,
    ) -> Option<Item> {
        match decode_text(text).and_then(|text| parse_json_line(&text)) {
            Ok(None) => None,
            Ok(Some(article)) => Some(self.json_article(article, identity, line)),
            Err(err) => Some(rejected_line(
                display,
                Some(line.number),
                err.0,
                Keep::Nothing,
            )),
        }
    }

    fn json_article(&self, article: Article, identity: &str, line: &JsonLine) -> Item {
        let id = match &article.given_id {
            Some(id) => id.clone(),
            None => format!("{:016x}", line.generated_id),
        };
        let id_key = key_of(&id);
        let hash = article.content_hash();
        if self
            .known
            .by_id
            .get(&id_key)
            .is_some_and(|known| known.hash == hash)
        {
            return Item::Unchanged(low_bits(id_key));
        }
        Item::Ready(Box::new(self.prepare(
            id,
            article,
            identity.to_string(),
            Some(line.number),
            None,
        )))
    }

    fn prepare(
        &self,
        id: String,
        article: Article,
        path: String,
        line: Option<u64>,
        file: Option<FileStamp>,
    ) -> Prepared {
        let hash = article.content_hash();
        let day = crate::dates::day_number(article.date);
        let signature = if self.stories {
            crate::stories::sketch(&article.body)
        } else {
            None
        };
        let unbuilt = Unbuilt { article, file };
        let doc = if self.known.may_hold_content(hash) {
            ArticleDoc::Deferred(Box::new(unbuilt))
        } else {
            ArticleDoc::Built(self.build(&id, &path, &unbuilt))
        };
        Prepared {
            id_key: key_of(&id),
            id,
            hash,
            path,
            line,
            doc,
            day,
            signature,
        }
    }

    /// The document of an article: its entities are extracted here.
    pub(super) fn build(&self, id: &str, path: &str, unbuilt: &Unbuilt) -> TantivyDocument {
        let Unbuilt { article, file } = unbuilt;
        let entities = match self.extractor {
            Some(extractor) => extractor.extract(&article.title, &article.body),
            None => Vec::new(),
        };
        self.fields.to_document(&NewDocument {
            id,
            hash: article.content_hash(),
            path,
            date: article.date,
            title: &article.title,
            body: &article.body,
            entities: &entities,
            url: article.url.as_deref(),
            source: article.source.as_deref(),
            source_size: file.map(|f| f.size),
            source_mtime: file.and_then(|f| f.mtime),
        })
    }
}

fn read_limited(path: &Path, expected_size: u64) -> std::io::Result<Vec<u8>> {
    // Room for the size the file had when looked at, and the byte that tells it ended: read
    // in two calls, not a dozen growing ones.
    let room = expected_size.min(MAX_ARTICLE_BYTES) as usize + 1;
    let mut bytes = Vec::with_capacity(room);
    std::fs::File::open(path)?
        .take(MAX_ARTICLE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}
