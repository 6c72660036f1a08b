//! First-order Viterbi decoding over the 9 IOB2 labels, with the IOB2 constraints (`I-X` only
//! after `B-X` or `I-X`) built in. Tagging decodes integer scores, training float ones.

use super::tags::{allowed, NUM_LABELS};
use std::ops::Add;

/// Score type usable by [`viterbi`] (integer at run time, float while training).
pub trait Score: Copy + PartialOrd + Add<Output = Self> {
    const NEG: Self;
}

impl Score for i32 {
    const NEG: i32 = i32::MIN / 4;
}

impl Score for f32 {
    const NEG: f32 = -1.0e30;
}

const fn allowed_table() -> [[bool; NUM_LABELS]; NUM_LABELS + 1] {
    // Row NUM_LABELS is "sentence start". I-X (odd-even pairs: B = 1+2k, I = 2+2k)
    // may only follow B-X or I-X of the same type.
    let mut t = [[true; NUM_LABELS]; NUM_LABELS + 1];
    let mut prev = 0;
    while prev <= NUM_LABELS {
        let mut cur = 2;
        while cur < NUM_LABELS {
            let ok = prev < NUM_LABELS && prev != 0 && prev.div_ceil(2) == cur / 2;
            t[prev][cur] = ok;
            cur += 2;
        }
        prev += 1;
    }
    t
}

const ALLOWED: [[bool; NUM_LABELS]; NUM_LABELS + 1] = allowed_table();

/// The labels any label may precede: O and the four B-X.
const FREE: [usize; 5] = [0, 1, 3, 5, 7];
/// Lanes of the search for the free labels' predecessors (a vector's width of `i32`s).
const LANES: usize = 8;

