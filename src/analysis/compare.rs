//! Comparing scenarios of one plan side by side, with common random numbers.
//!
//! Planners ask "how much more likely is the target under the optimistic case?". Two independent
//! runs answer with a difference buried in Monte Carlo noise; here every scenario is run in lockstep
//! with the same seed, so run *i* of each scenario sees the same random draws for every input
//! (the engine keys each input's stream by seed, chunk and plan indicator). The change in P(met)
//! then comes from the discordant runs only, and gets a paired 95 % interval ([`crate::stats::paired`]).
//! The per-chunk reduce adds integer counts, so the result is identical for any thread count.
//! This module builds the typed [`Comparison`]; `report::analyses` renders it.

use crate::engine::{self, ChunkDetail, RunOptions, Variant};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::results::{PlanInfo, Prob};
use crate::stats::paired::{PairCounts, PairedDiff, newcombe};
use serde::Serialize;

/// What every analysis output says about its random numbers.
pub const CRN_NOTE: &str = "common random numbers: every scenario ran with the same seed and the same runs, so run i of each scenario saw the same random draws for every input it shares with the others; changes are paired";

/// How the paired intervals are computed, in words.
pub const PAIRED_METHOD: &str = "paired 95 % interval on the change: Newcombe's hybrid score (square-and-add) method for paired proportions (Newcombe 1998, method 10), from the per-run met / not-met pairs";

/// One scenario's column.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioColumn {
    /// File stem, used as the column label.
    pub stem: String,
    pub name: String,
    pub file: String,
    /// The scenario file's own `runs` and `seed` (the comparison uses common ones).
    pub own_runs: u64,
    pub own_seed: u64,
}

/// One target's row.
#[derive(Debug, Clone, Serialize)]
pub struct CompareRow {
    pub id: String,
    pub indicator: String,
    pub attribute: crate::model::Attribute,
    /// The rule per scenario (scenarios may supply different `assigned` values); `None` where the
    /// target is not simulated in that scenario.
    pub rules: Vec<Option<String>>,
    /// P(met) per scenario.
    pub p_met: Vec<Option<Prob>>,
    /// P(met) in scenario s minus P(met) in the reference scenario, per scenario (`None` for the
    /// reference itself and where either is not simulated).
    pub change: Vec<Option<PairedDiff>>,
}

/// Which joint event a [`JointRow`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JointKind {
    /// Every simulated binding target met in the same run.
    AllBinding,
    /// Every simulated target met in the same run.
    All,
}

impl std::fmt::Display for JointKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            JointKind::AllBinding => "all_binding",
            JointKind::All => "all",
        })
    }
}

/// A joint probability per scenario, with paired changes.
#[derive(Debug, Clone, Serialize)]
pub struct JointRow {
    pub kind: JointKind,
    /// Targets the joint event covers, per scenario.
    pub targets: Vec<usize>,
    pub p: Vec<Prob>,
    pub change: Vec<Option<PairedDiff>>,
}

/// The comparison of several scenarios of one plan.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub attain_version: &'static str,
    pub plan: PlanInfo,
    pub scenarios: Vec<ScenarioColumn>,
    /// Index of the scenario changes are measured against (the first one given).
    pub reference: usize,
    pub runs: u64,
    pub seed: u64,
    pub common_random_numbers: &'static str,
    pub interval_method: &'static str,
    /// Targets simulated in at least one scenario, in plan order.
    pub targets: Vec<CompareRow>,
    pub joint: Vec<JointRow>,
    /// Targets simulated in no scenario.
    pub not_simulated: Vec<String>,
    /// Each scenario's own results from the same runs (names, units, fan quantiles), for
    /// `compare.html`'s overlaid fan charts and the chart's target wording. Not part of
    /// `compare.json`: those are every scenario's `results.json`, written by `attain run`.
    #[serde(skip)]
    pub results: Vec<crate::results::Results>,
}

/// Refuses scenarios of different plans (exit code 2, naming the files).
pub fn check_same_plan(models: &[Model]) -> Result<()> {
    let Some(first) = models.first() else {
        return Err(Error::usage(
            "no scenarios to compare",
            "give two or more scenario files of the same plan",
        ));
    };
    let ids = |m: &Model| {
        m.plan
            .targets
            .iter()
            .map(|t| t.id.clone())
            .collect::<Vec<_>>()
    };
    for m in &models[1..] {
        let same = m.plan.id == first.plan.id
            && m.plan.base_year == first.plan.base_year
            && m.plan.target_year == first.plan.target_year
            && ids(m) == ids(first);
        if !same {
            return Err(Error::file(
                &m.scenario.path,
                format!(
                    "{} is a scenario of plan `{}` ({}), but {} is one of plan `{}` ({}): only scenarios of the same plan can be compared",
                    m.scenario.path.display(),
                    m.plan.id,
                    m.plan.path.display(),
                    first.scenario.path.display(),
                    first.plan.id,
                    first.plan.path.display(),
                ),
                "compare scenarios whose `plan =` names the same plan file (see `attain list`)",
            ));
        }
    }
    Ok(())
}

