//! Which assumption matters most: one-at-a-time (OAT) sensitivity of every P(met) to every
//! uncertain input of a scenario, and @RISK-style rank correlations.
//!
//! A scenario's uncertain inputs are the parameters of its distributions, the AR(1) persistence of
//! its growth and increment processes, the strength and margin of its steered indicators, its
//! shocks' probabilities and effects, and its rank correlations. [`parameters`] enumerates them as typed [`Param`] values with a low and a high
//! setting, [`perturbed`] produces the model with one of them moved, and [`oat`] runs the scenario
//! and every perturbed model with common random numbers (same seed, in lockstep), so the change in
//! each P(met) is paired run by run and exactly zero for an input that does not feed the target.
//!
//! The swing (default 0.25) is applied as follows, so that bars of different inputs are comparable:
//!
//! * location parameters (mean, mode, min, max, a constant's value, an empirical sample's shift):
//!   ± swing × the distribution's standard deviation (± swing × |value| for a constant);
//! * scale parameters (sd, scale, sd_low, sd_high): × (1 ± swing);
//! * persistence and correlation rho: ± swing in their own units, kept in (−0.99, 0.99) and [−1, 1];
//! * steering strength and margin: ± swing in their own units, the strength kept in [0, 1] (0 is no
//!   steering), the margin (in standard deviations of one year's draw) within ±10; the aimed path is
//!   recomputed for the moved margin, and for a moved distribution (whose standard deviation scales
//!   the margin), as the scenario loader would build it;
//! * a shock's probability and its effects: × (1 ± swing), the probability kept in [0, 1].
//!
//! Settings that would break a distribution's ordering (min above mode) are clamped to the limit;
//! a correlation setting that makes the matrix indefinite is skipped and reported. The rank
//! correlations use the first [`SPEARMAN_CHUNKS`] chunks of the scenario's own run, collected and
//! sorted by chunk index, so they are identical for any thread count.

use crate::analysis::compare::{CRN_NOTE, PAIRED_METHOD, plan_info};
use crate::engine::{self, CHUNK, ChunkDetail, RunOptions, Variant};
use crate::error::{Error, Result};
use crate::model::dist::Role as ParamRole;
use crate::model::{Dist, Model, Process};
use crate::results::{PlanInfo, Prob};
use crate::stats::paired::{PairCounts, PairedDiff, newcombe};
use serde::Serialize;

/// Chunks of runs (of [`CHUNK`] each) used for the rank correlations.
pub const SPEARMAN_CHUNKS: u64 = 8;

/// The largest steering margin a scenario may give (in draw standard deviations).
const MAX_MARGIN: f64 = 10.0;

/// Perturbed models run together in one lockstep pass with the scenario.
const BATCH: usize = 8;

/// The swing rule in words, for every output.
pub const SWING_RULE: &str = "location parameters (mean, mode, min, max, value, shift) move by ± swing × the distribution's standard deviation (± swing × |value| for a constant); scale parameters (sd, scale, sd_low, sd_high) by × (1 ± swing); persistence and correlation rho by ± swing; steering strength (kept in [0, 1]) and margin (in standard deviations of one year's draw, aimed path recomputed) by ± swing; shock probabilities and effects by × (1 ± swing)";

/// Sensitivity methods: one at a time (this module) or variance-based (`analysis::sobol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// One at a time: each input moved down and up by the swing.
    Oat,
    /// Variance-based (Sobol) indices, computed by `analysis::sobol`.
    Sobol,
}

/// What kind of quantity a parameter is (decides how the swing applies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Location,
    Scale,
    Persistence,
    SteerStrength,
    SteerMargin,
    ShockProbability,
    ShockEffect,
    Correlation,
}

/// Where a parameter lives in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// Parameter `name` (one of [`Dist::parameters`]) of simulated indicator `sim`'s distribution.
    Dist {
        sim: usize,
        name: &'static str,
    },
    Persistence {
        sim: usize,
    },
    SteerStrength {
        sim: usize,
    },
    SteerMargin {
        sim: usize,
    },
    ShockProbability {
        shock: usize,
    },
    /// A common factor on all the shock's effects (base 1).
    ShockEffect {
        shock: usize,
    },
    /// Positions `i < j` in the copula's members.
    Correlation {
        i: usize,
        j: usize,
    },
}