/// Best label sequence for `n` tokens given emission scores (`n * 9`, token-major),
/// start scores and transition scores (`prev * 9 + cur`). Invalid IOB2 transitions are
/// never chosen. The path is written to `path` (label indices).
pub fn viterbi<T: Score>(
    emit: &[T],
    n: usize,
    start: &[T; NUM_LABELS],
    trans: &[T; NUM_LABELS * NUM_LABELS],
    back: &mut Vec<u8>,
    path: &mut Vec<u8>,
) {
    path.clear();
    if n == 0 || emit.len() < n * NUM_LABELS {
        return;
    }
    back.clear();
    back.resize(n * NUM_LABELS, 0);
    // O and B-X (the "free" labels) may follow any label; I-X only B-X or I-X. The free
    // labels' transition scores are laid out by previous label, in eight lanes (five used,
    // three that never win), so the search for their best predecessors runs lane-parallel.
    let mut free_trans = [[T::NEG; LANES]; NUM_LABELS];
    for (prev, row) in free_trans.iter_mut().enumerate() {
        for (lane, &cur) in FREE.iter().enumerate() {
            row[lane] = trans[prev * NUM_LABELS + cur];
        }
    }
    let mut delta = [T::NEG; NUM_LABELS];
    for (l, d) in delta.iter_mut().enumerate() {
        if ALLOWED[NUM_LABELS][l] {
            *d = start[l] + emit[l];
        }
    }
    for (e, b) in emit
        .chunks_exact(NUM_LABELS)
        .zip(back.chunks_exact_mut(NUM_LABELS))
        .take(n)
        .skip(1)
    {
        let (Ok(e), Ok(b)) = (
            <&[T; NUM_LABELS]>::try_from(e),
            <&mut [u8; NUM_LABELS]>::try_from(b),
        ) else {
            continue;
        };
        let mut next = [T::NEG; NUM_LABELS];
        // The best of all nine predecessors, the first on a tie (strictly greater replaces).
        let mut best = [T::NEG; LANES];
        let mut arg = [0u32; LANES];
        for lane in 0..LANES {
            best[lane] = delta[0] + free_trans[0][lane];
        }
        for prev in 1..NUM_LABELS {
            let d = delta[prev];
            let row = &free_trans[prev];
            for lane in 0..LANES {
                let s = d + row[lane];
                let better = s > best[lane];
                best[lane] = if better { s } else { best[lane] };
                arg[lane] = if better { prev as u32 } else { arg[lane] };
            }
        }
        for (lane, &cur) in FREE.iter().enumerate() {
            next[cur] = best[lane] + e[cur];
            b[cur] = arg[lane] as u8;
        }
        // I-X: only B-X (cur - 1) and I-X (cur) may precede it.
        for cur in [2, 4, 6, 8] {
            let (sb, si) = (
                delta[cur - 1] + trans[(cur - 1) * NUM_LABELS + cur],
                delta[cur] + trans[cur * NUM_LABELS + cur],
            );
            let (best, arg) = if si > sb {
                (si, cur as u8)
            } else {
                (sb, (cur - 1) as u8)
            };
            next[cur] = best + e[cur];
            b[cur] = arg;
        }
        delta = next;
    }
    let mut best = 0usize;
    for l in 1..NUM_LABELS {
        if delta[l] > delta[best] {
            best = l;
        }
    }
    path.resize(n, 0);
    path[n - 1] = best as u8;
    for i in (1..n).rev() {
        let prev = back[i * NUM_LABELS + path[i] as usize];
        path[i - 1] = prev;
    }
    debug_assert!(path
        .windows(2)
        .all(|w| allowed(Some(w[0] as usize), w[1] as usize)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viterbi_respects_iob2() {
        // Emissions prefer I-PER at the start, which is invalid: B-PER must be chosen.
        let mut emit = vec![0i32; 2 * NUM_LABELS];
        emit[2] = 10; // I-PER
        emit[1] = 5; // B-PER
        emit[NUM_LABELS + 2] = 10;
        let mut back = Vec::new();
        let mut path = Vec::new();
        viterbi(
            &emit,
            2,
            &[0; NUM_LABELS],
            &[0; NUM_LABELS * NUM_LABELS],
            &mut back,
            &mut path,
        );
        assert_eq!(path, vec![1, 2]);
    }

    /// The plain search: every predecessor of every label, IOB2 constraints checked one by
    /// one, the first best on a tie.
    fn reference(emit: &[i32], n: usize, start: &[i32; 9], trans: &[i32; 81]) -> Vec<u8> {
        let mut delta: Vec<i32> = (0..NUM_LABELS)
            .map(|l| {
                if ALLOWED[NUM_LABELS][l] {
                    start[l] + emit[l]
                } else {
                    i32::NEG
                }
            })
            .collect();
        let mut back = vec![0u8; n * NUM_LABELS];
        for i in 1..n {
            let mut next = vec![i32::NEG; NUM_LABELS];
            for cur in 0..NUM_LABELS {
                let mut best: Option<(i32, usize)> = None;
                for prev in 0..NUM_LABELS {
                    if !ALLOWED[prev][cur] {
                        continue;
                    }
                    let s = delta[prev] + trans[prev * NUM_LABELS + cur];
                    if best.is_none_or(|(b, _)| s > b) {
                        best = Some((s, prev));
                    }
                }
                let (s, prev) = best.expect("every label has a predecessor");
                next[cur] = s + emit[i * NUM_LABELS + cur];
                back[i * NUM_LABELS + cur] = prev as u8;
            }
            delta = next;
        }
        let mut last = 0;
        for l in 1..NUM_LABELS {
            if delta[l] > delta[last] {
                last = l;
            }
        }
        let mut path = vec![0u8; n];
        path[n - 1] = last as u8;
        for i in (1..n).rev() {
            path[i - 1] = back[i * NUM_LABELS + path[i] as usize];
        }
        path
    }

    #[test]
    fn lane_parallel_search_is_the_plain_search() {
        let mut rng = super::super::rng::SplitMix::new(7);
        // Small score ranges make ties common, so the first-best rule is exercised too.
        for range in [3u64, 50, 100_000] {
            for _ in 0..300 {
                let n = 1 + (rng.next_u64() % 12) as usize;
                let mut draw = || (rng.next_u64() % range) as i32 - (range / 2) as i32;
                let emit: Vec<i32> = (0..n * NUM_LABELS).map(|_| draw()).collect();
                let start: [i32; 9] = std::array::from_fn(|_| draw());
                let trans: [i32; 81] = std::array::from_fn(|_| draw());
                let (mut back, mut path) = (Vec::new(), Vec::new());
                viterbi(&emit, n, &start, &trans, &mut back, &mut path);
                assert_eq!(path, reference(&emit, n, &start, &trans), "{emit:?}");
            }
        }
    }
}
