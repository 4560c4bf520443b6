//! `reliability.svg` (backtest; also the out-of-sample track record in `report.html`) and
//! `asof.svg` (nowcast), drawn with plotters' SVG backend.
//!
//! Why a module of its own: these two charts were needed before the shared chart helpers of
//! `report` existed, so they are drawn here directly. They use only plotters' basic shapes and
//! single-line [`Text`] elements placed by hand (no `ChartBuilder` captions, label areas or
//! meshes), so no text is ever *measured*: the SVG names a font-family list and the viewer's fonts
//! draw the text (Chinese included). That keeps them independent of plotters' font features (with
//! `ab_glyph`, measuring needs a registered font) and of any system font library.
//!
//! Data first, drawing second: [`reliability_points`] and [`asof_series`] turn the typed results
//! into plain numbers (unit-tested), and the `*_svg` functions only draw them. One reliability
//! drawing serves every source of bins: [`ReliabilityChart`] holds the bins and the words, built by
//! [`backtest_reliability`] or [`track_record_reliability`]. Nothing here panics
//! on odd data: empty bins and missing probabilities are skipped, and drawing errors come back as
//! [`Error::Runtime`](crate::error::Error).

use crate::analysis::backtest::{Backtest, Bin, Forecaster};
use crate::analysis::nowcast::Nowcast;
use crate::error::{Error, Result};
use crate::report::svg_draw::{Area, Axis, GRID, INK, style};
use crate::results::track_record::{REFERENCES, TrackRecord, reference_name};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

/// Ten distinguishable colours (Tableau 10), cycled for many series.
const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// One non-empty reliability bin: where attain's predictions fell and how often they came true.
#[derive(Debug, Clone, PartialEq)]
pub struct ReliabilityPoint {
    /// Bin edges (fractions).
    pub lo: f64,
    pub hi: f64,
    pub n: usize,
    /// Mean predicted probability (x) and observed frequency (y), with its 95 % interval.
    pub mean_p: f64,
    pub observed: f64,
    pub observed_lo: f64,
    pub observed_hi: f64,
}

/// The non-empty bins, in order.
pub fn reliability_points(bins: &[Bin]) -> Vec<ReliabilityPoint> {
    bins.iter()
        .filter_map(|bin| {
            Some(ReliabilityPoint {
                lo: bin.lo,
                hi: bin.hi,
                n: bin.n,
                mean_p: bin.mean_p?,
                observed: bin.observed?,
                observed_lo: bin.observed_lo?,
                observed_hi: bin.observed_hi?,
            })
        })
        .collect()
}

/// One target's line in the as-of chart.
#[derive(Debug, Clone, PartialEq)]
pub struct AsofSeries {
    pub id: String,
    /// (as-of year, P(met)) where the target was simulated.
    pub points: Vec<(i32, f64)>,
    /// The recorded outcome, if any.
    pub met: Option<bool>,
}

/// The as-of series of every target of a nowcast.
pub fn asof_series(n: &Nowcast) -> Vec<AsofSeries> {
    n.targets
        .iter()
        .map(|t| AsofSeries {
            id: t.id.clone(),
            points: n
                .years
                .iter()
                .zip(&t.p_met)
                .filter_map(|(&y, p)| p.map(|p| (y, p.p)))
                .collect(),
            met: t.met,
        })
        .filter(|s| !s.points.is_empty())
        .collect()
}

fn draw_err<E: std::fmt::Debug>(e: E) -> Error {
    Error::runtime(format!("cannot draw chart: {e:?}"))
}

/// Probability gridlines and labels on the y axis, 0–100 % by 20.
fn prob_y_axis(root: &Area, x: Axis, y: Axis) -> Result<()> {
    for k in 0..=5 {
        let v = k as f64 / 5.0;
        let py = y.at(v);
        root.draw(&PathElement::new(
            vec![(x.p0, py), (x.p1, py)],
            GRID.stroke_width(1),
        ))
        .map_err(draw_err)?;
        root.draw(&Text::new(
            format!("{:.0}%", v * 100.0),
            (x.p0 - 8, py),
            style(12.0, INK, HPos::Right, VPos::Center),
        ))
        .map_err(draw_err)?;
    }
    Ok(())
}

/// A reliability diagram to draw: the bins of predicted probabilities and the chart's words.
#[derive(Debug, Clone)]
pub struct ReliabilityChart<'a> {
    pub title: String,
    /// One line under the title: what was scored.
    pub subtitle: String,
    pub bins: &'a [Bin],
    /// One line under the chart: the scores.
    pub footer: String,
}

