//! The bad-input corpus under `tests/bad-inputs/`: one directory per case, described by its
//! `expect.toml` (the format is documented in `tests/bad_inputs.rs`).

use super::repo;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// A case's `expect.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub description: String,
    pub run: Option<Vec<String>>,
    #[serde(default)]
    pub args: Vec<String>,
    pub check: Option<Vec<String>>,
    pub exit: i32,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub col: Option<usize>,
    pub message: Option<String>,
    pub help: Option<String>,
}

/// The case directories, sorted.
pub fn cases() -> Vec<PathBuf> {
    let dir = repo().join("tests/bad-inputs");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/bad-inputs exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("expect.toml").is_file())
        .collect();
    cases.sort();
    cases
}

/// Reads a case's `expect.toml`.
pub fn expect(case: &Path) -> Result<Expect, String> {
    let path = case.join("expect.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("bad expect.toml: {e}"))
}

/// The case's name (its directory).
pub fn name(case: &Path) -> String {
    case.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}
