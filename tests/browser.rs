//! The HTML report in a real browser: `attain run` on the shipped example, then headless Chromium
//! renders `report.html` to a PNG (must be a non-blank image of the requested size) and dumps the
//! DOM (must hold one `<svg>` per chart: attainment, one fan per indicator, one distribution per
//! simulated target); then `attain compare` on the shipped Zhumadian scenarios, and the same for
//! `compare.html` (one `<svg>` for the comparison chart and one per overlaid fan chart).
//!
//! Chinese must render on a machine without a CJK font: every Chromium here runs with a
//! fontconfig that knows only DejaVu Sans (`FONTCONFIG_FILE`, a directory holding attain's own
//! DejaVu subset), like a fresh Debian machine whose chromium brings no CJK font. Two checks:
//! every East Asian character of the page is in the font the page embeds (its cmap, read with
//! `ab_glyph`, and its `unicode-range`), and a rendering check: a probe laid over the report draws
//! each of those characters, in the page's own font stack and as SVG chart text, into its own cell
//! of a screenshot; a cell that looks like the missing-glyph box (a private-use character drawn
//! the same way) or that is blank fails the test. A control cell (`中` in DejaVu only) must be that
//! box, proving the browser has no other CJK font to fall back on. Standalone SVG charts must
//! carry the glyphs of their own Chinese text as well.
//!
//! Skipped, with a message, where no Chromium is installed, so that developers without one can run
//! the suite; `.ci/run` installs Debian's `chromium` and sets `ATTAIN_REQUIRE_BROWSER=1`, which
//! turns the skip into a failure. `ATTAIN_CHROMIUM` may name the binary; `ATTAIN_BROWSER_SHOTS`
//! may name a directory to keep the probe's screenshot in (`glyph-probe.png`).

use std::collections::BTreeSet;
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

/// A fontconfig configuration under `dir` whose only font is attain's DejaVu Sans subset (no CJK
/// font), for `FONTCONFIG_FILE`.
fn fontconfig_without_cjk(dir: &Path) -> PathBuf {
    let fonts = dir.join("fonts");
    std::fs::create_dir_all(&fonts).expect("fonts dir");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts/DejaVuSans-subset.ttf"),
        fonts.join("DejaVuSans-subset.ttf"),
    )
    .expect("copy DejaVu");
    let conf = dir.join("fonts.conf");
    std::fs::write(
        &conf,
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n<dir>{}</dir>\n<cachedir>{}</cachedir>\n</fontconfig>\n",
            fonts.display(),
            dir.join("cache").display()
        ),
    )
    .expect("write fonts.conf");
    conf
}

fn chromium(bin: &Path, profile: &Path, extra: &[String], url: &str) -> Output {
    let fc = profile.join("fontconfig");
    let conf = fontconfig_without_cjk(&fc);
    let mut cmd = Command::new(bin);
    cmd.env("FONTCONFIG_FILE", &conf);
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

/// The chromium binary, or `None` (with a message) where the test may be skipped.
fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    let bin = find_chromium();
    if bin.is_none() {
        if std::env::var("ATTAIN_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("ATTAIN_REQUIRE_BROWSER=1 but no chromium binary is on PATH");
        }
        eprintln!(
            "SKIP {test}: no chromium on PATH (apt-get install chromium, or set ATTAIN_CHROMIUM)"
        );
    }
    bin
}

/// `attain run` of a scenario into `out` with `runs` runs; returns report.html's path.
fn run_report(scenario: &Path, out: &Path, runs: &str) -> PathBuf {
    let status = Command::new(env!("CARGO_BIN_EXE_attain"))
        .args(["run", "--runs", runs, "--quiet", "--out"])
        .arg(out)
        .arg(scenario)
        .stdout(Stdio::null())
        .status()
        .expect("run attain");
    assert!(status.success(), "attain run failed");
    let report = out.join("report.html");
    assert!(report.is_file(), "report.html written");
    report
}

/// Decodes a PNG file to (width, height, RGB(A) bytes, channels).
fn decode_png(path: &Path) -> (u32, u32, Vec<u8>, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(path).expect("open screenshot"),
    ));
    let mut reader = decoder.read_info().expect("screenshot is a PNG");
    let size = reader
        .output_buffer_size()
        .expect("screenshot fits in memory");
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).expect("decode screenshot");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf, info.color_type.samples())
}

