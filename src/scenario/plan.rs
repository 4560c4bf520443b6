//! Reading and validating plan files (`seeds/*.toml`) into [`Plan`].

use super::raw::{PlanFile, RawSource, RawTarget};
use crate::error::Result;
use crate::model::{
    Attribute, Better, Indicator, Metric, Op, Plan, SourceRef, Target, TargetValue,
};
use crate::source::Source;
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// A plan with the spans of its parts, for errors found later against a scenario.
#[derive(Debug, Clone)]
pub struct LoadedPlan {
    pub plan: Plan,
    pub source: Source,
    pub target_spans: Vec<Range<usize>>,
    pub indicator_spans: Vec<Range<usize>>,
}

/// Years outside this range are surely typos.
pub const YEARS: std::ops::RangeInclusive<i64> = 1900..=2200;

pub(crate) fn is_id(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some('a'..='z'))
        && c.all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
}

fn check_id(src: &Source, id: &Spanned<String>, what: &str) -> Result<()> {
    if is_id(id.get_ref()) {
        Ok(())
    } else {
        Err(src.error(
            id.span(),
            format!("{what} id `{}` is not snake_case", id.get_ref()),
            "use lower-case ASCII letters, digits and `_`, starting with a letter (e.g. `gdp_per_capita`)",
        ))
    }
}

/// A `source = { line, quote }`: `line` is 1-based, or a character offset from 0 when the plan says
/// `source_locator = "char_offset"`.
fn source_ref(src: &Source, s: &Option<RawSource>, locator: &str) -> Result<Option<SourceRef>> {
    match s {
        None => Ok(None),
        Some(r) => {
            let line = *r.line.get_ref();
            if locator == "char_offset" && line < 0 {
                return Err(src.error(
                    r.line.span(),
                    "`line` must be ≥ 0",
                    "with source_locator = \"char_offset\", give the character offset of the \
                     quote in the source document (from 0)",
                ));
            }
            if locator != "char_offset" && line < 1 {
                return Err(src.error(
                    r.line.span(),
                    format!("`line` must be ≥ 1, got {line}"),
                    "give the 1-based line number of the quote in the source document (for a \
                     one-line document, set source_locator = \"char_offset\" in [plan])",
                ));
            }
            Ok(Some(SourceRef {
                line: *r.line.get_ref(),
                quote: r.quote.clone(),
            }))
        }
    }
}

fn finite(src: &Source, v: &Spanned<f64>, what: &str) -> Result<f64> {
    let x = *v.get_ref();
    if x.is_finite() {
        Ok(x)
    } else {
        Err(src.error(
            v.span(),
            format!("`{what}` must be a finite number, got {x}"),
            "write a plain number",
        ))
    }
}

/// Refuses a value of a rate-like metric (cagr, reduction, cagr_gap: fractions, 0.07 = 7 %) that is
/// almost surely a percentage written as a number (`value = 7` for 7 %). A target (`value`) of
/// cagr or cagr_gap of magnitude 1 or more (100 % a year) is refused; a realised outcome
/// (`actual`) only from 3 (300 % a year), since a small base can truly grow more than 100 % a year.
/// A reduction cannot exceed 1 (a cut of more than 100 %) but may be 1 (eliminated: 清零, 全部脱贫),
/// and a negative one (an increase) may exceed 100 %: a reduction of -1.2 is an indicator that grew
/// by 120 %.
pub fn check_rate_scale(
    src: &Source,
    span: Range<usize>,
    metric: Metric,
    what: &str,
    value: &TargetValue,
) -> Result<()> {
    let xs = match *value {
        TargetValue::Number(x) => vec![x],
        TargetValue::Range(lo, hi) => vec![lo, hi],
        _ => Vec::new(),
    };
    match xs
        .into_iter()
        .find(|&x| rate_out_of_scale(metric, what == "actual", x))
    {
        Some(x) if metric.is_rate() => Err(src.error(
            span,
            format!(
                "`{what}` {} of a `{}` target means {} %",
                crate::error::num(x),
                metric.name(),
                crate::error::num(x * 100.0)
            ),
            format!(
                "cagr, reduction and cagr_gap take fractions (0.07 = 7 %): for {0} % write {1}",
                crate::error::num(x),
                crate::error::num(x / 100.0)
            ),
        )),
        _ => Ok(()),
    }
}

