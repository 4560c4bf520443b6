//! A generic chart on two numeric axes: bands, lines, points, histogram bars, shaded spans and
//! reference lines, with attain's shared styling.
//!
//! Fan charts and metric distributions are built on it; so can any other x–y chart (a reliability
//! diagram is `Points` plus a dashed diagonal `Line`; an as-of chart is a few `Line`s).

use super::{
    AXIS_PX, Chart, DrawResult, Label, TICK_PX, TextMode, Tick, header_then_body, palette,
    text_width, wrap,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Height of a line of the footer strip.
const FOOTER_PX: u32 = 20;
/// Height of one entry of a legend column.
pub const LEGEND_ROW_PX: u32 = 17;

/// One layer of an [`XyChart`], drawn in order (later layers on top). `name`, when given, puts the
/// layer in the legend.
#[derive(Debug, Clone, PartialEq)]
pub enum Layer {
    /// A filled band between `lo` and `hi` over `xs` (equal lengths; extra values are ignored).
    Band {
        xs: Vec<f64>,
        lo: Vec<f64>,
        hi: Vec<f64>,
        color: RGBColor,
        opacity: f64,
        name: Option<Label>,
    },
    /// A polyline.
    Line {
        points: Vec<(f64, f64)>,
        color: RGBColor,
        width: u32,
        dashed: bool,
        name: Option<Label>,
    },
    /// Markers, filled or hollow (a ring).
    Points {
        points: Vec<(f64, f64)>,
        color: RGBColor,
        radius: u32,
        filled: bool,
        name: Option<Label>,
    },
    /// Vertical error bars with caps: (x, low, high).
    ErrorBars {
        bars: Vec<(f64, f64, f64)>,
        color: RGBColor,
        name: Option<Label>,
    },
    /// Direct labels: text written just right of and above each (x, y).
    Text {
        items: Vec<(f64, f64, Label)>,
        color: RGBColor,
    },
    /// Bars standing on y = 0: (x from, x to, height).
    Bars {
        bars: Vec<(f64, f64, f64)>,
        color: RGBColor,
        opacity: f64,
        name: Option<Label>,
    },
    /// A vertical strip across the whole plot between two x values (infinite ends reach the edge).
    XSpan {
        from: f64,
        to: f64,
        color: RGBColor,
        opacity: f64,
        name: Option<Label>,
    },
    /// A vertical reference line.
    VLine {
        x: f64,
        color: RGBColor,
        dashed: bool,
        name: Option<Label>,
    },
    /// A horizontal reference line.
    HLine {
        y: f64,
        color: RGBColor,
        dashed: bool,
        name: Option<Label>,
    },
}

impl Layer {
    /// The layer's legend name, if any.
    fn name(&self) -> Option<&Label> {
        match self {
            Layer::Band { name, .. }
            | Layer::Line { name, .. }
            | Layer::Points { name, .. }
            | Layer::ErrorBars { name, .. }
            | Layer::Bars { name, .. }
            | Layer::XSpan { name, .. }
            | Layer::VLine { name, .. }
            | Layer::HLine { name, .. } => name.as_ref(),
            Layer::Text { .. } => None,
        }
    }

    /// Draws the layer's legend swatch, 20 pixels wide, with its left end at `at`.
    fn swatch<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        (x, y): (i32, i32),
    ) -> DrawResult<DB> {
        let rect = |color: &RGBColor, opacity: f64| {
            Rectangle::new([(x, y - 6), (x + 20, y + 6)], color.mix(opacity).filled())
        };
        match self {
            Layer::Band { color, opacity, .. }
            | Layer::Bars { color, opacity, .. }
            | Layer::XSpan { color, opacity, .. } => root.draw(&rect(color, *opacity)),
            Layer::Line {
                color,
                width,
                dashed,
                ..
            } => {
                let style = color.stroke_width((*width).max(2));
                if *dashed {
                    // Two dashes, as the line is drawn (7 on, 5 off).
                    root.draw(&PathElement::new(vec![(x, y), (x + 7, y)], style))?;
                    root.draw(&PathElement::new(vec![(x + 12, y), (x + 19, y)], style))
                } else {
                    root.draw(&PathElement::new(vec![(x, y), (x + 20, y)], style))
                }
            }
            Layer::VLine { color, .. } | Layer::HLine { color, .. } => root.draw(
                &PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)),
            ),
            Layer::ErrorBars { color, .. } => root.draw(&PathElement::new(
                vec![(x + 10, y - 6), (x + 10, y + 6)],
                color.stroke_width(2),
            )),
            Layer::Points {
                color,
                radius,
                filled,
                ..
            } => {
                let style = if *filled {
                    color.filled()
                } else {
                    color.stroke_width(2)
                };
                root.draw(&Circle::new((x + 10, y), *radius, style))
            }
            Layer::Text { .. } => Ok(()),
        }
    }

    /// The (x, y) values the layer needs visible; infinite values are ignored by the caller.
    fn extent(&self) -> (Vec<f64>, Vec<f64>) {
        match self {
            Layer::Band { xs, lo, hi, .. } => {
                (xs.clone(), lo.iter().chain(hi.iter()).copied().collect())
            }
            Layer::Line { points, .. } | Layer::Points { points, .. } => (
                points.iter().map(|p| p.0).collect(),
                points.iter().map(|p| p.1).collect(),
            ),
            Layer::Bars { bars, .. } => (
                bars.iter().flat_map(|b| [b.0, b.1]).collect(),
                bars.iter().flat_map(|b| [0.0, b.2]).collect(),
            ),
            Layer::ErrorBars { bars, .. } => (
                bars.iter().map(|b| b.0).collect(),
                bars.iter().flat_map(|b| [b.1, b.2]).collect(),
            ),
            Layer::Text { items, .. } => (
                items.iter().map(|i| i.0).collect(),
                items.iter().map(|i| i.1).collect(),
            ),
            Layer::XSpan { .. } => (vec![], vec![]),
            Layer::VLine { x, .. } => (vec![*x], vec![]),
            Layer::HLine { y, .. } => (vec![], vec![*y]),
        }
    }
}

