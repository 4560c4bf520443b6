//! The calibrated method: the handful of global parameters that turn any plan into a scenario.
//!
//! `attain init` writes a starting scenario for a plan from what the plan states and these
//! parameters; `attain calibrate` fits them to review plans' realised outcomes; a scenario (or the
//! `--calibration` option) can take its steering from a calibration file. This module holds the
//! parameter set, its bounds, and the calibration file's shape; it does not simulate.

use crate::error::{Error, Result, num};
use crate::model::{SteerDefaults, SteerSetting};
use crate::source::Source;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The method's parameters. Every field is dimensionless.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// Steering strength toward binding (约束性) targets, in [0, 1].
    pub strength_binding: f64,
    /// Steering strength toward expected (预期性) targets, in [0, 1].
    pub strength_expected: f64,
    /// Steering strength toward expected targets of money-valued market aggregates (output,
    /// revenue, investment, sales, trade, income: units in yuan or dollars, not intensities), which
    /// a government steers less directly than administrative or environmental indicators.
    pub strength_market: f64,
    /// Aim beyond binding targets, in standard deviations of one year's draw.
    pub margin_binding: f64,
    /// Aim beyond expected targets, in standard deviations of one year's draw.
    pub margin_expected: f64,
    /// Share of the pace a target requires that the unsteered process achieves on average
    /// (1: plans are realistic on their own; below 1: they ask more than inertia delivers).
    pub realism: f64,
    /// Multiplier of the documented default yearly noise of every process.
    pub spread: f64,
}

/// A parameter's name, admissible range and meaning, for fitting and for error messages.
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    pub name: &'static str,
    pub lo: f64,
    pub hi: f64,
    pub meaning: &'static str,
}

/// Number of parameters.
pub const N_PARAMS: usize = 7;

/// The parameters in a fixed order (the order of [`Method::to_vec`]).
pub const PARAMS: [ParamSpec; N_PARAMS] = [
    ParamSpec {
        name: "strength_binding",
        lo: 0.0,
        hi: 1.0,
        meaning: "share of the gap to a binding target's path closed each year",
    },
    ParamSpec {
        name: "strength_expected",
        lo: 0.0,
        hi: 1.0,
        meaning: "share of the gap to an expected target's path closed each year",
    },
    ParamSpec {
        name: "strength_market",
        lo: 0.0,
        hi: 1.0,
        meaning: "the same for expected targets of money-valued market aggregates",
    },
    ParamSpec {
        name: "margin_binding",
        lo: -3.0,
        hi: 3.0,
        meaning: "aim beyond a binding target, in yearly standard deviations",
    },
    ParamSpec {
        name: "margin_expected",
        lo: -3.0,
        hi: 3.0,
        meaning: "aim beyond an expected target, in yearly standard deviations",
    },
    ParamSpec {
        name: "realism",
        lo: 0.0,
        hi: 1.5,
        meaning: "share of a target's required pace the unsteered process achieves",
    },
    ParamSpec {
        name: "spread",
        lo: 0.2,
        hi: 5.0,
        meaning: "multiplier of the default yearly noise",
    },
];

impl Default for Method {
    /// The uncalibrated prior: mild steering, no margin, plans taken at their word, default noise.
    fn default() -> Method {
        Method {
            strength_binding: 0.5,
            strength_expected: 0.3,
            strength_market: 0.3,
            margin_binding: 0.0,
            margin_expected: 0.0,
            realism: 1.0,
            spread: 1.0,
        }
    }
}

impl Method {
    pub fn to_vec(&self) -> [f64; N_PARAMS] {
        [
            self.strength_binding,
            self.strength_expected,
            self.strength_market,
            self.margin_binding,
            self.margin_expected,
            self.realism,
            self.spread,
        ]
    }

    pub fn from_vec(v: &[f64; N_PARAMS]) -> Method {
        Method {
            strength_binding: v[0],
            strength_expected: v[1],
            strength_market: v[2],
            margin_binding: v[3],
            margin_expected: v[4],
            realism: v[5],
            spread: v[6],
        }
    }

    /// The steering this method gives by attribute.
    pub fn steering(&self) -> SteerDefaults {
        SteerDefaults {
            binding: SteerSetting {
                strength: self.strength_binding,
                margin: self.margin_binding,
            },
            expected: SteerSetting {
                strength: self.strength_expected,
                margin: self.margin_expected,
            },
            market: Some(SteerSetting {
                strength: self.strength_market,
                margin: self.margin_expected,
            }),
        }
    }

