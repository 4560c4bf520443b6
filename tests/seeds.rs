//! Every shipped plan and scenario validates, and every quoted snippet occurs in the source
//! document at the stated line (or character offset, for one-line documents).

mod common;
use common::*;
use std::path::{Path, PathBuf};

/// The `.toml` files directly under `dir`; fails when there are none, so that no loop over them
/// can pass by iterating over nothing.
fn toml_files(dir: &str) -> Vec<PathBuf> {
    let path = repo().join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    assert!(!v.is_empty(), "{dir}/ holds no .toml file");
    v.sort();
    v
}

#[test]
fn every_plan_validates() {
    for p in toml_files("seeds") {
        if let Err(e) = attain::scenario::load_plan(&p) {
            panic!("{} does not validate:\n{e}", p.display());
        }
    }
}

#[test]
fn every_scenario_validates() {
    let mut plans = std::collections::BTreeSet::new();
    for p in toml_files("scenarios") {
        match attain::scenario::load_scenario(&p) {
            Ok(m) => plans.insert(m.plan.id.clone()),
            Err(e) => panic!("{} does not validate:\n{e}", p.display()),
        };
    }
    // Every scenario belongs to a plan of seeds/ (tests/init.rs checks that each plan has one).
    let seeds: std::collections::BTreeSet<String> = toml_files("seeds")
        .iter()
        .map(|p| attain::scenario::load_plan(p).unwrap().plan.id)
        .collect();
    assert!(
        plans.is_subset(&seeds),
        "scenarios of plans not in seeds/: {:?}",
        plans.difference(&seeds).collect::<Vec<_>>()
    );
}

#[test]
fn every_quote_occurs_at_its_line() {
    let Some(dir) = shared_seeds("every_quote_occurs_at_its_line") else {
        return;
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for p in toml_files("seeds") {
        let lp = attain::scenario::load_plan(&p).unwrap_or_else(|e| panic!("{e}"));
        let plan = &lp.plan;
        let Some(src) = &plan.source else {
            failures.push(format!("{}: [plan] has no `source` document", p.display()));
            continue;
        };
        let text = std::fs::read_to_string(dir.join(src))
            .unwrap_or_else(|e| panic!("{}: source {src}: {e}", p.display()));
        let lines: Vec<&str> = text.lines().collect();
        let chars: Vec<char> = text.chars().collect();
        let refs = plan
            .indicators
            .iter()
            .map(|i| (format!("indicator {}", i.id), &i.source))
            .chain(
                plan.targets
                    .iter()
                    .map(|t| (format!("target {}", t.id), &t.source)),
            );
        for (what, s) in refs {
            let Some(s) = s else { continue };
            checked += 1;
            let ok = if plan.source_locator == "char_offset" {
                let at = s.line as usize;
                let q: Vec<char> = s.quote.chars().collect();
                at + q.len() <= chars.len() && chars[at..at + q.len()] == q[..]
            } else {
                (s.line as usize)
                    .checked_sub(1)
                    .and_then(|i| lines.get(i))
                    .is_some_and(|l| l.contains(&s.quote))
            };
            if !ok {
                failures.push(format!(
                    "{} {what}: quote {:?} not at {} {}",
                    file_name(&p),
                    s.quote,
                    plan.source_locator,
                    s.line
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} quotes do not match:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 0, "no quote was checked");
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn list_shows_every_plan() {
    let o = attain(&["list", "seeds"], &repo());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    for p in toml_files("seeds") {
        let lp = attain::scenario::load_plan(&p).unwrap();
        assert!(
            text.contains(&format!("plan {}", lp.plan.id)),
            "list misses {}",
            lp.plan.id
        );
    }
}
