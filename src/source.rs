//! Input files held in memory, and the mapping from byte offsets to line and column.
//!
//! Every input error points into a [`Source`]; this module is the one place that turns a TOML span
//! into the `file:line:column` a user can jump to.

use crate::error::{Error, InputError, Location, Result};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The text of one input file.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as the user (or the referring file) gave it.
    pub path: PathBuf,
    /// The text, without a leading UTF-8 byte-order mark.
    pub text: String,
    /// The raw bytes as read, for hashing.
    pub bytes: Vec<u8>,
}

impl Source {
    /// Reads a file; a missing, unreadable, binary or non-UTF-8 file is an input error.
    pub fn read(path: &Path) -> Result<Source> {
        let bytes = std::fs::read(path).map_err(|e| {
            Error::file(
                path,
                format!("cannot read {}: {e}", path.display()),
                "check the path; paths inside scenario files are relative to the file that names them",
            )
        })?;
        Source::from_bytes(path, bytes)
    }

    /// Reads a file named inside another one (a plan, an `extends`): when it cannot be read, the
    /// error points at the reference in `from` (at `span`), where the user has to fix it.
    pub fn read_referenced(path: &Path, from: &Source, span: Range<usize>) -> Result<Source> {
        match std::fs::read(path) {
            Ok(bytes) => Source::from_bytes(path, bytes),
            Err(e) => Err(from.error(
                span,
                format!("cannot read {}: {e}", path.display()),
                format!(
                    "the path is relative to the directory of {}; check its spelling",
                    from.path.display()
                ),
            )),
        }
    }

    /// Builds a source from bytes already in memory.
    ///
    /// A leading UTF-8 byte-order mark is dropped and CRLF line endings are kept (TOML accepts
    /// them); invalid UTF-8 and NUL bytes are input errors at their line and column.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Source> {
        let text = match std::str::from_utf8(&bytes) {
            Ok(t) => t.to_string(),
            Err(e) => {
                // Everything before the bad byte is valid UTF-8: count lines and characters there.
                let valid = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
                let (line, col) = line_col_in(&valid, valid.len());
                return Err(Error::Input(Box::new(InputError {
                    message: format!(
                        "{} is not UTF-8 text (invalid byte 0x{:02x} at line {line}, column {col}): it looks like a binary file",
                        path.display(),
                        bytes[e.valid_up_to()]
                    ),
                    location: Some(Location {
                        file: path.to_path_buf(),
                        line: Some(line),
                        col: Some(col),
                        text: None,
                    }),
                    hint: Some("give a TOML text file saved as UTF-8".into()),
                })));
            }
        };
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text);
        let src = Source {
            path: path.to_path_buf(),
            text,
            bytes,
        };
        if let Some(at) = src.text.find('\0') {
            return Err(src.error(
                at..at,
                format!(
                    "{} contains NUL bytes: it looks like a binary file",
                    path.display()
                ),
                "give a TOML text file",
            ));
        }
        Ok(src)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col_in(&self.text, offset)
    }

    /// The text of a line for display: control characters (a NUL, say) shown as `�`, so that
    /// columns still line up and nothing odd reaches the terminal.
    fn line_text(&self, line: usize) -> Option<String> {
        self.text.lines().nth(line.saturating_sub(1)).map(|l| {
            l.trim_end_matches('\r')
                .chars()
                .map(|c| {
                    if c.is_control() && c != '\t' {
                        '\u{fffd}'
                    } else {
                        c
                    }
                })
                .collect()
        })
    }

    /// An input error at a span of this file.
    pub fn error(
        &self,
        span: Range<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Error {
        let (line, col) = self.line_col(span.start);
        Error::Input(Box::new(InputError {
            message: message.into(),
            location: Some(Location {
                file: self.path.clone(),
                line: Some(line),
                col: Some(col),
                text: self.line_text(line),
            }),
            hint: Some(hint.into()),
        }))
    }

    /// An input error about the file as a whole (line 1).
    pub fn error_top(&self, message: impl Into<String>, hint: impl Into<String>) -> Error {
        self.error(0..0, message, hint)
    }

    /// Turns a TOML parse error into an input error with location and a hint.
    pub fn toml_error(&self, e: &toml::de::Error, what: &str) -> Error {
        let span = e.span().unwrap_or(0..0);
        let msg = friendly(e.message().trim());
        let hint = if msg.contains("overflow") || msg.contains("too large") {
            "the number is too large: integers must lie within ±9.2e18 and floats within ±1.8e308"
                .to_string()
        } else if msg.contains("recursion") || msg.contains("recurse") {
            "the value nests arrays or tables too deeply; flatten it".to_string()
        } else if msg.contains("unknown field") {
            match suggestion(&msg) {
                Some(near) => format!(
                    "did you mean `{near}`? Otherwise remove or correct the key; see the {what} \
                     format in docs/format.md"
                ),
                None => {
                    format!("remove or correct the key; see the {what} format in docs/format.md")
                }
            }
        } else if msg.contains("missing field") {
            format!("add the missing key; see the {what} format in docs/format.md")
        } else if msg.contains("invalid type") {
            "give the value the type shown (quote strings, no quotes around numbers)".to_string()
        } else {
            format!("fix the TOML syntax; see the {what} format in docs/format.md")
        };
        self.error(span, format!("invalid {what} file: {msg}"), hint)
    }
}

