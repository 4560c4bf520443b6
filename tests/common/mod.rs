//! Shared helpers for the integration tests: write a plan and a scenario into a temporary
//! directory, run them through the library, run the binary.
#![allow(dead_code)]

use attain::engine::{self, RunOptions};
use attain::model::Model;
use attain::results::{self, Results};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary directory holding `plan.toml` and `scenario.toml`.
pub struct Case {
    pub dir: tempfile::TempDir,
}

impl Case {
    pub fn new(plan: &str, scenario: &str) -> Case {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("plan.toml"), plan).expect("write plan");
        std::fs::write(
            dir.path().join("scenario.toml"),
            format!("plan = \"plan.toml\"\n{scenario}"),
        )
        .expect("write scenario");
        Case { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn scenario(&self) -> PathBuf {
        self.path("scenario.toml")
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).expect("write");
        p
    }

    pub fn model(&self) -> Model {
        match attain::scenario::load_scenario(&self.scenario()) {
            Ok(m) => m,
            Err(e) => panic!("scenario should load:\n{e}"),
        }
    }

    pub fn run(&self, runs: u64, seed: u64) -> Results {
        run_model(&self.model(), runs, seed, None)
    }
}

pub fn run_model(model: &Model, runs: u64, seed: u64, threads: Option<usize>) -> Results {
    let mut m = model.clone();
    m.scenario.runs = runs;
    m.scenario.seed = seed;
    let acc = engine::run(
        &m,
        &RunOptions {
            runs,
            seed,
            threads,
            shard: None,
            sampling: Default::default(),
        },
        &|_| {},
    )
    .expect("run");
    results::build(&m, &acc)
}

/// A plan with the given indicators and targets (TOML fragments), base 2020, target 2025.
pub fn plan(body: &str) -> String {
    format!(
        "[plan]\nid = \"test\"\ntitle = \"test plan\"\nbase_year = 2020\ntarget_year = 2025\n\n{body}"
    )
}

pub fn target<'a>(r: &'a Results, id: &str) -> &'a attain::results::TargetResult {
    r.targets
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no target {id}"))
}

pub fn p_met(r: &Results, id: &str) -> f64 {
    target(r, id)
        .p_met
        .as_ref()
        .unwrap_or_else(|| panic!("{id} not simulated"))
        .p
}

/// Asserts an estimated probability is within `k` Monte Carlo standard errors of the truth.
pub fn assert_close(est: f64, truth: f64, runs: u64, k: f64, what: &str) {
    let se = (truth * (1.0 - truth) / runs as f64)
        .sqrt()
        .max(1.0 / runs as f64);
    assert!(
        (est - truth).abs() <= k * se,
        "{what}: estimate {est:.5} vs closed form {truth:.5} (|Δ| = {:.5} > {k}·SE = {:.5})",
        (est - truth).abs(),
        k * se
    );
}

pub fn attain(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_attain"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run attain")
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
