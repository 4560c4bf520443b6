//! Generative robustness test: mutated copies of the worked example (delete or duplicate lines,
//! swap characters, insert random bytes, replace numbers by extreme values, truncate) must never
//! make attain panic, and must end either in a result or in an input error (exit code 2).
//!
//! Most cases run in-process through the library (load, simulate a few hundred runs, build and
//! render the results, render any error) for speed; a smaller number go through the binary to check
//! exit codes and stderr. The random seed is fixed so that CI is reproducible; set
//! `PROPTEST_RNG_SEED` (and `PROPTEST_CASES`) to explore further.

mod common;
use attain::engine::{self, RunOptions};
use attain::report::{self, Format};
use common::{attain, repo};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use std::path::Path;

/// Numbers that break naive arithmetic or parsing.
const EXTREMES: &[&str] = &[
    "0",
    "-0.0",
    "-1",
    "1e308",
    "-1e308",
    "1e-320",
    "1e400",
    "nan",
    "inf",
    "-inf",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "4294967296",
    "0.9999999999",
    "2200",
    "1899",
];

/// One edit of a text file.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapChars(usize, usize),
    InsertBytes(usize, Vec<u8>),
    ExtremeNumber(usize, usize),
    Truncate(usize),
    ReplaceByte(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapChars(a, b)),
        (
            any::<usize>(),
            prop::collection::vec(
                prop_oneof![
                    any::<u8>(),
                    prop::sample::select(b"[]{}=\"'\n,.#-0123456789".to_vec())
                ],
                1..6
            )
        )
            .prop_map(|(a, b)| Mutation::InsertBytes(a, b)),
        (any::<usize>(), 0..EXTREMES.len()).prop_map(|(a, b)| Mutation::ExtremeNumber(a, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::ReplaceByte(a, b)),
    ]
}

