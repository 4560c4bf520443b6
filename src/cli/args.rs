//! Command-line spellings of the library's choices (output format, sampling design, sensitivity
//! method), so that only the binary depends on clap.

use attain::analysis::sensitivity;
use attain::engine::sampling;
use attain::error::Error;
use attain::report;
use attain::scenario::MAX_RUNS;
use clap::ValueEnum;

/// What to print on standard output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Md,
}

impl From<Format> for report::Format {
    fn from(f: Format) -> report::Format {
        match f {
            Format::Table => report::Format::Table,
            Format::Json => report::Format::Json,
            Format::Csv => report::Format::Csv,
            Format::Md => report::Format::Md,
        }
    }
}

/// The sampling design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Sampling {
    Mc,
    Lhs,
    Sobol,
}

impl From<Sampling> for sampling::Sampling {
    fn from(s: Sampling) -> sampling::Sampling {
        match s {
            Sampling::Mc => sampling::Sampling::Mc,
            Sampling::Lhs => sampling::Sampling::Lhs,
            Sampling::Sobol => sampling::Sampling::Sobol,
        }
    }
}

/// Sensitivity methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SensitivityMethod {
    /// One at a time: each input moved down and up by the swing.
    Oat,
    /// First-order and total Sobol indices.
    Sobol,
}

impl From<SensitivityMethod> for sensitivity::Method {
    fn from(m: SensitivityMethod) -> sensitivity::Method {
        match m {
            SensitivityMethod::Oat => sensitivity::Method::Oat,
            SensitivityMethod::Sobol => sensitivity::Method::Sobol,
        }
    }
}

/// The value parser of a run-count option (`--runs`, `--max-runs`, `--score-runs`): a whole number
/// from 1 to [`MAX_RUNS`]. Negative numbers reach it (`allow_negative_numbers`) so that `--runs -1`
/// is refused in attain's own words, with a `help:` line, as `--runs 0` is; `main` prints the
/// [`Error`] it returns as it prints every other input error.
pub fn runs(flag: &'static str) -> impl Fn(&str) -> Result<u64, Error> + Clone + Send + Sync {
    move |s: &str| {
        let t = s.trim();
        let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(Error::usage(
                format!("{flag} {s} is not a whole number"),
                format!("give the number of runs, between 1 and {MAX_RUNS}"),
            ));
        }
        match t.parse::<u64>() {
            Ok(r) if (1..=MAX_RUNS).contains(&r) => Ok(r),
            _ => Err(Error::usage(
                format!("{flag} {s} is out of range"),
                format!("give between 1 and {MAX_RUNS} runs"),
            )),
        }
    }
}
