//! Charts of the analyses (compare, sensitivity, goal): grouped bars per target (`compare`), a
//! tornado per target (`tornado-<target>`) and the probability-of-target-attainment curve
//! (`attainment-curve-<target>`), each written as `.svg` and `.png`.
//!
//! Every chart here is a spec of the shared chart module ([`crate::report::charts`]): the
//! comparison and the tornado are [`BarChart`]s (the tornado's paired low/high bars start at the
//! scenario's P(met)), the attainment curve is an [`XyChart`]. So they share one palette, one font
//! and one pair of renderers with the run's charts.
//!
//! Data first, drawing second: [`compare_bars`], [`tornado_bars`] and [`attainment_curve_series`] reduce the
//! typed values to plain numbers (unit-tested); the `*_chart` functions build the specs. A chart
//! that cannot be drawn is an error naming the file, returned to the caller.

use crate::analysis::compare::Comparison;
use crate::analysis::goal::GoalTarget;
use crate::analysis::sensitivity::{Sensitivity, TargetSensitivity};
use crate::model::Metric;
use crate::report::charts::{
    self, BarChart, BarGroup, BarRow, ChartError, Label, Layer, LegendPosition, Tick, XyChart,
    palette,
};
use crate::report::metric_value_text as metric_value;

/// Inputs shown per tornado.
pub const TORNADO_ROWS: usize = 15;

/// One bar of the comparison chart.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareBar {
    pub scenario: usize,
    pub p: f64,
    pub lo: f64,
    pub hi: f64,
}

/// The comparison's rows: (label, bars per simulated scenario), targets then the joint binding row.
pub fn compare_bars(c: &Comparison) -> Vec<(String, Vec<CompareBar>)> {
    let bars = |ps: &mut dyn Iterator<Item = (usize, Option<crate::results::Prob>)>| {
        ps.filter_map(|(s, p)| {
            p.map(|p| CompareBar {
                scenario: s,
                p: p.p,
                lo: p.lo,
                hi: p.hi,
            })
        })
        .collect::<Vec<_>>()
    };
    let mut rows: Vec<(String, Vec<CompareBar>)> = c
        .targets
        .iter()
        .map(|t| (t.id.clone(), bars(&mut t.p_met.iter().copied().enumerate())))
        .collect();
    if let Some(j) = c
        .joint
        .iter()
        .find(|j| j.kind == crate::analysis::compare::JointKind::AllBinding)
        && j.targets.iter().any(|&n| n > 0)
    {
        rows.push((
            "all binding targets (joint)".into(),
            bars(&mut j.p.iter().map(|p| Some(*p)).enumerate()),
        ));
    }
    rows
}

/// Where a scenario stands from pessimistic (−1) through baseline (0) to optimistic (+1), from
/// words in its file stem or name; `None` when it says none of them.
pub fn scenario_rank(stem: &str, name: &str) -> Option<i32> {
    let s = format!("{stem} {name}").to_lowercase();
    let has = |ws: &[&str]| ws.iter().any(|w| s.contains(w));
    if has(&["pessimis", "downside", "low case", "-low", "悲观"]) {
        Some(-1)
    } else if has(&["optimis", "upside", "high case", "-high", "乐观"]) {
        Some(1)
    } else if has(&["baseline", "base case", "central", "基准"]) {
        Some(0)
    } else {
        None
    }
}

/// Each scenario's colour and its place in the chart's rows: pessimistic–baseline–optimistic in
/// vermillion, grey-black and blue (ordered, so the colours read as a scale), others in the
/// remaining palette colours after them, in the order given.
pub fn scenario_order(c: &Comparison) -> Vec<(usize, plotters::style::RGBColor)> {
    let ranked: Vec<(usize, Option<i32>)> = c
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| (i, scenario_rank(&s.stem, &s.name)))
        .collect();
    let mut out: Vec<(i32, usize, plotters::style::RGBColor)> = Vec::new();
    let others = [
        palette::GREEN,
        palette::ORANGE,
        palette::PURPLE,
        palette::SKY,
    ];
    let mut k = 0;
    for (i, r) in ranked {
        match r {
            Some(-1) => out.push((-1, i, palette::VERMILLION)),
            Some(0) => out.push((0, i, palette::INK)),
            Some(_) => out.push((1, i, palette::BLUE)),
            None => {
                out.push((2, i, others[k % others.len()]));
                k += 1;
            }
        }
    }
    out.sort_by_key(|x| (x.0, x.1));
    out.into_iter().map(|x| (x.1, x.2)).collect()
}

