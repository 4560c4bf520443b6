//! Steering in the analyses: its strength and margin are one-at-a-time sensitivity inputs (the
//! aimed path recomputed for a moved margin, as the scenario loader builds it), and the assumptions
//! echo (results.json, report.html) shows each process's steering and where it came from.

mod common;
use attain::analysis::sensitivity;
use attain::model::Model;
use common::*;

/// One steered increment indicator (`urban`, at_least target) and one unsteered growth indicator.
fn steer_plan() -> String {
    PlanBuilder::new()
        .indicator("urban", "城镇化率", 50.0, "higher")
        .unit("%")
        .indicator("gdp", "GDP", 100.0, "higher")
        .unit("100m yuan")
        .target("u60", "urban", "level", "at_least", 60.0)
        .attribute("binding")
        .target("gdp_growth", "gdp", "cagr", "at_least", 0.06)
        .attribute("expected")
        .build()
}

fn steer_case(step_sd: f64, steer: &str, extra: &str) -> Case {
    Case::new(
        &steer_plan(),
        &format!(
            r#"
[process.urban]
model = "increment"
step = {{ dist = "normal", mean = 1.0, sd = {step_sd} }}
{steer}

[process.gdp]
model = "growth"
rate = {{ dist = "normal", mean = 0.06, sd = 0.01 }}

{extra}
"#
        ),
    )
}

fn oat(model: &Model, targets: &[&str]) -> sensitivity::Sensitivity {
    let o = sensitivity::Options {
        swing: 0.25,
        runs: 20_000,
        seed: 7,
        threads: None,
        targets: targets.iter().map(|s| s.to_string()).collect(),
    };
    sensitivity::oat(model, &o, &|_| {}).expect("sensitivity")
}

fn path_of(m: &Model, ind: &str) -> Vec<f64> {
    let s = m
        .sims
        .iter()
        .find(|s| m.plan.indicators[s.plan_index].id == ind)
        .expect("simulated");
    s.steer.as_ref().expect("steered").path.clone()
}

#[test]
fn steering_strength_and_margin_are_sensitivity_inputs_of_the_right_sign() {
    let case = steer_case(0.5, "steer = { strength = 0.5, margin = 0.3 }", "");
    let model = case.model();
    let s = oat(&model, &["u60", "gdp_growth"]);
    let param = |id: &str| {
        s.parameters
            .iter()
            .find(|p| p.id == id)
            .unwrap_or_else(|| panic!("{id} in {:?}", ids(&s)))
    };
    let k = param("urban.steer.strength");
    assert_eq!((k.base, k.low, k.high), (0.5, 0.25, 0.75));
    let m = param("urban.steer.margin");
    assert!((m.base - 0.3).abs() < 1e-12);
    assert!((m.low - 0.05).abs() < 1e-12 && (m.high - 0.55).abs() < 1e-12);
    // gdp is not steered: no steering inputs for it.
    assert!(!ids(&s).iter().any(|id| id.starts_with("gdp.steer")));
    assert!(s.skipped.is_empty(), "{:?}", s.skipped);

    let t = s.targets.iter().find(|t| t.id == "u60").expect("u60");
    for id in ["urban.steer.strength", "urban.steer.margin"] {
        let b = t.bars.iter().find(|b| b.id == id).expect("bar");
        let (lo, hi) = (b.low.as_ref().unwrap(), b.high.as_ref().unwrap());
        // Steering lifts a process whose trend (mean 55) falls short of 60: more strength or a
        // wider margin raises P(met), and the paired changes are significant.
        assert!(b.impact > 0.0, "{id}");
        assert!(
            lo.change.delta < 0.0 && lo.change.hi < 0.0,
            "{id} low {:?}",
            lo.change
        );
        assert!(
            hi.change.delta > 0.0 && hi.change.lo > 0.0,
            "{id} high {:?}",
            hi.change
        );
    }
    // Sorted by impact with the other inputs.
    assert!(t.bars.windows(2).all(|w| w[0].impact >= w[1].impact));
    // Steering urban does not feed gdp's target: exactly zero with common random numbers.
    let g = s
        .targets
        .iter()
        .find(|t| t.id == "gdp_growth")
        .expect("gdp");
    let urban: Vec<_> = g
        .bars
        .iter()
        .filter(|b| b.id.starts_with("urban."))
        .collect();
    assert!(!urban.is_empty(), "no bar of urban's inputs");
    for b in urban {
        assert_eq!(b.impact, 0.0, "{}", b.id);
    }
}

