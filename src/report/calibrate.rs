//! Renderings of a calibration: `calibration.toml` (read back by `--calibration`), its JSON twin
//! with every scored target, and the console table.

use crate::analysis::calibrate::{Calibration, Scores};
use crate::method::PARAMS;
use std::fmt::Write;

fn f(x: f64) -> String {
    if x.is_finite() {
        let s = format!("{x:.6}");
        let s = s.trim_end_matches('0');
        if s.ends_with('.') {
            format!("{s}0")
        } else {
            s.to_string()
        }
    } else {
        "nan".into()
    }
}

fn attribute(a: crate::model::Attribute) -> &'static str {
    match a {
        crate::model::Attribute::Binding => "binding",
        crate::model::Attribute::Expected => "expected",
    }
}

fn scores_toml(out: &mut String, s: &Scores) {
    let _ = writeln!(out, "scored = {}\nmet = {}", s.scored, s.met);
    let _ = writeln!(out, "brier = {}\nlog_loss = {}", f(s.brier), f(s.log_loss));
    let _ = writeln!(
        out,
        "coin = {{ brier = {}, log_loss = {} }}",
        f(s.coin_brier),
        f(s.coin_log_loss)
    );
    let _ = writeln!(
        out,
        "all_met = {{ brier = {}, log_loss = {} }}",
        f(s.all_met_brier),
        f(s.all_met_log_loss)
    );
    let _ = writeln!(
        out,
        "plan_implied = {{ brier = {}, log_loss = {} }}",
        f(s.plan_implied_brier),
        f(s.plan_implied_log_loss)
    );
}

