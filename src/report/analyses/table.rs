//! The terminal rendering of an analysis [`Doc`]: aligned columns, as `attain run` prints.

use super::Doc;
use crate::report::table::columns;
use std::fmt::Write;

pub fn render(d: &Doc) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", d.title);
    for l in &d.intro {
        let _ = writeln!(out, "{l}");
    }
    for s in &d.sections {
        out.push('\n');
        if !s.heading.is_empty() {
            let _ = writeln!(out, "{}", s.heading);
        }
        if s.rows.is_empty() {
            let _ = writeln!(out, "(nothing to show)");
        } else {
            let header: Vec<&str> = s.header.iter().map(String::as_str).collect();
            out.push_str(&columns(&header, &s.rows));
        }
        for n in &s.notes {
            let _ = writeln!(out, "  {n}");
        }
    }
    if !d.notes.is_empty() {
        out.push('\n');
    }
    for n in &d.notes {
        let _ = writeln!(out, "{n}");
    }
    out
}
