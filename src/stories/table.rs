//! The signatures of stored articles, found by LSH band: which stored article a new one is a
//! near-copy of, and into which connected parts a story falls when members leave it.

use rustc_hash::FxHashMap;

use super::sketch::{band_keys, similarity, Signature, BANDS};

/// Estimated Jaccard similarity from which two articles are near-copies. Below the 0.7 that
/// defines a copy, so that a true copy whose estimate comes out low (standard error 0.06) is
/// still found; articles that only share a topic share few three-word shingles (J < 0.15).
pub const THRESHOLD: f32 = 0.65;

/// No entry: the end of a band's chain.
const NONE: u32 = u32::MAX;
/// Most entries looked at per band and period. Beyond it (more than 64 articles of three
/// periods sharing a band: a template or a feed's repeats), which near-copies are found, and
/// so how such a cluster is split into stories, may depend on the order articles came in.
const MAX_CHAIN: usize = 64;

/// Stored signatures, chained by band key and period: each key leads to the last entry that
/// has it, and each entry to the previous one with the same key in that band. Periods are
/// `window` days long (at least one), so the near-copies of an article are in its own period
/// or the two beside it, and a chain never holds articles from years apart.
///
/// Memory is what grows with a run (every article it writes is held until it ends), so
/// entries are kept column by column, without padding, and chains are found by a 32-bit hash
/// of their key: two keys with the same hash share a chain, which costs a comparison or two,
/// never a wrong answer, since every candidate's signature is compared.
#[derive(Default)]
pub struct Table {
    window: u32,
    signatures: Vec<Signature>,
    /// Day numbers (an `i32` holds every date the ingest accepts).
    days: Vec<i32>,
    stories: Vec<u64>,
    alive: Vec<bool>,
    by_key: FxHashMap<u64, u32>,
    heads: FxHashMap<u32, u32>,
    /// `next[entry * BANDS + band]`: the previous entry with the same key in this band.
    next: Vec<u32>,
    /// Stories merged into another (a story is a connected group: an article that is the
    /// near-copy of articles of two stories joins them into one).
    merged: FxHashMap<u64, u64>,
}

/// The stories a new article's near-copies belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Near {
    /// The story of the most similar one: the article joins it.
    pub story: u64,
    /// The other stories among them, to be merged into `story`.
    pub others: Vec<u64>,
}

impl Table {
    /// An empty table for near-copies within `window` days of each other.
    pub fn new(window: u32) -> Table {
        Table {
            window,
            ..Table::default()
        }
    }

    fn period(&self, day: i64) -> i64 {
        day.div_euclid(i64::from(self.window.max(1)))
    }

