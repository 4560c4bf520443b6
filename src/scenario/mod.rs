//! From TOML text to a validated [`Model`]: reading plan and scenario files, resolving `extends`,
//! and checking everything DESIGN.md calls strict, with file:line:column errors.
//!
//! This module does not simulate anything; it only decides whether the input makes sense and turns
//! it into the typed values the engine runs on.

mod build;
pub mod plan;
mod raw;

pub use build::{DEFAULT_RUNS, MAX_RUNS, check_runs};
pub use plan::{LoadedPlan, load_plan};

use crate::error::{Error, Result};
use crate::model::Model;
use crate::source::{Source, relative_to};
use raw::{RawCorrelation, RawProcess, RawShock, RawTargetOverride, ScenarioFile};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A value together with the index of the file (in [`Layers::files`]) it came from.
#[derive(Debug)]
pub(crate) struct From<T> {
    pub file: usize,
    pub value: T,
}

/// Observed values of one indicator: year (as written) → value.
pub(crate) type YearValues = BTreeMap<String, Spanned<f64>>;

/// A scenario and its `extends` ancestors merged: each block remembers the file it came from.
#[derive(Debug, Default)]
pub(crate) struct Layers {
    /// The files, the scenario named on the command line first, then its ancestors.
    pub files: Vec<Source>,
    pub plan: Option<From<Spanned<String>>>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub runs: Option<From<Spanned<i64>>>,
    pub seed: Option<From<Spanned<i64>>>,
    pub process: BTreeMap<String, From<Spanned<RawProcess>>>,
    pub correlation: Option<From<Vec<Spanned<RawCorrelation>>>>,
    pub shock: Option<From<Vec<Spanned<RawShock>>>>,
    pub observed: BTreeMap<String, From<Spanned<YearValues>>>,
    /// Indicators whose `[observed]` entry is written empty (`x = {}`) in a file whose ancestor
    /// observes them: the empty entry drops the ancestor's observations. Any other empty entry
    /// says nothing and is refused.
    pub observed_cleared: std::collections::BTreeSet<String>,
    pub targets: BTreeMap<String, From<Spanned<RawTargetOverride>>>,
    pub about_tolerance_pp: Option<From<Spanned<f64>>>,
    pub about_tolerance_pct: Option<From<Spanned<f64>>>,
    pub steering: Option<From<Spanned<raw::RawSteering>>>,
    pub calibration: Option<From<Spanned<String>>>,
}

/// The deepest `extends` chain accepted.
const MAX_EXTENDS: usize = 32;

/// Reads a scenario and its ancestors. Blocks of a file override those of the files it extends.
///
/// A file named by `extends` that cannot be read, a cycle and a chain that is too deep are reported
/// at the `extends` line that causes them.
fn read_layers(path: &Path) -> Result<Layers> {
    read_layers_from(path, None)
}

