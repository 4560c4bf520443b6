//! `reliability.svg`/`.png` (backtest) and `track-record-reliability.svg`/`.png` (the pooled
//! out-of-sample P(met) of a calibration, also inline in `report.html`): mean predicted P(met)
//! against the observed share met per bin, with 95 % Wilson intervals as error bars, the dashed
//! diagonal of perfect calibration, each bin's count written beside its point, and the Brier
//! scores in a footer.
//!
//! Data first, drawing second: [`points`] turns the bins into plain numbers (unit-tested); one
//! builder, [`chart`], serves every source of bins ([`backtest`], [`track_record`]).

use super::{Label, Layer, Tick, XyChart, palette};
use crate::analysis::backtest::{Backtest, Bin, Forecaster};
use crate::results::track_record::{REFERENCES, TrackRecord, reference_name};

/// One non-empty reliability bin: where attain's predictions fell and how often they came true.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
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
pub fn points(bins: &[Bin]) -> Vec<Point> {
    bins.iter()
        .filter_map(|bin| {
            Some(Point {
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

/// A reliability diagram of `bins`: `subtitle` says what was scored, `footer` gives the scores.
pub fn chart(title: String, subtitle: String, footer: String, bins: &[Bin]) -> XyChart {
    let pts = points(bins);
    let mut c = XyChart::new(Label::plain(title));
    c.width = 800;
    c.height = 680;
    c.subtitle = Some(Label::plain(subtitle));
    c.footer = (!footer.is_empty()).then(|| Label::plain(footer));
    c.x_label = Label::plain("predicted P(met), mean of the bin (%)");
    c.y_label = Label::plain("observed share of targets met (%)");
    c.x_tick = Tick::Percent;
    c.y_tick = Tick::Percent;
    c.x_ticks = 6;
    c.x_range = Some((0.0, 1.0));
    c.y_range = Some((0.0, 1.0));
    c.layers = vec![
        Layer::Line {
            points: vec![(0.0, 0.0), (1.0, 1.0)],
            color: palette::GREY,
            width: 1,
            dashed: true,
            name: Some(Label::plain("perfect calibration")),
        },
        Layer::ErrorBars {
            bars: pts
                .iter()
                .map(|p| (p.mean_p, p.observed_lo, p.observed_hi))
                .collect(),
            color: palette::BLUE,
            name: Some(Label::plain("95% Wilson interval")),
        },
        Layer::Points {
            points: pts.iter().map(|p| (p.mean_p, p.observed)).collect(),
            color: palette::BLUE,
            radius: 5,
            filled: true,
            name: Some(Label::plain("bin: mean predicted vs share met")),
        },
        Layer::Text {
            items: pts
                .iter()
                .map(|p| (p.mean_p, p.observed, Label::plain(format!("n={}", p.n))))
                .collect(),
            color: palette::INK,
        },
    ];
    c
}

/// The reliability diagram of a backtest.
pub fn backtest(b: &Backtest) -> XyChart {
    let scores: Vec<String> = b
        .scores
        .iter()
        .filter(|s| s.forecaster != Forecaster::BaseRate)
        .map(|s| format!("{} {:.3}", s.forecaster.name(), s.brier))
        .collect();
    chart(
        format!("Reliability of P(met): {}", b.scenario.name),
        format!(
            "plan {} ({}→{}), {} targets scored, {} met; {} runs, seed {}",
            b.plan.id, b.plan.base_year, b.plan.target_year, b.scored, b.met, b.runs, b.seed
        ),
        format!("Brier score (0 best, 0.25 a coin): {}", scores.join(" · ")),
        &b.reliability,
    )
}

/// The reliability diagram of a track record's pooled out-of-sample P(met) (its bins are empty,
/// and the chart says so, when the calibration left no plan out).
pub fn track_record(t: &TrackRecord) -> XyChart {
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
                format!(
                    "Brier score out of sample (0 best, 0.25 a coin): {}",
                    scores.join(" · ")
                ),
            )
        }
        None => (
            "calibrated on one plan: no out-of-sample record".to_string(),
            String::new(),
        ),
    };
    chart(
        "Reliability of out-of-sample P(met)".into(),
        subtitle,
        footer,
        &t.reliability,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::backtest::{self, Bin};

    #[test]
    fn points_skip_empty_bins_and_the_chart_draws_both_ways() {
        let pairs = [(0.1, false), (0.15, true), (0.9, true)];
        let bins: Vec<Bin> = backtest::reliability(&pairs, 5);
        let (scenario, plan) = crate::results::test_info(2015);
        let b = Backtest {
            attain_version: "",
            scenario,
            plan,
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
        let pts = points(&b.reliability);
        assert_eq!(pts.len(), 2);
        assert_eq!(pts[0].n, 2);
        assert!((pts[0].mean_p - 0.125).abs() < 1e-15 && pts[0].observed == 0.5);
        assert_eq!((pts[1].n, pts[1].observed), (1, 1.0));
        let c = backtest(&b);
        let svg = super::super::svg(&c).expect("draws");
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("n=2") && svg.contains("Reliability of P(met)"));
        assert!(svg.contains("Brier score"));
        assert_eq!(&super::super::png(&c).expect("png")[1..4], b"PNG");
    }
}
