//! Turning merged scenario layers and their plan into a validated [`Model`].

use super::plan::{LoadedPlan, YEARS, parse_plan, target_value};
use super::raw::{RawDist, RawProcess};
use super::{From, Layers};
use crate::error::{Error, Result, num};
use crate::model::dist::{Z90, Z95};
use crate::model::{
    Copula, Dist, Evaluation, Family, InputFile, Model, Process, Program, ScenarioMeta, Shock,
    SimIndicator, Steer, SteerDefaults, SteerSetting, TargetValue,
};
use crate::source::{Source, relative_to};
use crate::stats::cholesky_psd;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// Default number of runs when neither the scenario nor the command line sets one.
pub const DEFAULT_RUNS: u64 = 100_000;
/// Most runs accepted (about 2.4 million chunks).
pub const MAX_RUNS: u64 = 10_000_000_000;

/// The one check of a run count given by a caller (`--runs`, `--max-runs`, `runs=` in Python):
/// between 1 and [`MAX_RUNS`]. `what` names the option in the message.
pub fn check_runs(what: &str, r: u64) -> Result<()> {
    if r == 0 || r > MAX_RUNS {
        return Err(Error::usage(
            format!("{what} {r} is out of range"),
            format!("give between 1 and {MAX_RUNS} runs"),
        ));
    }
    Ok(())
}
/// Longest horizon in years.
const MAX_HORIZON: i32 = 200;

struct Ctx<'a> {
    files: &'a [Source],
}

impl Ctx<'_> {
    fn err(
        &self,
        file: usize,
        span: Range<usize>,
        msg: impl Into<String>,
        hint: impl Into<String>,
    ) -> Error {
        self.files[file].error(span, msg, hint)
    }
}

