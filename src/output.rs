//! Writing output files atomically into a results directory that attain owns.
//!
//! Every file goes to a temporary name beside its destination and is renamed into place only when
//! all of them were written, so a failure never leaves a half-written set behind.
//!
//! A results directory is never silently mixed. Each one holds a small manifest,
//! [`MANIFEST`], naming the scenario (file stem and plan id) it belongs to and the files attain
//! wrote there. Before writing, attain:
//!
//! * refuses (exit code 2) a directory whose manifest names another scenario;
//! * refuses a directory without a manifest that already holds a file attain would write (it cannot
//!   tell whether that file is the user's), unless it is a `results.json` of the same scenario
//!   written before manifests existed;
//! * otherwise writes its files, then the new manifest, then deletes the files the old manifest
//!   listed that this run did not write again (a chart of a target that no longer exists, say).
//!
//! Files attain did not write (a user's notes, say) are never touched. This module does not decide
//! which files a run writes; the CLI and the reports do.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Component, Path, PathBuf};

/// The manifest's file name in a results directory.
pub const MANIFEST: &str = ".attain-manifest.json";

/// Identifies the manifest format.
const MANIFEST_FORMAT: &str = "attain-output/1";

/// Which scenario a results directory belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// The scenario file's stem (`zhumadian-baseline` for `scenarios/zhumadian-baseline.toml`).
    pub scenario: String,
    /// The id of the scenario's plan.
    pub plan: String,
}

impl Owner {
    /// The owner of a model's run results: its scenario file stem and plan id.
    pub fn of(model: &crate::model::Model) -> Owner {
        Owner {
            scenario: model.scenario.stem.clone(),
            plan: model.plan.id.clone(),
        }
    }

    /// The owner of an analysis directory (`compare`, `sensitivity`, `sobol`, `goal`): the analysis
    /// and its scenarios' stems (`compare:a+b`, `goal:a`), so that it is never mixed with a `run`
    /// directory or another analysis; the plan is the first model's.
    pub fn of_analysis(analysis: &str, models: &[&crate::model::Model]) -> Owner {
        let stems: Vec<&str> = models.iter().map(|m| m.scenario.stem.as_str()).collect();
        Owner {
            scenario: format!("{analysis}:{}", stems.join("+")),
            plan: models
                .first()
                .map(|m| m.plan.id.clone())
                .unwrap_or_default(),
        }
    }
}

/// The default directory of a model's run results: `out/<stem>`.
pub fn run_dir(model: &crate::model::Model) -> PathBuf {
    Path::new("out").join(&model.scenario.stem)
}

/// The default directory of an analysis of one scenario (`sensitivity`, `sobol`, `goal`, and
/// `backtest` and `nowcast`): `out/<stem>/<analysis>`.
pub fn analysis_dir(analysis: &str, model: &crate::model::Model) -> PathBuf {
    run_dir(model).join(analysis)
}

/// The default directory of a comparison: `out/compare-<stem>-<stem>…`.
pub fn compare_dir(models: &[&crate::model::Model]) -> PathBuf {
    let stems: Vec<&str> = models.iter().map(|m| m.scenario.stem.as_str()).collect();
    Path::new("out").join(format!("compare-{}", stems.join("-")))
}

/// The manifest of a results directory.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Manifest {
    format: String,
    #[serde(flatten)]
    owner: Owner,
    /// The scenario file as given on the command line, for people reading the manifest.
    scenario_file: String,
    /// The files attain wrote, relative to the directory.
    files: Vec<String>,
}

fn refuse(dir: &Path, message: String) -> Error {
    Error::file(
        dir,
        message,
        format!(
            "choose another --out directory, or delete {} if its contents are no longer needed",
            dir.display()
        ),
    )
}

/// Reads a directory's manifest: `Ok(None)` when there is none.
fn read_manifest(dir: &Path) -> Result<Option<Manifest>> {
    let path = dir.join(MANIFEST);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::runtime(format!(
                "cannot read {}: {e}",
                path.display()
            )));
        }
    };
    match serde_json::from_slice::<Manifest>(&bytes) {
        Ok(m) if m.format == MANIFEST_FORMAT => Ok(Some(m)),
        _ => Err(refuse(
            dir,
            format!(
                "{} is damaged or of another version, so attain cannot tell which files in {} are its own",
                path.display(),
                dir.display()
            ),
        )),
    }
}

