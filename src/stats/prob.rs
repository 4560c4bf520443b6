//! A probability estimated from hits in runs, and its 95 % Wilson score interval.

use serde::Serialize;

/// z for a two-sided 95 % interval.
pub const Z975: f64 = 1.959963984540054;

/// A probability estimated from `hits` of `runs`.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Prob {
    pub p: f64,
    /// 95 % Wilson score interval.
    pub lo: f64,
    pub hi: f64,
    /// Monte Carlo standard error √(p(1−p)/n).
    pub mcse: f64,
    pub hits: u64,
    pub runs: u64,
}

impl Prob {
    pub fn new(hits: u64, runs: u64) -> Prob {
        let n = runs.max(1) as f64;
        let p = hits as f64 / n;
        let (lo, hi) = wilson(hits, runs);
        Prob {
            p,
            lo,
            hi,
            mcse: (p * (1.0 - p) / n).sqrt(),
            hits,
            runs,
        }
    }

    /// Half-width of the 95 % interval.
    pub fn half_width(&self) -> f64 {
        (self.hi - self.lo) / 2.0
    }
}

/// The 95 % Wilson score interval for `hits` successes in `runs` trials.
pub fn wilson(hits: u64, runs: u64) -> (f64, f64) {
    if runs == 0 {
        return (0.0, 1.0);
    }
    let n = runs as f64;
    let p = hits as f64 / n;
    let z2 = Z975 * Z975;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z975 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}