fn hash(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn build(path: &Path, mut layers: Layers, opts: &super::LoadOptions) -> Result<Model> {
    let as_of = opts.as_of;
    let Some(plan_ref) = &layers.plan else {
        return Err(layers.files[0].error_top(
            "the scenario names no plan",
            "add plan = \"../seeds/<plan>.toml\" at the top (paths are relative to the scenario file)",
        ));
    };
    super::non_empty_path(&layers.files[plan_ref.file], &plan_ref.value, "plan")?;
    let plan_path = relative_to(&layers.files[plan_ref.file].path, plan_ref.value.get_ref());
    let plan_src = Source::read_referenced(
        &plan_path,
        &layers.files[plan_ref.file],
        plan_ref.value.span(),
    )?;
    if super::plan::looks_like_scenario(&plan_src.text) {
        return Err(layers.files[plan_ref.file].error(
            plan_ref.value.span(),
            format!(
                "`plan` names {}, which is a scenario file, not a plan",
                plan_ref.value.get_ref()
            ),
            "name the plan file (the one with the [plan] table, e.g. ../seeds/<plan>.toml); to \
             build on another scenario, write extends = \"…\" instead",
        ));
    }
    let plan_named = plan_ref.value.get_ref().clone();
    let lp = parse_plan(plan_src)?;
    let LoadedPlan {
        plan,
        source: plan_src,
        target_spans,
        ..
    } = lp;
    if let Some(y) = as_of {
        if y < plan.base_year {
            return Err(Error::usage(
                format!(
                    "--as-of {y} is before the base year {} of plan `{}`",
                    plan.base_year, plan.id
                ),
                format!(
                    "give a year from {} to the target year {}: the plan's base values are facts \
                     of its base year",
                    plan.base_year, plan.target_year
                ),
            ));
        }
        super::drop_observations_after(&mut layers, y);
    }
    let cx = Ctx {
        files: &layers.files,
    };
    let mut warnings = Vec::new();

    let evaluation = evaluation(&cx, &layers)?;
    let (runs, seed) = runs_and_seed(&cx, &layers, opts)?;

    let targets = scenario_targets(&cx, &layers, &plan, &plan_src, &target_spans)?;

    // [process.*]
    let mut procs: Vec<ProcEntry> = Vec::new();
    for (id, p) in &layers.process {
        let Some(ind) = plan.indicator_index(id) else {
            let known: Vec<&str> = plan.indicators.iter().map(|i| i.id.as_str()).collect();
            return Err(cx.err(
                p.file,
                p.value.span(),
                format!("[process.{id}]: the plan has no indicator `{id}`"),
                if known.is_empty() {
                    format!(
                        "plan `{}` declares no [[indicator]]: add the plan's indicators to {} \
                         first",
                        plan.id, plan_named
                    )
                } else {
                    format!(
                        "use an indicator id of plan `{}`: {}",
                        plan.id,
                        known.join(", ")
                    )
                },
            ));
        };
        let process = build_process(&cx, p.file, p.value.get_ref(), p.value.span())?;
        let base =
            match (&p.value.get_ref().base, plan.indicators[ind].base) {
                (Some(b), _) => finite(&cx, p.file, b, "base")?,
                (None, Some(b)) => b,
                (None, None) => match layers
                    .observed
                    .get(id)
                    .and_then(|o| o.value.get_ref().get(&plan.base_year.to_string()))
                {
                    Some(v) => *v.get_ref(),
                    None if matches!(process, Process::Derived { .. }) => f64::NAN,
                    None => return Err(cx.err(
                        p.file,
                        p.value.span(),
                        format!(
                            "indicator `{id}` has no base value for {} in the plan",
                            plan.base_year
                        ),
                        format!(
                            "add `base = <value in {}>` to [process.{id}] (or remove the process)",
                            plan.base_year
                        ),
                    )),
                },
            };
        let unit = p
            .value
            .get_ref()
            .unit
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_string);
        procs.push((
            ind,
            process,
            base,
            unit,
            From {
                file: p.file,
                value: p.value.span(),
            },
        ));
    }

    // Dependency order: derived indicators after their inputs.
    let order = topo_order(&cx, &plan, &procs)?;
    let mut sim_of = vec![None; plan.indicators.len()];
    for (pos, &k) in order.iter().enumerate() {
        sim_of[procs[k].0] = Some(pos);
    }
    // Draws in plan-indicator order, so that scenarios of one plan share random streams.
    let mut draw_of = vec![None; plan.indicators.len()];
    let mut draws = 0;
    for (ind, slot) in draw_of.iter_mut().enumerate() {
        if let Some(s) = sim_of[ind]
            && !matches!(procs[order[s]].1, Process::Derived { .. })
        {
            *slot = Some(draws);
            draws += 1;
        }
    }
    let mut sims: Vec<SimIndicator> = Vec::with_capacity(order.len());
    let mut spans: Vec<&From<Range<usize>>> = Vec::new();
    for &k in &order {
        let (ind, process, base, unit, span) = &procs[k];
        let mut process = process.clone();
        let mut base = *base;
        if let Process::Derived { program, formula } = &mut process {
            // Rebind formula variables to simulated-indicator indices.
            let mut code = program.code.clone();
            for ins in &mut code {
                if let crate::model::formula::Instr::Var(v) = ins {
                    let pi = plan
                        .indicator_index(&program.vars[*v])
                        .unwrap_or(usize::MAX);
                    *v = sim_of.get(pi).copied().flatten().unwrap_or(usize::MAX);
                }
            }
            let bound = Program {
                code,
                vars: program.vars.clone(),
                depth: program.depth,
            };
            base = bound.eval(|s| sims[s].base);
            if let Some(pb) = plan.indicators[*ind].base
                && pb != 0.0
                && ((base - pb) / pb).abs() > 0.01
            {
                warnings.push(format!(
                        "derived indicator `{}`: the formula `{formula}` gives {base:.6} in the base year, the plan says {pb} (off by more than 1 %)",
                        plan.indicators[*ind].id
                    ));
            }
            *program = bound;
        }
        if !base.is_finite() {
            return Err(cx.err(
                span.file,
                span.value.clone(),
                format!(
                    "indicator `{}` has no finite base value ({base})",
                    plan.indicators[*ind].id
                ),
                "give its inputs base values",
            ));
        }
        sims.push(SimIndicator {
            plan_index: *ind,
            process,
            base,
            known: Vec::new(),
            observed: Vec::new(),
            draw: draw_of[*ind],
            steer: None,
            unit: unit.clone(),
        });
        spans.push(span);
    }

    // Horizon: the plan's target year or the latest target year.
    // Only targets that can be simulated extend the horizon (a qualitative 2035 goal does not).
    let end_year = targets
        .iter()
        .filter(|t| {
            t.metric != crate::model::Metric::Qualitative
                && sim_of[t.indicator].is_some()
                && t.relative_to.is_none_or(|r| sim_of[r].is_some())
        })
        .map(|t| t.year)
        .chain([plan.target_year])
        .max()
        .unwrap_or(plan.target_year);
    if let Some(y) = as_of
        && y > end_year
    {
        let which = if end_year == plan.target_year {
            format!("the target year {end_year} of plan `{}`", plan.id)
        } else {
            format!("{end_year}, the last target year the scenario simulates")
        };
        return Err(Error::usage(
            format!("--as-of {y} is after {which}"),
            format!(
                "give a year from {} to {end_year}: observations after {end_year} cannot count",
                plan.base_year
            ),
        ));
    }
    if end_year - plan.base_year > MAX_HORIZON {
        let at = targets
            .iter()
            .zip(&target_spans)
            .find(|(t, _)| t.year == end_year)
            .map_or(0..0, |(_, s)| s.clone());
        return Err(plan_src.error(
            at,
            format!(
                "the horizon {}–{end_year} is longer than {MAX_HORIZON} years",
                plan.base_year
            ),
            "check the target years",
        ));
    }

    apply_observed(
        &cx,
        &layers,
        &plan,
        &sim_of,
        &mut sims,
        end_year,
        &mut warnings,
    )?;

    // Steering
    let steering = steering_defaults(&cx, &layers, opts)?;
    // `--calibration none` asks for no calibration: a scenario keeps its own steering.
    let given = crate::method::calibration_file(opts.calibration.as_deref());
    let calibration = given.map(Path::to_path_buf).or_else(|| {
        layers
            .calibration
            .as_ref()
            .map(|c| calibration_path(&cx.files[c.file].path, c.value.get_ref()))
    });
    build_steering(
        &cx,
        &layers,
        &plan,
        &targets,
        &mut sims,
        steering.as_ref().map(|s| &s.0),
        end_year,
    )?;

    // [[correlation]]
    let copula = match &layers.correlation {
        None => None,
        Some(c) => build_copula(&cx, c, &plan, &draw_of)?,
    };

    let shocks = build_shocks(&cx, &layers, &plan, &sim_of, &sims, end_year)?;

    // Targets that refer to unsimulated indicators are reported, not simulated.
    for t in &targets {
        let ind = &plan.indicators[t.indicator];
        if t.metric != crate::model::Metric::Qualitative && sim_of[t.indicator].is_none() {
            warnings.push(format!(
                "target `{}` is not simulated: indicator `{}` has no [process.{}]",
                t.id, ind.id, ind.id
            ));
        }
    }

    let mut inputs = Vec::new();
    for f in layers.files.iter().rev() {
        inputs.push(InputFile {
            path: f.path.display().to_string(),
            sha256: hash(&f.bytes),
        });
    }
    inputs.push(InputFile {
        path: plan_src.path.display().to_string(),
        sha256: hash(&plan_src.bytes),
    });
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "scenario".into());
    let scenario = ScenarioMeta {
        path: path.to_path_buf(),
        name: layers.name.clone().unwrap_or_else(|| stem.clone()),
        stem,
        description: layers.description.clone(),
        runs,
        seed,
        inputs,
        as_of,
    };
    Ok(Model {
        plan,
        scenario,
        targets,
        sims,
        sim_of,
        draw_count: draws,
        copula,
        shocks,
        evaluation,
        end_year,
        steering,
        calibration,
        warnings,
        sim_targets: Vec::new(),
    }
    .with_simulated_targets())
}

/// `about_tolerance_pp` and `about_tolerance_pct`, or the defaults.
fn evaluation(cx: &Ctx, layers: &Layers) -> Result<Evaluation> {
    let mut evaluation = Evaluation::default();
    if let Some(f) = &layers.about_tolerance_pp {
        evaluation.rate_tolerance = non_negative(cx, f, "about_tolerance_pp")? / 100.0;
    }
    if let Some(f) = &layers.about_tolerance_pct {
        evaluation.relative_tolerance = non_negative(cx, f, "about_tolerance_pct")? / 100.0;
    }
    Ok(evaluation)
}