/// A relative path made only of plain names (no `..`, no root): safe to join onto the directory.
fn plain(name: &str) -> Option<PathBuf> {
    let p = Path::new(name);
    let ok = !name.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    ok.then(|| p.to_path_buf())
}

/// The scenario stem of a `results.json` written before manifests existed, if it is one.
fn legacy_owner(dir: &Path) -> Option<String> {
    let bytes = std::fs::read(dir.join("results.json")).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let file = v.get("scenario")?.get("file")?.as_str()?;
    Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
}

/// Checks that `dir` may receive `names` for `owner` (see the module docs). Does not write.
/// Pass no names to check only whom the directory belongs to (before a long simulation, say).
pub fn check_dir(dir: &Path, owner: &Owner, names: &[String]) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        return Err(refuse(
            dir,
            format!("{} exists and is not a directory", dir.display()),
        ));
    }
    match read_manifest(dir)? {
        Some(m) if m.owner == *owner => Ok(()),
        Some(m) => Err(refuse(
            dir,
            format!(
                "{} holds the results of scenario `{}` (plan `{}`, {}), not of `{}` (plan `{}`); attain does not mix results of two scenarios in one directory",
                dir.display(),
                m.owner.scenario,
                m.owner.plan,
                m.scenario_file,
                owner.scenario,
                owner.plan
            ),
        )),
        None => {
            let taken: Vec<&String> = names.iter().filter(|n| dir.join(n).exists()).collect();
            if taken.is_empty() {
                return Ok(());
            }
            let only_ours = legacy_owner(dir).is_some_and(|s| s == owner.scenario);
            if only_ours {
                return Ok(());
            }
            let list: Vec<&str> = taken.iter().map(|s| s.as_str()).collect();
            Err(refuse(
                dir,
                format!(
                    "{} already holds {} but no {MANIFEST}, so attain cannot tell whether it wrote them; it will not overwrite them",
                    dir.display(),
                    list.join(", ")
                ),
            ))
        }
    }
}

/// Writes `(name, bytes)` files into the results directory `dir` for `owner`, creating it if
/// needed, with the manifest; removes the files of the previous run that were not rewritten.
pub fn write_results(
    dir: &Path,
    owner: &Owner,
    scenario_file: &str,
    files: &[(String, Vec<u8>)],
) -> Result<()> {
    let mut names = Vec::with_capacity(files.len());
    for (name, _) in files {
        if plain(name).is_none() || name == MANIFEST {
            return Err(Error::runtime(format!("invalid output file name `{name}`")));
        }
        names.push(name.clone());
    }
    check_dir(dir, owner, &names)?;
    let previous = read_manifest(dir)?.map(|m| m.files).unwrap_or_default();
    let manifest = Manifest {
        format: MANIFEST_FORMAT.into(),
        owner: owner.clone(),
        scenario_file: scenario_file.to_string(),
        files: names.clone(),
    };
    let mut json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| Error::runtime(format!("cannot encode the manifest: {e}")))?;
    json.push(b'\n');
    let mut all: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    // The manifest goes last: it names the new set only once the set is in place.
    all.push((MANIFEST, &json));
    write_atomically(dir, &all)?;
    for old in previous {
        if !names.contains(&old)
            && let Some(p) = plain(&old)
        {
            let _ = std::fs::remove_file(dir.join(p));
        }
    }
    Ok(())
}

/// Writes files under `dir` via temporary names, renaming them into place in order once all are
/// written. Creates `dir` (and subdirectories named in the files) when needed.
fn write_atomically(dir: &Path, files: &[(&str, &[u8])]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::runtime(format!(
            "cannot create output directory {}: {e}",
            dir.display()
        ))
    })?;
    let pid = std::process::id();
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |temps: &[(PathBuf, PathBuf)]| {
        for (t, _) in temps {
            let _ = std::fs::remove_file(t);
        }
    };
    for (name, bytes) in files {
        let dest = dir.join(name);
        let parent = dest.parent().unwrap_or(dir).to_path_buf();
        let base = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = parent.join(format!(".{base}.tmp-{pid}"));
        let written = std::fs::create_dir_all(&parent).and_then(|()| std::fs::write(&tmp, bytes));
        if let Err(e) = written {
            cleanup(&temps);
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::runtime(format!(
                "cannot write {}: {e}",
                tmp.display()
            )));
        }
        temps.push((tmp, dest));
    }
    for (tmp, dest) in &temps {
        if let Err(e) = std::fs::rename(tmp, dest) {
            cleanup(&temps);
            return Err(Error::runtime(format!(
                "cannot move {} into place: {e}",
                dest.display()
            )));
        }
    }
    Ok(())
}

