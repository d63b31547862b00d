"""Rebuild ``data/trade/bilateral_goods_trade.csv`` from the IMF DOTS workbooks and the hand-entered customs rows.

Inputs (read-only, never committed):

* ``../shared/raw/imf_dots_2022/DOTS_<n>.xlsx`` — IMF Direction of Trade
  Statistics, one workbook per reporter, sheets "Exports, FOB" and
  "Imports, CIF", US$ millions, a trailing " e" marking an IMF estimate
  (``PROVENANCE.md`` in that folder maps files to reporters);
* ``data/trade/customs_rows.csv`` — committed, hand-entered rows from national
  customs releases (2021 onwards), each with its own ``source_id``.

Output: one row per (reporter, partner, flow, year) with a value, for every
state that ever held an SCO status as reporter, every such state plus the
World (``WLD``) as partner, 2001-2020 from DOTS plus the customs rows. Values
are whole US dollars (millions x 10^6, computed in decimal arithmetic so that
no float rounding creeps in). Rows are sorted, so a re-run gives the same bytes.

Usage: python scripts/build_trade.py [--raw ../shared/raw/imf_dots_2022]
(needs the ``dev`` extra for openpyxl).
"""

from __future__ import annotations

import argparse
import csv
import re
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
RAW_DEFAULT = PROJECT.parent / "shared" / "raw" / "imf_dots_2022"
TRADE_DIR = PROJECT / "data" / "trade"
OUTPUT = TRADE_DIR / "bilateral_goods_trade.csv"
CUSTOMS = TRADE_DIR / "customs_rows.csv"
DOTS_SOURCE_ID = "imf_dots_2022"
YEARS = range(2001, 2021)
COLUMNS = ["reporter_iso3", "partner_iso3", "flow", "year", "value_usd", "valuation", "is_estimate", "source_id",
           "note"]
SHEETS = {"Exports, FOB": ("export", "FOB"), "Imports, CIF": ("import", "CIF")}

#: IMF DOTS economy names -> ISO 3166-1 alpha-3, for every state in data/states.csv plus the World.
IMF_NAMES = {
    "Afghanistan, Islamic Rep. of": "AFG", "United Arab Emirates": "ARE", "Armenia, Rep. of": "ARM",
    "Azerbaijan, Rep. of": "AZE", "Bahrain, Kingdom of": "BHR", "Belarus, Rep. of": "BLR",
    "China, P.R.: Mainland": "CHN", "Egypt, Arab Rep. of": "EGY", "India": "IND", "Iran, Islamic Rep. of": "IRN",
    "Kazakhstan, Rep. of": "KAZ", "Kyrgyz Rep.": "KGZ", "Cambodia": "KHM", "Kuwait": "KWT",
    "Lao People's Dem. Rep.": "LAO", "Sri Lanka": "LKA", "Maldives": "MDV", "Myanmar": "MMR", "Mongolia": "MNG",
    "Nepal": "NPL", "Pakistan": "PAK", "Qatar": "QAT", "Russian Federation": "RUS", "Saudi Arabia": "SAU",
    "Tajikistan, Rep. of": "TJK", "Turkey": "TUR", "Uzbekistan, Rep. of": "UZB", "World": "WLD",
}

#: Known breaks, written into the ``note`` of the rows concerned.
NOTES = {
    ("KAZ", "RUS", 2010): "Break in Kazakhstan-reported trade with Russia: Customs Union of Belarus, Kazakhstan and "
                          "Russia from July 2010 (mutual trade no longer recorded by customs).",
}
_CELL = re.compile(r"^\s*(-?[\d,]*\.?\d+)\s*(e?)\s*$")


def reporter_files(raw: Path) -> dict[str, Path]:
    """ISO3 -> workbook, read from PROVENANCE.md ("- DOTS_<n>.xlsx: <IMF name>")."""
    mapping = {}
    for line in (raw / "PROVENANCE.md").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^- (DOTS_\d+\.xlsx): (.+)$", line.strip())
        if match and match.group(2) in IMF_NAMES and IMF_NAMES[match.group(2)] != "WLD":
            mapping[IMF_NAMES[match.group(2)]] = raw / match.group(1)
    missing = sorted(set(IMF_NAMES.values()) - {"WLD"} - set(mapping))
    if missing:
        raise SystemExit(f"no DOTS workbook for {missing} in {raw / 'PROVENANCE.md'}")
    return mapping


def parse_cell(value) -> tuple[int, bool] | None:
    """A DOTS cell -> (whole US$, is_estimate), or None when empty.

    Cells are floats (US$ millions) or strings such as ``"1,191.26"`` or ``"0.88 e"``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)):
        millions, estimate = Decimal(repr(value)), False
    else:
        match = _CELL.match(value)
        if not match:
            raise ValueError(f"unreadable DOTS cell {value!r}")
        millions, estimate = Decimal(match.group(1).replace(",", "")), bool(match.group(2))
    # DOTS stores millions with up to 6 decimals (whole dollars); float noise sits beyond that.
    return int((millions * 1_000_000).quantize(Decimal(1))), estimate


def read_workbook(reporter: str, path: Path) -> list[dict]:
    import openpyxl

    rows = []
    book = openpyxl.load_workbook(path, read_only=True)
    for sheet in book.worksheets:
        prefix = next((name for name in SHEETS if sheet.title.startswith(name)), None)
        if prefix is None:
            continue
        flow, valuation = SHEETS[prefix]
        header, seen = None, set()
        for line in sheet.iter_rows(values_only=True):
            if header is None:
                if any(str(c).strip() == "2020" for c in line if c is not None):
                    header = [str(c).strip() if c is not None else None for c in line]
                continue
            partner = IMF_NAMES.get(str(line[1]).strip()) if line[1] else None
            if partner is None or partner == reporter:
                continue
            if partner in seen:
                raise SystemExit(f"{path.name} {sheet.title}: partner {partner} appears twice")
            seen.add(partner)
            for year in YEARS:
                parsed = parse_cell(line[header.index(str(year))])
                if parsed is None:
                    continue
                value, estimate = parsed
                rows.append({"reporter_iso3": reporter, "partner_iso3": partner, "flow": flow, "year": year,
                             "value_usd": value, "valuation": valuation, "is_estimate": estimate,
                             "source_id": DOTS_SOURCE_ID, "note": NOTES.get((reporter, partner, year), "")})
    book.close()
    return rows


def read_customs() -> list[dict]:
    with CUSTOMS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["year"], row["value_usd"] = int(row["year"]), int(row["value_usd"])
        row["is_estimate"] = row["is_estimate"] == "true"
    return [{k: row[k] for k in COLUMNS} for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=RAW_DEFAULT, help="folder of the DOTS workbooks")
    args = parser.parse_args()
    rows = []
    for reporter, path in sorted(reporter_files(args.raw).items()):
        rows += read_workbook(reporter, path)
    rows += read_customs()
    keys = [(r["reporter_iso3"], r["partner_iso3"], r["flow"], r["year"]) for r in rows]
    if len(keys) != len(set(keys)):
        raise SystemExit("duplicate (reporter, partner, flow, year) rows: customs rows overlap DOTS years?")
    rows.sort(key=lambda r: (r["reporter_iso3"], r["partner_iso3"], r["flow"], r["year"]))
    tmp = OUTPUT.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "is_estimate": "true" if row["is_estimate"] else "false"})
    tmp.replace(OUTPUT)
    print(f"{OUTPUT.relative_to(PROJECT)}: {len(rows)} rows")


if __name__ == "__main__":
    main()
