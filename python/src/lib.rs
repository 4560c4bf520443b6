//! `attain._attain`: the Python extension over the attain library.
//!
//! Everything here is wiring: arguments from Python, the library's stages (scenario → engine →
//! results → report → output, and the analyses), and the library's errors as Python exceptions.
//! Nothing is computed twice: results, JSON and files are the library's own. The Python package
//! (`python/attain/__init__.py`) adds the DataFrame and dict accessors on top of the JSON rendered
//! here.
//!
//! Simulations run on a worker thread with the GIL released; the calling thread wakes every 50 ms to
//! let Python handle signals, and on Ctrl-C asks the engine to stop between chunks
//! (`attain::engine::cancel`) and raises `KeyboardInterrupt`.

use attain::analysis::{
    backtest as bt, compare as cmp, goal as gl, nowcast as nc, sensitivity as sens, sobol as sb,
};
use attain::engine::sampling::Sampling;
use attain::engine::{self, RunOptions, cancel};
use attain::error::Error;
use attain::model::Model;
use attain::report::export::{BacktestReport, Export, RunReport, SensitivityReport, SobolReport};
use attain::scenario::{self, LoadOptions};
use attain::{init, output, report, results};
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

pyo3::create_exception!(
    attain,
    AttainError,
    PyException,
    "An error reported by attain; its message is the command line's (file:line:column, the line, a caret and a help line)."
);
pyo3::create_exception!(
    attain,
    InputError,
    AttainError,
    "A problem with the input (a scenario, plan or argument): the command line's exit code 2."
);

/// The library's error as a Python exception with the CLI's message; input errors carry `file`,
/// `line`, `column` and `help` attributes (None where unknown) and every error `exit_code`.
fn to_py(e: Error) -> PyErr {
    let message = e.to_string();
    Python::attach(|py| {
        let err = match &e {
            Error::Input(_) => InputError::new_err(message),
            Error::Runtime(_) => AttainError::new_err(message),
        };
        let value = err.value(py);
        let input = e.as_input();
        let loc = input.and_then(|i| i.location.as_ref());
        let set = |name: &str, v: Py<PyAny>| {
            let _ = value.setattr(name, v);
        };
        set("exit_code", opt(py, Some(e.exit_code())));
        set("file", opt(py, loc.map(|l| l.file.display().to_string())));
        set("line", opt(py, loc.and_then(|l| l.line)));
        set("column", opt(py, loc.and_then(|l| l.col)));
        set("help", opt(py, input.and_then(|i| i.hint.clone())));
        set("summary", opt(py, input.map(|i| i.message.clone())));
        err
    })
}

fn opt<'py, T: IntoPyObject<'py>>(py: Python<'py>, v: Option<T>) -> Py<PyAny> {
    match v {
        Some(v) => v.into_py_any(py).unwrap_or_else(|_| py.None()),
        None => py.None(),
    }
}

