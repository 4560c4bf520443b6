//! `attain init`: a complete, commented starting scenario for any plan, from what the plan states.
//!
//! The method (see `docs/method.md`) gives every indicator that carries a non-qualitative target a
//! process built only from the plan (base, target, year, attribute, unit, better) and the
//! [`Method`] parameters, each assumption written beside it as a comment:
//!
//! * **Target path.** The indicator's primary target (binding first, then the latest year) implies
//!   a level in its year; the constant pace from the base to it is the *required pace* p
//!   (a growth rate for positive quantities, a yearly step for shares, years and signed values).
//! * **Inertia.** Unsteered, the process moves at `realism × p` a year, with AR(1) persistence 0.3.
//! * **Noise.** Yearly sd `spread × (floor + 0.25·|p|)`: larger planned changes are less certain;
//!   the floor is 1 pp of growth, 0.2 points for shares in % or ‰, 0.05 years, or 1 % of the level.
//! * **Steering.** `[steering]` closes a share of the gap to the target path each year, by
//!   attribute, aiming a margin beyond the target (see [`crate::model::steer`]).
//!
//! Where the plan gives no base value, the target itself is modelled: relative metrics (cagr,
//! reduction, multiple) run on an index (base = 100), `change` from 0, and levels and totals as a
//! yearly level centred on the target (so only steering moves P(met) away from one half). A target
//! whose value the province assigns gets a placeholder equal to the status quo, marked so that
//! backtests never score it. Targets that still cannot be answered are listed with the reason.

use crate::method::Method;
use crate::model::steer;
use crate::model::{Attribute, Metric, Plan, Target, TargetValue};
use std::fmt::Write;

/// AR(1) persistence of every drafted process.
pub const PERSISTENCE: f64 = 0.3;
/// Share of the required pace added to the noise floor.
pub const PACE_NOISE: f64 = 0.25;

/// What `init` needs besides the plan.
#[derive(Debug, Clone)]
pub struct InitOptions {
    pub method: Method,
    /// Where the method comes from, for the file's header ("calibration A/calibration.toml").
    pub method_source: String,
    /// The plan's path as the scenario should name it (relative to the scenario file).
    pub plan_ref: String,
    /// The calibration file as the scenario should name it (relative to the scenario file), so
    /// that reports can show its track record.
    pub calibration_ref: Option<String>,
    /// `[scenario] name`.
    pub name: String,
    pub runs: u64,
    pub seed: u64,
}

/// A drafted scenario and its coverage.
#[derive(Debug, Clone)]
pub struct Draft {
    pub text: String,
    /// Non-qualitative targets that the draft simulates.
    pub answered: usize,
    /// Non-qualitative targets of the plan.
    pub non_qualitative: usize,
    /// Targets left unanswered, with the reason.
    pub unanswered: Vec<(String, String)>,
}

/// How a drafted indicator evolves.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Growth,
    Increment,
    /// No base value: a yearly level centred on the target.
    Level,
}

/// A drafted process, before rendering.
struct Proc {
    kind: Kind,
    base: f64,
    /// Where the base comes from when the plan does not state it: implied by two of the plan's
    /// numbers, or supplied by the method (index, zero, or the target itself).
    base_note: Option<String>,
    /// The unit simulated when it is not the plan's (an index, a change from zero), written as the
    /// process's `unit` so that reports label values truthfully.
    unit: Option<String>,
    mean: f64,
    sd: f64,
    bounds: Option<(f64, f64)>,
    comment: Vec<String>,
}

fn num(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return if x.is_finite() {
            "0.0".into()
        } else {
            format!("{x}")
        };
    }
    let digits = (6 - 1 - x.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let s = format!("{x:.digits$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s.contains('.') || s.contains('e') {
        s
    } else {
        format!("{s}.0")
    }
}

fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether the unit is a share (%, ‰).
fn is_share(unit: &str) -> bool {
    unit.contains('%') || unit.contains('‰') || unit.contains("percent") || unit.contains("百分")
}

/// The range of a share of a whole: [0, 100] for a unit of exactly `%`, [0, 1000] for `‰`
/// (not for rates per person, growth in percentage points and the like).
fn share_range(unit: &str) -> Option<(f64, f64)> {
    match unit.trim() {
        "%" => Some((0.0, 100.0)),
        "‰" => Some((0.0, 1000.0)),
        _ => None,
    }
}

