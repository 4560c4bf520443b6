//! The bad-input corpus: every directory under `tests/bad-inputs/` is one self-describing case.
//!
//! A case holds the input files (usually `plan.toml` and `scenario.toml`) and an `expect.toml`:
//!
//! ```toml
//! description = "sd < 0"
//! run = ["scenario.toml"]     # arguments of `attain run` (default: scenario.toml)
//! args = ["--runs", "0"]      # extra arguments for `run` only (default: none)
//! check = ["scenario.toml"]   # arguments of `attain check`; [] skips it (default: as `run`)
//! exit = 2                    # expected exit code: 2 (refused) or 0 (accepted)
//! file = "scenario.toml"      # the file the message must name …
//! line = 10                   # … at this line …
//! col = 8                     # … and column (omitted: the error concerns the whole line or file)
//! message = "must be ≥ 0"     # a fragment of the message
//! help = "[targets.x]"        # a fragment of the `help:` hint (optional)
//! ```
//!
//! Each case is copied into a fresh directory and run three ways: `attain run` with `--out`, with
//! the default output directory, and `attain check`. A refused case must exit with 2, print the
//! location and a `help:` hint, print no panic, and leave both a fresh and a pre-existing output
//! directory exactly as they were. An accepted case must exit with 0 and write its results.

mod common;
use common::corpus::{self, Expect};
use common::{attain, repo};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Copies a case's input files into a fresh temporary directory.
fn stage(case: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for e in std::fs::read_dir(case).expect("read case").flatten() {
        let name = e.file_name();
        if name != "expect.toml" {
            std::fs::copy(e.path(), tmp.path().join(&name)).expect("copy case file");
        }
    }
    tmp
}

/// Every file under `dir` with its bytes (relative path → contents).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).expect("under dir").to_path_buf();
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// Checks one invocation's stderr and exit code against the expectation; returns failures.
fn judge(what: &str, e: &Expect, o: &std::process::Output) -> Vec<String> {
    let err = String::from_utf8_lossy(&o.stderr);
    let mut fails = Vec::new();
    if o.status.code() != Some(e.exit) {
        fails.push(format!(
            "{what}: exit code {:?}, expected {}",
            o.status.code(),
            e.exit
        ));
    }
    if err.contains("panicked") || err.contains("RUST_BACKTRACE") {
        fails.push(format!("{what}: panic text on stderr"));
    }
    if e.exit == 0 {
        return fails;
    }
    if let Some(m) = &e.message
        && !err.contains(m.as_str())
    {
        fails.push(format!("{what}: message lacks {m:?}"));
    }
    match err.split_once("help:") {
        None => fails.push(format!("{what}: no `help:` hint")),
        Some((_, hint)) => {
            if let Some(h) = &e.help
                && !hint.contains(h.as_str())
            {
                fails.push(format!("{what}: hint lacks {h:?}"));
            }
        }
    }
    if let Some(file) = &e.file {
        let loc = match (e.line, e.col) {
            (Some(l), Some(c)) => format!("--> {file}:{l}:{c}\n"),
            (Some(l), None) => format!("--> {file}:{l}:"),
            _ => format!("--> {file}"),
        };
        if !err.contains(&loc) {
            fails.push(format!("{what}: location {loc:?} not found"));
        }
    }
    if !fails.is_empty() {
        fails.push(format!("{what} stderr:\n{err}"));
    }
    fails
}

