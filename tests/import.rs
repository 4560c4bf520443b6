//! `attain import`: drafts from the seed documents validate and quote their lines verbatim; the
//! measured precision and recall against the hand-made plans hold their floors and are what
//! docs/import.md shows (`ATTAIN_BLESS=1 cargo test --release --test import` rewrites the table);
//! import + init + run takes a seed document to a report; bad input is refused, naming the file.

mod common;
use common::*;
use std::path::Path;

/// Floors in percent per document: (table precision, table recall, text precision, text recall).
/// They may only rise: raise a floor when the importer improves, never lower one.
const FLOORS: &[(&str, [f64; 4])] = &[
    ("000_33d3069206d832cb.txt", [0.0, 0.0, 100.0, 82.0]),
    ("001_f759e94efd3a1e14.txt", [98.0, 98.0, 90.0, 87.5]),
    ("002_c25127e9708c978d.txt", [0.0, 0.0, 73.5, 69.0]),
    ("003_d7cb7d8b88a3a9e6.txt", [0.0, 0.0, 100.0, 70.0]),
    ("004_17ca02a301d346d0.txt", [91.0, 91.0, 61.0, 54.0]),
];

const BEGIN: &str = "<!-- measured by tests/import.rs: begin -->\n";
const END: &str = "<!-- measured by tests/import.rs: end -->\n";

#[test]
fn measured_precision_and_recall_hold_their_floors_and_are_what_the_docs_show() {
    let Some(shared) = shared_seeds("import measurement") else {
        return;
    };
    let scores = attain::import::measure::measure(&repo().join("seeds"), &shared).expect("measure");
    let table = attain::import::measure::render(&scores);
    eprintln!("{table}");
    assert_eq!(scores.len(), FLOORS.len(), "one floor per seed document");
    let mut fails = Vec::new();
    for s in &scores {
        let (_, f) = FLOORS
            .iter()
            .find(|(d, _)| *d == s.document)
            .unwrap_or_else(|| panic!("no floor for {}", s.document));
        let got = [
            s.table.precision(),
            s.table.recall(),
            s.text.precision(),
            s.text.recall(),
        ];
        for (k, what) in [
            "table precision",
            "table recall",
            "text precision",
            "text recall",
        ]
        .iter()
        .enumerate()
        {
            let v = got[k].map_or(100.0, |x| 100.0 * x);
            if v + 1e-9 < f[k] {
                fails.push(format!(
                    "{}: {what} {v:.1} % < floor {} %",
                    s.document, f[k]
                ));
            }
        }
    }
    assert!(fails.is_empty(), "{}", fails.join("\n"));
    let path = repo().join("docs/import.md");
    let doc = std::fs::read_to_string(&path).expect("docs/import.md");
    let (a, b) = (
        doc.find(BEGIN).expect("begin marker in docs/import.md") + BEGIN.len(),
        doc.find(END).expect("end marker in docs/import.md"),
    );
    if doc[a..b] != table {
        if std::env::var_os("ATTAIN_BLESS").is_some() {
            std::fs::write(&path, format!("{}{table}{}", &doc[..a], &doc[b..])).unwrap();
            eprintln!("blessed docs/import.md");
        } else {
            panic!(
                "docs/import.md shows another measurement than the importer gives; if the change is meant, run `ATTAIN_BLESS=1 cargo test --release --test import` and review the diff\n{table}"
            );
        }
    }
}

/// Floors in percent for the made-up 15th-FYP plan of tests/fixtures/import (a document the
/// importer was not written against): (table precision, table recall, text precision, text
/// recall), strict measure. They may only rise.
const FIXTURE_FLOORS: [f64; 4] = [100.0, 100.0, 97.0, 95.0];

#[test]
fn a_made_up_15th_fyp_plan_is_read_with_its_measured_precision_and_recall() {
    measure_fixture("qingchuan-15fyp", FIXTURE_FLOORS);
}

/// Floors in percent for a made-up county 15th-FYP plan (tests/fixtures/import, written by hand
/// without looking at the importer; a one-cell-per-line table with a 单位 column, a merged cell
/// and 按市下达): (table precision, table recall, text precision, text recall), strict measure.
/// They may only rise.
const TAOYUAN_FLOORS: [f64; 4] = [100.0, 100.0, 100.0, 100.0];

#[test]
fn a_made_up_county_plan_with_a_unit_column_is_read_with_its_measured_precision_and_recall() {
    measure_fixture("taoyuan-county-15fyp", TAOYUAN_FLOORS);
}

/// Floors in percent for a made-up thematic ecology plan (tests/fixtures/import, written by hand
/// without looking at the importer; a tab-separated table with a two-row header). It was held out
/// while the rules for the county plan above were written, then measured once: before those rules
/// table 81.8 / 81.8 %, text 80.0 / 66.7 %; after them 90.9 / 90.9 % and 85.0 / 70.8 %, the floors
/// below (table precision, table recall, text precision, text recall; strict). They may only rise.
const BINHE_FLOORS: [f64; 4] = [90.9, 90.9, 85.0, 70.8];

