//! Stories: near-duplicate articles (re-sends, corrections, rewrites of one wire story) grouped
//! under one story id.
//!
//! - `sketch` turns an article's text into a MinHash signature over word shingles, and the
//!   signature into LSH band keys;
//! - `table` finds, among the signatures it holds, the near-copies of a new one within a date
//!   window, and splits a story into its connected parts.
//!
//! Why MinHash and not SimHash: the question asked is "do these two texts share most of their
//! shingles", which is Jaccard similarity, and MinHash estimates exactly that, with an error
//! that depends only on the number of hashes; LSH bands over it give candidates with a tunable
//! threshold. SimHash estimates the angle between weighted vectors, which for short texts
//! drifts from the shingle overlap, and its Hamming-distance candidates need permuted tables.

mod sketch;
mod table;

pub use sketch::{band_keys, similarity, sketch, Signature, BANDS, HASHES, MIN_SHINGLES};
pub use table::{components, Member, Near, Table, THRESHOLD};

/// Days before and after an article within which its near-copies are looked for, unless the
/// ingest is told otherwise.
pub const DEFAULT_WINDOW_DAYS: u32 = 7;

/// The story id an article founds when it is the near-copy of nothing: from its content hash,
/// so an article whose text changes founds a new story rather than reusing the old one's id.
pub fn founded_by(content_hash: u128) -> u64 {
    (content_hash >> 64) as u64
}
