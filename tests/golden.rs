//! Golden test: the `results.json` of every shipped scenario (4 096 runs, its own seed) hashes to
//! the value recorded in `tests/golden/results-sha256.txt`. A refactor that changes no output
//! passes unchanged; a change that is meant to alter results re-records the file with
//! `ATTAIN_BLESS=1 cargo test --release --test golden` and says why in its commit.

mod common;
use common::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

const RUNS: u64 = 4096;
const GOLDEN: &str = "tests/golden/results-sha256.txt";

fn shipped_scenarios() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(repo().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| format!("scenarios/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    v.sort();
    assert!(
        v.len() >= 30,
        "expected the shipped scenarios, found {}",
        v.len()
    );
    v
}

fn digest(scenario: &str) -> String {
    // Paths as a user in the repository root gives them (results.json records them).
    std::env::set_current_dir(repo()).unwrap();
    let m = attain::scenario::load_scenario(std::path::Path::new(scenario))
        .unwrap_or_else(|e| panic!("{scenario}:\n{e}"));
    let r = run_model(&m, RUNS, m.scenario.seed, None);
    let json = attain::report::json::to_json(&r);
    Sha256::digest(json.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn results_json_of_every_shipped_scenario_is_unchanged() {
    let now: BTreeMap<String, String> = shipped_scenarios()
        .into_iter()
        .map(|s| {
            let d = digest(&s);
            (s, d)
        })
        .collect();
    let path = repo().join(GOLDEN);
    if std::env::var_os("ATTAIN_BLESS").is_some() {
        let text: String = now.iter().map(|(s, d)| format!("{d}  {s}\n")).collect();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        eprintln!("recorded {} digests in {GOLDEN}", now.len());
        return;
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{GOLDEN}: {e} (record it with ATTAIN_BLESS=1)"));
    let golden: BTreeMap<String, String> = text
        .lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(d, s)| (s.to_string(), d.to_string()))
        .collect();
    let mut problems = Vec::new();
    for (s, d) in &now {
        match golden.get(s) {
            None => problems.push(format!("{s}: not in {GOLDEN}")),
            Some(g) if g != d => problems.push(format!("{s}: results.json changed")),
            _ => {}
        }
    }
    for s in golden.keys() {
        if !now.contains_key(s) {
            problems.push(format!("{s}: in {GOLDEN} but no longer shipped"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} scenarios differ from the golden digests:\n{}",
        problems.len(),
        now.len(),
        problems.join("\n")
    );
}
