//! A heatmap of probabilities: one labelled row per item, one column per year, each cell coloured
//! by its probability on a diverging scale around 50 % and written as a number.
//!
//! Why a spec of its own: with dozens of targets, one line per target on shared axes (the former
//! on-track chart) cannot say which line is which; a row per target with its name beside it can.
//! Row labels wrap (never cut), the colour key sits above the grid, outside the data.

use super::{
    Chart, DrawResult, Label, TICK_PX, TextMode, header_height, header_then_body, palette,
    text_width, wrap,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One row: its label, whether it is marked (binding targets get a bar left of the label), and a
/// probability per column (`None`: no value that year).
#[derive(Debug, Clone, PartialEq)]
pub struct HeatRow {
    pub label: Label,
    pub marked: bool,
    pub cells: Vec<Option<f64>>,
}

/// A probability heatmap.
#[derive(Debug, Clone)]
pub struct Heatmap {
    pub width: u32,
    pub title: Label,
    pub subtitle: Option<Label>,
    /// Column headings (years).
    pub columns: Vec<String>,
    pub rows: Vec<HeatRow>,
    /// Legend text of the row mark, e.g. "binding target".
    pub mark_name: Option<Label>,
}

const LABEL_PX: f64 = 13.0;
const LABEL_LINE: u32 = 15;
const ROW_PX: u32 = 24;
const KEY_PX: u32 = 54;
const COLUMN_HEAD_PX: u32 = 26;
const CELL_MAX: f64 = 84.0;

/// The colour of probability `p`: vermillion at 0, white at ½, blue at 1 (the palette's binding
/// and expected colours are not reused for meaning here, only their hues).
pub fn color_of(p: f64) -> RGBColor {
    let p = if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let mix = |a: RGBColor, t: f64| {
        let c = |x: u8| (255.0 + (x as f64 - 255.0) * t).round() as u8;
        RGBColor(c(a.0), c(a.1), c(a.2))
    };
    if p < 0.5 {
        mix(palette::VERMILLION, (0.5 - p) * 2.0)
    } else {
        mix(palette::BLUE, (p - 0.5) * 2.0)
    }
}

impl Heatmap {
    /// Width of the label column in a mode.
    fn label_area(&self, mode: TextMode) -> f64 {
        let widest = self
            .rows
            .iter()
            .map(|r| text_width(&r.label.text(mode), LABEL_PX))
            .fold(0.0, f64::max);
        let cells = self.columns.len().max(1) as f64 * CELL_MAX;
        (widest + 30.0).clamp(
            120.0,
            (self.width as f64 - cells - 40.0).max(self.width as f64 * 0.5),
        )
    }

    fn label_lines(&self, r: &HeatRow, mode: TextMode) -> Vec<String> {
        wrap(&r.label.text(mode), LABEL_PX, self.label_area(mode) - 24.0)
    }

    /// Height of each row: the lines its label needs, in either mode.
    fn row_heights(&self) -> Vec<u32> {
        self.rows
            .iter()
            .map(|r| {
                let lines = [TextMode::Svg, TextMode::Png]
                    .map(|m| self.label_lines(r, m).len())
                    .into_iter()
                    .max()
                    .unwrap_or(1) as u32;
                (lines * LABEL_LINE + 9).max(ROW_PX)
            })
            .collect()
    }
}

impl Chart for Heatmap {
    fn size(&self) -> (u32, u32) {
        (
            self.width,
            header_height(self.width, &self.title, self.subtitle.as_ref())
                + KEY_PX
                + COLUMN_HEAD_PX
                + self.row_heights().iter().sum::<u32>().max(ROW_PX)
                + 16,
        )
    }

    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        mode: TextMode,
    ) -> DrawResult<DB> {
        let body = header_then_body(root, mode, self.width, &self.title, self.subtitle.as_ref())?;
        let label_area = self.label_area(mode) as i32;
        let n_cols = self.columns.len().max(1) as i32;
        let cell_w = ((self.width as i32 - label_area - 24) / n_cols).min(CELL_MAX as i32);
        let left = Pos::new(HPos::Left, VPos::Center);
        let centre = Pos::new(HPos::Center, VPos::Center);
        // Colour key: 0 % … 100 % in ten steps, and the row mark.
        let key_y = 14;
        let step_w = 30;
        body.draw(&Text::new(
            "P(on track):".to_string(),
            (14, key_y + 9),
            mode.style(TICK_PX, palette::INK).pos(left),
        ))?;
        let key_x = 14 + text_width("P(on track):", TICK_PX) as i32 + 10;
        for k in 0..=10 {
            let p = k as f64 / 10.0;
            let x = key_x + k * step_w;
            body.draw(&Rectangle::new(
                [(x, key_y), (x + step_w, key_y + 18)],
                color_of(p).filled(),
            ))?;
            if k % 2 == 0 {
                body.draw(&Text::new(
                    format!("{}%", k * 10),
                    (x + step_w / 2, key_y + 30),
                    mode.style(TICK_PX - 1.0, palette::MUTED).pos(centre),
                ))?;
            }
        }
        if let Some(m) = &self.mark_name {
            let x = key_x + 11 * step_w + 30;
            body.draw(&Rectangle::new(
                [(x, key_y), (x + 5, key_y + 18)],
                palette::VERMILLION.filled(),
            ))?;
            body.draw(&Text::new(
                m.text(mode),
                (x + 12, key_y + 9),
                mode.style(TICK_PX, palette::INK).pos(left),
            ))?;
        }
        // Column headings.
        let top = KEY_PX as i32;
        for (j, c) in self.columns.iter().enumerate() {
            let x = label_area + j as i32 * cell_w + cell_w / 2;
            body.draw(&Text::new(
                c.clone(),
                (x, top + COLUMN_HEAD_PX as i32 / 2),
                mode.style(TICK_PX, palette::INK).pos(centre),
            ))?;
        }
        let mut y = top + COLUMN_HEAD_PX as i32;
        for (r, h) in self.rows.iter().zip(self.row_heights()) {
            let row_px = h as i32;
            let mid = y + row_px / 2;
            if r.marked {
                body.draw(&Rectangle::new(
                    [(6, y + 3), (10, y + row_px - 3)],
                    palette::VERMILLION.filled(),
                ))?;
            }
            let lines = self.label_lines(r, mode);
            let first = mid - ((lines.len() as i32 - 1) * LABEL_LINE as i32) / 2;
            for (k, l) in lines.into_iter().enumerate() {
                body.draw(&Text::new(
                    l,
                    (label_area - 10, first + k as i32 * LABEL_LINE as i32),
                    mode.style(LABEL_PX, palette::INK)
                        .pos(Pos::new(HPos::Right, VPos::Center)),
                ))?;
            }
            for (j, cell) in r.cells.iter().enumerate() {
                let x = label_area + j as i32 * cell_w;
                let Some(p) = cell.filter(|p| p.is_finite()) else {
                    continue;
                };
                body.draw(&Rectangle::new(
                    [(x + 1, y + 1), (x + cell_w - 1, y + row_px - 1)],
                    color_of(p).filled(),
                ))?;
                let ink = if (p - 0.5).abs() > 0.35 {
                    WHITE
                } else {
                    palette::INK
                };
                body.draw(&Text::new(
                    format!("{:.0}", p * 100.0),
                    (x + cell_w / 2, mid),
                    mode.style(TICK_PX - 1.0, ink).pos(centre),
                ))?;
            }
            // A faint rule under every row.
            body.draw(&PathElement::new(
                vec![(14, y + row_px), (label_area + n_cols * cell_w, y + row_px)],
                palette::GRID.stroke_width(1),
            ))?;
            y += row_px;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_run_from_vermillion_through_white_to_blue() {
        assert_eq!(color_of(0.0), palette::VERMILLION);
        assert_eq!(color_of(0.5), RGBColor(255, 255, 255));
        assert_eq!(color_of(1.0), palette::BLUE);
        assert_eq!(color_of(f64::NAN), RGBColor(255, 255, 255));
    }

    #[test]
    fn draws_rows_with_wrapped_labels_both_ways() {
        let h = Heatmap {
            width: 900,
            title: Label::plain("t"),
            subtitle: None,
            columns: vec!["2021".into(), "2022".into()],
            rows: vec![
                HeatRow {
                    label: Label::new("地区生产总值 GDP", "GDP"),
                    marked: true,
                    cells: vec![Some(0.2), Some(0.9)],
                },
                HeatRow {
                    label: Label::plain("a very long label ".repeat(12)),
                    marked: false,
                    cells: vec![None, Some(0.5)],
                },
            ],
            mark_name: Some(Label::plain("binding target")),
        };
        let svg = super::super::svg(&h).expect("svg");
        assert!(svg.contains("地区生产总值"), "{svg}");
        assert!(svg.contains("2022") && svg.contains("\n90\n"), "{svg}");
        assert!(!svg.contains('…'));
        assert_eq!(&super::super::png(&h).expect("png")[1..4], b"PNG");
    }
}
