//! Measuring the importer against hand-made plan files: for each source document, the precision
//! and recall of the drafted (indicator name, metric, op, value, attribute) against the targets of
//! every plan in `seeds/` whose `source` is that document, for tables and running text apart.
//!
//! * A seed target counts as a **table** target when its source line is a table cell: a line with
//!   a tab, or a short line (≤ 40 characters) without sentence punctuation; every other seed target
//!   (and every target of a one-line document) counts as **text**. A draft target is a table or a
//!   text target by where the importer read it.
//! * A draft target **matches** a seed target of the same kind when the metric, op, attribute
//!   (missing = expected) and value agree (numbers to 1e-6 relative; `assigned` with `assigned`;
//!   both ends of a range), the two point within 2 lines of each other (300 characters in a
//!   one-line document), and the names are compatible: one contains the other, or they share a
//!   run of at least two characters (after dropping brackets, spaces and punctuation). Matching is
//!   one to one, each seed target taking the
//!   compatible draft target whose name shares the most two-character runs with its own.
//! * Precision = matched / drafted, recall = matched / seed targets.
//! * The **strict** measure is the one above. A **tolerant** measure, reported beside it and never
//!   instead of it, also counts as a match the two conventions on which the hand-made seed plans
//!   disagree with each other, nothing else (names, lines and values are compared as strictly):
//!   a five-year addition (新增 / 新建 / 建设 N个) as `sum` or as `level`, same op and value; and a
//!   cut in percent as a `reduction` of the quantity (fraction v) or as a `level` of the cut rate
//!   (100·v, the seed's name saying 降低 / 下降 / 减少 / 降幅), same op, `assigned` with `assigned`.

use super::write;
use super::{Item, Origin, Value};
use crate::error::Result;
use crate::model::Plan;
use crate::model::target::{Attribute, Metric, Op, TargetValue};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Counts for one kind of target in one document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    pub seed: usize,
    pub drafted: usize,
    pub matched: usize,
}

impl Score {
    pub fn precision(&self) -> Option<f64> {
        (self.drafted > 0).then(|| self.matched as f64 / self.drafted as f64)
    }
    pub fn recall(&self) -> Option<f64> {
        (self.seed > 0).then(|| self.matched as f64 / self.seed as f64)
    }
    fn add(&mut self, o: &Score) {
        self.seed += o.seed;
        self.drafted += o.drafted;
        self.matched += o.matched;
    }
}

/// The measurement of one document.
#[derive(Debug, Clone)]
pub struct DocScore {
    pub document: String,
    pub plans: Vec<String>,
    pub table: Score,
    pub text: Score,
    /// The same counts under the tolerant measure (see the module doc): either convention of the
    /// two the seed plans disagree on counts as a match.
    pub table_tolerant: Score,
    pub text_tolerant: Score,
    /// Text targets of the seeds that are qualitative (no number to read).
    pub text_qualitative: usize,
}

/// A target reduced to what is compared.
#[derive(Debug, Clone)]
struct Key {
    name: String,
    metric: Metric,
    op: Option<Op>,
    value: Value,
    attribute: Attribute,
    at: i64,
}

fn from_seed(p: &Plan, t: &crate::model::Target) -> Key {
    Key {
        name: p.indicators[t.indicator].name.clone(),
        metric: t.metric,
        op: if t.metric == Metric::Qualitative {
            None
        } else {
            t.op
        },
        value: match t.value {
            TargetValue::Number(v) => Value::Number(v),
            TargetValue::Range(a, b) => Value::Range(a, b),
            TargetValue::Assigned => Value::Assigned,
            TargetValue::None => Value::None,
        },
        attribute: t.attribute,
        at: t.source.as_ref().map_or(-1, |s| s.line),
    }
}

fn from_item(it: &Item) -> Key {
    Key {
        name: it.name.clone(),
        metric: it.metric,
        op: if it.metric == Metric::Qualitative {
            None
        } else {
            it.op
        },
        value: it.value.clone(),
        attribute: it.attribute.unwrap_or(Attribute::Expected),
        at: it.source.at as i64,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1e-9)
}

fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => close(*x, *y),
        (Value::Range(a1, b1), Value::Range(a2, b2)) => close(*a1, *a2) && close(*b1, *b2),
        (Value::Assigned, Value::Assigned) | (Value::None, Value::None) => true,
        _ => false,
    }
}

fn clean(s: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = (depth - 1i32).max(0),
            _ if depth > 0 => {}
            _ if c.is_whitespace()
                || c.is_ascii_punctuation()
                || "，、。；：“”‘’《》【】—·/".contains(c) => {}
            _ => out.push(c),
        }
    }
    out
}

