//! What travels from the workers to the consumer: prepared articles, the items a job yields,
//! and the keys by which the run knows ids and contents.

use tantivy::TantivyDocument;
use xxhash_rust::xxh3::xxh3_128;

use super::report::Rejection;
use crate::article::Article;
use crate::sources::FileStamp;

/// An article ready to be written, prepared by a worker.
pub(super) struct Prepared {
    pub(super) id: String,
    pub(super) id_key: u128,
    pub(super) hash: u128,
    pub(super) path: String,
    pub(super) line: Option<u64>,
    pub(super) doc: ArticleDoc,
    /// The day number of its date, and its MinHash signature when stories are grouped (and
    /// the text is long enough to have one).
    pub(super) day: i64,
    pub(super) signature: Option<crate::stories::Signature>,
}

/// An article's tantivy document, or what it is built from.
pub(super) enum ArticleDoc {
    Built(TantivyDocument),
    /// Its content was probably stored before the run, so the article is probably a
    /// duplicate, which needs no document: built (entities and all) only if it is written.
    Deferred(Box<Unbuilt>),
}

/// What an article's document is built from, besides its id and path.
pub(super) struct Unbuilt {
    pub(super) article: Article,
    /// A dated file's size and modification time.
    pub(super) file: Option<FileStamp>,
}

/// What the index keeps of an input that could not be read this time.
pub(super) enum Keep {
    /// Nothing: the input is gone, or it was a JSON line (which has no id until it parses).
    Nothing,
    /// The article with this id (its [`low_bits`] key): a dated file that failed to read or
    /// parse keeps its last good version.
    Id(u64),
    /// Every article from this source or below it (a stable identity): an unreadable folder
    /// or JSON Lines file.
    Source(String),
}

pub(super) enum Item {
    Ready(Box<Prepared>),
    /// Stored before the run with this content, under this id ([`low_bits`] of its key).
    /// Nothing more is needed of it: a later article with the same content finds it in the
    /// index.
    Unchanged(u64),
    Rejected(Rejection, Keep),
}

/// The items of one job, in input order.
pub(super) struct Batch {
    pub(super) seq: u64,
    pub(super) items: Vec<Item>,
    /// The job's last batch.
    pub(super) last: bool,
}

/// The 128-bit key of an article id.
pub(super) fn key_of(id: &str) -> u128 {
    xxh3_128(id.as_bytes())
}

/// The 64 bits of a 128-bit key or hash that the run's maps, sets and filters keep.
pub(super) fn low_bits(value: u128) -> u64 {
    value as u64
}

/// [`key_of`] a generated id (`value` as 16 lower-case hex digits), without building the string.
pub(super) fn generated_id_key(value: u64) -> u128 {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = [0u8; 16];
    for (i, digit) in hex.iter_mut().enumerate() {
        *digit = DIGITS[(value >> (60 - 4 * i) & 0xf) as usize];
    }
    xxh3_128(&hex)
}

#[cfg(test)]
mod tests {
    use super::{generated_id_key, key_of};

    #[test]
    fn generated_id_key_is_the_key_of_the_hex_id() {
        for value in [
            0,
            1,
            0xf,
            0x0123_4567_89ab_cdef,
            u64::MAX,
            0x8000_0000_0000_0000,
        ] {
            assert_eq!(generated_id_key(value), key_of(&format!("{value:016x}")));
        }
    }
}