/// True when `x`, a target's value (or with `actual`, its realised outcome) of a rate-like metric,
/// is one [`check_rate_scale`] refuses; false for other metrics.
pub fn rate_out_of_scale(metric: Metric, actual: bool, x: f64) -> bool {
    match metric {
        Metric::Reduction => x > 1.0,
        Metric::Cagr | Metric::CagrGap => x.abs() >= if actual { 3.0 } else { 1.0 },
        _ => false,
    }
}

/// Interprets a target `value`: a number, `[lo, hi]`, or `"assigned"`.
pub fn target_value(src: &Source, v: &Spanned<toml::Value>) -> Result<TargetValue> {
    let num = |x: &toml::Value| match x {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    };
    let bad = |msg: String| {
        src.error(
            v.span(),
            msg,
            "write a number, a range `[lo, hi]`, or \"assigned\"",
        )
    };
    match v.get_ref() {
        toml::Value::String(s) if s == "assigned" => Ok(TargetValue::Assigned),
        toml::Value::Array(a) => {
            let xs: Vec<f64> = a.iter().filter_map(num).collect();
            if a.len() != 2 || xs.len() != 2 {
                return Err(bad("a range value must be two numbers `[lo, hi]`".into()));
            }
            if !xs.iter().all(|x| x.is_finite()) {
                return Err(bad("range bounds must be finite".into()));
            }
            if xs[0] == xs[1] {
                return Err(src.error(
                    v.span(),
                    format!(
                        "the range [{0}, {0}] is a single point, which no simulated outcome meets",
                        crate::error::num(xs[0])
                    ),
                    "give a range whose lower bound is below its upper bound, or a single number \
                     with op = \"about\", \"at_least\" or \"at_most\"",
                ));
            }
            if xs[0] > xs[1] {
                return Err(bad(format!(
                    "range lower bound {} exceeds upper bound {}",
                    crate::error::num(xs[0]),
                    crate::error::num(xs[1])
                )));
            }
            Ok(TargetValue::Range(xs[0], xs[1]))
        }
        other => match num(other) {
            Some(x) if x.is_finite() => Ok(TargetValue::Number(x)),
            Some(x) => Err(bad(format!("the value must be finite, got {x}"))),
            None => Err(bad(format!("unexpected value {other}"))),
        },
    }
}

/// True when `text` parses as TOML with a `[plan]` table: a plan file, whatever else is wrong.
pub fn looks_like_plan(text: &str) -> bool {
    toml::from_str::<toml::Table>(text).is_ok_and(|t| t.get("plan").is_some_and(|p| p.is_table()))
}

/// True when `text` parses as TOML without a `[plan]` table but with what only a scenario has: a
/// `plan = "…"` path, `extends`, `[scenario]` or `[process.*]`.
pub fn looks_like_scenario(text: &str) -> bool {
    toml::from_str::<toml::Table>(text).is_ok_and(|t| {
        t.get("plan").is_none_or(|p| p.is_str())
            && ["plan", "extends", "scenario", "process"]
                .iter()
                .any(|k| t.contains_key(*k))
    })
}

/// Reads and validates a plan file.
pub fn load_plan(path: &Path) -> Result<LoadedPlan> {
    let src = Source::read(path)?;
    parse_plan(src)
}

