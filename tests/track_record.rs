//! The method's out-of-sample track record in a run's results: read from the scenario's
//! calibration file (`[[leave_one_out]]`, `[[out_of_sample]]`), scored by hand here, and shown in
//! results.json, report.html (section and reliability diagram) and the console's last line; a
//! scenario without calibration says it has none, a one-plan calibration says it has no
//! out-of-sample record, and an unreadable record is a warning, never a panic.

mod common;
use attain::results::Results;
use common::{Case, attain, plan, run_model};

const PLAN: &str = r#"
[[indicator]]
id = "gdp"
name = "GDP"
base = 100.0
better = "higher"

[[target]]
id = "gdp_growth"
indicator = "gdp"
metric = "cagr"
op = "at_least"
value = 0.05
attribute = "binding"
"#;

const PROCESS: &str = r#"
[process.gdp]
model = "growth"
rate = { dist = "normal", mean = 0.05, sd = 0.01 }
"#;

const METHOD: &str = r#"
[method]
strength_binding = 0.98
strength_expected = 0.99
strength_market = 0.3
margin_binding = 2.1
margin_expected = 0.8
realism = 0.9
spread = 1.9

[interval]
spread = { lo = 0.7, hi = 5.0, kind = "conditional" }

[fit]
objective = "hand-made for a test"
seed = 1
"#;

/// The out-of-sample rows: (plan, target, attribute, met, p_met).
const ROWS: [(&str, &str, &str, bool, f64); 5] = [
    ("north-13fyp", "a1", "binding", true, 0.9),
    ("north-13fyp", "a2", "expected", false, 0.3),
    ("north-13fyp", "a3", "expected", true, 0.6),
    ("south-13fyp", "b1", "expected", true, 0.2),
    ("south-13fyp", "b2", "binding", false, 0.7),
];

