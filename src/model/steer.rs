//! Steering: governments steer an indicator toward the path its target implies.
//!
//! Trend extrapolation ignores that a government that committed to a target acts on the gap. A
//! steered indicator closes, each simulated year, a share κ (the *strength*, 0 ≤ κ ≤ 1) of the gap
//! between where its process would be expected to go and the path its target implies, aimed a
//! *margin* beyond the target; the process's noise (its draw's deviation from the mean, shocks)
//! comes on top. Steering is part of the path itself, so fan charts, joint probabilities, on-track,
//! comparisons, sensitivity and goal seeking all see it.
//!
//! With p_t the aimed path, μ the draw's mean and e_t its deviation this year (AR(1) and shocks
//! included):
//!
//! * growth: x_t = x_{t−1}(1 + μ + e_t) · (p_t / (x_{t−1}(1 + μ)))^κ — the expected log-step is moved
//!   a share κ toward the path (with `factor`, μ replaces 1 + μ);
//! * increment: x_t = x_{t−1} + μ + e_t + κ(p_t − x_{t−1} − μ), then clamped to the bounds;
//! * level: x_t = d_t + κ(p_t − μ) (the year's draw d_t moved toward the path).
//!
//! κ = 1 puts the expected position on the path every year; κ = 0 is no steering (and is never
//! built: results are then byte-identical to a scenario without steering). The margin is measured
//! in standard deviations σ of one year's draw, so one number serves indicators of any unit: the
//! path is shifted by m·σ (increment, level) or multiplied by exp(m·σ/(1 + μ)) (growth), in the
//! direction in which the target is met (none for `about` and `between` targets, which are aimed at).

use super::target::{Metric, Op, Target, TargetValue};
use super::{Better, Process};

/// How strongly and how far beyond its target an indicator is steered.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SteerSetting {
    /// Share of the gap closed each year, in [0, 1].
    pub strength: f64,
    /// Aim beyond the target, in standard deviations of one year's draw (negative: short of it).
    pub margin: f64,
}

/// Scenario-wide steering defaults by the attribute of the steered target.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SteerDefaults {
    pub binding: SteerSetting,
    pub expected: SteerSetting,
    /// For expected targets of money-valued market aggregates (units in yuan or dollars that are
    /// not intensities, see [`is_money`]), when given; `expected` otherwise.
    pub market: Option<SteerSetting>,
}

impl SteerDefaults {
    /// The default for a target of this attribute on an indicator of this unit.
    pub fn for_target(&self, attribute: super::Attribute, unit: Option<&str>) -> SteerSetting {
        match attribute {
            super::Attribute::Binding => self.binding,
            super::Attribute::Expected => match self.market {
                Some(m) if unit.is_some_and(is_money) => m,
                _ => self.expected,
            },
        }
    }
}

/// Whether a unit is money-valued (yuan, dollars) and not an intensity per unit of money
/// ("tce per 10k yuan"): the market aggregates, which a government steers less directly than
/// administrative, social or environmental indicators.
pub fn is_money(unit: &str) -> bool {
    let u = unit.to_lowercase();
    let money = ["yuan", "dollar", "usd", "元", "美元"];
    let Some(pos) = money.iter().filter_map(|m| u.find(m)).min() else {
        return false;
    };
    // An intensity names its money after "per": "t co2 per 10k yuan".
    !u[..pos].contains("per ") && !u[..pos].contains('/')
}

/// A steered indicator, as the engine uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct Steer {
    /// Index into `Model::targets` of the target steered toward.
    pub target: usize,
    pub setting: SteerSetting,
    /// The aimed path, margin included, for year offsets 1..=horizon (index offset − 1).
    pub path: Vec<f64>,
}

/// Whether a target's metric implies a path for its own indicator.
pub fn steerable(t: &Target) -> bool {
    matches!(
        t.metric,
        Metric::Level
            | Metric::Cagr
            | Metric::Change
            | Metric::Reduction
            | Metric::Multiple
            | Metric::Sum
    ) && t.relative_to.is_none()
        && matches!(t.value, TargetValue::Number(_) | TargetValue::Range(..))
}

/// The target an indicator is steered toward by default: among its steerable targets, a binding one
/// first, then the latest year, then the first in plan order.
pub fn primary_target(targets: &[Target], indicator: usize) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (k, t) in targets.iter().enumerate() {
        if t.indicator != indicator || !steerable(t) {
            continue;
        }
        let better = |b: &Target| {
            let key = |x: &Target| (x.attribute == super::Attribute::Binding, x.year);
            key(t) > key(b)
        };
        if best.is_none_or(|b| better(&targets[b])) {
            best = Some(k);
        }
    }
    best
}

/// The target's value as one aimed number: the value, or a range's midpoint.
fn aimed_value(t: &Target) -> Option<f64> {
    match t.value {
        TargetValue::Number(v) => Some(v),
        TargetValue::Range(lo, hi) => Some((lo + hi) / 2.0),
        _ => None,
    }
}

