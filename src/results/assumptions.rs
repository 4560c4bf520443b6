//! A serialisable summary of a model's assumptions, so that reports can echo back what was
//! simulated: each indicator's process and distribution, its steering, the correlations, the shocks
//! and the observed values.
//!
//! It is read from the validated [`Model`] (not from the TOML), so it shows what the engine actually
//! used: inherited blocks resolved, quantile-given distributions converted to their parameters,
//! Spearman correlations recovered from the copula's Cholesky factor. It holds no dates or paths
//! beyond the model's own, so `results.json` stays deterministic.

use crate::model::target::fmt_sig;
use crate::model::{Attribute, Dist, Model, Process, SteerSetting};
use serde::Serialize;

/// One parameter of a distribution, by the name a scenario file uses.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Param {
    pub name: &'static str,
    pub value: f64,
}

/// A distribution as a family and its parameters.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DistSummary {
    /// The family's name as written in scenario files (`normal`, `pert`, …).
    pub family: &'static str,
    pub params: Vec<Param>,
    /// Number of values of an `empirical` distribution (the values are in `params` as min/max).
    pub values: Option<usize>,
    pub clamp: Option<[f64; 2]>,
    /// Mean of the unclamped distribution.
    pub mean: f64,
}

impl DistSummary {
    pub fn of(d: &Dist) -> DistSummary {
        DistSummary {
            family: d.kind(),
            params: d
                .summary_parameters()
                .iter()
                .map(|p| Param {
                    name: p.name,
                    value: p.value,
                })
                .collect(),
            values: d.sample_size(),
            clamp: d.clamp().map(|(a, b)| [a, b]),
            mean: d.mean(),
        }
    }

    /// The distribution in words with three significant digits, e.g. `normal(mean 0.066, sd
    /// 0.015)`; an infinite clamp end is left out (`clamped to ≥ 0`).
    pub fn text(&self) -> String {
        let ps: Vec<String> = self
            .params
            .iter()
            .map(|p| format!("{} {}", p.name, fmt_sig(p.value, 3)))
            .collect();
        let mut s = format!("{}({})", self.family, ps.join(", "));
        if let Some(n) = self.values {
            s.push_str(&format!(" of {n} values"));
        }
        if let Some(b) = self.clamp.and_then(|[a, b]| bounds_text(a, b)) {
            s.push_str(&format!(" clamped to {b}"));
        }
        s
    }
}

/// An interval for reading, infinite ends left out: `[0, 100]`, `≥ 0`, `≤ 1`; `None` when both
/// ends are infinite (no bound at all).
pub fn bounds_text(lo: f64, hi: f64) -> Option<String> {
    match (lo.is_finite(), hi.is_finite()) {
        (true, true) => Some(format!("[{}, {}]", fmt_sig(lo, 4), fmt_sig(hi, 4))),
        (true, false) => Some(format!("≥ {}", fmt_sig(lo, 4))),
        (false, true) => Some(format!("≤ {}", fmt_sig(hi, 4))),
        (false, false) => None,
    }
}

/// How one simulated indicator evolves.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessSummary {
    pub indicator: String,
    /// `growth`, `increment`, `level` or `derived`.
    pub model: &'static str,
    /// What the distribution draws: `rate`, `factor`, `step` or `value`.
    pub draws: Option<&'static str>,
    pub dist: Option<DistSummary>,
    /// AR(1) persistence of the yearly draw (growth and increment).
    pub persistence: Option<f64>,
    /// Clamp of an increment process's level.
    pub bounds: Option<[f64; 2]>,
    /// Formula of a derived indicator.
    pub formula: Option<String>,
    /// Base-year value used by the simulation.
    pub base: f64,
    /// Steering toward a target, if the indicator is steered.
    pub steer: Option<SteerSummary>,
}

/// How a simulated indicator is steered.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SteerSummary {
    /// Id of the target steered toward.
    pub target: String,
    /// Share of the gap to the aimed path closed each year, in [0, 1].
    pub strength: f64,
    /// Aim beyond the target, in standard deviations of one year's draw.
    pub margin: f64,
    /// Where strength and margin come from, in words: the scenario-wide default for the target's
    /// attribute (and its source), or the process's own `steer`.
    pub source: String,
}