/// `runs` and `seed` of `[scenario]`; the caller's replace the file's (both are validated).
fn runs_and_seed(cx: &Ctx, layers: &Layers, opts: &super::LoadOptions) -> Result<(u64, u64)> {
    let runs = match &layers.runs {
        None => DEFAULT_RUNS,
        Some(r) => {
            let v = *r.value.get_ref();
            if v < 1 || v as u64 > MAX_RUNS {
                return Err(cx.err(
                    r.file,
                    r.value.span(),
                    format!("runs = {v} is out of range"),
                    format!("give between 1 and {MAX_RUNS} runs"),
                ));
            }
            v as u64
        }
    };
    let runs = match opts.runs {
        Some(r) => {
            check_runs("--runs", r)?;
            r
        }
        None => runs,
    };
    let seed = match &layers.seed {
        None => 0,
        Some(s) => {
            let v = *s.value.get_ref();
            if v < 0 {
                return Err(cx.err(
                    s.file,
                    s.value.span(),
                    "seed must be ≥ 0",
                    "give a non-negative integer seed",
                ));
            }
            v as u64
        }
    };
    let seed = opts.seed.unwrap_or(seed);
    Ok((runs, seed))
}

/// The plan's targets with the scenario's `[targets.*]` applied: assigned values filled in,
/// values, tolerances and notes overridden; a target left "assigned" is an error at its plan line.
fn scenario_targets(
    cx: &Ctx,
    layers: &Layers,
    plan: &crate::model::Plan,
    plan_src: &Source,
    target_spans: &[Range<usize>],
) -> Result<Vec<crate::model::Target>> {
    let mut targets = plan.targets.clone();
    for (id, ov) in &layers.targets {
        let Some(t) = targets.iter_mut().find(|t| &t.id == id) else {
            let known: Vec<&str> = plan.targets.iter().map(|t| t.id.as_str()).collect();
            return Err(cx.err(
                ov.file,
                ov.value.span(),
                format!("[targets.{id}]: the plan has no target `{id}`"),
                if known.is_empty() {
                    format!(
                        "plan `{}` has no [[target]]; remove [targets.{id}]",
                        plan.id
                    )
                } else {
                    format!("known targets: {}", known.join(", "))
                },
            ));
        };
        let o = ov.value.get_ref();
        if t.metric == crate::model::Metric::Qualitative {
            let given = o
                .value
                .as_ref()
                .map(|v| ("value", v.span()))
                .or_else(|| o.tolerance.as_ref().map(|v| ("tolerance", v.span())));
            if let Some((key, span)) = given {
                return Err(cx.err(
                    ov.file,
                    span,
                    format!("[targets.{id}]: target `{id}` is qualitative and takes no `{key}`"),
                    "qualitative targets are listed, not simulated: remove the key (a `note` may \
                     stay), or give the plan's target a numeric metric, op and value",
                ));
            }
        }
        if let (Some(tol), Some(op)) = (&o.tolerance, t.op)
            && op != crate::model::Op::About
        {
            return Err(cx.err(
                ov.file,
                tol.span(),
                format!(
                    "[targets.{id}]: target `{id}` has op = \"{}\", which takes no `tolerance`",
                    op.name()
                ),
                "`tolerance` is the margin of an op = \"about\" target; remove it",
            ));
        }
        if o.placeholder.is_some() && o.value.is_none() {
            return Err(cx.err(
                ov.file,
                ov.value.span(),
                format!("[targets.{id}]: `placeholder` without a `value`"),
                "`placeholder = true` marks the scenario's `value` as a stand-in: give the value \
                 too, or remove placeholder",
            ));
        }
        if let Some(v) = &o.value {
            let tv = target_value(&cx.files[ov.file], v)?;
            match (&tv, t.op) {
                (TargetValue::Assigned, _) => {
                    return Err(cx.err(
                        ov.file,
                        v.span(),
                        "a scenario must give a number here, not \"assigned\"",
                        "write the assumed value, e.g. value = 0.14",
                    ));
                }
                (TargetValue::Range(..), Some(op)) if op != crate::model::Op::Between => {
                    return Err(cx.err(
                        ov.file,
                        v.span(),
                        format!(
                            "target `{id}` has op `{}`, which needs a single number",
                            op.name()
                        ),
                        "give one number",
                    ));
                }
                (TargetValue::Number(_), Some(crate::model::Op::Between)) => {
                    return Err(cx.err(
                        ov.file,
                        v.span(),
                        format!("target `{id}` has op `between`, which needs [lo, hi]"),
                        "give two numbers",
                    ));
                }
                _ => {}
            }
            super::plan::check_rate_scale(&cx.files[ov.file], v.span(), t.metric, "value", &tv)?;
            t.value_from_scenario = t.value == TargetValue::Assigned;
            t.placeholder = o.placeholder.unwrap_or(false);
            t.value = tv;
        }
        if let Some(tol) = &o.tolerance {
            let v = *tol.get_ref();
            if !v.is_finite() || v < 0.0 {
                return Err(cx.err(
                    ov.file,
                    tol.span(),
                    "`tolerance` must be a finite number ≥ 0",
                    "give the tolerance in the metric's units",
                ));
            }
            t.tolerance = Some(v);
        }
        if let Some(n) = &o.note {
            t.note = Some(n.clone());
        }
    }
    for (t, span) in targets.iter().zip(target_spans) {
        if t.value == TargetValue::Assigned {
            return Err(plan_src.error(
                span.clone(),
                format!("target `{}` is assigned by the province (value = \"assigned\") and the scenario supplies no value", t.id),
                format!("add to the scenario:\n\n    [targets.{}]\n    value = <number>\n    note = \"assumed …\"", t.id),
            ));
        }
    }
    Ok(targets)
}

