//! The validated model: what the engine simulates and how targets are judged.
//!
//! Everything here has been checked by `scenario`; the engine trusts it. Indicators are referred to
//! by index, formulas are compiled to a small stack program, targets carry their resolved met-region.

pub mod dist;
pub mod formula;
pub mod special;
pub mod steer;
pub mod target;
pub mod track;

pub use dist::{Dist, Family};
pub use formula::Program;
pub use steer::{Steer, SteerDefaults, SteerSetting};
pub use target::{Attribute, Better, Metric, Op, Rule, Target, TargetValue};

use std::path::PathBuf;

/// Where a fact comes from in the source document.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SourceRef {
    /// 1-based line, or a character offset when the plan says `source_locator = "char_offset"`.
    pub line: i64,
    pub quote: String,
}

/// One plan: its indicators and targets, as transcribed.
#[derive(Debug, Clone)]
pub struct Plan {
    pub path: PathBuf,
    pub id: String,
    pub title: String,
    pub title_en: Option<String>,
    pub region: Option<String>,
    pub source: Option<String>,
    /// `line` or `char_offset`.
    pub source_locator: String,
    pub base_year: i32,
    pub target_year: i32,
    pub note: Option<String>,
    pub indicators: Vec<Indicator>,
    pub targets: Vec<Target>,
}

impl Plan {
    pub fn indicator_index(&self, id: &str) -> Option<usize> {
        self.indicators.iter().position(|i| i.id == id)
    }
}

/// A plan indicator.
#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    pub unit: Option<String>,
    /// Value in the plan's base year, if the plan gives one.
    pub base: Option<f64>,
    pub better: Better,
    pub source: Option<SourceRef>,
    pub note: Option<String>,
}

/// How an indicator evolves from one year to the next.
#[derive(Debug, Clone)]
pub enum Process {
    /// x_t = x_{t−1}·(1 + r_t) (or x_{t−1}·f_t when `factor`).
    Growth {
        dist: Dist,
        factor: bool,
        persistence: f64,
    },
    /// x_t = clamp(x_{t−1} + d_t, bounds).
    Increment {
        dist: Dist,
        persistence: f64,
        bounds: (f64, f64),
    },
    /// x_t drawn afresh each year, clamped to `bounds` (after steering).
    Level { dist: Dist, bounds: (f64, f64) },
    /// x_t computed from other indicators of the same year.
    Derived { formula: String, program: Program },
}

impl Process {
    pub fn dist(&self) -> Option<&Dist> {
        match self {
            Process::Growth { dist, .. }
            | Process::Increment { dist, .. }
            | Process::Level { dist, .. } => Some(dist),
            Process::Derived { .. } => None,
        }
    }

    pub fn persistence(&self) -> f64 {
        match self {
            Process::Growth { persistence, .. } | Process::Increment { persistence, .. } => {
                *persistence
            }
            _ => 0.0,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Process::Growth { .. } => "growth",
            Process::Increment { .. } => "increment",
            Process::Level { .. } => "level",
            Process::Derived { .. } => "derived",
        }
    }
}

/// An indicator as the engine simulates it.
#[derive(Debug, Clone)]
pub struct SimIndicator {
    /// Index into `plan.indicators`.
    pub plan_index: usize,
    pub process: Process,
    /// Base-year value used by the simulation.
    pub base: f64,
    /// Known values for years base_year+1 ..= last_known_year (observed, or interpolated between
    /// observations); empty when nothing after the base year is observed.
    pub known: Vec<f64>,
    /// Years with a genuine observation (for reports), with values.
    pub observed: Vec<(i32, f64)>,
    /// Index into the model's draws (0..`Model::draw_count`) of this indicator's yearly draw, if it has one.
    pub draw: Option<usize>,
    /// Steering toward a target (never with strength 0).
    pub steer: Option<Steer>,
    /// The unit simulated, when the scenario declares one that differs from the plan's (e.g.
    /// `index (2020 = 100)` where the plan gives no level): reports print values in it.
    pub unit: Option<String>,
}

impl SimIndicator {
    /// The last year whose value is known (the base year if nothing is observed).
    pub fn last_known_year(&self, base_year: i32) -> i32 {
        base_year + self.known.len() as i32
    }

    /// The value in the last known year.
    pub fn last_known_value(&self) -> f64 {
        self.known.last().copied().unwrap_or(self.base)
    }
}

/// The Gaussian copula over the correlated draws.
#[derive(Debug, Clone)]
pub struct Copula {
    /// Draw indices, in the order of the Cholesky factor's rows.
    pub members: Vec<usize>,
    /// Lower-triangular Cholesky factor (row-major, members × members) of the Pearson matrix
    /// 2·sin(π·ρ/6) of the normal scores.
    pub chol: Vec<f64>,
}

/// A discrete shock.
#[derive(Debug, Clone)]
pub struct Shock {
    pub name: String,
    pub probability: f64,
    pub first_year: i32,
    pub last_year: i32,
    /// (simulated-indicator index, additive effect on that year's draw).
    pub effects: Vec<(usize, f64)>,
}

