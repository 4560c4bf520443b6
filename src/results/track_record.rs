//! The out-of-sample track record of the method behind a scenario's calibration.
//!
//! Why this exists: a scenario that names a calibration file (`calibration = "…"`, or
//! `--calibration`) takes its steering from parameters fitted to past plans, so its P(met) is only
//! as credible as the fit's record on plans it did *not* see. `attain calibrate` writes that record
//! into the calibration file (one `[[leave_one_out]]` per review plan, one `[[out_of_sample]]` row
//! per scored target); this module reads it back as typed data, so that every run's reports can
//! show it beside the run's own numbers without re-running the fit.
//!
//! The scores are recomputed from the `[[out_of_sample]]` rows with the backtest's scoring rules
//! ([`scores::mean_scores`], [`scores::plan_implied`], [`scores::reliability`],
//! [`scores::decompose`]) and checked against the file's own summary (`scored`, `met`, `brier`
//! of each `[[leave_one_out]]` and of `[leave_one_out_pooled]`), so a hand-edited or truncated
//! file is refused rather than shown. Other tables of the file are ignored. A file calibrated on
//! one plan has no `[[leave_one_out]]`: its track record is empty ([`TrackRecord::has_out_of_sample`]),
//! which reports state plainly.

use crate::model::Attribute;
use crate::stats::scores::{self, Bin, CLIP, DEFAULT_BINS, Decomposition, Forecaster};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The words that mark the warning of an unreadable track record (see [`unreadable`]).
pub const UNREADABLE: &str = "no track record shown";

/// The warning [`TrackRecord::read`] left in a result's warnings, if any.
pub fn unreadable(warnings: &[String]) -> Option<&str> {
    warnings
        .iter()
        .find(|w| w.starts_with("calibration file ") && w.contains(UNREADABLE))
        .map(String::as_str)
}

/// How far a stated Brier score may be from the one recomputed from the rows (the file rounds
/// every number to six decimals).
const BRIER_TOLERANCE: f64 = 1e-5;

/// A forecaster's mean Brier score and mean log loss (lower is better for both).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScorePair {
    pub brier: f64,
    pub log_loss: f64,
}

/// The scores of a set of out-of-sample targets: attain beside the references.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordScores {
    /// Targets scored.
    pub scored: usize,
    /// Of those, targets met.
    pub met: usize,
    /// attain's out-of-sample P(met).
    pub attain: ScorePair,
    /// Always 0.5.
    pub coin: ScorePair,
    /// Always 1.0.
    pub all_met: ScorePair,
    /// Binding targets [`scores::IMPLIED_BINDING`], expected ones [`scores::IMPLIED_EXPECTED`].
    pub plan_implied: ScorePair,
}

impl RecordScores {
    /// Scores (P(met), attribute, met) triples; `None` when there are none.
    fn of(rows: &[&Row]) -> Option<RecordScores> {
        if rows.is_empty() {
            return None;
        }
        let pair = |p: &dyn Fn(&Row) -> f64| {
            let v: Vec<(f64, bool)> = rows.iter().map(|r| (p(r), r.met)).collect();
            let (brier, log_loss) = scores::mean_scores(&v, CLIP);
            ScorePair { brier, log_loss }
        };
        Some(RecordScores {
            scored: rows.len(),
            met: rows.iter().filter(|r| r.met).count(),
            attain: pair(&|r| r.p_met),
            coin: pair(&|_| 0.5),
            all_met: pair(&|_| 1.0),
            plan_implied: pair(&|r| scores::plan_implied(r.attribute == Attribute::Binding)),
        })
    }

    /// The scores of a reference forecaster (`Coin`, `AllMet`, `PlanImplied`; attain otherwise).
    pub fn of_forecaster(&self, f: Forecaster) -> ScorePair {
        match f {
            Forecaster::Coin => self.coin,
            Forecaster::AllMet => self.all_met,
            Forecaster::PlanImplied => self.plan_implied,
            _ => self.attain,
        }
    }
}

/// One review plan scored with parameters fitted on the other plans only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeftOutPlan {
    pub plan: String,
    /// The plans the parameters were fitted on.
    pub fitted_on: Vec<String>,
    #[serde(flatten)]
    pub scores: RecordScores,
}

/// The references a track record sets attain beside, in the order reports show them.
pub const REFERENCES: [Forecaster; 3] = [
    Forecaster::Coin,
    Forecaster::AllMet,
    Forecaster::PlanImplied,
];

/// Where attain scored worse than a reference out of sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortfall {
    /// The left-out plan, or `None` for all of them pooled.
    pub plan: Option<String>,
    pub reference: Forecaster,
    /// `Brier` or `log loss`.
    pub score: &'static str,
    pub attain: f64,
    pub reference_value: f64,
}