/// Where the legend goes.
pub use plotters::chart::SeriesLabelPosition as LegendPosition;

/// A chart on numeric axes.
#[derive(Debug, Clone)]
pub struct XyChart {
    pub width: u32,
    pub height: u32,
    pub title: Label,
    pub subtitle: Option<Label>,
    pub x_label: Label,
    pub y_label: Label,
    pub x_tick: Tick,
    pub y_tick: Tick,
    /// Number of x ticks to aim for.
    pub x_ticks: usize,
    /// Axis ranges; `None` fits the data with 5 % padding.
    pub x_range: Option<(f64, f64)>,
    pub y_range: Option<(f64, f64)>,
    pub layers: Vec<Layer>,
    /// Where the legend goes when [`legend_inside`](Self::legend_inside) is set: a corner the
    /// data leave empty.
    pub legend: LegendPosition,
    /// Draw the legend inside the plot at [`legend`](Self::legend); by default it goes in rows
    /// under the plot, where it cannot cover data.
    pub legend_inside: bool,
    /// Put the legend in a column right of the plot instead (for many series).
    pub legend_right: bool,
    /// One line of small text under the plot (e.g. scores).
    pub footer: Option<Label>,
}

impl XyChart {
    /// An empty chart with the default size and styling.
    pub fn new(title: Label) -> XyChart {
        XyChart {
            width: 900,
            height: 500,
            title,
            subtitle: None,
            x_label: Label::default(),
            y_label: Label::default(),
            x_tick: Tick::Number,
            y_tick: Tick::Number,
            x_ticks: 8,
            x_range: None,
            y_range: None,
            layers: Vec::new(),
            legend: LegendPosition::UpperLeft,
            legend_inside: false,
            legend_right: false,
            footer: None,
        }
    }

    /// The axis ranges drawn: given ones, or the data's with 5 % padding; never empty.
    pub fn ranges(&self) -> ((f64, f64), (f64, f64)) {
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for l in &self.layers {
            let (x, y) = l.extent();
            xs.extend(x.into_iter().filter(|v| v.is_finite()));
            ys.extend(y.into_iter().filter(|v| v.is_finite()));
        }
        (
            drawable(self.x_range.unwrap_or_else(|| padded(&xs, 0.0))),
            drawable(self.y_range.unwrap_or_else(|| padded(&ys, 0.05))),
        )
    }
}