/// The level (for `sum`, the total) the target implies in its year, from the base value `xb`
/// `years` years before it.
pub fn goal(t: &Target, xb: f64, years: usize) -> Option<f64> {
    let v = aimed_value(t)?;
    let g = match t.metric {
        Metric::Level | Metric::Sum => v,
        Metric::Cagr => xb * (1.0 + v).powi(years as i32),
        Metric::Change => xb + v,
        Metric::Reduction => xb * (1.0 - v),
        Metric::Multiple => xb * v,
        _ => return None,
    };
    g.is_finite().then_some(g)
}

/// The direction in which the margin shifts the aimed path: +1 when a higher level of the indicator
/// meets a floor (`at_least`) better, −1 for a ceiling (`at_most`), and 0 for `about` (左右: a point
/// the plan expects to land near, not a bound to clear) and `between` (aimed at its middle).
pub fn level_direction(t: &Target, _indicator_better: Better) -> f64 {
    let metric_up = match t.op {
        Some(Op::AtLeast) => 1.0,
        Some(Op::AtMost) => -1.0,
        Some(Op::About) | Some(Op::Between) | None => 0.0,
    };
    // The reduction falls as the level rises; every other steerable metric rises with it.
    if t.metric == Metric::Reduction {
        -metric_up
    } else {
        metric_up
    }
}

/// What the aimed path is built from.
#[derive(Debug, Clone, Copy)]
pub struct PathSpec<'a> {
    pub process: &'a Process,
    pub metric: Metric,
    /// The level (or, for `sum`, the total) the target implies.
    pub goal: f64,
    /// Years after the base year at which the target is judged.
    pub offset: usize,
    /// Years simulated after the base year.
    pub horizon: usize,
    /// The base value and the known values after it (observed or interpolated).
    pub base: f64,
    pub known: &'a [f64],
    /// Margin in draw standard deviations, and the level direction in which it is applied.
    pub margin: f64,
    pub direction: f64,
}

/// The aimed path for year offsets 1..=horizon: from the last known value to the goal in the
/// target's year (geometric for growth processes with positive ends, linear otherwise), on at the
/// same pace after it; for `sum` targets, the constant yearly flow that completes the total. The
/// margin shift is applied to every year.
pub fn aimed_path(s: &PathSpec) -> Vec<f64> {
    let k = s.known.len();
    let xk = s.known.last().copied().unwrap_or(s.base);
    let (mu, sd, geometric) = match s.process {
        Process::Growth { dist, factor, .. } => {
            let m = dist.mean();
            (if *factor { m } else { 1.0 + m }, dist.sd(), true)
        }
        Process::Increment { dist, .. } | Process::Level { dist, .. } => {
            (dist.mean(), dist.sd(), false)
        }
        Process::Derived { .. } => (0.0, 0.0, false),
    };
    let span = s.offset.saturating_sub(k).max(1) as f64;
    let mut path = Vec::with_capacity(s.horizon);
    if s.metric == Metric::Sum {
        let done: f64 = s.known.iter().take(s.offset).sum();
        let flow = (s.goal - done) / span;
        path.resize(s.horizon, flow);
    } else {
        let geo = geometric && xk > 0.0 && s.goal > 0.0;
        for t in 1..=s.horizon {
            let f = (t as f64 - k as f64) / span;
            path.push(if geo {
                xk * (s.goal / xk).powf(f)
            } else {
                xk + (s.goal - xk) * f
            });
        }
    }
    let shift = s.direction * s.margin * sd;
    if shift != 0.0 {
        for p in &mut path {
            if geometric && mu > 0.0 && *p > 0.0 {
                *p *= (shift / mu).exp();
            } else {
                *p += shift;
            }
        }
    }
    path
}

impl Steer {
    /// Steering of `sim` toward `targets[target]` with `setting`: the aimed path from the target's
    /// goal, the indicator's process, base and known values. `None` when the target implies no
    /// level (see [`goal`]). The one place where a [`Steer`] is built: the scenario loader and
    /// [`Steer::with_margin`] both call it.
    pub fn toward(
        targets: &[Target],
        target: usize,
        sim: &super::SimIndicator,
        indicator_better: Better,
        base_year: i32,
        horizon: usize,
        setting: SteerSetting,
    ) -> Option<Steer> {
        let t = &targets[target];
        let offset = (t.year - base_year) as usize;
        let g = goal(t, sim.base, offset)?;
        let path = aimed_path(&PathSpec {
            process: &sim.process,
            metric: t.metric,
            goal: g,
            offset,
            horizon,
            base: sim.base,
            known: &sim.known,
            margin: setting.margin,
            direction: level_direction(t, indicator_better),
        });
        Some(Steer {
            target,
            setting,
            path,
        })
    }

    /// The same steering with margin `margin`, its path recomputed from `sim`'s current process,
    /// base and known values in `model` (as the scenario loader builds it), so that a model with a
    /// moved margin or a moved distribution is the model a scenario saying so loads.
    pub fn with_margin(
        &self,
        sim: &super::SimIndicator,
        model: &super::Model,
        margin: f64,
    ) -> Steer {
        let setting = SteerSetting {
            strength: self.setting.strength,
            margin,
        };
        Steer::toward(
            &model.targets,
            self.target,
            sim,
            model.plan.indicators[sim.plan_index].better,
            model.base_year(),
            model.horizon(),
            setting,
        )
        .unwrap_or_else(|| Steer {
            setting,
            ..self.clone()
        })
    }
}
