"""Column rules and domain rules for the curated tables.

:func:`validate_tables` raises :class:`~sco_research.errors.DataValidationError`
for the first problem it finds, naming file, line (header = line 1), column and
what is wrong. Column rules are declared once in :mod:`sco_research.rules`: a
cheap pandas check runs on every load, and the pandera schemas built from the
same rules (:mod:`sco_research.schemas`) report the details of a failure.
Rules that span rows or tables (overlapping spells, chairs who are not
members, dangling ``source_id``) are plain pandas below.
"""

from __future__ import annotations

import pandas as pd

from .datasets import TABLES
from .errors import DataValidationError
from .rules import PRECISIONS, violated

__all__ = ["validate_tables"]


def _fail(table: str, index, column: str | None, problem: str):
    line = int(index) + 2 if index is not None else None
    raise DataValidationError(TABLES[table].file, line, column, problem)


def _check_schema(name: str, frame: pd.DataFrame) -> None:
    # The cheap check first; pandera (imported only here) reports the details when something is wrong.
    if not violated(name, frame):
        return
    import pandera.pandas as pa

    from .schemas import SCHEMAS

    try:
        SCHEMAS[name].validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        case = exc.failure_cases.iloc[0]
        index = case["index"] if pd.notna(case["index"]) else None
        column = case["column"] if isinstance(case["column"], str) else None
        check = str(case["check"])
        problem = f"value {case['failure_case']!r} {check}" if index is not None else check
        _fail(name, index, column, problem)
    # Reaching this line means the two readings of COLUMN_RULES disagree: a bug in rules.py or schemas.py.
    raise RuntimeError(f"{TABLES[name].file}: the fast column check failed but the pandera schema passed")


def _check_duplicates(name: str, frame: pd.DataFrame, key: list[str]) -> None:
    dup = frame.duplicated(subset=key, keep="first")
    if dup.any():
        i = dup.idxmax()
        values = ", ".join(f"{k}={frame.at[i, k]!r}" for k in key)
        _fail(name, i, key[0], f"duplicate row ({values})")


def _check_sources_resolve(tables: dict[str, pd.DataFrame]) -> None:
    known = set(tables["sources"]["source_id"])
    for name, frame in tables.items():
        for col in ("source_id", "documents_source_id", "coordinates_source_id"):
            if col not in frame or name == "sources":
                continue
            values = frame[col].fillna("")
            bad = (values != "") & ~values.isin(known)
            if bad.any():
                i = bad.idxmax()
                _fail(name, i, col, f"source_id {values[i]!r} is not in sources.csv")


def _check_codes(tables: dict[str, pd.DataFrame]) -> None:
    import pycountry

    states = tables["states"]
    for i, row in states.iterrows():
        country = pycountry.countries.get(alpha_3=row["iso3"])
        if country is None:
            _fail("states", i, "iso3", f"{row['iso3']!r} is not an ISO 3166-1 alpha-3 code")
        if country.numeric != row["iso_numeric"]:
            _fail("states", i, "iso_numeric", f"{row['iso_numeric']!r} does not match ISO 3166-1 numeric {country.numeric!r} of {row['iso3']}")
    known = set(states["iso3"])
    for name, col in [("memberships", "iso3"), ("summits", "host_iso3"), ("chairmanships", "chair_iso3"),
                      ("secretaries_general", "nationality_iso3")]:
        frame = tables[name]
        bad = ~frame[col].isin(known)
        if bad.any():
            i = bad.idxmax()
            _fail(name, i, col, f"code {frame.at[i, col]!r} is not in states.csv (known: {', '.join(sorted(known))})")


def _check_spells(name: str, frame: pd.DataFrame, key: str, *, allow_equal: bool = False) -> None:
    """End after start, and no two spells of the same key overlap."""
    end = frame["end_date"]
    bad = end.notna() & ((end < frame["start_date"]) if allow_equal else (end <= frame["start_date"]))
    if bad.any():
        i = bad.idxmax()
        _fail(name, i, "end_date", f"end {end[i].date()} is not after start {frame.at[i, 'start_date'].date()}")
    for _, group in frame.sort_values("start_date").groupby(key, sort=False):
        ends = group["end_date"].fillna(pd.Timestamp.max.floor("D")).tolist()
        starts = group["start_date"].tolist()
        idx = group.index.tolist()
        for k in range(1, len(idx)):
            if starts[k] < ends[k - 1]:
                _fail(name, idx[k], "start_date",
                      f"spell of {group.at[idx[k], key]} starting {starts[k].date()} overlaps the spell on line {idx[k - 1] + 2} "
                      f"that ends {'never' if pd.isna(group.at[idx[k - 1], 'end_date']) else group.at[idx[k - 1], 'end_date'].date()}")


def _member_spells(memberships: pd.DataFrame) -> dict[str, list[tuple]]:
    """Member spells as plain (start, end) tuples per state: built once, looked up per row."""
    members = memberships[memberships["status"] == "member"]
    spells: dict[str, list[tuple]] = {}
    for iso3, start, end in zip(members["iso3"], members["start_date"], members["end_date"]):
        spells.setdefault(iso3, []).append((start, end))
    return spells


