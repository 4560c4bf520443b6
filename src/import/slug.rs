//! Readable ASCII ids for Chinese indicator names: the name is cut into the longest terms of a
//! glossary of common plan vocabulary (地区生产总值 → gdp, 城镇化率 → urbanization, …) and the
//! English words joined with `_`; characters outside the glossary are dropped. A name with no
//! glossary term gets `indicator`. [`Ids`] makes them unique within a plan (`_2`, `_3`, …).

use std::collections::BTreeSet;

const GLOSSARY: &[(&str, &str)] = &[
    ("地区生产总值", "gdp"),
    ("生产总值", "gdp"),
    ("GDP", "gdp"),
    ("人均", "per_capita"),
    ("全员劳动生产率", "labour_productivity"),
    ("劳动生产率", "labour_productivity"),
    ("城镇化率", "urbanization"),
    ("城镇化", "urbanization"),
    ("社会消费品零售总额", "retail_sales"),
    ("一般公共预算收入", "budget_revenue"),
    ("公共预算收入", "budget_revenue"),
    ("财政", "fiscal"),
    ("税收", "tax"),
    ("固定资产投资", "fixed_investment"),
    ("进出口", "trade"),
    ("外贸", "trade"),
    ("外资", "foreign_capital"),
    ("研发", "rd"),
    ("研究与实验发展", "rd"),
    ("经费", "spending"),
    ("投入强度", "intensity"),
    ("强度", "intensity"),
    ("专利", "patents"),
    ("发明", "invention"),
    ("数字经济", "digital_economy"),
    ("核心产业", "core_industries"),
    ("增加值", "value_added"),
    ("高新技术", "high_tech"),
    ("战略性新兴产业", "emerging_industries"),
    ("服务业", "services"),
    ("第三产业", "tertiary"),
    ("制造业", "manufacturing"),
    ("工业", "industry"),
    ("农业", "agriculture"),
    ("产业", "industry"),
    ("比重", "share"),
    ("占", "of"),
    ("居民", "resident"),
    ("可支配收入", "disposable_income"),
    ("收入", "income"),
    ("城乡", "urban_rural"),
    ("城镇", "urban"),
    ("农村", "rural"),
    ("农民", "farmer"),
    ("新增就业", "new_jobs"),
    ("就业", "employment"),
    ("失业率", "unemployment"),
    ("调查", "surveyed"),
    ("登记", "registered"),
    ("受教育年限", "schooling_years"),
    ("教育", "education"),
    ("医师", "doctors"),
    ("护士", "nurses"),
    ("床位", "beds"),
    ("医疗", "medical"),
    ("卫生", "health"),
    ("养老保险", "pension_insurance"),
    ("医疗保险", "medical_insurance"),
    ("保险", "insurance"),
    ("参保率", "coverage"),
    ("参保", "insured"),
    ("托位", "childcare_places"),
    ("预期寿命", "life_expectancy"),
    ("能源消耗", "energy"),
    ("能耗", "energy"),
    ("二氧化碳", "co2"),
    ("排放", "emissions"),
    ("空气", "air"),
    ("优良天数", "good_days"),
    ("细颗粒物", "pm25"),
    ("PM2.5", "pm25"),
    ("浓度", "concentration"),
    ("水体", "water"),
    ("地表水", "surface_water"),
    ("用水", "water_use"),
    ("森林", "forest"),
    ("林木", "tree"),
    ("覆盖率", "coverage"),
    ("蓄积量", "stock"),
    ("绿化", "green"),
    ("粮食", "grain"),
    ("产能", "capacity"),
    ("生产能力", "capacity"),
    ("耕地", "farmland"),
    ("农田", "farmland"),
    ("高标准", "high_standard"),
    ("建设用地", "construction_land"),
    ("化学需氧量", "cod"),
    ("二氧化硫", "so2"),
    ("氨氮", "ammonia"),
    ("氮氧化物", "nox"),
    ("污水", "sewage"),
    ("垃圾", "waste"),
    ("处理率", "treatment"),
    ("无害化", "safe"),
    ("贫困", "poverty"),
    ("发生率", "incidence"),
    ("死亡率", "mortality"),
    ("婴儿", "infant"),
    ("儿童", "child"),
    ("孕产妇", "maternal"),
    ("互联网", "internet"),
    ("宽带", "broadband"),
    ("普及率", "penetration"),
    ("自来水", "tap_water"),
    ("厕所", "toilets"),
    ("公路", "roads"),
    ("高速", "expressway"),
    ("铁路", "railway"),
    ("里程", "length"),
    ("风电", "wind_power"),
    ("光伏", "solar"),
    ("装机", "capacity"),
    ("变电站", "substations"),
    ("充电桩", "chargers"),
    ("天然气", "gas"),
    ("企业", "firms"),
    ("龙头", "leading"),
    ("合作社", "cooperatives"),
    ("家庭农场", "family_farms"),
    ("学校", "schools"),
    ("幼儿园", "kindergartens"),
    ("人口", "population"),
    ("常住", "resident"),
    ("面积", "area"),
    ("产值", "output"),
    ("总量", "total"),
    ("产量", "output"),
    ("规模", "scale"),
    ("增长", "growth"),
    ("降低", "cut"),
    ("新建", "new"),
    ("新增", "new"),
    ("改造", "renovation"),
    ("文化", "culture"),
    ("旅游", "tourism"),
    ("体育", "sports"),
    ("公园", "parks"),
    ("园区", "parks"),
    ("品牌", "brands"),
    ("乡镇", "townships"),
    ("村", "villages"),
    ("县", "county"),
    ("市", "city"),
    ("率", "rate"),
];

