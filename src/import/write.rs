//! The draft as TOML in the format of `seeds/*.toml`: `[plan]`, then per indicator its
//! `[[indicator]]` and its `[[target]]`s, each with `source = { line, quote }`, then the entries
//! left for review as `# REVIEW:` comments with their line. A document that also holds a review
//! table of an earlier period (基数 / 目标 / 完成值 for 2015–2020) gets a second draft for that
//! period. Every draft is parsed by the plan parser before anything is written.

use super::slug::{self, Ids};
use super::{Item, Origin, Reading, Review, Value};
use crate::error::{Error, Result};
use crate::model::target::{Attribute, Metric, Op};
use crate::source::Source;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// What a draft holds, for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub indicators: usize,
    pub table_targets: usize,
    pub text_targets: usize,
    pub reviews: usize,
}

/// One plan file to write.
#[derive(Debug, Clone)]
pub struct Draft {
    /// `""` for the main draft, `review-2015-2020` for a review period.
    pub suffix: String,
    pub base_year: i32,
    pub target_year: i32,
    pub text: String,
    pub counts: Counts,
    /// The targets written, in order.
    pub items: Vec<Item>,
}

fn s(v: &str) -> String {
    toml::Value::String(v.to_string()).to_string()
}

fn num(v: f64) -> String {
    let v = if v == 0.0 { 0.0 } else { v };
    format!("{v:?}")
}

fn metric_name(m: Metric) -> &'static str {
    m.name()
}

fn op_name(o: Op) -> &'static str {
    match o {
        Op::AtLeast => "at_least",
        Op::AtMost => "at_most",
        Op::About => "about",
        Op::Between => "between",
    }
}

/// The drafts of a reading: the plan period first, then any review periods.
pub fn drafts(r: &Reading, plan_id: &str, doc: &Path) -> Result<Vec<Draft>> {
    let main = (r.base_year, r.target_year);
    let mut periods: BTreeMap<(i32, i32), Vec<&Item>> = BTreeMap::new();
    for it in &r.items {
        let p = it.period.unwrap_or(main);
        periods.entry(p).or_default().push(it);
    }
    let mut out = vec![build(
        r,
        plan_id,
        doc,
        main,
        periods.remove(&main).unwrap_or_default(),
        &r.reviews,
        "",
    )];
    for ((b, t), items) in periods.into_iter().rev() {
        let suffix = format!("review-{b}-{t}");
        out.push(build(
            r,
            &format!("{plan_id}-{suffix}"),
            doc,
            (b, t),
            items,
            &[],
            &suffix,
        ));
    }
    Ok(out)
}