/// The known key closest to the unknown one of a serde message such as "unknown field `rat`,
/// expected one of `rate`, `factor`" (or "expected `line` or `quote`"), when it is close enough to
/// be a typo: at most a third of its letters wrong (case ignored).
fn suggestion(msg: &str) -> Option<String> {
    let mut parts = msg.split('`');
    let _ = parts.next();
    let unknown = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    nearest(unknown, rest.iter().skip(1).step_by(2).copied()).map(str::to_string)
}

/// The name in `known` closest to `unknown`, when it is close enough to be a typo: at most a third
/// of its letters wrong (case ignored). For "did you mean …?" hints.
pub fn nearest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let unknown = unknown.to_lowercase();
    let unknown_len = unknown.chars().count();
    known
        .into_iter()
        .map(|k| (edit_distance(&unknown, &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= (unknown_len.max(k.chars().count()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance in characters, counting a swap of two neighbours as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Replaces internal type names in serde messages (`struct RawProcess`) with words for users.
fn friendly(msg: &str) -> String {
    if msg.contains("as i128") {
        let n = msg.split('`').nth(1).unwrap_or("the integer");
        return format!("the integer {n} is too large for a 64-bit integer");
    }
    let mut out = msg.to_string();
    for (from, to) in [
        (
            "expected struct RawProcess",
            "expected a table such as [process.gdp]",
        ),
        (
            "expected struct RawDist",
            "expected a distribution { dist = \"…\", … }",
        ),
        (
            "expected struct RawCorrelation",
            "expected a [[correlation]] table",
        ),
        ("expected struct RawShock", "expected a [[shock]] table"),
        (
            "expected struct RawTargetOverride",
            "expected a table such as [targets.<id>]",
        ),
        (
            "expected struct RawEvaluation",
            "expected the [evaluation] table",
        ),
        (
            "expected struct RawIndicator",
            "expected an [[indicator]] table",
        ),
        ("expected struct RawTarget", "expected a [[target]] table"),
        (
            "expected struct RawSource",
            "expected { line = …, quote = \"…\" }",
        ),
        (
            "expected struct ScenarioHeader",
            "expected the [scenario] table",
        ),
        ("expected struct PlanHeader", "expected the [plan] table"),
        ("expected a sequence", "expected an array [ … ]"),
        ("expected i64", "expected an integer"),
        ("expected f64", "expected a number"),
    ] {
        out = out.replace(from, to);
    }
    out
}

/// 1-based line and column (in characters) of a byte offset into `text`.
fn line_col_in(text: &str, offset: usize) -> (usize, usize) {
    let mut start = offset.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = text[line_start..start].chars().count() + 1;
    (line, col)
}

/// Resolves `rel` against the directory of the file `from`.
pub fn relative_to(from: &Path, rel: &str) -> PathBuf {
    let p = Path::new(rel);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        from.parent().unwrap_or_else(|| Path::new("")).join(p)
    }
}