    /// The first parameter outside its admissible range, as (name, value, spec).
    pub fn out_of_range(&self) -> Option<(ParamSpec, f64)> {
        PARAMS
            .iter()
            .zip(self.to_vec())
            .find(|(p, v)| !v.is_finite() || *v < p.lo || *v > p.hi)
            .map(|(p, v)| (*p, v))
    }
}

pub use crate::model::steer::is_money;

/// The parts of a calibration file that other commands read: `[method]` and the `[interval]` ends.
/// The rest (data, scores, the out-of-sample record that `results::track_record` reads) is for
/// readers and reports.
#[derive(Debug, Deserialize)]
struct CalibrationHead {
    method: Method,
    #[serde(default)]
    interval: BTreeMap<String, toml::Spanned<IntervalEnds>>,
    /// The review plans the parameters were fitted on (`[[plan]]`, with their in-sample scores).
    #[serde(default)]
    plan: Vec<FittedPlan>,
}

#[derive(Debug, Deserialize)]
struct FittedPlan {
    id: String,
}

/// Where each `[method]` value sits in a calibration file, for errors at their line.
#[derive(Debug, Deserialize)]
struct MethodSpans {
    method: BTreeMap<String, toml::Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize)]
struct IntervalEnds {
    lo: f64,
    hi: f64,
}

/// A fitted method with the 95 % interval of each parameter, in [`PARAMS`] order (`None` when the
/// file gives no interval for every parameter, or for the uncalibrated defaults).
#[derive(Debug, Clone, Default)]
pub struct Calibrated {
    pub method: Method,
    pub intervals: Option<[(f64, f64); N_PARAMS]>,
    /// The ids of the review plans whose realised outcomes the parameters were fitted on (empty
    /// for the uncalibrated defaults): a draft of one of these plans is scored in sample.
    pub fitted_on: Vec<String>,
}

/// Which case of a calibrated method a scenario draft takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// The fitted parameters.
    Baseline,
    /// Margins and realism at the favourable ends of their intervals.
    Optimistic,
    /// Margins and realism at the unfavourable ends, spread at the upper end.
    Pessimistic,
}

impl Case {
    pub fn name(self) -> &'static str {
        match self {
            Case::Baseline => "baseline",
            Case::Optimistic => "optimistic",
            Case::Pessimistic => "pessimistic",
        }
    }
}

impl Calibrated {
    /// The method of a case: the fitted one, or the ends of its intervals (without intervals,
    /// fixed documented offsets: ±0.5 for margins, ±0.15 for realism, ±25 % of spread), each
    /// kept within its admissible range.
    pub fn case(&self, case: Case) -> Method {
        let mut v = self.method.to_vec();
        let ends = self.intervals.unwrap_or_else(|| {
            let mut e = [(0.0, 0.0); N_PARAMS];
            for (k, x) in v.iter().enumerate() {
                let d = match PARAMS[k].name {
                    "margin_binding" | "margin_expected" => 0.5,
                    "realism" => 0.15,
                    "spread" => 0.25 * x,
                    _ => 0.0,
                };
                e[k] = (x - d, x + d);
            }
            e
        });
        for (k, p) in PARAMS.iter().enumerate() {
            let (lo, hi) = ends[k];
            v[k] = match (case, p.name) {
                (Case::Baseline, _) => v[k],
                (Case::Optimistic, "margin_binding" | "margin_expected" | "realism") => hi,
                (Case::Pessimistic, "margin_binding" | "margin_expected" | "realism") => lo,
                (Case::Pessimistic, "spread") => hi,
                _ => v[k],
            }
            .clamp(p.lo, p.hi);
        }
        Method::from_vec(&v)
    }
}

/// Reads the method from a calibration file written by `attain calibrate`.
pub fn load_calibration(path: &Path) -> Result<Method> {
    Ok(read_calibration(path)?.method)
}

/// Reads the method and its intervals from a calibration file written by `attain calibrate`; a
/// parameter outside its admissible range is an error naming it.
pub fn read_calibration(path: &Path) -> Result<Calibrated> {
    if is_shipped(path) {
        return shipped_calibration();
    }
    if path.is_dir() {
        return Err(Error::file(
            path,
            format!("{} is a directory, not a calibration file", path.display()),
            format!(
                "give the calibration.toml that `attain calibrate` wrote, e.g. {}",
                path.join("calibration.toml").display()
            ),
        ));
    }
    parse_calibration(&Source::read(path)?)
}

/// What `--calibration` takes for the uncalibrated defaults instead of a file.
pub const UNCALIBRATED: &str = "none";

/// The calibration file `--calibration` names, if it names one (not [`UNCALIBRATED`]).
pub fn calibration_file(calibration: Option<&Path>) -> Option<&Path> {
    calibration.filter(|p| *p != Path::new(UNCALIBRATED))
}

