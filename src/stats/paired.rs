//! Paired differences of two probabilities estimated on the same paths.
//!
//! Scenario comparisons and sensitivity runs use common random numbers: run *i* of scenario A and
//! run *i* of scenario B see the same random draws, so their met / not-met outcomes are paired. The
//! difference of the two probabilities then depends only on the discordant runs (met in one, not in
//! the other), and its interval is much narrower than one built from two independent estimates.
//! This module holds the 2×2 counts and Newcombe's interval for their difference; the engine's
//! reduce step only adds these integer counts, so results do not depend on the thread count.

use super::{Z975, wilson};
use serde::Serialize;

/// Paired outcome counts of two variants over the same runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PairCounts {
    /// Met in both.
    pub both: u64,
    /// Met in the reference only (n10).
    pub only_ref: u64,
    /// Met in the other variant only (n01).
    pub only_other: u64,
    /// Runs compared.
    pub runs: u64,
}

impl PairCounts {
    /// Adds one run's outcomes.
    #[inline]
    pub fn add(&mut self, reference: bool, other: bool) {
        self.runs += 1;
        match (reference, other) {
            (true, true) => self.both += 1,
            (true, false) => self.only_ref += 1,
            (false, true) => self.only_other += 1,
            (false, false) => {}
        }
    }

    pub fn merge(&mut self, o: &PairCounts) {
        self.both += o.both;
        self.only_ref += o.only_ref;
        self.only_other += o.only_other;
        self.runs += o.runs;
    }

    pub fn neither(&self) -> u64 {
        self.runs - self.both - self.only_ref - self.only_other
    }
}

/// The change P(other) − P(reference) with a paired 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PairedDiff {
    /// P(other) − P(reference), a fraction.
    pub delta: f64,
    /// 95 % interval (Newcombe's hybrid score interval for paired proportions, method 10).
    pub lo: f64,
    pub hi: f64,
    /// Discordant runs: met in the reference only (n10) and in the other variant only (n01).
    pub n10: u64,
    pub n01: u64,
    pub runs: u64,
}

impl PairedDiff {
    /// True when the interval excludes zero.
    pub fn significant(&self) -> bool {
        self.lo > 0.0 || self.hi < 0.0
    }
}

/// Adds two equally long vectors of pair counts element by element (the reduce step of a
/// lockstep run: integer sums, so the result does not depend on the thread count).
pub fn merge_counts(mut a: Vec<PairCounts>, b: Vec<PairCounts>) -> Vec<PairCounts> {
    for (x, y) in a.iter_mut().zip(&b) {
        x.merge(y);
    }
    a
}

/// Newcombe's (1998) method 10: the hybrid score interval for the difference of two paired
/// proportions ("square-and-add"), built from the two Wilson intervals and the phi correlation of
/// the pairs. Well-behaved near 0 and 1 and when discordant pairs are few, where the
/// Wald interval on the paired difference is not.
pub fn newcombe(c: &PairCounts) -> PairedDiff {
    let n = c.runs;
    let (a, b, cc, d) = (
        c.both as f64,
        c.only_other as f64,
        c.only_ref as f64,
        c.neither() as f64,
    );
    // Sample 1 = the other variant, sample 2 = the reference.
    let h1 = c.both + c.only_other;
    let h2 = c.both + c.only_ref;
    let nf = n.max(1) as f64;
    let (p1, p2) = (h1 as f64 / nf, h2 as f64 / nf);
    let (l1, u1) = wilson(h1, n);
    let (l2, u2) = wilson(h2, n);
    // Phi, shrunk by n/2 when positive (Newcombe's correction; Fagerland, Lydersen & Laake 2017).
    let margins = (a + b) * (cc + d) * (a + cc) * (b + d);
    let det = a * d - b * cc;
    let phi = if margins <= 0.0 {
        0.0
    } else if det > nf / 2.0 {
        (det - nf / 2.0) / margins.sqrt()
    } else if det >= 0.0 {
        0.0
    } else {
        det / margins.sqrt()
    };
    let delta = p1 - p2;
    let lo_w = ((p1 - l1).powi(2) - 2.0 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2).powi(2)).max(0.0);
    let hi_w = ((u1 - p1).powi(2) - 2.0 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2).powi(2)).max(0.0);
    PairedDiff {
        delta,
        lo: (delta - lo_w.sqrt()).max(-1.0),
        hi: (delta + hi_w.sqrt()).min(1.0),
        n10: c.only_ref,
        n01: c.only_other,
        runs: n,
    }
}

/// The Wald interval on the paired difference, (n01 − n10)/n ± z·SE with
/// SE = √(n01 + n10 − (n01 − n10)²/n)/n; kept for the tests as a large-sample reference.
pub fn wald(c: &PairCounts) -> (f64, f64) {
    let n = c.runs.max(1) as f64;
    let (b, cc) = (c.only_other as f64, c.only_ref as f64);
    let d = (b - cc) / n;
    let se = ((b + cc) - (b - cc).powi(2) / n).max(0.0).sqrt() / n;
    (d - Z975 * se, d + Z975 * se)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(both: u64, only_ref: u64, only_other: u64, neither: u64) -> PairCounts {
        PairCounts {
            both,
            only_ref,
            only_other,
            runs: both + only_ref + only_other + neither,
        }
    }

    #[test]
    fn newcombe_matches_a_published_example() {
        // Fagerland, Lydersen & Laake (2017), ch. 8, Cavo et al. (2012): table (59, 6 / 16, 80),
        // rows = sample 1, columns = sample 2: estimate −0.0621, 95 % CI −0.1186 to −0.0046.
        let d = newcombe(&counts(59, 16, 6, 80));
        assert!((d.delta + 10.0 / 161.0).abs() < 1e-12);
        assert!((d.lo + 0.1186).abs() < 6e-5, "lo {}", d.lo);
        assert!((d.hi + 0.0046).abs() < 6e-5, "hi {}", d.hi);
    }

    #[test]
    fn agrees_with_wald_for_many_runs() {
        let c = counts(40_000, 1_500, 3_000, 55_500);
        let d = newcombe(&c);
        let (lo, hi) = wald(&c);
        assert!((d.lo - lo).abs() < 3e-4 && (d.hi - hi).abs() < 3e-4);
        assert!(d.significant());
    }

    #[test]
    fn identical_outcomes_give_a_tight_interval_around_zero() {
        let d = newcombe(&counts(5_000, 0, 0, 15_000));
        assert_eq!(d.delta, 0.0);
        assert!(d.lo <= 0.0 && d.hi >= 0.0);
        assert!(d.hi - d.lo < 1e-3);
        assert!(!d.significant());
        // Degenerate margins (never met anywhere) stay finite.
        let z = newcombe(&counts(0, 0, 0, 100));
        assert!(z.lo <= 0.0 && z.hi >= 0.0 && z.lo.is_finite() && z.hi.is_finite());
    }

    #[test]
    fn counts_add_up() {
        let mut c = PairCounts::default();
        for (a, b) in [
            (true, true),
            (true, false),
            (false, true),
            (false, false),
            (false, true),
        ] {
            c.add(a, b);
        }
        assert_eq!(c, counts(1, 1, 2, 1));
        let mut m = c;
        m.merge(&c);
        assert_eq!(m.runs, 10);
        assert_eq!(m.neither(), 2);
    }
}
