//! The production Sobol estimators against known indices.
//!
//! * [`jansen`] on an additive function, whose indices are its variance shares;
//! * [`Sums::indices`] (the met-indicator form) on Boolean functions with known indices;
//! * [`sobol_indices`] through the engine: a target driven by one input only has S = S_T = 1 for
//!   it and 0 for an irrelevant input; a pure interaction (the sign of a product) has S = 0 and
//!   S_T = 1; a conjunction of two fair coins has S = 1/3 and S_T = 2/3; two symmetric inputs split
//!   their total effects evenly.

mod common;
use attain::analysis::sobol::{Sums, TargetIndices, jansen, sobol_indices};
use common::*;

/// A uniform stream on [0, 1) for the hand-built designs.
fn uniforms(seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed;
    move || {
        state = state
            .wrapping_add(0x9E37_79B9_7F4A_7C15)
            .wrapping_mul(0xBF58_476D_1CE4_E5B9);
        state ^= state >> 31;
        (state >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A's row with input `i` taken from B's row (the AB_i design).
fn swapped<T: Copy>(a: [T; 3], b: [T; 3], i: usize) -> [T; 3] {
    let mut x = a;
    x[i] = b[i];
    x
}

/// A Boolean function of three inputs.
type Boolean = fn(&[bool; 3]) -> bool;

/// Y = 1·X1 + 2·X2 + 0·X3 with independent uniform X: additive, so S_i = S_Ti = a_i² / Σ a² =
/// (0.2, 0.8, 0). The Saltelli design is built here; the indices come from the production
/// estimator.
#[test]
fn jansen_recovers_the_variance_shares_of_an_additive_function() {
    let n = 200_000;
    let mut u = uniforms(12345);
    let a = [1.0, 2.0, 0.0];
    let f = |x: &[f64; 3]| a[0] * x[0] + a[1] * x[1] + a[2] * x[2];
    let (mut sum, mut sum_sq) = (0.0, 0.0);
    let (mut total, mut first) = ([0.0; 3], [0.0; 3]);
    for _ in 0..n {
        let xa = [u(), u(), u()];
        let xb = [u(), u(), u()];
        let (ya, yb) = (f(&xa), f(&xb));
        sum += ya + yb;
        sum_sq += ya * ya + yb * yb;
        for i in 0..3 {
            let yab = f(&swapped(xa, xb, i));
            total[i] += (ya - yab).powi(2);
            first[i] += (yb - yab).powi(2);
        }
    }
    let nf = n as f64;
    let mean = sum / (2.0 * nf);
    let v = sum_sq / (2.0 * nf) - mean * mean;
    let truth = [0.2, 0.8, 0.0];
    for i in 0..3 {
        let (s1, st) = jansen(nf, v, total[i], first[i]);
        assert!((st - truth[i]).abs() < 0.01, "total {i}: {st}");
        assert!((s1 - truth[i]).abs() < 0.02, "first {i}: {s1}");
    }
    // An input that does not vary the output: S_T = 0 exactly.
    assert_eq!(jansen(nf, v, total[2], first[2]).1, 0.0);
    // No variance, no indices.
    assert!(jansen(nf, 0.0, 0.0, 0.0).0.is_nan() && jansen(nf, 0.0, 0.0, 0.0).1.is_nan());
}

/// The met-indicator form on Boolean functions of three fair coins (X3 irrelevant):
/// Y = X1 ∧ X2 has V = 3/16, S_i = (1/16)/V = 1/3 and S_Ti = (1/8)/V = 2/3 for i = 1, 2;
/// Y = X1 has S_1 = S_T1 = 1. Counts are collected the way the engine's chunks collect them.
#[test]
fn met_indicator_indices_of_boolean_functions() {
    let n = 400_000u64;
    let cases: [(&str, Boolean, [f64; 3], [f64; 3]); 2] = [
        (
            "x1 and x2",
            |x| x[0] && x[1],
            [1.0 / 3.0, 1.0 / 3.0, 0.0],
            [2.0 / 3.0, 2.0 / 3.0, 0.0],
        ),
        ("x1", |x| x[0], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]),
    ];
    for (what, f, s1, st) in cases {
        let mut u = uniforms(7);
        let mut coin = || u() < 0.5;
        let mut sums = Sums {
            total: vec![0; 3],
            first: vec![0; 3],
            ..Default::default()
        };
        for _ in 0..n {
            let xa = [coin(), coin(), coin()];
            let xb = [coin(), coin(), coin()];
            let (ya, yb) = (f(&xa), f(&xb));
            sums.n += 1;
            sums.ya += ya as u64;
            sums.yb += yb as u64;
            for i in 0..3 {
                let yab = f(&swapped(xa, xb, i));
                sums.total[i] += (ya != yab) as u64;
                sums.first[i] += (yb != yab) as u64;
            }
        }
        let idx = sums.indices();
        for i in 0..3 {
            assert!(
                (idx[i].0 - s1[i]).abs() < 0.01,
                "{what}: S_{i} = {}",
                idx[i].0
            );
            assert!(
                (idx[i].1 - st[i]).abs() < 0.01,
                "{what}: S_T{i} = {}",
                idx[i].1
            );
        }
        assert_eq!(idx[2].1, 0.0, "{what}: the irrelevant input");
    }
    // A hand-made case: Y_A = (1, 1, 0, 0), Y_B = (0, 0, 1, 1); input 0 swaps Y_A into Y_B's
    // values (S = S_T = 1 by the formulas), input 1 leaves Y_A unchanged (S_T = 0, S = −1).
    let s = Sums {
        n: 4,
        ya: 2,
        yb: 2,
        total: vec![2, 0],
        first: vec![0, 4],
    };
    let idx = s.indices();
    assert!((idx[0].1 - 1.0).abs() < 1e-12 && (idx[0].0 - 1.0).abs() < 1e-12);
    assert!(idx[1].1.abs() < 1e-12 && (idx[1].0 + 1.0).abs() < 1e-12);
}

/// Two level indicators `a` and `b` drawn by `dist`, a derived `s` by `formula`, and targets:
/// `only_a` (a ≥ `a_at`) and `s_met` (s ≥ `s_at`).
fn two_input_case(dist: &str, formula: &str, a_at: f64, s_at: f64) -> Case {
    let plan = PlanBuilder::new()
        .indicator("a", "a", 0.0, "higher")
        .indicator("b", "b", 0.0, "higher")
        .derived("s", "s", "higher")
        .target("only_a", "a", "level", "at_least", a_at)
        .target("s_met", "s", "level", "at_least", s_at)
        .build();
    Case::new(
        &plan,
        &format!(
            r#"
[process.a]
model = "level"
value = {dist}

[process.b]
model = "level"
value = {dist}

[process.s]
model = "derived"
formula = "{formula}"
"#
        ),
    )
}

fn input(t: &TargetIndices, name: &str) -> attain::analysis::sobol::InputIndex {
    t.inputs
        .iter()
        .find(|i| i.input == name)
        .unwrap_or_else(|| panic!("no input {name} for {}", t.target))
        .clone()
}

fn target_indices<'a>(
    idx: &'a attain::analysis::sobol::SobolIndices,
    id: &str,
) -> &'a TargetIndices {
    idx.targets
        .iter()
        .find(|t| t.target == id)
        .unwrap_or_else(|| panic!("no target {id}"))
}

