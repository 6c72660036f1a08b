//! MinHash signatures of an article's word shingles, and their LSH band keys.
//!
//! Words are runs of letters and digits, lower-cased (ASCII only: the rest is compared as
//! written); a shingle is three words in a row. Each of [`HASHES`] hash functions keeps the
//! smallest value it gives any shingle, and the signature keeps the low 16 bits of each
//! (b-bit MinHash: two texts agree on a position with probability J + (1 - J) / 65536, where J
//! is the Jaccard similarity of their shingle sets, at a quarter of the room of full values).

/// Hash functions in a signature: the estimate of J has a standard error of
/// sqrt(J (1 - J) / 64), 0.06 at J = 0.5.
pub const HASHES: usize = 64;
/// Words in a shingle: one changed word changes three shingles, a reordered paragraph only
/// the two at its edges.
const SHINGLE_WORDS: usize = 3;
/// Hashes per LSH band: two texts become candidates when they agree on all of a band.
const ROWS: usize = 3;
/// LSH bands: with 3 rows each, a pair at J = 0.7 shares a band with probability
/// 1 - (1 - 0.7^3)^16 = 0.999, at J = 0.5 0.88, at J = 0.3 0.36, at J = 0.1 0.016.
pub const BANDS: usize = 16;
/// Texts with fewer shingles get no signature: a one-line item (a price, a dividend notice)
/// shares its few shingles with every other item of its kind, and is its own story.
pub const MIN_SHINGLES: usize = 8;

// The bands are taken from the signature's values.
const _: () = assert!(BANDS * ROWS <= HASHES);

/// A MinHash signature: the low 16 bits of each hash function's minimum.
pub type Signature = [u16; HASHES];

/// splitmix64: the hash functions' constants, fixed at compile time.
const fn splitmix(state: u64) -> u64 {
    let mut z = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Hash function i of a well-mixed 32-bit shingle hash `s` is `mix32(s ^ SEEDS[i])`: 32-bit
/// operations only, which the compiler runs on several functions at once (64-bit multiplies it
/// cannot), since this loop is most of what stories cost an ingest.
const fn seeds() -> [u32; HASHES] {
    let mut out = [0u32; HASHES];
    let mut i = 0;
    while i < HASHES {
        out[i] = splitmix(0x5d0f_a1c3 + i as u64) as u32;
        i += 1;
    }
    out
}

const SEEDS: [u32; HASHES] = seeds();

/// A 32-bit mixer (multiply, xorshift, multiply, xorshift: the finaliser of Murmur3 less one
/// step).
#[inline(always)]
fn mix32(mut x: u32) -> u32 {
    x = x.wrapping_mul(0x85eb_ca6b);
    x ^= x >> 13;
    x = x.wrapping_mul(0xc2b2_ae35);
    x ^ (x >> 16)
}

/// Murmur3's finaliser: spreads a word-hash combination over all 64 bits.
fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Each byte as a word hashes it (ASCII letters lower-cased), or 0 for a byte that is no part
/// of a word: one look-up in place of lower-casing and two tests, per byte of every article.
const WORD_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        if b.is_ascii_alphanumeric() || b >= 0x80 {
            table[byte] = b.to_ascii_lowercase();
        }
        byte += 1;
    }
    table
};

/// The hashes of a text's words, in order.
fn word_hashes(text: &str, out: &mut Vec<u64>) {
    let mut current: u64 = 0;
    let mut in_word = false;
    for &byte in text.as_bytes() {
        let byte = WORD_BYTES[usize::from(byte)];
        if byte != 0 {
            current =
                (current.rotate_left(5) ^ u64::from(byte)).wrapping_mul(0x517c_c1b7_2722_0a95);
            in_word = true;
        } else if in_word {
            out.push(current);
            current = 0;
            in_word = false;
        }
    }
    if in_word {
        out.push(current);
    }
}

/// Each hash function's smallest value over the shingles of `words`.
fn minima(words: &[u64]) -> [u32; HASHES] {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has just been found to run AVX2.
        return unsafe { minima_avx2(words) };
    }
    minima_portable(words)
}

