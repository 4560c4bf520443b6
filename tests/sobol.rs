//! Sobol indices through the engine: a target driven by one input only has S = S_T = 1 for it and
//! 0 for an irrelevant input; a target driven equally by two independent inputs splits its total
//! effects symmetrically.

mod common;
use common::*;

#[test]
fn relevant_and_irrelevant_inputs() {
    let case = Case::new(
        &plan(
            r#"
[[indicator]]
id = "a"
name = "a"
base = 0.0
better = "higher"

[[indicator]]
id = "b"
name = "b"
base = 0.0
better = "higher"

[[indicator]]
id = "s"
name = "a + b"
better = "higher"

[[target]]
id = "only_a"
indicator = "a"
metric = "level"
op = "at_least"
value = 0.3

[[target]]
id = "both"
indicator = "s"
metric = "level"
op = "at_least"
value = 0.5
"#,
        ),
        r#"
[process.a]
model = "level"
value = { dist = "normal", mean = 0.0, sd = 1.0 }

[process.b]
model = "level"
value = { dist = "normal", mean = 0.0, sd = 1.0 }

[process.s]
model = "derived"
formula = "a + b"
"#,
    );
    let model = case.model();
    let idx = attain::analysis::sobol::sobol_indices(&model, 40_960, 11, 200, None).unwrap();
    let only_a = idx.targets.iter().find(|t| t.target == "only_a").unwrap();
    let get = |t: &attain::analysis::sobol::TargetIndices, name: &str| {
        t.inputs.iter().find(|i| i.input == name).unwrap().clone()
    };
    let (a, b) = (get(only_a, "a"), get(only_a, "b"));
    // Y depends on a alone: Y_A − Y_AB(b) ≡ 0 exactly (common random numbers), and S_a = S_Ta = 1.
    assert_eq!(b.total, 0.0);
    assert!(
        (a.total - 1.0).abs() < 0.05 && (a.first_order - 1.0).abs() < 0.05,
        "{a:?}"
    );
    assert!(b.first_order.abs() < 0.05, "{b:?}");
    assert!(a.total_ci[0] <= a.total && a.total <= a.total_ci[1]);
    // Symmetric inputs: equal total effects within their bootstrap intervals, each well below 1.
    let both = idx.targets.iter().find(|t| t.target == "both").unwrap();
    let (a, b) = (get(both, "a"), get(both, "b"));
    assert!((a.total - b.total).abs() < 0.06, "{a:?} {b:?}");
    assert!(a.total > 0.4 && a.total < 0.9 && a.first_order < a.total + 0.05);
}

#[test]
fn sensitivity_method_sobol_writes_indices_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sobol");
    let ex = repo().join("tests/fixtures/example.toml");
    let o = attain(
        &[
            "sensitivity",
            ex.to_str().unwrap(),
            "--method",
            "sobol",
            "--runs",
            "8192",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ],
        &repo(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(
        table.contains("gdp_growth") && table.contains("total"),
        "{table}"
    );
    for f in [
        "sobol.json",
        "sobol.csv",
        "sobol-gdp_growth.svg",
        "sobol-gdp_growth.png",
        "sobol-urbanization_2025.svg",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let j: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("sobol.json")).unwrap()).unwrap();
    // The GDP target depends on the GDP draws only (urbanization is correlated with GDP, not the
    // reverse: GDP leads the Cholesky factor), so urbanization's total effect on it is exactly 0.
    let gdp = j["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target"] == "gdp_growth")
        .unwrap();
    let urb = gdp["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["input"] == "urbanization")
        .unwrap();
    assert_eq!(urb["total"].as_f64().unwrap(), 0.0);
}
