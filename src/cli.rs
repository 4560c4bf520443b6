//! The `attain` command line: argument parsing and the wiring of the library's stages.
//!
//! Each subcommand is a short function: load (scenario), simulate (engine), summarise (results),
//! render and write (report, output). Errors go back to `main`, which prints them in one place.

use attain::engine::sampling::Sampling;
use attain::engine::{self, RunOptions};
use attain::error::{Error, Result};
use attain::model::{Metric, Model};
use attain::report::Format;
use attain::report::export::{BacktestReport, RunReport};
use attain::results::{self, Results};
use attain::scenario::{self, Checked};
use attain::{output, shard};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

mod analyses;
mod args;
mod emit;
mod method;

#[derive(Parser, Debug)]
#[command(
    name = "attain",
    version,
    about = "How likely is each target of a development plan to be met? Monte Carlo over scenario assumptions."
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Simulate scenarios and report P(met) for every target.
    Run(RunArgs),
    /// Validate plan and scenario files.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the plans (indicators and targets) and scenarios in a directory; each scenario shows
    /// how many of its plan's non-qualitative targets it answers (simulates), e.g. `26/181 answered`.
    List {
        /// Directory to scan (default: seeds/, and scenarios/ beside it).
        dir: Option<PathBuf>,
    },
    /// Score P(met) against the plan's realised (`actual`) values: Brier, log loss, reliability.
    Backtest(BacktestArgs),
    /// P(met) per target as of each year of a range: runs that ignore later observations.
    Nowcast(NowcastArgs),
    /// Measure the engine on a scenario: paths/s, cost relative to drawing its random numbers
    /// alone (the RNG floor), and parallel efficiency. Timings vary with the machine's load.
    Bench {
        scenario: PathBuf,
        /// Runs per measurement.
        #[arg(long, default_value_t = 200_000, allow_negative_numbers = true,
              value_parser = args::runs("--runs"))]
        runs: u64,
        /// Repetitions; the fastest is reported.
        #[arg(long, default_value_t = 3, allow_negative_numbers = true,
              value_parser = args::whole::<usize>("--repeat", "give the number of repetitions, at least 1, e.g. --repeat 3"))]
        repeat: usize,
        /// Threads of the parallel measurement (default: all cores).
        #[arg(long, allow_negative_numbers = true,
              value_parser = args::whole::<usize>("--threads", args::THREADS_HINT))]
        threads: Option<usize>,
        /// `table` (for people) or `json` (for CI: paths/s, engine/floor, efficiency, RSS, machine).
        #[arg(long, default_value = "table", value_parser = ["table", "json"])]
        format: String,
        /// A JSON report of an earlier `attain bench --format json` to compare the engine/floor
        /// ratios with (printed on stderr; a regression beyond 25 % is flagged, never an error).
        #[arg(long)]
        baseline: Option<PathBuf>,
    },
    /// Compare scenarios of one plan side by side: P(met) per target and scenario, paired changes
    /// (common random numbers), joint probabilities, a dot chart and compare.html.
    Compare(analyses::CompareArgs),
    /// Which assumption moves each P(met) most: one-at-a-time tornado per target and rank
    /// correlations of the inputs' draws with each target's metric.
    Sensitivity(analyses::SensitivityArgs),
    /// What it takes: the mean assumption at which a target reaches 50 % / 90 %, the level
    /// reachable with 50 / 80 / 90 % confidence, and the attainment curve.
    Goal(analyses::GoalArgs),
    /// Draft a plan file from a plan document (plain text): indicator tables and targets in the text.
    Import(ImportArgs),
    /// Draft a complete, commented starting scenario for a plan (the calibrated method).
    Init(method::InitArgs),
    /// Fit the method's few parameters to review plans' realised outcomes; leave-one-plan-out scores.
    Calibrate(method::CalibrateArgs),
    /// Merge shard files written by `run --shard K/N` into one result.
    Merge {
        #[arg(required = true)]
        parts: Vec<PathBuf>,
        /// Output directory (default: out/<scenario-stem>/).
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: args::Format,
        #[arg(long)]
        quiet: bool,
    },
}