fn run_case(case: &Path) -> Vec<String> {
    let name = corpus::name(case);
    let e: Expect = match corpus::expect(case) {
        Ok(e) => e,
        Err(err) => return vec![format!("{name}: {err}")],
    };
    assert!(!e.description.is_empty(), "{name}: describe the case");
    let tmp = stage(case);
    let dir = tmp.path();
    let run_args = e
        .run
        .clone()
        .unwrap_or_else(|| vec!["scenario.toml".into()]);
    let mut fails = Vec::new();

    // 1. `run --out fresh`: nothing may be created on a refusal.
    let mut args: Vec<&str> = vec!["run"];
    args.extend(run_args.iter().map(String::as_str));
    args.extend(e.args.iter().map(String::as_str));
    args.extend(["--runs", "500", "--out", "fresh", "--quiet"]);
    // A case's own `--runs` comes after ours and wins.
    if e.args.iter().any(|a| a == "--runs") {
        let at = args.iter().rposition(|a| *a == "--runs").unwrap_or(0);
        args.drain(at..at + 2);
    }
    let o = attain(&args, dir);
    fails.extend(judge("run --out fresh", &e, &o));
    if e.exit == 0 {
        if !dir.join("fresh/results.json").is_file() {
            fails.push("accepted case wrote no results.json".into());
        }
    } else if dir.join("fresh").exists() {
        fails.push("run created the output directory on bad input".into());
    }

    // 2. `run` into a directory that already holds files: untouched on a refusal.
    let prev = dir.join("prev");
    std::fs::create_dir_all(&prev).expect("mkdir");
    std::fs::write(prev.join("notes.txt"), "the user's own file\n").expect("write");
    let before = snapshot(&prev);
    let mut args2 = args.clone();
    if let Some(at) = args2.iter().position(|a| *a == "fresh") {
        args2[at] = "prev";
    }
    let o = attain(&args2, dir);
    fails.extend(judge("run --out prev", &e, &o));
    if e.exit != 0 && snapshot(&prev) != before {
        fails.push("run modified a pre-existing output directory on bad input".into());
    }

    // 3. `run` with the default output directory (out/<stem>/ under the working directory).
    let args3: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| *a != "--out" && *a != "fresh")
        .collect();
    let o = attain(&args3, dir);
    fails.extend(judge("run (default --out)", &e, &o));
    if e.exit != 0 && dir.join("out").exists() {
        fails.push("run created out/ on bad input".into());
    }

    // 4. `check` agrees.
    let check_args = e.check.clone().unwrap_or_else(|| run_args.clone());
    if !check_args.is_empty() {
        let mut args: Vec<&str> = vec!["check"];
        args.extend(check_args.iter().map(String::as_str));
        let o = attain(&args, dir);
        fails.extend(judge("check", &e, &o));
    }
    fails.into_iter().map(|f| format!("[{name}] {f}")).collect()
}

#[test]
fn every_bad_input_is_refused_cleanly_and_good_encodings_are_accepted() {
    let cases = corpus::cases();
    assert!(
        cases.len() >= 40,
        "the corpus should hold at least 40 cases, found {}",
        cases.len()
    );
    let mut fails = Vec::new();
    for case in &cases {
        fails.extend(run_case(case));
    }
    assert!(
        fails.is_empty(),
        "{} problem(s) in the bad-input corpus:\n\n{}",
        fails.len(),
        fails.join("\n")
    );
}

