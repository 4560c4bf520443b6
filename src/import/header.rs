//! Recognising an indicator table's columns by their headers, not their positions: the index
//! (序号), the indicator's name (指标 / 指标名称 / 项目), the base (`2020年基数`, or the earlier of two
//! year columns), the target (`“十四五”目标`, `2025年 目标`, the later year), a yearly-growth column
//! (`年均增长`, `年均增速 (%)`, `五年年均增速或累计`), the realised value of a review table
//! (`完成值`, `实际完成情况`), the attribute (`属性`) and columns to ignore (`类别`, `备注`).

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Index,
    Name,
    Unit,
    Base,
    Target,
    Growth,
    Actual,
    Attribute,
    /// A column the importer does not read (category, remarks).
    Other,
    /// A header spanning sub-columns of a multi-row header (`规划确定的指标目标`), with the role
    /// its sub-columns take when they are plain years.
    Group(GroupRole),
    /// A plain year (`2020年`): base or target, decided by the other columns.
    Year(i32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRole {
    Target,
    Actual,
}

/// The year a header names (`2020年基数` → 2020).
pub fn year_in(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    for k in 0..b.len().saturating_sub(3) {
        if b[k..k + 4].iter().all(u8::is_ascii_digit)
            && (k == 0 || !b[k - 1].is_ascii_digit())
            && (k + 4 == b.len() || !b[k + 4].is_ascii_digit())
        {
            let y: i32 = s[k..k + 4].parse().ok()?;
            if (1949..=2100).contains(&y) {
                return Some(y);
            }
        }
    }
    None
}

/// The role of one header cell, or `None` when the text is not a header word.
pub fn role(cell: &str) -> Option<Role> {
    let s: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return None;
    }
    if s.chars().count() > 16 {
        return None;
    }
    let has = |w: &str| s.contains(w);
    Some(if s == "序号" || s == "编号" {
        Role::Index
    } else if has("属性") || s == "指标性质" || s == "性质" {
        Role::Attribute
    } else if has("完成") || has("实际") || has("实现值") {
        if has("目标") && has("规划") {
            Role::Group(GroupRole::Target)
        } else if year_in(&s).is_some() || has("值") || has("情况") && !has("实际完成情况")
        {
            Role::Actual
        } else {
            Role::Group(GroupRole::Actual)
        }
    } else if has("基数") || has("基期") || has("现状") || has("基准") {
        Role::Base
    } else if has("年均") || has("增速") || s.starts_with("增长") || s.starts_with("累计") {
        Role::Growth
    } else if has("目标") || has("预期值") || has("规划值") {
        if has("规划确定") || has("指标目标") {
            Role::Group(GroupRole::Target)
        } else {
            Role::Target
        }
    } else if s == "单位" || s == "计量单位" {
        Role::Unit
    } else if s == "指标"
        || has("指标名称")
        || s == "项目"
        || s == "主要指标"
        || s == "指标名"
        || s == "类别指标"
    {
        Role::Name
    } else if s == "类别" || s == "备注" || s == "领域" || s == "指标类别" || s == "说明"
    {
        Role::Other
    } else if let Some(y) = year_in(&s) {
        if s.trim_end_matches('年').chars().count() == 4 || s.ends_with("年值") {
            Role::Year(y)
        } else {
            return None;
        }
    } else {
        return None;
    })
}

/// The value columns of a header, in order, after resolving plain years and groups: the roles a
/// data row's value cells take.
pub fn resolve(roles: &[Role]) -> Vec<Role> {
    let groups: Vec<GroupRole> = roles
        .iter()
        .filter_map(|r| match r {
            Role::Group(g) => Some(*g),
            _ => None,
        })
        .collect();
    let has_base = roles.contains(&Role::Base);
    let has_target = roles.contains(&Role::Target);
    let years: Vec<i32> = roles
        .iter()
        .filter_map(|r| match r {
            Role::Year(y) => Some(*y),
            _ => None,
        })
        .collect();
    let min_year = years.iter().copied().min();
    let mut group_iter = groups.iter();
    let mut out = Vec::new();
    for r in roles {
        match r {
            Role::Group(_) | Role::Index | Role::Name => {}
            Role::Year(y) => {
                if !groups.is_empty() {
                    out.push(match group_iter.next() {
                        Some(GroupRole::Target) => Role::Target,
                        Some(GroupRole::Actual) => Role::Actual,
                        None => Role::Other,
                    });
                } else if !has_base && Some(*y) == min_year && years.len() > 1 {
                    out.push(Role::Base);
                } else if !has_target {
                    out.push(Role::Target);
                } else {
                    out.push(Role::Other);
                }
            }
            other => out.push(*other),
        }
    }
    out
}

/// Base and target years a header states (`2015年基数` / `2020年目标`), if any.
pub fn years(cells: &[&str], roles: &[Role]) -> (Option<i32>, Option<i32>) {
    let resolved_years: Vec<(Role, i32)> = {
        let r = resolve(roles);
        let mut k = 0;
        let mut v = Vec::new();
        for (c, role) in cells.iter().zip(roles) {
            match role {
                Role::Group(_) | Role::Index | Role::Name => {}
                _ => {
                    if let (Some(y), Some(rr)) = (year_in(c), r.get(k)) {
                        v.push((*rr, y));
                    }
                    k += 1;
                }
            }
        }
        v
    };
    let base = resolved_years
        .iter()
        .find(|(r, _)| *r == Role::Base)
        .map(|x| x.1);
    let target = resolved_years
        .iter()
        .find(|(r, _)| matches!(r, Role::Target | Role::Actual))
        .map(|x| x.1);
    (base, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_by_words() {
        assert_eq!(role("2020年基数"), Some(Role::Base));
        assert_eq!(role("“十四五”目标"), Some(Role::Target));
        assert_eq!(role("2025年 目标"), Some(Role::Target));
        assert_eq!(role("五年年均 增速或累 计"), Some(Role::Growth));
        assert_eq!(role("2020年 完成值"), Some(Role::Actual));
        assert_eq!(role("指标属性"), Some(Role::Attribute));
        assert_eq!(
            role("规划确定的指标目标"),
            Some(Role::Group(GroupRole::Target))
        );
        assert_eq!(role("实际完成情况"), Some(Role::Group(GroupRole::Actual)));
        assert_eq!(role("2020年"), Some(Role::Year(2020)));
        assert_eq!(role("地区生产总值增长率(%)"), None);
        let review = [
            Role::Index,
            Role::Name,
            Role::Group(GroupRole::Target),
            Role::Group(GroupRole::Actual),
            Role::Attribute,
            Role::Base,
            Role::Year(2020),
            Role::Year(2020),
        ];
        assert_eq!(
            resolve(&review),
            vec![Role::Attribute, Role::Base, Role::Target, Role::Actual]
        );
        let plan = [
            Role::Name,
            Role::Year(2020),
            Role::Year(2025),
            Role::Growth,
            Role::Attribute,
        ];
        assert_eq!(
            resolve(&plan),
            vec![Role::Base, Role::Target, Role::Growth, Role::Attribute]
        );
    }
}
