//! Statistics shared by every layer: probabilities and their intervals, paired differences, proper
//! scores and reliability, and the Cholesky factor of a correlation matrix.
//!
//! A leaf module: it depends on nothing else in attain, so the engine, the results, the analyses
//! and the reports can all use it without depending on each other.

pub mod linalg;
pub mod paired;
pub mod prob;
pub mod scores;

pub use linalg::cholesky_psd;
pub use prob::{Prob, Z975, wilson};
