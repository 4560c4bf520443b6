//! `attain calibrate`: fitting the [`Method`]'s few parameters to review plans' realised outcomes.
//!
//! The only route by which realised outcomes (`actual`) reach any parameter. For a parameter vector
//! θ, each review plan is drafted by [`crate::init::draft`] with θ, simulated, and every scored
//! target (one with an `actual`, a numeric rule and no placeholder value) contributes the log
//! score of its P(met) against whether `actual` met the rule. The fit minimises
//!
//! ```text
//! Σ_targets −ln P(outcome | θ)  +  penalty(θ)
//! ```
//!
//! where P is smoothed as (hits + ½)/(runs + 1) so that no finite run count gives an infinite loss,
//! and the penalty is a weak prior stated in [`PRIOR`] (penalised maximum likelihood: with a few
//! dozen correlated targets, unpenalised margins run to their bounds). Every evaluation uses the
//! same seed, so successive parameter vectors share their random numbers (common random numbers)
//! and the objective is a deterministic function of θ. The minimiser is Nelder–Mead on the
//! parameters scaled to [0, 1] (projected onto the box), restarted once from its best point.
//!
//! Intervals are 95 % Wald intervals from a central-difference Hessian of the penalised objective
//! in the scaled coordinates (a Laplace approximation); where the Hessian is not positive definite
//! a parameter's interval is the conditional likelihood-ratio range (others held at the fit)
//! instead, and the file says which. Leave-one-plan-out scores refit θ on the other plans only.

use crate::analysis::backtest::{self, CLIP, IMPLIED_BINDING, IMPLIED_EXPECTED};
use crate::engine::{self, RunOptions};
use crate::error::{Error, Result};
use crate::init::{self, InitOptions};
use crate::method::{Method, PARAMS};
use crate::model::{Attribute, Model};
use crate::scenario::{self, LoadOptions};
use serde::Serialize;
use std::path::PathBuf;

/// The weak prior, in words (the penalty [`penalty`] computes).
pub const PRIOR: &str = "margins ~ Normal(0, 1.5²); realism ~ Normal(1, 0.5²); ln spread ~ Normal(0, 1); strengths uniform on [0, 1]";

/// −ln of the (unnormalised) prior density.
fn penalty(m: &Method) -> f64 {
    let sq = |x: f64, s: f64| x * x / (2.0 * s * s);
    sq(m.margin_binding, 1.5)
        + sq(m.margin_expected, 1.5)
        + sq(m.realism - 1.0, 0.5)
        + sq(m.spread.max(1e-9).ln(), 1.0)
}

/// How to calibrate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Runs per plan per evaluation of the objective.
    pub runs: u64,
    /// Runs for the reported (in-sample and leave-one-out) probabilities.
    pub score_runs: u64,
    pub seed: u64,
    pub threads: Option<usize>,
    /// Parameters held fixed: (index into [`PARAMS`], value).
    pub fixed: Vec<(usize, f64)>,
    /// Most objective evaluations per fit.
    pub max_evaluations: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            runs: 8192,
            score_runs: 20_000,
            seed: 2016,
            threads: None,
            fixed: Vec::new(),
            max_evaluations: 600,
        }
    }
}

/// A review plan ready to be drafted: where it is and what it holds.
#[derive(Debug, Clone)]
pub struct ReviewPlan {
    pub path: PathBuf,
    pub plan: crate::model::Plan,
}

/// Reads the inputs: review plan files, or scenarios of review plans (their plan is used).
pub fn read_inputs(paths: &[PathBuf]) -> Result<Vec<ReviewPlan>> {
    let mut out: Vec<ReviewPlan> = Vec::new();
    for p in paths {
        let plan_path = if init::is_plan_file(p)? {
            p.clone()
        } else {
            scenario::load_scenario(p)?.plan.path.clone()
        };
        let lp = scenario::load_plan(&plan_path)?;
        if !lp.plan.targets.iter().any(|t| t.actual.is_some()) {
            return Err(Error::file(
                &plan_path,
                format!("plan `{}` has no target with an `actual` value", lp.plan.id),
                "calibrate needs review plans: targets with `actual = <realised value>`",
            ));
        }
        if out.iter().any(|r| r.plan.id == lp.plan.id) {
            return Err(Error::file(
                &plan_path,
                format!("plan `{}` is given twice", lp.plan.id),
                "give each review plan once",
            ));
        }
        out.push(ReviewPlan {
            path: plan_path,
            plan: lp.plan,
        });
    }
    Ok(out)
}