/// Names compatible: containment, or a common run of two or more characters.
pub fn names_compatible(a: &str, b: &str) -> bool {
    let (a, b) = (clean(a), clean(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    for w in a.windows(2) {
        if b.windows(2).any(|v| v == w) {
            return true;
        }
    }
    a.len() == 1 && b.contains(&a[0]) || b.len() == 1 && a.contains(&b[0])
}

/// Names close enough to be the same indicator: one contains the other, or they share at least
/// two two-character runs (after dropping brackets, spaces and punctuation).
pub fn names_close(a: &str, b: &str) -> bool {
    let (ca, cb) = (clean(a), clean(b));
    if ca.is_empty() || cb.is_empty() {
        return false;
    }
    let contains = |x: &[char], y: &[char]| x.windows(y.len()).any(|w| w == y);
    contains(&ca, &cb) || contains(&cb, &ca) || shared_pairs(a, b) >= 2
}

/// One name contains the other (after dropping brackets, spaces and punctuation).
pub fn names_contain(a: &str, b: &str) -> bool {
    let (ca, cb) = (clean(a), clean(b));
    if ca.is_empty() || cb.is_empty() {
        return false;
    }
    let contains = |x: &[char], y: &[char]| x.windows(y.len()).any(|w| w == y);
    contains(&ca, &cb) || contains(&cb, &ca)
}

/// How many two-character runs two names share (to pick the best of several candidates).
fn shared_pairs(a: &str, b: &str) -> usize {
    let (a, b) = (clean(a), clean(b));
    a.windows(2)
        .filter(|w| b.windows(2).any(|v| v == *w))
        .count()
}

fn matches(d: &Key, s: &Key, reach: i64, tolerant: bool) -> bool {
    let same = d.metric == s.metric && d.op == s.op && same_value(&d.value, &s.value);
    (same || tolerant && (same_addition(d, s) || same_cut(d, s) || same_cut(s, d)))
        && d.attribute == s.attribute
        && (d.at - s.at).abs() <= reach
        && names_compatible(&d.name, &s.name)
}

/// The tolerant measure's first equivalence: an addition over the plan period (新增, 新建, 建设
/// N个 …) written as a five-year `sum` by one hand transcription and as a `level` by another, with
/// the same op and value.
fn same_addition(a: &Key, b: &Key) -> bool {
    let pair = |m: Metric| matches!(m, Metric::Sum | Metric::Level);
    pair(a.metric)
        && pair(b.metric)
        && a.metric != b.metric
        && a.op == b.op
        && same_value(&a.value, &b.value)
}

/// The tolerant measure's second equivalence: a cut in percent (降低率, 降幅, 下降, 减少, 按市定目标
/// 执行) written as a `reduction` of the quantity (a fraction) by one transcription and as a
/// `level` of the cut rate (in percent, its name saying the cut) by another, same op.
fn same_cut(r: &Key, l: &Key) -> bool {
    r.metric == Metric::Reduction
        && l.metric == Metric::Level
        && r.op == l.op
        && super::units::names_a_cut(&l.name)
        && match (&r.value, &l.value) {
            (Value::Number(x), Value::Number(y)) => close(100.0 * x, *y),
            (Value::Assigned, Value::Assigned) => true,
            _ => false,
        }
}

fn score(
    drafted: &[Key],
    seed: &[Key],
    reach: i64,
    tolerant: bool,
    label: &str,
    lines: &[&str],
) -> Score {
    let mut used = vec![false; drafted.len()];
    let mut matched = 0;
    let debug = !tolerant && std::env::var_os("ATTAIN_IMPORT_MISSES").is_some();
    for s in seed {
        let best = (0..drafted.len())
            .filter(|k| !used[*k] && matches(&drafted[*k], s, reach, tolerant))
            .max_by_key(|k| {
                (
                    shared_pairs(&drafted[*k].name, &s.name),
                    std::cmp::Reverse(*k),
                )
            });
        if let Some(k) = best {
            used[k] = true;
            matched += 1;
        } else if debug {
            eprintln!("{label} missed  {s:?}\n    | {}", line_at(lines, s.at));
        }
    }
    if debug {
        for (_, d) in drafted.iter().enumerate().filter(|(k, _)| !used[*k]) {
            eprintln!(
                "{label} unmatched draft {d:?}\n    | {}",
                line_at(lines, d.at)
            );
        }
    }
    Score {
        seed: seed.len(),
        drafted: drafted.len(),
        matched,
    }
}

/// The line a key points at, shortened (for the list of misses).
fn line_at(lines: &[&str], at: i64) -> String {
    let non_empty: Vec<&&str> = lines.iter().filter(|l| !l.trim().is_empty()).collect();
    let l = if non_empty.len() == 1 {
        let at = at.max(0) as usize;
        non_empty[0]
            .chars()
            .skip(at.saturating_sub(40))
            .take(120)
            .collect()
    } else {
        lines
            .get((at - 1).max(0) as usize)
            .map_or(String::new(), |l| l.chars().take(160).collect())
    };
    l.replace('\t', " | ")
}

/// True when a seed target's source line is a table cell.
fn is_cell(line: &str) -> bool {
    let t = line.trim();
    t.contains('\t') || (t.chars().count() <= 40 && !t.contains(['，', '。', '；', ',', ';', '：']))
}

/// Measures the importer on every document that the plans under `seeds` name, read from `docs`.
pub fn measure(seeds: &Path, docs: &Path) -> Result<Vec<DocScore>> {
    let mut by_doc: BTreeMap<String, Vec<Plan>> = BTreeMap::new();
    let mut files: Vec<_> = std::fs::read_dir(seeds)
        .map_err(|e| crate::error::Error::runtime(format!("{}: {e}", seeds.display())))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    for f in files {
        let p = crate::scenario::load_plan(&f)?.plan;
        if let Some(s) = p.source.clone() {
            by_doc.entry(s).or_default().push(p);
        }
    }
    let mut out = Vec::new();
    for (doc, plans) in by_doc {
        let path = docs.join(&doc);
        let bytes = std::fs::read(&path)
            .map_err(|e| crate::error::Error::runtime(format!("{}: {e}", path.display())))?;
        let (text, _) = super::decode::decode(&path, &bytes)?;
        out.push(measure_one(&doc, &text, &path, &plans)?);
    }
    Ok(out)
}

/// Measures the importer on one document's text against its seed plans.
pub fn measure_one(doc: &str, text: &str, path: &Path, plans: &[Plan]) -> Result<DocScore> {
    let reading = super::read_text(text, &super::Options::default());
    let lines: Vec<&str> = text.split('\n').collect();
    let char_docs = reading.char_offsets;
    let mut seed_table = Vec::new();
    let mut seed_text = Vec::new();
    let mut text_qualitative = 0;
    for p in plans {
        for t in &p.targets {
            let k = from_seed(p, t);
            let cell =
                !char_docs && k.at >= 1 && lines.get(k.at as usize - 1).is_some_and(|l| is_cell(l));
            if cell {
                seed_table.push(k);
            } else {
                if k.metric == Metric::Qualitative {
                    text_qualitative += 1;
                }
                seed_text.push(k);
            }
        }
    }
    let mut d_table = Vec::new();
    let mut d_text = Vec::new();
    for d in write::drafts(&reading, "measure", path)? {
        for it in &d.items {
            match it.origin {
                Origin::Table => d_table.push(from_item(it)),
                Origin::Text => d_text.push(from_item(it)),
            }
        }
    }
    let reach = if char_docs { 300 } else { 2 };
    Ok(DocScore {
        document: doc.to_string(),
        plans: plans.iter().map(|p| p.id.clone()).collect(),
        table: score(
            &d_table,
            &seed_table,
            reach,
            false,
            &format!("{doc} table"),
            &lines,
        ),
        text: score(
            &d_text,
            &seed_text,
            reach,
            false,
            &format!("{doc} text"),
            &lines,
        ),
        table_tolerant: score(&d_table, &seed_table, reach, true, "", &lines),
        text_tolerant: score(&d_text, &seed_text, reach, true, "", &lines),
        text_qualitative,
    })
}

fn pct(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{:.1} %", 100.0 * v))
}

/// The measurement as a Markdown table (one row per document and a total).
pub fn render(scores: &[DocScore]) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "| document | seed plans | tables: seed / drafted / matched | precision | recall | text: seed (qualitative) / drafted / matched | precision | recall |"
    );
    let _ = writeln!(t, "|---|---|---|---|---|---|---|---|");
    let mut tab = Score::default();
    let mut txt = Score::default();
    let mut q = 0;
    for s in scores {
        tab.add(&s.table);
        txt.add(&s.text);
        q += s.text_qualitative;
        let _ = writeln!(
            t,
            "| {} | {} | {} / {} / {} | {} | {} | {} ({}) / {} / {} | {} | {} |",
            s.document,
            s.plans.join(", "),
            s.table.seed,
            s.table.drafted,
            s.table.matched,
            pct(s.table.precision()),
            pct(s.table.recall()),
            s.text.seed,
            s.text_qualitative,
            s.text.drafted,
            s.text.matched,
            pct(s.text.precision()),
            pct(s.text.recall()),
        );
    }
    let _ = writeln!(
        t,
        "| **all** | | {} / {} / {} | {} | {} | {} ({}) / {} / {} | {} | {} |",
        tab.seed,
        tab.drafted,
        tab.matched,
        pct(tab.precision()),
        pct(tab.recall()),
        txt.seed,
        q,
        txt.drafted,
        txt.matched,
        pct(txt.precision()),
        pct(txt.recall()),
    );
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "Tolerant measure (either convention where the seed plans disagree: five-year additions as `sum` or `level`; cuts in % as `reduction` or as a `level` of the cut rate):"
    );
    let _ = writeln!(t);
    let _ = writeln!(
        t,
        "| document | tables: matched | precision | recall | text: matched | precision | recall |"
    );
    let _ = writeln!(t, "|---|---|---|---|---|---|---|");
    let mut tab = Score::default();
    let mut txt = Score::default();
    for s in scores {
        tab.add(&s.table_tolerant);
        txt.add(&s.text_tolerant);
        let _ = writeln!(
            t,
            "| {} | {} | {} | {} | {} | {} | {} |",
            s.document,
            s.table_tolerant.matched,
            pct(s.table_tolerant.precision()),
            pct(s.table_tolerant.recall()),
            s.text_tolerant.matched,
            pct(s.text_tolerant.precision()),
            pct(s.text_tolerant.recall()),
        );
    }
    let _ = writeln!(
        t,
        "| **all** | {} | {} | {} | {} | {} | {} |",
        tab.matched,
        pct(tab.precision()),
        pct(tab.recall()),
        txt.matched,
        pct(txt.precision()),
        pct(txt.recall()),
    );
    t
}