/// Runs `work` on a worker thread with the GIL released, handling Python signals meanwhile: on
/// Ctrl-C the engine is asked to stop between chunks, the worker is awaited, and the signal's
/// exception (`KeyboardInterrupt`) is raised.
fn interruptible<T: Send>(
    py: Python<'_>,
    work: impl FnOnce() -> attain::Result<T> + Send,
) -> PyResult<T> {
    let (tx, rx) = channel();
    std::thread::scope(|s| {
        s.spawn(move || {
            let _ = tx.send(work());
        });
        let mut rx = rx;
        loop {
            let (got, back) = py.detach(move || {
                let got = rx.recv_timeout(Duration::from_millis(50));
                (got, rx)
            });
            rx = back;
            match got {
                Ok(r) => return r.map_err(to_py),
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(AttainError::new_err(
                        "error: the simulation thread stopped without a result",
                    ));
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
            if let Err(signal) = py.check_signals() {
                cancel::request();
                let _ = py.detach(move || rx.recv());
                cancel::clear();
                return Err(signal);
            }
        }
    })
}

fn check_threads(threads: Option<usize>) -> attain::Result<()> {
    if threads == Some(0) {
        return Err(Error::usage(
            "threads=0 is not allowed",
            "give at least 1 thread, or None to use all cores",
        ));
    }
    Ok(())
}

fn parse_sampling(s: Option<&str>) -> attain::Result<Sampling> {
    let all = [Sampling::Mc, Sampling::Lhs, Sampling::Sobol];
    match s {
        None => Ok(Sampling::default()),
        Some(name) => all.into_iter().find(|x| x.name() == name).ok_or_else(|| {
            Error::usage(
                format!("sampling={name:?} is not a sampling design"),
                "give \"mc\" (plain Monte Carlo), \"lhs\" (Latin hypercube) or \"sobol\" (scrambled Sobol)",
            )
        }),
    }
}

/// Loads a scenario (or a plan file's drafted scenario) from disk, or from in-memory text
/// validated as if it were the file `path`.
fn load_model(path: &Path, text: Option<&str>, opts: &LoadOptions) -> attain::Result<Model> {
    match text {
        None => init::load_input(path, opts),
        Some(t) => scenario::load_scenario_text(path, t, opts),
    }
}

/// A scenario: loaded and validated from a file, possibly with assumptions changed in memory.
///
/// Create one with `Scenario.load(path)`; `with_process(...)` returns a changed copy.
#[pyclass(module = "attain._attain", frozen)]
struct Scenario {
    path: PathBuf,
    /// The scenario's text when it differs from the file (edited, or drafted from a plan file).
    text: Option<String>,
    opts: LoadOptions,
    model: Arc<Model>,
}

impl Scenario {
    fn open(path: PathBuf, text: Option<String>, opts: LoadOptions) -> attain::Result<Scenario> {
        let model = load_model(&path, text.as_deref(), &opts)?;
        Ok(Scenario {
            path,
            text,
            opts,
            model: Arc::new(model),
        })
    }

    /// This scenario's model with another calibration (None keeps its own).
    fn model_with(&self, calibration: Option<PathBuf>) -> attain::Result<Model> {
        match calibration {
            None => Ok((*self.model).clone()),
            Some(c) => {
                let opts = LoadOptions {
                    calibration: Some(c),
                    ..self.opts.clone()
                };
                load_model(&self.path, self.text.as_deref(), &opts)
            }
        }
    }

    /// The scenario's text and the path it is validated as: in-memory text (edited, or the draft
    /// of a plan file), or the file's.
    fn source(&self) -> attain::Result<(PathBuf, String, LoadOptions)> {
        let text = match &self.text {
            Some(t) => t.clone(),
            None => attain::source::Source::read(&self.path)?.text,
        };
        Ok((self.path.clone(), text, self.opts.clone()))
    }
}

/// Finds `[process.<id>]` in the files a scenario extends (nearest first), as a table to copy.
fn inherited_process(
    path: &Path,
    doc: &toml_edit::DocumentMut,
    id: &str,
) -> Option<toml_edit::Table> {
    let mut extends = doc
        .get("extends")
        .and_then(|e| e.as_str())
        .map(String::from);
    let mut from = path.to_path_buf();
    for _ in 0..32 {
        let next = attain::source::relative_to(&from, &extends?);
        let text = std::fs::read_to_string(&next).ok()?;
        let d: toml_edit::DocumentMut = text.parse().ok()?;
        if let Some(p) = d
            .get("process")
            .and_then(|p| p.get(id))
            .and_then(|p| p.as_table_like())
        {
            let mut t = toml_edit::Table::new();
            for (k, v) in p.iter() {
                let v = match v {
                    toml_edit::Item::Value(v) => {
                        let mut v = v.clone();
                        v.decor_mut().clear();
                        toml_edit::Item::Value(v)
                    }
                    other => other.clone(),
                };
                t.insert(k, v);
            }
            return Some(t);
        }
        extends = d.get("extends").and_then(|e| e.as_str()).map(String::from);
        from = next;
    }
    None
}

/// A Python value as a TOML value (bool, int, float, str, list, tuple, dict).
fn toml_value(v: &Bound<'_, PyAny>, key: &str) -> PyResult<toml_edit::Value> {
    if let Ok(b) = v.extract::<bool>() {
        return Ok(b.into());
    }
    if v.is_instance_of::<pyo3::types::PyInt>() {
        return Ok(v.extract::<i64>()?.into());
    }
    if let Ok(f) = v.extract::<f64>() {
        return Ok(f.into());
    }
    if let Ok(s) = v.extract::<String>() {
        return Ok(s.into());
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut t = toml_edit::InlineTable::new();
        for (k, x) in d.iter() {
            let k: String = k.extract()?;
            t.insert(&k, toml_value(&x, &format!("{key}.{k}"))?);
        }
        return Ok(t.into());
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let mut a = toml_edit::Array::new();
        for x in v.try_iter()? {
            a.push(toml_value(&x?, key)?);
        }
        return Ok(a.into());
    }
    Err(InputError::new_err(format!(
        "error: `{key}`: a {} cannot be written in a scenario\n  = help: give a number, a string, a bool, a list or a dict such as {{\"dist\": \"normal\", \"mean\": 0.06, \"sd\": 0.01}}",
        v.get_type().name()?
    )))
}

#[pymethods]
impl Scenario {
    /// Loads and validates a scenario file (or a plan file, as its `attain init` draft).
    #[staticmethod]
    #[pyo3(signature = (path, *, as_of=None, calibration=None))]
    fn load(
        py: Python<'_>,
        path: PathBuf,
        as_of: Option<i32>,
        calibration: Option<PathBuf>,
    ) -> PyResult<Scenario> {
        py.detach(|| match init::input_draft(&path, calibration.as_deref())? {
            // A plan file: its draft, as `init::load_input` validates it.
            Some((virt, text)) => Scenario::open(
                virt,
                Some(text),
                LoadOptions {
                    as_of,
                    ..LoadOptions::default()
                },
            ),
            None => Scenario::open(
                path,
                None,
                LoadOptions {
                    as_of,
                    calibration,
                    ..LoadOptions::default()
                },
            ),
        })
        .map_err(to_py)
    }

    /// A copy with keys of `[process.<indicator>]` replaced (None removes a key).
    #[pyo3(signature = (indicator, **fields))]
    fn with_process(
        &self,
        indicator: &str,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Scenario> {
        let (path, text, opts) = self.source().map_err(to_py)?;
        let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| {
            AttainError::new_err(format!("error: cannot edit {}: {e}", path.display()))
        })?;
        let has = doc.get("process").and_then(|p| p.get(indicator)).is_some();
        if !has {
            let inherited = inherited_process(&path, &doc, indicator).unwrap_or_default();
            let process = doc
                .entry("process")
                .or_insert_with(|| {
                    let mut t = toml_edit::Table::new();
                    t.set_implicit(true);
                    toml_edit::Item::Table(t)
                })
                .as_table_like_mut()
                .ok_or_else(|| InputError::new_err("error: `process` is not a table"))?;
            process.insert(indicator, toml_edit::Item::Table(inherited));
        }
        let block = doc["process"][indicator]
            .as_table_like_mut()
            .ok_or_else(|| {
                InputError::new_err(format!("error: `process.{indicator}` is not a table"))
            })?;
        for (k, v) in fields.into_iter().flat_map(|f| f.iter()) {
            let k: String = k.extract()?;
            if v.is_none() {
                block.remove(&k);
            } else {
                let value = toml_value(&v, &format!("process.{indicator}.{k}"))?;
                block.insert(&k, toml_edit::Item::Value(value));
            }
        }
        Scenario::open(path, Some(doc.to_string()), opts).map_err(to_py)
    }

    /// The scenario file (for a plan file's draft: the `<plan>-init.toml` path it is validated as).
    #[getter]
    fn path(&self) -> String {
        self.path.display().to_string()
    }

    /// The scenario's TOML text: the file's, the draft's, or the edited text errors refer to.
    #[getter]
    fn text(&self) -> PyResult<String> {
        Ok(self.source().map_err(to_py)?.1)
    }

    /// True when the scenario differs from its file (edited in memory, or drafted from a plan).
    #[getter]
    fn in_memory(&self) -> bool {
        self.text.is_some()
    }

    #[getter]
    fn name(&self) -> String {
        self.model.scenario.name.clone()
    }

    /// The file stem, which names the default output directory (`out/<stem>`).
    #[getter]
    fn stem(&self) -> String {
        self.model.scenario.stem.clone()
    }

    #[getter]
    fn plan(&self) -> String {
        self.model.plan.id.clone()
    }

    #[getter]
    fn runs(&self) -> u64 {
        self.model.scenario.runs
    }

    #[getter]
    fn seed(&self) -> u64 {
        self.model.scenario.seed
    }

    /// The indicators with a process (simulated), in the plan's order.
    #[getter]
    fn processes(&self) -> Vec<String> {
        (0..self.model.sims.len())
            .map(|s| self.model.indicator_of(s).id.clone())
            .collect()
    }

    /// Warnings of the scenario (targets not simulated, …), as `attain check` lists them.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.model.warnings.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "Scenario({:?}, plan={:?}, runs={}, seed={}{})",
            self.path.display().to_string(),
            self.model.plan.id,
            self.model.scenario.runs,
            self.model.scenario.seed,
            if self.text.is_some() {
                ", in memory"
            } else {
                ""
            }
        )
    }
}

