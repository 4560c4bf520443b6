//! Sampling designs on a closed-form case: each must be unbiased (the mean over independent seeds
//! matches the exact probability) and LHS and scrambled Sobol must not have a larger spread than
//! plain Monte Carlo at equal runs. The measured spreads are printed (the README quotes them).

mod common;
use attain::engine::sampling::Sampling;
use attain::engine::{self, RunOptions};
use attain::model::special::norm_cdf;
use common::*;

fn case() -> Case {
    // x_5 = 50 + Σ d_t, d_t ~ N(1.2, 0.5²); P(x_5 ≥ 56.5) = 1 − Φ(0.5 / √1.25). A correlated
    // second indicator and a shock make the design use the copula and shock rows too.
    Case::new(
        &PlanBuilder::new()
            .indicator("urban", "urban", 50.0, "higher")
            .indicator("gdp", "gdp", 100.0, "higher")
            .target("u", "urban", "level", "at_least", 56.5)
            .target("g", "gdp", "cagr", "at_least", 0.06)
            .build(),
        r#"
[process.urban]
model = "increment"
step = { dist = "normal", mean = 1.2, sd = 0.5 }

[process.gdp]
model = "growth"
rate = { dist = "triangular", min = 0.03, mode = 0.065, max = 0.08 }

[[correlation]]
between = ["urban", "gdp"]
rho = 0.4
"#,
    )
}

fn spread(model: &attain::model::Model, sampling: Sampling, runs: u64, reps: u64) -> (f64, f64) {
    let est: Vec<f64> = (0..reps)
        .map(|seed| {
            let opts = RunOptions {
                runs,
                seed: 1000 + seed,
                threads: None,
                shard: None,
                sampling,
            };
            let acc = engine::run(model, &opts, &|_| {}).expect("run");
            acc.hits[0] as f64 / acc.runs as f64
        })
        .collect();
    let mean = est.iter().sum::<f64>() / reps as f64;
    let var = est.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / (reps - 1) as f64;
    (mean, var.sqrt())
}

#[test]
fn designs_are_unbiased_and_lhs_sobol_reduce_the_spread() {
    let model = case().model();
    let truth = 1.0 - norm_cdf(0.5 / 1.25f64.sqrt());
    let (runs, reps) = (16_384u64, 24u64);
    let mut sds = Vec::new();
    for s in [Sampling::Mc, Sampling::Lhs, Sampling::Sobol] {
        let (mean, sd) = spread(&model, s, runs, reps);
        println!(
            "{:>5}: mean {mean:.5} (exact {truth:.5}), sd over {reps} seeds {sd:.5}",
            s.name()
        );
        // Unbiased: the mean of `reps` estimates lies within 4 of its standard errors (the MC
        // binomial standard error bounds every design's error from above).
        let se_mc = (truth * (1.0 - truth) / runs as f64).sqrt();
        assert!(
            (mean - truth).abs()
                <= 4.0 * se_mc / (reps as f64).sqrt() + 4.0 * sd / (reps as f64).sqrt(),
            "{} biased: {mean} vs {truth}",
            s.name()
        );
        sds.push(sd);
    }
    // Spread of plain MC matches the binomial standard error within sampling variation of an sd.
    let se_mc = (truth * (1.0 - truth) / runs as f64).sqrt();
    assert!(
        sds[0] > 0.6 * se_mc && sds[0] < 1.5 * se_mc,
        "mc sd {} vs binomial {se_mc}",
        sds[0]
    );
    assert!(
        sds[1] < sds[0],
        "lhs should not be noisier than mc: {} vs {}",
        sds[1],
        sds[0]
    );
    assert!(
        sds[2] < sds[0],
        "sobol should not be noisier than mc: {} vs {}",
        sds[2],
        sds[0]
    );
}

#[test]
fn designs_are_thread_and_shard_invariant() {
    let model = case().model();
    for s in [Sampling::Lhs, Sampling::Sobol] {
        let opts = RunOptions {
            runs: 70_000,
            seed: 5,
            threads: Some(1),
            shard: None,
            sampling: s,
        };
        let one = engine::run(&model, &opts, &|_| {}).unwrap();
        let two = engine::run(
            &model,
            &RunOptions {
                threads: Some(2),
                ..opts
            },
            &|_| {},
        )
        .unwrap();
        assert_eq!(one, two);
        let mut merged = engine::Accumulator::new(engine::layout(&model));
        for k in 1..=3 {
            merged.merge(
                &engine::run(
                    &model,
                    &RunOptions {
                        shard: Some((k, 3)),
                        ..opts
                    },
                    &|_| {},
                )
                .unwrap(),
            );
        }
        assert_eq!(one, merged);
    }
}

#[test]
fn precision_stops_deterministically_below_the_half_width() {
    let ex = repo().join("tests/fixtures/example.toml");
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("p{threads}"));
        let o = attain(
            &[
                "run",
                ex.to_str().unwrap(),
                "--precision",
                "0.004",
                "--threads",
                threads,
                "--out",
                out.to_str().unwrap(),
                "--quiet",
            ],
            &repo(),
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        bytes.push(std::fs::read(out.join("results.json")).unwrap());
    }
    assert_eq!(bytes[0], bytes[1]);
    let r: serde_json::Value = serde_json::from_slice(&bytes[0]).unwrap();
    let runs = r["runs"].as_u64().unwrap();
    assert_eq!(runs % (8 * 4096), 0, "stops at a batch boundary");
    assert_eq!(r["stopping"]["reason"], "precision_reached");
    let targets = r["targets"].as_array().unwrap();
    assert!(!targets.is_empty());
    for t in targets {
        let (lo, hi) = (
            t["p_met"]["lo"].as_f64().unwrap(),
            t["p_met"]["hi"].as_f64().unwrap(),
        );
        assert!((hi - lo) / 2.0 < 0.004);
    }
    // One batch fewer would not have been precise enough for some target.
    let fewer = attain::scenario::load_scenario(&ex).unwrap();
    let opts = RunOptions {
        runs: runs - 8 * 4096,
        seed: fewer.scenario.seed,
        threads: None,
        shard: None,
        sampling: Sampling::Mc,
    };
    let acc = engine::run(&fewer, &opts, &|_| {}).unwrap();
    let worst = acc
        .hits
        .iter()
        .map(|&h| {
            let (lo, hi) = attain::results::wilson(h, acc.runs);
            (hi - lo) / 2.0
        })
        .fold(0.0, f64::max);
    assert!(worst >= 0.004, "stopped late: {worst}");
    // --max-runs caps it.
    let out = dir.path().join("cap");
    let o = attain(
        &[
            "run",
            ex.to_str().unwrap(),
            "--precision",
            "0.0001",
            "--max-runs",
            "40000",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ],
        &repo(),
    );
    assert!(o.status.success());
    let r: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(r["runs"], 40000);
    assert_eq!(r["stopping"]["reason"], "max_runs");
}
