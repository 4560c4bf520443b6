//! `fan-<indicator>.svg`/`.png`: how an indicator may evolve — the median path and the 50, 80 and
//! 90 % central intervals of the simulated values per year, from the base year to the last target
//! year, observed values as points, and each of its targets drawn where one applies to the level:
//! a level line, or the path a growth, change, cut or multiple target implies from the base value.

use super::xy::LegendPosition;
use super::{Label, Layer, Tick, XyChart, palette, png_safe};
use crate::model::{Metric, Op};
use crate::report::{indicator_name, target_phrase_unit};
use crate::results::{IndicatorResult, Results, TargetResult, YearQuantiles};

/// A central interval per year.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Coverage in percent: 50, 80 or 90.
    pub level: u8,
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
}

/// A target drawn on the indicator's scale.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetPath {
    pub id: String,
    /// Legend text (Latin).
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

/// The data of a fan chart.
#[derive(Debug, Clone, PartialEq)]
pub struct FanData {
    /// Years with all quantiles known.
    pub years: Vec<f64>,
    pub median: Vec<f64>,
    /// Widest first (90, 80, 50), the order they are drawn in.
    pub bands: Vec<Band>,
    /// The base value and observed values.
    pub observed: Vec<(f64, f64)>,
    pub targets: Vec<TargetPath>,
}

/// (lower, upper) quantile of each band.
fn band_of(y: &YearQuantiles, level: u8) -> (Option<f64>, Option<f64>) {
    match level {
        90 => (y.p05, y.p95),
        80 => (y.p10, y.p90),
        _ => (y.p25, y.p75),
    }
}

/// The fan's data for one indicator.
pub fn data(r: &Results, ind: &IndicatorResult) -> FanData {
    let full: Vec<&YearQuantiles> = ind
        .years
        .iter()
        .filter(|y| {
            [y.p05, y.p10, y.p25, y.p50, y.p75, y.p90, y.p95]
                .iter()
                .all(|q| q.is_some_and(f64::is_finite))
        })
        .collect();
    let years: Vec<f64> = full.iter().map(|y| y.year as f64).collect();
    let median = full.iter().filter_map(|y| y.p50).collect();
    let bands = [90u8, 80, 50]
        .into_iter()
        .map(|level| Band {
            level,
            lo: full.iter().filter_map(|y| band_of(y, level).0).collect(),
            hi: full.iter().filter_map(|y| band_of(y, level).1).collect(),
        })
        .collect();
    let mut observed = vec![(r.plan.base_year as f64, ind.base)];
    observed.extend(ind.observed.iter().map(|o| (o.year as f64, o.value)));
    let targets = r
        .targets
        .iter()
        .filter(|t| t.indicator == ind.id && t.status.is_simulated())
        .flat_map(|t| {
            target_paths(
                t,
                ind.base,
                r.plan.base_year,
                r.plan.target_year,
                ind.value_unit(),
            )
        })
        .collect();
    FanData {
        years,
        median,
        bands,
        observed,
        targets,
    }
}

