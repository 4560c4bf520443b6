//! Targets stated in running text: "到2025年，…达到…以上", "年均增长7%左右", "累计下降15%",
//! "控制在…以内", "翻一番", "新增…家", "按省下达", ranges ("3-5个"), "A、B分别达到x、y", with the
//! units that go with them.
//!
//! A sentence is read clause by clause (split at ，；：). A number becomes a target only when a
//! target verb stands before it (达到, 超过, 控制在, 新增, 年均增长 …) or an operator word after
//! it (以上, 左右, 以内); sentences about the past (以来, 已, 同比, a year up to the base year
//! without 到) are skipped. The indicator's name is what the clause says before the verb, or, when
//! the verb opens the clause (建设160个左右社会足球场), what follows the number (the head noun after
//! the last 的). A clause that opens with its verb continues the sentence's subject, and a clause
//! with only a count continues the previous clause's enumeration. Growth against the economy's
//! (快于经济增长, 与经济增长同步) is a cagr_gap; a level against an average (达到全省平均水平) is
//! qualitative, one for each name joined by 均; time limits (2个工作日办结) are levels at most;
//! age groups (5岁以下儿童) are part of a name. A target whose name cannot be told is kept for
//! review. docs/import.md lists the rules with examples.

use super::doc::{Doc, Line};
use super::units;
use super::value;
use super::{Item, Origin, Quote, Review, Value};
use crate::model::target::{Metric, Op};

/// Verbs before a number, longest first within each kind, with the metric and op they imply.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Verb {
    /// 达到, 发展到, 提高到: a level (at least, or at most when lower is better).
    Reach,
    /// 超过, 突破, 不低于: at least.
    Exceed,
    /// 控制在, 不超过, 降至: at most.
    Cap,
    /// 年均增长: a yearly growth rate.
    Growth,
    /// 累计下降, 降低 … %: a reduction.
    Cut,
    /// 提高 … 个百分点: a change.
    Raise,
    /// 新增, 新建: a five-year total.
    Add,
    /// 新增 … 不低于 / 达到: a five-year total, at least.
    AddAtLeast,
    /// 建设, 培育, 打造, 引进: a level reached by building.
    Build,
}

const VERBS: &[(&str, Verb)] = &[
    ("年均增长", Verb::Growth),
    ("年均增速", Verb::Growth),
    ("年均提高", Verb::Growth),
    ("年均增加", Verb::Growth),
    ("累计增长", Verb::Growth),
    ("累计下降", Verb::Cut),
    ("累计降低", Verb::Cut),
    ("累计减少", Verb::Cut),
    ("下降", Verb::Cut),
    ("降低", Verb::Cut),
    ("减少", Verb::Cut),
    ("提高到", Verb::Reach),
    ("提升到", Verb::Reach),
    ("提高至", Verb::Reach),
    ("提升至", Verb::Reach),
    ("增加到", Verb::Reach),
    ("增长到", Verb::Reach),
    ("发展到", Verb::Reach),
    ("发展成为", Verb::Reach),
    ("稳定在", Verb::Reach),
    ("保持在", Verb::Reach),
    ("保持", Verb::Reach),
    ("达到", Verb::Reach),
    ("达", Verb::Reach),
    ("提高", Verb::Raise),
    ("提升", Verb::Raise),
    ("增加", Verb::Raise),
    // 增长 / 增速 / 增幅 before a percent: a yearly growth rate (only before a rate: see
    // verb_before).
    ("增长", Verb::Growth),
    ("增速", Verb::Growth),
    ("增幅", Verb::Growth),
    ("控制在", Verb::Cap),
    ("缩小到", Verb::Cap),
    ("缩小至", Verb::Cap),
    ("降低到", Verb::Cap),
    ("降低至", Verb::Cap),
    ("减少到", Verb::Cap),
    ("减少至", Verb::Cap),
    ("不超过", Verb::Cap),
    ("不高于", Verb::Cap),
    ("降至", Verb::Cap),
    ("降到", Verb::Cap),
    ("压缩至", Verb::Cap),
    ("压缩到", Verb::Cap),
    ("缩短至", Verb::Cap),
    ("缩短到", Verb::Cap),
    ("低于", Verb::Cap),
    ("超过", Verb::Exceed),
    ("突破", Verb::Exceed),
    ("高于", Verb::Exceed),
    ("不低于", Verb::Exceed),
    ("不少于", Verb::Exceed),
    ("至少", Verb::Exceed),
    ("超", Verb::Exceed),
    ("新增", Verb::Add),
    ("新建", Verb::Add),
    ("新改建", Verb::Add),
    ("新认定", Verb::Add),
    ("新培育", Verb::Add),
    ("新引进", Verb::Add),
    ("新组建", Verb::Add),
    ("新发展", Verb::Add),
    ("新评价入库", Verb::Add),
    ("增容扩建", Verb::Add),
    ("改扩建", Verb::Add),
    ("扩建", Verb::Add),
    ("增设", Verb::Add),
    ("投放", Verb::Add),
    ("培训", Verb::Add),
    ("培育形成", Verb::Build),
    ("改造提升", Verb::Build),
    ("培育发展", Verb::Build),
    ("建成", Verb::Build),
    ("建立", Verb::Build),
    ("形成", Verb::Build),
    ("建设", Verb::Build),
    ("培育", Verb::Build),
    ("打造", Verb::Build),
    ("建造", Verb::Build),
    ("评价入库", Verb::Build),
    ("引进", Verb::Build),
    ("创建", Verb::Build),
    ("布局", Verb::Build),
    ("认定", Verb::Build),
    ("完成", Verb::Build),
    ("实施", Verb::Build),
    ("培养", Verb::Build),
    ("改造", Verb::Build),
    ("扶持", Verb::Build),
    ("遴选", Verb::Build),
    ("争创", Verb::Build),
    ("配置", Verb::Build),
    ("配备", Verb::Build),
];

/// Verbs of additions: a count after them is a five-year total.
const ADDED: &[&str] = &[
    "新增",
    "新建",
    "新改建",
    "新认定",
    "新培育",
    "新引进",
    "新组建",
    "新发展",
    "新评价入库",
    "增设",
    "投放",
    "培训",
];

/// Places that statistics pair (城镇、农村居民人均可支配收入): a name's leading place that the
/// names before it replace.
const PAIRED_PLACES: &[&str] = &[
    "城镇",
    "农村",
    "城市",
    "乡村",
    "城区",
    "农村地区",
    "城乡",
    "县城",
    "乡镇",
    "市区",
    "郊区",
];

/// Words that are no indicator's name when they stand alone between a verb and a number.
const BARE_VERBS: &[&str] = &[
    "发展",
    "设立",
    "重点",
    "加快",
    "推动",
    "高标准",
    "选择",
    "积极",
];

/// Units after which a number is not a target quantity (dates, durations, ordinals).
const NOT_TARGET_UNITS: &[&str] = &[
    "年", "月", "日", "次", "届", "级", "类", "批", "倍", "小时", "分钟",
];

/// Words that mark a sentence about the past.
const PAST: &[&str] = &[
    "以来",
    "过去",
    "五年来",
    "已经",
    "同比",
    "比上年",
    "完成了",
    "实现了",
    "取得了",
    "累计完成",
    "已建成",
    "已达",
];

/// Fillers at the start of a name.
const FILLERS: &[&str] = &[
    "力争",
    "确保",
    "全市",
    "全县",
    "全区",
    "全省",
    "实现",
    "使",
    "推动",
    "推进",
    "基本",
    "其中",
    "到",
    "并",
    "同时",
    "以上",
    "每年",
    "平均",
    "总体",
    "进一步",
    "持续",
    "稳步",
    "继续",
    "计划",
    "规划",
    "争取",
    "努力",
    "要",
    "将",
    "和",
    "及",
    "与",
    "的",
    "、",
    "　",
    " ",
    "积极",
    "大力",
    "加快",
    "全力",
    "着力",
    "主动",
    "选择",
    "聚焦",
    "鼓励",
    "约",
    "开展",
    "实施",
    "完成",
];

/// Appends the targets of the document's running text (outside `tables`, as line-index ranges).
pub fn draft(
    d: &Doc,
    tables: &[(usize, usize)],
    base_year: i32,
    target_year: i32,
    items: &mut Vec<Item>,
    reviews: &mut Vec<Review>,
) {
    let previous = match base_year {
        2015 => "十二五",
        2020 => "十三五",
        2025 => "十四五",
        2030 => "十五五",
        _ => "",
    };
    let mut in_review = false;
    for (k, line) in d.lines.iter().enumerate() {
        if tables.iter().any(|(a, b)| (*a..=*b).contains(&k)) {
            continue;
        }
        // A review of the previous plan: from a paragraph opening with “十三五”时期 (or 过去五年)
        // to the next heading.
        let t = line.text.trim().trim_start_matches(['“', '"']);
        if !d.char_offsets {
            if is_heading(t) {
                in_review = false;
            }
            let opens_review = ["过去五年", "五年来"].iter().any(|w| t.starts_with(w))
                || (!previous.is_empty()
                    && t.starts_with(previous)
                    && ["时期", "期间", "以来"].iter().any(|w| {
                        t[previous.len()..]
                            .trim_start_matches(['”', '"'])
                            .starts_with(w)
                    }));
            if opens_review {
                in_review = true;
            }
            if in_review {
                continue;
            }
        }
        if line.text.trim().chars().count() < 6 || line.text.contains('\t') {
            continue;
        }
        read_line(d, line, base_year, target_year, items, reviews);
    }
}

/// A heading: a short line without sentence punctuation, opening with 第…章/节 or a numbering.
fn is_heading(t: &str) -> bool {
    let n = t.chars().count();
    if n == 0 || n > 30 || t.contains(['，', '。', ',', '；']) {
        return false;
    }
    let numerals = "一二三四五六七八九十";
    t.starts_with('第')
        || t.starts_with(['（', '('])
        || t.chars()
            .next()
            .is_some_and(|c| numerals.contains(c) || c.is_ascii_digit())
}

/// Sentence pieces of a line: (byte offset, text).
fn pieces<'a>(s: &'a str, seps: &[char]) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        // `3:1` is a ratio, not the end of a clause.
        let ratio = c == ':'
            && s[..i].ends_with(|d: char| d.is_ascii_digit())
            && s[i + 1..].starts_with(|d: char| d.is_ascii_digit());
        if seps.contains(&c) && !ratio {
            out.push((start, &s[start..i]));
            start = i + c.len_utf8();
        }
    }
    out.push((start, &s[start..]));
    out
}

/// The year a clause opens with (到2025年, 2025年前, 至2035年), if any.
fn clause_year(s: &str) -> Option<(i32, bool)> {
    for (k, _) in s.match_indices('年') {
        // Text extracted from PDF often spaces the year: `到 2025 年`.
        let d = s[..k].trim_end_matches(' ').len();
        if d < 4 || !s.is_char_boundary(d - 4) {
            continue;
        }
        let y = &s[d - 4..d];
        if !y.bytes().all(|b| b.is_ascii_digit())
            || s[..d - 4].ends_with(|c: char| c.is_ascii_digit())
        {
            continue;
        }
        let year: i32 = y.parse().ok()?;
        if !(1949..=2100).contains(&year) {
            continue;
        }
        let before = s[..d - 4].trim_end_matches(' ');
        let future = before.ends_with('到')
            || before.ends_with('至')
            || before.ends_with("力争")
            || s[k..].starts_with("年前")
            || s[k..].starts_with("年底前")
            || s[k..].starts_with("年末");
        let compare = before.ends_with('比') || before.ends_with('较') || before.ends_with('于');
        if compare {
            continue;
        }
        return Some((year, future));
    }
    None
}

