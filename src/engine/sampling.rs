//! How the engine's uniform and normal draws are generated: plain Monte Carlo, Latin hypercube, or
//! scrambled Sobol (randomised quasi-Monte Carlo).
//!
//! Every mode is a function of (seed, chunk, input, year, run) only, so results stay byte-identical
//! for any thread count or shard split. Each draw row is one input (an indicator's yearly draw or a
//! shock) in one year over the runs of one chunk.
//!
//! * `mc`: independent draws from the input's own Xoshiro256++ stream.
//! * `lhs`: per row, the chunk's runs are stratified: one uniform in each of n equal strata,
//!   randomly permuted (a Latin hypercube of n points per chunk over all inputs and years).
//! * `sobol`: Owen-scrambled Sobol points (Burley's hash-based scrambling, `sobol_burley`). A run's
//!   point index is its global run number; every 2¹⁶ runs form an independently scrambled block (the
//!   sequence's maximum length), and dimensions beyond 256 are padded with independent scrambles.
//!   The dimension of an input in year t is t·(inputs) + input, so early years use the best
//!   dimensions. Uniforms carry 24 bits (f32), centred in their cell.

use super::CHUNK;
use super::rng::{self, Stream, splitmix64};
use crate::model::special::norm_ppf;
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};

/// The sampling design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sampling {
    #[default]
    Mc,
    Lhs,
    Sobol,
}

impl Sampling {
    pub fn name(self) -> &'static str {
        match self {
            Sampling::Mc => "mc",
            Sampling::Lhs => "lhs",
            Sampling::Sobol => "sobol",
        }
    }
}

/// Where a draw row sits in the design.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub seed: u64,
    pub chunk: u64,
    /// 0-based year after the base year.
    pub year: usize,
    /// The input's index among all inputs (draws, then shocks).
    pub input: usize,
    /// Number of inputs (draws plus shocks).
    pub inputs: usize,
}

/// Fills `out` with draws for one row: standard normal scores when `normal`, else uniforms in
/// (0, 1). `rng` is the input's stream; `perm` a reusable buffer.
pub fn fill(
    sampling: Sampling,
    row: Row,
    rng: &mut Stream,
    out: &mut [f64],
    normal: bool,
    perm: &mut Vec<u32>,
) {
    match sampling {
        Sampling::Mc => {
            if normal {
                out.iter_mut().for_each(|z| *z = StandardNormal.sample(rng));
            } else {
                out.iter_mut().for_each(|u| *u = rng::uniform_open(rng));
            }
            return;
        }
        Sampling::Lhs => {
            let n = out.len();
            perm.clear();
            perm.extend(0..n as u32);
            for i in (1..n).rev() {
                let j = ((rng.next_u64() as u128 * (i as u128 + 1)) >> 64) as usize;
                perm.swap(i, j);
            }
            let inv_n = 1.0 / n as f64;
            for (u, &p) in out.iter_mut().zip(perm.iter()) {
                *u = lhs_point(p, rng::uniform_open(rng), inv_n);
            }
        }
        Sampling::Sobol => {
            let dim = (row.year * row.inputs + row.input) as u64;
            let first = row.chunk * CHUNK;
            for (r, u) in out.iter_mut().enumerate() {
                let g = first + r as u64;
                let block = g >> 16;
                let scramble = splitmix64(
                    row.seed ^ splitmix64(block ^ ((dim / 256) << 40) ^ 0x5EED_50B0_1000_0000),
                ) as u32;
                let x = sobol_burley::sample((g & 0xFFFF) as u32, (dim % 256) as u32, scramble);
                *u = x as f64 + 1.0 / (1u64 << 25) as f64;
            }
        }
    }
    if normal {
        out.iter_mut().for_each(|u| *u = norm_ppf(*u));
    }
}

/// The point of stratum `p` of n (`inv_n` = 1/n) at relative position `u` in (0, 1): (p + u)/n,
/// kept below 1 (in the top stratum, p + u rounds up to n once u is within n·2⁻⁵³ of 1).
#[inline]
fn lhs_point(p: u32, u: f64, inv_n: f64) -> f64 {
    ((p as f64 + u) * inv_n).min(rng::ONE_BELOW)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lhs_top_stratum_stays_below_one() {
        let n = CHUNK as u32;
        let inv_n = 1.0 / n as f64;
        // u within n·2⁻⁵³ of 1: (n − 1 + u) rounds to n.
        let u = 1.0 - 1e-13;
        assert!(lhs_point(n - 1, u, inv_n) < 1.0);
        assert!(lhs_point(n - 1, rng::open_unit(u64::MAX), inv_n) < 1.0);
        assert!(lhs_point(0, rng::open_unit(0), inv_n) > 0.0);
    }

    fn row(input: usize) -> Row {
        Row {
            seed: 7,
            chunk: 3,
            year: 1,
            input,
            inputs: 4,
        }
    }

    #[test]
    fn lhs_puts_one_point_in_each_stratum() {
        let mut rng = rng::stream(1, 0, 0);
        let mut out = vec![0.0; 1000];
        fill(
            Sampling::Lhs,
            row(0),
            &mut rng,
            &mut out,
            false,
            &mut Vec::new(),
        );
        let mut strata: Vec<usize> = out.iter().map(|u| (u * 1000.0) as usize).collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..1000).collect::<Vec<_>>());
    }

    #[test]
    fn sobol_is_balanced_and_deterministic() {
        let mut rng = rng::stream(1, 0, 0);
        let mut a = vec![0.0; CHUNK as usize];
        fill(
            Sampling::Sobol,
            Row { chunk: 0, ..row(2) },
            &mut rng,
            &mut a,
            false,
            &mut Vec::new(),
        );
        // 4096 consecutive points of a scrambled Sobol dimension fall 1024 in each quarter.
        for q in 0..4 {
            let c = a.iter().filter(|&&u| (u * 4.0) as usize == q).count();
            assert_eq!(c, 1024);
        }
        let mut b = vec![0.0; CHUNK as usize];
        fill(
            Sampling::Sobol,
            Row { chunk: 0, ..row(2) },
            &mut rng,
            &mut b,
            false,
            &mut Vec::new(),
        );
        assert_eq!(a, b);
        assert!(a.iter().all(|&u| u > 0.0 && u < 1.0));
    }
}
