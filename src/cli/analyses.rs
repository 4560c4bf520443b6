//! The analysis subcommands (`compare`, `sensitivity`, `goal`): argument structs and the wiring of
//! load → analyse (library) → render (report::analyses) → write atomically (output).
//!
//! Kept apart from `cli.rs` so that the analyses (compare, sensitivity, goal) adds to the command line without
//! touching the other subcommands.

use super::emit::{Emission, emit};
use super::{Format, apply_overrides, check_threads, progress_bar};
use attain::analysis::{compare, goal, sensitivity};
use attain::error::{Error, Result};
use attain::model::Model;
use attain::report::analyses::{self as reports, Doc};
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
    #[arg(long, default_value_t = 0.25)]
    swing: f64,
    /// Sensitivity method: `oat` (one input at a time, moved by --swing) or `sobol` (first-order
    /// and total Sobol indices of each target's met indicator; --runs is the runs per design).
    #[arg(long, value_enum, default_value = "oat")]
    method: super::args::SensitivityMethod,
    /// Only these targets (repeatable; default: every simulated target).
    #[arg(long = "target", value_name = "ID")]
    targets: Vec<String>,
    /// Inputs shown per target in the table (all are in the CSV and JSON).
    #[arg(long, default_value_t = 8)]
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
    #[arg(long, value_delimiter = ',', default_value = "0.5,0.9")]
    p: Vec<f64>,
    /// Confidences for the achievable target levels.
    #[arg(long, value_delimiter = ',', default_value = "0.5,0.8,0.9")]
    confidence: Vec<f64>,
    #[command(flatten)]
    common: Common,
}