fn read_line(
    d: &Doc,
    line: &Line,
    base_year: i32,
    target_year: i32,
    items: &mut Vec<Item>,
    reviews: &mut Vec<Review>,
) {
    let mut year: Option<i32> = None;
    let mut goals = false;
    // A goal paragraph opened by a clause 到YYYY年 in mid-sentence (…，到2035年，基本实现…): only
    // clauses that open with a state (基本实现…, 全面建成…) are qualitative goals there.
    let mut late_goals = false;
    for (_, sentence) in pieces(&line.text, &['。', '！', '？']) {
        if PAST.iter().any(|w| sentence.contains(w)) {
            continue;
        }
        let mut skip_sentence = false;
        // The indicator the sentence is about so far: a clause that opens with its verb
        // (…地区生产总值实现翻两番，达到1400亿元以上) continues it.
        let mut subject: Option<String> = None;
        // The verb of the last target read in this sentence, for clauses that only add a count.
        let mut carried: Option<Verb> = None;
        // The carried verb opened a clause without a target: only a clause opening with a count
        // continues it.
        let mut opens_only = false;
        let clauses = pieces(sentence, &['，', '；', '：', ',', ';', ':']);
        // A goal paragraph: from a sentence that opens with 到YYYY年 (a year after the base), every
        // clause without a number is a qualitative goal.
        if let Some((_, first)) = clauses.first() {
            let t = trim_name(first);
            if t.is_empty()
                && let Some((y, true)) = clause_year(first)
                && y > base_year
            {
                goals = true;
            }
        }
        for (clause_at, clause) in clauses {
            // …，到2035年，基本实现…: a clause that is only 到YYYY年 opens a goal paragraph
            // mid-sentence too.
            if !goals
                && trim_name(clause).is_empty()
                && let Some((y, true)) = clause_year(clause)
                && y > base_year
            {
                late_goals = true;
            }
            if let Some((y, future)) = clause_year(clause) {
                if y <= base_year && !future {
                    skip_sentence = true;
                } else if y > base_year {
                    year = Some(y);
                }
            }
            if skip_sentence {
                break;
            }
            if year.is_some_and(|y| y <= base_year) {
                continue;
            }
            let y = year.filter(|y| *y != target_year);
            let before = items.len();
            let words_only = !clause
                .chars()
                .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
                && !numbers(clause).iter().any(|f| f.chinese);
            if (goals || late_goals && opens_with_state(clause))
                && words_only
                && !clause.contains("翻")
                && !value::is_assigned(clause.trim())
                && quota_at(clause).is_none()
            {
                let against = against_average(d, line, clause, y);
                match relative_to_economy(d, line, clause, y) {
                    Some(it) => items.push(it),
                    None if !against.is_empty() => items.extend(against),
                    None => qualitative(d, line, clause, y, items),
                }
            } else {
                let mut flow = Flow {
                    subject: subject.take(),
                    verb: carried.take(),
                    opens_only,
                };
                read_clause(d, line, clause, y, &mut flow, items, reviews);
                carried = flow.verb;
                // A verb that only opened the previous clause reaches the next clause alone.
                if opens_only && items.len() == before {
                    carried = None;
                }
                opens_only = false;
                // 建设X，1个Y，1个Z: a clause that opens with a verb of building and drafts
                // nothing hands its verb to clauses that open with a count.
                if carried.is_none() && items.len() == before && words_only {
                    let t = trim_name(clause);
                    carried = VERBS
                        .iter()
                        .filter(|(w, v)| matches!(v, Verb::Add | Verb::Build) && t.starts_with(w))
                        .max_by_key(|(w, _)| w.len())
                        .map(|(_, v)| *v);
                    opens_only = carried.is_some();
                }
            }
            subject = match items[before..].last() {
                Some(it) => Some(it.name.clone()),
                // A clause that drafts nothing changes the topic, or names it by an outcome
                // (居民人均可支配收入大幅提升，达到3万元).
                None => outcome_subject(clause),
            };
            // Parts of a sentence between semicolons state their own subjects.
            if sentence[clause_at + clause.len()..].starts_with(['；', ';']) {
                subject = None;
                carried = None;
                opens_only = false;
            }
        }
    }
}

/// What a clause hands on to the next clause of its sentence.
struct Flow {
    /// The indicator the sentence is about so far.
    subject: Option<String>,
    /// The verb of the last target read, for a clause that only adds a count.
    verb: Option<Verb>,
    /// `verb` opened the previous clause, which drafted nothing: only a count that opens this
    /// clause continues it.
    opens_only: bool,
}

/// Phrases that end a qualitative goal (城镇体系基本形成): removed to leave the indicator's name.
const OUTCOMES: &[&str] = &[
    "明显增强",
    "显著增强",
    "持续增强",
    "不断增强",
    "大幅提升",
    "显著提升",
    "明显提升",
    "稳步提升",
    "持续提升",
    "全面提升",
    "进一步提升",
    "明显提高",
    "显著提高",
    "大幅提高",
    "稳步提高",
    "进一步提高",
    "全面提高",
    "持续提高",
    "基本形成",
    "全面形成",
    "初步形成",
    "加快形成",
    "基本建成",
    "全面建成",
    "基本实现",
    "全面实现",
    "取得重要进展",
    "取得决定性进展",
    "取得重大突破",
    "取得突破",
    "更加完善",
    "更加健全",
    "更加优化",
    "更加巩固",
    "更加美好",
    "持续改善",
    "明显改善",
    "显著改善",
    "根本好转",
    "显著缩小",
    "大幅缩小",
    "明显缩小",
    "得到有效解决",
    "成效显著",
    "步伐加快",
    "大幅跃升",
    "快速上升",
    "不断发展壮大",
    "形成一定规模",
    "基本消除",
    "全覆盖",
    "走在前列",
    "迈上新台阶",
    "全面完成",
];

/// A clause that opens with a state reached (基本实现…, 全面建成…, 初步形成…).
fn opens_with_state(clause: &str) -> bool {
    let q = clause.trim_matches(|c: char| c.is_whitespace() || c == '　');
    OUTCOMES
        .iter()
        .filter(|o| ["基本", "全面", "初步"].iter().any(|w| o.starts_with(w)))
        .any(|o| q.starts_with(o))
}

/// The indicator a clause names by its outcome (居民人均可支配收入大幅提升), if it does.
fn outcome_subject(clause: &str) -> Option<String> {
    let (k, _) = OUTCOMES
        .iter()
        .find_map(|o| clause.find(o).map(|k| (k, *o)))?;
    let head = trim_name(&clause[..k]);
    (cjk_count(&head) >= 2 && head.chars().count() <= 20).then_some(head)
}

/// A clause of a goal paragraph without a number: a qualitative target.
fn qualitative(d: &Doc, line: &Line, clause: &str, year: Option<i32>, items: &mut Vec<Item>) {
    let q = clause
        .trim()
        .trim_matches(|c: char| c.is_whitespace() || "　".contains(c));
    let n = cjk_count(q);
    if !(4..=40).contains(&n) {
        return;
    }
    let mut name = trim_name(q);
    // Only outcomes (…基本形成, …明显增强), not actions (拓宽融资渠道); an outcome may also open
    // the clause (基本实现社会主义现代化), which the fillers' trimming would hide.
    // Only a state opens a goal (基本实现…, 全面建成…); 进一步提升… opens an action.
    let opening = OUTCOMES
        .iter()
        .filter(|o| ["基本", "全面", "初步"].iter().any(|w| o.starts_with(w)))
        .find(|o| q.starts_with(**o))
        .map(|o| trim_name(&q[o.len()..]));
    if let Some(tail) = opening {
        name = tail;
    } else {
        let Some((k, o)) = OUTCOMES.iter().find_map(|o| name.find(o).map(|k| (k, *o))) else {
            return;
        };
        let head = trim_name(&name[..k]);
        let tail = trim_name(&name[k + o.len()..]);
        if cjk_count(&head) >= 2 && tail.is_empty() {
            name = head;
        }
    }
    if cjk_count(&name) < 2 {
        return;
    }
    let Some(at) = d.locate(line, q) else { return };
    items.push(qualitative_item(name, year, at, q));
}

/// A number found in a clause.
struct Found {
    /// Byte range of the number (and range) in the clause.
    start: usize,
    end: usize,
    value: f64,
    hi: Option<f64>,
    unit: Option<&'static str>,
    op: Option<Op>,
    /// A ratio `a:1`, read as a.
    ratio: bool,
    /// A count in Chinese numerals (两所, 二十五个).
    chinese: bool,
}

/// The operator word right after a number and its unit (左右, 以上, 及以上, 以内, 以下), if any.
fn op_after(after: &str) -> Option<Op> {
    [
        ("左右", Op::About),
        ("以上", Op::AtLeast),
        ("及以上", Op::AtLeast),
        ("以内", Op::AtMost),
        ("以下", Op::AtMost),
    ]
    .into_iter()
    .find(|(w, _)| after.starts_with(w))
    .map(|(_, o)| o)
}

/// Measure words after which a count in Chinese numerals is read (新建两所学校, 培育三个集群).
const CHINESE_COUNT_UNITS: &[&str] = &[
    "个",
    "家",
    "所",
    "座",
    "项",
    "条",
    "处",
    "张",
    "栋",
    "名",
    "位",
    "件",
    "台",
    "辆",
    "部",
    "支",
    "套",
    "户",
    "人",
    "个百分点",
];

/// A count in Chinese numerals at `k` of `clause`: (value, hi of a range, end of the numerals),
/// when a measure word follows (二十五个, 三至五家) and a target verb stands right before it
/// (新建两所, 培育三个) or it continues an enumeration of counts (…25个X和两座Y). Not a name (十大,
/// 一带一路, 三农), an ordinal (第三个), a pairing (一户一档), a group in apposition (A、B、C三个乡镇)
/// nor 一 alone (打造一个…高地, 一支队伍, 一条龙: a figure of speech far more often than a count).
fn chinese_count(clause: &str, k: usize) -> Option<(f64, Option<f64>, usize)> {
    let found = chinese_count_here(clause, k)?;
    let head = clause[..k].trim_end_matches(' ');
    let after_verb = VERBS.iter().any(|(w, _)| head.ends_with(w));
    // An earlier count of the clause (digits or Chinese numerals) before a joiner.
    let listed = head.ends_with(['、', '和', '及', '与'])
        && (head.chars().any(|c| c.is_ascii_digit())
            || head
                .char_indices()
                .any(|(j, _)| chinese_count_here(clause, j).is_some()));
    (after_verb || listed).then_some(found)
}

