#!/usr/bin/env python3
"""Regenerates assets/fonts/AttainSansSC-subset.otf, the CJK font attain embeds.

Source: Noto Sans CJK SC Regular (face 2 of NotoSansCJK-Regular.ttc) from Debian's package
`fonts-noto-cjk` (bookworm: 1:20220127+repack1-1, font version 2.004), SIL Open Font License 1.1.

Characters kept (every one a "wide" character: East Asian Width W or F, so it needs a CJK font):
  * level 1 of the Table of General Standard Chinese Characters (通用规范汉字表, 2013; the 3,500
    common characters), read from the Unicode Character Database's Unihan field kTGH
    (positions 1-3500), as shipped by Debian's package `unicode-data`;
  * every wide character in the repository's plans, scenarios, fixtures and source
    (seeds/*.toml, scenarios/**/*.toml, tests/fixtures/**/*.toml, src/**/*.rs) and in the plan
    source documents in ../shared/seeds (when present);
  * CJK symbols and punctuation (U+3000-303F) and the fullwidth forms (U+FF01-FF60, U+FFE0-FFE6).
Latin text is drawn by DejaVu Sans (PNG) or the viewer's fonts (HTML, SVG), so no Latin glyph is
kept. Layout tables (GSUB, GPOS) and hinting are dropped; the family is renamed "Attain Sans SC"
(a modified version must not present itself under the original font name; the copyright and
licence name records are kept).

Usage (needs fontTools from PyPI: pip install fonttools):
    scripts/subset-cjk-font.py            # fetches the two Debian packages with apt-get download
    scripts/subset-cjk-font.py --ttc PATH --unihan PATH/Unihan_OtherMappings.txt(.bz2)
Writes assets/fonts/AttainSansSC-subset.otf and assets/fonts/AttainSansSC-chars.txt (the kept
characters, for review) and prints the sizes.
"""

import argparse
import bz2
import glob
import os
import subprocess
import sys
import tempfile
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_FONT = os.path.join(ROOT, "assets/fonts/AttainSansSC-subset.otf")
OUT_CHARS = os.path.join(ROOT, "assets/fonts/AttainSansSC-chars.txt")
FAMILY = "Attain Sans SC"
SC_FACE = 2  # NotoSansCJK-Regular.ttc: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK, 5-9 Mono


def wide(c):
    return unicodedata.east_asian_width(c) in ("W", "F")


def fetch_debian(tmp):
    """apt-get download + dpkg-deb -x of fonts-noto-cjk and unicode-data into tmp."""
    for pkg in ("fonts-noto-cjk", "unicode-data"):
        subprocess.run(["apt-get", "download", pkg], cwd=tmp, check=True)
    for deb in glob.glob(os.path.join(tmp, "*.deb")):
        subprocess.run(["dpkg-deb", "-x", deb, os.path.join(tmp, "x")], check=True)
    ttc = os.path.join(tmp, "x/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    unihan = os.path.join(tmp, "x/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
    return ttc, unihan


def level1(unihan):
    opener = bz2.open if unihan.endswith(".bz2") else open
    out = set()
    with opener(unihan, "rt", encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 3 and parts[1] == "kTGH":
                for entry in parts[2].split():
                    year, pos = entry.split(":")
                    if year == "2013" and 1 <= int(pos) <= 3500:
                        out.add(chr(int(parts[0][2:], 16)))
    if len(out) < 3500:
        sys.exit(f"only {len(out)} level-1 characters found in {unihan}")
    return out


def repository_chars():
    out = set()
    pats = ["seeds/*.toml", "scenarios/**/*.toml", "tests/fixtures/**/*.toml", "src/**/*.rs"]
    files = [f for p in pats for f in glob.glob(os.path.join(ROOT, p), recursive=True)]
    files += glob.glob(os.path.join(ROOT, "../shared/seeds/*.txt"))
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            out.update(c for c in f.read() if wide(c))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ttc", help="NotoSansCJK-Regular.ttc")
    ap.add_argument("--unihan", help="Unihan_OtherMappings.txt or .txt.bz2")
    a = ap.parse_args()
    from fontTools import subset
    from fontTools.ttLib import TTFont

    with tempfile.TemporaryDirectory() as tmp:
        ttc, unihan = a.ttc, a.unihan
        if not (ttc and unihan):
            ttc, unihan = fetch_debian(tmp)
        chars = level1(unihan) | repository_chars()
        chars |= {chr(u) for u in range(0x3000, 0x3040)}
        chars |= {chr(u) for u in range(0xFF01, 0xFF61)}
        chars |= {chr(u) for u in range(0xFFE0, 0xFFE7)}
        chars = {c for c in chars if wide(c)}

        font = TTFont(ttc, fontNumber=SC_FACE, lazy=False)
        cmap = font.getBestCmap()
        missing = sorted(c for c in chars if ord(c) not in cmap)
        if missing:
            print(f"not in the source font (left out): {''.join(missing)}", file=sys.stderr)
        chars = sorted(c for c in chars if ord(c) in cmap)

        opts = subset.Options()
        opts.layout_features = []
        opts.hinting = False
        opts.notdef_outline = True
        opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14, 16, 17]
        opts.name_languages = [0x409]
        opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
        sub = subset.Subsetter(opts)
        sub.populate(unicodes=[ord(c) for c in chars])
        sub.subset(font)

        name = font["name"]
        for rec in list(name.names):
            if rec.nameID in (1, 16):
                rec.string = FAMILY
            elif rec.nameID in (2, 17):
                rec.string = "Regular"
            elif rec.nameID == 4:
                rec.string = FAMILY
            elif rec.nameID == 6:
                rec.string = FAMILY.replace(" ", "") + "-Regular"
            elif rec.nameID == 3:
                rec.string = f"{FAMILY} (subset of Noto Sans CJK SC 2.004 for attain)"
        # The CFF table names the font too.
        cff = font["CFF "].cff
        cff.fontNames = [FAMILY.replace(" ", "") + "-Regular"]
        top = cff.topDictIndex[0]
        for key in ("FullName", "FamilyName"):
            if hasattr(top, key):
                setattr(top, key, FAMILY)
        font.save(OUT_FONT)

    with open(OUT_CHARS, "w", encoding="utf-8") as f:
        f.write("# Characters of AttainSansSC-subset.otf (scripts/subset-cjk-font.py), 80 a line\n")
        for i in range(0, len(chars), 80):
            f.write("".join(chars[i : i + 80]) + "\n")
    print(f"{len(chars)} characters, {os.path.getsize(OUT_FONT)} bytes: {OUT_FONT}")


if __name__ == "__main__":
    main()