#[test]
fn a_scenario_without_steering_has_no_steering_inputs() {
    let case = steer_case(0.5, "", "");
    let s = oat(&case.model(), &[]);
    assert!(
        !ids(&s).iter().any(|id| id.contains(".steer.")),
        "{:?}",
        ids(&s)
    );
    assert!(ids(&s).contains(&"urban.persistence".to_string()));
}

#[test]
fn strength_is_kept_in_the_unit_interval() {
    let case = steer_case(0.5, "steer = { strength = 0.9, margin = 0.0 }", "");
    let model = case.model();
    let params = sensitivity::parameters(&model, 0.25);
    let k = params
        .iter()
        .find(|p| p.id == "urban.steer.strength")
        .unwrap();
    assert_eq!((k.low, k.high), (0.65, 1.0));
    let case = steer_case(0.5, "steer = { strength = 0.1, margin = 0.0 }", "");
    let model = case.model();
    let params = sensitivity::parameters(&model, 0.25);
    let k = params
        .iter()
        .find(|p| p.id == "urban.steer.strength")
        .unwrap();
    assert_eq!((k.low, k.high), (0.0, 0.35));
    // Strength 0 is no steering, exactly as a scenario saying so.
    let m = sensitivity::perturbed(&model, k, 0.0).unwrap();
    assert!(m.sims.iter().all(|s| s.steer.is_none()));
}

#[test]
fn a_moved_margin_or_sd_gives_the_path_the_loader_builds() {
    let model = steer_case(0.5, "steer = { strength = 0.5, margin = 0.3 }", "").model();
    let params = sensitivity::parameters(&model, 0.25);
    let find = |id: &str| params.iter().find(|p| p.id == id).unwrap();
    // Margin 0.3 + 0.25 = 0.55.
    let moved = sensitivity::perturbed(&model, find("urban.steer.margin"), 0.55).unwrap();
    let loaded = steer_case(0.5, "steer = { strength = 0.5, margin = 0.55 }", "").model();
    let (a, b) = (path_of(&moved, "urban"), path_of(&loaded, "urban"));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert!((x - y).abs() < 1e-12, "{a:?} vs {b:?}");
    }
    assert!((a[4] - (60.0 + 0.55 * 0.5)).abs() < 1e-12, "{a:?}");
    let st = moved.sims.iter().find_map(|s| s.steer.as_ref()).unwrap();
    assert_eq!((st.setting.strength, st.setting.margin), (0.5, 0.55));
    // The margin is in draw standard deviations: a moved sd re-aims the path too.
    let moved = sensitivity::perturbed(&model, find("urban.step.sd"), 0.625).unwrap();
    let loaded = steer_case(0.625, "steer = { strength = 0.5, margin = 0.3 }", "").model();
    let (a, b) = (path_of(&moved, "urban"), path_of(&loaded, "urban"));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert!((x - y).abs() < 1e-12, "{a:?} vs {b:?}");
    }
}

