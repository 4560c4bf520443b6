//! The documentation shows only what attain prints: every fenced code block of README.md and
//! docs/*.md whose first line starts with `$ attain ` is run, and the rest of the block must equal
//! the command's standard output exactly. `ATTAIN_BLESS=1 cargo test --release --test docs`
//! rewrites the blocks in place instead.
//!
//! * The command runs from the repository root as shown, with two additions a reader does not
//!   type: `--quiet`, and an `--out` into a temporary directory for the subcommands that write
//!   files (a shown `--out X` becomes `<tmp>/X`'s file name), so that the docs never write into
//!   out/ or the repository.
//! * It must exit with 0. A block whose fence carries `exit=N` (```` ```text exit=2 ````, which
//!   renderers ignore) shows a refusal: the command must exit with N, and the block shows its
//!   standard output followed by its standard error.
//! * docs/backtests.md is excluded: `scripts/regenerate-scenarios.sh` writes it, in its own shape.
//!
//! Links: every relative link of README.md and docs/*.md must name an existing file, and a
//! `#fragment` into a Markdown file must name one of its headings (GitHub's anchors).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Written by a script, in another shape: its blocks are not run (its links are checked).
const GENERATED: &str = "docs/backtests.md";

/// Subcommands that write files into an output directory (or, with `--out`, a named file).
const WRITES: &[&str] = &[
    "run",
    "backtest",
    "nowcast",
    "compare",
    "sensitivity",
    "goal",
    "calibrate",
    "merge",
];

/// Subcommands that write a file only when given `--out`.
const WRITES_WITH_OUT: &[&str] = &["init"];