/// `[observed]`: each simulated indicator's observed values after the base year, and the known path
/// they pin (interpolated between observations: geometrically for growth processes).
fn apply_observed(
    cx: &Ctx,
    layers: &Layers,
    plan: &crate::model::Plan,
    sim_of: &[Option<usize>],
    sims: &mut [SimIndicator],
    end_year: i32,
    warnings: &mut Vec<String>,
) -> Result<()> {
    for (id, o) in &layers.observed {
        let Some(ind) = plan.indicator_index(id) else {
            return Err(cx.err(
                o.file,
                o.value.span(),
                format!("[observed]: the plan has no indicator `{id}`"),
                "use an indicator id of the plan",
            ));
        };
        if o.value.get_ref().is_empty() && !layers.observed_cleared.contains(id) {
            return Err(cx.err(
                o.file,
                o.value.span(),
                format!("[observed]: `{id}` has no observed values"),
                format!(
                    "write them as {id} = {{ 2021 = 3082.8, 2022 = 3274.0 }}, or remove the line \
                     (an empty table only serves to drop the observations of a scenario this one \
                     extends)"
                ),
            ));
        }
        let Some(s) = sim_of[ind] else {
            warnings.push(format!(
                "observed values of `{id}` are ignored: the scenario gives it no process"
            ));
            continue;
        };
        if matches!(sims[s].process, Process::Derived { .. }) {
            return Err(cx.err(
                o.file,
                o.value.span(),
                format!("`{id}` is derived; it cannot be observed directly"),
                "give observed values for the indicators its formula uses",
            ));
        }
        let mut points: Vec<(i32, f64)> = Vec::new();
        let mut seen: BTreeMap<i64, &str> = BTreeMap::new();
        for (year, v) in o.value.get_ref() {
            let y: i64 = year.parse().map_err(|_| {
                cx.err(
                    o.file,
                    v.span(),
                    format!("`{year}` is not a year"),
                    "write observed values as { 2021 = 3082.8, 2022 = 3274.0 }",
                )
            })?;
            if !YEARS.contains(&y) || y < plan.base_year as i64 || y > end_year as i64 {
                return Err(cx.err(
                    o.file,
                    v.span(),
                    format!(
                        "observed year {y} is outside the plan window {}–{end_year}",
                        plan.base_year
                    ),
                    "observe years between the base year and the target year",
                ));
            }
            if let Some(first) = seen.insert(y, year) {
                return Err(cx.err(
                    o.file,
                    v.span(),
                    format!("year {y} of `{id}` is observed twice (as `{first}` and `{year}`)"),
                    "give each year once",
                ));
            }
            let x = finite(cx, o.file, v, "observed value")?;
            if y == plan.base_year as i64 {
                continue; // a base-year observation supplies the base (used above)
            }
            points.push((y as i32, x));
        }
        points.sort_by_key(|p| p.0);
        let si = &mut sims[s];
        let geometric = matches!(si.process, Process::Growth { .. });
        let mut known = Vec::new();
        let (mut py, mut pv) = (plan.base_year, si.base);
        for &(y, v) in &points {
            let n = (y - py) as f64;
            for k in 1..(y - py) {
                let f = k as f64 / n;
                known.push(if geometric && pv > 0.0 && v > 0.0 {
                    pv * (v / pv).powf(f)
                } else {
                    pv + (v - pv) * f
                });
            }
            known.push(v);
            (py, pv) = (y, v);
        }
        si.known = known;
        si.observed = points;
    }
    Ok(())
}

/// `[[shock]]`: yearly probabilities, year windows and effects on simulated, non-derived indicators.
fn build_shocks(
    cx: &Ctx,
    layers: &Layers,
    plan: &crate::model::Plan,
    sim_of: &[Option<usize>],
    sims: &[SimIndicator],
    end_year: i32,
) -> Result<Vec<Shock>> {
    let mut shocks: Vec<Shock> = Vec::new();
    if let Some(list) = &layers.shock {
        for sh in &list.value {
            let s = sh.get_ref();
            let f = list.file;
            // Reports, sensitivity inputs (`shock[<name>].probability`) and Sobol indices name a
            // shock by its name: two shocks of one name would be told apart by nothing.
            if shocks.iter().any(|o| &o.name == s.name.get_ref()) {
                return Err(cx.err(
                    f,
                    s.name.span(),
                    format!("two shocks are named `{}`", s.name.get_ref()),
                    "give each [[shock]] its own name (e.g. `drought-early`, `drought-late`): \
                     reports and sensitivity analyses tell shocks apart by name",
                ));
            }
            let p = *s.probability.get_ref();
            if !(0.0..=1.0).contains(&p) {
                return Err(cx.err(
                    f,
                    s.probability.span(),
                    format!("shock probability {} is not in [0, 1]", num(p)),
                    "give the yearly probability as a fraction, e.g. 0.15",
                ));
            }
            let (first, last) = match &s.years {
                None => (plan.base_year + 1, end_year),
                Some(y) => {
                    let v = y.get_ref();
                    if v.len() != 2
                        || v[0] > v[1]
                        || v[0] <= plan.base_year as i64
                        || v[1] > end_year as i64
                    {
                        return Err(cx.err(
                            f,
                            y.span(),
                            "shock `years` must be [first, last] within the simulated years",
                            format!("e.g. years = [{}, {end_year}]", plan.base_year + 1),
                        ));
                    }
                    (v[0] as i32, v[1] as i32)
                }
            };
            if s.effect.get_ref().is_empty() {
                return Err(cx.err(
                    f,
                    s.effect.span(),
                    format!("shock `{}` has an empty `effect`", s.name.get_ref()),
                    "an effect needs at least one key: the id of a simulated, non-derived indicator \
                     and the change the shock adds to that year's draw, e.g. effect = { gdp = -0.04 }",
                ));
            }
            let mut effects = Vec::new();
            for (id, e) in s.effect.get_ref() {
                let sim = plan
                    .indicator_index(id)
                    .and_then(|i| sim_of[i])
                    .ok_or_else(|| {
                        cx.err(
                            f,
                            e.span(),
                            format!("shock effect on `{id}`, which is not a simulated indicator"),
                            "give the indicator a [process] or remove the effect",
                        )
                    })?;
                if matches!(sims[sim].process, Process::Derived { .. }) {
                    return Err(cx.err(
                        f,
                        e.span(),
                        format!("`{id}` is derived; a shock cannot hit it directly"),
                        "put the effect on the indicators its formula uses",
                    ));
                }
                effects.push((sim, finite(cx, f, e, "effect")?));
            }
            shocks.push(Shock {
                name: s.name.get_ref().clone(),
                probability: p,
                first_year: first,
                last_year: last,
                effects,
            });
        }
    }
    Ok(shocks)
}

/// The scenario-wide steering defaults: `--calibration` first, then `[steering]`, then the
/// scenario's `calibration = "…"`.
/// A scenario's `calibration = "…"`: a path relative to the scenario, or the shipped calibration's
/// reference as it is.
fn calibration_path(scenario: &Path, value: &str) -> std::path::PathBuf {
    if crate::method::is_shipped(Path::new(value)) {
        std::path::PathBuf::from(value)
    } else {
        relative_to(scenario, value)
    }
}

