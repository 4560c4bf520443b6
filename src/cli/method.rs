//! The method's subcommands: `init` (a starting scenario for a plan) and `calibrate` (fit the
//! method to review plans), wired from the library's `init`, `calibrate` and `report::calibrate`.

use attain::analysis::calibrate;
use attain::error::{Error, Result, num};
use attain::init::{self, InitOptions};
use attain::method::PARAMS;
use attain::{output, report, scenario};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Variant {
    Baseline,
    /// Margins and realism at the favourable ends of their calibration intervals.
    Optimistic,
    /// Margins and realism at the unfavourable ends, spread at the upper end.
    Pessimistic,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The plan file (seeds/*.toml).
    plan: PathBuf,
    /// A calibration.toml written by `attain calibrate`, or `none` for the uncalibrated defaults
    /// (default: the shipped calibration, scenarios/calibration/both/calibration.toml, fitted on
    /// the review plans of seeds/).
    #[arg(long)]
    calibration: Option<PathBuf>,
    /// Baseline, or the optimistic / pessimistic ends of the calibration's intervals.
    #[arg(long, value_enum, default_value = "baseline")]
    variant: Variant,
    /// Where to write the scenario (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Overwrite an existing --out file.
    #[arg(long)]
    force: bool,
    /// `[scenario] seed` of the draft.
    #[arg(long, default_value_t = 2025, allow_negative_numbers = true,
          value_parser = super::args::whole::<u64>("--seed", super::args::SEED_HINT))]
    seed: u64,
    /// `[scenario] runs` of the draft.
    #[arg(long, default_value_t = scenario::DEFAULT_RUNS, allow_negative_numbers = true,
          value_parser = super::args::runs("--runs"))]
    runs: u64,
    /// `[scenario] name` of the draft.
    #[arg(long)]
    name: Option<String>,
    /// No summary on standard error.
    #[arg(long)]
    quiet: bool,
}

impl From<Variant> for attain::method::Case {
    fn from(v: Variant) -> Self {
        match v {
            Variant::Baseline => attain::method::Case::Baseline,
            Variant::Optimistic => attain::method::Case::Optimistic,
            Variant::Pessimistic => attain::method::Case::Pessimistic,
        }
    }
}

pub fn init(a: InitArgs) -> Result<()> {
    let lp = scenario::load_plan(&a.plan)?;
    let (calibrated, source) = init::method_from(a.calibration.as_deref(), &lp.plan.id)?;
    let case = attain::method::Case::from(a.variant);
    let method = calibrated.case(case);
    let variant = case.name();
    let source = match a.variant {
        Variant::Baseline => source,
        _ => format!(
            "{source}, {variant} variant ({})",
            if calibrated.intervals.is_some() {
                "margins and realism at that end of their 95 % intervals"
            } else {
                "margins ± 0.5, realism ± 0.15, spread × 1.25 for pessimistic"
            }
        ),
    };
    attain::scenario::check_runs("--runs", a.runs)?;
    let out_dir = a
        .out
        .as_ref()
        .and_then(|p| p.parent())
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // The plan is named relative to the scenario's directory, which must exist to resolve it.
    std::fs::create_dir_all(out_dir)
        .map_err(|e| Error::runtime(format!("cannot create {}: {e}", out_dir.display())))?;
    let plan_ref = init::relative_path(out_dir, &a.plan);
    let name = a.name.clone().unwrap_or_else(|| {
        format!(
            "{} — {variant} (attain init)",
            lp.plan.title_en.as_deref().unwrap_or(&lp.plan.id)
        )
    });
    let d = init::draft(
        &lp.plan,
        &InitOptions {
            method,
            method_source: source,
            plan_ref,
            calibration_ref: init::calibration_ref(a.calibration.as_deref(), Some(out_dir)),
            name,
            runs: a.runs,
            seed: a.seed,
        },
    );
    // Validate before writing anything: the draft must load as the file it will be.
    let as_path = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}-init.toml", lp.plan.id)));
    scenario::load_scenario_text(&as_path, &d.text, &Default::default()).map_err(|e| {
        Error::runtime(format!(
            "internal error: the drafted scenario does not load (please report this):\n{e}"
        ))
    })?;
    match &a.out {
        None => print!("{}", d.text),
        Some(p) => {
            if p.exists() && !a.force {
                return Err(Error::usage(
                    format!("{} exists", p.display()),
                    "pass --force to overwrite it, or choose another --out",
                ));
            }
            output::write_file(p, d.text.as_bytes())?;
        }
    }
    if !a.quiet {
        eprintln!(
            "{}: {} of {} non-qualitative targets answered{}",
            a.out
                .as_ref()
                .map_or("draft".into(), |p| p.display().to_string()),
            d.answered,
            d.non_qualitative,
            if d.unanswered.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} not answered (listed with the reason at the top of the file)",
                    d.unanswered.len()
                )
            }
        );
    }
    Ok(())
}

#[derive(Args, Debug)]
pub struct CalibrateArgs {
    /// Review plan files (targets with `actual`), or scenarios of review plans.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// Output directory (default: out/calibration/).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Runs per plan for each evaluation of the objective.
    #[arg(long, default_value_t = 8192, allow_negative_numbers = true,
          value_parser = super::args::runs("--runs"))]
    runs: u64,
    /// Runs for the reported in-sample and leave-one-plan-out probabilities.
    #[arg(long, default_value_t = 20_000, allow_negative_numbers = true,
          value_parser = super::args::runs("--score-runs"))]
    score_runs: u64,
    /// Random seed (the same for every evaluation: common random numbers).
    #[arg(long, default_value_t = 2016, allow_negative_numbers = true,
          value_parser = super::args::whole::<u64>("--seed", super::args::SEED_HINT))]
    seed: u64,
    /// Hold a parameter fixed, e.g. --fix spread=1 (repeatable).
    #[arg(long, value_name = "NAME=VALUE")]
    fix: Vec<String>,
    /// Most objective evaluations per fit.
    #[arg(long, default_value_t = 600, allow_negative_numbers = true,
          value_parser = super::args::whole::<usize>("--max-evaluations",
              "give the most objective evaluations per fit, e.g. --max-evaluations 600 (at least 20 are made)"))]
    max_evaluations: usize,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, allow_negative_numbers = true,
          value_parser = super::args::whole::<usize>("--threads", super::args::THREADS_HINT))]
    threads: Option<usize>,
    /// No summary on standard error.
    #[arg(long)]
    quiet: bool,
}

fn parse_fix(s: &str) -> Result<(usize, f64)> {
    let names: Vec<&str> = PARAMS.iter().map(|p| p.name).collect();
    let (n, v) = s.split_once('=').ok_or_else(|| {
        Error::usage(
            format!("--fix {s}: expected NAME=VALUE"),
            format!("e.g. --fix spread=1; NAME is one of {}", names.join(", ")),
        )
    })?;
    let n = n.trim();
    let Some(k) = names.iter().position(|x| *x == n) else {
        let known = names.join(", ");
        return Err(Error::usage(
            format!("--fix {s}: unknown parameter `{n}`"),
            match attain::source::nearest(n, names.iter().copied()) {
                Some(near) => format!("did you mean `{near}`? The parameters are {known}"),
                None => format!("the parameters are {known}"),
            },
        ));
    };
    let p = PARAMS[k];
    let v: f64 = v.trim().parse().map_err(|_| {
        Error::usage(
            format!("--fix {s}: `{}` is not a number", v.trim()),
            format!(
                "give a number in [{}, {}]: `{}` is the {}",
                p.lo, p.hi, p.name, p.meaning
            ),
        )
    })?;
    if !v.is_finite() || v < p.lo || v > p.hi {
        return Err(Error::usage(
            format!("--fix {s}: {} is outside [{}, {}]", num(v), p.lo, p.hi),
            format!("`{}` is the {}", p.name, p.meaning),
        ));
    }
    Ok((k, v))
}

pub fn calibrate(a: CalibrateArgs) -> Result<()> {
    super::check_threads(a.threads)?;
    attain::scenario::check_runs("--runs", a.runs)?;
    attain::scenario::check_runs("--score-runs", a.score_runs)?;
    let fixed = a
        .fix
        .iter()
        .map(|s| parse_fix(s))
        .collect::<Result<Vec<_>>>()?;
    for (n, (k, _)) in fixed.iter().enumerate() {
        if fixed[..n].iter().any(|(j, _)| j == k) {
            return Err(Error::usage(
                format!("--fix {} is given more than once", PARAMS[*k].name),
                "fix each parameter once",
            ));
        }
    }
    let plans = calibrate::read_inputs(&a.inputs)?;
    let dir = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join("calibration"));
    let owner = output::Owner {
        scenario: "calibration".into(),
        plan: plans
            .iter()
            .map(|p| p.plan.id.as_str())
            .collect::<Vec<_>>()
            .join("+"),
    };
    output::check_dir(&dir, &owner, &[])?;
    let opts = calibrate::Options {
        runs: a.runs,
        score_runs: a.score_runs,
        seed: a.seed,
        threads: a.threads,
        fixed,
        max_evaluations: a.max_evaluations.max(20),
    };
    let c = calibrate::calibrate(&plans, &opts)?;
    let inputs: Vec<String> = a.inputs.iter().map(|p| p.display().to_string()).collect();
    let to = super::emit::Destination {
        dir,
        owner,
        inputs: inputs.join(" "),
    };
    super::emit::emit(&to, &c, report::Format::Table, a.quiet)
}
