//! Reports of the analyses (compare, sensitivity, goal): scenario comparisons, sensitivity and goal analyses.
//!
//! Each analysis is a typed value ([`Comparison`], [`Sensitivity`], [`Goal`]). The human-readable
//! formats share one layout: this module turns a value into a [`Doc`] (a title, sections of rows
//! and notes) that [`table`] prints for the terminal and [`markdown`] for documents, so the two
//! never disagree. [`crate::report::json`] serialises the values whole, [`csv`] flattens them with full
//! precision, and [`charts`] draws the grouped bars, tornadoes and attainment curves.

pub mod charts;
pub mod csv;
pub mod markdown;
pub mod table;

use super::{metric_value_text, pct};
use crate::analysis::compare::Comparison;
use crate::analysis::goal::Goal;
use crate::analysis::sensitivity::Sensitivity;
use crate::results::Prob;

/// A block of aligned rows with a heading and notes.
#[derive(Debug, Clone, Default)]
pub struct Section {
    pub heading: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub notes: Vec<String>,
}

/// A report as the human-readable formats lay it out.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub title: String,
    pub intro: Vec<String>,
    pub sections: Vec<Section>,
    pub notes: Vec<String>,
}

/// A probability with its 95 % interval, e.g. `53.8% [53.5, 54.1]`.
pub fn prob_text(p: &Prob) -> String {
    format!("{} [{:.1}, {:.1}]", pct(p.p), p.lo * 100.0, p.hi * 100.0)
}

/// A change in percentage points with its interval, e.g. `+20.1 pp [+19.8, +20.4]`.
/// Runs whose outcomes agree in every run show as `0 (identical runs)`.
pub fn change_text(d: &crate::stats::paired::PairedDiff, decimals: usize) -> String {
    if d.n10 == 0 && d.n01 == 0 {
        return "0 (identical runs)".into();
    }
    format!(
        "{:+.*} pp [{:+.*}, {:+.*}]",
        decimals,
        d.delta * 100.0,
        decimals,
        d.lo * 100.0,
        decimals,
        d.hi * 100.0
    )
}

fn letter(i: usize) -> String {
    let c = (b'A' + (i % 26) as u8) as char;
    if i < 26 {
        c.to_string()
    } else {
        format!("{c}{}", i / 26)
    }
}

