//! Steering against closed forms: with normal steps (increment) or lognormal factors (growth) a
//! steered path stays Gaussian (in levels or in logs), with mean and variance from the linear
//! recursions of `model::steer`. Each probability within 4 Monte Carlo standard errors at 200 000
//! runs; strength 0 gives byte-identical results to no steering.

mod common;
use attain::model::special::norm_cdf;
use common::*;

const RUNS: u64 = 200_000;

fn urban_plan() -> String {
    PlanBuilder::new()
        .indicator("urban", "城镇化率", 50.0, "higher")
        .unit("%")
        .target("u60", "urban", "level", "at_least", 60.0)
        .attribute("binding")
        .build()
}

/// Mean and variance of x_5 for x_t = (1−κ)(x_{t−1} + μ) + κ·p_t + e_t, e_t ~ N(0, σ²), x_0 = x0.
fn linear_moments(x0: f64, mu: f64, sd: f64, k: f64, path: &[f64]) -> (f64, f64) {
    let (mut m, mut v) = (x0, 0.0);
    for p in path {
        m = (1.0 - k) * (m + mu) + k * p;
        v = (1.0 - k) * (1.0 - k) * v + sd * sd;
    }
    (m, v)
}

fn urban_case(steer: &str) -> Case {
    Case::new(
        &urban_plan(),
        &format!(
            r#"
[process.urban]
model = "increment"
step = {{ dist = "normal", mean = 1.0, sd = 0.5 }}
{steer}
"#
        ),
    )
}

#[test]
fn increment_full_steering_lands_on_the_path_plus_one_years_noise() {
    // κ = 1: x_5 = p_5 + e_5 with p_5 = 60 + m·σ, so P(x_5 ≥ 60) = Φ(m).
    for m in [0.0, 0.8] {
        let case = urban_case(&format!("steer = {{ strength = 1.0, margin = {m} }}"));
        let r = case.run(RUNS, 11);
        assert_close(p_met(&r, "u60"), norm_cdf(m), RUNS, 4.0, "κ = 1");
    }
}

#[test]
fn increment_intermediate_steering_matches_the_linear_recursion() {
    let (k, m, sd) = (0.7, 1.0, 0.5);
    let case = urban_case(&format!("steer = {{ strength = {k}, margin = {m} }}"));
    let r = case.run(RUNS, 12);
    // Aimed path: linear 50 → 60 over 5 years, shifted by m·σ.
    let path: Vec<f64> = (1..=5).map(|t| 50.0 + 2.0 * t as f64 + m * sd).collect();
    let (mean, var) = linear_moments(50.0, 1.0, sd, k, &path);
    let truth = 1.0 - norm_cdf((60.0 - mean) / var.sqrt());
    assert_close(p_met(&r, "u60"), truth, RUNS, 4.0, "κ = 0.7");
    // And steering moved it: without steering the mean is 55, P ≈ 0.
    assert!(
        truth > 0.2 && truth < 0.9,
        "test should exercise steering, truth {truth}"
    );
}

#[test]
fn scenario_defaults_by_attribute_apply() {
    // [steering] gives the binding target κ = 1, margin 0 → P = 1/2.
    let case = urban_case("[steering]\nbinding = { strength = 1.0 }\n");
    let r = case.run(RUNS, 13);
    assert_close(p_met(&r, "u60"), 0.5, RUNS, 4.0, "defaults");
}

#[test]
fn growth_with_lognormal_factor_steered_in_logs() {
    // ln x_t = (1−κ) ln x_{t−1} + κ ln p_t + ln f_t − κ ln E[f]; ln f ~ N(a, s²).
    let (mean_f, sd_f) = (1.03f64, 0.04f64);
    let s2 = (1.0 + (sd_f / mean_f).powi(2)).ln();
    let a = mean_f.ln() - s2 / 2.0;
    let (k, m) = (0.6, 0.3);
    let case = Case::new(
        &PlanBuilder::new()
            .indicator("gdp", "GDP", 100.0, "higher")
            .unit("100m yuan")
            .target("gdp_growth", "gdp", "cagr", "at_least", 0.06)
            .build(),
        &format!(
            r#"
[process.gdp]
model = "growth"
factor = {{ dist = "lognormal", mean = {mean_f}, sd = {sd_f} }}
steer = {{ strength = {k}, margin = {m} }}
"#
        ),
    );
    let r = case.run(RUNS, 14);
    // Aimed path: 100·1.06^t, times exp(m·σ/μ) (σ, μ of the factor).
    let shift = m * sd_f / mean_f;
    let (mut lm, mut lv) = (100f64.ln(), 0.0);
    for t in 1..=5 {
        let lp = 100f64.ln() + t as f64 * 1.06f64.ln() + shift;
        lm = (1.0 - k) * lm + k * lp + a - k * mean_f.ln();
        lv = (1.0 - k) * (1.0 - k) * lv + s2;
    }
    // cagr ≥ 6 % ⇔ ln x_5 ≥ ln 100 + 5 ln 1.06.
    let thr = 100f64.ln() + 5.0 * 1.06f64.ln();
    let truth = 1.0 - norm_cdf((thr - lm) / lv.sqrt());
    assert_close(p_met(&r, "gdp_growth"), truth, RUNS, 4.0, "growth κ = 0.6");
}

#[test]
fn strength_zero_is_byte_identical_to_no_steering() {
    let plain = urban_case("");
    let zero = urban_case("steer = { strength = 0.0, margin = 1.0 }");
    let a = serde_json::to_string(&plain.run(40_000, 5).targets).unwrap();
    let b = serde_json::to_string(&zero.run(40_000, 5).targets).unwrap();
    assert_eq!(a, b);
}

#[test]
fn bad_steering_is_refused_with_its_location() {
    for (steer, msg) in [
        ("steer = { strength = 1.5 }", "must be in [0, 1]"),
        ("steer = { strength = 0.5, margin = 99 }", "within ±10"),
        (
            "steer = { target = \"nope\", strength = 0.5 }",
            "not a steerable target",
        ),
        ("steer = { margin = 0.5 }", "needs a `strength`"),
    ] {
        let case = urban_case(steer);
        let e = attain::scenario::load_scenario(&case.scenario())
            .expect_err(steer)
            .to_string();
        assert!(e.contains(msg), "{steer}: {e}");
        assert!(e.contains("scenario.toml:"), "{steer}: {e}");
    }
}