/// A target's wording in the comparison: its indicator's name and the target in words with its
/// unit, from the reference scenario's results (the id when they are not there).
fn compare_label(c: &Comparison, id: &str) -> Label {
    c.results
        .iter()
        .find_map(|r| {
            r.targets
                .iter()
                .find(|t| t.id == id)
                .map(|t| charts::attainment::target_label(r, t))
        })
        .unwrap_or_else(|| Label::plain(id))
}

/// The comparison as a dot chart: per target, one dot per scenario (pessimistic to optimistic) at
/// its P(met) with the 95 % interval, and beside each the paired change against the first
/// scenario with its paired 95 % interval.
pub fn compare_chart(c: &Comparison) -> BarChart {
    let reference = &c.scenarios[c.reference];
    let mut chart = BarChart::new(Label::plain(format!(
        "P(met) per target and scenario, and the change against {}",
        reference.name
    )));
    chart.subtitle = Some(Label::plain(format!(
        "{} ({}–{}); {} runs each, seed {}; common random numbers: changes (pp) are paired, with paired 95% intervals",
        c.plan.title_en.as_deref().unwrap_or(&c.plan.id),
        c.plan.base_year,
        c.plan.target_year,
        c.runs,
        c.seed
    )));
    chart.x_label = Label::plain("probability that the target is met (%)");
    chart.whisker_name = Some(Label::plain("95% interval"));
    chart.references = vec![(0.5, Label::plain("50%"))];
    chart.dots = true;
    let order = scenario_order(c);
    chart.label_span = order.len().max(1);
    // Groups in scenario index order; rows in the ranked order.
    chart.groups = c
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| BarGroup {
            name: Label::plain(if i == c.reference {
                format!("{} (reference)", s.name)
            } else {
                s.name.clone()
            }),
            color: order
                .iter()
                .find(|o| o.0 == i)
                .map_or(palette::GREY, |o| o.1),
        })
        .collect();
    let mut push = |label: Label,
                    p: &[Option<crate::results::Prob>],
                    change: &[Option<crate::stats::paired::PairedDiff>]| {
        for (k, &(s, _)) in order.iter().enumerate() {
            let (value, interval, note) = match p.get(s).copied().flatten() {
                Some(p) => {
                    let ch = match change.get(s).copied().flatten() {
                        Some(d) if s != c.reference => {
                            format!("  {}", crate::report::analyses::change_text(&d, 1))
                        }
                        _ => String::new(),
                    };
                    (
                        p.p,
                        Some((p.lo, p.hi)),
                        Some(format!("{:.1}%{ch}", p.p * 100.0)),
                    )
                }
                None => (f64::NAN, None, Some("not simulated".into())),
            };
            chart.rows.push(BarRow {
                label: if k == 0 {
                    label.clone()
                } else {
                    Label::default()
                },
                value,
                interval,
                group: s,
                note,
                pair: None,
            });
        }
    };
    for t in &c.targets {
        push(compare_label(c, &t.id), &t.p_met, &t.change);
    }
    if let Some(j) = c
        .joint
        .iter()
        .find(|j| j.kind == crate::analysis::compare::JointKind::AllBinding)
        && j.targets.iter().any(|&n| n > 0)
    {
        let p: Vec<Option<crate::results::Prob>> = j.p.iter().map(|p| Some(*p)).collect();
        push(
            Label::plain("all binding targets met in the same run (joint)"),
            &p,
            &j.change,
        );
    }
    chart
}

/// The indicators simulated in any scenario of a comparison, in the reference's order then the
/// others'.
pub fn compare_indicators(c: &Comparison) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for r in &c.results {
        for i in &r.indicators {
            if !ids.contains(&i.id) {
                ids.push(i.id.clone());
            }
        }
    }
    ids
}

