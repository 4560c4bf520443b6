//! What it takes, both ways: the assumption at which a target becomes likely, and the target level
//! that the scenario makes likely.
//!
//! * **Solve** ([`solve`]): the location of one input's distribution (by default the target's own
//!   indicator: the mean growth rate, mean step or mean level) at which P(met) reaches 50 % or 90 %.
//!   The whole distribution is shifted by δ (every location parameter moves by δ: a normal's mean, a
//!   triangular's min, mode and max, an empirical sample's values…; its shape and any `clamp` stay;
//!   a lognormal keeps its sd while its mean moves). P(met) is evaluated by a full run at each δ with
//!   the same seed, so successive evaluations share their random numbers and P(δ) is a monotone step
//!   function for the usual targets; δ is found by doubling outwards from 0 to bracket the level and
//!   then bisecting to the smallest shift that reaches it.
//! * **Achievable** ([`achievable`]): the metric level reached or beaten with 50 / 80 / 90 %
//!   confidence — a quantile of the metric's sketch (runs with an undefined metric count as misses).
//! * **Curve** ([`attainment_curve`]): P(met) as a function of the target level, the
//!   probability-of-target-attainment (PTA) curve, from the same sketch.

use crate::analysis::compare::{CRN_NOTE, plan_info};
use crate::analysis::sensitivity::{ScenarioRef, not_simulated};
use crate::engine::{self, RunOptions, sketch::Sketch};
use crate::error::{Error, Result};
use crate::model::{Dist, Model, Process};
use crate::results::{PlanInfo, Prob};
use serde::Serialize;

/// How the solver moves an input, in words.
pub const SHIFT_RULE: &str = "the input's whole distribution is shifted by δ (every location parameter moves by δ; the shape, spread and any clamp stay; a lognormal keeps its sd); P(met) at each δ is a full run with the scenario's seed (common random numbers), δ is bracketed by doubling and bisected to the smallest shift that reaches the probability";

/// The model with simulated indicator `sim`'s distribution shifted by `delta` ([`Dist::shifted`]).
pub fn shifted(model: &Model, sim: usize, delta: f64) -> std::result::Result<Model, String> {
    let mut m = model.clone();
    match &mut m.sims[sim].process {
        Process::Growth { dist, .. }
        | Process::Increment { dist, .. }
        | Process::Level { dist, .. } => {
            *dist = dist.shifted(delta).map_err(|e| e.0)?;
            Ok(m)
        }
        Process::Derived { .. } => Err("a derived indicator has no distribution to shift".into()),
    }
}

/// P(met) reached at a shifted location.
#[derive(Debug, Clone, Serialize)]
pub struct Solution {
    /// The probability asked for.
    pub p: f64,
    /// The mean of the shifted distribution at which P(met) first reaches `p` (`None`: not
    /// reachable by shifting this input, see `note`).
    pub mean: Option<f64>,
    /// The shift δ from the scenario's assumption.
    pub shift: Option<f64>,
    /// P(met) at that shift.
    pub achieved: Option<Prob>,
    /// Full runs evaluated for this target so far (cumulative over the probabilities solved).
    pub evaluations: usize,
    pub note: Option<String>,
}

/// A metric level and the confidence of reaching it.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Achievable {
    pub confidence: f64,
    /// The level reached or beaten (in the better direction) in that share of runs.
    pub level: Option<f64>,
}

/// One point of the probability-of-target-attainment curve.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CurvePoint {
    /// A target level (the boundary of the met region), in the metric's units.
    pub level: f64,
    pub p_met: f64,
}

/// One target's goal analysis.
#[derive(Debug, Clone, Serialize)]
pub struct GoalTarget {
    pub id: String,
    pub indicator: String,
    pub metric: crate::model::Metric,
    pub rule: String,
    /// The met region's boundary in the metric's units (what the curve's x axis varies).
    pub threshold: f64,
    /// True when larger metric values meet the target (the curve falls as the level rises).
    pub higher_is_met: bool,
    pub p_met: Prob,
    /// The indicator whose distribution the solver shifts.
    pub input: String,
    /// Its distribution key and family, e.g. `rate (normal)`.
    pub parameter: String,
    /// The scenario's assumed mean of that distribution.
    pub assumed_mean: f64,
    pub solutions: Vec<Solution>,
    pub achievable: Vec<Achievable>,
    pub curve: Vec<CurvePoint>,
    /// The plan's own wording, for charts (not in goal.json, whose `rule` says it in full).
    #[serde(skip)]
    pub wording: Wording,
}

