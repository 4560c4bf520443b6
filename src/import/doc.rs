//! A decoded document as numbered lines, and where a quote sits in it.
//!
//! Most documents are many lines; a source reference is then the 1-based line and a quote that
//! occurs verbatim on it. A document that is one long line (text extracted from a web page, say)
//! is cut into sentences for reading, and a reference is the 0-based character offset of its quote
//! (`source_locator = "char_offset"` in the plan).

/// One line of the document (or one sentence of a one-line document).
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number in the document.
    pub no: usize,
    /// Character offset of the line's first character in the whole document.
    pub start: usize,
    pub text: String,
}

/// A document ready for reading.
#[derive(Debug, Clone)]
pub struct Doc {
    pub lines: Vec<Line>,
    /// True for a one-line document: references are character offsets.
    pub char_offsets: bool,
}

/// A line longer than this, alone in its document, makes it a one-line document.
const ONE_LINE_MIN: usize = 2000;

impl Doc {
    pub fn new(text: &str) -> Doc {
        let non_empty: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let one_line = non_empty.len() == 1 && non_empty[0].chars().count() >= ONE_LINE_MIN;
        let mut lines = Vec::new();
        let mut start = 0usize;
        for (k, l) in text.split('\n').enumerate() {
            let n = l.chars().count();
            if one_line && !l.trim().is_empty() {
                lines.extend(sentences(l, k + 1, start));
            } else {
                lines.push(Line {
                    no: k + 1,
                    start,
                    text: l.to_string(),
                });
            }
            start += n + 1;
        }
        Doc {
            lines,
            char_offsets: one_line,
        }
    }

    /// The reference (line or character offset) of `quote` found at character `at` of `line`.
    pub fn locate(&self, line: &Line, quote: &str) -> Option<usize> {
        if self.char_offsets {
            let byte = line.text.find(quote)?;
            Some(line.start + line.text[..byte].chars().count())
        } else {
            line.text.contains(quote).then_some(line.no)
        }
    }
}

/// Sentences of a long line, cut after 。！？ (kept with their sentence).
fn sentences(l: &str, no: usize, start: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_start = start;
    let mut pos = start;
    for c in l.chars() {
        cur.push(c);
        pos += 1;
        if matches!(c, '。' | '！' | '？') {
            out.push(Line {
                no,
                start: cur_start,
                text: std::mem::take(&mut cur),
            });
            cur_start = pos;
        }
    }
    if !cur.is_empty() {
        out.push(Line {
            no,
            start: cur_start,
            text: cur,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_documents_are_read_by_sentence_with_character_offsets() {
        let text = format!("{}到2020年，城镇化率超过56%。其他。", "前言。".repeat(700));
        let d = Doc::new(&text);
        assert!(d.char_offsets);
        let l = d.lines.iter().find(|l| l.text.contains("超过56")).unwrap();
        let at = d.locate(l, "超过56").unwrap();
        assert_eq!(text.chars().skip(at).take(4).collect::<String>(), "超过56");
        let d = Doc::new("a\nb超过\n");
        assert!(!d.char_offsets);
        assert_eq!(d.locate(&d.lines[1], "超过"), Some(2));
    }
}
