//! The analyses end to end: scenario comparison with common random numbers, one-at-a-time
//! sensitivity, the goal solver against a closed form, and the CLI (exit codes, files, refusals).
//! Run counts are modest; tolerances are 4 Monte Carlo standard errors of the quantity tested.

mod common;
use attain::analysis::{compare, goal, sensitivity};
use attain::model::dist::Z90;
use common::*;

fn test_plan() -> String {
    PlanBuilder::new()
        .indicator("gdp", "GDP", 100.0, "higher")
        .indicator("urban", "城镇化率", 50.0, "higher")
        .target("gdp_growth", "gdp", "cagr", "at_least", 0.07)
        .attribute("expected")
        .target("urban_2025", "urban", "level", "at_least", 56.5)
        .attribute("binding")
        .build()
}

fn scenario(gdp_mean: f64) -> String {
    format!(
        r#"
[scenario]
name = "gdp {gdp_mean}"
seed = 11

[process.gdp]
model = "growth"
rate = {{ dist = "normal", mean = {gdp_mean}, sd = 0.02 }}
persistence = 0.3

[process.urban]
model = "increment"
step = {{ dist = "normal", mean = 1.0, sd = 0.5 }}
bounds = [0.0, 1000.0]

[[shock]]
name = "slump"
probability = 0.1
years = [2021, 2025]
effect = {{ gdp = -0.03 }}
"#
    )
}

/// A case with scenarios `s0.toml`, `s1.toml`, … of the test plan, one per mean growth.
fn cases(means: &[f64]) -> (Case, Vec<std::path::PathBuf>) {
    let case = Case::new(&test_plan(), &scenario(means[0]));
    let paths = means
        .iter()
        .enumerate()
        .map(|(i, m)| {
            case.write(
                &format!("s{i}.toml"),
                &format!("plan = \"plan.toml\"\n{}", scenario(*m)),
            )
        })
        .collect();
    (case, paths)
}

const CHART_COMPARE: &str = "compare.svg";
const CHART_TORNADO: &str = "tornado-urban_2025.svg";
const CHART_TORNADO_PNG: &str = "tornado-urban_2025.png";
const CHART_PTA: &str = "attainment-curve-urban_2025.svg";
const CHART_PTA_PNG: &str = "attainment-curve-urban_2025.png";

fn norm_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