#[derive(Args, Debug)]
struct RunArgs {
    /// Scenario files (TOML).
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    /// Number of Monte Carlo runs (overrides the scenario's `runs`).
    #[arg(long, allow_negative_numbers = true, value_parser = args::runs("--runs"))]
    runs: Option<u64>,
    /// Random seed (overrides the scenario's `seed`).
    #[arg(long, allow_negative_numbers = true,
          value_parser = args::whole::<u64>("--seed", args::SEED_HINT))]
    seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, allow_negative_numbers = true,
          value_parser = args::whole::<usize>("--threads", args::THREADS_HINT))]
    threads: Option<usize>,
    /// Output directory (default: out/<scenario-stem>/); with --shard, the part file to write.
    #[arg(long)]
    out: Option<PathBuf>,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value = "table")]
    format: args::Format,
    /// No progress bar and no notes on standard error.
    #[arg(long)]
    quiet: bool,
    /// Sampling design: plain Monte Carlo, Latin hypercube, or scrambled Sobol (randomised QMC).
    #[arg(long, value_enum, default_value = "mc")]
    sampling: args::Sampling,
    /// Keep adding runs (in batches of 32 768) until every target's 95 % interval half-width is
    /// below this (e.g. 0.005), or --max-runs is reached.
    #[arg(long, value_name = "HALF_WIDTH", allow_negative_numbers = true,
          value_parser = args::number("--precision", args::PRECISION_HINT))]
    precision: Option<f64>,
    /// The most runs --precision may use.
    #[arg(long, default_value_t = 10_000_000, allow_negative_numbers = true,
          value_parser = args::runs("--max-runs"))]
    max_runs: u64,
    /// Run only shard K of N and write its mergeable state (see `attain merge`).
    #[arg(long, value_name = "K/N", allow_hyphen_values = true)]
    shard: Option<String>,
    /// Ignore `[observed]` values after this year: the odds as they stood at the end of YEAR.
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true,
          value_parser = args::year("--as-of"))]
    as_of: Option<i32>,
    /// Take steering from this calibration (`attain calibrate`); for a plan file, draft its init
    /// scenario with it (default for a plan file: the shipped calibration; `none`: the
    /// uncalibrated defaults).
    #[arg(long, value_name = "FILE")]
    calibration: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct ImportArgs {
    /// The plan document: plain text in UTF-8, GB18030 or UTF-16 (with a byte-order mark).
    document: PathBuf,
    /// `[plan] id` of the draft (default: the file name of --out, or of the document).
    #[arg(long)]
    plan_id: Option<String>,
    /// Base year of the plan (default: from the indicator table's header, or the text).
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true,
          value_parser = args::year("--base-year"))]
    base_year: Option<i32>,
    /// Target year of the plan (default: from the indicator table's header, or the text).
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true,
          value_parser = args::year("--target-year"))]
    target_year: Option<i32>,
    /// Where to write the draft (default: <plan-id>.toml in the current directory).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Overwrite existing files.
    #[arg(long)]
    force: bool,
}

/// Options shared by `backtest`, `nowcast`, `compare`, `sensitivity` and `goal`.
#[derive(Args, Debug)]
pub(crate) struct SimArgs {
    /// Number of Monte Carlo runs (overrides the scenario's `runs`; analyses that run the model
    /// many times default to fewer, see the subcommand).
    #[arg(long, allow_negative_numbers = true, value_parser = args::runs("--runs"))]
    pub(crate) runs: Option<u64>,
    /// Random seed (overrides the (first) scenario's `seed`).
    #[arg(long, allow_negative_numbers = true,
          value_parser = args::whole::<u64>("--seed", args::SEED_HINT))]
    pub(crate) seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, allow_negative_numbers = true,
          value_parser = args::whole::<usize>("--threads", args::THREADS_HINT))]
    pub(crate) threads: Option<usize>,
    /// Output directory (default: under out/, named after the scenario and the subcommand).
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// What to print on standard output.
    #[arg(long, value_enum, default_value = "table")]
    pub(crate) format: args::Format,
    /// No progress bar and no notes on standard error.
    #[arg(long)]
    pub(crate) quiet: bool,
    /// Take steering from this calibration (`attain calibrate`); for a plan file, draft its init
    /// scenario with it (default for a plan file: the shipped calibration; `none`: the
    /// uncalibrated defaults).
    #[arg(long, value_name = "FILE")]
    pub(crate) calibration: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct BacktestArgs {
    /// Scenario file (TOML) of a plan whose targets carry `actual` values.
    scenario: PathBuf,
    #[command(flatten)]
    sim: SimArgs,
    /// Ignore `[observed]` values after this year.
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true,
          value_parser = args::year("--as-of"))]
    as_of: Option<i32>,
    /// Number of equal-width bins of the reliability diagram.
    #[arg(long, default_value_t = attain::analysis::backtest::DEFAULT_BINS,
          allow_negative_numbers = true, value_parser = args::whole::<usize>("--bins",
              format!("give between 1 and {} bins", attain::analysis::backtest::MAX_BINS)))]
    bins: usize,
}