/// The slug of a name: glossary terms in English, joined by `_`, at most six words.
pub fn slug(name: &str) -> String {
    let mut words: Vec<&str> = Vec::new();
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        let hit = GLOSSARY
            .iter()
            .filter(|(zh, _)| rest.starts_with(zh))
            .max_by_key(|(zh, _)| zh.len());
        match hit {
            Some((zh, en)) => {
                if words.last() != Some(en) {
                    words.push(en);
                }
                rest = &rest[zh.len()..];
            }
            None => {
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if words.len() > 1 {
        words.retain(|w| *w != "of");
    }
    let mut s = words.iter().take(6).copied().collect::<Vec<_>>().join("_");
    while s.ends_with("_of") {
        s.truncate(s.len() - 3);
    }
    if s.is_empty() { "indicator".into() } else { s }
}

/// Unique ids within one plan.
#[derive(Debug, Default)]
pub struct Ids {
    used: BTreeSet<String>,
}

impl Ids {
    /// `base`, or `base_2`, `base_3` … when taken.
    pub fn unique(&mut self, base: &str) -> String {
        let mut id = base.to_string();
        let mut k = 2;
        while self.used.contains(&id) {
            id = format!("{base}_{k}");
            k += 1;
        }
        self.used.insert(id.clone());
        id
    }
}

/// A plan id from a file stem: lower-case ASCII letters, digits, - and _.
pub fn plan_id(stem: &str) -> String {
    let s: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() {
        "imported-plan".into()
    } else {
        s
    }
}

/// True for a valid plan id.
pub fn is_plan_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("地区生产总值"), "gdp");
        assert_eq!(slug("常住人口城镇化率"), "resident_population_urbanization");
        assert_eq!(
            slug("居民人均可支配收入"),
            "resident_per_capita_disposable_income"
        );
        assert_eq!(slug("某某"), "indicator");
        let mut ids = Ids::default();
        assert_eq!(ids.unique("gdp"), "gdp");
        assert_eq!(ids.unique("gdp"), "gdp_2");
        assert_eq!(plan_id("001_f759e94efd3a1e14"), "001_f759e94efd3a1e14");
        assert_eq!(plan_id("驻马店 plan"), "plan");
    }
}
