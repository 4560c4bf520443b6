//! Reports: one module per output format, all rendering from one [`Results`] value.
//!
//! Text reports (`table`, `json`, `csv`, `markdown`), charts (`charts`: SVG and PNG) and the
//! self-contained `html` report. Each exporter turns results into bytes; [`output`](crate::output) decides where they go and
//! writes them atomically. Nothing here simulates or validates.

pub mod analyses;
pub mod calibrate;
pub mod charts;
pub mod compare_html;
pub mod csv;
pub mod export;
pub mod font;
pub mod html;
pub mod json;
pub mod markdown;
pub mod table;

use crate::model::Metric;
use crate::model::TargetValue;
use crate::model::target::fmt_num;
use crate::results::{Required, RequiredKind, Results, TargetResult};

/// Output formats for standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
    Md,
}

/// Renders results in a format for standard output.
pub fn render(results: &Results, format: Format) -> String {
    match format {
        Format::Table => table::render(results),
        Format::Json => json::to_json(results),
        Format::Csv => csv::targets(results),
        Format::Md => markdown::render(results),
    }
}

/// The one metric formatter: a value of a metric in readable units, rates as percentages with two
/// decimals, other metrics with about four significant digits.
pub fn metric_value_text(metric: Metric, v: f64) -> String {
    if metric.is_rate() {
        format!("{:.2}%", v * 100.0)
    } else {
        sig(v)
    }
}

/// A target as "metric op value", from its JSON value.
pub fn target_text(metric: Metric, op: Option<crate::model::Op>, value: &TargetValue) -> String {
    let v = json_value_text(value);
    format!(
        "{} {} {v}",
        metric.name(),
        op.map(|o| o.name()).unwrap_or("")
    )
}

/// The chart files (`<stem>.svg`, `<stem>.png`) and `report.html` of a result; `generated` is the
/// date printed in the report (and only there).
pub fn visual_files(
    r: &Results,
    generated: &str,
) -> Result<Vec<(String, Vec<u8>)>, charts::ChartError> {
    let rendered = charts::render_all(r)?;
    let mut files = Vec::with_capacity(rendered.len() * 2 + 1);
    files.push((
        "report.html".to_string(),
        html::render(r, &rendered, generated).into_bytes(),
    ));
    for c in rendered {
        files.extend(c.files());
    }
    Ok(files)
}

/// What the reports say instead of a joint probability when a scenario simulates no target (the
/// joint event over no targets is vacuously met in every run, which is no information).
pub const NO_JOINT: &str = "No target is simulated by this scenario: no joint probability.";

/// A percentage with one decimal.
pub fn pct(p: f64) -> String {
    format!("{:.1}%", p * 100.0)
}

/// The target's value as written in the plan.
pub fn value_text(t: &TargetResult) -> String {
    json_value_text(&t.value)
}

/// A target value from its JSON form: a number, `[lo, hi]`, `assigned`, or "—".
fn json_value_text(value: &TargetValue) -> String {
    match value {
        TargetValue::Number(x) => fmt_num(*x),
        TargetValue::Range(a, b) => format!("[{}, {}]", fmt_num(*a), fmt_num(*b)),
        TargetValue::Assigned => "assigned".into(),
        TargetValue::None => "—".into(),
    }
}

/// A target in a few words, Latin only, e.g. "growth ≈ 7%/yr", "≥ 53", "cut ≥ 13.5%",
/// "total ≥ 25", with " by 2035" when its year differs from `plan_year`.
pub fn target_phrase(t: &TargetResult, plan_year: i32) -> String {
    phrase_of(t.metric, t.op, &t.value, t.year, plan_year)
}

