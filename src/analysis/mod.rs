//! Analyses built on the simulation: each runs the engine on one or more models and returns a
//! typed result that `report` renders.
//!
//! * [`compare`]: scenarios of one plan side by side, with common random numbers and paired
//!   intervals on the changes.
//! * [`sensitivity`]: one-at-a-time tornado and rank correlations: which input moves each P(met).
//! * [`sobol`]: first-order and total Sobol indices of each target's met indicator.
//! * [`goal`]: the assumption a target needs, and the levels a scenario supports.
//! * [`backtest`]: proper scores of P(met) against realised outcomes, beside naive references.
//! * [`nowcast`]: P(met) per target as of each year of observations.
//! * [`calibrate`]: fitting the method's parameters to review plans' outcomes (the only route by
//!   which outcomes reach a parameter), with leave-one-plan-out scores.
//!
//! Analyses depend on `scenario`, `model`, `engine`, `results` and `stats`; nothing below them
//! depends on an analysis.

pub mod backtest;
pub mod calibrate;
pub mod compare;
pub mod goal;
pub mod nowcast;
pub mod sensitivity;
pub mod sobol;

/// Default runs for analyses that run the model many times (sensitivity, goal), unless the
/// scenario asks for fewer or a run count is given. Common random numbers make the differences they
/// report far more precise than this run count suggests.
pub const ANALYSIS_RUNS: u64 = 20_000;
