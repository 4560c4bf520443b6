//! Backtests: scoring a run's probabilities against what actually happened.
//!
//! A plan whose targets carry `actual` (the realised value of the target's metric, in the units of
//! its `value`) can be scored: each simulated target's P(met) is compared with whether the actual
//! value meets the target under the very rule the simulation used ([`Rule`](crate::model::Rule),
//! including the `about` tolerance of the scenario). Scores are proper scoring rules, averaged
//! over the scored targets (lower is better for both):
//!
//! * **Brier score** `(p − o)²`, with `o` = 1 if the target was met, else 0;
//! * **log loss** `−ln(p)` if met, `−ln(1 − p)` if not, with `p` clipped to
//!   [[`CLIP`], 1 − [`CLIP`]] so that a confident miss costs at most −ln(10⁻⁶) ≈ 13.8 rather
//!   than infinity.
//!
//! The same scores are given for naive forecasters over the same targets ([`Forecaster`]): a coin
//! (always 0.5), "every target is met" (always 1.0), the plan's own implied certainty (binding
//! targets 1.0, expected targets 0.8) and, for reference only, the hindsight base rate (the share of
//! scored targets that were met, which no forecaster could have known). A reliability table bins
//! the predicted probabilities into equal-width bins and sets each bin's mean prediction beside the
//! observed frequency of met targets in it.
//!
//! This module computes typed results only; `report::*` renders them and `cli` wires them.

use crate::error::{Error, Result};
use crate::model::{Attribute, Metric, Model};
use crate::results::{PlanInfo, Results, ScenarioInfo};
pub use crate::stats::scores::{
    Bin, CLIP, DEFAULT_BINS, Decomposition, Forecaster, IMPLIED_BINDING, IMPLIED_EXPECTED,
    MAX_BINS, brier, decompose, log_loss, mean_scores, reliability,
};
use serde::Serialize;

/// One scored target.
#[derive(Debug, Clone, Serialize)]
pub struct ScoredTarget {
    pub id: String,
    pub indicator: String,
    pub name: String,
    pub name_en: Option<String>,
    pub attribute: Attribute,
    pub metric: Metric,
    pub op: Option<crate::model::Op>,
    pub value: crate::model::TargetValue,
    pub year: i32,
    /// The rule in words (as in results.json).
    pub rule: String,
    /// attain's P(met).
    pub p_met: f64,
    /// The realised value of the metric, in the units of `value`.
    pub actual: f64,
    /// Whether `actual` meets the rule.
    pub met: bool,
    /// (p_met − met)².
    pub brier: f64,
    /// −ln of the clipped probability given to what happened.
    pub log_loss: f64,
    /// The plan-implied probability of this target.
    pub plan_implied: f64,
}

/// A target of the plan that is not scored, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Unscored {
    pub id: String,
    pub actual: Option<f64>,
    pub reason: String,
}

/// The mean scores of one forecaster over the scored targets.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    pub forecaster: Forecaster,
    pub description: String,
    pub brier: f64,
    pub log_loss: f64,
}

/// A backtest: every target's score, the mean scores of attain and the references, reliability.
#[derive(Debug, Clone, Serialize)]
pub struct Backtest {
    pub attain_version: &'static str,
    pub scenario: ScenarioInfo,
    pub plan: PlanInfo,
    pub seed: u64,
    pub runs: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<i32>,
    /// Probabilities are clipped to [clip, 1 − clip] for the log loss.
    pub clip: f64,
    pub scored: usize,
    pub met: usize,
    pub targets: Vec<ScoredTarget>,
    pub unscored: Vec<Unscored>,
    /// attain first, then the references.
    pub scores: Vec<Score>,
    pub reliability: Vec<Bin>,
    pub decomposition: Decomposition,
    /// How the scores are defined, in words, for every report.
    pub method: String,
}

/// The plan-implied probability of a target of the given attribute.
pub fn plan_implied(attribute: Attribute) -> f64 {
    crate::stats::scores::plan_implied(attribute == Attribute::Binding)
}

