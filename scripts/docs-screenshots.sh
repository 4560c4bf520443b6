#!/usr/bin/env bash
# Regenerates the report screenshots in docs/ from the Zhumadian baseline, as a machine with no CJK
# font shows them: headless Chromium (Debian's `chromium`) with a fontconfig that knows only
# attain's DejaVu Sans subset, so every Chinese character on them comes from the font report.html
# embeds (see assets/fonts/README.md).
#
#   scripts/docs-screenshots.sh   # writes docs/zhumadian-report.png, docs/zhumadian-report-attainment.png
set -euo pipefail
cd "$(dirname "$0")/.."
chromium=${ATTAIN_CHROMIUM:-chromium}
command -v "$chromium" >/dev/null || { echo "no $chromium on PATH (apt-get install chromium)" >&2; exit 1; }
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SOURCE_DATE_EPOCH=0 target/release/attain run scenarios/zhumadian-baseline.toml --out "$tmp/out" --quiet >/dev/null
mkdir -p "$tmp/fonts"
cp assets/fonts/DejaVuSans-subset.ttf "$tmp/fonts/"
cat >"$tmp/fonts.conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$tmp/fonts</dir><cachedir>$tmp/cache</cachedir></fontconfig>
CONF
shot() { # page, file
  local profile
  profile=$(mktemp -d -p "$tmp")
  FONTCONFIG_FILE="$tmp/fonts.conf" "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --force-device-scale-factor=1 --user-data-dir="$profile" \
    --window-size=1400,900 --screenshot="$2" "file://$1" 2>/dev/null
  echo "wrote $2"
}
shot "$tmp/out/report.html" docs/zhumadian-report.png
# The attainment chart (inline SVG) under the page's title: a copy of the page with the rest hidden.
sed 's|</head>|<style>body > :not(h1):not(.sub):not(#attainment) { display: none; }</style></head>|' \
  "$tmp/out/report.html" >"$tmp/out/attainment.html"
shot "$tmp/out/attainment.html" docs/zhumadian-report-attainment.png
