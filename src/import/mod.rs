//! `attain import`: a draft plan file from a plan document.
//!
//! A plan document (plain text) states most of its targets in two conventional shapes: the
//! main-indicator table (主要指标) and sentences such as "到2025年，…达到…以上". The importer reads
//! both and drafts a plan file in the format of `seeds/*.toml`, every target traced to its line
//! and a verbatim quote; what it cannot read with confidence becomes a `# REVIEW:` comment. Each
//! stage is its own module:
//!
//! * [`decode`]: bytes to text (UTF-8, GB18030, UTF-16 with a byte-order mark).
//! * [`doc`]: numbered lines, sentences of one-line documents, where a quote sits.
//! * [`header`]: a table's columns by their header words.
//! * [`table`]: finding tables (delimited rows, one cell per line) and reading their rows.
//! * [`value`]: one value as plans write it (`年均增长7左右`, `【25】`, `按省下达`).
//! * [`units`]: units in names and after numbers, better-higher or -lower, rate words.
//! * [`rows`]: table rows to drafted targets.
//! * [`text`]: targets in running text.
//! * [`slug`]: readable ASCII ids for Chinese names.
//! * [`write`]: the draft as TOML, checked by the plan parser before it is written.
//! * [`measure`]: precision and recall of a draft against a hand-made plan file.
//!
//! Nothing is invented: a base, unit or attribute the document does not state is left out.

pub mod decode;
pub mod doc;
pub mod header;
pub mod measure;
pub mod rows;
pub mod slug;
pub mod table;
pub mod text;
pub mod units;
pub mod value;
pub mod write;

use crate::error::{Error, Result};
use crate::model::target::{Attribute, Metric, Op};
use std::path::{Path, PathBuf};

/// Where a drafted target was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Table,
    Text,
}

/// A drafted value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(f64),
    Range(f64, f64),
    Assigned,
    /// Qualitative targets.
    None,
}

/// A reference into the document: a 1-based line (or a character offset) and a verbatim quote.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub at: usize,
    pub quote: String,
}

/// One drafted target, with what it says about its indicator.
#[derive(Debug, Clone)]
pub struct Item {
    pub name: String,
    /// The merged cell above a table row, or other context, kept in the indicator's note.
    pub context: Option<String>,
    pub unit: Option<String>,
    pub base: Option<(f64, Quote)>,
    pub lower_is_better: bool,
    pub metric: Metric,
    pub op: Option<Op>,
    pub value: Value,
    pub attribute: Option<Attribute>,
    pub actual: Option<f64>,
    /// The target's year when it is not the plan's target year.
    pub year: Option<i32>,
    /// `cagr_gap` relative to the economy (与经济增长同步).
    pub relative_to_gdp: bool,
    pub source: Quote,
    pub origin: Origin,
    /// (base year, target year) of the table it came from, when the table states them.
    pub period: Option<(i32, i32)>,
    pub note: Option<String>,
}

/// Something the importer saw but could not read with confidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub at: usize,
    pub text: String,
    pub reason: String,
}

/// Options of an import.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub plan_id: Option<String>,
    pub base_year: Option<i32>,
    pub target_year: Option<i32>,
}

/// Everything read from one document, before it is written.
#[derive(Debug, Clone)]
pub struct Reading {
    pub title: String,
    pub char_offsets: bool,
    pub tables: usize,
    pub items: Vec<Item>,
    pub reviews: Vec<Review>,
    /// (base year, target year) of the plan, as given or inferred.
    pub base_year: i32,
    pub target_year: i32,
    pub encoding: decode::Encoding,
}

