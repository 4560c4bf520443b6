//! Command-line spellings of the library's choices (output format, sampling design, sensitivity
//! method), so that only the binary depends on clap.

use attain::analysis::sensitivity;
use attain::engine::sampling;
use attain::report;
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
