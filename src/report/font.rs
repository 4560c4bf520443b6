//! The CJK font attain ships, and the per-page subset that `report.html` embeds.
//!
//! Why a module of its own: a fresh machine (Debian's chromium, a server without fonts) may have
//! no CJK font at all, and then every Chinese string of the report and the charts is a row of
//! boxes. attain therefore carries the glyphs it needs: a subset of Noto Sans CJK SC (SIL Open Font
//! License 1.1; renamed [`FAMILY`], see `assets/fonts/README.md` and
//! `scripts/subset-cjk-font.py`) holding the 3,500 common characters of the Table of General
//! Standard Chinese Characters, every Chinese character of the shipped plans, and CJK punctuation.
//!
//! * PNG charts draw East Asian characters with it ([`BYTES`], through the chart module's
//!   rasteriser); Latin text stays in the embedded DejaVu Sans.
//! * `report.html` embeds a second, smaller subset holding only the East Asian characters on the
//!   page ([`font_face`]): an `@font-face` with a base64 data URL and a `unicode-range` listing
//!   exactly those characters, so the page stays one self-contained file and Latin text keeps the
//!   viewer's fonts. [`FAMILY`] heads every `font-family` list (page and SVG charts).
//! * A character the font lacks is named once on the console ([`uncovered`]) and left to the
//!   viewer's fonts; nothing here panics on odd text or a font that cannot be subset.

use ab_glyph::{Font, FontRef};
use allsorts::font_data::DynamicFontTableProvider;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// The family name of the embedded CJK font, in CSS and SVG `font-family` lists.
pub const FAMILY: &str = "Attain Sans SC";

/// The committed subset of Noto Sans CJK SC (OpenType, CFF outlines).
pub static BYTES: &[u8] = include_bytes!("../../assets/fonts/AttainSansSC-subset.otf");

/// The parsed font, parsed once per process, or `None` if it cannot be read (then nothing is
/// embedded and the viewer's fonts draw Chinese, as before).
pub fn face() -> Option<&'static FontRef<'static>> {
    static FACE: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FACE.get_or_init(|| FontRef::try_from_slice(BYTES).ok())
        .as_ref()
}

/// True for characters that need a CJK font: East Asian wide and fullwidth characters (Han,
/// kana, hangul, CJK punctuation, fullwidth forms) and everything from U+2E80 up.
pub fn east_asian(c: char) -> bool {
    let u = c as u32;
    (0x1100..=0x115F).contains(&u) || (0x2329..=0x232A).contains(&u) || u >= 0x2E80
}

/// True when the embedded CJK font has a glyph for `c`.
pub fn has(c: char) -> bool {
    face().is_some_and(|f| f.glyph_id(c).0 != 0)
}

/// The East Asian characters of `text` that the embedded font lacks (sorted, each once): the
/// viewer's fonts draw them, and on a machine without a CJK font they show as boxes.
pub fn uncovered(text: &str) -> Vec<char> {
    let set: BTreeSet<char> = text
        .chars()
        .filter(|&c| east_asian(c) && !c.is_whitespace() && !has(c))
        .collect();
    set.into_iter().collect()
}

/// The console warning for characters the embedded font lacks, or `None` when it has them all.
pub fn uncovered_warning(file: &str, text: &str) -> Option<String> {
    let missing = uncovered(text);
    if missing.is_empty() {
        return None;
    }
    let shown: String = missing.iter().take(40).collect();
    let more = if missing.len() > 40 {
        format!(" and {} more", missing.len() - 40)
    } else {
        String::new()
    };
    Some(format!(
        "{file}: the embedded CJK font ({FAMILY}) has no glyph for {} character{}: {shown}{more}; the viewer's fonts draw {} (boxes where it has no CJK font)",
        missing.len(),
        if missing.len() == 1 { "" } else { "s" },
        if missing.len() == 1 { "it" } else { "them" },
    ))
}

/// The `@font-face` rule a page embeds, and what it covers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FontFace {
    /// The CSS rule (empty when the page has no East Asian character the font covers).
    pub css: String,
    /// How many characters the embedded subset holds.
    pub chars: usize,
    /// Size of the embedded font file in bytes (before base64).
    pub font_bytes: usize,
    /// East Asian characters of the page the font lacks (see [`uncovered`]).
    pub missing: Vec<char>,
    /// Why nothing could be embedded, if subsetting failed (the page then relies on the viewer's
    /// fonts).
    pub error: Option<String>,
}

