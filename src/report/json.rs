//! `results.json`: the complete results, pretty-printed, byte-identical for equal inputs and seed.
//! Also `backtest.json` and `nowcast.json`, through [`to_json`].

use serde::Serialize;

/// The one JSON writer: any result (results.json, backtest, nowcast, the analyses, calibration)
/// pretty-printed with a final newline.
pub fn to_json<T: Serialize>(value: &T) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
