//! The PNG drawing backend: plotters' in-memory bitmap with text set on a common baseline.
//!
//! Why: plotters 0.3.7 draws `ab_glyph` text glyph by glyph from each glyph's own bounding box,
//! rounding toward zero, so at chart sizes (12–14 px) small glyphs such as `.` and `,` float a
//! pixel or two above the line ("33·9%"). This wrapper delegates every shape to
//! [`BitMapBackend`] and sets text itself with `ab_glyph`: glyphs positioned on one baseline with
//! sub-pixel offsets, kerned, anti-aliased, honouring the anchor and rotation plotters asks for.
//! Text measurement (for layout) still goes through plotters' `ab_glyph` font registry, which
//! holds the same embedded font and uses the same scale, so measured and drawn widths agree.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// A [`BitMapBackend`] that draws text with an embedded font on a proper baseline.
pub struct PngBackend<'a> {
    inner: BitMapBackend<'a>,
    font: FontRef<'static>,
}

impl<'a> PngBackend<'a> {
    /// Draws into an RGB buffer of `size.0 × size.1 × 3` bytes with the given font; a font that
    /// cannot be read is an error (a PNG without its text is no chart).
    pub fn new(
        buf: &'a mut [u8],
        size: (u32, u32),
        font: &'static [u8],
    ) -> Result<PngBackend<'a>, super::ChartError> {
        let font = FontRef::try_from_slice(font)
            .map_err(|e| super::ChartError(format!("cannot read the embedded font: {e}")))?;
        Ok(PngBackend {
            inner: BitMapBackend::with_buffer(buf, size),
            font,
        })
    }
}

type Res = Result<(), DrawingErrorKind<<BitMapBackend<'static> as DrawingBackend>::ErrorType>>;

impl DrawingBackend for PngBackend<'_> {
    type ErrorType = <BitMapBackend<'static> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Res {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Res {
        self.inner.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Res {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, s: &S) -> Res {
        self.inner.draw_line(from, to, s)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Res {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Res {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Res {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Res {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(&mut self, pos: BackendCoord, size: (u32, u32), src: &[u8]) -> Res {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Res {
        let color = style.color();
        let font = &self.font;
        if color.alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        let px = style.size() as f32;
        let scaled = font.as_scaled(PxScale::from(px));
        // Lay out along the baseline, measuring the advance.
        let mut glyphs = Vec::with_capacity(text.len());
        let mut x = 0f32;
        let mut prev = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                x += scaled.kern(p, id);
            }
            glyphs.push((id, x));
            x += scaled.h_advance(id);
            prev = Some(id);
        }
        let width = x;
        let (ascent, descent) = (scaled.ascent(), scaled.descent());
        let height = ascent - descent;
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Right => -width,
            HPos::Center => -width / 2.0,
        };
        let top = match anchor.v_pos {
            VPos::Top => 0.0,
            VPos::Center => -height / 2.0,
            VPos::Bottom => -height,
        };
        let baseline = top + ascent;
        let trans = style.transform();
        let mut pixels: Vec<(i32, i32, f32)> = Vec::new();
        for (id, gx) in glyphs {
            let g = id.with_scale_and_position(PxScale::from(px), point(gx + dx, baseline));
            if let Some(outline) = font.outline_glyph(g) {
                let b = outline.px_bounds();
                outline.draw(|ox, oy, cov| {
                    if cov > 0.0 {
                        pixels.push((b.min.x as i32 + ox as i32, b.min.y as i32 + oy as i32, cov));
                    }
                });
            }
        }
        let (w, h) = self.inner.get_size();
        for (lx, ly, cov) in pixels {
            let (tx, ty) = trans.transform(lx, ly);
            let (x, y) = (pos.0 + tx, pos.1 + ty);
            if x >= 0 && y >= 0 && (x as u32) < w && (y as u32) < h {
                self.inner.draw_pixel(
                    (x, y),
                    BackendColor {
                        alpha: color.alpha * f64::from(cov.min(1.0)),
                        rgb: color.rgb,
                    },
                )?;
            }
        }
        Ok(())
    }
}
