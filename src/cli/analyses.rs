//! The analysis subcommands (`compare`, `sensitivity`, `goal`): argument structs and the wiring of
//! load → analyse (library) → render (report::analyses) → write atomically (output).
//!
//! Kept apart from `cli.rs` so that the analyses (compare, sensitivity, goal) adds to the command line without
//! touching the other subcommands.

use super::emit::{Destination, emit};
use super::{check_threads, progress_bar};
use attain::analysis::{compare, goal, sensitivity};
use attain::error::{Error, Result};
use attain::model::Model;
use attain::report::export::{SensitivityReport, SobolReport};
use attain::{output, scenario};
use clap::Args;
use std::path::{Path, PathBuf};

/// Default runs for analyses that run the model many times (sensitivity, goal): see
/// [`attain::analysis::ANALYSIS_RUNS`].
pub const ANALYSIS_RUNS: u64 = attain::analysis::ANALYSIS_RUNS;

/// The common options of the analysis subcommands (the same as `backtest`'s and `nowcast`'s).
pub(crate) use super::SimArgs as Common;

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Scenario files of one plan; the first is the reference for changes.
    #[arg(required = true, num_args = 2..)]
    scenarios: Vec<PathBuf>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args, Debug)]
pub struct SensitivityArgs {
    scenario: PathBuf,
    /// How far each input moves down and up (see docs/analyses.md: a share of the distribution's sd for
    /// location parameters, relative for scales, absolute for persistence and rho).
    #[arg(long, default_value_t = 0.25, allow_negative_numbers = true,
          value_parser = super::args::number("--swing", super::args::SWING_HINT))]
    swing: f64,
    /// Sensitivity method: `oat` (one input at a time, moved by --swing) or `sobol` (first-order
    /// and total Sobol indices of each target's met indicator; --runs is the runs per design).
    #[arg(long, value_enum, default_value = "oat")]
    method: super::args::SensitivityMethod,
    /// Only these targets (repeatable; default: every simulated target).
    #[arg(long = "target", value_name = "ID")]
    targets: Vec<String>,
    /// Inputs shown per target in the table (all are in the CSV and JSON).
    #[arg(long, default_value_t = 8, allow_negative_numbers = true,
          value_parser = super::args::whole::<usize>("--top", super::args::TOP_HINT))]
    top: usize,
    #[command(flatten)]
    common: Common,
}

#[derive(Args, Debug)]
pub struct GoalArgs {
    scenario: PathBuf,
    /// Targets to analyse (plan target ids).
    #[arg(required = true)]
    targets: Vec<String>,
    /// Shift this indicator's distribution instead of each target's own (e.g. for derived
    /// indicators).
    #[arg(long, value_name = "INDICATOR")]
    input: Option<String>,
    /// Probabilities of meeting the target to solve for.
    #[arg(long, value_delimiter = ',', default_value = "0.5,0.9", allow_negative_numbers = true,
          value_parser = super::args::probability("--p", "give probabilities of meeting the target in (0, 1), e.g. --p 0.5,0.9"))]
    p: Vec<f64>,
    /// Confidences for the achievable target levels.
    #[arg(long, value_delimiter = ',', default_value = "0.5,0.8,0.9", allow_negative_numbers = true,
          value_parser = super::args::probability("--confidence", "give confidences in (0, 1), e.g. --confidence 0.5,0.8,0.9"))]
    confidence: Vec<f64>,
    #[command(flatten)]
    common: Common,
}

/// An analysis of one scenario writes into `out/<stem>/<analysis>/` unless `--out` says otherwise
/// (as `backtest` and `nowcast` do); the directory is refused before simulating if another
/// analysis or scenario owns it.
fn destination(c: &Common, analysis: &str, scenario: &Path, model: &Model) -> Result<Destination> {
    let owner = output::Owner::of_analysis(analysis, &[model]);
    destination_owned_by(c, analysis, scenario, model, owner)
}

/// [`destination`] with the owner given (`backtest` and `nowcast` directories belong to their
/// scenario, as they always have).
pub(crate) fn destination_owned_by(
    c: &Common,
    analysis: &str,
    scenario: &Path,
    model: &Model,
    owner: output::Owner,
) -> Result<Destination> {
    let dir = c
        .out
        .clone()
        .unwrap_or_else(|| output::analysis_dir(analysis, model));
    output::check_dir(&dir, &owner, &[])?;
    Ok(Destination {
        dir,
        owner,
        inputs: scenario.display().to_string(),
    })
}

fn load(path: &Path, c: &Common, default_runs: Option<u64>) -> Result<Model> {
    let mut m = attain::init::load_input(
        path,
        &scenario::LoadOptions {
            as_of: None,
            calibration: c.calibration.clone(),
            runs: c.runs,
            seed: c.seed,
        },
    )?;
    // Without --runs, analyses that run the model many times cap the scenario's run count.
    if let (None, Some(cap)) = (c.runs, default_runs) {
        m.scenario.runs = m.scenario.runs.min(cap);
    }
    Ok(m)
}

