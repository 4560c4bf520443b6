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

    /// Builds a source from bytes already in memory.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Source> {
        let text = match std::str::from_utf8(&bytes) {
            Ok(t) => t.to_string(),
            Err(e) => {
                let upto = &bytes[..e.valid_up_to()];
                let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
                return Err(Error::Input(Box::new(InputError {
                    message: format!(
                        "{} is not UTF-8 text (invalid byte at line {line})",
                        path.display()
                    ),
                    location: Some(Location {
                        file: path.to_path_buf(),
                        line: Some(line),
                        col: None,
                        text: None,
                    }),
                    hint: Some("save the file as UTF-8 TOML text".into()),
                })));
            }
        };
        let text = text
            .strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text);
        if text.contains('\0') {
            return Err(Error::file(
                path,
                format!(
                    "{} contains NUL bytes: it looks like a binary file",
                    path.display()
                ),
                "give a TOML text file",
            ));
        }
        Ok(Source {
            path: path.to_path_buf(),
            text,
            bytes,
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let mut start = offset;
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let before = &self.text[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let col = self.text[line_start..start].chars().count() + 1;
        (line, col)
    }

    fn line_text(&self, line: usize) -> Option<String> {
        self.text
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string())
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
        let msg = e.message().trim().to_string();
        let hint = if msg.contains("unknown field") {
            format!("remove or correct the key; see the {what} format in README.md")
        } else if msg.contains("missing field") {
            format!("add the missing key; see the {what} format in README.md")
        } else if msg.contains("invalid type") {
            "give the value the type shown (quote strings, no quotes around numbers)".to_string()
        } else {
            format!("fix the TOML syntax; see the {what} format in README.md")
        };
        self.error(span, format!("invalid {what} file: {msg}"), hint)
    }
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