#[derive(Args, Debug)]
struct NowcastArgs {
    /// Scenario file (TOML), usually with `[observed]` values.
    scenario: PathBuf,
    #[command(flatten)]
    sim: SimArgs,
    /// First as-of year (default: the plan's base year).
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true,
          value_parser = args::year("--from"))]
    from: Option<i32>,
    /// Last as-of year (default: the latest observed year).
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true,
          value_parser = args::year("--to"))]
    to: Option<i32>,
}

/// Entry point used by `main`.
pub fn main() -> Result<()> {
    let cli = Cli::try_parse().unwrap_or_else(|e| {
        // attain's own value parsers (run counts) fail with an input error: print it as attain
        // prints every other, with its `help:` line; clap prints its own errors and --help.
        let ours = std::error::Error::source(&e).and_then(|s| s.downcast_ref::<Error>());
        match ours {
            Some(err) => {
                eprintln!("{err}");
                std::process::exit(err.exit_code());
            }
            None => e.exit(),
        }
    });
    match cli.cmd {
        Cmd::Run(a) => run(a),
        Cmd::Import(a) => import(a),
        Cmd::Init(a) => method::init(a),
        Cmd::Calibrate(a) => method::calibrate(a),
        Cmd::Compare(a) => analyses::compare(a),
        Cmd::Sensitivity(a) => analyses::sensitivity(a),
        Cmd::Goal(a) => analyses::goal(a),
        Cmd::Backtest(a) => backtest(a),
        Cmd::Nowcast(a) => nowcast(a),
        Cmd::Check { files } => check(&files),
        Cmd::List { dir } => list(dir.as_deref()),
        Cmd::Merge {
            parts,
            out,
            format,
            quiet,
        } => merge(&parts, out, format.into(), quiet),
        Cmd::Bench {
            scenario,
            runs,
            repeat,
            threads,
            format,
            baseline,
        } => bench(
            &scenario,
            runs,
            repeat,
            threads,
            &format,
            baseline.as_deref(),
        ),
    }
}

fn progress_bar(runs: u64, quiet: bool, label: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() || runs < 200_000 {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(runs), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} runs ({per_sec}, eta {eta})")
    {
        pb.set_style(style.progress_chars("=> "));
    }
    pb.set_message(label.to_string());
    pb
}

/// Runs a model with a progress bar.
pub fn simulate(
    model: &Model,
    threads: Option<usize>,
    shard: Option<(u64, u64)>,
    sampling: Sampling,
    quiet: bool,
) -> Result<engine::Accumulator> {
    let opts = RunOptions {
        runs: model.scenario.runs,
        seed: model.scenario.seed,
        threads,
        shard,
        sampling,
    };
    let pb = progress_bar(model.scenario.runs, quiet, &model.scenario.stem);
    let acc = engine::run(model, &opts, &|n| pb.inc(n))?;
    pb.finish_and_clear();
    Ok(acc)
}

/// The default output directory of a scenario.
pub fn default_out(model: &Model) -> PathBuf {
    output::run_dir(model)
}

/// Whom a model's results directory belongs to (see `output`).
fn owner(model: &Model) -> output::Owner {
    output::Owner::of(model)
}

fn emit_run(model: &Model, r: &Results, dir: &Path, format: Format, quiet: bool) -> Result<()> {
    if !quiet {
        print_warnings(model, &r.warnings, RESULT_FILES);
    }
    emit::emit(&destination(dir, model), &RunReport::new(r), format, quiet)
}

/// A model's results directory, owned by its scenario, its input the scenario file.
fn destination(dir: &Path, model: &Model) -> emit::Destination {
    emit::Destination {
        dir: dir.to_path_buf(),
        owner: owner(model),
        inputs: model.scenario.path.display().to_string(),
    }
}

/// Where a run's results list every target, simulated or not.
const RESULT_FILES: &str = "results.json and report.html";