fn load(p: &std::path::Path) -> attain::model::Model {
    attain::scenario::load_scenario(p).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn better_scenario_dominates_path_for_path() {
    let (_case, paths) = cases(&[0.06, 0.07, 0.08]);
    let models: Vec<_> = paths.iter().map(|p| load(p)).collect();
    let c = compare::compare(&models, 20_000, 5, None, &|_| {}).unwrap();
    let row = c.targets.iter().find(|t| t.id == "gdp_growth").unwrap();
    let p: Vec<f64> = row.p_met.iter().map(|p| p.unwrap().p).collect();
    assert!(
        p[0] < p[1] && p[1] < p[2],
        "monotone in the mean growth: {p:?}"
    );
    for s in 1..3 {
        let d = row.change[s].unwrap();
        assert!(
            d.delta > 0.0 && d.lo > 0.0,
            "paired interval excludes 0: {d:?}"
        );
        // Same draws, higher mean: every run met under the reference is met under the better one.
        assert_eq!(d.n10, 0, "no run is lost by raising the mean growth");
        assert_eq!(d.delta, (d.n01 as f64) / d.runs as f64);
    }
    // The paired interval is narrower than one for two independent estimates.
    let d = row.change[1].unwrap();
    let (a, b) = (row.p_met[0].unwrap(), row.p_met[1].unwrap());
    let independent = 2.0 * 1.96 * (a.mcse.powi(2) + b.mcse.powi(2)).sqrt();
    assert!(
        d.hi - d.lo < 0.75 * independent,
        "{} vs {independent}",
        d.hi - d.lo
    );
    // The urbanization process is the same in every scenario: identical outcomes in every run.
    let u = c.targets.iter().find(|t| t.id == "urban_2025").unwrap();
    for s in 1..3 {
        let d = u.change[s].unwrap();
        assert_eq!((d.n10, d.n01, d.delta), (0, 0, 0.0));
    }
    // Joint rows and the CRN note are present.
    assert_eq!(c.joint.len(), 2);
    assert!(c.common_random_numbers.contains("same random draws"));
    // P(met) matches a plain run of each scenario with the same seed and runs.
    assert_eq!(row.p_met.len(), models.len());
    for (m, pm) in models.iter().zip(&row.p_met) {
        let r = run_model(m, 20_000, 5, None);
        assert_eq!(
            target(&r, "gdp_growth").p_met.unwrap().hits,
            pm.unwrap().hits
        );
    }
}

#[test]
fn comparison_is_identical_for_any_thread_count() {
    let (_case, paths) = cases(&[0.065, 0.075]);
    let models: Vec<_> = paths.iter().map(|p| load(p)).collect();
    let json = |t| {
        let c = compare::compare(&models, 3 * 4096 + 100, 9, Some(t), &|_| {}).unwrap();
        serde_json::to_string(&c).unwrap()
    };
    assert_eq!(json(1), json(2));
    assert_eq!(json(1), json(3));
}

#[test]
fn an_input_that_does_not_feed_a_target_has_exactly_zero_impact() {
    let case = Case::new(&test_plan(), &scenario(0.07));
    let model = case.model();
    let opts = sensitivity::Options {
        swing: 0.25,
        runs: 12_000,
        seed: 3,
        threads: None,
        targets: vec!["urban_2025".into()],
    };
    let s = sensitivity::oat(&model, &opts, &|_| {}).unwrap();
    assert_eq!(s.targets.len(), 1);
    let t = &s.targets[0];
    let mut unrelated = 0;
    for b in &t.bars {
        let p = &s.parameters[b.param];
        if p.input == "urban" {
            continue;
        }
        unrelated += 1;
        // gdp's rate, persistence and the shock do not feed urbanization: exactly zero with CRN.
        assert_eq!(b.impact, 0.0, "{}", p.id);
        for side in [&b.low, &b.high].into_iter().flatten() {
            assert_eq!((side.change.n10, side.change.n01), (0, 0), "{}", p.id);
        }
    }
    assert!(unrelated > 0, "no bar of an input other than urban");
    // The step's mean matters most, and significantly, in the expected direction.
    let top = &t.bars[0];
    assert_eq!(top.id, "urban.step.mean");
    let (lo, hi) = (top.low.as_ref().unwrap(), top.high.as_ref().unwrap());
    assert!(lo.change.hi < 0.0 && hi.change.lo > 0.0);
    // Location moves by swing × sd: 1.0 ± 0.25 · 0.5.
    let p = &s.parameters[top.param];
    assert!((p.low - 0.875).abs() < 1e-12 && (p.high - 1.125).abs() < 1e-12);
    // Rank correlations: the target's own input dominates, the independent one is near zero
    // (|ρ| of independent samples has sd 1/√n).
    let rc = |name: &str| {
        t.rank_correlations
            .iter()
            .find(|r| r.input == name)
            .unwrap()
            .rho
    };
    assert!(rc("urban") > 0.9);
    let n = s.rank_correlation_runs as f64;
    assert!(rc("gdp").abs() < 4.0 / n.sqrt(), "{}", rc("gdp"));
    // Every kind of input is enumerated: distribution parameters, persistence, shock.
    let ids: Vec<&str> = s.parameters.iter().map(|p| p.id.as_str()).collect();
    for want in [
        "gdp.rate.mean",
        "gdp.rate.sd",
        "gdp.persistence",
        "urban.step.mean",
        "urban.step.sd",
        "urban.persistence",
        "shock[slump].probability",
        "shock[slump].effect",
    ] {
        assert!(ids.contains(&want), "{want} in {ids:?}");
    }
}

#[test]
fn correlations_are_inputs_and_rank_correlation_is_deterministic() {
    let case = Case::new(
        &test_plan(),
        &format!(
            "{}\n[[correlation]]\nbetween = [\"gdp\", \"urban\"]\nrho = 0.6\n",
            scenario(0.07)
        ),
    );
    let model = case.model();
    let params = sensitivity::parameters(&model, 0.25);
    let corr = params
        .iter()
        .find(|p| p.id == "corr[gdp,urban]")
        .expect("correlation parameter");
    assert!((corr.base - 0.6).abs() < 1e-9);
    assert!((corr.low - 0.35).abs() < 1e-9 && (corr.high - 0.85).abs() < 1e-9);
    let run = |threads| {
        let o = sensitivity::Options {
            swing: 0.25,
            runs: 9_000,
            seed: 1,
            threads: Some(threads),
            targets: vec![],
        };
        serde_json::to_string(&sensitivity::oat(&model, &o, &|_| {}).unwrap()).unwrap()
    };
    assert_eq!(run(1), run(2));
}

#[test]
fn solver_matches_the_closed_form_for_normal_increments() {
    // x_5 = 50 + Σ d_t, d_t ~ N(m, 0.5²): P(x_5 ≥ 56.5) = 0.5 at m = 6.5/5 = 1.3 exactly, and 0.9 at
    // m = 1.3 + z₀.₉·0.5/√5.
    let case = Case::new(&test_plan(), &scenario(0.07));
    let model = case.model();
    let runs = 40_000u64;
    let o = goal::Options {
        runs,
        seed: 17,
        threads: None,
        levels: vec![0.5, 0.9],
        confidences: vec![0.5, 0.9],
        input: None,
    };
    let g = goal::goal(&model, &["urban_2025".into()], &o).unwrap();
    let t = &g.targets[0];
    let (sigma, n) = (0.5f64, 5.0f64);
    let sd_mean = sigma / n.sqrt();
    // SE of the solved mean: SE of the sample p-quantile of Σd, divided by n.
    let se = |p: f64, z: f64| (p * (1.0 - p) / runs as f64).sqrt() / norm_pdf(z) * sd_mean;
    let want = [
        (0.5, 1.3, se(0.5, 0.0)),
        (0.9, 1.3 + Z90 * sd_mean, se(0.9, Z90)),
    ];
    assert_eq!(t.solutions.len(), want.len());
    for (s, (p, m, e)) in t.solutions.iter().zip(want) {
        assert_eq!(s.p, p);
        let got = s.mean.unwrap();
        assert!(
            (got - m).abs() < 4.0 * e,
            "P = {p}: solved mean {got}, closed form {m} (4·SE = {})",
            4.0 * e
        );
        assert!(s.achieved.unwrap().p >= p);
    }
    // Achievable levels: quantiles of x_5 ~ N(55, 5·0.25).
    let sd_x = sigma * n.sqrt();
    assert_eq!(t.achievable.len(), 2, "one level per confidence");
    for a in &t.achievable {
        let z = attain::model::special::norm_ppf(a.confidence);
        let want = 55.0 - z * sd_x;
        let se = (a.confidence * (1.0 - a.confidence) / runs as f64).sqrt() / norm_pdf(z) * sd_x;
        let got = a.level.unwrap();
        assert!(
            (got - want).abs() < 4.0 * se + want * 1e-3,
            "{got} vs {want}"
        );
    }
    // The attainment curve falls with the level and passes the plan's value at P(met).
    assert!(t.curve.windows(2).all(|w| w[1].p_met <= w[0].p_met + 1e-12));
    let at = t
        .curve
        .iter()
        .min_by(|a, b| (a.level - 56.5).abs().total_cmp(&(b.level - 56.5).abs()))
        .unwrap();
    assert!((at.p_met - t.p_met.p).abs() < 0.02);
}

#[test]
fn solver_handles_lower_is_met_targets_and_other_inputs() {
    // An at_most target: the solver must move the mean down to raise P(met).
    let plan_text = PlanBuilder::new()
        .indicator("u", "unemployment", 5.0, "lower")
        .target("u_max", "u", "level", "at_most", 5.0)
        .build();
    let case = Case::new(
        &plan_text,
        "[process.u]\nmodel = \"level\"\nvalue = { dist = \"normal\", mean = 5.3, sd = 0.4 }\n",
    );
    let o = goal::Options {
        runs: 20_000,
        seed: 2,
        threads: None,
        levels: vec![0.5],
        confidences: vec![0.8],
        input: None,
    };
    let g = goal::goal(&case.model(), &["u_max".into()], &o).unwrap();
    let s = &g.targets[0].solutions[0];
    assert!((s.mean.unwrap() - 5.0).abs() < 4.0 * 1.2533 * 0.4 / (20_000f64).sqrt());
    assert!(s.shift.unwrap() < 0.0);
    assert!(!g.targets[0].higher_is_met);
    // An unknown --input is refused.
    let o2 = goal::Options {
        input: Some("nope".into()),
        ..o
    };
    assert!(goal::goal(&case.model(), &["u_max".into()], &o2).is_err());
}

// ---------------------------------------------------------------- CLI

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn cli_compare_writes_files_and_refuses_mismatched_plans() {
    let (case, paths) = cases(&[0.06, 0.08]);
    let out = case.path("cmp");
    let args = |extra: &[&str]| {
        let mut v = vec![
            "compare",
            paths[0].to_str().unwrap(),
            paths[1].to_str().unwrap(),
        ];
        v.extend_from_slice(extra);
        v.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let a = args(&["--runs", "5000", "--out", out.to_str().unwrap(), "--quiet"]);
    let o = attain(
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
        case.dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("gdp_growth") && stdout.contains("Common random numbers"));
    assert!(stdout.contains("Newcombe"));
    for f in [
        "compare.json",
        "compare.csv",
        "compare.md",
        CHART_COMPARE,
        "compare.png",
    ] {
        assert!(out.join(f).is_file(), "{f} written");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("compare.json")).unwrap()).unwrap();
    assert_eq!(json["scenarios"].as_array().unwrap().len(), 2);

    // Each format on stdout.
    for fmt in ["json", "csv", "md"] {
        let a = args(&[
            "--runs",
            "4096",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
            "--format",
            fmt,
        ]);
        let o = attain(
            &a.iter().map(String::as_str).collect::<Vec<_>>(),
            case.dir.path(),
        );
        assert!(o.status.success(), "{fmt}: {}", stderr(&o));
        assert!(!o.stdout.is_empty());
    }

    // A scenario of another plan is refused with exit code 2, naming both files.
    let other_plan = test_plan()
        .replace("id = \"urban_2025\"", "id = \"urban_2026\"")
        .replace("id = \"test\"", "id = \"other\"");
    case.write("other-plan.toml", &other_plan);
    let other = case.write(
        "other.toml",
        &format!("plan = \"other-plan.toml\"\n{}", scenario(0.07)),
    );
    let o = attain(
        &[
            "compare",
            paths[0].to_str().unwrap(),
            other.to_str().unwrap(),
            "--out",
            case.path("bad").to_str().unwrap(),
        ],
        case.dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("other.toml") && e.contains("s0.toml") && e.contains("same plan"),
        "{e}"
    );
    assert!(!case.path("bad").exists(), "nothing written on bad input");

    // One scenario is a usage error.
    let o = attain(&["compare", paths[0].to_str().unwrap()], case.dir.path());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn cli_sensitivity_and_goal() {
    let case = Case::new(&test_plan(), &scenario(0.07));
    let sc = case.scenario();
    let out = case.path("sens");
    let o = attain(
        &[
            "sensitivity",
            sc.to_str().unwrap(),
            "--runs",
            "4096",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ],
        case.dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "sensitivity.json",
        "sensitivity.csv",
        "rank-correlations.csv",
        "sensitivity.md",
        CHART_TORNADO,
        CHART_TORNADO_PNG,
    ] {
        assert!(out.join(f).is_file(), "{f} written");
    }
    for bad in [
        vec!["--method", "sobol", "--target", "no_such_target"],
        vec!["--swing", "0"],
        vec!["--swing", "1.5"],
        vec!["--target", "no_such_target"],
        vec!["--threads", "0"],
    ] {
        let mut a = vec![
            "sensitivity",
            sc.to_str().unwrap(),
            "--runs",
            "4096",
            "--quiet",
        ];
        a.extend(bad.iter().copied());
        let o = attain(&a, case.dir.path());
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
    }

    let out = case.path("goal");
    let o = attain(
        &[
            "goal",
            sc.to_str().unwrap(),
            "urban_2025",
            "--runs",
            "4096",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ],
        case.dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "goal.json",
        "goal.csv",
        "attainment-curve.csv",
        "goal.md",
        CHART_PTA,
        CHART_PTA_PNG,
    ] {
        assert!(out.join(f).is_file(), "{f} written");
    }
    for bad in [
        vec!["no_such_target"],
        vec!["urban_2025", "--p", "1.5"],
        vec!["urban_2025", "--input", "nope"],
    ] {
        let mut a = vec!["goal", sc.to_str().unwrap(), "--runs", "4096", "--quiet"];
        a.extend(bad.iter().copied());
        let o = attain(&a, case.dir.path());
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
    }
}

#[test]
fn cli_analysis_commands_run_on_the_shipped_zhumadian_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let s = |n: &str| format!("scenarios/zhumadian-{n}.toml");
    let o = attain(
        &[
            "compare",
            &s("baseline"),
            &s("optimistic"),
            &s("pessimistic"),
            "--runs",
            "4096",
            "--out",
            dir.path().join("c").to_str().unwrap(),
            "--quiet",
        ],
        &repo(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = attain(
        &[
            "goal",
            &s("baseline"),
            "gdp_growth",
            "--runs",
            "4096",
            "--out",
            dir.path().join("g").to_str().unwrap(),
            "--quiet",
        ],
        &repo(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [
        "c/compare.svg",
        "c/compare.png",
        "g/attainment-curve-gdp_growth.svg",
        "g/attainment-curve-gdp_growth.png",
        "g/goal.json",
    ] {
        assert!(dir.path().join(f).is_file(), "{f}");
    }
}

#[test]
fn overlaid_fans_draw_targets_in_colours_no_scenario_has() {
    // Zhumadian's three scenarios take vermillion, ink and blue; the reference fan chart colours
    // its first target vermillion too, which in the overlay read as the pessimistic median.
    let models: Vec<_> = ["pessimistic", "baseline", "optimistic"]
        .iter()
        .map(|s| load(&repo().join(format!("scenarios/zhumadian-{s}.toml"))))
        .collect();
    let c = compare::compare(&models, 4096, 3, None, &|_| {}).unwrap();
    let chart = attain::report::analyses::charts::compare_fan_chart(&c, "gdp").unwrap();
    use attain::report::charts::Layer;
    let (mut medians, mut targets) = (Vec::new(), Vec::new());
    for l in &chart.layers {
        if let Layer::Line { color, dashed, .. } = l {
            if *dashed { &mut targets } else { &mut medians }.push(*color);
        }
    }
    assert_eq!(medians.len(), 3, "one median per scenario");
    assert!(!targets.is_empty(), "GDP has targets");
    for t in &targets {
        assert!(
            !medians.contains(t),
            "target colour {t:?} is a scenario's: {medians:?}"
        );
    }
}
