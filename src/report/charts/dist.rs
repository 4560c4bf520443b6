//! `dist-<target>.svg`/`.png`: the distribution of a target's metric in its year (the histogram
//! stored in `results.json`), the met region shaded, the threshold and the median marked.

use super::{Label, Layer, Tick, XyChart, palette, png_safe};
use crate::model::Metric;
use crate::model::target::fmt_num;
use crate::report::{indicator_name, target_label, unit_suffix};
use crate::results::{Histogram, MetRegion, Results, TargetResult};

/// One histogram bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bin {
    pub from: f64,
    pub to: f64,
    /// Fraction of runs with a defined metric.
    pub share: f64,
    /// Whether the bin's midpoint meets the target.
    pub met: bool,
}

/// The bars of a histogram, each marked met or not by its midpoint.
pub fn bins(h: &Histogram, region: Option<&MetRegion>) -> Vec<Bin> {
    let met = |x: f64| region.is_some_and(|r| r.contains(x));
    if h.width <= 0.0 {
        let half = if h.lo == 0.0 {
            1e-3
        } else {
            h.lo.abs() * 0.002
        };
        return vec![Bin {
            from: h.lo - half,
            to: h.lo + half,
            share: h.shares.first().copied().unwrap_or(0.0),
            met: met(h.lo),
        }];
    }
    h.shares
        .iter()
        .enumerate()
        .map(|(i, &share)| {
            let from = h.edge(i);
            let to = h.edge(i + 1);
            Bin {
                from,
                to,
                share,
                met: met((from + to) / 2.0),
            }
        })
        .collect()
}

/// What the metric measures, for the x axis.
fn metric_axis(t: &TargetResult, base_year: i32, unit: &str) -> String {
    let u = if unit.is_empty() {
        String::new()
    } else {
        format!(" ({unit})")
    };
    let (b, y) = (base_year, t.year);
    match t.metric {
        Metric::Level => format!("level in {y}{u}"),
        Metric::Cagr => format!("average annual growth {b}→{y} (%/yr)"),
        Metric::Change => format!("change {b}→{y}{u}"),
        Metric::Sum => format!("total {}–{y}{u}", b + 1),
        Metric::Reduction => format!("cut {b}→{y} (% of the {b} value)"),
        Metric::Multiple => format!("{y} value as a multiple of {b} (×)"),
        Metric::CagrGap => format!("growth gap {b}→{y} (%/yr, vs the reference indicator)"),
        Metric::Ratio => format!("ratio in {y}"),
        Metric::Qualitative => String::new(),
    }
}