/// The `@font-face` rule for a page whose text (markup included: only East Asian characters
/// count) is `text`: [`FAMILY`] as a data URL holding only the glyphs of those characters, with a
/// `unicode-range` of exactly them.
pub fn font_face(text: &str) -> FontFace {
    let wanted: BTreeSet<char> = text.chars().filter(|&c| east_asian(c)).collect();
    let Some(font) = face() else {
        return FontFace {
            missing: wanted.into_iter().collect(),
            error: Some("the embedded CJK font cannot be read".into()),
            ..FontFace::default()
        };
    };
    let mut covered = Vec::new();
    let mut missing = Vec::new();
    for c in wanted {
        if c.is_whitespace() {
            continue;
        }
        match font.glyph_id(c).0 {
            0 => missing.push(c),
            g => covered.push((c, g)),
        }
    }
    if covered.is_empty() {
        return FontFace {
            missing,
            ..FontFace::default()
        };
    }
    let mut glyphs: Vec<u16> = covered.iter().map(|&(_, g)| g).collect();
    glyphs.push(0);
    glyphs.sort_unstable();
    glyphs.dedup();
    match subset(&glyphs) {
        Ok(bytes) => {
            let chars: Vec<char> = covered.iter().map(|&(c, _)| c).collect();
            let css = format!(
                "@font-face {{ font-family: \"{FAMILY}\"; src: url(data:font/otf;base64,{}) format(\"opentype\"); unicode-range: {}; }}",
                base64(&bytes),
                unicode_range(&chars)
            );
            FontFace {
                css,
                chars: chars.len(),
                font_bytes: bytes.len(),
                missing,
                error: None,
            }
        }
        Err(e) => {
            missing.extend(covered.iter().map(|&(c, _)| c));
            missing.sort_unstable();
            FontFace {
                missing,
                error: Some(format!("cannot subset the embedded CJK font: {e}")),
                ..FontFace::default()
            }
        }
    }
}

/// A `font-family` list with the embedded CJK font first, then `fallback` (a CSS list).
pub fn font_stack(fallback: &str) -> String {
    format!("\"{FAMILY}\", {fallback}")
}

/// The `id` of the `<style>` element [`embed_in_svg`] adds (`report.html` drops it: the page
/// embeds one font for all its charts).
pub const SVG_STYLE_ID: &str = "attain-cjk-font";

/// An SVG document that carries the glyphs of its own East Asian characters: a `<style>` right
/// after the opening `<svg …>` tag holding the embedded font cut to them and a rule putting it
/// first in the text's font list (`fallback`), so a standalone chart shows Chinese on a machine
/// without a CJK font. An SVG without such characters, or whose font cannot be subset, is
/// returned as it is.
pub fn embed_in_svg(svg: String, fallback: &str) -> String {
    let face = font_face(&svg);
    let open_end = svg
        .find("<svg")
        .and_then(|i| svg[i..].find('>').map(|j| i + j + 1));
    match open_end {
        Some(at) if !face.css.is_empty() => {
            let mut out = String::with_capacity(svg.len() + face.css.len() + 200);
            out.push_str(&svg[..at]);
            out.push_str(&format!(
                "\n<style id=\"{SVG_STYLE_ID}\">{} text {{ font-family: {}; }}</style>",
                face.css,
                font_stack(fallback)
            ));
            out.push_str(&svg[at..]);
            out
        }
        _ => svg,
    }
}

/// `svg` without the `<style>` [`embed_in_svg`] added.
pub fn strip_svg_font(svg: &str) -> std::borrow::Cow<'_, str> {
    let open = format!("\n<style id=\"{SVG_STYLE_ID}\">");
    match svg.find(&open).and_then(|i| {
        svg[i..]
            .find("</style>")
            .map(|j| (i, i + j + "</style>".len()))
    }) {
        Some((a, b)) => format!("{}{}", &svg[..a], &svg[b..]).into(),
        None => svg.into(),
    }
}

