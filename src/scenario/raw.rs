//! Raw serde shapes of plan and scenario files, with spans kept for error messages.
//!
//! These structs mirror the TOML one to one and reject unknown keys; they check nothing else.
//! `plan.rs` and `build.rs` turn them into the validated model.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub plan: Spanned<PlanHeader>,
    #[serde(default)]
    pub indicator: Vec<Spanned<RawIndicator>>,
    #[serde(default)]
    pub target: Vec<Spanned<RawTarget>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanHeader {
    pub id: Spanned<String>,
    pub title: String,
    pub title_en: Option<String>,
    pub region: Option<String>,
    pub source: Option<String>,
    pub source_locator: Option<Spanned<String>>,
    pub base_year: Spanned<i64>,
    pub target_year: Spanned<i64>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub line: Spanned<i64>,
    pub quote: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    pub id: Spanned<String>,
    pub name: String,
    pub name_en: Option<String>,
    pub unit: Option<String>,
    pub base: Option<Spanned<f64>>,
    pub better: Spanned<String>,
    pub source: Option<RawSource>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    pub id: Spanned<String>,
    pub indicator: Spanned<String>,
    pub metric: Spanned<String>,
    pub op: Option<Spanned<String>>,
    pub value: Option<Spanned<toml::Value>>,
    pub attribute: Option<Spanned<String>>,
    pub year: Option<Spanned<i64>>,
    pub actual: Option<Spanned<f64>>,
    pub relative_to: Option<Spanned<String>>,
    pub direction: Option<Spanned<String>>,
    pub tolerance: Option<Spanned<f64>>,
    pub source: Option<RawSource>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub plan: Option<Spanned<String>>,
    pub extends: Option<Spanned<String>>,
    pub scenario: Option<ScenarioHeader>,
    #[serde(default)]
    pub process: BTreeMap<String, Spanned<RawProcess>>,
    #[serde(default)]
    pub correlation: Vec<Spanned<RawCorrelation>>,
    #[serde(default)]
    pub shock: Vec<Spanned<RawShock>>,
    #[serde(default)]
    pub observed: BTreeMap<String, Spanned<BTreeMap<String, Spanned<f64>>>>,
    #[serde(default)]
    pub targets: BTreeMap<String, Spanned<RawTargetOverride>>,
    pub evaluation: Option<RawEvaluation>,
    /// Steering defaults by attribute for every steerable process.
    pub steering: Option<Spanned<RawSteering>>,
    /// A calibration file (`attain calibrate`) whose steering this scenario uses.
    pub calibration: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSteering {
    pub binding: Option<Spanned<RawSteerSetting>>,
    pub expected: Option<Spanned<RawSteerSetting>>,
    /// Expected targets of money-valued market aggregates (default: as `expected`).
    pub market: Option<Spanned<RawSteerSetting>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSteerSetting {
    pub strength: Spanned<f64>,
    pub margin: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSteer {
    pub target: Option<Spanned<String>>,
    pub strength: Option<Spanned<f64>>,
    pub margin: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioHeader {
    pub name: Option<String>,
    pub description: Option<String>,
    pub runs: Option<Spanned<i64>>,
    pub seed: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProcess {
    pub model: Spanned<String>,
    pub rate: Option<Spanned<RawDist>>,
    pub factor: Option<Spanned<RawDist>>,
    pub step: Option<Spanned<RawDist>>,
    pub value: Option<Spanned<RawDist>>,
    pub persistence: Option<Spanned<f64>>,
    pub bounds: Option<Spanned<Vec<f64>>>,
    pub formula: Option<Spanned<String>>,
    pub base: Option<Spanned<f64>>,
    pub steer: Option<Spanned<RawSteer>>,
    /// The unit the process simulates when it differs from the plan's (an index, a fraction, …),
    /// for reports: charts and tables then print values and targets in this unit.
    pub unit: Option<String>,
    /// Free text for readers of the file; not used by the engine.
    #[allow(dead_code)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    pub dist: String,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub min: Option<f64>,
    pub mode: Option<f64>,
    pub max: Option<f64>,
    pub p05: Option<f64>,
    pub p10: Option<f64>,
    pub p90: Option<f64>,
    pub p95: Option<f64>,
    pub scale: Option<f64>,
    pub df: Option<f64>,
    pub sd_low: Option<f64>,
    pub sd_high: Option<f64>,
    pub value: Option<f64>,
    pub values: Option<Vec<f64>>,
    pub clamp: Option<Vec<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCorrelation {
    pub between: Spanned<Vec<String>>,
    pub rho: Spanned<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShock {
    pub name: Spanned<String>,
    pub probability: Spanned<f64>,
    pub years: Option<Spanned<Vec<i64>>>,
    pub effect: Spanned<BTreeMap<String, Spanned<f64>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTargetOverride {
    pub value: Option<Spanned<toml::Value>>,
    /// The value is a stand-in for one the plan does not state (e.g. a province's assignment not
    /// yet published): the target is simulated but never scored against an `actual`.
    pub placeholder: Option<bool>,
    pub tolerance: Option<Spanned<f64>>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvaluation {
    pub about_tolerance_pp: Option<Spanned<f64>>,
    pub about_tolerance_pct: Option<Spanned<f64>>,
}
