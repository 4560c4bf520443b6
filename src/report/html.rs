//! `report.html`: one self-contained page a planner can open offline or mail around.
//!
//! Everything is inline: the charts as SVG, the styles in one `<style>` block, and the glyphs of
//! every Chinese character on the page as an embedded font (a subset of the CJK font attain ships,
//! cut to this page's characters: see [`font`](super::font)), so Chinese renders on a machine
//! with no CJK font; no scripts, images or links to fetch. It shows the key figures, the out-of-sample track record of the scenario's
//! calibration (or one line saying it has none), the summary table, the joint probabilities, the
//! charts, the scenario's assumptions echoed back and the provenance of the run. The generation
//! date is passed in by the caller and appears only here, never in `results.json`.

use super::charts::{Rendered, SVG_FONTS, TRACK_RECORD_STEM};
use super::font;
use super::{indicator_name, metric_text, required_text};
use crate::analysis::backtest::{Forecaster, IMPLIED_BINDING, IMPLIED_EXPECTED};
use crate::model::Attribute;
use crate::model::target::fmt_sig;
use crate::results::assumptions::bounds_text;
use crate::results::track_record::{
    REFERENCES, RecordScores, TrackRecord, reference_name, unreadable,
};
use crate::results::{Prob, Results, TargetResult};
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The current UTC date and time as `YYYY-MM-DD HH:MM UTC`, or the time given by
/// `SOURCE_DATE_EPOCH` (seconds since 1970) for reproducible reports.
pub fn generation_date() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    format_utc(secs)
}

