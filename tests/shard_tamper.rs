//! `attain merge` refuses parts that do not belong together or were altered: each with exit code
//! 2, a message naming the offending file and what is wrong, no panic, and no output written.

mod common;
use common::{attain, repo};
use std::path::{Path, PathBuf};

const RUNS: &str = "20000";

fn example() -> String {
    repo()
        .join("tests/fixtures/example.toml")
        .to_string_lossy()
        .into_owned()
}

/// Runs shard `k/n` of `scenario` with extra arguments into `dir/name`.
fn shard(dir: &Path, scenario: &str, kn: &str, name: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut args = vec![
        "run",
        scenario,
        "--shard",
        kn,
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--runs",
        RUNS,
    ];
    args.extend(extra);
    // A later --runs wins: clap refuses repeats, so drop ours when the caller gives one.
    if extra.contains(&"--runs") {
        args.drain(7..9);
    }
    let o = attain(&args, dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

/// Merges `parts` and asserts a clean refusal mentioning `needle` and the file `culprit`.
fn refused(dir: &Path, parts: &[&Path], needle: &str, culprit: Option<&Path>) {
    let out = dir.join("merged-refused");
    let mut args: Vec<String> = vec!["merge".into()];
    args.extend(parts.iter().map(|p| p.to_string_lossy().into_owned()));
    args.extend(["--out".into(), out.to_string_lossy().into_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = attain(&args, dir);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{needle}: stderr:\n{err}");
    assert!(err.contains(needle), "expected {needle:?} in:\n{err}");
    assert!(err.contains("help:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    if let Some(c) = culprit {
        let name = c.file_name().unwrap().to_string_lossy();
        assert!(err.contains(name.as_ref()), "should name {name}:\n{err}");
    }
    assert!(!out.exists(), "{needle}: nothing may be written");
}

fn edit_json(src: &Path, dst: &Path, f: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(src).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(dst, serde_json::to_vec(&v).unwrap()).unwrap();
    dst.to_path_buf()
}

/// Re-signs an edited part so that the structural checks behind the checksum are reached.
fn forge(path: &Path) {
    let mut p: attain::shard::Part = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    p.checksum = p.digest();
    std::fs::write(path, p.to_json().unwrap()).unwrap();
}

#[test]
fn mismatched_and_tampered_parts_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let ex = example();
    let p1 = shard(d, &ex, "1/3", "p1.json", &[]);
    let p2 = shard(d, &ex, "2/3", "p2.json", &[]);
    let p3 = shard(d, &ex, "3/3", "p3.json", &[]);

    // The honest set merges.
    let ok = d.join("ok");
    let o = attain(
        &[
            "merge",
            p1.to_str().unwrap(),
            p2.to_str().unwrap(),
            p3.to_str().unwrap(),
            "--out",
            ok.to_str().unwrap(),
            "--quiet",
        ],
        d,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // Edited counts: the checksum no longer matches.
    let edited = edit_json(&p2, &d.join("edited.json"), |v| {
        let h = &mut v["accumulator"]["hits"][0];
        *h = serde_json::json!(h.as_u64().unwrap() + 1);
    });
    refused(d, &[&p1, &edited, &p3], "was altered", Some(&edited));

    // Edited and re-signed, but impossible: more hits than runs.
    let forged = edit_json(&p2, &d.join("forged.json"), |v| {
        v["accumulator"]["hits"][0] = serde_json::json!(u64::MAX);
    });
    forge(&forged);
    refused(d, &[&p1, &forged, &p3], "impossible", Some(&forged));

    // Re-signed with a run count that does not match the shard's share of the runs.
    let resized = edit_json(&p2, &d.join("resized.json"), |v| {
        v["accumulator"]["runs"] = serde_json::json!(9000);
    });
    forge(&resized);
    refused(d, &[&p1, &resized, &p3], "does not match", Some(&resized));

    // A different seed, run count, N; another scenario.
    let seed = shard(d, &ex, "2/3", "seed.json", &["--seed", "99"]);
    refused(d, &[&p1, &seed, &p3], "seed differs", Some(&seed));
    let runs = shard(d, &ex, "2/3", "runs.json", &["--runs", "30000"]);
    refused(d, &[&p1, &runs, &p3], "runs differs", Some(&runs));
    let four = shard(d, &ex, "2/4", "four.json", &[]);
    refused(d, &[&p1, &four, &p3], "shard count N differs", Some(&four));
    let other_dir = d.join("other");
    std::fs::create_dir_all(&other_dir).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/example-plan.toml"),
        other_dir.join("example-plan.toml"),
    )
    .unwrap();
    let text = std::fs::read_to_string(&ex).unwrap();
    let other = other_dir.join("example.toml");
    std::fs::write(&other, text.replace("sd = 0.012", "sd = 0.02")).unwrap();
    let foreign = shard(d, other.to_str().unwrap(), "2/3", "foreign.json", &[]);
    refused(d, &[&p1, &foreign, &p3], "hash differs", Some(&foreign));

    // Garbage of every kind.
    let garbage = d.join("garbage.json");
    std::fs::write(&garbage, "this is not JSON {").unwrap();
    refused(
        d,
        &[&p1, &garbage, &p3],
        "not an attain part file",
        Some(&garbage),
    );
    let bytes = std::fs::read(&p2).unwrap();
    let truncated = d.join("truncated.json");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    refused(
        d,
        &[&p1, &truncated, &p3],
        "not an attain part file",
        Some(&truncated),
    );
    let empty = d.join("empty.json");
    std::fs::write(&empty, "").unwrap();
    refused(
        d,
        &[&p1, &empty, &p3],
        "not an attain part file",
        Some(&empty),
    );
    let deep = d.join("deep.json");
    std::fs::write(&deep, "[".repeat(200_000)).unwrap();
    refused(
        d,
        &[&p1, &deep, &p3],
        "not an attain part file",
        Some(&deep),
    );
    let binary = d.join("binary.json");
    std::fs::write(&binary, [0xffu8, 0xfe, 0x00, 0x01, 0x80]).unwrap();
    refused(
        d,
        &[&p1, &binary, &p3],
        "not an attain part file",
        Some(&binary),
    );
    let huge = edit_json(&p2, &d.join("huge.json"), |v| {
        v["shards"] = serde_json::json!(1e30);
    });
    refused(
        d,
        &[&p1, &huge, &p3],
        "not an attain part file",
        Some(&huge),
    );
    let n0 = edit_json(&p2, &d.join("n0.json"), |v| {
        v["shards"] = serde_json::json!(u64::MAX);
        v["shard"] = serde_json::json!(u64::MAX);
    });
    forge(&n0);
    refused(d, &[&n0], "impossible", Some(&n0));
    refused(d, &[&d.join("absent.json")], "cannot read", None);

    // The scenario changed after the shards ran.
    let moved = d.join("moved");
    std::fs::create_dir_all(&moved).unwrap();
    std::fs::copy(
        other_dir.join("example-plan.toml"),
        moved.join("example-plan.toml"),
    )
    .unwrap();
    let sc = moved.join("s.toml");
    std::fs::write(&sc, &text).unwrap();
    let a = shard(d, sc.to_str().unwrap(), "1/1", "a.json", &[]);
    std::fs::write(&sc, text.replace("seed = 2025", "seed = 2026")).unwrap();
    refused(d, &[&a], "changed since the shards were run", None);
}

/// Honest parts of the example (3 shards of 9000 runs), written once per test binary.
fn honest_parts() -> &'static (tempfile::TempDir, Vec<Vec<u8>>) {
    static PARTS: std::sync::OnceLock<(tempfile::TempDir, Vec<Vec<u8>>)> =
        std::sync::OnceLock::new();
    PARTS.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let ex = repo().join("tests/fixtures/example.toml");
        let mut model = attain::scenario::load_scenario(&ex).unwrap();
        model.scenario.runs = 9000;
        let parts = (1..=3)
            .map(|k| {
                let opts = attain::engine::RunOptions {
                    runs: 9000,
                    seed: model.scenario.seed,
                    threads: Some(1),
                    shard: Some((k, 3)),
                    sampling: Default::default(),
                };
                let acc = attain::engine::run(&model, &opts, &|_| {}).unwrap();
                attain::shard::Part::new(&model, k, 3, acc)
                    .to_json()
                    .unwrap()
            })
            .collect();
        (tmp, parts)
    })
}

/// JSON pointers to every numeric leaf of a value.
fn number_paths(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Number(_) => out.push(at),
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                number_paths(x, format!("{at}/{i}"), out);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                number_paths(x, format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
}

use proptest::prelude::*;

proptest! {
    #![proptest_config({
        let mut c = proptest::test_runner::Config::with_cases(64);
        c.failure_persistence = None;
        if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
            c.rng_seed = proptest::test_runner::RngSeed::Fixed(0x5ba2d);
        }
        c
    })]

    /// Hostile part files (random byte edits, or a number changed and the checksum re-signed)
    /// never make `merge` panic: it merges or refuses with an input error.
    #[test]
    fn merge_never_panics_on_hostile_parts(
        which in 0usize..3,
        byte_edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..3),
        number_edit in prop::option::of((any::<usize>(), prop_oneof![
            Just(0u64), Just(1), Just(u64::MAX), Just(1 << 63), any::<u64>()
        ])),
    ) {
        let (tmp, parts) = honest_parts();
        let case = tempfile::tempdir_in(tmp.path()).unwrap();
        let mut bytes = parts.clone();
        let target = &mut bytes[which];
        if let Some((k, x)) = number_edit {
            let mut v: serde_json::Value = serde_json::from_slice(target).unwrap();
            let mut leaves = Vec::new();
            number_paths(&v, String::new(), &mut leaves);
            if let Some(leaf) = v.pointer_mut(&leaves[k % leaves.len()]) {
                *leaf = serde_json::json!(x);
            }
            if let Ok(mut p) = serde_json::from_value::<attain::shard::Part>(v.clone()) {
                p.checksum = p.digest();
                *target = p.to_json().unwrap();
            } else {
                *target = serde_json::to_vec(&v).unwrap();
            }
        }
        for (at, b) in &byte_edits {
            let n = target.len();
            target[at % n] = *b;
        }
        let paths: Vec<PathBuf> = bytes
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let p = case.path().join(format!("part-{i}.json"));
                std::fs::write(&p, b).unwrap();
                p
            })
            .collect();
        match attain::shard::merge(&paths) {
            Ok((model, acc)) => {
                let r = attain::results::build(&model, &acc);
                let _ = attain::report::json::to_json(&r);
            }
            Err(e) => prop_assert_eq!(e.exit_code(), 2, "{}", e),
        }
    }
}
