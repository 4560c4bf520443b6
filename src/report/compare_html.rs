//! `compare.html`: one self-contained page for a set of scenarios of one plan, written by
//! `attain compare` beside compare.json.
//!
//! Why a page of its own: the comparison's point is the paired change in P(met) between scenarios,
//! which the tables in compare.md give as numbers only. The page shows, summary first, the joint
//! probabilities, the paired-change table (names and targets in words with units, not ids), the
//! comparison chart and, per indicator, one fan chart with every scenario's band and median
//! overlaid. Like `report.html` it inlines everything (charts as SVG, one `<style>`; no scripts,
//! fonts or links to fetch) and prints the generation date only here.

use super::analyses::{change_text, charts as acharts, prob_text};
use super::charts::Rendered;
use super::html::{CSS, embed_font, esc, figure, page_fonts};
use crate::analysis::compare::{Comparison, JointKind};
use crate::model::Attribute;
use crate::results::track_record::fold_parents;
use std::fmt::Write;

/// Extra styles of the comparison page.
const COMPARE_CSS: &str = r#"
td.up { color: #0072b2; } td.down { color: #d55e00; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 6px; margin-right: 5px; vertical-align: -1px; }
"#;

/// The page. `charts`: the comparison chart (stem `compare`) and the overlaid fans (stems from
/// [`acharts::compare_fan_stem`]); `generated`: the date to print.
pub fn render(c: &Comparison, charts: &[Rendered], generated: &str) -> String {
    let mut o = String::new();
    let title = format!(
        "{} — comparison of {} scenarios",
        c.plan.title,
        c.scenarios.len()
    );
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"attain {}\">\n<title>{}</title>\n<style>",
        esc(c.attain_version),
        esc(&title),
    );
    // The embedded CJK font goes here once the page is complete (as in report.html).
    let font_at = o.len();
    let _ = write!(
        o,
        "{}{}</style>\n</head>\n<body>\n",
        CSS.replace("FONTS", &page_fonts()),
        COMPARE_CSS
    );
    let _ = writeln!(o, "<h1>{}</h1>", esc(&c.plan.title));
    let mut sub = Vec::new();
    if let Some(en) = &c.plan.title_en {
        sub.push(esc(en));
    }
    sub.push(format!(
        "plan <code>{}</code>, {}→{}",
        esc(&c.plan.id),
        c.plan.base_year,
        c.plan.target_year
    ));
    let _ = writeln!(o, "<p class=\"sub\">{}</p>", sub.join(" · "));
    let order = acharts::scenario_order(c);
    let colour = |s: usize| {
        order
            .iter()
            .find(|x| x.0 == s)
            .map(|x| format!("#{:02x}{:02x}{:02x}", x.1.0, x.1.1, x.1.2))
            .unwrap_or_else(|| "#999".into())
    };
    let swatch = |s: usize| {
        format!(
            "<span class=\"swatch\" style=\"background:{}\"></span>",
            colour(s)
        )
    };
    let reference = &c.scenarios[c.reference];
    let _ = writeln!(
        o,
        "<p><b>Scenarios</b> ({} runs each, seed {}; changes are against <b>{}</b>):</p>\n<ul>",
        c.runs,
        c.seed,
        esc(&reference.name)
    );
    for &(s, _) in &order {
        let sc = &c.scenarios[s];
        let _ = writeln!(
            o,
            "<li>{}{} <span class=\"small\"><code>{}</code></span></li>",
            swatch(s),
            esc(&sc.name),
            esc(&fold_parents(std::path::Path::new(&sc.file)))
        );
    }
    let _ = writeln!(o, "</ul>");

    // Contents.
    let fans: Vec<&Rendered> = charts
        .iter()
        .filter(|r| r.stem.starts_with("compare-fan-"))
        .collect();
    let _ = writeln!(
        o,
        "<nav><b>Contents</b>: <a href=\"#summary\">Summary</a> · <a href=\"#changes\">Paired changes per target</a> · <a href=\"#chart\">Chart</a>{} · <a href=\"#method\">Method and provenance</a></nav>",
        if fans.is_empty() {
            String::new()
        } else {
            " · <a href=\"#fans\">Indicators by scenario</a>".into()
        }
    );

    // Summary: the joint events and how many targets move.
    let _ = writeln!(o, "<h2 id=\"summary\">Summary</h2>");
    let _ = writeln!(
        o,
        "<table>\n<tr><th>event</th>{}</tr>",
        order
            .iter()
            .map(|&(s, _)| format!("<th>{}{}</th>", swatch(s), esc(&c.scenarios[s].name)))
            .collect::<String>()
    );
    for j in &c.joint {
        let what = match j.kind {
            JointKind::AllBinding => "all binding targets met in the same run",
            JointKind::All => "all simulated targets met in the same run",
        };
        let cells: String = order
            .iter()
            .map(|&(s, _)| {
                let p = &j.p[s];
                let ch = match j.change.get(s).copied().flatten() {
                    Some(d) if s != c.reference && j.targets[s] > 0 => {
                        format!(
                            "<br><span class=\"small\">{}</span>",
                            esc(&change_text(&d, 1))
                        )
                    }
                    _ => String::new(),
                };
                if j.targets[s] == 0 {
                    "<td class=\"num\">no target</td>".to_string()
                } else {
                    format!(
                        "<td class=\"num\">{} <span class=\"small\">({} targets)</span>{ch}</td>",
                        esc(&prob_text(p)),
                        j.targets[s]
                    )
                }
            })
            .collect();
        let _ = writeln!(o, "<tr><td>{what}</td>{cells}</tr>");
    }
    let _ = writeln!(o, "</table>");
    for &(s, _) in order.iter().filter(|x| x.0 != c.reference) {
        let (mut up, mut down, mut flat) = (0, 0, 0);
        for t in &c.targets {
            match t.change.get(s).copied().flatten() {
                Some(d) if d.lo > 0.0 => up += 1,
                Some(d) if d.hi < 0.0 => down += 1,
                Some(_) => flat += 1,
                None => {}
            }
        }
        let _ = writeln!(
            o,
            "<p>{}<b>{}</b> against {}: {up} targets more likely, {down} less likely, {flat} not distinguishable (paired 95 % interval includes 0).</p>",
            swatch(s),
            esc(&c.scenarios[s].name),
            esc(&reference.name)
        );
    }

    // The paired-change table.
    let _ = writeln!(
        o,
        "<h2 id=\"changes\">Paired changes per target</h2>\n<p class=\"small\">P(met) with its 95 % interval per scenario; under it, the change against {} in percentage points with its paired 95 % interval ({}).</p>",
        esc(&reference.name),
        esc(c.interval_method)
    );
    let _ = writeln!(
        o,
        "<table>\n<tr><th>target</th><th>attribute</th>{}</tr>",
        order
            .iter()
            .map(|&(s, _)| format!("<th>{}{}</th>", swatch(s), esc(&c.scenarios[s].name)))
            .collect::<String>()
    );
    for t in &c.targets {
        let label = c
            .results
            .iter()
            .find_map(|r| {
                r.targets.iter().find(|x| x.id == t.id).map(|x| {
                    format!(
                        "{}<br><span class=\"small\">{} · <code>{}</code></span>",
                        esc(&super::indicator_name(&x.name, x.name_en.as_deref())),
                        esc(&super::target_label(r, x)),
                        esc(&t.id)
                    )
                })
            })
            .unwrap_or_else(|| format!("<code>{}</code>", esc(&t.id)));
        let cells: String = order
            .iter()
            .map(|&(s, _)| match t.p_met.get(s).copied().flatten() {
                None => "<td class=\"small\">not simulated</td>".to_string(),
                Some(p) => {
                    let (cls, ch) = match t.change.get(s).copied().flatten() {
                        Some(d) if s != c.reference => (
                            if d.lo > 0.0 {
                                " up"
                            } else if d.hi < 0.0 {
                                " down"
                            } else {
                                ""
                            },
                            format!("<br>{}", esc(&change_text(&d, 1))),
                        ),
                        _ => ("", String::new()),
                    };
                    format!("<td class=\"num{cls}\">{}{ch}</td>", esc(&prob_text(&p)))
                }
            })
            .collect();
        let attr = match t.attribute {
            Attribute::Binding => "<span class=\"tag binding\">binding 约束性</span>",
            Attribute::Expected => "<span class=\"tag expected\">expected 预期性</span>",
        };
        let _ = writeln!(o, "<tr><td>{label}</td><td>{attr}</td>{cells}</tr>");
    }
    let _ = writeln!(o, "</table>");
    if !c.not_simulated.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"small\">Simulated in no scenario ({}): {}.</p>",
            c.not_simulated.len(),
            c.not_simulated
                .iter()
                .map(|id| format!("<code>{}</code>", esc(id)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }

    // The chart.
    if let Some(ch) = charts.iter().find(|r| r.stem == "compare") {
        let _ = writeln!(o, "<h2 id=\"chart\">P(met) and paired changes</h2>");
        figure(
            &mut o,
            ch,
            "Dots: P(met) per scenario, pessimistic to optimistic; whiskers: 95 % interval; beside each dot: the paired change against the reference",
        );
    }

    // Fans.
    if !fans.is_empty() {
        let _ = writeln!(
            o,
            "<h2 id=\"fans\">Indicators by scenario</h2>\n<p class=\"small\">Per indicator: each scenario's median path (line) and 80 % central interval (band) from the same random draws; dashed lines are the targets on the indicator's scale; points are the base and observed values.</p>"
        );
        for f in fans {
            figure(&mut o, f, &f.title);
        }
    }

    // Method and provenance.
    let _ = writeln!(
        o,
        "<h2 id=\"method\">Method and provenance</h2>\n<p>{}. {}.</p>\n<table>\n<tr><th>attain version</th><td>{}</td></tr>\n<tr><th>runs</th><td>{} per scenario</td></tr>\n<tr><th>seed</th><td>{}</td></tr>\n<tr><th>generated</th><td>{}</td></tr>\n</table>",
        esc(c.common_random_numbers),
        esc(c.interval_method),
        esc(c.attain_version),
        c.runs,
        c.seed,
        esc(generated)
    );
    let _ = writeln!(o, "</body>\n</html>");
    embed_font(o, font_at)
}
