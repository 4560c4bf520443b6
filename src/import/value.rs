//! Reading one value as plans write it, in a table cell or after a verb in running text:
//! `53`, `7左右`, `年均增长6.5`, `【25】`, `45 以上`, `≥83`, `5以内`, `3-5`, `累计31`, `按省下达目标`,
//! `与经济增长基本同步`, `—`.

use crate::model::target::Op;

/// What a cell says.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing, or a dash: no value.
    Empty,
    Num(Num),
    /// 按省下达 / 按市定目标 / 按下达目标确定: the value is assigned by a higher level.
    Assigned,
    /// 与经济增长基本同步: grows as fast as the economy.
    WithGdp,
    /// Words without a number (中高速增长): a qualitative target.
    Words(String),
}

/// A number with the words around it.
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    pub value: f64,
    /// The upper end of a range `3-5`.
    pub hi: Option<f64>,
    /// 左右 / 以上 / 以内 / ≥ …, if stated.
    pub op: Option<Op>,
    /// 年均增长 / 年均: a yearly growth rate.
    pub yearly: bool,
    /// 【x】 / [x]: a five-year cumulative figure.
    pub cumulative: bool,
    /// 累计: a cumulative change (累计31 in a base column).
    pub accumulated: bool,
    /// Text left after the number that is none of the above (a unit such as `%`, or `/10万`).
    pub rest: String,
}

const DASHES: &[&str] = &["—", "——", "-", "--", "－", "─", "/", "／", "无", "…"];

/// Reads a table cell.
pub fn cell(raw: &str) -> Cell {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() || DASHES.contains(&s.as_str()) {
        return Cell::Empty;
    }
    if is_assigned(&s) {
        return Cell::Assigned;
    }
    if s.contains("同步") && (s.contains("经济增长") || s.contains("GDP") || s.contains("生产总值"))
    {
        return Cell::WithGdp;
    }
    match number_cell(&s) {
        Some(n) => Cell::Num(n),
        None if s.chars().any(|c| c.is_ascii_digit()) => Cell::Words(s),
        None => Cell::Words(s),
    }
}

/// 按省下达 and its variants: the value is set by a higher level of government.
pub fn is_assigned(s: &str) -> bool {
    (s.starts_with('按') && (s.contains("下达") || s.contains("定目标") || s.contains("确定")))
        || s.contains("上级下达")
        || s.contains("省下达")
        || s.contains("市下达")
}

fn number_cell(s: &str) -> Option<Num> {
    let mut rest = s;
    let mut n = Num {
        value: 0.0,
        hi: None,
        op: None,
        yearly: false,
        cumulative: false,
        accumulated: false,
        rest: String::new(),
    };
    for p in ["预计", "约"] {
        if let Some(r) = rest.strip_prefix(p) {
            rest = r;
        }
    }
    for p in ["五年年均增长", "年均增长", "年均增速", "年均", "增长"] {
        if let Some(r) = rest.strip_prefix(p) {
            rest = r;
            n.yearly = true;
            break;
        }
    }
    if let Some(r) = rest.strip_prefix("累计") {
        rest = r;
        n.accumulated = true;
    }
    for (p, op) in [
        ("≥", Op::AtLeast),
        (">=", Op::AtLeast),
        ("＞", Op::AtLeast),
        (">", Op::AtLeast),
        ("不低于", Op::AtLeast),
        ("超过", Op::AtLeast),
        ("高于", Op::AtLeast),
        ("≤", Op::AtMost),
        ("<=", Op::AtMost),
        ("＜", Op::AtMost),
        ("<", Op::AtMost),
        ("不超过", Op::AtMost),
        ("低于", Op::AtMost),
    ] {
        if let Some(r) = rest.strip_prefix(p) {
            rest = r;
            n.op = Some(op);
            break;
        }
    }
    for (open, close) in [('【', '】'), ('[', ']'), ('〔', '〕'), ('［', '］')] {
        if let Some(r) = rest.strip_prefix(open) {
            let end = r.find(close)?;
            n.cumulative = true;
            let inner = &r[..end];
            let after = &r[end + close.len_utf8()..];
            let (v, hi, tail) = leading_number(inner)?;
            n.value = v;
            n.hi = hi;
            let tail = format!("{tail}{after}");
            return finish(n, &tail);
        }
    }
    let (v, hi, tail) = leading_number(rest)?;
    n.value = v;
    n.hi = hi;
    finish(n, tail)
}

fn finish(mut n: Num, tail: &str) -> Option<Num> {
    let mut t = tail.to_string();
    for (w, op) in [
        ("左右", Op::About),
        ("以上", Op::AtLeast),
        ("及以上", Op::AtLeast),
        ("以内", Op::AtMost),
        ("以下", Op::AtMost),
    ] {
        if let Some(k) = t.find(w)
            && t[k + w.len()..].trim().is_empty()
        {
            n.op = Some(op);
            t.truncate(k);
            break;
        }
    }
    n.rest = t.trim().to_string();
    if n.hi.is_some() && n.op.is_none() {
        n.op = Some(Op::Between);
    }
    Some(n)
}

/// A number at the start of `s` (ASCII or full-width digits), a range `a-b` / `a—b` / `a～b` /
/// `a至b`, and the rest.
pub fn leading_number(s: &str) -> Option<(f64, Option<f64>, &str)> {
    let (a, rest) = number_prefix(s)?;
    for sep in ["-", "—", "–", "～", "~", "至", "到", "－"] {
        if let Some(r) = rest.strip_prefix(sep)
            && let Some((b, rest2)) = number_prefix(r)
            && b > a
        {
            return Some((a, Some(b), rest2));
        }
    }
    Some((a, None, rest))
}