/// A range the plotting library can draw: finite ends whose difference is finite too, low below
/// high. Absurd inputs (sd = 1e300, bounds at infinity) give spans that overflow to ∞ or NaN, and
/// the library asserts on those; such a chart shows the clamped range instead of panicking.
fn drawable((lo, hi): (f64, f64)) -> (f64, f64) {
    const LIMIT: f64 = f64::MAX / 4.0;
    if lo.is_nan() || hi.is_nan() {
        return (0.0, 1.0);
    }
    let (lo, hi) = (lo.clamp(-LIMIT, LIMIT), hi.clamp(-LIMIT, LIMIT));
    if lo < hi {
        (lo, hi)
    } else {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.05 };
        (lo - d, lo + d)
    }
}

/// Height of one row of a legend under the plot.
const LEGEND_BELOW_ROW: u32 = 20;

/// A legend laid out in rows under the plot: the (x, row) of each named layer's entry, for a strip
/// `width` wide.
fn legend_rows(names: &[String], width: f64) -> Vec<(f64, usize)> {
    let mut out = Vec::with_capacity(names.len());
    let (mut x, mut row) = (0.0, 0usize);
    for n in names {
        let w = 26.0 + text_width(n, TICK_PX) + 22.0;
        if x > 0.0 && x + w > width {
            x = 0.0;
            row += 1;
        }
        out.push((x, row));
        x += w;
    }
    out
}

/// min..max of `v` widened by `pad` of the span on each side; a unit range around a single value.
pub fn padded(v: &[f64], pad: f64) -> (f64, f64) {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let span = hi - lo;
    if span <= 1e-12 * lo.abs().max(hi.abs()).max(1e-300) {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.05 };
        return (lo - d, hi + d);
    }
    (lo - span * pad, hi + span * pad)
}

