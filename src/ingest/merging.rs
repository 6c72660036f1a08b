//! Which segments to merge: tantivy's log-structured policy, with a bound on what one merge
//! produces.
//!
//! A merge maps all of its input segments, and holds buffers in proportion to them, so the
//! largest merge sets the peak memory of a long ingest. Left alone, the log policy merges eight
//! segments of a level into one eight times larger, whatever the size; here a merge is cut into
//! merges of at most `max_docs` documents instead.

use tantivy::merge_policy::{LogMergePolicy, MergeCandidate, MergePolicy};
use tantivy::SegmentMeta;

/// Documents one merge may produce at most: about 200 MB of input for news articles. Measured
/// on 1.08 million articles (`articles.jsonl --no-entities`, resident memory sampled twice a
/// second): peak 349 MB with this bound, 522 MB with 250,000, about 800 MB without one; 6 large
/// segments at the end instead of 2.
pub const MAX_MERGED_DOCS: u32 = 200_000;

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

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::index::SegmentId;
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
}