/// [`minima`] compiled for AVX2, which multiplies eight 32-bit lanes in one instruction; the
/// baseline x86-64 has no 32-bit vector multiply, and this loop took twice as long there
/// (`sketch` on 60,000 Reuters bodies: 540 ms against 260 ms). Same results, bit for bit.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn minima_avx2(words: &[u64]) -> [u32; HASHES] {
    minima_portable(words)
}

#[inline(always)]
fn minima_portable(words: &[u64]) -> [u32; HASHES] {
    let mut mins = [u32::MAX; HASHES];
    for window in words.windows(SHINGLE_WORDS) {
        let shingle = mix(window[0]
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .wrapping_add(window[1].rotate_left(23))
            ^ window[2].rotate_left(47));
        let shingle = (shingle ^ (shingle >> 32)) as u32;
        for (min, seed) in mins.iter_mut().zip(&SEEDS) {
            *min = (*min).min(mix32(shingle ^ seed));
        }
    }
    mins
}

/// The MinHash signature of a text, or `None` when it has fewer than [`MIN_SHINGLES`] shingles.
pub fn sketch(text: &str) -> Option<Signature> {
    let mut words = Vec::with_capacity(text.len() / 5);
    word_hashes(text, &mut words);
    let shingles = words.len().checked_sub(SHINGLE_WORDS - 1)?;
    if shingles < MIN_SHINGLES {
        return None;
    }
    let mins = minima(&words);
    let mut signature = [0u16; HASHES];
    for (kept, min) in signature.iter_mut().zip(mins) {
        *kept = min as u16;
    }
    Some(signature)
}

/// The estimated Jaccard similarity of the texts of two signatures: the share of positions
/// where they agree.
pub fn similarity(a: &Signature, b: &Signature) -> f32 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f32 / HASHES as f32
}

/// The LSH keys of a signature, one per band: the band's number and its three 16-bit values,
/// packed (so two keys are equal exactly when the bands are).
pub fn band_keys(signature: &Signature) -> [u64; BANDS] {
    let mut keys = [0u64; BANDS];
    for (band, key) in keys.iter_mut().enumerate() {
        let rows = &signature[band * ROWS..band * ROWS + ROWS];
        *key = (band as u64) << 48
            | u64::from(rows[0])
            | u64::from(rows[1]) << 16
            | u64::from(rows[2]) << 32;
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "The central bank raised its main interest rate by half a point on \
        Tuesday, citing inflation that has stayed above its target for a year. Analysts had \
        expected a smaller move, and the currency rose against the dollar after the decision. \
        The governor said further increases were possible if prices kept rising.";

    #[test]
    fn identical_texts_agree_everywhere_and_case_does_not_matter() {
        let a = sketch(TEXT).unwrap();
        let b = sketch(&TEXT.to_uppercase()).unwrap();
        assert_eq!(similarity(&a, &b), 1.0);
        assert_eq!(band_keys(&a), band_keys(&b));
    }

    #[test]
    fn a_small_edit_keeps_most_of_the_signature_and_another_text_little() {
        let a = sketch(TEXT).unwrap();
        let edited = TEXT
            .replace("Tuesday", "Wednesday")
            .replace("a year", "two years");
        let b = sketch(&edited).unwrap();
        let other = sketch(
            "Floods closed the main road to the capital for a third day, and the army \
             brought food and water to villages cut off since the river burst its banks on \
             Sunday night after a week of heavy rain in the hills to the north.",
        )
        .unwrap();
        assert!(similarity(&a, &b) > 0.6, "{}", similarity(&a, &b));
        assert!(similarity(&a, &other) < 0.2, "{}", similarity(&a, &other));
    }

    #[test]
    fn the_avx2_loop_finds_the_minima_the_portable_one_does() {
        let mut words = Vec::new();
        word_hashes(&TEXT.repeat(3), &mut words);
        assert_eq!(minima(&words), minima_portable(&words));
        assert_ne!(minima(&words), [u32::MAX; HASHES]);
    }

    #[test]
    fn short_texts_get_no_signature() {
        assert!(sketch("Shr 12 cts vs 10 cts").is_none());
        assert!(sketch("").is_none());
    }
}