/// Byte ranges of the numbers in a text (a digit run with signs, dots, exponents, underscores).
fn numbers(text: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let starts = text[i].is_ascii_digit()
            && (i == 0 || !(text[i - 1].is_ascii_alphanumeric() || text[i - 1] == b'_'));
        if starts {
            let s = if i > 0 && text[i - 1] == b'-' {
                i - 1
            } else {
                i
            };
            let mut j = i;
            while j < text.len() && (text[j].is_ascii_digit() || b"._eE+-".contains(&text[j])) {
                j += 1;
            }
            out.push(s..j);
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

fn apply(text: &mut Vec<u8>, m: &Mutation) {
    let lines = |t: &[u8]| -> Vec<std::ops::Range<usize>> {
        let mut v = Vec::new();
        let mut s = 0;
        for (i, b) in t.iter().enumerate() {
            if *b == b'\n' {
                v.push(s..i + 1);
                s = i + 1;
            }
        }
        if s < t.len() {
            v.push(s..t.len());
        }
        v
    };
    let n = text.len().max(1);
    match m {
        Mutation::DeleteLine(k) | Mutation::DuplicateLine(k) => {
            let ls = lines(text);
            if ls.is_empty() {
                return;
            }
            let r = ls[k % ls.len()].clone();
            if matches!(m, Mutation::DeleteLine(_)) {
                text.drain(r);
            } else {
                let copy = text[r.clone()].to_vec();
                text.splice(r.start..r.start, copy);
            }
        }
        Mutation::SwapChars(a, b) => {
            if !text.is_empty() {
                text.swap(a % n, b % n);
            }
        }
        Mutation::InsertBytes(at, bytes) => {
            let at = at % (text.len() + 1);
            text.splice(at..at, bytes.iter().copied());
        }
        Mutation::ExtremeNumber(k, e) => {
            let ns = numbers(text);
            if !ns.is_empty() {
                let r = ns[k % ns.len()].clone();
                text.splice(r, EXTREMES[*e].bytes());
            }
        }
        Mutation::Truncate(at) => text.truncate(at % n),
        Mutation::ReplaceByte(at, b) => {
            if !text.is_empty() {
                text[at % n] = *b;
            }
        }
    }
}

/// The example plan and scenario with `muts` applied to one of them, in a temporary directory.
fn stage(muts: &[Mutation], on_plan: bool) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fx = repo().join("tests/fixtures");
    let mut plan = std::fs::read(fx.join("example-plan.toml")).expect("plan");
    let mut scen = std::fs::read(fx.join("example.toml")).expect("scenario");
    let target = if on_plan { &mut plan } else { &mut scen };
    for m in muts {
        apply(target, m);
    }
    std::fs::write(tmp.path().join("example-plan.toml"), plan).expect("write");
    std::fs::write(tmp.path().join("example.toml"), scen).expect("write");
    tmp
}

/// Loads, checks, simulates and renders in-process; any panic fails the property.
fn exercise(dir: &Path) -> Result<(), TestCaseError> {
    let scen = dir.join("example.toml");
    for f in [&scen, &dir.join("example-plan.toml")] {
        if let Err(e) = attain::scenario::check_file(f) {
            prop_assert_eq!(e.exit_code(), 2, "check: not an input error: {}", e);
            let _ = e.to_string();
        }
    }
    match attain::scenario::load_scenario(&scen) {
        Err(e) => {
            prop_assert_eq!(e.exit_code(), 2, "not an input error: {}", e);
            let shown = e.to_string();
            prop_assert!(shown.contains("help:"), "no hint: {}", shown);
        }
        Ok(mut model) => {
            model.scenario.runs = 300;
            let opts = RunOptions {
                runs: 300,
                seed: model.scenario.seed,
                threads: Some(1),
                shard: None,
                sampling: Default::default(),
            };
            let acc = engine::run(&model, &opts, &|_| {})
                .map_err(|e| TestCaseError::fail(format!("a valid model failed to run: {e}")))?;
            let r = attain::results::build(&model, &acc);
            for f in [Format::Table, Format::Json, Format::Csv, Format::Md] {
                let _ = report::render(&r, f);
            }
            let _ = report::csv::fan(&r);
        }
    }
    Ok(())
}

fn config(cases: u32) -> Config {
    let mut c = Config::with_cases(cases);
    c.failure_persistence = None;
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = RngSeed::Fixed(0x00a7_7a1e);
    }
    if let Some(n) = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        c.cases = n;
    }
    c
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn mutated_inputs_never_panic_in_the_library(
        muts in prop::collection::vec(mutation(), 1..4),
        on_plan in any::<bool>(),
    ) {
        let tmp = stage(&muts, on_plan);
        exercise(tmp.path())?;
    }
}

proptest! {
    #![proptest_config(config(16))]

    #[test]
    fn mutated_inputs_exit_with_0_or_2_from_the_binary(
        muts in prop::collection::vec(mutation(), 1..4),
        on_plan in any::<bool>(),
    ) {
        let tmp = stage(&muts, on_plan);
        let d = tmp.path();
        for args in [
            &["run", "example.toml", "--runs", "300", "--out", "out", "--quiet"][..],
            &["check", "example.toml", "example-plan.toml"][..],
        ] {
            let o = attain(args, d);
            let err = String::from_utf8_lossy(&o.stderr);
            prop_assert!(
                matches!(o.status.code(), Some(0 | 2)),
                "{:?}: exit {:?}\n{}", args, o.status.code(), err
            );
            prop_assert!(!err.contains("panicked"), "{}", err);
            if args[0] == "run" && o.status.code() == Some(2) {
                prop_assert!(!d.join("out").exists(), "output written on bad input");
            }
        }
    }
}

#[test]
fn mutations_do_what_they_say() {
    let mut t = b"a = 1\nb = -2.5e3\n".to_vec();
    assert_eq!(numbers(&t), vec![4..5, 10..16]);
    apply(&mut t, &Mutation::ExtremeNumber(1, 7));
    assert_eq!(t, b"a = 1\nb = nan\n");
    apply(&mut t, &Mutation::DuplicateLine(0));
    assert_eq!(t, b"a = 1\na = 1\nb = nan\n");
    apply(&mut t, &Mutation::DeleteLine(2));
    assert_eq!(t, b"a = 1\na = 1\n");
    apply(&mut t, &Mutation::Truncate(3));
    assert_eq!(t, b"a =");
}
