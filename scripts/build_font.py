"""Build sco_research/fonts/NotoSansCJKsc-Regular-subset.otf: the glyphs the charts need, from Noto Sans CJK SC.

Source: Debian's ``fonts-noto-cjk`` package (Noto Sans CJK, SIL Open Font
License 1.1), fetched with ``apt-get download`` and checked against a pinned
sha256. The subset keeps Basic Latin, Latin-1, general punctuation, Cyrillic,
CJK punctuation, full-width forms, and every character of the state and city
names in ``data/`` and of the interface strings in
``sco_research/plotting/labels.py``. Re-run after adding names to the data.

Usage: python scripts/build_font.py [--deb fonts-noto-cjk_....deb]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import subprocess
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
OUTPUT = PROJECT / "sco_research" / "fonts" / "NotoSansCJKsc-Regular-subset.otf"
DEB_SHA256 = "4a2515eb6db3978b897fef9709ed0d2b1f4c6c4df4d83d6c4ef65f71f1b1f502"
TTC = "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SC_INDEX = 2  # the "Noto Sans CJK SC" face of the collection
RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x0400, 0x04FF), (0x3000, 0x303F), (0xFF00, 0xFFEF)]


def needed_text() -> str:
    import sys

    sys.path.insert(0, str(PROJECT))
    from sco_research.plotting.labels import UI

    text = "".join(value for strings in UI.values() for value in strings.values())
    for name, columns in (("states.csv", ("name_en", "name_ru", "name_zh")),
                          ("cities.csv", ("name_en", "name_ru", "name_zh")),
                          ("secretaries_general.csv", ("name", "name_ru", "name_zh"))):
        with open(PROJECT / "data" / name, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                text += "".join(row[c] for c in columns)
    return text


def main() -> None:
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deb", type=Path, help="a downloaded fonts-noto-cjk .deb")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        deb = args.deb
        if deb is None:
            subprocess.run(["apt-get", "download", "fonts-noto-cjk"], cwd=tmp, check=True, capture_output=True)
            deb = next(tmp.glob("fonts-noto-cjk_*.deb"))
        digest = hashlib.sha256(deb.read_bytes()).hexdigest()
        if digest != DEB_SHA256:
            raise SystemExit(f"{deb.name}: sha256 {digest} differs from the pinned {DEB_SHA256}")
        subprocess.run(["dpkg-deb", "-x", str(deb), str(tmp / "x")], check=True)
        font = TTCollection(str(tmp / "x" / TTC)).fonts[SC_INDEX]
        font.recalcTimestamp = False  # keep the source font's head.modified, so re-runs give the same bytes
        unicodes = {cp for lo, hi in RANGES for cp in range(lo, hi + 1)} | {ord(c) for c in needed_text()}
        options = subset.Options()
        options.name_IDs = ["*"]  # keep the names, including the licence (name ID 13/14)
        options.notdef_outline = True
        options.drop_tables += ["DSIG"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(unicodes))
        subsetter.subset(font)
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        font.save(str(OUTPUT))
        license_text = (tmp / "x" / "usr/share/doc/fonts-noto-cjk/copyright").read_text(encoding="utf-8")
    (OUTPUT.parent / "LICENSE-NotoSansCJK.txt").write_text(license_text, encoding="utf-8")
    print(f"{OUTPUT.relative_to(PROJECT)}: {OUTPUT.stat().st_size} bytes, sha256 {hashlib.sha256(OUTPUT.read_bytes()).hexdigest()}")


if __name__ == "__main__":
    main()
