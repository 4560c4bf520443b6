//! Charts: SVG and PNG renderings of results, drawn with plotters.
//!
//! Why a layer of its own: every chart attain draws (attainment bars, fan charts, metric
//! distributions, reliability and as-of charts, the analyses' bars and curves) shares one look (palette, font,
//! sizes, titles) and one pair of outputs (SVG text, PNG bytes). This module holds that shared part:
//!
//! * [`Chart`]: a chart spec that can draw itself on any plotters backend; [`svg`] and [`png`]
//!   render one to a string or to PNG bytes, entirely in memory (files are written by
//!   [`output`](crate::output), atomically).
//! * Two generic, reusable specs: [`XyChart`] (lines, bands, points, error bars, histogram bars,
//!   shaded spans, reference lines and direct labels on numeric axes) and [`BarChart`] (labelled
//!   horizontal bars with interval whiskers, optionally paired and starting at a base value).
//!   Builders only turn typed values into these specs, so their data can be unit-tested without
//!   drawing: [`attainment`], [`ontrack`] (a [`Heatmap`]), [`fan`], [`dist`] and [`reliability`] for a run,
//!   [`reliability`] for a backtest, [`asof`] for a nowcast, [`sobol`] and
//!   [`crate::report::analyses::charts`] (comparison, tornado, attainment curve) for the analyses.
//!   They are the only charts attain draws; every one is written as `.svg` and `.png`.
//!
//! Text: SVG output keeps Chinese wording, names a CJK-capable `font-family` list ([`SVG_FONTS`])
//! and carries the embedded CJK font cut to its own characters, first in that list by a style rule
//! (`report.html` drops that rule: the page embeds one font for all its charts). PNG output is rasterised here with two
//! embedded fonts (`ab_glyph`, no fontconfig): DejaVu Sans (subset) for Latin text and the CJK font
//! attain ships ([`crate::report::font`]) for Chinese, so PNGs show the same Chinese and English
//! wording as SVGs. Every [`Label`] also carries an English variant, used in a PNG only where the
//! full wording has a character neither font has. DejaVu is also registered with plotters'
//! `ab_glyph` feature to measure text for layout, in SVG and PNG alike.
//!
//! Nothing here panics on odd data: empty series are skipped, degenerate ranges widened, and
//! drawing errors come back as [`ChartError`] naming the file, which callers return as a runtime
//! error (exit code 1): a chart is never silently left out.

pub mod asof;
pub mod attainment;
mod bars;
pub mod dist;
pub mod fan;
mod heatmap;
pub mod ontrack;
mod raster;
pub mod reliability;
pub mod sobol;
mod xy;

pub use bars::{BarChart, BarGroup, BarRow};
pub use heatmap::{HeatRow, Heatmap};
pub use xy::{Layer, LegendPosition, XyChart, padded};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::{Once, OnceLock};

/// The `font-family` of SVG text: CJK-capable fonts on common systems first, then generic. In
/// `report.html` a style rule puts the embedded CJK font ([`crate::report::font::FAMILY`]) first.
pub const SVG_FONTS: &str = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Hiragino Sans GB, Microsoft YaHei, WenQuanYi Micro Hei, Noto Sans, DejaVu Sans, Arial, sans-serif";
/// The name the embedded font is registered under for PNG output.
pub const PNG_FONT: &str = "attain-sans";

/// DejaVu Sans, cut to Latin and a few symbols (see `assets/fonts/README.md`).
static FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-subset.ttf");

/// The embedded Latin font as the PNG backend draws with it, parsed once per process; a font that
/// cannot be read is an error (a PNG without its text is no chart).
fn latin_face() -> Result<&'static ab_glyph::FontRef<'static>, ChartError> {
    static FACE: OnceLock<Result<ab_glyph::FontRef<'static>, String>> = OnceLock::new();
    FACE.get_or_init(|| ab_glyph::FontRef::try_from_slice(FONT_BYTES).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| ChartError(format!("cannot read the embedded font: {e}")))
}

/// Registers the embedded font once, under both family names (the SVG name only for measuring).
fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for name in [PNG_FONT, SVG_FONTS] {
            let _ = plotters::style::register_font(name, FontStyle::Normal, FONT_BYTES);
        }
    });
}