/// Formats seconds since the Unix epoch as `YYYY-MM-DD HH:MM UTC`.
pub fn format_utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// The report's styles (`FONTS` stands for the font list); shared with `compare.html`.
pub(crate) const CSS: &str = r#"
body, figure svg text { font-family: FONTS; }
body { color: #222; max-width: 1180px; margin: 0 auto; padding: 24px; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.1em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ddd; padding-bottom: 4px; margin-top: 2em; }
.sub { color: #555; margin-top: 0; }
.key { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.key div { border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; background: #fafafa; }
.key b { display: block; font-size: 1.3em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; margin: 8px 0 16px; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 5px 7px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.binding td:first-child { border-left: 4px solid #d55e00; }
tr.expected td:first-child { border-left: 4px solid #0072b2; }
.tag { font-size: 0.8em; padding: 1px 6px; border-radius: 8px; color: #fff; white-space: nowrap; }
.tag.binding { background: #d55e00; } .tag.expected { background: #0072b2; }
.small { font-size: 0.85em; color: #555; }
figure { margin: 12px 0 24px; }
figure svg { width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.85em; color: #555; }
nav.toc { background: #fafafa; border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; margin: 16px 0; }
nav.toc ol { margin: 4px 0; padding-left: 22px; columns: 2; }
code { font-size: 0.9em; background: #f3f3f3; padding: 0 3px; }
details summary { cursor: pointer; }
"#;

fn prob(p: &Prob) -> String {
    format!(
        "{:.1}% <span class=\"small\">[{:.1}, {:.1}]</span>",
        p.p * 100.0,
        p.lo * 100.0,
        p.hi * 100.0
    )
}

fn attribute(a: Attribute) -> &'static str {
    match a {
        Attribute::Binding => "<span class=\"tag binding\">binding 约束性</span>",
        Attribute::Expected => "<span class=\"tag expected\">expected 预期性</span>",
    }
}

fn source(t: &TargetResult) -> String {
    match &t.source {
        Some(s) => format!(
            "“{}” <span class=\"small\">line {}</span>",
            esc(&s.quote),
            s.line
        ),
        None => "—".into(),
    }
}

/// The SVG element of a rendered chart (the document's prologue, if any, and its own font
/// dropped: the page embeds one font for all its charts).
pub(crate) fn inline_svg(c: &Rendered) -> std::borrow::Cow<'_, str> {
    match c.svg.find("<svg") {
        Some(i) => font::strip_svg_font(&c.svg[i..]),
        None => "".into(),
    }
}

pub(crate) fn figure(out: &mut String, c: &Rendered, caption: &str) {
    let _ = writeln!(
        out,
        "<figure id=\"{}\" role=\"img\" aria-label=\"{}\">\n{}\n<figcaption>{} · <code>{}.svg</code>, <code>{}.png</code></figcaption></figure>",
        esc(&c.stem),
        esc(&c.title),
        inline_svg(c),
        esc(caption),
        esc(&c.stem),
        esc(&c.stem)
    );
}

/// Renders the report. `charts` are the rendered charts of `r` (see
/// [`charts::render_all`](super::charts::render_all)); `generated` is the date to print.
pub fn render(r: &Results, charts: &[Rendered], generated: &str) -> String {
    let mut o = String::new();
    let title = format!("{} — {}", r.plan.title, r.scenario.name);
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"attain {}\">\n<title>{}</title>\n<style>",
        esc(r.attain_version),
        esc(&title),
    );
    // The embedded CJK font goes here once the page is complete (it holds the page's characters).
    let font_at = o.len();
    let _ = write!(
        o,
        "{}</style>\n</head>\n<body>\n",
        CSS.replace("FONTS", &page_fonts())
    );
    let _ = writeln!(o, "<h1>{}</h1>", esc(&r.plan.title));
    let mut sub = Vec::new();
    if let Some(en) = &r.plan.title_en {
        sub.push(esc(en));
    }
    if let Some(reg) = &r.plan.region {
        sub.push(esc(reg));
    }
    sub.push(format!(
        "plan <code>{}</code>, {}→{}",
        esc(&r.plan.id),
        r.plan.base_year,
        r.plan.target_year
    ));
    let _ = writeln!(o, "<p class=\"sub\">{}</p>", sub.join(" · "));
    let _ = writeln!(
        o,
        "<p><b>Scenario:</b> {}{}</p>",
        esc(&r.scenario.name),
        r.scenario
            .description
            .as_ref()
            .map(|d| format!(" — {}", esc(d)))
            .unwrap_or_default()
    );

    // Key figures.
    let simulated: Vec<&TargetResult> = r
        .targets
        .iter()
        .filter(|t| t.status.is_simulated())
        .collect();
    let j = &r.joint;
    let _ = writeln!(o, "<h2 id=\"summary\">Summary</h2>");
    let _ = writeln!(o, "<div class=\"key\">");
    let _ = writeln!(
        o,
        "<div>runs<b>{}</b></div><div>seed<b>{}</b></div><div>targets simulated<b>{} of {}</b></div>",
        r.runs,
        r.seed,
        simulated.len(),
        r.targets.len()
    );
    if j.binding_targets > 0 {
        let _ = writeln!(
            o,
            "<div>all {} binding targets met<b>{:.1}%</b></div>",
            j.binding_targets,
            j.all_binding.p * 100.0
        );
    }
    if j.simulated_targets == 0 {
        let _ = writeln!(
            o,
            "<div>joint probability<b>none</b>no target is simulated</div>\n</div>"
        );
    } else {
        let _ = writeln!(
            o,
            "<div>all {} simulated targets met<b>{:.1}%</b></div>\n</div>",
            j.simulated_targets,
            j.all.p * 100.0
        );
    }

    summary_lines(&mut o, r, &simulated);
    contents(&mut o, charts);
    // The method's out-of-sample track record follows the summary: it says how far to trust it.
    track_record(&mut o, r, charts);
    let by_stem = |s: &str| charts.iter().find(|c| c.stem == s);

    // Attainment chart.
    if let Some(c) = by_stem("attainment") {
        let _ = writeln!(
            o,
            "<h2 id=\"attainment\">Probability of meeting each target</h2>"
        );
        figure(
            &mut o,
            c,
            "Bars: P(met); whiskers: 95 % Wilson interval; sorted from most to least likely",
        );
    }

    // Summary table.
    let _ = writeln!(o, "<h2 id=\"targets\">Targets</h2>");
    if simulated.is_empty() {
        let _ = writeln!(
            o,
            "<p>No target could be simulated: give the scenario a <code>[process.&lt;indicator&gt;]</code> for the targets' indicators.</p>"
        );
    } else {
        let _ = writeln!(
            o,
            "<table>\n<tr><th>target</th><th>source wording</th><th>attribute</th><th>target</th><th>P(met) [95% CI]</th><th>median outcome</th><th>required</th></tr>"
        );
        for t in &simulated {
            let cls = if t.attribute == Attribute::Binding {
                "binding"
            } else {
                "expected"
            };
            let _ = writeln!(
                o,
                "<tr class=\"{cls}\"><td>{}<br><span class=\"small\"><code>{}</code></span></td><td>{}</td><td>{}</td><td>{}<br><span class=\"small\">{}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&indicator_name(&t.name, t.name_en.as_deref())),
                esc(&t.id),
                source(t),
                attribute(t.attribute),
                esc(&super::target_label(r, t)),
                esc(&t.rule),
                t.p_met.as_ref().map(prob).unwrap_or_default(),
                esc(&metric_text(t, t.quantiles.as_ref().and_then(|q| q.p50))),
                esc(&required_text(&t.required)),
            );
        }
        let _ = writeln!(o, "</table>");
        let _ = writeln!(
            o,
            "<p class=\"small\"><b>required</b>: the constant annual growth (or step, or level) from the last known value that just meets the target's rule. {}</p>",
            esc(&r.evaluation.about_rule)
        );
    }

    // Joint probabilities.
    let _ = writeln!(o, "<h2 id=\"joint\">Joint probabilities</h2>");
    if j.simulated_targets == 0 {
        let _ = writeln!(o, "<p>{}</p>", esc(super::NO_JOINT));
    } else {
        joint_table(&mut o, j);
    }

    // Targets not simulated.
    let others: Vec<&TargetResult> = r
        .targets
        .iter()
        .filter(|t| !t.status.is_simulated())
        .collect();
    if !others.is_empty() {
        let _ = writeln!(
            o,
            "<details><summary>{} targets not simulated (qualitative, or no process for the indicator)</summary>\n<table>\n<tr><th>target</th><th>source wording</th><th>attribute</th><th>target</th><th>why</th></tr>",
            others.len()
        );
        for t in others {
            let _ = writeln!(
                o,
                "<tr><td>{}<br><span class=\"small\"><code>{}</code></span></td><td>{}</td><td>{}</td><td>{}</td><td class=\"small\">{}</td></tr>",
                esc(&indicator_name(&t.name, t.name_en.as_deref())),
                esc(&t.id),
                source(t),
                attribute(t.attribute),
                esc(&super::target_label(r, t)),
                esc(&t.rule)
            );
        }
        let _ = writeln!(o, "</table></details>");
    }

    // On track by year.
    if let Some(c) = by_stem("ontrack") {
        let _ = writeln!(o, "<h2 id=\"on-track\">On track, year by year</h2>");
        figure(
            &mut o,
            c,
            "P(a run is on or beyond the path each target implies) in every year up to the target year; ontrack.csv has the numbers",
        );
    }

    // Fan charts.
    let fans: Vec<&Rendered> = charts
        .iter()
        .filter(|c| c.stem.starts_with("fan-"))
        .collect();
    if !fans.is_empty() {
        let _ = writeln!(
            o,
            "<h2 id=\"fans\">How the indicators may evolve</h2>\n<p class=\"small\">Median and 50/80/90 % central intervals of the simulated values per year, in the unit simulated; points are the base and observed values; dashed lines are the targets on the indicator's scale (a level, or the path a growth, change, cut or multiple target implies).</p>\n<div class=\"charts\">"
        );
        for c in fans {
            figure(&mut o, c, &c.title);
        }
        let _ = writeln!(o, "</div>");
    }
    let dists: Vec<&Rendered> = charts
        .iter()
        .filter(|c| c.stem.starts_with("dist-"))
        .collect();
    if !dists.is_empty() {
        let _ = writeln!(
            o,
            "<h2 id=\"distributions\">Distribution of each target's outcome</h2>\n<p class=\"small\">Histogram of the target's metric in its year (central 99 % of runs); green: runs that meet the target; dashed: the threshold.</p>\n<div class=\"charts\">"
        );
        for c in dists {
            figure(&mut o, c, &c.title);
        }
        let _ = writeln!(o, "</div>");
    }

    assumptions(&mut o, r);
    provenance(&mut o, r, generated);
    let _ = writeln!(o, "</body>\n</html>");
    embed_font(o, font_at)
}

/// The page's `font-family` list, for its text and its charts' (a style rule overrides the SVG
/// text's own list): the embedded CJK font first (it covers only the page's East Asian
/// characters, by `unicode-range`), then the charts' list of system fonts.
pub fn page_fonts() -> String {
    font::font_stack(SVG_FONTS)
}

/// Inserts, at byte `at` of the finished page `page` (inside its `<style>`), the `@font-face` of
/// the embedded CJK font cut to the page's East Asian characters (see [`font`]). Without such
/// characters, or if the font cannot be subset, the page is left as it is and the viewer's fonts
/// draw them.
pub fn embed_font(mut page: String, at: usize) -> String {
    let face = font::font_face(&page);
    if !face.css.is_empty() && page.is_char_boundary(at) {
        page.insert_str(at, &format!("\n{}\n", face.css));
    }
    page
}

/// The summary's sentences under the key figures: how many targets are likely met, and the least
/// likely ones by name.
fn summary_lines(o: &mut String, r: &Results, simulated: &[&TargetResult]) {
    if simulated.is_empty() {
        return;
    }
    let p = |t: &TargetResult| t.p_met.as_ref().map_or(0.0, |p| p.p);
    let likely = simulated.iter().filter(|t| p(t) >= 0.9).count();
    let even = simulated
        .iter()
        .filter(|t| (0.5..0.9).contains(&p(t)))
        .count();
    let unlikely = simulated.len() - likely - even;
    let _ = writeln!(
        o,
        "<p>Of {} simulated targets, {likely} are met in at least 90 % of runs, {even} in 50–90 %, and {unlikely} in fewer than half.</p>",
        simulated.len()
    );
    let mut low: Vec<&&TargetResult> = simulated.iter().filter(|t| p(t) < 0.5).collect();
    low.sort_by(|a, b| p(a).total_cmp(&p(b)).then(a.id.cmp(&b.id)));
    if !low.is_empty() {
        let items: Vec<String> = low
            .iter()
            .take(5)
            .map(|t| {
                format!(
                    "<li>{} · {}: <b>{:.1}%</b></li>",
                    esc(&indicator_name(&t.name, t.name_en.as_deref())),
                    esc(&super::target_label(r, t)),
                    p(t) * 100.0
                )
            })
            .collect();
        let _ = writeln!(o, "<p>Least likely:</p>\n<ul>\n{}\n</ul>", items.join("\n"));
    }
}

/// The table of contents: the sections this report has, in order.
fn contents(o: &mut String, charts: &[Rendered]) {
    let has = |prefix: &str| charts.iter().any(|c| c.stem.starts_with(prefix));
    let mut items: Vec<(&str, &str)> = vec![("track-record", "Track record of the method")];
    if has("attainment") {
        items.push(("attainment", "P(met) per target"));
    }
    items.push(("targets", "Targets"));
    items.push(("joint", "Joint probabilities"));
    if has("ontrack") {
        items.push(("on-track", "On track, year by year"));
    }
    if has("fan-") {
        items.push(("fans", "How the indicators may evolve"));
    }
    if has("dist-") {
        items.push(("distributions", "Distribution of each target's outcome"));
    }
    items.push(("assumptions", "Assumptions"));
    items.push(("provenance", "Provenance"));
    let li: String = items
        .iter()
        .map(|(id, t)| format!("<li><a href=\"#{id}\">{t}</a></li>"))
        .collect();
    let _ = writeln!(o, "<nav class=\"toc\"><b>Contents</b><ol>{li}</ol></nav>");
}

/// What the report says when the scenario names no calibration file.
pub const NO_CALIBRATION: &str =
    "No calibration: this scenario's probabilities have no out-of-sample track record.";

/// A score with three decimals, or "—".
fn score3(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.3}")
    } else {
        "—".into()
    }
}

/// Where attain does worse than a reference out of sample, in words: one clause per (plan,
/// reference), e.g. "worse than plan implied on zhanhe-13fyp (log loss 0.751 vs 0.731)".
pub fn shortfall_clauses(t: &TrackRecord) -> Vec<String> {
    let mut clauses: Vec<(Option<String>, Forecaster, Vec<String>)> = Vec::new();
    for s in t.shortfalls() {
        let what = format!(
            "{} {} vs {}",
            s.score,
            score3(s.attain),
            score3(s.reference_value)
        );
        match clauses
            .iter_mut()
            .find(|(p, f, _)| *p == s.plan && *f == s.reference)
        {
            Some(c) => c.2.push(what),
            None => clauses.push((s.plan, s.reference, vec![what])),
        }
    }
    clauses
        .into_iter()
        .map(|(plan, f, what)| {
            format!(
                "worse than {} on {} ({})",
                reference_name(f),
                plan.unwrap_or_else(|| "all plans pooled".into()),
                what.join(", ")
            )
        })
        .collect()
}

/// "Track record of this method (out of sample)": the calibration's leave-one-plan-out scores
/// beside the references, where the method does worse, and the reliability diagram.
fn track_record(o: &mut String, r: &Results, charts: &[Rendered]) {
    let _ = writeln!(
        o,
        "<h2 id=\"track-record\">Track record of this method (out of sample)</h2>"
    );
    let Some(t) = &r.track_record else {
        match unreadable(&r.warnings) {
            Some(w) => {
                let _ = writeln!(o, "<p>{}</p>", esc(w));
            }
            None => {
                let _ = writeln!(o, "<p>{}</p>", esc(NO_CALIBRATION));
            }
        }
        return;
    };
    let Some(pooled) = &t.pooled else {
        let on = match t.calibrated_on.as_slice() {
            [one] => format!(
                "{} (fitted on <code>{}</code> only, so its scores are in sample and flatter the method)",
                t.no_record_reason(),
                esc(one)
            ),
            _ => t.no_record_reason().into(),
        };
        let _ = writeln!(
            o,
            "<p>Calibration <code>{}</code>: {on}.</p>",
            esc(&t.calibration)
        );
        return;
    };
    let _ = writeln!(
        o,
        "<p>Each review plan was scored with parameters fitted on the other plans only, so these P(met) are forecasts the fit had not seen. Calibration <code>{}</code>; {} review targets, {} met. Lower Brier and log loss are better; the references: coin always 50&nbsp;%, all met always 100&nbsp;%, plan implied {}&nbsp;% for binding and {}&nbsp;% for expected targets.</p>",
        esc(&t.calibration),
        pooled.scored,
        pooled.met,
        IMPLIED_BINDING * 100.0,
        IMPLIED_EXPECTED * 100.0
    );
    let names: Vec<&str> = REFERENCES.iter().map(|&f| reference_name(f)).collect();
    let _ = writeln!(
        o,
        "<table>\n<tr><th rowspan=\"2\">left-out plan</th><th rowspan=\"2\">fitted on</th><th rowspan=\"2\">targets scored</th><th rowspan=\"2\">met</th><th colspan=\"4\">Brier</th><th colspan=\"4\">log loss</th></tr>\n<tr><th>attain</th><th>{0}</th><th>attain</th><th>{0}</th></tr>",
        names.join("</th><th>")
    );
    let row = |o: &mut String, label: String, fitted: String, s: &RecordScores| {
        let mut cells = vec![score3(s.attain.brier)];
        cells.extend(REFERENCES.iter().map(|&f| score3(s.of_forecaster(f).brier)));
        cells.push(score3(s.attain.log_loss));
        cells.extend(
            REFERENCES
                .iter()
                .map(|&f| score3(s.of_forecaster(f).log_loss)),
        );
        let _ = writeln!(
            o,
            "<tr><td>{label}</td><td>{fitted}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            s.scored,
            s.met,
            cells.join("</td><td class=\"num\">")
        );
    };
    for l in &t.left_out {
        let fitted: Vec<String> = l
            .fitted_on
            .iter()
            .map(|p| format!("<code>{}</code>", esc(p)))
            .collect();
        row(
            o,
            format!("<code>{}</code>", esc(&l.plan)),
            fitted.join(", "),
            &l.scores,
        );
    }
    row(o, "<b>all pooled</b>".into(), String::new(), pooled);
    let _ = writeln!(o, "</table>");
    let clauses = shortfall_clauses(t);
    if clauses.is_empty() {
        let _ = writeln!(
            o,
            "<p>Out of sample, the method scores no worse than every reference (coin, all met, plan implied) on every left-out plan, by Brier and by log loss.</p>"
        );
    } else {
        let items: Vec<String> = clauses
            .iter()
            .map(|c| format!("<li>{}</li>", esc(c)))
            .collect();
        let _ = writeln!(
            o,
            "<p><b>Where the method does worse than a reference</b> (out of sample):</p>\n<ul>\n{}\n</ul>",
            items.join("\n")
        );
    }
    // Rendered with the run's charts (a chart that cannot be drawn fails the run before this).
    if let Some(c) = charts.iter().find(|c| c.stem == TRACK_RECORD_STEM) {
        let d = t.decomposition.as_ref();
        let _ = writeln!(
            o,
            "<figure id=\"{}\" role=\"img\" aria-label=\"{}\">\n{}\n<figcaption>Reliability of the pooled out-of-sample P(met) in {} equal-width bins: each point sets a bin's mean predicted P(met) against the share of its targets met, whiskers are 95&nbsp;% Wilson intervals, the dashed diagonal is perfect calibration. Brier decomposition: reliability {}, resolution {}, uncertainty {}. · <code>{}.svg</code>, <code>{}.png</code></figcaption></figure>",
            esc(&c.stem),
            esc(&c.title),
            inline_svg(c),
            t.reliability.len(),
            d.map_or("—".into(), |d| score3(d.reliability)),
            d.map_or("—".into(), |d| score3(d.resolution)),
            d.map_or("—".into(), |d| score3(d.uncertainty)),
            esc(&c.stem),
            esc(&c.stem)
        );
    }
}

/// The joint probabilities of a run that simulates at least one target.
fn joint_table(o: &mut String, j: &crate::results::Joint) {
    let _ = writeln!(
        o,
        "<table>\n<tr><th>event</th><th>targets</th><th>P [95% CI]</th><th>runs meeting it</th></tr>"
    );
    if j.binding_targets > 0 {
        let _ = writeln!(
            o,
            "<tr><td>all binding targets met in the same run</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            j.binding_targets,
            prob(&j.all_binding),
            j.all_binding.hits
        );
    } else {
        let _ = writeln!(
            o,
            "<tr><td>all binding targets met in the same run</td><td class=\"num\">0</td><td colspan=\"2\">no binding target is simulated</td></tr>"
        );
    }
    let _ = writeln!(
        o,
        "<tr><td>all simulated targets met in the same run</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n</table>",
        j.simulated_targets,
        prob(&j.all),
        j.all.hits
    );
}

fn assumptions(o: &mut String, r: &Results) {
    let a = &r.assumptions;
    let _ = writeln!(o, "<h2 id=\"assumptions\">Assumptions</h2>");
    let _ = writeln!(
        o,
        "<table>\n<tr><th>indicator</th><th>model</th><th>base ({})</th><th>yearly draw</th><th>persistence</th><th>bounds / formula</th><th>steering</th></tr>",
        r.plan.base_year
    );
    for p in &a.processes {
        let ind = r.indicators.iter().find(|i| i.id == p.indicator);
        let name = ind
            .map(|i| indicator_name(&i.name, i.name_en.as_deref()))
            .unwrap_or_default();
        let unit = ind.and_then(|i| i.value_unit()).unwrap_or_default();
        let draw = match (&p.draws, &p.dist) {
            (Some(what), Some(d)) => format!("{what} ~ {}", d.text()),
            _ => "—".into(),
        };
        let extra = match (&p.bounds, &p.formula) {
            (Some([lo, hi]), _) => bounds_text(*lo, *hi)
                .map(|b| esc(&b))
                .unwrap_or_else(|| "—".into()),
            (_, Some(f)) => format!("<code>{}</code>", esc(f)),
            _ => "—".into(),
        };
        let steer = match &p.steer {
            Some(st) => format!(
                "toward <code>{}</code>: strength {}, margin {}<br><span class=\"small\">{}</span>",
                esc(&st.target),
                fmt_sig(st.strength, 3),
                fmt_sig(st.margin, 3),
                esc(&st.source)
            ),
            None => "—".into(),
        };
        let _ = writeln!(
            o,
            "<tr><td>{}<br><span class=\"small\"><code>{}</code></span></td><td>{}</td><td class=\"num\">{} <span class=\"small\">{}</span></td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&name),
            esc(&p.indicator),
            p.model,
            fmt_sig(p.base, 5),
            esc(unit),
            esc(&draw),
            p.persistence
                .map(|v| fmt_sig(v, 3))
                .unwrap_or_else(|| "—".into()),
            extra,
            steer
        );
    }
    let _ = writeln!(o, "</table>");
    if let Some(d) = &a.steering {
        let _ = writeln!(
            o,
            "<p><b>Steering defaults</b> (from {}): binding targets strength {}, margin {}; expected targets strength {}, margin {}{}. Strength: share of the gap to the target's path closed each year; margin: aim beyond the target in standard deviations of one year's draw.</p>",
            esc(&d.source),
            fmt_sig(d.binding.strength, 3),
            fmt_sig(d.binding.margin, 3),
            fmt_sig(d.expected.strength, 3),
            fmt_sig(d.expected.margin, 3),
            d.market.map_or(String::new(), |m| format!(
                "; expected targets of money-valued market aggregates strength {}, margin {}",
                fmt_sig(m.strength, 3),
                fmt_sig(m.margin, 3)
            ))
        );
    }
    if a.correlations.is_empty() {
        let _ = writeln!(o, "<p>Correlations: none (yearly draws independent).</p>");
    } else {
        let _ = writeln!(
            o,
            "<p><b>Correlations</b> (Spearman ρ of the yearly draws, Gaussian copula):</p>\n<table>\n<tr><th>between</th><th>ρ</th></tr>"
        );
        for c in &a.correlations {
            let _ = writeln!(
                o,
                "<tr><td><code>{}</code> – <code>{}</code></td><td class=\"num\">{}</td></tr>",
                esc(&c.between[0]),
                esc(&c.between[1]),
                fmt_sig(c.rho, 3)
            );
        }
        let _ = writeln!(o, "</table>");
    }
    if a.shocks.is_empty() {
        let _ = writeln!(o, "<p>Shocks: none.</p>");
    } else {
        let _ = writeln!(
            o,
            "<p><b>Shocks</b> (may strike in any year of their window; the effect is added to that year's draw):</p>\n<table>\n<tr><th>shock</th><th>probability per year</th><th>years</th><th>effects</th></tr>"
        );
        for s in &a.shocks {
            let effects: Vec<String> = s
                .effects
                .iter()
                .map(|(id, e)| {
                    let sign = if *e >= 0.0 { "+" } else { "" };
                    format!("<code>{}</code> {sign}{}", esc(id), fmt_sig(*e, 3))
                })
                .collect();
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"num\">{}</td><td>{}–{}</td><td>{}</td></tr>",
                esc(&s.name),
                fmt_sig(s.probability, 3),
                s.years[0],
                s.years[1],
                effects.join(", ")
            );
        }
        let _ = writeln!(o, "</table>");
    }
    let observed: Vec<String> = r
        .indicators
        .iter()
        .filter(|i| !i.observed.is_empty())
        .map(|i| {
            let v: Vec<String> = i
                .observed
                .iter()
                .map(|ob| format!("{}: {}", ob.year, fmt_sig(ob.value, 5)))
                .collect();
            format!("<code>{}</code> {}", esc(&i.id), esc(&v.join(", ")))
        })
        .collect();
    if observed.is_empty() {
        let _ = writeln!(
            o,
            "<p>Observed values: none after the base year (every path starts from the base value).</p>"
        );
    } else {
        let _ = writeln!(
            o,
            "<p><b>Observed values</b> (paths start after the last observed year): {}</p>",
            observed.join("; ")
        );
    }
    let supplied: Vec<String> = r
        .targets
        .iter()
        .filter(|t| t.value_source != crate::results::ValueSource::Plan || t.note.is_some())
        .map(|t| value_note(r, t))
        .collect();
    if !supplied.is_empty() {
        let _ = writeln!(
            o,
            "<p><b>Target values and notes</b>: {}</p>",
            supplied.join("; ")
        );
    }
    let _ = writeln!(
        o,
        "<p><b>Evaluation</b>: {}.</p>",
        esc(&r.evaluation.about_rule)
    );
    if !r.warnings.is_empty() {
        let _ = writeln!(
            o,
            "<details><summary>{} warnings</summary>\n<ul>",
            r.warnings.len()
        );
        for w in &r.warnings {
            let _ = writeln!(o, "<li>{}</li>", esc(w));
        }
        let _ = writeln!(o, "</ul></details>");
    }
}

/// One entry of "Target values and notes": the id, its value with unit when it has one (a
/// qualitative target has none: no "= —"), where the value came from, and the note.
fn value_note(r: &Results, t: &TargetResult) -> String {
    let mut s = format!("<code>{}</code>", esc(&t.id));
    if t.value != crate::model::TargetValue::None {
        let _ = write!(
            s,
            " = {}",
            esc(&super::target_phrase_unit(
                t,
                r.plan.target_year,
                r.value_unit(&t.indicator)
            ))
        );
    }
    if t.value_source != crate::results::ValueSource::Plan {
        s.push_str(" (value from the scenario)");
    }
    if let Some(n) = t.note.as_deref().filter(|n| !n.trim().is_empty()) {
        let _ = write!(s, ": {}", esc(n));
    }
    s
}

/// A path as the page shows it: `scenarios/../seeds/x.toml` reads `seeds/x.toml` (results.json
/// keeps the path as given).
fn display(path: &str) -> String {
    crate::results::track_record::fold_parents(std::path::Path::new(path))
}

fn provenance(o: &mut String, r: &Results, generated: &str) {
    let _ = writeln!(
        o,
        "<h2 id=\"provenance\">Provenance</h2>\n<table>\n<tr><th>attain version</th><td>{}</td></tr>\n<tr><th>scenario file</th><td><code>{}</code></td></tr>\n<tr><th>plan</th><td><code>{}</code>{}</td></tr>\n<tr><th>seed</th><td>{}</td></tr>\n<tr><th>runs</th><td>{} (chunks of {})</td></tr>\n<tr><th>generated</th><td>{}</td></tr>\n</table>",
        esc(r.attain_version),
        esc(&display(&r.scenario.file)),
        esc(&r.plan.id),
        r.plan
            .source
            .as_ref()
            .map(|s| format!(", source document <code>{}</code>", esc(s)))
            .unwrap_or_default(),
        r.seed,
        r.runs,
        r.chunk_size,
        esc(generated)
    );
    let _ = writeln!(
        o,
        "<p><b>Input files</b> (SHA-256):</p>\n<table>\n<tr><th>file</th><th>sha256</th></tr>"
    );
    for f in &r.inputs {
        let _ = writeln!(
            o,
            "<tr><td><code>{}</code></td><td><code>{}</code></td></tr>",
            esc(&display(&f.path)),
            esc(&f.sha256)
        );
    }
    let _ = writeln!(
        o,
        "</table>\n<p class=\"small\">The same inputs, seed and runs give a byte-identical <code>results.json</code> whatever the thread count or shard split; the generation date appears only in this page.</p>"
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::{render_all, test_results};

    #[test]
    fn dates_are_civil_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(format_utc(1_735_689_599), "2024-12-31 23:59 UTC");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(esc("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn report_is_self_contained_with_every_chart_inline() {
        let r = test_results();
        let charts = render_all(&r).expect("charts");
        let html = render(&r, &charts, "2025-01-01 00:00 UTC");
        assert_eq!(html.matches("<svg").count(), charts.len());
        // attainment + on-track + 2 fans + 2 distributions.
        assert_eq!(charts.len(), 6);
        assert!(!html.contains("<script"));
        assert!(!html.contains("src="));
        // Links only within the page (the table of contents).
        assert_eq!(
            html.matches("href=").count(),
            html.matches("href=\"#").count()
        );
        assert!(html.find("id=\"summary\"") < html.find("id=\"attainment\""));
        assert!(html.contains("<nav class=\"toc\">"));
        // The one URL: the embedded font, as a data URL (the charts' own fonts dropped).
        assert_eq!(html.matches("url(").count(), 1);
        assert!(!html.contains(font::SVG_STYLE_ID));
        assert!(charts.iter().any(|c| c.svg.contains(font::SVG_STYLE_ID)));
        assert_eq!(html.matches("url(data:font/otf;base64,").count(), 1);
        assert!(!html.contains("@import"));
        assert!(html.contains("年均增长7左右"), "source quote");
        assert!(html.contains("2025-01-01 00:00 UTC"));
        assert!(html.contains("normal(mean 0.065, sd 0.012)"));
        assert!(html.contains("pandemic-like disruption"));
        for f in &r.inputs {
            assert!(html.contains(&f.sha256));
        }
    }

    #[test]
    fn every_chinese_character_of_the_page_is_in_the_embedded_font() {
        use ab_glyph::Font;
        let r = test_results();
        let charts = render_all(&r).expect("charts");
        let html = render(&r, &charts, "2025-01-01 00:00 UTC");
        let b64 = html
            .split("url(data:font/otf;base64,")
            .nth(1)
            .and_then(|s| s.split(')').next())
            .expect("embedded font");
        let bytes = font::unbase64(b64);
        let sub = ab_glyph::FontRef::try_from_slice(&bytes).expect("embedded font parses");
        let page: std::collections::BTreeSet<char> =
            html.chars().filter(|&c| font::east_asian(c)).collect();
        assert!(page.len() > 20, "{} Chinese characters", page.len());
        for c in &page {
            assert_ne!(sub.glyph_id(*c).0, 0, "{c} not in the embedded font");
        }
        // Only those: glyph 0 plus one per character.
        assert_eq!(sub.glyph_count(), page.len() + 1);
    }
}
