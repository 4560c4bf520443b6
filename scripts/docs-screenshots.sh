#!/usr/bin/env bash
# Refreshes the screenshots in docs/ from the Zhumadian 14th-FYP scenarios (issue 15, item 7):
#   * docs/zhumadian-attainment.{svg,png}, docs/zhumadian-fan-gdp.png — charts of the baseline run;
#   * docs/zhumadian-report.png — the top of report.html in a 1400 × 2000 px window;
#   * docs/zhumadian-compare.png — the top of compare.html (baseline, pessimistic, optimistic);
#   * docs/zhumadian-compare-fan-gdp.png — one overlaid fan chart of the comparison.
# Needs Debian's `chromium` (or CHROMIUM=…). Chinese text renders with the fonts the page carries
# or the system has.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
A=target/release/attain
CHROMIUM=${CHROMIUM:-chromium}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-0}
$A run scenarios/zhumadian-baseline.toml --runs 20000 --quiet --out "$tmp/run" >/dev/null
$A compare scenarios/zhumadian-baseline.toml scenarios/zhumadian-pessimistic.toml \
  scenarios/zhumadian-optimistic.toml --runs 20000 --quiet --out "$tmp/cmp" >/dev/null
cp "$tmp/run/attainment.svg" docs/zhumadian-attainment.svg
cp "$tmp/run/attainment.png" docs/zhumadian-attainment.png
cp "$tmp/run/fan-gdp.png" docs/zhumadian-fan-gdp.png
cp "$tmp/cmp/compare-fan-gdp.png" docs/zhumadian-compare-fan-gdp.png
shot() {
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,2000 \
    --user-data-dir="$tmp/profile" --screenshot="$2" "file://$1" >/dev/null 2>&1
}
shot "$tmp/run/report.html" docs/zhumadian-report.png
shot "$tmp/cmp/compare.html" docs/zhumadian-compare.png
echo "refreshed: docs/zhumadian-{attainment.svg,attainment.png,fan-gdp.png,compare-fan-gdp.png,report.png,compare.png}"