fn is_years(unit: &str) -> bool {
    let u = unit.trim();
    u == "years" || u == "year" || u == "岁" || u == "年"
}

/// The noise floor for an increment-type indicator of this unit and scale.
fn step_floor(unit: &str, scale: f64) -> f64 {
    if is_share(unit) {
        0.2
    } else if is_years(unit) {
        0.05
    } else {
        0.01 * scale.abs().max(1e-9)
    }
}

/// The status-quo value of a target's metric (no change from the base), used as the placeholder
/// of an assigned target.
fn status_quo(t: &Target, base: f64) -> f64 {
    match t.metric {
        Metric::Cagr | Metric::Change | Metric::Reduction | Metric::CagrGap => 0.0,
        Metric::Multiple => 1.0,
        Metric::Ratio => 1.0,
        Metric::Sum => base * (t.year as f64).max(1.0),
        _ => base,
    }
}

/// The base value that two of the plan's own numbers imply when the plan does not state it: a
/// level target L and, for the same year, a change c, a CAGR g, a multiple m or a reduction r of
/// the same indicator (`达到872.6公里` with `新增288.4公里`: 872.6 − 288.4). Without it the
/// relative target would be judged against a made-up base (the level target itself, so a change of
/// about 0). `None` unless exactly one base is implied (pairs that disagree by more than 0.1 % are
/// ambiguous) and it is positive and finite.
fn implied_base(plan: &Plan, ind: usize) -> Option<(f64, String)> {
    let number = |t: &Target| match t.value {
        TargetValue::Number(v) if v.is_finite() => Some(v),
        _ => None,
    };
    let of = |t: &&Target| t.indicator == ind;
    let mut found: Vec<(f64, String)> = Vec::new();
    for l in plan.targets.iter().filter(of) {
        let Some(lv) = number(l).filter(|_| l.metric == Metric::Level) else {
            continue;
        };
        for r in plan.targets.iter().filter(of).filter(|r| r.year == l.year) {
            let Some(rv) = number(r) else { continue };
            let n = (r.year - plan.base_year).max(1);
            let (b, how) = match r.metric {
                Metric::Change => (lv - rv, format!("{} − {}", num(lv), num(rv))),
                Metric::Cagr => (
                    lv / (1.0 + rv).powi(n),
                    format!("{} / (1 + {})^{n}", num(lv), num(rv)),
                ),
                Metric::Multiple => (lv / rv, format!("{} / {}", num(lv), num(rv))),
                Metric::Reduction => (lv / (1.0 - rv), format!("{} / (1 − {})", num(lv), num(rv))),
                _ => continue,
            };
            if b.is_finite() && b > 0.0 {
                found.push((
                    b,
                    format!(
                        "implied by the plan: `{}` {how} (`{}`); the plan states no base value",
                        l.id, r.id
                    ),
                ));
            }
        }
    }
    let (b, why) = found.first()?.clone();
    found
        .iter()
        .all(|(x, _)| (x - b).abs() <= 1e-3 * b.abs())
        .then_some((b, why))
}