/// A decimal number at the start of `s`, full-width digits allowed.
pub fn number_prefix(s: &str) -> Option<(f64, &str)> {
    let mut buf = String::new();
    let mut end = 0;
    let mut seen_dot = false;
    let mut neg = false;
    for (i, c) in s.char_indices() {
        let d = match c {
            '0'..='9' => c,
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32)?,
            '.' | '．' if !seen_dot && !buf.is_empty() => {
                seen_dot = true;
                '.'
            }
            '-' | '－' | '−' if i == 0 => {
                neg = true;
                end = i + c.len_utf8();
                continue;
            }
            ',' if !buf.is_empty() && s[i + 1..].starts_with(|d: char| d.is_ascii_digit()) => {
                end = i + 1;
                continue;
            }
            _ => break,
        };
        buf.push(d);
        end = i + c.len_utf8();
    }
    if buf.is_empty() || buf.ends_with('.') && buf.len() == 1 {
        return None;
    }
    let mut rest = &s[end..];
    if buf.ends_with('.') {
        buf.pop();
        rest = &s[end - 1..];
    }
    let v: f64 = buf.parse().ok()?;
    let v = if neg { -v } else { v };
    v.is_finite().then_some((v, rest))
}

/// A count in Chinese numerals at the start of `s` (两, 十, 二十五, 一百, 一百二十, 三千) and the rest:
/// digits 零〇一二两三四五六七八九 with the units 十 百 千. A run must open with a digit or 十 (a
/// bare 百 or 千 is a word: 千家万户, 百亿级), and digits are not strung together (十四五 and
/// 二〇三五 are names and years, not counts). 万 and 亿 are left to the unit (三万人).
pub fn chinese_number(s: &str) -> Option<(f64, &str)> {
    let digit = |c: char| match c {
        '零' | '〇' => Some(0.0),
        '两' => Some(2.0),
        _ => "一二三四五六七八九".find(c).map(|k| (k / 3 + 1) as f64),
    };
    let unit = |c: char| match c {
        '十' => Some(10.0),
        '百' => Some(100.0),
        '千' => Some(1000.0),
        _ => None,
    };
    let first = s.chars().next()?;
    if digit(first).is_none() && first != '十' {
        return None;
    }
    let mut total = 0.0;
    // The digit waiting for its unit, and the last unit read (units fall: 一百二十).
    let mut pending: Option<f64> = None;
    let mut last_unit = f64::INFINITY;
    let mut end = 0;
    let d0 = |c: char| c == '零' || c == '〇';
    for (i, c) in s.char_indices() {
        if d0(c) && total > 0.0 && pending.is_none() {
            // 一百零五: 零 between units.
        } else if let Some(d) = digit(c) {
            if pending.is_some() {
                // 十四五, 二〇三五: digits strung together.
                return None;
            }
            pending = Some(d);
        } else if let Some(u) = unit(c) {
            if u >= last_unit {
                return None;
            }
            let d = match pending.take() {
                Some(d) if d > 0.0 => d,
                None if u == 10.0 && total == 0.0 => 1.0,
                _ => return None,
            };
            total += d * u;
            last_unit = u;
        } else {
            break;
        }
        end = i + c.len_utf8();
    }
    let v = total + pending.unwrap_or(0.0);
    (v > 0.0).then_some((v, &s[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Num {
        match cell(s) {
            Cell::Num(n) => n,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn cells() {
        let n = num("年均增长7左右");
        assert!(n.yearly && n.value == 7.0 && n.op == Some(Op::About));
        let n = num("【2.5】");
        assert!(n.cumulative && n.value == 2.5 && n.op.is_none());
        assert_eq!(num("45 以上").op, Some(Op::AtLeast));
        assert_eq!(num("≥83").value, 83.0);
        assert_eq!(num("5以内").op, Some(Op::AtMost));
        let n = num("3-5");
        assert_eq!((n.value, n.hi, n.op), (3.0, Some(5.0), Some(Op::Between)));
        assert!(num("累计31").accumulated);
        assert_eq!(cell("按省下达目标"), Cell::Assigned);
        assert_eq!(cell("按市定目标执行"), Cell::Assigned);
        assert_eq!(cell("与经济增长 基本同步"), Cell::WithGdp);
        assert_eq!(cell("—"), Cell::Empty);
        assert_eq!(cell("中高速增长"), Cell::Words("中高速增长".into()));
        assert_eq!(num("14/10 万以下").rest, "/10万");
        assert_eq!(num("预计 2.5").value, 2.5);
        assert_eq!(num("-11.59").value, -11.59);
    }

    #[test]
    fn chinese_numerals() {
        let n = |s: &str| chinese_number(s).map(|(v, r)| (v, r.to_string()));
        assert_eq!(n("两所学校"), Some((2.0, "所学校".into())));
        assert_eq!(n("十个"), Some((10.0, "个".into())));
        assert_eq!(n("二十五个"), Some((25.0, "个".into())));
        assert_eq!(n("一百个"), Some((100.0, "个".into())));
        assert_eq!(n("一百二十家"), Some((120.0, "家".into())));
        assert_eq!(n("一百零五座"), Some((105.0, "座".into())));
        assert_eq!(n("三千"), Some((3000.0, "".into())));
        assert_eq!(n("十五万人"), Some((15.0, "万人".into())));
        // Names and years, not counts.
        assert_eq!(n("十四五"), None);
        assert_eq!(n("二〇三五年"), None);
        assert_eq!(n("千家万户"), None);
        assert_eq!(n("百亿级"), None);
        assert_eq!(n("零"), None);
    }
}
