//! `results.json`: the complete results, pretty-printed, byte-identical for equal inputs and seed.
//! Also `backtest.json` and `nowcast.json`, through [`to_json`].

use crate::results::Results;
use serde::Serialize;

pub fn render(results: &Results) -> String {
    let mut s =
        serde_json::to_string_pretty(results).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// Any typed report (backtest, nowcast) as pretty-printed JSON with a final newline.
pub fn to_json<T: Serialize>(value: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
