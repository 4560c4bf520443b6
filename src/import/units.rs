//! Units and directions: the unit in an indicator's name (`城镇化率(%)`), the unit after a number
//! in running text (`650亿元`, `50万千瓦`), whether an indicator is better higher or lower, and
//! whether its unit is a share, a duration or a flow.

/// Units that follow a number in plan documents, longest first when read (see [`unit_after`]).
const UNITS: &[&str] = &[
    "%",
    "％",
    "‰",
    "个百分点",
    "百分点",
    "万亿元",
    "亿元",
    "万元/人",
    "万元",
    "元/人",
    "元",
    "亿美元",
    "万美元",
    "美元",
    "万人次",
    "万人",
    "人",
    "亿人次",
    "万户",
    "户",
    "万套",
    "套",
    "万亩",
    "亩",
    "平方公里",
    "万平方米",
    "平方米",
    "公顷",
    "万公顷",
    "公里",
    "千米",
    "延米",
    "米",
    "万千瓦时",
    "亿千瓦时",
    "万千瓦",
    "千瓦",
    "兆瓦",
    "万千伏安",
    "千伏安",
    "万吨标准煤",
    "万吨",
    "吨",
    "亿斤",
    "万斤",
    "斤",
    "万立方米",
    "亿立方米",
    "立方米",
    "万头",
    "万只",
    "亿袋",
    "万袋",
    "万尾",
    "万个",
    "个",
    "家",
    "座",
    "所",
    "处",
    "条",
    "项",
    "张",
    "栋",
    "名",
    "位",
    "件",
    "台",
    "辆",
    "部",
    "批",
    "支",
    "类",
    "级",
    "次",
    "天",
    "个工作日",
    "工作日",
    "小时",
    "分钟",
    "年",
    "岁",
    "周岁",
    "倍",
    "公斤",
    "千克",
    "克",
    "微克/立方米",
    "/10万",
    "/10万人",
    "/万人",
    "/千人",
    "亿元人民币",
    "亿人民币",
    "万元人民币",
    "标准箱",
    "万标箱",
    "床",
];

/// The unit that starts `s`, if any (longest match).
pub fn unit_after(s: &str) -> Option<&'static str> {
    UNITS
        .iter()
        .filter(|u| s.starts_with(**u))
        .max_by_key(|u| u.len())
        .copied()
}

/// Splits `地区生产总值增长率(%)` into the name and the unit in its trailing parentheses (if the
/// parentheses hold a unit rather than part of the name, as in `地区生产总值(GDP)`).
pub fn split_name(cell: &str) -> (String, Option<String>) {
    let s = cell.trim();
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(body) = s.strip_suffix(close)
            && let Some(k) = body.rfind(open)
        {
            let inner = body[k + open.len_utf8()..].trim();
            if is_unit_text(inner) {
                let name = body[..k].trim().to_string();
                if !name.is_empty() {
                    return (name, Some(normalise(inner)));
                }
            }
        }
    }
    // A parenthesised unit followed by an explanation: `参保率(%) (城乡居民…)`.
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(k) = s.find(open)
            && let Some(e) = s[k..].find(close)
        {
            let inner = s[k + open.len_utf8()..k + e].trim();
            if is_unit_text(inner) && k > 0 {
                return (s[..k].trim().to_string(), Some(normalise(inner)));
            }
        }
    }
    (s.to_string(), None)
}

/// True when `s` is a unit on its own (`%`, `亿元`, `万人`, `元/人`): the text of a name's
/// parentheses or of a table's 单位 cell.
pub fn is_unit_text(s: &str) -> bool {
    let n = s.chars().count();
    if n == 0 || n > 10 {
        return false;
    }
    if unit_after(s).is_some_and(|u| u.chars().count() == n) {
        return true;
    }
    // Compound units such as 元/人, 立方米/万元, 人/千人, 吨标准煤/万元, ‰.
    s.contains('/') && !s.contains("、")
        || s.starts_with("万") && n <= 4
        || s.starts_with("亿") && n <= 4
        || matches!(s, "件" | "个" | "人" | "岁" | "年" | "‰" | "％")
}

pub fn normalise(u: &str) -> String {
    match u {
        "％" => "%".into(),
        _ => u.to_string(),
    }
}

/// A share: percent, per mille, percentage points.
pub fn is_share(unit: &str) -> bool {
    unit.contains('%') || unit.contains('‰') || unit.contains("百分点")
}

/// A length of time or life (years): a change of a few years, not a flow.
pub fn is_years(unit: &str) -> bool {
    matches!(unit, "年" | "岁")
}

/// Words that make an indicator better when lower.
const LOWER: &[&str] = &[
    "失业率",
    "死亡率",
    "发生率",
    "感染率",
    "能耗",
    "能源消耗",
    "排放",
    "浓度",
    "用水量",
    "劣Ⅴ类",
    "劣V类",
    "收入比",
    "贫困",
    "事故",
    "污染",
    "控制规模",
    "黑臭",
    "煤炭占",
    "万元生产总值能耗",
    "二氧化碳",
    "耗水",
    "用地面积",
];

/// True when the indicator's name says lower is better (unemployment, emissions, intensity …).
pub fn lower_is_better(name: &str) -> bool {
    LOWER.iter().any(|w| name.contains(w))
}

/// Words of a name that announce a cut (降低率, 降幅): a `reduction` target.
pub fn names_a_cut(name: &str) -> bool {
    ["降低", "降幅", "下降", "减少", "减排"]
        .iter()
        .any(|w| name.contains(w))
}

/// Words of a name that announce a growth rate (增长率, 增速).
pub fn names_growth(name: &str) -> bool {
    (name.ends_with("增长") || name.ends_with("增长率") || name.ends_with("增速"))
        && !name.contains("比重")
}

/// Removes the trailing words of a rate (`增长率`, `降幅`, …) from an indicator's name, so that the
/// indicator is the quantity (`地区生产总值`) and the metric says how it moves.
pub fn strip_rate_words(name: &str) -> String {
    let mut n = name.trim().to_string();
    for w in [
        "年均增长率",
        "年均增长",
        "增长率",
        "增长",
        "增速",
        "降低率",
        "降低",
        "降幅",
        "下降率",
        "下降",
        "减少",
    ] {
        if let Some(s) = n.strip_suffix(w)
            && s.chars().count() >= 2
        {
            n = s.to_string();
            break;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_units() {
        assert_eq!(
            split_name("地区生产总值增长率(%)"),
            ("地区生产总值增长率".into(), Some("%".into()))
        );
        assert_eq!(
            split_name("地区生产总值(GDP)"),
            ("地区生产总值(GDP)".into(), None)
        );
        assert_eq!(
            split_name("全员劳动生产率增长(元/人)").1.as_deref(),
            Some("元/人")
        );
        assert_eq!(split_name("城区绿化覆盖率 (%)").0, "城区绿化覆盖率");
        assert_eq!(
            split_name("城镇新增就业人数(万人)").1.as_deref(),
            Some("万人")
        );
        assert_eq!(unit_after("万千瓦以上"), Some("万千瓦"));
        assert_eq!(strip_rate_words("单位GDP能源消耗降幅"), "单位GDP能源消耗");
        assert!(lower_is_better("城镇调查失业率"));
    }
}