/// One indicator's fan chart with every scenario overlaid: per scenario (in the comparison's
/// colours and order) its 80 % central interval as a band and its median as a line, the targets'
/// paths of the reference scenario dashed, base and observed values as points. `None` when no
/// scenario simulates the indicator.
pub fn compare_fan_chart(c: &Comparison, indicator: &str) -> Option<XyChart> {
    let order = scenario_order(c);
    let with: Vec<(
        usize,
        &crate::results::Results,
        &crate::results::IndicatorResult,
    )> = order
        .iter()
        .filter_map(|&(s, _)| {
            let r = c.results.get(s)?;
            let i = r.indicators.iter().find(|i| i.id == indicator)?;
            Some((s, r, i))
        })
        .collect();
    let &(_, r0, i0) = with
        .iter()
        .find(|w| w.0 == c.reference)
        .or_else(|| with.first())?;
    let mut chart = charts::fan::chart(r0, i0);
    let end = i0.years.last().map_or(c.plan.target_year, |y| y.year);
    let name_full = crate::report::indicator_name(&i0.name, i0.name_en.as_deref());
    let name_latin = i0.name_en.clone().unwrap_or_else(|| i0.id.clone());
    chart.title = Label::new(
        format!(
            "{name_full}: simulated paths {}–{end} by scenario",
            c.plan.base_year
        ),
        format!(
            "{name_latin}: simulated paths {}–{end} by scenario",
            c.plan.base_year
        ),
    );
    chart.subtitle = Some(Label::plain(format!(
        "median (line) and 80% central interval (band) of {} runs per scenario, common random numbers; dashed: the targets",
        c.runs
    )));
    // Keep the reference chart's axes, targets and observed points; replace its bands and median.
    let mut kept: Vec<Layer> = chart
        .layers
        .drain(..)
        .filter(|l| {
            !matches!(l, Layer::Band { .. }) && !matches!(l, Layer::Line { dashed: false, .. })
        })
        .collect();
    let color = |s: usize| {
        order
            .iter()
            .find(|o| o.0 == s)
            .map_or(palette::GREY, |o| o.1)
    };
    // The targets' dashed paths take colours no scenario has, so that a target never reads as a
    // scenario's median (the reference chart colours its first target as the pessimistic one).
    let free: Vec<_> = [
        palette::GREEN,
        palette::PURPLE,
        palette::ORANGE,
        palette::SKY,
    ]
    .into_iter()
    .filter(|c| order.iter().all(|o| o.1 != *c))
    .collect();
    for (k, l) in kept
        .iter_mut()
        .filter_map(|l| match l {
            Layer::Line {
                dashed: true,
                color,
                ..
            } => Some(color),
            _ => None,
        })
        .enumerate()
    {
        *l = free
            .get(k % free.len().max(1))
            .copied()
            .unwrap_or(palette::MUTED);
    }
    for &(s, r, i) in &with {
        let d = charts::fan::data(r, i);
        let Some(b80) = d.bands.iter().find(|b| b.level == 80) else {
            continue;
        };
        chart.layers.push(Layer::Band {
            xs: d.years.clone(),
            lo: b80.lo.clone(),
            hi: b80.hi.clone(),
            color: color(s),
            opacity: 0.16,
            name: None,
        });
    }
    for &(s, r, i) in &with {
        let d = charts::fan::data(r, i);
        chart.layers.push(charts::fan::median_line(
            &d,
            color(s),
            Label::plain(c.scenarios[s].name.clone()),
        ));
    }
    chart.layers.extend(kept);
    Some(chart)
}

/// The stem of an indicator's overlaid fan chart in a comparison's directory.
pub fn compare_fan_stem(indicator: &str) -> String {
    format!("compare-fan-{}", charts::file_stem(indicator))
}

/// `compare.svg` and `compare.png`.
pub fn compare(c: &Comparison) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    charts::files("compare", &compare_chart(c))
}

/// One tornado bar: the input, its low and high settings' P(met) (if run).
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    pub label: String,
    pub p_low: Option<f64>,
    pub p_high: Option<f64>,
}