/// The paths a target implies on its indicator's scale (one per finite bound of its met region);
/// none for metrics that are not about the level alone (sum, cagr_gap, ratio). Labels give the
/// plan's wording with the unit (`unit`: the unit simulated) and, where it differs, the value at
/// which the target is met.
pub fn target_paths(
    t: &TargetResult,
    base: f64,
    base_year: i32,
    plan_year: i32,
    unit: Option<&str>,
) -> Vec<TargetPath> {
    let Some(region) = t.met_region else {
        return vec![];
    };
    let span = t.year - base_year;
    if span <= 0 {
        return vec![];
    }
    let years = || (base_year..=t.year).map(|y| (y, (y - base_year) as f64));
    let geometric = |end: f64| -> Option<Vec<(f64, f64)>> {
        (base > 0.0 && end > 0.0).then(|| {
            let g = (end / base).powf(1.0 / span as f64);
            years().map(|(y, k)| (y as f64, base * g.powf(k))).collect()
        })
    };
    let bounds: Vec<f64> = [region.lo, region.hi].into_iter().flatten().collect();
    let phrase = target_phrase_unit(t, plan_year, unit);
    let mut out = Vec::new();
    for b in bounds.iter().copied() {
        let points = match t.metric {
            Metric::Level => Some(vec![(base_year as f64, b), (t.year as f64, b)]),
            Metric::Cagr => (b > -1.0).then(|| {
                years()
                    .map(|(y, k)| (y as f64, base * (1.0 + b).powf(k)))
                    .collect()
            }),
            Metric::Change => Some(vec![(base_year as f64, base), (t.year as f64, base + b)]),
            Metric::Reduction => geometric(base * (1.0 - b)),
            Metric::Multiple => geometric(base * b),
            _ => None,
        };
        let Some(points) = points else { continue };
        let boundary = if t.metric.is_rate() {
            format!("{}%", crate::model::target::fmt_num(b * 100.0))
        } else if matches!(t.metric, Metric::Level | Metric::Change) {
            format!(
                "{}{}",
                crate::model::target::fmt_num(b),
                unit.map(crate::report::unit_suffix).unwrap_or_default()
            )
        } else {
            crate::model::target::fmt_num(b)
        };
        let label = if t.op == Some(Op::About) || bounds.len() > 1 {
            format!("target: {phrase} (met at {boundary})")
        } else {
            format!("target: {phrase}")
        };
        out.push(TargetPath {
            id: t.id.clone(),
            label,
            points,
        });
    }
    out
}

/// Opacity of each band: the narrower, the darker.
/// The median of a fan as a line (a fan chart's, or one scenario's in an overlay of fans).
pub fn median_line(d: &FanData, color: plotters::style::RGBColor, name: Label) -> Layer {
    Layer::Line {
        points: d
            .years
            .iter()
            .copied()
            .zip(d.median.iter().copied())
            .collect(),
        color,
        width: 3,
        dashed: false,
        name: Some(name),
    }
}

fn opacity(level: u8) -> f64 {
    match level {
        90 => 0.16,
        80 => 0.24,
        _ => 0.38,
    }
}