/// The constant yearly growth g with Σ_{t=1..n} b(1+g)^t = total (bisection), if it exists.
fn growth_for_total(b: f64, n: usize, total: f64) -> Option<f64> {
    let f = |g: f64| (1..=n).map(|t| b * (1.0 + g).powi(t as i32)).sum::<f64>() - total;
    let (mut lo, mut hi) = (-0.99, 5.0);
    if f(lo) > 0.0 || f(hi) < 0.0 {
        return None;
    }
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if f(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some((lo + hi) / 2.0)
}

/// Drafts the scenario for `plan`.
pub fn draft(plan: &Plan, opts: &InitOptions) -> Draft {
    let m = &opts.method;
    // Targets after placeholders: the value each target will have in the scenario.
    let mut targets = plan.targets.clone();
    let mut placeholders: Vec<(usize, f64, String)> = Vec::new();
    let mut unanswered: Vec<(String, String)> = Vec::new();
    type Base = (f64, Option<String>, Option<String>);
    let base_of = |ind: usize, metric: Metric| -> Option<Base> {
        if let Some(b) = plan.indicators[ind].base {
            return Some((b, None, None));
        }
        if let Some((b, why)) = implied_base(plan, ind) {
            return Some((b, Some(why), None));
        }
        match metric {
            Metric::Cagr | Metric::Reduction | Metric::Multiple => Some((
                100.0,
                Some("index, base year = 100 (the plan gives no base value)".into()),
                Some(format!("index ({} = 100)", plan.base_year)),
            )),
            Metric::Change => Some((
                0.0,
                Some("0: change from an unstated base".into()),
                Some(match plan.indicators[ind].unit.as_deref() {
                    Some(u) if !u.trim().is_empty() => {
                        format!("change since {} ({})", plan.base_year, u.trim())
                    }
                    _ => format!("change since {}", plan.base_year),
                }),
            )),
            _ => None,
        }
    };
    for (k, t) in plan.targets.iter().enumerate() {
        if t.value == TargetValue::Assigned {
            let b = plan.indicators[t.indicator].base.unwrap_or(100.0);
            let v = status_quo(t, b);
            targets[k].value = TargetValue::Number(v);
            placeholders.push((
                k,
                v,
                "the province assigns this value and the plan does not state it: placeholder = the status quo, so P(met) reflects only the calibrated steering for its attribute".into(),
            ));
        }
    }
    // Indicators to draft: those with a non-qualitative target, and the `relative_to` ones.
    let mut wanted = vec![false; plan.indicators.len()];
    for t in &targets {
        if t.metric != Metric::Qualitative {
            wanted[t.indicator] = true;
            if let Some(r) = t.relative_to {
                wanted[r] = true;
            }
        }
    }
    let horizon_of = |t: &Target| (t.year - plan.base_year).max(1) as usize;
    let mut procs: Vec<Option<Proc>> = (0..plan.indicators.len()).map(|_| None).collect();
    for (i, ind) in plan.indicators.iter().enumerate() {
        if !wanted[i] {
            continue;
        }
        let unit = ind.unit.as_deref().unwrap_or("");
        let primary = steer::primary_target(&targets, i);
        let Some(pk) = primary else {
            // Only relative targets (ratio, cagr_gap) or none with a usable value: status quo.
            if let Some(b) = ind.base {
                let kind = if b > 0.0 && !is_share(unit) && !is_years(unit) {
                    Kind::Growth
                } else {
                    Kind::Increment
                };
                let sd = m.spread
                    * match kind {
                        Kind::Growth => 0.01,
                        _ => step_floor(unit, b),
                    };
                procs[i] = Some(Proc {
                    kind,
                    base: b,
                    base_note: None,
                    unit: None,
                    mean: 0.0,
                    sd,
                    bounds: None,
                    comment: vec![format!(
                        "no target of its own to steer toward: status quo (no drift), yearly sd {} = spread {} × floor",
                        num(sd),
                        num(m.spread)
                    )],
                });
            }
            continue;
        };
        let t = &targets[pk];
        let n = horizon_of(t);
        let market = t.attribute == Attribute::Expected && crate::method::is_money(unit);
        let Some((base, base_note, sim_unit)) = base_of(i, t.metric) else {
            // No base and a level or total target: model the target itself.
            let goal = steer::goal(t, f64::NAN, n).unwrap_or(f64::NAN);
            let level = if t.metric == Metric::Sum {
                goal / n as f64
            } else {
                goal
            };
            if !level.is_finite() {
                continue;
            }
            let sd = m.spread * step_floor(unit, level).max(0.05 * level.abs());
            // A share cannot leave [0, 100] % (or [0, 1000] ‰), however far steering aims.
            let bounds = share_range(unit)
                .filter(|(lo, hi)| t.metric != Metric::Sum && (*lo..=*hi).contains(&level));
            let mut comment = vec![format!(
                "no base value in the plan: a yearly level centred on what `{}` asks ({}{}), sd {} = spread {} × max(floor, 5 % of it);",
                t.id,
                num(level),
                if t.metric == Metric::Sum {
                    " a year"
                } else {
                    ""
                },
                num(sd),
                num(m.spread)
            )];
            if let Some((lo, hi)) = bounds {
                comment.push(format!(
                    "a share: every value is kept within [{}, {}] {}",
                    num(lo),
                    num(hi),
                    unit.trim()
                ));
            }
            procs[i] = Some(Proc {
                kind: Kind::Level,
                base: level,
                base_note: Some("the plan gives no base value: the target itself is modelled".into()),
                unit: None,
                mean: level,
                sd,
                bounds,
                comment: [
                    comment,
                    vec!["without steering P(met) would be about one half: the calibrated steering for its attribute decides it".into()],
                ]
                .concat(),
            });
            continue;
        };
        let goal = steer::goal(t, base, n);
        let Some(goal) = goal else { continue };
        let growth_ok = base > 0.0 && goal > 0.0 && !is_share(unit) && !is_years(unit);
        let kind = if growth_ok {
            Kind::Growth
        } else {
            Kind::Increment
        };
        let pace = match (t.metric, kind) {
            (Metric::Sum, Kind::Growth) => growth_for_total(base, n, goal).unwrap_or(0.0),
            (Metric::Sum, _) => (goal - n as f64 * base) / (n * (n + 1) / 2) as f64,
            (_, Kind::Growth) => (goal / base).powf(1.0 / n as f64) - 1.0,
            _ => (goal - base) / n as f64,
        };
        let floor = match kind {
            Kind::Growth => 0.01,
            _ => step_floor(unit, base.abs().max(goal.abs())),
        };
        let sd = m.spread * (floor + PACE_NOISE * pace.abs());
        let mean = m.realism * pace;
        let bounds = (kind == Kind::Increment
            && is_share(unit)
            && (0.0..=100.0).contains(&base)
            && (0.0..=100.0).contains(&goal)
            && !unit.contains("per"))
        .then_some((0.0, 100.0));
        let what = match t.metric {
            Metric::Sum => format!("a total of {} over {n} years", num(goal)),
            _ => format!("{} in {}", num(goal), t.year),
        };
        let pace_s = match kind {
            Kind::Growth => format!("{:+.2} %/yr", pace * 100.0),
            _ => format!("{:+} a year", num(pace)),
        };
        procs[i] = Some(Proc {
            kind,
            base,
            base_note,
            unit: sim_unit,
            mean,
            sd,
            bounds,
            comment: vec![
                format!(
                    "steered toward `{}` ({}): {} → {what}; required pace {pace_s}",
                    t.id,
                    match t.attribute {
                        Attribute::Binding => "binding",
                        Attribute::Expected if market => "expected, a market aggregate",
                        Attribute::Expected => "expected",
                    },
                    t.metric.name(),
                ),
                format!(
                    "unsteered mean = realism {} × pace; yearly sd {} = spread {} × ({} + {} × |pace|)",
                    num(m.realism),
                    num(sd),
                    num(m.spread),
                    num(floor),
                    PACE_NOISE
                ),
            ],
        });
    }
    // Coverage.
    let mut answered = 0;
    let mut non_qualitative = 0;
    for t in &targets {
        if t.metric == Metric::Qualitative {
            continue;
        }
        non_qualitative += 1;
        let has = procs[t.indicator].is_some();
        let other = t.relative_to.is_none_or(|r| procs[r].is_some());
        let valued = matches!(t.value, TargetValue::Number(_) | TargetValue::Range(..));
        if has && other && valued && t.op.is_some() {
            answered += 1;
        } else {
            let why = if !valued || t.op.is_none() {
                "no numeric value or comparison in the plan".to_string()
            } else if !has {
                format!(
                    "indicator `{}` has no base value and this target's metric ({}) needs one",
                    plan.indicators[t.indicator].id,
                    t.metric.name()
                )
            } else {
                format!(
                    "`relative_to` indicator `{}` has no base value",
                    t.relative_to
                        .map_or("?", |r| plan.indicators[r].id.as_str())
                )
            };
            unanswered.push((t.id.clone(), why));
        }
    }

    // Render.
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Starting scenario for plan `{}` ({}), written by `attain init` {}.",
        plan.id,
        plan.title_en.as_deref().unwrap_or(&plan.title),
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        out,
        "# Method: the steered target path of docs/method.md, parameters from {}:",
        opts.method_source
    );
    for (p, v) in crate::method::PARAMS.iter().zip(m.to_vec()) {
        let _ = writeln!(out, "#   {:<18} = {:<8}  {}", p.name, num(v), p.meaning);
    }
    let _ = writeln!(
        out,
        "# Coverage: {answered} of {non_qualitative} non-qualitative targets answered."
    );
    for (id, why) in &unanswered {
        let _ = writeln!(out, "#   not answered: `{id}`: {why}");
    }
    let _ = writeln!(
        out,
        "# Every assumption is stated beside it; refine by hand where the documents say more.\n"
    );
    let _ = writeln!(out, "plan = {}", toml_str(&opts.plan_ref));
    if let Some(c) = &opts.calibration_ref {
        let _ = writeln!(
            out,
            "calibration = {}   # its out-of-sample track record appears in the report",
            toml_str(c)
        );
    }
    out.push('\n');
    let _ = writeln!(out, "[scenario]");
    let _ = writeln!(out, "name = {}", toml_str(&opts.name));
    let _ = writeln!(
        out,
        "description = {}",
        toml_str(&format!(
            "Drafted by attain init from the plan alone ({})",
            opts.method_source
        ))
    );
    let _ = writeln!(out, "runs = {}", opts.runs);
    let _ = writeln!(out, "seed = {}\n", opts.seed);
    let st = m.steering();
    let _ = writeln!(
        out,
        "# Each year a steered indicator closes `strength` of the gap to its target's path, aiming\n# `margin` yearly standard deviations beyond the target (by the target's attribute)."
    );
    let _ = writeln!(out, "[steering]");
    let _ = writeln!(
        out,
        "binding = {{ strength = {}, margin = {} }}",
        num(st.binding.strength),
        num(st.binding.margin)
    );
    let _ = writeln!(
        out,
        "expected = {{ strength = {}, margin = {} }}",
        num(st.expected.strength),
        num(st.expected.margin)
    );
    if let Some(mk) = st.market {
        let _ = writeln!(
            out,
            "market = {{ strength = {}, margin = {} }}   # expected targets of money-valued market aggregates",
            num(mk.strength),
            num(mk.margin)
        );
    }
    out.push('\n');
    for (i, p) in procs.iter().enumerate() {
        let Some(p) = p else { continue };
        let ind = &plan.indicators[i];
        let _ = writeln!(
            out,
            "# {} — {}{}",
            ind.id,
            ind.name,
            ind.unit
                .as_deref()
                .map(|u| format!(" ({u})"))
                .unwrap_or_default()
        );
        for c in &p.comment {
            let _ = writeln!(out, "# {c}");
        }
        let _ = writeln!(out, "[process.{}]", ind.id);
        // model, the key of its yearly draw, and whether it carries persistence.
        let (model, key, ar) = match p.kind {
            Kind::Growth => ("growth", "rate", true),
            Kind::Increment => ("increment", "step", true),
            Kind::Level => ("level", "value", false),
        };
        let _ = writeln!(out, "model = \"{model}\"");
        let _ = writeln!(
            out,
            "{key} = {{ dist = \"normal\", mean = {}, sd = {} }}",
            num(p.mean),
            num(p.sd)
        );
        if ar {
            let _ = writeln!(out, "persistence = {PERSISTENCE}");
        }
        if let Some((lo, hi)) = p.bounds {
            let _ = writeln!(out, "bounds = [{}, {}]", num(lo), num(hi));
        }
        if let Some(note) = &p.base_note {
            let _ = writeln!(out, "base = {}   # {note}", num(p.base));
        }
        if let Some(u) = &p.unit {
            let _ = writeln!(
                out,
                "unit = {}   # what is simulated (reports print values in it)",
                toml_str(u)
            );
        }
        out.push('\n');
    }
    for (k, v, why) in &placeholders {
        let t = &plan.targets[*k];
        if t.metric == Metric::Qualitative {
            continue;
        }
        let _ = writeln!(out, "# {why}");
        let _ = writeln!(out, "[targets.{}]", t.id);
        let _ = writeln!(out, "value = {}", num(*v));
        let _ = writeln!(out, "placeholder = true\n");
    }
    Draft {
        text: out,
        answered,
        non_qualitative,
        unanswered,
    }
}