/// Refusals of other subcommands' arguments (the corpus runs `run` and `check` only): exit code 2,
/// the message, a `help:` hint that says what to do, no panic, and nothing written.
#[test]
fn bad_arguments_of_other_subcommands_are_refused_with_a_hint() {
    let tmp = stage(&repo().join("tests/bad-inputs/cli-threads-zero"));
    let dir = tmp.path();
    std::fs::write(dir.join("garbage.json"), "{\"not\": \"a report\"}\n").expect("write");
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["bench", "scenario.toml", "--runs", "100", "--threads", "0"],
            "--threads 0 is not allowed",
            "omit --threads to use all cores",
        ),
        (
            &[
                "bench",
                "scenario.toml",
                "--runs",
                "100",
                "--threads",
                "5000",
            ],
            "--threads 5000 is more than 1024",
            "omit --threads to use all cores",
        ),
        (
            &["bench", "scenario.toml", "--runs", "100", "--repeat", "0"],
            "--repeat 0 is not allowed",
            "give at least 1 repetition",
        ),
        (
            &[
                "bench",
                "scenario.toml",
                "--runs",
                "100",
                "--baseline",
                "garbage.json",
            ],
            "garbage.json is not an `attain bench --format json` report",
            "attain bench SCENARIO --format json",
        ),
        (
            &[
                "bench",
                "scenario.toml",
                "--runs",
                "100",
                "--baseline",
                "missing.json",
            ],
            "cannot read missing.json",
            "check the path of --baseline",
        ),
        (
            &[
                "nowcast",
                "scenario.toml",
                "--runs",
                "100",
                "--from",
                "2019",
            ],
            "--from 2019 is before the base year 2020 of plan `corpus`",
            "give --from from 2020 on",
        ),
        (
            &[
                "sensitivity",
                "scenario.toml",
                "--runs",
                "100",
                "--threads",
                "99999",
            ],
            "--threads 99999 is more than 1024",
            "omit --threads to use all cores",
        ),
        // Accepted before: the table then showed no input at all.
        (
            &[
                "sensitivity",
                "scenario.toml",
                "--runs",
                "100",
                "--top",
                "0",
            ],
            "--top 0 is not allowed",
            "give at least 1",
        ),
        // Accepted before: every as-of year after 2025 repeated the last one.
        (
            &["nowcast", "scenario.toml", "--runs", "100", "--to", "2030"],
            "--to 2030 is after 2025, the last year plan `corpus` is simulated to",
            "give as-of years from 2020 to 2025",
        ),
        (
            &[
                "nowcast",
                "scenario.toml",
                "--runs",
                "100",
                "--from",
                "2026",
            ],
            "--from 2026 is after 2025",
            "give as-of years from 2020 to 2025",
        ),
        (
            &[
                "backtest",
                "scenario.toml",
                "--runs",
                "100",
                "--as-of",
                "2030",
            ],
            "--as-of 2030 is after the target year 2025 of plan `corpus`",
            "give a year from 2020 to 2025",
        ),
        // Said "expected NAME=VALUE" for a well-formed NAME=VALUE with an unknown name.
        (
            &["calibrate", "plan.toml", "--fix", "sprad=1"],
            "--fix sprad=1: unknown parameter `sprad`",
            "did you mean `spread`? The parameters are strength_binding",
        ),
        (
            &["calibrate", "plan.toml", "--fix", "foo=1"],
            "--fix foo=1: unknown parameter `foo`",
            "the parameters are strength_binding",
        ),
        (
            &["calibrate", "plan.toml", "--fix", "spread=lots"],
            "--fix spread=lots: `lots` is not a number",
            "give a number in [0.2, 5]",
        ),
        // Accepted before: one of the two values was silently dropped.
        (
            &[
                "calibrate",
                "plan.toml",
                "--fix",
                "spread=1",
                "--fix",
                "spread=2",
            ],
            "--fix spread is given more than once",
            "fix each parameter once",
        ),
        // clap's "unexpected argument '-1'" (with a tip to write `-- -1`) had no help line.
        (
            &["sensitivity", "scenario.toml", "--runs", "-1"],
            "--runs -1 is out of range",
            "give between 1 and 10000000000 runs",
        ),
        (
            &["calibrate", "plan.toml", "--score-runs", "-5"],
            "--score-runs -5 is out of range",
            "give between 1 and 10000000000 runs",
        ),
        (
            &["run", "scenario.toml", "--runs", "many"],
            "--runs many is not a whole number",
            "give the number of runs, between 1 and 10000000000",
        ),
        // Every other numeric option: clap's "unexpected argument '-1'" or "invalid digit found
        // in string", with no help line, before each got attain's own value parser.
        (
            &["bench", "scenario.toml", "--threads", "-1"],
            "--threads -1 is out of range",
            "give the number of worker threads, from 1 to 1024",
        ),
        (
            &["bench", "scenario.toml", "--repeat", "-1"],
            "--repeat -1 is out of range",
            "give the number of repetitions, at least 1",
        ),
        (
            &[
                "compare",
                "scenario.toml",
                "scenario.toml",
                "--threads",
                "two",
            ],
            "--threads two is not a whole number",
            "omit --threads to use all cores",
        ),
        (
            &["sensitivity", "scenario.toml", "--swing", "-1"],
            "--swing -1 is out of range",
            "give a swing in (0, 1]",
        ),
        (
            &["sensitivity", "scenario.toml", "--swing", "wide"],
            "--swing wide is not a number",
            "give a swing in (0, 1]",
        ),
        (
            &["sensitivity", "scenario.toml", "--top", "-3"],
            "--top -3 is out of range",
            "give at least 1",
        ),
        (
            &[
                "sensitivity",
                "scenario.toml",
                "--method",
                "sobol",
                "--seed",
                "-7",
            ],
            "--seed -7 is out of range",
            "give a whole number from 0 to 18446744073709551615",
        ),
        (
            &["goal", "scenario.toml", "gdp_growth", "--p", "-0.5"],
            "--p -0.5 is not a probability in (0, 1)",
            "e.g. --p 0.5,0.9",
        ),
        (
            &[
                "goal",
                "scenario.toml",
                "gdp_growth",
                "--confidence",
                "0.5,high",
            ],
            "--confidence high is not a number",
            "e.g. --confidence 0.5,0.8,0.9",
        ),
        (
            &["backtest", "scenario.toml", "--bins", "-1"],
            "--bins -1 is out of range",
            "give between 1 and",
        ),
        (
            &["backtest", "scenario.toml", "--as-of", "-2023"],
            "--as-of -2023 is out of range",
            "give a calendar year from 1900 to 2200",
        ),
        (
            &["nowcast", "scenario.toml", "--from", "-1"],
            "--from -1 is out of range",
            "give a calendar year",
        ),
        (
            &["nowcast", "scenario.toml", "--to", "next"],
            "--to next is not a year",
            "give a calendar year such as 2023",
        ),
        (
            &["calibrate", "plan.toml", "--max-evaluations", "-1"],
            "--max-evaluations -1 is out of range",
            "give the most objective evaluations per fit",
        ),
        (
            &["calibrate", "plan.toml", "--threads", "-4"],
            "--threads -4 is out of range",
            "omit --threads to use all cores",
        ),
        (
            &["calibrate", "plan.toml", "--seed", "x"],
            "--seed x is not a whole number",
            "give a whole number from 0",
        ),
        (
            &["init", "plan.toml", "--seed", "-5"],
            "--seed -5 is out of range",
            "give a whole number from 0",
        ),
        (
            &["import", "plan.toml", "--base-year", "-2020"],
            "--base-year -2020 is out of range",
            "give a calendar year from 1900 to 2200",
        ),
        (
            &["import", "plan.toml", "--target-year", "2O25"],
            "--target-year 2O25 is not a year",
            "give a calendar year such as 2023",
        ),
        // A target given twice: its files were written twice and the second rename failed
        // (exit 1), leaving a half-written out/scenario/goal without its manifest.
        (
            &[
                "goal",
                "scenario.toml",
                "gdp_growth",
                "gdp_growth",
                "--runs",
                "100",
            ],
            "target `gdp_growth` is given twice",
            "give each target once",
        ),
        (
            &[
                "sensitivity",
                "scenario.toml",
                "--runs",
                "100",
                "--target",
                "gdp_growth",
                "--target",
                "gdp_growth",
            ],
            "--target `gdp_growth` is given twice",
            "give each target once",
        ),
        // Two scenarios with one output directory: the second silently overwrote the first.
        (
            &["run", "scenario.toml", "scenario.toml", "--runs", "100"],
            "scenario.toml is given twice",
            "give each scenario once",
        ),
        (
            &["run", "scenario.toml", "./scenario.toml", "--runs", "100"],
            "scenario.toml and ./scenario.toml would both write their results into out/scenario",
            "run them one at a time with their own --out",
        ),
        (
            &["run", "scenario.toml", "--shard", "-1/2"],
            "--shard `-1/2` is not of the form K/N",
            "1 ≤ K ≤ N",
        ),
    ];
    let mut fails = Vec::new();
    for (args, message, help) in cases {
        let o = attain(args, dir);
        let err = String::from_utf8_lossy(&o.stderr);
        let what = args.join(" ");
        if o.status.code() != Some(2) {
            fails.push(format!(
                "{what}: exit code {:?}, expected 2",
                o.status.code()
            ));
        }
        if err.contains("panicked") {
            fails.push(format!("{what}: panic text on stderr"));
        }
        if !err.contains(message) {
            fails.push(format!("{what}: message lacks {message:?}:\n{err}"));
        }
        match err.split_once("help:") {
            Some((_, hint)) if hint.contains(help) => {}
            _ => fails.push(format!("{what}: hint lacks {help:?}:\n{err}")),
        }
        if dir.join("out").exists() {
            fails.push(format!("{what}: wrote out/ on bad arguments"));
        }
    }
    assert!(fails.is_empty(), "{}", fails.join("\n"));
}

