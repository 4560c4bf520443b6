//! Closed-form checks of the engine: each probability within 4 Monte Carlo standard errors of the
//! exact value, at 200 000 runs.

mod common;
use attain::model::special::{norm_cdf, norm_ppf};
use common::*;

const RUNS: u64 = 200_000;

#[test]
fn increment_with_normal_steps_ends_normal() {
    // x_5 = 50 + Σ d_t, d_t ~ N(1.2, 0.5²) iid → x_5 ~ N(56, 5·0.25).
    let case = Case::new(
        &PlanBuilder::new()
            .indicator("urban", "城镇化率", 50.0, "higher")
            .unit("%")
            .target("u56", "urban", "level", "at_least", 56.5)
            .target("u_change", "urban", "change", "at_most", 5.0)
            .build(),
        r#"
[process.urban]
model = "increment"
step = { dist = "normal", mean = 1.2, sd = 0.5 }
"#,
    );
    let r = case.run(RUNS, 7);
    let sd = (5.0f64 * 0.25).sqrt();
    assert_close(
        p_met(&r, "u56"),
        1.0 - norm_cdf((56.5 - 56.0) / sd),
        RUNS,
        4.0,
        "level ≥ 56.5",
    );
    assert_close(
        p_met(&r, "u_change"),
        norm_cdf((5.0 - 6.0) / sd),
        RUNS,
        4.0,
        "change ≤ 5",
    );
    // The median of the level is 56 (within sampling error of a median plus the sketch's 0.1 %).
    let med = target(&r, "u56").quantiles.as_ref().unwrap().p50.unwrap();
    let se_med = sd * (std::f64::consts::PI / 2.0 / RUNS as f64).sqrt();
    assert!(
        (med - 56.0).abs() < 4.0 * se_med + 56.0 * 1e-3,
        "median {med}"
    );
}

#[test]
fn growth_with_lognormal_factors_has_normal_log_level() {
    // x_5 = 100 · Π f_t, f_t lognormal with mean 1.07, sd 0.03 → ln x_5 ~ N(ln 100 + 5μ, 5σ²).
    let (m, s) = (1.07f64, 0.03f64);
    let sigma2 = (1.0 + (s / m).powi(2)).ln();
    let mu = m.ln() - sigma2 / 2.0;
    let case = Case::new(
        &PlanBuilder::new()
            .indicator("gdp", "GDP", 100.0, "higher")
            .target("growth", "gdp", "cagr", "about", 0.07)
            .target("doubling", "gdp", "multiple", "at_least", 1.45)
            .build(),
        r#"
[process.gdp]
model = "growth"
factor = { dist = "lognormal", mean = 1.07, sd = 0.03 }
"#,
    );
    let r = case.run(RUNS, 11);
    let (mean_log, sd_log) = (5.0 * mu, (5.0 * sigma2).sqrt());
    // cagr ≥ 0.065 ⇔ ln(x5/x0) ≥ 5 ln 1.065
    let p_cagr = 1.0 - norm_cdf((5.0 * 1.065f64.ln() - mean_log) / sd_log);
    assert_close(p_met(&r, "growth"), p_cagr, RUNS, 4.0, "cagr about 7 %");
    let p_mult = 1.0 - norm_cdf((1.45f64.ln() - mean_log) / sd_log);
    assert_close(p_met(&r, "doubling"), p_mult, RUNS, 4.0, "multiple ≥ 1.45");
}

#[test]
fn ar1_increments_sum_to_the_closed_form_variance() {
    // d_t = μ + e_t, e AR(1) with marginal sd σ and ρ = 0.6, e_1 from the marginal:
    // Var Σ e = σ² (n + 2 Σ_{k=1}^{n−1} (n − k) ρ^k).
    let (mu, sigma, rho, n) = (0.5f64, 0.4f64, 0.6f64, 5usize);
    let case = Case::new(
        &PlanBuilder::new()
            .indicator("share", "share", 30.0, "higher")
            .target("share_up", "share", "change", "at_least", 3.0)
            .target("share_range", "share", "level", "between", [32.0, 33.0])
            .build(),
        r#"
[process.share]
model = "increment"
step = { dist = "normal", mean = 0.5, sd = 0.4 }
persistence = 0.6
"#,
    );
    let r = case.run(RUNS, 3);
    let var: f64 = sigma
        * sigma
        * (n as f64
            + 2.0
                * (1..n)
                    .map(|k| (n - k) as f64 * rho.powi(k as i32))
                    .sum::<f64>());
    let (m, sd) = (n as f64 * mu, var.sqrt());
    assert_close(
        p_met(&r, "share_up"),
        1.0 - norm_cdf((3.0 - m) / sd),
        RUNS,
        4.0,
        "AR(1) change ≥ 3",
    );
    let p_between = norm_cdf((3.0 - m) / sd) - norm_cdf((2.0 - m) / sd);
    assert_close(
        p_met(&r, "share_range"),
        p_between,
        RUNS,
        4.0,
        "AR(1) level between",
    );
}

#[test]
fn sum_of_level_draws_and_quantile_parameterisation() {
    // Yearly jobs drawn N(m, s) from p10 = 4.4, p90 = 5.6 → m = 5, s = 0.6/z90; 5-year sum ~ N(25, 5 s²).
    let case = Case::new(
        &PlanBuilder::new()
            .indicator("jobs", "城镇新增就业", 5.0, "higher")
            .unit("10k")
            .target("jobs_total", "jobs", "sum", "at_least", 25.5)
            .build(),
        r#"
[process.jobs]
model = "level"
value = { dist = "normal", p10 = 4.4, p90 = 5.6 }
"#,
    );
    let r = case.run(RUNS, 5);
    let s = 0.6 / norm_ppf(0.9);
    let sd = (5.0f64).sqrt() * s;
    assert_close(
        p_met(&r, "jobs_total"),
        1.0 - norm_cdf((25.5 - 25.0) / sd),
        RUNS,
        4.0,
        "sum ≥ 25.5",
    );
}