/// [`read_layers`], with the first file's content given (`first`) instead of read from disk.
fn read_layers_from(path: &Path, mut first: Option<Source>) -> Result<Layers> {
    let mut layers = Layers::default();
    let mut chain: Vec<PathBuf> = Vec::new();
    // The next file, and the span of the `extends` value (in the last file read) that names it.
    let mut next: Option<(PathBuf, Option<Range<usize>>)> = Some((path.to_path_buf(), None));
    while let Some((p, named_at)) = next.take() {
        let referrer = named_at.and_then(|span| layers.files.last().map(|f| (f, span)));
        let at = |message: String, hint: &str| match &referrer {
            Some((f, span)) => f.error(span.clone(), message, hint),
            None => Error::file(&p, message, hint),
        };
        let canon = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
        if chain.contains(&canon) {
            let names: Vec<String> = layers
                .files
                .iter()
                .map(|s| s.path.display().to_string())
                .collect();
            return Err(at(
                format!(
                    "`extends` forms a cycle: {} → {}",
                    names.join(" → "),
                    p.display()
                ),
                "remove the `extends` that points back to a scenario already in the chain",
            ));
        }
        if chain.len() >= MAX_EXTENDS {
            return Err(at(
                format!("`extends` chain is deeper than {MAX_EXTENDS} files"),
                "a scenario may extend at most 32 levels",
            ));
        }
        chain.push(canon);
        let src = match &referrer {
            Some((f, span)) => Source::read_referenced(&p, f, span.clone())?,
            None => match first.take() {
                Some(src) => src,
                None => Source::read(&p)?,
            },
        };
        let raw: ScenarioFile = toml::from_str(&src.text).map_err(|e| {
            if plan::looks_like_plan(&src.text) {
                src.error_top(
                    format!("{} is a plan file, not a scenario", src.path.display()),
                    "a scenario names its plan with plan = \"…\" and may only `extends` another scenario; `attain run PLAN` and `attain backtest PLAN` take a plan file directly (its `attain init` draft)",
                )
            } else {
                src.toml_error(&e, "scenario")
            }
        })?;
        let file = layers.files.len();
        if let Some(e) = &raw.extends {
            non_empty_path(&src, e, "extends")?;
            next = Some((relative_to(&p, e.get_ref()), Some(e.span())));
        }
        merge(&mut layers, raw, file);
        layers.files.push(src);
    }
    Ok(layers)
}

/// A path written in a scenario (`plan`, `extends`, `calibration`) must name something: an empty
/// one is refused at its line, before it resolves to the scenario's own directory.
fn non_empty_path(src: &Source, path: &Spanned<String>, key: &str) -> Result<()> {
    if !path.get_ref().trim().is_empty() {
        return Ok(());
    }
    let (example, or) = match key {
        "plan" => ("plan = \"../seeds/<plan>.toml\"", ""),
        "extends" => ("extends = \"baseline.toml\"", ", or remove the line"),
        _ => (
            "calibration = \"calibration/calibration.toml\"",
            ", or remove the line",
        ),
    };
    Err(src.error(
        path.span(),
        format!("the `{key}` path is empty"),
        format!(
            "give the file's path relative to the directory of {}, e.g. {example}{or}",
            src.path.display()
        ),
    ))
}

/// Merges `raw` (an ancestor of what is already in `layers`) underneath: existing blocks win.
fn merge(l: &mut Layers, raw: ScenarioFile, file: usize) {
    fn keep<T>(slot: &mut Option<From<T>>, v: Option<T>, file: usize) {
        if slot.is_none()
            && let Some(value) = v
        {
            *slot = Some(From { file, value });
        }
    }
    keep(&mut l.plan, raw.plan, file);
    keep(&mut l.steering, raw.steering, file);
    keep(&mut l.calibration, raw.calibration, file);
    if let Some(h) = raw.scenario {
        if l.name.is_none() {
            l.name = h.name;
        }
        if l.description.is_none() {
            l.description = h.description;
        }
        keep(&mut l.runs, h.runs, file);
        keep(&mut l.seed, h.seed, file);
    }
    for (k, v) in raw.process {
        l.process.entry(k).or_insert(From { file, value: v });
    }
    if !raw.correlation.is_empty() {
        keep(&mut l.correlation, Some(raw.correlation), file);
    }
    if !raw.shock.is_empty() {
        keep(&mut l.shock, Some(raw.shock), file);
    }
    for (k, v) in raw.observed {
        if l.observed
            .get(&k)
            .is_some_and(|o| o.value.get_ref().is_empty())
        {
            l.observed_cleared.insert(k.clone());
        }
        l.observed.entry(k).or_insert(From { file, value: v });
    }
    for (k, v) in raw.targets {
        l.targets.entry(k).or_insert(From { file, value: v });
    }
    if let Some(e) = raw.evaluation {
        keep(&mut l.about_tolerance_pp, e.about_tolerance_pp, file);
        keep(&mut l.about_tolerance_pct, e.about_tolerance_pct, file);
    }
}