/// The fan chart of one indicator.
pub fn chart(r: &Results, ind: &IndicatorResult) -> XyChart {
    let d = data(r, ind);
    let end = ind
        .years
        .last()
        .map(|y| y.year)
        .unwrap_or(r.plan.target_year);
    let name_full = indicator_name(&ind.name, ind.name_en.as_deref());
    let name_latin = ind.name_en.clone().unwrap_or_else(|| ind.id.clone());
    let mut c = XyChart::new(Label::new(
        format!("{name_full}: simulated paths {}–{end}", r.plan.base_year),
        format!("{name_latin}: simulated paths {}–{end}", r.plan.base_year),
    ));
    c.subtitle = Some(Label::plain(format!(
        "{} · {} model · median and 50/80/90% central intervals of {} runs",
        r.scenario.name, ind.model, r.runs
    )));
    let unit = ind.value_unit().unwrap_or_default().to_string();
    let unit_latin = png_safe(&unit);
    c.y_label = Label::new(
        if unit.is_empty() {
            "value".into()
        } else {
            unit
        },
        if unit_latin.is_empty() {
            "value".into()
        } else {
            unit_latin
        },
    );
    c.x_label = Label::plain("year");
    c.x_tick = Tick::Year;
    c.x_ticks = d.years.len().clamp(2, 12);
    let first = d.years.first().copied().unwrap_or(r.plan.base_year as f64);
    let last = d.years.last().copied().unwrap_or(end as f64);
    c.x_range = Some(if last > first {
        (first - 0.15, last + 0.15)
    } else {
        (first - 1.0, first + 1.0)
    });
    for b in &d.bands {
        c.layers.push(Layer::Band {
            xs: d.years.clone(),
            lo: b.lo.clone(),
            hi: b.hi.clone(),
            color: palette::BLUE,
            opacity: opacity(b.level),
            name: Some(Label::plain(format!("{}% interval", b.level))),
        });
    }
    c.layers
        .push(median_line(&d, palette::BLUE, Label::plain("median")));
    for (i, t) in d.targets.iter().enumerate() {
        let colors = [
            palette::VERMILLION,
            palette::GREEN,
            palette::PURPLE,
            palette::ORANGE,
        ];
        c.layers.push(Layer::Line {
            points: t.points.clone(),
            color: colors[i % colors.len()],
            width: 2,
            dashed: true,
            name: Some(Label::plain(t.label.clone())),
        });
    }
    c.layers.push(Layer::Points {
        points: d.observed.clone(),
        color: palette::INK,
        radius: 4,
        filled: true,
        name: Some(Label::plain("base / observed")),
    });
    let rising = match (d.median.first(), d.median.last()) {
        (Some(a), Some(b)) => b >= a,
        _ => true,
    };
    // The corner the fan leaves free: below its end when it rises, above when it falls.
    c.legend = if rising {
        LegendPosition::LowerRight
    } else {
        LegendPosition::UpperRight
    };
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::test_results;

    #[test]
    fn bands_are_the_year_quantiles_and_nest() {
        let r = test_results();
        let ind = r.indicators.iter().find(|i| i.id == "gdp").expect("gdp");
        let d = data(&r, ind);
        assert_eq!(
            d.years,
            vec![2020.0, 2021.0, 2022.0, 2023.0, 2024.0, 2025.0]
        );
        let levels: Vec<u8> = d.bands.iter().map(|b| b.level).collect();
        assert_eq!(levels, [90, 80, 50]);
        for (k, y) in ind.years.iter().enumerate() {
            assert_eq!(d.median[k], y.p50.expect("p50"));
            assert_eq!(d.bands[0].lo[k], y.p05.expect("p05"));
            assert_eq!(d.bands[0].hi[k], y.p95.expect("p95"));
            assert_eq!(d.bands[1].lo[k], y.p10.expect("p10"));
            assert_eq!(d.bands[1].hi[k], y.p90.expect("p90"));
            assert_eq!(d.bands[2].lo[k], y.p25.expect("p25"));
            assert_eq!(d.bands[2].hi[k], y.p75.expect("p75"));
            // Nested: 90 ⊇ 80 ⊇ 50 ∋ median.
            assert!(d.bands[0].lo[k] <= d.bands[1].lo[k] && d.bands[1].lo[k] <= d.bands[2].lo[k]);
            assert!(d.bands[2].lo[k] <= d.median[k] && d.median[k] <= d.bands[2].hi[k]);
            assert!(d.bands[2].hi[k] <= d.bands[1].hi[k] && d.bands[1].hi[k] <= d.bands[0].hi[k]);
        }
        // The base year is the base value, and the first observed point.
        assert_eq!(d.observed[0], (2020.0, 2859.3));
        assert_eq!(d.bands[0].lo[0], 2859.3);
    }

    #[test]
    fn growth_target_is_the_compounded_path_to_its_threshold() {
        let r = test_results();
        let ind = r.indicators.iter().find(|i| i.id == "gdp").expect("gdp");
        let d = data(&r, ind);
        assert_eq!(d.targets.len(), 1);
        let t = &d.targets[0];
        assert_eq!(t.points.len(), 6);
        // about 7 % with 0.5 pp tolerance: met from 6.5 % a year.
        let end = t.points[5].1;
        assert!((end - 2859.3 * 1.065f64.powi(5)).abs() < 1e-6, "{end}");
        assert!(t.label.contains("met at 6.5%"), "{}", t.label);
    }

    #[test]
    fn level_target_is_a_level_line() {
        let r = test_results();
        let ind = r
            .indicators
            .iter()
            .find(|i| i.id == "urbanization")
            .expect("urbanization");
        let d = data(&r, ind);
        assert_eq!(d.targets.len(), 1);
        assert_eq!(d.targets[0].points, vec![(2020.0, 53.0), (2025.0, 53.0)]);
    }

    #[test]
    fn relative_metrics_draw_no_path() {
        let r = test_results();
        let mut t = r.targets[0].clone();
        t.metric = Metric::CagrGap;
        assert!(target_paths(&t, 100.0, 2020, 2025, None).is_empty());
        t.metric = Metric::Reduction;
        t.met_region = Some(crate::results::MetRegion {
            lo: Some(0.2),
            hi: None,
        });
        let p = target_paths(&t, 100.0, 2020, 2025, None);
        assert!((p[0].points[5].1 - 80.0).abs() < 1e-9);
    }
}
