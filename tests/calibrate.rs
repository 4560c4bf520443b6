//! `attain calibrate`: the fit recovers known parameters from outcomes drawn with them, the
//! leave-one-plan-out bookkeeping scores each plan with parameters fitted on the others only, and
//! the calibration file is deterministic and readable by `--calibration`.

mod common;
use attain::analysis::calibrate::{self, Options, ReviewPlan};
use attain::method::{Method, PARAMS};
use common::*;
use rand::{RngExt, SeedableRng};
use std::fmt::Write;

/// A synthetic review plan: `n` indicators of three kinds (shares, money-valued aggregates,
/// counts), each with one `at_least` target of varied ambition, a third of them binding. `actual`
/// is filled in by [`with_outcomes`].
fn synthetic_plan(id: &str, n: usize, outcomes: Option<&[bool]>) -> String {
    let mut s = format!(
        "[plan]\nid = \"{id}\"\ntitle = \"synthetic review plan\"\nbase_year = 2015\ntarget_year = 2020\n"
    );
    for i in 0..n {
        let (unit, base, target) = match i % 3 {
            0 => (
                "%",
                40.0 + (i % 7) as f64,
                40.0 + (i % 7) as f64 + 0.5 * (i % 9) as f64,
            ),
            1 => (
                "100m yuan",
                100.0,
                100.0 * (1.0 + 0.01 * (i % 13) as f64).powi(5),
            ),
            _ => ("count", 50.0, 50.0 * (1.0 + 0.02 * (i % 11) as f64).powi(5)),
        };
        let attribute = if i % 3 == 2 && i % 2 == 0 {
            "binding"
        } else {
            "expected"
        };
        let _ = write!(
            s,
            "\n[[indicator]]\nid = \"x{i}\"\nname = \"x{i}\"\nunit = \"{unit}\"\nbase = {base}\nbetter = \"higher\"\n\n[[target]]\nid = \"t{i}\"\nindicator = \"x{i}\"\nmetric = \"level\"\nop = \"at_least\"\nvalue = {target}\nattribute = \"{attribute}\"\n"
        );
        if let Some(o) = outcomes {
            // Far on the met or missed side of the rule.
            let actual = if o[i] { target * 2.0 } else { target * 0.5 };
            let _ = writeln!(s, "actual = {actual}");
        }
    }
    s
}

fn review_plan(dir: &std::path::Path, name: &str, text: &str) -> ReviewPlan {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    calibrate::read_inputs(&[path]).unwrap().remove(0)
}

/// Draws each target's outcome as Bernoulli(P(met | method)), P from 20 000 runs.
fn drawn_outcomes(dir: &std::path::Path, n: usize, truth: &Method, seed: u64) -> Vec<bool> {
    // P(met) does not need `actual`: draft the plan with dummy outcomes to read the probabilities.
    let dummy = vec![true; n];
    let rp = review_plan(dir, "probe.toml", &synthetic_plan("probe", n, Some(&dummy)));
    let o = calibrate::outcomes(&rp, truth, 20_000, 1, None).unwrap();
    assert_eq!(o.len(), n);
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    o.iter().map(|x| rng.random::<f64>() < x.p_met).collect()
}

#[test]
fn fit_recovers_known_parameters_within_its_intervals() {
    let dir = tempfile::tempdir().unwrap();
    let n = 300;
    let truth = Method {
        strength_binding: 0.9,
        strength_expected: 0.6,
        strength_market: 0.3,
        margin_binding: 1.5,
        margin_expected: 0.5,
        realism: 0.8,
        spread: 1.0,
    };
    let outcomes = drawn_outcomes(dir.path(), n, &truth, 42);
    let met = outcomes.iter().filter(|&&o| o).count();
    assert!(
        met > n / 5 && met < n * 4 / 5,
        "outcomes should be mixed: {met}/{n}"
    );
    let rp = review_plan(
        dir.path(),
        "synthetic.toml",
        &synthetic_plan("synthetic", n, Some(&outcomes)),
    );
    // Free: the expected targets' strength and margin, and realism; the rest held at the truth.
    let free = ["strength_expected", "margin_expected", "realism"];
    let v = truth.to_vec();
    let fixed: Vec<(usize, f64)> = PARAMS
        .iter()
        .enumerate()
        .filter(|(_, p)| !free.contains(&p.name))
        .map(|(i, _)| (i, v[i]))
        .collect();
    let opts = Options {
        runs: 4096,
        fixed,
        max_evaluations: 240,
        ..Options::default()
    };
    let fit = calibrate::fit(&[&rp], &opts).unwrap();
    for name in free {
        assert!(
            fit.intervals.iter().any(|iv| iv.name == name),
            "no interval for {name}"
        );
    }
    for iv in &fit.intervals {
        let k = PARAMS.iter().position(|p| p.name == iv.name).unwrap();
        assert!(
            iv.lo <= v[k] && v[k] <= iv.hi,
            "{}: truth {} outside [{}, {}] ({}), fitted {}",
            iv.name,
            v[k],
            iv.lo,
            iv.hi,
            iv.kind,
            iv.value
        );
        if free.contains(&iv.name) {
            assert!(
                iv.hi - iv.lo < PARAMS[k].hi - PARAMS[k].lo,
                "{}: an interval that says nothing",
                iv.name
            );
        }
    }
}

