//! `attainment.svg`/`.png`: P(met) of every simulated target with its 95 % interval, sorted from
//! most to least likely, binding and expected targets in different colours, a 50 % line.

use super::{BarChart, BarGroup, BarRow, Label, palette};
use crate::model::Attribute;
use crate::report::indicator_name;
use crate::results::{Results, TargetResult};

/// Colour of binding (约束性) targets.
pub const BINDING: plotters::style::RGBColor = palette::VERMILLION;
/// Colour of expected (预期性) targets.
pub const EXPECTED: plotters::style::RGBColor = palette::BLUE;

/// One bar of the attainment chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: String,
    pub label: Label,
    pub p: f64,
    pub lo: f64,
    pub hi: f64,
    pub binding: bool,
}

/// A target's wording for charts: Chinese and English name and the target in a few words with its
/// unit (`地区生产总值 Regional GDP · growth ≈ 7%/yr`, `… · ≥ 53%`), and an English-only variant.
pub fn target_label(r: &Results, t: &TargetResult) -> Label {
    let phrase = crate::report::target_label(r, t);
    let latin_name = t.name_en.clone().unwrap_or_else(|| t.id.clone());
    Label::new(
        format!(
            "{} · {phrase}",
            indicator_name(&t.name, t.name_en.as_deref())
        ),
        format!("{latin_name} · {phrase}"),
    )
}

/// The bars: simulated targets, most likely first (ties: binding first, then by id).
pub fn rows(r: &Results) -> Vec<Row> {
    let mut rows: Vec<Row> = r
        .targets
        .iter()
        .filter_map(|t| {
            let p = t.p_met.as_ref()?;
            Some(Row {
                id: t.id.clone(),
                label: target_label(r, t),
                p: p.p,
                lo: p.lo,
                hi: p.hi,
                binding: t.attribute == Attribute::Binding,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.p.total_cmp(&a.p)
            .then(b.binding.cmp(&a.binding))
            .then(a.id.cmp(&b.id))
    });
    rows
}

/// The chart, or `None` when no target was simulated.
pub fn chart(r: &Results) -> Option<BarChart> {
    let rows = rows(r);
    if rows.is_empty() {
        return None;
    }
    let plan_en = r.plan.title_en.clone().unwrap_or_else(|| r.plan.id.clone());
    let mut c = BarChart::new(Label::new(
        format!("Probability of meeting each target: {}", r.plan.title),
        format!("Probability of meeting each target: {plan_en}"),
    ));
    c.subtitle = Some(Label::plain(format!(
        "{} · {} runs, seed {} · bar = P(met), whisker = 95% Wilson interval",
        r.scenario.name, r.runs, r.seed
    )));
    c.width = 1100;
    c.x_label = Label::plain("probability that the target is met (%)");
    c.groups = vec![
        BarGroup {
            name: Label::new("binding 约束性", "binding"),
            color: BINDING,
        },
        BarGroup {
            name: Label::new("expected 预期性", "expected"),
            color: EXPECTED,
        },
    ];
    c.whisker_name = Some(Label::plain("95% interval"));
    c.references = vec![(0.5, Label::plain("50%"))];
    c.rows = rows
        .into_iter()
        .map(|row| BarRow {
            note: Some(format!("{:.1}%", row.p * 100.0)),
            label: row.label,
            value: row.p,
            interval: Some((row.lo, row.hi)),
            group: if row.binding { 0 } else { 1 },
            pair: None,
        })
        .collect();
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::test_results;

    #[test]
    fn rows_are_sorted_and_carry_the_probabilities() {
        let r = test_results();
        let rows = rows(&r);
        let simulated = r.targets.iter().filter(|t| t.p_met.is_some()).count();
        assert_eq!(rows.len(), simulated);
        assert!(rows.windows(2).all(|w| w[0].p >= w[1].p), "sorted");
        for row in &rows {
            let t = r.targets.iter().find(|t| t.id == row.id).expect("target");
            let p = t.p_met.as_ref().expect("p");
            assert_eq!((row.p, row.lo, row.hi), (p.p, p.lo, p.hi));
            assert!(row.lo <= row.p && row.p <= row.hi);
            assert_eq!(row.binding, t.attribute == Attribute::Binding);
        }
        let gdp = rows.iter().find(|r| r.id == "gdp_growth").expect("gdp row");
        assert_eq!(gdp.label.full, "地区生产总值 Regional GDP · growth ≈ 7%/yr");
        assert_eq!(gdp.label.latin, "Regional GDP · growth ≈ 7%/yr");
    }

    #[test]
    fn ties_put_binding_first_then_id() {
        let mut r = test_results();
        for t in r.targets.iter_mut() {
            if let Some(p) = t.p_met.as_mut() {
                p.p = 0.5;
            }
        }
        if let Some(t) = r.targets.iter_mut().find(|t| t.id == "urbanization_2025") {
            t.attribute = Attribute::Binding;
        }
        let ids: Vec<String> = rows(&r).into_iter().map(|r| r.id).collect();
        assert_eq!(ids, ["urbanization_2025", "gdp_growth"]);
    }

    #[test]
    fn chart_has_one_bar_per_simulated_target() {
        let r = test_results();
        let c = chart(&r).expect("chart");
        assert_eq!(c.rows.len(), 2);
        let svg = crate::report::charts::svg(&c).expect("svg");
        assert!(svg.contains("地区生产总值"));
        assert!(svg.contains(super::super::SVG_FONTS));
    }
}