/// Palette (Okabe–Ito, distinguishable with the common colour-vision deficiencies).
pub mod palette {
    use plotters::style::RGBColor;
    pub const BLUE: RGBColor = RGBColor(0, 114, 178);
    pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
    pub const GREEN: RGBColor = RGBColor(0, 158, 115);
    pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
    pub const SKY: RGBColor = RGBColor(86, 180, 233);
    pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
    pub const GREY: RGBColor = RGBColor(150, 150, 150);
    pub const INK: RGBColor = RGBColor(34, 34, 34);
    pub const MUTED: RGBColor = RGBColor(100, 100, 100);
    pub const GRID: RGBColor = RGBColor(225, 225, 225);
    /// Colours for successive series.
    pub const SERIES: [RGBColor; 6] = [BLUE, VERMILLION, GREEN, ORANGE, SKY, PURPLE];
}

/// Which output a chart is drawn for: SVG (text drawn by the viewer) or PNG (text drawn here with
/// the embedded fonts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextMode {
    Svg,
    Png,
}

impl TextMode {
    /// The font family to draw with.
    pub fn family(self) -> &'static str {
        match self {
            TextMode::Svg => SVG_FONTS,
            TextMode::Png => PNG_FONT,
        }
    }

    /// A text style of `px` pixels in `color`.
    pub fn style(self, px: f64, color: RGBColor) -> TextStyle<'static> {
        let mut s = TextStyle::from((FontFamily::Name(self.family()), px));
        s.color = color.to_backend_color();
        s
    }
}

/// A piece of chart text: the full wording (may hold Chinese) and an English-only variant, used in
/// a PNG where the full wording has a character neither embedded font has.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Label {
    pub full: String,
    pub latin: String,
}

impl Label {
    /// A full wording and its English-only variant.
    pub fn new(full: impl Into<String>, latin: impl Into<String>) -> Label {
        Label {
            full: full.into(),
            latin: latin.into(),
        }
    }

    /// The same (Latin) text in both.
    pub fn plain(s: impl Into<String>) -> Label {
        let s = s.into();
        Label {
            full: s.clone(),
            latin: s,
        }
    }

    /// The text for a mode: the full wording, but in a PNG the English variant (filtered to what
    /// the embedded fonts can draw) where the full wording has a character neither embedded font
    /// has.
    pub fn text(&self, mode: TextMode) -> String {
        match mode {
            TextMode::Svg => self.full.clone(),
            TextMode::Png if self.full.chars().all(png_drawable) => self.full.clone(),
            TextMode::Png => png_safe(&self.latin),
        }
    }
}

/// True for characters a PNG can draw: in the embedded Latin font or the embedded CJK font.
pub fn png_drawable(c: char) -> bool {
    in_font(c) || crate::report::font::has(c)
}

/// True for characters the embedded Latin (DejaVu) font has.
fn in_font(c: char) -> bool {
    let u = c as u32;
    (0x20..=0x7E).contains(&u)
        || (0xA0..=0x17F).contains(&u)
        || (0x2010..=0x2027).contains(&u)
        || (0x2030..=0x203A).contains(&u)
        || (0x2070..=0x209F).contains(&u)
        || (0x2190..=0x2199).contains(&u)
        || matches!(
            u,
            0x20AC | 0x2212 | 0x2213 | 0x2248 | 0x2260..=0x2265 | 0x25A0..=0x25CF
        )
}