impl Chart for XyChart {
    fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        mode: TextMode,
    ) -> DrawResult<DB> {
        let body = header_then_body(root, mode, self.width, &self.title, self.subtitle.as_ref())?;
        let body = match &self.footer {
            Some(f) => {
                let (w, h) = body.dim_in_pixel();
                let lines = wrap(&f.text(mode), TICK_PX, (w as f64 - 28.0) * 0.94);
                let foot_h = FOOTER_PX * lines.len() as u32 + 8;
                let (body, foot) = body.split_vertically(h.saturating_sub(foot_h));
                for (i, l) in lines.into_iter().enumerate() {
                    foot.draw(&Text::new(
                        l,
                        (14, (FOOTER_PX / 2 + i as u32 * FOOTER_PX) as i32),
                        mode.style(TICK_PX, palette::INK)
                            .pos(Pos::new(HPos::Left, VPos::Center)),
                    ))?;
                }
                body
            }
            None => body,
        };
        // The legend under the plot (unless inside it or in a right column).
        let names: Vec<String> = self
            .layers
            .iter()
            .filter_map(Layer::name)
            .map(|n| n.text(mode))
            .collect();
        let below = !self.legend_inside && !self.legend_right && !names.is_empty();
        let (body, legend_strip) = if below {
            let (w, h) = body.dim_in_pixel();
            let rows = legend_rows(&names, w as f64 - 40.0);
            let n_rows = rows.last().map_or(0, |r| r.1 + 1) as u32;
            let (plot, strip) =
                body.split_vertically(h.saturating_sub(n_rows * LEGEND_BELOW_ROW + 6));
            (plot, Some((strip, rows)))
        } else {
            (body, None)
        };
        let ((x0, x1), (y0, y1)) = self.ranges();
        let (xt, yt) = (self.x_tick, self.y_tick);
        let (xspan, yspan) = (x1 - x0, y1 - y0);
        let xf = move |v: &f64| xt.text(*v, xspan);
        let yf = move |v: &f64| yt.text(*v, yspan);
        // Room for the widest y tick.
        let widest = (0..=6)
            .map(|i| text_width(&yf(&(y0 + yspan * i as f64 / 6.0)), TICK_PX))
            .fold(0.0, f64::max);
        // Room for a legend column: the widest name plus its swatch.
        let legend_w = if self.legend_right {
            let widest = self
                .layers
                .iter()
                .filter_map(Layer::name)
                .map(|n| text_width(&n.text(mode), TICK_PX))
                .fold(0.0, f64::max);
            (widest + 64.0).min(self.width as f64 * 0.4) as u32
        } else {
            0
        };
        let mut chart = ChartBuilder::on(&body)
            .margin_left(8)
            .margin_right(22 + legend_w)
            .margin_top(4)
            .margin_bottom(6)
            .x_label_area_size(46)
            .y_label_area_size((widest + 40.0) as u32)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        let x_desc = self.x_label.text(mode);
        let y_desc = self.y_label.text(mode);
        chart
            .configure_mesh()
            .x_labels(self.x_ticks)
            .y_labels(7)
            .x_label_formatter(&xf)
            .y_label_formatter(&yf)
            .x_desc(x_desc)
            .y_desc(y_desc)
            .label_style(mode.style(TICK_PX, palette::MUTED))
            .axis_desc_style(mode.style(AXIS_PX, palette::INK))
            .bold_line_style(palette::GRID.stroke_width(1))
            .light_line_style(WHITE.stroke_width(0))
            .axis_style(palette::GREY.stroke_width(1))
            .draw()?;
        let mut named = false;
        for layer in &self.layers {
            let name = layer.name().map(|n| n.text(mode));
            named |= name.is_some();
            match layer {
                Layer::Band {
                    xs,
                    lo,
                    hi,
                    color,
                    opacity,
                    ..
                } => {
                    let upper: Vec<(f64, f64)> = xs
                        .iter()
                        .zip(hi)
                        .filter(|(x, y)| x.is_finite() && y.is_finite())
                        .map(|(&x, &y)| (x, y))
                        .collect();
                    let lower: Vec<(f64, f64)> = xs
                        .iter()
                        .zip(lo)
                        .filter(|(x, y)| x.is_finite() && y.is_finite())
                        .map(|(&x, &y)| (x, y))
                        .rev()
                        .collect();
                    if upper.len() < 2 || lower.len() < 2 {
                        continue;
                    }
                    let style = color.mix(*opacity).filled();
                    let poly: Vec<(f64, f64)> = upper.into_iter().chain(lower).collect();
                    let anno = chart.draw_series(std::iter::once(Polygon::new(poly, style)))?;
                    if let Some(n) = name {
                        anno.label(n).legend(move |(x, y)| {
                            Rectangle::new([(x, y - 6), (x + 18, y + 6)], style)
                        });
                    }
                }
                Layer::Line {
                    points,
                    color,
                    width,
                    dashed,
                    ..
                } => {
                    let pts: Vec<(f64, f64)> = points
                        .iter()
                        .copied()
                        .filter(|p| p.0.is_finite() && p.1.is_finite())
                        .collect();
                    if pts.is_empty() {
                        continue;
                    }
                    let style = color.stroke_width(*width);
                    let anno = if *dashed {
                        chart.draw_series(DashedLineSeries::new(pts, 7, 5, style))?
                    } else {
                        chart.draw_series(LineSeries::new(pts, style))?
                    };
                    if let Some(n) = name {
                        let dashed = *dashed;
                        anno.label(n).legend(move |(x, y)| {
                            let pts = if dashed {
                                vec![(x, y), (x + 7, y)]
                            } else {
                                vec![(x, y), (x + 18, y)]
                            };
                            PathElement::new(pts, style)
                        });
                    }
                }
                Layer::Points {
                    points,
                    color,
                    radius,
                    filled,
                    ..
                } => {
                    let r = *radius;
                    let style = if *filled {
                        color.filled()
                    } else {
                        color.stroke_width(2)
                    };
                    let anno = chart.draw_series(
                        points
                            .iter()
                            .filter(|p| p.0.is_finite() && p.1.is_finite())
                            .map(|&p| Circle::new(p, r, style)),
                    )?;
                    if let Some(n) = name {
                        anno.label(n)
                            .legend(move |(x, y)| Circle::new((x + 9, y), r, style));
                    }
                }
                Layer::ErrorBars { bars, color, .. } => {
                    let style = color.stroke_width(2);
                    let cap = xspan * 0.008;
                    let ok = |b: &&(f64, f64, f64)| {
                        b.0.is_finite() && b.1.is_finite() && b.2.is_finite()
                    };
                    let anno = chart.draw_series(
                        bars.iter()
                            .filter(ok)
                            .map(|&(x, lo, hi)| PathElement::new(vec![(x, lo), (x, hi)], style)),
                    )?;
                    if let Some(n) = name {
                        anno.label(n).legend(move |(x, y)| {
                            PathElement::new(vec![(x + 9, y - 6), (x + 9, y + 6)], style)
                        });
                    }
                    for &(x, lo, hi) in bars.iter().filter(ok) {
                        for e in [lo, hi] {
                            chart.draw_series(std::iter::once(PathElement::new(
                                vec![(x - cap, e), (x + cap, e)],
                                style,
                            )))?;
                        }
                    }
                }
                Layer::Text { items, color } => {
                    let style = mode.style(TICK_PX - 1.0, *color);
                    for (x, y, label) in items {
                        if !(x.is_finite() && y.is_finite()) {
                            continue;
                        }
                        let (px, py) = chart.backend_coord(&(*x, *y));
                        // Right of the point, or left of it near the right edge; below it near
                        // the top.
                        let text = label.text(mode);
                        let (ax, ay) = chart.plotting_area().get_base_pixel();
                        let (aw, _) = chart.plotting_area().dim_in_pixel();
                        // Left of the point when the text would cross the plot's right edge.
                        let right = px + 7 + text_width(&text, TICK_PX - 1.0) as i32
                            > ax + aw as i32 - 2
                            && px - 7 - (text_width(&text, TICK_PX - 1.0) as i32) > ax;
                        let top = py - 4 - (TICK_PX as i32) < ay;
                        let pos = Pos::new(
                            if right { HPos::Right } else { HPos::Left },
                            if top { VPos::Top } else { VPos::Bottom },
                        );
                        let at = (
                            px + if right { -7 } else { 7 },
                            py + if top { 4 } else { -4 },
                        );
                        root.draw(&Text::new(text, at, style.clone().pos(pos)))?;
                    }
                }
                Layer::Bars {
                    bars,
                    color,
                    opacity,
                    ..
                } => {
                    let style = color.mix(*opacity).filled();
                    let anno = chart.draw_series(
                        bars.iter()
                            .filter(|b| b.0.is_finite() && b.1.is_finite() && b.2.is_finite())
                            .map(|&(a, b, h)| Rectangle::new([(a, 0.0), (b, h)], style)),
                    )?;
                    if let Some(n) = name {
                        anno.label(n).legend(move |(x, y)| {
                            Rectangle::new([(x, y - 6), (x + 18, y + 6)], style)
                        });
                    }
                }
                Layer::XSpan {
                    from,
                    to,
                    color,
                    opacity,
                    ..
                } => {
                    let a = from.max(x0);
                    let b = to.min(x1);
                    if b.partial_cmp(&a) != Some(std::cmp::Ordering::Greater) {
                        continue;
                    }
                    let style = color.mix(*opacity).filled();
                    let anno = chart
                        .draw_series(std::iter::once(Rectangle::new([(a, y0), (b, y1)], style)))?;
                    if let Some(n) = name {
                        anno.label(n).legend(move |(x, y)| {
                            Rectangle::new([(x, y - 6), (x + 18, y + 6)], style)
                        });
                    }
                }
                Layer::VLine {
                    x, color, dashed, ..
                } => {
                    if !(x.is_finite() && *x >= x0 && *x <= x1) {
                        continue;
                    }
                    let pts = vec![(*x, y0), (*x, y1)];
                    let anno = line(&mut chart, pts, *color, *dashed)?;
                    if let Some(n) = name {
                        let style = color.stroke_width(2);
                        anno.label(n).legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 18, y)], style)
                        });
                    }
                }
                Layer::HLine {
                    y, color, dashed, ..
                } => {
                    if !(y.is_finite() && *y >= y0 && *y <= y1) {
                        continue;
                    }
                    let pts = vec![(x0, *y), (x1, *y)];
                    let anno = line(&mut chart, pts, *color, *dashed)?;
                    if let Some(n) = name {
                        let style = color.stroke_width(2);
                        anno.label(n).legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 18, y)], style)
                        });
                    }
                }
            }
        }
        if named && self.legend_right {
            // A column right of the plot: a swatch and the name per named layer.
            let (ax, ay) = chart.plotting_area().get_base_pixel();
            let (w, _) = chart.plotting_area().dim_in_pixel();
            let x = ax + w as i32 + 16;
            let left = Pos::new(HPos::Left, VPos::Center);
            for (i, layer) in self
                .layers
                .iter()
                .filter(|l| l.name().is_some())
                .enumerate()
            {
                let y = ay + 8 + i as i32 * LEGEND_ROW_PX as i32;
                layer.swatch(root, (x, y))?;
                let name = layer.name().map(|n| n.text(mode)).unwrap_or_default();
                root.draw(&Text::new(
                    name,
                    (x + 26, y),
                    mode.style(TICK_PX, palette::INK).pos(left),
                ))?;
            }
        } else if let Some((strip, rows)) = legend_strip {
            let left = Pos::new(HPos::Left, VPos::Center);
            for ((x, row), layer) in rows
                .iter()
                .zip(self.layers.iter().filter(|l| l.name().is_some()))
            {
                let at = (
                    20 + *x as i32,
                    (LEGEND_BELOW_ROW / 2 + *row as u32 * LEGEND_BELOW_ROW) as i32,
                );
                layer.swatch(&strip, at)?;
                let name = layer.name().map(|n| n.text(mode)).unwrap_or_default();
                strip.draw(&Text::new(
                    name,
                    (at.0 + 26, at.1),
                    mode.style(TICK_PX, palette::INK).pos(left),
                ))?;
            }
        } else if named && self.legend_inside {
            chart
                .configure_series_labels()
                .position(self.legend.clone())
                .margin(10)
                .label_font(mode.style(TICK_PX, palette::INK))
                .background_style(WHITE.mix(0.88))
                .border_style(palette::GRID)
                .draw()?;
        }
        Ok(())
    }
}