fn steering_defaults(
    cx: &Ctx,
    layers: &Layers,
    opts: &super::LoadOptions,
) -> Result<Option<(SteerDefaults, String)>> {
    // A named calibration file must exist and be valid even when [steering] takes precedence:
    // reports read its track record.
    let named = match &layers.calibration {
        Some(c) => {
            let f = &cx.files[c.file];
            super::non_empty_path(f, &c.value, "calibration")?;
            let p = calibration_path(&f.path, c.value.get_ref());
            if crate::method::is_shipped(&p) {
                // Built into the binary: nothing to find on disk.
            } else if p.is_dir() {
                return Err(cx.err(
                    c.file,
                    c.value.span(),
                    format!("calibration {} is a directory, not a file", p.display()),
                    format!(
                        "name the calibration.toml that `attain calibrate` wrote, e.g. \
                         calibration = \"{}\"",
                        Path::new(c.value.get_ref())
                            .join("calibration.toml")
                            .display()
                    ),
                ));
            }
            if !crate::method::is_shipped(&p) && !p.is_file() {
                return Err(cx.err(
                    c.file,
                    c.value.span(),
                    format!("calibration file {} not found", p.display()),
                    "give the path of a calibration.toml written by `attain calibrate`, relative to this scenario",
                ));
            }
            Some((crate::method::load_calibration(&p)?, p))
        }
        None => None,
    };
    if let Some(p) = crate::method::calibration_file(opts.calibration.as_deref()) {
        let m = crate::method::load_calibration(p)?;
        return Ok(Some((m.steering(), format!("calibration {}", p.display()))));
    }
    if let Some(st) = &layers.steering {
        let raw = st.value.get_ref();
        let setting = |r: &Option<Spanned<super::raw::RawSteerSetting>>| -> Result<SteerSetting> {
            let Some(r) = r else {
                return Ok(SteerSetting {
                    strength: 0.0,
                    margin: 0.0,
                });
            };
            let r = r.get_ref();
            Ok(SteerSetting {
                strength: strength(cx, st.file, &r.strength)?,
                margin: match &r.margin {
                    Some(m) => margin(cx, st.file, m)?,
                    None => 0.0,
                },
            })
        };
        return Ok(Some((
            SteerDefaults {
                binding: setting(&raw.binding)?,
                expected: setting(&raw.expected)?,
                market: match &raw.market {
                    Some(_) => Some(setting(&raw.market)?),
                    None => None,
                },
            },
            format!("[steering] of {}", cx.files[st.file].path.display()),
        )));
    }
    Ok(named.map(|(m, p)| (m.steering(), format!("calibration {}", p.display()))))
}

fn strength(cx: &Ctx, file: usize, v: &Spanned<f64>) -> Result<f64> {
    let x = *v.get_ref();
    if !(0.0..=1.0).contains(&x) {
        return Err(cx.err(
            file,
            v.span(),
            format!("steering `strength` must be in [0, 1], got {}", num(x)),
            "the share of the gap to the target's path closed each year: 0 (none) to 1 (all)",
        ));
    }
    Ok(x)
}

fn margin(cx: &Ctx, file: usize, v: &Spanned<f64>) -> Result<f64> {
    let x = *v.get_ref();
    if !x.is_finite() || x.abs() > 10.0 {
        return Err(cx.err(
            file,
            v.span(),
            format!("steering `margin` must be within ±10, got {}", num(x)),
            "the margin is in standard deviations of one year's draw, e.g. margin = 0.5",
        ));
    }
    Ok(x)
}

/// Gives each steerable simulated indicator its [`Steer`]: the process's own `steer` first, then
/// the defaults by the attribute of its primary target. Strength 0 builds nothing.
fn build_steering(
    cx: &Ctx,
    layers: &Layers,
    plan: &crate::model::Plan,
    targets: &[crate::model::Target],
    sims: &mut [SimIndicator],
    defaults: Option<&SteerDefaults>,
    end_year: i32,
) -> Result<()> {
    use crate::model::steer;
    let horizon = (end_year - plan.base_year) as usize;
    for sim in sims.iter_mut() {
        let ind = &plan.indicators[sim.plan_index];
        let raw = layers
            .process
            .get(&ind.id)
            .and_then(|p| p.value.get_ref().steer.as_ref().map(|s| (p.file, s)));
        if matches!(sim.process, Process::Derived { .. }) {
            if let Some((file, s)) = raw {
                return Err(cx.err(
                    file,
                    s.span(),
                    format!("`{}` is derived; it cannot be steered", ind.id),
                    "steer the indicators its formula uses",
                ));
            }
            continue;
        }
        let chosen = match raw.and_then(|(f, s)| s.get_ref().target.as_ref().map(|t| (f, t))) {
            Some((file, tid)) => {
                let k = targets.iter().position(|t| &t.id == tid.get_ref());
                match k {
                    Some(k)
                        if targets[k].indicator == sim.plan_index
                            && steer::steerable(&targets[k]) =>
                    {
                        Some(k)
                    }
                    _ => {
                        return Err(cx.err(
                            file,
                            tid.span(),
                            format!("`{}` is not a steerable target of `{}`", tid.get_ref(), ind.id),
                            "name a target of this indicator with metric level, cagr, change, reduction, multiple or sum and a numeric value",
                        ));
                    }
                }
            }
            None => steer::primary_target(targets, sim.plan_index),
        };
        let Some(k) = chosen else {
            if let Some((file, s)) = raw {
                return Err(cx.err(
                    file,
                    s.span(),
                    format!("`{}` has no target to steer toward", ind.id),
                    "steering needs a target of this indicator with metric level, cagr, change, reduction, multiple or sum and a numeric value; remove `steer`",
                ));
            }
            continue;
        };
        let t = &targets[k];
        let default = defaults.map(|d| d.for_target(t.attribute, ind.unit.as_deref()));
        let (mut st, mut mg) = match default {
            Some(d) => (Some(d.strength), d.margin),
            None => (None, 0.0),
        };
        if let Some((file, s)) = raw {
            let r = s.get_ref();
            if let Some(v) = &r.strength {
                st = Some(strength(cx, file, v)?);
            }
            if let Some(v) = &r.margin {
                mg = margin(cx, file, v)?;
            }
            if st.is_none() {
                return Err(cx.err(
                    file,
                    s.span(),
                    "`steer` needs a `strength` (no [steering] or calibration gives one)",
                    "e.g. steer = { strength = 0.5, margin = 0.3 }",
                ));
            }
        }
        let strength = st.unwrap_or(0.0);
        if strength == 0.0 {
            continue;
        }
        let setting = SteerSetting {
            strength,
            margin: mg,
        };
        sim.steer = Steer::toward(
            targets,
            k,
            sim,
            ind.better,
            plan.base_year,
            horizon,
            setting,
        );
    }
    Ok(())
}