/// A target as the plan words it: comparison, value, year and the unit simulated.
#[derive(Debug, Clone, Default)]
pub struct Wording {
    pub op: Option<crate::model::Op>,
    pub value: crate::model::TargetValue,
    pub year: i32,
    pub plan_year: i32,
    pub unit: Option<String>,
}

/// The result of `attain goal`.
#[derive(Debug, Clone, Serialize)]
pub struct Goal {
    pub attain_version: &'static str,
    pub plan: PlanInfo,
    pub scenario: ScenarioRef,
    pub runs: u64,
    pub seed: u64,
    pub common_random_numbers: &'static str,
    pub shift_rule: &'static str,
    pub targets: Vec<GoalTarget>,
}

/// Options of a goal analysis.
#[derive(Debug, Clone)]
pub struct Options {
    pub runs: u64,
    pub seed: u64,
    pub threads: Option<usize>,
    /// Probabilities to solve for (e.g. 0.5, 0.9).
    pub levels: Vec<f64>,
    /// Confidences for the achievable levels (e.g. 0.5, 0.8, 0.9).
    pub confidences: Vec<f64>,
    /// Indicator to shift instead of each target's own.
    pub input: Option<String>,
}

/// The level reached or beaten with `confidence` (higher-is-met targets: the metric is ≥ it in
/// that share of runs; lower-is-met: ≤ it). Undefined metrics count as misses. `None` when even
/// the most extreme level is met in fewer runs.
pub fn achievable(sk: &Sketch, runs: u64, higher_is_met: bool, confidence: f64) -> Option<f64> {
    let n = sk.count();
    if n == 0 || runs == 0 {
        return None;
    }
    let need = confidence * runs as f64 / n as f64;
    if need > 1.0 {
        return None;
    }
    if higher_is_met {
        sk.quantile(1.0 - need)
    } else {
        sk.quantile(need)
    }
}

/// P(met) when the target level (the met region's boundary) is `level`, for `points` levels evenly
/// spaced over [lo, hi].
pub fn attainment_curve(
    sk: &Sketch,
    runs: u64,
    higher_is_met: bool,
    lo: f64,
    hi: f64,
    points: usize,
) -> Vec<CurvePoint> {
    let defined = sk.count() as f64 / runs.max(1) as f64;
    let points = points.max(2);
    (0..points)
        .map(|i| {
            let level = lo + (hi - lo) * i as f64 / (points - 1) as f64;
            let f = sk.cdf(level);
            let p = if f.is_nan() {
                0.0
            } else if higher_is_met {
                (1.0 - f) * defined
            } else {
                f * defined
            };
            CurvePoint { level, p_met: p }
        })
        .collect()
}

/// Finds, for each probability in `levels`, the shift of simulated indicator `sim`'s distribution at
/// which simulated target `j` is met with at least that probability.
/// Shifts larger than this many yearly standard deviations are flagged as implausible.
pub const PLAUSIBLE_SDS: f64 = 10.0;

/// A note for a solution that needs an implausibly large shift (more than [`PLAUSIBLE_SDS`]
/// standard deviations `h` of the yearly draw), saying why when the input is steered: steering
/// toward the target absorbs most of any shift in the assumption.
fn implausible_shift(model: &Model, sim: usize, delta: f64, h: f64) -> Option<String> {
    let sds = delta.abs() / h;
    (sds > PLAUSIBLE_SDS).then(|| {
        let steered = model.sims[sim].steer.as_ref().map_or(String::new(), |s| {
            format!(
                "; the input is steered toward its target (strength {:.2}), which absorbs most of any shift in its assumption",
                s.setting.strength
            )
        });
        format!(
            "implausible: needs a shift of {sds:.0} standard deviations of the yearly draw{steered}"
        )
    })
}