/// The init model of a review plan under `method`.
pub fn draft_model(rp: &ReviewPlan, method: &Method, runs: u64, seed: u64) -> Result<Model> {
    let file_name = rp
        .path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let d = init::draft(
        &rp.plan,
        &InitOptions {
            method: *method,
            method_source: "attain calibrate".into(),
            plan_ref: file_name,
            calibration_ref: None,
            name: format!("{} — calibration", rp.plan.id),
            runs,
            seed,
        },
    );
    scenario::load_scenario_text(
        &init::virtual_scenario_path(&rp.path),
        &d.text,
        &LoadOptions::default(),
    )
}

/// One scored target of one plan: P(met) as (hits, runs) and whether it was met.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub plan: String,
    pub target: String,
    pub attribute: Attribute,
    pub metric: crate::model::Metric,
    pub actual: f64,
    pub met: bool,
    pub p_met: f64,
    #[serde(skip)]
    hits: u64,
    #[serde(skip)]
    runs: u64,
}

/// Simulates a review plan under `method` and returns its scored targets.
pub fn outcomes(
    rp: &ReviewPlan,
    method: &Method,
    runs: u64,
    seed: u64,
    threads: Option<usize>,
) -> Result<Vec<Outcome>> {
    let model = draft_model(rp, method, runs, seed)?;
    let acc = engine::run(
        &model,
        &RunOptions {
            runs,
            seed,
            threads,
            shard: None,
            sampling: Default::default(),
        },
        &|_| {},
    )?;
    let mut out = Vec::new();
    for (k, st) in crate::model::simulated_targets(&model).iter().enumerate() {
        let t = &model.targets[st.target];
        let Some(actual) = t.actual.filter(|a| a.is_finite()) else {
            continue;
        };
        if t.placeholder {
            continue;
        }
        let met = st.rule.met(actual);
        let hits = acc.hits[k];
        out.push(Outcome {
            plan: model.plan.id.clone(),
            target: t.id.clone(),
            attribute: t.attribute,
            metric: t.metric,
            actual,
            met,
            p_met: hits as f64 / runs as f64,
            hits,
            runs,
        });
    }
    Ok(out)
}

/// Σ −ln P(outcome), with P = (hits + ½)/(runs + 1).
fn smoothed_nll(o: &[Outcome]) -> f64 {
    o.iter()
        .map(|x| {
            let p = (x.hits as f64 + 0.5) / (x.runs as f64 + 1.0);
            -(if x.met { p } else { 1.0 - p }).ln()
        })
        .sum()
}

/// The penalised objective over a set of plans.
struct Objective<'a> {
    plans: &'a [&'a ReviewPlan],
    opts: &'a Options,
    /// Indices of the free parameters.
    free: Vec<usize>,
    /// The full vector with fixed values in place.
    template: [f64; crate::method::N_PARAMS],
    evaluations: usize,
}

impl Objective<'_> {
    /// Free parameters scaled to [0, 1] → full method.
    fn method(&self, u: &[f64]) -> Method {
        let mut v = self.template;
        for (j, &i) in self.free.iter().enumerate() {
            let p = PARAMS[i];
            v[i] = p.lo + u[j].clamp(0.0, 1.0) * (p.hi - p.lo);
        }
        Method::from_vec(&v)
    }

    fn scaled(&self, m: &Method) -> Vec<f64> {
        let v = m.to_vec();
        self.free
            .iter()
            .map(|&i| (v[i] - PARAMS[i].lo) / (PARAMS[i].hi - PARAMS[i].lo))
            .collect()
    }

    fn eval(&mut self, u: &[f64]) -> Result<f64> {
        self.evaluations += 1;
        let m = self.method(u);
        let mut total = penalty(&m);
        for rp in self.plans {
            let o = outcomes(rp, &m, self.opts.runs, self.opts.seed, self.opts.threads)?;
            total += smoothed_nll(&o);
        }
        Ok(total)
    }
}