#[test]
fn relevant_and_irrelevant_inputs() {
    let normal = r#"{ dist = "normal", mean = 0.0, sd = 1.0 }"#;
    let model = two_input_case(normal, "a + b", 0.3, 0.5).model();
    let idx = sobol_indices(&model, 40_960, 11, 200, None).unwrap();
    let only_a = target_indices(&idx, "only_a");
    let (a, b) = (input(only_a, "a"), input(only_a, "b"));
    // Y depends on a alone: Y_A − Y_AB(b) ≡ 0 exactly (common random numbers), and S_a = S_Ta = 1.
    assert_eq!(b.total, 0.0);
    assert!(
        (a.total - 1.0).abs() < 0.05 && (a.first_order - 1.0).abs() < 0.05,
        "{a:?}"
    );
    assert!(b.first_order.abs() < 0.05, "{b:?}");
    assert!(a.total_ci[0] <= a.total && a.total <= a.total_ci[1]);
    // Symmetric inputs: equal total effects within their bootstrap intervals, each well below 1.
    let both = target_indices(&idx, "s_met");
    let (a, b) = (input(both, "a"), input(both, "b"));
    assert!((a.total - b.total).abs() < 0.06, "{a:?} {b:?}");
    assert!(a.total > 0.4 && a.total < 0.9 && a.first_order < a.total + 0.05);
}

