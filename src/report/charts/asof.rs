//! `asof.svg`/`.png` (nowcast): P(met) of every target against the as-of year, one coloured line
//! per target; the marker right of the last year shows the recorded outcome (filled at 100 %:
//! met, hollow at 0 %: missed). The observed values in use per year are listed in the footer.
//!
//! Data first, drawing second: [`series`] turns the nowcast into plain numbers (unit-tested),
//! [`chart`] builds the spec.

use super::{Label, Layer, Tick, XyChart, palette};
use crate::analysis::nowcast::Nowcast;

/// One target's line.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub id: String,
    /// (as-of year, P(met)) where the target was simulated.
    pub points: Vec<(i32, f64)>,
    /// The recorded outcome, if any.
    pub met: Option<bool>,
}

/// The series of every target of a nowcast that was simulated in some year.
pub fn series(n: &Nowcast) -> Vec<Series> {
    n.targets
        .iter()
        .map(|t| Series {
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

/// The as-of chart of a nowcast.
pub fn chart(n: &Nowcast) -> XyChart {
    let lines = series(n);
    let mut c = XyChart::new(Label::plain(format!(
        "P(met) by as-of year: {}",
        n.scenario.name
    )));
    c.width = 1000;
    // Tall enough for the legend column: one row per target.
    c.height = (240 + super::xy::LEGEND_ROW_PX * lines.len() as u32).max(560);
    c.subtitle = Some(Label::plain(format!(
        "plan {} ({}→{}); each year ignores later [observed] values; {} runs, seed {} for every year{}",
        n.plan.id,
        n.plan.base_year,
        n.plan.target_year,
        n.runs,
        n.seed,
        if lines.is_empty() {
            "; no simulated target"
        } else {
            ""
        }
    )));
    let obs: Vec<String> = n
        .years
        .iter()
        .enumerate()
        .map(|(k, y)| format!("{y}: {}", n.observations.get(k).copied().unwrap_or(0)))
        .collect();
    c.footer = Some(Label::plain(format!(
        "observed values in use, by as-of year: {}",
        obs.join(" · ")
    )));
    c.x_label = Label::plain("as of the end of year (year)");
    c.y_label = Label::plain("P(met) (%)");
    c.x_tick = Tick::Year;
    c.y_tick = Tick::Percent;
    let first = n.years.first().copied().unwrap_or(n.plan.base_year) as f64;
    let last = n.years.last().copied().unwrap_or(first as i32) as f64;
    c.x_range = Some((first - 0.3, last + 0.7));
    c.x_ticks = n.years.len().clamp(2, 12) + 1;
    c.y_range = Some((-0.04, 1.04));
    c.legend_right = true;
    let outcome_x = last + 0.45;
    if lines.iter().any(|s| s.met.is_some()) {
        c.layers.push(Layer::VLine {
            x: last + 0.25,
            color: palette::GRID,
            dashed: true,
            name: None,
        });
        c.layers.push(Layer::Text {
            items: vec![(last + 0.25, 0.5, Label::plain("outcome"))],
            color: palette::MUTED,
        });
    }
    for (k, s) in lines.iter().enumerate() {
        let color = palette::SERIES[k % palette::SERIES.len()];
        let pts: Vec<(f64, f64)> = s.points.iter().map(|&(y, p)| (y as f64, p)).collect();
        let outcome = match s.met {
            Some(true) => " (met)",
            Some(false) => " (missed)",
            None => "",
        };
        c.layers.push(Layer::Line {
            points: pts.clone(),
            color,
            width: 2,
            dashed: false,
            name: Some(Label::plain(format!("{}{outcome}", s.id))),
        });
        c.layers.push(Layer::Points {
            points: pts,
            color,
            radius: 3,
            filled: true,
            name: None,
        });
        if let Some(met) = s.met {
            // Stagger the outcome markers a little so that equal outcomes stay apart.
            let step = 0.012 * (k % 5) as f64;
            c.layers.push(Layer::Points {
                points: vec![(outcome_x, if met { 1.0 - step } else { step })],
                color,
                radius: 4,
                filled: met,
                name: None,
            });
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::nowcast::NowcastTarget;
    use crate::model::{Attribute, Metric};
    use crate::stats::Prob;

    fn target(id: &str, p_met: Vec<Option<Prob>>, met: Option<bool>) -> NowcastTarget {
        NowcastTarget {
            id: id.into(),
            indicator: "x".into(),
            attribute: Attribute::Binding,
            metric: Metric::Level,
            year: 2025,
            rule: String::new(),
            p_met,
            actual: None,
            met,
        }
    }

    #[test]
    fn one_line_per_simulated_target_and_an_outcome_marker() {
        let p = |hits| Some(Prob::new(hits, 100));
        let (scenario, plan) = crate::results::test_info(2020);
        let n = Nowcast {
            attain_version: "",
            scenario,
            plan,
            seed: 1,
            runs: 100,
            years: vec![2020, 2021, 2022],
            observations: vec![0, 1, 3],
            targets: vec![
                target("a", vec![None, p(40), p(60)], Some(false)),
                target("b", vec![p(50), p(70), p(90)], Some(true)),
                target("never", vec![None, None, None], None),
            ],
        };
        let s = series(&n);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].points, vec![(2021, 0.4), (2022, 0.6)]);
        let c = chart(&n);
        let svg = super::super::svg(&c).expect("svg");
        for text in ["a (missed)", "b (met)", "2022: 3", "outcome", "P(met) (%)"] {
            assert!(svg.contains(text), "{text}");
        }
        assert_eq!(&super::super::png(&c).expect("png")[1..4], b"PNG");
    }
}