/// A pert over ±1e308 crashed `sensitivity` (NaN parameter bounds, `f64::clamp` panicked, exit 101)
/// and made `run` take milliseconds per draw: its range overflows, and it is refused at its line.
#[test]
fn sensitivity_of_a_pert_whose_range_overflows_is_refused() {
    let tmp = stage(&repo().join("tests/bad-inputs/accept-huge-sd"));
    let dir = tmp.path();
    let text = std::fs::read_to_string(dir.join("scenario.toml")).expect("read");
    let text = text.replace(
        "rate = { dist = \"normal\", mean = 0.065, sd = 1e300 }",
        "rate = { dist = \"pert\", min = -1e308, mode = 0.0, max = 1e308 }",
    );
    assert!(text.contains("pert"), "the fixture changed");
    std::fs::write(dir.join("scenario.toml"), text).expect("write");
    let o = attain(
        &["sensitivity", "scenario.toml", "--runs", "200", "--quiet"],
        dir,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "panic:\n{err}");
    assert_eq!(o.status.code(), Some(2), "stderr:\n{err}");
    assert!(err.contains("overflows to infinity"), "stderr:\n{err}");
    assert!(err.contains("--> scenario.toml:10:8"), "stderr:\n{err}");
    assert!(!dir.join("out").exists(), "wrote out/ on bad input");
}