/// The comparison laid out: one row per target, a P(met) column per scenario and a change column
/// per scenario after the reference.
pub fn compare_doc(c: &Comparison) -> Doc {
    let r = c.reference;
    let mut intro = vec![format!(
        "{} scenarios of plan {} ({}→{}), {} runs each, seed {}; changes are against [{}] {}",
        c.scenarios.len(),
        c.plan.id,
        c.plan.base_year,
        c.plan.target_year,
        c.runs,
        c.seed,
        letter(r),
        c.scenarios[r].stem
    )];
    for (i, s) in c.scenarios.iter().enumerate() {
        intro.push(format!("[{}] {}  {}", letter(i), s.stem, s.name));
    }
    let mut header = vec!["target".to_string(), "attribute".into()];
    for (i, _) in c.scenarios.iter().enumerate() {
        header.push(format!("{} P(met) [95% CI]", letter(i)));
        if i != r {
            header.push(format!("{}−{} [paired 95% CI]", letter(i), letter(r)));
        }
    }
    let mut rows = Vec::new();
    let mut differing = Vec::new();
    for t in &c.targets {
        let mut row = vec![
            t.id.clone(),
            match t.attribute {
                crate::model::Attribute::Binding => "binding".into(),
                crate::model::Attribute::Expected => "expected".into(),
            },
        ];
        for (i, p) in t.p_met.iter().enumerate() {
            row.push(p.as_ref().map_or("not simulated".into(), prob_text));
            if i != r {
                row.push(
                    t.change[i]
                        .as_ref()
                        .map_or("—".into(), |d| change_text(d, 1)),
                );
            }
        }
        rows.push(row);
        let rules: Vec<&String> = t.rules.iter().flatten().collect();
        if rules.windows(2).any(|w| w[0] != w[1]) {
            differing.push(format!(
                "{}: {}",
                t.id,
                t.rules
                    .iter()
                    .enumerate()
                    .filter_map(|(i, x)| x.as_ref().map(|x| format!("[{}] {x}", letter(i))))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
    }
    for j in &c.joint {
        let label = if j.kind == crate::analysis::compare::JointKind::AllBinding {
            "joint: all binding"
        } else {
            "joint: all simulated"
        };
        let mut row = vec![
            label.to_string(),
            j.targets
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join("/")
                + " targets",
        ];
        // A joint event over no targets is met in every run: no information, so no number.
        for (i, p) in j.p.iter().enumerate() {
            let none = j.targets[i] == 0;
            row.push(if none {
                "no target simulated".into()
            } else {
                prob_text(p)
            });
            if i != r {
                row.push(match &j.change[i] {
                    Some(d) if !none && j.targets[r] > 0 => change_text(d, 1),
                    _ => "—".into(),
                });
            }
        }
        rows.push(row);
    }
    let mut notes = vec![
        format!(
            "Common random numbers: {}.",
            strip_prefix(c.common_random_numbers)
        ),
        format!("Interval: {}.", c.interval_method),
    ];
    if !differing.is_empty() {
        notes.push(format!(
            "Scenarios state these targets differently: {}",
            differing.join(" | ")
        ));
    }
    if !c.not_simulated.is_empty() {
        notes.push(format!(
            "{} targets are simulated in no scenario (see compare.json).",
            c.not_simulated.len()
        ));
    }
    Doc {
        title: format!(
            "Comparison — {}",
            c.plan.title_en.as_ref().unwrap_or(&c.plan.title)
        ),
        intro,
        sections: vec![Section {
            heading: String::new(),
            header,
            rows,
            notes: Vec::new(),
        }],
        notes,
    }
}

fn strip_prefix(s: &str) -> &str {
    s.strip_prefix("common random numbers: ").unwrap_or(s)
}

/// The sensitivity laid out: per target, the `top` inputs by impact and the rank correlations.
pub fn sensitivity_doc(s: &Sensitivity, top: usize) -> Doc {
    let mut sections = Vec::new();
    for t in &s.targets {
        let mut rows = Vec::new();
        let moving = t.bars.iter().filter(|b| b.impact > 0.0).count();
        for b in t.bars.iter().filter(|b| b.impact > 0.0).take(top) {
            let p = &s.parameters[b.param];
            let side = |x: &Option<crate::analysis::sensitivity::Side>| {
                x.as_ref().map_or(("skipped".into(), "—".into()), |x| {
                    (pct(x.p_met.p), change_text(&x.change, 2))
                })
            };
            let (pl, dl) = side(&b.low);
            let (ph, dh) = side(&b.high);
            rows.push(vec![
                p.id.clone(),
                format!(
                    "{} → {} → {}",
                    super::sig(p.low),
                    super::sig(p.base),
                    super::sig(p.high)
                ),
                pl,
                ph,
                dl,
                dh,
            ]);
        }
        let mut notes = Vec::new();
        let zero = t.bars.len() - moving;
        notes.push(format!(
            "{moving} of {} inputs move P(met){}; {zero} leave it exactly unchanged (they do not feed this target).",
            t.bars.len(),
            if moving > top {
                format!(" ({top} shown; all in sensitivity.csv)")
            } else {
                String::new()
            }
        ));
        let rc: Vec<String> = t
            .rank_correlations
            .iter()
            .filter(|r| r.rho.abs() >= 0.05)
            .take(top)
            .map(|r| format!("{} {:+.2}", r.input, r.rho))
            .collect();
        notes.push(format!(
            "Rank correlation of inputs' draws with the metric (Spearman, first {} runs): {}",
            s.rank_correlation_runs,
            if rc.is_empty() {
                "none with |ρ| ≥ 0.05".into()
            } else {
                rc.join(", ")
            }
        ));
        sections.push(Section {
            heading: format!("{} — {} — P(met) {}", t.id, t.rule, prob_text(&t.p_met)),
            header: [
                "input",
                "low → base → high",
                "P(low)",
                "P(high)",
                "Δ low [paired 95% CI]",
                "Δ high [paired 95% CI]",
            ]
            .map(String::from)
            .to_vec(),
            rows,
            notes,
        });
    }
    let mut notes = vec![
        format!("Swing {}: {}.", s.swing, s.swing_rule),
        format!(
            "Common random numbers: every setting ran with seed {} and {} runs, in lockstep with the scenario; changes are paired. Interval: {}.",
            s.seed, s.runs, s.interval_method
        ),
    ];
    if !s.skipped.is_empty() {
        notes.push(format!("Skipped settings: {}.", s.skipped.join("; ")));
    }
    Doc {
        title: format!(
            "Sensitivity (one at a time, swing {}) — {}",
            s.swing, s.scenario.name
        ),
        intro: vec![format!(
            "{} uncertain inputs, each moved down and up; plan {} ({}→{}), {} runs, seed {}",
            s.parameters.len(),
            s.plan.id,
            s.plan.base_year,
            s.plan.target_year,
            s.runs,
            s.seed
        )],
        sections,
        notes,
    }
}

/// The goal analysis laid out: per target, the solved locations and the achievable levels.
pub fn goal_doc(g: &Goal) -> Doc {
    let mut sections = Vec::new();
    for t in &g.targets {
        let mut rows = Vec::new();
        let growth_like = t.parameter.starts_with("rate");
        let loc = |v: f64| {
            if growth_like {
                format!("{:.2}%", v * 100.0)
            } else {
                super::sig(v)
            }
        };
        let mut notes = Vec::new();
        for s in &t.solutions {
            if let (Some(note), Some(_)) = (&s.note, s.mean) {
                notes.push(format!("P(met) ≥ {}: {note}.", pct(s.p)));
            }
            rows.push(vec![
                format!("P(met) ≥ {}", pct(s.p)),
                format!("{} mean", t.parameter),
                match (s.mean, s.shift) {
                    (Some(m), Some(d)) => format!(
                        "{} (assumed {}, {}{})",
                        loc(m),
                        loc(t.assumed_mean),
                        if d >= 0.0 { "+" } else { "−" },
                        if growth_like {
                            format!("{:.2} pp", d.abs() * 100.0)
                        } else {
                            super::sig(d.abs())
                        }
                    ),
                    _ => s.note.clone().unwrap_or_else(|| "—".into()),
                },
                s.achieved.as_ref().map_or("—".into(), prob_text),
            ]);
        }
        for a in &t.achievable {
            rows.push(vec![
                format!("{} confidence", pct(a.confidence)),
                format!(
                    "{} {}",
                    t.metric.name(),
                    if t.higher_is_met { "≥" } else { "≤" }
                ),
                a.level
                    .map_or("not reachable".into(), |l| metric_value_text(t.metric, l)),
                String::new(),
            ]);
        }
        sections.push(Section {
            heading: format!(
                "{} — {} — P(met) {} — shifting {} ({})",
                t.id,
                t.rule,
                prob_text(&t.p_met),
                t.input,
                t.parameter
            ),
            header: ["what", "quantity", "value", "P(met) there"]
                .map(String::from)
                .to_vec(),
            rows,
            notes: {
                notes.push(format!(
                    "Plan threshold {} {}: P(met) {} (the curve is in attainment-curve-{}.svg / attainment-curve.csv).",
                    t.metric.name(),
                    metric_value_text(t.metric, t.threshold),
                    pct(t.p_met.p),
                    t.id
                ));
                notes
            },
        });
    }
    Doc {
        title: format!("What it takes — {}", g.scenario.name),
        intro: vec![format!(
            "Plan {} ({}→{}), {} runs per evaluation, seed {}",
            g.plan.id, g.plan.base_year, g.plan.target_year, g.runs, g.seed
        )],
        sections,
        notes: vec![
            format!("Solver: {}.", g.shift_rule),
            "Confidence rows: the level of the target's metric reached or beaten (in the met direction) in that share of runs.".into(),
        ],
    }
}

/// The Sobol indices laid out: per target its `top` inputs with first-order and total indices and
/// their bootstrap intervals.
pub fn sobol_doc(s: &crate::analysis::sobol::SobolIndices, top: usize) -> Doc {
    let sections = s
        .targets
        .iter()
        .map(|t| Section {
            heading: format!("{}  (P(met) {})", t.target, pct(t.p_met)),
            header: ["input", "first order", "95% CI", "total", "95% CI"]
                .map(String::from)
                .to_vec(),
            rows: t
                .inputs
                .iter()
                .take(top)
                .map(|i| {
                    vec![
                        i.input.clone(),
                        format!("{:.3}", i.first_order),
                        format!("[{:.3}, {:.3}]", i.first_order_ci[0], i.first_order_ci[1]),
                        format!("{:.3}", i.total),
                        format!("[{:.3}, {:.3}]", i.total_ci[0], i.total_ci[1]),
                    ]
                })
                .collect(),
            notes: Vec::new(),
        })
        .collect();
    Doc {
        title: format!(
            "Sobol indices of each target's met indicator ({}; {} runs per design)",
            s.estimator, s.runs_per_design
        ),
        intro: Vec::new(),
        sections,
        notes: vec![
            "First order: the share of the variance of met/not met due to the input alone; total: including its interactions. NaN where a target is always or never met.".into(),
        ],
    }
}
