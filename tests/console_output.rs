//! What the console shows: one summary line for the targets a scenario does not simulate (the
//! files still list each), no joint probability over zero targets, and the coverage of each
//! scenario in `attain list`.

mod common;
use common::{Case, PlanBuilder, attain};

/// A plan of four indicators and five targets: one simulated (gdp), two on indicators without a
/// process, one qualitative, and one more on gdp.
fn five_targets() -> String {
    PlanBuilder::new()
        .indicator("gdp", "GDP", 100.0, "higher")
        .indicator("forest", "Forest cover", 20.0, "higher")
        .indicator("water", "Water quality", 80.0, "higher")
        .indicator("civility", "Civility", 1.0, "higher")
        .target("gdp_growth", "gdp", "cagr", "at_least", 0.05)
        .attribute("binding")
        .target("gdp_level", "gdp", "level", "at_least", 120.0)
        .attribute("expected")
        .target("forest_2025", "forest", "level", "at_least", 22.0)
        .attribute("expected")
        .target("water_2025", "water", "level", "at_least", 85.0)
        .attribute("expected")
        .qualitative("civility_2025", "civility")
        .attribute("expected")
        .build()
}

const GDP: &str = r#"
[process.gdp]
model = "growth"
rate = { dist = "normal", mean = 0.05, sd = 0.01 }
"#;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn unanswered_targets_give_one_console_line_and_are_listed_in_the_files() {
    // An [observed] value of an indicator without a process is another warning: kept as it is.
    let c = Case::new(
        &five_targets(),
        &format!("{GDP}\n[observed]\nforest = {{ 2022 = 21.0 }}\n"),
    );
    let o = attain(
        &["run", "scenario.toml", "--runs", "500", "--out", "out"],
        c.dir.path(),
    );
    let err = text(&o.stderr);
    assert!(o.status.success(), "{err}");
    let summary: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("not simulated"))
        .collect();
    assert_eq!(
        summary,
        [
            "note: 2 of 4 non-qualitative targets are not simulated (no process for their indicator); all are listed in results.json and report.html"
        ],
        "{err}"
    );
    assert!(
        err.contains("warning: observed values of `forest` are ignored"),
        "other warnings still print one by one:\n{err}"
    );
    // The files list every unanswered target.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(c.path("out/results.json")).unwrap())
            .unwrap();
    let not_simulated: Vec<&str> = json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["status"] == "not_simulated")
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(not_simulated, ["forest_2025", "water_2025"]);
    let html = std::fs::read_to_string(c.path("out/report.html")).unwrap();
    for id in ["forest_2025", "water_2025"] {
        assert!(
            html.contains(&format!("<code>{id}</code>")),
            "{id} in report.html"
        );
    }

    // One unanswered target: singular wording.
    let c = Case::new(
        &five_targets(),
        &format!(
            "{GDP}\n[process.forest]\nmodel = \"increment\"\nstep = {{ dist = \"normal\", mean = 0.5, sd = 0.2 }}\n"
        ),
    );
    let o = attain(
        &["run", "scenario.toml", "--runs", "500", "--out", "out"],
        c.dir.path(),
    );
    let err = text(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("note: 1 of 4 non-qualitative targets is not simulated (no process for its indicator); it is listed in results.json and report.html"),
        "{err}"
    );
    assert_eq!(err.matches("not simulated").count(), 1, "{err}");
}

#[test]
fn no_joint_probability_over_zero_targets() {
    // No process for any target's indicator: nothing is simulated.
    let c = Case::new(&five_targets(), "");
    let sentence = "No target is simulated by this scenario: no joint probability.";
    for format in ["table", "md"] {
        let out = format!("out-{format}");
        let o = attain(
            &[
                "run",
                "scenario.toml",
                "--runs",
                "500",
                "--out",
                &out,
                "--format",
                format,
                "--quiet",
            ],
            c.dir.path(),
        );
        let stdout = text(&o.stdout);
        assert!(o.status.success(), "{}", text(&o.stderr));
        assert!(stdout.contains(sentence), "{format}:\n{stdout}");
        assert!(
            !stdout.contains("0 simulated targets") && !stdout.contains("100.0%"),
            "{format}: a joint probability over no targets:\n{stdout}"
        );
        if format == "table" {
            let html = std::fs::read_to_string(c.path(&format!("{out}/report.html"))).unwrap();
            assert!(html.contains(sentence), "report.html");
            assert!(!html.contains("all 0 simulated targets"), "report.html");
            assert!(
                !html.contains("all simulated targets met in the same run"),
                "report.html joint table"
            );
        }
    }

    // `compare` of two such scenarios: no joint probability either.
    std::fs::copy(c.scenario(), c.path("other.toml")).unwrap();
    let o = attain(
        &[
            "compare",
            "scenario.toml",
            "other.toml",
            "--runs",
            "500",
            "--out",
            "cmp",
            "--quiet",
        ],
        c.dir.path(),
    );
    let stdout = text(&o.stdout);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let joint: Vec<&str> = stdout.lines().filter(|l| l.starts_with("joint:")).collect();
    assert_eq!(joint.len(), 2, "{stdout}");
    for l in joint {
        assert!(l.contains("no target simulated") && !l.contains('%'), "{l}");
    }

    // With a simulated target, the joint line is as before.
    let c = Case::new(&five_targets(), GDP);
    let o = attain(
        &[
            "run",
            "scenario.toml",
            "--runs",
            "500",
            "--out",
            "out",
            "--quiet",
        ],
        c.dir.path(),
    );
    let stdout = text(&o.stdout);
    assert!(
        stdout.contains("Joint: all 1 binding targets met together:")
            && stdout.contains("all 2 simulated targets:"),
        "{stdout}"
    );
    assert!(!stdout.contains(sentence), "{stdout}");
}

#[test]
fn list_shows_each_scenarios_coverage() {
    let c = Case::new(&five_targets(), GDP);
    c.write(
        "invalid.toml",
        "plan = \"plan.toml\"\n[process.gdp]\nmodel = \"nonsense\"\n",
    );
    let o = attain(&["list", "."], c.dir.path());
    let out = text(&o.stdout);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let scenario = out
        .lines()
        .find(|l| l.starts_with("scenario ") && l.contains("scenario.toml"))
        .unwrap_or_else(|| panic!("scenario line:\n{out}"));
    // gdp_growth and gdp_level of the four non-qualitative targets.
    assert!(scenario.ends_with("  2/4 answered"), "{scenario}");
    // A scenario that fails to load is still listed, with its error.
    assert!(
        out.lines()
            .any(|l| l.starts_with("invalid  ") && l.contains("invalid.toml")),
        "{out}"
    );
}