def _member_covers(spells_by_state: dict[str, list[tuple]], iso3: str, start: pd.Timestamp,
                   end: pd.Timestamp | None) -> bool:
    """True when one member spell of ``iso3`` covers ``[start, end)``.

    ``end=None`` checks the single day ``start``; ``end=NaT`` means "ongoing".
    """
    for s, e in spells_by_state.get(iso3, ()):
        if s > start:
            continue
        if pd.isna(e):
            return True
        if end is None:
            if e > start:
                return True
        elif not pd.isna(end) and e >= end:
            return True
    return False


def _check_memberships(tables: dict[str, pd.DataFrame]) -> None:
    m = tables["memberships"]
    _check_duplicates("memberships", m, ["iso3", "status", "start_date"])
    # One state holds one status at a time, so any overlap (member and partner
    # included) is an overlap of spells of the same state.
    _check_spells("memberships", m, "iso3")
    bad = m["alt_date"].notna() & (m["alt_date"] < m["start_date"])
    if bad.any():
        i = bad.idxmax()
        _fail("memberships", i, "alt_date", "alternative date is before the decision date in start_date")
    without = set(tables["states"]["iso3"]) - set(m["iso3"])
    if without:
        i = tables["states"].index[tables["states"]["iso3"].isin(without)][0]
        _fail("states", i, "iso3", f"{tables['states'].at[i, 'iso3']} has no spell in memberships.csv")


def _check_summits(tables: dict[str, pd.DataFrame]) -> None:
    s, members = tables["summits"], _member_spells(tables["memberships"])
    cities = tables["cities"].set_index("geonames_id")["name_en"]
    for i, geonames_id, city in zip(s.index, s["geonames_id"], s["city"]):
        if geonames_id not in cities.index:
            _fail("summits", i, "geonames_id", f"GeoNames id {geonames_id} of {city} is not in cities.csv")
        if cities[geonames_id] != city:
            _fail("summits", i, "city", f"{city!r} but cities.csv names GeoNames id {geonames_id} {cities[geonames_id]!r}")
    _check_duplicates("summits", s, ["number"])
    bad = s["end_date"] < s["start_date"]
    if bad.any():
        i = bad.idxmax()
        _fail("summits", i, "end_date", "end is before start")
    order = s.sort_values("start_date")["number"].tolist()
    if order != list(range(1, len(s) + 1)):
        _fail("summits", None, "number", f"numbers must run 1..{len(s)} in date order, found {order}")
    for i, host, start, end in zip(s.index, s["host_iso3"], s["start_date"], s["end_date"]):
        if not _member_covers(members, host, start, end + pd.Timedelta(days=1)):
            _fail("summits", i, "host_iso3", f"host {host} is not a member on {start.date()}")


def _check_chairmanships(tables: dict[str, pd.DataFrame]) -> None:
    c, members = tables["chairmanships"], _member_spells(tables["memberships"])
    _check_duplicates("chairmanships", c, ["start_date"])
    _check_spells("chairmanships", c.assign(_all="all"), "_all")
    for i, chair, start, end in zip(c.index, c["chair_iso3"], c["start_date"], c["end_date"]):
        if not _member_covers(members, chair, start, end):
            _fail("chairmanships", i, "chair_iso3",
                  f"chair {chair} is not a member throughout {start.date()} – "
                  f"{'ongoing' if pd.isna(end) else end.date()}")
    summits = set(tables["summits"]["number"].dropna().astype(int))
    bad = ~c["start_summit"].isin(summits)
    if bad.any():
        i = bad.idxmax()
        _fail("chairmanships", i, "start_summit", f"summit number {c.at[i, 'start_summit']} is not in summits.csv")


def _check_secretaries(tables: dict[str, pd.DataFrame]) -> None:
    g, members = tables["secretaries_general"], _member_spells(tables["memberships"])
    _check_duplicates("secretaries_general", g, ["name", "start_date"])
    _check_spells("secretaries_general", g.assign(_all="all"), "_all", allow_equal=True)
    bad = g["end_date"].notna() & ~g["end_precision"].isin(PRECISIONS)
    if bad.any():
        i = bad.idxmax()
        _fail("secretaries_general", i, "end_precision", "must be 'day' or 'year' when end_date is set")
    for i, nationality, start in zip(g.index, g["nationality_iso3"], g["start_date"]):
        if not _member_covers(members, nationality, start, None):
            _fail("secretaries_general", i, "nationality_iso3", f"{nationality} is not a member on {start.date()}")


def validate_tables(tables: dict[str, pd.DataFrame]) -> None:
    """Check every table against its schema and the cross-table rules.

    Raises
    ------
    DataValidationError
        For the first problem found.
    """
    for name, frame in tables.items():
        _check_schema(name, frame)
    _check_duplicates("sources", tables["sources"], ["source_id"])
    _check_duplicates("states", tables["states"], ["iso3"])
    _check_duplicates("states", tables["states"], ["iso_numeric"])
    _check_sources_resolve(tables)
    _check_codes(tables)
    _check_memberships(tables)
    _check_summits(tables)
    _check_chairmanships(tables)
    _check_secretaries(tables)
