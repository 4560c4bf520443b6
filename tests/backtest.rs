//! Backtests and observed-year conditioning: scores against hand calculations, `--as-of` against a
//! file that simply lacks the later observations, conditioning on an observation against starting
//! from it, and the `backtest` / `nowcast` commands (exit codes, files written).

mod common;
use attain::analysis::backtest::{self, CLIP, Forecaster};
use common::*;
use std::path::Path;

/// A plan with one growth indicator (GDP), one increment indicator (share) and one level
/// indicator without a process in some scenarios (`jobs`).
fn plan_with_actuals() -> String {
    PlanBuilder::new()
        .indicator("gdp", "GDP", 100.0, "higher")
        .indicator("share", "share", 40.0, "higher")
        .unit("%")
        .indicator("jobs", "jobs", 1.0, "higher")
        .target("gdp_growth", "gdp", "cagr", "about", 0.07)
        .attribute("expected")
        .actual(0.066)
        .note("about 7 %: met iff cagr ≥ 6.5 %; 6.6 % meets it")
        .target("gdp_level", "gdp", "level", "at_least", 130.0)
        .attribute("binding")
        .actual(125.0)
        .target("share_level", "share", "level", "at_least", 60.0)
        .attribute("expected")
        .actual(45.0)
        .target("jobs_total", "jobs", "sum", "at_least", 5.0)
        .attribute("expected")
        .actual(6.0)
        .target("share_no_actual", "share", "level", "at_least", 41.0)
        .attribute("expected")
        .build()
}

/// Deterministic processes: GDP grows exactly 6 % a year (cagr 6 % < 6.5 %: P = 0; level 133.8 ≥
/// 130: P = 1), the share gains exactly 1 point a year (45 < 60: P = 0).
const DETERMINISTIC: &str = r#"
[scenario]
name = "deterministic"
runs = 5000
seed = 1

[process.gdp]
model = "growth"
rate = { dist = "constant", value = 0.06 }

[process.share]
model = "increment"
step = { dist = "constant", value = 1.0 }
"#;

#[test]
fn scores_match_hand_calculation() {
    let case = Case::new(&plan_with_actuals(), DETERMINISTIC);
    let model = case.model();
    let r = run_model(&model, 5000, 1, None);
    let b = backtest::score(&model, &r, 5).expect("scores");
    // Scored: gdp_growth (p 0, met), gdp_level (p 1, missed), share_level (p 0, missed).
    let ids: Vec<&str> = b.targets.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["gdp_growth", "gdp_level", "share_level"]);
    let met: Vec<bool> = b.targets.iter().map(|t| t.met).collect();
    assert_eq!(
        met,
        [true, false, false],
        "the about-rule tolerance must apply"
    );
    let ps: Vec<f64> = b.targets.iter().map(|t| t.p_met).collect();
    assert_eq!(ps, [0.0, 1.0, 0.0]);
    assert_eq!((b.scored, b.met), (3, 1));
    // Unscored: no process for jobs; no actual for share_no_actual.
    let un: Vec<&str> = b.unscored.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(un, ["jobs_total", "share_no_actual"]);

    let big = -(CLIP.ln()); // −ln(1e−6): a certain forecast that went wrong
    let small = -((1.0 - CLIP).ln());
    let score = |f: Forecaster| {
        b.scores
            .iter()
            .find(|s| s.forecaster == f)
            .map(|s| (s.brier, s.log_loss))
            .expect("forecaster scored")
    };
    let close = |a: (f64, f64), b: (f64, f64), what: &str| {
        assert!(
            (a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-9,
            "{what}: {a:?} vs {b:?}"
        );
    };
    // attain: (1 + 1 + 0) / 3 Brier; log loss (big + big + small) / 3.
    close(
        score(Forecaster::Attain),
        (2.0 / 3.0, (2.0 * big + small) / 3.0),
        "attain",
    );
    close(score(Forecaster::Coin), (0.25, 2f64.ln()), "coin");
    // all met: 0 + 1 + 1.
    close(
        score(Forecaster::AllMet),
        (2.0 / 3.0, (small + 2.0 * big) / 3.0),
        "all met",
    );
    // plan implied: expected 0.8 met, binding 1.0 missed, expected 0.8 missed.
    close(
        score(Forecaster::PlanImplied),
        (
            (0.04 + 1.0 + 0.64) / 3.0,
            (-(0.8f64.ln()) + big - (0.2f64.ln())) / 3.0,
        ),
        "plan implied",
    );
    // base rate 1/3: Brier (4/9 + 1/9 + 1/9) / 3.
    let lb = -(1.0f64 / 3.0).ln() - 2.0 * (2.0f64 / 3.0).ln();
    close(
        score(Forecaster::BaseRate),
        ((4.0 / 9.0 + 2.0 / 9.0) / 3.0, lb / 3.0),
        "base rate",
    );
    // Reliability: two predictions at 0 (one met), one at 1 (missed).
    let ns: Vec<usize> = b.reliability.iter().map(|x| x.n).collect();
    assert_eq!(ns, [2, 0, 0, 0, 1]);
    assert_eq!(b.reliability[0].observed, Some(0.5));
    assert_eq!(b.reliability[4].observed, Some(0.0));
}

