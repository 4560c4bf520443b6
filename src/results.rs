//! The typed result of a run: what every report renders, and what `results.json` serialises.
//!
//! Built from a model and an accumulator; contains no timing, thread count or date, so that equal
//! inputs give byte-identical JSON.

use crate::engine::{self, Accumulator, CHUNK};
use crate::model::{Attribute, Better, InputFile, Metric, Model, Process, SourceRef, TargetValue};
pub use crate::stats::{Prob, Z975, wilson};
use serde::Serialize;

pub mod assumptions;
pub mod track_record;
pub use track_record::TrackRecord;

/// Quantiles of a target's metric at its year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MetricQuantiles {
    pub p05: Option<f64>,
    pub p25: Option<f64>,
    pub p50: Option<f64>,
    pub p75: Option<f64>,
    pub p95: Option<f64>,
}

/// Bins of the metric's histogram stored in `results.json` (enough for a smooth chart, small file).
pub const HISTOGRAM_BINS: usize = 50;

/// A compact histogram of a target's metric at its year, for distribution charts.
///
/// `shares[i]` is the fraction of runs with a defined metric whose value lies in
/// (lo + i·width, lo + (i+1)·width]; `lo` and `hi` are the 0.5 % and 99.5 % quantiles, so `below`
/// (≤ lo) and `above` (> hi) hold about 0.5 % each. Shares are rounded to 6 decimals. When the
/// 0.5 % and 99.5 % quantiles coincide, `width` is 0 and `shares` is the single bin of runs ≤ `lo`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Histogram {
    pub lo: f64,
    pub hi: f64,
    pub width: f64,
    pub below: f64,
    pub above: f64,
    pub shares: Vec<f64>,
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl Histogram {
    /// Builds the histogram from a metric sketch; `None` when no run gave a defined value.
    pub fn from_sketch(sk: &engine::sketch::Sketch, bins: usize) -> Option<Histogram> {
        let lo = sk.quantile(0.005)?;
        let hi = sk.quantile(0.995)?;
        let bins = bins.max(1);
        let span = hi - lo;
        if !span.is_finite() || span <= 1e-12 * lo.abs().max(hi.abs()) {
            let at = round6(sk.cdf(hi));
            return Some(Histogram {
                lo,
                hi: lo,
                width: 0.0,
                below: 0.0,
                above: round6(1.0 - at),
                shares: vec![at],
            });
        }
        let width = span / bins as f64;
        let edges: Vec<f64> = (0..=bins)
            .map(|i| if i == bins { hi } else { lo + width * i as f64 })
            .collect();
        let cdf: Vec<f64> = edges.iter().map(|&e| sk.cdf(e)).collect();
        Some(Histogram {
            lo,
            hi,
            width,
            below: round6(cdf[0]),
            above: round6(1.0 - cdf[bins]),
            shares: cdf
                .windows(2)
                .map(|w| round6((w[1] - w[0]).max(0.0)))
                .collect(),
        })
    }

    /// The left edge of bin `i`.
    pub fn edge(&self, i: usize) -> f64 {
        self.lo + self.width * i as f64
    }
}

/// The region of metric values that meets a target: lo ≤ metric ≤ hi, a missing bound being
/// unbounded (JSON has no infinities).
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct MetRegion {
    pub lo: Option<f64>,
    pub hi: Option<f64>,
}

impl MetRegion {
    pub fn from_rule(r: &crate::model::Rule) -> MetRegion {
        MetRegion {
            lo: r.lo.is_finite().then_some(r.lo),
            hi: r.hi.is_finite().then_some(r.hi),
        }
    }

    /// True when `x` meets the target.
    pub fn contains(&self, x: f64) -> bool {
        self.lo.is_none_or(|lo| x >= lo) && self.hi.is_none_or(|hi| x <= hi)
    }
}

/// Whether and how a target was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    /// Simulated: it has a P(met).
    Simulated,
    /// Qualitative: listed, never simulated.
    Qualitative,
    /// Quantitative but not simulated (no process for its indicator, or no numeric rule).
    NotSimulated,
}

impl TargetStatus {
    pub fn is_simulated(self) -> bool {
        self == TargetStatus::Simulated
    }
}