#[test]
fn a_made_up_ecology_plan_held_out_from_the_rules_is_read_with_its_measured_precision_and_recall() {
    measure_fixture("binhe-ecology-2030", BINHE_FLOORS);
}

/// Measures the importer on `tests/fixtures/import/{stem}.txt` against `{stem}.toml` and holds
/// the strict measure to `floors`.
fn measure_fixture(stem: &str, floors: [f64; 4]) {
    let dir = repo().join("tests/fixtures/import");
    let doc = dir.join(format!("{stem}.txt"));
    let text = std::fs::read_to_string(&doc).unwrap();
    let plan = attain::scenario::load_plan(&dir.join(format!("{stem}.toml")))
        .expect("the expected plan checks")
        .plan;
    let s = attain::import::measure::measure_one(&format!("{stem}.txt"), &text, &doc, &[plan])
        .expect("measure");
    let got = [
        s.table.precision(),
        s.table.recall(),
        s.text.precision(),
        s.text.recall(),
    ]
    .map(|x| x.map_or(100.0, |v| 100.0 * v));
    eprintln!(
        "{stem}: table {:?}, text {:?}; precision/recall table {:.1}/{:.1} %, text {:.1}/{:.1} %",
        s.table, s.text, got[0], got[1], got[2], got[3]
    );
    for k in 0..4 {
        assert!(
            got[k] + 1e-9 >= floors[k],
            "{stem}: measure {k} is {:.1} % < floor {} %",
            got[k],
            floors[k]
        );
    }
}

fn seed_documents(shared: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(shared)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    assert!(!v.is_empty());
    v
}

#[test]
fn every_seed_document_drafts_plans_that_check_and_quote_their_lines() {
    let Some(shared) = shared_seeds("import drafts") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for doc in seed_documents(&shared) {
        let stem = doc.file_stem().unwrap().to_string_lossy().into_owned();
        let out = tmp.path().join(format!("{stem}.toml"));
        let o = attain(
            &[
                "import",
                doc.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
            tmp.path(),
        );
        assert!(
            o.status.success(),
            "{stem}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let stdout = String::from_utf8(o.stdout).unwrap();
        assert!(stdout.contains("indicator table"), "{stdout}");
        let text = std::fs::read_to_string(&doc).unwrap();
        let lines: Vec<&str> = text.split('\n').collect();
        let drafts: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&stem))
            .collect();
        assert!(!drafts.is_empty());
        for d in drafts {
            let o = attain(&["check", d.to_str().unwrap()], tmp.path());
            assert!(
                o.status.success(),
                "attain check {}: {}",
                d.display(),
                String::from_utf8_lossy(&o.stderr)
            );
            let plan = attain::scenario::load_plan(&d).unwrap().plan;
            let one_line = plan.source_locator == "char_offset";
            let refs = plan
                .targets
                .iter()
                .filter_map(|t| t.source.clone())
                .chain(plan.indicators.iter().filter_map(|i| i.source.clone()));
            for r in refs {
                if one_line {
                    let at: String = text
                        .chars()
                        .skip(r.line as usize)
                        .take(r.quote.chars().count())
                        .collect();
                    assert_eq!(at, r.quote, "{}: offset {}", d.display(), r.line);
                } else {
                    let l = lines[r.line as usize - 1];
                    assert!(
                        l.contains(&r.quote),
                        "{}: line {} does not contain `{}`",
                        d.display(),
                        r.line,
                        r.quote
                    );
                }
            }
        }
    }
}

