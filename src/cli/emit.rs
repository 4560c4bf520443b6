//! The one way every subcommand emits its outputs: the files of its result directory, written
//! atomically into a directory it owns (see `attain::output`), then its text on standard output,
//! then one line on standard error saying what was written.

use attain::error::Result;
use attain::output::{self, Owner};
use attain::report::Format;
use attain::report::export::{Export, File};
use std::path::{Path, PathBuf};

/// Where a result goes: its directory, whom the directory belongs to, and the input files as the
/// manifest records them.
pub struct Destination {
    pub dir: PathBuf,
    pub owner: Owner,
    pub inputs: String,
}

/// The one way a subcommand emits a result: writes its files, prints its text in `format`, and
/// (unless `quiet`) says what was written in one line: the data files by name, the charts by count.
pub fn emit(to: &Destination, result: &dyn Export, format: Format, quiet: bool) -> Result<()> {
    let files = result.files()?;
    if !quiet {
        print_font_warnings(&files);
    }
    output::write_results(&to.dir, &to.owner, &to.inputs, &files)?;
    print!("{}", result.render(format));
    if !quiet {
        eprintln!("{}", summary(&to.dir, &files));
    }
    Ok(())
}

/// Names, once per HTML page, the characters that the embedded CJK font lacks (the viewer's fonts
/// draw them: boxes on a machine without a CJK font).
fn print_font_warnings(files: &[File]) {
    for (name, bytes) in files.iter().filter(|(n, _)| n.ends_with(".html")) {
        if let Some(w) =
            attain::report::font::uncovered_warning(name, &String::from_utf8_lossy(bytes))
        {
            eprintln!("warning: {w}");
        }
    }
}

/// "wrote 12 files into DIR: results.json, targets.csv, …, and 4 charts (SVG and PNG)".
pub fn summary(dir: &Path, files: &[File]) -> String {
    let is_chart = |n: &str| n.ends_with(".svg") || n.ends_with(".png");
    let data: Vec<&str> = files
        .iter()
        .map(|f| f.0.as_str())
        .filter(|n| !is_chart(n))
        .collect();
    let charts = files.iter().filter(|f| is_chart(&f.0)).count();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut line = format!(
        "wrote {} into {}: {}",
        plural(files.len(), "file", "files"),
        dir.display(),
        data.join(", ")
    );
    if charts > 0 {
        line.push_str(&format!(
            "{}{} (SVG/PNG)",
            if data.is_empty() { "" } else { " and " },
            plural(charts, "chart file", "chart files")
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_names_data_files_and_counts_charts() {
        let f = |n: &str| (n.to_string(), Vec::new());
        let files = vec![f("results.json"), f("a.svg"), f("a.png"), f("report.html")];
        assert_eq!(
            summary(Path::new("out/x"), &files),
            "wrote 4 files into out/x: results.json, report.html and 2 chart files (SVG/PNG)"
        );
        assert_eq!(
            summary(Path::new("o"), &[f("c.svg")]),
            "wrote 1 file into o: 1 chart file (SVG/PNG)"
        );
    }
}