#[test]
fn bounded_level_draws_are_clamped_after_steering() {
    // A share drawn N(97, 2²) each year, steered with κ = 1 toward a path aimed 1 σ beyond 98
    // (x_t = d_t + κ(p − μ) = d_t + 3, so N(100, 2²) before the clamp), bounded to [0, 100]:
    // x_5 = min(N(100, 4), 100). P(x ≤ 100) is 1 exactly (0.5 without the bounds);
    // P(x ≥ 99) = 1 − Φ(−0.5) is what it would be unbounded; the median is the bound itself.
    let case = Case::new(
        &PlanBuilder::new()
            .indicator("tap", "农村自来水普及率", 97.0, "higher")
            .unit("%")
            .target("tap_99", "tap", "level", "at_least", 98.0)
            .target("tap_cap", "tap", "level", "at_most", 100.0)
            .target("tap_high", "tap", "level", "at_least", 99.0)
            .build(),
        r#"
[process.tap]
model = "level"
value = { dist = "normal", mean = 97.0, sd = 2.0 }
bounds = [0.0, 100.0]
steer = { target = "tap_99", strength = 1.0, margin = 1.0 }
"#,
    );
    let r = case.run(RUNS, 11);
    assert_eq!(p_met(&r, "tap_cap"), 1.0, "no value beyond the upper bound");
    assert_close(
        p_met(&r, "tap_high"),
        1.0 - norm_cdf((99.0 - 100.0) / 2.0),
        RUNS,
        4.0,
        "level ≥ 99",
    );
    let q = target(&r, "tap_high").quantiles.as_ref().unwrap();
    assert_eq!(
        q.p50,
        Some(100.0),
        "the median is the bound (an atom of half the runs)"
    );
}

#[test]
fn shocks_follow_the_binomial_law() {
    // Constant 8 % growth, a shock of −6 pp with probability 0.2 a year: x_5 = 100·1.08^(5−K)·1.02^K,
    // K ~ Binomial(5, 0.2). The target multiple ≥ 1.35 holds iff K ≤ 1 (1.08⁴·1.02 = 1.388, 1.08³·1.02² = 1.311).
    let case = Case::new(
        &PlanBuilder::new()
            .indicator("gdp", "GDP", 100.0, "higher")
            .target("m", "gdp", "multiple", "at_least", 1.35)
            .build(),
        r#"
[process.gdp]
model = "growth"
rate = { dist = "constant", value = 0.08 }

[[shock]]
name = "downturn"
probability = 0.2
effect = { gdp = -0.06 }
"#,
    );
    let r = case.run(RUNS, 9);
    let truth = 0.8f64.powi(5) + 5.0 * 0.2 * 0.8f64.powi(4);
    assert_close(p_met(&r, "m"), truth, RUNS, 4.0, "binomial shocks");
}

#[test]
fn gaussian_copula_with_normal_marginals() {
    // Two level indicators with Spearman ρ_s = 0.5 → Pearson r = 2 sin(π ρ_s / 6) of the normal
    // scores, which for normal marginals is their correlation. diff = a − b ~ N(1, 1 + 4 − 2·r·2).
    let case = Case::new(
        &PlanBuilder::new()
            .indicator("a", "a", 0.0, "higher")
            .indicator("b", "b", 0.0, "higher")
            .derived("diff", "a − b", "higher")
            .target("d", "diff", "level", "at_least", 2.0)
            .build(),
        r#"
[process.a]
model = "level"
value = { dist = "normal", mean = 3.0, sd = 1.0 }

[process.b]
model = "level"
value = { dist = "normal", mean = 2.0, sd = 2.0 }

[process.diff]
model = "derived"
formula = "a - b"

[[correlation]]
between = ["a", "b"]
rho = 0.5
"#,
    );
    let r = case.run(RUNS, 13);
    let pearson = 2.0 * (std::f64::consts::PI * 0.5 / 6.0).sin();
    let sd = (1.0 + 4.0 - 2.0 * pearson * 2.0f64).sqrt();
    assert_close(
        p_met(&r, "d"),
        1.0 - norm_cdf((2.0 - 1.0) / sd),
        RUNS,
        4.0,
        "copula difference",
    );
}

#[test]
fn on_track_probabilities_follow_the_linear_trajectory() {
    // x_y = 50 + Σ_{t≤y} d_t, d ~ N(1.2, 0.5²); the level target 56.5 in year 5 implies the linear
    // trajectory 50 + 1.3·y, so P(on track in year y) = 1 − Φ((1.3y − 1.2y) / (0.5√y)).
    let case = Case::new(
        &PlanBuilder::new()
            .indicator("urban", "urban", 50.0, "higher")
            .target("u", "urban", "level", "at_least", 56.5)
            .build(),
        r#"
[process.urban]
model = "increment"
step = { dist = "normal", mean = 1.2, sd = 0.5 }
"#,
    );
    let r = case.run(RUNS, 21);
    let t = target(&r, "u");
    assert_eq!(t.on_track.len(), 5);
    for (i, o) in t.on_track.iter().enumerate() {
        let y = (i + 1) as f64;
        let truth = 1.0 - norm_cdf((0.1 * y) / (0.5 * y.sqrt()));
        assert_eq!(o.year, 2021 + i as i32);
        assert_close(
            o.p,
            truth,
            RUNS,
            4.0,
            &format!("on track in year {}", o.year),
        );
    }
    assert_eq!(t.on_track[4].p, t.p_met.as_ref().unwrap().p);
}