/// How many targets a model answers: (simulated, non-qualitative).
fn coverage(model: &Model) -> (usize, usize) {
    let asked = model
        .targets
        .iter()
        .filter(|t| t.metric != Metric::Qualitative)
        .count();
    (attain::model::simulated_targets(model).len(), asked)
}

/// The notes to print on the console for a model's warnings. The scenario warns once per target
/// whose indicator has no process; on the console these become one line counting the unanswered
/// (non-qualitative, not simulated) targets, which `listed_in` lists in full. Other warnings are
/// kept as they are.
fn console_warnings(model: &Model, warnings: &[String], listed_in: &str) -> Vec<String> {
    let simulated: Vec<usize> = attain::model::simulated_targets(model)
        .iter()
        .map(|s| s.target)
        .collect();
    let mut no_process = Vec::new();
    let mut unanswered = 0;
    let mut asked = 0;
    for (k, t) in model.targets.iter().enumerate() {
        if t.metric == Metric::Qualitative {
            continue;
        }
        asked += 1;
        if simulated.contains(&k) {
            continue;
        }
        unanswered += 1;
        if model.sim_of[t.indicator].is_none() {
            no_process.push(format!("target `{}` is not simulated", t.id));
        }
    }
    let mut out: Vec<String> = warnings
        .iter()
        .filter(|w| !no_process.iter().any(|p| w.starts_with(p.as_str())))
        .map(|w| format!("warning: {w}"))
        .collect();
    if unanswered > 0 {
        let other = unanswered - no_process.len();
        let (verb, their, listed) = if unanswered == 1 {
            ("is", "its", "it is")
        } else {
            ("are", "their", "all are")
        };
        let why = if other == 0 {
            format!("no process for {their} indicator")
        } else if no_process.is_empty() {
            format!(
                "no numeric value, or no process for the indicator {their} metric is relative to"
            )
        } else {
            format!(
                "{} with no process for their indicator, {other} with no numeric value or no process for the indicator their metric is relative to",
                no_process.len()
            )
        };
        out.push(format!(
            "note: {unanswered} of {asked} non-qualitative targets {verb} not simulated ({why}); {listed} listed in {listed_in}"
        ));
    }
    out
}

/// Prints a model's warnings on standard error (see [`console_warnings`]).
fn print_warnings(model: &Model, warnings: &[String], listed_in: &str) {
    for line in console_warnings(model, warnings, listed_in) {
        eprintln!("{line}");
    }
}

fn import(a: ImportArgs) -> Result<()> {
    let opts = attain::import::Options {
        plan_id: a.plan_id,
        base_year: a.base_year,
        target_year: a.target_year,
    };
    let w = attain::import::import(&a.document, a.out.as_deref(), a.force, &opts)?;
    print!("{}", attain::import::summary(&a.document, &w));
    Ok(())
}

