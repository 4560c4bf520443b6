//! Shard files: the mergeable state of part of a run, written by `attain run --shard K/N` and
//! combined by `attain merge` into results byte-identical to a single-process run.
//!
//! A part file is JSON: a header (format, attain version, scenario, the inputs' hash, seed, runs,
//! K and N), the accumulator, and a SHA-256 `checksum` over all of that. Merging trusts nothing in a
//! part: it refuses (exit code 2, naming the file) a part whose checksum does not match (edited by
//! hand or truncated), parts of different inputs, seeds, run counts, N or versions, missing or
//! duplicated shards, and accumulators whose shape or counts are impossible, before anything is
//! added up. The checksum detects accidents, not forgery; the structural checks keep even a forged
//! file from crashing `merge` or overflowing a count.

use crate::engine::sketch::Sketch;
use crate::engine::{self, Accumulator, Layout};
use crate::error::{Error, InputError, Location, Result};
use crate::model::Model;
use crate::scenario;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Identifies the file format.
pub const FORMAT: &str = "attain-shard/3";

/// The most shards a run may be split into.
pub const MAX_SHARDS: u64 = 1_000_000;

/// The largest part file read (a part holds sketches, not paths: megabytes at most).
const MAX_PART_BYTES: u64 = 1 << 30;

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
    /// SHA-256 over the JSON of all the fields above (see [`Part::digest`]).
    pub checksum: String,
}

/// The fields a checksum covers, borrowed, in file order.
#[derive(Serialize)]
struct Body<'a> {
    format: &'a str,
    attain_version: &'a str,
    scenario: &'a str,
    inputs_hash: &'a str,
    seed: u64,
    runs: u64,
    shard: u64,
    shards: u64,
    sampling: crate::engine::sampling::Sampling,
    accumulator: &'a Accumulator,
}

impl Part {
    /// The part of shard `k` of `n` of a model's run, with its checksum.
    pub fn new(model: &Model, k: u64, n: u64, accumulator: Accumulator) -> Part {
        let mut p = Part {
            format: FORMAT.into(),
            attain_version: env!("CARGO_PKG_VERSION").into(),
            scenario: model.scenario.path.display().to_string(),
            inputs_hash: inputs_hash(model),
            seed: model.scenario.seed,
            runs: model.scenario.runs,
            shard: k,
            shards: n,
            sampling: accumulator.sampling,
            accumulator,
            checksum: String::new(),
        };
        p.checksum = p.digest();
        p
    }