/// Drops characters the embedded fonts cannot draw and tidies the spaces left.
pub fn png_safe(s: &str) -> String {
    let kept: String = s
        .chars()
        .map(|c| if png_drawable(c) { c } else { ' ' })
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Approximate rendered width of `s` at `px` pixels (CJK a full em, Latin about 0.58 em).
pub fn text_width(s: &str, px: f64) -> f64 {
    s.chars()
        .map(|c| {
            if super::table::display_width(c.encode_utf8(&mut [0; 4])) == 2 {
                1.0
            } else if c.is_ascii_uppercase() || c == 'm' || c == 'w' || c == '%' {
                0.72
            } else if c == ' ' || c == '.' || c == ',' || c == 'i' || c == 'l' {
                0.32
            } else {
                0.56
            }
        })
        .sum::<f64>()
        * px
}

/// Breaks `s` into lines of at most `max` pixels at `px`: between words, and between Chinese
/// characters where a run of them is too long. Chart text wraps instead of being cut with "…", so
/// nothing a reader needs is lost.
pub fn wrap(s: &str, px: f64, max: f64) -> Vec<String> {
    // Tokens: words with their following space, and single wide (CJK) characters.
    let mut tokens: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in s.chars() {
        let wide = super::table::display_width(c.encode_utf8(&mut [0; 4])) == 2;
        if c == ' ' {
            word.push(c);
            tokens.push(std::mem::take(&mut word));
        } else if wide {
            if !word.is_empty() {
                tokens.push(std::mem::take(&mut word));
            }
            tokens.push(c.to_string());
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for t in tokens {
        if !line.is_empty() && text_width(line.trim_end(), px) + text_width(t.trim_end(), px) > max
        {
            lines.push(line.trim_end().to_string());
            line.clear();
        }
        // A single word wider than a line is split between characters.
        if line.is_empty() && text_width(t.trim_end(), px) > max {
            for c in t.chars() {
                if !line.is_empty() && text_width(&line, px) + text_width(&c.to_string(), px) > max
                {
                    lines.push(line.trim_end().to_string());
                    line.clear();
                }
                line.push(c);
            }
            continue;
        }
        line.push_str(&t);
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// How axis ticks are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tick {
    /// Plain numbers.
    Number,
    /// Fractions shown as percentages (0.07 → 7%).
    Percent,
    /// Whole years (no thousands separator, no decimals; fractional ticks left blank).
    Year,
}

impl Tick {
    /// The text of a tick at `v` on an axis spanning `span`.
    pub fn text(self, v: f64, span: f64) -> String {
        let decimals = |scaled_span: f64| -> usize {
            if scaled_span.is_nan() || scaled_span <= 0.0 || !scaled_span.is_finite() {
                return 1;
            }
            let step = scaled_span / 8.0;
            (-(step.log10().floor())).clamp(0.0, 6.0) as usize
        };
        match self {
            Tick::Year => {
                if (v - v.round()).abs() < 1e-6 {
                    format!("{:.0}", v)
                } else {
                    String::new()
                }
            }
            Tick::Percent => {
                let d = decimals(span * 100.0);
                format!("{:.*}%", d, v * 100.0)
            }
            Tick::Number => {
                let d = decimals(span);
                let s = format!("{:.*}", d, v);
                if s == "-0" { "0".into() } else { s }
            }
        }
    }
}

/// A drawing error, as text (plotters' errors are generic over the backend).
#[derive(Debug, Clone, PartialEq)]
pub struct ChartError(pub String);

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChartError {}

impl ChartError {
    /// The error of drawing `file`, naming it.
    pub fn named(self, file: &str) -> ChartError {
        ChartError(format!("chart {file}: {}", self.0))
    }
}

/// A chart that cannot be drawn is a runtime failure (exit code 1), never a dropped file.
impl From<ChartError> for crate::error::Error {
    fn from(e: ChartError) -> Self {
        crate::error::Error::runtime(e.0)
    }
}

/// The error type charts' `draw` returns for backend `DB`.
pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A chart spec that can draw itself on any plotters backend.
pub trait Chart {
    /// Size in pixels (width, height).
    fn size(&self) -> (u32, u32);
    /// Draws on `root`, which has the chart's size and a white background.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        mode: TextMode,
    ) -> DrawResult<DB>;
}

/// Renders a chart as an SVG document carrying the glyphs of its Chinese text (see
/// [`crate::report::font::embed_in_svg`]).
pub fn svg<C: Chart>(chart: &C) -> Result<String, ChartError> {
    register_fonts();
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, chart.size()).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        chart.draw(&root, TextMode::Svg).map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(crate::report::font::embed_in_svg(out, SVG_FONTS))
}

/// Renders a chart as PNG bytes (8-bit RGB).
pub fn png<C: Chart>(chart: &C) -> Result<Vec<u8>, ChartError> {
    register_fonts();
    let (w, h) = chart.size();
    let mut rgb = vec![255u8; w as usize * h as usize * 3];
    {
        let root =
            raster::PngBackend::new(&mut rgb, (w, h), latin_face()?, crate::report::font::face())
                .into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        chart.draw(&root, TextMode::Png).map_err(err)?;
        root.present().map_err(err)?;
    }
    encode_png(&rgb, w, h)
}

/// Encodes an RGB buffer as PNG.
pub fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // zlib level 2 with per-row adaptive filters: measured on the Zhumadian baseline's 363
        // charts, 1.7x faster to encode than the png crate's former default (level 6, Sub
        // filter) and 7.5 % smaller; encoding was most of a report's time.
        enc.set_deflate_compression(png::DeflateCompression::Level(2));
        enc.set_filter(png::Filter::Adaptive);
        let mut writer = enc
            .write_header()
            .map_err(|e| ChartError(format!("PNG header: {e}")))?;
        writer
            .write_image_data(rgb)
            .map_err(|e| ChartError(format!("PNG data: {e}")))?;
    }
    Ok(out)
}

