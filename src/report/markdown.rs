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
        "Plan `{}` ({}→{}), {} runs, seed {}.\n",
        r.plan.id, r.plan.base_year, r.plan.target_year, r.runs, r.seed
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
            None => (t.status.replace('_', " "), String::new()),
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
    let _ = writeln!(
        out,
        "\nAll binding targets met together: **{}**; all simulated targets: **{}**.\n",
        pct(j.all_binding.p),
        pct(j.all.p)
    );
    let _ = writeln!(out, "{}", r.evaluation.about_rule);
    out
}
