//! JSON renderings of the analyses' values: complete, pretty-printed, and byte-identical for equal
//! inputs, seed and runs (no timings, dates or thread counts).

use serde::Serialize;

pub fn render<T: Serialize>(value: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
