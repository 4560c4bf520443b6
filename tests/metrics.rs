//! Every metric and operator on hand-made, deterministic paths (constant distributions), where the
//! metric's value is known exactly and P(met) must be exactly 0 or 1.

mod common;
use common::*;

/// GDP grows 10 % a year from 100: 110, 121, 133.1, 146.41, 161.051 (2021–2025).
/// Energy grows 5 % a year from 50. Urban share rises 1.5 points a year from 40.
/// Jobs are 6 a year. Intensity = energy / gdp.
fn case(targets: &str) -> Case {
    Case::new(
        &plan(&format!(
            "{}\n{targets}",
            PlanBuilder::new()
                .indicator("gdp", "GDP", 100.0, "higher")
                .indicator("energy", "energy", 50.0, "lower")
                .indicator("intensity", "energy intensity", 0.5, "lower")
                .indicator("urban", "urban share", 40.0, "higher")
                .unit("%")
                .indicator("jobs", "new jobs", 5.0, "higher")
                .body()
        )),
        r#"
[process.gdp]
model = "growth"
rate = { dist = "constant", value = 0.10 }

[process.energy]
model = "growth"
rate = { dist = "constant", value = 0.05 }

[process.intensity]
model = "derived"
formula = "energy / gdp"

[process.urban]
model = "increment"
step = { dist = "constant", value = 1.5 }
bounds = [0.0, 100.0]

[process.jobs]
model = "level"
value = { dist = "constant", value = 6.0 }
"#,
    )
}

fn target_toml(
    id: &str,
    indicator: &str,
    metric: &str,
    op: &str,
    value: &str,
    extra: &str,
) -> String {
    format!(
        "[[target]]\nid = \"{id}\"\nindicator = \"{indicator}\"\nmetric = \"{metric}\"\nop = \"{op}\"\nvalue = {value}\n{extra}\n"
    )
}

/// Checks the metric's median equals `exact`, and that thresholds just on either side give 0/1.
fn check(metric: &str, indicator: &str, exact: f64, extra: &str) {
    let eps = 1e-9 * exact.abs().max(1.0);
    let mut t = String::new();
    t += &target_toml(
        "ge_below",
        indicator,
        metric,
        "at_least",
        &format!("{}", exact - eps),
        extra,
    );
    t += &target_toml(
        "ge_above",
        indicator,
        metric,
        "at_least",
        &format!("{}", exact + eps),
        extra,
    );
    t += &target_toml(
        "le_above",
        indicator,
        metric,
        "at_most",
        &format!("{}", exact + eps),
        extra,
    );
    t += &target_toml(
        "le_below",
        indicator,
        metric,
        "at_most",
        &format!("{}", exact - eps),
        extra,
    );
    t += &target_toml(
        "in",
        indicator,
        metric,
        "between",
        &format!("[{}, {}]", exact - eps, exact + eps),
        extra,
    );
    t += &target_toml(
        "out",
        indicator,
        metric,
        "between",
        &format!("[{}, {}]", exact + eps, exact + 2.0 * eps),
        extra,
    );
    let r = case(&t).run(5000, 1);
    let med = target(&r, "ge_below")
        .quantiles
        .as_ref()
        .unwrap()
        .p50
        .unwrap();
    assert!(
        (med - exact).abs() <= 1e-12 * exact.abs().max(1.0),
        "{metric}: median {med} vs exact {exact}"
    );
    for (id, want) in [
        ("ge_below", 1.0),
        ("ge_above", 0.0),
        ("le_above", 1.0),
        ("le_below", 0.0),
        ("in", 1.0),
        ("out", 0.0),
    ] {
        assert_eq!(p_met(&r, id), want, "{metric} {id}");
    }
}

#[test]
fn level() {
    check("level", "gdp", 161.051, "");
    check("level", "urban", 47.5, "");
}

#[test]
fn cagr() {
    check("cagr", "gdp", 0.1, "");
}

#[test]
fn change() {
    check("change", "urban", 7.5, "");
}

#[test]
fn sum() {
    check("sum", "jobs", 30.0, "");
    check("sum", "gdp", 110.0 + 121.0 + 133.1 + 146.41 + 161.051, "");
}

#[test]
fn reduction() {
    // intensity_2025 = 50·1.05⁵ / (100·1.1⁵); reduction = 1 − (1.05/1.1)⁵.
    check("reduction", "intensity", 1.0 - (1.05f64 / 1.1).powi(5), "");
}

#[test]
fn multiple() {
    check("multiple", "gdp", 1.61051, "");
}

#[test]
fn cagr_gap() {
    check("cagr_gap", "energy", 0.05 - 0.10, "relative_to = \"gdp\"");
}

#[test]
fn ratio() {
    check(
        "ratio",
        "energy",
        50.0 * 1.05f64.powi(5) / 161.051,
        "relative_to = \"gdp\"",
    );
}

