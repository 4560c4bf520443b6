//! attain: how likely is a development plan's target to be met?
//!
//! The library is a pipeline of typed stages, each usable alone:
//!
//! ```text
//! TOML text ─ scenario ─▶ Model ─ engine ─▶ Accumulator ─ results ─▶ Results ─ report ─▶ text, files
//! ```
//!
//! * [`scenario`]: reads plan and scenario files, resolves `extends`, validates strictly.
//! * [`model`]: distributions, processes, targets and their rules, as checked values.
//! * [`engine`]: chunked, seeded, parallel Monte Carlo into mergeable accumulators.
//! * [`results`]: probabilities, intervals, quantiles and required growth, from accumulators.
//! * [`backtest`]: Brier and log scores of P(met) against realised values, with references.
//! * [`nowcast`]: P(met) per target against the as-of year of the observations.
//! * [`report`]: table, JSON, CSV and Markdown renderings of results, SVG/PNG charts, the HTML report.
//! * [`assumptions`]: a serialisable echo of the model's assumptions, for reports.
//! * [`cli`]: the `attain` command line, a thin layer over the above.
//!
//! The planners' workflow builds on these stages: [`compare`] (scenarios side by side with common
//! random numbers and paired intervals from [`paired`]), [`sensitivity`] (which input moves each
//! P(met) most) and [`goal`] (the assumption a target needs, and the level a scenario supports).

pub mod assumptions;
pub mod backtest;
pub mod calibrate;
pub mod cli;
pub mod compare;
pub mod engine;
pub mod error;
pub mod goal;
pub mod gsa;
pub mod init;
pub mod method;
pub mod model;
pub mod nowcast;
pub mod output;
pub mod report;
pub mod results;
pub mod scenario;
pub mod sensitivity;
pub mod shard;
pub mod source;
pub mod stats;

pub use error::{Error, Result};
