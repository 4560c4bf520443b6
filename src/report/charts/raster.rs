//! The PNG drawing backend: plotters' in-memory bitmap with text set on a common baseline.
//!
//! Why: plotters 0.3.7 draws `ab_glyph` text glyph by glyph from each glyph's own bounding box,
//! rounding toward zero, so at chart sizes (12–14 px) small glyphs such as `.` and `,` float a
//! pixel or two above the line ("33·9%"). This wrapper delegates every shape to
//! [`BitMapBackend`] and sets text itself with `ab_glyph`: glyphs positioned on one baseline with
//! sub-pixel offsets, kerned, anti-aliased, honouring the anchor and rotation plotters asks for.
//! Text measurement (for layout) still goes through plotters' `ab_glyph` font registry, which
//! holds the same embedded font and uses the same scale, so measured and drawn widths agree.
//!
//! Each character is drawn with the Latin font (DejaVu Sans) unless it is an East Asian character
//! the CJK font has, or a character only the CJK font has: Chinese in PNGs comes from the CJK font
//! attain ships ([`crate::report::font`]), scaled to the same em as the Latin font and set on the
//! same baseline.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// A [`BitMapBackend`] that draws text with embedded fonts on a proper baseline.
pub struct PngBackend<'a> {
    inner: BitMapBackend<'a>,
    font: &'a FontRef<'static>,
    cjk: Option<&'a FontRef<'static>>,
}

impl<'a> PngBackend<'a> {
    /// Draws into an RGB buffer of `size.0 × size.1 × 3` bytes with the given (already parsed)
    /// Latin font and CJK font; without a CJK font, Chinese gets the Latin font's missing-glyph
    /// box.
    pub fn new(
        buf: &'a mut [u8],
        size: (u32, u32),
        font: &'a FontRef<'static>,
        cjk: Option<&'a FontRef<'static>>,
    ) -> PngBackend<'a> {
        PngBackend {
            inner: BitMapBackend::with_buffer(buf, size),
            font,
            cjk,
        }
    }

    /// The font to draw `c` with: the CJK font for East Asian characters it has and for
    /// characters only it has, else the Latin font.
    fn font_for(&self, c: char) -> (&FontRef<'static>, bool) {
        if let Some(cjk) = self.cjk
            && cjk.glyph_id(c).0 != 0
            && (crate::report::font::east_asian(c) || self.font.glyph_id(c).0 == 0)
        {
            return (cjk, true);
        }
        (self.font, false)
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
        let scale = PxScale::from(px);
        let scaled = font.as_scaled(scale);
        // The CJK font at the Latin font's em size (ab_glyph scales by ascent − descent).
        let cjk_scale = self.cjk.as_ref().map_or(scale, |cjk| {
            let em = px * font.units_per_em().unwrap_or(1.0) / font.height_unscaled();
            PxScale::from(em * cjk.height_unscaled() / cjk.units_per_em().unwrap_or(1.0))
        });
        // Lay out along the baseline, measuring the advance; kerning within the Latin font only.
        let mut glyphs = Vec::with_capacity(text.len());
        let mut x = 0f32;
        let mut prev = None;
        for c in text.chars() {
            let (f, is_cjk) = self.font_for(c);
            if is_cjk {
                let id = f.glyph_id(c);
                glyphs.push((id, x, true));
                x += f.as_scaled(cjk_scale).h_advance(id);
                prev = None;
                continue;
            }
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                x += scaled.kern(p, id);
            }
            glyphs.push((id, x, false));
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
        for (id, gx, is_cjk) in glyphs {
            let (f, sc) = match (&self.cjk, is_cjk) {
                (Some(cjk), true) => (cjk, cjk_scale),
                _ => (font, scale),
            };
            let g = id.with_scale_and_position(sc, point(gx + dx, baseline));
            if let Some(outline) = f.outline_glyph(g) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::style::text_anchor::Pos;

    /// One line of text drawn black on white, as RGB bytes.
    fn draw(text: &str) -> Vec<u8> {
        let (w, h) = (120u32, 40u32);
        let mut buf = vec![255u8; (w * h * 3) as usize];
        {
            let mut b = PngBackend::new(
                &mut buf,
                (w, h),
                super::super::latin_face().expect("Latin font reads"),
                crate::report::font::face(),
            );
            let style = TextStyle::from((FontFamily::Name(super::super::PNG_FONT), 20.0))
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Top));
            b.draw_text(text, &style, (4, 4)).expect("draws");
        }
        buf
    }

    fn ink(buf: &[u8]) -> usize {
        buf.chunks(3).filter(|p| p[0] < 128).count()
    }

    #[test]
    fn chinese_is_drawn_as_glyphs_not_boxes() {
        // Boxes (a missing glyph) all look alike; real glyphs differ from one another.
        let (zhong, guo, rare) = (draw("中"), draw("国"), draw("\u{2A6D6}"));
        assert!(ink(&zhong) > 20 && ink(&guo) > 20, "glyphs have ink");
        assert_ne!(zhong, guo, "两个不同的字 draw differently");
        assert_ne!(zhong, rare, "中 is not the missing-glyph box");
        // A CJK character's ink is most of an em (at 20 px, DejaVu's em is 17.2 px).
        let cols = |buf: &[u8]| {
            (0..120)
                .filter(|x| (0..40).any(|y| buf[(y * 120 + x) * 3] < 128))
                .count()
        };
        assert!(
            (11..=18).contains(&cols(&zhong)),
            "中 spans {} px",
            cols(&zhong)
        );
    }

    #[test]
    fn latin_text_is_unchanged_by_the_cjk_font() {
        let with = draw("GDP 6.5%");
        let mut buf = vec![255u8; 120 * 40 * 3];
        {
            let mut b = PngBackend::new(
                &mut buf,
                (120, 40),
                super::super::latin_face().expect("Latin font reads"),
                None,
            );
            let style = TextStyle::from((FontFamily::Name(super::super::PNG_FONT), 20.0))
                .color(&BLACK)
                .pos(Pos::new(HPos::Left, VPos::Top));
            b.draw_text("GDP 6.5%", &style, (4, 4)).expect("draws");
        }
        assert_eq!(with, buf);
    }
}