/// A count in Chinese numerals at `k` before a measure word, whatever stands before it (see
/// [`chinese_count`]).
fn chinese_count_here(clause: &str, k: usize) -> Option<(f64, Option<f64>, usize)> {
    let head = clause[..k].trim_end_matches(' ');
    let prev = head.chars().next_back();
    if prev.is_some_and(|p| "第“\"零〇一二两三四五六七八九十百千万".contains(p))
    {
        return None;
    }
    let (v, rest) = value::chinese_number(&clause[k..])?;
    if v == 1.0 {
        return None;
    }
    let mut end = clause.len() - rest.len();
    let mut hi = None;
    for sep in ["至", "到", "-", "—", "～"] {
        if let Some(r) = rest.strip_prefix(sep)
            && let Some((b, r2)) = value::chinese_number(r)
            && b > v
        {
            hi = Some(b);
            end = clause.len() - r2.len();
        }
    }
    let after = &clause[end..];
    let u = units::unit_after(after).filter(|u| CHINESE_COUNT_UNITS.contains(u))?;
    if after[u.len()..].chars().take(3).any(|c| c == '一') {
        return None;
    }
    Some((v, hi, end))
}

/// The numbers of a clause with their units and operator words.
fn numbers(clause: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < clause.len() {
        let c = clause[k..].chars().next().unwrap();
        let prev = clause[..k].chars().next_back();
        let starts = c.is_ascii_digit() || ('０'..='９').contains(&c);
        if !starts && let Some((v, hi, end)) = chinese_count(clause, k) {
            let after = &clause[end..];
            let unit = units::unit_after(after);
            let after = &after[unit.map_or(0, str::len)..];
            let op = op_after(after);
            out.push(Found {
                start: k,
                end,
                value: v,
                hi,
                unit,
                op,
                ratio: false,
                chinese: true,
            });
            k = end;
            continue;
        }
        if !starts
            || prev.is_some_and(|p| {
                // A number right after an opening quote names something (“369人才工程”).
                p.is_ascii_alphanumeric() || ".第/“\"".contains(p)
            })
        {
            k += c.len_utf8();
            continue;
        }
        let Some((v, hi, rest)) = value::leading_number(&clause[k..]) else {
            k += c.len_utf8();
            continue;
        };
        let mut end = clause.len() - rest.len();
        // A ratio `3:1` / `1.8∶1`: the first term is the value.
        let mut ratio = false;
        for sep in [":1", "∶1", "：1"] {
            if let Some(r) = rest.strip_prefix(sep)
                && !r.starts_with(|c: char| c.is_ascii_digit() || c == '.')
            {
                ratio = true;
                end += sep.len();
            }
        }
        let rest = &clause[end..];
        // Spaces between a number and its unit (`超过 20 家`).
        let rest = rest.trim_start_matches(' ');
        let mut unit = units::unit_after(rest);
        let mut after = &rest[unit.map_or(0, str::len)..];
        if unit.is_none()
            && rest.starts_with("亿")
            && let Some(u) = units::unit_after(&rest["亿".len()..])
        {
            // 5亿公斤: a unit of hundred millions.
            unit = Some(u);
            after = &rest["亿".len() + u.len()..];
        } else if unit.is_none() && rest.starts_with("万") {
            // 2.5万家, 1.9万公里: a unit of ten thousands.
            if let Some(u) = units::unit_after(&rest["万".len()..]) {
                unit = Some(u);
                after = &rest["万".len() + u.len()..];
            } else {
                // 人口达到150万: ten thousands of the indicator's own unit.
                let r = &rest["万".len()..];
                if r.is_empty()
                    || r.starts_with(['，', '。', '；', '、', ',', ';'])
                    || ["以上", "左右", "以内", "以下"]
                        .iter()
                        .any(|w| r.starts_with(w))
                {
                    unit = Some("万");
                    after = r;
                }
            }
        }
        let after = after.trim_start_matches(' ');
        let op = op_after(after).or(clause[..k].ends_with('约').then_some(Op::About));
        out.push(Found {
            start: k,
            end,
            value: v,
            hi,
            unit,
            op,
            ratio,
            chinese: false,
        });
        k = end.max(k + 1);
    }
    out
}

/// The full unit text after the number (including 万 of ten thousands).
fn unit_text(clause: &str, f: &Found) -> Option<String> {
    let rest = clause[f.end..].trim_start_matches(' ');
    let u = f.unit?;
    if rest.starts_with(u) {
        Some(u.to_string())
    } else if rest.starts_with("亿") {
        Some(format!("亿{u}"))
    } else {
        Some(format!("万{u}"))
    }
}

/// The verb closest before `at` in the clause (within the last few characters), and where it starts.
fn verb_before(clause: &str, at: usize, points: bool) -> Option<(Verb, usize, usize)> {
    let head = &clause[..at];
    let mut best: Option<(Verb, usize, usize)> = None;
    // 增长 / 增速 / 增幅 are verbs before a rate only (增长5%, 增长2个百分点); elsewhere they are
    // part of a name (新增长点).
    let rate = points
        || value::leading_number(&clause[at..]).is_some_and(|(_, _, r)| {
            let r = r.trim_start_matches(' ');
            r.starts_with('%') || r.starts_with('％')
        });
    for (w, v) in VERBS {
        // 提高/提升 only raise by percentage points; elsewhere they are part of a name
        // (完成农村劳动力技能提升培训5万人次).
        if *v == Verb::Raise && !points {
            continue;
        }
        if *v == Verb::Growth && !w.starts_with("年均") && !rate {
            continue;
        }
        if let Some(p) = head.rfind(w) {
            // Only words with at most 12 characters between them and the number, or an
            // enumeration closed by 等 (建设A、B、C等6个X).
            let gap = head[p + w.len()..].chars().count();
            if gap > 12 && !(gap <= 40 && head.trim_end().ends_with('等')) {
                continue;
            }
            let better = match best {
                None => true,
                Some((_, bp, bl)) => {
                    p + w.len() > bp + bl || (p + w.len() == bp + bl && w.len() > bl)
                }
            };
            if better {
                best = Some((*v, p, w.len()));
            }
        }
    }
    best
}

/// A list marker at the start of `s` (`1.`, `二、`, `（三）`, `(4)`, `①`, a bullet `●`, stray
/// punctuation) removed.
fn strip_list_marker(s: &str) -> &str {
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let s = s.trim_start_matches(|c: char| "．.、)）①②③④⑤⑥⑦⑧⑨⑩●○■□◆◇▲△•·★☆ 　".contains(c));
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(r) = s.strip_prefix(open) {
            let run = r.trim_start_matches(numeral);
            if run.len() < r.len()
                && let Some(rest) = run.strip_prefix(close)
            {
                return rest;
            }
            return r;
        }
    }
    let run = s.trim_start_matches(numeral);
    if run.len() < s.len()
        && let Some(rest) = run.strip_prefix(['、', '.', '．', ')', '）'])
    {
        return rest;
    }
    s
}

fn trim_name(s: &str) -> String {
    let mut n = s.trim().to_string();
    loop {
        let before = n.clone();
        // Leading list markers: 1. （一） ① — but not a numeral that is part of the name
        // (九年一贯制学校, 5岁以下儿童死亡率).
        n = strip_list_marker(&n).to_string();
        for f in FILLERS {
            if let Some(r) = n.strip_prefix(f) {
                n = r.to_string();
            }
            if let Some(r) = n.strip_suffix(f) {
                n = r.to_string();
            }
        }
        if let Some(k) = n.find("年") {
            // 到2025年 (or 到 2025 年) at the start of a name.
            let head = n[..k].trim();
            if head.len() == 4 && head.bytes().all(|b| b.is_ascii_digit()) {
                n = n[k + "年".len()..].trim_start().to_string();
            }
        }
        if n == before {
            break;
        }
    }
    let mut n = n
        .trim_matches(|c: char| c.is_whitespace() || "，,。；;：:、".contains(c))
        .to_string();
    // Brackets and quotes: drop an opener or closer only when it has no partner in the name.
    for (open, close) in [('“', '”'), ('（', '）'), ('(', ')'), ('《', '》')] {
        if n.starts_with(open) && !n.contains(close) {
            n = n[open.len_utf8()..].to_string();
        }
        if n.ends_with(close) && !n.contains(open) {
            n.truncate(n.len() - close.len_utf8());
        }
        if n.ends_with(open) {
            n.truncate(n.len() - open.len_utf8());
        }
        if n.starts_with(close) {
            n = n[close.len_utf8()..].to_string();
        }
    }
    n.trim().to_string()
}

fn cjk_count(s: &str) -> usize {
    s.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count()
}