#[test]
fn assumptions_show_each_process_steering_and_its_source() {
    // The binding default comes from [steering]; gdp's expected target gets its own steer.
    let case = steer_case(
        0.5,
        "",
        "[steering]\nbinding = { strength = 0.6, margin = 0.2 }\n",
    );
    case.write(
        "scenario.toml",
        &format!(
            "{}\n",
            std::fs::read_to_string(case.scenario()).unwrap().replace(
                "model = \"growth\"\n",
                "model = \"growth\"\nsteer = { strength = 0.4, margin = 0.1 }\n"
            )
        ),
    );
    let out = case.path("out");
    let o = attain(
        &[
            "run",
            "scenario.toml",
            "--runs",
            "2000",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ],
        case.dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    let a = &json["assumptions"];
    let process = |id: &str| {
        a["processes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["indicator"] == id)
            .unwrap_or_else(|| panic!("{id} in {a}"))
            .clone()
    };
    let u = &process("urban")["steer"];
    assert_eq!(u["target"], "u60");
    assert_eq!(u["strength"], 0.6);
    assert_eq!(u["margin"], 0.2);
    let src = u["source"].as_str().unwrap();
    assert!(
        src.starts_with("default for binding targets ([steering] of"),
        "{src}"
    );
    let g = &process("gdp")["steer"];
    assert_eq!(g["target"], "gdp_growth");
    assert_eq!(g["strength"], 0.4);
    assert_eq!(g["margin"], 0.1);
    assert_eq!(g["source"], "the process's own `steer`");
    let d = &a["steering"];
    assert_eq!(d["binding"]["strength"], 0.6);
    assert_eq!(d["binding"]["margin"], 0.2);
    assert!(d["source"].as_str().unwrap().starts_with("[steering] of"));

    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<th>steering</th>"));
    assert!(
        html.contains("toward <code>u60</code>: strength 0.6, margin 0.2"),
        "report.html shows urban's steering"
    );
    assert!(html.contains("toward <code>gdp_growth</code>: strength 0.4, margin 0.1"));
    assert!(html.contains("<b>Steering defaults</b>"));

    // Without steering: no steer on any process, no defaults.
    let plain = steer_case(0.5, "", "");
    let a = attain::results::assumptions::Assumptions::of(&plain.model());
    assert!(a.processes.iter().all(|p| p.steer.is_none()));
    assert!(a.steering.is_none());
}

fn ids(s: &sensitivity::Sensitivity) -> Vec<String> {
    s.parameters.iter().map(|p| p.id.clone()).collect()
}

#[test]
fn settings_that_do_not_move_the_simulation_change_nothing() {
    // κ = 1 cannot go higher; gdp's `about` target is aimed at, so its margin moves nothing.
    let case = Case::new(
        &steer_plan().replace(
            "op = \"at_least\"\nvalue = 0.06",
            "op = \"about\"\nvalue = 0.06",
        ),
        r#"
[process.urban]
model = "increment"
step = { dist = "normal", mean = 1.0, sd = 0.5 }
steer = { strength = 1.0, margin = 0.3 }

[process.gdp]
model = "growth"
rate = { dist = "normal", mean = 0.06, sd = 0.01 }
steer = { strength = 0.5, margin = 0.5 }
"#,
    );
    let s = oat(&case.model(), &[]);
    let bar = |t: &str, id: &str| {
        let t = s.targets.iter().find(|x| x.id == t).unwrap();
        t.bars.iter().find(|b| b.id == id).unwrap().clone()
    };
    let b = bar("u60", "urban.steer.strength");
    let hi = b.high.as_ref().unwrap();
    assert_eq!(hi.value, 1.0);
    assert_eq!((hi.change.n10, hi.change.n01, hi.change.delta), (0, 0, 0.0));
    assert!(b.low.as_ref().unwrap().change.delta < 0.0);
    let b = bar("gdp_growth", "gdp.steer.margin");
    assert_eq!(b.impact, 0.0);
    let p_met = s
        .targets
        .iter()
        .find(|t| t.id == "gdp_growth")
        .unwrap()
        .p_met;
    for side in [&b.low, &b.high] {
        let side = side.as_ref().unwrap();
        assert_eq!((side.change.n10, side.change.n01), (0, 0));
        assert_eq!(side.p_met.hits, p_met.hits);
    }
    // The strength of an `about` target's steering still matters.
    assert!(bar("gdp_growth", "gdp.steer.strength").impact > 0.0);
}
