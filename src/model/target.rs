//! Target semantics of DESIGN.md: metrics, comparison operators, the `about` rule, and the met-region
//! each target resolves to.
//!
//! A target resolves to a closed interval `[lo, hi]` (either end may be infinite): a path meets the
//! target iff its metric lies in it. NaN metrics (a CAGR of a negative level) never meet a target.

use super::{Evaluation, SourceRef};

/// Which direction of an indicator is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Better {
    Higher,
    Lower,
}

impl Better {
    pub fn parse(s: &str) -> Option<Better> {
        match s {
            "higher" => Some(Better::Higher),
            "lower" => Some(Better::Lower),
            _ => None,
        }
    }
}

/// 预期性 (expected, indicative) or 约束性 (binding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Attribute {
    Expected,
    Binding,
}

/// What is computed from a path at the target year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Level,
    Cagr,
    Change,
    Sum,
    Reduction,
    Multiple,
    CagrGap,
    Ratio,
    Qualitative,
}

impl Metric {
    pub const NAMES: &'static str =
        "level, cagr, change, sum, reduction, multiple, cagr_gap, ratio, qualitative";

    pub fn parse(s: &str) -> Option<Metric> {
        Some(match s {
            "level" => Metric::Level,
            "cagr" => Metric::Cagr,
            "change" => Metric::Change,
            "sum" => Metric::Sum,
            "reduction" => Metric::Reduction,
            "multiple" => Metric::Multiple,
            "cagr_gap" => Metric::CagrGap,
            "ratio" => Metric::Ratio,
            "qualitative" => Metric::Qualitative,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Metric::Level => "level",
            Metric::Cagr => "cagr",
            Metric::Change => "change",
            Metric::Sum => "sum",
            Metric::Reduction => "reduction",
            Metric::Multiple => "multiple",
            Metric::CagrGap => "cagr_gap",
            Metric::Ratio => "ratio",
            Metric::Qualitative => "qualitative",
        }
    }

    /// Rate-like metrics are fractions and use the percentage-point tolerance.
    pub fn is_rate(self) -> bool {
        matches!(self, Metric::Cagr | Metric::Reduction | Metric::CagrGap)
    }

    /// Metrics that compare against another indicator (`relative_to`).
    pub fn needs_other(self) -> bool {
        matches!(self, Metric::CagrGap | Metric::Ratio)
    }
}

/// The comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    AtLeast,
    AtMost,
    About,
    Between,
}

impl Op {
    pub fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "at_least" => Op::AtLeast,
            "at_most" => Op::AtMost,
            "about" => Op::About,
            "between" => Op::Between,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Op::AtLeast => "at_least",
            Op::AtMost => "at_most",
            Op::About => "about",
            Op::Between => "between",
        }
    }
}

/// A target's value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum TargetValue {
    Number(f64),
    Range(f64, f64),
    /// 按省下达: to be supplied by the scenario.
    Assigned,
    /// Qualitative targets carry no value.
    #[default]
    None,
}

/// As results.json writes it: a number, `[lo, hi]`, `"assigned"`, or `null`.
impl serde::Serialize for TargetValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            TargetValue::Number(x) => s.serialize_f64(*x),
            TargetValue::Range(a, b) => [a, b].serialize(s),
            TargetValue::Assigned => s.serialize_str("assigned"),
            TargetValue::None => s.serialize_none(),
        }
    }
}

impl TargetValue {
    /// The value as the CSV files write it: its JSON form, empty for no value and the bare word
    /// `assigned`.
    pub fn csv_text(&self) -> String {
        match self {
            TargetValue::None => String::new(),
            TargetValue::Assigned => "assigned".into(),
            v => serde_json::to_string(v).unwrap_or_default(),
        }
    }
}

