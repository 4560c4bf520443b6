//! The terminal table printed by `attain run`.

use super::{metric_text, pct, required_text, value_text};
use crate::results::Results;
use std::fmt::Write;

/// Pads a cell to a display width, counting East Asian wide characters as two columns.
pub fn pad(s: &str, width: usize) -> String {
    let w = display_width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// Display width of a string in a terminal (CJK characters count two).
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            if (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Lays out rows as aligned columns.
pub fn columns(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(display_width(c));
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<String>| -> String {
        let n = cells.len();
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i + 1 == n {
                    c.clone()
                } else {
                    pad(c, widths[i])
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    let _ = writeln!(
        out,
        "{}",
        line(header.iter().map(|s| s.to_string()).collect())
    );
    let _ = writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "─".repeat(*w))
            .collect::<Vec<_>>()
            .join("  ")
    );
    for r in rows {
        let _ = writeln!(out, "{}", line(r.clone()));
    }
    out
}

/// ", as of end-2022 (later observations ignored)" for an `--as-of` run, else nothing.
pub fn as_of_text(as_of: Option<i32>) -> String {
    as_of
        .map(|y| format!(", as of end-{y} (later observations ignored)"))
        .unwrap_or_default()
}

pub fn render(r: &Results) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — plan {} ({}→{}), {} runs, seed {}{}\n",
        r.scenario.name,
        r.plan.id,
        r.plan.base_year,
        r.plan.target_year,
        r.runs,
        r.seed,
        as_of_text(r.as_of)
    );
    let mut rows = Vec::new();
    for t in r.targets.iter().filter(|t| t.status.is_simulated()) {
        let p = t.p_met.as_ref();
        rows.push(vec![
            t.id.clone(),
            if t.attribute == crate::model::Attribute::Binding {
                "binding".into()
            } else {
                "expected".into()
            },
            format!(
                "{} {} {}",
                t.metric.name(),
                t.op.map(|o| o.name()).unwrap_or(""),
                value_text(t)
            ),
            t.year.to_string(),
            p.map(|p| pct(p.p)).unwrap_or_default(),
            p.map(|p| format!("[{:.1}, {:.1}]", p.lo * 100.0, p.hi * 100.0))
                .unwrap_or_default(),
            metric_text(t, t.quantiles.as_ref().and_then(|q| q.p50)),
            required_text(&t.required),
        ]);
    }
    if rows.is_empty() {
        out.push_str("No target could be simulated: give the scenario a [process.<indicator>] for the targets' indicators.\n");
    } else {
        out.push_str(&columns(
            &[
                "target",
                "attribute",
                "target value",
                "year",
                "P(met)",
                "95% CI",
                "median",
                "required",
            ],
            &rows,
        ));
    }
    let j = &r.joint;
    if j.simulated_targets == 0 {
        let _ = writeln!(out, "\n{}", super::NO_JOINT);
    } else {
        let binding = if j.binding_targets == 0 {
            "no binding target is simulated".to_string()
        } else {
            format!(
                "all {} binding targets met together: {} [{:.1}, {:.1}]",
                j.binding_targets,
                pct(j.all_binding.p),
                j.all_binding.lo * 100.0,
                j.all_binding.hi * 100.0
            )
        };
        let _ = writeln!(
            out,
            "\nJoint: {binding};  all {} simulated targets: {} [{:.1}, {:.1}]",
            j.simulated_targets,
            pct(j.all.p),
            j.all.lo * 100.0,
            j.all.hi * 100.0
        );
    }
    let not_sim: Vec<&str> = r
        .targets
        .iter()
        .filter(|t| t.status == crate::results::TargetStatus::NotSimulated)
        .map(|t| t.id.as_str())
        .collect();
    let qual: Vec<&str> = r
        .targets
        .iter()
        .filter(|t| t.status == crate::results::TargetStatus::Qualitative)
        .map(|t| t.id.as_str())
        .collect();
    if !not_sim.is_empty() {
        let shown: Vec<&str> = not_sim.iter().take(8).copied().collect();
        let more = if not_sim.len() > shown.len() {
            format!(", … ({} in all; see targets.csv)", not_sim.len())
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "Not simulated (no process for the indicator): {}{more}",
            shown.join(", ")
        );
    }
    if !qual.is_empty() {
        let _ = writeln!(
            out,
            "Qualitative (listed, not simulated): {}",
            qual.join(", ")
        );
    }
    let _ = writeln!(out, "Rule: {}.", r.evaluation.about_rule);
    let _ = writeln!(
        out,
        "\"required\": the constant annual growth (or step, or level) from the last known value that just meets the target's rule."
    );
    if let Some(line) = track_record_line(r) {
        let _ = writeln!(out, "{line}");
    }
    out
}

/// The console's one line on the out-of-sample track record of the scenario's calibration, e.g.
/// "Track record (out of sample, cal.toml): Brier 0.184 over 74 review targets (coin 0.250, plan
/// implied 0.174)."; `None` when the run has no track record.
pub fn track_record_line(r: &Results) -> Option<String> {
    let t = r.track_record.as_ref()?;
    Some(match &t.pooled {
        Some(p) => format!(
            "Track record (out of sample, {}): Brier {} over {} review targets (coin {}, plan implied {}).",
            t.calibration,
            score_text(p.attain.brier),
            p.scored,
            score_text(p.coin.brier),
            score_text(p.plan_implied.brier)
        ),
        None => format!(
            "Track record ({}): {}.",
            t.calibration,
            t.no_record_reason()
        ),
    })
}