/// Reads a document's text (already decoded).
pub fn read_text(text: &str, opts: &Options) -> Reading {
    let d = doc::Doc::new(text);
    let tables = table::find(&d);
    let (base_year, target_year) = period(&d, &tables, opts);
    let mut items = Vec::new();
    let mut reviews = Vec::new();
    for t in &tables {
        rows::draft(&d, t, &mut items, &mut reviews);
    }
    let table_lines: Vec<(usize, usize)> = tables
        .iter()
        .map(|t| (t.line, t.end.saturating_sub(1)))
        .collect();
    let mut text_items = Vec::new();
    text::draft(
        &d,
        &table_lines,
        base_year,
        target_year,
        &mut text_items,
        &mut reviews,
    );
    // The text often restates a target of the indicator table: keep the table's statement only.
    // Only a table of the same period restates it (not the review table of the previous plan),
    // and only under a close name (one containing the other, or two two-character runs shared).
    let from_tables = items.len();
    for it in text_items {
        let repeated = items[..from_tables].iter().any(|o: &Item| {
            it.metric != crate::model::target::Metric::Qualitative
                && o.metric == it.metric
                && o.op == it.op
                && o.value == it.value
                && o.year == it.year
                && o.period
                    .is_none_or(|(_, end)| end == it.year.unwrap_or(target_year))
                && if it.value == Value::Assigned {
                    // An assigned value tells no two indicators apart (单位地区生产总值能源消耗
                    // and 单位地区生产总值二氧化碳排放 are both 按省下达): one name must contain
                    // the other.
                    measure::names_contain(&o.name, &it.name)
                } else {
                    measure::names_close(&o.name, &it.name)
                    // A value as specific as 35.21 under a name sharing a run (林木覆盖率,
                    // 林木绿化率) restates it too.
                    || specific(&it.value) && measure::names_compatible(&o.name, &it.name)
                }
        });
        if !repeated {
            items.push(it);
        }
    }
    // A plan restates its targets (in boxes, 专栏, and summaries): within one part of the
    // document, a text target stated again (same name, metric, op, value and year) is one
    // target, and the first statement is kept. A part ends where the top-level numbering
    // restarts (一、, 第一章, 第一篇, 第一部分), as it does for each plan of a document that
    // bundles several.
    let restarts: Vec<usize> = if d.char_offsets {
        Vec::new()
    } else {
        d.lines
            .iter()
            .filter(|l| restarts_numbering(&l.text))
            .map(|l| l.no)
            .collect()
    };
    let part_of = |at: usize| restarts.partition_point(|&no| no <= at);
    let mut kept: Vec<Item> = Vec::with_capacity(items.len());
    for it in items {
        let again = it.origin == Origin::Text
            && kept.iter().any(|o| {
                o.origin == Origin::Text
                    && without_brackets(&o.name) == without_brackets(&it.name)
                    && o.metric == it.metric
                    && o.op == it.op
                    && o.value == it.value
                    && o.year == it.year
                    && part_of(o.source.at) == part_of(it.source.at)
            });
        if !again {
            kept.push(it);
        }
    }
    let items = kept;
    let title = d
        .lines
        .iter()
        .map(|l| l.text.trim())
        .find(|l| !l.is_empty())
        .map(|l| l.chars().take(80).collect())
        .unwrap_or_default();
    Reading {
        title,
        char_offsets: d.char_offsets,
        tables: tables.len(),
        items,
        reviews,
        base_year,
        target_year,
        encoding: decode::Encoding::Utf8,
    }
}

/// A value with two or more decimals (35.21, 41.33): too specific to recur by chance.
fn specific(v: &Value) -> bool {
    let decimals = |x: f64| (x * 10.0 - (x * 10.0).round()).abs() > 1e-6;
    match v {
        Value::Number(x) => decimals(*x),
        Value::Range(a, b) => decimals(*a) && decimals(*b),
        _ => false,
    }
}

/// A heading that starts the top-level numbering again: 一、, 第一章, 第一篇, 第一部分.
fn restarts_numbering(line: &str) -> bool {
    let t = line.trim_start_matches(|c: char| c.is_whitespace() || c == '　');
    t.starts_with("一、")
        || ["第一章", "第一篇", "第一部分"]
            .iter()
            .any(|w| t.starts_with(w))
}