fn build(
    r: &Reading,
    plan_id: &str,
    doc: &Path,
    (base_year, target_year): (i32, i32),
    items: Vec<&Item>,
    reviews: &[Review],
    suffix: &str,
) -> Draft {
    let mut reviews: Vec<Review> = reviews.to_vec();
    let mut counts = Counts::default();
    // Indicators in order of first appearance, keyed by name and unit.
    let mut order: Vec<(String, Option<String>)> = Vec::new();
    let mut by_ind: BTreeMap<(String, Option<String>), Vec<&Item>> = BTreeMap::new();
    for it in items {
        if it.year.is_some_and(|y| y <= base_year) {
            continue;
        }
        let key = (it.name.clone(), unit_of(it));
        if !by_ind.contains_key(&key) {
            order.push(key.clone());
        }
        by_ind.entry(key).or_default().push(it);
    }
    let mut ids = Ids::default();
    let mut ind_ids: Vec<String> = Vec::new();
    for (name, _) in &order {
        ind_ids.push(ids.unique(&slug::slug(name)));
    }
    // The GDP indicator, if the plan writes one: it must have a target of its own, as targets
    // that only grow with GDP go to review when GDP is their own indicator.
    let gdp = order
        .iter()
        .position(|key| {
            let n = &key.0;
            (n.contains("生产总值") && !n.contains("人均") && !n.contains('占') || n == "GDP")
                && by_ind[key].iter().any(|i| !i.relative_to_gdp)
        })
        .map(|k| ind_ids[k].clone());
    let doc_name = doc
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut t = String::new();
    let _ = writeln!(
        t,
        "# Draft plan file written by `attain import` from {doc_name}."
    );
    let _ = writeln!(
        t,
        "# Check every entry against the document (source = line and quote) before relying on it;"
    );
    let _ = writeln!(
        t,
        "# entries the importer could not read with confidence are listed at the end as # REVIEW."
    );
    if !suffix.is_empty() {
        let _ = writeln!(
            t,
            "# This file holds the review table of {base_year}–{target_year} (realised values as `actual`)."
        );
    }
    let _ = writeln!(t);
    let _ = writeln!(t, "[plan]");
    let _ = writeln!(t, "id = {}", s(plan_id));
    let _ = writeln!(t, "title = {}", s(&r.title));
    let _ = writeln!(t, "source = {}", s(&doc_name));
    let _ = writeln!(t, "base_year = {base_year}");
    let _ = writeln!(t, "target_year = {target_year}");
    if r.char_offsets {
        let _ = writeln!(t, "source_locator = \"char_offset\"");
    }
    let mut written = Vec::new();
    for (k, key) in order.iter().enumerate() {
        let its = &by_ind[key];
        let first = its[0];
        let id = &ind_ids[k];
        // Targets that can be written (a cagr_gap needs a GDP indicator to be relative to).
        let mut ok: Vec<&Item> = Vec::new();
        for it in its {
            if it.relative_to_gdp && gdp.as_ref().is_none_or(|g| g == id) {
                reviews.push(Review {
                    at: it.source.at,
                    text: it.source.quote.clone(),
                    reason: format!("`{}` grows with the economy, but the plan has no GDP indicator to be relative to", it.name),
                });
                continue;
            }
            let numbers = match it.value {
                Value::Number(x) => vec![x],
                Value::Range(a, b) => vec![a, b],
                _ => Vec::new(),
            };
            let out_of_scale = numbers
                .iter()
                .any(|&x| crate::scenario::plan::rate_out_of_scale(it.metric, false, x))
                || it
                    .actual
                    .is_some_and(|x| crate::scenario::plan::rate_out_of_scale(it.metric, true, x));
            if out_of_scale {
                reviews.push(Review {
                    at: it.source.at,
                    text: it.source.quote.clone(),
                    reason: format!(
                        "read as a {} of `{}` beyond 100 %, which a plan file does not take as a \
                         rate: check the document",
                        it.metric.name(),
                        it.name
                    ),
                });
                continue;
            }
            ok.push(it);
        }
        if ok.is_empty() {
            continue;
        }
        counts.indicators += 1;
        let _ = writeln!(t);
        let _ = writeln!(t, "[[indicator]]");
        let _ = writeln!(t, "id = {}", s(id));
        let _ = writeln!(t, "name = {}", s(&first.name));
        if let Some(u) = &key.1 {
            let _ = writeln!(t, "unit = {}", s(u));
        }
        let base = ok.iter().find_map(|i| i.base.clone());
        match &base {
            Some((v, q)) => {
                let _ = writeln!(t, "base = {}", num(*v));
                let _ = writeln!(
                    t,
                    "better = \"{}\"",
                    if first.lower_is_better {
                        "lower"
                    } else {
                        "higher"
                    }
                );
                let _ = writeln!(t, "source = {{ line = {}, quote = {} }}", q.at, s(&q.quote));
            }
            None => {
                let _ = writeln!(t, "# base: not given in the document");
                let _ = writeln!(
                    t,
                    "better = \"{}\"",
                    if first.lower_is_better {
                        "lower"
                    } else {
                        "higher"
                    }
                );
            }
        }
        let mut notes: Vec<String> = Vec::new();
        if let Some(c) = &first.context {
            notes.push(format!("row of the merged cell “{c}”"));
        }
        notes.extend(
            ok.iter()
                .filter_map(|i| i.note.clone())
                .filter(|n| n.starts_with("base column")),
        );
        notes.dedup();
        if !notes.is_empty() {
            let _ = writeln!(t, "note = {}", s(&notes.join("; ")));
        }
        for it in ok {
            let tid = ids.unique(&format!("{id}_{}", target_suffix(it, target_year)));
            let _ = writeln!(t);
            let _ = writeln!(t, "[[target]]");
            let _ = writeln!(t, "id = {}", s(&tid));
            let _ = writeln!(t, "indicator = {}", s(id));
            let _ = writeln!(t, "metric = \"{}\"", metric_name(it.metric));
            if it.metric != Metric::Qualitative {
                if let Some(o) = it.op {
                    let _ = writeln!(t, "op = \"{}\"", op_name(o));
                }
                match &it.value {
                    Value::Number(v) => {
                        let _ = writeln!(t, "value = {}", num(*v));
                    }
                    Value::Range(a, b) => {
                        let _ = writeln!(t, "value = [{}, {}]", num(*a), num(*b));
                    }
                    Value::Assigned => {
                        let _ = writeln!(t, "value = \"assigned\"");
                    }
                    Value::None => {}
                }
            }
            if let Some(a) = it.attribute {
                let _ = writeln!(
                    t,
                    "attribute = \"{}\"",
                    if a == Attribute::Binding {
                        "binding"
                    } else {
                        "expected"
                    }
                );
            }
            if let Some(y) = it.year.filter(|y| *y != target_year) {
                let _ = writeln!(t, "year = {y}");
            }
            if let Some(a) = it.actual {
                let _ = writeln!(t, "actual = {}", num(a));
            }
            if it.relative_to_gdp
                && let Some(g) = &gdp
            {
                let _ = writeln!(t, "relative_to = {}", s(g));
            }
            let _ = writeln!(
                t,
                "source = {{ line = {}, quote = {} }}",
                it.source.at,
                s(&it.source.quote)
            );
            if let Some(n) = it.note.as_ref().filter(|n| !n.starts_with("base column")) {
                let _ = writeln!(t, "note = {}", s(n));
            }
            match it.origin {
                Origin::Table => counts.table_targets += 1,
                Origin::Text => counts.text_targets += 1,
            }
            written.push(it.clone());
        }
    }
    if !reviews.is_empty() {
        let _ = writeln!(t);
        let _ = writeln!(
            t,
            "# Entries left for review: the importer saw them but could not read them with confidence."
        );
        for rv in &reviews {
            let text: String = rv.text.chars().filter(|c| *c != '\n').take(120).collect();
            let _ = writeln!(t, "# REVIEW: line {}: {} — {}", rv.at, text, rv.reason);
        }
    }
    counts.reviews = reviews.len();
    Draft {
        suffix: suffix.to_string(),
        base_year,
        target_year,
        text: t,
        counts,
        items: written,
    }
}

