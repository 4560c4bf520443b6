//! Table rows to drafted targets: the name and unit from the name cell, the base from the base
//! column, one target from the target column and one from a yearly-growth column, the realised
//! value of a review table as `actual`, the attribute as stated.
//!
//! Metric rules (those of seeds/CONVENTIONS.md): `年均增长x` → cagr; `【x】` five-year totals → sum
//! (or change for shares and years; reduction for cuts in %); a cut in % (`降低`, `降幅`) → reduction;
//! a plain number → level, at least (at most when lower is better) unless 左右 / 以上 / 以内 say
//! otherwise, or the row's growth cell says 左右 (the level is then about); `按省下达` → assigned; `与经济增长同步` → cagr_gap 0 relative to GDP.

use super::doc::Doc;
use super::header::Role;
use super::table::{CellAt, Row, Table};
use super::units;
use super::value::{self, Cell, Num};
use super::{Item, Origin, Quote, Review, Value};
use crate::model::target::{Attribute, Metric, Op};

/// Appends the targets of `t`'s rows to `items`, and what it could not read to `reviews`.
pub fn draft(d: &Doc, t: &Table, items: &mut Vec<Item>, reviews: &mut Vec<Review>) {
    let period = match (t.base_year, t.target_year) {
        (Some(b), Some(e)) if b < e => Some((b, e)),
        _ => None,
    };
    for (line, why) in &t.unread {
        let l = &d.lines[*line];
        reviews.push(Review {
            at: l.no,
            text: l.text.trim().to_string(),
            reason: why.clone(),
        });
    }
    let mut carried_assigned: Option<String> = None;
    // (parent, attribute) of the previous row.
    let mut prev: Option<(Option<String>, Option<String>)> = None;
    for row in &t.rows {
        if row.parent.is_none() {
            carried_assigned = None;
        }
        // A merged attribute cell (约束性 over the sub-rows of 主要污染物排放总量减少) carries down
        // to the sub-rows of the same parent that state none.
        let carried = match &prev {
            Some((pp, pa))
                if row.attribute.is_none()
                    && row.parent.is_some()
                    && row.parent == *pp
                    && pa.is_some() =>
            {
                Some(Row {
                    attribute: pa.clone(),
                    ..row.clone()
                })
            }
            _ => None,
        };
        let row = carried.as_ref().unwrap_or(row);
        prev = Some((row.parent.clone(), row.attribute.clone()));
        let before = items.len();
        row_items(d, row, period, &mut carried_assigned, items, reviews);
        for it in &mut items[before..] {
            it.origin = Origin::Table;
            // `地区生产总值增长率(%)`: the % is the rate's unit, not the indicator's.
            if matches!(
                it.metric,
                Metric::Cagr | Metric::Reduction | Metric::CagrGap
            ) && it.unit.as_deref().is_some_and(units::is_share)
            {
                it.unit = None;
            }
        }
    }
}

fn quote(d: &Doc, c: &CellAt) -> Quote {
    let l = &d.lines[c.line];
    let q = c.text.trim().to_string();
    Quote {
        at: d.locate(l, &q).unwrap_or(l.no),
        quote: q,
    }
}

