//! `ontrack.svg`/`.png`: for every simulated target, the probability of being on or beyond its
//! implied trajectory in each year from the base year to the target year. With `[observed]` years
//! this shows the plan drifting on or off track; binding targets are drawn in vermillion, expected
//! ones in blue, with a dashed 50 % line.

use super::attainment::{BINDING, EXPECTED};
use super::{Label, Layer, Tick, XyChart, palette};
use crate::model::Attribute;
use crate::results::Results;

/// One target's line.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub id: String,
    pub binding: bool,
    /// (year, P on track).
    pub points: Vec<(f64, f64)>,
}

/// One line per simulated target.
pub fn series(r: &Results) -> Vec<Series> {
    r.targets
        .iter()
        .filter(|t| !t.on_track.is_empty())
        .map(|t| {
            let pts = std::iter::once((r.plan.base_year as f64, f64::NAN))
                .chain(t.on_track.iter().map(|o| (o.year as f64, o.p)))
                .filter(|p| p.1.is_finite())
                .collect();
            Series {
                id: t.id.clone(),
                binding: t.attribute == Attribute::Binding,
                points: pts,
            }
        })
        .collect()
}

/// The chart, or `None` when no target is simulated.
pub fn chart(r: &Results) -> Option<XyChart> {
    let lines = series(r);
    if lines.is_empty() {
        return None;
    }
    let mut c = XyChart::new(Label::plain(
        "On track: P(on or beyond the path each target implies), by year",
    ));
    c.subtitle = Some(Label::plain(format!(
        "{} targets; growth targets interpolated geometrically, level targets linearly, cumulative targets prorated",
        lines.len()
    )));
    c.x_label = Label::plain("year");
    c.y_label = Label::plain("P(on track) (%)");
    c.x_tick = Tick::Year;
    c.y_tick = Tick::Percent;
    c.y_range = Some((0.0, 1.0));
    c.x_range = Some((
        r.plan.base_year as f64 + 1.0,
        lines
            .iter()
            .flat_map(|l| l.points.iter().map(|p| p.0))
            .fold(f64::MIN, f64::max),
    ));
    let (mut named_b, mut named_e) = (false, false);
    for Series {
        binding, points, ..
    } in lines
    {
        let name = if binding && !named_b {
            named_b = true;
            Some(Label::new("binding (约束性) targets", "binding targets"))
        } else if !binding && !named_e {
            named_e = true;
            Some(Label::new("expected (预期性) targets", "expected targets"))
        } else {
            None
        };
        c.layers.push(Layer::Line {
            points,
            color: if binding { BINDING } else { EXPECTED },
            width: if binding { 2 } else { 1 },
            dashed: false,
            name,
        });
    }
    c.layers.push(Layer::HLine {
        y: 0.5,
        color: palette::GREY,
        dashed: true,
        name: None,
    });
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_simulated_target_ending_at_p_met() {
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
        assert!(chart(&r).is_some());
    }
}