/// A calibration file of two plans, each left out once, with the five rows above. The stated
/// summaries are what the rows give: north Brier (0.01 + 0.09 + 0.16)/3, south (0.64 + 0.49)/2,
/// pooled 1.39/5.
fn two_plan_calibration() -> String {
    let mut s = format!(
        "# hand-made\n{METHOD}
[in_sample]
scored = 5
met = 3
brier = 0.2
log_loss = 0.6

[[plan]]
id = \"north-13fyp\"
path = \"north.toml\"
scored = 3
met = 2
brier = 0.05
log_loss = 0.3

[[plan]]
id = \"south-13fyp\"
path = \"south.toml\"
scored = 2
met = 1
brier = 0.3
log_loss = 0.8

[leave_one_out_pooled]
scored = 5
met = 3
brier = 0.278
log_loss = 0.757253
coin = {{ brier = 0.25, log_loss = 0.693147 }}
all_met = {{ brier = 0.4, log_loss = 5.526204 }}
plan_implied = {{ brier = 0.344, log_loss = 3.174 }}

[[leave_one_out]]
plan = \"north-13fyp\"
fitted_on = [\"south-13fyp\"]
method = {{ spread = 1.0 }}
scored = 3
met = 2
brier = 0.086667
log_loss = 0.324287

[[leave_one_out]]
plan = \"south-13fyp\"
fitted_on = [\"north-13fyp\"]
scored = 2
met = 1
brier = 0.565
log_loss = 1.406705
"
    );
    for (plan, target, attribute, met, p) in ROWS {
        s.push_str(&format!(
            "[[out_of_sample]]\nplan = \"{plan}\"\ntarget = \"{target}\"\nattribute = \"{attribute}\"\nmet = {met}\np_met = {p}\n"
        ));
    }
    s.push_str("\n[[data]]\nplan = \"north-13fyp\"\ntarget = \"a1\"\nactual = 1.0\n");
    s
}

/// A calibration file fitted on one plan: no leave-one-out, no out-of-sample rows.
fn one_plan_calibration() -> String {
    format!(
        "{METHOD}\n[in_sample]\nscored = 3\nmet = 2\nbrier = 0.1\nlog_loss = 0.3\n\n[[plan]]\nid = \"north-13fyp\"\npath = \"north.toml\"\nscored = 3\nmet = 2\nbrier = 0.1\nlog_loss = 0.3\n"
    )
}

fn case_with(calibration: &str) -> Case {
    let c = Case::new(
        &plan(PLAN),
        &format!("calibration = \"calibration.toml\"\n{PROCESS}"),
    );
    c.write("calibration.toml", calibration);
    c
}

fn html(r: &Results) -> String {
    let files = attain::report::visual_files(r, "2025-01-01 00:00 UTC").expect("charts");
    let (_, bytes) = files
        .into_iter()
        .find(|(n, _)| n == "report.html")
        .expect("report.html");
    String::from_utf8(bytes).expect("utf-8")
}

/// The track record section of a report: from its heading to the next one.
fn section(h: &str) -> &str {
    let start = h
        .find("Track record of this method (out of sample)")
        .expect("section");
    let end = h[start..].find("<h2").map_or(h.len(), |e| start + e);
    &h[start..end]
}

fn json(r: &Results) -> serde_json::Value {
    serde_json::from_str(&attain::report::json::to_json(r)).expect("results.json parses")
}

/// Mean Brier score and log loss, written out (no clipping is needed: no p is 0 or 1).
fn by_hand(pairs: &[(f64, bool)]) -> (f64, f64) {
    let n = pairs.len() as f64;
    let o = |met: bool| if met { 1.0 } else { 0.0 };
    let brier = pairs.iter().map(|&(p, m)| (p - o(m)).powi(2)).sum::<f64>() / n;
    let log = pairs
        .iter()
        .map(|&(p, m)| -(if m { p } else { 1.0 - p }).ln())
        .sum::<f64>()
        / n;
    (brier, log)
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() < 1e-12, "{what}: {a} vs {b}");
}

#[test]
fn track_record_scores_equal_the_rows_scored_by_hand() {
    let c = case_with(&two_plan_calibration());
    let r = c.run(2_000, 7);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let t = r.track_record.as_ref().expect("track record");
    assert_eq!(
        t.calibration,
        c.path("calibration.toml").display().to_string()
    );
    assert_eq!(t.calibrated_on, ["north-13fyp", "south-13fyp"]);
    assert!(t.has_out_of_sample());

    // Per left-out plan, attain beside the references, from the rows.
    assert_eq!(t.left_out.len(), 2);
    for l in &t.left_out {
        let rows: Vec<_> = ROWS.iter().filter(|r| r.0 == l.plan).collect();
        let other = if l.plan == "north-13fyp" {
            "south-13fyp"
        } else {
            "north-13fyp"
        };
        assert_eq!(l.fitted_on, [other]);
        assert_eq!(l.scores.scored, rows.len());
        assert_eq!(l.scores.met, rows.iter().filter(|r| r.3).count());
        let attain: Vec<(f64, bool)> = rows.iter().map(|r| (r.4, r.3)).collect();
        let (b, ll) = by_hand(&attain);
        close(l.scores.attain.brier, b, "attain Brier");
        close(l.scores.attain.log_loss, ll, "attain log loss");
        close(l.scores.coin.brier, 0.25, "coin Brier");
        close(l.scores.coin.log_loss, 2f64.ln(), "coin log loss");
        let missed = rows.iter().filter(|r| !r.3).count() as f64;
        close(
            l.scores.all_met.brier,
            missed / rows.len() as f64,
            "all met Brier",
        );
        let implied: Vec<(f64, bool)> = rows
            .iter()
            .map(|r| (if r.2 == "binding" { 1.0 } else { 0.8 }, r.3))
            .collect();
        let brier_implied = implied
            .iter()
            .map(|&(p, m)| (p - if m { 1.0 } else { 0.0 }).powi(2))
            .sum::<f64>()
            / rows.len() as f64;
        close(
            l.scores.plan_implied.brier,
            brier_implied,
            "plan implied Brier",
        );
    }
    close(t.left_out[0].scores.attain.brier, 0.26 / 3.0, "north");
    close(t.left_out[1].scores.attain.brier, 0.565, "south");
    close(
        t.left_out[1].scores.plan_implied.brier,
        0.52,
        "south implied",
    );

    // Pooled.
    let p = t.pooled.as_ref().expect("pooled");
    assert_eq!((p.scored, p.met), (5, 3));
    let (b, ll) = by_hand(&ROWS.map(|r| (r.4, r.3)));
    close(p.attain.brier, b, "pooled Brier");
    close(p.attain.brier, 0.278, "pooled Brier (number)");
    close(p.attain.log_loss, ll, "pooled log loss");
    close(p.all_met.brier, 0.4, "pooled all met");
    close(p.plan_implied.brier, 0.344, "pooled plan implied");

    // Reliability: 5 bins; 0.2 and 0.3 in [0.2, 0.4), 0.6 and 0.7 in [0.6, 0.8), 0.9 in the last.
    let bins = &t.reliability;
    assert_eq!(bins.len(), 5);
    let n: Vec<usize> = bins.iter().map(|b| b.n).collect();
    assert_eq!(n, [0, 2, 0, 2, 1]);
    let met: Vec<usize> = bins.iter().map(|b| b.met).collect();
    assert_eq!(met, [0, 1, 0, 1, 1]);
    close(bins[1].mean_p.unwrap(), 0.25, "bin 2 mean");
    close(bins[3].mean_p.unwrap(), 0.65, "bin 4 mean");
    close(bins[4].mean_p.unwrap(), 0.9, "bin 5 mean");
    assert_eq!(bins[1].observed, Some(0.5));
    assert_eq!(bins[4].observed, Some(1.0));
    assert_eq!(bins[0].mean_p, None);
    let (lo, hi) = attain::results::wilson(1, 2);
    assert_eq!(
        (bins[1].observed_lo, bins[1].observed_hi),
        (Some(lo), Some(hi))
    );
    // Murphy decomposition, base rate 0.6.
    let d = t.decomposition.as_ref().expect("decomposition");
    close(
        d.reliability,
        (2.0 * 0.25f64.powi(2) + 2.0 * 0.15f64.powi(2) + 0.1f64.powi(2)) / 5.0,
        "reliability",
    );
    close(
        d.resolution,
        (2.0 * 0.01 + 2.0 * 0.01 + 0.16) / 5.0,
        "resolution",
    );
    close(d.uncertainty, 0.24, "uncertainty");

    // results.json carries it.
    let j = json(&r);
    assert_eq!(j["track_record"]["pooled"]["scored"], 5);
    assert_eq!(j["track_record"]["left_out"][1]["plan"], "south-13fyp");
    assert_eq!(
        j["track_record"]["reliability"].as_array().unwrap().len(),
        5
    );
}

#[test]
fn report_shows_the_track_record_with_a_reliability_diagram() {
    let c = case_with(&two_plan_calibration());
    let r = c.run(2_000, 7);
    let h = html(&r);
    // Right after the key figures, before the attainment chart and the targets.
    let at = h
        .find("Track record of this method (out of sample)")
        .expect("section");
    assert!(at > h.find("class=\"key\"").unwrap());
    assert!(at < h.find("Probability of meeting each target").unwrap());
    assert!(
        h.contains("Each review plan was scored with parameters fitted on the other plans only")
    );
    let tr = section(&h);
    for s in [
        "<code>north-13fyp</code>",
        "<code>south-13fyp</code>",
        "<th>plan implied</th>",
        "<th>all met</th>",
        "<th>coin</th>",
        "0.278",
        "0.565",
    ] {
        assert!(tr.contains(s), "{s} in the track record section");
    }
    // South scores worse than a coin by both scores, and worse than all met and plan implied by
    // Brier; north beats every reference.
    assert!(
        tr.contains(
            "worse than coin on south-13fyp (Brier 0.565 vs 0.250, log loss 1.407 vs 0.693)"
        ),
        "{tr}"
    );
    assert!(tr.contains("worse than plan implied on south-13fyp (Brier 0.565 vs 0.520)"));
    assert!(tr.contains("worse than coin on all plans pooled (Brier 0.278 vs 0.250"));
    assert!(!tr.contains("on north-13fyp ("));
    // The reliability diagram, inline.
    assert_eq!(tr.matches("<svg").count(), 1, "one diagram");
    assert!(tr.contains("Reliability of out-of-sample P(met)"));
    assert!(tr.contains("n=2") && tr.contains("n=1"));
    // The diagram is one of the run's charts, written as SVG and PNG beside the report.
    let charts = attain::report::charts::render_all(&r).expect("charts");
    assert_eq!(h.matches("<svg").count(), charts.len());
    let files = attain::report::visual_files(&r, "2025-01-01 00:00 UTC").expect("charts");
    for f in [
        "track-record-reliability.svg",
        "track-record-reliability.png",
    ] {
        assert!(files.iter().any(|(n, _)| n == f), "{f}");
    }
}

#[test]
fn console_table_ends_with_the_track_record_line() {
    let c = case_with(&two_plan_calibration());
    let r = c.run(2_000, 7);
    let table = attain::report::table::render(&r);
    let last = table.lines().last().expect("lines");
    assert_eq!(
        last,
        format!(
            "Track record (out of sample, {}): Brier 0.278 over 5 review targets (coin 0.250, plan implied 0.344).",
            c.path("calibration.toml").display()
        )
    );

    // The binary prints it last, with the path as the scenario names it.
    let o = attain(
        &["run", "scenario.toml", "--runs", "500", "--out", "out"],
        c.dir.path(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        out.lines().last(),
        Some(
            "Track record (out of sample, calibration.toml): Brier 0.278 over 5 review targets (coin 0.250, plan implied 0.344)."
        ),
        "{out}"
    );
    let j: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(c.path("out/results.json")).expect("results.json"),
    )
    .expect("parses");
    assert_eq!(j["track_record"]["calibration"], "calibration.toml");
}

#[test]
fn results_json_with_a_track_record_is_identical_for_any_thread_count() {
    let c = case_with(&two_plan_calibration());
    let m = c.model();
    let one = attain::report::json::to_json(&run_model(&m, 3_000, 5, Some(1)));
    let four = attain::report::json::to_json(&run_model(&m, 3_000, 5, Some(4)));
    assert_eq!(one, four);
    assert!(one.contains("\"track_record\": {"));
}

#[test]
fn without_calibration_the_track_record_is_null_and_the_report_says_so_in_one_line() {
    let c = Case::new(&plan(PLAN), PROCESS);
    let r = c.run(1_000, 1);
    assert!(r.track_record.is_none());
    let j = json(&r);
    assert!(j.as_object().unwrap().contains_key("track_record"));
    assert!(j["track_record"].is_null());
    let h = html(&r);
    assert!(h.contains("Track record of this method (out of sample)"));
    assert!(h.contains(
        "<p>No calibration: this scenario&#39;s probabilities have no out-of-sample track record.</p>"
    ));
    let charts = attain::report::charts::render_all(&r).expect("charts");
    assert_eq!(h.matches("<svg").count(), charts.len(), "no diagram");
    let table = attain::report::table::render(&r);
    assert!(!table.contains("Track record"));
}

#[test]
fn one_plan_calibration_has_no_out_of_sample_record() {
    let c = case_with(&one_plan_calibration());
    let r = c.run(1_000, 1);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let t = r.track_record.as_ref().expect("a track record, empty");
    assert!(!t.has_out_of_sample());
    assert_eq!(t.calibrated_on, ["north-13fyp"]);
    assert!(t.left_out.is_empty() && t.pooled.is_none() && t.reliability.is_empty());
    let j = json(&r);
    assert!(j["track_record"]["pooled"].is_null());
    let h = html(&r);
    let tr = section(&h);
    assert!(tr.contains("calibrated on one plan: no out-of-sample record"));
    assert!(!tr.contains("<svg") && !tr.contains("<table"));
    assert_eq!(
        attain::report::table::render(&r).lines().last(),
        Some(
            format!(
                "Track record ({}): calibrated on one plan: no out-of-sample record.",
                c.path("calibration.toml").display()
            )
            .as_str()
        )
    );
}

#[test]
fn an_unreadable_track_record_is_a_warning_not_a_panic() {
    // A valid [method], but a row whose p_met is no probability, and one whose stated Brier
    // contradicts its rows.
    for bad in [
        two_plan_calibration().replace("p_met = 0.9", "p_met = 9"),
        two_plan_calibration().replace("brier = 0.565", "brier = 0.1"),
        two_plan_calibration().replace("met = true\np_met = 0.2", "met = \"yes\"\np_met = 0.2"),
    ] {
        let c = case_with(&bad);
        let r = c.run(1_000, 1);
        assert!(r.track_record.is_none());
        let w: Vec<&String> = r
            .warnings
            .iter()
            .filter(|w| w.contains("no track record shown"))
            .collect();
        assert_eq!(w.len(), 1, "{:?}", r.warnings);
        assert!(w[0].starts_with("calibration file "));
        assert!(json(&r)["track_record"].is_null());
        let h = html(&r);
        assert!(h.contains("no track record shown"));
        assert!(!h.contains("No calibration: this scenario"));
    }
}