fn finite(cx: &Ctx, file: usize, v: &Spanned<f64>, what: &str) -> Result<f64> {
    let x = *v.get_ref();
    if x.is_finite() {
        Ok(x)
    } else {
        Err(cx.err(
            file,
            v.span(),
            format!("`{what}` must be a finite number, got {x}"),
            "write a plain number",
        ))
    }
}

fn non_negative(cx: &Ctx, f: &From<Spanned<f64>>, what: &str) -> Result<f64> {
    let x = finite(cx, f.file, &f.value, what)?;
    if x < 0.0 {
        return Err(cx.err(
            f.file,
            f.value.span(),
            format!("`{what}` must be ≥ 0"),
            "give a tolerance such as 0.5",
        ));
    }
    Ok(x)
}

/// Which keys a process model accepts, for error messages.
fn model_keys(model: &str) -> &'static str {
    match model {
        "growth" => "rate (or factor), persistence, base",
        "increment" => "step, bounds, persistence, base",
        "level" => "value, bounds, base",
        "derived" => "formula",
        _ => "",
    }
}

/// A process's `bounds = [lo, hi]` (increment and level), checked; unbounded when absent.
fn process_bounds(cx: &Ctx, file: usize, p: &RawProcess) -> Result<(f64, f64)> {
    Ok(match &p.bounds {
        None => (f64::NEG_INFINITY, f64::INFINITY),
        Some(b) => {
            let v = b.get_ref();
            if v.len() != 2 || v.iter().any(|x| x.is_nan()) || v[0] > v[1] {
                return Err(cx.err(
                    file,
                    b.span(),
                    "`bounds` must be [lo, hi] with lo ≤ hi",
                    "e.g. bounds = [0.0, 100.0] for a percentage",
                ));
            }
            if v[0] == f64::INFINITY || v[1] == f64::NEG_INFINITY {
                return Err(cx.err(
                    file,
                    b.span(),
                    format!(
                        "`bounds` [{}, {}] would clamp every value to infinity",
                        num(v[0]),
                        num(v[1])
                    ),
                    "give a finite bound, or -inf / inf on the side that has none, e.g. \
                     bounds = [0.0, inf]",
                ));
            }
            (v[0], v[1])
        }
    })
}

fn build_process(cx: &Ctx, file: usize, p: &RawProcess, span: Range<usize>) -> Result<Process> {
    let model = p.model.get_ref().as_str();
    let present: Vec<(&str, bool)> = vec![
        ("rate", p.rate.is_some()),
        ("factor", p.factor.is_some()),
        ("step", p.step.is_some()),
        ("value", p.value.is_some()),
        ("persistence", p.persistence.is_some()),
        ("bounds", p.bounds.is_some()),
        ("formula", p.formula.is_some()),
        ("base", p.base.is_some()),
    ];
    let allowed: &[&str] = match model {
        "growth" => &["rate", "factor", "persistence", "base"],
        "increment" => &["step", "bounds", "persistence", "base"],
        "level" => &["value", "bounds", "base"],
        "derived" => &["formula"],
        other => {
            return Err(cx.err(
                file,
                p.model.span(),
                format!("unknown model `{other}`"),
                "use growth, increment, level or derived",
            ));
        }
    };
    for (k, is) in &present {
        if *is && !allowed.contains(k) {
            return Err(cx.err(
                file,
                span,
                format!("`{k}` is not a key of model `{model}`"),
                format!("model `{model}` takes: {}", model_keys(model)),
            ));
        }
    }
    let persistence = match &p.persistence {
        None => 0.0,
        Some(r) => {
            let v = *r.get_ref();
            if v.is_nan() || v <= -1.0 || v >= 1.0 {
                return Err(cx.err(
                    file,
                    r.span(),
                    format!("persistence {} must lie in (−1, 1)", num(v)),
                    "AR(1) persistence is a correlation between successive years, e.g. 0.4",
                ));
            }
            v
        }
    };
    let need = |d: &Option<Spanned<RawDist>>, key: &str| -> Result<Dist> {
        match d {
            Some(d) => build_dist(cx, file, d),
            None => Err(cx.err(
                file,
                span.clone(),
                format!("model `{model}` needs `{key}`"),
                format!("add {key} = {{ dist = \"normal\", mean = …, sd = … }}"),
            )),
        }
    };
    Ok(match model {
        "growth" => match (&p.rate, &p.factor) {
            (Some(_), Some(f)) => {
                return Err(cx.err(
                    file,
                    f.span(),
                    "give either `rate` or `factor`, not both",
                    "rate r gives x·(1+r); factor f gives x·f",
                ));
            }
            (None, Some(_)) => Process::Growth {
                dist: need(&p.factor, "factor")?,
                factor: true,
                persistence,
            },
            _ => Process::Growth {
                dist: need(&p.rate, "rate")?,
                factor: false,
                persistence,
            },
        },
        "increment" => {
            let bounds = process_bounds(cx, file, p)?;
            Process::Increment {
                dist: need(&p.step, "step")?,
                persistence,
                bounds,
            }
        }
        "level" => Process::Level {
            dist: need(&p.value, "value")?,
            bounds: process_bounds(cx, file, p)?,
        },
        _ => {
            let Some(f) = &p.formula else {
                return Err(cx.err(
                    file,
                    span,
                    "model `derived` needs `formula`",
                    "e.g. formula = \"energy / gdp\"",
                ));
            };
            let program = Program::parse(f.get_ref()).map_err(|e| {
                cx.err(
                    file,
                    formula_span(&cx.files[file], f, e.offset),
                    format!("formula error: {e}"),
                    "formulas use + - * / ( ), numbers and indicator ids",
                )
            })?;
            Process::Derived {
                formula: f.get_ref().clone(),
                program,
            }
        }
    })
}

/// The span of character `offset` of a formula inside its TOML string, when the string is written
/// without escapes (so that characters map one to one); otherwise the span of the whole string.
fn formula_span(src: &Source, f: &Spanned<String>, offset: usize) -> Range<usize> {
    let span = f.span();
    let raw = src.text.get(span.clone()).unwrap_or("");
    let inner = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')));
    match inner {
        Some(text) if text == f.get_ref() => {
            let at = text
                .char_indices()
                .nth(offset)
                .map_or(text.len(), |(i, _)| i);
            let start = span.start + 1 + at;
            start..start
        }
        _ => span,
    }
}