/// The bars of a target's tornado: inputs that move P(met), largest impact first, at most
/// [`TORNADO_ROWS`].
pub fn tornado_bars(s: &Sensitivity, t: &TargetSensitivity) -> Vec<TornadoBar> {
    t.bars
        .iter()
        .filter(|b| b.impact > 0.0)
        .take(TORNADO_ROWS)
        .map(|b| {
            let p = &s.parameters[b.param];
            TornadoBar {
                label: format!(
                    "{}  {} | {}",
                    p.id,
                    crate::report::sig(p.low),
                    crate::report::sig(p.high)
                ),
                p_low: b.low.as_ref().map(|x| x.p_met.p),
                p_high: b.high.as_ref().map(|x| x.p_met.p),
            }
        })
        .collect()
}

/// The probability axis of a tornado: the base and every bar's end, padded, within 0–100 %.
fn tornado_range(base: f64, bars: &[TornadoBar]) -> (f64, f64) {
    let ends = bars.iter().flat_map(|b| [b.p_low, b.p_high]).flatten();
    let (d0, d1) = ends.fold((base, base), |(a, z), p| (a.min(p), z.max(p)));
    let pad = ((d1 - d0) * 0.08).max(0.005);
    ((d0 - pad).max(0.0), (d1 + pad).min(1.0))
}

/// A target's tornado: P(met) at each input's low (blue) and high (orange) setting, drawn from
/// the scenario's P(met), largest swing on top.
pub fn tornado_chart(s: &Sensitivity, t: &TargetSensitivity) -> BarChart {
    let bars = tornado_bars(s, t);
    let base = t.p_met.p;
    let pct = |p: Option<f64>| p.map_or("—".to_string(), |p| format!("{:.1}%", p * 100.0));
    let mut c = BarChart::new(Label::plain(format!("What moves P(met) of {}", t.id)));
    c.subtitle = Some(Label::plain(format!(
        "{} — {}: P(met) {:.1}%; each input moved down and up by swing {} (one at a time, common random numbers, {} runs)",
        s.scenario.stem,
        t.rule,
        base * 100.0,
        s.swing,
        s.runs
    )));
    c.x_label = Label::plain("P(met) at the input's setting (%)");
    c.x_range = tornado_range(base, &bars);
    c.x_ticks = 8;
    c.base = Some(base);
    c.groups = vec![
        BarGroup {
            name: Label::plain("low setting"),
            color: palette::BLUE,
        },
        BarGroup {
            name: Label::plain("high setting"),
            color: palette::ORANGE,
        },
    ];
    c.references = vec![(base, Label::plain(format!("scenario {:.1}%", base * 100.0)))];
    c.rows = bars
        .iter()
        .map(|b| BarRow {
            label: Label::plain(b.label.clone()),
            value: b.p_low.unwrap_or(f64::NAN),
            interval: None,
            group: 0,
            note: Some(format!("{} | {}", pct(b.p_low), pct(b.p_high))),
            pair: b.p_high.map(|p| (p, 1)),
        })
        .collect();
    if c.rows.is_empty() {
        c.rows.push(BarRow {
            label: Label::plain("no input moves P(met) of this target"),
            value: f64::NAN,
            interval: None,
            group: 0,
            note: None,
            pair: None,
        });
    }
    c
}

/// `tornado-<stem>.svg` and `.png`.
pub fn tornado(
    s: &Sensitivity,
    t: &TargetSensitivity,
    stem: &str,
) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    charts::files(&format!("tornado-{stem}"), &tornado_chart(s, t))
}

/// The curve's points as (level, P(met)), and the x range shown.
pub fn attainment_curve_series(t: &GoalTarget) -> (Vec<(f64, f64)>, f64, f64) {
    let pts: Vec<(f64, f64)> = t
        .curve
        .iter()
        .filter(|p| p.level.is_finite() && p.p_met.is_finite())
        .map(|p| (p.level, p.p_met))
        .collect();
    let lo = pts.first().map_or(t.threshold, |p| p.0).min(t.threshold);
    let hi = pts.last().map_or(t.threshold, |p| p.0).max(t.threshold);
    (pts, lo, hi)
}

/// The x-axis title of a goal target's level, with its unit where the metric has one.
fn level_axis(t: &GoalTarget) -> String {
    let unit = match t.metric {
        Metric::Cagr => " (%/yr)",
        Metric::CagrGap => " (difference of growth rates, %/yr)",
        Metric::Reduction => " (% of the base value)",
        Metric::Multiple => " (× the base value)",
        _ => " (the indicator's unit)",
    };
    format!("target level: {} of {}{unit}", t.metric.name(), t.indicator)
}

