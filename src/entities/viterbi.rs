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
    // Fold the IOB2 constraints into the scores so the inner loop has no branches on them;
    // rows by current label, fixed-size so the loops below need no bounds checks.
    let mut tm = [[T::NEG; NUM_LABELS]; NUM_LABELS];
    for prev in 0..NUM_LABELS {
        for cur in 0..NUM_LABELS {
            if ALLOWED[prev][cur] {
                tm[cur][prev] = trans[prev * NUM_LABELS + cur];
            }
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
        // O and B-X may follow any label: the best of all nine, the first on a tie.
        for cur in [0, 1, 3, 5, 7] {
            let col = &tm[cur];
            let mut best = delta[0] + col[0];
            let mut arg = 0u8;
            for prev in 1..NUM_LABELS {
                let s = delta[prev] + col[prev];
                if s > best {
                    best = s;
                    arg = prev as u8;
                }
            }
            next[cur] = best + e[cur];
            b[cur] = arg;
        }
        // I-X: only B-X (cur - 1) and I-X (cur) may precede it.
        for cur in [2, 4, 6, 8] {
            let col = &tm[cur];
            let (sb, si) = (delta[cur - 1] + col[cur - 1], delta[cur] + col[cur]);
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
}