fn read_clause(
    d: &Doc,
    line: &Line,
    clause: &str,
    year: Option<i32>,
    flow: &mut Flow,
    items: &mut Vec<Item>,
    reviews: &mut Vec<Review>,
) {
    let subject = &flow.subject.clone();
    let quote_of = |q: &str| -> Option<Quote> {
        let q = q.trim();
        (!q.is_empty()).then(|| Quote {
            at: d.locate(line, q).unwrap_or(line.no),
            quote: q.to_string(),
        })
    };
    // Words only: 翻一番, 按省下达.
    for (w, v) in [("翻一番", 2.0), ("翻两番", 4.0), ("翻番", 2.0)] {
        if let Some(p) = clause.find(w) {
            // 比2020年翻两番: the comparison year is the base, not a number of the target.
            let head = strip_comparison_year(&clause[..p]);
            let name = trim_name(
                head.trim_end_matches("实现")
                    .trim_end_matches("力争")
                    .trim_end_matches('“'),
            );
            let name = if cjk_count(&name) < 2 && head.trim().is_empty() {
                subject.clone().unwrap_or_default()
            } else {
                name
            };
            if cjk_count(&name) >= 2
                && !head.chars().any(|c| c.is_ascii_digit())
                && !clause[p..].chars().any(|c| c.is_ascii_digit())
                && let Some(q) = quote_of(clause)
            {
                items.push(item(
                    name,
                    None,
                    Metric::Multiple,
                    Some(Op::AtLeast),
                    Value::Number(v),
                    year,
                    q,
                ));
            }
            return;
        }
    }
    if let Some(it) = relative_to_economy(d, line, clause, year) {
        items.push(it);
        return;
    }
    let against = against_average(d, line, clause, year);
    if !against.is_empty() {
        items.extend(against);
        return;
    }
    let quota = quota_at(clause);
    if value::is_assigned(clause.trim())
        || clause.contains("上级下达")
        || clause.contains("按省下达")
        || quota.is_some()
    {
        let p = clause
            .find("按")
            .or_else(|| clause.find("完成上级"))
            .or(quota)
            .unwrap_or(0);
        let mut name = trim_name(&clause[..p]);
        if name.is_empty() {
            // 按省定目标建设村庄污水处理设施: the indicator follows the phrase and its verb.
            // Only a phrase that says who sets the value (下达, 省定目标), then a verb.
            let end = ["目标", "下达"]
                .iter()
                .find_map(|w| clause[p..].find(w).map(|k| p + k + w.len()));
            if let Some(end) = end
                && (clause[p..end].contains("下达") || clause[p..end].contains("定目标"))
                && let Some(after) = VERBS
                    .iter()
                    .find_map(|(w, _)| clause[end..].strip_prefix(w))
            {
                name = trim_name(after);
            }
        }
        if let Some(q) = quote_of(clause) {
            // 二氧化碳排放降低完成省下达目标: a name that says a cut (降低, 下降, 减少) is a
            // reduction of the quantity; so is an emission total (化学需氧量和氨氮排放总量均完成
            // 省下达目标), which plans set only as cuts.
            let reduction = units::names_a_cut(&name) || name.contains("排放总量");
            let names: Vec<String> = joint_names(&name)
                .into_iter()
                .map(|n| {
                    if reduction {
                        units::strip_rate_words(&n)
                    } else {
                        n
                    }
                })
                .collect();
            if names
                .iter()
                .all(|n| cjk_count(n) >= 2 && n.chars().count() <= 30)
            {
                for n in names {
                    items.push(item(
                        n,
                        None,
                        if reduction {
                            Metric::Reduction
                        } else {
                            Metric::Level
                        },
                        Some(Op::AtLeast),
                        Value::Assigned,
                        year,
                        q.clone(),
                    ));
                }
            } else {
                reviews.push(Review {
                    at: q.at,
                    text: q.quote,
                    reason: "assigned by a higher level, indicator unclear".into(),
                });
            }
        }
        return;
    }
    let found = numbers(clause);
    if found.is_empty() {
        return;
    }
    // A、B分别达到x、y
    if let Some(p) = clause.find("分别") {
        let names_part = trim_name(&clause[..p]);
        let mut names: Vec<String> = names_part
            .split(['、', '和'])
            .map(trim_name)
            .filter(|n| cjk_count(n) >= 2)
            .collect();
        // 城镇、农村居民人均可支配收入分别达到…: the places share the last name's head.
        if let Some(last) = names.last().cloned() {
            for n in names.iter_mut() {
                let k = n.chars().count();
                let head: String = last.chars().skip(k).collect();
                let lead: String = last.chars().take(k).collect();
                if *n != last
                    && PAIRED_PLACES.contains(&n.as_str())
                    && PAIRED_PLACES.contains(&lead.as_str())
                    && cjk_count(&head) >= 2
                {
                    *n = format!("{n}{head}");
                }
            }
        }
        let vals: Vec<&Found> = found
            .iter()
            .filter(|f| f.start > p && f.unit.is_some())
            .collect();
        if names.len() >= 2 && names.len() == vals.len() {
            let verb = verb_before(clause, vals[0].start, true).map(|v| v.0);
            for (n, f) in names.iter().zip(vals) {
                let q = &clause[f.start..f.end + after_len(clause, f)];
                if let Some(q) = quote_of(q)
                    && let Some(it) =
                        make(n.clone(), clause, f, verb.unwrap_or(Verb::Reach), year, q)
                {
                    items.push(it);
                }
            }
            return;
        }
    }
    let mut last_end = 0;
    let mut prev_verb: Option<Verb> = None;
    let carried_in = flow.verb.take();
    for f in &found {
        let unit = f.unit;
        if unit.is_some_and(|u| NOT_TARGET_UNITS.contains(&u)) {
            // 比2025年增长20%: the year a change is counted from belongs to the name's phrase.
            let compared = unit == Some("年")
                && (clause[..f.start].ends_with('比') || clause[..f.start].ends_with('较'));
            if !compared {
                last_end = f.end;
            }
            continue;
        }
        let tail_start = f.end + after_len(clause, f);
        let tail = clause[tail_start..].trim_start_matches(' ');
        // 5岁以下儿童, 60周岁及以上老年人: an age group that is part of a name, not a target.
        // The age group stays in the name that follows (65岁以上老年人健康管理率): the name's
        // start (last_end) does not move past it.
        if unit.is_some_and(|u| u == "岁" || u == "周岁")
            && f.op.is_some()
            && tail.starts_with(|c: char| ('\u{4e00}'..='\u{9fff}').contains(&c))
        {
            continue;
        }
        // 企业注册开业2个工作日完成, 不动产登记4个工作日内办结: a time limit (at most), named by
        // what comes before the number (back to an opening quote).
        if unit.is_some_and(|u| u.ends_with("工作日") || u == "天")
            && (f.op == Some(Op::AtMost)
                || ["完成", "办结", "内完成", "内办结", "之内"]
                    .iter()
                    .any(|w| tail.starts_with(w)))
            && !verb_before(&clause[last_end..], f.start - last_end, false)
                .is_some_and(|(v, _, _)| v == Verb::Cap)
        {
            let head = &clause[last_end..f.start];
            let from = head.rfind(['“', '"']).map_or(last_end, |k| {
                last_end + k + head[k..].chars().next().unwrap().len_utf8()
            });
            let name = trim_name(&clause[from..f.start]);
            if cjk_count(&name) >= 2
                && name.chars().count() <= 30
                && let Some(q) = quote_of(&clause[from..tail_start])
            {
                items.push(item(
                    name,
                    unit.map(str::to_string),
                    Metric::Level,
                    Some(Op::AtMost),
                    Value::Number(f.value),
                    year,
                    q,
                ));
                last_end = tail_start;
                continue;
            }
        }
        let points = unit.is_some_and(|u| u.contains("百分点"));
        let mut v = verb_before(&clause[last_end..], f.start - last_end, points)
            .map(|(v, p, l)| (v, p + last_end, l))
            .map(|(v, p, l)| {
                // 新建或改扩建, 新建、改扩建: one verb phrase.
                let start = verb_phrase_start(&clause[last_end..p]) + last_end;
                (v, start, p + l - start)
            });
        // …创建X3-5个，新增省级以上农业产业化龙头企业10家: a clause that would continue the
        // previous clause's verb but opens with a verb of adding or building of its own takes
        // that verb, even past a long name (up to 24 characters).
        if v.is_none()
            && last_end == 0
            && unit.is_some()
            && carried_in.is_some()
            && !flow.opens_only
            && let Some((w, vb, p)) = VERBS
                .iter()
                .filter(|(_, vb)| matches!(vb, Verb::Add | Verb::Build))
                .filter_map(|(w, vb)| clause[..f.start].find(w).map(|p| (*w, *vb, p)))
                .filter(|(_, _, p)| trim_name(&clause[..*p]).is_empty())
                .min_by_key(|(w, _, p)| (*p, std::cmp::Reverse(w.len())))
            && clause[p + w.len()..f.start].chars().count() <= 24
            && !clause[p + w.len()..f.start]
                .chars()
                .any(|c| c.is_ascii_digit() || "，,；;".contains(c))
        {
            v = Some((vb, p, w.len()));
        }
        // An enumeration after a target (培育30家A、30家B和10家C): the same verb.
        let gap = clause[last_end..f.start].trim();
        let joins = ["、", "和", "及", "以及"];
        let mut listed = prev_verb.is_some()
            && (joins.iter().any(|w| gap.ends_with(w)) || joins.iter().any(|w| gap.starts_with(w)));
        if v.is_none() && listed {
            v = prev_verb.map(|pv| (pv, f.start, 0));
        }
        // A clause with a count and no verb of its own continues the previous clause's
        // enumeration (建设2家以上A，3个B，5—10个C; 新建X1座，Y1座).
        let mut continues = false;
        if v.is_none()
            && last_end == 0
            && unit.is_some()
            && (!flow.opens_only || trim_name(&clause[..f.start]).is_empty())
            && let Some(cv) = carried_in
        {
            v = Some((cv, f.start, 0));
            listed = true;
            continues = true;
        }
        // 100%的工业园区建成污水集中处理设施: the share of what follows that achieves it.
        if v.is_none()
            && f.op.is_none()
            && unit.is_some_and(|u| u == "%" || u == "％")
            && trim_name(&clause[last_end..f.start]).is_empty()
            && (tail.starts_with('的') || tail.starts_with("实现"))
        {
            let name = trim_name(tail.strip_prefix('的').unwrap_or(tail));
            if cjk_count(&name) >= 3
                && name.chars().count() <= 30
                && !name.chars().any(|c| c.is_ascii_digit())
                && let Some(q) = quote_of(&clause[f.start..])
                && let Some(it) = make(name, clause, f, Verb::Reach, year, q)
            {
                items.push(it);
                last_end = clause.len();
                continue;
            }
        }
        // 实现102个乡镇全部通气: a count whose verb follows its noun after 全部 / 均 / 全面 /
        // 整体, with nothing named before the number: a level (at least) of what follows it.
        if v.is_none()
            && f.op.is_none()
            && f.hi.is_none()
            && unit.is_some_and(|u| CHINESE_COUNT_UNITS.contains(&u) || u == "万户" || u == "万人")
            && trim_name(&clause[last_end..f.start]).is_empty()
        {
            let end = clause[tail_start..]
                .char_indices()
                .find(|(_, c)| c.is_ascii_digit() || "、（(".contains(*c))
                .map_or(clause.len(), |(k, _)| tail_start + k);
            let rest = &clause[tail_start..end];
            let all = ["全部", "均已", "均", "全面", "整体"]
                .iter()
                .find_map(|w| rest.find(w).map(|k| (k, w.len())));
            if let Some((k, wl)) = all
                && cjk_count(&rest[..k]) >= 1
                && cjk_count(&rest[..k]) <= 10
                && cjk_count(&rest[k + wl..]) >= 2
            {
                let name = trim_name(rest);
                if cjk_count(&name) >= 3
                    && name.chars().count() <= 20
                    && let Some(q) = quote_of(&clause[f.start..end])
                    && let Some(it) = make(name, clause, f, Verb::Reach, year, q)
                {
                    items.push(it);
                    last_end = end;
                    continue;
                }
            }
        }
        if v.is_none() && f.op.is_none() {
            continue;
        }
        if unit.is_none() && f.op.is_none() && !f.ratio {
            // A bare number after a verb: only for rates stated without % (城镇化率超过56).
            let head = &clause[..f.start];
            if !(head.ends_with("率超过") || head.ends_with("率达到") || head.ends_with("率达"))
            {
                continue;
            }
        }
        let post_start = f.end + after_len(clause, f);
        // The end of a name after the number: a joiner or a number, not inside brackets
        // (工程研究中心(企业技术中心、临床医学中心)).
        let cut = |from: usize| {
            let mut depth = 0i32;
            for (k, c) in clause[from..].char_indices() {
                match c {
                    '(' | '（' => depth += 1,
                    ')' | '）' => depth = (depth - 1).max(0),
                    _ if depth == 0 && ("、和及与".contains(c) || c.is_ascii_digit()) => {
                        return from + k;
                    }
                    _ => {}
                }
            }
            clause.len()
        };
        let mut post_end = cut(post_start);
        // 10个国家、省级绿色园区: a short modifier before 、 belongs to the name that follows.
        while post_end < clause.len()
            && clause[post_end..].starts_with('、')
            && cjk_count(&clause[post_start..post_end]) < 3
        {
            post_end = cut(post_end + '、'.len_utf8());
        }
        let post = trim_name(&clause[post_start..post_end]);
        let post = post.trim_start_matches('的').to_string();
        // 10家以上行业知名、特色鲜明的骨干文化企业: modifiers, then the head noun after
        // the last 的 before the next number (or the clause's end).
        let np_end = clause[post_start..]
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit())
            .map_or(clause.len(), |(k, _)| post_start + k);
        let np = clause[post_start..np_end].trim_start_matches('的');
        let post = match np.rfind('的') {
            Some(k) => {
                let head = &np[k + '的'.len_utf8()..];
                let head = head.split('、').next().unwrap_or("");
                let head = trim_name(head);
                if cjk_count(&head) >= 2 { head } else { post }
            }
            None => post,
        };
        let (verb, name_raw) = match v {
            Some((verb, p, l)) => {
                let verb_word = &clause[p..p + l];
                let pre = if continues {
                    trim_name(&clause[..f.start])
                } else if listed && l == 0 {
                    // 、B 5万千瓦: the name follows the joiner; A、 5万千瓦 B: it follows the number.
                    if joins.iter().any(|w| gap.starts_with(w))
                        && !joins.iter().any(|w| gap.ends_with(w))
                    {
                        trim_name(gap.trim_start_matches(['、', '和', '及', '以']))
                    } else {
                        String::new()
                    }
                } else {
                    // 比2025年翻一番 / 增长20%: the comparison year is no part of the name.
                    trim_name(strip_comparison_year(&clause[last_end..p]))
                };
                // The name stands right before the verb (城镇新增就业, 危桥改造).
                let adjacent = !pre.is_empty() && clause[last_end..p].trim_end().ends_with(&pre);
                // 每年至少新建: a verb left before the verb is no name; nor is a place or
                // means (在…, 通过…), and a distributive scope (各乡镇, 每个村) qualifies the
                // name that follows.
                let prepositional = ["在", "对", "向", "为", "从", "通过", "依托", "围绕"]
                    .iter()
                    .any(|w| pre.starts_with(w));
                let scope = if (pre.starts_with('各') || pre.starts_with('每'))
                    && pre.chars().count() <= 4
                {
                    pre.clone()
                } else {
                    String::new()
                };
                // 高标准打造209个X, 重点引进培育2家X: manner words and verbs alone are no name
                // either.
                let pre = if only_verbs(&pre) || prepositional || !scope.is_empty() {
                    String::new()
                } else {
                    pre
                };
                let mid_raw = clause[p + l..f.start].trim_end();
                let mid = trim_name(mid_raw);
                // 建设A、B等6个X: the members before 等, the indicator after the number.
                // 遴选发展潜力大的30家X: a modifier ending in 的 describes what follows the number.
                let mid = if mid.ends_with('等')
                    || mid_raw.ends_with('的')
                    || BARE_VERBS.contains(&mid.as_str())
                {
                    String::new()
                } else {
                    mid
                };
                let name = if cjk_count(&pre) >= 2 {
                    // (Not when the verb is a member of an enumeration closed by 等 before the
                    // count: A建设、B培育等10项X.)
                    if matches!(verb, Verb::Add | Verb::Build)
                        && l > 0
                        && adjacent
                        && !mid_raw.ends_with('等')
                    {
                        // 城镇新增就业, 职业技能培训, 危桥改造: the document's wording, the verb
                        // in its place; the name before it starts after an open bracket or a
                        // joiner (…工程(滩区种植…, A、B种植…), and ends with what follows the
                        // number when nothing stands between verb and number.
                        let head = pre.rfind(['(', '（', '、']).map_or(pre.as_str(), |k| {
                            &pre[k + pre[k..].chars().next().map_or(0, char::len_utf8)..]
                        });
                        let head = if cjk_count(head) >= 2 {
                            head
                        } else {
                            pre.as_str()
                        };
                        let tail = if cjk_count(&mid) >= 2 {
                            mid.as_str()
                        } else if cjk_count(&post) >= 2 && post.chars().count() <= 20 {
                            post.as_str()
                        } else {
                            ""
                        };
                        format!("{head}{verb_word}{tail}")
                    } else if cjk_count(&mid) >= 2
                        && !matches!(verb, Verb::Reach | Verb::Exceed | Verb::Cap)
                    {
                        format!("{pre}{mid}")
                    } else {
                        pre.clone()
                    }
                } else if cjk_count(&mid) >= 2 {
                    mid
                } else if cjk_count(&post) >= 2 {
                    post
                } else {
                    String::new()
                };
                let name = if matches!(verb, Verb::Add)
                    && !name.is_empty()
                    && !ADDED.iter().any(|w| name.starts_with(w))
                    && (l == 0 || !name.contains(verb_word))
                {
                    format!("{verb_word}{name}")
                } else {
                    name
                };
                let name = if !scope.is_empty() && !name.is_empty() {
                    format!("{scope}{name}")
                } else {
                    name
                };
                (verb, name)
            }
            None => {
                // No verb, an operator word: the name before the number, or after it
                // (95%以上的乡镇, 30个左右的重点镇). With a name before it and 的 after it, the
                // number only describes what follows (人口150万以上的城市): no target.
                let pre = trim_name(&clause[last_end..f.start]);
                // 设立30平方公里左右的特别合作区: a verb alone is no name.
                let pre = if only_verbs(&pre) { String::new() } else { pre };
                let post_start = f.end + after_len(clause, f);
                if cjk_count(&pre) >= 2 && clause[post_start..].starts_with('的') {
                    last_end = f.end;
                    continue;
                }
                let name =
                    if cjk_count(&pre) < 2 && cjk_count(&post) >= 2 && post.chars().count() <= 20 {
                        post
                    } else {
                        pre
                    };
                (Verb::Reach, name)
            }
        };
        // The size of a named project (洛阳石化1800万吨/年等炼化项目, 邯郸峰峰矿区300万吨烃基燃料
        // 项目): a specification, not a target of the plan.
        {
            let post_start = f.end + after_len(clause, f);
            let np_end = clause[post_start..]
                .char_indices()
                .find(|(_, c)| c.is_ascii_digit() || "、；;".contains(*c))
                .map_or(clause.len(), |(k, _)| post_start + k);
            let from = v.map_or(last_end, |(_, p, l)| (p + l).max(last_end));
            let named = trim_name(&clause[from.min(f.start)..f.start]);
            // …or a member of an enumeration of projects (实施A3000万只肉鸡全产业链、B二期等一批
            // …项目).
            let listed_project = clause[post_start..np_end].len() < clause[post_start..].len()
                && clause[np_end..].starts_with('、')
                && clause[np_end..]
                    .rfind('等')
                    .is_some_and(|k| clause[np_end + k..].trim_end().ends_with("项目"));
            if (clause[post_start..np_end].trim_end().ends_with("项目") || listed_project)
                && cjk_count(&named) >= 2
            {
                last_end = f.end;
                continue;
            }
        }
        // A clause that opens with its verb continues the sentence's subject
        // (地区生产总值实现翻两番，达到1400亿元以上).
        let name_raw = match (v, subject) {
            (Some((_, p, _)), Some(sub))
                if cjk_count(&name_raw) < 2 && trim_name(&clause[..p]).is_empty() =>
            {
                sub.clone()
            }
            _ => name_raw,
        };
        let q_start = v.map_or(f.start, |(_, p, _)| p);
        let q_text = &clause[q_start..f.end + after_len(clause, f)];
        let Some(q) = quote_of(q_text) else { continue };
        let bare_verb =
            VERBS.iter().any(|(w, _)| name_raw == *w) || BARE_VERBS.contains(&name_raw.as_str());
        if cjk_count(&name_raw) < 2 || name_raw.chars().count() > 40 || bare_verb {
            reviews.push(Review {
                at: q.at,
                text: clause.trim().to_string(),
                reason: "a number with a target verb, but the indicator's name is unclear".into(),
            });
            last_end = f.end;
            continue;
        }
        // 每年新建1-2所, 新增就业每年保持在4万人以上: a yearly figure, the level of a flow in each
        // year, not a five-year total.
        let yearly = matches!(
            verb,
            Verb::Add | Verb::Build | Verb::Reach | Verb::Exceed | Verb::Cap
        ) && v.is_some()
            && clause[..v.map_or(f.start, |(_, p, _)| p)].contains("每年");
        let added = !yearly && ADDED.iter().any(|w| clause[..f.start].contains(w));
        let pct = unit.is_some_and(|u| u == "%" || u == "％");
        let (verb_at, verb_word) = v.map_or((f.start, ""), |(_, p, l)| (p, &clause[p..p + l]));
        // 增速保持在7%左右, 增长率达到6%: a rate of growth stated as a level is a yearly growth
        // rate (not 人口自然增长率, a level of its own).
        let before_verb = clause[last_end.min(verb_at)..verb_at].trim_end();
        let of_growth = pct
            && matches!(verb, Verb::Reach | Verb::Exceed | Verb::Cap)
            && ["增速", "增长", "增幅", "增长率", "增长速度"]
                .iter()
                .any(|w| before_verb.ends_with(w))
            && !before_verb.contains("自然增长");
        let capped_growth = of_growth && verb == Verb::Cap;
        let verb = if of_growth { Verb::Growth } else { verb };
        // 增长2个百分点: a change of a share; 年均提高1个百分点 stays unread.
        let verb = if verb == Verb::Growth && points && !verb_word.starts_with("年均") {
            Verb::Raise
        } else {
            verb
        };
        // 累计增长20%, 比2025年增长20%: growth over the whole period, a multiple of the base.
        let whole_period = verb == Verb::Growth
            && pct
            && (verb_word.starts_with("累计")
                || strip_comparison_year(&clause[..verb_at]).len()
                    < clause[..verb_at].trim_end().len());
        let verb = if added && matches!(verb, Verb::Reach | Verb::Exceed) {
            Verb::AddAtLeast
        } else if yearly && verb == Verb::Add {
            Verb::Build
        } else {
            verb
        };
        // 至少新建1-2所: "at least" before a range bounds it from below.
        let at_least_range = f.hi.is_some()
            && ["至少", "不少于", "不低于"]
                .iter()
                .any(|w| clause[last_end..f.start].contains(w));
        if let Some(mut it) = make(name_raw, clause, f, verb, year, q) {
            if at_least_range && let Value::Range(lo, _) = it.value {
                it.op = Some(Op::AtLeast);
                it.value = Value::Number(lo);
            }
            if yearly {
                it.note = Some("a yearly figure (每年): the level of the flow in each year".into());
            }
            if capped_growth && f.op.is_none() {
                it.op = Some(Op::AtMost);
            }
            if whole_period {
                let m = |x: f64| ((1.0 + x) * 1e9).round() / 1e9;
                it.metric = Metric::Multiple;
                it.value = match it.value {
                    Value::Number(x) => Value::Number(m(x)),
                    Value::Range(a, b) => Value::Range(m(a), m(b)),
                    other => other,
                };
            }
            items.push(it);
            last_end = f.end + after_len(clause, f);
            prev_verb = Some(verb);
            flow.verb = Some(verb);
        }
    }
}