/// The plan's base and target years: as given, else the latest plan (non-review) table's header,
/// else the year most often named in "到YYYY年", else the most recent five-year plan named.
fn period(d: &doc::Doc, tables: &[table::Table], opts: &Options) -> (i32, i32) {
    let from_table = tables
        .iter()
        .filter(|t| !t.review)
        .filter_map(|t| Some((t.base_year?, t.target_year?)))
        .filter(|(b, t)| b < t)
        .max_by_key(|(_, t)| *t);
    let mut counts = std::collections::BTreeMap::<i32, usize>::new();
    for l in &d.lines {
        // `到 2025 年` in text extracted from PDF: spaces do not count.
        let s: String = l.text.chars().filter(|c| *c != ' ').collect();
        let s = &s;
        for (k, _) in s.match_indices('到') {
            let head: String = s[k + '到'.len_utf8()..].chars().take(5).collect();
            if head.ends_with('年')
                && head.chars().take(4).all(|c| c.is_ascii_digit())
                && let Some(y) = header::year_in(&head)
            {
                *counts.entry(y).or_default() += 1;
            }
        }
    }
    let fyp = [
        ("十五五", 2030),
        ("十四五", 2025),
        ("十三五", 2020),
        ("十二五", 2015),
    ]
    .iter()
    .map(|(w, y)| (d.lines.iter().filter(|l| l.text.contains(w)).count(), *y))
    .filter(|(n, _)| *n > 0)
    .max_by_key(|(n, y)| (*n, *y))
    .map(|x| x.1);
    let by_text = counts
        .iter()
        .filter(|(y, _)| **y % 5 == 0)
        .max_by_key(|(y, n)| (**n, -**y))
        .map(|(y, _)| *y);
    let target = opts
        .target_year
        .or(from_table.map(|x| x.1))
        .or(by_text)
        .or(fyp)
        .unwrap_or(2025);
    let base = opts
        .base_year
        .or(from_table.filter(|x| x.1 == target).map(|x| x.0))
        .unwrap_or(target - 5);
    (base, target)
}

/// What `import` wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// Files written: the plan, and a review plan when the document also holds a review table of
    /// another period.
    pub files: Vec<(PathBuf, write::Counts)>,
    pub tables: usize,
    pub encoding: decode::Encoding,
}

/// Reads `doc`, drafts its plan file(s) and writes them atomically to `out` (default: the plan id
/// with `.toml` in the current directory). Refuses to overwrite unless `force`.
pub fn import(doc_path: &Path, out: Option<&Path>, force: bool, opts: &Options) -> Result<Written> {
    let bytes = std::fs::read(doc_path).map_err(|e| {
        Error::file(
            doc_path,
            format!("cannot read {}: {e}", doc_path.display()),
            "check the path of the plan document",
        )
    })?;
    let (text, encoding) = decode::decode(doc_path, &bytes)?;
    let mut reading = read_text(&text, opts);
    reading.encoding = encoding;
    let stem = doc_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan".into());
    let stem = out
        .and_then(|o| o.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or(stem);
    let plan_id = match &opts.plan_id {
        Some(id) => {
            if !slug::is_plan_id(id) {
                return Err(Error::usage(
                    format!("--plan-id `{id}` is not a valid plan id"),
                    "use ASCII letters, digits, - and _ (e.g. zhumadian-15fyp)",
                ));
            }
            id.clone()
        }
        None => slug::plan_id(&stem),
    };
    let out = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(format!("{plan_id}.toml")));
    let drafts = write::drafts(&reading, &plan_id, doc_path)?;
    let mut files = Vec::new();
    let mut planned = Vec::new();
    for (k, d) in drafts.iter().enumerate() {
        let path = if k == 0 {
            out.clone()
        } else {
            let s = out
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.with_file_name(format!("{s}-{}.toml", d.suffix))
        };
        if path.exists() && !force {
            return Err(Error::usage(
                format!("{} exists", path.display()),
                "pass --force to overwrite it, or --out to write elsewhere",
            ));
        }
        planned.push(path);
    }
    for (d, path) in drafts.iter().zip(&planned) {
        write::check(&d.text, path)?;
    }
    for (d, path) in drafts.into_iter().zip(planned) {
        crate::output::write_file(&path, d.text.as_bytes())?;
        files.push((path, d.counts));
    }
    Ok(Written {
        files,
        tables: reading.tables,
        encoding,
    })
}

/// The console summary of an import: tables found, targets drafted, entries for review, files.
pub fn summary(doc: &Path, w: &Written) -> String {
    let mut s = format!(
        "{}: {} ({}), {} indicator table{} found\n",
        doc.display(),
        "read",
        w.encoding.name(),
        w.tables,
        if w.tables == 1 { "" } else { "s" }
    );
    for (path, c) in &w.files {
        s.push_str(&format!(
            "wrote {}: {} targets ({} from tables, {} from the text) of {} indicators; {} entries for review (# REVIEW)\n",
            path.display(),
            c.table_targets + c.text_targets,
            c.table_targets,
            c.text_targets,
            c.indicators,
            c.reviews
        ));
    }
    if let Some((p, _)) = w.files.first() {
        s.push_str(&format!(
            "next: check the draft against the document, then `attain init {} --out scenario.toml`\n",
            p.display()
        ));
    }
    s
}