/// The scenario-wide steering defaults and where they came from.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SteeringDefaults {
    pub binding: SteerSetting,
    pub expected: SteerSetting,
    /// Expected targets of money-valued market aggregates, when set apart.
    pub market: Option<SteerSetting>,
    /// `calibration <path>` or `[steering] of <path>`.
    pub source: String,
}

/// A rank correlation between two indicators' yearly draws.
#[derive(Debug, Clone, Serialize)]
pub struct CorrelationSummary {
    pub between: [String; 2],
    /// Spearman ρ, as the scenario gives it (recovered from the copula, rounded to 6 decimals).
    pub rho: f64,
}

/// A discrete shock.
#[derive(Debug, Clone, Serialize)]
pub struct ShockSummary {
    pub name: String,
    pub probability: f64,
    pub years: [i32; 2],
    /// (indicator id, effect added to that year's draw).
    pub effects: Vec<(String, f64)>,
}

/// Everything a reader needs to see what was assumed.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Assumptions {
    pub processes: Vec<ProcessSummary>,
    pub correlations: Vec<CorrelationSummary>,
    pub shocks: Vec<ShockSummary>,
    /// Scenario-wide steering defaults by attribute (none: only processes' own `steer` apply).
    pub steering: Option<SteeringDefaults>,
}

