//! The Markdown rendering of an analysis [`Doc`], for pasting into documents and issues.

use super::Doc;
use std::fmt::Write;

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

pub fn render(d: &Doc) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", cell(&d.title));
    for l in &d.intro {
        let _ = writeln!(out, "{}  ", cell(l));
    }
    for s in &d.sections {
        out.push('\n');
        if !s.heading.is_empty() {
            let _ = writeln!(out, "### {}\n", cell(&s.heading));
        }
        if !s.rows.is_empty() {
            let h: Vec<String> = s.header.iter().map(|x| cell(x)).collect();
            let _ = writeln!(out, "| {} |", h.join(" | "));
            let _ = writeln!(out, "|{}", "---|".repeat(h.len()));
            for r in &s.rows {
                let r: Vec<String> = r.iter().map(|x| cell(x)).collect();
                let _ = writeln!(out, "| {} |", r.join(" | "));
            }
        }
        for n in &s.notes {
            let _ = writeln!(out, "\n{}", cell(n));
        }
    }
    for n in &d.notes {
        let _ = writeln!(out, "\n{}", cell(n));
    }
    out
}