fn row_items(
    d: &Doc,
    row: &Row,
    period: Option<(i32, i32)>,
    carried_assigned: &mut Option<String>,
    items: &mut Vec<Item>,
    reviews: &mut Vec<Review>,
) {
    let (raw_name, unit) = units::split_name(&row.name.text);
    let (parent_name, parent_unit) = match &row.parent {
        Some(p) => {
            let (n, u) = units::split_name(p);
            (Some(n), u)
        }
        None => (None, None),
    };
    // The name's parentheses, else the row's cell in a unit column (单位), else the parent's.
    let column_unit = row
        .unit
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(units::normalise);
    let unit = unit.or(column_unit).or(parent_unit);
    let share = unit.as_deref().is_some_and(units::is_share);
    let years_unit = unit.as_deref().is_some_and(units::is_years);
    let context = parent_name.clone();
    let full = match &parent_name {
        Some(p) => format!("{p}{raw_name}"),
        None => raw_name.clone(),
    };
    let lower = units::lower_is_better(&full);
    let cut = units::names_a_cut(&full);
    let attribute = row.attribute.as_deref().map(|a| {
        if a.contains("约束") {
            Attribute::Binding
        } else {
            Attribute::Expected
        }
    });
    let get = |role: Role| row.cells.iter().find(|(r, _)| *r == role).map(|(_, c)| c);
    let mut notes = Vec::new();
    let base = get(Role::Base).and_then(|c| match value::cell(&c.text) {
        Cell::Num(n) if !n.yearly && !n.accumulated && !n.cumulative && n.hi.is_none() => {
            Some((n.value, quote(d, c)))
        }
        Cell::Num(_) => {
            notes.push(format!("base column: {}", c.text.trim()));
            None
        }
        _ => None,
    });
    let actual_cell = get(Role::Actual).map(|c| value::cell(&c.text));
    let new = |metric: Metric, op: Option<Op>, value: Value, source: Quote, name: String| Item {
        name,
        context: context.clone(),
        unit: unit.clone(),
        base: base.clone(),
        lower_is_better: lower,
        metric,
        op,
        value,
        attribute,
        actual: None,
        year: None,
        relative_to_gdp: false,
        source,
        origin: Origin::Table,
        period,
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    };
    // "与经济增长同步" in a growth or target cell: the indicator grows about as fast as GDP.
    let grows_with_gdp = |q: Quote| Item {
        relative_to_gdp: true,
        ..new(
            Metric::CagrGap,
            Some(Op::About),
            Value::Number(0.0),
            q,
            units::strip_rate_words(&raw_name),
        )
    };
    let growth_op = get(Role::Growth).and_then(|c| match value::cell(&c.text) {
        Cell::Num(n) => n.op,
        _ => None,
    });
    let mut made = 0;
    if let Some(c) = get(Role::Target) {
        let q = quote(d, c);
        match value::cell(&c.text) {
            Cell::Empty => {}
            Cell::Assigned => {
                *carried_assigned = Some(c.text.clone());
                let (metric, name) = assigned_metric(cut && share, &raw_name);
                items.push(new(metric, Some(Op::AtLeast), Value::Assigned, q, name));
                made += 1;
            }
            Cell::WithGdp => {
                items.push(grows_with_gdp(q));
                made += 1;
            }
            Cell::Words(w) => {
                let mut it = new(Metric::Qualitative, None, Value::None, q, raw_name.clone());
                it.note = Some(format!("the table states the target in words: {w}"));
                items.push(it);
                made += 1;
            }
            Cell::Num(n) => {
                if !n.rest.is_empty() && !rest_is_unit(&n.rest) {
                    reviews.push(Review {
                        at: q.at,
                        text: c.text.trim().to_string(),
                        reason: format!(
                            "`{}`: a target with `{}` after the number",
                            raw_name, n.rest
                        ),
                    });
                } else {
                    let (metric, mut op, value, name) =
                        numeric(&n, &raw_name, share, years_unit, cut, lower, false);
                    // A level the table computes from an approximate growth rate (target 154.9,
                    // growth `7.5左右`) is itself approximate, unless its own cell says otherwise.
                    if n.op.is_none() && metric == Metric::Level && growth_op == Some(Op::About) {
                        op = Some(Op::About);
                    }
                    let mut it = new(metric, op, value, q, name);
                    if let Some(Cell::Num(a)) = &actual_cell
                        && (a.rest.is_empty() || rest_is_unit(&a.rest))
                    {
                        it.actual = Some(scale(metric, a.value));
                    }
                    items.push(it);
                    made += 1;
                }
            }
        }
    } else if row.parent.is_some()
        && let Some(text) = carried_assigned.clone()
    {
        // A merged target cell (按下达目标确定) that spans the sub-rows of its parent.
        let line = &d.lines[row.name.line];
        let q = Quote {
            at: d.locate(line, row.name.text.trim()).unwrap_or(line.no),
            quote: row.name.text.trim().to_string(),
        };
        let mut it = new(
            Metric::Level,
            Some(Op::AtLeast),
            Value::Assigned,
            q,
            raw_name.clone(),
        );
        it.note = Some(format!(
            "target cell `{text}` merged over the rows of its group"
        ));
        items.push(it);
        made += 1;
    }
    if let Some(c) = get(Role::Growth) {
        let q = quote(d, c);
        match value::cell(&c.text) {
            Cell::Num(n) if n.rest.is_empty() || rest_is_unit(&n.rest) => {
                let (metric, op, value, name) =
                    numeric(&n, &raw_name, share, years_unit, cut, lower, true);
                items.push(new(metric, op, value, q, name));
                made += 1;
            }
            Cell::WithGdp => {
                items.push(grows_with_gdp(q));
                made += 1;
            }
            // 按市下达 in the growth / cumulative column of a row without a target value.
            Cell::Assigned if made == 0 => {
                let (metric, name) = assigned_metric(cut && share, &raw_name);
                items.push(new(metric, Some(Op::AtLeast), Value::Assigned, q, name));
                made += 1;
            }
            _ => {}
        }
    }
    if made == 0 && !row.cells.is_empty() {
        let line = &d.lines[row.name.line];
        reviews.push(Review {
            at: line.no,
            text: row.name.text.trim().to_string(),
            reason: "a table row without a target value".into(),
        });
    }
}

