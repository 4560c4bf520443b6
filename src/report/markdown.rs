//! A Markdown summary, for pasting into documents and issues.

use super::{metric_text, pct, required_text, value_text};
use crate::results::Results;
use std::fmt::Write;

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

pub fn render(r: &Results) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", cell(&r.scenario.name));
    let _ = writeln!(
        out,
        "Plan `{}` ({}→{}), {} runs, seed {}{}.\n",
        r.plan.id,
        r.plan.base_year,
        r.plan.target_year,
        r.runs,
        r.seed,
        super::table::as_of_text(r.as_of)
    );
    let _ = writeln!(
        out,
        "| target | indicator | attribute | target value | year | P(met) | 95 % CI | median | required |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---:|---|---:|---|");
    for t in &r.targets {
        let (p, ci) = match &t.p_met {
            Some(p) => (
                pct(p.p),
                format!("{:.1}–{:.1} %", p.lo * 100.0, p.hi * 100.0),
            ),
            None => (t.status.name().replace('_', " "), String::new()),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} {} {} | {} | {} | {} | {} | {} |",
            cell(&t.id),
            cell(&t.name),
            if t.attribute == crate::model::Attribute::Binding {
                "binding"
            } else {
                "expected"
            },
            t.metric.name(),
            t.op.map(|o| o.name()).unwrap_or(""),
            cell(&value_text(t)),
            t.year,
            p,
            ci,
            metric_text(t, t.quantiles.as_ref().and_then(|q| q.p50)),
            required_text(&t.required)
        );
    }
    let j = &r.joint;
    if j.simulated_targets == 0 {
        let _ = writeln!(out, "\n{}\n", super::NO_JOINT);
    } else {
        let binding = if j.binding_targets == 0 {
            "No binding target is simulated".to_string()
        } else {
            format!(
                "All {} binding targets met together: **{}**",
                j.binding_targets,
                pct(j.all_binding.p)
            )
        };
        let _ = writeln!(
            out,
            "\n{binding}; all {} simulated targets: **{}**.\n",
            j.simulated_targets,
            pct(j.all.p)
        );
    }
    let _ = writeln!(out, "{}", r.evaluation.about_rule);
    out
}

/// The Markdown report of `attain backtest`.
pub fn backtest(b: &crate::analysis::backtest::Backtest) -> String {
    use super::{metric_value_text, target_text};
    let mut out = String::new();
    let _ = writeln!(out, "## Backtest: {}\n", cell(&b.scenario.name));
    let _ = writeln!(
        out,
        "Plan `{}` ({}→{}), {} runs, seed {}{}. {} targets scored, {} met.\n",
        b.plan.id,
        b.plan.base_year,
        b.plan.target_year,
        b.runs,
        b.seed,
        super::table::as_of_text(b.as_of),
        b.scored,
        b.met
    );
    let _ = writeln!(out, "| forecaster | Brier | log loss |");
    let _ = writeln!(out, "|---|---:|---:|");
    for s in &b.scores {
        let _ = writeln!(
            out,
            "| {} | {:.3} | {:.3} |",
            cell(&s.description),
            s.brier,
            s.log_loss
        );
    }
    let _ = writeln!(
        out,
        "\n| target | attribute | target value | P(met) | actual | outcome | Brier | log loss |"
    );
    let _ = writeln!(out, "|---|---|---|---:|---:|---|---:|---:|");
    for t in &b.targets {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {:.3} | {:.3} |",
            cell(&t.id),
            if t.attribute == crate::model::Attribute::Binding {
                "binding"
            } else {
                "expected"
            },
            cell(&target_text(t.metric, t.op, &t.value)),
            pct(t.p_met),
            metric_value_text(t.metric, t.actual),
            if t.met { "met" } else { "missed" },
            t.brier,
            t.log_loss
        );
    }
    let _ = writeln!(out, "\n| predicted | n | met | mean P | observed |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    for bin in &b.reliability {
        let opt = |v: Option<f64>| v.map(pct).unwrap_or_else(|| "—".into());
        let _ = writeln!(
            out,
            "| {:.0}–{:.0} % | {} | {} | {} | {} |",
            bin.lo * 100.0,
            bin.hi * 100.0,
            bin.n,
            bin.met,
            opt(bin.mean_p),
            opt(bin.observed)
        );
    }
    if !b.unscored.is_empty() {
        let _ = writeln!(out, "\nNot scored:");
        for u in &b.unscored {
            let _ = writeln!(out, "- `{}`: {}", u.id, cell(&u.reason));
        }
    }
    let _ = writeln!(out, "\n{}", b.method);
    out
}

/// The Markdown report of `attain nowcast`.
pub fn nowcast(n: &crate::analysis::nowcast::Nowcast) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Nowcast: {}\n", cell(&n.scenario.name));
    let _ = writeln!(
        out,
        "Plan `{}` ({}→{}), {} runs, seed {}; P(met) by as-of year.\n",
        n.plan.id, n.plan.base_year, n.plan.target_year, n.runs, n.seed
    );
    let years: Vec<String> = n.years.iter().map(|y| format!("as of {y}")).collect();
    let _ = writeln!(out, "| target | {} | outcome |", years.join(" | "));
    let _ = writeln!(out, "|---|{}---|", "---:|".repeat(n.years.len()));
    let obs: Vec<String> = n.observations.iter().map(|k| k.to_string()).collect();
    let _ = writeln!(out, "| *observed values in use* | {} | |", obs.join(" | "));
    for t in &n.targets {
        let ps: Vec<String> = t
            .p_met
            .iter()
            .map(|p| p.map(|p| pct(p.p)).unwrap_or_else(|| "—".into()))
            .collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&t.id),
            ps.join(" | "),
            match t.met {
                Some(true) => "met",
                Some(false) => "missed",
                None => "—",
            }
        );
    }
    out
}