/// Where the calibration attain ships was written, relative to the repository: `attain
/// calibrate` on both review plans of `seeds/` (see docs/method.md for its scores in and out of
/// sample).
pub const SHIPPED_CALIBRATION_PATH: &str = "scenarios/calibration/both/calibration.toml";

/// How a scenario names the shipped calibration (`calibration = "…"`, `--calibration`): read from
/// the binary, wherever the scenario is, so that reports show its track record.
pub const SHIPPED_CALIBRATION_REF: &str = "shipped:scenarios/calibration/both/calibration.toml";

/// True when `path` is [`SHIPPED_CALIBRATION_REF`].
pub fn is_shipped(path: &Path) -> bool {
    path == Path::new(SHIPPED_CALIBRATION_REF)
}

/// The text of a calibration file, or of the shipped calibration for its reference.
pub fn calibration_source(path: &Path) -> Result<Source> {
    if is_shipped(path) {
        Source::from_bytes(path, SHIPPED_CALIBRATION.as_bytes().to_vec())
    } else {
        Source::read(path)
    }
}

/// The shipped calibration's text, embedded at build time so that the binary always carries the
/// committed file (`scripts/regenerate-scenarios.sh` rewrites it).
const SHIPPED_CALIBRATION: &str = include_str!("../scenarios/calibration/both/calibration.toml");

/// The shipped calibration: the default method of `attain init` and of a plan file given where a
/// scenario is expected. Out of sample, on the review plans it was fitted on, it scores far better
/// than the uncalibrated defaults, whose P(met) score worse than a coin there (docs/method.md).
pub fn shipped_calibration() -> Result<Calibrated> {
    let src = Source::from_bytes(
        Path::new(SHIPPED_CALIBRATION_PATH),
        SHIPPED_CALIBRATION.as_bytes().to_vec(),
    )?;
    parse_calibration(&src)
}

/// A calibration file's method, intervals and fitted plans, checked.
fn parse_calibration(src: &Source) -> Result<Calibrated> {
    let head: CalibrationHead =
        toml::from_str(&src.text).map_err(|e| src.toml_error(&e, "calibration"))?;
    if let Some((p, v)) = head.method.out_of_range() {
        let span = toml::from_str::<MethodSpans>(&src.text)
            .ok()
            .and_then(|m| m.method.get(p.name).map(|v| v.span()))
            .unwrap_or(0..0);
        return Err(src.error(
            span,
            format!(
                "calibration parameter `{}` = {} is outside [{}, {}]",
                p.name,
                num(v),
                p.lo,
                p.hi
            ),
            format!(
                "`{}` is the {}; re-run `attain calibrate`",
                p.name, p.meaning
            ),
        ));
    }
    let mut ends = [(0.0, 0.0); N_PARAMS];
    let mut complete = true;
    for (k, p) in PARAMS.iter().enumerate() {
        match head.interval.get(p.name) {
            Some(e) => {
                let (lo, hi) = (e.get_ref().lo, e.get_ref().hi);
                if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
                    return Err(src.error(
                        e.span(),
                        format!(
                            "the interval of `{}` runs from {} to {}",
                            p.name,
                            num(lo),
                            num(hi)
                        ),
                        "an interval needs finite ends with lo ≤ hi (the optimistic and \
                         pessimistic variants take its ends); re-run `attain calibrate`",
                    ));
                }
                ends[k] = (lo, hi);
            }
            None => complete = false,
        }
    }
    Ok(Calibrated {
        method: head.method,
        intervals: complete.then_some(ends),
        fitted_on: head.plan.into_iter().map(|p| p.id).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_units_are_aggregates_not_intensities() {
        for u in [
            "100m yuan",
            "yuan",
            "yuan/person",
            "10k US dollars",
            "100m USD/yr",
            "10k yuan/mu",
        ] {
            assert!(is_money(u), "{u}");
        }
        for u in [
            "tce per 10k yuan",
            "t CO2 per 10k yuan",
            "m3 per 10k yuan",
            "%",
            "count",
        ] {
            assert!(!is_money(u), "{u}");
        }
    }

    #[test]
    fn vector_round_trip_and_ranges() {
        let m = Method::default();
        assert_eq!(Method::from_vec(&m.to_vec()), m);
        assert!(m.out_of_range().is_none());
        let mut v = m.to_vec();
        v[0] = 1.5;
        assert_eq!(
            Method::from_vec(&v).out_of_range().map(|p| p.0.name),
            Some("strength_binding")
        );
    }
}
