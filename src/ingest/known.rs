//! What the index held when a run started: ids, content hashes and source file metadata.

use rustc_hash::FxHashMap;
use tantivy::columnar::StrColumn;
use xxhash_rust::xxh3::xxh3_128;

use super::bloom;
use super::prepared::low_bits;
use crate::error::{Error, Result};
use crate::schema::{self, ContentHashes, Store};
use crate::sources::FileStamp;

/// What the index already held when the run started.
#[derive(Default)]
pub(super) struct Known {
    // Keys are already hashes: a fast non-cryptographic hasher is enough (SipHash cost a
    // tenth of a no-op re-ingest).
    pub(super) by_id: FxHashMap<u128, KnownArticle>,
    /// The stored content hashes (64 bits of each), in a filter a tenth the size of a map: an
    /// article whose content it rules out is surely not a duplicate of a stored one, and the
    /// others are looked up in the index.
    pub(super) hashes: bloom::Filter,
}

/// 32 bytes: a re-run looks up every file here, and the fewer cache lines the map spans, the
/// faster that goes.
pub(super) struct KnownArticle {
    pub(super) hash: u128,
    /// The source file's size and modification time when it was stored; `NO_SIZE` and
    /// `NO_MTIME` where there were none (a JSON Lines article, a file system without times).
    source_size: u64,
    source_mtime: i64,
}

const NO_SIZE: u64 = u64::MAX;
const NO_MTIME: i64 = i64::MIN;

impl Known {
    /// False only if no article was stored with this content when the run started.
    pub(super) fn may_hold_content(&self, hash: u128) -> bool {
        self.hashes.may_contain(low_bits(hash))
    }
}

impl KnownArticle {
    fn new(hash: u128, source_size: Option<u64>, source_mtime: Option<i64>) -> KnownArticle {
        KnownArticle {
            hash,
            source_size: source_size.unwrap_or(NO_SIZE),
            source_mtime: source_mtime.unwrap_or(NO_MTIME),
        }
    }

    /// Whether the file was stored with this size and modification time, so it can be taken
    /// as unchanged without reading it. Never true without a modification time.
    pub(super) fn stored_with(&self, stamp: &FileStamp) -> bool {
        self.source_size == stamp.size
            && self.source_mtime != NO_MTIME
            && Some(self.source_mtime) == stamp.mtime
    }
}

/// Reads the id, content hash and source file metadata of every live article.
pub(super) fn load_known(store: &Store) -> Result<Known> {
    let searcher = store.index.reader()?.searcher();
    let mut known = Known::default();
    let live = usize::try_from(searcher.num_docs()).unwrap_or(0);
    known.by_id.reserve(live);
    known.hashes = bloom::Filter::with_capacity(live);
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let Some(ids) = fast.str(schema::ID)? else {
            continue;
        };
        let id_keys = dictionary_values(&ids, xxh3_128)?;
        let hashes = ContentHashes::open(segment)?;
        let sizes = fast.u64(schema::SOURCE_SIZE)?;
        let mtimes = fast.i64(schema::SOURCE_MTIME)?;
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|bits| !bits.is_alive(doc)) {
                continue;
            }
            let (Some(id_ord), Some(hash)) = (ids.ords().first(doc), hashes.get(doc)) else {
                continue;
            };
            let id_key = id_key_at(&id_keys, id_ord, store)?;
            known.hashes.insert(low_bits(hash));
            known.by_id.insert(
                id_key,
                KnownArticle::new(hash, sizes.first(doc), mtimes.first(doc)),
            );
        }
    }
    Ok(known)
}

/// The key of the id with this ordinal. An ordinal past the dictionary means the column is
/// damaged: that is reported as such, not a panic.
fn id_key_at(id_keys: &[u128], ord: u64, store: &Store) -> Result<u128> {
    id_keys
        .get(ord as usize)
        .copied()
        .ok_or_else(|| Error::IndexDamaged {
            path: store.dir.clone(),
            detail: format!(
                "an article's id ordinal {ord} is past the {} ids of its segment",
                id_keys.len()
            ),
        })
}

/// Maps every term of a fast-field dictionary, in ordinal order.
fn dictionary_values<T>(column: &StrColumn, map: impl Fn(&[u8]) -> T) -> Result<Vec<T>> {
    let dictionary = column.dictionary();
    let mut values = Vec::with_capacity(dictionary.num_terms());
    let mut stream = dictionary
        .stream()
        .map_err(|err| Error::Tantivy(err.into()))?;
    while stream.advance() {
        values.push(map(stream.key()));
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::{id_key_at, KnownArticle};
    use crate::error::Error;
    use crate::sources::FileStamp;

    #[test]
    fn an_id_ordinal_past_the_dictionary_is_a_damaged_index_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::schema::create(dir.path()).unwrap();
        assert_eq!(id_key_at(&[5, 6], 1, &store).unwrap(), 6);
        let err = id_key_at(&[5, 6], 2, &store).unwrap_err();
        assert!(matches!(err, Error::IndexDamaged { .. }), "{err}");
    }

    #[test]
    fn a_file_is_unchanged_only_with_the_same_size_and_a_known_equal_time() {
        let stamp = |size, mtime| FileStamp { size, mtime };
        let known = KnownArticle::new(7, Some(100), Some(1_700_000_000));
        assert!(known.stored_with(&stamp(100, Some(1_700_000_000))));
        assert!(!known.stored_with(&stamp(101, Some(1_700_000_000))));
        assert!(!known.stored_with(&stamp(100, Some(1_700_000_001))));
        assert!(!known.stored_with(&stamp(100, None)));
        // Stored without metadata (JSON Lines) or without a time: never taken as unchanged.
        assert!(!KnownArticle::new(7, None, None).stored_with(&stamp(100, None)));
        assert!(!KnownArticle::new(7, Some(100), None).stored_with(&stamp(100, None)));
        assert_eq!(std::mem::size_of::<KnownArticle>(), 32);
    }
}