/// [`target_phrase`] from the parts of a target: metric, comparison, value (as results.json writes
/// it), year and the plan's target year.
pub fn phrase_of(
    metric: Metric,
    op: Option<crate::model::Op>,
    value: &TargetValue,
    year: i32,
    plan_year: i32,
) -> String {
    use crate::model::Op;
    let num = |v: f64| {
        if metric == Metric::CagrGap {
            fmt_num(v * 100.0)
        } else if metric.is_rate() {
            format!("{}%", fmt_num(v * 100.0))
        } else {
            fmt_num(v)
        }
    };
    let value = match value {
        TargetValue::Number(x) => num(*x),
        TargetValue::Range(a, b) => format!("[{}, {}]", num(*a), num(*b)),
        TargetValue::Assigned => "assigned".into(),
        TargetValue::None => String::new(),
    };
    let op = match op {
        Some(Op::AtLeast) => "≥",
        Some(Op::AtMost) => "≤",
        Some(Op::About) => "≈",
        Some(Op::Between) => "in",
        None => "",
    };
    let (word, suffix) = match metric {
        Metric::Level => ("", ""),
        Metric::Cagr => ("growth", "/yr"),
        Metric::Change => ("change", ""),
        Metric::Sum => ("total", ""),
        Metric::Reduction => ("cut", ""),
        Metric::Multiple => ("multiple", ""),
        Metric::CagrGap => ("growth gap", " pp/yr"),
        Metric::Ratio => ("ratio", ""),
        Metric::Qualitative => ("qualitative", ""),
    };
    let mut s = [word, op, &format!("{value}{suffix}")]
        .iter()
        .filter(|w| !w.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    if year != plan_year {
        s.push_str(&format!(" by {year}"));
    }
    s
}

/// [`target_phrase`] with the unit its number is in: `unit` (the unit simulated, see
/// [`Results::value_unit`]) for levels, changes and totals — "≥ 53%", "≥ 160 万人" — and "×" for
/// multiples; rates already carry their "%".
pub fn target_phrase_unit(t: &TargetResult, plan_year: i32, unit: Option<&str>) -> String {
    phrase_with_unit(t.metric, t.op, &t.value, t.year, plan_year, unit)
}

/// [`phrase_of`] with the unit its number is in (see [`target_phrase_unit`]).
pub fn phrase_with_unit(
    metric: Metric,
    op: Option<crate::model::Op>,
    value: &TargetValue,
    year: i32,
    plan_year: i32,
    unit: Option<&str>,
) -> String {
    let phrase = phrase_of(metric, op, value, year, plan_year);
    let suffix = match (metric, unit) {
        (Metric::Level | Metric::Change, Some(u)) if !u.trim().is_empty() => unit_suffix(u),
        // A total of a yearly flow is in the flow's unit without "per year".
        (Metric::Sum, Some(u)) if !u.trim().is_empty() => {
            let u = u.trim();
            let u = ["/yr", "/year", " per year", "/a", "每年"]
                .iter()
                .find_map(|s| u.strip_suffix(s))
                .unwrap_or(u);
            unit_suffix(u)
        }
        (Metric::Multiple, _) => "×".into(),
        _ => return phrase,
    };
    // The unit goes after the number, before " by 2035".
    let by = format!(" by {year}");
    match phrase.strip_suffix(&by) {
        Some(head) if year != plan_year => format!("{head}{suffix}{by}"),
        _ => format!("{phrase}{suffix}"),
    }
}

/// A unit as written after a number: "%" and "‰" close up, others after a space.
pub fn unit_suffix(unit: &str) -> String {
    let u = unit.trim();
    if u == "%" || u == "‰" {
        u.to_string()
    } else {
        format!(" {u}")
    }
}

/// A target in a few words with its unit, in the unit a result simulates (the one text charts and
/// tables label targets with).
pub fn target_label(r: &Results, t: &TargetResult) -> String {
    target_phrase_unit(t, r.plan.target_year, r.value_unit(&t.indicator))
}

/// An indicator's name: Chinese and English where both exist.
pub fn indicator_name(name: &str, name_en: Option<&str>) -> String {
    match name_en {
        Some(en) if !en.is_empty() && en != name => format!("{name} {en}"),
        _ => name.to_string(),
    }
}

/// A metric value in readable units: rates as percentages.
pub fn metric_text(t: &TargetResult, v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(x) => metric_value_text(t.metric, x),
    }
}

/// A number with about four significant digits.
pub fn sig(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let a = x.abs();
    if a >= 1e4 || a == 0.0 {
        format!("{x:.0}")
    } else if a >= 100.0 {
        format!("{x:.1}")
    } else if a >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.4}")
    }
}

/// The required path in words, e.g. "6.5%/yr from 2020".
pub fn required_text(r: &Option<Required>) -> String {
    match r {
        None => "—".into(),
        Some(r) => match r.kind {
            RequiredKind::Growth => format!("{:+.2}%/yr from {}", r.value * 100.0, r.from_year),
            RequiredKind::Step => format!(
                "{}{}/yr from {}",
                if r.value >= 0.0 { "+" } else { "" },
                sig(r.value),
                r.from_year
            ),
            RequiredKind::MeanValue => format!("{}/yr avg from {}", sig(r.value), r.from_year),
            RequiredKind::Level => format!("{} in target year", sig(r.value)),
        },
    }
}