/// Where a target's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueSource {
    /// Stated by the plan.
    Plan,
    /// Supplied by the scenario for a value the province assigns.
    Scenario,
    /// A stand-in supplied by the scenario (`placeholder = true`): never scored.
    Placeholder,
}

/// What an indicator's value in a year is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum YearKind {
    Base,
    Observed,
    Interpolated,
    Simulated,
}

/// What a [`Required`] value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RequiredKind {
    /// A constant annual growth rate (fraction).
    Growth,
    /// A constant annual change (indicator unit).
    Step,
    /// The value needed in the target year.
    Level,
    /// The average yearly value needed.
    MeanValue,
}

/// The serialised names of the results' enums, for text outputs (CSV, tables).
macro_rules! names {
    ($t:ty { $($v:ident => $n:literal),+ $(,)? }) => {
        impl $t {
            /// The name as serialised.
            pub fn name(self) -> &'static str {
                match self { $(<$t>::$v => $n),+ }
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}
names!(TargetStatus { Simulated => "simulated", Qualitative => "qualitative", NotSimulated => "not_simulated" });
names!(ValueSource { Plan => "plan", Scenario => "scenario", Placeholder => "placeholder" });
names!(YearKind { Base => "base", Observed => "observed", Interpolated => "interpolated", Simulated => "simulated" });
names!(RequiredKind { Growth => "growth", Step => "step", Level => "level", MeanValue => "mean_value" });

/// The deterministic constant path that just meets a target.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Required {
    pub kind: RequiredKind,
    pub value: f64,
    pub from_year: i32,
    pub from_value: f64,
    /// The boundary value of the met region the path is aimed at (in the metric's units).
    pub threshold: f64,
}

/// One target's result.
#[derive(Debug, Clone, Serialize)]
pub struct TargetResult {
    pub id: String,
    pub indicator: String,
    pub name: String,
    pub name_en: Option<String>,
    pub unit: Option<String>,
    pub metric: Metric,
    pub op: Option<crate::model::Op>,
    pub value: TargetValue,
    pub value_source: ValueSource,
    pub attribute: Attribute,
    pub year: i32,
    pub status: TargetStatus,
    pub rule: String,
    pub p_met: Option<Prob>,
    pub quantiles: Option<MetricQuantiles>,
    /// The metric's histogram (simulated targets), for distribution charts.
    pub distribution: Option<Histogram>,
    /// The values of the metric that meet the target (simulated targets).
    pub met_region: Option<MetRegion>,
    /// Runs whose metric was undefined (counted as not met).
    pub undefined_runs: u64,
    pub required: Option<Required>,
    /// For each year from the base year + 1 to the target year: the probability that a run is on
    /// or beyond the target's implied trajectory that year (geometric for growth-type targets,
    /// linear for level and change targets, prorated for cumulative ones).
    pub on_track: Vec<OnTrack>,
    pub actual: Option<f64>,
    pub source: Option<SourceRef>,
    pub note: Option<String>,
}

/// On-track probability in one year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OnTrack {
    pub year: i32,
    pub p: f64,
    pub lo: f64,
    pub hi: f64,
}

/// Quantiles of an indicator in one year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct YearQuantiles {
    pub year: i32,
    pub kind: YearKind,
    pub p05: Option<f64>,
    pub p10: Option<f64>,
    pub p25: Option<f64>,
    pub p50: Option<f64>,
    pub p75: Option<f64>,
    pub p90: Option<f64>,
    pub p95: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Observation {
    pub year: i32,
    pub value: f64,
}

/// One simulated indicator's fan.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorResult {
    pub id: String,
    pub name: String,
    pub name_en: Option<String>,
    /// The plan's unit.
    pub unit: Option<String>,
    /// The unit the scenario simulates when it declares one (`unit` of its process: an index, a
    /// fraction, …); absent when the values are in the plan's unit. Not written when absent, so
    /// results of scenarios that declare none are unchanged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simulated_unit: Option<String>,
    pub better: Better,
    pub model: &'static str,
    pub base: f64,
    pub observed: Vec<Observation>,
    pub years: Vec<YearQuantiles>,
}