#[test]
fn report_renders_in_headless_chromium() {
    let Some(bin) = chromium_or_skip("report_renders_in_headless_chromium") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/example.toml");
    let report = run_report(&example, &out, "5000");

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
    let (width, height, buf, channels) = decode_png(&shot);
    assert_eq!((width, height), (WIDTH, HEIGHT), "screenshot size");
    assert!(channels >= 3, "colour screenshot");
    let pixels = buf.chunks(channels);
    let total = (width * height) as usize;
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

/// True for characters that need a CJK font (as `attain::report::font::east_asian`).
fn east_asian(c: char) -> bool {
    let u = c as u32;
    (0x1100..=0x115F).contains(&u) || (0x2329..=0x232A).contains(&u) || u >= 0x2E80
}

/// Standard base64 (RFC 4648) decoding; `None` on a character outside the alphabet.
fn unbase64(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    };
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    for q in s.as_bytes().chunks(4) {
        let pad = q.iter().filter(|&&c| c == b'=').count();
        let mut n = 0u32;
        for &c in q {
            n = (n << 6) | if c == b'=' { 0 } else { val(c)? };
        }
        n <<= 6 * (4 - q.len() as u32);
        let b = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&b[..(q.len() - 1).min(3 - pad)]);
    }
    Some(out)
}

/// The font report.html embeds, and the code points its `unicode-range` lists.
fn embedded_font(html: &str) -> (Vec<u8>, BTreeSet<u32>) {
    let face = html
        .split("@font-face {")
        .nth(1)
        .and_then(|s| s.split('}').next())
        .expect("report.html embeds an @font-face");
    let data = face
        .split("url(data:font/otf;base64,")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .expect("the font is a data URL");
    let bytes = unbase64(data).expect("valid base64");
    let range = face
        .split("unicode-range:")
        .nth(1)
        .and_then(|s| s.split(';').next())
        .expect("unicode-range");
    let mut points = BTreeSet::new();
    for part in range.split(',') {
        let part = part.trim().trim_start_matches("U+");
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let (a, b) = (
            u32::from_str_radix(a, 16).expect("hex"),
            u32::from_str_radix(b, 16).expect("hex"),
        );
        points.extend(a..=b);
    }
    (bytes, points)
}

/// Side of a probe cell in CSS pixels, and the glyph size drawn in it.
const CELL: u32 = 40;
const GLYPH_PX: u32 = 30;

