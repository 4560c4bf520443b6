//! Proper scores of probability forecasts (Brier, log loss), reliability bins and the Murphy
//! decomposition: what backtests, calibrations and track records measure forecasts with.

use serde::Serialize;

/// Probabilities are clipped to [CLIP, 1 − CLIP] for the log loss.
pub const CLIP: f64 = 1e-6;
/// The plan's implied certainty for a binding (约束性) target: the government commits to it.
pub const IMPLIED_BINDING: f64 = 1.0;
/// The plan's implied certainty for an expected (预期性) target: anticipated, not guaranteed.
pub const IMPLIED_EXPECTED: f64 = 0.8;
/// Default number of reliability bins.
pub const DEFAULT_BINS: usize = 5;
/// Most reliability bins accepted.
pub const MAX_BINS: usize = 50;

/// A forecaster whose probabilities are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Forecaster {
    /// attain's simulated P(met).
    Attain,
    /// Always 0.5.
    Coin,
    /// Always 1.0: every target is met.
    AllMet,
    /// Binding targets [`IMPLIED_BINDING`], expected targets [`IMPLIED_EXPECTED`].
    PlanImplied,
    /// The share of scored targets that were met (hindsight; a reference, not a forecast).
    BaseRate,
}

impl Forecaster {
    pub const ALL: [Forecaster; 5] = [
        Forecaster::Attain,
        Forecaster::Coin,
        Forecaster::AllMet,
        Forecaster::PlanImplied,
        Forecaster::BaseRate,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Forecaster::Attain => "attain",
            Forecaster::Coin => "coin",
            Forecaster::AllMet => "all_met",
            Forecaster::PlanImplied => "plan_implied",
            Forecaster::BaseRate => "base_rate",
        }
    }

    pub fn describe(self) -> String {
        match self {
            Forecaster::Attain => "attain: the scenario's simulated P(met)".into(),
            Forecaster::Coin => "coin: always 0.5".into(),
            Forecaster::AllMet => "all met: always 1.0 (every target is met)".into(),
            Forecaster::PlanImplied => {
                format!("plan implied: binding {IMPLIED_BINDING}, expected {IMPLIED_EXPECTED}")
            }
            Forecaster::BaseRate => {
                "base rate: the share of scored targets met (hindsight, not a forecast)".into()
            }
        }
    }
}

/// One bin of the reliability table: predictions with lo ≤ p < hi (the last bin includes 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    pub lo: f64,
    pub hi: f64,
    /// Targets whose prediction falls in the bin.
    pub n: usize,
    /// Of those, targets met.
    pub met: usize,
    /// Mean predicted probability (None when empty).
    pub mean_p: Option<f64>,
    /// Observed frequency met / n (None when empty).
    pub observed: Option<f64>,
    /// 95 % Wilson interval of the observed frequency.
    pub observed_lo: Option<f64>,
    pub observed_hi: Option<f64>,
}

/// The Murphy decomposition of the Brier score over the reliability bins:
/// Brier ≈ reliability − resolution + uncertainty (exact when predictions within a bin are equal).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decomposition {
    /// Σ n_k (p̄_k − ō_k)² / N: calibration error (lower is better).
    pub reliability: f64,
    /// Σ n_k (ō_k − ō)² / N: how far bins separate outcomes (higher is better).
    pub resolution: f64,
    /// ō (1 − ō): the score of always forecasting the base rate.
    pub uncertainty: f64,
}

/// (p − o)².
pub fn brier(p: f64, met: bool) -> f64 {
    let o = if met { 1.0 } else { 0.0 };
    (p - o) * (p - o)
}

/// −ln of the probability given to the outcome, with p clipped to [clip, 1 − clip].
pub fn log_loss(p: f64, met: bool, clip: f64) -> f64 {
    let p = p.clamp(clip, 1.0 - clip);
    -(if met { p } else { 1.0 - p }).ln()
}

/// Mean Brier score and mean log loss of (probability, met) pairs; (NaN, NaN) when empty.
pub fn mean_scores(pairs: &[(f64, bool)], clip: f64) -> (f64, f64) {
    if pairs.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let n = pairs.len() as f64;
    let b = pairs.iter().map(|&(p, o)| brier(p, o)).sum::<f64>() / n;
    let l = pairs
        .iter()
        .map(|&(p, o)| log_loss(p, o, clip))
        .sum::<f64>()
        / n;
    (b, l)
}

/// Bins (probability, met) pairs into `bins` equal-width bins on [0, 1]; p = 1 falls in the last.
pub fn reliability(pairs: &[(f64, bool)], bins: usize) -> Vec<Bin> {
    let bins = bins.max(1);
    let mut n = vec![0usize; bins];
    let mut met = vec![0usize; bins];
    let mut sum_p = vec![0.0f64; bins];
    for &(p, o) in pairs {
        let k = ((p.clamp(0.0, 1.0) * bins as f64).floor() as usize).min(bins - 1);
        n[k] += 1;
        met[k] += o as usize;
        sum_p[k] += p;
    }
    (0..bins)
        .map(|k| {
            let (ci_lo, ci_hi) = super::wilson(met[k] as u64, n[k] as u64);
            let some = n[k] > 0;
            Bin {
                lo: k as f64 / bins as f64,
                hi: (k + 1) as f64 / bins as f64,
                n: n[k],
                met: met[k],
                mean_p: some.then(|| sum_p[k] / n[k] as f64),
                observed: some.then(|| met[k] as f64 / n[k] as f64),
                observed_lo: some.then_some(ci_lo),
                observed_hi: some.then_some(ci_hi),
            }
        })
        .collect()
}

/// The Murphy decomposition over reliability bins.
pub fn decompose(bins: &[Bin]) -> Decomposition {
    let total: usize = bins.iter().map(|b| b.n).sum();
    if total == 0 {
        return Decomposition {
            reliability: f64::NAN,
            resolution: f64::NAN,
            uncertainty: f64::NAN,
        };
    }
    let n = total as f64;
    let base = bins.iter().map(|b| b.met).sum::<usize>() as f64 / n;
    let (mut rel, mut res) = (0.0, 0.0);
    for b in bins {
        if let (Some(p), Some(o)) = (b.mean_p, b.observed) {
            rel += b.n as f64 * (p - o) * (p - o);
            res += b.n as f64 * (o - base) * (o - base);
        }
    }
    Decomposition {
        reliability: rel / n,
        resolution: res / n,
        uncertainty: base * (1.0 - base),
    }
}

/// The plan-implied probability: [`IMPLIED_BINDING`] for a binding target, [`IMPLIED_EXPECTED`]
/// otherwise.
pub fn plan_implied(binding: bool) -> f64 {
    if binding {
        IMPLIED_BINDING
    } else {
        IMPLIED_EXPECTED
    }
}