/// One uncertain input parameter with its low and high settings.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// Stable identifier, e.g. `gdp.rate.mean`, `gdp.persistence`, `gdp.steer.strength`,
    /// `gdp.steer.margin`, `shock[…].probability`, `corr[gdp,income_per_capita]`.
    pub id: String,
    /// The input it belongs to: an indicator id, a shock name, or the correlated pair.
    pub input: String,
    /// The parameter's name, e.g. `rate mean`, `persistence`, `steer strength`, `probability`, `rho`.
    pub parameter: String,
    pub role: Role,
    pub base: f64,
    pub low: f64,
    pub high: f64,
    #[serde(skip)]
    slot: Slot,
}

/// The scenario key of a process's distribution: `rate`, `factor`, `step` or `value`.
fn dist_key(p: &Process) -> &'static str {
    match p {
        Process::Growth { factor: true, .. } => "factor",
        Process::Growth { .. } => "rate",
        Process::Increment { .. } => "step",
        _ => "value",
    }
}

fn dist_mut(p: &mut Process) -> Option<&mut Dist> {
    match p {
        Process::Growth { dist, .. }
        | Process::Increment { dist, .. }
        | Process::Level { dist, .. } => Some(dist),
        Process::Derived { .. } => None,
    }
}

/// Spearman rank correlation ρ_S of a copula pair from its Pearson parameter r = 2 sin(π ρ_S / 6).
fn spearman_of(r: f64) -> f64 {
    6.0 / std::f64::consts::PI * (r / 2.0).clamp(-1.0, 1.0).asin()
}

/// The copula's Pearson matrix L·Lᵀ (row-major, members × members).
fn copula_matrix(chol: &[f64], m: usize) -> Vec<f64> {
    let mut a = vec![0.0; m * m];
    for i in 0..m {
        for j in 0..m {
            a[i * m + j] = (0..m).map(|k| chol[i * m + k] * chol[j * m + k]).sum();
        }
    }
    a
}