/// Words that are only verbs and manner words (发展, 重点引进, 加快建设): no indicator's name.
fn only_verbs(s: &str) -> bool {
    let mut rest = s;
    while !rest.is_empty() {
        let next = BARE_VERBS
            .iter()
            .copied()
            .chain(VERBS.iter().map(|(w, _)| *w))
            .filter(|w| rest.starts_with(w))
            .max_by_key(|w| w.len());
        match next {
            Some(w) => rest = &rest[w.len()..],
            None => return false,
        }
    }
    !s.is_empty()
}

/// Where a verb phrase of additions that ends at the end of `head` starts: `新建或` / `新建、` /
/// `新建` before `改扩建` join it (新建或改扩建幼儿园32所).
fn verb_phrase_start(head: &str) -> usize {
    const ADD: &[&str] = &["新建", "新增", "改扩建", "扩建", "改建", "新改建"];
    let mut end = head.len();
    loop {
        let h = &head[..end];
        let h2 = ["或", "、", "和", "及"]
            .iter()
            .find_map(|j| h.strip_suffix(j))
            .unwrap_or(h);
        match ADD.iter().find(|w| h2.ends_with(**w)) {
            Some(w) => end = h2.len() - w.len(),
            None => return end,
        }
    }
}

/// Where `A、B均完成国家指标` / `完成省下达目标` says that a higher level sets the value: the
/// start of 完成….
fn quota_at(clause: &str) -> Option<usize> {
    ["完成国家", "完成省", "完成市", "完成上级"]
        .iter()
        .filter_map(|w| clause.find(w))
        .min()
        .filter(|&k| {
            let r: String = clause[k..].chars().take(10).collect();
            ["指标", "任务", "目标"].iter().any(|w| r.contains(w))
        })
}

