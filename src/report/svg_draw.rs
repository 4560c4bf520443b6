//! Small drawing helpers shared by the hand-laid SVG charts (reliability and as-of charts of the
//! backtest, the sensitivity tornado, attainment-curve and comparison charts): the CJK-capable font
//! list, the ink colours, text styles anchored without measuring text, and a linear data-to-pixel
//! axis. Charts drawn this way need no font feature and no system font library.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The `font-family` of the SVG text: CJK-capable fonts on common systems first, then generic.
pub const FONTS: &str = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, DejaVu Sans, Arial, sans-serif";
pub const INK: RGBColor = RGBColor(40, 40, 40);
pub const GRID: RGBColor = RGBColor(225, 225, 225);
pub const MUTED: RGBColor = RGBColor(120, 120, 120);

/// An SVG drawing area.
pub type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// A text style of `px` pixels anchored at (`h`, `v`).
pub fn style(px: f64, color: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle {
        font: (FONTS, px).into_font(),
        color: color.to_backend_color(),
        pos: Pos::new(h, v),
    }
}

/// A linear map from data to pixels; values are clamped to just outside the plotting range.
#[derive(Clone, Copy)]
pub struct Axis {
    pub d0: f64,
    pub d1: f64,
    pub p0: i32,
    pub p1: i32,
}

impl Axis {
    pub fn at(&self, v: f64) -> i32 {
        let span = self.d1 - self.d0;
        let f = if span.abs() > 0.0 {
            (v - self.d0) / span
        } else {
            0.5
        };
        self.p0 + (f.clamp(-0.05, 1.05) * (self.p1 - self.p0) as f64).round() as i32
    }
}