#[test]
fn import_init_run_takes_a_seed_document_to_a_report() {
    let Some(shared) = shared_seeds("import end to end") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let doc = shared.join("004_17ca02a301d346d0.txt");
    let run = |args: &[&str]| {
        let o = attain(args, tmp.path());
        assert!(
            o.status.success(),
            "attain {args:?}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    run(&["import", doc.to_str().unwrap(), "--out", "zhanhe.toml"]);
    run(&["init", "zhanhe.toml", "--out", "scenario.toml", "--quiet"]);
    run(&[
        "run",
        "scenario.toml",
        "--runs",
        "2000",
        "--out",
        "report",
        "--quiet",
    ]);
    for f in ["results.json", "report.html", "targets.csv"] {
        assert!(tmp.path().join("report").join(f).is_file(), "{f}");
    }
    let results = std::fs::read_to_string(tmp.path().join("report/results.json")).unwrap();
    assert!(results.contains("\"simulated\""), "no target simulated");
    // A plan file runs directly as its init draft, too.
    run(&[
        "run",
        "zhanhe.toml",
        "--runs",
        "2000",
        "--out",
        "direct",
        "--quiet",
    ]);
    assert!(tmp.path().join("direct/results.json").is_file());
}

#[test]
fn gb18030_and_utf16_documents_give_the_same_draft() {
    let text = "“十四五”主要指标\n指标\t2020年基数\t2025年目标\t属性\n地区生产总值(亿元)\t2859\t4000以上\t预期性\n城镇调查失业率(%)\t—\t5.5以内\t预期性\n注：完\n到2025年，全市常住人口城镇化率达到53%以上，新增城镇就业25万人。\n";
    let tmp = tempfile::tempdir().unwrap();
    let (gb, _, _) = encoding_rs::GB18030.encode(text);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let mut drafts = Vec::new();
    for (name, bytes) in [
        ("utf8", text.as_bytes().to_vec()),
        ("gb", gb.into_owned()),
        ("utf16", utf16),
    ] {
        let doc = tmp.path().join(format!("{name}.txt"));
        std::fs::write(&doc, bytes).unwrap();
        let out = tmp.path().join(format!("{name}-plan.toml"));
        let o = attain(
            &[
                "import",
                doc.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--plan-id",
                "p",
            ],
            tmp.path(),
        );
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let t = std::fs::read_to_string(&out).unwrap();
        drafts.push(t.replace(&format!("{name}.txt"), "DOC"));
    }
    assert_eq!(drafts[0], drafts[1]);
    assert_eq!(drafts[0], drafts[2]);
    let d = &drafts[0];
    for want in [
        "value = 4000.0",
        "op = \"at_most\"\nvalue = 5.5",
        "metric = \"sum\"",
        "base = 2859.0",
        "target_year = 2025",
    ] {
        assert!(d.contains(want), "`{want}` missing in\n{d}");
    }
}

#[test]
fn bad_input_is_refused_naming_the_file_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("plan.pdf");
    std::fs::write(&bin, b"%PDF-1.4\n\x00\x01\xff\xfe\xfd binary").unwrap();
    let o = attain(&["import", "plan.pdf", "--out", "x.toml"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("plan.pdf") && err.contains("help:"), "{err}");
    assert!(!tmp.path().join("x.toml").exists());
    let o = attain(&["import", "missing.txt"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing.txt"));
    // An existing output is not overwritten without --force.
    std::fs::write(
        tmp.path().join("doc.txt"),
        "到2025年，城镇化率达到60%以上。\n",
    )
    .unwrap();
    std::fs::write(tmp.path().join("x.toml"), "keep").unwrap();
    let o = attain(&["import", "doc.txt", "--out", "x.toml"], tmp.path());
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("x.toml")).unwrap(),
        "keep"
    );
    let o = attain(
        &["import", "doc.txt", "--out", "x.toml", "--force"],
        tmp.path(),
    );
    assert!(o.status.success());
    // An empty document drafts an empty (valid) plan.
    std::fs::write(tmp.path().join("empty.txt"), "").unwrap();
    let o = attain(&["import", "empty.txt", "--out", "e.toml"], tmp.path());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

mod never_panics {
    use proptest::prelude::*;

    /// Pieces of plan documents: headers, cells, verbs, numbers, units, punctuation, noise.
    const PIECES: &[&str] = &[
        "指标",
        "序号",
        "2020年基数",
        "2025年目标",
        "“十四五”目标",
        "属性",
        "类别",
        "年均增长",
        "完成值",
        "规划确定的指标目标",
        "实际完成情况",
        "2015年",
        "2020年",
        "预期性",
        "约束性",
        "一、经济发展",
        "地区生产总值(%)",
        "城镇化率（%）",
        "【25】",
        "[1]",
        "7左右",
        "年均增长7",
        "按省下达目标",
        "与经济增长基本同步",
        "—",
        "45 以上",
        "≥83",
        "5以内",
        "3-5",
        "累计31",
        "到2025年",
        "到2035年",
        "，",
        "。",
        "；",
        "、",
        "\t",
        "\n",
        "\n\n",
        " ",
        "  ",
        "达到",
        "超过",
        "控制在",
        "新增",
        "培育",
        "分别达到",
        "翻一番",
        "万人",
        "亿元",
        "%",
        "‰",
        "个",
        "家",
        "以上",
        "左右",
        "以内",
        "“十三五”时期",
        "基本形成",
        "明显增强",
        "1",
        "2",
        "0.5",
        "100",
        "１２",
        ".",
        "-",
        "注：",
        "（",
        "）",
        "(",
        ")",
        "",
        "\u{3000}",
        "二〇三五年",
        "x",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]
        #[test]
        fn any_mix_of_plan_pieces_drafts_a_valid_plan(ix in prop::collection::vec(0..PIECES.len(), 0..120)) {
            let text: String = ix.iter().map(|k| PIECES[*k]).collect();
            let reading = attain::import::read_text(&text, &Default::default());
            let path = std::path::Path::new("fuzz.txt");
            for d in attain::import::write::drafts(&reading, "fuzz", path).unwrap() {
                attain::import::write::check(&d.text, path).unwrap_or_else(|e| panic!("{e}\n--- document\n{text}"));
            }
        }
    }
}