/// How `about` targets are judged, as the report must state it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Evaluation {
    /// Tolerance for rate-like metrics (cagr, reduction, cagr_gap), as a fraction (0.005 = 0.5 pp).
    pub rate_tolerance: f64,
    /// Tolerance for the other metrics as a fraction of |value| (0.01 = 1 %).
    pub relative_tolerance: f64,
}

impl Default for Evaluation {
    fn default() -> Self {
        Evaluation {
            rate_tolerance: 0.005,
            relative_tolerance: 0.01,
        }
    }
}

/// A hashed input file, for provenance.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InputFile {
    pub path: String,
    pub sha256: String,
}

/// Scenario metadata.
#[derive(Debug, Clone)]
pub struct ScenarioMeta {
    pub path: PathBuf,
    pub stem: String,
    pub name: String,
    pub description: Option<String>,
    pub runs: u64,
    pub seed: u64,
    pub inputs: Vec<InputFile>,
    /// `--as-of YEAR`: observations after this year were dropped when the scenario was loaded.
    pub as_of: Option<i32>,
}

/// Everything the engine needs, validated.
#[derive(Debug, Clone)]
pub struct Model {
    pub plan: Plan,
    pub scenario: ScenarioMeta,
    /// Targets after scenario overrides (assigned values filled in), in plan order.
    pub targets: Vec<Target>,
    /// Simulated indicators in evaluation order (every derived indicator after its inputs).
    pub sims: Vec<SimIndicator>,
    /// For each plan indicator, its index in `sims`, if simulated.
    pub sim_of: Vec<Option<usize>>,
    /// Number of independent yearly draws per run (one per stochastic indicator).
    pub draw_count: usize,
    pub copula: Option<Copula>,
    pub shocks: Vec<Shock>,
    pub evaluation: Evaluation,
    /// The last simulated year (the latest target year).
    pub end_year: i32,
    /// Scenario-wide steering defaults by attribute, and where they came from.
    pub steering: Option<(SteerDefaults, String)>,
    /// The calibration file behind the scenario's method (`--calibration`, or the scenario's
    /// `calibration = "…"`), whose out-of-sample track record reports show.
    pub calibration: Option<PathBuf>,
    pub warnings: Vec<String>,
    /// The targets that can be simulated, computed once by [`Model::with_simulated_targets`] when
    /// the model is built (they depend on the targets, the evaluation rules and the simulated
    /// indicators' base values, which nothing changes afterwards).
    pub(crate) sim_targets: Vec<SimTarget>,
}

impl Model {
    /// Finishes a model built by the scenario loader: computes its simulated targets.
    pub(crate) fn with_simulated_targets(mut self) -> Model {
        self.sim_targets = compute_simulated_targets(&self);
        self
    }

    pub fn base_year(&self) -> i32 {
        self.plan.base_year
    }

    /// Years simulated after the base year.
    pub fn horizon(&self) -> usize {
        (self.end_year - self.plan.base_year) as usize
    }

    pub fn indicator_of(&self, sim: usize) -> &Indicator {
        &self.plan.indicators[self.sims[sim].plan_index]
    }
}

/// A target the engine evaluates.
#[derive(Debug, Clone)]
pub struct SimTarget {
    /// Index into `model.targets`.
    pub target: usize,
    pub metric: Metric,
    /// Simulated-indicator index of the target's indicator.
    pub sim: usize,
    /// Simulated-indicator index of `relative_to`, for cagr_gap and ratio.
    pub other: Option<usize>,
    pub rule: Rule,
    /// Years after the base year at which the target is judged (≥ 1).
    pub offset: usize,
    pub binding: bool,
    /// The on-track rule for each year up to `offset`.
    pub track: track::Track,
}

/// The targets that can be simulated, in plan order.
pub fn simulated_targets(model: &Model) -> &[SimTarget] {
    &model.sim_targets
}

/// Computes [`simulated_targets`] from the model's parts.
fn compute_simulated_targets(model: &Model) -> Vec<SimTarget> {
    let mut out = Vec::new();
    for (k, t) in model.targets.iter().enumerate() {
        if t.metric == Metric::Qualitative {
            continue;
        }
        let Some(sim) = model.sim_of[t.indicator] else {
            continue;
        };
        let other = match t.relative_to {
            Some(r) => match model.sim_of[r] {
                Some(s) => Some(s),
                None => continue,
            },
            None => None,
        };
        let better = model.plan.indicators[t.indicator].better;
        let Some(rule) = t.rule(&model.evaluation, better) else {
            continue;
        };
        let offset = (t.year - model.plan.base_year) as usize;
        let yb = other.map_or(f64::NAN, |o| model.sims[o].base);
        out.push(SimTarget {
            target: k,
            metric: t.metric,
            sim,
            other,
            rule,
            offset,
            binding: t.attribute == Attribute::Binding,
            track: track::trajectory(t.metric, rule, offset, model.sims[sim].base, yb),
        });
    }
    out
}