/// The method's out-of-sample track record, read from a calibration file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackRecord {
    /// The calibration file, as the scenario or the command line gave it, with `dir/..` folded
    /// away (see [`fold_parents`]).
    pub calibration: String,
    /// The plans the scenario's parameters were fitted on (`[[plan]]`).
    pub calibrated_on: Vec<String>,
    /// Each review plan scored with parameters fitted on the others (empty: one plan only).
    pub left_out: Vec<LeftOutPlan>,
    /// Every left-out plan's targets together (`None` without out-of-sample data).
    pub pooled: Option<RecordScores>,
    /// The pooled out-of-sample P(met) in [`DEFAULT_BINS`] equal-width bins (empty without
    /// out-of-sample data).
    pub reliability: Vec<Bin>,
    /// The Murphy decomposition of the pooled Brier score over those bins.
    pub decomposition: Option<Decomposition>,
}

/// The parts of a calibration file the track record reads; everything else is ignored.
#[derive(Deserialize)]
struct File {
    #[serde(default)]
    plan: Vec<FilePlan>,
    #[serde(default)]
    leave_one_out: Vec<FileLeftOut>,
    leave_one_out_pooled: Option<Stated>,
    #[serde(default)]
    out_of_sample: Vec<FileRow>,
}

#[derive(Deserialize)]
struct FilePlan {
    id: String,
}

/// The summary a calibration file states, checked against the rows.
#[derive(Deserialize)]
struct Stated {
    scored: usize,
    met: usize,
    brier: f64,
}

#[derive(Deserialize)]
struct FileLeftOut {
    plan: String,
    #[serde(default)]
    fitted_on: Vec<String>,
    #[serde(flatten)]
    stated: Stated,
}

#[derive(Deserialize)]
struct FileRow {
    plan: String,
    target: String,
    attribute: String,
    met: bool,
    p_met: f64,
}

/// One checked `[[out_of_sample]]` row.
struct Row {
    plan: String,
    attribute: Attribute,
    met: bool,
    p_met: f64,
}

/// Checks a stated summary against the scores recomputed from the rows.
fn check(what: &str, stated: &Stated, s: &RecordScores) -> Result<(), String> {
    if stated.scored != s.scored || stated.met != s.met {
        return Err(format!(
            "{what} states {} targets scored, {} met, but its [[out_of_sample]] rows hold {} scored, {} met",
            stated.scored, stated.met, s.scored, s.met
        ));
    }
    // A NaN on either side is a mismatch too.
    let agrees = (stated.brier - s.attain.brier).abs() <= BRIER_TOLERANCE;
    if !agrees {
        return Err(format!(
            "{what} states Brier {}, but its [[out_of_sample]] rows give {:.6}",
            stated.brier, s.attain.brier
        ));
    }
    Ok(())
}

impl TrackRecord {
    /// Reads the track record of the calibration file at `path`.
    ///
    /// Errors (an unreadable file, a malformed or inconsistent record) come back as one line of
    /// text for `results.warnings`; nothing here panics.
    pub fn read(path: &Path) -> Result<TrackRecord, String> {
        let name = fold_parents(path);
        let fail = |why: String| {
            format!(
                "calibration file {name}: {UNREADABLE}: {why}; re-run `attain calibrate` to rewrite it"
            )
        };
        let src = crate::method::calibration_source(path).map_err(|e| {
            fail(
                e.as_input()
                    .map(|i| i.message.clone())
                    .unwrap_or_else(|| e.to_string()),
            )
        })?;
        let file: File = toml::from_str(&src.text).map_err(|e| {
            let (line, _) = src.line_col(e.span().map_or(0, |s| s.start));
            fail(format!("line {line}: {}", e.message().trim()))
        })?;
        Self::from_file(name.clone(), file).map_err(fail)
    }

