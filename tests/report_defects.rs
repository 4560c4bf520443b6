//! The defects of issue 15 that a reader of the Zhumadian baseline report found cannot return:
//! every chart and the report of `scenarios/zhumadian-baseline.toml` are checked for units that
//! are true (index processes labelled as indices, not in the plan's unit), text cut with "…",
//! infinite bounds, raw float noise, `dir/..` paths, "= —" artefacts, targets without units, and
//! legends drawn over data. The chart specs are checked before drawing where the defect is a
//! property of the spec (legend placement), and the rendered SVG where it is one of the text.

mod common;

use attain::report::charts::{self, Rendered};
use common::{repo, run_model};

fn zhumadian() -> (attain::results::Results, Vec<Rendered>) {
    let model = attain::scenario::load_scenario(&repo().join("scenarios/zhumadian-baseline.toml"))
        .expect("zhumadian baseline loads");
    let r = run_model(&model, 2000, 7, None);
    let charts = charts::render_all(&r).expect("charts draw");
    (r, charts)
}

/// The text nodes of an SVG document.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].to_string())
        })
        .collect()
}

#[test]
fn charts_of_the_zhumadian_report_have_true_units_and_whole_text() {
    let (r, charts) = zhumadian();
    for c in &charts {
        for t in texts(&c.svg) {
            assert!(
                !t.contains('…'),
                "{}: text cut with an ellipsis: {t}",
                c.stem
            );
            assert!(
                !t.contains("inf") || t.contains("infra") || t.contains("inform"),
                "{}: an infinite value in text: {t}",
                c.stem
            );
            assert!(!t.contains("NaN"), "{}: NaN in text: {t}", c.stem);
        }
    }
    // Index processes are labelled as indices, never in the plan's unit.
    for id in ["retail_sales", "rd_expenditure", "energy_intensity"] {
        let ind = r.indicators.iter().find(|i| i.id == id).expect(id);
        assert_eq!(ind.simulated_unit.as_deref(), Some("index (2020 = 100)"));
        let fan = charts
            .iter()
            .find(|c| c.stem == format!("fan-{id}"))
            .expect("fan");
        assert!(fan.svg.contains("index (2020 = 100)"), "fan-{id} y axis");
        let plan_unit = ind.unit.as_deref().expect("plan unit");
        assert!(
            !texts(&fan.svg).iter().any(|t| t.contains(plan_unit)),
            "fan-{id} labelled in the plan's unit {plan_unit}"
        );
    }
    // rd_intensity (a ratio of an index to GDP) is not labelled "%".
    let rd = r
        .indicators
        .iter()
        .find(|i| i.id == "rd_intensity")
        .expect("rd_intensity");
    assert_ne!(rd.value_unit(), Some("%"));
    // A level target's line carries its unit.
    let urb = charts
        .iter()
        .find(|c| c.stem == "fan-urbanization")
        .expect("urbanization fan");
    assert!(
        urb.svg.contains("≥ 53%"),
        "urbanization target with its unit"
    );
}

#[test]
fn legends_of_xy_charts_stay_off_the_data() {
    let (r, _) = zhumadian();
    for ind in &r.indicators {
        let c = charts::fan::chart(&r, ind);
        assert!(!c.legend_inside, "fan-{}: legend inside the plot", ind.id);
    }
    for t in r.targets.iter().filter(|t| t.status.is_simulated()) {
        if let Some(c) = charts::dist::chart(&r, t) {
            assert!(!c.legend_inside, "dist-{}: legend inside the plot", t.id);
        }
    }
}

#[test]
fn the_zhumadian_report_prints_readable_numbers_and_paths() {
    let (r, charts) = zhumadian();
    let html = attain::report::html::render(&r, &charts, "2026-01-01 00:00 UTC");
    // Raw float noise (more than 6 decimals) in the text outside the charts.
    let outside: String = html
        .split("<svg")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.split_once("</svg>").map_or("", |x| x.1)
            }
        })
        .collect();
    let noisy = regex_like_noise(&outside);
    assert!(noisy.is_empty(), "numbers with float noise: {noisy:?}");
    assert!(!outside.contains("inf]") && !outside.contains("[-inf"));
    assert!(!outside.contains("= —"), "'= —' artefact");
    assert!(!outside.contains("/../"), "unfolded path");
    assert!(
        outside.contains("index (2020 = 100)"),
        "assumptions in the unit simulated"
    );
    // Summary first, then the table of contents, then the track record and the charts.
    let summary = html.find("id=\"summary\"").expect("summary");
    let toc = html.find("class=\"toc\"").expect("contents");
    let first_chart = html
        .find("id=\"attainment\"")
        .expect("the attainment chart");
    assert!(summary < toc && toc < first_chart);
    // Charts at full width.
    assert!(!html.contains("class=\"grid\""));
}

/// Decimal numbers with more than six digits after the point.
fn regex_like_noise(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'.' && i > 0 && b[i - 1].is_ascii_digit() {
            let mut j = i + 1;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j - i - 1 > 6 {
                let start = s[..i]
                    .rfind(|c: char| !c.is_ascii_digit())
                    .map_or(0, |k| k + 1);
                out.push(s[start..j].to_string());
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out
}