#[test]
fn year_before_the_target_year() {
    let t = target_toml(
        "gdp_2022",
        "gdp",
        "level",
        "at_least",
        "120.9",
        "year = 2022",
    ) + &target_toml(
        "gdp_2022_hi",
        "gdp",
        "level",
        "at_least",
        "121.1",
        "year = 2022",
    );
    let r = case(&t).run(100, 1);
    assert_eq!(p_met(&r, "gdp_2022"), 1.0);
    assert_eq!(p_met(&r, "gdp_2022_hi"), 0.0);
}

#[test]
fn about_tolerances_default_and_overridden() {
    // cagr 10 %: about 10.4 % is met (tolerance 0.5 pp), about 10.6 % is not.
    let mut t = target_toml("a_ok", "gdp", "cagr", "about", "0.104", "");
    t += &target_toml("a_no", "gdp", "cagr", "about", "0.106", "");
    // level 47.5: about 47.9 met (1 % of 47.9 = 0.479), about 48.1 not (0.481 < 0.6).
    t += &target_toml("l_ok", "urban", "level", "about", "47.9", "");
    t += &target_toml("l_no", "urban", "level", "about", "48.1", "");
    // per-target tolerance
    t += &target_toml(
        "l_tol",
        "urban",
        "level",
        "about",
        "48.1",
        "tolerance = 0.7",
    );
    // lower-is-better level: about 0.40 with 1 % → met iff x ≤ 0.404; intensity ≈ 0.396
    t += &target_toml("i_ok", "intensity", "level", "about", "0.40", "");
    // reduction of a lower-is-better indicator: larger cut is better; cut ≈ 0.2078
    t += &target_toml("r_ok", "intensity", "reduction", "about", "0.21", "");
    t += &target_toml("r_no", "intensity", "reduction", "about", "0.215", "");
    // direction override: treat the cut as lower-is-better
    t += &target_toml(
        "r_dir",
        "intensity",
        "reduction",
        "about",
        "0.215",
        "direction = \"lower\"",
    );
    let c = case(&t);
    let r = c.run(100, 1);
    for (id, want) in [
        ("a_ok", 1.0),
        ("a_no", 0.0),
        ("l_ok", 1.0),
        ("l_no", 0.0),
        ("l_tol", 1.0),
        ("i_ok", 1.0),
        ("r_ok", 1.0),
        ("r_no", 0.0),
        ("r_dir", 1.0),
    ] {
        assert_eq!(p_met(&r, id), want, "{id}: {}", target(&r, id).rule);
    }
    // A scenario-wide [evaluation] override: 0.7 pp makes about 10.6 % met.
    let s = std::fs::read_to_string(c.scenario()).unwrap()
        + "\n[evaluation]\nabout_tolerance_pp = 0.7\n";
    std::fs::write(c.scenario(), s).unwrap();
    let r = c.run(100, 1);
    assert_eq!(p_met(&r, "a_no"), 1.0);
    assert!(r.evaluation.about_rule.contains("0.7 percentage points"));
}

#[test]
fn joint_probabilities_and_required_growth() {
    let mut t = target_toml(
        "g",
        "gdp",
        "cagr",
        "at_least",
        "0.08",
        "attribute = \"binding\"",
    );
    t += &target_toml("u", "urban", "level", "at_least", "48", "");
    let r = case(&t).run(100, 1);
    assert_eq!(r.joint.all_binding.p, 1.0);
    assert_eq!(r.joint.all.p, 0.0);
    let req = target(&r, "g").required.clone().unwrap();
    assert_eq!(req.kind.name(), "growth");
    assert!((req.value - 0.08).abs() < 1e-12);
    let req = target(&r, "u").required.clone().unwrap();
    assert_eq!(req.kind.name(), "step");
    assert!((req.value - 1.6).abs() < 1e-12);
}

#[test]
fn observed_values_pin_the_path() {
    let t = target_toml("g", "gdp", "level", "at_least", "200", "");
    let c = case(&t);
    let s =
        std::fs::read_to_string(c.scenario()).unwrap() + "\n[observed]\ngdp = { 2022 = 130.0 }\n";
    std::fs::write(c.scenario(), s).unwrap();
    let r = c.run(100, 1);
    let g = r.indicators.iter().find(|i| i.id == "gdp").unwrap();
    // 2021 interpolated geometrically: 100·√1.3; 2022 observed; then 10 % a year.
    assert!((g.years[1].p50.unwrap() - 100.0 * 1.3f64.sqrt()).abs() < 1e-9);
    assert_eq!(g.years[2].kind.name(), "observed");
    assert_eq!(g.years[2].p50, Some(130.0));
    assert!((g.years[5].p50.unwrap() - 130.0 * 1.1f64.powi(3)).abs() < 1e-9);
    let req = target(&r, "g").required.clone().unwrap();
    assert_eq!(req.from_year, 2022);
}