/// Whether `path` holds a plan file (a `[plan]` table) rather than a scenario.
pub fn is_plan_file(path: &std::path::Path) -> crate::error::Result<bool> {
    let src = crate::source::Source::read(path)?;
    Ok(crate::scenario::plan::looks_like_plan(&src.text))
}

/// The method a command drafts plan `plan_id` with, and a description of it: the calibration file
/// given, the uncalibrated defaults for `--calibration none`, or else the shipped calibration
/// ([`crate::method::shipped_calibration`]), whose P(met) score better out of sample than the
/// defaults'. When the calibration was fitted on this plan's realised outcomes, the description
/// says that its P(met) are in sample.
pub fn method_from(
    calibration: Option<&std::path::Path>,
    plan_id: &str,
) -> crate::error::Result<(crate::method::Calibrated, String)> {
    let (calibrated, mut source) = match calibration {
        Some(p) if p == std::path::Path::new(crate::method::UNCALIBRATED) => (
            crate::method::Calibrated::default(),
            format!(
                "the uncalibrated defaults (--calibration {})",
                crate::method::UNCALIBRATED
            ),
        ),
        Some(p) => (
            crate::method::read_calibration(p)?,
            format!("calibration {}", p.display()),
        ),
        None => {
            let c = crate::method::shipped_calibration()?;
            let s = format!(
                "the shipped calibration ({}, fitted on {}; no --calibration given)",
                crate::method::SHIPPED_CALIBRATION_PATH,
                c.fitted_on.join(" and ")
            );
            (c, s)
        }
    };
    if calibrated.fitted_on.iter().any(|id| id == plan_id) {
        source.push_str(&format!(
            "; fitted on the realised outcomes of this plan ({plan_id}), so its P(met) here are \
             in sample and flatter the method"
        ));
    }
    Ok((calibrated, source))
}

