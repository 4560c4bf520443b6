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

/// The comparison as a horizontal bar chart: one row per target and scenario, coloured by
/// scenario, with 95 % whiskers.
pub fn compare_chart(c: &Comparison) -> BarChart {
    let mut chart = BarChart::new(Label::plain(format!(
        "P(met) per target and scenario, plan {} ({}-{})",
        c.plan.id, c.plan.base_year, c.plan.target_year
    )));
    chart.subtitle = Some(Label::plain(format!(
        "{} runs each, seed {}; common random numbers (paired changes in compare.csv)",
        c.runs, c.seed
    )));
    chart.x_label = Label::plain("probability that the target is met (%)");
    chart.whisker_name = Some(Label::plain("95% interval"));
    chart.references = vec![(0.5, Label::plain("50%"))];
    chart.groups = c
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| BarGroup {
            name: Label::new(format!("{} ({})", s.stem, s.name), s.stem.clone()),
            color: palette::SERIES[i % palette::SERIES.len()],
        })
        .collect();
    for (label, bars) in compare_bars(c) {
        for (k, b) in bars.iter().enumerate() {
            chart.rows.push(BarRow {
                label: Label::plain(if k == 0 { label.clone() } else { String::new() }),
                value: b.p,
                interval: Some((b.lo, b.hi)),
                group: b.scenario,
                note: Some(format!("{:.1}%", b.p * 100.0)),
                pair: None,
            });
        }
    }
    chart
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
    c.subtitle = Some(Label::plain(format!(
        "{}; {} {} the level on the x axis; plan: {} (P(met) {:.1}%)",
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
        name: Some(Label::plain("the plan's level")),
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
            "plan {}: {:.1}%",
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