/// Subcommands that take `--quiet`.
const QUIET: &[&str] = &[
    "run",
    "backtest",
    "nowcast",
    "compare",
    "sensitivity",
    "goal",
    "calibrate",
    "merge",
    "init",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and docs/*.md, as paths relative to the repository root.
fn markdown_files() -> Vec<String> {
    let mut files = vec!["README.md".to_string()];
    let mut docs: Vec<String> = std::fs::read_dir(repo().join("docs"))
        .expect("docs/")
        .map(|e| e.expect("docs/ entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| format!("docs/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// A fenced code block: the index of its opening fence line, its info string and its lines.
struct Block {
    fence_line: usize,
    info: String,
    lines: Vec<String>,
}

/// The opening fence of a line (three or more backticks or tildes, indented by at most three
/// spaces), with its info string.
fn opening_fence(line: &str) -> Option<(String, String)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let c = rest.chars().next()?;
    if c != '`' && c != '~' {
        return None;
    }
    let n = rest.chars().take_while(|&x| x == c).count();
    if n < 3 {
        return None;
    }
    Some((rest[..n].to_string(), rest[n..].trim().to_string()))
}

fn closes(line: &str, fence: &str) -> bool {
    let t = line.trim();
    let c = fence.chars().next().unwrap();
    t.len() >= fence.len() && t.chars().all(|x| x == c) && line.len() - line.trim_start().len() <= 3
}

/// The fenced code blocks of a Markdown text (an unclosed block runs to the end of the file).
fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some((fence, info)) = opening_fence(lines[i]) {
            let start = i;
            i += 1;
            let mut body = Vec::new();
            while i < lines.len() && !closes(lines[i], &fence) {
                body.push(lines[i].to_string());
                i += 1;
            }
            out.push(Block {
                fence_line: start,
                info,
                lines: body,
            });
        }
        i += 1;
    }
    out
}

/// The exit code a block expects: `exit=N` in its info string, else 0.
fn expected_exit(info: &str) -> i32 {
    info.split_whitespace()
        .find_map(|w| w.strip_prefix("exit="))
        .map(|n| n.parse().expect("exit=N takes a number"))
        .unwrap_or(0)
}

/// Splits a shown command into words: whitespace-separated, with '…' and "…" quoting. Anything
/// a shell would interpret (pipes, redirections, variables, globs) is refused: the block must show
/// exactly what attain prints for one plain command.
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut started = false;
    for c in command.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                started = true;
            }
            None if c.is_whitespace() => {
                if started {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                }
            }
            None if "|&;<>$`*?\\#".contains(c) => {
                panic!("`{command}`: `{c}` is shell syntax; show one plain attain command")
            }
            None => {
                cur.push(c);
                started = true;
            }
        }
    }
    assert!(quote.is_none(), "`{command}`: unclosed quote");
    if started {
        out.push(cur);
    }
    out
}

/// The arguments actually run for a shown command: `--quiet`, and `--out` into `tmp`.
fn arguments(shown: &[String], tmp: &Path) -> Vec<String> {
    let mut args = shown.to_vec();
    let sub = args.first().cloned().unwrap_or_default();
    let writes = WRITES.contains(&sub.as_str());
    let out_at = args.iter().position(|a| a == "--out");
    if let Some(k) = out_at {
        let given = args
            .get(k + 1)
            .unwrap_or_else(|| panic!("`--out` without a value in {shown:?}"));
        let name = Path::new(given)
            .file_name()
            .unwrap_or_else(|| panic!("`--out {given}` names no file"));
        args[k + 1] = tmp.join(name).to_string_lossy().into_owned();
    } else if args.iter().any(|a| a.starts_with("--out=")) {
        panic!("write `--out X`, not `--out=X`, in {shown:?}");
    } else if writes {
        args.push("--out".into());
        args.push(tmp.join("out").to_string_lossy().into_owned());
    }
    assert!(
        out_at.is_none() || writes || WRITES_WITH_OUT.contains(&sub.as_str()),
        "`--out` of `{sub}` is not known to write files: add it to WRITES in tests/docs.rs"
    );
    if QUIET.contains(&sub.as_str()) && !args.iter().any(|a| a == "--quiet") {
        args.push("--quiet".into());
    }
    args
}

/// A command block of a file, run.
struct Ran {
    fence_line: usize,
    /// What the block must show after its command line.
    actual: String,
}

/// Runs one command block; returns what it printed, or why it failed.
fn run_block(file: &str, block: &Block) -> Result<String, String> {
    let command = &block.lines[0];
    let shown = words(command.strip_prefix("$ attain ").unwrap());
    let tmp = tempfile::tempdir().expect("tempdir");
    let args = arguments(&shown, tmp.path());
    let want_exit = expected_exit(&block.info);
    let o = Command::new(env!("CARGO_BIN_EXE_attain"))
        .args(&args)
        .current_dir(repo())
        .env_remove("ATTAIN_BLESS")
        .output()
        .expect("run attain");
    let stdout = String::from_utf8(o.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(o.stderr).expect("stderr is UTF-8");
    let at = format!("{file}:{} `{command}`", block.fence_line + 1);
    if o.status.code() != Some(want_exit) {
        return Err(format!(
            "{at}: exit code {:?}, the block expects {want_exit} (ran: attain {})\n--- stdout\n{stdout}--- stderr\n{stderr}",
            o.status.code(),
            args.join(" ")
        ));
    }
    let actual = if want_exit == 0 {
        stdout
    } else {
        stdout + &stderr
    };
    if actual.lines().any(|l| closes(l, "```") || closes(l, "~~~")) {
        return Err(format!(
            "{at}: the output holds a line that would close the block"
        ));
    }
    if !actual.is_empty() && !actual.ends_with('\n') {
        return Err(format!(
            "{at}: the output does not end with a newline, so no block can show it exactly"
        ));
    }
    Ok(actual)
}

/// The text a block shows after its command line, as the command prints it.
fn shown_output(block: &Block) -> String {
    block.lines[1..].iter().map(|l| format!("{l}\n")).collect()
}

/// The first line where two texts differ, for the failure message.
fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    for k in 0..w.len().max(g.len()) {
        let (a, b) = (w.get(k), g.get(k));
        if a != b {
            return format!(
                "output line {}:\n  docs:    {}\n  attain:  {}",
                k + 1,
                a.map_or("(no line)".to_string(), |s| format!("{s:?}")),
                b.map_or("(no line)".to_string(), |s| format!("{s:?}"))
            );
        }
    }
    "the texts differ only in the final newline".into()
}

/// Replaces each run block's output in `text` (blocks identified by their fence lines).
fn blessed(text: &str, ran: &[Ran]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // From the last block up, so that earlier line numbers stay valid.
    for r in ran.iter().rev() {
        let first = r.fence_line + 2; // after the fence and the command line
        let mut end = first;
        let fence = opening_fence(&lines[r.fence_line]).unwrap().0;
        while end < lines.len() && !closes(&lines[end], &fence) {
            end += 1;
        }
        let new: Vec<String> = r.actual.lines().map(str::to_string).collect();
        lines.splice(first..end, new);
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[test]
fn every_console_output_in_the_docs_is_what_attain_prints() {
    let bless = std::env::var_os("ATTAIN_BLESS").is_some();
    let mut failures = Vec::new();
    let mut count = 0;
    for file in markdown_files() {
        if file == GENERATED {
            continue;
        }
        let path = repo().join(&file);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut ran = Vec::new();
        for block in blocks(&text) {
            // Only a block's first line may be a command: a second one would go unchecked.
            for (k, l) in block.lines.iter().enumerate().skip(1) {
                if l.starts_with("$ attain ") {
                    failures.push(format!(
                        "{file}:{}: `{l}` is not the first line of its block; give each command its own block",
                        block.fence_line + 2 + k
                    ));
                }
            }
            if !block
                .lines
                .first()
                .is_some_and(|l| l.starts_with("$ attain "))
            {
                continue;
            }
            count += 1;
            match run_block(&file, &block) {
                Err(e) => failures.push(e),
                Ok(actual) => {
                    let want = shown_output(&block);
                    if want != actual && !bless {
                        failures.push(format!(
                            "{file}:{} `{}` prints something else than the docs show ({}); if the change is meant, run `ATTAIN_BLESS=1 cargo test --release --test docs` and review the diff",
                            block.fence_line + 1,
                            block.lines[0],
                            first_difference(&want, &actual)
                        ));
                    }
                    ran.push(Ran {
                        fence_line: block.fence_line,
                        actual,
                    });
                }
            }
        }
        if bless {
            let new = blessed(&text, &ran);
            if new != text {
                std::fs::write(&path, new).unwrap();
                eprintln!("blessed {file}");
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} console blocks fail:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    // The README's worked example and the guide's examples: a parser that finds none is broken.
    assert!(
        count >= 10,
        "found only {count} `$ attain` blocks in README.md and docs/*.md"
    );
}

/// GitHub's anchor of a heading: lower case; letters, digits, `-` and `_` kept; spaces to `-`;
/// everything else dropped (after removing inline code marks, emphasis and link targets).
fn anchor(heading: &str) -> String {
    let mut text = String::new();
    let mut rest = heading;
    // [text](target) → text
    while let Some(open) = rest.find('[') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match (after.find("]("), after.find(')')) {
            (Some(close), Some(end)) if close < end => {
                text.push_str(&after[..close]);
                rest = &after[end + 1..];
            }
            _ => {
                text.push('[');
                rest = after;
            }
        }
    }
    text.push_str(rest);
    text.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a Markdown file's headings (duplicates get GitHub's -1, -2, … suffixes).
fn anchors(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (_, line) in prose_lines(text) {
        let t = line.trim_start();
        let hashes = t.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            let h = t[hashes..].trim().trim_end_matches('#').trim();
            let base = anchor(h);
            let mut a = base.clone();
            let mut n = 0;
            while out.contains(&a) {
                n += 1;
                a = format!("{base}-{n}");
            }
            out.insert(a);
        }
    }
    out
}

/// The lines of a Markdown text outside fenced code blocks, with their 1-based line numbers.
fn prose_lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for (k, line) in text.lines().enumerate() {
        match &fence {
            Some(f) => {
                if closes(line, f) {
                    fence = None;
                }
            }
            None => match opening_fence(line) {
                Some((f, _)) => fence = Some(f),
                None => out.push((k + 1, line)),
            },
        }
    }
    out
}

/// A line without its code spans: a run of n backticks opens one, the next run of exactly n
/// closes it (an unclosed run is literal text).
fn without_code_spans(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let run_at = |i: usize| chars[i..].iter().take_while(|&&c| c == '`').count();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let n = run_at(i);
        let mut j = i + n;
        let mut close = None;
        while j < chars.len() {
            if chars[j] == '`' {
                let m = run_at(j);
                if m == n {
                    close = Some(j + m);
                    break;
                }
                j += m;
            } else {
                j += 1;
            }
        }
        match close {
            Some(end) => i = end,
            None => {
                out.extend(&chars[i..i + n]);
                i += n;
            }
        }
    }
    out
}

/// The targets of the inline links and images of a line, outside `code spans`.
fn link_targets(line: &str) -> Vec<String> {
    let prose = without_code_spans(line);
    let mut out = Vec::new();
    let mut rest = prose.as_str();
    while let Some(k) = rest.find("](") {
        let after = &rest[k + 2..];
        let end = after.find(')').unwrap_or(after.len());
        let target = after[..end].trim();
        // An optional title: [text](target "title").
        let target = target.split_whitespace().next().unwrap_or("");
        let target = target.trim_start_matches('<').trim_end_matches('>');
        out.push(target.to_string());
        rest = &after[end.min(after.len())..];
    }
    // Reference definitions: [label]: target
    let t = prose.trim_start();
    if t.starts_with('[')
        && let Some(k) = t.find("]: ")
    {
        out.push(
            t[k + 3..]
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_string(),
        );
    }
    out
}

#[test]
fn every_relative_link_in_the_docs_resolves() {
    let mut bad = Vec::new();
    let mut checked = 0;
    for file in markdown_files() {
        let path = repo().join(&file);
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in prose_lines(&text) {
            for target in link_targets(line) {
                if target.is_empty()
                    || target.starts_with("http://")
                    || target.starts_with("https://")
                    || target.starts_with("mailto:")
                {
                    continue;
                }
                checked += 1;
                let (file_part, fragment) = match target.split_once('#') {
                    Some((f, a)) => (f, Some(a)),
                    None => (target.as_str(), None),
                };
                let resolved = if file_part.is_empty() {
                    path.clone()
                } else {
                    path.parent().unwrap().join(file_part.replace("%20", " "))
                };
                if !resolved.exists() {
                    bad.push(format!(
                        "{file}:{n}: link `{target}`: {} does not exist",
                        resolved.strip_prefix(repo()).unwrap_or(&resolved).display()
                    ));
                    continue;
                }
                if let Some(a) = fragment
                    && resolved.extension().is_some_and(|x| x == "md")
                {
                    let there = std::fs::read_to_string(&resolved).unwrap();
                    if !anchors(&there).contains(a) {
                        bad.push(format!(
                            "{file}:{n}: link `{target}`: no heading of {} has the anchor #{a}",
                            resolved.strip_prefix(repo()).unwrap_or(&resolved).display()
                        ));
                    }
                }
            }
        }
    }
    assert!(bad.is_empty(), "broken links:\n{}", bad.join("\n"));
    assert!(checked >= 10, "found only {checked} relative links");
}

#[test]
fn helpers_parse_as_documented() {
    assert_eq!(
        anchor("`attain goal`: what it takes, both ways"),
        "attain-goal-what-it-takes-both-ways"
    );
    assert_eq!(anchor("On track, year by year"), "on-track-year-by-year");
    assert_eq!(
        anchor("See [method](method.md) (P(met))"),
        "see-method-pmet"
    );
    assert_eq!(
        words("run a.toml --fix 'spread=1' --name \"two words\""),
        ["run", "a.toml", "--fix", "spread=1", "--name", "two words"]
    );
    let tmp = Path::new("/tmp/x");
    let w = |s: &str| words(s);
    assert_eq!(
        arguments(&w("run s.toml --runs 5"), tmp),
        [
            "run",
            "s.toml",
            "--runs",
            "5",
            "--out",
            "/tmp/x/out",
            "--quiet"
        ]
    );
    assert_eq!(
        arguments(&w("init p.toml --out mine.toml"), tmp),
        ["init", "p.toml", "--out", "/tmp/x/mine.toml", "--quiet"]
    );
    assert_eq!(arguments(&w("check a.toml"), tmp), ["check", "a.toml"]);
    assert_eq!(expected_exit("text exit=2"), 2);
    assert_eq!(expected_exit("text"), 0);
    let text = "a\n```text\n$ attain check x\nold\nlines\n```\nb\n";
    let b = blocks(text);
    assert_eq!(b.len(), 1);
    assert_eq!(shown_output(&b[0]), "old\nlines\n");
    let new = blessed(
        text,
        &[Ran {
            fence_line: 1,
            actual: "new\n".into(),
        }],
    );
    assert_eq!(new, "a\n```text\n$ attain check x\nnew\n```\nb\n");
    assert_eq!(
        link_targets("see [a](docs/a.md#x) and `[b](nope)` and ![c](<img.png> \"t\")"),
        ["docs/a.md#x", "img.png"]
    );
    assert_eq!(
        without_code_spans("a ```` ```x ```` b `c` d ``e` f"),
        "a  b  d ``e` f"
    );
}

/// docs/backtests.md, which the script writes, still shows what the backtests print: each review
/// plan's backtest section is the output of its command now (the calibration block, which takes
/// minutes, is checked through the calibration files the drafts are built from: see
/// `shipped_drafts_are_what_init_writes_now` in tests/init.rs).
#[test]
fn backtests_md_shows_what_the_backtests_print_now() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join(GENERATED)).unwrap();
    let out = tempfile::tempdir().unwrap();
    let mut stale = Vec::new();
    for s in [
        "zhumadian-13fyp-baseline",
        "zhanhe-13fyp-baseline",
        "zhumadian-13fyp-backtest",
        "zhanhe-13fyp-backtest",
    ] {
        let scenario = format!("scenarios/{s}.toml");
        assert!(
            doc.contains(&format!("`attain backtest {scenario}`")),
            "{GENERATED} shows the backtest of {scenario}"
        );
        let o = Command::new(env!("CARGO_BIN_EXE_attain"))
            .args(["backtest", &scenario, "--quiet", "--format", "md", "--out"])
            .arg(out.path().join(s))
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let md: String = String::from_utf8(o.stdout)
            .unwrap()
            .lines()
            .map(|l| match l.strip_prefix("## ") {
                Some(rest) => format!("### {rest}\n"),
                None => format!("{l}\n"),
            })
            .collect();
        if !doc.contains(&md) {
            stale.push(scenario);
        }
    }
    assert!(
        stale.is_empty(),
        "{GENERATED} is stale for {stale:?}: run scripts/regenerate-scenarios.sh and review the diff"
    );
}