/// `%` or another unit after a number in a cell.
fn rest_is_unit(rest: &str) -> bool {
    units::unit_after(rest).is_some_and(|u| u.len() == rest.len())
}

/// The value of `metric` in the plan's units: fractions for rates.
fn scale(metric: Metric, v: f64) -> f64 {
    match metric {
        Metric::Cagr | Metric::Reduction | Metric::CagrGap => round(v / 100.0),
        _ => v,
    }
}

fn round(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}

/// Metric, op, value and indicator name of a numeric cell.
fn numeric(
    n: &Num,
    name: &str,
    share: bool,
    years_unit: bool,
    cut: bool,
    lower: bool,
    growth_column: bool,
) -> (Metric, Option<Op>, Value, String) {
    let metric = if n.cumulative {
        if cut && share {
            Metric::Reduction
        } else if share || years_unit {
            Metric::Change
        } else {
            Metric::Sum
        }
    } else if n.yearly || growth_column || (units::names_growth(name) && share) {
        Metric::Cagr
    } else if cut && share || n.accumulated {
        Metric::Reduction
    } else if (name.contains("新增") || name.contains("再就业")) && !share && !years_unit {
        // 城镇新增就业 (万人), 失业人员再就业 (万人): flows of people, five-year totals even
        // without 【】.
        Metric::Sum
    } else {
        Metric::Level
    };
    let default_op = if lower && matches!(metric, Metric::Level | Metric::Sum | Metric::Change) {
        Op::AtMost
    } else {
        Op::AtLeast
    };
    let op = n.op.unwrap_or(default_op);
    let value = match n.hi {
        Some(hi) => Value::Range(scale(metric, n.value), scale(metric, hi)),
        None => Value::Number(scale(metric, n.value)),
    };
    let name = if matches!(metric, Metric::Cagr | Metric::Reduction) {
        units::strip_rate_words(name)
    } else {
        name.to_string()
    };
    (metric, Some(op), value, name)
}

