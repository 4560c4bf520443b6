#!/usr/bin/env bash
# Refreshes the screenshots in docs/ from the Zhumadian 14th-FYP scenarios, as a machine with no CJK
# font shows them: headless Chromium (Debian's `chromium`, or CHROMIUM=…) with a fontconfig that
# knows only attain's DejaVu Sans subset, so every Chinese character on them comes from the font the
# pages embed (see assets/fonts/README.md). Writes:
#   * docs/zhumadian-attainment.{svg,png}, docs/zhumadian-fan-gdp.png — charts of the baseline run;
#   * docs/zhumadian-report.png — the top of report.html in a 1400 × 2000 px window;
#   * docs/zhumadian-report-attainment.png — the attainment chart under the page's title;
#   * docs/zhumadian-compare.png — the top of compare.html (baseline, pessimistic, optimistic);
#   * docs/zhumadian-compare-fan-gdp.png — one overlaid fan chart of the comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
CHROMIUM=${CHROMIUM:-${ATTAIN_CHROMIUM:-chromium}}
command -v "$CHROMIUM" >/dev/null || { echo "no $CHROMIUM on PATH (apt-get install chromium)" >&2; exit 1; }
cargo build --release --quiet
A=target/release/attain
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
mkdir -p "$tmp/fonts"
cp assets/fonts/DejaVuSans-subset.ttf "$tmp/fonts/"
cat >"$tmp/fonts.conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$tmp/fonts</dir><cachedir>$tmp/cache</cachedir></fontconfig>
CONF
shot() { # page, file, height
  local profile
  profile=$(mktemp -d -p "$tmp")
  FONTCONFIG_FILE="$tmp/fonts.conf" "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --force-device-scale-factor=1 --user-data-dir="$profile" \
    --window-size="1400,$3" --screenshot="$2" "file://$1" >/dev/null 2>&1
  echo "wrote $2"
}
shot "$tmp/run/report.html" docs/zhumadian-report.png 2000
# The attainment chart (inline SVG) under the page's title: a copy of the page with the rest hidden.
sed 's|</head>|<style>body > :not(h1):not(.sub):not(#attainment) { display: none; }</style></head>|' \
  "$tmp/run/report.html" >"$tmp/run/attainment.html"
shot "$tmp/run/attainment.html" docs/zhumadian-report-attainment.png 900
shot "$tmp/cmp/compare.html" docs/zhumadian-compare.png 2000