fn attribute_text(a: crate::model::Attribute) -> &'static str {
    match a {
        crate::model::Attribute::Binding => "binding",
        crate::model::Attribute::Expected => "expected",
    }
}

/// Three decimals, or "—" for NaN.
fn score_text(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.3}")
    } else {
        "—".into()
    }
}

/// The terminal report of `attain backtest`.
pub fn backtest(b: &crate::analysis::backtest::Backtest) -> String {
    use super::{metric_value_text, target_text};
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Backtest: {} — plan {} ({}→{}), {} runs, seed {}{}\n",
        b.scenario.name,
        b.plan.id,
        b.plan.base_year,
        b.plan.target_year,
        b.runs,
        b.seed,
        as_of_text(b.as_of)
    );
    let rows: Vec<Vec<String>> = b
        .targets
        .iter()
        .map(|t| {
            vec![
                t.id.clone(),
                attribute_text(t.attribute).into(),
                target_text(t.metric, t.op, &t.value),
                pct(t.p_met),
                metric_value_text(t.metric, t.actual),
                if t.met { "met" } else { "missed" }.into(),
                format!("{:.3}", t.brier),
                format!("{:.3}", t.log_loss),
            ]
        })
        .collect();
    out.push_str(&columns(
        &[
            "target",
            "attribute",
            "target value",
            "P(met)",
            "actual",
            "outcome",
            "Brier",
            "log loss",
        ],
        &rows,
    ));
    let _ = writeln!(
        out,
        "\n{} targets scored, {} met ({}).\n",
        b.scored,
        b.met,
        pct(b.met as f64 / b.scored.max(1) as f64)
    );
    let rows: Vec<Vec<String>> = b
        .scores
        .iter()
        .map(|s| {
            vec![
                s.description.clone(),
                score_text(s.brier),
                score_text(s.log_loss),
            ]
        })
        .collect();
    out.push_str(&columns(&["forecaster", "Brier", "log loss"], &rows));
    let _ = writeln!(
        out,
        "\nReliability of attain's P(met) ({} bins):",
        b.reliability.len()
    );
    let rows: Vec<Vec<String>> = b
        .reliability
        .iter()
        .map(|bin| {
            let opt = |v: Option<f64>| v.map(pct).unwrap_or_else(|| "—".into());
            vec![
                format!("{:.0}–{:.0}%", bin.lo * 100.0, bin.hi * 100.0),
                bin.n.to_string(),
                bin.met.to_string(),
                opt(bin.mean_p),
                opt(bin.observed),
                match (bin.observed_lo, bin.observed_hi) {
                    (Some(l), Some(h)) => format!("[{:.0}, {:.0}]", l * 100.0, h * 100.0),
                    _ => "—".into(),
                },
            ]
        })
        .collect();
    out.push_str(&columns(
        &["predicted", "n", "met", "mean P", "observed", "95% CI"],
        &rows,
    ));
    let d = &b.decomposition;
    let _ = writeln!(
        out,
        "Brier decomposition over the bins: reliability {}, resolution {}, uncertainty {}.",
        score_text(d.reliability),
        score_text(d.resolution),
        score_text(d.uncertainty)
    );
    if !b.unscored.is_empty() {
        let _ = writeln!(out, "\nNot scored ({}):", b.unscored.len());
        for u in &b.unscored {
            let _ = writeln!(out, "  {}: {}", u.id, u.reason);
        }
    }
    let _ = writeln!(out, "\n{}", b.method);
    out
}

/// The terminal report of `attain nowcast`: P(met) per target (rows) by as-of year (columns).
pub fn nowcast(n: &crate::analysis::nowcast::Nowcast) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Nowcast: {} — plan {} ({}→{}), {} runs, seed {} (the same for every as-of year)\n",
        n.scenario.name, n.plan.id, n.plan.base_year, n.plan.target_year, n.runs, n.seed
    );
    let years: Vec<String> = n.years.iter().map(|y| format!("as of {y}")).collect();
    let mut header: Vec<&str> = vec!["target", "attribute"];
    header.extend(years.iter().map(String::as_str));
    header.push("outcome");
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut obs = vec!["observed values in use".to_string(), String::new()];
    obs.extend(n.observations.iter().map(|k| k.to_string()));
    obs.push(String::new());
    rows.push(obs);
    for t in &n.targets {
        let mut row = vec![t.id.clone(), attribute_text(t.attribute).into()];
        row.extend(
            t.p_met
                .iter()
                .map(|p| p.map(|p| pct(p.p)).unwrap_or_else(|| "—".into())),
        );
        row.push(match t.met {
            Some(true) => "met".into(),
            Some(false) => "missed".into(),
            None => "—".into(),
        });
        rows.push(row);
    }
    out.push_str(&columns(&header, &rows));
    let _ = writeln!(
        out,
        "\nEach column is a run that ignores [observed] values after that year. \"outcome\": the plan's `actual`, where recorded."
    );
    out
}
