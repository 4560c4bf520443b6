//! attain: how likely is a development plan's target to be met?
//!
//! The library is a pipeline of typed stages, each usable alone, with no import cycles between
//! them (each layer uses only the ones above it in this list):
//!
//! ```text
//! TOML text ─ scenario ─▶ Model ─ engine ─▶ Accumulator ─ results ─▶ Results ─ report ─▶ text, files
//!                                               analysis (compare, sensitivity, goal, backtest, …)
//! ```
//!
//! * [`stats`]: leaf numerics — probabilities and intervals, paired differences, proper scores.
//! * [`model`]: distributions, processes, steering, targets and their rules, as checked values.
//! * [`method`]: the parameters of the calibrated method and the calibration file.
//! * [`scenario`]: reads plan and scenario files, resolves `extends`, validates strictly.
//! * [`init`]: drafts a scenario for any plan from the method (`attain init`).
//! * [`import`]: drafts a plan file from a plan document's tables and text (`attain import`).
//! * [`engine`]: chunked, seeded, parallel Monte Carlo into mergeable accumulators.
//! * [`results`]: probabilities, intervals, quantiles, the assumptions echo and the track record.
//! * [`analysis`]: compare, sensitivity, Sobol indices, goal, backtest, nowcast, calibrate.
//! * [`shard`]: mergeable part files for runs split across machines.
//! * [`report`]: table, JSON, CSV and Markdown renderings, SVG/PNG charts, the HTML report.
//! * [`output`]: atomic writes into result directories owned by one scenario.
//!
//! The command line lives in the `attain` binary (`src/main.rs`, `src/cli/`), a thin layer over
//! these; the library does not depend on clap or indicatif.

pub mod analysis;
pub mod engine;
pub mod error;
pub mod import;
pub mod init;
pub mod method;
pub mod model;
pub mod output;
pub mod report;
pub mod results;
pub mod scenario;
pub mod shard;
pub mod source;
pub mod stats;

pub use error::{Error, Result};
