//! Charts of the planners' workflow: grouped bars per target (`compare.svg`), a tornado per target
//! (`tornado-<target>.svg`) and the probability-of-target-attainment curve (`pta-<target>.svg`).

use crate::compare::Comparison;
use crate::goal::GoalTarget;
use crate::sensitivity::{Sensitivity, TargetSensitivity};

/// `(file name, bytes)` of the comparison chart(s).
pub fn compare(_c: &Comparison) -> Vec<(String, Vec<u8>)> {
    Vec::new()
}

/// `(extension, bytes)` of one target's tornado chart(s).
pub fn tornado(_s: &Sensitivity, _t: &TargetSensitivity) -> Vec<(&'static str, Vec<u8>)> {
    Vec::new()
}

/// `(extension, bytes)` of one target's attainment curve chart(s).
pub fn pta(_t: &GoalTarget) -> Vec<(&'static str, Vec<u8>)> {
    Vec::new()
}