/// Growth stated against the economy's: `X增长与经济增长(基本)同步` → cagr_gap about 0,
/// `X增速快于/高于经济增长速度` (or 生产总值增速) → cagr_gap at least 0, relative to GDP.
fn relative_to_economy(d: &Doc, line: &Line, clause: &str, year: Option<i32>) -> Option<Item> {
    const ECONOMY: &[&str] = &[
        "经济增长",
        "经济增速",
        "生产总值增速",
        "生产总值增长",
        "GDP增速",
        "GDP增长",
    ];
    let (cut, op) = if clause.contains("同步") {
        (clause.rfind('与')?, Op::About)
    } else {
        ["略高于", "快于", "高于", "不低于"]
            .iter()
            .find_map(|w| clause.find(w))
            .map(|k| (k, Op::AtLeast))?
    };
    // The comparison must be with the economy's growth.
    if !ECONOMY.iter().any(|w| clause[cut..].contains(w)) {
        return None;
    }
    let mut head = clause[..cut].trim();
    for w in ["增长速度", "增速", "增长", "保持", "基本", "实现"] {
        head = head.trim_end_matches(w);
    }
    let name = trim_name(head);
    if cjk_count(&name) < 2 || name.chars().count() > 20 || name.contains("经济") {
        return None;
    }
    let q = clause.trim();
    let at = d.locate(line, q)?;
    let mut it = item(
        name,
        None,
        Metric::CagrGap,
        Some(op),
        Value::Number(0.0),
        year,
        Quote {
            at,
            quote: q.to_string(),
        },
    );
    it.relative_to_gdp = true;
    Some(it)
}

/// `X达到全国平均水平`, `X增幅高于全省平均水平`, `A和B均低于全国平均水平`: qualitative targets
/// against an average the document does not give (one for each name joined by 均).
fn against_average(d: &Doc, line: &Line, clause: &str, year: Option<i32>) -> Vec<Item> {
    // The level compared with: an average (全国平均水平) or a group's (中等发达国家水平,
    // 全省先进水平).
    let Some(avg) = clause.rfind("水平") else {
        return Vec::new();
    };
    let Some((k, w)) = [
        "达到",
        "高于",
        "超过",
        "不低于",
        "快于",
        "优于",
        "低于",
        "不高于",
    ]
    .iter()
    .filter_map(|w| clause[..avg].rfind(w).map(|k| (k, *w)))
    // 不低于 ends where 低于 ends: the longer word.
    .max_by_key(|x| (x.0 + x.1.len(), x.1.len())) else {
        return Vec::new();
    };
    // Between the verb and 平均水平 only the scope (全国, 全省、全市).
    let scope = &clause[k + w.len()..avg];
    if scope.chars().count() > 10
        || scope.chars().any(|c| c.is_ascii_digit())
        || !["平均", "发达", "先进", "领先"]
            .iter()
            .any(|x| scope.contains(x))
    {
        return Vec::new();
    }
    let name = trim_name(&clause[..k]);
    // 主要经济指标年均增速: a group of indicators, not one.
    let group = name.starts_with("主要") && name.contains("指标");
    if cjk_count(&name) < 2 || name.chars().count() > 30 || group {
        return Vec::new();
    }
    let q = clause.trim();
    let Some(at) = d.locate(line, q) else {
        return Vec::new();
    };
    joint_names(&name)
        .into_iter()
        .map(|n| {
            let mut it = qualitative_item(n, year, at, q);
            it.note = Some(if scope.contains("平均") {
                format!("{w}{scope}水平: the average is not given in the document")
            } else {
                format!("{w}{scope}水平: that level is not given in the document")
            });
            it
        })
        .collect()
}

/// The names of `A和B均…` / `A、B都…`: one for each name joined before 均 (or 都); otherwise
/// the name itself.
fn joint_names(name: &str) -> Vec<String> {
    let Some(head) = name.strip_suffix('均').or_else(|| name.strip_suffix('都')) else {
        return vec![name.to_string()];
    };
    let parts: Vec<String> = head
        .split(['、', '和'])
        .map(trim_name)
        .filter(|n| cjk_count(n) >= 2)
        .collect();
    if parts.is_empty() {
        vec![trim_name(head)]
    } else {
        parts
    }
}

/// `…比2020年` / `…较2020年` at the end of a head: the year a multiple is counted from.
fn strip_comparison_year(head: &str) -> &str {
    let h = head.trim_end();
    if let Some(x) = h.strip_suffix('年')
        && x.len() >= 4
        && x.is_char_boundary(x.len() - 4)
        && x[x.len() - 4..].bytes().all(|b| b.is_ascii_digit())
    {
        let x = &x[..x.len() - 4];
        for w in ["比", "较"] {
            if let Some(y) = x.strip_suffix(w) {
                return y;
            }
        }
    }
    head
}

/// Bytes after a number taken by its unit and operator word.
fn after_len(clause: &str, f: &Found) -> usize {
    let rest = &clause[f.end..];
    let spaces = |s: &str| s.len() - s.trim_start_matches(' ').len();
    let mut n = spaces(rest);
    if let Some(u) = unit_text(clause, f) {
        n += u.len();
        let sp = spaces(&rest[n..]);
        for w in ["左右", "及以上", "以上", "以内", "以下"] {
            if rest[n + sp..].starts_with(w) {
                return n + sp + w.len();
            }
        }
        return n;
    }
    for w in ["左右", "及以上", "以上", "以内", "以下"] {
        if rest[n..].starts_with(w) {
            return n + w.len();
        }
    }
    0
}

/// A qualitative target named `name`, quoting `quote` found at `at`.
fn qualitative_item(name: String, year: Option<i32>, at: usize, quote: &str) -> Item {
    item(
        name,
        None,
        Metric::Qualitative,
        None,
        Value::None,
        year,
        Quote {
            at,
            quote: quote.to_string(),
        },
    )
}

fn item(
    name: String,
    unit: Option<String>,
    metric: Metric,
    op: Option<Op>,
    value: Value,
    year: Option<i32>,
    source: Quote,
) -> Item {
    let lower = units::lower_is_better(&name);
    Item {
        name,
        context: None,
        unit,
        base: None,
        lower_is_better: lower,
        metric,
        op,
        value,
        attribute: None,
        actual: None,
        year,
        relative_to_gdp: false,
        source,
        origin: Origin::Text,
        period: None,
        note: None,
    }
}