/// Builds a distribution, checking that exactly its parameters are present.
fn build_dist(cx: &Ctx, file: usize, d: &Spanned<RawDist>) -> Result<Dist> {
    let r = d.get_ref();
    let err = |msg: String, hint: &str| cx.err(file, d.span(), msg, hint);
    let given: Vec<&str> = [
        ("mean", r.mean.is_some()),
        ("sd", r.sd.is_some()),
        ("min", r.min.is_some()),
        ("mode", r.mode.is_some()),
        ("max", r.max.is_some()),
        ("p05", r.p05.is_some()),
        ("p10", r.p10.is_some()),
        ("p90", r.p90.is_some()),
        ("p95", r.p95.is_some()),
        ("scale", r.scale.is_some()),
        ("df", r.df.is_some()),
        ("sd_low", r.sd_low.is_some()),
        ("sd_high", r.sd_high.is_some()),
        ("value", r.value.is_some()),
        ("values", r.values.is_some()),
    ]
    .iter()
    .filter(|(_, g)| *g)
    .map(|(k, _)| *k)
    .collect();
    let kind = r.dist.as_str();
    let (params, hint): (&[&str], &str) = match kind {
        "normal" => (
            &["mean", "sd"],
            "normal takes mean and sd (or p10/p90, p05/p95)",
        ),
        "lognormal" => (
            &["mean", "sd"],
            "lognormal takes mean and sd of the variable itself (or p10/p90, p05/p95)",
        ),
        "uniform" => (
            &["min", "max"],
            "uniform takes min and max (or p10/p90, p05/p95)",
        ),
        "triangular" => (
            &["min", "mode", "max"],
            "triangular takes min, mode and max",
        ),
        "pert" => (&["min", "mode", "max"], "pert takes min, mode and max"),
        "student_t" => (
            &["mean", "scale", "df"],
            "student_t takes mean, scale and df (or p10/p90 with df)",
        ),
        "two_piece_normal" => (
            &["mode", "sd_low", "sd_high"],
            "two_piece_normal takes mode, sd_low and sd_high",
        ),
        "empirical" => (&["values"], "empirical takes values = [ … ]"),
        "constant" => (&["value"], "constant takes value"),
        other => {
            return Err(err(
                format!("unknown distribution `{other}`"),
                "use normal, lognormal, uniform, triangular, pert, student_t, two_piece_normal, empirical or constant",
            ));
        }
    };
    let quantile_form = given.iter().any(|k| k.starts_with('p') && k.len() == 3);
    let family = if quantile_form {
        let (lo, hi, z) = match (r.p10, r.p90, r.p05, r.p95) {
            (Some(a), Some(b), None, None) => (a, b, Z90),
            (None, None, Some(a), Some(b)) => (a, b, Z95),
            _ => {
                return Err(err(
                    "give the quantiles as a pair: p10 and p90, or p05 and p95".into(),
                    hint,
                ));
            }
        };
        let extra: Vec<&&str> = given
            .iter()
            .filter(|k| {
                !((k.starts_with('p') && k.len() == 3) || (kind == "student_t" && **k == "df"))
            })
            .collect();
        if let Some(k) = extra.first() {
            return Err(err(
                format!("`{k}` cannot be combined with quantiles in a {kind}"),
                hint,
            ));
        }
        Family::from_quantiles(kind, lo, hi, z, r.df)
    } else {
        if let Some(k) = given.iter().find(|k| !params.contains(k)) {
            return Err(err(format!("`{k}` is not a parameter of {kind}"), hint));
        }
        if let Some(k) = params.iter().find(|k| !given.contains(k)) {
            return Err(err(format!("{kind} needs `{k}`"), hint));
        }
        let g = |v: Option<f64>| v.unwrap_or(f64::NAN);
        match kind {
            "normal" => Family::normal(g(r.mean), g(r.sd)),
            "lognormal" => Family::lognormal(g(r.mean), g(r.sd)),
            "uniform" => Family::uniform(g(r.min), g(r.max)),
            "triangular" => Family::triangular(g(r.min), g(r.mode), g(r.max)),
            "pert" => Family::pert(g(r.min), g(r.mode), g(r.max)),
            "student_t" => Family::student_t(g(r.mean), g(r.scale), g(r.df)),
            "two_piece_normal" => Family::two_piece_normal(g(r.mode), g(r.sd_low), g(r.sd_high)),
            "empirical" => Family::empirical(r.values.as_deref().unwrap_or(&[])),
            _ => Family::constant(g(r.value)),
        }
    }
    .map_err(|e| err(format!("bad {kind} distribution: {}", e.0), hint))?;
    let clamp_err = || {
        err(
            "`clamp` must be [lo, hi] with lo ≤ hi".into(),
            "e.g. clamp = [-0.05, 0.15]",
        )
    };
    let clamp = match r.clamp.as_deref() {
        None => None,
        Some(&[lo, hi]) => Some((lo, hi)),
        Some(_) => return Err(clamp_err()),
    };
    Dist::new(family, clamp).map_err(|e| {
        err(
            e.0,
            "give [lo, hi] with lo ≤ hi, and -inf / inf on a side with no bound, e.g. \
             clamp = [-0.05, 0.15] or clamp = [0.0, inf]",
        )
    })
}

/// A scenario's process as read: plan indicator index, process, base, declared unit, and where it
/// was written.
type ProcEntry = (usize, Process, f64, Option<String>, From<Range<usize>>);

