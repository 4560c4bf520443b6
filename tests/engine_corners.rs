//! Numerical corners of the engine (issue 16), each checked where it used to go wrong:
//!
//! * an open-interval uniform that reached exactly 1.0 (Student's t then returned +∞);
//! * AR(1) persistence with a clamp, which let the rate leave its clamp and drift;
//! * sketch CDFs that counted the bucket holding x as half (atoms at clamp bounds halved) and
//!   buckets too coarse for a quantity with a small coefficient of variation (empty histogram bins);
//! * common random numbers lost when an indicator's family changes between scenarios;
//! * Sobol indices of correlated inputs named after one indicator while measuring a Cholesky
//!   innovation.

mod common;
use attain::engine::sketch::{Scratch, Sketch};
use attain::engine::{self, RunOptions, Variant};
use attain::model::dist::{Dist, Family};
use attain::model::special::norm_ppf;
use attain::results::Histogram;
use common::*;

#[test]
fn uniform_open_never_returns_one_so_heavy_tails_stay_finite() {
    // The top 53 bits all set: (2⁵³ − 1 + ½)·2⁻⁵³ rounds to 1.0 unless kept below it.
    let u = engine::rng::open_unit(u64::MAX);
    assert!(u < 1.0 && u > 0.5);
    for f in [
        Family::student_t(0.0, 1.0, 3.0).unwrap(),
        Family::two_piece_normal(0.0, 1.0, 2.0).unwrap(),
        Family::normal(0.0, 1.0).unwrap(),
    ] {
        let d = Dist::from(f);
        assert!(d.quantile(u).is_finite(), "{d:?} at u = {u}");
        assert!(d.quantile(engine::rng::open_unit(0)).is_finite());
    }
}

#[test]
fn persistence_keeps_a_clamped_rate_within_its_clamp() {
    // Rates clamped to [4 %, 6 %] with ρ = 0.8: every year's rate is within the clamp, so the level
    // after 5 years is within [100·1.04⁵, 100·1.06⁵] in every run, and the clamp's atoms keep their
    // mass: P(rate = 6 %) = P(N(0.05, 0.02) ≥ 0.06) ≈ 0.31 every year, so P(all five years at 6 %)
    // is well above 0 under strong persistence, i.e. the level reaches 100·1.06⁵ exactly.
    let case = Case::new(
        &PlanBuilder::new()
            .indicator("gdp", "GDP", 100.0, "higher")
            .target(
                "inside",
                "gdp",
                "level",
                "between",
                [
                    100.0 * 1.04f64.powi(5) - 1e-9,
                    100.0 * 1.06f64.powi(5) + 1e-9,
                ],
            )
            .target("cagr", "gdp", "cagr", "at_least", 0.05)
            .build(),
        r#"
[process.gdp]
model = "growth"
rate = { dist = "normal", mean = 0.05, sd = 0.02, clamp = [0.04, 0.06] }
persistence = 0.8
"#,
    );
    let runs = 40_000;
    let r = case.run(runs, 21);
    assert_eq!(p_met(&r, "inside"), 1.0, "a rate left its clamp");
    // The marginal of every year is the clamped normal, symmetric about 5 %: the median path
    // grows at about 5 %, P(cagr ≥ 5 %) ≈ ½ (no drift from the clamp's shifted mean).
    assert_close(p_met(&r, "cagr"), 0.5, runs, 6.0, "clamped AR(1) median");
}

/// A standard normal sample of size n by inversion of a regular grid (deterministic).
fn normal_grid(n: usize, mean: f64, sd: f64) -> Vec<f64> {
    (0..n)
        .map(|i| mean + sd * norm_ppf((i as f64 + 0.5) / n as f64))
        .collect()
}

#[test]
fn histogram_of_a_low_cv_quantity_has_no_empty_interior_bins() {
    // Pension coverage about 0.95 with sd 0.003 (coefficient of variation 0.3 %).
    let mut s = Sketch::new();
    s.add_slice(&normal_grid(100_000, 0.95, 0.003), &mut Scratch::default());
    let h = Histogram::from_sketch(&s, 50).expect("histogram");
    let big: Vec<usize> = (0..h.shares.len())
        .filter(|&i| h.shares[i] >= 0.01)
        .collect();
    let (first, last) = (big[0], *big.last().unwrap());
    for i in first..=last {
        assert!(
            h.shares[i] > 0.0,
            "bin {i} empty between bins holding ≥ 1 %: {:?}",
            h.shares
        );
    }
    // And the shares follow the normal density: the central bin holds about width·φ(0)/sd.
    let centre = h.shares[25].max(h.shares[24]);
    let expect = h.width / 0.003 / (2.0 * std::f64::consts::PI).sqrt();
    assert!(
        (centre - expect).abs() < 0.15 * expect,
        "{centre} vs {expect}"
    );
}