/// A path or a Scenario.
#[derive(FromPyObject)]
enum ScenarioArg {
    // A frozen class: read without the GIL, so that loading runs on the worker thread.
    Scenario(Py<Scenario>),
    Path(PathBuf),
}

impl ScenarioArg {
    /// The model to run, with the calibration, as-of year, runs and seed asked for.
    fn model(
        &self,
        calibration: Option<PathBuf>,
        as_of: Option<i32>,
        runs: Option<u64>,
        seed: Option<u64>,
    ) -> attain::Result<Model> {
        // The loader sets runs and seed (as the CLI's --runs/--seed); checked here first so the
        // message names the Python argument.
        if let Some(r) = runs {
            scenario::check_runs("runs =", r)?;
        }
        match self {
            // Nothing to change: the loaded model (or the one with another calibration).
            ScenarioArg::Scenario(s)
                if runs.is_none()
                    && seed.is_none()
                    && (as_of.is_none() || as_of == s.get().opts.as_of) =>
            {
                s.get().model_with(calibration)
            }
            ScenarioArg::Scenario(s) => {
                let s = s.get();
                let opts = LoadOptions {
                    as_of: as_of.or(s.opts.as_of),
                    calibration: calibration.or_else(|| s.opts.calibration.clone()),
                    runs,
                    seed,
                };
                load_model(&s.path, s.text.as_deref(), &opts)
            }
            ScenarioArg::Path(p) => init::load_input(
                p,
                &LoadOptions {
                    as_of,
                    calibration,
                    runs,
                    seed,
                },
            ),
        }
    }
}