/// Every uncertain parameter of the model with its low and high settings for `swing`.
pub fn parameters(model: &Model, swing: f64) -> Vec<Param> {
    let mut out = Vec::new();
    for (s, sim) in model.sims.iter().enumerate() {
        let ind = &model.plan.indicators[sim.plan_index].id;
        if let Some(dist) = sim.process.dist() {
            let key = dist_key(&sim.process);
            // Shape parameters (Student's t degrees of freedom) are not swung.
            let params: Vec<(&'static str, f64, Role)> = dist
                .parameters()
                .iter()
                .filter_map(|p| match p.role {
                    ParamRole::Location => Some((p.name, p.value, Role::Location)),
                    ParamRole::Scale => Some((p.name, p.value, Role::Scale)),
                    ParamRole::Shape => None,
                })
                .collect();
            let sd = dist.sd();
            let lookup = |name: &str| params.iter().find(|p| p.0 == name).map(|p| p.1);
            for &(name, base, role) in &params {
                let (mut low, mut high) = match role {
                    Role::Location => {
                        let step = if sd > 0.0 {
                            swing * sd
                        } else {
                            swing * base.abs()
                        };
                        (base - step, base + step)
                    }
                    _ => (base * (1.0 - swing), base * (1.0 + swing)),
                };
                // Keep the ordering min ≤ mode ≤ max (and min ≤ max).
                let (floor, ceil) = match name {
                    "min" => (
                        f64::NEG_INFINITY,
                        lookup("mode").or(lookup("max")).unwrap_or(f64::INFINITY),
                    ),
                    "max" => (
                        lookup("mode")
                            .or(lookup("min"))
                            .unwrap_or(f64::NEG_INFINITY),
                        f64::INFINITY,
                    ),
                    "mode" if lookup("min").is_some() => (
                        lookup("min").unwrap_or(f64::NEG_INFINITY),
                        lookup("max").unwrap_or(f64::INFINITY),
                    ),
                    "mean" if dist.kind() == "lognormal" => (base * 0.01, f64::INFINITY),
                    _ => (f64::NEG_INFINITY, f64::INFINITY),
                };
                // Absurd parameters (a pert over ±1e308) give NaN bounds; `clamp` panics on them.
                let floor = if floor.is_nan() {
                    f64::NEG_INFINITY
                } else {
                    floor
                };
                let ceil = if ceil.is_nan() { f64::INFINITY } else { ceil };
                low = low.clamp(floor, ceil.max(floor));
                high = high.clamp(floor, ceil.max(floor));
                out.push(Param {
                    id: format!("{ind}.{key}.{name}"),
                    input: ind.clone(),
                    parameter: format!("{key} {name}"),
                    role,
                    base,
                    low,
                    high,
                    slot: Slot::Dist { sim: s, name },
                });
            }
        }
        if matches!(
            sim.process,
            Process::Growth { .. } | Process::Increment { .. }
        ) {
            let rho = sim.process.persistence();
            out.push(Param {
                id: format!("{ind}.persistence"),
                input: ind.clone(),
                parameter: "persistence".into(),
                role: Role::Persistence,
                base: rho,
                low: (rho - swing).max(-0.99),
                high: (rho + swing).min(0.99),
                slot: Slot::Persistence { sim: s },
            });
        }
        if let Some(st) = &sim.steer {
            let (k, m) = (st.setting.strength, st.setting.margin);
            out.push(Param {
                id: format!("{ind}.steer.strength"),
                input: ind.clone(),
                parameter: "steer strength".into(),
                role: Role::SteerStrength,
                base: k,
                low: (k - swing).max(0.0),
                high: (k + swing).min(1.0),
                slot: Slot::SteerStrength { sim: s },
            });
            out.push(Param {
                id: format!("{ind}.steer.margin"),
                input: ind.clone(),
                parameter: "steer margin".into(),
                role: Role::SteerMargin,
                base: m,
                low: (m - swing).max(-MAX_MARGIN),
                high: (m + swing).min(MAX_MARGIN),
                slot: Slot::SteerMargin { sim: s },
            });
        }
    }
    for (k, sh) in model.shocks.iter().enumerate() {
        let p = sh.probability;
        out.push(Param {
            id: format!("shock[{}].probability", sh.name),
            input: format!("shock: {}", sh.name),
            parameter: "probability".into(),
            role: Role::ShockProbability,
            base: p,
            low: (p * (1.0 - swing)).clamp(0.0, 1.0),
            high: (p * (1.0 + swing)).clamp(0.0, 1.0),
            slot: Slot::ShockProbability { shock: k },
        });
        out.push(Param {
            id: format!("shock[{}].effect", sh.name),
            input: format!("shock: {}", sh.name),
            parameter: "effect ×".into(),
            role: Role::ShockEffect,
            base: 1.0,
            low: 1.0 - swing,
            high: 1.0 + swing,
            slot: Slot::ShockEffect { shock: k },
        });
    }
    if let Some(c) = &model.copula {
        let m = c.members.len();
        let a = copula_matrix(&c.chol, m);
        let name_of = |d: usize| {
            model
                .sims
                .iter()
                .find(|s| s.draw == Some(d))
                .map(|s| model.plan.indicators[s.plan_index].id.clone())
                .unwrap_or_default()
        };
        for i in 0..m {
            for j in (i + 1)..m {
                let r = a[i * m + j];
                if r.abs() < 1e-12 {
                    continue;
                }
                let rho = spearman_of(r);
                let pair = format!("{},{}", name_of(c.members[i]), name_of(c.members[j]));
                out.push(Param {
                    id: format!("corr[{pair}]"),
                    input: format!("correlation {pair}"),
                    parameter: "rho".into(),
                    role: Role::Correlation,
                    base: rho,
                    low: (rho - swing).max(-1.0),
                    high: (rho + swing).min(1.0),
                    slot: Slot::Correlation { i, j },
                });
            }
        }
    }
    out
}

/// The model with parameter `p` set to `value`; an error (in words) when that setting is not
/// valid (e.g. a correlation matrix that is no longer positive semi-definite).
pub fn perturbed(model: &Model, p: &Param, value: f64) -> std::result::Result<Model, String> {
    let mut m = model.clone();
    match p.slot {
        Slot::Dist { sim, name } => {
            let dist = dist_mut(&mut m.sims[sim].process)
                .ok_or_else(|| format!("{} has no distribution", p.input))?;
            *dist = dist.with_parameter(name, value).map_err(|e| e.0)?;
            // The margin is measured in the draw's standard deviations: re-aim the path.
            if let Some(st) = &model.sims[sim].steer {
                let s = &m.sims[sim];
                let moved = st.with_margin(s, &m, st.setting.margin);
                m.sims[sim].steer = Some(moved);
            }
        }
        Slot::SteerStrength { sim } => {
            if !(0.0..=1.0).contains(&value) {
                return Err(format!("steering strength {value} is not in [0, 1]"));
            }
            let s = &mut m.sims[sim];
            match &mut s.steer {
                // Strength 0 is no steering, as the scenario loader builds it.
                Some(_) if value == 0.0 => s.steer = None,
                Some(st) => st.setting.strength = value,
                None => return Err(format!("{} is not steered", p.input)),
            }
        }
        Slot::SteerMargin { sim } => {
            if !(value.is_finite() && value.abs() <= MAX_MARGIN) {
                return Err(format!(
                    "steering margin {value} is not within ±{MAX_MARGIN}"
                ));
            }
            let st = model.sims[sim]
                .steer
                .as_ref()
                .ok_or_else(|| format!("{} is not steered", p.input))?;
            let moved = st.with_margin(&m.sims[sim], model, value);
            m.sims[sim].steer = Some(moved);
        }
        Slot::Persistence { sim } => match &mut m.sims[sim].process {
            Process::Growth { persistence, .. } | Process::Increment { persistence, .. } => {
                if !(value > -1.0 && value < 1.0) {
                    return Err(format!("persistence {value} is not in (−1, 1)"));
                }
                *persistence = value;
            }
            _ => return Err(format!("{} has no persistence", p.input)),
        },
        Slot::ShockProbability { shock } => {
            if !(0.0..=1.0).contains(&value) {
                return Err(format!("probability {value} is not in [0, 1]"));
            }
            m.shocks[shock].probability = value;
        }
        Slot::ShockEffect { shock } => {
            for e in &mut m.shocks[shock].effects {
                e.1 *= value;
            }
        }
        Slot::Correlation { i, j } => {
            let c = m
                .copula
                .as_mut()
                .ok_or_else(|| "the scenario has no correlations".to_string())?;
            let n = c.members.len();
            let mut a = copula_matrix(&c.chol, n);
            let r = 2.0 * (std::f64::consts::PI * value.clamp(-1.0, 1.0) / 6.0).sin();
            a[i * n + j] = r;
            a[j * n + i] = r;
            c.chol = crate::stats::cholesky_psd(&a, n).ok_or_else(|| {
                format!(
                    "rho = {} makes the correlation matrix indefinite",
                    crate::model::target::fmt_num(value)
                )
            })?;
        }
    }
    Ok(m)
}

/// Whether a steering setting simulates exactly as the scenario does: a strength at its base (1
/// moved up), or a margin that does not move the aimed path (`about` and `between` targets are aimed
/// at, not beyond; a constant draw has no spread).
fn simulates_alike(model: &Model, p: &Param, m: &Model) -> bool {
    match p.slot {
        Slot::SteerStrength { sim } | Slot::SteerMargin { sim } => {
            match (&model.sims[sim].steer, &m.sims[sim].steer) {
                (Some(a), Some(b)) => a.setting.strength == b.setting.strength && a.path == b.path,
                _ => false,
            }
        }
        _ => false,
    }
}

/// One side (low or high) of a tornado bar.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// The parameter's setting.
    pub value: f64,
    pub p_met: Prob,
    /// P(met) at this setting minus P(met) of the scenario, paired.
    pub change: PairedDiff,
}

