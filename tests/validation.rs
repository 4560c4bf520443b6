//! One test per validation error of DESIGN.md: exit code 2, a message naming file:line:column,
//! a hint, and no output directory created.

mod common;
use common::*;

const PLAN: &str = r#"[plan]
id = "v"
title = "validation plan"
base_year = 2020
target_year = 2025

[[indicator]]
id = "gdp"
name = "GDP"
base = 100.0
better = "higher"

[[indicator]]
id = "income"
name = "income"
base = 10.0
better = "higher"

[[indicator]]
id = "energy"
name = "energy"
base = 50.0
better = "lower"

[[indicator]]
id = "intensity"
name = "intensity"
better = "lower"

[[target]]
id = "gdp_growth"
indicator = "gdp"
metric = "cagr"
op = "about"
value = 0.07
"#;

const GOOD: &str = r#"[scenario]
name = "ok"
runs = 1000

[process.gdp]
model = "growth"
rate = { dist = "normal", mean = 0.065, sd = 0.01 }
"#;

/// Runs `attain run` on a scenario and asserts a clean input error at `file:line:col`.
fn expect_error(plan: &str, scenario: &str, file: &str, line: usize, needle: &str) -> String {
    let case = Case::new(plan, scenario);
    let out = case.path("out");
    let o = attain(
        &[
            "run",
            "scenario.toml",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ],
        case.dir.path(),
    );
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert_eq!(o.status.code(), Some(2), "exit code, stderr:\n{err}");
    assert!(
        err.contains(needle),
        "message should mention {needle:?}:\n{err}"
    );
    let loc = format!("{file}:{line}:");
    assert!(err.contains(&loc), "message should point at {loc}:\n{err}");
    assert!(err.contains("help:"), "message should carry a hint:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists(), "no output may be written on bad input");
    // `check` agrees.
    let c = attain(&["check", "scenario.toml"], case.dir.path());
    assert_eq!(c.status.code(), Some(2));
    err
}

/// Line (1-based) of the first occurrence of `needle` in the scenario as written by `Case`.
fn line_of(scenario: &str, needle: &str) -> usize {
    let text = format!("plan = \"plan.toml\"\n{scenario}");
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in scenario")
        + 1
}

#[test]
fn the_good_scenario_runs() {
    let case = Case::new(PLAN, GOOD);
    let o = attain(&["run", "scenario.toml", "--quiet"], case.dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(case.path("out/scenario/results.json").exists());
}

#[test]
fn unknown_key() {
    let s = GOOD
        .replace("persistence", "x")
        .replace("rate = {", "rat = {");
    expect_error(
        PLAN,
        &s,
        "scenario.toml",
        line_of(&s, "rat = {"),
        "unknown field `rat`",
    );
}

#[test]
fn unknown_distribution_parameter() {
    let s = GOOD.replace("sd = 0.01", "sdd = 0.01");
    expect_error(PLAN, &s, "scenario.toml", line_of(&s, "sdd"), "sdd");
}

#[test]
fn unknown_indicator_id() {
    let s = format!(
        "{GOOD}\n[process.gpd]\nmodel = \"growth\"\nrate = {{ dist = \"normal\", mean = 0.1, sd = 0.01 }}\n"
    );
    expect_error(
        PLAN,
        &s,
        "scenario.toml",
        line_of(&s, "[process.gpd]"),
        "no indicator `gpd`",
    );
}

#[test]
fn self_referencing_formula() {
    let s = format!(
        "{GOOD}\n[process.intensity]\nmodel = \"derived\"\nformula = \"intensity / gdp\"\n"
    );
    expect_error(
        PLAN,
        &s,
        "scenario.toml",
        line_of(&s, "[process.intensity]"),
        "itself",
    );
}

#[test]
fn cyclic_formulas() {
    let s = format!(
        "{GOOD}\n[process.intensity]\nmodel = \"derived\"\nformula = \"energy / gdp\"\n\n[process.energy]\nmodel = \"derived\"\nformula = \"intensity * gdp\"\n"
    );
    let e = expect_error(
        PLAN,
        &s,
        "scenario.toml",
        line_of(&s, "[process.energy]"),
        "cycle",
    );
    assert!(e.contains("energy → intensity → energy"), "{e}");
}

#[test]
fn correlation_not_positive_semidefinite() {
    let mut s = GOOD.to_string();
    for id in ["income", "energy"] {
        s += &format!(
            "\n[process.{id}]\nmodel = \"growth\"\nrate = {{ dist = \"normal\", mean = 0.05, sd = 0.01 }}\n"
        );
    }
    s += "\n[[correlation]]\nbetween = [\"gdp\", \"income\"]\nrho = 0.9\n\n[[correlation]]\nbetween = [\"gdp\", \"energy\"]\nrho = 0.9\n\n[[correlation]]\nbetween = [\"income\", \"energy\"]\nrho = -0.9\n";
    expect_error(
        PLAN,
        &s,
        "scenario.toml",
        line_of(&s, "[[correlation]]"),
        "positive semi-definite",
    );
}

#[test]
fn negative_sd() {
    let s = GOOD.replace("sd = 0.01", "sd = -0.01");
    expect_error(
        PLAN,
        &s,
        "scenario.toml",
        line_of(&s, "sd = -0.01"),
        "`sd` must be ≥ 0",
    );
}

#[test]
fn min_above_max() {
    let s = GOOD.replace(
        "{ dist = \"normal\", mean = 0.065, sd = 0.01 }",
        "{ dist = \"uniform\", min = 0.08, max = 0.05 }",
    );
    expect_error(
        PLAN,
        &s,
        "scenario.toml",
        line_of(&s, "uniform"),
        "must not exceed",
    );
}

#[test]
fn p10_above_p90() {
    let s = GOOD.replace("mean = 0.065, sd = 0.01", "p10 = 0.08, p90 = 0.05");
    expect_error(
        PLAN,
        &s,
        "scenario.toml",
        line_of(&s, "p10"),
        "must not exceed",
    );
}

#[test]
fn missing_base_value() {
    let s = format!(
        "{GOOD}\n[process.intensity]\nmodel = \"growth\"\nrate = {{ dist = \"normal\", mean = -0.03, sd = 0.01 }}\n"
    );
    expect_error(
        PLAN,
        &s,
        "scenario.toml",
        line_of(&s, "[process.intensity]"),
        "no base value",
    );
}

#[test]
fn assigned_target_without_value() {
    let plan = format!(
        "{PLAN}\n[[target]]\nid = \"energy_cut\"\nindicator = \"energy\"\nmetric = \"reduction\"\nop = \"at_least\"\nvalue = \"assigned\"\n"
    );
    let line = plan.lines().position(|l| l.contains("energy_cut")).unwrap(); // the [[target]] header is the line before
    let e = expect_error(&plan, GOOD, "plan.toml", line, "assigned");
    assert!(e.contains("[targets.energy_cut]"), "{e}");
}

#[test]
fn cyclic_extends() {
    let case = Case::new(PLAN, &format!("extends = \"b.toml\"\n{GOOD}"));
    case.write("b.toml", "extends = \"scenario.toml\"\n");
    let o = attain(&["run", "scenario.toml", "--quiet"], case.dir.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("cycle") && err.contains("b.toml:1:"), "{err}");
    assert!(!case.path("out").exists());
}

#[test]
fn toml_syntax_error() {
    let s = GOOD.replace("runs = 1000", "runs = = 1000");
    expect_error(
        PLAN,
        &s,
        "scenario.toml",
        line_of(&s, "runs = ="),
        "invalid scenario file",
    );
}

#[test]
fn unknown_target_in_override() {
    let s = format!("{GOOD}\n[targets.nope]\nvalue = 1.0\n");
    expect_error(
        PLAN,
        &s,
        "scenario.toml",
        line_of(&s, "[targets.nope]"),
        "no target `nope`",
    );
}

#[test]
fn runs_out_of_range() {
    let s = GOOD.replace("runs = 1000", "runs = 0");
    expect_error(
        PLAN,
        &s,
        "scenario.toml",
        line_of(&s, "runs = 0"),
        "out of range",
    );
}

#[test]
fn shock_probability_above_one() {
    let s =
        format!("{GOOD}\n[[shock]]\nname = \"x\"\nprobability = 1.5\neffect = {{ gdp = -0.04 }}\n");
    expect_error(
        PLAN,
        &s,
        "scenario.toml",
        line_of(&s, "probability = 1.5"),
        "not in [0, 1]",
    );
}

#[test]
fn plan_errors_point_into_the_plan() {
    let plan = PLAN.replace(
        "better = \"lower\"\n\n[[indicator]]\nid = \"intensity\"",
        "better = \"lowest\"\n\n[[indicator]]\nid = \"intensity\"",
    );
    let line = plan.lines().position(|l| l.contains("lowest")).unwrap() + 1;
    expect_error(&plan, GOOD, "plan.toml", line, "unknown `better` value");
}

#[test]
fn missing_plan_file() {
    let case = Case::new(PLAN, GOOD);
    std::fs::remove_file(case.path("plan.toml")).unwrap();
    let o = attain(&["run", "scenario.toml", "--quiet"], case.dir.path());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err.contains("scenario.toml:1:") && err.contains("cannot read"),
        "{err}"
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let case = Case::new(&format!("\u{feff}{}", PLAN.replace('\n', "\r\n")), GOOD);
    case.write(
        "scenario.toml",
        &format!(
            "\u{feff}plan = \"plan.toml\"\r\n{}",
            GOOD.replace('\n', "\r\n")
        ),
    );
    let o = attain(&["run", "scenario.toml", "--quiet"], case.dir.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}
