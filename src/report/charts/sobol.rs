//! `sobol-<target>.svg`/`.png`: total Sobol index of each input for one target, with bootstrap
//! interval whiskers and the first-order index written beside each bar.

use super::{BarChart, BarGroup, BarRow, Label, Tick, palette};
use crate::analysis::sobol::TargetIndices;

/// The chart of one target's indices: the `top` inputs by total effect.
pub fn chart(t: &TargetIndices, top: usize) -> BarChart {
    let mut c = BarChart::new(Label::plain(format!("Sobol indices: {}", t.target)));
    c.subtitle = Some(Label::plain(format!(
        "bar = total effect, whisker = 95 % bootstrap interval, S1 = first-order index; P(met) {:.1}%",
        t.p_met * 100.0
    )));
    c.x_label = Label::plain("share of the variance of met / not met (fraction, 0-1)");
    c.x_tick = Tick::Number;
    c.x_ticks = 6;
    c.x_range = (0.0, 1.0);
    c.groups = vec![BarGroup {
        name: Label::plain("total effect"),
        color: palette::BLUE,
    }];
    c.whisker_name = Some(Label::plain("95% interval"));
    c.rows = t
        .inputs
        .iter()
        .take(top.max(1))
        .map(|i| BarRow {
            label: Label::plain(i.input.clone()),
            value: if i.total.is_finite() {
                i.total.clamp(0.0, 1.0)
            } else {
                0.0
            },
            interval: (i.total_ci[0].is_finite() && i.total_ci[1].is_finite())
                .then(|| (i.total_ci[0].clamp(0.0, 1.0), i.total_ci[1].clamp(0.0, 1.0))),
            group: 0,
            note: Some(format!("S1 {:.2}", i.first_order)),
            pair: None,
        })
        .collect();
    c
}
