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

/// How many two-character runs two names share (to pick the best of several candidates).
fn shared_pairs(a: &str, b: &str) -> usize {
    let (a, b) = (clean(a), clean(b));
    a.windows(2)
        .filter(|w| b.windows(2).any(|v| v == *w))
        .count()
}

fn matches(d: &Key, s: &Key, reach: i64) -> bool {
    d.metric == s.metric
        && d.op == s.op
        && d.attribute == s.attribute
        && same_value(&d.value, &s.value)
        && (d.at - s.at).abs() <= reach
        && names_compatible(&d.name, &s.name)
}

fn score(drafted: &[Key], seed: &[Key], reach: i64) -> Score {
    let mut used = vec![false; drafted.len()];
    let mut matched = 0;
    let debug = std::env::var_os("ATTAIN_IMPORT_MISSES").is_some();
    for s in seed {
        let best = (0..drafted.len())
            .filter(|k| !used[*k] && matches(&drafted[*k], s, reach))
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
            eprintln!("missed  {s:?}");
        }
    }
    if debug {
        for (k, d) in drafted.iter().enumerate().filter(|(k, _)| !used[*k]) {
            let _ = k;
            eprintln!("unmatched draft {d:?}");
        }
    }
    Score {
        seed: seed.len(),
        drafted: drafted.len(),
        matched,
    }
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
        table: score(&d_table, &seed_table, reach),
        text: score(&d_text, &seed_text, reach),
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