/// The results of a run.
#[pyclass(module = "attain._attain", frozen)]
struct Results {
    results: results::Results,
    model: Arc<Model>,
}

#[pymethods]
impl Results {
    /// `results.json`, byte for byte as `attain run` writes it.
    fn to_json(&self) -> String {
        report::json::to_json(&self.results)
    }

    /// `targets.csv`, as `attain run` writes it.
    fn targets_csv(&self) -> String {
        report::csv::targets(&self.results)
    }

    /// `fan.csv`, as `attain run` writes it.
    fn fan_csv(&self) -> String {
        report::csv::fan(&self.results)
    }

    /// The console table `attain run` prints.
    fn table(&self) -> String {
        report::render(&self.results, report::Format::Table)
    }

    /// The Markdown report (`--format md`).
    fn markdown(&self) -> String {
        report::render(&self.results, report::Format::Md)
    }

    /// Writes the files `attain run` writes into `out_dir` (default `out/<scenario-stem>`), with the
    /// same ownership rules; returns the directory and the file names.
    #[pyo3(signature = (out_dir=None))]
    fn write(&self, py: Python<'_>, out_dir: Option<PathBuf>) -> PyResult<(String, Vec<String>)> {
        let dir = out_dir.unwrap_or_else(|| Path::new("out").join(&self.model.scenario.stem));
        py.detach(|| {
            let files =
                report::export::Export::files(&report::export::RunReport::new(&self.results))?;
            output::write_results(
                &dir,
                &output::Owner::of(&self.model),
                &self.model.scenario.path.display().to_string(),
                &files,
            )?;
            Ok((
                dir.display().to_string(),
                files.into_iter().map(|f| f.0).collect(),
            ))
        })
        .map_err(to_py)
    }

    #[getter]
    fn runs(&self) -> u64 {
        self.results.runs
    }

    #[getter]
    fn seed(&self) -> u64 {
        self.results.seed
    }
}

/// An analysis's typed result, kept so that its files can be written as the command line does.
enum Value {
    Compare(cmp::Comparison),
    Sensitivity(sens::Sensitivity),
    Sobol(sb::SobolIndices),
    Goal(gl::Goal),
    Backtest(Box<(results::Results, bt::Backtest)>),
    Nowcast(nc::Nowcast),
}