/// The indicator's unit as written: per year for five-year totals.
fn unit_of(it: &Item) -> Option<String> {
    let u = it.unit.clone()?;
    if it.metric == Metric::Sum && !u.ends_with("/年") {
        Some(format!("{u}/年"))
    } else {
        Some(u)
    }
}

fn target_suffix(it: &Item, target_year: i32) -> String {
    let y = it.year.unwrap_or(target_year);
    match it.metric {
        Metric::Cagr => "growth".into(),
        Metric::Reduction => "cut".into(),
        Metric::Sum => "total".into(),
        Metric::Change => "change".into(),
        Metric::Multiple => "multiple".into(),
        Metric::CagrGap => "with_gdp".into(),
        Metric::Qualitative => "goal".into(),
        _ => format!("{y}"),
    }
}

/// Parses a draft as `attain check` does; an error here is a bug of the importer, reported with
/// the draft's path so that it can be looked at.
pub fn check(text: &str, path: &Path) -> Result<()> {
    let src = Source {
        path: path.to_path_buf(),
        text: text.to_string(),
        bytes: text.as_bytes().to_vec(),
    };
    crate::scenario::plan::parse_plan(src).map(|_| ()).map_err(|e| {
        Error::runtime(format!(
            "the draft for {} does not validate (an importer bug; please report it with the document):\n{e}",
            path.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_with_the_economy_of_the_economy_itself_goes_to_review_and_the_draft_validates() {
        // The GDP indicator's only target grows with GDP: no indicator is written for it, so
        // nothing else may be relative to it.
        let text = "地区生产总值增长与经济增长基本同步，居民收入增长与经济增长基本同步。\n";
        let reading = crate::import::read_text(text, &Default::default());
        let path = Path::new("doc.txt");
        for d in drafts(&reading, "p", path).unwrap() {
            check(&d.text, path).unwrap();
            assert!(!d.text.contains("relative_to"), "{}", d.text);
        }
    }

    #[test]
    fn a_growth_rate_of_100_percent_or_more_goes_to_review_and_the_draft_validates() {
        // 100 % a year is no rate a plan file takes (it reads as a percentage written as a
        // number): the importer leaves it for review rather than write a draft that fails.
        let text = "到2025年，跨境电商交易额年均增长100%，旅游收入年均增长8%。\n";
        let reading = crate::import::read_text(text, &Default::default());
        let path = Path::new("doc.txt");
        let ds = drafts(&reading, "p", path).unwrap();
        for d in &ds {
            check(&d.text, path).unwrap();
        }
        let main = &ds[0];
        assert!(main.text.contains("value = 0.08"), "{}", main.text);
        assert!(main.text.contains("# REVIEW: line 1"), "{}", main.text);
        assert!(!main.text.contains("value = 1.0"), "{}", main.text);
    }
}