/// Validates a plan already read into memory.
pub fn parse_plan(src: Source) -> Result<LoadedPlan> {
    let raw: PlanFile = toml::from_str(&src.text).map_err(|e| {
        if looks_like_scenario(&src.text) {
            src.error_top(
                format!("{} is a scenario file, not a plan", src.path.display()),
                "give a plan file (the one with the [plan] table, e.g. seeds/<plan>.toml); a \
                 scenario names its plan with plan = \"…\"",
            )
        } else {
            src.toml_error(&e, "plan")
        }
    })?;
    let h = raw.plan.get_ref();
    check_plan_id(&src, &h.id)?;
    for y in [&h.base_year, &h.target_year] {
        if !YEARS.contains(y.get_ref()) {
            return Err(src.error(
                y.span(),
                format!("year {} is out of range", y.get_ref()),
                "give a calendar year such as 2020",
            ));
        }
    }
    let (base_year, target_year) = (
        *h.base_year.get_ref() as i32,
        *h.target_year.get_ref() as i32,
    );
    if target_year <= base_year {
        return Err(src.error(
            h.target_year.span(),
            format!("target_year {target_year} must be after base_year {base_year}"),
            "the target year is the end of the plan period (e.g. base_year = 2020, target_year = 2025)",
        ));
    }
    let source_locator = match &h.source_locator {
        None => "line".to_string(),
        Some(s) if s.get_ref() == "line" || s.get_ref() == "char_offset" => s.get_ref().clone(),
        Some(s) => {
            return Err(src.error(
                s.span(),
                format!("unknown source_locator `{}`", s.get_ref()),
                "use \"line\" or \"char_offset\"",
            ));
        }
    };

    let mut indicators = Vec::new();
    let mut indicator_spans = Vec::new();
    let mut seen = HashSet::new();
    for si in &raw.indicator {
        let i = si.get_ref();
        check_id(&src, &i.id, "indicator")?;
        if !seen.insert(i.id.get_ref().clone()) {
            return Err(src.error(
                i.id.span(),
                format!("duplicate indicator id `{}`", i.id.get_ref()),
                "indicator ids must be unique within a plan",
            ));
        }
        let better = Better::parse(i.better.get_ref()).ok_or_else(|| {
            src.error(
                i.better.span(),
                format!("unknown `better` value `{}`", i.better.get_ref()),
                "use \"higher\" or \"lower\"",
            )
        })?;
        let base = match &i.base {
            Some(b) => Some(finite(&src, b, "base")?),
            None => None,
        };
        indicators.push(Indicator {
            id: i.id.get_ref().clone(),
            name: i.name.clone(),
            name_en: i.name_en.clone(),
            unit: i.unit.clone(),
            base,
            better,
            source: source_ref(&src, &i.source, &source_locator)?,
            note: i.note.clone(),
        });
        indicator_spans.push(si.span());
    }

    let mut plan = Plan {
        path: src.path.clone(),
        id: h.id.get_ref().clone(),
        title: h.title.clone(),
        title_en: h.title_en.clone(),
        region: h.region.clone(),
        source: h.source.clone(),
        source_locator,
        base_year,
        target_year,
        note: h.note.clone(),
        indicators,
        targets: Vec::new(),
    };

    let mut target_spans = Vec::new();
    let mut seen = HashSet::new();
    for st in &raw.target {
        let t = st.get_ref();
        check_id(&src, &t.id, "target")?;
        if !seen.insert(t.id.get_ref().clone()) {
            return Err(src.error(
                t.id.span(),
                format!("duplicate target id `{}`", t.id.get_ref()),
                "target ids must be unique within a plan",
            ));
        }
        let target = parse_target(&src, &plan, t)?;
        plan.targets.push(target);
        target_spans.push(st.span());
    }
    Ok(LoadedPlan {
        plan,
        source: src,
        target_spans,
        indicator_spans,
    })
}

fn check_plan_id(src: &Source, id: &Spanned<String>) -> Result<()> {
    let s = id.get_ref();
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(src.error(
            id.span(),
            format!("plan id `{s}` must be non-empty ASCII letters, digits, `-` or `_`"),
            "e.g. id = \"zhumadian-14fyp\"",
        ));
    }
    Ok(())
}