/// report.html with a probe laid over it: cell 0 a private-use character (the missing-glyph box),
/// cell 1 `中` in DejaVu only (must be that box), then each of `chars` in the page's font stack,
/// then the first of them again as SVG text in a chart figure (the charts' own font list).
fn probe_page(html: &str, chars: &[char]) -> (String, usize) {
    let per_row = WIDTH / CELL;
    let mut cells = String::new();
    let mut n = 0u32;
    let mut place = |inner: String| {
        let (x, y) = ((n % per_row) * CELL, (n / per_row) * CELL);
        cells.push_str(&format!(
            "<div style=\"position:absolute;left:{x}px;top:{y}px;width:{CELL}px;height:{CELL}px;overflow:hidden;font-size:{GLYPH_PX}px;line-height:{CELL}px;text-align:center\">{inner}</div>"
        ));
        n += 1;
    };
    place("\u{E000}".into());
    place("<span style=\"font-family:'DejaVu Sans'\">中</span>".into());
    for c in chars {
        place(c.to_string());
    }
    let svg_font = html
        .split("font-family=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("sans-serif")
        .to_string();
    let svg_cells = chars.len().min(12);
    for c in &chars[..svg_cells] {
        place(format!(
            "<figure style=\"margin:0\"><svg width=\"{CELL}\" height=\"{CELL}\"><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-family=\"{svg_font}\" font-size=\"{GLYPH_PX}\">{c}</text></svg></figure>",
            CELL / 2,
            CELL * 3 / 4
        ));
    }
    let probe = format!(
        "<div style=\"position:fixed;left:0;top:0;width:{WIDTH}px;height:{HEIGHT}px;background:#fff;z-index:99\">{cells}</div>\n</body>"
    );
    (html.replacen("</body>", &probe, 1), svg_cells)
}

#[test]
fn chinese_renders_without_a_system_cjk_font() {
    let Some(bin) = chromium_or_skip("chinese_renders_without_a_system_cjk_font") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/example.toml");
    let report = run_report(&example, &dir.path().join("out"), "2000");
    let html = std::fs::read_to_string(&report).expect("report.html");

    let chars: Vec<char> = html
        .chars()
        .filter(|&c| east_asian(c))
        .collect::<BTreeSet<char>>()
        .into_iter()
        .collect();
    assert!(chars.len() > 20, "the example's report has Chinese text");

    // Rendering: each character in its own cell of a screenshot, compared with the missing-glyph
    // drawing (a box, or nothing where the fallback font's .notdef is empty).
    let max = ((WIDTH / CELL) * (HEIGHT / CELL)) as usize - 2 - 12;
    let shown = &chars[..chars.len().min(max)];
    let (page, svg_cells) = probe_page(&html, shown);
    let probe = dir.path().join("out/probe.html");
    std::fs::write(&probe, page).expect("write probe");
    let shot = dir.path().join("probe.png");
    let profile = tempfile::tempdir().expect("profile dir");
    let o = chromium(
        &bin,
        profile.path(),
        &[
            format!("--screenshot={}", shot.display()),
            "--force-device-scale-factor=1".into(),
        ],
        &format!("file://{}", probe.display()),
    );
    assert!(
        shot.is_file(),
        "chromium wrote no screenshot (status {:?}):\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    if let Some(keep) = std::env::var_os("ATTAIN_BROWSER_SHOTS") {
        let _ = std::fs::copy(&shot, Path::new(&keep).join("glyph-probe.png"));
    }
    let (width, _, buf, channels) = decode_png(&shot);
    let cell = |i: usize| -> Vec<bool> {
        let per_row = WIDTH / CELL;
        let (x0, y0) = ((i as u32 % per_row) * CELL, (i as u32 / per_row) * CELL);
        let mut dark = Vec::with_capacity((CELL * CELL) as usize);
        for y in y0..y0 + CELL {
            for x in x0..x0 + CELL {
                let p = ((y * width + x) as usize) * channels;
                dark.push(buf[p] < 160 || buf[p + 1] < 160 || buf[p + 2] < 160);
            }
        }
        dark
    };
    let ink = |c: &[bool]| c.iter().filter(|&&d| d).count();
    let tofu = cell(0);
    assert_eq!(
        cell(1),
        tofu,
        "control: 中 in DejaVu only should draw as the missing glyph; the browser found another CJK font, so this test cannot see boxes"
    );
    let mut boxes = String::new();
    let mut blank = String::new();
    let mut seen = std::collections::HashSet::new();
    let all: Vec<(usize, char)> = shown
        .iter()
        .enumerate()
        .map(|(k, &c)| (k + 2, c))
        .chain(
            shown[..svg_cells]
                .iter()
                .enumerate()
                .map(|(k, &c)| (k + 2 + shown.len(), c)),
        )
        .collect();
    for &(i, c) in &all {
        let got = cell(i);
        if ink(&got) < 12 {
            blank.push(c);
        } else if got == tofu {
            boxes.push(c);
        }
        seen.insert(got);
    }
    assert!(
        boxes.is_empty() && blank.is_empty(),
        "Chinese does not render without a system CJK font: drawn as the missing glyph: [{boxes}]; blank: [{blank}] (of {} cells)",
        all.len()
    );
    assert!(
        seen.len() * 10 >= shown.len() * 9,
        "only {} distinct drawings for {} characters: boxes?",
        seen.len(),
        shown.len()
    );

    // Coverage: every East Asian character of the page is in the embedded font's cmap and in its
    // unicode-range (otherwise the browser would not use the font for it).
    let (bytes, range) = embedded_font(&html);
    let font = ab_glyph::FontRef::try_from_slice(&bytes).expect("the embedded font parses");
    let not_in_font: String = chars
        .iter()
        .filter(|&&c| ab_glyph::Font::glyph_id(&font, c).0 == 0)
        .collect();
    assert!(
        not_in_font.is_empty(),
        "not in the embedded font: {not_in_font}"
    );
    let not_in_range: String = chars
        .iter()
        .filter(|&&c| !range.contains(&(c as u32)))
        .collect();
    assert!(
        not_in_range.is_empty(),
        "not in unicode-range: {not_in_range}"
    );

    // Standalone SVG charts carry the glyphs of their own Chinese text too.
    for stem in ["attainment", "fan-gdp", "dist-gdp_growth"] {
        let svg = std::fs::read_to_string(dir.path().join(format!("out/{stem}.svg"))).expect("svg");
        let (bytes, range) = embedded_font(&svg);
        let font = ab_glyph::FontRef::try_from_slice(&bytes).expect("the SVG's font parses");
        let missing: String = svg
            .chars()
            .filter(|&c| east_asian(c))
            .filter(|&c| ab_glyph::Font::glyph_id(&font, c).0 == 0 || !range.contains(&(c as u32)))
            .collect();
        assert!(missing.is_empty(), "{stem}.svg lacks glyphs for {missing}");
    }
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
    for bad in ["<script", "src=", "@import", "<link"] {
        assert!(!html.contains(bad), "report.html contains {bad:?}");
    }
    // The one URL is the embedded font, inline as a data URL.
    assert_eq!(
        html.matches("url(").count(),
        html.matches("url(data:font/otf;base64,").count(),
        "report.html fetches nothing"
    );
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

#[test]
fn characters_the_font_lacks_are_named_once_and_fall_back() {
    // The example with a rare ideograph (U+2A6D6, CJK Extension B) in an indicator's name.
    let dir = tempfile::tempdir().expect("tempdir");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let plan = std::fs::read_to_string(fixtures.join("example-plan.toml")).expect("plan");
    let plan = plan.replacen(
        "name = \"地区生产总值\"",
        "name = \"地区生产总值\u{2A6D6}\"",
        1,
    );
    assert!(plan.contains('\u{2A6D6}'));
    std::fs::write(dir.path().join("example-plan.toml"), plan).expect("write plan");
    std::fs::copy(
        fixtures.join("example.toml"),
        dir.path().join("example.toml"),
    )
    .expect("copy");
    let out = dir.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_attain"))
        .args(["run", "--runs", "2000", "--out"])
        .arg(&out)
        .arg(dir.path().join("example.toml"))
        .output()
        .expect("run attain");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("no glyph for")).collect();
    assert_eq!(lines.len(), 1, "one warning:\n{err}");
    assert!(
        lines[0].starts_with("warning: report.html: the embedded CJK font")
            && lines[0].contains("1 character: \u{2A6D6};"),
        "{}",
        lines[0]
    );
    // The page still embeds the font for the rest and leaves that character to the viewer's fonts.
    let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
    assert!(html.contains("地区生产总值\u{2A6D6}"));
    let (_, range) = embedded_font(&html);
    assert!(range.contains(&('地' as u32)) && !range.contains(&0x2A6D6));
    // PNG charts fall back to the English wording for labels holding it (no box drawn).
    assert!(out.join("fan-gdp.png").is_file());
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
    let (width, height, buf, channels) = decode_png(&shot);
    assert_eq!((width, height), (WIDTH, HEIGHT), "screenshot size");
    let mut inked = 0usize;
    let mut colours = std::collections::HashSet::new();
    for p in buf.chunks(channels) {
        if p[0] < 235 || p[1] < 235 || p[2] < 235 {
            inked += 1;
        }
        if colours.len() < 10_000 {
            colours.insert((p[0] >> 3, p[1] >> 3, p[2] >> 3));
        }
    }
    let ink = inked as f64 / (width * height) as f64;
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
    for bad in ["<script", "src=", "@import", "<link"] {
        assert!(!html.contains(bad), "compare.html contains {bad:?}");
    }
    // The one URL is the embedded CJK font, and it covers every East Asian character of the page.
    assert_eq!(
        html.matches("url(").count(),
        html.matches("url(data:font/otf;base64,").count(),
        "compare.html fetches nothing"
    );
    let (_, range) = embedded_font(&html);
    let missing: Vec<char> = html
        .chars()
        .filter(|&c| east_asian(c) && !range.contains(&(c as u32)))
        .collect();
    assert!(
        missing.is_empty(),
        "compare.html: characters outside the embedded font's range: {missing:?}"
    );
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