/// Runs the scenarios in lockstep with common random numbers and builds the comparison. All
/// scenarios use `runs` and `seed`; the first scenario is the reference for changes.
pub fn compare(
    models: &[Model],
    runs: u64,
    seed: u64,
    threads: Option<usize>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Comparison> {
    check_same_plan(models)?;
    let first = &models[0];
    let s_count = models.len();
    let sims: Vec<&[crate::model::SimTarget]> =
        models.iter().map(crate::model::simulated_targets).collect();
    // For each plan target: its simulated index in each scenario.
    let mut rows: Vec<(usize, Vec<Option<usize>>)> = Vec::new();
    let mut not_simulated = Vec::new();
    for (k, t) in first.plan.targets.iter().enumerate() {
        let per: Vec<Option<usize>> = sims
            .iter()
            .map(|st| st.iter().position(|s| s.target == k))
            .collect();
        if per.iter().any(Option::is_some) {
            rows.push((k, per));
        } else {
            not_simulated.push(t.id.clone());
        }
    }
    // Counts: per row (then the two joint rows) and per scenario s ≥ 1, paired with scenario 0.
    let n_rows = rows.len() + 2;
    let pairs = s_count - 1;
    let map = |_c: u64, d: &[&ChunkDetail]| -> Vec<PairCounts> {
        let mut out = vec![PairCounts::default(); n_rows * pairs];
        for (r, (_, per)) in rows.iter().enumerate() {
            let Some(j0) = per[0] else { continue };
            let base = &d[0].met[j0];
            for s in 1..s_count {
                let Some(js) = per[s] else { continue };
                let other = &d[s].met[js];
                let c = &mut out[r * pairs + s - 1];
                for (&a, &b) in base.iter().zip(other) {
                    c.add(a, b);
                }
            }
        }
        for (extra, pick) in [
            (
                0usize,
                (|x: &ChunkDetail| &x.all_binding) as fn(&ChunkDetail) -> &Vec<bool>,
            ),
            (1, |x: &ChunkDetail| &x.all),
        ] {
            let r = rows.len() + extra;
            for s in 1..s_count {
                let c = &mut out[r * pairs + s - 1];
                for (&a, &b) in pick(d[0]).iter().zip(pick(d[s])) {
                    c.add(a, b);
                }
            }
        }
        progress(d.first().map_or(0, |x| x.n as u64));
        out
    };
    let reduce = crate::stats::paired::merge_counts;
    let identity = || vec![PairCounts::default(); n_rows * pairs];
    let variants: Vec<Variant> = models
        .iter()
        .map(|m| Variant {
            model: m,
            seeds: None,
        })
        .collect();
    let opts = RunOptions {
        runs,
        seed,
        threads,
        shard: None,
        sampling: Default::default(),
    };
    let (accs, counts) = engine::run_lockstep(&variants, &opts, &map, &reduce, &identity)?;

    let change = |r: usize| -> Vec<Option<PairedDiff>> {
        (0..s_count)
            .map(|s| (s > 0).then(|| counts[r * pairs + s - 1]))
            .map(|c| c.filter(|c| c.runs > 0).map(|c| newcombe(&c)))
            .collect()
    };
    let mut targets = Vec::new();
    for (r, (k, per)) in rows.iter().enumerate() {
        let t = &first.plan.targets[*k];
        let ind = &first.plan.indicators[t.indicator];
        let rules = models
            .iter()
            .zip(per)
            .map(|(m, j)| {
                j.map(|_| {
                    let mt = &m.targets[*k];
                    mt.describe_rule(&m.evaluation, m.plan.indicators[mt.indicator].better)
                })
            })
            .collect();
        let p_met = accs
            .iter()
            .zip(per)
            .map(|(a, j)| j.map(|j| Prob::new(a.hits[j], a.runs)))
            .collect();
        targets.push(CompareRow {
            id: t.id.clone(),
            indicator: ind.id.clone(),
            attribute: t.attribute,
            rules,
            p_met,
            change: change(r),
        });
    }
    let results = models
        .iter()
        .zip(&accs)
        .map(|(m, a)| crate::results::build(m, a))
        .collect();
    let joint = vec![
        JointRow {
            kind: JointKind::AllBinding,
            targets: sims
                .iter()
                .map(|s| s.iter().filter(|t| t.binding).count())
                .collect(),
            p: accs
                .iter()
                .map(|a| Prob::new(a.all_binding, a.runs))
                .collect(),
            change: change(rows.len()),
        },
        JointRow {
            kind: JointKind::All,
            targets: sims.iter().map(|s| s.len()).collect(),
            p: accs.iter().map(|a| Prob::new(a.all, a.runs)).collect(),
            change: change(rows.len() + 1),
        },
    ];
    Ok(Comparison {
        attain_version: env!("CARGO_PKG_VERSION"),
        plan: plan_info(first),
        scenarios: models
            .iter()
            .map(|m| ScenarioColumn {
                stem: m.scenario.stem.clone(),
                name: m.scenario.name.clone(),
                file: m.scenario.path.display().to_string(),
                own_runs: m.scenario.runs,
                own_seed: m.scenario.seed,
            })
            .collect(),
        reference: 0,
        runs,
        seed,
        common_random_numbers: CRN_NOTE,
        interval_method: PAIRED_METHOD,
        targets,
        joint,
        not_simulated,
        results,
    })
}

/// The plan's identification, as results show it.
pub fn plan_info(m: &Model) -> PlanInfo {
    PlanInfo {
        id: m.plan.id.clone(),
        title: m.plan.title.clone(),
        title_en: m.plan.title_en.clone(),
        region: m.plan.region.clone(),
        source: m.plan.source.clone(),
        base_year: m.plan.base_year,
        target_year: m.plan.target_year,
    }
}