pub fn solve(
    model: &Model,
    j: usize,
    sim: usize,
    levels: &[f64],
    opts: &RunOptions,
) -> Result<Vec<Solution>> {
    let dist = model.sims[sim]
        .process
        .dist()
        .ok_or_else(|| Error::usage("the input has no distribution", "choose another --input"))?;
    let sd = dist.sd();
    let mean = dist.mean();
    let h = if sd > 0.0 {
        sd
    } else {
        (mean.abs() * 0.01).max(1e-6)
    };
    let cache: std::cell::RefCell<Vec<(f64, Option<Prob>)>> = Default::default();
    let evals = || cache.borrow().len();
    // P(met) at shift δ; `None` when the shifted distribution is invalid.
    let p_at = |delta: f64| -> Result<Option<Prob>> {
        if let Some(c) = cache.borrow().iter().find(|c| c.0 == delta) {
            return Ok(c.1);
        }
        let p = match shifted(model, sim, delta) {
            Ok(m) => {
                let acc = engine::run(&m, opts, &|_| {})?;
                Some(Prob::new(acc.hits[j], acc.runs))
            }
            Err(_) => None,
        };
        cache.borrow_mut().push((delta, p));
        Ok(p)
    };
    // Which way P(met) moves with the shift.
    let mut dir = 0.0;
    let mut span = h;
    for _ in 0..24 {
        let (lo, hi) = (p_at(-span)?, p_at(span)?);
        match (lo, hi) {
            (Some(a), Some(b)) if b.p > a.p => dir = 1.0,
            (Some(a), Some(b)) if a.p > b.p => dir = -1.0,
            _ => {}
        }
        if dir != 0.0 {
            break;
        }
        span *= 2.0;
    }
    let mut out = Vec::new();
    for &p in levels {
        if dir == 0.0 {
            out.push(Solution {
                p,
                mean: None,
                shift: None,
                achieved: None,
                evaluations: evals(),
                note: Some("P(met) does not respond to this input's location".into()),
            });
            continue;
        }
        // g(t) = P(met at δ = dir·t) is non-decreasing in t; find the smallest t with g(t) ≥ p.
        let g = |t: f64| -> Result<f64> { Ok(p_at(dir * t)?.map_or(-1.0, |x| x.p)) };
        let (mut lo, mut hi);
        if g(0.0)? >= p {
            hi = 0.0;
            lo = -h;
            let mut k = 0;
            while g(lo)? >= p && k < 60 {
                hi = lo;
                lo *= 2.0;
                k += 1;
            }
            if k == 60 {
                lo = hi;
            }
        } else {
            lo = 0.0;
            hi = h;
            let mut k = 0;
            while g(hi)? < p && k < 60 {
                lo = hi;
                hi *= 2.0;
                k += 1;
            }
            if k == 60 {
                out.push(Solution {
                    p,
                    mean: None,
                    shift: None,
                    achieved: None,
                    evaluations: evals(),
                    note: Some(format!(
                        "not reachable by shifting this input (P(met) stays below {} %)",
                        p * 100.0
                    )),
                });
                continue;
            }
        }
        // Far below the Monte Carlo error of the answer (≈ h/√runs).
        let tol = h * 1e-4;
        for _ in 0..80 {
            if hi - lo <= tol {
                break;
            }
            let mid = 0.5 * (lo + hi);
            if g(mid)? >= p {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        let delta = dir * hi;
        let achieved = p_at(delta)?;
        let shifted_mean = shifted(model, sim, delta)
            .ok()
            .and_then(|m| m.sims[sim].process.dist().map(Dist::mean));
        out.push(Solution {
            p,
            mean: shifted_mean,
            shift: Some(delta),
            achieved,
            evaluations: evals(),
            note: implausible_shift(model, sim, delta, h),
        });
    }
    Ok(out)
}

/// Runs the goal analysis for the given plan target ids.
pub fn goal(model: &Model, target_ids: &[String], o: &Options) -> Result<Goal> {
    for &p in o.levels.iter().chain(&o.confidences) {
        if !(p > 0.0 && p < 1.0) {
            return Err(Error::usage(
                format!("probability {} is not in (0, 1)", crate::error::num(p)),
                "give probabilities such as 0.5,0.9",
            ));
        }
    }
    if target_ids.is_empty() {
        return Err(Error::usage(
            "no target given",
            "name one or more targets, e.g. `attain goal SCENARIO gdp_growth`",
        ));
    }
    let sims = crate::model::simulated_targets(model);
    let opts = RunOptions {
        runs: o.runs,
        seed: o.seed,
        threads: o.threads,
        shard: None,
        sampling: Default::default(),
    };
    let base = engine::run(model, &opts, &|_| {})?;
    let mut targets = Vec::new();
    for id in target_ids {
        let j = sims
            .iter()
            .position(|s| model.targets[s.target].id == *id)
            .ok_or_else(|| not_simulated(model, id))?;
        let st = &sims[j];
        let t = &model.targets[st.target];
        let ind = &model.plan.indicators[t.indicator];
        let (higher, threshold) = match (st.rule.lo.is_finite(), st.rule.hi.is_finite()) {
            (true, false) => (true, st.rule.lo),
            (false, true) => (false, st.rule.hi),
            _ => {
                return Err(Error::file(
                    &model.scenario.path,
                    format!(
                        "target `{id}` is met inside a range ({}): it has no single level to solve for",
                        t.describe_rule(&model.evaluation, ind.better)
                    ),
                    "choose a target with at_least, at_most or about",
                ));
            }
        };
        let sim = match &o.input {
            Some(name) => {
                let pi = model.plan.indicator_index(name).ok_or_else(|| {
                    Error::usage(
                        format!("the plan has no indicator `{name}`"),
                        "give an indicator id of the plan to --input (see `attain list`)",
                    )
                })?;
                model.sim_of[pi].ok_or_else(|| {
                    Error::usage(
                        format!("indicator `{name}` is not simulated in this scenario"),
                        "give an indicator with a growth, increment or level process",
                    )
                })?
            }
            None => st.sim,
        };
        let sim_ind = &model.plan.indicators[model.sims[sim].plan_index];
        let Some(dist) = model.sims[sim].process.dist() else {
            return Err(Error::usage(
                format!(
                    "`{}` is derived (formula); it has no distribution to shift",
                    sim_ind.id
                ),
                "choose one of the formula's inputs with --input INDICATOR",
            ));
        };
        let key = match &model.sims[sim].process {
            Process::Growth { factor: true, .. } => "factor",
            Process::Growth { .. } => "rate",
            Process::Increment { .. } => "step",
            _ => "value",
        };
        let solutions = solve(model, j, sim, &o.levels, &opts)?;
        let sk = &base.metric[j];
        let achievable = o
            .confidences
            .iter()
            .map(|&c| Achievable {
                confidence: c,
                level: achievable(sk, base.runs, higher, c),
            })
            .collect();
        let (q_lo, q_hi) = (
            sk.quantile(0.005).unwrap_or(threshold),
            sk.quantile(0.995).unwrap_or(threshold),
        );
        let (mut lo, mut hi) = (q_lo.min(threshold), q_hi.max(threshold));
        if lo == hi {
            let pad = (lo.abs() * 0.05).max(1e-6);
            lo -= pad;
            hi += pad;
        }
        let curve = attainment_curve(sk, base.runs, higher, lo, hi, 101);
        targets.push(GoalTarget {
            id: t.id.clone(),
            indicator: ind.id.clone(),
            metric: t.metric,
            rule: t.describe_rule(&model.evaluation, ind.better),
            wording: Wording {
                op: t.op,
                value: t.value.clone(),
                year: t.year,
                plan_year: model.plan.target_year,
                unit: model
                    .sims
                    .iter()
                    .find(|s| s.plan_index == t.indicator)
                    .and_then(|s| s.unit.clone())
                    .or_else(|| ind.unit.clone()),
            },
            threshold,
            higher_is_met: higher,
            p_met: Prob::new(base.hits[j], base.runs),
            input: sim_ind.id.clone(),
            parameter: format!("{key} ({})", dist.kind()),
            assumed_mean: dist.mean(),
            solutions,
            achievable,
            curve,
        });
    }
    Ok(Goal {
        attain_version: env!("CARGO_PKG_VERSION"),
        plan: plan_info(model),
        scenario: ScenarioRef {
            stem: model.scenario.stem.clone(),
            name: model.scenario.name.clone(),
            file: model.scenario.path.display().to_string(),
        },
        runs: o.runs,
        seed: o.seed,
        common_random_numbers: CRN_NOTE,
        shift_rule: SHIFT_RULE,
        targets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn achievable_levels_and_curve_agree() {
        let mut sk = Sketch::new();
        let v: Vec<f64> = (1..=1000).map(|i| i as f64).collect();
        sk.add_slice(&v, &mut Default::default());
        // Higher is met: 90 % of runs reach at least ~100.
        let l = achievable(&sk, 1000, true, 0.9).unwrap();
        assert!((l - 100.0).abs() <= 1.0, "{l}");
        let l = achievable(&sk, 1000, false, 0.8).unwrap();
        assert!((l - 800.0).abs() <= 1.0, "{l}");
        // With half the runs undefined, 80 % confidence is out of reach.
        assert!(achievable(&sk, 2000, true, 0.8).is_none());
        let c = attainment_curve(&sk, 1000, true, 0.0, 1000.0, 11);
        assert_eq!(c.len(), 11);
        assert!((c[0].p_met - 1.0).abs() < 1e-12);
        assert!((c[5].p_met - 0.5).abs() < 0.01);
        assert!(c.windows(2).all(|w| w[1].p_met <= w[0].p_met));
    }
}
