//! Validation through the library API, in process. Every bad input is a case of the corpus under
//! `tests/bad-inputs/`, which `tests/bad_inputs.rs` runs through the binary (exit code, rendered
//! `file:line:col`, hint, nothing written). What the corpus cannot express is checked here: that
//! `attain::scenario::load_scenario` and `check_file` return each refusal as a typed
//! [`Error::Input`] whose structured [`Location`] is the one the corpus expects, with a hint, and
//! accept what the corpus accepts.

mod common;
use attain::error::{Error, InputError, Location};
use common::corpus::{self, Expect};
use std::path::Path;

/// Compares a typed input error with a case's expectation; returns the mismatches.
fn compare(case: &Path, e: &Expect, err: &Error) -> Vec<String> {
    let mut fails = Vec::new();
    if err.exit_code() != e.exit {
        fails.push(format!(
            "exit code {}, expected {}",
            err.exit_code(),
            e.exit
        ));
    }
    let Some(InputError {
        message,
        location,
        hint,
    }) = err.as_input()
    else {
        return vec![format!("not an input error: {err}")];
    };
    let rendered = err.to_string();
    if let Some(m) = &e.message
        && !rendered.contains(m.as_str())
    {
        fails.push(format!("message {message:?} lacks {m:?}"));
    }
    match hint {
        None => fails.push("no hint".into()),
        Some(h) => {
            if let Some(want) = &e.help
                && !h.contains(want.as_str())
            {
                fails.push(format!("hint {h:?} lacks {want:?}"));
            }
        }
    }
    if let Some(file) = &e.file {
        match location {
            None => fails.push(format!("no location, expected {file}")),
            Some(Location {
                file: f, line, col, ..
            }) => {
                let rel = f.strip_prefix(case).unwrap_or(f);
                if rel != Path::new(file) {
                    fails.push(format!("file {}, expected {file}", f.display()));
                }
                if e.line.is_some() && *line != e.line {
                    fails.push(format!("line {line:?}, expected {:?}", e.line));
                }
                if e.col.is_some() && *col != e.col {
                    fails.push(format!("column {col:?}, expected {:?}", e.col));
                }
            }
        }
    }
    fails
}

#[test]
fn corpus_cases_load_in_process_as_the_binary_judges_them() {
    let (mut refused, mut accepted) = (0, 0);
    let mut fails = Vec::new();
    for case in corpus::cases() {
        let name = corpus::name(&case);
        let e = match corpus::expect(&case) {
            Ok(e) => e,
            Err(err) => {
                fails.push(format!("[{name}] {err}"));
                continue;
            }
        };
        // Command-line errors concern `run`'s arguments, not a file the library loads.
        if !e.args.is_empty() {
            continue;
        }
        let run = e
            .run
            .clone()
            .unwrap_or_else(|| vec!["scenario.toml".into()]);
        assert_eq!(run.len(), 1, "[{name}] one scenario per case");
        let path = case.join(&run[0]);
        let check = e.check.clone().unwrap_or_else(|| run.clone());
        let results = [(
            "load_scenario",
            attain::scenario::load_scenario(&path).err(),
        )]
        .into_iter()
        .chain(check.iter().map(|f| {
            (
                "check_file",
                attain::scenario::check_file(&case.join(f)).err(),
            )
        }));
        for (api, result) in results {
            match (e.exit, result) {
                (0, None) => accepted += 1,
                (0, Some(err)) => fails.push(format!("[{name}] {api} refuses:\n{err}")),
                (_, None) => fails.push(format!("[{name}] {api} accepts a refused case")),
                (_, Some(err)) => {
                    refused += 1;
                    fails.extend(
                        compare(&case, &e, &err)
                            .into_iter()
                            .map(|f| format!("[{name}] {api}: {f}\n{err}")),
                    );
                }
            }
        }
    }
    assert!(
        fails.is_empty(),
        "{} problem(s):\n\n{}",
        fails.len(),
        fails.join("\n\n")
    );
    assert!(
        refused >= 80 && accepted >= 3,
        "only {refused} refusals and {accepted} acceptances checked"
    );
}