pub fn compare(a: CompareArgs) -> Result<()> {
    let c = &a.common;
    check_threads(c.threads)?;
    let mut models = Vec::new();
    for p in &a.scenarios {
        models.push(load(p, c, None)?);
    }
    compare::check_same_plan(&models)?;
    let (runs, seed) = (models[0].scenario.runs, models[0].scenario.seed);
    if !c.quiet
        && models
            .iter()
            .any(|m| m.scenario.seed != seed || m.scenario.runs != runs)
    {
        eprintln!(
            "note: all scenarios run with {runs} runs and seed {seed} (common random numbers); use --runs/--seed to choose"
        );
    }
    let all: Vec<&Model> = models.iter().collect();
    let dir = c.out.clone().unwrap_or_else(|| output::compare_dir(&all));
    let own = output::Owner::of_analysis("compare", &all);
    output::check_dir(&dir, &own, &[])?;
    let pb = progress_bar(runs, c.quiet, "compare");
    let comparison = compare::compare(&models, runs, seed, c.threads, &|n| pb.inc(n))?;
    pb.finish_and_clear();
    let sources: Vec<String> = a
        .scenarios
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let to = Destination {
        dir,
        owner: own,
        inputs: sources.join(" "),
    };
    emit(&to, &comparison, c.format.into(), c.quiet)
}

/// Refuses a target id given twice (each target's files would be written twice into one
/// directory, and the second rename failed halfway through the output).
fn check_unique(what: &str, ids: &[String]) -> Result<()> {
    for (k, id) in ids.iter().enumerate() {
        if ids[..k].contains(id) {
            return Err(Error::usage(
                format!("{what} `{id}` is given twice"),
                "give each target once",
            ));
        }
    }
    Ok(())
}

pub fn sensitivity(a: SensitivityArgs) -> Result<()> {
    let c = &a.common;
    check_threads(c.threads)?;
    check_unique("--target", &a.targets)?;
    if a.top == 0 {
        return Err(Error::usage(
            "--top 0 is not allowed",
            "give at least 1: the number of inputs shown per target in the table (all are in the \
             CSV and JSON), e.g. --top 8",
        ));
    }
    let model = load(&a.scenario, c, Some(ANALYSIS_RUNS))?;
    if sensitivity::Method::from(a.method) == sensitivity::Method::Sobol {
        return sensitivity_sobol(&a, &model);
    }
    let opts = sensitivity::Options {
        swing: a.swing,
        runs: model.scenario.runs,
        seed: model.scenario.seed,
        threads: c.threads,
        targets: a.targets.clone(),
    };
    let to = destination(c, "sensitivity", &a.scenario, &model)?;
    let settings = 2 * sensitivity::parameters(&model, a.swing.clamp(0.0, 1.0)).len() as u64;
    let batches = settings.div_ceil(8).max(1);
    let pb = progress_bar(
        model.scenario.runs * batches,
        c.quiet,
        &format!("sensitivity {}", model.scenario.stem),
    );
    let s = sensitivity::oat(&model, &opts, &|n| pb.inc(n))?;
    pb.finish_and_clear();
    let report = SensitivityReport {
        sensitivity: &s,
        top: a.top,
    };
    emit(&to, &report, c.format.into(), c.quiet)
}

/// `sensitivity --method sobol`: variance-based indices (see `analysis::sobol`), their table, CSV, JSON and a
/// bar chart per target (`sobol-<target>.svg`/`.png`).
fn sensitivity_sobol(a: &SensitivityArgs, model: &Model) -> Result<()> {
    let c = &a.common;
    // Check the target ids before refusing or creating a directory.
    attain::analysis::sobol::check_targets(model, &a.targets, "--target")?;
    let to = destination(c, "sobol", &a.scenario, model)?;
    if !c.quiet {
        eprintln!(
            "Sobol indices: {} inputs, {} designs of {} runs (Saltelli A, B and one per input)",
            model.draw_count + model.shocks.len(),
            model.draw_count + model.shocks.len() + 2,
            model.scenario.runs
        );
    }
    let idx = attain::analysis::sobol::for_targets(model, &a.targets, "--target", c.threads)?;
    let report = SobolReport {
        indices: &idx,
        top: a.top,
    };
    emit(&to, &report, c.format.into(), c.quiet)
}

pub fn goal(a: GoalArgs) -> Result<()> {
    let c = &a.common;
    check_threads(c.threads)?;
    check_unique("target", &a.targets)?;
    let model = load(&a.scenario, c, Some(ANALYSIS_RUNS))?;
    let opts = goal::Options {
        runs: model.scenario.runs,
        seed: model.scenario.seed,
        threads: c.threads,
        levels: a.p.clone(),
        confidences: a.confidence.clone(),
        input: a.input.clone(),
    };
    let to = destination(c, "goal", &a.scenario, &model)?;
    let g = goal::goal(&model, &a.targets, &opts)?;
    emit(&to, &g, c.format.into(), c.quiet)
}
