//! Finding indicator tables and reading their rows, in the two layouts plain text takes:
//!
//! * **Delimited rows**: one row per line, cells separated by tabs (or runs of two or more
//!   spaces). A data row's value cells are aligned with the header from the right (the attribute
//!   column ends both), so that a merged name cell that adds a cell at the left does not shift them.
//! * **One cell per line** (a table copied from a web page): the header cells, then the cells of
//!   each row in order, empty cells omitted. A row starts with its index or its name and ends with
//!   its attribute (预期性 / 约束性) and any category column after it.
//!
//! Both yield [`Row`]s: a name (with the name of a merged parent cell carried down), the value
//! cells by role, and the attribute; [`crate::import::rows`] turns rows into drafted targets.

use super::doc::Doc;
use super::header::{self, Role};

/// One cell: its text and the line it is on.
#[derive(Debug, Clone)]
pub struct CellAt {
    pub text: String,
    /// Index into `Doc::lines`.
    pub line: usize,
}

/// One data row of an indicator table.
#[derive(Debug, Clone)]
pub struct Row {
    pub name: CellAt,
    /// The merged cell above it (主要污染物排放减少 for 化学需氧量), if any.
    pub parent: Option<String>,
    pub cells: Vec<(Role, CellAt)>,
    pub attribute: Option<String>,
    /// The row's cell in a unit column (单位), if the table has one.
    pub unit: Option<String>,
}

/// A table: its header's years and its rows.
#[derive(Debug, Clone)]
pub struct Table {
    /// Index into `Doc::lines` of the header's first line.
    pub line: usize,
    pub base_year: Option<i32>,
    pub target_year: Option<i32>,
    /// True when the table reports realised values (完成值): a review of the previous plan.
    pub review: bool,
    pub rows: Vec<Row>,
    /// Rows the importer could not read: (line index, why).
    pub unread: Vec<(usize, String)>,
    /// Index into `Doc::lines` of the first line after the table.
    pub end: usize,
}

