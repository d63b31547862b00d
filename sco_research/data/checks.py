"""Rules that span rows or files: every one in this module, none anywhere else.

Each check is a function of the typed tables (``dict[str, DataFrame]``) and the
physical line of their rows; it raises
:class:`~sco_research.errors.DataValidationError` for the first row that breaks
its rule. :func:`check_all` runs every check whose tables passed their schema
and returns every problem found. Nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from ..errors import DataValidationError
from .schema import SOURCE_COLUMNS, TABLES
from .vocab import (
    DOTS_SOURCE_ID,
    FOUNDING_DATE,
    LAST_DOTS_YEAR,
    PRECISIONS,
    PRECURSOR_DATE_BASES,
    PRECURSOR_STATUS,
    VALUATIONS,
    WORLD,
)

__all__ = ["check_all", "CHECKS", "METRICS", "STATE_CODE_COLUMNS"]

#: Metrics a claim can name (``official:<aggregate_id>`` names a figure of official_aggregates.csv).
METRICS = ("member_count", "member_population", "member_population_share", "member_area_share_eurasia",
           "member_area_km2", "unavailable")
#: Years of the IMF DOTS rows: every state that held a status by their end reports in every one of them.
DOTS_YEARS = range(2001, LAST_DOTS_YEAR + 1)

#: Columns whose codes must be in states.csv: (table, column, whether ``WLD``, the world, is allowed too).
STATE_CODE_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("memberships", "iso3", False), ("summits", "host_iso3", False), ("chairmanships", "chair_iso3", False),
    ("secretaries_general", "nationality_iso3", False),
    ("trade", "reporter_iso3", False), ("trade", "partner_iso3", True),
    ("customs_rows", "reporter_iso3", False), ("customs_rows", "partner_iso3", True),
    ("national_trade", "reporter_iso3", False), ("national_trade", "partner_iso3", True),
    ("official_aggregates", "reporter_iso3", False),
)

Tables = dict[str, pd.DataFrame]
Lines = dict[str, np.ndarray]


class _Where:
    """Turns a row position of a table into its file and physical line."""

    def __init__(self, lines: Lines):
        self.lines = lines

    def fail(self, table: str, index, column: str | None, problem: str) -> DataValidationError:
        line = None if index is None else int(self.lines[table][int(index)])
        return DataValidationError(TABLES[table].file, line, column, problem)


def _first(mask) -> int:
    return int(np.flatnonzero(np.asarray(mask))[0])


def sources_resolve(t: Tables, w: _Where) -> None:
    """Every ``*source_id`` names a row of sources.csv."""
    known = set(t["sources"]["source_id"])
    for name, frame in t.items():
        if name == "sources":
            continue
        for column in SOURCE_COLUMNS:
            if column not in frame:
                continue
            values = frame[column].fillna("")
            bad = (values != "") & ~values.isin(known)
            if bad.any():
                i = _first(bad)
                raise w.fail(name, i, column, f"source_id {values[i]!r} is not in sources.csv")


def iso_codes(t: Tables, w: _Where) -> None:
    """states.csv codes are ISO 3166-1; every other state code is in states.csv."""
    import pycountry

    states = t["states"]
    for i, (iso3, numeric) in enumerate(zip(states["iso3"], states["iso_numeric"])):
        country = pycountry.countries.get(alpha_3=iso3)
        if country is None:
            raise w.fail("states", i, "iso3", f"{iso3!r} is not an ISO 3166-1 alpha-3 code")
        if country.numeric != numeric:
            raise w.fail("states", i, "iso_numeric",
                         f"{numeric!r} does not match ISO 3166-1 numeric {country.numeric!r} of {iso3}")
    known = set(states["iso3"])
    for name, column, world in STATE_CODE_COLUMNS:
        if name not in t:
            continue
        extra = {WORLD} if world else set()
        frame = t[name]
        bad = ~frame[column].isin(known | extra)
        if bad.any():
            i = _first(bad)
            also = " or WLD" if extra else ""
            raise w.fail(name, i, column, f"code {frame[column].iloc[i]!r} is not in states.csv{also} "
                         f"(known: {', '.join(sorted(known))})")


def _spells(name: str, frame: pd.DataFrame, key: str, w: _Where, *, allow_equal: bool = False) -> None:
    """End after start, and no two spells of the same key overlap."""
    end, start = frame["end_date"], frame["start_date"]
    bad = end.notna() & ((end < start) if allow_equal else (end <= start))
    if bad.any():
        i = _first(bad)
        raise w.fail(name, i, "end_date", f"end {end.iloc[i].date()} is not after start {start.iloc[i].date()}")
    ordered = frame.assign(_pos=np.arange(len(frame))).sort_values("start_date", kind="stable")
    for _, group in ordered.groupby(key, sort=False):
        ends = group["end_date"].fillna(pd.Timestamp.max.floor("D")).tolist()
        starts, pos = group["start_date"].tolist(), group["_pos"].tolist()
        for k in range(1, len(pos)):
            if starts[k] < ends[k - 1]:
                before = group["end_date"].iloc[k - 1]
                raise w.fail(name, pos[k], "start_date",
                             f"spell of {group[key].iloc[k]} starting {starts[k].date()} overlaps the spell on line "
                             f"{int(w.lines[name][pos[k - 1]])} that ends "
                             f"{'never' if pd.isna(before) else before.date()}")


def _member_spells(memberships: pd.DataFrame) -> dict[str, list[tuple]]:
    members = memberships[memberships["status"] == "member"]
    spells: dict[str, list[tuple]] = {}
    for iso3, start, end in zip(members["iso3"], members["start_date"], members["end_date"]):
        spells.setdefault(iso3, []).append((start, end))
    return spells


def _member_covers(spells: dict[str, list[tuple]], iso3: str, start, end) -> bool:
    """True when one member spell of ``iso3`` covers ``[start, end)`` (``end=None``: the day ``start``)."""
    for s, e in spells.get(iso3, ()):
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


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def memberships(t: Tables, w: _Where) -> None:
    """SCO statuses start on or after the founding and precursor spells end by it; each status has its own
    date bases; spells of one state never overlap; every state has a spell.

    The date rules come first: a spell on the wrong side of the founding is the fault to report, not the
    overlap it may cause.
    """
    m = t["memberships"]
    precursor = (m["status"] == PRECURSOR_STATUS).to_numpy(dtype=bool)
    early = ~precursor & (m["start_date"] < FOUNDING_DATE).to_numpy(dtype=bool)
    if early.any():
        i = _first(early)
        status = m["status"].iloc[i]
        raise w.fail("memberships", i, "start_date",
                     f"{_article(status)} {status} spell cannot start on {m['start_date'].iloc[i].date()}, before the "
                     f"SCO was founded on {FOUNDING_DATE.date()} (only {PRECURSOR_STATUS} spells can)")
    end = m["end_date"]
    late = precursor & (end.isna() | (end > FOUNDING_DATE)).to_numpy(dtype=bool)
    if late.any():
        i = _first(late)
        found = "no end" if pd.isna(end.iloc[i]) else f"end {end.iloc[i].date()}"
        raise w.fail("memberships", i, "end_date",
                     f"a {PRECURSOR_STATUS} spell must end by {FOUNDING_DATE.date()}, when the SCO was proclaimed "
                     f"({found})")
    basis = m["date_basis"].isin(PRECURSOR_DATE_BASES).to_numpy(dtype=bool)
    wrong = basis != precursor
    if wrong.any():
        i = _first(wrong)
        status, found = m["status"].iloc[i], m["date_basis"].iloc[i]
        message = (f"a {PRECURSOR_STATUS} spell is dated by {' or '.join(PRECURSOR_DATE_BASES)}, not {found}"
                   if precursor[i] else
                   f"{found} dates {PRECURSOR_STATUS} spells, not {_article(status)} {status} spell")
        raise w.fail("memberships", i, "date_basis", message)
    _spells("memberships", m, "iso3", w)
    bad = m["alt_date"].notna() & (m["alt_date"] < m["start_date"])
    if bad.any():
        raise w.fail("memberships", _first(bad), "alt_date",
                     "alternative date is before the decision date in start_date")
    states = t["states"]
    without = ~states["iso3"].isin(set(m["iso3"]))
    if without.any():
        i = _first(without)
        raise w.fail("states", i, "iso3", f"{states['iso3'].iloc[i]} has no spell in memberships.csv")


def summits(t: Tables, w: _Where) -> None:
    """Cities match cities.csv; numbers run in date order; the host is a member."""
    s, members = t["summits"], _member_spells(t["memberships"])
    cities = t["cities"].set_index("geonames_id")["name_en"]
    for i, (geonames_id, city) in enumerate(zip(s["geonames_id"], s["city"])):
        if geonames_id not in cities.index:
            raise w.fail("summits", i, "geonames_id", f"GeoNames id {geonames_id} of {city} is not in cities.csv")
        if cities[geonames_id] != city:
            raise w.fail("summits", i, "city",
                         f"{city!r} but cities.csv names GeoNames id {geonames_id} {cities[geonames_id]!r}")
    bad = s["end_date"] < s["start_date"]
    if bad.any():
        raise w.fail("summits", _first(bad), "end_date", "end is before start")
    order = s.sort_values("start_date")["number"].tolist()
    if order != list(range(1, len(s) + 1)):
        raise w.fail("summits", None, "number", f"numbers must run 1..{len(s)} in date order, found {order}")
    for i, (host, start, end) in enumerate(zip(s["host_iso3"], s["start_date"], s["end_date"])):
        if not _member_covers(members, host, start, end + pd.Timedelta(days=1)):
            raise w.fail("summits", i, "host_iso3", f"host {host} is not a member on {start.date()}")


def chairmanships(t: Tables, w: _Where) -> None:
    """One chair at a time, always a member, starting at a known summit."""
    c, members = t["chairmanships"], _member_spells(t["memberships"])
    _spells("chairmanships", c.assign(_all="all"), "_all", w)
    for i, (chair, start, end) in enumerate(zip(c["chair_iso3"], c["start_date"], c["end_date"])):
        if not _member_covers(members, chair, start, end):
            raise w.fail("chairmanships", i, "chair_iso3",
                         f"chair {chair} is not a member throughout {start.date()} – "
                         f"{'ongoing' if pd.isna(end) else end.date()}")
    bad = ~c["start_summit"].isin(set(t["summits"]["number"].dropna().astype(int)))
    if bad.any():
        i = _first(bad)
        raise w.fail("chairmanships", i, "start_summit",
                     f"summit number {c['start_summit'].iloc[i]} is not in summits.csv")


def secretaries(t: Tables, w: _Where) -> None:
    """Terms do not overlap, carry a precision, and go to nationals of member states; a name in Russian or
    Chinese comes with its own source, and a source with its name."""
    g, members = t["secretaries_general"], _member_spells(t["memberships"])
    for language in ("ru", "zh"):
        named, cited = (g[f"name_{language}{part}"].fillna("") != "" for part in ("", "_source_id"))
        unpaired = named != cited
        if unpaired.any():
            i = _first(unpaired)
            column = f"name_{language}_source_id" if named.iloc[i] else f"name_{language}"
            raise w.fail("secretaries_general", i, column,
                         f"name_{language} and name_{language}_source_id are given together or not at all")
    _spells("secretaries_general", g.assign(_all="all"), "_all", w, allow_equal=True)
    bad = g["end_date"].notna() & ~g["end_precision"].isin(PRECISIONS)
    if bad.any():
        raise w.fail("secretaries_general", _first(bad), "end_precision",
                     "must be 'day' or 'year' when end_date is set")
    for i, (nationality, start) in enumerate(zip(g["nationality_iso3"], g["start_date"])):
        if not _member_covers(members, nationality, start, None):
            raise w.fail("secretaries_general", i, "nationality_iso3", f"{nationality} is not a member on {start.date()}")


def _trade_rows(name: str, t: Tables, w: _Where) -> None:
    frame = t[name]
    bad = frame["valuation"] != frame["flow"].map(VALUATIONS)
    if bad.any():
        i = _first(bad)
        flow = frame["flow"].iloc[i]
        raise w.fail(name, i, "valuation", f"{flow} values must be {VALUATIONS[flow]}")
    same = frame["reporter_iso3"] == frame["partner_iso3"]
    if same.any():
        raise w.fail(name, _first(same), "partner_iso3", "a reporter cannot trade with itself")


def trade(t: Tables, w: _Where) -> None:
    """Valuation follows the flow; nobody trades with itself; the IMF DOTS years are complete."""
    _trade_rows("trade", t, w)
    frame, m = t["trade"], t["memberships"]
    dots = frame[(frame["source_id"] == DOTS_SOURCE_ID) & (frame["partner_iso3"] == WORLD)]
    have = set(zip(dots["reporter_iso3"], dots["year"].astype(int), dots["flow"]))
    # Every state that held a status by the end of the DOTS years reports its trade with the world in each of them:
    # a table cut short loses whole reporters, which this finds.
    held = sorted(set(m.loc[m["start_date"] <= pd.Timestamp(f"{DOTS_YEARS[-1]}-12-31"), "iso3"]))
    for iso3 in held:
        for year in DOTS_YEARS:
            for flow in VALUATIONS:
                if (iso3, year, flow) not in have:
                    raise w.fail("trade", None, "reporter_iso3",
                                 f"no {DOTS_SOURCE_ID} row for {iso3}'s {flow}s to the world ({WORLD}) in {year}: every "
                                 f"state with a status by {DOTS_YEARS[-1]} reports every year {DOTS_YEARS[0]}-"
                                 f"{DOTS_YEARS[-1]}; is the file complete?")


def customs_rows(t: Tables, w: _Where) -> None:
    """Customs rows follow the trade rules and are all in the merged trade table."""
    _trade_rows("customs_rows", t, w)
    merged = t["trade"].set_index(list(TABLES["trade"].key))["value_usd"]
    rows = t["customs_rows"]
    for i, key in enumerate(zip(*(rows[k] for k in TABLES["trade"].key))):
        if key not in merged.index or merged[key] != rows["value_usd"].iloc[i]:
            raise w.fail("customs_rows", i, "value_usd",
                         f"row {key} is not in trade/bilateral_goods_trade.csv with this value: "
                         "rebuild it with `python scripts/build_trade.py`")


def national_trade(t: Tables, w: _Where) -> None:
    """National-statistics rows follow the trade rules."""
    _trade_rows("national_trade", t, w)


def claims(t: Tables, w: _Where) -> None:
    """Each claim names a known metric; ``official:`` metrics name a known aggregate; approx needs a tolerance."""
    c = t["claims"]
    aggregates = set(t["official_aggregates"]["aggregate_id"])
    for i, (metric, comparison, tolerance) in enumerate(zip(c["metric"], c["comparison"], c["tolerance"])):
        if metric.startswith("official:"):
            if metric.removeprefix("official:") not in aggregates:
                raise w.fail("claims", i, "metric",
                             f"{metric!r} names no aggregate_id of trade/official_aggregates.csv")
        elif metric not in METRICS:
            raise w.fail("claims", i, "metric", f"unknown metric {metric!r}: expected one of "
                         + ", ".join(METRICS) + " or official:<aggregate_id>")
        if comparison == "approx" and pd.isna(tolerance):
            raise w.fail("claims", i, "tolerance", "an 'approx' claim needs a tolerance")


def geometries(t: Tables, w: _Where) -> None:
    """Every state has a geometry, and every geometry is well-formed WKB."""
    import shapely

    g = t["geometries"]
    missing = sorted(set(t["states"]["iso3"]) - set(g["iso3"].dropna()))
    if missing:
        raise DataValidationError(TABLES["geometries"].file, None, "iso3", f"no geometry for states.csv codes {missing}")
    for i, blob in enumerate(g["geometry"]):
        try:
            shape = shapely.from_wkb(blob)
        except Exception as exc:  # shapely raises GEOSException or TypeError for damaged bytes
            raise w.fail("geometries", i, "geometry", f"geometry of {g['name'].iloc[i]!r} is damaged ({exc})") from None
        if shape is None or shape.is_empty:
            raise w.fail("geometries", i, "geometry", f"geometry of {g['name'].iloc[i]!r} is empty")


def coverage(t: Tables, w: _Where) -> None:
    """One row; no summit, chair or status change lies after the day events were checked through;
    the next summit is the one after the last recorded."""
    c = t["coverage"]
    if len(c) != 1:
        raise w.fail("coverage", 1, None, f"must hold exactly one row, found {len(c)}")
    through = c["checked_through"].iloc[0]
    for name, column in [("summits", "start_date"), ("chairmanships", "start_date"), ("memberships", "start_date"),
                         ("memberships", "end_date")]:
        late = t[name][column].notna() & (t[name][column] > through)
        if late.any():
            i = _first(late)
            raise w.fail(name, i, column, f"{t[name][column].iloc[i].date()} is after the day events were checked "
                         f"through ({through.date()}, coverage.csv): check the events since and move that day")
    last = int(t["summits"]["number"].max())
    if int(c["next_summit_number"].iloc[0]) != last + 1:
        raise w.fail("coverage", 0, "next_summit_number",
                     f"must be {last + 1}, the summit after the last one in summits.csv")


#: Every cross-file rule, with the tables it reads.
CHECKS: list[tuple[Callable[[Tables, _Where], None], tuple[str, ...]]] = [
    (sources_resolve, ("sources",)),
    (iso_codes, ("states",)),
    (memberships, ("memberships", "states")),
    (summits, ("summits", "memberships", "cities")),
    (chairmanships, ("chairmanships", "memberships", "summits")),
    (secretaries, ("secretaries_general", "memberships")),
    (trade, ("trade", "memberships")),
    (customs_rows, ("customs_rows", "trade")),
    (national_trade, ("national_trade",)),
    (claims, ("claims", "official_aggregates")),
    (geometries, ("geometries", "states")),
    (coverage, ("coverage", "summits", "chairmanships", "memberships")),
]


def check_all(tables: Tables, lines: Lines) -> Iterator[DataValidationError]:
    """Run every rule whose tables are present; yield the first problem of each rule that fails."""
    where = _Where(lines)
    for check, needs in CHECKS:
        if all(name in tables for name in needs):
            try:
                check(tables, where)
            except DataValidationError as problem:
                yield problem
