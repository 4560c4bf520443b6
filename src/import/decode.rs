//! Decoding a plan document's bytes into text: UTF-8 (with or without a byte-order mark), UTF-16
//! with a byte-order mark, or GB18030 (which covers GBK and GB2312). Anything else is refused with
//! an error that names the file and says how to convert it.

use crate::error::{Error, Result};
use std::path::Path;

/// The encoding a document was read in, for the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Gb18030 => "GB18030",
        }
    }
}

const HINT: &str = "save the document as plain text in UTF-8 (or GB18030, or UTF-16 with a byte-order mark), e.g. `iconv -f BIG5 -t UTF-8 doc.txt > doc-utf8.txt`; PDF and Word files must be converted to text first";

/// Decodes `bytes` read from `path`. Line endings are normalised to `\n` (CRLF and CR), so that
/// line numbers are those an editor shows.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<(String, Encoding)> {
    let (text, enc) = decode_raw(path, bytes)?;
    if let Some(k) = text.find('\0') {
        let line = text[..k].matches('\n').count() + 1;
        return Err(Error::file(
            path,
            format!(
                "{} holds a NUL character at line {line}: it is not a plain-text document",
                path.display()
            ),
            HINT,
        ));
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    Ok((text, enc))
}

fn decode_raw(path: &Path, bytes: &[u8]) -> Result<(String, Encoding)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(path, rest).map(|t| (t, Encoding::Utf8));
    }
    for (bom, enc, coder) in [
        (&b"\xFF\xFE"[..], Encoding::Utf16Le, encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], Encoding::Utf16Be, encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = coder.decode_without_bom_handling(rest);
            if had_errors {
                return Err(Error::file(
                    path,
                    format!(
                        "{} starts with a {} byte-order mark but is not valid {}",
                        path.display(),
                        enc.name(),
                        enc.name()
                    ),
                    HINT,
                ));
            }
            return Ok((text.into_owned(), enc));
        }
    }
    if let Ok(t) = std::str::from_utf8(bytes) {
        return Ok((t.to_string(), Encoding::Utf8));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    // GB18030 maps almost every byte sequence somewhere; accept it only when the result reads as
    // Chinese text: no decoding errors and mostly CJK among the non-ASCII characters.
    let non_ascii = text.chars().filter(|c| !c.is_ascii()).count();
    let cjk = text.chars().filter(|c| is_cjk_text(*c)).count();
    if !had_errors && non_ascii > 0 && cjk * 10 >= non_ascii * 9 {
        return Ok((text.into_owned(), Encoding::Gb18030));
    }
    let e = std::str::from_utf8(bytes).unwrap_err();
    let line = bytes[..e.valid_up_to()]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1;
    Err(Error::file(
        path,
        format!(
            "{} is neither UTF-8 (invalid byte at line {line}), UTF-16 with a byte-order mark, nor GB18030",
            path.display()
        ),
        HINT,
    ))
}

fn utf8(path: &Path, bytes: &[u8]) -> Result<String> {
    std::str::from_utf8(bytes).map(str::to_string).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        Error::file(
            path,
            format!(
                "{} starts with a UTF-8 byte-order mark but has an invalid UTF-8 byte at line {line}",
                path.display()
            ),
            HINT,
        )
    })
}

/// CJK ideographs, CJK and full-width punctuation: what a Chinese plan document is made of.
fn is_cjk_text(c: char) -> bool {
    matches!(c as u32,
        0x2000..=0x206F | 0x2100..=0x214F | 0x2160..=0x218F | 0x2460..=0x24FF | 0x2500..=0x257F
        | 0x25A0..=0x25FF | 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xFF00..=0xFFEF | 0x00B0..=0x00B7 | 0x00D7 | 0x00F7)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_encodings() {
        let p = Path::new("doc.txt");
        let s = "到2025年，地区生产总值达到650亿元以上。\r\n";
        let (t, e) = decode(p, s.as_bytes()).unwrap();
        assert_eq!(
            (t.as_str(), e),
            ("到2025年，地区生产总值达到650亿元以上。\n", Encoding::Utf8)
        );
        let (gb, _, _) = encoding_rs::GB18030.encode(s);
        assert_eq!(decode(p, &gb).unwrap().1, Encoding::Gb18030);
        let mut le = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(p, &le).unwrap().0.lines().next(), s.lines().next());
        let mut be = vec![0xFE, 0xFF];
        be.extend(s.encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode(p, &be).unwrap().1, Encoding::Utf16Be);
    }

    #[test]
    fn refuses_binary_and_other_encodings_naming_the_file() {
        let p = Path::new("plan.pdf");
        for bytes in [
            &b"%PDF-1.4\n\xff\xd8\xff\xe0\x00\x10"[..],
            &b"\x80\x81\x82\x83"[..],
        ] {
            let e = decode(p, bytes).unwrap_err().to_string();
            assert!(e.contains("plan.pdf"), "{e}");
        }
    }
}
