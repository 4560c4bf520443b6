//! Charts of the analyses (compare, sensitivity, goal), drawn with plotters' SVG backend: grouped bars per target
//! (`compare.svg`), a tornado per target (`tornado-<target>.svg`) and the probability-of-target-
//! attainment curve (`pta-<target>.svg`).
//!
//! The comparison is the shared bar chart of `report::charts` (SVG and PNG). The tornado and the
//! attainment curve are drawn here, like `report::calibration_charts`, with plotters' basic shapes
//! and single-line text placed by hand (SVG only): no text is measured, the SVG names a font-family
//! list and the viewer draws the text.
//! Data first, drawing second: [`compare_bars`], [`tornado_bars`] and [`pta_series`] reduce the
//! typed values to plain numbers (unit-tested); the drawing functions only place them. A drawing
//! error (which the in-memory SVG backend does not produce in practice) drops that chart rather
//! than failing the analysis whose numbers are already computed.

use super::metric_value;
use crate::analysis::compare::Comparison;
use crate::analysis::goal::GoalTarget;
use crate::analysis::sensitivity::{Sensitivity, TargetSensitivity};
use crate::model::Metric;
use crate::report::charts::{self, BarChart, BarGroup, BarRow, Label};
use crate::report::svg_draw::{Area, Axis, GRID, INK, MUTED, style};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Okabe–Ito colours (distinguishable with the common colour-vision deficiencies).
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
];

/// Inputs shown per tornado.
pub const TORNADO_ROWS: usize = 15;

type Drawn = Result<(), String>;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("cannot draw chart: {e:?}")
}

fn text(root: &Area, s: impl Into<String>, at: (i32, i32), st: TextStyle) -> Drawn {
    root.draw(&Text::new(s.into(), at, st)).map_err(err)
}

fn line(root: &Area, pts: Vec<(i32, i32)>, st: ShapeStyle) -> Drawn {
    root.draw(&PathElement::new(pts, st)).map_err(err)
}

/// Renders an SVG of `w`×`h` with `draw`; `None` on a drawing error.
fn svg(w: u32, h: u32, draw: impl FnOnce(&Area) -> Drawn) -> Option<Vec<u8>> {
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        draw(&root).ok()?;
        root.present().ok()?;
    }
    Some(buf.into_bytes())
}

/// Vertical probability gridlines with percentage labels below, at a step suited to the range.
fn prob_x_axis(root: &Area, x: Axis, top: i32, bottom: i32, d0: f64, d1: f64) -> Drawn {
    let span = d1 - d0;
    let step = [
        (0.6, 0.2),
        (0.3, 0.1),
        (0.12, 0.05),
        (0.06, 0.02),
        (0.03, 0.01),
    ]
    .iter()
    .find(|(min, _)| span > *min)
    .map_or(0.005, |s| s.1);
    let mut v = (d0 / step).ceil() * step;
    while v <= d1 + 1e-12 {
        let px = x.at(v);
        line(root, vec![(px, top), (px, bottom)], GRID.stroke_width(1))?;
        let label = if step >= 0.01 {
            format!("{:.0}%", v * 100.0)
        } else {
            format!("{:.1}%", v * 100.0)
        };
        text(
            root,
            label,
            (px, bottom + 6),
            style(12.0, INK, HPos::Center, VPos::Top),
        )?;
        v += step;
    }
    Ok(())
}

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

/// The comparison as the shared horizontal bar chart ([`crate::report::charts::BarChart`]): one
/// row per target and scenario, coloured by scenario, with 95 % whiskers.
pub fn compare_chart(c: &Comparison) -> BarChart {
    let mut chart = BarChart::new(Label::plain(format!(
        "P(met) per target and scenario, plan {} ({}-{})",
        c.plan.id, c.plan.base_year, c.plan.target_year
    )));
    chart.subtitle = Some(Label::plain(format!(
        "{} runs each, seed {}; common random numbers (paired changes in compare.csv)",
        c.runs, c.seed
    )));
    chart.x_label = Label::plain("probability that the target is met");
    chart.whisker_name = Some(Label::plain("95% interval"));
    chart.references = vec![(0.5, Label::plain("50%"))];
    chart.groups = c
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| BarGroup {
            name: Label::new(format!("{} ({})", s.stem, s.name), s.stem.clone()),
            color: PALETTE[i % PALETTE.len()],
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
            });
        }
    }
    chart
}

