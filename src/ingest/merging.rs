//! Which segments to merge: tantivy's log-structured policy, with a bound on what one merge
//! produces.
//!
//! A merge maps all of its input segments, and holds buffers in proportion to them, so the
//! largest merge sets the peak memory of a long ingest. Left alone, the log policy merges eight
//! segments of a level into one eight times larger, whatever the size; here a merge is cut into
//! merges of at most `max_docs` documents instead.
//!
//! The policy merges only full levels, so a run can end with a few levels part full: at the
//! end, [`consolidate`] merges the smallest segments when there are more than a handful.

use tantivy::index::SegmentId;
use tantivy::indexer::IndexWriterOptions;
use tantivy::merge_policy::{LogMergePolicy, MergeCandidate, MergePolicy, NoMergePolicy};
use tantivy::{IndexWriter, SegmentMeta, TantivyError};

use crate::error::Result;
use crate::schema::Store;

/// Documents one merge may produce at most: about 200 MB of input for news articles. Measured
/// on 1.08 million articles (`articles.jsonl --no-entities`, resident memory sampled twice a
/// second): peak 349 MB with this bound, 522 MB with 250,000, about 800 MB without one; 6 large
/// segments at the end instead of 2.
pub const MAX_MERGED_DOCS: u32 = 200_000;

/// Smallest writer memory budget tantivy accepts per indexing thread (a writer that only
/// merges or deletes needs no more).
pub(super) const MIN_MB_PER_THREAD: usize = 15;

/// Segments an ingest leaves, at most, where the merge bound allows: a search visits every
/// segment.
pub const MAX_SEGMENTS: usize = 10;

#[derive(Debug)]
pub struct BoundedMergePolicy {
    levels: LogMergePolicy,
    max_docs: u32,
}

impl BoundedMergePolicy {
    pub fn new(max_docs: u32) -> BoundedMergePolicy {
        let mut levels = LogMergePolicy::default();
        // A segment already more than half the bound can only be merged past it.
        levels.set_max_docs_before_merge(max_docs as usize / 2);
        BoundedMergePolicy { levels, max_docs }
    }
}

impl MergePolicy for BoundedMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs = |id| {
            segments
                .iter()
                .find(|segment| segment.id() == id)
                .map_or(0, SegmentMeta::num_docs)
        };
        let mut merges = Vec::new();
        for MergeCandidate(mut ids) in self.levels.compute_merge_candidates(segments) {
            // Smallest first, packed into merges within the bound; a segment left on its own is
            // not merged this time.
            ids.sort_by_key(|&id| docs(id));
            let mut group = Vec::new();
            let mut group_docs = 0u32;
            for id in ids {
                let size = docs(id);
                if !group.is_empty() && group_docs.saturating_add(size) > self.max_docs {
                    if group.len() > 1 {
                        merges.push(MergeCandidate(std::mem::take(&mut group)));
                    }
                    group.clear();
                    group_docs = 0;
                }
                group.push(id);
                group_docs = group_docs.saturating_add(size);
            }
            if group.len() > 1 {
                merges.push(MergeCandidate(group));
            }
        }
        merges
    }
}

/// The smallest segments, merged into one, that leave at most `max_segments` (or as close to
/// that as a merge of at most `max_docs` documents gets); empty when there is nothing to merge.
fn smallest_to_merge(
    segments: &[(SegmentId, u32)],
    max_segments: usize,
    max_docs: u32,
) -> Vec<SegmentId> {
    let excess = segments.len().saturating_sub(max_segments);
    if excess == 0 {
        return Vec::new();
    }
    let mut by_size = segments.to_vec();
    by_size.sort_by_key(|&(_, docs)| docs);
    let mut merged_docs = 0u32;
    let chosen: Vec<SegmentId> = by_size
        .into_iter()
        .take(excess + 1)
        .take_while(|&(_, docs)| {
            merged_docs = merged_docs.saturating_add(docs);
            merged_docs <= max_docs
        })
        .map(|(id, _)| id)
        .collect();
    if chosen.len() < 2 {
        return Vec::new();
    }
    chosen
}