/// The embedded font's tables as allsorts reads them for subsetting, parsed once per process (a
/// run subsets the font for every standalone SVG and for each page).
///
/// allsorts' public subsetting API takes a table provider, so that is what is kept: the font's
/// table directory, with each table a borrowed slice of [`BYTES`]. The tables themselves (cmap,
/// CFF, hmtx…) are decoded inside `allsorts::subset::subset` on every call; hoisting them would
/// mean re-implementing allsorts' OpenType writer, and a whole subset costs about 0.1 ms.
fn tables() -> Result<&'static DynamicFontTableProvider<'static>, String> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    static TABLES: OnceLock<Result<DynamicFontTableProvider<'static>, String>> = OnceLock::new();
    TABLES
        .get_or_init(|| {
            let data = ReadScope::new(BYTES)
                .read::<FontData<'static>>()
                .map_err(|e| e.to_string())?;
            data.table_provider(0).map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The embedded font cut to `glyphs` (sorted, glyph 0 first), with a Unicode cmap for them.
fn subset(glyphs: &[u16]) -> Result<Vec<u8>, String> {
    use allsorts::subset::{CmapTarget, SubsetProfile};
    allsorts::subset::subset(
        tables()?,
        glyphs,
        &SubsetProfile::Minimal,
        CmapTarget::Unicode,
    )
    .map_err(|e| e.to_string())
}

/// A CSS `unicode-range` value for `chars` (sorted, distinct): runs of consecutive code points
/// become ranges.
fn unicode_range(chars: &[char]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = chars[i] as u32;
        let mut end = start;
        while i + 1 < chars.len() && chars[i + 1] as u32 == end + 1 {
            end += 1;
            i += 1;
        }
        parts.push(if end == start {
            format!("U+{start:X}")
        } else {
            format!("U+{start:X}-{end:X}")
        });
        i += 1;
    }
    parts.join(", ")
}

/// Standard base64 with padding (RFC 4648), for data URLs.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 (for tests).
#[cfg(test)]
pub(crate) fn unbase64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let mut out = Vec::new();
    for q in s.as_bytes().chunks(4) {
        let pad = q.iter().filter(|&&c| c == b'=').count();
        let n = q
            .iter()
            .map(|&c| if c == b'=' { 0 } else { u32::from(val(c)) })
            .fold(0u32, |n, v| (n << 6) | v);
        let b = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&b[..3 - pad]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_reads_and_covers_the_common_characters() {
        let f = face().expect("embedded font parses");
        assert!(f.glyph_count() > 3500);
        for c in
            "驻马店市国民经济和社会发展第十四个五年规划年均增长左右约束性预期性（）、。".chars()
        {
            assert!(has(c), "{c}");
        }
        assert!(!has('A'), "Latin is left to other fonts");
    }

    #[test]
    fn east_asian_characters_are_told_apart() {
        assert!(east_asian('中') && east_asian('（') && east_asian('、'));
        assert!(!east_asian('a') && !east_asian('≥') && !east_asian('·') && !east_asian('—'));
    }

    #[test]
    fn uncovered_characters_are_named_once() {
        // U+2A6D6 is a rare ideograph (CJK Extension B), outside the subset.
        let text = "地区生产总值 \u{2A6D6}\u{2A6D6} GDP";
        assert_eq!(uncovered(text), vec!['\u{2A6D6}']);
        let w = uncovered_warning("report.html", text).expect("warns");
        assert!(w.contains("1 character: \u{2A6D6};"), "{w}");
        assert_eq!(uncovered_warning("report.html", "地区 GDP"), None);
    }

    #[test]
    fn the_page_subset_holds_only_the_page_characters() {
        let ff = font_face("<p>年均增长7%左右 — 年 \u{2A6D6}</p>");
        assert_eq!(ff.error, None);
        assert_eq!(ff.chars, 6, "年 均 增 长 左 右, 年 once");
        assert_eq!(ff.missing, vec!['\u{2A6D6}']);
        assert!(ff.css.starts_with(
            "@font-face { font-family: \"Attain Sans SC\"; src: url(data:font/otf;base64,"
        ));
        assert!(
            ff.css
                .ends_with("unicode-range: U+53F3, U+5747, U+589E, U+5DE6, U+5E74, U+957F; }"),
            "{}",
            &ff.css[ff.css.len() - 80..]
        );
        // The subset is a font that maps exactly those characters.
        let b64 = ff
            .css
            .split("base64,")
            .nth(1)
            .and_then(|s| s.split(')').next())
            .expect("data");
        let bytes = unbase64(b64);
        assert_eq!(bytes.len(), ff.font_bytes);
        let sub = FontRef::try_from_slice(&bytes).expect("subset parses");
        for c in "年均增长左右".chars() {
            assert_ne!(sub.glyph_id(c).0, 0, "{c}");
        }
        assert_eq!(sub.glyph_id('中').0, 0);
        assert!(bytes.len() < 20_000, "{} bytes", bytes.len());
    }

    #[test]
    fn a_page_without_chinese_embeds_nothing() {
        let ff = font_face("<p>GDP ≥ 6.5%</p>");
        assert_eq!(ff, FontFace::default());
    }

    #[test]
    fn a_standalone_svg_carries_its_own_glyphs() {
        let svg = "<svg width=\"10\" height=\"10\">\n<text font-family=\"sans-serif\">地区 GDP</text>\n</svg>\n";
        let with = embed_in_svg(svg.to_string(), "sans-serif");
        assert!(with.starts_with(
            "<svg width=\"10\" height=\"10\">\n<style id=\"attain-cjk-font\">@font-face {"
        ));
        assert!(with.contains("unicode-range: U+533A, U+5730; } text { font-family: \"Attain Sans SC\", sans-serif; }</style>\n<text"));
        assert_eq!(strip_svg_font(&with), svg);
        // Nothing to embed: unchanged.
        let latin = "<svg><text>GDP</text></svg>";
        assert_eq!(embed_in_svg(latin.to_string(), "sans-serif"), latin);
        assert_eq!(strip_svg_font(latin), latin);
    }

    #[test]
    fn ranges_and_base64_are_standard() {
        assert_eq!(unicode_range(&['a', 'b', 'c', 'e']), "U+61-63, U+65");
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(unbase64("Zm9vYg=="), b"foob");
    }
}