/// Scores a run of `model` (its `results`) against the plan's `actual` values.
///
/// Fails with an input error when no simulated target has an `actual` value.
pub fn score(model: &Model, results: &Results, bins: usize) -> Result<Backtest> {
    let mut targets = Vec::new();
    let mut unscored = Vec::new();
    for (t, r) in model.targets.iter().zip(&results.targets) {
        let ind = &model.plan.indicators[t.indicator];
        let skip = |reason: String| Unscored {
            id: t.id.clone(),
            actual: t.actual,
            reason,
        };
        let Some(actual) = t.actual else {
            unscored.push(skip(match t.metric {
                Metric::Qualitative => "qualitative, and no `actual` value".into(),
                _ => "no `actual` value in the plan".into(),
            }));
            continue;
        };
        if t.placeholder {
            unscored.push(skip(
                "the scenario's value is a placeholder (`placeholder = true`): not scored".into(),
            ));
            continue;
        }
        if !actual.is_finite() {
            unscored.push(skip("`actual` is not a finite number".into()));
            continue;
        }
        let Some(p) = r.p_met.as_ref().filter(|_| r.id == t.id) else {
            unscored.push(skip(match t.metric {
                Metric::Qualitative => "qualitative: not simulated".into(),
                _ => format!("not simulated: no [process.{}] in the scenario", ind.id),
            }));
            continue;
        };
        let Some(rule) = t.rule(&model.evaluation, ind.better) else {
            unscored.push(skip("no numeric rule".into()));
            continue;
        };
        let met = rule.met(actual);
        targets.push(ScoredTarget {
            id: t.id.clone(),
            indicator: ind.id.clone(),
            name: ind.name.clone(),
            name_en: ind.name_en.clone(),
            attribute: t.attribute,
            metric: t.metric,
            op: t.op,
            value: r.value.clone(),
            year: t.year,
            rule: r.rule.clone(),
            p_met: p.p,
            actual,
            met,
            brier: brier(p.p, met),
            log_loss: log_loss(p.p, met, CLIP),
            plan_implied: plan_implied(t.attribute),
        });
    }
    if targets.is_empty() {
        let with_actual = model.targets.iter().filter(|t| t.actual.is_some()).count();
        return Err(Error::file(
            &model.plan.path,
            format!(
                "nothing to score: plan `{}` has {with_actual} targets with an `actual` value, and none of them is simulated by {}",
                model.plan.id,
                model.scenario.path.display()
            ),
            "a backtest needs targets with `actual = <realised value>` in the plan and a [process.<indicator>] for each in the scenario",
        ));
    }
    let met = targets.iter().filter(|t| t.met).count();
    let base_rate = met as f64 / targets.len() as f64;
    let scores = Forecaster::ALL
        .iter()
        .map(|&f| {
            let pairs: Vec<(f64, bool)> = targets
                .iter()
                .map(|t| {
                    let p = match f {
                        Forecaster::Attain => t.p_met,
                        Forecaster::Coin => 0.5,
                        Forecaster::AllMet => 1.0,
                        Forecaster::PlanImplied => t.plan_implied,
                        Forecaster::BaseRate => base_rate,
                    };
                    (p, t.met)
                })
                .collect();
            let (b, l) = mean_scores(&pairs, CLIP);
            Score {
                forecaster: f,
                description: f.describe(),
                brier: b,
                log_loss: l,
            }
        })
        .collect();
    let pairs: Vec<(f64, bool)> = targets.iter().map(|t| (t.p_met, t.met)).collect();
    let reliability = reliability(&pairs, bins);
    let decomposition = decompose(&reliability);
    Ok(Backtest {
        attain_version: env!("CARGO_PKG_VERSION"),
        scenario: results.scenario.clone(),
        plan: results.plan.clone(),
        seed: results.seed,
        runs: results.runs,
        as_of: results.as_of,
        clip: CLIP,
        scored: targets.len(),
        met,
        targets,
        unscored,
        scores,
        reliability,
        decomposition,
        method: format!(
            "A target is met when its `actual` value satisfies the same rule as the simulation. Brier = mean (p − o)²; log loss = mean −ln(probability given to the outcome), natural log, with p clipped to [{CLIP:e}, 1 − {CLIP:e}]; lower is better for both. References: coin 0.5; all met 1.0; plan implied {IMPLIED_BINDING} for binding and {IMPLIED_EXPECTED} for expected targets; base rate = share met (hindsight)."
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brier_and_log_loss_by_hand() {
        assert!((brier(0.8, true) - 0.04).abs() < 1e-15);
        assert!((brier(0.8, false) - 0.64).abs() < 1e-15);
        assert!((log_loss(0.8, true, CLIP) - 0.223_143_551_314_209_76).abs() < 1e-12);
        assert!((log_loss(0.8, false, CLIP) - 1.609_437_912_434_100_3).abs() < 1e-12);
        // Clipping: a certain miss costs −ln(1e−6), not infinity.
        assert!((log_loss(1.0, false, CLIP) - 13.815_510_557_964_274).abs() < 1e-9);
        assert!((log_loss(0.0, true, CLIP) - 13.815_510_557_964_274).abs() < 1e-9);
        assert!(log_loss(1.0, true, CLIP) < 1.1e-6);
    }

    #[test]
    fn mean_scores_by_hand() {
        // p = 0.9 met, 0.2 not met, 0.6 not met, 0.5 met.
        let pairs = [(0.9, true), (0.2, false), (0.6, false), (0.5, true)];
        let (b, l) = mean_scores(&pairs, CLIP);
        let want_b = (0.01 + 0.04 + 0.36 + 0.25) / 4.0;
        let want_l = -(0.9f64.ln() + 0.8f64.ln() + 0.4f64.ln() + 0.5f64.ln()) / 4.0;
        assert!((b - want_b).abs() < 1e-15, "{b} vs {want_b}");
        assert!((l - want_l).abs() < 1e-15, "{l} vs {want_l}");
        assert!(mean_scores(&[], CLIP).0.is_nan());
    }

    #[test]
    fn reliability_bins_by_hand() {
        let pairs = [
            (0.0, false),
            (0.05, false),
            (0.15, true),
            (0.5, true),
            (0.55, false),
            (0.99, true),
            (1.0, true),
        ];
        let bins = reliability(&pairs, 5);
        assert_eq!(bins.len(), 5);
        let ns: Vec<usize> = bins.iter().map(|b| b.n).collect();
        assert_eq!(ns, vec![3, 0, 2, 0, 2]);
        assert_eq!(bins[0].met, 1);
        assert!((bins[0].mean_p.unwrap() - 0.2 / 3.0).abs() < 1e-15);
        assert!((bins[0].observed.unwrap() - 1.0 / 3.0).abs() < 1e-15);
        assert_eq!(bins[1].mean_p, None);
        assert_eq!(bins[1].observed, None);
        assert_eq!((bins[2].lo, bins[2].hi), (0.4, 0.6));
        assert!((bins[2].mean_p.unwrap() - 0.525).abs() < 1e-15);
        assert_eq!(bins[2].observed, Some(0.5));
        // p = 1 lands in the last bin.
        assert_eq!(bins[4].met, 2);
        assert_eq!(bins[4].observed, Some(1.0));
        let lo = bins[4].observed_lo.unwrap();
        assert!(lo > 0.0 && lo < 1.0 && bins[4].observed_hi == Some(1.0));
        // Murphy decomposition: exact when predictions within bins are equal.
        let equal = [
            (0.2, false),
            (0.2, true),
            (0.8, true),
            (0.8, true),
            (0.8, false),
        ];
        let d = decompose(&reliability(&equal, 5));
        let (b, _) = mean_scores(&equal, CLIP);
        assert!((d.reliability - d.resolution + d.uncertainty - b).abs() < 1e-12);
        assert!((d.uncertainty - 0.6 * 0.4).abs() < 1e-15);
    }
}