fn indicator_ref(src: &Source, plan: &Plan, id: &Spanned<String>) -> Result<usize> {
    plan.indicator_index(id.get_ref()).ok_or_else(|| {
        let known: Vec<&str> = plan.indicators.iter().map(|i| i.id.as_str()).collect();
        src.error(
            id.span(),
            format!("unknown indicator `{}`", id.get_ref()),
            format!(
                "declare it as an [[indicator]] first; known: {}",
                known.join(", ")
            ),
        )
    })
}

fn parse_target(src: &Source, plan: &Plan, t: &RawTarget) -> Result<Target> {
    let indicator = indicator_ref(src, plan, &t.indicator)?;
    let metric = Metric::parse(t.metric.get_ref()).ok_or_else(|| {
        src.error(
            t.metric.span(),
            format!("unknown metric `{}`", t.metric.get_ref()),
            format!("use one of: {}", Metric::NAMES),
        )
    })?;
    let op = match &t.op {
        None => None,
        Some(o) => Some(Op::parse(o.get_ref()).ok_or_else(|| {
            src.error(
                o.span(),
                format!("unknown op `{}`", o.get_ref()),
                "use at_least, at_most, about or between",
            )
        })?),
    };
    let value = match &t.value {
        None => TargetValue::None,
        Some(v) => target_value(src, v)?,
    };
    if metric == Metric::Qualitative {
        let given: Vec<(&str, Range<usize>)> = [
            t.op.as_ref().map(|o| ("op", o.span())),
            t.value.as_ref().map(|v| ("value", v.span())),
            t.tolerance.as_ref().map(|v| ("tolerance", v.span())),
            t.direction.as_ref().map(|v| ("direction", v.span())),
            t.actual.as_ref().map(|v| ("actual", v.span())),
        ]
        .into_iter()
        .flatten()
        .collect();
        if let Some((_, span)) = given.first() {
            let keys: Vec<String> = given.iter().map(|(k, _)| format!("`{k}`")).collect();
            return Err(src.error(
                span.clone(),
                format!(
                    "target `{}` is qualitative but has {}",
                    t.id.get_ref(),
                    keys.join(" and ")
                ),
                "qualitative targets take neither `op` nor `value` (they are listed, not \
                 simulated), and no `tolerance`, `direction` or `actual` either: remove them, or \
                 give the target a numeric metric such as level or cagr",
            ));
        }
    } else {
        let Some(op) = op else {
            return Err(src.error(t.id.span(), format!("target `{}` has no `op`", t.id.get_ref()), "add op = \"at_least\" | \"at_most\" | \"about\" | \"between\" (or metric = \"qualitative\")"));
        };
        let span = t
            .value
            .as_ref()
            .map(|v| v.span())
            .unwrap_or_else(|| t.id.span());
        match (&value, op) {
            (TargetValue::None, _) => {
                return Err(src.error(
                    span,
                    format!("target `{}` has no `value`", t.id.get_ref()),
                    "add value = <number>, [lo, hi] for between, or \"assigned\"",
                ));
            }
            (TargetValue::Range(..), o) if o != Op::Between => {
                return Err(src.error(
                    span,
                    "a range value needs op = \"between\"",
                    "use op = \"between\" or give a single number",
                ));
            }
            (TargetValue::Number(_), Op::Between) => {
                return Err(src.error(
                    span,
                    "op = \"between\" needs value = [lo, hi]",
                    "give the range as two numbers",
                ));
            }
            _ => {}
        }
    }
    let attribute = match &t.attribute {
        None => Attribute::Expected,
        Some(a) => match a.get_ref().as_str() {
            "expected" => Attribute::Expected,
            "binding" => Attribute::Binding,
            other => {
                return Err(src.error(
                    a.span(),
                    format!("unknown attribute `{other}`"),
                    "use \"expected\" (预期性) or \"binding\" (约束性)",
                ));
            }
        },
    };
    let year = match &t.year {
        None => plan.target_year,
        Some(y) => {
            let v = *y.get_ref();
            if !YEARS.contains(&v) {
                return Err(src.error(
                    y.span(),
                    format!(
                        "target year {v} is out of range ({}–{})",
                        YEARS.start(),
                        YEARS.end()
                    ),
                    "give a calendar year after base_year, such as 2025 or 2035",
                ));
            }
            if v <= plan.base_year as i64 {
                return Err(src.error(
                    y.span(),
                    format!(
                        "target year {v} is not after the plan's base year {}",
                        plan.base_year
                    ),
                    "give a year after base_year (targets are judged at the end of that year)",
                ));
            }
            v as i32
        }
    };
    let relative_to = match &t.relative_to {
        None => None,
        Some(r) => Some(indicator_ref(src, plan, r)?),
    };
    if metric.needs_other() && relative_to.is_none() {
        return Err(src.error(
            t.metric.span(),
            format!("metric `{}` needs `relative_to`", metric.name()),
            "add relative_to = \"<indicator id>\" (e.g. the GDP indicator)",
        ));
    }
    if let (false, Some(r)) = (metric.needs_other(), &t.relative_to) {
        return Err(src.error(
            r.span(),
            format!(
                "`relative_to` is only used by cagr_gap and ratio, not `{}`",
                metric.name()
            ),
            "remove relative_to",
        ));
    }
    if let (Some(r), Some(rt)) = (relative_to, &t.relative_to)
        && r == indicator
    {
        return Err(src.error(
            rt.span(),
            format!(
                "target `{}` is a {} of `{}` relative to itself",
                t.id.get_ref(),
                metric.name(),
                rt.get_ref()
            ),
            format!(
                "relative_to names another indicator (e.g. urban income relative to rural income); \
                 a {} of an indicator with itself is always {}",
                metric.name(),
                if metric == Metric::Ratio { "1" } else { "0" }
            ),
        ));
    }
    let direction = match &t.direction {
        None => None,
        Some(d) => Some(Better::parse(d.get_ref()).ok_or_else(|| {
            src.error(
                d.span(),
                format!("unknown direction `{}`", d.get_ref()),
                "use \"higher\" or \"lower\"",
            )
        })?),
    };
    let tolerance = match &t.tolerance {
        None => None,
        Some(tol) if op.is_some_and(|o| o != Op::About) => {
            return Err(src.error(
                tol.span(),
                format!(
                    "target `{}` has op = \"{}\", which takes no `tolerance`",
                    t.id.get_ref(),
                    op.map_or("", |o| o.name())
                ),
                "`tolerance` is the margin of an op = \"about\" target; remove it, or use op = \"about\"",
            ));
        }
        Some(tol) => {
            let v = finite(src, tol, "tolerance")?;
            if v < 0.0 {
                return Err(src.error(
                    tol.span(),
                    "`tolerance` must be ≥ 0",
                    "give the tolerance in the metric's units (0.005 = 0.5 pp for a cagr)",
                ));
            }
            Some(v)
        }
    };
    let actual = match &t.actual {
        None => None,
        Some(a) => Some(finite(src, a, "actual")?),
    };
    if let Some(v) = &t.value {
        check_rate_scale(src, v.span(), metric, "value", &value)?;
    }
    if let (Some(a), Some(x)) = (&t.actual, actual) {
        check_rate_scale(src, a.span(), metric, "actual", &TargetValue::Number(x))?;
    }
    Ok(Target {
        id: t.id.get_ref().clone(),
        indicator,
        metric,
        op,
        value,
        attribute,
        year,
        actual,
        relative_to,
        direction,
        tolerance,
        source: source_ref(src, &t.source, &plan.source_locator)?,
        note: t.note.clone(),
        value_from_scenario: false,
        placeholder: false,
    })
}