/// A target id as a file-name part.
fn file_part(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Emits an analysis of one scenario: its files, and its document on standard output.
#[allow(clippy::too_many_arguments)]
fn emit_doc(
    dir: &Path,
    owner: &output::Owner,
    scenario: &Path,
    files: &[(String, Vec<u8>)],
    doc: &Doc,
    c: &Common,
    json: &str,
    csv: &str,
) -> Result<()> {
    emit(
        &Emission {
            dir,
            owner,
            inputs: &scenario.display().to_string(),
            files,
            stdout: &doc_text(doc, c.format.into(), json, csv),
        },
        c.quiet,
    )
}

/// An analysis document in the format asked for standard output.
fn doc_text(doc: &Doc, format: Format, json: &str, csv: &str) -> String {
    match format {
        Format::Table => reports::table::render(doc),
        Format::Md => reports::markdown::render(doc),
        Format::Json => json.to_string(),
        Format::Csv => csv.to_string(),
    }
}

/// Whom an analysis directory belongs to: the analysis and its scenario stems, so that it is never
/// mixed with a `run` directory or another analysis (see `output`).
fn owner(analysis: &str, stems: &str, model: &Model) -> output::Owner {
    output::Owner {
        scenario: format!("{analysis}:{stems}"),
        plan: model.plan.id.clone(),
    }
}

fn load(path: &Path, c: &Common, default_runs: Option<u64>) -> Result<Model> {
    let mut m = attain::init::load_input(
        path,
        &scenario::LoadOptions {
            as_of: None,
            calibration: c.calibration.clone(),
        },
    )?;
    let runs = c
        .runs
        .or_else(|| default_runs.map(|d| d.min(m.scenario.runs)));
    apply_overrides(&mut m, runs, c.seed)?;
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
    let stems: Vec<&str> = models.iter().map(|m| m.scenario.stem.as_str()).collect();
    let dir = c
        .out
        .clone()
        .unwrap_or_else(|| Path::new("out").join(format!("compare-{}", stems.join("-"))));
    let own = owner("compare", &stems.join("+"), &models[0]);
    output::check_dir(&dir, &own, &[])?;
    let pb = progress_bar(runs, c.quiet, "compare");
    let comparison = compare::compare(&models, runs, seed, c.threads, &|n| pb.inc(n))?;
    pb.finish_and_clear();
    let doc = reports::compare_doc(&comparison);
    let json = reports::json::render(&comparison);
    let csv = reports::csv::compare(&comparison);
    let mut files = vec![
        ("compare.json".to_string(), json.clone().into_bytes()),
        ("compare.csv".to_string(), csv.clone().into_bytes()),
        (
            "compare.md".to_string(),
            reports::markdown::render(&doc).into_bytes(),
        ),
    ];
    files.extend(reports::charts::compare(&comparison)?);
    let sources: Vec<String> = a
        .scenarios
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    emit(
        &Emission {
            dir: &dir,
            owner: &own,
            inputs: &sources.join(" "),
            files: &files,
            stdout: &doc_text(&doc, c.format.into(), &json, &csv),
        },
        c.quiet,
    )?;
    Ok(())
}

pub fn sensitivity(a: SensitivityArgs) -> Result<()> {
    let c = &a.common;
    check_threads(c.threads)?;
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
    let dir = c
        .out
        .clone()
        .unwrap_or_else(|| Path::new("out").join(format!("sensitivity-{}", model.scenario.stem)));
    let own = owner("sensitivity", &model.scenario.stem, &model);
    output::check_dir(&dir, &own, &[])?;
    let settings = 2 * sensitivity::parameters(&model, a.swing.clamp(0.0, 1.0)).len() as u64;
    let batches = settings.div_ceil(8).max(1);
    let pb = progress_bar(
        model.scenario.runs * batches,
        c.quiet,
        &format!("sensitivity {}", model.scenario.stem),
    );
    let s = sensitivity::oat(&model, &opts, &|n| pb.inc(n))?;
    pb.finish_and_clear();
    let doc = reports::sensitivity_doc(&s, a.top);
    let json = reports::json::render(&s);
    let csv = reports::csv::sensitivity(&s);
    let mut files = vec![
        ("sensitivity.json".to_string(), json.clone().into_bytes()),
        ("sensitivity.csv".to_string(), csv.clone().into_bytes()),
        (
            "rank-correlations.csv".to_string(),
            reports::csv::rank_correlations(&s).into_bytes(),
        ),
        (
            "sensitivity.md".to_string(),
            reports::markdown::render(&doc).into_bytes(),
        ),
    ];
    for t in &s.targets {
        files.extend(reports::charts::tornado(&s, t, &file_part(&t.id))?);
    }
    emit_doc(&dir, &own, &a.scenario, &files, &doc, c, &json, &csv)
}

/// Bootstrap resamples for the Sobol indices' intervals.
const SOBOL_BOOTSTRAP: usize = 200;

/// `sensitivity --method sobol`: variance-based indices (see `analysis::sobol`), their table, CSV, JSON and a
/// bar chart per target (`sobol-<target>.svg`/`.png`).
fn sensitivity_sobol(a: &SensitivityArgs, model: &Model) -> Result<()> {
    let c = &a.common;
    let simulated: Vec<&str> = attain::model::simulated_targets(model)
        .iter()
        .map(|t| model.targets[t.target].id.as_str())
        .collect();
    if let Some(bad) = a.targets.iter().find(|t| !simulated.contains(&t.as_str())) {
        return Err(Error::usage(
            format!(
                "--target {bad}: no simulated target of that id in {}",
                a.scenario.display()
            ),
            format!("simulated targets: {}", simulated.join(", ")),
        ));
    }
    let dir = c
        .out
        .clone()
        .unwrap_or_else(|| Path::new("out").join(format!("sobol-{}", model.scenario.stem)));
    let own = owner("sobol", &model.scenario.stem, model);
    output::check_dir(&dir, &own, &[])?;
    if !c.quiet {
        eprintln!(
            "Sobol indices: {} inputs, {} designs of {} runs (Saltelli A, B and one per input)",
            model.draw_count + model.shocks.len(),
            model.draw_count + model.shocks.len() + 2,
            model.scenario.runs
        );
    }
    let mut idx = attain::analysis::sobol::sobol_indices(
        model,
        model.scenario.runs,
        model.scenario.seed,
        SOBOL_BOOTSTRAP,
        c.threads,
    )?;
    if !a.targets.is_empty() {
        idx.targets.retain(|t| a.targets.contains(&t.target));
    }
    let json = serde_json::to_string_pretty(&idx)
        .map_err(|e| Error::runtime(format!("cannot encode the indices: {e}")))?
        + "\n";
    let csv = attain::report::csv::sobol(&idx);
    let mut files = vec![
        ("sobol.json".to_string(), json.clone().into_bytes()),
        ("sobol.csv".to_string(), csv.clone().into_bytes()),
    ];
    for t in &idx.targets {
        let chart = attain::report::charts::sobol::chart(t, a.top);
        let stem = format!("sobol-{}", file_part(&t.target));
        files.extend(attain::report::charts::files(&stem, &chart)?);
    }
    let stdout = match Format::from(c.format) {
        Format::Json => json.clone(),
        Format::Csv => csv.clone(),
        Format::Table | Format::Md => attain::report::table::sobol(&idx, a.top),
    };
    emit(
        &Emission {
            dir: &dir,
            owner: &own,
            inputs: &a.scenario.display().to_string(),
            files: &files,
            stdout: &stdout,
        },
        c.quiet,
    )?;
    Ok(())
}

pub fn goal(a: GoalArgs) -> Result<()> {
    let c = &a.common;
    check_threads(c.threads)?;
    let model = load(&a.scenario, c, Some(ANALYSIS_RUNS))?;
    let opts = goal::Options {
        runs: model.scenario.runs,
        seed: model.scenario.seed,
        threads: c.threads,
        levels: a.p.clone(),
        confidences: a.confidence.clone(),
        input: a.input.clone(),
    };
    let dir = c
        .out
        .clone()
        .unwrap_or_else(|| Path::new("out").join(format!("goal-{}", model.scenario.stem)));
    let own = owner("goal", &model.scenario.stem, &model);
    output::check_dir(&dir, &own, &[])?;
    let g = goal::goal(&model, &a.targets, &opts)?;
    let doc = reports::goal_doc(&g);
    let json = reports::json::render(&g);
    let csv = reports::csv::goal(&g);
    let mut files = vec![
        ("goal.json".to_string(), json.clone().into_bytes()),
        ("goal.csv".to_string(), csv.clone().into_bytes()),
        ("pta.csv".to_string(), reports::csv::pta(&g).into_bytes()),
        (
            "goal.md".to_string(),
            reports::markdown::render(&doc).into_bytes(),
        ),
    ];
    for t in &g.targets {
        files.extend(reports::charts::pta(t, &file_part(&t.id))?);
    }
    emit_doc(&dir, &own, &a.scenario, &files, &doc, c, &json, &csv)
}