/// Writes one file atomically (temporary name, then rename), without a manifest: for shard parts,
/// which share a directory with the other shards' parts.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    write_file_with(path, &mut |w| w.write_all(bytes))
}

/// [`write_file`] for content produced by a writer (a shard part of tens of megabytes is encoded
/// straight into the temporary file, never held in memory whole).
pub fn write_file_with(
    path: &Path,
    write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<()> {
    if path.is_dir() {
        return Err(Error::usage(
            format!("{} is a directory", path.display()),
            "give a file name such as part-1.json",
        ));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| {
            Error::usage(
                format!("{} is not a file path", path.display()),
                "give a file name such as part-1.json",
            )
        })?;
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::runtime(format!(
            "cannot create output directory {}: {e}",
            dir.display()
        ))
    })?;
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|f| {
        let mut w = std::io::BufWriter::new(f);
        write(&mut w)?;
        std::io::Write::flush(&mut w)?;
        w.into_inner().map_err(|e| e.into_error())?.sync_all()
    });
    let moved = written
        .map_err(|e| format!("cannot write {}: {e}", tmp.display()))
        .and_then(|()| {
            std::fs::rename(&tmp, path)
                .map_err(|e| format!("cannot move {} into place: {e}", path.display()))
        });
    moved.map_err(|msg| {
        let _ = std::fs::remove_file(&tmp);
        Error::runtime(msg)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(s: &str) -> Owner {
        Owner {
            scenario: s.into(),
            plan: "p".into(),
        }
    }

    fn files(names: &[&str]) -> Vec<(String, Vec<u8>)> {
        names
            .iter()
            .map(|n| (n.to_string(), n.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn a_directory_is_owned_by_one_scenario() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        write_results(
            &dir,
            &owner("a"),
            "a.toml",
            &files(&["results.json", "x.svg"]),
        )
        .unwrap();
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        // Another scenario is refused, with an input error naming the owner; nothing changes.
        let e = write_results(&dir, &owner("b"), "b.toml", &files(&["results.json"])).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("scenario `a`"), "{e}");
        assert_eq!(
            std::fs::read(dir.join("results.json")).unwrap(),
            b"results.json"
        );
        // The same scenario rewrites its files and drops the stale ones; the user's file stays.
        write_results(&dir, &owner("a"), "a.toml", &files(&["results.json"])).unwrap();
        assert!(!dir.join("x.svg").exists());
        assert!(dir.join("notes.txt").exists());
        assert!(dir.join(MANIFEST).exists());
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn foreign_files_without_a_manifest_are_not_overwritten() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("results.json"), "someone else's").unwrap();
        let e = write_results(dir, &owner("a"), "a.toml", &files(&["results.json"])).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert_eq!(
            std::fs::read(dir.join("results.json")).unwrap(),
            b"someone else's"
        );
        // A results.json of the same scenario from before manifests is adopted.
        std::fs::write(
            dir.join("results.json"),
            r#"{"scenario": {"name": "A", "file": "scenarios/a.toml"}}"#,
        )
        .unwrap();
        write_results(dir, &owner("a"), "a.toml", &files(&["results.json"])).unwrap();
        // A damaged manifest is refused rather than guessed at.
        std::fs::write(dir.join(MANIFEST), "{").unwrap();
        assert!(write_results(dir, &owner("a"), "a.toml", &files(&["results.json"])).is_err());
    }

    #[test]
    fn manifest_names_cannot_escape_the_directory() {
        assert!(plain("../x").is_none());
        assert!(plain("/etc/passwd").is_none());
        assert!(plain("charts/gdp.svg").is_some());
        assert!(plain("").is_none());
    }
}