/// A name without its bracketed parts (a restatement may give other examples in brackets).
fn without_brackets(name: &str) -> String {
    let mut out = String::new();
    let mut depth = 0i32;
    for c in name.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = (depth - 1).max(0),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names of the targets read from running text.
    fn text_names(r: &Reading) -> Vec<&str> {
        r.items
            .iter()
            .filter(|i| i.origin == Origin::Text)
            .map(|i| i.name.as_str())
            .collect()
    }

    #[test]
    fn only_a_table_of_the_same_period_restates_a_text_target() {
        let text = "表1 “十三五”主要指标完成情况\n指标\t2015年基数\t2020年目标\t2020年完成值\t属性\n农村自来水普及率(%)\t56.8\t80\t93\t预期性\n注：完\n表2 “十四五”主要指标\n指标\t2020年基数\t2025年目标\t属性\n常住人口城镇化率(%)\t50\t60\t预期性\n注：完\n到2025年，农村居民健康知识知晓率达到80%以上，城镇化率达到60%。\n";
        let r = read_text(text, &Options::default());
        let text_items: Vec<&Item> = r
            .items
            .iter()
            .filter(|i| i.origin == Origin::Text)
            .collect();
        // 80 % of another indicator in the review table of 2015–2020 is no restatement; the
        // urbanisation rate of the 2020–2025 table is.
        assert_eq!(text_items.len(), 1, "{text_items:?}");
        assert_eq!(text_items[0].name, "农村居民健康知识知晓率");
    }

    #[test]
    fn an_assigned_value_restates_only_under_a_containing_name() {
        let text = "指标\t2020年基数\t2025年目标\t属性\n单位生产总值用水量降低(%)\t—\t按省下达\t约束性\n注：完\n到2025年，单位生产总值建设用地面积下降完成省下达目标，单位生产总值用水量降低完成省下达目标。\n";
        let r = read_text(text, &Options::default());
        let text_items = text_names(&r);
        // Both are assigned reductions named 单位生产总值…: only the one the table states is a
        // restatement.
        assert_eq!(text_items, vec!["单位生产总值建设用地面积"]);
    }

    #[test]
    fn a_specific_value_restates_a_table_target_under_a_name_sharing_a_run() {
        let text = "指标\t2020年基数\t2025年目标\t属性\n森林覆盖率(%)\t30.1\t32.47\t约束性\n湿地保护率(%)\t50\t55\t约束性\n注：完\n到2025年，森林绿化率达到32.47%，湿地面积保有率达到55%。\n";
        let r = read_text(text, &Options::default());
        let text_items = text_names(&r);
        // 32.47 restates the table's; a round 55 under a name sharing one run does not.
        assert_eq!(text_items, vec!["湿地面积保有率"], "{:?}", r.items);
    }

    #[test]
    fn a_restatement_may_list_other_examples_in_brackets() {
        let text = "一、创新\n新增20家省级研发中心(重点实验室、技术中心)。\n专栏1 创新工程\n新增20家省级研发中心(技术中心、工程中心)。\n";
        let r = read_text(text, &Options::default());
        assert_eq!(r.items.len(), 1, "{:?}", r.items);
        assert_eq!(r.items[0].source.at, 2);
    }

    #[test]
    fn a_target_restated_in_the_same_part_is_drafted_once() {
        let text = "一、发展目标\n到2025年，全市培育科技小巨人企业20家以上。\n二、重点工程\n专栏1 创新工程\n培育科技小巨人企业20家以上。\n一、总体思路\n到2025年，全县培育科技小巨人企业20家以上。\n";
        let r = read_text(text, &Options::default());
        let lines: Vec<usize> = r
            .items
            .iter()
            .filter(|i| i.name == "科技小巨人企业")
            .map(|i| i.source.at)
            .collect();
        // The box restates the target of its part; the part that restarts the numbering (a
        // second plan in the document) states its own.
        assert_eq!(lines, vec![2, 7], "{:?}", r.items);
    }
}
