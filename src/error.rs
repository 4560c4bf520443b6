//! One error type for everything a user can get wrong, rendered in one place.
//!
//! Input errors (exit code 2) carry the file, the 1-based line and column, the offending line of text
//! and a hint that says how to fix it. Runtime errors (exit code 1) are failures of the machine, not of
//! the input: an output directory that cannot be written, a thread pool that cannot start.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where in which file an input error sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    /// 1-based line; `None` when the error concerns the file as a whole.
    pub line: Option<usize>,
    /// 1-based column in characters.
    pub col: Option<usize>,
    /// The text of the line, for display.
    pub text: Option<String>,
}

/// A problem with the user's input: exit code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub message: String,
    pub location: Option<Location>,
    pub hint: Option<String>,
}

/// Every error attain reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Bad input or usage (exit code 2).
    Input(Box<InputError>),
    /// A runtime failure (exit code 1).
    Runtime(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An input error that concerns a whole file (unreadable, missing).
    pub fn file(path: &Path, message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Input(Box::new(InputError {
            message: message.into(),
            location: Some(Location {
                file: path.to_path_buf(),
                line: None,
                col: None,
                text: None,
            }),
            hint: Some(hint.into()),
        }))
    }

    /// An input error with no file (command-line usage).
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Input(Box::new(InputError {
            message: message.into(),
            location: None,
            hint: Some(hint.into()),
        }))
    }

    pub fn runtime(message: impl Into<String>) -> Self {
        Error::Runtime(message.into())
    }

    /// The process exit code that this error maps to.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) => 2,
            Error::Runtime(_) => 1,
        }
    }

    /// The input error, if this is one.
    pub fn as_input(&self) -> Option<&InputError> {
        match self {
            Error::Input(e) => Some(e),
            Error::Runtime(_) => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Runtime(m) => write!(f, "error: {m}"),
            Error::Input(e) => {
                writeln!(f, "error: {}", e.message)?;
                if let Some(loc) = &e.location {
                    match (loc.line, loc.col) {
                        (Some(l), Some(c)) => writeln!(f, "  --> {}:{l}:{c}", loc.file.display())?,
                        (Some(l), None) => writeln!(f, "  --> {}:{l}", loc.file.display())?,
                        _ => writeln!(f, "  --> {}", loc.file.display())?,
                    }
                    if let (Some(l), Some(text)) = (loc.line, &loc.text) {
                        let (text, col) = window(text, loc.col);
                        let text = &text;
                        let width = l.to_string().len();
                        writeln!(f, "{:width$} |", "")?;
                        writeln!(f, "{l} | {text}")?;
                        if let Some(c) = col {
                            let pad: String = text
                                .chars()
                                .take(c.saturating_sub(1))
                                .map(|ch| if ch == '\t' { '\t' } else { ' ' })
                                .collect();
                            writeln!(f, "{:width$} | {pad}^", "")?;
                        } else {
                            writeln!(f, "{:width$} |", "")?;
                        }
                    }
                }
                if let Some(h) = &e.hint {
                    write!(f, "  = help: {h}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}

/// A number the user supplied, for an error message: as Rust prints it, except that a magnitude of
/// 10¹⁵ or more, or below 10⁻⁶, is printed in exponent form when that is shorter (`1e300`, not 301
/// digits; `2.5e-12`, not `0.0000000000025`). Messages only: output files format their numbers
/// themselves.
pub fn num(x: f64) -> String {
    let plain = format!("{x}");
    let a = x.abs();
    if x.is_finite() && x != 0.0 && !(1e-6..1e15).contains(&a) {
        let sci = format!("{x:e}");
        if sci.len() < plain.len() {
            return sci;
        }
    }
    plain
}

/// The widest source line shown in full; longer lines are cut to a window around the column.
const MAX_SHOWN: usize = 100;

/// A displayable excerpt of a line around 1-based column `col`, and the column within it.
fn window(text: &str, col: Option<usize>) -> (String, Option<usize>) {
    let n = text.chars().count();
    if n <= MAX_SHOWN {
        return (text.to_string(), col);
    }
    let c = col.unwrap_or(1).clamp(1, n);
    let start = c.saturating_sub(MAX_SHOWN / 2 + 1);
    let end = (start + MAX_SHOWN).min(n);
    let mut s = String::new();
    if start > 0 {
        s.push('…');
    }
    s.extend(text.chars().skip(start).take(end - start));
    if end < n {
        s.push('…');
    }
    let shift = if start > 0 { start - 1 } else { 0 };
    (s, col.map(|_| c - shift))
}

#[cfg(test)]
mod tests {
    use super::{num, window};

    #[test]
    fn numbers_in_messages_are_compact_at_extreme_magnitudes() {
        assert_eq!(num(1e300), "1e300");
        assert_eq!(num(-1.5e300), "-1.5e300");
        assert_eq!(num(2.5e-12), "2.5e-12");
        assert_eq!(num(1e15), "1e15");
        // Ordinary magnitudes print as they always did.
        for (x, s) in [
            (0.065, "0.065"),
            (-5.0, "-5"),
            (123456789.5, "123456789.5"),
            (0.000001, "0.000001"),
            (0.0, "0"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "inf"),
        ] {
            assert_eq!(num(x), s);
        }
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = "x".repeat(1000) + "^" + &"y".repeat(1000);
        let (s, c) = window(&line, Some(1001));
        let c = c.unwrap();
        assert!(s.chars().count() <= super::MAX_SHOWN + 2);
        assert_eq!(s.chars().nth(c - 1), Some('^'));
        let (s, c) = window("short", Some(3));
        assert_eq!((s.as_str(), c), ("short", Some(3)));
        let (s, c) = window(&line, Some(2));
        assert_eq!(s.chars().nth(c.unwrap() - 1), Some('x'));
        assert!(s.ends_with('…'));
    }
}