/// Nelder–Mead on the unit box (points projected onto it).
fn nelder_mead(
    obj: &mut Objective,
    start: Vec<f64>,
    step: f64,
    max_eval: usize,
) -> Result<(Vec<f64>, f64)> {
    let d = start.len();
    if d == 0 {
        let f = obj.eval(&start)?;
        return Ok((start, f));
    }
    let clip = |x: Vec<f64>| {
        x.into_iter()
            .map(|v| v.clamp(0.0, 1.0))
            .collect::<Vec<f64>>()
    };
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(d + 1);
    let f0 = obj.eval(&start)?;
    simplex.push((start.clone(), f0));
    for i in 0..d {
        let mut x = start.clone();
        x[i] = if x[i] + step <= 1.0 {
            x[i] + step
        } else {
            x[i] - step
        };
        let x = clip(x);
        let f = obj.eval(&x)?;
        simplex.push((x, f));
    }
    let mut evals = d + 1;
    while evals < max_eval {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (best, worst) = (simplex[0].1, simplex[d].1);
        if (worst - best).abs() < 1e-6 * (1.0 + best.abs()) {
            let spread = (0..d)
                .map(|i| {
                    let col: Vec<f64> = simplex.iter().map(|s| s.0[i]).collect();
                    col.iter().cloned().fold(f64::MIN, f64::max)
                        - col.iter().cloned().fold(f64::MAX, f64::min)
                })
                .fold(0.0, f64::max);
            if spread < 1e-3 {
                break;
            }
        }
        let centroid: Vec<f64> = (0..d)
            .map(|i| simplex[..d].iter().map(|s| s.0[i]).sum::<f64>() / d as f64)
            .collect();
        let along = |t: f64| -> Vec<f64> {
            clip(
                centroid
                    .iter()
                    .zip(&simplex[d].0)
                    .map(|(c, w)| c + t * (c - w))
                    .collect(),
            )
        };
        let xr = along(1.0);
        let fr = obj.eval(&xr)?;
        evals += 1;
        if fr < simplex[0].1 {
            let xe = along(2.0);
            let fe = obj.eval(&xe)?;
            evals += 1;
            simplex[d] = if fe < fr { (xe, fe) } else { (xr, fr) };
        } else if fr < simplex[d - 1].1 {
            simplex[d] = (xr, fr);
        } else {
            let (xc, fc) = if fr < simplex[d].1 {
                let x = along(0.5);
                let f = obj.eval(&x)?;
                (x, f)
            } else {
                let x = along(-0.5);
                let f = obj.eval(&x)?;
                (x, f)
            };
            evals += 1;
            if fc < simplex[d].1.min(fr) {
                simplex[d] = (xc, fc);
            } else {
                let b = simplex[0].0.clone();
                for s in simplex.iter_mut().skip(1) {
                    let x: Vec<f64> = s.0.iter().zip(&b).map(|(x, b)| b + 0.5 * (x - b)).collect();
                    let f = obj.eval(&x)?;
                    *s = (x, f);
                    evals += 1;
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    Ok(simplex.swap_remove(0))
}

/// A fitted method with its intervals.
#[derive(Debug, Clone, Serialize)]
pub struct Fit {
    pub method: Method,
    /// 95 % interval per parameter, in [`PARAMS`] order.
    pub intervals: Vec<Interval>,
    /// The penalised objective at the fit.
    pub objective: f64,
    pub evaluations: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Interval {
    pub name: &'static str,
    pub value: f64,
    pub lo: f64,
    pub hi: f64,
    /// "wald" (Laplace), "conditional" (likelihood-ratio with others fixed) or "fixed".
    pub kind: &'static str,
}

/// Fits the method to `plans`.
pub fn fit(plans: &[&ReviewPlan], opts: &Options) -> Result<Fit> {
    let start = Method::default().to_vec();
    let mut template = start;
    for &(i, v) in &opts.fixed {
        template[i] = v;
    }
    let free: Vec<usize> = (0..PARAMS.len())
        .filter(|i| !opts.fixed.iter().any(|(j, _)| j == i))
        .collect();
    let mut obj = Objective {
        plans,
        opts,
        free: free.clone(),
        template,
        evaluations: 0,
    };
    let u0 = obj.scaled(&Method::from_vec(&template));
    let half = opts.max_evaluations / 2;
    let (u1, _) = nelder_mead(&mut obj, u0, 0.25, half)?;
    let (u, f) = nelder_mead(&mut obj, u1, 0.1, half)?;
    let method = obj.method(&u);
    let intervals = intervals(&mut obj, &u, f, &method)?;
    Ok(Fit {
        method,
        intervals,
        objective: f,
        evaluations: obj.evaluations,
    })
}

/// 95 % intervals: Wald from the Hessian in scaled coordinates, else conditional LR.
fn intervals(obj: &mut Objective, u: &[f64], f: f64, m: &Method) -> Result<Vec<Interval>> {
    let d = u.len();
    let h = 0.04;
    let at = |obj: &mut Objective, du: &[(usize, f64)]| -> Result<f64> {
        let mut x = u.to_vec();
        for &(i, s) in du {
            x[i] += s;
        }
        obj.eval(&x)
    };
    // Steps point into the box: central differences inside, one-sided at a bound.
    let step: Vec<f64> = u
        .iter()
        .map(|&x| if x + h > 1.0 { -h } else { h })
        .collect();
    let central: Vec<bool> = u.iter().map(|&x| x - h >= 0.0 && x + h <= 1.0).collect();
    let single: Vec<f64> = (0..d)
        .map(|i| at(obj, &[(i, step[i])]))
        .collect::<Result<_>>()?;
    let mut hess = vec![0.0; d * d];
    for i in 0..d {
        let (si, fi) = (step[i], single[i]);
        hess[i * d + i] = if central[i] {
            (fi - 2.0 * f + at(obj, &[(i, -si)])?) / (h * h)
        } else {
            (at(obj, &[(i, 2.0 * si)])? - 2.0 * fi + f) / (h * h)
        };
        for j in 0..i {
            let sj = step[j];
            let fij = at(obj, &[(i, si), (j, sj)])?;
            let v = (fij - fi - single[j] + f) / (si * sj);
            hess[i * d + j] = v;
            hess[j * d + i] = v;
        }
    }
    let inv = invert_spd(&hess, d);
    let mut out = Vec::new();
    let v = m.to_vec();
    let mut j = 0;
    for (i, p) in PARAMS.iter().enumerate() {
        if !obj.free.contains(&i) {
            out.push(Interval {
                name: p.name,
                value: v[i],
                lo: v[i],
                hi: v[i],
                kind: "fixed",
            });
            continue;
        }
        let width = p.hi - p.lo;
        let wald = inv
            .as_ref()
            .map(|inv| inv[j * d + j])
            .filter(|var| var.is_finite() && *var > 0.0)
            .map(|var| 1.959964 * var.sqrt());
        let (lo, hi, kind) = match wald {
            Some(half) => (
                (v[i] - half * width).max(p.lo),
                (v[i] + half * width).min(p.hi),
                "wald",
            ),
            None => {
                let (a, b) = conditional(obj, u, j, f)?;
                (p.lo + a * width, p.lo + b * width, "conditional")
            }
        };
        out.push(Interval {
            name: p.name,
            value: v[i],
            lo,
            hi,
            kind,
        });
        j += 1;
    }
    Ok(out)
}

/// The range of scaled parameter `j` (others fixed) where the objective is within 1.92 of `f`.
fn conditional(obj: &mut Objective, u: &[f64], j: usize, f: f64) -> Result<(f64, f64)> {
    let mut ends = [u[j], u[j]];
    for (e, dir) in ends.iter_mut().zip([-1.0, 1.0]) {
        let mut x = u.to_vec();
        loop {
            let next = x[j] + dir * 0.02;
            if !(0.0..=1.0).contains(&next) {
                *e = next.clamp(0.0, 1.0);
                break;
            }
            x[j] = next;
            if obj.eval(&x)? > f + 1.92 {
                *e = next;
                break;
            }
        }
    }
    Ok((ends[0], ends[1]))
}

/// Inverse of a symmetric positive-definite matrix by Cholesky; `None` if it is not SPD.
fn invert_spd(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            if i == j {
                let d = a[i * n + i] - s;
                if d.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
                    return None;
                }
                l[i * n + i] = d.sqrt();
            } else {
                l[i * n + j] = (a[i * n + j] - s) / l[j * n + j];
            }
        }
    }
    let mut inv = vec![0.0; n * n];
    for c in 0..n {
        // Solve L y = e_c, then Lᵀ x = y.
        let mut y = vec![0.0; n];
        for i in 0..n {
            let s: f64 = (0..i).map(|k| l[i * n + k] * y[k]).sum();
            y[i] = ((i == c) as u8 as f64 - s) / l[i * n + i];
        }
        let mut x = vec![0.0; n];
        for i in (0..n).rev() {
            let s: f64 = (i + 1..n).map(|k| l[k * n + i] * x[k]).sum();
            x[i] = (y[i] - s) / l[i * n + i];
        }
        for r in 0..n {
            inv[r * n + c] = x[r];
        }
    }
    Some(inv)
}

/// Scores of a set of outcomes beside the references.
#[derive(Debug, Clone, Serialize)]
pub struct Scores {
    pub scored: usize,
    pub met: usize,
    pub brier: f64,
    pub log_loss: f64,
    pub coin_brier: f64,
    pub coin_log_loss: f64,
    pub all_met_brier: f64,
    pub all_met_log_loss: f64,
    pub plan_implied_brier: f64,
    pub plan_implied_log_loss: f64,
}

pub fn scores(o: &[Outcome]) -> Scores {
    let pairs = |f: &dyn Fn(&Outcome) -> f64| -> (f64, f64) {
        let v: Vec<(f64, bool)> = o.iter().map(|x| (f(x), x.met)).collect();
        backtest::mean_scores(&v, CLIP)
    };
    let (b, l) = pairs(&|x| x.p_met);
    let (cb, cl) = pairs(&|_| 0.5);
    let (ab, al) = pairs(&|_| 1.0);
    let (pb, pl) = pairs(&|x| match x.attribute {
        Attribute::Binding => IMPLIED_BINDING,
        Attribute::Expected => IMPLIED_EXPECTED,
    });
    Scores {
        scored: o.len(),
        met: o.iter().filter(|x| x.met).count(),
        brier: b,
        log_loss: l,
        coin_brier: cb,
        coin_log_loss: cl,
        all_met_brier: ab,
        all_met_log_loss: al,
        plan_implied_brier: pb,
        plan_implied_log_loss: pl,
    }
}

/// In-sample scores of one plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanScore {
    pub plan: String,
    pub path: String,
    #[serde(flatten)]
    pub scores: Scores,
}

/// Leave-one-plan-out: the plan scored with parameters fitted on the others.
#[derive(Debug, Clone, Serialize)]
pub struct LeaveOneOut {
    pub plan: String,
    pub fitted_on: Vec<String>,
    pub method: Method,
    #[serde(flatten)]
    pub scores: Scores,
    pub outcomes: Vec<Outcome>,
}

/// Everything `attain calibrate` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    pub attain_version: &'static str,
    pub fit: Fit,
    pub prior: &'static str,
    pub runs_per_evaluation: u64,
    pub score_runs: u64,
    pub seed: u64,
    pub plans: Vec<PlanScore>,
    pub in_sample: Scores,
    pub leave_one_out: Vec<LeaveOneOut>,
    /// Leave-one-out outcomes of every plan pooled.
    pub leave_one_out_pooled: Option<Scores>,
    pub data: Vec<Outcome>,
}