    /// SHA-256 (hex) of the JSON encoding of every field but the checksum.
    pub fn digest(&self) -> String {
        let body = Body {
            format: &self.format,
            attain_version: &self.attain_version,
            scenario: &self.scenario,
            inputs_hash: &self.inputs_hash,
            seed: self.seed,
            runs: self.runs,
            shard: self.shard,
            shards: self.shards,
            sampling: self.sampling,
            accumulator: &self.accumulator,
        };
        // Serialising plain integers, strings and vectors cannot fail; an empty digest would
        // simply never match.
        // Hashed as it is written: the same bytes as `to_vec`, without holding them in memory.
        struct HashWriter(Sha256);
        impl std::io::Write for HashWriter {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.update(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut h = HashWriter(Sha256::new());
        if serde_json::to_writer(&mut h, &body).is_err() {
            return String::new();
        }
        hex(&h.0.finalize())
    }

    /// The part as JSON bytes, ready to write.
    pub fn to_json(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self)
            .map_err(|e| Error::runtime(format!("cannot encode the shard: {e}")))
    }

    /// Writes the part's JSON (the bytes of [`Part::to_json`]) to `w` as it is encoded.
    pub fn write_json(&self, w: &mut dyn std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer(w, self).map_err(std::io::Error::other)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A combined hash of a model's input files.
pub fn inputs_hash(model: &Model) -> String {
    let mut h = Sha256::new();
    for f in &model.scenario.inputs {
        h.update(f.sha256.as_bytes());
        h.update(b"\n");
    }
    hex(&h.finalize())
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
    if k == 0 || n == 0 || k > n || n > MAX_SHARDS {
        return Err(bad());
    }
    Ok((k, n))
}

/// An input error about a part file as a whole.
fn bad_part(path: &Path, message: String, hint: &str) -> Error {
    Error::file(path, message, hint)
}

/// Reads one part file and checks it on its own: format, checksum, ranges, accumulator shape.
pub fn read_part(path: &Path) -> Result<Part> {
    let regen = "re-run that shard with `attain run SCENARIO --shard K/N --out FILE`";
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > MAX_PART_BYTES {
        return Err(bad_part(
            path,
            format!(
                "{} is too large ({size} bytes) to be an attain part file",
                path.display()
            ),
            "give the part files written by `attain run --shard K/N --out part-K.json`",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Error::file(
            path,
            format!("cannot read {}: {e}", path.display()),
            "give the part files written by `attain run --shard K/N --out part-K.json`",
        )
    })?;
    let part: Part = serde_json::from_slice(&bytes).map_err(|e| {
        let (line, col) = (e.line(), e.column());
        Error::Input(Box::new(InputError {
            message: format!("{} is not an attain part file: {e}", path.display()),
            location: Some(Location {
                file: path.to_path_buf(),
                line: (line > 0).then_some(line),
                col: (line > 0 && col > 0).then_some(col),
                text: None,
            }),
            hint: Some("give the unmodified part files written by `attain run --shard K/N`".into()),
        }))
    })?;
    if part.format != FORMAT {
        return Err(bad_part(
            path,
            format!(
                "{} has format `{}`, expected `{FORMAT}`",
                path.display(),
                part.format
            ),
            "re-create the part with this version of attain",
        ));
    }
    if part.checksum != part.digest() {
        return Err(bad_part(
            path,
            format!(
                "{} was altered after attain wrote it: its checksum does not match its contents",
                path.display()
            ),
            regen,
        ));
    }
    if part.shards == 0 || part.shards > MAX_SHARDS || part.shard == 0 || part.shard > part.shards {
        return Err(bad_part(
            path,
            format!(
                "{} claims to be shard {} of {}, which is impossible",
                path.display(),
                part.shard,
                part.shards
            ),
            regen,
        ));
    }
    if part.runs == 0 || part.runs > scenario::MAX_RUNS {
        return Err(bad_part(
            path,
            format!("{} has runs = {}, out of range", path.display(), part.runs),
            regen,
        ));
    }
    if let Err(why) = plausible(&part.accumulator) {
        return Err(bad_part(
            path,
            format!("{} holds an impossible accumulator: {why}", path.display()),
            regen,
        ));
    }
    Ok(part)
}

/// Counts and sketches that an accumulator of `runs` runs can hold; bounds every count by the runs
/// so that merging cannot overflow.
fn plausible(a: &Accumulator) -> std::result::Result<(), String> {
    let n = a.runs;
    if n > scenario::MAX_RUNS {
        return Err(format!("{n} runs"));
    }
    if a.all > n || a.all_binding > n {
        return Err("more runs met all targets than were run".into());
    }
    if let Some(h) = a.hits.iter().find(|&&h| h > n) {
        return Err(format!("{h} hits out of {n} runs"));
    }
    for s in a.metric.iter().chain(&a.fan) {
        sketch_ok(s, n)?;
    }
    Ok(())
}

fn sketch_ok(s: &Sketch, runs: u64) -> std::result::Result<(), String> {
    s.validate(runs)
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
    let missing_count = n.saturating_sub(have.len() as u64);
    let missing: Vec<String> = (1..=n)
        .filter(|k| have.binary_search(k).is_err())
        .take(10)
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        let more = if missing_count > 10 { ", …" } else { "" };
        return Err(Error::usage(
            format!(
                "incomplete set of parts: {missing_count} shard(s) of {n} missing ({}{more})",
                missing.join(", ")
            ),
            "run the missing shards with `attain run SCENARIO --shard K/N` and merge all N parts",
        ));
    }
    Ok(parts)
}

/// Reads, checks and merges part files into the model they were run for and its accumulator.
pub fn merge(paths: &[PathBuf]) -> Result<(Model, Accumulator)> {
    let mut parts = Vec::new();
    for p in paths {
        parts.push((p.clone(), read_part(p)?));
    }
    let parts = check_parts(parts)?;
    let first = &parts[0].1;
    let scen = PathBuf::from(&first.scenario);
    let mut model = scenario::load_scenario(&scen)?;
    if inputs_hash(&model) != first.inputs_hash {
        return Err(Error::file(
            &scen,
            format!(
                "{} (or its plan) changed since the shards were run",
                scen.display()
            ),
            "re-run all shards with the current files",
        ));
    }
    model.scenario.runs = first.runs;
    model.scenario.seed = first.seed;
    let lay: Layout = engine::layout(&model);
    let mut acc = Accumulator::new(lay);
    acc.sampling = first.sampling;
    for (path, p) in &parts {
        let want: u64 = engine::shard_chunks(p.runs, p.shard, p.shards)
            .map(|c| (p.runs - c * engine::CHUNK).min(engine::CHUNK))
            .sum();
        if !p.accumulator.fits(lay) || p.accumulator.runs != want {
            return Err(Error::file(
                path,
                format!(
                    "{} does not match the scenario's layout or its shard size ({} runs, expected {want})",
                    path.display(),
                    p.accumulator.runs
                ),
                "the part file was altered or written for other inputs; re-run that shard",
            ));
        }
        acc.merge(&p.accumulator);
    }
    Ok((model, acc))
}
