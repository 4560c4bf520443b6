//! Flat CSV tables of the analyses' values, at full precision, for spreadsheets.

use crate::analysis::compare::Comparison;
use crate::analysis::goal::Goal;
use crate::analysis::sensitivity::{Sensitivity, Side};
use crate::results::Prob;
use crate::stats::paired::PairedDiff;
use std::fmt::Write;

use crate::report::csv::{field, num};

fn prob(p: Option<&Prob>) -> [String; 3] {
    [
        num(p.map(|p| p.p)),
        num(p.map(|p| p.lo)),
        num(p.map(|p| p.hi)),
    ]
}

fn diff(d: Option<&PairedDiff>) -> [String; 5] {
    [
        num(d.map(|d| d.delta)),
        num(d.map(|d| d.lo)),
        num(d.map(|d| d.hi)),
        d.map(|d| d.n10.to_string()).unwrap_or_default(),
        d.map(|d| d.n01.to_string()).unwrap_or_default(),
    ]
}

/// `compare.csv`: one row per target (and joint event) and scenario.
pub fn compare(c: &Comparison) -> String {
    let mut out = String::from(
        "target,scenario,reference,p_met,ci95_lo,ci95_hi,change,change_lo,change_hi,n10,n01,runs,seed,rule\n",
    );
    let reference = &c.scenarios[c.reference].stem;
    let mut row = |id: &str, s: usize, p: Option<&Prob>, d: Option<&PairedDiff>, rule: &str| {
        let [pp, lo, hi] = prob(p);
        let [dd, dlo, dhi, n10, n01] = diff(d);
        let _ = writeln!(
            out,
            "{},{},{},{pp},{lo},{hi},{dd},{dlo},{dhi},{n10},{n01},{},{},{}",
            field(id),
            field(&c.scenarios[s].stem),
            field(reference),
            c.runs,
            c.seed,
            field(rule)
        );
    };
    for t in &c.targets {
        for s in 0..c.scenarios.len() {
            row(
                &t.id,
                s,
                t.p_met[s].as_ref(),
                t.change[s].as_ref(),
                t.rules[s].as_deref().unwrap_or("not simulated"),
            );
        }
    }
    for j in &c.joint {
        for s in 0..c.scenarios.len() {
            row(
                &format!("joint:{}", j.kind),
                s,
                Some(&j.p[s]),
                j.change[s].as_ref(),
                "",
            );
        }
    }
    out
}

/// `sensitivity.csv`: one row per target and input parameter, in impact order.
pub fn sensitivity(s: &Sensitivity) -> String {
    let mut out = String::from(
        "target,rank,parameter,input,name,role,base,low,high,p_base,p_low,p_high,change_low,change_low_lo,change_low_hi,change_high,change_high_lo,change_high_hi,impact\n",
    );
    for t in &s.targets {
        for (rank, b) in t.bars.iter().enumerate() {
            let p = &s.parameters[b.param];
            let side = |x: &Option<Side>| {
                (
                    num(x.as_ref().map(|x| x.p_met.p)),
                    diff(x.as_ref().map(|x| &x.change)),
                )
            };
            let (pl, dl) = side(&b.low);
            let (ph, dh) = side(&b.high);
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{pl},{ph},{},{},{},{},{},{},{}",
                field(&t.id),
                rank + 1,
                field(&p.id),
                field(&p.input),
                field(&p.parameter),
                serde_json::to_value(p.role)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                num(Some(p.base)),
                num(Some(p.low)),
                num(Some(p.high)),
                num(Some(t.p_met.p)),
                dl[0],
                dl[1],
                dl[2],
                dh[0],
                dh[1],
                dh[2],
                num(Some(b.impact)),
            );
        }
    }
    out
}

/// `rank-correlations.csv`: Spearman's ρ of each input's draws with each target's metric.
pub fn rank_correlations(s: &Sensitivity) -> String {
    let mut out = String::from("target,input,spearman_rho,runs\n");
    for t in &s.targets {
        for r in &t.rank_correlations {
            let _ = writeln!(
                out,
                "{},{},{},{}",
                field(&t.id),
                field(&r.input),
                num(Some(r.rho)),
                s.rank_correlation_runs
            );
        }
    }
    out
}

/// `goal.csv`: the solved locations and the achievable levels, one row each.
pub fn goal(g: &Goal) -> String {
    let mut out = String::from(
        "target,kind,probability,input,parameter,assumed_mean,value,shift,achieved_p,achieved_lo,achieved_hi,note\n",
    );
    for t in &g.targets {
        for s in &t.solutions {
            let [p, lo, hi] = prob(s.achieved.as_ref());
            let _ = writeln!(
                out,
                "{},solve,{},{},{},{},{},{},{p},{lo},{hi},{}",
                field(&t.id),
                s.p,
                field(&t.input),
                field(&t.parameter),
                num(Some(t.assumed_mean)),
                num(s.mean),
                num(s.shift),
                field(s.note.as_deref().unwrap_or(""))
            );
        }
        for a in &t.achievable {
            let _ = writeln!(
                out,
                "{},achievable,{},,{},,{},,,,,",
                field(&t.id),
                a.confidence,
                field(t.metric.name()),
                num(a.level)
            );
        }
    }
    out
}

/// `attainment-curve.csv`: P(met) against the target level, per target.
pub fn attainment_curve(g: &Goal) -> String {
    let mut out = String::from("target,level,p_met,plan_threshold\n");
    for t in &g.targets {
        for p in &t.curve {
            let _ = writeln!(
                out,
                "{},{},{},{}",
                field(&t.id),
                num(Some(p.level)),
                num(Some(p.p_met)),
                num(Some(t.threshold))
            );
        }
    }
    out
}