/// The result of an analysis (compare, sensitivity, sobol, goal, backtest, nowcast), with where
/// and for whom the command line writes it.
#[pyclass(module = "attain._attain", frozen)]
struct Analysis {
    value: Value,
    /// The command line's default output directory.
    dir: PathBuf,
    owner: output::Owner,
    /// The input files as the manifest records them.
    inputs: String,
}

impl Analysis {
    /// An analysis of one model, owned as the command line's `analysis` directories are.
    fn of(value: Value, analysis: &str, model: &Model) -> Analysis {
        Analysis {
            owner: output::Owner::of_analysis(analysis, &[model]),
            ..Analysis::of_scenario(value, analysis, model)
        }
    }

    /// An analysis whose directory belongs to its scenario, as `backtest`'s and `nowcast`'s do on
    /// the command line.
    fn of_scenario(value: Value, analysis: &str, model: &Model) -> Analysis {
        Analysis {
            value,
            dir: output::analysis_dir(analysis, model),
            owner: output::Owner::of(model),
            inputs: model.scenario.path.display().to_string(),
        }
    }

    /// The files of the command line's result directory, through the same `Export` as the CLI;
    /// `top` is the inputs the sensitivity and Sobol tables show (their `--top`).
    fn files(&self, top: usize) -> attain::Result<Vec<report::export::File>> {
        match &self.value {
            Value::Compare(c) => c.files(),
            Value::Sensitivity(s) => SensitivityReport {
                sensitivity: s,
                top,
            }
            .files(),
            Value::Sobol(idx) => SobolReport { indices: idx, top }.files(),
            Value::Goal(g) => g.files(),
            Value::Backtest(b) => BacktestReport {
                run: RunReport::new(&b.0),
                backtest: &b.1,
            }
            .files(),
            Value::Nowcast(n) => n.files(),
        }
    }
}

#[pymethods]
impl Analysis {
    /// The analysis's JSON file (`compare.json`, `sensitivity.json`, …), byte for byte.
    fn to_json(&self) -> String {
        match &self.value {
            Value::Compare(c) => report::json::to_json(c),
            Value::Sensitivity(s) => report::json::to_json(s),
            Value::Sobol(idx) => report::json::to_json(idx),
            Value::Goal(g) => report::json::to_json(g),
            Value::Backtest(b) => report::json::to_json(&b.1),
            Value::Nowcast(n) => report::json::to_json(n),
        }
    }

    /// Writes the files the command line writes into `out_dir` (default: the command line's),
    /// atomically and with the same ownership rules; returns the directory and the file names.
    #[pyo3(signature = (out_dir=None, top=8))]
    fn write(
        &self,
        py: Python<'_>,
        out_dir: Option<PathBuf>,
        top: usize,
    ) -> PyResult<(String, Vec<String>)> {
        let dir = out_dir.unwrap_or_else(|| self.dir.clone());
        py.detach(|| {
            output::check_dir(&dir, &self.owner, &[])?;
            let files = self.files(top)?;
            output::write_results(&dir, &self.owner, &self.inputs, &files)?;
            Ok((
                dir.display().to_string(),
                files.into_iter().map(|f| f.0).collect(),
            ))
        })
        .map_err(to_py)
    }
}

/// Runs a model with its runs and seed and summarises the results (`engine::run` and
/// `results::build`, as `attain run`).
fn simulate(
    m: &Model,
    threads: Option<usize>,
    sampling: Sampling,
) -> attain::Result<results::Results> {
    let opts = RunOptions {
        runs: m.scenario.runs,
        seed: m.scenario.seed,
        threads,
        shard: None,
        sampling,
    };
    let acc = engine::run(m, &opts, &|_| {})?;
    Ok(results::build(m, &acc))
}

/// Simulates a scenario (the library's `engine::run` and `results::build`, as `attain run`).
#[pyfunction]
#[pyo3(signature = (scenario, *, runs=None, seed=None, threads=None, sampling=None, calibration=None, as_of=None))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    scenario: ScenarioArg,
    runs: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    sampling: Option<&str>,
    calibration: Option<PathBuf>,
    as_of: Option<i32>,
) -> PyResult<Results> {
    let (r, model) = interruptible(py, move || {
        check_threads(threads)?;
        let sampling = parse_sampling(sampling)?;
        let m = scenario.model(calibration, as_of, runs, seed)?;
        Ok((simulate(&m, threads, sampling)?, Arc::new(m)))
    })?;
    Ok(Results { results: r, model })
}