fn run(a: RunArgs) -> Result<()> {
    check_threads(a.threads)?;
    let shard = a.shard.as_deref().map(shard::parse_shard).transpose()?;
    if shard.is_some() && a.as_of.is_some() {
        return Err(Error::usage(
            "--as-of cannot be combined with --shard",
            "run the as-of scenario in one process (without --shard)",
        ));
    }
    if let Some(h) = a.precision {
        if !(h > 0.0 && h < 0.5) {
            return Err(Error::usage(
                format!("--precision {} is out of range", attain::error::num(h)),
                "give the 95 % half-width wanted for every P(met), between 0 and 0.5 (e.g. 0.005 for ±0.5 points)",
            ));
        }
        if shard.is_some() {
            return Err(Error::usage(
                "--precision cannot be combined with --shard",
                "shards need a fixed run count: give --runs instead",
            ));
        }
        scenario::check_runs("--max-runs", a.max_runs)?;
    }
    // Validate every scenario before writing anything.
    let mut models = Vec::new();
    for path in &a.scenarios {
        let m = attain::init::load_input(
            path,
            &scenario::LoadOptions {
                as_of: a.as_of,
                calibration: a.calibration.clone(),
                runs: a.runs,
                seed: a.seed,
            },
        )?;
        models.push(m);
    }
    if shard.is_some() && models.len() != 1 {
        return Err(Error::usage(
            "--shard runs one scenario at a time",
            "give a single scenario with --shard",
        ));
    }
    let several = models.len() > 1;
    let out_dir = |model: &Model| match (&a.out, several) {
        (Some(o), false) => o.clone(),
        (Some(o), true) => o.join(&model.scenario.stem),
        (None, _) => default_out(model),
    };
    if shard.is_none() {
        // Two scenarios that would write into one directory: the second would overwrite the first.
        for (k, model) in models.iter().enumerate() {
            let dir = out_dir(model);
            if let Some(j) = (0..k).find(|&j| out_dir(&models[j]) == dir) {
                let (first, second) = (a.scenarios[j].display(), a.scenarios[k].display());
                return Err(Error::usage(
                    if first.to_string() == second.to_string() {
                        format!("{first} is given twice")
                    } else {
                        format!(
                            "{first} and {second} would both write their results into {}",
                            dir.display()
                        )
                    },
                    "give each scenario once, and scenarios whose file names differ (each \
                     writes into a directory named after its file), or run them one at a time \
                     with their own --out",
                ));
            }
        }
        // Refuse a results directory of another scenario before simulating, not after.
        for model in &models {
            output::check_dir(&out_dir(model), &owner(model), &[])?;
        }
    }
    for model in &models {
        if let Some(h) = a.precision {
            let mut m = model.clone();
            m.scenario.runs = a.max_runs;
            let opts = RunOptions {
                runs: a.max_runs,
                seed: m.scenario.seed,
                threads: a.threads,
                shard: None,
                sampling: a.sampling.into(),
            };
            let pb = progress_bar(a.max_runs, a.quiet, &m.scenario.stem);
            let (acc, reason) = engine::run_to_precision(&m, &opts, h, &|n| pb.inc(n))?;
            pb.finish_and_clear();
            m.scenario.runs = acc.runs;
            let mut r = results::build(&m, &acc);
            let worst = r
                .targets
                .iter()
                .filter_map(|t| t.p_met.as_ref())
                .map(|p| p.half_width())
                .fold(0.0, f64::max);
            r.stopping = Some(results::Stopping {
                precision: h,
                max_runs: a.max_runs,
                reason,
                runs_used: acc.runs,
                worst_half_width: worst,
            });
            if !a.quiet {
                eprintln!(
                    "--precision {h}: stopped after {} runs ({reason:?}; widest 95 % half-width {worst:.4})",
                    acc.runs
                );
            }
            emit_run(&m, &r, &out_dir(model), a.format.into(), a.quiet)?;
            continue;
        }
        let acc = simulate(model, a.threads, shard, a.sampling.into(), a.quiet)?;
        if let Some((k, n)) = shard {
            let part = shard::Part::new(model, k, n, acc);
            let path = a
                .out
                .clone()
                .unwrap_or_else(|| default_out(model).join(format!("part-{k}-of-{n}.json")));
            output::write_file_with(&path, &mut |w| part.write_json(w))?;
            if !a.quiet {
                eprintln!(
                    "wrote shard {k}/{n} ({} runs) to {}",
                    part.accumulator.runs,
                    path.display()
                );
            }
            continue;
        }
        let r = results::build(model, &acc);
        emit_run(model, &r, &out_dir(model), a.format.into(), a.quiet)?;
    }
    Ok(())
}

/// The most worker threads `--threads` accepts: far above any machine's cores, far below the
/// tens of thousands that a stray digit asks for (each is an OS thread with its own stack).
pub(crate) const MAX_THREADS: usize = 1024;