/// Reads, merges and validates a scenario (and its plan) into a model.
pub fn load_scenario(path: &Path) -> Result<Model> {
    load_scenario_as_of(path, None)
}

/// Like [`load_scenario`], but as of the end of year `as_of`: `[observed]` values for later years
/// are dropped before the model is built, so the model is exactly the one a scenario file without
/// those observations gives (an indicator left with no observations loses its `[observed]` entry).
/// Only [`ScenarioMeta::as_of`](crate::model::ScenarioMeta::as_of) records the difference.
///
/// `as_of` must not precede the plan's base year (the base values are facts of that year).
pub fn load_scenario_as_of(path: &Path, as_of: Option<i32>) -> Result<Model> {
    load_scenario_with(
        path,
        &LoadOptions {
            as_of,
            ..LoadOptions::default()
        },
    )
}

/// Options that change how a scenario is loaded.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Drop observations after this year (see [`load_scenario_as_of`]).
    pub as_of: Option<i32>,
    /// A calibration file whose steering replaces the scenario's `[steering]` and `calibration`.
    pub calibration: Option<PathBuf>,
    /// Runs instead of the scenario's `runs` (checked by [`check_runs`]).
    pub runs: Option<u64>,
    /// Seed instead of the scenario's `seed`.
    pub seed: Option<u64>,
}

/// Validates a scenario whose text is in memory (e.g. drafted by `attain init`) as if it were the
/// file `path`: `plan` and `extends` resolve relative to `path`, and `path` names it in errors and
/// provenance.
pub fn load_scenario_text(path: &Path, text: &str, opts: &LoadOptions) -> Result<Model> {
    let src = Source::from_bytes(path, text.as_bytes().to_vec())?;
    let layers = read_layers_from(path, Some(src))?;
    build::build(path, layers, opts)
}

/// Reads, merges and validates a scenario with [`LoadOptions`].
pub fn load_scenario_with(path: &Path, opts: &LoadOptions) -> Result<Model> {
    let layers = read_layers(path)?;
    build::build(path, layers, opts)
}

/// Drops observations of years after `as_of`. Year keys that do not parse are kept, so that
/// validation still reports them. Returns how many values were dropped.
pub(crate) fn drop_observations_after(layers: &mut Layers, as_of: i32) -> usize {
    let mut dropped = 0;
    layers.observed.retain(|_, o| {
        let values = o.value.get_mut();
        let before = values.len();
        values.retain(|year, _| year.parse::<i64>().map_or(true, |y| y <= as_of as i64));
        dropped += before - values.len();
        // An entry emptied here is one the as-of file would not have; an entry written empty stays.
        !(values.is_empty() && before > 0)
    });
    dropped
}

/// What kind of file `check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    Plan {
        id: String,
        indicators: usize,
        targets: usize,
    },
    Scenario {
        name: String,
        plan: String,
        simulated_targets: usize,
        warnings: Vec<String>,
    },
}

/// Validates one plan or scenario file, telling which it is by its content.
pub fn check_file(path: &Path) -> Result<Checked> {
    let src = Source::read(path)?;
    let table: toml::Table =
        toml::from_str(&src.text).map_err(|e| src.toml_error(&e, "plan or scenario"))?;
    if table.get("plan").is_some_and(|p| p.is_table()) {
        let lp = plan::parse_plan(src)?;
        Ok(Checked::Plan {
            id: lp.plan.id.clone(),
            indicators: lp.plan.indicators.len(),
            targets: lp.plan.targets.len(),
        })
    } else {
        let m = load_scenario(path)?;
        let simulated = crate::model::simulated_targets(&m).len();
        Ok(Checked::Scenario {
            name: m.scenario.name.clone(),
            plan: m.plan.id.clone(),
            simulated_targets: simulated,
            warnings: m.warnings.clone(),
        })
    }
}