/// For a plan file drafted with a calibration fitted on that plan's own realised outcomes, a note
/// that scores of it (`attain backtest`) are in sample; `None` for a scenario file or another plan.
pub fn in_sample_note(
    path: &std::path::Path,
    calibration: Option<&std::path::Path>,
) -> crate::error::Result<Option<String>> {
    if !is_plan_file(path)? {
        return Ok(None);
    }
    let id = crate::scenario::load_plan(path)?.plan.id;
    let (c, _) = method_from(calibration, &id)?;
    let which = match crate::method::calibration_file(calibration) {
        Some(p) => format!("calibration {}", p.display()),
        None => format!(
            "the shipped calibration ({})",
            crate::method::SHIPPED_CALIBRATION_PATH
        ),
    };
    Ok(c.fitted_on.contains(&id).then(|| {
        format!(
            "{} is drafted with {which}, which was fitted on this plan's realised outcomes: its \
             scores here are in sample and flatter the method. For an out-of-sample score, pass \
             --calibration with a calibration fitted on other plans only (`attain calibrate` on \
             them), as scripts/regenerate-scenarios.sh does for the review plans.",
            path.display()
        )
    }))
}

/// How a draft written into `dir` names its calibration (`calibration = "…"`, for the track
/// record in reports): the file given, relative to `dir`; the shipped calibration's reference when
/// none is given; nothing for `--calibration none`.
pub fn calibration_ref(
    calibration: Option<&std::path::Path>,
    dir: Option<&std::path::Path>,
) -> Option<String> {
    match calibration {
        None => Some(crate::method::SHIPPED_CALIBRATION_REF.to_string()),
        Some(c) if crate::method::is_shipped(c) => {
            Some(crate::method::SHIPPED_CALIBRATION_REF.into())
        }
        Some(c) => crate::method::calibration_file(Some(c))
            .map(|c| relative_path(dir.unwrap_or(std::path::Path::new(".")), c)),
    }
}

