//! Random streams: one independent Xoshiro256++ generator per (seed, chunk, input), where an input
//! is one indicator's yearly draw (keyed by its plan index) or one shock.
//!
//! Streams depend only on these three numbers, never on the thread that runs the chunk, so any
//! thread count or shard split draws exactly the same numbers for every run. Keying by the plan's
//! indicator index gives common random numbers across scenarios of one plan: an indicator sees the
//! same draws whatever else a scenario models.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator used by the engine.
pub type Stream = Xoshiro256PlusPlus;

/// SplitMix64 finaliser: a bijective 64-bit mix.
#[inline]
pub fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Stream key of shock `k` (indicator draws use their plan index).
pub fn shock_key(k: usize) -> u64 {
    (1 << 40) + k as u64
}

/// The stream of input `key` in chunk `chunk` of a run with seed `seed`.
pub fn stream(seed: u64, chunk: u64, key: u64) -> Stream {
    let c = splitmix64(
        chunk.wrapping_mul(0xD1B5_4A32_D192_ED03)
            ^ splitmix64(key.wrapping_add(0x8CB9_2BA7_2F3D_8DD7)),
    );
    Xoshiro256PlusPlus::seed_from_u64(splitmix64(seed ^ c))
}

/// A uniform draw in [0, 1) with 53 random bits.
#[inline]
pub fn uniform(rng: &mut Stream) -> f64 {
    use rand::Rng;
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The largest f64 below 1.
pub const ONE_BELOW: f64 = 1.0 - f64::EPSILON / 2.0;

/// A uniform draw in the open interval (0, 1), for quantile functions.
#[inline]
pub fn uniform_open(rng: &mut Stream) -> f64 {
    use rand::Rng;
    open_unit(rng.next_u64())
}

/// Maps 64 random bits to (0, 1): the top 53 bits k give (k + ½)·2⁻⁵³, except that the top value
/// (k = 2⁵³ − 1, where k + ½ rounds up to 2⁵³ and the result to exactly 1.0) gives the largest f64
/// below 1. Quantile functions with an unbounded upper tail (Student's t, the two-piece normal)
/// would return +∞ at 1.0.
#[inline]
pub fn open_unit(bits: u64) -> f64 {
    (((bits >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)).min(ONE_BELOW)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_unit_never_reaches_one_or_zero() {
        assert!(open_unit(u64::MAX) < 1.0);
        assert_eq!(open_unit(u64::MAX), ONE_BELOW);
        assert!(open_unit(0) > 0.0);
        // Every other value is unchanged: (k + ½)·2⁻⁵³.
        let k = (1u64 << 53) - 2;
        assert_eq!(open_unit(k << 11), (k as f64 + 0.5) / (1u64 << 53) as f64);
    }
}