/// `compare.svg` and `compare.png`.
pub fn compare(c: &Comparison) -> Vec<(String, Vec<u8>)> {
    let chart = compare_chart(c);
    let mut out = Vec::new();
    if let Ok(svg) = charts::svg(&chart) {
        out.push(("compare.svg".to_string(), svg.into_bytes()));
    }
    if let Ok(png) = charts::png(&chart) {
        out.push(("compare.png".to_string(), png));
    }
    out
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

/// `tornado-<target>.svg` (as `("svg", bytes)`): P(met) at each input's low and high setting
/// around the scenario's P(met), largest swing on top.
pub fn tornado(s: &Sensitivity, t: &TargetSensitivity) -> Vec<(&'static str, Vec<u8>)> {
    let bars = tornado_bars(s, t);
    let base = t.p_met.p;
    let mut d0 = base;
    let mut d1 = base;
    for b in &bars {
        for p in [b.p_low, b.p_high].into_iter().flatten() {
            d0 = d0.min(p);
            d1 = d1.max(p);
        }
    }
    let pad = ((d1 - d0) * 0.08).max(0.005);
    let (d0, d1) = ((d0 - pad).max(0.0), (d1 + pad).min(1.0));
    let row_h = 24;
    let top = 92;
    let n = bars.len().max(1) as i32;
    let (w, h) = (900u32, (top + row_h * n + 70) as u32);
    let x = Axis {
        d0,
        d1,
        p0: 380,
        p1: w as i32 - 30,
    };
    let bottom = top + row_h * n;
    let (low_c, high_c) = (PALETTE[0], PALETTE[1]);
    let chart = svg(w, h, |root| {
        text(
            root,
            format!("What moves P(met) of {}", t.id),
            (20, 14),
            style(17.0, INK, HPos::Left, VPos::Top),
        )?;
        text(
            root,
            format!(
                "{} — {}: P(met) {:.1}%; each input moved down and up by swing {} (one at a time, common random numbers, {} runs)",
                s.scenario.stem,
                t.rule,
                base * 100.0,
                s.swing,
                s.runs
            ),
            (20, 38),
            style(12.0, MUTED, HPos::Left, VPos::Top),
        )?;
        for (i, (c, label)) in [(low_c, "low setting"), (high_c, "high setting")]
            .iter()
            .enumerate()
        {
            let lx = 20 + 150 * i as i32;
            root.draw(&Rectangle::new([(lx, 60), (lx + 12, 72)], c.filled()))
                .map_err(err)?;
            text(
                root,
                *label,
                (lx + 18, 66),
                style(12.0, INK, HPos::Left, VPos::Center),
            )?;
        }
        prob_x_axis(root, x, top, bottom, d0, d1)?;
        if bars.is_empty() {
            text(
                root,
                "no input moves P(met) of this target",
                ((x.p0 + x.p1) / 2, top + row_h / 2),
                style(13.0, MUTED, HPos::Center, VPos::Center),
            )?;
        }
        for (k, b) in bars.iter().enumerate() {
            let y0 = top + row_h * k as i32;
            text(
                root,
                b.label.clone(),
                (x.p0 - 10, y0 + row_h / 2),
                style(12.0, INK, HPos::Right, VPos::Center),
            )?;
            for (p, c) in [(b.p_low, low_c), (b.p_high, high_c)] {
                let Some(p) = p else { continue };
                let (a, z) = (x.at(base).min(x.at(p)), x.at(base).max(x.at(p)));
                root.draw(&Rectangle::new(
                    [(a, y0 + 4), (z.max(a + 1), y0 + row_h - 4)],
                    c.mix(0.85).filled(),
                ))
                .map_err(err)?;
            }
        }
        line(
            root,
            vec![(x.at(base), top - 4), (x.at(base), bottom + 2)],
            INK.stroke_width(2),
        )?;
        text(
            root,
            "P(met)",
            ((x.p0 + x.p1) / 2, bottom + 26),
            style(13.0, INK, HPos::Center, VPos::Top),
        )
    });
    chart.map(|b| vec![("svg", b)]).unwrap_or_default()
}

/// The curve's points as (level, P(met)), and the x range shown.
pub fn pta_series(t: &GoalTarget) -> (Vec<(f64, f64)>, f64, f64) {
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

fn nice_step(span: f64) -> f64 {
    if span.is_nan() || span <= 0.0 {
        return 1.0;
    }
    let raw = span / 6.0;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    mag * if f < 1.5 {
        1.0
    } else if f < 3.5 {
        2.0
    } else if f < 7.5 {
        5.0
    } else {
        10.0
    }
}

/// `pta-<target>.svg` (as `("svg", bytes)`): P(met) against the target level, the plan's level
/// marked, and the levels reached with the analysis' confidences.
pub fn pta(t: &GoalTarget) -> Vec<(&'static str, Vec<u8>)> {
    let (pts, lo, hi) = pta_series(t);
    let (w, h) = (820u32, 560u32);
    let x = Axis {
        d0: lo,
        d1: hi,
        p0: 80,
        p1: w as i32 - 40,
    };
    let y = Axis {
        d0: 0.0,
        d1: 1.0,
        p0: 470,
        p1: 80,
    };
    let fmt = |v: f64| metric_value(t.metric, v);
    let chart = svg(w, h, |root| {
        text(
            root,
            format!("Probability of attaining {} at each target level", t.id),
            (20, 14),
            style(17.0, INK, HPos::Left, VPos::Top),
        )?;
        text(
            root,
            format!(
                "{}; {} {} the level on the x axis; plan: {} (P(met) {:.1}%)",
                t.rule,
                t.metric.name(),
                if t.higher_is_met { "≥" } else { "≤" },
                fmt(t.threshold),
                t.p_met.p * 100.0
            ),
            (20, 38),
            style(12.0, MUTED, HPos::Left, VPos::Top),
        )?;
        for k in 0..=5 {
            let v = k as f64 / 5.0;
            let py = y.at(v);
            line(root, vec![(x.p0, py), (x.p1, py)], GRID.stroke_width(1))?;
            text(
                root,
                format!("{:.0}%", v * 100.0),
                (x.p0 - 8, py),
                style(12.0, INK, HPos::Right, VPos::Center),
            )?;
        }
        let step = nice_step(hi - lo);
        let mut v = (lo / step).ceil() * step;
        while v <= hi + step * 1e-9 {
            let px = x.at(v);
            line(root, vec![(px, y.p0), (px, y.p1)], GRID.stroke_width(1))?;
            text(
                root,
                fmt(v),
                (px, y.p0 + 6),
                style(12.0, INK, HPos::Center, VPos::Top),
            )?;
            v += step;
        }
        root.draw(&Rectangle::new(
            [(x.p0, y.p1), (x.p1, y.p0)],
            INK.stroke_width(1),
        ))
        .map_err(err)?;
        text(
            root,
            format!(
                "target level ({}{})",
                t.metric.name(),
                if t.metric == Metric::Cagr || t.metric.is_rate() {
                    ", %"
                } else {
                    ""
                }
            ),
            ((x.p0 + x.p1) / 2, y.p0 + 28),
            style(13.0, INK, HPos::Center, VPos::Top),
        )?;
        text(
            root,
            "P(met)",
            (x.p0, y.p1 - 10),
            style(13.0, INK, HPos::Left, VPos::Bottom),
        )?;
        // Confidence levels reached.
        for a in &t.achievable {
            let Some(l) = a.level else { continue };
            let (px, py) = (x.at(l), y.at(a.confidence));
            root.draw(&DashedPathElement::new(
                vec![(x.p0, py), (px, py), (px, y.p0)],
                4,
                4,
                MUTED.stroke_width(1),
            ))
            .map_err(err)?;
            text(
                root,
                format!("{:.0}%: {}", a.confidence * 100.0, fmt(l)),
                (px + 4, py - 4),
                style(11.0, MUTED, HPos::Left, VPos::Bottom),
            )?;
        }
        let poly: Vec<(i32, i32)> = pts.iter().map(|&(l, p)| (x.at(l), y.at(p))).collect();
        line(root, poly, PALETTE[0].stroke_width(3))?;
        // The plan's level.
        let px = x.at(t.threshold);
        line(
            root,
            vec![(px, y.p1), (px, y.p0)],
            PALETTE[3].stroke_width(2),
        )?;
        root.draw(&Circle::new((px, y.at(t.p_met.p)), 5, PALETTE[3].filled()))
            .map_err(err)?;
        text(
            root,
            format!("plan {}: {:.1}%", fmt(t.threshold), t.p_met.p * 100.0),
            (px + 6, y.p1 + 4),
            style(12.0, PALETTE[3], HPos::Left, VPos::Top),
        )
    });
    chart.map(|b| vec![("svg", b)]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_maps_and_clamps() {
        let a = Axis {
            d0: 0.0,
            d1: 1.0,
            p0: 100,
            p1: 300,
        };
        assert_eq!(a.at(0.5), 200);
        assert_eq!(a.at(10.0), 310); // clamped to 5 % beyond the range
        let flat = Axis {
            d0: 1.0,
            d1: 1.0,
            ..a
        };
        assert_eq!(flat.at(1.0), 200);
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(6.0), 1.0);
        assert_eq!(nice_step(0.06), 0.01);
        assert!((nice_step(25.0) - 5.0).abs() < 1e-12);
        assert_eq!(nice_step(0.0), 1.0);
    }
}
