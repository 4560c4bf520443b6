//! `targets.csv` and `fan.csv`: flat tables for spreadsheets.

use crate::results::Results;
use std::fmt::Write;

/// A CSV field, quoted where it must be.
pub(crate) fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A number at full precision, or empty when missing or not finite.
pub(crate) fn num(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{x}"),
        _ => String::new(),
    }
}

/// One row per target.
pub fn targets(r: &Results) -> String {
    let mut out = String::from(
        "id,indicator,name,name_en,metric,op,value,attribute,year,status,p_met,ci95_lo,ci95_hi,mcse,q05,q25,q50,q75,q95,required_kind,required_value,actual,source_line,source_quote,rule\n",
    );
    for t in &r.targets {
        let value = t.value.csv_text();
        let p = t.p_met.as_ref();
        let q = t.quantiles.as_ref();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            field(&t.id),
            field(&t.indicator),
            field(&t.name),
            field(t.name_en.as_deref().unwrap_or("")),
            t.metric.name(),
            t.op.map(|o| o.name()).unwrap_or(""),
            field(&value),
            match t.attribute {
                crate::model::Attribute::Binding => "binding",
                crate::model::Attribute::Expected => "expected",
            },
            t.year,
            t.status,
            num(p.map(|p| p.p)),
            num(p.map(|p| p.lo)),
            num(p.map(|p| p.hi)),
            num(p.map(|p| p.mcse)),
            num(q.and_then(|q| q.p05)),
            num(q.and_then(|q| q.p25)),
            num(q.and_then(|q| q.p50)),
            num(q.and_then(|q| q.p75)),
            num(q.and_then(|q| q.p95)),
            t.required.as_ref().map(|r| r.kind.name()).unwrap_or(""),
            num(t.required.as_ref().map(|r| r.value)),
            num(t.actual),
            t.source
                .as_ref()
                .map(|s| s.line.to_string())
                .unwrap_or_default(),
            field(t.source.as_ref().map(|s| s.quote.as_str()).unwrap_or("")),
            field(&t.rule),
        );
    }
    out
}

/// One row per simulated target and year: the probability of being on track.
pub fn on_track(r: &Results) -> String {
    let mut out = String::from("target,year,p_on_track,ci95_lo,ci95_hi\n");
    for t in &r.targets {
        for o in &t.on_track {
            let _ = writeln!(out, "{},{},{},{},{}", field(&t.id), o.year, o.p, o.lo, o.hi);
        }
    }
    out
}

/// One row per simulated indicator and year.
pub fn fan(r: &Results) -> String {
    let mut out = String::from("indicator,year,kind,p05,p10,p25,p50,p75,p90,p95\n");
    for i in &r.indicators {
        for y in &i.years {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{}",
                field(&i.id),
                y.year,
                y.kind,
                num(y.p05),
                num(y.p10),
                num(y.p25),
                num(y.p50),
                num(y.p75),
                num(y.p90),
                num(y.p95)
            );
        }
    }
    out
}

fn attribute(a: crate::model::Attribute) -> &'static str {
    match a {
        crate::model::Attribute::Binding => "binding",
        crate::model::Attribute::Expected => "expected",
    }
}

/// `backtest.csv`: one row per target of the plan, scored or not (with the reason).
pub fn backtest_targets(b: &crate::analysis::backtest::Backtest) -> String {
    let mut out = String::from(
        "id,indicator,attribute,metric,op,value,year,p_met,actual,met,brier,log_loss,plan_implied,scored,reason\n",
    );
    for t in &b.targets {
        let value = t.value.csv_text();
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},true,",
            field(&t.id),
            field(&t.indicator),
            attribute(t.attribute),
            t.metric.name(),
            t.op.map(|o| o.name()).unwrap_or(""),
            field(&value),
            t.year,
            num(Some(t.p_met)),
            num(Some(t.actual)),
            t.met,
            num(Some(t.brier)),
            num(Some(t.log_loss)),
            num(Some(t.plan_implied)),
        );
    }
    for u in &b.unscored {
        let _ = writeln!(
            out,
            "{},,,,,,,,{},,,,,false,{}",
            field(&u.id),
            num(u.actual),
            field(&u.reason)
        );
    }
    out
}

/// `backtest-scores.csv`: the mean scores of attain and each reference.
pub fn backtest_scores(b: &crate::analysis::backtest::Backtest) -> String {
    let mut out = String::from("forecaster,description,targets,brier,log_loss\n");
    for s in &b.scores {
        let _ = writeln!(
            out,
            "{},{},{},{},{}",
            s.forecaster.name(),
            field(&s.description),
            b.scored,
            num(Some(s.brier)),
            num(Some(s.log_loss))
        );
    }
    out
}

/// `reliability.csv`: the reliability bins.
pub fn reliability(b: &crate::analysis::backtest::Backtest) -> String {
    let mut out = String::from("bin_lo,bin_hi,n,met,mean_p,observed,observed_lo,observed_hi\n");
    for bin in &b.reliability {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            bin.lo,
            bin.hi,
            bin.n,
            bin.met,
            num(bin.mean_p),
            num(bin.observed),
            num(bin.observed_lo),
            num(bin.observed_hi)
        );
    }
    out
}

/// `nowcast.csv`: one row per target and as-of year.
pub fn nowcast(n: &crate::analysis::nowcast::Nowcast) -> String {
    let mut out = String::from(
        "id,indicator,attribute,as_of,observations,p_met,ci95_lo,ci95_hi,mcse,actual,met\n",
    );
    for t in &n.targets {
        for (k, year) in n.years.iter().enumerate() {
            let p = t.p_met.get(k).copied().flatten();
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{},{},{},{}",
                field(&t.id),
                field(&t.indicator),
                attribute(t.attribute),
                year,
                n.observations.get(k).copied().unwrap_or(0),
                num(p.map(|p| p.p)),
                num(p.map(|p| p.lo)),
                num(p.map(|p| p.hi)),
                num(p.map(|p| p.mcse)),
                num(t.actual),
                t.met.map(|m| m.to_string()).unwrap_or_default()
            );
        }
    }
    out
}

/// Sobol indices: one row per target and input.
pub fn sobol(s: &crate::analysis::sobol::SobolIndices) -> String {
    let mut out = String::from(
        "target,input,first_order,first_order_lo,first_order_hi,total,total_lo,total_hi\n",
    );
    for t in &s.targets {
        for i in &t.inputs {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{},{}",
                field(&t.target),
                field(&i.input),
                num(Some(i.first_order)),
                num(Some(i.first_order_ci[0])),
                num(Some(i.first_order_ci[1])),
                num(Some(i.total)),
                num(Some(i.total_ci[0])),
                num(Some(i.total_ci[1]))
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_when_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