/// One input's bar for one target.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    /// Index into [`Sensitivity::parameters`].
    pub param: usize,
    pub id: String,
    /// `None` where the setting is invalid (see [`Sensitivity::skipped`]).
    pub low: Option<Side>,
    pub high: Option<Side>,
    /// max(|change low|, |change high|): the sort key.
    pub impact: f64,
}

/// The rank correlation of one input's draws with a target's metric.
#[derive(Debug, Clone, Serialize)]
pub struct RankCorrelation {
    /// Indicator whose yearly draws (averaged per run) are correlated.
    pub input: String,
    /// Spearman's ρ between the input's per-run mean draw and the metric.
    pub rho: f64,
}

/// One target's sensitivity.
#[derive(Debug, Clone, Serialize)]
pub struct TargetSensitivity {
    pub id: String,
    pub indicator: String,
    pub rule: String,
    pub p_met: Prob,
    /// Bars sorted by impact, largest first (ties in parameter order).
    pub bars: Vec<Bar>,
    /// Sorted by |ρ|, largest first.
    pub rank_correlations: Vec<RankCorrelation>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioRef {
    pub stem: String,
    pub name: String,
    pub file: String,
}

/// The result of `attain sensitivity`.
#[derive(Debug, Clone, Serialize)]
pub struct Sensitivity {
    pub attain_version: &'static str,
    pub plan: PlanInfo,
    pub scenario: ScenarioRef,
    pub method: Method,
    pub swing: f64,
    pub swing_rule: &'static str,
    pub runs: u64,
    pub seed: u64,
    pub common_random_numbers: &'static str,
    pub interval_method: &'static str,
    /// Runs used for the rank correlations (the first chunks of the scenario's run).
    pub rank_correlation_runs: u64,
    pub parameters: Vec<Param>,
    pub targets: Vec<TargetSensitivity>,
    /// Settings that could not be run, with the reason.
    pub skipped: Vec<String>,
}

/// Options of a sensitivity run.
#[derive(Debug, Clone)]
pub struct Options {
    pub swing: f64,
    pub runs: u64,
    pub seed: u64,
    pub threads: Option<usize>,
    /// Plan target ids to report (all simulated targets when empty).
    pub targets: Vec<String>,
}

/// One chunk's per-run draws and metrics, kept for the rank correlations.
struct ChunkSample {
    chunk: u64,
    /// Per draw index: the per-run mean of the yearly draws.
    inputs: Vec<Vec<f64>>,
    /// Per simulated target: the metric per run.
    metric: Vec<Vec<f64>>,
}

/// Average ranks (1-based) of `v`, ties sharing their mean rank.
pub fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rank correlation of paired samples (pairs with a non-finite value dropped); 0 when
/// either side is constant or fewer than three pairs remain.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let (xs, ys): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(a, b)| (*a, *b))
        .unzip();
    if xs.len() < 3 {
        return 0.0;
    }
    let (rx, ry) = (ranks(&xs), ranks(&ys));
    let n = rx.len() as f64;
    let mean = (n + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mean) * (b - mean);
        sxx += (a - mean).powi(2);
        syy += (b - mean).powi(2);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// Runs the one-at-a-time analysis.
pub fn oat(model: &Model, o: &Options, progress: &(dyn Fn(u64) + Sync)) -> Result<Sensitivity> {
    if !(o.swing > 0.0 && o.swing <= 1.0) {
        return Err(Error::usage(
            format!("--swing {} is out of range", crate::error::num(o.swing)),
            "give a swing in (0, 1], e.g. 0.25 for a quarter of each input's spread",
        ));
    }
    let sims = crate::model::simulated_targets(model);
    let mut chosen: Vec<usize> = Vec::new();
    for id in &o.targets {
        let j = sims
            .iter()
            .position(|s| model.targets[s.target].id == *id)
            .ok_or_else(|| not_simulated(model, id))?;
        chosen.push(j);
    }
    if o.targets.is_empty() {
        chosen = (0..sims.len()).collect();
    }
    if chosen.is_empty() {
        return Err(Error::file(
            &model.scenario.path,
            "no target of this scenario is simulated: nothing to analyse",
            "add a [process.<indicator>] for the targets' indicators",
        ));
    }
    let params = parameters(model, o.swing);
    let n_t = sims.len();
    let opts = RunOptions {
        runs: o.runs,
        seed: o.seed,
        threads: o.threads,
        shard: None,
        sampling: Default::default(),
    };

    // Settings to run: (param index, is_high, model).
    let mut settings: Vec<(usize, bool, Model)> = Vec::new();
    let mut skipped = Vec::new();
    // Settings that leave the simulation as it is: their change is exactly zero, not run.
    let mut unchanged: Vec<(usize, bool)> = Vec::new();
    for (i, p) in params.iter().enumerate() {
        for (high, v) in [(false, p.low), (true, p.high)] {
            match perturbed(model, p, v) {
                Ok(m) if simulates_alike(model, p, &m) => unchanged.push((i, high)),
                Ok(m) => settings.push((i, high, m)),
                Err(e) => skipped.push(format!(
                    "{} {} = {}: {e}",
                    p.id,
                    if high { "high" } else { "low" },
                    crate::model::target::fmt_num(v)
                )),
            }
        }
    }

    // Scenario and perturbed models in lockstep, BATCH at a time; counts paired with the scenario.
    let mut base_acc = None;
    let mut results: Vec<(usize, bool, Vec<Prob>, Vec<PairCounts>)> = Vec::new();
    for batch in settings.chunks(BATCH) {
        let mut variants = vec![Variant { model, seeds: None }];
        variants.extend(batch.iter().map(|(_, _, m)| Variant {
            model: m,
            seeds: None,
        }));
        let k = batch.len();
        let map = |_c: u64, d: &[&ChunkDetail]| -> Vec<PairCounts> {
            let mut out = vec![PairCounts::default(); k * n_t];
            for v in 0..k {
                for j in 0..n_t {
                    let c = &mut out[v * n_t + j];
                    for (&a, &b) in d[0].met[j].iter().zip(&d[v + 1].met[j]) {
                        c.add(a, b);
                    }
                }
            }
            progress(d.first().map_or(0, |x| x.n as u64));
            out
        };
        let reduce = crate::stats::paired::merge_counts;
        let identity = || vec![PairCounts::default(); k * n_t];
        let (accs, counts) = engine::run_lockstep(&variants, &opts, &map, &reduce, &identity)?;
        for (v, (i, high, _)) in batch.iter().enumerate() {
            let a = &accs[v + 1];
            results.push((
                *i,
                *high,
                a.hits.iter().map(|&h| Prob::new(h, a.runs)).collect(),
                counts[v * n_t..(v + 1) * n_t].to_vec(),
            ));
        }
        base_acc = accs.into_iter().next();
    }
    let base_acc = match base_acc {
        Some(a) => a,
        None => engine::run(model, &opts, progress)?,
    };
    for (i, high) in unchanged {
        let probs: Vec<Prob> = base_acc
            .hits
            .iter()
            .map(|&h| Prob::new(h, base_acc.runs))
            .collect();
        let counts = base_acc
            .hits
            .iter()
            .map(|&h| PairCounts {
                both: h,
                only_ref: 0,
                only_other: 0,
                runs: base_acc.runs,
            })
            .collect();
        results.push((i, high, probs, counts));
    }

    // Rank correlations from the first chunks of the scenario's own run.
    let sp_runs = o.runs.min(SPEARMAN_CHUNKS * CHUNK);
    let sp_opts = RunOptions {
        runs: sp_runs,
        ..opts
    };
    let (_, mut samples) = engine::run_lockstep(
        &[Variant { model, seeds: None }],
        &sp_opts,
        &|c, d: &[&ChunkDetail]| {
            vec![ChunkSample {
                chunk: c,
                inputs: d[0].inputs.clone(),
                metric: d[0].metric.clone(),
            }]
        },
        &|mut a: Vec<ChunkSample>, mut b| {
            a.append(&mut b);
            a
        },
        &Vec::new,
    )?;
    samples.sort_by_key(|s| s.chunk);
    let concat = |pick: &dyn Fn(&ChunkSample) -> &Vec<f64>| -> Vec<f64> {
        samples
            .iter()
            .flat_map(|s| pick(s).iter().copied())
            .collect()
    };
    let draw_names: Vec<(usize, String)> = model
        .sims
        .iter()
        .filter_map(|s| {
            s.draw
                .map(|d| (d, model.plan.indicators[s.plan_index].id.clone()))
        })
        .filter(|(d, _)| {
            model
                .sims
                .iter()
                .any(|s| s.draw == Some(*d) && s.process.dist().is_some_and(|x| !x.is_degenerate()))
        })
        .collect();
    let inputs: Vec<Vec<f64>> = draw_names
        .iter()
        .map(|(d, _)| concat(&|s| &s.inputs[*d]))
        .collect();

    let mut targets = Vec::new();
    for &j in &chosen {
        let t = &model.targets[sims[j].target];
        let ind = &model.plan.indicators[t.indicator];
        let mut bars: Vec<Bar> = params
            .iter()
            .enumerate()
            .map(|(i, p)| Bar {
                param: i,
                id: p.id.clone(),
                low: None,
                high: None,
                impact: 0.0,
            })
            .collect();
        for (i, high, probs, counts) in &results {
            let p = &params[*i];
            let side = Side {
                value: if *high { p.high } else { p.low },
                p_met: probs[j],
                change: newcombe(&counts[j]),
            };
            let bar = &mut bars[*i];
            bar.impact = bar.impact.max(side.change.delta.abs());
            if *high {
                bar.high = Some(side);
            } else {
                bar.low = Some(side);
            }
        }
        bars.sort_by(|a, b| b.impact.total_cmp(&a.impact).then(a.param.cmp(&b.param)));
        let metric = concat(&|s| &s.metric[j]);
        let mut rank_correlations: Vec<RankCorrelation> = draw_names
            .iter()
            .zip(&inputs)
            .map(|((_, name), x)| RankCorrelation {
                input: name.clone(),
                rho: spearman(x, &metric),
            })
            .collect();
        rank_correlations.sort_by(|a, b| {
            b.rho
                .abs()
                .total_cmp(&a.rho.abs())
                .then(a.input.cmp(&b.input))
        });
        targets.push(TargetSensitivity {
            id: t.id.clone(),
            indicator: ind.id.clone(),
            rule: t.describe_rule(&model.evaluation, ind.better),
            p_met: Prob::new(base_acc.hits[j], base_acc.runs),
            bars,
            rank_correlations,
        });
    }
    Ok(Sensitivity {
        attain_version: env!("CARGO_PKG_VERSION"),
        plan: plan_info(model),
        scenario: ScenarioRef {
            stem: model.scenario.stem.clone(),
            name: model.scenario.name.clone(),
            file: model.scenario.path.display().to_string(),
        },
        method: Method::Oat,
        swing: o.swing,
        swing_rule: SWING_RULE,
        runs: o.runs,
        seed: o.seed,
        common_random_numbers: CRN_NOTE,
        interval_method: PAIRED_METHOD,
        rank_correlation_runs: sp_runs,
        parameters: params,
        targets,
        skipped,
    })
}

/// The error for a target id that is not simulated (or does not exist).
pub fn not_simulated(model: &Model, id: &str) -> Error {
    let known = model.targets.iter().any(|t| t.id == id);
    let simulated: Vec<String> = crate::model::simulated_targets(model)
        .iter()
        .map(|s| model.targets[s.target].id.clone())
        .collect();
    Error::file(
        &model.scenario.path,
        if known {
            format!(
                "target `{id}` is not simulated in this scenario (no process for its indicator, or qualitative)"
            )
        } else {
            format!("the plan has no target `{id}`")
        },
        format!(
            "simulated targets: {}",
            if simulated.is_empty() {
                "none".into()
            } else {
                simulated.join(", ")
            }
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_average_ties_and_spearman_is_rank_based() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
        let x: Vec<f64> = (0..50).map(|i| i as f64).collect();
        let y: Vec<f64> = x.iter().map(|v| v.powi(3)).collect();
        assert!((spearman(&x, &y) - 1.0).abs() < 1e-12);
        let z: Vec<f64> = x.iter().map(|v| -v.exp()).collect();
        assert!((spearman(&x, &z) + 1.0).abs() < 1e-12);
        assert_eq!(spearman(&x, &vec![1.0; 50]), 0.0);
        // NaN pairs are dropped.
        let mut w = y.clone();
        w[3] = f64::NAN;
        assert!((spearman(&x, &w) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn spearman_of_inverts_the_copula_parameter() {
        for rho in [-0.9, -0.3, 0.0, 0.5, 0.8, 1.0] {
            let r = 2.0 * (std::f64::consts::PI * rho / 6.0).sin();
            assert!((spearman_of(r) - rho).abs() < 1e-12);
        }
    }
}