fn err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError(format!("cannot draw chart: {e}"))
}

/// Height of the title block of a chart with a one-line title and subtitle.
pub const HEADER: u32 = 58;
/// Title and subtitle sizes in pixels.
pub const TITLE_PX: f64 = 19.0;
pub const SUBTITLE_PX: f64 = 13.5;
/// Tick and legend text size.
pub const TICK_PX: f64 = 13.0;
/// Axis description size.
pub const AXIS_PX: f64 = 14.0;
/// Line heights of wrapped titles and subtitles.
const TITLE_LINE: u32 = 24;
const SUBTITLE_LINE: u32 = 18;

/// The widest a title line may be in a chart `width` pixels wide. Text widths are estimated
/// (the viewer's fonts draw SVG text), so lines keep a margin.
fn title_room(width: u32) -> f64 {
    (width as f64 - 28.0) * 0.94
}

/// The lines of a title and subtitle in a chart `width` wide; both modes' text, whichever is
/// longer, so that the header height is the same in SVG and PNG.
fn header_lines(width: u32, title: &Label, subtitle: Option<&Label>) -> (usize, usize) {
    let room = title_room(width);
    let n = |l: &Label, px: f64| {
        [TextMode::Svg, TextMode::Png]
            .iter()
            .map(|&m| wrap(&l.text(m), px, room).len())
            .max()
            .unwrap_or(1)
    };
    (
        n(title, TITLE_PX),
        subtitle.map_or(0, |s| n(s, SUBTITLE_PX)),
    )
}

/// Height of the title block of a chart `width` wide: titles and subtitles wrap, never truncate.
pub fn header_height(width: u32, title: &Label, subtitle: Option<&Label>) -> u32 {
    let (t, s) = header_lines(width, title, subtitle);
    (10 + t as u32 * TITLE_LINE + s as u32 * SUBTITLE_LINE + 6).max(HEADER)
}

/// Draws a chart's header (title and subtitle, wrapped) at the top of `root` and returns the area
/// below it, the one way every chart starts.
pub fn header_then_body<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    mode: TextMode,
    width: u32,
    title: &Label,
    subtitle: Option<&Label>,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let (header, body) = root.split_vertically(header_height(width, title, subtitle));
    draw_header(&header, mode, title, subtitle)?;
    Ok(body)
}

/// Draws a left-aligned title and optional subtitle in the header strip of `area` (of
/// [`header_height`]), wrapped to its width.
pub fn draw_header<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    mode: TextMode,
    title: &Label,
    subtitle: Option<&Label>,
) -> DrawResult<DB> {
    let (w, _) = area.dim_in_pixel();
    let room = title_room(w);
    let top = Pos::new(HPos::Left, VPos::Top);
    let mut y = 10i32;
    for line in wrap(&title.text(mode), TITLE_PX, room) {
        area.draw(&Text::new(
            line,
            (14, y),
            mode.style(TITLE_PX, palette::INK).pos(top),
        ))?;
        y += TITLE_LINE as i32;
    }
    y += 1;
    if let Some(s) = subtitle {
        for line in wrap(&s.text(mode), SUBTITLE_PX, room) {
            area.draw(&Text::new(
                line,
                (14, y),
                mode.style(SUBTITLE_PX, palette::MUTED).pos(top),
            ))?;
            y += SUBTITLE_LINE as i32;
        }
    }
    Ok(())
}

/// A file-name-safe form of an id (letters, digits, `_` and `-`; anything else becomes `_`).
pub fn file_stem(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "_".into() } else { s }
}

