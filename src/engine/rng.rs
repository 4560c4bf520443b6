//! Random streams: one independent Xoshiro256++ generator per chunk, derived from (seed, chunk).
//!
//! Streams depend only on the seed and the chunk index, never on the thread that runs the chunk, so
//! any thread count or shard split draws exactly the same numbers for every run.

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

/// The stream for chunk `chunk` of a run with seed `seed`.
pub fn stream(seed: u64, chunk: u64) -> Stream {
    Xoshiro256PlusPlus::seed_from_u64(splitmix64(
        seed ^ splitmix64(chunk.wrapping_mul(0xD1B5_4A32_D192_ED03)),
    ))
}

/// A uniform draw in [0, 1) with 53 random bits.
#[inline]
pub fn uniform(rng: &mut Stream) -> f64 {
    use rand::Rng;
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}