/// A target as transcribed (and, in a model, with scenario overrides applied).
#[derive(Debug, Clone)]
pub struct Target {
    pub id: String,
    /// Plan indicator index.
    pub indicator: usize,
    pub metric: Metric,
    pub op: Option<Op>,
    pub value: TargetValue,
    pub attribute: Attribute,
    /// The year at which the target is judged.
    pub year: i32,
    pub actual: Option<f64>,
    /// Plan indicator index of `relative_to`.
    pub relative_to: Option<usize>,
    pub direction: Option<Better>,
    pub tolerance: Option<f64>,
    pub source: Option<SourceRef>,
    pub note: Option<String>,
    /// True when the value was plan-assigned and supplied by the scenario.
    pub value_from_scenario: bool,
    /// The scenario marked its value as a stand-in (`placeholder = true`): simulated, never scored.
    pub placeholder: bool,
}

/// The met-region of a target: met iff lo ≤ metric ≤ hi.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub lo: f64,
    pub hi: f64,
}

impl Rule {
    #[inline]
    pub fn met(&self, m: f64) -> bool {
        m >= self.lo && m <= self.hi
    }
}

impl Target {
    /// Which direction is better for this target's metric.
    pub fn better(&self, indicator_better: Better) -> Better {
        if let Some(d) = self.direction {
            return d;
        }
        match (self.metric, indicator_better) {
            // A larger cut of a lower-is-better indicator is better.
            (Metric::Reduction, Better::Lower) => Better::Higher,
            (Metric::Reduction, Better::Higher) => Better::Lower,
            (_, b) => b,
        }
    }

    /// The `about` tolerance in the metric's units.
    pub fn about_tolerance(&self, eval: &Evaluation) -> f64 {
        if let Some(t) = self.tolerance {
            return t;
        }
        match self.value {
            TargetValue::Number(v) if !self.metric.is_rate() => eval.relative_tolerance * v.abs(),
            _ => eval.rate_tolerance,
        }
    }

    /// The met-region, or `None` for a target that cannot be judged numerically (qualitative or
    /// without a value).
    pub fn rule(&self, eval: &Evaluation, indicator_better: Better) -> Option<Rule> {
        let op = self.op?;
        match (op, &self.value) {
            (Op::AtLeast, TargetValue::Number(v)) => Some(Rule {
                lo: *v,
                hi: f64::INFINITY,
            }),
            (Op::AtMost, TargetValue::Number(v)) => Some(Rule {
                lo: f64::NEG_INFINITY,
                hi: *v,
            }),
            (Op::Between, TargetValue::Range(lo, hi)) => Some(Rule { lo: *lo, hi: *hi }),
            (Op::About, TargetValue::Number(v)) => {
                let tol = self.about_tolerance(eval);
                Some(match self.better(indicator_better) {
                    Better::Higher => Rule {
                        lo: v - tol,
                        hi: f64::INFINITY,
                    },
                    Better::Lower => Rule {
                        lo: f64::NEG_INFINITY,
                        hi: v + tol,
                    },
                })
            }
            _ => None,
        }
    }

    /// The rule in words, e.g. "met iff cagr ≥ 0.065 (about 0.07, tolerance 0.005)".
    pub fn describe_rule(&self, eval: &Evaluation, indicator_better: Better) -> String {
        let m = self.metric.name();
        let Some(rule) = self.rule(eval, indicator_better) else {
            return match self.metric {
                Metric::Qualitative => "qualitative: not simulated".into(),
                _ => "no numeric value: not simulated".into(),
            };
        };
        let core = if rule.lo.is_finite() && rule.hi.is_finite() {
            format!("met iff {} ≤ {m} ≤ {}", fmt_num(rule.lo), fmt_num(rule.hi))
        } else if rule.lo.is_finite() {
            format!("met iff {m} ≥ {}", fmt_num(rule.lo))
        } else {
            format!("met iff {m} ≤ {}", fmt_num(rule.hi))
        };
        match (self.op, &self.value) {
            (Some(Op::About), TargetValue::Number(v)) => format!(
                "{core} (about {}, tolerance {}, {} is better)",
                fmt_num(*v),
                fmt_num(self.about_tolerance(eval)),
                match self.better(indicator_better) {
                    Better::Higher => "higher",
                    Better::Lower => "lower",
                }
            ),
            _ => core,
        }
    }
}