/// One rendered chart: its file stem (without extension), title, SVG text and PNG bytes.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// e.g. `attainment`, `fan-gdp`, `dist-gdp_growth`.
    pub stem: String,
    /// What the chart shows, for reports (alt text, headings).
    pub title: String,
    pub svg: String,
    pub png: Vec<u8>,
}

impl Rendered {
    /// Renders a chart both ways; an error names the file that could not be drawn.
    pub fn of<C: Chart>(stem: String, title: String, chart: &C) -> Result<Rendered, ChartError> {
        let svg = svg(chart).map_err(|e| e.named(&format!("{stem}.svg")))?;
        let png = png(chart).map_err(|e| e.named(&format!("{stem}.png")))?;
        Ok(Rendered {
            stem,
            title,
            svg,
            png,
        })
    }

    /// The two files: `<stem>.svg` and `<stem>.png`.
    pub fn files(self) -> Vec<(String, Vec<u8>)> {
        vec![
            (format!("{}.svg", self.stem), self.svg.into_bytes()),
            (format!("{}.png", self.stem), self.png),
        ]
    }
}

/// A chart rendered as `<stem>.svg` and `<stem>.png`, as (file name, bytes).
pub fn files<C: Chart>(stem: &str, chart: &C) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    Ok(Rendered::of(stem.to_string(), String::new(), chart)?.files())
}

/// The stem of the track record's reliability diagram.
pub const TRACK_RECORD_STEM: &str = "track-record-reliability";

/// Renders charts on rayon's threads, each as [`Rendered::of`] would, returned in the order given:
/// the output (files and their order, and which error is reported when several charts fail: the
/// first in that order) does not depend on the thread count.
pub fn render_par<C: Chart + Send>(
    specs: Vec<(String, String, C)>,
) -> Result<Vec<Rendered>, ChartError> {
    use rayon::prelude::*;
    let rendered: Vec<Result<Rendered, ChartError>> = specs
        .into_par_iter()
        .map(|(stem, title, c)| Rendered::of(stem, title, &c))
        .collect();
    rendered.into_iter().collect()
}

/// Every chart of a result: attainment, on track, then one fan per simulated indicator, one
/// distribution per simulated target, in results order, and the track record's reliability
/// diagram when the calibration has an out-of-sample record. Charts render in parallel (rayon); the
/// output does not depend on the thread count.
pub fn render_all(r: &crate::results::Results) -> Result<Vec<Rendered>, ChartError> {
    let mut specs: Vec<(String, String, XyChart)> = Vec::new();
    for ind in &r.indicators {
        specs.push((
            format!("fan-{}", file_stem(&ind.id)),
            format!("Fan chart: {}", ind.id),
            fan::chart(r, ind),
        ));
    }
    for t in r.targets.iter().filter(|t| t.status.is_simulated()) {
        if let Some(c) = dist::chart(r, t) {
            specs.push((
                format!("dist-{}", file_stem(&t.id)),
                format!("Distribution: {}", t.id),
                c,
            ));
        }
    }
    if let Some(t) = r.track_record.as_ref().filter(|t| t.pooled.is_some()) {
        specs.push((
            TRACK_RECORD_STEM.into(),
            "Reliability of out-of-sample P(met)".into(),
            reliability::track_record(t),
        ));
    }
    // The two summary charts (a bar chart and a heatmap: other types than the x-y charts) render
    // beside the x-y charts rather than before them.
    let attainment = || {
        attainment::chart(r)
            .map(|c| {
                Rendered::of(
                    "attainment".into(),
                    "Probability of meeting each target".into(),
                    &c,
                )
            })
            .transpose()
    };
    let ontrack = || {
        ontrack::chart(r)
            .map(|c| Rendered::of("ontrack".into(), "On track by year".into(), &c))
            .transpose()
    };
    let ((attainment, ontrack), xy) =
        rayon::join(|| rayon::join(attainment, ontrack), || render_par(specs));
    let mut out: Vec<Rendered> = attainment?.into_iter().chain(ontrack?).collect();
    out.extend(xy?);
    Ok(out)
}