impl IndicatorResult {
    /// The unit its values are in: the simulated unit when the scenario declares one, else the
    /// plan's.
    pub fn value_unit(&self) -> Option<&str> {
        self.simulated_unit
            .as_deref()
            .or(self.unit.as_deref())
            .filter(|u| !u.is_empty())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Joint {
    pub binding_targets: usize,
    pub simulated_targets: usize,
    /// All simulated binding targets met in the same run.
    pub all_binding: Prob,
    /// All simulated targets met in the same run.
    pub all: Prob,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub description: Option<String>,
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanInfo {
    pub id: String,
    pub title: String,
    pub title_en: Option<String>,
    pub region: Option<String>,
    pub source: Option<String>,
    pub base_year: i32,
    pub target_year: i32,
}

/// A scenario `s` (file `s.toml`) of plan `p` from `base_year` to `base_year + 5`, for unit tests
/// of the reports.
#[cfg(test)]
pub(crate) fn test_info(base_year: i32) -> (ScenarioInfo, PlanInfo) {
    (
        ScenarioInfo {
            name: "s".into(),
            description: None,
            file: "s.toml".into(),
        },
        PlanInfo {
            id: "p".into(),
            title: "p".into(),
            title_en: None,
            region: None,
            source: None,
            base_year,
            target_year: base_year + 5,
        },
    )
}

#[derive(Debug, Clone, Serialize)]
pub struct EvaluationInfo {
    pub rate_tolerance: f64,
    pub relative_tolerance: f64,
    pub about_rule: String,
}

/// Everything a report shows.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub attain_version: &'static str,
    pub scenario: ScenarioInfo,
    pub plan: PlanInfo,
    pub inputs: Vec<InputFile>,
    pub seed: u64,
    pub runs: u64,
    /// `--as-of YEAR`: the run ignored `[observed]` values after this year (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<i32>,
    /// `mc`, `lhs` or `sobol`.
    pub sampling: &'static str,
    pub chunk_size: u64,
    pub evaluation: EvaluationInfo,
    pub targets: Vec<TargetResult>,
    pub joint: Joint,
    pub indicators: Vec<IndicatorResult>,
    pub warnings: Vec<String>,
    /// The scenario's assumptions, echoed back for reports.
    pub assumptions: crate::results::assumptions::Assumptions,
    /// Present when the run count was chosen by `--precision`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopping: Option<Stopping>,
    /// The out-of-sample track record of the scenario's calibration file; `null` when the
    /// scenario names none, or when its track record cannot be read (then a warning says why).
    pub track_record: Option<TrackRecord>,
}

impl Results {
    /// The unit an indicator's simulated values are in (see [`IndicatorResult::value_unit`]); the
    /// plan's unit of a target's indicator when it is not simulated.
    pub fn value_unit(&self, indicator: &str) -> Option<&str> {
        match self.indicators.iter().find(|i| i.id == indicator) {
            Some(i) => i.value_unit(),
            None => self
                .targets
                .iter()
                .find(|t| t.indicator == indicator)
                .and_then(|t| t.unit.as_deref())
                .filter(|u| !u.is_empty()),
        }
    }
}

/// How a precision-driven run chose its run count.
#[derive(Debug, Clone, Serialize)]
pub struct Stopping {
    /// Target 95 % half-width of every simulated P(met).
    pub precision: f64,
    pub max_runs: u64,
    pub reason: crate::engine::StopReason,
    pub runs_used: u64,
    /// The largest half-width reached.
    pub worst_half_width: f64,
}

/// Builds the results of a finished run, with the track record of the scenario's calibration file
/// (read here; an unreadable one becomes a warning).
pub fn build(model: &Model, acc: &Accumulator) -> Results {
    let sim_targets = crate::model::simulated_targets(model);
    let years = model.horizon();
    let base_year = model.plan.base_year;
    let mut targets = Vec::new();
    for (k, t) in model.targets.iter().enumerate() {
        let ind = &model.plan.indicators[t.indicator];
        let st = sim_targets.iter().position(|s| s.target == k);
        let (status, p_met, quantiles, undefined, distribution) = match st {
            Some(j) => {
                let sk = &acc.metric[j];
                let q = |p| sk.quantile(p);
                (
                    TargetStatus::Simulated,
                    Some(Prob::new(acc.hits[j], acc.runs)),
                    Some(MetricQuantiles {
                        p05: q(0.05),
                        p25: q(0.25),
                        p50: q(0.5),
                        p75: q(0.75),
                        p95: q(0.95),
                    }),
                    sk.nan,
                    Histogram::from_sketch(sk, HISTOGRAM_BINS),
                )
            }
            None if t.metric == Metric::Qualitative => {
                (TargetStatus::Qualitative, None, None, 0, None)
            }
            None => (TargetStatus::NotSimulated, None, None, 0, None),
        };
        let required = st.and_then(|j| required(model, &sim_targets[j]));
        let on_track = st
            .map(|j| {
                (1..=sim_targets[j].offset)
                    .map(|yi| {
                        let p = Prob::new(acc.on_track[j * years + yi - 1], acc.runs);
                        OnTrack {
                            year: base_year + yi as i32,
                            p: p.p,
                            lo: p.lo,
                            hi: p.hi,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        targets.push(TargetResult {
            id: t.id.clone(),
            indicator: ind.id.clone(),
            name: ind.name.clone(),
            name_en: ind.name_en.clone(),
            unit: ind.unit.clone(),
            metric: t.metric,
            op: t.op,
            value: t.value.clone(),
            value_source: if t.placeholder {
                ValueSource::Placeholder
            } else if t.value_from_scenario {
                ValueSource::Scenario
            } else {
                ValueSource::Plan
            },
            attribute: t.attribute,
            year: t.year,
            status,
            rule: if status == TargetStatus::NotSimulated {
                format!("not simulated: no [process.{}] in the scenario", ind.id)
            } else {
                t.describe_rule(&model.evaluation, ind.better)
            },
            p_met,
            quantiles,
            distribution,
            met_region: st.map(|j| MetRegion::from_rule(&sim_targets[j].rule)),
            undefined_runs: undefined,
            required,
            on_track,
            actual: t.actual,
            source: t.source.clone(),
            note: t.note.clone(),
        });
    }
    let binding = sim_targets.iter().filter(|t| t.binding).count();
    let joint = Joint {
        binding_targets: binding,
        simulated_targets: sim_targets.len(),
        all_binding: Prob::new(acc.all_binding, acc.runs),
        all: Prob::new(acc.all, acc.runs),
    };
    let mut indicators = Vec::new();
    for (s, sim) in model.sims.iter().enumerate() {
        let ind = &model.plan.indicators[sim.plan_index];
        let mut ys = vec![YearQuantiles {
            year: base_year,
            kind: YearKind::Base,
            p05: Some(sim.base),
            p10: Some(sim.base),
            p25: Some(sim.base),
            p50: Some(sim.base),
            p75: Some(sim.base),
            p90: Some(sim.base),
            p95: Some(sim.base),
        }];
        for yi in 1..=years {
            let year = base_year + yi as i32;
            let sk = &acc.fan[s * years + yi - 1];
            let q = |p| sk.quantile(p);
            let kind = if sim.observed.iter().any(|o| o.0 == year) {
                YearKind::Observed
            } else if yi <= sim.known.len() {
                YearKind::Interpolated
            } else {
                YearKind::Simulated
            };
            ys.push(YearQuantiles {
                year,
                kind,
                p05: q(0.05),
                p10: q(0.1),
                p25: q(0.25),
                p50: q(0.5),
                p75: q(0.75),
                p90: q(0.9),
                p95: q(0.95),
            });
        }
        indicators.push(IndicatorResult {
            id: ind.id.clone(),
            name: ind.name.clone(),
            name_en: ind.name_en.clone(),
            unit: ind.unit.clone(),
            simulated_unit: sim.unit.clone(),
            better: ind.better,
            model: sim.process.name(),
            base: sim.base,
            observed: sim
                .observed
                .iter()
                .map(|&(year, value)| Observation { year, value })
                .collect(),
            years: ys,
        });
    }
    let ev = &model.evaluation;
    let mut warnings = model.warnings.clone();
    let track_record = model
        .calibration
        .as_deref()
        .and_then(|p| TrackRecord::read(p).map_err(|w| warnings.push(w)).ok());
    Results {
        attain_version: env!("CARGO_PKG_VERSION"),
        scenario: ScenarioInfo {
            name: model.scenario.name.clone(),
            description: model.scenario.description.clone(),
            file: model.scenario.path.display().to_string(),
        },
        plan: PlanInfo {
            id: model.plan.id.clone(),
            title: model.plan.title.clone(),
            title_en: model.plan.title_en.clone(),
            region: model.plan.region.clone(),
            source: model.plan.source.clone(),
            base_year,
            target_year: model.plan.target_year,
        },
        inputs: model.scenario.inputs.clone(),
        seed: model.scenario.seed,
        runs: acc.runs,
        as_of: model.scenario.as_of,
        sampling: acc.sampling.name(),
        chunk_size: CHUNK,
        evaluation: EvaluationInfo {
            rate_tolerance: ev.rate_tolerance,
            relative_tolerance: ev.relative_tolerance,
            about_rule: format!(
                "`about` (左右) targets are met when the outcome is at worst the tolerance short of the value: {} percentage points for cagr, reduction and cagr_gap, {} % of |value| for other metrics, unless a target sets its own tolerance",
                crate::model::target::fmt_num(ev.rate_tolerance * 100.0),
                crate::model::target::fmt_num(ev.relative_tolerance * 100.0)
            ),
        },
        targets,
        joint,
        indicators,
        warnings,
        stopping: None,
        track_record,
        assumptions: crate::results::assumptions::Assumptions::of(model),
    }
}

/// The constant annual growth (or step, or level) from the last known value that just meets the
/// target's rule; `None` where it is not defined (relative metrics, a fully observed target year).
pub fn required(model: &Model, t: &crate::model::SimTarget) -> Option<Required> {
    let sim = &model.sims[t.sim];
    let base_year = model.plan.base_year;
    let from_year = sim.last_known_year(base_year);
    let to_year = base_year + t.offset as i32;
    if to_year <= from_year {
        return None;
    }
    let n = (to_year - from_year) as f64;
    let xl = sim.last_known_value();
    let xb = sim.base;
    let thr = if t.rule.lo.is_finite() {
        t.rule.lo
    } else {
        t.rule.hi
    };
    if !thr.is_finite() {
        return None;
    }
    let years_from_base = t.offset as f64;
    let kind_growth = |target: f64| -> Option<Required> {
        let ratio = target / xl;
        (ratio > 0.0).then(|| Required {
            kind: RequiredKind::Growth,
            value: ratio.powf(1.0 / n) - 1.0,
            from_year,
            from_value: xl,
            threshold: thr,
        })
    };
    let x_star = match t.metric {
        Metric::Level => thr,
        Metric::Cagr => xb * (1.0 + thr).powf(years_from_base),
        Metric::Change => xb + thr,
        Metric::Reduction => xb * (1.0 - thr),
        Metric::Multiple => xb * thr,
        Metric::Sum => {
            let known: f64 = sim.known.iter().take(t.offset).sum();
            let need = thr - known;
            return match &sim.process {
                Process::Increment { .. } => {
                    let d = (need - n * xl) / (n * (n + 1.0) / 2.0);
                    Some(Required {
                        kind: RequiredKind::Step,
                        value: d,
                        from_year,
                        from_value: xl,
                        threshold: thr,
                    })
                }
                Process::Level { .. } => Some(Required {
                    kind: RequiredKind::MeanValue,
                    value: need / n,
                    from_year,
                    from_value: xl,
                    threshold: thr,
                }),
                _ => {
                    if xl <= 0.0 || need <= 0.0 {
                        return None;
                    }
                    let total =
                        |g: f64| (1..=n as i32).map(|k| xl * (1.0 + g).powi(k)).sum::<f64>();
                    let (mut lo, mut hi) = (-0.99f64, 10.0f64);
                    if total(lo) > need || total(hi) < need {
                        return None;
                    }
                    for _ in 0..200 {
                        let mid = 0.5 * (lo + hi);
                        if total(mid) < need {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                    }
                    Some(Required {
                        kind: RequiredKind::Growth,
                        value: 0.5 * (lo + hi),
                        from_year,
                        from_value: xl,
                        threshold: thr,
                    })
                }
            };
        }
        Metric::CagrGap | Metric::Ratio | Metric::Qualitative => return None,
    };
    match &sim.process {
        Process::Increment { .. } => Some(Required {
            kind: RequiredKind::Step,
            value: (x_star - xl) / n,
            from_year,
            from_value: xl,
            threshold: thr,
        }),
        Process::Level { .. } => Some(Required {
            kind: RequiredKind::Level,
            value: x_star,
            from_year,
            from_value: xl,
            threshold: thr,
        }),
        _ => kind_growth(x_star),
    }
}