/// Fits on every plan, scores in sample and leave-one-plan-out.
pub fn calibrate(plans: &[ReviewPlan], opts: &Options) -> Result<Calibration> {
    let all: Vec<&ReviewPlan> = plans.iter().collect();
    let f = fit(&all, opts)?;
    let mut data = Vec::new();
    let mut per_plan = Vec::new();
    for rp in plans {
        let o = outcomes(rp, &f.method, opts.score_runs, opts.seed, opts.threads)?;
        per_plan.push(PlanScore {
            plan: rp.plan.id.clone(),
            path: rp.path.display().to_string(),
            scores: scores(&o),
        });
        data.extend(o);
    }
    let in_sample = scores(&data);
    let mut loo = Vec::new();
    if plans.len() >= 2 {
        for (i, rp) in plans.iter().enumerate() {
            let others: Vec<&ReviewPlan> = plans
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, p)| p)
                .collect();
            let fi = fit(&others, opts)?;
            let o = outcomes(rp, &fi.method, opts.score_runs, opts.seed, opts.threads)?;
            loo.push(LeaveOneOut {
                plan: rp.plan.id.clone(),
                fitted_on: others.iter().map(|p| p.plan.id.clone()).collect(),
                method: fi.method,
                scores: scores(&o),
                outcomes: o,
            });
        }
    }
    let pooled = (!loo.is_empty()).then(|| {
        let all: Vec<Outcome> = loo.iter().flat_map(|l| l.outcomes.clone()).collect();
        scores(&all)
    });
    Ok(Calibration {
        attain_version: env!("CARGO_PKG_VERSION"),
        fit: f,
        prior: PRIOR,
        runs_per_evaluation: opts.runs,
        score_runs: opts.score_runs,
        seed: opts.seed,
        plans: per_plan,
        in_sample,
        leave_one_out: loo,
        leave_one_out_pooled: pooled,
        data,
    })
}