/// Compares scenarios of one plan (common random numbers).
#[pyfunction]
#[pyo3(signature = (scenarios, *, runs=None, seed=None, threads=None, calibration=None))]
fn compare(
    py: Python<'_>,
    scenarios: Vec<ScenarioArg>,
    runs: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    calibration: Option<PathBuf>,
) -> PyResult<Analysis> {
    interruptible(py, move || {
        check_threads(threads)?;
        if scenarios.len() < 2 {
            return Err(Error::usage(
                format!(
                    "compare needs at least 2 scenarios, got {}",
                    scenarios.len()
                ),
                "give a list of two or more scenarios of one plan; the first is the reference",
            ));
        }
        let models = scenarios
            .iter()
            .map(|s| s.model(calibration.clone(), None, runs, seed))
            .collect::<attain::Result<Vec<_>>>()?;
        cmp::check_same_plan(&models)?;
        let (runs, seed) = (models[0].scenario.runs, models[0].scenario.seed);
        let c = cmp::compare(&models, runs, seed, threads, &|_| {})?;
        let all: Vec<&Model> = models.iter().collect();
        let inputs: Vec<String> = models
            .iter()
            .map(|m| m.scenario.path.display().to_string())
            .collect();
        Ok(Analysis {
            value: Value::Compare(c),
            dir: output::compare_dir(&all),
            owner: output::Owner::of_analysis("compare", &all),
            inputs: inputs.join(" "),
        })
    })
}

/// A model for an analysis that runs it many times: `runs` or the default (at most the
/// scenario's own).
fn analysis_model(
    s: &ScenarioArg,
    runs: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    calibration: Option<PathBuf>,
) -> attain::Result<Model> {
    check_threads(threads)?;
    let mut m = s.model(calibration, None, runs, seed)?;
    if runs.is_none() {
        m.scenario.runs = attain::analysis::ANALYSIS_RUNS.min(m.scenario.runs);
    }
    Ok(m)
}

/// One-at-a-time sensitivity and rank correlations.
#[pyfunction]
#[pyo3(signature = (scenario, *, swing=0.25, targets=None, runs=None, seed=None, threads=None, calibration=None))]
#[allow(clippy::too_many_arguments)]
fn sensitivity(
    py: Python<'_>,
    scenario: ScenarioArg,
    swing: f64,
    targets: Option<Vec<String>>,
    runs: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    calibration: Option<PathBuf>,
) -> PyResult<Analysis> {
    interruptible(py, move || {
        let model = analysis_model(&scenario, runs, seed, threads, calibration)?;
        let opts = sens::Options {
            swing,
            runs: model.scenario.runs,
            seed: model.scenario.seed,
            threads,
            targets: targets.unwrap_or_default(),
        };
        let s = sens::oat(&model, &opts, &|_| {})?;
        Ok(Analysis::of(Value::Sensitivity(s), "sensitivity", &model))
    })
}

/// First-order and total Sobol indices of each target's met indicator (Saltelli design, Jansen
/// estimators, chunk bootstrap), as `attain sensitivity --method sobol`.
#[pyfunction]
#[pyo3(signature = (scenario, *, targets=None, runs=None, seed=None, threads=None, calibration=None))]
fn sobol(
    py: Python<'_>,
    scenario: ScenarioArg,
    targets: Option<Vec<String>>,
    runs: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    calibration: Option<PathBuf>,
) -> PyResult<Analysis> {
    interruptible(py, move || {
        let model = analysis_model(&scenario, runs, seed, threads, calibration)?;
        let targets = targets.unwrap_or_default();
        let idx = sb::for_targets(&model, &targets, "targets=", threads)?;
        Ok(Analysis::of(Value::Sobol(idx), "sobol", &model))
    })
}