/// The chart for a simulated target, or `None` without a histogram.
pub fn chart(r: &Results, t: &TargetResult) -> Option<XyChart> {
    let h = t.distribution.as_ref()?;
    let region = t.met_region;
    let bars = bins(h, region.as_ref());
    // The unit the metric is in (the unit simulated for levels, changes and totals).
    let unit = match t.metric {
        Metric::Level | Metric::Change | Metric::Sum => {
            r.value_unit(&t.indicator).unwrap_or_default().to_string()
        }
        _ => String::new(),
    };
    let with_unit = |s: String| {
        if unit.is_empty() {
            s
        } else {
            format!("{s}{}", unit_suffix(&unit))
        }
    };
    // Thresholds exactly as the rule has them; the median to a readable precision.
    let fmt = |v: f64| {
        if t.metric.is_rate() {
            format!("{}%", fmt_num(v * 100.0))
        } else {
            with_unit(fmt_num(v))
        }
    };
    let fmt_median = |v: f64| {
        if t.metric.is_rate() {
            format!("{:.2}%", v * 100.0)
        } else {
            with_unit(crate::report::sig(v))
        }
    };
    let phrase = target_label(r, t);
    let name_full = indicator_name(&t.name, t.name_en.as_deref());
    let name_latin = t.name_en.clone().unwrap_or_else(|| t.indicator.clone());
    let mut c = XyChart::new(Label::new(
        format!("{name_full} · {phrase} ({})", t.id),
        format!("{name_latin} · {phrase} ({})", t.id),
    ));
    c.height = 440;
    let p = t
        .p_met
        .as_ref()
        .map(|p| {
            format!(
                "P(met) {:.1}% [{:.1}, {:.1}]",
                p.p * 100.0,
                p.lo * 100.0,
                p.hi * 100.0
            )
        })
        .unwrap_or_default();
    c.subtitle = Some(Label::plain(format!(
        "{p} · {} · central 99% of {} runs shown",
        t.rule, r.runs
    )));
    c.x_label = Label::new(
        metric_axis(t, r.plan.base_year, &unit),
        metric_axis(t, r.plan.base_year, &png_safe(&unit)),
    );
    c.y_label = Label::plain("share of runs per bin (%)");
    c.x_tick = if t.metric.is_rate() {
        Tick::Percent
    } else {
        Tick::Number
    };
    c.y_tick = Tick::Percent;
    // x range: the histogram, widened to show thresholds that are not far off.
    let (lo, hi) = (
        bars.first().map(|b| b.from).unwrap_or(h.lo),
        bars.last().map(|b| b.to).unwrap_or(h.hi),
    );
    let span = (hi - lo).max(1e-12);
    let bounds: Vec<f64> = region.iter().flat_map(|r| [r.lo, r.hi]).flatten().collect();
    let (mut x0, mut x1) = (lo, hi);
    let mut off_chart = Vec::new();
    for &b in &bounds {
        if b >= lo - 1.5 * span && b <= hi + 1.5 * span {
            x0 = x0.min(b);
            x1 = x1.max(b);
        } else {
            off_chart.push(fmt(b));
        }
    }
    let pad = (x1 - x0) * 0.04;
    c.x_range = Some((x0 - pad, x1 + pad));
    let top = bars.iter().map(|b| b.share).fold(0.0, f64::max);
    c.y_range = Some((0.0, if top > 0.0 { top * 1.18 } else { 1.0 }));
    if let Some(rg) = region {
        c.layers.push(Layer::XSpan {
            from: rg.lo.unwrap_or(f64::NEG_INFINITY),
            to: rg.hi.unwrap_or(f64::INFINITY),
            color: palette::GREEN,
            opacity: 0.10,
            name: Some(Label::plain("met region")),
        });
    }
    let split = |met: bool| -> Vec<(f64, f64, f64)> {
        bars.iter()
            .filter(|b| b.met == met)
            .map(|b| (b.from, b.to, b.share))
            .collect()
    };
    c.layers.push(Layer::Bars {
        bars: split(false),
        color: palette::GREY,
        opacity: 0.75,
        name: Some(Label::plain("runs: not met")),
    });
    c.layers.push(Layer::Bars {
        bars: split(true),
        color: palette::GREEN,
        opacity: 0.8,
        name: Some(Label::plain("runs: met")),
    });
    for &b in &bounds {
        c.layers.push(Layer::VLine {
            x: b,
            color: palette::VERMILLION,
            dashed: true,
            name: Some(Label::plain(format!("threshold {}", fmt(b)))),
        });
    }
    if let Some(m) = t.quantiles.as_ref().and_then(|q| q.p50) {
        c.layers.push(Layer::VLine {
            x: m,
            color: palette::INK,
            dashed: false,
            name: Some(Label::plain(format!("median {}", fmt_median(m)))),
        });
    }
    if !off_chart.is_empty()
        && let Some(s) = c.subtitle.as_mut()
    {
        let note = format!(" · threshold {} off the chart", off_chart.join(", "));
        s.full.push_str(&note);
        s.latin.push_str(&note);
    }
    // The legend goes on the side with more room.
    let left_mass: f64 = bars
        .iter()
        .filter(|b| b.to <= (lo + hi) / 2.0)
        .map(|b| b.share)
        .sum();
    c.legend = if left_mass > 0.5 {
        super::xy::LegendPosition::UpperRight
    } else {
        super::xy::LegendPosition::UpperLeft
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::test_results;

    #[test]
    fn bins_cover_the_histogram_and_split_at_the_threshold() {
        let r = test_results();
        let t = r
            .targets
            .iter()
            .find(|t| t.id == "gdp_growth")
            .expect("target");
        let h = t.distribution.as_ref().expect("histogram");
        assert_eq!(h.shares.len(), crate::results::HISTOGRAM_BINS);
        let b = bins(h, t.met_region.as_ref());
        assert_eq!(b.len(), h.shares.len());
        let total: f64 = b.iter().map(|b| b.share).sum::<f64>() + h.below + h.above;
        assert!((total - 1.0).abs() < 1e-4, "{total}");
        // Bins are contiguous, and met exactly from the 6.5 % threshold up.
        for w in b.windows(2) {
            assert!((w[0].to - w[1].from).abs() < 1e-12);
        }
        for bin in &b {
            assert_eq!(bin.met, (bin.from + bin.to) / 2.0 >= 0.065);
        }
        // The share of met bins is close to P(met) (bins straddling the threshold aside).
        let met: f64 = b.iter().filter(|b| b.met).map(|b| b.share).sum::<f64>() + h.above;
        let p = t.p_met.as_ref().expect("p").p;
        assert!((met - p).abs() < 0.05, "met bins {met} vs P {p}");
    }

    #[test]
    fn degenerate_histogram_is_one_bar() {
        let h = Histogram {
            lo: 5.0,
            hi: 5.0,
            width: 0.0,
            below: 0.0,
            above: 0.0,
            shares: vec![1.0],
        };
        let region = MetRegion {
            lo: Some(4.0),
            hi: None,
        };
        let b = bins(&h, Some(&region));
        assert_eq!(b.len(), 1);
        assert!(b[0].met && b[0].from < 5.0 && b[0].to > 5.0);
    }

    #[test]
    fn chart_marks_threshold_and_median() {
        let r = test_results();
        let t = r
            .targets
            .iter()
            .find(|t| t.id == "urbanization_2025")
            .expect("target");
        let c = chart(&r, t).expect("chart");
        let thresholds: Vec<f64> = c
            .layers
            .iter()
            .filter_map(|l| match l {
                Layer::VLine {
                    x,
                    color: palette::VERMILLION,
                    ..
                } => Some(*x),
                _ => None,
            })
            .collect();
        assert_eq!(thresholds, vec![53.0]);
        let ((x0, x1), _) = c.ranges();
        assert!(x0 < 53.0 && 53.0 < x1);
    }
}
