//! On-track trajectories: for a target judged in year T, the path a plan implies year by year, so
//! that the engine can count how often a run is on or beyond it in every intermediate year.
//!
//! Growth-type targets (cagr, multiple, reduction) interpolate the indicator's level geometrically
//! from the base; level and change targets linearly; cumulative (`sum`) targets prorate the total;
//! ratio targets interpolate the ratio linearly; cagr_gap targets compare the gap in growth so far
//! with the target gap. In the target year the trajectory is exactly the target's rule.

use super::{Metric, Rule};

/// What a trajectory is compared with in each year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackOn {
    /// The indicator's level.
    Level,
    /// The running sum since the base year.
    Sum,
    /// The target's metric computed over the years so far.
    Metric,
}

/// The on-track rule for each year 1..=T after the base year.
#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    pub on: TrackOn,
    pub rules: Vec<Rule>,
}

/// Linear interpolation from `from` to `to` at fraction `f` (an infinite bound stays infinite).
fn lerp(from: f64, to: f64, f: f64) -> f64 {
    if to.is_infinite() {
        to
    } else {
        from + (to - from) * f
    }
}

/// Geometric interpolation (constant growth) where both ends are positive, else linear.
fn geometric_lerp(from: f64, to: f64, f: f64) -> f64 {
    if to.is_infinite() {
        to
    } else if from > 0.0 && to > 0.0 {
        from * (to / from).powf(f)
    } else {
        lerp(from, to, f)
    }
}

/// The trajectory of a target with `metric` and met-region `rule`, judged `years` after the base,
/// for an indicator with base value `xb` (and `yb` for the `relative_to` indicator).
pub fn trajectory(metric: Metric, rule: Rule, years: usize, xb: f64, yb: f64) -> Track {
    let t = years as f64;
    let (on, lo, hi, geometric, from): (TrackOn, f64, f64, bool, f64) = match metric {
        Metric::Level => (TrackOn::Level, rule.lo, rule.hi, false, xb),
        Metric::Change => (TrackOn::Level, xb + rule.lo, xb + rule.hi, false, xb),
        Metric::Cagr => (
            TrackOn::Level,
            xb * (1.0 + rule.lo).powf(t),
            xb * (1.0 + rule.hi).powf(t),
            true,
            xb,
        ),
        Metric::Multiple => (TrackOn::Level, xb * rule.lo, xb * rule.hi, true, xb),
        // reduction ≥ r ⇔ level ≤ xb·(1 − r): the bounds swap.
        Metric::Reduction => (
            TrackOn::Level,
            xb * (1.0 - rule.hi),
            xb * (1.0 - rule.lo),
            true,
            xb,
        ),
        Metric::Sum => (TrackOn::Sum, rule.lo, rule.hi, false, 0.0),
        Metric::Ratio => (TrackOn::Metric, rule.lo, rule.hi, false, xb / yb),
        Metric::CagrGap | Metric::Qualitative => {
            return Track {
                on: TrackOn::Metric,
                rules: vec![rule; years],
            };
        }
    };
    // Level-space bounds of a reduction may come out reversed for negative bases; keep lo ≤ hi.
    let (lo, hi) = if lo.is_nan() || hi.is_nan() {
        (f64::NAN, f64::NAN)
    } else {
        (lo.min(hi), lo.max(hi))
    };
    let rules = (1..=years)
        .map(|y| {
            let f = y as f64 / t;
            let at = |b: f64| {
                if geometric {
                    geometric_lerp(from, b, f)
                } else {
                    lerp(from, b, f)
                }
            };
            Rule {
                lo: at(lo),
                hi: at(hi),
            }
        })
        .collect();
    Track { on, rules }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INF: f64 = f64::INFINITY;

    #[test]
    fn cagr_track_is_geometric_and_ends_at_the_rule() {
        let tr = trajectory(Metric::Cagr, Rule { lo: 0.065, hi: INF }, 5, 100.0, 0.0);
        assert_eq!(tr.on, TrackOn::Level);
        assert!((tr.rules[0].lo - 106.5).abs() < 1e-9);
        assert!((tr.rules[4].lo - 100.0 * 1.065f64.powi(5)).abs() < 1e-9);
        assert!(tr.rules.iter().all(|r| r.hi == INF));
    }

    #[test]
    fn level_change_sum_and_reduction_tracks() {
        let l = trajectory(Metric::Level, Rule { lo: 53.0, hi: INF }, 5, 46.0, 0.0);
        assert!((l.rules[1].lo - 48.8).abs() < 1e-12);
        let c = trajectory(Metric::Change, Rule { lo: -INF, hi: -5.0 }, 5, 60.0, 0.0);
        assert!((c.rules[0].hi - 59.0).abs() < 1e-12 && c.rules[0].lo == -INF);
        let s = trajectory(Metric::Sum, Rule { lo: 25.0, hi: INF }, 5, 5.0, 0.0);
        assert_eq!(s.on, TrackOn::Sum);
        assert!((s.rules[1].lo - 10.0).abs() < 1e-12);
        // A 15 % cut of an intensity of 1.0: level must fall to 0.85 by year 5, geometrically.
        let r = trajectory(Metric::Reduction, Rule { lo: 0.15, hi: INF }, 5, 1.0, 0.0);
        assert!((r.rules[4].hi - 0.85).abs() < 1e-12 && r.rules[4].lo == -INF);
        assert!((r.rules[0].hi - 0.85f64.powf(0.2)).abs() < 1e-12);
    }
}
