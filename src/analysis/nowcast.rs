//! Nowcasts: how the odds of each target looked as data arrived.
//!
//! A nowcast is a series of runs of one scenario, each as of the end of a year (see
//! [`scenario::load_scenario_as_of`](crate::scenario::load_scenario_as_of)): observations after
//! that year are ignored, so each run is exactly the run of a file holding only what was known
//! then. All runs use the same seed, so with common random numbers the changes from one as-of year
//! to the next come from the observations, not from Monte Carlo noise.
//!
//! This module only chooses the as-of years ([`years`]) and assembles the typed series from finished
//! runs; `cli` and the Python package run them and `report::*` renders them.

use crate::model::{Attribute, Metric, Model};
use crate::results::{PlanInfo, Prob, Results, ScenarioInfo};
use serde::Serialize;

/// Most as-of years in one nowcast.
pub const MAX_YEARS: i32 = 200;

/// One target's P(met) by as-of year.
#[derive(Debug, Clone, Serialize)]
pub struct NowcastTarget {
    pub id: String,
    pub indicator: String,
    pub attribute: Attribute,
    pub metric: Metric,
    pub year: i32,
    pub rule: String,
    /// P(met) as of each year of [`Nowcast::years`] (None when the target is not simulated).
    pub p_met: Vec<Option<Prob>>,
    /// The realised value, if the plan records it.
    pub actual: Option<f64>,
    /// Whether `actual` meets the target's rule.
    pub met: Option<bool>,
}

/// P(met) of every simulated target against the as-of year.
#[derive(Debug, Clone, Serialize)]
pub struct Nowcast {
    pub attain_version: &'static str,
    pub scenario: ScenarioInfo,
    pub plan: PlanInfo,
    pub seed: u64,
    pub runs: u64,
    /// The as-of years, ascending.
    pub years: Vec<i32>,
    /// Observed values (after the base year) in use as of each year.
    pub observations: Vec<usize>,
    pub targets: Vec<NowcastTarget>,
}

/// Assembles a nowcast from one (model, results) pair per as-of year, in ascending year order.
/// Returns `None` when `runs` is empty.
pub fn assemble(runs: &[(Model, Results)]) -> Option<Nowcast> {
    let (first_model, first) = runs.first()?;
    let years: Vec<i32> = runs
        .iter()
        .map(|(m, r)| r.as_of.unwrap_or(m.end_year))
        .collect();
    let observations = runs
        .iter()
        .map(|(m, _)| m.sims.iter().map(|s| s.observed.len()).sum())
        .collect();
    let mut targets = Vec::new();
    for (k, t) in first.targets.iter().enumerate() {
        let mt = &first_model.targets[k];
        let series: Vec<Option<Prob>> = runs
            .iter()
            .map(|(_, r)| r.targets.get(k).and_then(|x| x.p_met))
            .collect();
        if series.iter().all(Option::is_none) {
            continue;
        }
        let ind = &first_model.plan.indicators[mt.indicator];
        let met = mt.actual.and_then(|a| {
            mt.rule(&first_model.evaluation, ind.better)
                .map(|rule| rule.met(a))
        });
        targets.push(NowcastTarget {
            id: t.id.clone(),
            indicator: t.indicator.clone(),
            attribute: t.attribute,
            metric: t.metric,
            year: t.year,
            rule: t.rule.clone(),
            p_met: series,
            actual: t.actual,
            met,
        });
    }
    Some(Nowcast {
        attain_version: env!("CARGO_PKG_VERSION"),
        scenario: first.scenario.clone(),
        plan: first.plan.clone(),
        seed: first.seed,
        runs: first.runs,
        years,
        observations,
        targets,
    })
}

/// The as-of years of a nowcast of `full` (the scenario with all its observations): `from`
/// (default: the plan's base year) to `to` (default: the last observed year, and not before
/// `from`), inclusive. A range that runs backwards, leaves the plan's years (base year to the last
/// simulated year) or spans [`MAX_YEARS`] or more is a usage error
/// naming the options as `from_name` and `to_name` (`--from`/`--to` on the command line).
pub fn years(
    full: &Model,
    from: Option<i32>,
    to: Option<i32>,
    (from_name, to_name): (&str, &str),
) -> crate::error::Result<std::ops::RangeInclusive<i32>> {
    use crate::error::Error;
    let from = from.unwrap_or(full.plan.base_year);
    let to = to.unwrap_or_else(|| last_observed_year(full).max(from));
    let base = full.plan.base_year;
    if from < base {
        return Err(Error::usage(
            format!(
                "{from_name} {from} is before the base year {base} of plan `{}`",
                full.plan.id
            ),
            format!(
                "give {from_name} from {base} on (the plan's base values are facts of its base \
                 year), or omit it to start there"
            ),
        ));
    }
    let end = full.end_year;
    for (name, year) in [(from_name, from), (to_name, to)] {
        if year > end {
            return Err(Error::usage(
                format!(
                    "{name} {year} is after {end}, the last year plan `{}` is simulated to",
                    full.plan.id
                ),
                format!(
                    "give as-of years from {base} to {end}: observations after {end} cannot count"
                ),
            ));
        }
    }
    if from > to {
        return Err(Error::usage(
            format!("{from_name} {from} is after {to_name} {to}"),
            format!(
                "give {from_name} ≤ {to_name} (the as-of years run from {from_name} to {to_name} inclusive)"
            ),
        ));
    }
    if to - from >= MAX_YEARS {
        return Err(Error::usage(
            format!("{from_name} {from} {to_name} {to} spans more than {MAX_YEARS} years"),
            "narrow the range",
        ));
    }
    Ok(from..=to)
}

/// The latest observed year in a model (the base year when nothing is observed).
pub fn last_observed_year(model: &Model) -> i32 {
    model
        .sims
        .iter()
        .flat_map(|s| s.observed.iter().map(|o| o.0))
        .max()
        .unwrap_or(model.plan.base_year)
}