/// Totals over documents: (tables, text).
pub fn totals(scores: &[DocScore]) -> (Score, Score) {
    let mut tab = Score::default();
    let mut txt = Score::default();
    for s in scores {
        tab.add(&s.table);
        txt.add(&s.text);
    }
    (tab, txt)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str, metric: Metric, op: Op, value: Value) -> Key {
        Key {
            name: name.into(),
            metric,
            op: Some(op),
            value,
            attribute: Attribute::Expected,
            at: 10,
        }
    }

    #[test]
    fn close_names() {
        assert!(names_close("常住人口城镇化率", "城镇化率"));
        assert!(names_close("地区生产总值增长率(%)", "地区生产总值"));
        assert!(!names_close(
            "农村自来水普及率",
            "农村普通人群心理健康知识知晓率"
        ));
    }

    #[test]
    fn the_tolerant_measure_accepts_only_the_two_conventions_the_seeds_disagree_on() {
        let n = Value::Number;
        let sum = key("新建污水管道", Metric::Sum, Op::AtLeast, n(4.0));
        let level = key("新建污水管道长度", Metric::Level, Op::AtLeast, n(4.0));
        assert!(!matches(&sum, &level, 2, false));
        assert!(matches(&sum, &level, 2, true));
        // Not another op, value or metric.
        let about = key("新建污水管道长度", Metric::Level, Op::About, n(4.0));
        assert!(!matches(&sum, &about, 2, true));
        let change = key("新建污水管道长度", Metric::Change, Op::AtLeast, n(4.0));
        assert!(!matches(&sum, &change, 2, true));
        // A cut in % as a reduction (fraction) or as a level of the cut rate (percent).
        let red = key("单位GDP能耗", Metric::Reduction, Op::AtLeast, n(0.025));
        let rate = key("单位GDP能耗降低率", Metric::Level, Op::AtLeast, n(2.5));
        assert!(!matches(&red, &rate, 2, false));
        assert!(matches(&red, &rate, 2, true));
        assert!(matches(&rate, &red, 2, true));
        let assigned = key(
            "单位GDP能耗",
            Metric::Reduction,
            Op::AtLeast,
            Value::Assigned,
        );
        let assigned_rate = key(
            "单位GDP能耗降幅",
            Metric::Level,
            Op::AtLeast,
            Value::Assigned,
        );
        assert!(matches(&assigned, &assigned_rate, 2, true));
        // The level's name must say the cut; names, lines and values stay strict.
        let plain = key("单位GDP能耗", Metric::Level, Op::AtLeast, n(2.5));
        assert!(!matches(&red, &plain, 2, true));
        let far = Key {
            at: 20,
            ..level.clone()
        };
        assert!(!matches(&sum, &far, 2, true));
        let other = key("公厕", Metric::Level, Op::AtLeast, n(4.0));
        assert!(!matches(&sum, &other, 2, true));
    }
}