type Cartesian<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// A 2-pixel reference line, dashed or solid.
fn line<'a, 'b, DB: DrawingBackend>(
    chart: &'b mut Cartesian<'a, DB>,
    pts: Vec<(f64, f64)>,
    color: RGBColor,
    dashed: bool,
) -> Result<&'b mut plotters::chart::SeriesAnno<'a, DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    let style = color.stroke_width(2);
    if dashed {
        chart.draw_series(DashedLineSeries::new(pts, 7, 5, style))
    } else {
        chart.draw_series(LineSeries::new(pts, style))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_fit_the_data_and_never_collapse() {
        let mut c = XyChart::new(Label::plain("t"));
        c.layers.push(Layer::Points {
            points: vec![(2020.0, 10.0), (2025.0, 20.0)],
            color: palette::BLUE,
            radius: 3,
            filled: true,
            name: None,
        });
        c.layers.push(Layer::VLine {
            x: f64::INFINITY,
            color: palette::BLUE,
            dashed: true,
            name: None,
        });
        let ((x0, x1), (y0, y1)) = c.ranges();
        assert_eq!((x0, x1), (2020.0, 2025.0));
        assert!((y0 - 9.5).abs() < 1e-9 && (y1 - 20.5).abs() < 1e-9);
        assert_eq!(padded(&[], 0.05), (0.0, 1.0));
        let (a, b) = padded(&[3.0, 3.0], 0.05);
        assert!(a < 3.0 && b > 3.0);
    }

    #[test]
    fn draws_every_layer_kind_to_svg_and_png() {
        let mut c = XyChart::new(Label::new("标题 title", "title"));
        c.layers = vec![
            Layer::XSpan {
                from: f64::NEG_INFINITY,
                to: 0.5,
                color: palette::GREEN,
                opacity: 0.2,
                name: Some(Label::plain("span")),
            },
            Layer::Band {
                xs: vec![0.0, 1.0],
                lo: vec![0.0, 0.5],
                hi: vec![1.0, 1.5],
                color: palette::BLUE,
                opacity: 0.3,
                name: Some(Label::plain("band")),
            },
            Layer::Bars {
                bars: vec![(0.0, 0.5, 1.0)],
                color: palette::GREY,
                opacity: 1.0,
                name: None,
            },
            Layer::Line {
                points: vec![(0.0, 0.0), (1.0, 1.0)],
                color: palette::INK,
                width: 2,
                dashed: true,
                name: Some(Label::plain("line")),
            },
            Layer::HLine {
                y: 0.5,
                color: palette::VERMILLION,
                dashed: false,
                name: None,
            },
            Layer::ErrorBars {
                bars: vec![(0.5, 0.2, 0.8)],
                color: palette::BLUE,
                name: Some(Label::plain("whisker")),
            },
            Layer::Points {
                points: vec![(0.5, 0.5)],
                color: palette::BLUE,
                radius: 4,
                filled: false,
                name: None,
            },
            Layer::Text {
                items: vec![(0.5, 0.5, Label::new("n=3 个", "n=3"))],
                color: palette::INK,
            },
        ];
        c.footer = Some(Label::plain("footer text"));
        let svg = super::super::svg(&c).expect("svg");
        assert!(svg.contains("标题 title"));
        assert!(svg.contains("band"));
        assert!(svg.contains("n=3 个") && svg.contains("footer text") && svg.contains("whisker"));
        let png = super::super::png(&c).expect("png");
        assert_eq!(&png[1..4], b"PNG");
    }
}