impl Assumptions {
    pub fn of(model: &Model) -> Assumptions {
        let id = |sim: usize| model.indicator_of(sim).id.clone();
        let processes = model
            .sims
            .iter()
            .enumerate()
            .map(|(s, sim)| {
                let (draws, persistence, bounds, formula) = match &sim.process {
                    Process::Growth {
                        factor,
                        persistence,
                        ..
                    } => (
                        Some(if *factor { "factor" } else { "rate" }),
                        Some(*persistence),
                        None,
                        None,
                    ),
                    Process::Increment {
                        persistence,
                        bounds,
                        ..
                    } => (
                        Some("step"),
                        Some(*persistence),
                        Some([bounds.0, bounds.1]),
                        None,
                    ),
                    Process::Level { bounds, .. } => (
                        Some("value"),
                        None,
                        // Unbounded levels (most) carry no bounds, as before bounds existed.
                        (bounds.0 > f64::NEG_INFINITY || bounds.1 < f64::INFINITY)
                            .then_some([bounds.0, bounds.1]),
                        None,
                    ),
                    Process::Derived { formula, .. } => (None, None, None, Some(formula.clone())),
                };
                ProcessSummary {
                    indicator: id(s),
                    model: sim.process.name(),
                    draws,
                    dist: sim.process.dist().map(DistSummary::of),
                    persistence,
                    bounds,
                    formula,
                    base: sim.base,
                    steer: sim.steer.as_ref().map(|st| {
                        let t = &model.targets[st.target];
                        let (attr, default) = match t.attribute {
                            Attribute::Binding => (
                                "binding",
                                model.steering.as_ref().map(|d| (d.0.binding, &d.1)),
                            ),
                            Attribute::Expected => (
                                "expected",
                                model.steering.as_ref().map(|d| (d.0.expected, &d.1)),
                            ),
                        };
                        let own = "the process's own `steer`".to_string();
                        let source = match default {
                            Some((d, src)) => {
                                let dflt = format!("default for {attr} targets ({src})");
                                match (
                                    d.strength == st.setting.strength,
                                    d.margin == st.setting.margin,
                                ) {
                                    (true, true) => dflt,
                                    (false, false) => own,
                                    (true, false) => format!("strength: {dflt}; margin: {own}"),
                                    (false, true) => format!("strength: {own}; margin: {dflt}"),
                                }
                            }
                            None => own,
                        };
                        SteerSummary {
                            target: t.id.clone(),
                            strength: st.setting.strength,
                            margin: st.setting.margin,
                            source,
                        }
                    }),
                }
            })
            .collect();
        let mut correlations = Vec::new();
        if let Some(c) = &model.copula {
            let m = c.members.len();
            // Draw index → simulated indicator.
            let sim_of_draw = |d: usize| model.sims.iter().position(|s| s.draw == Some(d));
            for i in 0..m {
                for j in 0..i {
                    let r: f64 = (0..=j)
                        .map(|k| {
                            c.chol.get(i * m + k).unwrap_or(&0.0)
                                * c.chol.get(j * m + k).unwrap_or(&0.0)
                        })
                        .sum();
                    let rho = (6.0 / std::f64::consts::PI) * (r / 2.0).clamp(-1.0, 1.0).asin();
                    let rho = (rho * 1e6).round() / 1e6;
                    if rho == 0.0 {
                        continue;
                    }
                    let (Some(a), Some(b)) = (
                        c.members.get(j).and_then(|&d| sim_of_draw(d)),
                        c.members.get(i).and_then(|&d| sim_of_draw(d)),
                    ) else {
                        continue;
                    };
                    correlations.push(CorrelationSummary {
                        between: [id(a), id(b)],
                        rho,
                    });
                }
            }
        }
        let shocks = model
            .shocks
            .iter()
            .map(|s| ShockSummary {
                name: s.name.clone(),
                probability: s.probability,
                years: [s.first_year, s.last_year],
                effects: s.effects.iter().map(|&(sim, e)| (id(sim), e)).collect(),
            })
            .collect();
        let steering = model.steering.as_ref().map(|(d, src)| SteeringDefaults {
            binding: d.binding,
            expected: d.expected,
            market: d.market,
            source: src.clone(),
        });
        Assumptions {
            processes,
            correlations,
            shocks,
            steering,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Family;

    fn example() -> Model {
        let p =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/example.toml");
        match crate::scenario::load_scenario(&p) {
            Ok(m) => m,
            Err(e) => panic!("example loads: {e}"),
        }
    }

    #[test]
    fn echoes_the_example_scenario() {
        let a = Assumptions::of(&example());
        let gdp = a
            .processes
            .iter()
            .find(|p| p.indicator == "gdp")
            .expect("gdp");
        assert_eq!(gdp.model, "growth");
        assert_eq!(gdp.draws, Some("rate"));
        assert_eq!(gdp.persistence, Some(0.4));
        let d = gdp.dist.as_ref().expect("dist");
        assert_eq!(d.text(), "normal(mean 0.065, sd 0.012)");
        let urb = a
            .processes
            .iter()
            .find(|p| p.indicator == "urbanization")
            .expect("urbanization");
        assert_eq!(urb.bounds, Some([0.0, 100.0]));
        assert_eq!(
            urb.dist.as_ref().map(|d| d.text()).as_deref(),
            Some("triangular(min 0.8, mode 1.3, max 1.6)")
        );
        assert_eq!(a.correlations.len(), 1);
        assert!(
            (a.correlations[0].rho - 0.5).abs() < 1e-6,
            "{:?}",
            a.correlations
        );
        let mut pair = a.correlations[0].between.clone();
        pair.sort();
        assert_eq!(pair, ["gdp".to_string(), "urbanization".to_string()]);
        assert_eq!(a.shocks.len(), 1);
        assert_eq!(a.shocks[0].years, [2021, 2025]);
        assert_eq!(a.shocks[0].effects, vec![("gdp".to_string(), -0.04)]);
    }

    #[test]
    fn pert_mode_and_lognormal_moments_round_trip() {
        let pert = Dist::from(Family::pert(1.0, 2.0, 5.0).expect("pert"));
        let s = DistSummary::of(&pert);
        assert!((s.params[1].value - 2.0).abs() < 1e-12);
        let ln = Dist::new(
            Family::lognormal(1.07, 0.02).expect("lognormal"),
            Some((1.0, 1.2)),
        )
        .expect("clamp");
        let s = DistSummary::of(&ln);
        assert!((s.params[0].value - 1.07).abs() < 1e-12);
        assert!((s.params[1].value - 0.02).abs() < 1e-12);
        assert!(s.text().ends_with("clamped to [1, 1.2]"));
    }
}