#[test]
fn nothing_to_score_is_an_input_error() {
    let plan = PlanBuilder::new()
        .indicator("gdp", "GDP", 100.0, "higher")
        .target("g", "gdp", "level", "at_least", 120.0)
        .build();
    let case = Case::new(
        &plan,
        "[process.gdp]\nmodel = \"growth\"\nrate = { dist = \"constant\", value = 0.05 }\n",
    );
    let model = case.model();
    let r = run_model(&model, 100, 1, None);
    let e = backtest::score(&model, &r, 5).expect_err("no actual values");
    assert_eq!(e.exit_code(), 2);
    let out = case.path("out");
    let o = attain(
        &[
            "backtest",
            case.scenario().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        case.dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing to score"));
    assert!(!out.exists(), "nothing may be written on bad input");
}

/// A stochastic plan 2020→2025 for the as-of tests.
fn asof_plan() -> String {
    PlanBuilder::new()
        .indicator("gdp", "GDP", 100.0, "higher")
        .indicator("share", "share", 40.0, "higher")
        .indicator("unsimulated", "no process", 1.0, "higher")
        .target("gdp_growth", "gdp", "cagr", "at_least", 0.06)
        .target("share_2025", "share", "level", "at_least", 46.0)
        .build()
}

const ASOF_PROCESSES: &str = r#"
[scenario]
name = "as-of"
runs = 20000
seed = 7

[process.gdp]
model = "growth"
rate = { dist = "normal", mean = 0.06, sd = 0.02 }
persistence = 0.4

[process.share]
model = "increment"
step = { dist = "triangular", min = 0.5, mode = 1.2, max = 1.8 }
bounds = [0.0, 100.0]

[[correlation]]
between = ["gdp", "share"]
rho = 0.5
"#;

/// results.json without the fields that name the input files or the as-of year.
fn comparable(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("results.json");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let o = v.as_object_mut().expect("object");
    o.remove("inputs");
    o.remove("as_of");
    if let Some(s) = o.get_mut("scenario").and_then(|s| s.as_object_mut()) {
        s.remove("file");
    }
    v
}

#[test]
fn as_of_equals_a_file_without_the_later_observations() {
    let full = format!(
        "{ASOF_PROCESSES}\n[observed]\ngdp = {{ 2021 = 104.0, 2023 = 115.0 }}\nshare = {{ 2022 = 43.0 }}\nunsimulated = {{ 2024 = 2.0 }}\n"
    );
    let case = Case::new(&asof_plan(), &full);
    // What a file written at the end of 2021 would hold: no share, no unsimulated entry.
    let cut = case.write(
        "cut.toml",
        &format!("plan = \"plan.toml\"\n{ASOF_PROCESSES}\n[observed]\ngdp = {{ 2021 = 104.0 }}\n"),
    );
    // The model: identical observations, known values and warnings.
    let a = attain::scenario::load_scenario_as_of(&case.scenario(), Some(2021)).unwrap();
    let b = attain::scenario::load_scenario(&cut).unwrap();
    assert_eq!(a.scenario.as_of, Some(2021));
    assert_eq!(b.scenario.as_of, None);
    assert_eq!(a.warnings, b.warnings);
    assert_eq!(a.sims.len(), b.sims.len());
    for (x, y) in a.sims.iter().zip(&b.sims) {
        assert_eq!(x.observed, y.observed);
        assert_eq!(x.known, y.known);
    }
    // The full file warns about the unsimulated observation; the as-of model does not.
    let f = attain::scenario::load_scenario(&case.scenario()).unwrap();
    assert!(f.warnings.iter().any(|w| w.contains("unsimulated")));
    assert!(!a.warnings.iter().any(|w| w.contains("unsimulated")));

    // End to end: the two results.json agree byte for byte apart from the input files and as_of.
    let (oa, ob) = (case.path("oa"), case.path("ob"));
    for (args, out) in [(vec!["--as-of", "2021"], &oa), (vec![], &ob)] {
        let scen = if args.is_empty() {
            cut.clone()
        } else {
            case.scenario()
        };
        let mut all = vec![
            "run",
            scen.to_str().unwrap(),
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ];
        all.extend(args);
        let o = attain(&all, case.dir.path());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let ja = comparable(&oa.join("results.json"));
    let jb = comparable(&ob.join("results.json"));
    assert_eq!(
        serde_json::to_string_pretty(&ja).unwrap(),
        serde_json::to_string_pretty(&jb).unwrap()
    );
    let raw = std::fs::read_to_string(oa.join("results.json")).unwrap();
    assert!(
        raw.contains("\"as_of\": 2021"),
        "results.json records the as-of year"
    );
    let raw = std::fs::read_to_string(ob.join("results.json")).unwrap();
    assert!(!raw.contains("\"as_of\""), "a plain run has no as_of field");

    // As of the base year nothing is observed; as of the last year everything is.
    let base = attain::scenario::load_scenario_as_of(&case.scenario(), Some(2020)).unwrap();
    assert!(
        base.sims
            .iter()
            .all(|s| s.observed.is_empty() && s.known.is_empty())
    );
    let late = attain::scenario::load_scenario_as_of(&case.scenario(), Some(2025)).unwrap();
    assert_eq!(late.sims.len(), f.sims.len());
    for (x, y) in late.sims.iter().zip(&f.sims) {
        assert_eq!(x.known, y.known);
    }
    // Before the base year or after the target year: a usage error.
    let e = attain::scenario::load_scenario_as_of(&case.scenario(), Some(2019)).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    let e = attain::scenario::load_scenario_as_of(&case.scenario(), Some(2030)).unwrap_err();
    assert_eq!(e.exit_code(), 2);
    assert!(
        e.to_string()
            .contains("--as-of 2030 is after the target year 2025"),
        "{e}"
    );
}

#[test]
fn observing_the_deterministic_value_changes_nothing() {
    // A deterministic path: observing its own 2022 value must give byte-identical results.
    let procs = "[scenario]\nruns = 3000\nseed = 3\n\n[process.gdp]\nmodel = \"growth\"\nrate = { dist = \"constant\", value = 0.05 }\n\n[process.share]\nmodel = \"increment\"\nstep = { dist = \"constant\", value = 1.5 }\n";
    let plain = Case::new(&asof_plan(), procs);
    let x2022 = 100.0 * 1.05f64 * 1.05;
    let observed = Case::new(
        &asof_plan(),
        &format!("{procs}\n[observed]\ngdp = {{ 2022 = {x2022:?} }}\nshare = {{ 2022 = 43.0 }}\n"),
    );
    let a = plain.run(3000, 3);
    let b = observed.run(3000, 3);
    for id in ["gdp_growth", "share_2025"] {
        let (ta, tb) = (target(&a, id), target(&b, id));
        assert_eq!(ta.p_met, tb.p_met, "{id}");
        assert_eq!(ta.quantiles, tb.quantiles, "{id}");
    }
}

#[test]
fn conditioning_on_an_observation_equals_starting_from_it() {
    // x_t = x_{t−1} + d_t, d ~ N(1, 0.5²). Observing x_2021 = 101 (the path's deterministic
    // value) leaves four random steps to 2025: x_2025 ~ N(105, 1). The same as a plan that starts
    // in 2021 at 101; and P(x_2025 ≥ 105.5) = 1 − Φ(0.5) = 0.308538.
    let body = |base_year: i32, base: f64| {
        PlanBuilder::new()
            .years(base_year, 2025)
            .indicator("x", "x", base, "higher")
            .target("x_2025", "x", "level", "at_least", 105.5)
            .build()
    };
    let procs =
        "[process.x]\nmodel = \"increment\"\nstep = { dist = \"normal\", mean = 1.0, sd = 0.5 }\n";
    let runs = 200_000;
    let conditioned = Case::new(
        &body(2020, 100.0),
        &format!("{procs}\n[observed]\nx = {{ 2021 = 101.0 }}\n"),
    );
    let started = Case::new(&body(2021, 101.0), procs);
    let pc = p_met(&conditioned.run(runs, 11), "x_2025");
    let ps = p_met(&started.run(runs, 12), "x_2025");
    let truth = 0.308_537_538_725_986_9;
    assert_close(pc, truth, runs, 4.0, "conditioned on 2021");
    assert_close(ps, truth, runs, 4.0, "started in 2021");
    // The unconditioned run has five random steps: N(105, 1.25), P = 1 − Φ(0.5/√1.25).
    let free = Case::new(&body(2020, 100.0), procs);
    assert_close(
        p_met(&free.run(runs, 13), "x_2025"),
        0.327_360_423_009_288_6,
        runs,
        4.0,
        "unconditioned",
    );
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn backtest_command_writes_its_files() {
    let case = Case::new(&plan_with_actuals(), DETERMINISTIC);
    let out = case.path("bt");
    for format in ["table", "json", "csv", "md"] {
        let o = attain(
            &[
                "backtest",
                case.scenario().to_str().unwrap(),
                "--runs",
                "2000",
                "--out",
                out.to_str().unwrap(),
                "--format",
                format,
                "--quiet",
            ],
            case.dir.path(),
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("gdp_level"), "{format}: {text}");
        if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&text).expect("json on stdout");
            assert_eq!(v["scored"], 3);
        }
    }
    let files = files_in(&out);
    for f in [
        "backtest-scores.csv",
        "backtest.csv",
        "backtest.json",
        "fan.csv",
        "reliability.csv",
        "reliability.svg",
        "reliability.png",
        "results.json",
        "targets.csv",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing: {files:?}");
    }
    let svg = std::fs::read_to_string(out.join("reliability.svg")).unwrap();
    assert!(svg.contains("<svg") && svg.trim_end().ends_with("</svg>"));
    let png = std::fs::read(out.join("reliability.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // Usage errors: bins out of range, threads 0.
    for bad in [&["--bins", "0"][..], &["--threads", "0"][..]] {
        let scen = case.scenario();
        let mut args = vec!["backtest", scen.to_str().unwrap()];
        args.extend(bad);
        let o = attain(&args, case.dir.path());
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
    }
}

#[test]
fn nowcast_command_writes_its_files() {
    let full = format!(
        "{ASOF_PROCESSES}\n[observed]\ngdp = {{ 2021 = 104.0, 2023 = 115.0 }}\nshare = {{ 2022 = 43.0 }}\n"
    );
    let case = Case::new(&asof_plan(), &full);
    let out = case.path("nc");
    let o = attain(
        &[
            "nowcast",
            case.scenario().to_str().unwrap(),
            "--runs",
            "5000",
            "--out",
            out.to_str().unwrap(),
            "--format",
            "json",
            "--quiet",
        ],
        case.dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    // Default range: base year to the last observed year.
    assert_eq!(v["years"], serde_json::json!([2020, 2021, 2022, 2023]));
    assert_eq!(v["observations"], serde_json::json!([0, 1, 2, 3]));
    let files = files_in(&out);
    for f in ["asof.svg", "asof.png", "nowcast.csv", "nowcast.json"] {
        assert!(files.contains(&f.to_string()), "{f} missing: {files:?}");
    }
    let csv = std::fs::read_to_string(out.join("nowcast.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 2 * 4, "{csv}");
    // Each as-of column equals `run --as-of` of that year (same seed, same runs).
    let single = case.path("single");
    let o = attain(
        &[
            "run",
            case.scenario().to_str().unwrap(),
            "--runs",
            "5000",
            "--as-of",
            "2022",
            "--out",
            single.to_str().unwrap(),
            "--format",
            "json",
            "--quiet",
        ],
        case.dir.path(),
    );
    assert!(o.status.success());
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(r["as_of"], 2022);
    assert_eq!(
        r["targets"][0]["p_met"]["p"],
        v["targets"][0]["p_met"][2]["p"]
    );
    // Explicit range, and usage errors.
    let o = attain(
        &[
            "nowcast",
            case.scenario().to_str().unwrap(),
            "--runs",
            "1000",
            "--from",
            "2022",
            "--to",
            "2025",
            "--out",
            out.to_str().unwrap(),
            "--format",
            "csv",
            "--quiet",
        ],
        case.dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().count(),
        1 + 2 * 4
    );
    for bad in [
        &["--from", "2023", "--to", "2021"][..],
        &["--from", "2010"][..],
    ] {
        let scen = case.scenario();
        let mut args = vec!["nowcast", scen.to_str().unwrap(), "--quiet"];
        args.extend(bad);
        let o = attain(&args, case.dir.path());
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
    }
    let o = attain(
        &[
            "run",
            case.scenario().to_str().unwrap(),
            "--as-of",
            "2022",
            "--shard",
            "1/2",
        ],
        case.dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn observed_values_quote_their_source_lines() {
    let Some(seeds) = shared_seeds("observed_values_quote_their_source_lines") else {
        return;
    };
    let doc = seeds.join("001_f759e94efd3a1e14.txt");
    let text = std::fs::read_to_string(&doc).unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
    let lines: Vec<&str> = text.lines().collect();
    let scen = std::fs::read_to_string(repo().join("scenarios/zhumadian-13fyp-observed.toml"))
        .expect("observed scenario");
    let mut checked = 0;
    let mut in_observed = false;
    for l in scen.lines() {
        if l.starts_with('[') {
            in_observed = l.trim() == "[observed]";
            continue;
        }
        if !in_observed || l.trim().is_empty() {
            continue;
        }
        let (_, comment) = l
            .split_once("# line ")
            .unwrap_or_else(|| panic!("observed value without `# line N \"quote\"`: {l}"));
        let (n, rest) = comment.split_once(' ').expect("line number");
        let n: usize = n.parse().expect("a line number");
        let quote = rest.split('"').nth(1).expect("a quoted snippet");
        assert!(
            lines.get(n - 1).is_some_and(|x| x.contains(quote)),
            "{quote:?} is not on line {n} of 001"
        );
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} observed values checked");
}