    /// The chain of a band key in a period: a 32-bit hash of both.
    fn chain_key(band_key: u64, period: i64) -> u32 {
        let key = band_key ^ (period as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        // The band's number is in the key's top bits: mixed into the kept ones.
        (key.wrapping_mul(0xbf58_476d_1ce4_e5b9) >> 32) as u32
    }

    fn day_of(day: i64) -> i32 {
        day.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
    }

    /// Articles held (removed ones excluded).
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// The story a story id stands for now, after merges.
    pub fn resolve(&self, mut story: u64) -> u64 {
        while let Some(&into) = self.merged.get(&story) {
            story = into;
        }
        story
    }

    /// Merges story `from` into `into` (both as resolved).
    pub fn merge(&mut self, from: u64, into: u64) {
        if from != into {
            self.merged.insert(from, into);
        }
    }

    /// The stories of the held articles that are near-copies of `signature` (at least
    /// [`THRESHOLD`] similar, dated within the window around `day`): the story of the most
    /// similar one (ties go to the one held first), and the others.
    pub fn nearest(&self, day: i64, signature: &Signature) -> Option<Near> {
        let mut best: Option<(f32, u32)> = None;
        let mut stories: Vec<u64> = Vec::new();
        let period = self.period(day);
        let chains = band_keys(signature)
            .into_iter()
            .enumerate()
            .flat_map(|(band, key)| {
                (period - 1..=period + 1).map(move |p| (band, Self::chain_key(key, p)))
            });
        for (band, key) in chains {
            let mut at = self.heads.get(&key).copied().unwrap_or(NONE);
            // Newest first, at most MAX_CHAIN of them: a cluster of near-identical articles
            // (a template, a feed's repeats) would otherwise make each arrival walk them all.
            let mut walked = 0;
            while at != NONE && walked < MAX_CHAIN {
                walked += 1;
                let entry = at as usize;
                let next = self.next[entry * BANDS + band];
                let story = self.stories[entry];
                // An article of a story already matched adds nothing but perhaps a better
                // score within that story, which joins the same story: skipped.
                let known = best.is_some() && stories.contains(&story);
                if !known
                    && self.alive[entry]
                    && (i64::from(self.days[entry]) - day).unsigned_abs() <= u64::from(self.window)
                {
                    let score = similarity(signature, &self.signatures[entry]);
                    if score >= THRESHOLD && !stories.contains(&story) {
                        stories.push(story);
                    }
                    let better = match best {
                        None => true,
                        Some((best_score, best_at)) => {
                            score > best_score || (score == best_score && at < best_at)
                        }
                    };
                    if score >= THRESHOLD && better {
                        best = Some((score, at));
                    }
                }
                at = next;
            }
        }
        let (_, at) = best?;
        let story = self.resolve(self.stories[at as usize]);
        let mut others: Vec<u64> = stories
            .into_iter()
            .map(|s| self.resolve(s))
            .filter(|s| *s != story)
            .collect();
        others.sort_unstable();
        others.dedup();
        Some(Near { story, others })
    }

    /// Holds an article (replacing what was held under its key).
    pub fn insert(&mut self, key: u64, day: i64, story: u64, signature: Signature) {
        self.remove(key);
        let at = self.signatures.len() as u32;
        let period = self.period(day);
        for (band, band_key) in band_keys(&signature).into_iter().enumerate() {
            let chain = Self::chain_key(band_key, period);
            let previous = self.heads.insert(chain, at).unwrap_or(NONE);
            debug_assert_eq!(self.next.len(), at as usize * BANDS + band);
            self.next.push(previous);
        }
        self.signatures.push(signature);
        self.days.push(Self::day_of(day));
        self.stories.push(story);
        self.alive.push(true);
        self.by_key.insert(key, at);
    }

    /// Takes an article out; its story, if it was held.
    pub fn remove(&mut self, key: u64) -> Option<u64> {
        let at = self.by_key.remove(&key)? as usize;
        self.alive[at] = false;
        Some(self.resolve(self.stories[at]))
    }

    /// Every merge made, as (merged story, story it is part of now).
    pub fn merges(&self) -> Vec<(u64, u64)> {
        let mut merges: Vec<(u64, u64)> = self
            .merged
            .keys()
            .map(|&from| (from, self.resolve(from)))
            .collect();
        merges.sort_unstable();
        merges
    }

    /// Forgets every article (their memory included).
    pub fn clear(&mut self) {
        *self = Table::new(self.window);
    }

    /// The key of an entry, for tests.
    #[cfg(test)]
    fn story_of(&self, key: u64) -> Option<u64> {
        self.by_key
            .get(&key)
            .map(|&at| self.resolve(self.stories[at as usize]))
    }
}

/// One article of a story, as [`components`] needs it.
pub struct Member {
    pub day: i64,
    pub signature: Option<Signature>,
}

/// The connected parts of a story: articles joined when they are near-copies (at least
/// [`THRESHOLD`] similar, within `window` days) of each other, directly or through others.
/// Parts are lists of indexes into `members`, each in order, ordered by their first member.
pub fn components(members: &[Member], window: u32) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..members.len()).collect();
    fn root(parent: &mut [usize], mut at: usize) -> usize {
        while parent[at] != at {
            parent[at] = parent[parent[at]];
            at = parent[at];
        }
        at
    }
    for (i, a) in members.iter().enumerate() {
        let Some(sa) = &a.signature else { continue };
        for (j, b) in members.iter().enumerate().skip(i + 1) {
            let Some(sb) = &b.signature else { continue };
            if (a.day - b.day).unsigned_abs() <= u64::from(window)
                && similarity(sa, sb) >= THRESHOLD
            {
                let (ra, rb) = (root(&mut parent, i), root(&mut parent, j));
                if ra != rb {
                    parent[ra.max(rb)] = ra.min(rb);
                }
            }
        }
    }
    let mut parts: Vec<Vec<usize>> = Vec::new();
    let mut part_of_root: FxHashMap<usize, usize> = FxHashMap::default();
    for i in 0..members.len() {
        let r = root(&mut parent, i);
        let part = *part_of_root.entry(r).or_insert_with(|| {
            parts.push(Vec::new());
            parts.len() - 1
        });
        parts[part].push(i);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stories::HASHES;

    /// A signature agreeing with `base` on the first `same` positions.
    fn variant(base: u16, same: usize) -> Signature {
        let mut signature = [0u16; HASHES];
        for (i, value) in signature.iter_mut().enumerate() {
            *value = if i < same {
                base.wrapping_add(i as u16)
            } else {
                base.wrapping_mul(31).wrapping_add(i as u16 * 7 + 1000)
            };
        }
        signature
    }

    #[test]
    fn a_near_copy_within_the_window_finds_the_story_and_others_do_not() {
        let mut table = Table::new(7);
        table.insert(1, 100, 11, variant(1, HASHES));
        table.insert(2, 100, 22, variant(5000, HASHES));
        let near = |story| {
            Some(Near {
                story,
                others: vec![],
            })
        };
        assert_eq!(table.nearest(103, &variant(1, 50)), near(11));
        assert_eq!(
            table.nearest(120, &variant(1, 50)),
            None,
            "outside the window"
        );
        assert_eq!(table.nearest(100, &variant(1, 20)), None, "too different");
        table.remove(1);
        assert_eq!(table.nearest(100, &variant(1, 60)), None, "removed");
        assert_eq!(table.len(), 1);
        table.insert(2, 100, 33, variant(5000, HASHES));
        assert_eq!(table.story_of(2), Some(33));
        assert_eq!(table.len(), 1);
    }

    #[test]
    fn the_most_similar_article_wins() {
        let mut table = Table::new(7);
        table.insert(1, 0, 11, variant(1, 44));
        table.insert(2, 0, 22, variant(1, 60));
        let found = table.nearest(0, &variant(1, HASHES)).unwrap();
        assert_eq!(found.story, 22);
        assert_eq!(
            found.others,
            [11],
            "both are near-copies: their stories merge"
        );
        table.merge(11, 22);
        assert_eq!(table.story_of(1), Some(22));
        assert_eq!(table.merges(), [(11, 22)]);
    }

    #[test]
    fn a_story_without_its_bridge_falls_apart() {
        let members = [
            Member {
                day: 0,
                signature: Some(variant(1, 50)),
            },
            Member {
                day: 0,
                signature: Some(variant(1, HASHES)),
            },
            Member {
                day: 0,
                signature: None,
            },
        ];
        assert_eq!(components(&members, 7), vec![vec![0, 1], vec![2]]);
        let far = [
            Member {
                day: 0,
                signature: Some(variant(1, HASHES)),
            },
            Member {
                day: 30,
                signature: Some(variant(1, HASHES)),
            },
        ];
        assert_eq!(components(&far, 7), vec![vec![0], vec![1]]);
    }
}