#[test]
fn leave_one_plan_out_fits_on_the_other_plans_only() {
    let dir = tempfile::tempdir().unwrap();
    let n = 30;
    let truth = Method::default();
    let plans: Vec<ReviewPlan> = (0..3)
        .map(|k| {
            let o = drawn_outcomes(dir.path(), n, &truth, 7 + k);
            review_plan(
                dir.path(),
                &format!("p{k}.toml"),
                &synthetic_plan(&format!("p{k}"), n, Some(&o)),
            )
        })
        .collect();
    let opts = Options {
        runs: 1024,
        score_runs: 2048,
        max_evaluations: 40,
        ..Options::default()
    };
    let c = calibrate::calibrate(&plans, &opts).unwrap();
    assert_eq!(c.leave_one_out.len(), 3);
    let mut pooled = 0;
    for (k, l) in c.leave_one_out.iter().enumerate() {
        let id = format!("p{k}");
        assert_eq!(l.plan, id);
        assert!(!l.fitted_on.contains(&id), "{id} fitted on itself");
        assert_eq!(l.fitted_on.len(), 2);
        // The left-out plan's probabilities are those of the others' fit …
        let others: Vec<&ReviewPlan> = plans.iter().filter(|p| p.plan.id != id).collect();
        let refit = calibrate::fit(&others, &opts).unwrap();
        assert_eq!(refit.method, l.method);
        let o = calibrate::outcomes(&plans[k], &refit.method, opts.score_runs, opts.seed, None)
            .unwrap();
        let p: Vec<f64> = o.iter().map(|x| x.p_met).collect();
        let q: Vec<f64> = l.outcomes.iter().map(|x| x.p_met).collect();
        assert_eq!(p, q);
        assert!(l.outcomes.iter().all(|x| x.plan == id));
        // … and its scores are computed from them.
        let brier = o
            .iter()
            .map(|x| (x.p_met - x.met as u8 as f64).powi(2))
            .sum::<f64>()
            / o.len() as f64;
        assert!((brier - l.scores.brier).abs() < 1e-12);
        pooled += l.scores.scored;
    }
    let pooled_scores = c.leave_one_out_pooled.as_ref().unwrap();
    assert_eq!(pooled_scores.scored, pooled);
    assert_eq!(pooled, 3 * n);
    // In sample: all plans, one fit.
    assert_eq!(c.in_sample.scored, 3 * n);
}

#[test]
fn calibration_file_is_deterministic_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let o = drawn_outcomes(dir.path(), 24, &Method::default(), 3);
    let plan = dir.path().join("review.toml");
    std::fs::write(&plan, synthetic_plan("review", 24, Some(&o))).unwrap();
    let run = |out: &str, threads: &str| {
        let r = attain(
            &[
                "calibrate",
                "review.toml",
                "--out",
                out,
                "--runs",
                "1024",
                "--score-runs",
                "2048",
                "--max-evaluations",
                "40",
                "--threads",
                threads,
            ],
            dir.path(),
        );
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        std::fs::read_to_string(dir.path().join(out).join("calibration.toml")).unwrap()
    };
    let a = run("a", "1");
    let b = run("b", "2");
    assert_eq!(a, b, "calibration must not depend on threads");
    assert!(a.contains("[method]") && a.contains("[interval]") && a.contains("[[data]]"));
    let m = attain::method::load_calibration(&dir.path().join("a/calibration.toml")).unwrap();
    assert!(m.out_of_range().is_none());
    // `--calibration` on a plan file: the init scenario drafted with it; P(met) for every target.
    let r = attain(
        &[
            "backtest",
            "review.toml",
            "--calibration",
            "a/calibration.toml",
            "--runs",
            "4096",
            "--out",
            "bt",
            "--format",
            "json",
            "--quiet",
        ],
        dir.path(),
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let j: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(j["scored"], 24);
    assert!(
        j["scores"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["forecaster"] == "attain")
    );
}

#[test]
fn bad_calibration_inputs_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // A plan without `actual` cannot be calibrated on.
    std::fs::write(dir.path().join("plan.toml"), synthetic_plan("p", 3, None)).unwrap();
    let r = attain(&["calibrate", "plan.toml", "--out", "o"], dir.path());
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("no target with an `actual` value"));
    assert!(!dir.path().join("o").exists());
    // --fix outside the range.
    let o = vec![true; 3];
    std::fs::write(
        dir.path().join("rev.toml"),
        synthetic_plan("r", 3, Some(&o)),
    )
    .unwrap();
    let r = attain(
        &["calibrate", "rev.toml", "--fix", "strength_binding=2"],
        dir.path(),
    );
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("outside [0, 1]"));
    // A calibration file with a parameter out of range.
    let bad = dir.path().join("bad.toml");
    let mut text = String::from("[method]\n");
    for p in PARAMS {
        let _ = writeln!(
            text,
            "{} = {}",
            p.name,
            if p.name == "spread" { 99.0 } else { 0.5 }
        );
    }
    std::fs::write(&bad, text).unwrap();
    let r = attain(
        &[
            "run",
            "rev.toml",
            "--calibration",
            "bad.toml",
            "--runs",
            "100",
        ],
        dir.path(),
    );
    assert_eq!(r.status.code(), Some(2));
    let e = String::from_utf8_lossy(&r.stderr);
    assert!(e.contains("`spread` = 99 is outside"), "{e}");
}
