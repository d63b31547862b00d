"""Regenerate data/states.csv from ISO 3166-1 (pycountry) for every code in memberships.csv.

Names come from pycountry's ISO 3166-1 data (English: ``common_name`` when ISO
gives one, else ``name``) and its Debian iso-codes translations (``ru`` and
``zh_CN``). Re-running gives the same bytes for the same pycountry version.

Usage: python scripts/build_states.py
"""

from __future__ import annotations

import csv
import gettext
from pathlib import Path

import pycountry

DATA = Path(__file__).resolve().parents[1] / "data"
SOURCE_ID = "pycountry_26_2_16"


def main() -> None:
    with open(DATA / "memberships.csv", encoding="utf-8") as f:
        codes = sorted({row["iso3"] for row in csv.DictReader(f)})
    ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    with open(DATA / "states.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["iso3", "iso_numeric", "name_en", "name_ru", "name_zh", "source_id"])
        for code in codes:
            country = pycountry.countries.get(alpha_3=code)
            name_en = getattr(country, "common_name", None) or country.name
            writer.writerow([code, country.numeric, name_en, ru.gettext(country.name), zh.gettext(country.name), SOURCE_ID])


if __name__ == "__main__":
    main()