/// Formats a number without float noise (at most 10 significant digits).
pub fn fmt_num(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let s = format!(
        "{:.*}",
        (9 - v.abs().log10().floor() as i32).clamp(0, 15) as usize,
        v
    );
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `v` to `digits` significant digits for reading (never fewer than the integer part needs),
/// trailing zeros dropped: `0.7803041461` → `0.78` and `2859.3` → `2859` at 3 digits. Reports and
/// echoes use it where [`fmt_num`] (which keeps what a file wrote) would print noise.
pub fn fmt_sig(v: f64, digits: i32) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if !v.is_finite() {
        return format!("{v}");
    }
    let decimals = (digits - 1 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn significant_digits_for_reading() {
        assert_eq!(fmt_sig(0.7803041461, 3), "0.78");
        assert_eq!(fmt_sig(0.065, 3), "0.065");
        assert_eq!(fmt_sig(2859.3, 3), "2859");
        assert_eq!(fmt_sig(0.03497359494, 4), "0.03497");
        assert_eq!(fmt_sig(-0.0001, 2), "-0.0001");
        assert_eq!(fmt_sig(100.0, 3), "100");
    }

    fn target(metric: Metric, op: Op, value: TargetValue) -> Target {
        Target {
            id: "t".into(),
            indicator: 0,
            metric,
            op: Some(op),
            value,
            attribute: Attribute::Expected,
            year: 2025,
            actual: None,
            relative_to: None,
            direction: None,
            tolerance: None,
            source: None,
            note: None,
            value_from_scenario: false,
            placeholder: false,
        }
    }

    #[test]
    fn about_uses_rate_tolerance_for_cagr() {
        let t = target(Metric::Cagr, Op::About, TargetValue::Number(0.07));
        let r = t.rule(&Evaluation::default(), Better::Higher).unwrap();
        assert!((r.lo - 0.065).abs() < 1e-15);
        assert!(r.met(0.0651) && !r.met(0.0649));
    }

    #[test]
    fn about_uses_relative_tolerance_for_levels() {
        let t = target(Metric::Level, Op::About, TargetValue::Number(50.0));
        let r = t.rule(&Evaluation::default(), Better::Lower).unwrap();
        assert_eq!(r.hi, 50.5);
        assert!(r.met(50.4) && !r.met(50.6) && r.met(-1e9));
    }

    #[test]
    fn reduction_of_lower_is_better_prefers_larger_cuts() {
        let t = target(Metric::Reduction, Op::About, TargetValue::Number(0.15));
        let r = t.rule(&Evaluation::default(), Better::Lower).unwrap();
        assert!((r.lo - 0.145).abs() < 1e-15 && r.hi.is_infinite());
    }

    #[test]
    fn explicit_direction_and_tolerance_win() {
        let mut t = target(Metric::Level, Op::About, TargetValue::Number(10.0));
        t.direction = Some(Better::Lower);
        t.tolerance = Some(2.0);
        let r = t.rule(&Evaluation::default(), Better::Higher).unwrap();
        assert_eq!(r.hi, 12.0);
    }

    #[test]
    fn ops_and_nan() {
        let r = target(Metric::Level, Op::Between, TargetValue::Range(3.0, 5.0))
            .rule(&Evaluation::default(), Better::Higher)
            .unwrap();
        assert!(r.met(3.0) && r.met(5.0) && !r.met(5.0001) && !r.met(f64::NAN));
        let r = target(Metric::Level, Op::AtMost, TargetValue::Number(1.8))
            .rule(&Evaluation::default(), Better::Higher)
            .unwrap();
        assert!(r.met(1.8) && !r.met(1.81));
        assert!(
            target(Metric::Level, Op::AtLeast, TargetValue::Assigned)
                .rule(&Evaluation::default(), Better::Higher)
                .is_none()
        );
    }

    #[test]
    fn numbers_format_cleanly() {
        assert_eq!(fmt_num(0.065), "0.065");
        assert_eq!(fmt_num(0.07 - 0.005), "0.065");
        assert_eq!(fmt_num(2859.3), "2859.3");
        assert_eq!(fmt_num(250000.0), "250000");
    }
}