/// The path of the scenario `init` drafts for a plan when none is written: `<plan-stem>-init.toml`
/// beside the plan.
pub fn virtual_scenario_path(plan: &std::path::Path) -> std::path::PathBuf {
    let stem = plan
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan".into());
    plan.with_file_name(format!("{stem}-init.toml"))
}

/// Loads a scenario, or — for a plan file — the scenario `attain init` drafts for it (with the
/// method of `opts.calibration`, or the defaults), validated as `<plan-stem>-init.toml` beside the
/// plan without writing it.
pub fn load_input(
    path: &std::path::Path,
    opts: &crate::scenario::LoadOptions,
) -> crate::error::Result<crate::model::Model> {
    match input_draft(path, opts.calibration.as_deref())? {
        None => crate::scenario::load_scenario_with(path, opts),
        Some((virt, text)) => crate::scenario::load_scenario_text(
            &virt,
            &text,
            &crate::scenario::LoadOptions {
                calibration: None,
                ..opts.clone()
            },
        ),
    }
}

/// For a plan file, the scenario [`load_input`] loads in its place: the path it is validated as
/// (`<plan-stem>-init.toml` beside the plan) and the text `attain init` drafts for it with the method
/// of `calibration` (or the defaults). `None` for a scenario file, which is loaded as it is.
pub fn input_draft(
    path: &std::path::Path,
    calibration: Option<&std::path::Path>,
) -> crate::error::Result<Option<(std::path::PathBuf, String)>> {
    if !is_plan_file(path)? {
        return Ok(None);
    }
    let lp = crate::scenario::load_plan(path)?;
    let (calibrated, method_source) = method_from(calibration, &lp.plan.id)?;
    let method = calibrated.method;
    let file_name = path
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let draft = draft(
        &lp.plan,
        &InitOptions {
            method,
            method_source,
            plan_ref: file_name,
            calibration_ref: calibration_ref(calibration, path.parent()),
            name: format!(
                "{} — attain init",
                lp.plan.title_en.as_deref().unwrap_or(&lp.plan.id)
            ),
            runs: crate::scenario::DEFAULT_RUNS,
            seed: 0,
        },
    );
    Ok(Some((virtual_scenario_path(path), draft.text)))
}