    fn from_file(calibration: String, file: File) -> Result<TrackRecord, String> {
        let mut rows = Vec::with_capacity(file.out_of_sample.len());
        for r in file.out_of_sample {
            let attribute = match r.attribute.as_str() {
                "binding" => Attribute::Binding,
                "expected" => Attribute::Expected,
                other => {
                    return Err(format!(
                        "[[out_of_sample]] target `{}` of plan `{}` has attribute `{other}` (expected `binding` or `expected`)",
                        r.target, r.plan
                    ));
                }
            };
            if !(0.0..=1.0).contains(&r.p_met) {
                return Err(format!(
                    "[[out_of_sample]] target `{}` of plan `{}` has p_met = {}, not a probability",
                    r.target, r.plan, r.p_met
                ));
            }
            rows.push(Row {
                plan: r.plan,
                attribute,
                met: r.met,
                p_met: r.p_met,
            });
        }
        if let Some(r) = rows
            .iter()
            .find(|r| !file.leave_one_out.iter().any(|l| l.plan == r.plan))
        {
            return Err(format!(
                "[[out_of_sample]] rows of plan `{}` have no [[leave_one_out]] entry",
                r.plan
            ));
        }
        let mut left_out: Vec<LeftOutPlan> = Vec::with_capacity(file.leave_one_out.len());
        for l in file.leave_one_out {
            if left_out.iter().any(|p| p.plan == l.plan) {
                return Err(format!("plan `{}` is left out twice", l.plan));
            }
            let mine: Vec<&Row> = rows.iter().filter(|r| r.plan == l.plan).collect();
            let Some(scores) = RecordScores::of(&mine) else {
                return Err(format!(
                    "[[leave_one_out]] plan `{}` has no [[out_of_sample]] rows",
                    l.plan
                ));
            };
            check(
                &format!("[[leave_one_out]] plan `{}`", l.plan),
                &l.stated,
                &scores,
            )?;
            left_out.push(LeftOutPlan {
                plan: l.plan,
                fitted_on: l.fitted_on,
                scores,
            });
        }
        let all: Vec<&Row> = rows.iter().collect();
        let pooled = RecordScores::of(&all);
        if let (Some(stated), Some(s)) = (&file.leave_one_out_pooled, &pooled) {
            check("[leave_one_out_pooled]", stated, s)?;
        }
        let pairs: Vec<(f64, bool)> = rows.iter().map(|r| (r.p_met, r.met)).collect();
        let reliability = if pairs.is_empty() {
            Vec::new()
        } else {
            scores::reliability(&pairs, DEFAULT_BINS)
        };
        let decomposition = (!reliability.is_empty()).then(|| scores::decompose(&reliability));
        Ok(TrackRecord {
            calibration,
            calibrated_on: file.plan.into_iter().map(|p| p.id).collect(),
            left_out,
            pooled,
            reliability,
            decomposition,
        })
    }

    /// True when the calibration left plans out, so there is an out-of-sample record to show.
    pub fn has_out_of_sample(&self) -> bool {
        self.pooled.is_some()
    }

    /// Why there is no out-of-sample record, in words: "calibrated on one plan: no out-of-sample
    /// record" (or, for a file that fitted several plans but left none out, saying so).
    pub fn no_record_reason(&self) -> &'static str {
        if self.calibrated_on.len() == 1 {
            "calibrated on one plan: no out-of-sample record"
        } else {
            "no plan was left out of the fit: no out-of-sample record"
        }
    }

    /// Every (plan or pooled, reference, score) where attain scored worse than the reference:
    /// left-out plans in file order, then pooled.
    pub fn shortfalls(&self) -> Vec<Shortfall> {
        let scopes = self
            .left_out
            .iter()
            .map(|l| (Some(l.plan.clone()), &l.scores))
            .chain(self.pooled.iter().map(|s| (None, s)));
        let mut out = Vec::new();
        for (plan, s) in scopes {
            for f in REFERENCES {
                let r = s.of_forecaster(f);
                for (score, a, b) in [
                    ("Brier", s.attain.brier, r.brier),
                    ("log loss", s.attain.log_loss, r.log_loss),
                ] {
                    if a > b {
                        out.push(Shortfall {
                            plan: plan.clone(),
                            reference: f,
                            score,
                            attain: a,
                            reference_value: b,
                        });
                    }
                }
            }
        }
        out
    }
}

/// A path for display, with every `dir/..` folded away and `.` dropped, lexically: a calibration
/// named relative to a scenario in `seeds/` reads `scenarios/cal.toml`, not
/// `seeds/../scenarios/cal.toml`. Leading `..` are kept. (Only for display: the file is read by the
/// path as given, which symbolic links could make differ.)
pub fn fold_parents(path: &Path) -> String {
    use std::path::Component;
    let mut parts: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match parts.last() {
                Some(Component::Normal(_)) => {
                    parts.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => parts.push(c),
            },
            _ => parts.push(c),
        }
    }
    if parts.is_empty() {
        return ".".into();
    }
    parts
        .iter()
        .collect::<std::path::PathBuf>()
        .display()
        .to_string()
}

