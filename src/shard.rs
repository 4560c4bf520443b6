//! Shard files: the mergeable state of part of a run, written by `attain run --shard K/N` and
//! combined by `attain merge` into results byte-identical to a single-process run.

use crate::engine::Accumulator;
use crate::error::{Error, Result};
use crate::model::Model;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Identifies the file format.
pub const FORMAT: &str = "attain-shard/1";

/// One shard's state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Part {
    pub format: String,
    pub attain_version: String,
    /// The scenario path as given on the command line.
    pub scenario: String,
    /// SHA-256 over the hashes of all input files (scenario chain and plan).
    pub inputs_hash: String,
    pub seed: u64,
    pub runs: u64,
    pub shard: u64,
    pub shards: u64,
    pub sampling: crate::engine::sampling::Sampling,
    pub accumulator: Accumulator,
}

/// A combined hash of a model's input files.
pub fn inputs_hash(model: &Model) -> String {
    let mut h = Sha256::new();
    for f in &model.scenario.inputs {
        h.update(f.sha256.as_bytes());
        h.update(b"\n");
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses `K/N` (1 ≤ K ≤ N).
pub fn parse_shard(s: &str) -> Result<(u64, u64)> {
    let bad = || {
        Error::usage(
            format!("--shard `{s}` is not of the form K/N"),
            "e.g. --shard 2/8 runs the second of eight shards (1 ≤ K ≤ N)",
        )
    };
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n || n > 1_000_000 {
        return Err(bad());
    }
    Ok((k, n))
}

/// Reads one part file.
pub fn read_part(path: &Path) -> Result<Part> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::file(
            path,
            format!("cannot read {}: {e}", path.display()),
            "give the part files written by `attain run --shard K/N --out part-K.json`",
        )
    })?;
    let part: Part = serde_json::from_slice(&bytes).map_err(|e| {
        Error::Input(Box::new(crate::error::InputError {
            message: format!("{} is not an attain shard file: {e}", path.display()),
            location: Some(crate::error::Location {
                file: path.to_path_buf(),
                line: Some(e.line()),
                col: Some(e.column()),
                text: None,
            }),
            hint: Some("give the unmodified part files written by `attain run --shard`".into()),
        }))
    })?;
    if part.format != FORMAT {
        return Err(Error::file(
            path,
            format!(
                "{} has format `{}`, expected `{FORMAT}`",
                path.display(),
                part.format
            ),
            "re-create the part with this version of attain",
        ));
    }
    Ok(part)
}

/// Checks that parts belong together and form a complete set; returns them ordered by shard.
pub fn check_parts(mut parts: Vec<(PathBuf, Part)>) -> Result<Vec<(PathBuf, Part)>> {
    let Some((p0, first)) = parts.first().cloned() else {
        return Err(Error::usage(
            "no part files given",
            "attain merge part-*.json --out DIR",
        ));
    };
    for (path, p) in &parts[1..] {
        let mismatch = |what: &str, a: String, b: String| {
            Error::file(
                path,
                format!(
                    "{} does not belong with {}: {what} differs ({b} vs {a})",
                    path.display(),
                    p0.display()
                ),
                "merge only the parts of one `attain run --shard K/N` invocation (same scenario files, seed, runs and N)",
            )
        };
        if p.inputs_hash != first.inputs_hash {
            return Err(mismatch(
                "the input files' hash",
                first.inputs_hash.clone(),
                p.inputs_hash.clone(),
            ));
        }
        if p.seed != first.seed {
            return Err(mismatch("seed", first.seed.to_string(), p.seed.to_string()));
        }
        if p.runs != first.runs {
            return Err(mismatch("runs", first.runs.to_string(), p.runs.to_string()));
        }
        if p.sampling != first.sampling {
            return Err(mismatch(
                "the sampling design",
                first.sampling.name().to_string(),
                p.sampling.name().to_string(),
            ));
        }
        if p.shards != first.shards {
            return Err(mismatch(
                "the shard count N",
                first.shards.to_string(),
                p.shards.to_string(),
            ));
        }
        if p.attain_version != first.attain_version {
            return Err(mismatch(
                "attain version",
                first.attain_version.clone(),
                p.attain_version.clone(),
            ));
        }
    }
    parts.sort_by_key(|(_, p)| p.shard);
    for w in parts.windows(2) {
        if w[0].1.shard == w[1].1.shard {
            return Err(Error::file(
                &w[1].0,
                format!(
                    "shard {} appears twice ({} and {})",
                    w[1].1.shard,
                    w[0].0.display(),
                    w[1].0.display()
                ),
                "give each shard's part file once",
            ));
        }
    }
    let n = first.shards;
    let have: Vec<u64> = parts.iter().map(|(_, p)| p.shard).collect();
    let missing: Vec<String> = (1..=n)
        .filter(|k| !have.contains(k))
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(Error::usage(
            format!(
                "incomplete set of parts: shard(s) {} of {n} missing",
                missing.join(", ")
            ),
            "run the missing shards with `attain run SCENARIO --shard K/N` and merge all N parts",
        ));
    }
    if let Some((path, p)) = parts.iter().find(|(_, p)| p.shard > n || p.shard == 0) {
        return Err(Error::file(
            path,
            format!("shard number {} is outside 1..{n}", p.shard),
            "the part file was altered",
        ));
    }
    Ok(parts)
}