#[test]
fn an_atom_at_a_clamp_bound_is_counted_whole() {
    // A level drawn N(0.5, 0.2) clamped to [0.5, 1]: half the runs sit exactly at 0.5.
    let case = Case::new(
        &PlanBuilder::new()
            .indicator("share", "share", 0.5, "higher")
            .target("share_up", "share", "level", "at_least", 0.6)
            .build(),
        r#"
[process.share]
model = "level"
value = { dist = "normal", mean = 0.5, sd = 0.2, clamp = [0.5, 1.0] }
"#,
    );
    let runs = 40_000;
    let r = case.run(runs, 5);
    let t = target(&r, "share_up");
    let h = t.distribution.as_ref().expect("histogram");
    assert_eq!(h.lo, 0.5);
    // Runs ≤ lo: the atom, P = ½ (within Monte Carlo error), not half of it.
    assert_close(h.below, 0.5, runs, 4.0, "atom at the lower clamp bound");
    let q = t.quantiles.as_ref().expect("quantiles");
    assert_eq!(q.p25, Some(0.5));
}

#[test]
fn common_random_numbers_survive_a_family_switch() {
    // One indicator drawn normal in one scenario and triangular in the other: the same runs see
    // the same normal scores, so the two draws are comonotone run by run.
    let plan = PlanBuilder::new()
        .years(2024, 2025)
        .indicator("x", "x", 0.0, "higher")
        .target("x_up", "x", "level", "at_least", 0.0)
        .build();
    let normal = Case::new(
        &plan,
        "[process.x]\nmodel = \"level\"\nvalue = { dist = \"normal\", mean = 0.0, sd = 1.0 }\n",
    );
    let tri = Case::new(
        &plan,
        "[process.x]\nmodel = \"level\"\nvalue = { dist = \"triangular\", min = -2.0, mode = 0.0, max = 2.0 }\n",
    );
    let (a, b) = (normal.model(), tri.model());
    let opts = RunOptions {
        runs: 8192,
        seed: 3,
        threads: Some(1),
        shard: None,
        sampling: Default::default(),
    };
    let map = |_c: u64, d: &[&engine::ChunkDetail]| -> Vec<(f64, f64)> {
        d[0].inputs[0]
            .iter()
            .copied()
            .zip(d[1].inputs[0].iter().copied())
            .collect()
    };
    let reduce = |mut x: Vec<(f64, f64)>, y: Vec<(f64, f64)>| {
        x.extend(y);
        x
    };
    let variants = [
        Variant {
            model: &a,
            seeds: None,
        },
        Variant {
            model: &b,
            seeds: None,
        },
    ];
    let (_, mut pairs) =
        engine::run_lockstep(&variants, &opts, &map, &reduce, &Vec::new).expect("lockstep");
    assert_eq!(pairs.len(), 8192);
    pairs.sort_by(|p, q| p.0.total_cmp(&q.0));
    let discordant = pairs.windows(2).filter(|w| w[1].1 < w[0].1).count();
    assert_eq!(
        discordant, 0,
        "draws are not comonotone across the family switch"
    );
}

#[test]
fn sobol_indices_treat_a_correlated_block_as_one_input() {
    // b depends on a through the copula; the target reads b only; c is independent and irrelevant.
    // Swapping a's stream alone used to move b (a Cholesky innovation), giving "a" a large index.
    let case = Case::new(
        &PlanBuilder::new()
            .indicator("a", "a", 0.0, "higher")
            .indicator("b", "b", 0.0, "higher")
            .indicator("c", "c", 0.0, "higher")
            .target("b_up", "b", "level", "at_least", 0.0)
            .target("c_up", "c", "level", "at_least", 0.0)
            .build(),
        r#"
[process.a]
model = "level"
value = { dist = "normal", mean = 0.0, sd = 1.0 }

[process.b]
model = "level"
value = { dist = "normal", mean = 0.0, sd = 1.0 }

[process.c]
model = "level"
value = { dist = "normal", mean = 0.0, sd = 1.0 }

[[correlation]]
between = ["a", "b"]
rho = 0.9
"#,
    );
    let m = case.model();
    let idx = attain::analysis::sobol::sobol_indices(&m, 16_384, 7, 50, Some(1)).expect("sobol");
    let t = idx
        .targets
        .iter()
        .find(|t| t.target == "b_up")
        .expect("b_up");
    let names: Vec<&str> = t.inputs.iter().map(|i| i.input.as_str()).collect();
    assert!(
        !names.contains(&"a") && !names.contains(&"b"),
        "correlated indicators reported one by one: {names:?}"
    );
    let block = t
        .inputs
        .iter()
        .find(|i| i.input == "a + b (correlated)")
        .unwrap_or_else(|| panic!("no block input in {names:?}"));
    assert!((block.total - 1.0).abs() < 0.05, "{block:?}");
    let c = t.inputs.iter().find(|i| i.input == "c").expect("c");
    assert!(c.total.abs() < 0.05, "{c:?}");
}