/// `calibration.toml`: `[method]` (what other commands read), intervals, the fit, the data used
/// and the in-sample and leave-one-plan-out scores.
pub fn toml(c: &Calibration) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Written by `attain calibrate` {} — the parameters of the steered-target-path method\n# (docs/method.md) fitted to realised outcomes by penalised maximum likelihood (log score).\n# Use it with `--calibration <this file>` or `calibration = \"<path>\"` in a scenario.\n",
        c.attain_version
    );
    let _ = writeln!(out, "[method]");
    for (p, v) in PARAMS.iter().zip(c.fit.method.to_vec()) {
        let _ = writeln!(out, "{} = {}   # {}", p.name, f(v), p.meaning);
    }
    let _ = writeln!(
        out,
        "\n# 95 % intervals: \"wald\" = Laplace approximation from the Hessian of the penalised\n# objective; \"conditional\" = likelihood-ratio range with the other parameters held at the fit."
    );
    let _ = writeln!(out, "[interval]");
    for i in &c.fit.intervals {
        let _ = writeln!(
            out,
            "{} = {{ lo = {}, hi = {}, kind = \"{}\" }}",
            i.name,
            f(i.lo),
            f(i.hi),
            i.kind
        );
    }
    let _ = writeln!(out, "\n[fit]");
    let _ = writeln!(
        out,
        "objective = \"sum over scored targets of -ln P(outcome), P = (hits + 0.5)/(runs + 1), plus the prior's penalty\""
    );
    let _ = writeln!(out, "prior = \"{}\"", c.prior);
    let _ = writeln!(out, "penalised_objective = {}", f(c.fit.objective));
    let _ = writeln!(out, "evaluations = {}", c.fit.evaluations);
    let _ = writeln!(out, "runs_per_evaluation = {}", c.runs_per_evaluation);
    let _ = writeln!(out, "score_runs = {}", c.score_runs);
    let _ = writeln!(out, "seed = {}", c.seed);
    let _ = writeln!(
        out,
        "\n# In-sample scores (all plans, parameters fitted on them): optimistic by construction."
    );
    let _ = writeln!(out, "[in_sample]");
    scores_toml(&mut out, &c.in_sample);
    for p in &c.plans {
        let _ = writeln!(out, "\n[[plan]]");
        let _ = writeln!(out, "id = \"{}\"", p.plan);
        let _ = writeln!(out, "path = {:?}", p.path);
        scores_toml(&mut out, &p.scores);
    }
    if let Some(pooled) = &c.leave_one_out_pooled {
        let _ = writeln!(
            out,
            "\n# Out of sample: each plan scored with parameters fitted on the other plans only."
        );
        let _ = writeln!(out, "[leave_one_out_pooled]");
        scores_toml(&mut out, pooled);
    }
    for l in &c.leave_one_out {
        let _ = writeln!(out, "\n[[leave_one_out]]");
        let _ = writeln!(out, "plan = \"{}\"", l.plan);
        let fitted: Vec<String> = l.fitted_on.iter().map(|p| format!("\"{p}\"")).collect();
        let _ = writeln!(out, "fitted_on = [{}]", fitted.join(", "));
        let params: Vec<String> = PARAMS
            .iter()
            .zip(l.method.to_vec())
            .map(|(p, v)| format!("{} = {}", p.name, f(v)))
            .collect();
        let _ = writeln!(out, "method = {{ {} }}", params.join(", "));
        scores_toml(&mut out, &l.scores);
    }
    if !c.leave_one_out.is_empty() {
        let _ = writeln!(
            out,
            "\n# The track record: every target's P(met) when its plan was left out of the fit."
        );
        for l in &c.leave_one_out {
            for d in &l.outcomes {
                let _ = writeln!(
                    out,
                    "[[out_of_sample]]\nplan = \"{}\"\ntarget = \"{}\"\nattribute = \"{}\"\nmet = {}\np_met = {}",
                    d.plan,
                    d.target,
                    attribute(d.attribute),
                    d.met,
                    f(d.p_met)
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "\n# The data used: every scored target, its realised outcome and its in-sample P(met)."
    );
    for d in &c.data {
        let _ = writeln!(
            out,
            "[[data]]\nplan = \"{}\"\ntarget = \"{}\"\nattribute = \"{}\"\nactual = {}\nmet = {}\np_met = {}",
            d.plan,
            d.target,
            attribute(d.attribute),
            f(d.actual),
            d.met,
            f(d.p_met)
        );
    }
    out
}

/// The console summary.
pub fn table(c: &Calibration) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Calibration of the steered-target-path method on {} plan(s), {} scored targets ({} met)",
        c.plans.len(),
        c.in_sample.scored,
        c.in_sample.met
    );
    let _ = writeln!(
        out,
        "\nparameter           value     95% interval         kind"
    );
    for i in &c.fit.intervals {
        let _ = writeln!(
            out,
            "{:<18}  {:>8.4}  [{:>8.4}, {:>8.4}]  {}",
            i.name, i.value, i.lo, i.hi, i.kind
        );
    }
    let _ = writeln!(
        out,
        "\nscores (Brier / log loss)       n   met  attain           coin             all met          plan implied"
    );
    let row = |out: &mut String, label: &str, s: &Scores| {
        let _ = writeln!(
            out,
            "{:<30} {:>3}  {:>3}  {:.3} / {:<7.3}  {:.3} / {:<7.3}  {:.3} / {:<7.3}  {:.3} / {:.3}",
            label,
            s.scored,
            s.met,
            s.brier,
            s.log_loss,
            s.coin_brier,
            s.coin_log_loss,
            s.all_met_brier,
            s.all_met_log_loss,
            s.plan_implied_brier,
            s.plan_implied_log_loss
        );
    };
    for p in &c.plans {
        row(&mut out, &format!("in sample: {}", p.plan), &p.scores);
    }
    row(&mut out, "in sample: all", &c.in_sample);
    for l in &c.leave_one_out {
        row(&mut out, &format!("out of sample: {}", l.plan), &l.scores);
    }
    if let Some(p) = &c.leave_one_out_pooled {
        row(&mut out, "out of sample: pooled", p);
    }
    if c.leave_one_out.is_empty() {
        let _ = writeln!(
            out,
            "(one plan only: no leave-one-plan-out scores; in-sample scores flatter the method)"
        );
    }
    out
}