/// A reference forecaster in words: "coin", "all met", "plan implied".
pub fn reference_name(f: Forecaster) -> &'static str {
    match f {
        Forecaster::Coin => "coin",
        Forecaster::AllMet => "all met",
        Forecaster::PlanImplied => "plan implied",
        Forecaster::BaseRate => "base rate",
        Forecaster::Attain => "attain",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = r#"
[method]
spread = 1.0
[[plan]]
id = "a"
path = "a.toml"
scored = 2
[[plan]]
id = "b"
path = "b.toml"
[leave_one_out_pooled]
scored = 3
met = 2
brier = 0.1217
log_loss = 9.9
[[leave_one_out]]
plan = "a"
fitted_on = ["b"]
scored = 2
met = 1
brier = 0.0625
log_loss = 0.0
coin = { brier = 0.25, log_loss = 0.693147 }
[[leave_one_out]]
plan = "b"
fitted_on = ["a"]
scored = 1
met = 1
brier = 0.2401
[[out_of_sample]]
plan = "a"
target = "x"
attribute = "binding"
met = true
p_met = 0.75
[[out_of_sample]]
plan = "a"
target = "y"
attribute = "expected"
met = false
p_met = 0.25
[[out_of_sample]]
plan = "b"
target = "z"
attribute = "expected"
met = true
p_met = 0.51
[[data]]
plan = "a"
"#;

    fn parse(text: &str) -> Result<TrackRecord, String> {
        TrackRecord::from_file(
            "c.toml".into(),
            toml::from_str(text).map_err(|e| e.to_string())?,
        )
    }

    #[test]
    fn scores_come_from_the_rows_with_the_backtest_rules() {
        let t = parse(TWO).expect("reads");
        assert_eq!(t.calibrated_on, ["a", "b"]);
        assert_eq!(t.left_out.len(), 2);
        let a = &t.left_out[0].scores;
        assert_eq!((a.scored, a.met), (2, 1));
        assert!((a.attain.brier - 0.0625).abs() < 1e-15);
        assert!((a.attain.log_loss - -(0.75f64).ln()).abs() < 1e-15);
        assert_eq!(a.coin.brier, 0.25);
        // Plan implied: binding 1.0 met, expected 0.8 missed.
        assert!((a.plan_implied.brier - (0.0 + 0.64) / 2.0).abs() < 1e-15);
        let p = t.pooled.as_ref().expect("pooled");
        assert_eq!((p.scored, p.met), (3, 2));
        assert_eq!(t.reliability.len(), DEFAULT_BINS);
        assert_eq!(
            t.reliability.iter().map(|b| b.n).collect::<Vec<_>>(),
            [0, 1, 1, 1, 0]
        );
        assert!(t.decomposition.is_some());
    }

    #[test]
    fn inconsistent_summaries_are_refused() {
        let bad = TWO.replace("brier = 0.0625", "brier = 0.2");
        let e = parse(&bad).expect_err("refused");
        assert!(e.contains("plan `a`") && e.contains("0.0625"), "{e}");
        let bad = TWO.replace("plan = \"b\"\ntarget", "plan = \"c\"\ntarget");
        assert!(parse(&bad).expect_err("refused").contains("plan `c`"));
        let bad = TWO.replace("p_met = 0.51", "p_met = 1.5");
        assert!(
            parse(&bad)
                .expect_err("refused")
                .contains("not a probability")
        );
    }

    #[test]
    fn one_plan_has_no_out_of_sample_record() {
        let t = parse("[method]\n[[plan]]\nid = \"a\"\n").expect("reads");
        assert!(!t.has_out_of_sample());
        assert!(t.left_out.is_empty() && t.reliability.is_empty() && t.shortfalls().is_empty());
        assert_eq!(t.decomposition, None);
    }

    #[test]
    fn shortfalls_name_plan_reference_and_score() {
        let t = parse(TWO).expect("reads");
        let s = t.shortfalls();
        // Plan b: attain 0.51 on a met target; plan implied (0.8) and all met (1.0) do better.
        assert!(s.iter().any(|x| x.plan.as_deref() == Some("b")
            && x.reference == Forecaster::AllMet
            && x.score == "Brier"));
        assert!(!s.iter().any(|x| x.plan.as_deref() == Some("b")
            && x.reference == Forecaster::Coin
            && x.score == "Brier"));
        for x in &s {
            assert!(x.attain > x.reference_value);
        }
    }

    #[test]
    fn paths_fold_parent_directories_for_display() {
        let f = |p: &str| fold_parents(Path::new(p));
        assert_eq!(f("seeds/../scenarios/c.toml"), "scenarios/c.toml");
        assert_eq!(f("./a/b/../../c.toml"), "c.toml");
        assert_eq!(f("../x/./c.toml"), "../x/c.toml");
        assert_eq!(f("a/../../c.toml"), "../c.toml");
        assert_eq!(f("/../c.toml"), "/c.toml");
        assert_eq!(
            f("scenarios/calibration/both/calibration.toml"),
            "scenarios/calibration/both/calibration.toml"
        );
    }

    #[test]
    fn missing_file_is_an_error_line_not_a_panic() {
        let e = TrackRecord::read(Path::new("/nonexistent/calibration.toml")).expect_err("missing");
        assert!(
            e.starts_with("calibration file /nonexistent/calibration.toml: no track record shown")
        );
        assert!(!e.contains('\n'));
    }
}