/// The reliability diagram of a backtest.
pub fn backtest_reliability(b: &Backtest) -> ReliabilityChart<'_> {
    let scores: Vec<String> = b
        .scores
        .iter()
        .filter(|s| s.forecaster != Forecaster::BaseRate)
        .map(|s| format!("{} {:.3}", s.forecaster.name(), s.brier))
        .collect();
    ReliabilityChart {
        title: format!("Reliability of P(met): {}", b.scenario.name),
        subtitle: format!(
            "plan {} ({}→{}), {} targets scored, {} met; {} runs, seed {}",
            b.plan.id, b.plan.base_year, b.plan.target_year, b.scored, b.met, b.runs, b.seed
        ),
        bins: &b.reliability,
        footer: format!("Brier: {}", scores.join(" · ")),
    }
}

/// The reliability diagram of a track record's pooled out-of-sample P(met) (its bins are empty,
/// and the chart says so, when the calibration left no plan out).
pub fn track_record_reliability(t: &TrackRecord) -> ReliabilityChart<'_> {
    let (subtitle, footer) = match &t.pooled {
        Some(p) => {
            let mut scores = vec![format!("attain {:.3}", p.attain.brier)];
            scores.extend(
                REFERENCES
                    .iter()
                    .map(|&f| format!("{} {:.3}", reference_name(f), p.of_forecaster(f).brier)),
            );
            (
                format!(
                    "{} review targets of {} left-out plans, {} met (parameters fitted on the other plans)",
                    p.scored,
                    t.left_out.len(),
                    p.met
                ),
                format!("Brier (out of sample): {}", scores.join(" · ")),
            )
        }
        None => (
            "calibrated on one plan: no out-of-sample record".to_string(),
            String::new(),
        ),
    };
    ReliabilityChart {
        title: "Reliability of out-of-sample P(met)".into(),
        subtitle,
        bins: &t.reliability,
        footer,
    }
}

/// A reliability diagram (`reliability.svg`): mean predicted P(met) against the observed frequency
/// per bin, with Wilson intervals, the diagonal of perfect calibration, bin counts below, and the
/// scores in a footer.
pub fn reliability_svg(c: &ReliabilityChart) -> Result<String> {
    let (w, h) = (640u32, 700u32);
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        root.draw(&Text::new(
            c.title.as_str(),
            (20, 14),
            style(17.0, INK, HPos::Left, VPos::Top),
        ))
        .map_err(draw_err)?;
        root.draw(&Text::new(
            c.subtitle.as_str(),
            (20, 38),
            style(12.0, INK, HPos::Left, VPos::Top),
        ))
        .map_err(draw_err)?;
        let x = Axis {
            d0: 0.0,
            d1: 1.0,
            p0: 80,
            p1: 600,
        };
        let y = Axis {
            d0: 0.0,
            d1: 1.0,
            p0: 520,
            p1: 80,
        };
        prob_y_axis(&root, x, y)?;
        for k in 0..=5 {
            let v = k as f64 / 5.0;
            root.draw(&Text::new(
                format!("{:.0}%", v * 100.0),
                (x.at(v), y.p0 + 8),
                style(12.0, INK, HPos::Center, VPos::Top),
            ))
            .map_err(draw_err)?;
        }
        root.draw(&Rectangle::new(
            [(x.p0, y.p1), (x.p1, y.p0)],
            INK.stroke_width(1),
        ))
        .map_err(draw_err)?;
        // Perfect calibration.
        root.draw(&DashedPathElement::new(
            vec![(x.at(0.0), y.at(0.0)), (x.at(1.0), y.at(1.0))],
            6,
            4,
            RGBColor(150, 150, 150).stroke_width(1),
        ))
        .map_err(draw_err)?;
        root.draw(&Text::new(
            "predicted P(met) (mean of the bin)",
            ((x.p0 + x.p1) / 2, y.p0 + 28),
            style(13.0, INK, HPos::Center, VPos::Top),
        ))
        .map_err(draw_err)?;
        root.draw(&Text::new(
            "observed share met",
            (x.p0, y.p1 - 10),
            style(13.0, INK, HPos::Left, VPos::Bottom),
        ))
        .map_err(draw_err)?;
        let points = reliability_points(c.bins);
        let max_n = points.iter().map(|p| p.n).max().unwrap_or(1).max(1);
        let blue = PALETTE[0];
        for p in &points {
            let (px, py) = (x.at(p.mean_p), y.at(p.observed));
            root.draw(&PathElement::new(
                vec![(px, y.at(p.observed_lo)), (px, y.at(p.observed_hi))],
                blue.stroke_width(2),
            ))
            .map_err(draw_err)?;
            let r = 4 + (8.0 * (p.n as f64 / max_n as f64).sqrt()).round() as i32;
            root.draw(&Circle::new((px, py), r, blue.filled()))
                .map_err(draw_err)?;
            root.draw(&Text::new(
                format!("n={}", p.n),
                (px + r + 4, py),
                style(12.0, INK, HPos::Left, VPos::Center),
            ))
            .map_err(draw_err)?;
        }
        // Bin counts.
        let cy = Axis {
            d0: 0.0,
            d1: max_n as f64,
            p0: 640,
            p1: 580,
        };
        for (k, word) in ["targets", "per bin"].iter().enumerate() {
            root.draw(&Text::new(
                *word,
                (x.p0 - 8, cy.p1 + 14 * k as i32),
                style(12.0, INK, HPos::Right, VPos::Top),
            ))
            .map_err(draw_err)?;
        }
        for bin in c.bins {
            let (x0, x1) = (x.at(bin.lo) + 2, x.at(bin.hi) - 2);
            root.draw(&Rectangle::new(
                [(x0, cy.at(bin.n as f64)), (x1, cy.p0)],
                RGBColor(174, 199, 232).filled(),
            ))
            .map_err(draw_err)?;
            root.draw(&Text::new(
                bin.n.to_string(),
                ((x0 + x1) / 2, cy.at(bin.n as f64) - 3),
                style(11.0, INK, HPos::Center, VPos::Bottom),
            ))
            .map_err(draw_err)?;
        }
        root.draw(&PathElement::new(
            vec![(x.p0, cy.p0), (x.p1, cy.p0)],
            INK.stroke_width(1),
        ))
        .map_err(draw_err)?;
        root.draw(&Text::new(
            c.footer.as_str(),
            (20, h as i32 - 30),
            style(12.0, INK, HPos::Left, VPos::Top),
        ))
        .map_err(draw_err)?;
        root.present().map_err(draw_err)?;
    }
    Ok(buf)
}

