//! A Bloom filter over values that are already uniform hashes, growing with what is put in.
//!
//! Ingest keeps exact maps only of what it wrote since the last commit; what it committed is
//! found in the index. This filter says which articles need that look-up at all: a "no" is
//! certain, a "maybe" is wrong about 1% of the time.

/// Bits per value: with 7 probes, about 1% false positives.
const BITS_PER_VALUE: usize = 10;
const PROBES: u32 = 7;
/// Values the first layer is sized for; each further layer holds twice as many.
const FIRST_LAYER_VALUES: usize = 1 << 16;

/// One filter of fixed size; `Filter` adds a layer when the last one is full.
struct Layer {
    bits: Vec<u64>,
    /// `bits.len() * 64 - 1`, a power of two minus one.
    mask: u64,
    capacity: usize,
    len: usize,
}

impl Layer {
    fn new(capacity: usize) -> Layer {
        let bit_count = (capacity * BITS_PER_VALUE).next_power_of_two().max(64);
        Layer {
            bits: vec![0; bit_count / 64],
            mask: bit_count as u64 - 1,
            capacity,
            len: 0,
        }
    }

    fn insert(&mut self, value: u64) {
        for bit in positions(value, self.mask) {
            self.bits[(bit / 64) as usize] |= 1 << (bit % 64);
        }
        self.len += 1;
    }

    fn may_contain(&self, value: u64) -> bool {
        positions(value, self.mask)
            .all(|bit| self.bits[(bit / 64) as usize] & (1 << (bit % 64)) != 0)
    }
}

/// Bit positions of a value, by double hashing: the value itself (a hash already) and a mix
/// of it, made odd so the probes never repeat.
fn positions(value: u64, mask: u64) -> impl Iterator<Item = u64> {
    let step = (value.wrapping_mul(0x9e37_79b9_7f4a_7c15)).rotate_left(31) | 1;
    (0..PROBES).map(move |i| value.wrapping_add(u64::from(i).wrapping_mul(step)) & mask)
}

/// A growing Bloom filter of 64-bit hashes.
#[derive(Default)]
pub(super) struct Filter {
    layers: Vec<Layer>,
}

impl Filter {
    /// A filter whose first layer holds `values` at the usual rate of false positives.
    pub(super) fn with_capacity(values: usize) -> Filter {
        Filter {
            layers: vec![Layer::new(values.max(FIRST_LAYER_VALUES))],
        }
    }

    pub(super) fn insert(&mut self, value: u64) {
        let full = self
            .layers
            .last()
            .is_none_or(|layer| layer.len >= layer.capacity);
        if full {
            let capacity = self
                .layers
                .last()
                .map_or(FIRST_LAYER_VALUES, |layer| layer.capacity * 2);
            self.layers.push(Layer::new(capacity));
        }
        if let Some(layer) = self.layers.last_mut() {
            layer.insert(value);
        }
    }

    /// False only if `value` was never inserted.
    pub(super) fn may_contain(&self, value: u64) -> bool {
        self.layers.iter().any(|layer| layer.may_contain(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxhash_rust::xxh3::xxh3_64;

    fn value(n: u64) -> u64 {
        xxh3_64(&n.to_le_bytes())
    }

    #[test]
    fn everything_inserted_is_found_across_layers() {
        let mut filter = Filter::default();
        assert!(!filter.may_contain(value(1)));
        let count = FIRST_LAYER_VALUES as u64 * 4;
        for n in 0..count {
            filter.insert(value(n));
        }
        assert!(filter.layers.len() >= 2, "the filter grew");
        assert!((0..count).all(|n| filter.may_contain(value(n))));
    }

    #[test]
    fn false_positives_stay_near_one_percent() {
        let mut filter = Filter::default();
        let count = FIRST_LAYER_VALUES as u64 * 3;
        for n in 0..count {
            filter.insert(value(n));
        }
        let probes = 100_000u64;
        let false_positives = (count..count + probes)
            .filter(|&n| filter.may_contain(value(n)))
            .count();
        // Two layers of about 1% each: well under 5% together.
        assert!(
            (false_positives as f64) < probes as f64 * 0.05,
            "{false_positives} of {probes}"
        );
    }
}