/// Orders processes so that every derived indicator follows its inputs; rejects cycles.
fn topo_order(cx: &Ctx, plan: &crate::model::Plan, procs: &[ProcEntry]) -> Result<Vec<usize>> {
    let pos_of_ind: BTreeMap<usize, usize> =
        procs.iter().enumerate().map(|(k, p)| (p.0, k)).collect();
    let mut deps: Vec<Vec<usize>> = Vec::with_capacity(procs.len());
    for (ind, process, _, _, span) in procs {
        let mut d = Vec::new();
        if let Process::Derived { program, formula } = process {
            for v in &program.vars {
                let id = &plan.indicators[*ind].id;
                if v == id {
                    return Err(cx.err(
                        span.file,
                        span.value.clone(),
                        format!("the formula of `{id}` refers to `{id}` itself (`{formula}`)"),
                        "a derived indicator must be computed from other indicators",
                    ));
                }
                let Some(pi) = plan.indicator_index(v) else {
                    return Err(cx.err(
                        span.file,
                        span.value.clone(),
                        format!(
                            "formula `{formula}` uses `{v}`, which is not an indicator of the plan"
                        ),
                        "use indicator ids of the plan",
                    ));
                };
                let Some(&k) = pos_of_ind.get(&pi) else {
                    return Err(cx.err(
                        span.file,
                        span.value.clone(),
                        format!("formula `{formula}` uses `{v}`, which has no [process.{v}]"),
                        format!("add a [process.{v}] so that it is simulated"),
                    ));
                };
                d.push(k);
            }
        }
        deps.push(d);
    }
    // Depth-first with colours; report the cycle's path.
    let mut state = vec![0u8; procs.len()];
    let mut order = Vec::with_capacity(procs.len());
    fn visit(
        k: usize,
        deps: &[Vec<usize>],
        state: &mut [u8],
        order: &mut Vec<usize>,
        stack: &mut Vec<usize>,
    ) -> std::result::Result<(), Vec<usize>> {
        if state[k] == 2 {
            return Ok(());
        }
        if state[k] == 1 {
            let start = stack.iter().position(|&s| s == k).unwrap_or(0);
            let mut cyc = stack[start..].to_vec();
            cyc.push(k);
            return Err(cyc);
        }
        state[k] = 1;
        stack.push(k);
        for &d in &deps[k] {
            visit(d, deps, state, order, stack)?;
        }
        stack.pop();
        state[k] = 2;
        order.push(k);
        Ok(())
    }
    for k in 0..procs.len() {
        let mut stack = Vec::new();
        if let Err(cyc) = visit(k, &deps, &mut state, &mut order, &mut stack) {
            let names: Vec<&str> = cyc
                .iter()
                .map(|&c| plan.indicators[procs[c].0].id.as_str())
                .collect();
            let span = &procs[cyc[0]].4;
            return Err(cx.err(span.file, span.value.clone(), format!("derived formulas form a cycle: {}", names.join(" → ")), "break the cycle: at least one of these must be simulated by growth, increment or level"));
        }
    }
    Ok(order)
}

/// The Gaussian copula of the `[[correlation]]` list.
fn build_copula(
    cx: &Ctx,
    c: &From<Vec<Spanned<crate::scenario::raw::RawCorrelation>>>,
    plan: &crate::model::Plan,
    draw_of: &[Option<usize>],
) -> Result<Option<Copula>> {
    let f = c.file;
    let mut pairs: Vec<(usize, usize, f64, Range<usize>)> = Vec::new();
    for corr in &c.value {
        let r = corr.get_ref();
        let ids = r.between.get_ref();
        if ids.len() != 2 {
            return Err(cx.err(
                f,
                r.between.span(),
                "`between` must name exactly two indicators",
                "e.g. between = [\"gdp\", \"income\"]",
            ));
        }
        if ids[0] == ids[1] {
            return Err(cx.err(
                f,
                r.between.span(),
                format!("`{}` cannot be correlated with itself", ids[0]),
                "name two different indicators",
            ));
        }
        let mut d = [0usize; 2];
        for (k, id) in ids.iter().enumerate() {
            let Some(pi) = plan.indicator_index(id) else {
                return Err(cx.err(
                    f,
                    r.between.span(),
                    format!("unknown indicator `{id}` in a correlation"),
                    "use indicator ids of the plan",
                ));
            };
            d[k] = draw_of[pi].ok_or_else(|| {
                cx.err(
                    f,
                    r.between.span(),
                    format!(
                        "`{id}` has no random draw to correlate (no process, or a derived one)"
                    ),
                    "correlate indicators simulated by growth, increment or level",
                )
            })?;
        }
        let rho = *r.rho.get_ref();
        if !(-1.0..=1.0).contains(&rho) || rho.is_nan() {
            return Err(cx.err(
                f,
                r.rho.span(),
                format!("rho = {} is not in [−1, 1]", num(rho)),
                "a rank correlation lies between −1 and 1",
            ));
        }
        let (a, b) = (d[0].min(d[1]), d[0].max(d[1]));
        if pairs.iter().any(|p| p.0 == a && p.1 == b) {
            return Err(cx.err(
                f,
                r.between.span(),
                format!("the pair {} / {} is correlated twice", ids[0], ids[1]),
                "keep one [[correlation]] per pair",
            ));
        }
        pairs.push((a, b, rho, corr.span()));
    }
    if pairs.is_empty() {
        return Ok(None);
    }
    let mut members: Vec<usize> = pairs.iter().flat_map(|p| [p.0, p.1]).collect();
    members.sort_unstable();
    members.dedup();
    let m = members.len();
    let idx = |d: usize| members.iter().position(|&x| x == d).unwrap_or(0);
    let mut a = vec![0.0; m * m];
    for i in 0..m {
        a[i * m + i] = 1.0;
    }
    for (x, y, rho, _) in &pairs {
        let r = 2.0 * (std::f64::consts::PI * rho / 6.0).sin();
        let (i, j) = (idx(*x), idx(*y));
        a[i * m + j] = r;
        a[j * m + i] = r;
    }
    match cholesky_psd(&a, m) {
        Some(l) => Ok(Some(Copula { members, chol: l })),
        None => Err(cx.err(
            f,
            pairs[0].3.clone(),
            "the correlations are not mutually consistent: the correlation matrix is not positive semi-definite",
            "lower the magnitude of some rho values; e.g. if a~b and a~c are strongly positive, b~c cannot be strongly negative",
        )),
    }
}

#[cfg(test)]
mod tests {
    use crate::stats::cholesky_psd;

    #[test]
    fn cholesky_accepts_psd_and_rejects_indefinite() {
        assert!(cholesky_psd(&[1.0, 0.5, 0.5, 1.0], 2).is_some());
        assert!(cholesky_psd(&[1.0, 1.0, 1.0, 1.0], 2).is_some());
        // a~b = 0.9, a~c = 0.9, b~c = -0.9 is not PSD.
        let m = [1.0, 0.9, 0.9, 0.9, 1.0, -0.9, 0.9, -0.9, 1.0];
        assert!(cholesky_psd(&m, 3).is_none());
    }
}
