//! `results.json`: the complete results, pretty-printed, byte-identical for equal inputs and seed.

use crate::results::Results;

pub fn render(results: &Results) -> String {
    let mut s =
        serde_json::to_string_pretty(results).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
