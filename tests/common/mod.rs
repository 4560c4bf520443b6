//! Shared helpers for the integration tests: write a plan and a scenario into a temporary
//! directory, run them through the library, run the binary.
#![allow(dead_code)]

pub mod corpus;

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

/// The source documents beside the repository (`../shared/seeds`), for the tests that check quotes
/// and line numbers against them. When the directory is missing, the test is skipped with a
/// visible line on stderr, or fails when `ATTAIN_REQUIRE_SHARED=1` (as in CI, which always has
/// `../shared` beside the clone). Call it first and return on `None`:
///
/// ```ignore
/// let Some(seeds) = shared_seeds("my_test") else { return };
/// ```
pub fn shared_seeds(test: &str) -> Option<PathBuf> {
    let dir = repo().join("../shared/seeds");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("ATTAIN_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!(
            "{test}: ATTAIN_REQUIRE_SHARED=1 but {} is not a directory",
            dir.display()
        );
    }
    eprintln!(
        "SKIPPED {test}: ../shared/seeds not found (set ATTAIN_REQUIRE_SHARED=1 to require it)"
    );
    None
}

/// A target value as written in a plan: a number, a range `[lo, hi]`, or a string (`"assigned"`).
pub trait PlanValue {
    fn toml(&self) -> String;
}

impl PlanValue for f64 {
    fn toml(&self) -> String {
        format!("{self:?}")
    }
}

impl PlanValue for [f64; 2] {
    fn toml(&self) -> String {
        format!("[{:?}, {:?}]", self[0], self[1])
    }
}

/// A string value: `"assigned"`.
impl PlanValue for &str {
    fn toml(&self) -> String {
        format!("{self:?}")
    }
}

/// A plan in TOML, block by block, for the tests that need small plans of the usual shape:
///
/// ```ignore
/// let plan = PlanBuilder::new()
///     .indicator("gdp", "GDP", 100.0, "higher")
///     .unit("100m yuan")
///     .target("gdp_growth", "gdp", "cagr", "at_least", 0.07)
///     .attribute("binding")
///     .build();
/// ```
///
/// The header is that of [`plan`] (id `test`, base year 2020, target year 2025) unless `years`
/// says otherwise. `unit`, `attribute`, `actual`, `note` and `with` add a key to the block written
/// last.
#[derive(Debug, Clone, Default)]
pub struct PlanBuilder {
    years: Option<(i32, i32)>,
    body: String,
}

impl PlanBuilder {
    pub fn new() -> PlanBuilder {
        PlanBuilder::default()
    }

    /// The plan's base and target years (default 2020 and 2025).
    pub fn years(mut self, base_year: i32, target_year: i32) -> PlanBuilder {
        self.years = Some((base_year, target_year));
        self
    }

    /// An `[[indicator]]` with a base value.
    pub fn indicator(self, id: &str, name: &str, base: f64, better: &str) -> PlanBuilder {
        self.block(&format!(
            "[[indicator]]\nid = \"{id}\"\nname = \"{name}\"\nbase = {base:?}\nbetter = \"{better}\"\n"
        ))
    }

    /// An `[[indicator]]` without a base value (derived by a formula).
    pub fn derived(self, id: &str, name: &str, better: &str) -> PlanBuilder {
        self.block(&format!(
            "[[indicator]]\nid = \"{id}\"\nname = \"{name}\"\nbetter = \"{better}\"\n"
        ))
    }

    /// A numeric `[[target]]`.
    pub fn target(
        self,
        id: &str,
        indicator: &str,
        metric: &str,
        op: &str,
        value: impl PlanValue,
    ) -> PlanBuilder {
        self.block(&format!(
            "[[target]]\nid = \"{id}\"\nindicator = \"{indicator}\"\nmetric = \"{metric}\"\nop = \"{op}\"\nvalue = {}\n",
            value.toml()
        ))
    }

    /// A qualitative `[[target]]` (no op, no value).
    pub fn qualitative(self, id: &str, indicator: &str) -> PlanBuilder {
        self.block(&format!(
            "[[target]]\nid = \"{id}\"\nindicator = \"{indicator}\"\nmetric = \"qualitative\"\n"
        ))
    }

    /// `unit = "…"` on the last block.
    pub fn unit(self, unit: &str) -> PlanBuilder {
        self.with("unit", &format!("\"{unit}\""))
    }

    /// `attribute = "…"` on the last block.
    pub fn attribute(self, attribute: &str) -> PlanBuilder {
        self.with("attribute", &format!("\"{attribute}\""))
    }

    /// `actual = …` (the outcome, for backtests) on the last block.
    pub fn actual(self, actual: f64) -> PlanBuilder {
        self.with("actual", &actual.toml())
    }

    /// `note = "…"` on the last block.
    pub fn note(self, note: &str) -> PlanBuilder {
        self.with("note", &format!("{note:?}"))
    }

    /// `key = value` (raw TOML) on the last block.
    pub fn with(mut self, key: &str, value: &str) -> PlanBuilder {
        assert!(!self.body.is_empty(), "`{key}` before any block");
        self.body.push_str(&format!("{key} = {value}\n"));
        self
    }

    fn block(mut self, text: &str) -> PlanBuilder {
        self.body.push('\n');
        self.body.push_str(text);
        self
    }

    /// The blocks alone, without the `[plan]` header.
    pub fn body(&self) -> String {
        self.body.clone()
    }

    /// The whole plan.
    pub fn build(&self) -> String {
        let (base_year, target_year) = self.years.unwrap_or((2020, 2025));
        format!(
            "[plan]\nid = \"test\"\ntitle = \"test plan\"\nbase_year = {base_year}\ntarget_year = {target_year}\n{}",
            self.body
        )
    }
}
