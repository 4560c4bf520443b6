//! `ontrack.svg`/`.png`: for every simulated target, the probability of being on or beyond its
//! implied trajectory in each year from the base year + 1 to the target year, as a heatmap: one
//! row per target (its name and target in words, binding targets marked), one column per year,
//! rows sorted from most to least likely on track in the last year. With `[observed]` years this
//! shows the plan drifting on or off track, target by target.

use super::attainment::target_label;
use super::{HeatRow, Heatmap, Label};
use crate::model::Attribute;
use crate::results::Results;

/// One target's row of probabilities.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub id: String,
    pub binding: bool,
    /// (year, P on track).
    pub points: Vec<(f64, f64)>,
}

/// One series per simulated target, in results order.
pub fn series(r: &Results) -> Vec<Series> {
    r.targets
        .iter()
        .filter(|t| !t.on_track.is_empty())
        .map(|t| Series {
            id: t.id.clone(),
            binding: t.attribute == Attribute::Binding,
            points: t
                .on_track
                .iter()
                .map(|o| (o.year as f64, o.p))
                .filter(|p| p.1.is_finite())
                .collect(),
        })
        .collect()
}

/// The heatmap, or `None` when no target is simulated. Rows: most likely on track in their last
/// year first (ties: binding first, then by id).
pub fn chart(r: &Results) -> Option<Heatmap> {
    let lines = series(r);
    if lines.is_empty() {
        return None;
    }
    let first = r.plan.base_year + 1;
    let last = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.0 as i32))
        .max()
        .unwrap_or(r.plan.target_year);
    let years: Vec<i32> = (first..=last).collect();
    let mut rows: Vec<(f64, bool, String, HeatRow)> = lines
        .iter()
        .filter_map(|l| {
            let t = r.targets.iter().find(|t| t.id == l.id)?;
            let cells = years
                .iter()
                .map(|&y| l.points.iter().find(|p| p.0 as i32 == y).map(|p| p.1))
                .collect();
            let end = l.points.last().map_or(0.0, |p| p.1);
            Some((
                end,
                l.binding,
                l.id.clone(),
                HeatRow {
                    label: target_label(r, t),
                    marked: l.binding,
                    cells,
                },
            ))
        })
        .collect();
    rows.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    Some(Heatmap {
        width: 1000,
        title: Label::plain(format!(
            "On track: P(on or beyond the path each target implies), {first}–{last}"
        )),
        subtitle: Some(Label::plain(format!(
            "{} · {} targets, most likely on track first; cells in %; growth targets interpolated geometrically, level targets linearly, cumulative targets prorated",
            r.scenario.name,
            rows.len()
        ))),
        columns: years.iter().map(|y| y.to_string()).collect(),
        rows: rows.into_iter().map(|x| x.3).collect(),
        mark_name: Some(Label::new("binding (约束性) target", "binding target")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_simulated_target_ending_at_p_met_sorted() {
        let r = super::super::test_results();
        let s = series(&r);
        let simulated: Vec<_> = r
            .targets
            .iter()
            .filter(|t| t.status.is_simulated())
            .collect();
        assert_eq!(s.len(), simulated.len());
        for (line, t) in s.iter().zip(&simulated) {
            assert_eq!(line.id, t.id);
            assert_eq!(line.points.len(), (t.year - r.plan.base_year) as usize);
            assert_eq!(line.points.last().unwrap().1, t.p_met.as_ref().unwrap().p);
        }
        let h = chart(&r).expect("chart");
        assert_eq!(h.rows.len(), simulated.len());
        assert_eq!(h.columns.first().map(String::as_str), Some("2021"));
        let ends: Vec<f64> = h
            .rows
            .iter()
            .map(|row| {
                row.cells
                    .iter()
                    .rev()
                    .flatten()
                    .next()
                    .copied()
                    .unwrap_or(0.0)
            })
            .collect();
        assert!(ends.windows(2).all(|w| w[0] >= w[1]), "{ends:?}");
        // Names, not ids: the rows carry the indicator's name and the target with its unit.
        assert!(h.rows.iter().any(|row| row.label.full.contains("≥ 53")));
    }
}