/// Results of the shipped example (`tests/fixtures/example.toml`) at 8192 runs, for unit tests.
#[cfg(test)]
pub(crate) fn test_results() -> crate::results::Results {
    use std::sync::OnceLock;
    static R: OnceLock<crate::results::Results> = OnceLock::new();
    R.get_or_init(|| {
        let p =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/example.toml");
        let model = match crate::scenario::load_scenario(&p) {
            Ok(m) => m,
            Err(e) => panic!("example loads: {e}"),
        };
        let opts = crate::engine::RunOptions {
            runs: 8192,
            seed: 7,
            threads: Some(1),
            shard: None,
            sampling: Default::default(),
        };
        let acc = crate::engine::run(&model, &opts, &|_| {}).expect("runs");
        crate::results::build(&model, &acc)
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_text_keeps_latin_and_chinese_and_drops_what_no_font_has() {
        assert_eq!(
            png_safe("地区生产总值 Regional GDP"),
            "地区生产总值 Regional GDP"
        );
        assert_eq!(png_safe("cagr ≥ 6.5% — ok"), "cagr ≥ 6.5% — ok");
        assert_eq!(png_safe("（万人）"), "（万人）");
        // U+2A6D6: a rare ideograph outside the embedded subset.
        assert_eq!(png_safe("\u{2A6D6}值 value"), "值 value");
    }

    #[test]
    fn png_labels_carry_chinese_beside_english() {
        let l = Label::new("地区生产总值 Regional GDP", "Regional GDP");
        assert_eq!(l.text(TextMode::Png), "地区生产总值 Regional GDP");
        assert_eq!(l.text(TextMode::Svg), "地区生产总值 Regional GDP");
        // A character neither font has: the English variant rather than a box.
        let l = Label::new("\u{2A6D6}值 Regional GDP", "Regional GDP");
        assert_eq!(l.text(TextMode::Png), "Regional GDP");
    }

    #[test]
    fn svg_text_names_cjk_fonts_first() {
        assert!(SVG_FONTS.starts_with("Noto Sans CJK SC, Source Han Sans SC,"));
    }

    #[test]
    fn ticks_are_readable() {
        assert_eq!(Tick::Percent.text(0.07, 0.1), "7%");
        assert_eq!(Tick::Percent.text(0.065, 0.02), "6.5%");
        assert_eq!(Tick::Percent.text(0.5, 1.0), "50%");
        assert_eq!(Tick::Year.text(2021.0, 5.0), "2021");
        assert_eq!(Tick::Year.text(2021.5, 5.0), "");
        assert_eq!(Tick::Number.text(2859.3, 2000.0), "2859");
        assert_eq!(Tick::Number.text(3.25, 0.1), "3.25");
    }

    #[test]
    fn a_chart_error_names_the_file_and_exits_with_1() {
        let e: crate::error::Error = ChartError("cannot draw chart: x".into())
            .named("tornado-gdp.png")
            .into();
        assert_eq!(e.exit_code(), 1);
        assert!(
            e.to_string()
                .contains("chart tornado-gdp.png: cannot draw chart: x")
        );
    }

    #[test]
    fn files_are_an_svg_and_a_png() {
        let files = files("x", &XyChart::new(Label::plain("t"))).expect("draws");
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["x.svg", "x.png"]);
        assert_eq!(&files[1].1[1..4], b"PNG");
    }

    #[test]
    fn file_stems_are_safe() {
        assert_eq!(file_stem("gdp_growth"), "gdp_growth");
        assert_eq!(file_stem("../x y"), "___x_y");
    }

    #[test]
    fn wrap_keeps_every_word_and_fits_the_width() {
        let s = format!("{} · ≥ 53", "name ".repeat(40));
        let lines = wrap(&s, 10.0, 200.0);
        assert!(lines.len() > 1);
        let words = |x: &str| x.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&lines.join(" ")), words(&s));
        for l in &lines {
            assert!(text_width(l, 10.0) <= 200.0, "{l}");
            assert!(!l.contains('…'));
        }
        assert_eq!(wrap("short", 10.0, 100.0), ["short"]);
        let cjk = wrap("地区生产总值年均增长百分之七左右", 10.0, 50.0);
        assert_eq!(cjk.concat(), "地区生产总值年均增长百分之七左右");
        assert!(cjk.len() >= 3);
        let long_title = Label::plain("word ".repeat(60));
        assert!(header_height(900, &long_title, None) > HEADER);
    }
}