/// `asof.svg`: P(met) per target against the as-of year; the marker after the last year shows the
/// recorded outcome (filled: met, hollow: missed).
pub fn asof_svg(n: &Nowcast) -> Result<String> {
    let series = asof_series(n);
    let legend_rows = series.len().max(1) as u32;
    let (w, h) = (900u32, (140 + 16 * legend_rows).max(520));
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        root.draw(&Text::new(
            format!("P(met) by as-of year: {}", n.scenario.name),
            (20, 14),
            style(17.0, INK, HPos::Left, VPos::Top),
        ))
        .map_err(draw_err)?;
        root.draw(&Text::new(
            format!(
                "plan {} ({}→{}); each year ignores later [observed] values; {} runs, seed {} for every year",
                n.plan.id, n.plan.base_year, n.plan.target_year, n.runs, n.seed
            ),
            (20, 38),
            style(12.0, INK, HPos::Left, VPos::Top),
        ))
        .map_err(draw_err)?;
        let first = n.years.first().copied().unwrap_or(n.plan.base_year);
        let last = n.years.last().copied().unwrap_or(first);
        let x = Axis {
            d0: first as f64 - 0.3,
            d1: last as f64 + 0.6,
            p0: 80,
            p1: 600,
        };
        let y = Axis {
            d0: 0.0,
            d1: 1.0,
            p0: 440,
            p1: 80,
        };
        prob_y_axis(&root, x, y)?;
        for (k, &year) in n.years.iter().enumerate() {
            let px = x.at(year as f64);
            root.draw(&Text::new(
                year.to_string(),
                (px, y.p0 + 8),
                style(12.0, INK, HPos::Center, VPos::Top),
            ))
            .map_err(draw_err)?;
            root.draw(&Text::new(
                format!("{} obs.", n.observations.get(k).copied().unwrap_or(0)),
                (px, y.p0 + 24),
                style(10.0, RGBColor(110, 110, 110), HPos::Center, VPos::Top),
            ))
            .map_err(draw_err)?;
        }
        root.draw(&Text::new(
            "as of the end of year (observed values in use)",
            ((x.p0 + x.p1) / 2, y.p0 + 42),
            style(13.0, INK, HPos::Center, VPos::Top),
        ))
        .map_err(draw_err)?;
        root.draw(&Rectangle::new(
            [(x.p0, y.p1), (x.p1, y.p0)],
            INK.stroke_width(1),
        ))
        .map_err(draw_err)?;
        let outcome_x = x.at(last as f64 + 0.4);
        for (k, s) in series.iter().enumerate() {
            let c = PALETTE[k % PALETTE.len()];
            let pts: Vec<(i32, i32)> = s
                .points
                .iter()
                .map(|&(yr, p)| (x.at(yr as f64), y.at(p)))
                .collect();
            root.draw(&PathElement::new(pts.clone(), c.stroke_width(2)))
                .map_err(draw_err)?;
            for &pt in &pts {
                root.draw(&Circle::new(pt, 3, c.filled()))
                    .map_err(draw_err)?;
            }
            if let Some(met) = s.met {
                let oy = y.at(if met { 1.0 } else { 0.0 }) + if met { 4 } else { -4 }
                    - (k as i32 % 5) * if met { -2 } else { 2 };
                let marker = if met {
                    Circle::new((outcome_x, oy), 4, c.filled())
                } else {
                    Circle::new((outcome_x, oy), 4, c.stroke_width(2))
                };
                root.draw(&marker).map_err(draw_err)?;
            }
            // Legend.
            let ly = 80 + 16 * k as i32;
            root.draw(&PathElement::new(
                vec![(625, ly), (645, ly)],
                c.stroke_width(3),
            ))
            .map_err(draw_err)?;
            let outcome = match s.met {
                Some(true) => " (met)",
                Some(false) => " (missed)",
                None => "",
            };
            root.draw(&Text::new(
                format!("{}{outcome}", s.id),
                (650, ly),
                style(11.0, INK, HPos::Left, VPos::Center),
            ))
            .map_err(draw_err)?;
        }
        if series.iter().any(|s| s.met.is_some()) {
            root.draw(&Text::new(
                "outcome →",
                (outcome_x, y.p1 - 8),
                style(11.0, INK, HPos::Center, VPos::Bottom),
            ))
            .map_err(draw_err)?;
        }
        if series.is_empty() {
            root.draw(&Text::new(
                "no simulated target",
                ((x.p0 + x.p1) / 2, (y.p0 + y.p1) / 2),
                style(14.0, INK, HPos::Center, VPos::Center),
            ))
            .map_err(draw_err)?;
        }
        root.present().map_err(draw_err)?;
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::backtest::{self, Bin};

    #[test]
    fn axis_maps_linearly_and_clamps() {
        let a = Axis {
            d0: 0.0,
            d1: 1.0,
            p0: 100,
            p1: 0,
        };
        assert_eq!((a.at(0.0), a.at(0.5), a.at(1.0)), (100, 50, 0));
        assert_eq!(a.at(9.0), -5);
        let flat = Axis {
            d0: 3.0,
            d1: 3.0,
            p0: 0,
            p1: 10,
        };
        assert_eq!(flat.at(3.0), 5);
    }

    #[test]
    fn reliability_points_skip_empty_bins() {
        let pairs = [(0.1, false), (0.15, true), (0.9, true)];
        let bins: Vec<Bin> = backtest::reliability(&pairs, 5);
        let b = Backtest {
            attain_version: "",
            scenario: crate::results::ScenarioInfo {
                name: "s".into(),
                description: None,
                file: "s.toml".into(),
            },
            plan: crate::results::PlanInfo {
                id: "p".into(),
                title: "p".into(),
                title_en: None,
                region: None,
                source: None,
                base_year: 2015,
                target_year: 2020,
            },
            seed: 0,
            runs: 1,
            as_of: None,
            clip: backtest::CLIP,
            scored: 3,
            met: 2,
            targets: vec![],
            unscored: vec![],
            scores: vec![],
            decomposition: backtest::decompose(&bins),
            reliability: bins,
            method: String::new(),
        };
        let pts = reliability_points(&b.reliability);
        assert_eq!(pts.len(), 2);
        assert_eq!(pts[0].n, 2);
        assert!((pts[0].mean_p - 0.125).abs() < 1e-15 && pts[0].observed == 0.5);
        assert_eq!((pts[1].n, pts[1].observed), (1, 1.0));
        let svg = reliability_svg(&backtest_reliability(&b)).expect("draws");
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("n=2") && svg.contains("Reliability of P(met)"));
    }
}
