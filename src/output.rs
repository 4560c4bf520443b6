//! Writing output files atomically: every file goes to a temporary name in the target directory
//! and is renamed into place only when all of them were written, so a failure never leaves a
//! half-written or mixed set of results behind. Only attain's own file names are touched.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Writes `(name, bytes)` files into `dir`, creating it if needed.
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
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
        let final_path = dir.join(name);
        let tmp = dir.join(format!(".{name}.tmp-{pid}"));
        if let Err(e) = std::fs::write(&tmp, bytes) {
            cleanup(&temps);
            let _ = std::fs::remove_file(&tmp);
            return Err(Error::runtime(format!(
                "cannot write {}: {e}",
                tmp.display()
            )));
        }
        temps.push((tmp, final_path));
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

/// Writes one file atomically (temporary name, then rename).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
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
    write_all(dir, &[(name, bytes.to_vec())])
}