fn make(
    name: String,
    clause: &str,
    f: &Found,
    verb: Verb,
    year: Option<i32>,
    q: Quote,
) -> Option<Item> {
    let unit = unit_text(clause, f);
    let pct = unit.as_deref().is_some_and(|u| u == "%" || u == "％");
    let points = unit.as_deref().is_some_and(|u| u.contains("百分点"));
    let lower = units::lower_is_better(&name);
    let frac = |v: f64| (v / 100.0 * 1e9).round() / 1e9;
    let (metric, op, value, unit) = match verb {
        Verb::Growth if pct => (
            Metric::Cagr,
            f.op.unwrap_or(Op::AtLeast),
            frac(f.value),
            None,
        ),
        Verb::Cut if pct => (
            Metric::Reduction,
            f.op.unwrap_or(Op::AtLeast),
            frac(f.value),
            None,
        ),
        Verb::Cut if points => (Metric::Change, Op::AtMost, -f.value, Some("%".to_string())),
        Verb::Raise if points => (Metric::Change, Op::AtLeast, f.value, Some("%".to_string())),
        Verb::Growth | Verb::Cut | Verb::Raise => return None,
        Verb::Add | Verb::AddAtLeast => (
            Metric::Sum,
            f.op.unwrap_or(Op::AtLeast),
            f.value,
            unit.map(|u| format!("{u}/年")),
        ),
        Verb::Cap => (Metric::Level, f.op.unwrap_or(Op::AtMost), f.value, unit),
        Verb::Exceed => (Metric::Level, f.op.unwrap_or(Op::AtLeast), f.value, unit),
        Verb::Reach | Verb::Build => (
            Metric::Level,
            f.op.unwrap_or(if lower { Op::AtMost } else { Op::AtLeast }),
            f.value,
            unit,
        ),
    };
    let unit = unit.map(|u| if u == "％" { "%".to_string() } else { u });
    let (op, value) = match f.hi {
        Some(hi) => {
            let hi = if matches!(metric, Metric::Cagr | Metric::Reduction) {
                frac(hi)
            } else {
                hi
            };
            (Op::Between, Value::Range(value, hi))
        }
        None => (op, Value::Number(value)),
    };
    let name = if matches!(metric, Metric::Cagr | Metric::Reduction) {
        units::strip_rate_words(&name)
    } else {
        name
    };
    Some(item(name, unit, metric, Some(op), value, year, q))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<Item> {
        let d = Doc::new(text);
        let mut items = Vec::new();
        let mut reviews = Vec::new();
        draft(&d, &[], 2020, 2025, &mut items, &mut reviews);
        items
    }

    #[test]
    fn patterns() {
        let it = read("到2025年，地区生产总值年均增长7%左右，城镇化率达到60%以上。\n");
        assert_eq!(it.len(), 2, "{it:?}");
        assert_eq!(
            (it[0].metric, it[0].op, &it[0].value),
            (Metric::Cagr, Some(Op::About), &Value::Number(0.07))
        );
        assert_eq!(it[0].name, "地区生产总值");
        assert_eq!(it[1].name, "城镇化率");
        assert_eq!(it[1].unit.as_deref(), Some("%"));
        let it = read("力争实现地区生产总值、人均地区生产总值分别达到650亿元以上、8万元以上;\n");
        assert_eq!(it.len(), 2, "{it:?}");
        assert_eq!(it[1].name, "人均地区生产总值");
        assert_eq!(it[1].unit.as_deref(), Some("万元"));
        let it = read("全市新增城镇就业25万人，建设160个左右社会足球场，培育创新龙头企业3—5家。\n");
        assert_eq!(it.len(), 3, "{it:?}");
        assert_eq!(it[0].metric, Metric::Sum);
        assert_eq!(it[1].name, "社会足球场");
        assert_eq!(it[2].value, Value::Range(3.0, 5.0));
        let it = read("单位生产总值能耗累计下降15%，城镇登记失业率控制在4.5%以内。\n");
        assert_eq!(it[0].metric, Metric::Reduction);
        assert_eq!(it[1].op, Some(Op::AtMost));
        let it = read("“十三五”以来，地区生产总值达到2859亿元。2019年粮食产量达到160亿斤。\n");
        assert!(it.is_empty(), "{it:?}");
    }

    fn one(it: &[Item], name: &str) -> Item {
        it.iter()
            .find(|i| i.name == name)
            .unwrap_or_else(|| panic!("no `{name}` in {it:?}"))
            .clone()
    }

    #[test]
    fn ratios_are_read_as_their_first_term() {
        let it = read(
            "到2025年，农产品加工业产值与农业总产值之比达到2.8:1，城乡居民收入比降至2.1∶1。\n",
        );
        let a = one(&it, "农产品加工业产值与农业总产值之比");
        assert_eq!((a.op, &a.value), (Some(Op::AtLeast), &Value::Number(2.8)));
        let b = one(&it, "城乡居民收入比");
        assert_eq!((b.op, &b.value), (Some(Op::AtMost), &Value::Number(2.1)));
    }

    #[test]
    fn multiples_counted_from_a_year_and_a_subject_carried_to_the_next_clause() {
        let it = read("力争旅游业增加值比2020年翻一番。\n");
        let a = one(&it, "旅游业增加值");
        assert_eq!(
            (a.metric, &a.value),
            (Metric::Multiple, &Value::Number(2.0))
        );
        let it = read("到2025年，财政收入实现翻番，达到80亿元以上，科技创新能力明显增强。\n");
        assert_eq!(it.len(), 3, "{it:?}");
        assert_eq!(it[0].metric, Metric::Multiple);
        assert_eq!(it[1].name, "财政收入");
        assert_eq!(it[1].value, Value::Number(80.0));
        assert_eq!(it[2].name, "科技创新能力");
        assert_eq!(it[2].metric, Metric::Qualitative);
    }

    #[test]
    fn the_indicator_after_the_number_is_the_head_noun() {
        // Modifiers joined by 的: the head noun after the last 的.
        let it = read("培育5家以上技术领先、品牌知名的龙头企业。\n");
        assert_eq!(one(&it, "龙头企业").value, Value::Number(5.0));
        // An enumeration closed by 等 before the count: the indicator follows the number.
        let it = read("加快建设东区、西区、南区、北区、高新区、港区等6个物流园区。\n");
        assert_eq!(one(&it, "物流园区").value, Value::Number(6.0));
        // No verb, an operator word: the name after the number.
        let it = read("85%以上的行政村建成标准化卫生室。\n");
        let a = one(&it, "行政村建成标准化卫生室");
        assert_eq!((a.op, &a.value), (Some(Op::AtLeast), &Value::Number(85.0)));
        // A verb standing where a name would be is no name.
        let it = read("力争新建 2-3 所学校。\n");
        assert_eq!(one(&it, "新建学校").value, Value::Range(2.0, 3.0));
        // A yearly figure of an addition is its level in each year; 至少 before a range bounds it.
        let it = read("每年至少新建 2-3 所学校。\n");
        let a = one(&it, "新建学校");
        assert_eq!(
            (a.metric, a.op, &a.value),
            (Metric::Level, Some(Op::AtLeast), &Value::Number(2.0))
        );
    }

    #[test]
    fn ten_thousands_assigned_phrases_and_quoted_numbers() {
        let it = read("到2025年，城区人口达到45万。\n");
        let a = one(&it, "城区人口");
        assert_eq!(
            (a.unit.as_deref(), &a.value),
            (Some("万"), &Value::Number(45.0))
        );
        let it = read("按上级下达目标完成燃煤锅炉淘汰任务。\n");
        assert_eq!(one(&it, "燃煤锅炉淘汰任务").value, Value::Assigned);
        let it = read("实施“135人才计划”，引进高层次人才200名以上。\n");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(it[0].value, Value::Number(200.0));
        let it = read("打造24小时政务服务大厅。\n");
        assert!(it.is_empty(), "{it:?}");
    }

    #[test]
    fn growth_against_the_economy_and_spaced_years() {
        let it = read(
            "到 2030 年，农民收入增速快于经济增长速度，城镇居民收入增长与经济增长基本同步，县城黑臭水体基本消除。\n",
        );
        assert_eq!(it.len(), 3, "{it:?}");
        assert_eq!(
            (it[0].name.as_str(), it[0].metric, it[0].op),
            ("农民收入", Metric::CagrGap, Some(Op::AtLeast))
        );
        assert!(it[0].relative_to_gdp);
        assert_eq!(it[1].name, "城镇居民收入");
        assert_eq!(it[1].op, Some(Op::About));
        assert_eq!(it[2].name, "县城黑臭水体");
        assert_eq!(it[2].year, Some(2030));
    }

    #[test]
    fn paired_places_share_the_name_that_follows() {
        let it = read(
            "到2025年，城镇、农村居民人均可支配收入分别达到5万元、3万元，人口、财政收入分别达到100万人、50亿元。\n",
        );
        let names: Vec<&str> = it.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "城镇居民人均可支配收入",
                "农村居民人均可支配收入",
                "人口",
                "财政收入"
            ]
        );
    }

    #[test]
    fn targets_against_an_average() {
        let it =
            read("到2030年，人均地区生产总值达到全国平均水平，农民收入增幅高于全省平均水平。\n");
        assert_eq!(it.len(), 2, "{it:?}");
        assert_eq!(it[0].name, "人均地区生产总值");
        assert_eq!(it[1].name, "农民收入增幅");
        assert!(it.iter().all(|i| i.metric == Metric::Qualitative));
        // A group of indicators is not one.
        let it = read("到2030年，主要经济指标增速高于全省平均水平。\n");
        assert!(it.is_empty(), "{it:?}");
    }

    #[test]
    fn project_sizes_and_descriptions_are_no_targets() {
        // The size of a named project.
        let it = read("实施江北石化1200万吨/年等炼化项目。\n");
        assert!(it.is_empty(), "{it:?}");
        let it = read("加快实施东港2000万只蛋鸡养殖、西岭肉牛二期等一批畜牧项目。\n");
        assert!(it.is_empty(), "{it:?}");
        // A count of projects is.
        let it = read("实施12座中小型水库清淤扩容项目。\n");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(it[0].value, Value::Number(12.0));
        // A number that only describes what follows.
        let it = read("鼓励人口100万以上的城市发展轨道交通。\n");
        assert!(it.is_empty(), "{it:?}");
    }

    #[test]
    fn goals_that_open_with_their_outcome() {
        let it = read("到2035年，基本实现社会主义现代化，城乡差距明显缩小。\n");
        assert_eq!(it.len(), 2, "{it:?}");
        assert_eq!(it[0].name, "社会主义现代化");
        assert_eq!(it[1].name, "城乡差距");
        assert!(it.iter().all(|i| i.metric == Metric::Qualitative));
    }

    #[test]
    fn joint_names_against_an_average_or_a_quota() {
        // Lower is better, and two names share 均.
        let it = read("到2025年，婴儿死亡率和5岁以下儿童死亡率均低于全省平均水平。\n");
        assert_eq!(it.len(), 2, "{it:?}");
        assert_eq!(it[0].name, "婴儿死亡率");
        assert_eq!(it[1].name, "5岁以下儿童死亡率");
        assert!(it.iter().all(|i| i.metric == Metric::Qualitative));
        // 不低于 is not 低于.
        let it = read("到2025年，农民收入增速不低于全国平均水平。\n");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(it[0].name, "农民收入增速");
        // A quota set by a higher level, for each name.
        let it = read("到2025年，细颗粒物浓度、重污染天数比例均完成省下达目标。\n");
        assert_eq!(it.len(), 2, "{it:?}");
        assert_eq!(it[0].name, "细颗粒物浓度");
        assert_eq!(it[1].name, "重污染天数比例");
        assert!(it.iter().all(|i| i.value == Value::Assigned));
    }

    #[test]
    fn age_groups_are_part_of_a_name() {
        let it = read("到2025年，为60岁以上老年人提供健康管理服务。\n");
        assert!(it.is_empty(), "{it:?}");
        // An age that is the target itself still is one.
        let it = read("到2025年，人均预期寿命达到79岁。\n");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(it[0].value, Value::Number(79.0));
    }

    #[test]
    fn time_limits_are_at_most() {
        let it = read(
            "推行“营业执照申领3个工作日办结”，施工图审查10个工作日内完成，审批时间压缩至20个工作日以内。\n",
        );
        assert_eq!(it.len(), 3, "{it:?}");
        assert_eq!(it[0].name, "营业执照申领");
        assert_eq!(it[1].name, "施工图审查");
        assert_eq!(it[2].name, "审批时间");
        for i in &it {
            assert_eq!((i.metric, i.op), (Metric::Level, Some(Op::AtMost)), "{i:?}");
            assert_eq!(i.unit.as_deref(), Some("个工作日"));
        }
    }

    #[test]
    fn units_of_hundred_millions_and_new_verbs() {
        let it = read("到2025年，棉花产量稳定在2亿公斤以上。\n");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(it[0].unit.as_deref(), Some("亿公斤"));
        assert_eq!(it[0].value, Value::Number(2.0));
        // 新 before a verb makes an addition; 建造 builds; 评价入库 registers.
        let it = read("新引进科研机构12家以上。建造8家智慧工厂。全县科技型企业评价入库40家。\n");
        assert_eq!(it.len(), 3, "{it:?}");
        assert_eq!(
            (it[0].name.as_str(), it[0].metric),
            ("新引进科研机构", Metric::Sum)
        );
        assert_eq!(
            (it[1].name.as_str(), it[1].metric),
            ("智慧工厂", Metric::Level)
        );
        // The name before the verb keeps the verb in its place (the document's wording).
        assert_eq!(it[2].name, "科技型企业评价入库");
        assert_eq!(it[2].value, Value::Number(40.0));
    }

    #[test]
    fn a_verb_alone_is_no_name_and_shares_of_what_follows() {
        // The verb before a number with its operator word: the name follows.
        let it = read("设立20平方公里左右的产业合作园区。\n");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(it[0].name, "产业合作园区");
        assert_eq!(it[0].op, Some(Op::About));
        // 90%的X实现Y: the share of X that achieves Y.
        let it = read("到2025年，90%的行政村实现生活垃圾分类处理。\n");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(it[0].name, "行政村实现生活垃圾分类处理");
        assert_eq!(
            (it[0].op, &it[0].value),
            (Some(Op::AtLeast), &Value::Number(90.0))
        );
    }

    #[test]
    fn counts_after_a_clause_that_opens_with_a_verb() {
        // 建设X，2个Y，1个Z: the counts continue the opening verb.
        let it = read("建设区域商贸中心，2个省级物流园区，1个国家级电商基地。\n");
        assert_eq!(it.len(), 2, "{it:?}");
        assert_eq!(it[0].name, "省级物流园区");
        assert_eq!(it[1].name, "国家级电商基地");
        // Only the next clause, and only when it opens with the count.
        let it = read("建设区域商贸中心，完善服务体系，2个省级物流园区。\n");
        assert!(it.is_empty(), "{it:?}");
        let it = read("建设区域商贸中心，带动就业人数2万人。\n");
        assert!(it.is_empty(), "{it:?}");
        // A name after the number keeps its bracketed list whole.
        let it = read("新增20家市级以上研发中心(工程中心、技术中心)。\n");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(it[0].name, "新增市级以上研发中心(工程中心、技术中心)");
    }

    #[test]
    fn manner_words_and_verbs_are_no_name_but_key_nouns_are() {
        let it = read("到2025年，高标准打造120个示范村。\n");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(it[0].name, "示范村");
        let it = read("重点引进培育3-5家规模较大的物流企业。\n");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(it[0].name, "物流企业");
        // 重点 before a noun is part of it (重点镇, 重点实验室).
        let it = read("选择20个左右的重点镇，完善公共服务设施。\n");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(it[0].name, "重点镇");
        // 100%实现X: the share that achieves X.
        let it = read("到2025年，100%实现“一网通办”。\n");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(it[0].name, "“一网通办”");
        assert_eq!(it[0].value, Value::Number(100.0));
    }

    #[test]
    fn growth_sentences_are_yearly_rates() {
        let it = read(
            "到2030年，经济增长6%左右，一般公共预算收入增长5%，GDP增速保持在6.5%左右，居民收入增幅7%以上，能源消费总量增速控制在3%以内。\n",
        );
        let got: Vec<_> = it
            .iter()
            .map(|i| (i.name.as_str(), i.metric, i.op, i.value.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("经济", Metric::Cagr, Some(Op::About), Value::Number(0.06)),
                (
                    "一般公共预算收入",
                    Metric::Cagr,
                    Some(Op::AtLeast),
                    Value::Number(0.05)
                ),
                ("GDP", Metric::Cagr, Some(Op::About), Value::Number(0.065)),
                (
                    "居民收入",
                    Metric::Cagr,
                    Some(Op::AtLeast),
                    Value::Number(0.07)
                ),
                (
                    "能源消费总量",
                    Metric::Cagr,
                    Some(Op::AtMost),
                    Value::Number(0.03)
                ),
            ]
        );
        // Shares stay levels; a growth in points is a change; growth over the period from a
        // year is a multiple; a natural growth rate is a level; 增长 in a name is no verb.
        let it = read(
            "城镇化率达到61%，城镇化率增长2个百分点，规上企业数量比2025年增长50%，人口自然增长率控制在5‰以内，培育3个新增长点。\n",
        );
        assert_eq!(it.len(), 5, "{it:?}");
        assert_eq!(
            (it[0].metric, &it[0].value),
            (Metric::Level, &Value::Number(61.0))
        );
        assert_eq!(
            (it[1].name.as_str(), it[1].metric, &it[1].value),
            ("城镇化率", Metric::Change, &Value::Number(2.0))
        );
        assert_eq!(
            (it[2].name.as_str(), it[2].metric, &it[2].value),
            ("规上企业数量", Metric::Multiple, &Value::Number(1.5))
        );
        assert_eq!(
            (it[3].metric, it[3].op, &it[3].value),
            (Metric::Level, Some(Op::AtMost), &Value::Number(5.0))
        );
        assert_eq!(
            (it[4].name.as_str(), it[4].metric, &it[4].value),
            ("新增长点", Metric::Level, &Value::Number(3.0))
        );
        let it = read("工业投资累计增长30%。\n");
        assert_eq!(
            (it[0].name.as_str(), it[0].metric, &it[0].value),
            ("工业投资", Metric::Multiple, &Value::Number(1.3))
        );
    }

    #[test]
    fn counts_in_chinese_numerals() {
        let it = read(
            "到2030年，新建两所高级中学，培育三个产业集群，建设二十五个社区公园和一百个健身站点，打造三至五家龙头企业。\n",
        );
        let got: Vec<_> = it
            .iter()
            .map(|i| (i.name.as_str(), i.metric, i.value.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("新建高级中学", Metric::Sum, Value::Number(2.0)),
                ("产业集群", Metric::Level, Value::Number(3.0)),
                ("社区公园", Metric::Level, Value::Number(25.0)),
                ("健身站点", Metric::Level, Value::Number(100.0)),
                ("龙头企业", Metric::Level, Value::Range(3.0, 5.0)),
            ]
        );
        // Names, ordinals and pairings are no counts.
        let it = read(
            "融入“一带一路”建设，做好三农工作，建设十大水利工程，推行一户一档，启动第三个行动计划，惠及千家万户，打造一个区域中心，带动东区、西区、北区三个片区，建设一支人才队伍。\n",
        );
        assert!(it.is_empty(), "{it:?}");
        // A long enumeration is read in time linear in the count of its joiners' numerals.
        let long = format!("建设{}两个园区。\n", "甲乙、".repeat(400));
        assert_eq!(read(&long).len(), 0);
    }

    #[test]
    fn verbs_of_training_support_selection_and_service() {
        let it = read(
            "开展职业技能培训5万人次，扶持10家龙头企业，遴选50名乡村工匠，投放新能源公交车100辆，增设公交线路8条，争创2个国家级示范区。\n",
        );
        let got: Vec<_> = it
            .iter()
            .map(|i| (i.name.as_str(), i.metric, i.unit.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("职业技能培训", Metric::Sum, Some("万人次/年")),
                ("龙头企业", Metric::Level, Some("家")),
                ("乡村工匠", Metric::Level, Some("名")),
                ("投放新能源公交车", Metric::Sum, Some("辆/年")),
                ("增设公交线路", Metric::Sum, Some("条/年")),
                ("国家级示范区", Metric::Level, Some("个")),
            ]
        );
    }

    #[test]
    fn names_keep_the_documents_wording_around_the_verb() {
        let it = read("城镇新增就业3万人以上，农村危桥改造500延米。全市新增城镇就业3万人。\n");
        let names: Vec<&str> = it.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["城镇新增就业", "农村危桥改造", "新增城镇就业"]);
        assert_eq!(it[0].metric, Metric::Sum);
        // A yearly level of a flow is no five-year total.
        let it = read("城镇新增就业每年保持在4万人以上。\n");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(
            (it[0].name.as_str(), it[0].metric, it[0].op),
            ("城镇新增就业", Metric::Level, Some(Op::AtLeast))
        );
        assert!(it[0].note.is_some());
        // 缩小到: at most.
        let it = read("城乡居民收入比缩小到1.8∶1以内。\n");
        assert_eq!(
            (it[0].name.as_str(), it[0].op, &it[0].value),
            ("城乡居民收入比", Some(Op::AtMost), &Value::Number(1.8))
        );
    }

    #[test]
    fn a_count_whose_verb_follows_after_all() {
        let it = read("到2030年，实现36个行政村全部通客车，8个乡镇均建成污水处理站。\n");
        let got: Vec<_> = it
            .iter()
            .map(|i| (i.name.as_str(), i.metric, i.value.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("行政村全部通客车", Metric::Level, Value::Number(36.0)),
                ("乡镇均建成污水处理站", Metric::Level, Value::Number(8.0)),
            ]
        );
        // A count named before the number stays unread without a verb or an operator.
        let it = read("沿线12个村全部搬迁。\n");
        assert!(it.is_empty(), "{it:?}");
        // Staffing is a level; the name around the verb ends with what follows the number.
        let it = read("每万名常住人口配置1—1.5名卫生监督员，工程(城区配备3台消防车)。\n");
        let got: Vec<_> = it
            .iter()
            .map(|i| (i.name.as_str(), i.metric, i.value.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "每万名常住人口配置卫生监督员",
                    Metric::Level,
                    Value::Range(1.0, 1.5)
                ),
                ("城区配备消防车", Metric::Level, Value::Number(3.0)),
            ]
        );
    }

    #[test]
    fn a_level_of_a_group_the_document_does_not_give_is_qualitative() {
        let it = read(
            "到2035年，人均地区生产总值达到中等发达国家水平，科技创新能力达到全省先进水平。\n",
        );
        assert_eq!(it.len(), 2, "{it:?}");
        assert_eq!(it[0].name, "人均地区生产总值");
        assert_eq!(it[1].name, "科技创新能力");
        assert!(
            it.iter()
                .all(|i| i.metric == Metric::Qualitative && i.year == Some(2035))
        );
        // A level that is no comparison stays out.
        let it = read("到2030年，保持经济运行在合理水平。\n");
        assert!(it.iter().all(|i| i.note.is_none()), "{it:?}");
    }

    #[test]
    fn bullets_and_continuing_words_are_no_part_of_a_name() {
        let it = read("◆到2025年，棉花产量继续保持30万吨以上。\n●城镇登记失业率控制在4%以内。\n");
        assert_eq!(it.len(), 2, "{it:?}");
        assert_eq!(it[0].name, "棉花产量");
        assert_eq!(it[1].name, "城镇登记失业率");
    }

    #[test]
    fn an_assigned_cut_or_emission_total_is_a_reduction() {
        let it = read("到2025年，万元工业增加值用水量下降完成省下达目标。\n");
        assert_eq!(it.len(), 1, "{it:?}");
        assert_eq!(
            (it[0].name.as_str(), it[0].metric, &it[0].value),
            ("万元工业增加值用水量", Metric::Reduction, &Value::Assigned)
        );
        let it = read("二氧化硫和氮氧化物排放总量均完成市下达任务。\n");
        assert_eq!(it.len(), 2, "{it:?}");
        assert!(it.iter().all(|i| i.metric == Metric::Reduction), "{it:?}");
        // A name without a cut stays an assigned level.
        let it = read("空气质量优良天数比例完成省下达目标。\n");
        assert_eq!(it[0].metric, Metric::Level, "{it:?}");
    }

    #[test]
    fn an_age_group_stays_in_the_name() {
        let it = read("全县60岁以上老年人体检率达到80%以上，3岁以下婴幼儿托位数达到500个。\n");
        let names: Vec<&str> = it.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, vec!["60岁以上老年人体检率", "3岁以下婴幼儿托位数"]);
    }

    #[test]
    fn a_clause_with_its_own_verb_does_not_continue_the_previous_one() {
        // 新增 opens the second clause: a five-year sum, not a level continuing 建设.
        let it = read("建设市级农业示范园4个，新增国家级以上专精特新小巨人企业6家。\n");
        assert_eq!(it.len(), 2, "{it:?}");
        assert_eq!(
            (it[1].name.as_str(), it[1].metric),
            ("新增国家级以上专精特新小巨人企业", Metric::Sum)
        );
    }

    #[test]
    fn a_year_in_mid_sentence_opens_goals_that_open_with_a_state() {
        let it = read("全面完成小城镇改造任务，到2035年，基本建成文化强县，乡村面貌明显改善。\n");
        let q: Vec<(&str, Option<i32>)> = it
            .iter()
            .filter(|i| i.metric == Metric::Qualitative)
            .map(|i| (i.name.as_str(), i.year))
            .collect();
        // Only the clause that opens with a state; an outcome at the end of a clause (明显改善)
        // is read only in a paragraph that opens with 到YYYY年.
        assert_eq!(q, vec![("文化强县", Some(2035))]);
    }
}