/// The metric and name of an assigned (按省下达) value in a row: a reduction of the quantity, named
/// without its rate words, when the row names a cut in % (`cut_share`), else a level.
fn assigned_metric(cut_share: bool, raw_name: &str) -> (Metric, String) {
    if cut_share {
        (Metric::Reduction, units::strip_rate_words(raw_name))
    } else {
        (Metric::Level, raw_name.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table;

    fn read(text: &str) -> Vec<Item> {
        let d = Doc::new(text);
        let mut items = Vec::new();
        let mut reviews = Vec::new();
        for t in table::find(&d) {
            draft(&d, &t, &mut items, &mut reviews);
        }
        items
    }

    #[test]
    fn columns_in_another_order_and_a_level_as_approximate_as_its_growth() {
        let text = "指标名称\t属性\t2025年目标\t2020年基数\t年均增长(%)\n地区生产总值(亿元)\t预期性\t600\t420\t7.5左右\n一般公共预算收入(亿元)\t预期性\t40\t30\t6以上\n城镇调查失业率(%)\t预期性\t5.5以内\t—\t—\n注：完\n";
        let it = read(text);
        assert_eq!(it.len(), 5, "{it:?}");
        let gdp: Vec<&Item> = it
            .iter()
            .filter(|i| i.name.starts_with("地区生产总值"))
            .collect();
        assert_eq!(
            (gdp[0].metric, gdp[0].op, &gdp[0].value),
            (Metric::Level, Some(Op::About), &Value::Number(600.0))
        );
        assert_eq!(gdp[0].base.as_ref().map(|b| b.0), Some(420.0));
        assert_eq!(
            (gdp[1].metric, gdp[1].op, &gdp[1].value),
            (Metric::Cagr, Some(Op::About), &Value::Number(0.075))
        );
        // 以上 in the growth cell leaves the level's default (at least).
        assert_eq!(it[2].op, Some(Op::AtLeast));
        assert_eq!(
            (it[4].op, &it[4].value),
            (Some(Op::AtMost), &Value::Number(5.5))
        );
    }

    #[test]
    fn rates_per_hundred_thousand_in_a_one_cell_per_line_table() {
        let text = "指标\n2020年\n2025年\n属性\n人均预期寿命(岁)\n78.5\n79.5\n预期性\n孕产妇死亡率\n12/10万\n10/10万以下\n约束性\n说明：完\n";
        let it = read(text);
        assert_eq!(it.len(), 2, "{it:?}");
        assert_eq!(it[0].value, Value::Number(79.5));
        assert_eq!(it[0].base.as_ref().map(|b| b.0), Some(78.5));
        assert_eq!(
            (it[1].op, &it[1].value),
            (Some(Op::AtMost), &Value::Number(10.0))
        );
        assert_eq!(it[1].attribute, Some(Attribute::Binding));
    }

    #[test]
    fn re_employment_is_a_flow_like_new_jobs() {
        let text = "指标\t2020年\t2025年\t属性\n城镇新增就业(万人)\t2.1\t10\t预期性\n失业人员再就业(万人)\t0.4\t2\t预期性\n城镇调查失业率(%)\t5\t5.5以内\t预期性\n说明：完\n";
        let it = read(text);
        assert_eq!(it.len(), 3, "{it:?}");
        assert_eq!(
            (it[0].metric, &it[0].value),
            (Metric::Sum, &Value::Number(10.0))
        );
        assert_eq!(
            (it[1].metric, &it[1].value),
            (Metric::Sum, &Value::Number(2.0))
        );
        assert_eq!(it[2].metric, Metric::Level);
    }

    #[test]
    fn a_unit_column_a_merged_cut_with_its_attribute_and_an_assigned_cumulative_cell() {
        // One cell per line, with a 单位 column; the merged 属性 cell of the emission cuts spans
        // their sub-rows, which state none.
        let text = "序号\n指标名称\n单位\n2025年\n2030年\n年均增长/累计\n属性\n一、经济\n1\n工业增加值\n亿元\n120\n—\n7左右\n预期性\n2\n重点污染物减排量\n二氧化硫\n%\n—\n—\n【10】\n约束性\n氮氧化物\n%\n—\n—\n【12】\n挥发性有机物\n%\n—\n—\n【6】\n3\n单位GDP用水量下降\n%\n—\n—\n按省下达\n约束性\n4\n建成区绿地率\n%\n38\n40\n—\n预期性\n注：完\n";
        let it = read(text);
        let got: Vec<_> = it
            .iter()
            .map(|i| {
                (
                    i.name.as_str(),
                    i.unit.as_deref(),
                    i.metric,
                    &i.value,
                    i.attribute,
                )
            })
            .collect();
        let b = Some(Attribute::Binding);
        let e = Some(Attribute::Expected);
        assert_eq!(
            got,
            vec![
                (
                    "工业增加值",
                    Some("亿元"),
                    Metric::Cagr,
                    &Value::Number(0.07),
                    e
                ),
                ("二氧化硫", None, Metric::Reduction, &Value::Number(0.1), b),
                ("氮氧化物", None, Metric::Reduction, &Value::Number(0.12), b),
                (
                    "挥发性有机物",
                    None,
                    Metric::Reduction,
                    &Value::Number(0.06),
                    b
                ),
                (
                    "单位GDP用水量",
                    None,
                    Metric::Reduction,
                    &Value::Assigned,
                    b
                ),
                (
                    "建成区绿地率",
                    Some("%"),
                    Metric::Level,
                    &Value::Number(40.0),
                    e
                ),
            ]
        );
        assert_eq!(it[5].base.as_ref().map(|b| b.0), Some(38.0));
        // The same columns as tab-separated rows.
        let text = "序号\t指标\t单位\t2025年\t2030年\t属性\n1\t人均预期寿命\t岁\t78\t79\t预期性\n2\t污水处理率\t%\t92\t95\t约束性\n注：完\n";
        let it = read(text);
        assert_eq!(it.len(), 2, "{it:?}");
        assert_eq!(
            (it[0].name.as_str(), it[0].unit.as_deref()),
            ("人均预期寿命", Some("岁"))
        );
        assert_eq!(
            (it[1].name.as_str(), it[1].unit.as_deref(), &it[1].value),
            ("污水处理率", Some("%"), &Value::Number(95.0))
        );
    }
}
