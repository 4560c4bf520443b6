//! A generic horizontal bar chart: one labelled row per item, a bar for the value, a whisker for
//! its interval, a colour per group, vertical reference lines.
//!
//! The attainment chart is one; so is any per-target comparison (scenarios side by side, scores
//! per target). Rows are drawn in the order given, top to bottom: sort before building. Labels too
//! long for the label column (at most 56 % of the width) wrap onto more lines (every row grows),
//! and the legend flows onto more rows: nothing is cut.

use super::{
    AXIS_PX, Chart, DrawResult, Label, TICK_PX, TextMode, Tick, header_height, header_then_body,
    palette, text_width, wrap,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One row: a label, a value, an optional interval and the group that colours it.
#[derive(Debug, Clone, PartialEq)]
pub struct BarRow {
    pub label: Label,
    pub value: f64,
    /// The interval drawn as a whisker (both ends or none).
    pub interval: Option<(f64, f64)>,
    /// Index into [`BarChart::groups`].
    pub group: usize,
    /// Text written right of the bar (e.g. "54.5%").
    pub note: Option<String>,
    /// A second bar on the same row, (value, group): paired bars such as a tornado's low and high
    /// settings, both drawn from [`BarChart::base`].
    pub pair: Option<(f64, usize)>,
}

/// A group of rows: its legend name and colour.
#[derive(Debug, Clone, PartialEq)]
pub struct BarGroup {
    pub name: Label,
    pub color: RGBColor,
}

/// Horizontal bars with whiskers.
#[derive(Debug, Clone)]
pub struct BarChart {
    pub width: u32,
    pub title: Label,
    pub subtitle: Option<Label>,
    pub x_label: Label,
    pub x_range: (f64, f64),
    pub x_tick: Tick,
    pub x_ticks: usize,
    pub rows: Vec<BarRow>,
    pub groups: Vec<BarGroup>,
    /// Dashed vertical lines with a short label at the top.
    pub references: Vec<(f64, Label)>,
    /// A legend entry explaining the whiskers, e.g. "95% interval".
    pub whisker_name: Option<Label>,
    /// Where bars start: `None` is 0 (or the axis end nearest it); a tornado's bars start at the
    /// base case's value and extend either way.
    pub base: Option<f64>,
    /// Draw each value as a dot on its whisker instead of a bar (a dot chart: several series per
    /// item compare by position, not by bar length).
    pub dots: bool,
    /// Rows a label may span: a label on the first row of a block of `label_span` rows (the
    /// others unlabelled) is centred on the block and wraps within its height; blocks are ruled
    /// off from each other.
    pub label_span: usize,
}

/// Height of one row in pixels.
pub const ROW_PX: u32 = 26;
const LABEL_PX: f64 = 13.5;
const LEGEND_PX: u32 = 30;
/// Height of a line of a wrapped row label.
const LABEL_LINE: u32 = 16;
const AXIS_AREA: u32 = 50;

impl BarChart {
    /// An empty chart: 0–100 % axis, default width.
    pub fn new(title: Label) -> BarChart {
        BarChart {
            width: 1000,
            title,
            subtitle: None,
            x_label: Label::default(),
            x_range: (0.0, 1.0),
            x_tick: Tick::Percent,
            x_ticks: 11,
            rows: Vec::new(),
            groups: Vec::new(),
            references: Vec::new(),
            whisker_name: None,
            base: None,
            dots: false,
            label_span: 1,
        }
    }

    /// Width of the label column for a mode.
    fn label_area(&self, mode: TextMode) -> f64 {
        let widest = self
            .rows
            .iter()
            .map(|r| text_width(&r.label.text(mode), LABEL_PX))
            .fold(0.0, f64::max);
        (widest + 18.0).clamp(80.0, self.width as f64 * 0.56)
    }

    /// A row label's lines in a mode.
    fn label_lines(&self, r: &BarRow, mode: TextMode) -> Vec<String> {
        wrap(&r.label.text(mode), LABEL_PX, self.label_area(mode) - 16.0)
    }

    /// Height of every row: one line of label, or as many as the longest wrapped label needs
    /// (shared by the rows its block spans).
    fn row_px(&self) -> u32 {
        let lines = self
            .rows
            .iter()
            .flat_map(|r| [TextMode::Svg, TextMode::Png].map(|m| self.label_lines(r, m).len()))
            .max()
            .unwrap_or(1) as u32;
        let span = self.label_span.max(1) as u32;
        if lines <= span {
            ROW_PX
        } else {
            ((lines * LABEL_LINE + 10).div_ceil(span)).max(ROW_PX)
        }
    }

    /// The legend entries (swatch or whisker, name) laid out in rows: (x, row) of each; groups
    /// first, then the whisker.
    fn legend_layout(&self, mode: TextMode) -> Vec<(i32, u32)> {
        let room = self.width as f64 - 28.0;
        let names = self
            .groups
            .iter()
            .map(|g| g.name.text(mode))
            .chain(self.whisker_name.iter().map(|w| w.text(mode)));
        let mut out = Vec::new();
        let (mut x, mut row) = (14.0, 0u32);
        for n in names {
            let w = 28.0 + text_width(&n, TICK_PX) + 24.0;
            if x > 14.0 && x + w > room {
                x = 14.0;
                row += 1;
            }
            out.push((x as i32, row));
            x += w;
        }
        out
    }

    /// Height of the legend strip (the same in both modes).
    fn legend_px(&self) -> u32 {
        let rows = [TextMode::Svg, TextMode::Png]
            .map(|m| self.legend_layout(m).last().map_or(1, |e| e.1 + 1))
            .into_iter()
            .max()
            .unwrap_or(1);
        LEGEND_PX + (rows - 1) * 22
    }
}

impl Chart for BarChart {
    fn size(&self) -> (u32, u32) {
        let rows = self.rows.len().max(1) as u32;
        (
            self.width,
            header_height(self.width, &self.title, self.subtitle.as_ref())
                + self.legend_px()
                + rows * self.row_px()
                + AXIS_AREA
                + 30,
        )
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        mode: TextMode,
    ) -> DrawResult<DB> {
        let rest = header_then_body(root, mode, self.width, &self.title, self.subtitle.as_ref())?;
        let (legend, body) = rest.split_vertically(self.legend_px());
        // Legend: a swatch per group, then the whisker, flowing onto more rows when needed.
        let centre = Pos::new(HPos::Left, VPos::Center);
        let layout = self.legend_layout(mode);
        let at = |k: usize| {
            let (x, row) = layout.get(k).copied().unwrap_or((14, 0));
            (x, (LEGEND_PX / 2 + row * 22) as i32)
        };
        for (k, g) in self.groups.iter().enumerate() {
            let (x, y) = at(k);
            legend.draw(&Rectangle::new(
                [(x, y - 7), (x + 22, y + 7)],
                g.color.mix(0.85).filled(),
            ))?;
            legend.draw(&Text::new(
                g.name.text(mode),
                (x + 28, y),
                mode.style(TICK_PX, palette::INK).pos(centre),
            ))?;
        }
        if let Some(w) = &self.whisker_name {
            let (x, y) = at(self.groups.len());
            legend.draw(&PathElement::new(
                vec![(x, y), (x + 22, y)],
                palette::INK.stroke_width(2),
            ))?;
            for cx in [x, x + 22] {
                legend.draw(&PathElement::new(
                    vec![(cx, y - 5), (cx, y + 5)],
                    palette::INK.stroke_width(2),
                ))?;
            }
            legend.draw(&Text::new(
                w.text(mode),
                (x + 28, y),
                mode.style(TICK_PX, palette::INK).pos(centre),
            ))?;
        }

        let n = self.rows.len().max(1) as f64;
        let label_area = self.label_area(mode);
        let (x0, x1) = if self.x_range.1 > self.x_range.0 {
            self.x_range
        } else {
            (self.x_range.0, self.x_range.0 + 1.0)
        };
        let xt = self.x_tick;
        let xf = move |v: &f64| xt.text(*v, x1 - x0);
        let mut chart = ChartBuilder::on(&body)
            .margin_left(8)
            .margin_top(18)
            .margin_right(64)
            .margin_bottom(8)
            .x_label_area_size(AXIS_AREA - 8)
            .y_label_area_size(label_area as u32)
            .build_cartesian_2d(x0..x1, 0.0..n)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(self.x_ticks)
            .x_label_formatter(&xf)
            .y_label_formatter(&|_| String::new())
            .x_desc(self.x_label.text(mode))
            .label_style(mode.style(TICK_PX, palette::MUTED))
            .axis_desc_style(mode.style(AXIS_PX, palette::INK))
            .bold_line_style(palette::GRID.stroke_width(1))
            .light_line_style(WHITE.stroke_width(0))
            .axis_style(palette::GREY.stroke_width(1))
            .draw()?;
        let row_y = |i: usize| n - 1.0 - i as f64;
        let start = self
            .base
            .filter(|b| b.is_finite())
            .unwrap_or(0.0)
            .clamp(x0, x1);
        let color = |group: usize| {
            self.groups
                .get(group)
                .map(|g| g.color)
                .unwrap_or(palette::GREY)
        };
        for (i, r) in self.rows.iter().enumerate() {
            let y = row_y(i);
            let mut note_x = f64::NEG_INFINITY;
            // The longer bar first, so that a shorter one on the same side stays visible.
            let mut bars: Vec<(f64, usize)> =
                std::iter::once((r.value, r.group)).chain(r.pair).collect();
            bars.sort_by(|a, b| (b.0 - start).abs().total_cmp(&(a.0 - start).abs()));
            for (value, group) in bars.iter().copied() {
                if !value.is_finite() || self.dots {
                    continue;
                }
                let v = value.clamp(x0, x1);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(start.min(v), y + 0.2), (start.max(v), y + 0.8)],
                    color(group).mix(0.85).filled(),
                )))?;
                note_x = note_x.max(v).max(start);
            }
            if let Some((lo, hi)) = r.interval
                && lo.is_finite()
                && hi.is_finite()
            {
                let (lo, hi) = (lo.clamp(x0, x1), hi.clamp(x0, x1));
                let style = palette::INK.stroke_width(2);
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(lo, y + 0.5), (hi, y + 0.5)],
                    style,
                )))?;
                for e in [lo, hi] {
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(e, y + 0.3), (e, y + 0.7)],
                        style,
                    )))?;
                }
                note_x = note_x.max(hi);
            }
            if self.dots {
                for (value, group) in bars {
                    if !value.is_finite() {
                        continue;
                    }
                    let v = value.clamp(x0, x1);
                    chart.draw_series(std::iter::once(Circle::new(
                        (v, y + 0.5),
                        6,
                        color(group).filled(),
                    )))?;
                    note_x = note_x.max(v);
                }
            }
            let span = self.label_span.max(1);
            if span > 1 && i % span == 0 && i > 0 {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x0, y + 1.0), (x1, y + 1.0)],
                    palette::GRID.stroke_width(1),
                )))?;
            }
            // A spanning label is centred on its block.
            let block = if span > 1 {
                (span.min(self.rows.len() - i) as f64 - 1.0) / 2.0
            } else {
                0.0
            };
            let (lx, ly) = chart.backend_coord(&(x0, y + 0.5 - block));
            let lines = self.label_lines(r, mode);
            let first = ly - ((lines.len() as i32 - 1) * LABEL_LINE as i32) / 2;
            for (k, l) in lines.into_iter().enumerate() {
                root.draw(&Text::new(
                    l,
                    (lx - 8, first + k as i32 * LABEL_LINE as i32),
                    mode.style(LABEL_PX, palette::INK)
                        .pos(Pos::new(HPos::Right, VPos::Center)),
                ))?;
            }
            if let Some(note) = &r.note {
                let nx = if note_x.is_finite() {
                    note_x.clamp(x0, x1)
                } else {
                    start
                };
                let (px, py) = chart.backend_coord(&(nx, y + 0.5));
                // Right of the row's mark, or left of it when it would run past the frame.
                let w = text_width(note, TICK_PX) as i32;
                let leftmost = [Some(r.value), r.interval.map(|i| i.0), r.pair.map(|p| p.0)]
                    .into_iter()
                    .flatten()
                    .filter(|v| v.is_finite())
                    .fold(nx, f64::min)
                    .clamp(x0, x1);
                let (lx, _) = chart.backend_coord(&(leftmost, y + 0.5));
                let (at, pos) =
                    if px + 6 + w > self.width as i32 - 6 && lx - 8 - w > label_area as i32 {
                        ((lx - 8, py), Pos::new(HPos::Right, VPos::Center))
                    } else {
                        ((px + 6, py), centre)
                    };
                root.draw(&Text::new(
                    note.clone(),
                    at,
                    mode.style(TICK_PX, palette::MUTED).pos(pos),
                ))?;
            }
        }
        for (x, label) in &self.references {
            if !(x.is_finite() && *x >= x0 && *x <= x1) {
                continue;
            }
            chart.draw_series(DashedLineSeries::new(
                vec![(*x, 0.0), (*x, n)],
                6,
                4,
                palette::MUTED.stroke_width(1),
            ))?;
            let (px, py) = chart.backend_coord(&(*x, n));
            root.draw(&Text::new(
                label.text(mode),
                (px, py - 3),
                mode.style(TICK_PX - 1.0, palette::MUTED)
                    .pos(Pos::new(HPos::Center, VPos::Bottom)),
            ))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn height_grows_with_rows() {
        let mut c = BarChart::new(Label::plain("t"));
        let h0 = c.size().1;
        c.rows = (0..10)
            .map(|i| BarRow {
                label: Label::plain(format!("row {i}")),
                value: 0.1 * i as f64,
                interval: Some((0.05 * i as f64, 0.1 * i as f64 + 0.02)),
                group: 0,
                note: Some("x".into()),
                pair: None,
            })
            .collect();
        assert_eq!(c.size().1, h0 + 9 * ROW_PX);
        c.rows[0].label = Label::plain("a long label ".repeat(30));
        assert!(
            c.size().1 > h0 + 10 * ROW_PX,
            "long labels wrap onto taller rows"
        );
        let svg = super::super::svg(&c).expect("svg");
        assert!(svg.contains("row 9"));
    }

    #[test]
    fn paired_bars_start_at_the_base_on_either_side() {
        let mut c = BarChart::new(Label::plain("tornado"));
        c.x_range = (0.3, 0.8);
        c.base = Some(0.55);
        c.rows = vec![BarRow {
            label: Label::plain("input"),
            value: 0.4,
            interval: None,
            group: 0,
            note: Some("40.0% | 70.0%".into()),
            pair: Some((0.7, 1)),
        }];
        let svg = super::super::svg(&c).expect("svg");
        assert!(svg.contains("40.0% | 70.0%"));
        // Two bars (plus the white background): both rectangles have a positive width.
        let rects = svg.matches("<rect").count();
        assert!(rects >= 3, "{rects}");
        assert!(!svg.contains("width=\"-"), "no negative widths");
        assert_eq!(&super::super::png(&c).expect("png")[1..4], b"PNG");
    }
}