/// `to` as a path relative to the directory `from_dir` (both made absolute first), with `/`
/// separators, for the `plan = "…"` line of a scenario written into `from_dir`.
pub fn relative_path(from_dir: &std::path::Path, to: &std::path::Path) -> String {
    let abs = |p: &std::path::Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            std::env::current_dir()
                .map(|d| d.join(p))
                .unwrap_or_else(|_| p.to_path_buf())
        })
    };
    let (a, b) = (abs(from_dir), abs(to));
    let ac: Vec<_> = a.components().collect();
    let bc: Vec<_> = b.components().collect();
    let common = ac.iter().zip(&bc).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); ac.len() - common];
    parts.extend(
        bc[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_render_as_toml_floats() {
        assert_eq!(num(0.07), "0.07");
        assert_eq!(num(2859.3), "2859.3");
        assert_eq!(num(100.0), "100.0");
        assert_eq!(num(-0.0123456789), "-0.0123457");
        assert_eq!(num(0.0), "0.0");
    }

    /// A plan with one indicator without a base and the given targets (metric, value), all 2025.
    fn plan_with(targets: &[(&str, f64)]) -> Plan {
        let mut text = String::from(
            "[plan]\nid = \"p\"\ntitle = \"p\"\nbase_year = 2020\ntarget_year = 2025\n\n[[indicator]]\nid = \"x\"\nname = \"x\"\nunit = \"km\"\nbetter = \"higher\"\n",
        );
        for (k, (metric, value)) in targets.iter().enumerate() {
            text.push_str(&format!(
                "\n[[target]]\nid = \"t{k}\"\nindicator = \"x\"\nmetric = \"{metric}\"\nop = \"at_least\"\nvalue = {value:?}\n"
            ));
        }
        let src = crate::source::Source {
            path: "p.toml".into(),
            bytes: text.clone().into_bytes(),
            text,
        };
        crate::scenario::plan::parse_plan(src).unwrap().plan
    }

    #[test]
    fn a_level_and_a_relative_target_imply_the_base() {
        let base = |t: &[(&str, f64)]| implied_base(&plan_with(t), 0).map(|(b, _)| b);
        let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-9 * b);
        assert!(close(base(&[("level", 872.6), ("change", 288.4)]), 584.2));
        assert!(close(base(&[("level", 35.0), ("multiple", 2.0)]), 17.5));
        assert!(close(base(&[("level", 80.0), ("reduction", 0.2)]), 100.0));
        assert!(close(
            base(&[("cagr", 0.07), ("level", 1402.55)]),
            1402.55 / 1.07f64.powi(5)
        ));
        // No level, or no relative target: nothing is implied.
        assert_eq!(base(&[("change", 10.0)]), None);
        assert_eq!(base(&[("level", 10.0)]), None);
        // Two pairs that disagree imply nothing; two that agree imply their base.
        assert_eq!(
            base(&[("level", 100.0), ("change", 40.0), ("multiple", 2.0)]),
            None
        );
        assert!(close(
            base(&[("level", 100.0), ("change", 50.0), ("multiple", 2.0)]),
            50.0
        ));
        // A change as large as the level implies no positive base.
        assert_eq!(base(&[("level", 10.0), ("change", 10.0)]), None);
    }

    #[test]
    fn growth_for_total_inverts_the_sum() {
        let g = growth_for_total(10.0, 5, 60.0).unwrap();
        let s: f64 = (1..=5).map(|t| 10.0 * (1.0 + g).powi(t)).sum();
        assert!((s - 60.0).abs() < 1e-9);
    }
}
