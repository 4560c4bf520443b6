//! Results directories are never mixed: a directory holds one scenario's results, recorded in its
//! manifest; another scenario is refused before it simulates, and a rerun replaces only attain's
//! own files (see `src/output.rs`).

mod common;
use common::{attain, repo};

#[test]
fn a_results_directory_belongs_to_one_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let fx = repo().join("tests/fixtures");
    std::fs::copy(fx.join("example-plan.toml"), d.join("example-plan.toml")).unwrap();
    std::fs::copy(fx.join("example.toml"), d.join("a.toml")).unwrap();
    std::fs::copy(fx.join("example.toml"), d.join("b.toml")).unwrap();
    let run = |s: &str| attain(&["run", s, "--runs", "2000", "--out", "out", "--quiet"], d);

    let o = run("a.toml");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let manifest = std::fs::read_to_string(d.join("out/.attain-manifest.json")).unwrap();
    assert!(manifest.contains("\"scenario\": \"a\""), "{manifest}");
    std::fs::write(d.join("out/notes.txt"), "mine").unwrap();
    std::fs::write(d.join("out/stale.svg"), "from an older run").unwrap();
    let before = std::fs::read(d.join("out/results.json")).unwrap();

    // Another scenario: refused with exit code 2, nothing changed.
    let o = run("b.toml");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("holds the results of scenario `a`"), "{err}");
    assert!(err.contains("help:"), "{err}");
    assert_eq!(std::fs::read(d.join("out/results.json")).unwrap(), before);

    // The same scenario again: rewritten; files attain did not list are left alone.
    let o = run("a.toml");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(d.join("out/notes.txt").exists());
    assert!(d.join("out/stale.svg").exists(), "not attain's: kept");

    // A directory with a foreign results.json and no manifest is not overwritten.
    std::fs::create_dir_all(d.join("foreign")).unwrap();
    std::fs::write(d.join("foreign/results.json"), "not attain's").unwrap();
    let o = attain(
        &[
            "run", "a.toml", "--runs", "2000", "--out", "foreign", "--quiet",
        ],
        d,
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read(d.join("foreign/results.json")).unwrap(),
        b"not attain's"
    );
    let leftovers: Vec<_> = std::fs::read_dir(d.join("foreign"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "{leftovers:?}");
}
