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
        let range = format!("give between 1 and {MAX_RUNS} runs");
        match parse_whole::<u64>(
            flag,
            s,
            &format!("give the number of runs, between 1 and {MAX_RUNS}"),
            &range,
        )? {
            r if (1..=MAX_RUNS).contains(&r) => Ok(r),
            _ => Err(Error::usage(format!("{flag} {s} is out of range"), range)),
        }
    }
}

/// `s` as a whole number of type `T` (digits, an optional sign), or the usage error of `flag`:
/// `not_whole` as the hint when it is not one, `range` when it is negative or too large for `T`.
fn parse_whole<T: std::str::FromStr>(
    flag: &str,
    s: &str,
    not_whole: &str,
    range: &str,
) -> Result<T, Error> {
    let t = s.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::usage(
            format!("{flag} {s} is not a whole number"),
            not_whole,
        ));
    }
    if t.starts_with('-') && digits.chars().any(|c| c != '0') {
        return Err(Error::usage(format!("{flag} {s} is out of range"), range));
    }
    t.trim_start_matches('-')
        .parse::<T>()
        .map_err(|_| Error::usage(format!("{flag} {s} is out of range"), range))
}

/// The value parser of a whole-number option other than a run count (`--threads`, `--seed`,
/// `--repeat`, `--top`, `--bins`, `--max-evaluations`): digits only. Negative numbers reach it
/// (`allow_negative_numbers`) so that `--threads -1` and `--threads x` are refused in attain's own
/// words with `hint` (what the option is and which values it takes), as `--runs -1` is; the range
/// of the value is checked where it is used.
pub fn whole<T: std::str::FromStr>(
    flag: &'static str,
    hint: impl Into<String>,
) -> impl Fn(&str) -> Result<T, Error> + Clone + Send + Sync {
    let hint: String = hint.into();
    move |s: &str| parse_whole(flag, s, &hint, &hint)
}

/// The value parser of a year option (`--as-of`, `--from`, `--to`, `--base-year`,
/// `--target-year`): a calendar year in [`YEARS`](attain::scenario::plan::YEARS), the years a plan
/// may have; whether it fits the plan is checked where it is used.
pub fn year(flag: &'static str) -> impl Fn(&str) -> Result<i32, Error> + Clone + Send + Sync {
    move |s: &str| {
        let years = attain::scenario::plan::YEARS;
        match s.trim().parse::<i64>() {
            Ok(y) if years.contains(&y) => Ok(y as i32),
            Ok(_) => Err(Error::usage(
                format!("{flag} {s} is out of range"),
                format!(
                    "give a calendar year from {} to {}, such as 2023",
                    years.start(),
                    years.end()
                ),
            )),
            Err(_) => Err(Error::usage(
                format!("{flag} {s} is not a year"),
                "give a calendar year such as 2023",
            )),
        }
    }
}

/// The value parser of a real-number option (`--precision`, `--swing`): any number, negative
/// included, so that the option's own range check refuses `-1` in attain's words; text that is
/// not a number is refused here with `hint`.
pub fn number(
    flag: &'static str,
    hint: &'static str,
) -> impl Fn(&str) -> Result<f64, Error> + Clone + Send + Sync {
    move |s: &str| {
        s.trim()
            .parse::<f64>()
            .map_err(|_| Error::usage(format!("{flag} {s} is not a number"), hint))
    }
}

/// The value parser of a probability option (`--p`, `--confidence`; each of a comma-separated
/// list): a number strictly between 0 and 1.
pub fn probability(
    flag: &'static str,
    hint: &'static str,
) -> impl Fn(&str) -> Result<f64, Error> + Clone + Send + Sync {
    move |s: &str| match s.trim().parse::<f64>() {
        Ok(p) if p > 0.0 && p < 1.0 => Ok(p),
        Ok(_) => Err(Error::usage(
            format!("{flag} {s} is not a probability in (0, 1)"),
            hint,
        )),
        Err(_) => Err(Error::usage(format!("{flag} {s} is not a number"), hint)),
    }
}

/// The hint of a `--threads` that is not a whole number.
pub const THREADS_HINT: &str = "give the number of worker threads, from 1 to 1024, or omit --threads \
     to use all cores (results do not depend on the thread count)";

/// The hint of a `--seed` that is not a whole number.
pub const SEED_HINT: &str =
    "give a whole number from 0 to 18446744073709551615 (the same seed gives the same results)";

/// The hint of a `--precision` that is not a number.
pub const PRECISION_HINT: &str = "give the 95 % half-width wanted for every P(met), between 0 and \
     0.5 (e.g. 0.005 for ±0.5 points)";

/// The hint of a `--swing` that is not a number.
pub const SWING_HINT: &str =
    "give a swing in (0, 1], e.g. 0.25 for a quarter of each input's spread";

/// The hint of a `--top` that is not a whole number.
pub const TOP_HINT: &str = "give at least 1: the number of inputs shown per target in the table \
     (all are in the CSV and JSON), e.g. --top 8";