/// The one check of `--threads` (every subcommand that runs the engine calls it).
pub(crate) fn check_threads(threads: Option<usize>) -> Result<()> {
    match threads {
        Some(0) => Err(Error::usage(
            "--threads 0 is not allowed",
            "give at least 1 thread, or omit --threads to use all cores",
        )),
        Some(t) if t > MAX_THREADS => {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            Err(Error::usage(
                format!("--threads {t} is more than {MAX_THREADS}"),
                format!(
                    "this machine has {cores} cores; give at most {MAX_THREADS} threads, or omit \
                     --threads to use all cores (results do not depend on the thread count)"
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// Loads a scenario as of a year and applies the command-line overrides.
fn load_as_of(path: &Path, as_of: Option<i32>, sim: &SimArgs) -> Result<Model> {
    attain::init::load_input(
        path,
        &scenario::LoadOptions {
            as_of,
            calibration: sim.calibration.clone(),
            runs: sim.runs,
            seed: sim.seed,
        },
    )
}

/// Runs a loaded model and summarises the results.
fn run_model(model: &Model, sim: &SimArgs) -> Result<Results> {
    let acc = simulate(model, sim.threads, None, Sampling::default(), sim.quiet)?;
    Ok(results::build(model, &acc))
}

fn backtest(a: BacktestArgs) -> Result<()> {
    check_threads(a.sim.threads)?;
    if a.bins == 0 || a.bins > attain::analysis::backtest::MAX_BINS {
        return Err(Error::usage(
            format!("--bins {} is out of range", a.bins),
            format!(
                "give between 1 and {} bins",
                attain::analysis::backtest::MAX_BINS
            ),
        ));
    }
    let model = load_as_of(&a.scenario, a.as_of, &a.sim)?;
    // Refuse a directory of another scenario before simulating.
    let to =
        analyses::destination_owned_by(&a.sim, "backtest", &a.scenario, &model, owner(&model))?;
    let r = run_model(&model, &a.sim)?;
    let b = attain::analysis::backtest::score(&model, &r, a.bins)?;
    if !a.sim.quiet {
        print_warnings(&model, &r.warnings, RESULT_FILES);
        if let Some(note) = attain::init::in_sample_note(&a.scenario, a.sim.calibration.as_deref())?
        {
            eprintln!("note: {note}");
        }
    }
    let report = BacktestReport {
        run: RunReport::new(&r),
        backtest: &b,
    };
    emit::emit(&to, &report, a.sim.format.into(), a.sim.quiet)
}

fn nowcast(a: NowcastArgs) -> Result<()> {
    check_threads(a.sim.threads)?;
    // The full scenario decides the default range and validates the file once.
    let full = scenario::load_scenario(&a.scenario)?;
    let years = attain::analysis::nowcast::years(&full, a.from, a.to, ("--from", "--to"))?;
    let dest = analyses::destination_owned_by(&a.sim, "nowcast", &a.scenario, &full, owner(&full))?;
    // Load every as-of model before simulating any, so that bad input fails fast.
    let mut models = Vec::new();
    for year in years {
        models.push(load_as_of(&a.scenario, Some(year), &a.sim)?);
    }
    let mut runs = Vec::new();
    for model in models {
        let r = run_model(&model, &a.sim)?;
        runs.push((model, r));
    }
    let Some(n) = attain::analysis::nowcast::assemble(&runs) else {
        return Err(Error::usage("no as-of year to run", "give --from ≤ --to"));
    };
    if !a.sim.quiet {
        print_warnings(
            &full,
            &full.warnings,
            "the results.json and report.html of `attain run`",
        );
        if full.sims.iter().all(|s| s.observed.is_empty()) {
            eprintln!(
                "note: the scenario has no [observed] values after the base year, so every as-of year gives the same result"
            );
        }
    }
    emit::emit(&dest, &n, a.sim.format.into(), a.sim.quiet)
}

fn merge(paths: &[PathBuf], out: Option<PathBuf>, format: Format, quiet: bool) -> Result<()> {
    let (model, acc) = shard::merge(paths)?;
    let r = results::build(&model, &acc);
    let dir = out.unwrap_or_else(|| default_out(&model));
    emit_run(&model, &r, &dir, format, quiet)
}

fn check(files: &[PathBuf]) -> Result<()> {
    let mut failed = 0;
    for f in files {
        match scenario::check_file(f) {
            Ok(Checked::Plan {
                id,
                indicators,
                targets,
            }) => {
                println!(
                    "ok   {}: plan `{id}`, {indicators} indicators, {targets} targets",
                    f.display()
                );
            }
            Ok(Checked::Scenario {
                name,
                plan,
                simulated_targets,
                warnings,
            }) => {
                println!(
                    "ok   {}: scenario \"{name}\" of plan `{plan}`, {simulated_targets} targets simulated",
                    f.display()
                );
                for w in warnings {
                    println!("     warning: {w}");
                }
            }
            Err(e) => {
                failed += 1;
                eprintln!("{e}\n");
            }
        }
    }
    if failed > 0 {
        return Err(Error::usage(
            format!("{failed} of {} files are invalid (see above)", files.len()),
            "fix the errors shown and run `attain check` again",
        ));
    }
    Ok(())
}

fn list(dir: Option<&Path>) -> Result<()> {
    let dirs: Vec<PathBuf> = match dir {
        Some(d) => vec![d.to_path_buf()],
        None => vec![PathBuf::from("seeds"), PathBuf::from("scenarios")],
    };
    for d in &dirs {
        let entries = std::fs::read_dir(d).map_err(|e| {
            Error::file(
                d,
                format!("cannot list {}: {e}", d.display()),
                "give a directory that holds plan (seeds/) or scenario (scenarios/) files",
            )
        })?;
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for f in files {
            match scenario::load_plan(&f) {
                Ok(lp) => print_plan(&lp.plan),
                Err(_) => match scenario::load_scenario(&f) {
                    Ok(m) => {
                        let (answered, asked) = coverage(&m);
                        println!(
                            "scenario {}  \"{}\"  plan {}  {} runs, seed {}  {answered}/{asked} answered\n",
                            f.display(),
                            m.scenario.name,
                            m.plan.id,
                            m.scenario.runs,
                            m.scenario.seed
                        )
                    }
                    Err(e) => {
                        let first = e.to_string().lines().next().unwrap_or("").to_string();
                        println!(
                            "invalid  {}  ({first}; run `attain check {}`)\n",
                            f.display(),
                            f.display()
                        );
                    }
                },
            }
        }
    }
    Ok(())
}

fn print_plan(p: &attain::model::Plan) {
    println!(
        "plan {}  {}  {}→{}",
        p.id,
        p.title_en.as_deref().unwrap_or(&p.title),
        p.base_year,
        p.target_year
    );
    println!(
        "  {} indicators, {} targets",
        p.indicators.len(),
        p.targets.len()
    );
    for t in &p.targets {
        let ind = &p.indicators[t.indicator];
        let value = match &t.value {
            attain::model::TargetValue::Number(v) => attain::model::target::fmt_num(*v),
            attain::model::TargetValue::Range(a, b) => format!(
                "[{}, {}]",
                attain::model::target::fmt_num(*a),
                attain::model::target::fmt_num(*b)
            ),
            attain::model::TargetValue::Assigned => "assigned".into(),
            attain::model::TargetValue::None => String::new(),
        };
        println!(
            "  {:<34} {:<28} {:<11} {:<9} {:<12} {}",
            t.id,
            ind.id,
            t.metric.name(),
            t.op.map(|o| o.name()).unwrap_or(""),
            value,
            t.year
        );
    }
    println!();
}

fn bench(
    path: &Path,
    runs: u64,
    repeat: usize,
    threads: Option<usize>,
    format: &str,
    baseline: Option<&Path>,
) -> Result<()> {
    use attain::engine::bench;
    check_threads(threads)?;
    if repeat == 0 {
        return Err(Error::usage(
            "--repeat 0 is not allowed",
            "give at least 1 repetition (the fastest is reported), e.g. --repeat 3",
        ));
    }
    let model = scenario::load_scenario_with(
        path,
        &scenario::LoadOptions {
            runs: Some(runs),
            ..Default::default()
        },
    )?;
    // Read the baseline first: a bad file is reported before minutes of measuring.
    let base: Option<bench::Report> = match baseline {
        None => None,
        Some(b) => {
            let text = std::fs::read_to_string(b).map_err(|e| {
                Error::file(
                    b,
                    format!("cannot read {}: {e}", b.display()),
                    "check the path of --baseline: a file written by `attain bench --format json`",
                )
            })?;
            Some(serde_json::from_str(&text).map_err(|e| {
                Error::file(
                    b,
                    format!(
                        "{} is not an `attain bench --format json` report: {e}",
                        b.display()
                    ),
                    "record a baseline with `attain bench SCENARIO --format json > baseline.json` \
                     (e.g. benches/baseline.json)",
                )
            })?)
        }
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let report = bench::measure(
        &model,
        &path.display().to_string(),
        runs,
        repeat,
        threads.unwrap_or(cores),
    )?;
    if format == "json" {
        print!("{}", attain::report::json::to_json(&report));
    } else {
        print!("{}", report.table());
    }
    if let Some(base) = base {
        let (text, regressed) = bench::compare(&report, &base);
        eprint!("{text}");
        if regressed {
            eprintln!(
                "!!!! PERFORMANCE REGRESSION: engine/floor is more than {:.0} % above the baseline \
                 (timing is reported, not enforced) !!!!",
                100.0 * bench::REGRESSION
            );
        }
    }
    Ok(())
}