/// What it takes for targets to be met.
#[pyfunction]
#[pyo3(signature = (scenario, targets, *, input=None, p=vec![0.5, 0.9], confidence=vec![0.5, 0.8, 0.9], runs=None, seed=None, threads=None, calibration=None))]
#[allow(clippy::too_many_arguments)]
fn goal(
    py: Python<'_>,
    scenario: ScenarioArg,
    targets: Vec<String>,
    input: Option<String>,
    p: Vec<f64>,
    confidence: Vec<f64>,
    runs: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    calibration: Option<PathBuf>,
) -> PyResult<Analysis> {
    interruptible(py, move || {
        let model = analysis_model(&scenario, runs, seed, threads, calibration)?;
        let opts = gl::Options {
            runs: model.scenario.runs,
            seed: model.scenario.seed,
            threads,
            levels: p,
            confidences: confidence,
            input,
        };
        let g = gl::goal(&model, &targets, &opts)?;
        Ok(Analysis::of(Value::Goal(g), "goal", &model))
    })
}

/// Scores a run against the plan's realised values; returns the run's Results and the backtest.
#[pyfunction]
#[pyo3(signature = (scenario, *, bins=bt::DEFAULT_BINS, runs=None, seed=None, threads=None, as_of=None, calibration=None))]
#[allow(clippy::too_many_arguments)]
fn backtest(
    py: Python<'_>,
    scenario: ScenarioArg,
    bins: usize,
    runs: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    as_of: Option<i32>,
    calibration: Option<PathBuf>,
) -> PyResult<(Results, Analysis)> {
    let (r, analysis, model) = interruptible(py, move || {
        check_threads(threads)?;
        if bins == 0 || bins > bt::MAX_BINS {
            return Err(Error::usage(
                format!("bins={bins} is out of range"),
                format!("give between 1 and {} bins", bt::MAX_BINS),
            ));
        }
        let m = scenario.model(calibration, as_of, runs, seed)?;
        let r = simulate(&m, threads, Sampling::default())?;
        let b = bt::score(&m, &r, bins)?;
        let value = Value::Backtest(Box::new((r.clone(), b)));
        let analysis = Analysis::of_scenario(value, "backtest", &m);
        Ok((r, analysis, Arc::new(m)))
    })?;
    Ok((Results { results: r, model }, analysis))
}

/// P(met) of every simulated target as of each year from `from_year` to `to_year`, as `attain
/// nowcast`: one run per as-of year with the same runs and seed.
#[pyfunction]
#[pyo3(signature = (scenario, *, from_year=None, to_year=None, runs=None, seed=None, threads=None, calibration=None))]
#[allow(clippy::too_many_arguments)]
fn nowcast(
    py: Python<'_>,
    scenario: ScenarioArg,
    from_year: Option<i32>,
    to_year: Option<i32>,
    runs: Option<u64>,
    seed: Option<u64>,
    threads: Option<usize>,
    calibration: Option<PathBuf>,
) -> PyResult<Analysis> {
    interruptible(py, move || {
        check_threads(threads)?;
        // The scenario with all its observations decides the default range and owns the
        // directory, as on the command line.
        let full = scenario.model(calibration.clone(), None, runs, seed)?;
        let years = nc::years(&full, from_year, to_year, ("from_year", "to_year"))?;
        // Every as-of model loads before any is simulated, so that bad input fails fast.
        let models = years
            .map(|year| scenario.model(calibration.clone(), Some(year), runs, seed))
            .collect::<attain::Result<Vec<_>>>()?;
        let mut done = Vec::with_capacity(models.len());
        for m in models {
            let r = simulate(&m, threads, Sampling::default())?;
            done.push((m, r));
        }
        let n = nc::assemble(&done)
            .ok_or_else(|| Error::usage("no as-of year to run", "give from_year ≤ to_year"))?;
        Ok(Analysis::of_scenario(Value::Nowcast(n), "nowcast", &full))
    })
}

/// The package's version (python/Cargo.toml; kept equal to the library's, which results.json records).
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _attain(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("AttainError", m.py().get_type::<AttainError>())?;
    m.add("InputError", m.py().get_type::<InputError>())?;
    m.add_class::<Scenario>()?;
    m.add_class::<Results>()?;
    m.add_class::<Analysis>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(sensitivity, m)?)?;
    m.add_function(wrap_pyfunction!(sobol, m)?)?;
    m.add_function(wrap_pyfunction!(goal, m)?)?;
    m.add_function(wrap_pyfunction!(backtest, m)?)?;
    m.add_function(wrap_pyfunction!(nowcast, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}