/// The attainment curve of a goal target: P(met) against the target level, the plan's level
/// marked, and the levels reached with the analysis' confidences (dashed, labelled).
pub fn attainment_curve_chart(t: &GoalTarget) -> XyChart {
    let (pts, lo, hi) = attainment_curve_series(t);
    let fmt = |v: f64| metric_value(t.metric, v);
    let mut c = XyChart::new(Label::plain(format!(
        "Probability of attaining {} at each target level",
        t.id
    )));
    c.width = 900;
    c.height = 560;
    // The plan's own wording ("growth ≈ 7%/yr"), and where the rule puts the threshold when it
    // differs ("met from 6.50%").
    let w = &t.wording;
    let plan = crate::report::phrase_with_unit(
        t.metric,
        w.op,
        &w.value,
        w.year,
        w.plan_year,
        w.unit.as_deref(),
    );
    let plan = if plan.is_empty() { t.id.clone() } else { plan };
    c.subtitle = Some(Label::plain(format!(
        "{}; {} {} the level on the x axis; the plan: {plan}, met at {} (P(met) {:.1}%)",
        t.rule,
        t.metric.name(),
        if t.higher_is_met { "≥" } else { "≤" },
        fmt(t.threshold),
        t.p_met.p * 100.0
    )));
    c.x_label = Label::plain(level_axis(t));
    c.y_label = Label::plain("P(met) (%)");
    c.x_tick = if t.metric.is_rate() {
        Tick::Percent
    } else {
        Tick::Number
    };
    c.y_tick = Tick::Percent;
    c.y_range = Some((0.0, 1.0));
    c.x_range = (hi > lo).then_some((lo, hi));
    c.legend = if t.higher_is_met {
        LegendPosition::UpperRight
    } else {
        LegendPosition::UpperLeft
    };
    let mut labels = Vec::new();
    for (k, a) in t.achievable.iter().enumerate() {
        let Some(l) = a.level else { continue };
        c.layers.push(Layer::Line {
            points: vec![(lo, a.confidence), (l, a.confidence), (l, 0.0)],
            color: palette::MUTED,
            width: 1,
            dashed: true,
            name: (k == 0).then(|| Label::plain("level reached with that confidence")),
        });
        labels.push((
            l,
            a.confidence,
            Label::plain(format!("{:.0}%: {}", a.confidence * 100.0, fmt(l))),
        ));
    }
    c.layers.push(Layer::Line {
        points: pts,
        color: palette::BLUE,
        width: 3,
        dashed: false,
        name: Some(Label::plain("P(met) at the level")),
    });
    c.layers.push(Layer::VLine {
        x: t.threshold,
        color: palette::VERMILLION,
        dashed: false,
        name: Some(Label::plain(format!("the plan: {plan}"))),
    });
    c.layers.push(Layer::Points {
        points: vec![(t.threshold, t.p_met.p)],
        color: palette::VERMILLION,
        radius: 5,
        filled: true,
        name: None,
    });
    labels.push((
        t.threshold,
        t.p_met.p,
        Label::plain(format!(
            "plan {plan} (met at {}): {:.1}%",
            fmt(t.threshold),
            t.p_met.p * 100.0
        )),
    ));
    c.layers.push(Layer::Text {
        items: labels,
        color: palette::INK,
    });
    c
}

/// `attainment-curve-<stem>.svg` and `.png`.
pub fn attainment_curve(t: &GoalTarget, stem: &str) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    charts::files(
        &format!("attainment-curve-{stem}"),
        &attainment_curve_chart(t),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tornado_range_covers_base_and_bars_within_probabilities() {
        let bars = vec![
            TornadoBar {
                label: "a".into(),
                p_low: Some(0.2),
                p_high: Some(0.7),
            },
            TornadoBar {
                label: "b".into(),
                p_low: None,
                p_high: Some(0.99),
            },
        ];
        let (a, z) = tornado_range(0.5, &bars);
        assert!((0.0..0.2).contains(&a) && z == 1.0, "{a} {z}");
        let (a, z) = tornado_range(0.5, &[]);
        assert!(a < 0.5 && z > 0.5);
    }
}