/// Merges the index's smallest segments if it has more than [`MAX_SEGMENTS`]. Run once the
/// writer is gone; if another ingest holds the index by then, it is left to that one.
pub fn consolidate(store: &Store) -> Result<()> {
    let segments: Vec<(SegmentId, u32)> = store
        .index
        .searchable_segment_metas()?
        .iter()
        .map(|meta| (meta.id(), meta.num_docs()))
        .collect();
    let merge = smallest_to_merge(&segments, MAX_SEGMENTS, MAX_MERGED_DOCS);
    if merge.is_empty() {
        return Ok(());
    }
    let options = IndexWriterOptions::builder()
        .num_worker_threads(1)
        .memory_budget_per_thread(MIN_MB_PER_THREAD * 1024 * 1024)
        .num_merge_threads(1)
        .build();
    let mut writer: IndexWriter = match store.index.writer_with_options(options) {
        Ok(writer) => writer,
        Err(TantivyError::LockFailure(..)) => return Ok(()),
        Err(err) => return Err(err.into()),
    };
    // This merge alone: tantivy's default policy would go on to merge what it produces.
    writer.set_merge_policy(Box::new(NoMergePolicy));
    writer.merge(&merge).wait()?;
    writer.wait_merging_threads()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::{Schema, STRING};
    use tantivy::Index;

    fn segments(index: &Index, sizes: &[u32]) -> Vec<SegmentMeta> {
        sizes
            .iter()
            .map(|&docs| index.new_segment_meta(SegmentId::generate_random(), docs))
            .collect()
    }

    /// The merges proposed for segments of these sizes, as lists of sizes.
    fn merges(max_docs: u32, sizes: &[u32]) -> Vec<Vec<u32>> {
        let mut schema = Schema::builder();
        schema.add_text_field("id", STRING);
        let index = Index::create_in_ram(schema.build());
        let metas = segments(&index, sizes);
        let size_of = |id| metas.iter().find(|m| m.id() == id).unwrap().num_docs();
        let candidates = BoundedMergePolicy::new(max_docs).compute_merge_candidates(&metas);
        let mut seen = std::collections::HashSet::new();
        candidates
            .into_iter()
            .map(|MergeCandidate(ids)| {
                assert!(
                    ids.iter().all(|id| seen.insert(*id)),
                    "a segment in two merges"
                );
                ids.into_iter().map(size_of).collect()
            })
            .collect()
    }

    #[test]
    fn a_full_level_is_merged_in_parts_within_the_bound() {
        let proposed = merges(200_000, &[46_000; 8]);
        assert_eq!(proposed, vec![vec![46_000; 4], vec![46_000; 4]]);
    }

    #[test]
    fn no_merge_goes_past_the_bound() {
        let sizes: Vec<u32> = (0..40).map(|n| 10_000 + (n % 8) * 2_000).collect();
        let proposed = merges(60_000, &sizes);
        assert!(!proposed.is_empty());
        for merge in &proposed {
            assert!(merge.len() >= 2, "{merge:?}");
            assert!(merge.iter().sum::<u32>() <= 60_000, "{merge:?}");
        }
    }

    #[test]
    fn segments_over_half_the_bound_and_levels_not_yet_full_stay() {
        assert!(merges(200_000, &[150_000; 8]).is_empty());
        assert!(merges(200_000, &[46_000; 7]).is_empty());
    }

    #[test]
    fn the_smallest_segments_are_merged_down_to_the_limit_within_the_bound() {
        let ids: Vec<SegmentId> = (0..14).map(|_| SegmentId::generate_random()).collect();
        let sizes = [90, 10, 80, 20, 70, 30, 60, 40, 50, 100, 110, 120, 130, 140];
        let segments: Vec<(SegmentId, u32)> = ids.iter().copied().zip(sizes).collect();
        let chosen = |max_segments, max_docs| {
            let mut picked: Vec<u32> = smallest_to_merge(&segments, max_segments, max_docs)
                .iter()
                .map(|id| segments.iter().find(|(s, _)| s == id).unwrap().1)
                .collect();
            picked.sort_unstable();
            picked
        };
        // 14 segments, at most 10: the five smallest become one.
        assert_eq!(chosen(10, 1_000), [10, 20, 30, 40, 50]);
        // Within the bound only the first three fit.
        assert_eq!(chosen(10, 60), [10, 20, 30]);
        // Nothing fits two segments, or nothing is over the limit.
        assert!(chosen(10, 15).is_empty());
        assert!(chosen(14, 1_000).is_empty());
    }

    #[test]
    fn consolidation_leaves_at_most_the_limit_and_every_article() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::schema::create(dir.path()).unwrap();
        let mut writer: IndexWriter = store.index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(NoMergePolicy));
        for n in 0..14 {
            writer
                .add_document(tantivy::doc!(store.fields.id => format!("a{n}")))
                .unwrap();
            writer.commit().unwrap();
        }
        writer.wait_merging_threads().unwrap();
        let count = || store.index.searchable_segment_metas().unwrap().len();
        assert_eq!(count(), 14);
        consolidate(&store).unwrap();
        assert_eq!(count(), MAX_SEGMENTS);
        store.index.load_metas().unwrap();
        let reader = store.index.reader().unwrap();
        assert_eq!(reader.searcher().num_docs(), 14);
    }
}
