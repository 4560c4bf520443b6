//! Same inputs and seed → byte-identical results.json, for any thread count, on repeated runs,
//! and for any shard split merged afterwards.

mod common;
use common::*;

fn example() -> std::path::PathBuf {
    repo().join("tests/fixtures/example.toml")
}

#[test]
fn threads_and_repeats_give_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for (k, threads) in ["1", "2", "2", "3"].iter().enumerate() {
        let out = dir.path().join(format!("o{k}"));
        let o = attain(
            &[
                "run",
                example().to_str().unwrap(),
                "--runs",
                "30000",
                "--threads",
                threads,
                "--out",
                out.to_str().unwrap(),
                "--quiet",
            ],
            &repo(),
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        outputs.push(std::fs::read(out.join("results.json")).unwrap());
    }
    for o in &outputs[1..] {
        assert_eq!(&outputs[0], o);
    }
    // A different seed gives different numbers.
    let out = dir.path().join("seeded");
    let o = attain(
        &[
            "run",
            example().to_str().unwrap(),
            "--runs",
            "30000",
            "--seed",
            "99",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ],
        &repo(),
    );
    assert!(o.status.success());
    assert_ne!(outputs[0], std::fs::read(out.join("results.json")).unwrap());
}

#[test]
fn shards_merge_to_the_single_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let single = dir.path().join("single");
    let ex = example();
    let ex = ex.to_str().unwrap();
    let o = attain(
        &[
            "run",
            ex,
            "--runs",
            "50000",
            "--out",
            single.to_str().unwrap(),
            "--quiet",
        ],
        &repo(),
    );
    assert!(o.status.success());
    let want = std::fs::read(single.join("results.json")).unwrap();
    for n in [1u64, 3, 7] {
        let mut parts = Vec::new();
        for k in 1..=n {
            let part = dir.path().join(format!("part-{k}-of-{n}.json"));
            let shard = format!("{k}/{n}");
            let o = attain(
                &[
                    "run",
                    ex,
                    "--runs",
                    "50000",
                    "--shard",
                    &shard,
                    "--out",
                    part.to_str().unwrap(),
                    "--quiet",
                ],
                &repo(),
            );
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            parts.push(part.to_str().unwrap().to_string());
        }
        let merged = dir.path().join(format!("merged-{n}"));
        let mut args = vec!["merge".to_string()];
        args.extend(parts.iter().cloned());
        args.extend([
            "--out".into(),
            merged.to_str().unwrap().into(),
            "--quiet".into(),
        ]);
        let args: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
        let o = attain(&args, &repo());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(
            want,
            std::fs::read(merged.join("results.json")).unwrap(),
            "N = {n}"
        );
        if n == 3 {
            // A missing shard and a duplicated shard are refused.
            let o = attain(
                &[
                    "merge",
                    &parts[0],
                    &parts[1],
                    "--out",
                    dir.path().join("x").to_str().unwrap(),
                ],
                &repo(),
            );
            assert_eq!(o.status.code(), Some(2));
            assert!(String::from_utf8_lossy(&o.stderr).contains("missing"));
            let o = attain(
                &[
                    "merge",
                    &parts[0],
                    &parts[0],
                    &parts[1],
                    &parts[2],
                    "--out",
                    dir.path().join("x").to_str().unwrap(),
                ],
                &repo(),
            );
            assert_eq!(o.status.code(), Some(2));
            assert!(String::from_utf8_lossy(&o.stderr).contains("twice"));
            assert!(!dir.path().join("x").exists());
        }
    }
}

#[test]
fn library_runs_are_thread_invariant() {
    let model = attain::scenario::load_scenario(&example()).unwrap();
    let a = run_model(&model, 20_000, 5, Some(1));
    let b = run_model(&model, 20_000, 5, Some(2));
    assert_eq!(
        attain::report::json::to_json(&a),
        attain::report::json::to_json(&b)
    );
}

#[test]
fn lockstep_runs_match_single_runs_and_pair_path_for_path() {
    use attain::engine::{self, RunOptions, Variant};
    let model = attain::scenario::load_scenario(&example()).unwrap();
    let opts = RunOptions {
        runs: 10_000,
        seed: 3,
        threads: Some(2),
        shard: None,
        sampling: Default::default(),
    };
    let single = engine::run(&model, &opts, &|_| {}).unwrap();
    let v = [
        Variant {
            model: &model,
            seeds: None,
        },
        Variant {
            model: &model,
            seeds: None,
        },
    ];
    // Count runs where the two copies disagree on any target: common random numbers make it zero.
    let (accs, discordant) = engine::run_lockstep(
        &v,
        &opts,
        &|_, d| {
            d[0].met
                .iter()
                .zip(&d[1].met)
                .map(|(a, b)| a.iter().zip(b).filter(|(x, y)| x != y).count() as u64)
                .sum::<u64>()
        },
        &|a, b| a + b,
        &|| 0,
    )
    .unwrap();
    assert_eq!(discordant, 0);
    assert_eq!(accs[0], single);
    assert_eq!(accs[1], single);
    // Other seeds for every input give a different, independent run.
    let seeds = engine::StreamSeeds {
        draws: vec![99; model.draw_count],
        shocks: vec![99; model.shocks.len()],
    };
    let v = [Variant {
        model: &model,
        seeds: Some(&seeds),
    }];
    let (accs, _) = engine::run_lockstep(&v, &opts, &|_, _| (), &|_, _| (), &|| ()).unwrap();
    let reseeded = engine::run(&model, &RunOptions { seed: 99, ..opts }, &|_| {}).unwrap();
    assert_eq!(accs[0], reseeded);
}

/// Charts render on rayon's threads: a run's and a comparison's files (names, order and bytes) are
/// the same drawn on one thread as on several. `compare.html` prints the minute it was written, so
/// only its place in the list is compared.
#[test]
fn files_are_identical_for_any_rendering_thread_count() {
    use attain::report::export::{Export, RunReport};
    let load = |p: &str| attain::scenario::load_scenario(&repo().join(p)).unwrap();
    let models = vec![
        load("scenarios/zhumadian-baseline.toml"),
        load("scenarios/zhumadian-pessimistic.toml"),
    ];
    let comparison = attain::analysis::compare::compare(&models, 4096, 5, None, &|_| {}).unwrap();
    let example = attain::scenario::load_scenario(&example()).unwrap();
    let results = run_model(&example, 4096, 5, None);
    let run = RunReport {
        results: &results,
        generated: "2026-01-01 00:00 UTC".into(),
    };
    let files = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let mut files = run.files().unwrap();
            files.extend(
                comparison
                    .files()
                    .unwrap()
                    .into_iter()
                    .map(|(name, bytes)| {
                        let bytes = if name == "compare.html" {
                            Vec::new()
                        } else {
                            bytes
                        };
                        (name, bytes)
                    }),
            );
            files
        })
    };
    let one = files(1);
    assert!(one.len() > 200, "{} files", one.len());
    assert!(one.iter().any(|(n, _)| n.starts_with("compare-fan-")));
    assert!(
        one == files(3),
        "files differ between 1 and 3 rendering threads"
    );
}