/// Every indicator table of the document.
pub fn find(doc: &Doc) -> Vec<Table> {
    if doc.char_offsets {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut k = 0;
    while k < doc.lines.len() {
        if let Some((t, next)) = delimited(doc, k).or_else(|| one_per_line(doc, k)) {
            if !t.rows.is_empty() {
                out.push(Table { end: next, ..t });
            }
            k = next.max(k + 1);
        } else {
            k += 1;
        }
    }
    out
}

/// Cells of a delimited line: split at tabs, or else at runs of two or more spaces.
fn split(line: &str) -> Vec<String> {
    if line.contains('\t') {
        return line.split('\t').map(|c| c.trim().to_string()).collect();
    }
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut spaces = 0;
    for c in line.trim().chars() {
        if c == ' ' || c == '\u{3000}' {
            spaces += if c == '\u{3000}' { 2 } else { 1 };
            continue;
        }
        if spaces >= 2 && !cur.is_empty() {
            cells.push(std::mem::take(&mut cur));
        } else if spaces == 1 {
            cur.push(' ');
        }
        spaces = 0;
        cur.push(c);
    }
    if !cur.is_empty() {
        cells.push(cur);
    }
    cells
}

/// The roles of a header line's cells, if it is one: a name column and at least two value
/// columns, and most of its non-empty cells recognised.
fn header_roles(cells: &[String]) -> Option<Vec<Option<Role>>> {
    let roles: Vec<Option<Role>> = cells.iter().map(|c| header::role(c)).collect();
    let non_empty = cells.iter().filter(|c| !c.is_empty()).count();
    let known = roles.iter().filter(|r| r.is_some()).count();
    let has_name = roles.contains(&Some(Role::Name));
    let values = roles
        .iter()
        .filter(|r| {
            matches!(
                r,
                Some(Role::Base | Role::Target | Role::Year(_) | Role::Group(_) | Role::Actual)
            )
        })
        .count();
    (has_name && values >= 1 && known >= 3 && known * 4 >= non_empty * 3).then_some(roles)
}

fn is_index(s: &str) -> bool {
    !s.is_empty() && s.len() <= 3 && s.chars().all(|c| c.is_ascii_digit())
}

/// 一、经济发展 / （一）… / 二.: a section row.
fn is_section(s: &str) -> bool {
    let s = s.trim();
    let numerals = "一二三四五六七八九十";
    let head: String = s.chars().take_while(|c| numerals.contains(*c)).collect();
    (!head.is_empty() && s[head.len()..].starts_with(['、', '.', '．']))
        || s.starts_with('（') && s.chars().nth(1).is_some_and(|c| numerals.contains(c))
        || s.starts_with('(') && s.chars().nth(1).is_some_and(|c| numerals.contains(c))
}

fn is_attribute(s: &str) -> bool {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(s.as_str(), "预期性" | "约束性" | "预期" | "约束")
}

/// A line that ends a table: a note, or a paragraph of running text.
fn ends_table(s: &str) -> bool {
    let t = s.trim();
    ["注", "备注", "说明", "资料来源", "数据来源", "表"]
        .iter()
        .any(|w| t.starts_with(w))
        || t.chars().count() > 60
        || (t.contains('。') && t.chars().count() > 20)
}

fn delimited(doc: &Doc, start: usize) -> Option<(Table, usize)> {
    let cells = split(&doc.lines[start].text);
    if cells.len() < 3 {
        return None;
    }
    let roles = header_roles(&cells)?;
    let mut table = Table {
        line: start,
        base_year: None,
        target_year: None,
        review: false,
        rows: Vec::new(),
        unread: Vec::new(),
        end: 0,
    };
    let mut header = set_header(&mut table, &cells, &roles);
    let mut parent: Option<String> = None;
    let mut k = start + 1;
    while k < doc.lines.len() {
        let text = &doc.lines[k].text;
        if text.trim().is_empty() {
            k += 1;
            continue;
        }
        let cells = split(text);
        if let Some(r) = header_roles(&cells) {
            header = set_header(&mut table, &cells, &r);
            k += 1;
            continue;
        }
        let non_empty: Vec<&String> = cells.iter().filter(|c| !c.is_empty()).collect();
        if non_empty.len() <= 1 && non_empty.first().is_none_or(|c| ends_table(c)) {
            break;
        }
        if non_empty.len() == 1 && is_section(non_empty[0]) {
            parent = None;
            k += 1;
            continue;
        }
        if non_empty.len() == 1 {
            break;
        }
        let row_last = cells.iter().rposition(|c| !c.is_empty()).unwrap_or(0);
        let anchored = header.attribute_at.is_none() || is_attribute(&cells[row_last]);
        let at = |p: usize| -> Option<usize> {
            if anchored {
                (row_last + p).checked_sub(header.last)
            } else {
                Some(p)
            }
        };
        let first_value = header.values.iter().map(|(p, _)| *p).min().unwrap_or(1);
        let first_value_at = at(first_value).unwrap_or(0).min(cells.len());
        // A category column left of the name column (类别: 经济发展) holds no name.
        let category = |i: usize| -> bool {
            let hp = if anchored {
                (i + header.last).checked_sub(row_last)
            } else {
                Some(i)
            };
            hp.is_some_and(|hp| header.category.contains(&hp))
        };
        let names: Vec<&String> = cells[..first_value_at]
            .iter()
            .enumerate()
            .filter(|(i, c)| !c.is_empty() && !is_index(c) && !category(*i))
            .map(|(_, c)| c)
            .collect();
        let led_by_index = cells[..first_value_at].iter().any(|c| is_index(c));
        if names.is_empty() {
            if non_empty.iter().all(|c| is_section(c) || c.is_empty()) {
                k += 1;
                continue;
            }
            table
                .unread
                .push((k, "no indicator name in this row".into()));
            k += 1;
            continue;
        }
        let (row_parent, name) = if names.len() >= 2 {
            (
                Some(names[0].to_string()),
                names[names.len() - 1].to_string(),
            )
        } else if !led_by_index && cells[0].is_empty() {
            (parent.clone(), names[0].to_string())
        } else {
            (None, names[0].to_string())
        };
        parent = row_parent.clone();
        let mut row = Row {
            name: CellAt {
                text: name,
                line: k,
            },
            parent: row_parent,
            cells: Vec::new(),
            attribute: None,
            unit: None,
        };
        for (p, role) in &header.values {
            let Some(i) = at(*p) else { continue };
            let Some(c) = cells.get(i) else { continue };
            if *role == Role::Attribute {
                if is_attribute(c) {
                    row.attribute = Some(c.clone());
                }
                continue;
            }
            if *role == Role::Unit {
                if !c.is_empty() && super::value::cell(c) != super::value::Cell::Empty {
                    row.unit = Some(c.clone());
                }
                continue;
            }
            if !c.is_empty() {
                row.cells.push((
                    *role,
                    CellAt {
                        text: c.clone(),
                        line: k,
                    },
                ));
            }
        }
        if row.cells.is_empty() && row.attribute.is_none() && is_section(&row.name.text) {
            k += 1;
            continue;
        }
        table.rows.push(row);
        k += 1;
    }
    Some((table, k))
}

/// A header's value columns (position, role) and where it ends.
struct Header {
    values: Vec<(usize, Role)>,
    /// Positions of category columns (类别, 领域) left of the name column.
    category: Vec<usize>,
    last: usize,
    attribute_at: Option<usize>,
}

fn set_header(table: &mut Table, cells: &[String], roles: &[Option<Role>]) -> Header {
    let known: Vec<Role> = roles.iter().flatten().copied().collect();
    let resolved = header::resolve(&known);
    let texts: Vec<&str> = cells
        .iter()
        .zip(roles)
        .filter(|(_, r)| r.is_some())
        .map(|(c, _)| c.as_str())
        .collect();
    let (b, t) = header::years(&texts, &known);
    table.base_year = table.base_year.or(b);
    table.target_year = table.target_year.or(t);
    table.review |= resolved.contains(&Role::Actual);
    let mut values = Vec::new();
    let mut category = Vec::new();
    let name_at = roles.iter().position(|r| *r == Some(Role::Name));
    let mut it = resolved.iter();
    for (p, r) in roles.iter().enumerate() {
        match r {
            None | Some(Role::Index | Role::Name | Role::Group(_)) => {}
            Some(_) => {
                if let Some(role) = it.next() {
                    if *role == Role::Other && name_at.is_some_and(|n| p < n) {
                        category.push(p);
                    } else {
                        values.push((p, *role));
                    }
                }
            }
        }
    }
    let last = cells.iter().rposition(|c| !c.is_empty()).unwrap_or(0);
    let attribute_at = values
        .iter()
        .find(|(_, r)| *r == Role::Attribute)
        .map(|x| x.0);
    Header {
        values,
        category,
        last,
        attribute_at,
    }
}

/// A value cell of a one-cell-per-line table (as opposed to a name).
fn is_value(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    t.chars().next().is_some_and(|c| c.is_ascii_digit())
        || t.starts_with(['【', '[', '〔', '［', '—', '-', '≥', '≤', '>', '<'])
        || t.starts_with("年均")
        || t.starts_with("累计")
        || t.starts_with("预计")
        || super::value::is_assigned(&t)
        || t.contains("同步")
        || t.contains("左右")
        || t.contains("增长") && !t.contains('(') && !t.contains('（')
}

fn one_per_line(doc: &Doc, start: usize) -> Option<(Table, usize)> {
    // The header: consecutive short lines (blank lines between them allowed) that are header words.
    let mut cells: Vec<(String, usize)> = Vec::new();
    let mut k = start;
    while k < doc.lines.len() {
        let t = doc.lines[k].text.trim();
        if t.is_empty() {
            k += 1;
            continue;
        }
        let r = header::role(t);
        if r.is_none() || t.contains('\t') {
            break;
        }
        // A table's header starts with its index or name column (序号, 指标), not its title.
        if cells.is_empty() && !matches!(r, Some(Role::Index | Role::Name)) {
            return None;
        }
        cells.push((t.to_string(), k));
        k += 1;
    }
    if cells.len() < 3 || cells.first().is_none_or(|c| c.1 != start) {
        return None;
    }
    let texts: Vec<String> = cells.iter().map(|c| c.0.clone()).collect();
    let roles = header_roles(&texts)?;
    let known: Vec<Role> = roles.iter().flatten().copied().collect();
    let resolved = header::resolve(&known);
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let (base_year, target_year) = header::years(&refs, &known);
    let columns: Vec<Role> = resolved
        .iter()
        .copied()
        .filter(|r| matches!(r, Role::Base | Role::Target | Role::Growth | Role::Actual))
        .collect();
    // A unit column (单位): the cell after a row's name that is a unit is the row's unit.
    let unit_column = known.contains(&Role::Unit);
    let trailing_other = {
        let a = resolved.iter().position(|r| *r == Role::Attribute);
        a.map(|a| resolved[a + 1..].contains(&Role::Other))
            .unwrap_or(false)
    };
    let mut table = Table {
        line: start,
        base_year,
        target_year,
        review: resolved.contains(&Role::Actual),
        rows: Vec::new(),
        unread: Vec::new(),
        end: 0,
    };
    // The rows.
    let mut cur: Option<(Row, Vec<CellAt>, bool)> = None; // row, values, complete
    let mut parent: Option<String> = None;
    let mut expect_other = false;
    let flush = |cur: &mut Option<(Row, Vec<CellAt>, bool)>, table: &mut Table| {
        if let Some((mut row, mut vals, _)) = cur.take() {
            // An empty unit cell written as a dash (—) is no value.
            if unit_column
                && row.unit.is_none()
                && vals.len() == columns.len() + 1
                && super::value::cell(&vals[0].text) == super::value::Cell::Empty
            {
                vals.remove(0);
            }
            let roles: Vec<Role> = if vals.len() == columns.len() {
                columns.clone()
            } else if vals.len() == 1 && columns.contains(&Role::Target) {
                vec![Role::Target]
            } else if vals.len() < columns.len() {
                columns[..vals.len()].to_vec()
            } else {
                table.unread.push((
                    row.name.line,
                    format!(
                        "{} values for {} columns: the row could not be aligned",
                        vals.len(),
                        columns.len()
                    ),
                ));
                return;
            };
            row.cells = roles.into_iter().zip(vals).collect();
            table.rows.push(row);
        }
    };
    while k < doc.lines.len() {
        let t = doc.lines[k].text.trim().to_string();
        if t.is_empty() {
            k += 1;
            continue;
        }
        if ends_table(&t) || t.contains('\t') {
            break;
        }
        if header::role(&t).is_some_and(|r| r == Role::Name) {
            break;
        }
        let at = CellAt {
            text: t.clone(),
            line: k,
        };
        let complete = cur.as_ref().is_some_and(|c| c.2);
        // A row whose value columns are all filled but that has no attribute of its own (a merged
        // 属性 cell spans it): what is not a value starts the next row.
        let full = cur
            .as_ref()
            .is_some_and(|c| !c.2 && !columns.is_empty() && c.1.len() >= columns.len());
        if expect_other {
            expect_other = false;
            if !is_value(&t) && !is_index(&t) && t.chars().count() <= 6 {
                k += 1;
                continue;
            }
        }
        if is_section(&t) {
            flush(&mut cur, &mut table);
            parent = None;
        } else if is_index(&t) && (cur.is_none() || complete || full) {
            flush(&mut cur, &mut table);
            parent = None;
            cur = Some((empty_row(k), Vec::new(), false));
        } else if is_attribute(&t) {
            if let Some(c) = cur.as_mut() {
                c.0.attribute = Some(t.clone());
                c.2 = true;
                expect_other = trailing_other;
            }
        } else if unit_column
            && !is_value(&t)
            && super::units::is_unit_text(&t)
            && cur.as_ref().is_some_and(|c| {
                !c.2 && !c.0.name.text.is_empty() && c.0.unit.is_none() && c.1.is_empty()
            })
        {
            cur.as_mut().unwrap().0.unit = Some(t.clone());
        } else if cur
            .as_ref()
            .is_some_and(|c| !c.2 && !c.0.name.text.is_empty())
            && (is_value(&t) || !cur.as_ref().unwrap().1.is_empty())
            && (is_value(&t) || !full)
        {
            cur.as_mut().unwrap().1.push(at);
        } else if let Some(c) = cur.as_mut().filter(|c| !c.2 && !full) {
            // A name: the row's own, or a merged parent followed by the row's name.
            if c.0.name.text.is_empty() {
                c.0.name = at;
                c.0.parent = None;
            } else {
                let p = std::mem::replace(&mut c.0.name, at);
                parent = Some(p.text.clone());
                c.0.parent = Some(p.text);
            }
        } else {
            // A row without an index after a complete row: a sub-row of the same merged parent.
            flush(&mut cur, &mut table);
            let mut row = empty_row(k);
            row.name = at;
            row.parent = parent.clone();
            cur = Some((row, Vec::new(), false));
        }
        k += 1;
    }
    flush(&mut cur, &mut table);
    Some((table, k))
}

fn empty_row(line: usize) -> Row {
    Row {
        name: CellAt {
            text: String::new(),
            line,
        },
        parent: None,
        cells: Vec::new(),
        attribute: None,
        unit: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_rows() {
        assert_eq!(
            split("1\t生产总值（亿元）\t108.8\t"),
            vec!["1", "生产总值（亿元）", "108.8", ""]
        );
        assert_eq!(
            split("生产总值  108.8   7左右"),
            vec!["生产总值", "108.8", "7左右"]
        );
        assert!(is_section("一、经济发展"));
        assert!(!is_section("一般公共预算收入"));
    }

    #[test]
    fn reads_a_delimited_table_with_a_merged_parent() {
        let text = "表1 主要指标\n序号\t指标名称\t\t2015年 基数\t2020年 目标\t2020年 完成值\t指标属性\n一、生态\t\t\t\t\t\t\n14\t主要污染物排放减少\t化学需氧量 (吨)\t679\t按下达目标确定\t5\t约束性\n\t\t二氧化硫 (吨)\t6420\t\t221.6\t约束性\n注：完\n";
        let d = Doc::new(text);
        let t = find(&d);
        assert_eq!(t.len(), 1);
        assert!(t[0].review);
        assert_eq!((t[0].base_year, t[0].target_year), (Some(2015), Some(2020)));
        let r = &t[0].rows;
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].parent.as_deref(), Some("主要污染物排放减少"));
        assert_eq!(r[1].cells[0].0, Role::Base);
        assert_eq!(r[1].cells[0].1.text, "6420");
        assert_eq!(r[1].cells[1].0, Role::Actual);
    }

    #[test]
    fn a_category_column_left_of_the_names_holds_no_name() {
        let text = "类别\t指标\t2025年\t2030年\t年均增长\t属性\n产业升级\t工业增加值（亿元）\t900\t1200\t6左右\t预期性\n\t服务业比重（%）\t48\t52\t\t预期性\n注：完\n";
        let d = Doc::new(text);
        let t = find(&d);
        assert_eq!(t.len(), 1, "{t:?}");
        let r = &t[0].rows;
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!(r[0].name.text, "工业增加值（亿元）");
        assert_eq!(r[0].parent, None);
        assert_eq!(r[1].name.text, "服务业比重（%）");
        assert_eq!(r[0].cells.len(), 3, "{:?}", r[0].cells);
        assert_eq!(r[0].cells[0].0, Role::Base);
        assert_eq!(r[0].attribute.as_deref(), Some("预期性"));
    }

    #[test]
    fn reads_a_one_cell_per_line_table() {
        let text = "主要指标\n指标\n\n2020年基数\n\n“十四五”目标\n\n属性\n\n类别\n\n一、经济发展\n\n1\n\n地区生产总值增长率(%)\n\n年均增长7.3\n\n年均增长7左右\n\n预期性\n\n国家\n\n城镇调查失业率(%)\n\n6以内\n\n5以内\n\n预期性\n\n国家\n\n2\n\n数字经济核心产业增加值占GDP比重(%)\n\n【2.5】\n\n预期性\n\n国家\n\n备注:完\n";
        let d = Doc::new(text);
        let t = find(&d);
        assert_eq!(t.len(), 1, "{t:?}");
        let r = &t[0].rows;
        assert_eq!(r.len(), 3, "{r:?}");
        assert_eq!(r[1].name.text, "城镇调查失业率(%)");
        assert_eq!(r[1].cells[1].1.text, "5以内");
        assert_eq!(r[2].cells.len(), 1);
        assert_eq!(r[2].cells[0].0, Role::Target);
    }
}
