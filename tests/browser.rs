//! The HTML report in a real browser: `attain run` on the shipped example, then headless Chromium
//! renders `report.html` to a PNG (must be a non-blank image of the requested size) and dumps the
//! DOM (must hold one `<svg>` per chart: attainment, one fan per indicator, one distribution per
//! simulated target); then `attain compare` on the shipped Zhumadian scenarios, and the same for
//! `compare.html` (one `<svg>` for the comparison chart and one per overlaid fan chart).
//!
//! Skipped, with a message, where no Chromium is installed, so that developers without one can run
//! the suite; `.ci/run` installs Debian's `chromium` and sets `ATTAIN_REQUIRE_BROWSER=1`, which
//! turns the skip into a failure. `ATTAIN_CHROMIUM` may name the binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const WIDTH: u32 = 1200;
const HEIGHT: u32 = 2000;

fn find_chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("ATTAIN_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in [
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ] {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Runs a command, killing it after `limit`.
fn run_with_timeout(mut cmd: Command, limit: Duration) -> Output {
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let id = child.id();
    let start = Instant::now();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    loop {
        if let Ok(out) = rx.try_recv() {
            return out.expect("chromium output");
        }
        if start.elapsed() > limit {
            // Kill only the process we started, by its id.
            let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
            panic!("chromium did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn chromium(bin: &Path, profile: &Path, extra: &[String], url: &str) -> Output {
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .arg(format!("--window-size={WIDTH},{HEIGHT}"))
    .args(extra)
    .arg(url);
    run_with_timeout(cmd, Duration::from_secs(240))
}

#[test]
fn report_renders_in_headless_chromium() {
    let Some(bin) = find_chromium() else {
        if std::env::var("ATTAIN_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("ATTAIN_REQUIRE_BROWSER=1 but no chromium binary is on PATH");
        }
        eprintln!(
            "SKIP report_renders_in_headless_chromium: no chromium on PATH (apt-get install chromium, or set ATTAIN_CHROMIUM)"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/example.toml");
    let status = Command::new(env!("CARGO_BIN_EXE_attain"))
        .args(["run", "--runs", "5000", "--quiet", "--out"])
        .arg(&out)
        .arg(&example)
        .stdout(Stdio::null())
        .status()
        .expect("run attain");
    assert!(status.success(), "attain run failed");
    let report = out.join("report.html");
    assert!(report.is_file(), "report.html written");

    // Expected charts, from results.json.
    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("results.json")).expect("results.json"))
            .expect("results.json parses");
    let indicators = results["indicators"].as_array().map_or(0, |a| a.len());
    let simulated = results["targets"].as_array().map_or(0, |a| {
        a.iter().filter(|t| t["status"] == "simulated").count()
    });
    // attainment + on-track + one fan per indicator + one distribution per simulated target.
    let expected_svgs = 2 + indicators + simulated;
    assert_eq!(
        expected_svgs, 6,
        "example: attainment + on-track + 2 fans + 2 distributions"
    );

    let url = format!("file://{}", report.display());
    // Screenshot.
    let shot = dir.path().join("shot.png");
    let profile = tempfile::tempdir().expect("profile dir");
    let o = chromium(
        &bin,
        profile.path(),
        &[format!("--screenshot={}", shot.display())],
        &url,
    );
    assert!(
        shot.is_file(),
        "chromium wrote no screenshot (status {:?}):\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&shot).expect("open screenshot"),
    ));
    let mut reader = decoder.read_info().expect("screenshot is a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("decode screenshot");
    assert_eq!(
        (info.width, info.height),
        (WIDTH, HEIGHT),
        "screenshot size"
    );
    let channels = info.color_type.samples();
    assert!(channels >= 3, "colour screenshot");
    let pixels = buf[..info.buffer_size()].chunks(channels);
    let total = (info.width * info.height) as usize;
    let mut inked = 0usize;
    let mut colours = std::collections::HashSet::new();
    for p in pixels {
        if p[0] < 235 || p[1] < 235 || p[2] < 235 {
            inked += 1;
        }
        if colours.len() < 10_000 {
            colours.insert((p[0] >> 3, p[1] >> 3, p[2] >> 3));
        }
    }
    let ink = inked as f64 / total as f64;
    assert!(
        ink > 0.03 && ink < 0.8,
        "screenshot looks blank or flooded: {:.1}% non-white pixels",
        ink * 100.0
    );
    assert!(
        colours.len() > 40,
        "screenshot has only {} colours: charts missing?",
        colours.len()
    );

    // DOM.
    let profile = tempfile::tempdir().expect("profile dir");
    let o = chromium(&bin, profile.path(), &["--dump-dom".into()], &url);
    let dom = String::from_utf8_lossy(&o.stdout);
    assert!(
        dom.contains("Probability of meeting each target"),
        "DOM dump lacks the report (status {:?}):\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        dom.matches("<svg").count(),
        expected_svgs,
        "one inline <svg> per chart"
    );
    assert!(
        dom.contains("年均增长7左右"),
        "Chinese source quote in the DOM"
    );
}

#[test]
fn report_needs_no_network() {
    let dir = tempfile::tempdir().expect("tempdir");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/example.toml");
    let status = Command::new(env!("CARGO_BIN_EXE_attain"))
        .args(["run", "--runs", "2000", "--quiet", "--out"])
        .arg(dir.path())
        .arg(&example)
        .stdout(Stdio::null())
        .status()
        .expect("run attain");
    assert!(status.success());
    let html = std::fs::read_to_string(dir.path().join("report.html")).expect("report.html");
    for bad in ["<script", "src=", "@import", "url(", "<link"] {
        assert!(!html.contains(bad), "report.html contains {bad:?}");
    }
    // Links only within the page (its table of contents).
    assert_eq!(
        html.matches("href=").count(),
        html.matches("href=\"#").count(),
        "report.html links outside itself"
    );
    // Every chart is written as SVG and PNG.
    for stem in [
        "attainment",
        "ontrack",
        "fan-gdp",
        "fan-urbanization",
        "dist-gdp_growth",
        "dist-urbanization_2025",
    ] {
        let svg = std::fs::read_to_string(dir.path().join(format!("{stem}.svg"))).expect("svg");
        assert!(
            svg.starts_with("<svg") && svg.contains("<text"),
            "{stem}.svg"
        );
        let png = std::fs::read(dir.path().join(format!("{stem}.png"))).expect("png");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{stem}.png");
    }
    // results.json carries no date: a second run is byte-identical.
    let again = tempfile::tempdir().expect("tempdir");
    let status = Command::new(env!("CARGO_BIN_EXE_attain"))
        .args(["run", "--runs", "2000", "--quiet", "--out"])
        .arg(again.path())
        .arg(&example)
        .env("SOURCE_DATE_EPOCH", "0")
        .stdout(Stdio::null())
        .status()
        .expect("run attain");
    assert!(status.success());
    for f in ["results.json", "attainment.svg", "attainment.png"] {
        assert_eq!(
            std::fs::read(dir.path().join(f)).expect("first"),
            std::fs::read(again.path().join(f)).expect("second"),
            "{f} differs between runs"
        );
    }
    let dated = std::fs::read_to_string(again.path().join("report.html")).expect("report");
    assert!(
        dated.contains("1970-01-01 00:00 UTC"),
        "SOURCE_DATE_EPOCH honoured"
    );
}

/// Screenshots `url` and checks the image is neither blank nor flooded and has the colours of
/// charts.
fn screenshot_is_a_page(bin: &Path, url: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let shot = dir.path().join("shot.png");
    let profile = tempfile::tempdir().expect("profile dir");
    let o = chromium(
        bin,
        profile.path(),
        &[format!("--screenshot={}", shot.display())],
        url,
    );
    assert!(
        shot.is_file(),
        "chromium wrote no screenshot of {url} (status {:?}):\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(&shot).expect("open screenshot"),
    ));
    let mut reader = decoder.read_info().expect("screenshot is a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("decode screenshot");
    assert_eq!(
        (info.width, info.height),
        (WIDTH, HEIGHT),
        "screenshot size"
    );
    let channels = info.color_type.samples();
    let mut inked = 0usize;
    let mut colours = std::collections::HashSet::new();
    for p in buf[..info.buffer_size()].chunks(channels) {
        if p[0] < 235 || p[1] < 235 || p[2] < 235 {
            inked += 1;
        }
        if colours.len() < 10_000 {
            colours.insert((p[0] >> 3, p[1] >> 3, p[2] >> 3));
        }
    }
    let ink = inked as f64 / (info.width * info.height) as f64;
    assert!(
        ink > 0.03 && ink < 0.8,
        "{url} looks blank or flooded: {:.1}% non-white pixels",
        ink * 100.0
    );
    assert!(colours.len() > 40, "{url}: only {} colours", colours.len());
}

#[test]
fn compare_report_renders_in_headless_chromium() {
    let Some(bin) = find_chromium() else {
        if std::env::var("ATTAIN_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("ATTAIN_REQUIRE_BROWSER=1 but no chromium binary is on PATH");
        }
        eprintln!("SKIP compare_report_renders_in_headless_chromium: no chromium on PATH");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("cmp");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let status = Command::new(env!("CARGO_BIN_EXE_attain"))
        .args(["compare", "--runs", "2000", "--quiet", "--out"])
        .arg(&out)
        .arg(root.join("scenarios/zhumadian-baseline.toml"))
        .arg(root.join("scenarios/zhumadian-pessimistic.toml"))
        .arg(root.join("scenarios/zhumadian-optimistic.toml"))
        .stdout(Stdio::null())
        .status()
        .expect("run attain compare");
    assert!(status.success(), "attain compare failed");
    let page = out.join("compare.html");
    let html = std::fs::read_to_string(&page).expect("compare.html written");
    for bad in ["<script", "src=", "@import", "url(", "<link"] {
        assert!(!html.contains(bad), "compare.html contains {bad:?}");
    }
    assert_eq!(
        html.matches("href=").count(),
        html.matches("href=\"#").count(),
        "compare.html links outside itself"
    );
    let fans = std::fs::read_dir(&out)
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with("compare-fan-") && n.ends_with(".svg")
        })
        .count();
    assert!(fans > 10, "one overlaid fan per indicator ({fans})");
    let url = format!("file://{}", page.display());
    screenshot_is_a_page(&bin, &url);
    let profile = tempfile::tempdir().expect("profile dir");
    let o = chromium(&bin, profile.path(), &["--dump-dom".into()], &url);
    let dom = String::from_utf8_lossy(&o.stdout);
    assert!(
        dom.contains("Paired changes per target"),
        "DOM dump lacks the comparison (status {:?}):\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        dom.matches("<svg").count(),
        1 + fans,
        "the comparison chart and one fan per indicator, inline"
    );
    // Names, not ids; pessimistic – baseline – optimistic.
    assert!(dom.contains("Regional GDP"));
    let (p, b, o) = (
        dom.find("Zhumadian 14th FYP — pessimistic"),
        dom.find("Zhumadian 14th FYP — baseline"),
        dom.find("Zhumadian 14th FYP — optimistic"),
    );
    assert!(p.is_some() && b.is_some() && o.is_some());
    assert!(!dom.contains('…'), "no text cut with an ellipsis");
}