#[test]
fn known_indices_of_interactions_through_the_engine() {
    // a·b ≥ 0 for independent centred normals: "same sign", a pure interaction of two fair coins,
    // so S = 0 and S_T = 1 for both inputs.
    let normal = r#"{ dist = "normal", mean = 0.0, sd = 1.0 }"#;
    let model = two_input_case(normal, "a * b", 0.0, 0.0).model();
    let idx = sobol_indices(&model, 40_960, 5, 100, None).unwrap();
    let t = target_indices(&idx, "s_met");
    for name in ["a", "b"] {
        let i = input(t, name);
        assert!(i.first_order.abs() < 0.05, "{i:?}");
        assert!((i.total - 1.0).abs() < 0.05, "{i:?}");
    }
    // a·b ≥ 0.5 for fair 0/1 coins: a ∧ b, with S = 1/3 and S_T = 2/3 for both inputs.
    let coin = r#"{ dist = "empirical", values = [0.0, 1.0] }"#;
    let model = two_input_case(coin, "a * b", 0.5, 0.5).model();
    let idx = sobol_indices(&model, 40_960, 5, 100, None).unwrap();
    let t = target_indices(&idx, "s_met");
    assert!((t.p_met - 0.25).abs() < 0.01, "P(a ∧ b) = {}", t.p_met);
    for name in ["a", "b"] {
        let i = input(t, name);
        assert!((i.first_order - 1.0 / 3.0).abs() < 0.05, "{i:?}");
        assert!((i.total - 2.0 / 3.0).abs() < 0.05, "{i:?}");
    }
    // And `only_a` of the coins: S = S_T = 1 for a, exactly 0 total for b.
    let t = target_indices(&idx, "only_a");
    assert_eq!(input(t, "b").total, 0.0);
    assert!((input(t, "a").total - 1.0).abs() < 0.05);
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
        "sobol.md",
        "sobol-gdp_growth.svg",
        "sobol-gdp_growth.png",
        "sobol-urbanization_2025.svg",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let j: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("sobol.json")).unwrap()).unwrap();
    // GDP and urbanization are correlated: they are one input, a block named by both (an index of
    // either alone would measure a Cholesky innovation, not the indicator), which drives the GDP
    // target entirely.
    let gdp = j["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target"] == "gdp_growth")
        .unwrap();
    let inputs = gdp["inputs"].as_array().unwrap();
    assert!(inputs.iter().all(|i| i["input"] != "urbanization"));
    let block = inputs
        .iter()
        .find(|i| {
            let name = i["input"].as_str().unwrap_or("");
            name.contains("urbanization") && name.ends_with("(correlated)")
        })
        .unwrap_or_else(|| panic!("no correlated block in {inputs:?}"));
    assert!(block["total"].as_f64().unwrap() > 0.5, "{block}");
    // The Markdown file is a Markdown table, not the terminal's aligned columns.
    let md = std::fs::read_to_string(out.join("sobol.md")).unwrap();
    assert!(md.starts_with("## Sobol indices"), "{md}");
    assert!(
        md.contains("| input | first order | 95% CI | total | 95% CI |"),
        "{md}"
    );
}
