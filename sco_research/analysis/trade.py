"""Aggregates of the trade table: SCO totals, shares, rankings, mirror statistics.

Pure functions of a trade frame (:func:`~sco_research.data.load_trade`'s
output, the bundled table by default). Every series uses one reporter's own
figures; reporter-side and partner-side values are never mixed in one series.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from ..data import load_official_aggregates, load_trade
from ..data.vocab import FLOWS, WORLD
from ..errors import ParameterError
from ..params import require_choice
from .membership import latest_date, members

FLOW_CHOICES = ("total", *FLOWS)
MEMBERSHIP_CHOICES = ("historical", "current")


def _flows(flow: str) -> list[str]:
    require_choice("flow", flow, FLOW_CHOICES)
    return list(FLOWS) if flow == "total" else [flow]


def member_partners(reporter: str, year: int, membership: str = "historical") -> list[str]:
    """The other members whose trade counts as "with the SCO" for one year.

    ``"historical"``: the members on 31 December of ``year``; ``"current"``: the
    members on the latest date in the data, for every year (the basis of
    Chinese official series); an ISO date: the members on that day.

    Examples
    --------
    >>> member_partners("CHN", 2001)
    ['KAZ', 'KGZ', 'RUS', 'TJK', 'UZB']
    >>> len(member_partners("CHN", 2001, "current"))
    9
    """
    return [code for code in _members_for(year, membership) if code != reporter]


def _members_for(year: int, membership: str) -> list[str]:
    """The members whose trade counts in ``year`` (see :func:`member_partners`)."""
    return members(on=f"{year}-12-31") if membership == "historical" else _fixed_members(membership)


def _fixed_members(membership: str) -> list[str]:
    """The members of every year for a basis other than "historical": today's, or those on an ISO date."""
    if membership == "current":
        return members(on=latest_date())
    try:
        return members(on=membership)
    except ValueError:
        raise ParameterError("membership", membership, "'historical', 'current' or an ISO date") from None


def _joined_sources(ids) -> str:
    """The distinct sources of the rows summed into one value, sorted and ``"; "``-separated."""
    return "; ".join(sorted(set(map(str, ids))))


def _reporter_frame(trade, reporter: str, flows: list[str]) -> pd.DataFrame:
    if trade is None:
        trade = load_trade(reporters=[reporter])
    frame = trade[(trade["reporter_iso3"] == reporter) & trade["flow"].isin(flows)]
    if frame.empty:
        raise ParameterError("reporter", reporter, "a reporter with data in the trade table")
    return frame


def trade_with_members(reporter: str, years=None, membership: str = "historical", *, flow: str = "total",
                       trade: pd.DataFrame | None = None) -> pd.DataFrame:
    """A reporter's trade with the other SCO members, year by year, as the reporter records it.

    Parameters
    ----------
    reporter : str
        ISO3 of the reporting state.
    years : iterable of int, optional
        Defaults to every year with data for the reporter.
    membership : {"historical", "current"} or ISO date
        See :func:`member_partners`.
    flow : {"total", "export", "import"}
    trade : pandas.DataFrame, optional
        Trade rows to use; the bundled table by default.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``value_usd`` (sum over partners with data), ``partners`` (how
        many counted), ``missing`` (comma-separated partners, or partner:flow,
        without a value that year; empty when complete).

    Examples
    --------
    >>> t = trade_with_members("CHN", [2001], membership="current").iloc[0]
    >>> print(f"{t['value_usd'] / 1e9:.2f} bn with {t['partners']} partners")
    20.42 bn with 9 partners
    """
    flows = _flows(flow)
    frame = _reporter_frame(trade, reporter, flows)
    years = sorted(frame["year"].unique()) if years is None else list(years)
    return _with_members(_values(frame), reporter, years, flows, _members_by_year(years, membership))


def _members_by_year(years, membership: str) -> dict[int, list[str]]:
    """The members counted in each year (the reporter among them, when it was one)."""
    if membership == "historical":
        return {int(year): _members_for(int(year), membership) for year in years}
    fixed = _fixed_members(membership)
    return {int(year): fixed for year in years}


def _values(frame: pd.DataFrame) -> dict[tuple[str, str, int], int]:
    """One reporter's rows as ``{(partner, flow, year): value_usd}``.

    A dictionary, not a MultiIndex lookup: a trade report asks for hundreds of keys, and each
    ``key in index`` costs a MultiIndex search (the share of every member took a second).
    """
    keys = list(zip(frame["partner_iso3"].astype(str), frame["flow"].astype(str), frame["year"].tolist()))
    values = dict(zip(keys, frame["value_usd"].tolist()))
    if len(values) != len(frame):
        partner, flow, year = next(key for key, count in Counter(keys).items() if count > 1)
        reporters = ", ".join(sorted(set(frame["reporter_iso3"].astype(str))))
        raise ParameterError("trade", f"two rows for {reporters} -> {partner}, {flow}, {year}",
                             "one row per reporter, partner, flow and year")
    return values


def _with_members(values: dict, reporter: str, years: list, flows: list[str],
                  members_by_year: dict[int, list[str]]) -> pd.DataFrame:
    """:func:`trade_with_members` of one reporter's rows (:func:`_values`), the members of each year given."""
    rows = []
    for year in map(int, years):
        partners = [code for code in members_by_year[year] if code != reporter]
        total, missing = 0, []
        for partner in partners:
            for f in flows:
                value = values.get((partner, f, year))
                if value is None:
                    missing.append(partner if len(flows) == 1 else f"{partner}:{f}")
                else:
                    total += int(value)
        rows.append({"year": year, "value_usd": total, "partners": len(partners), "missing": ", ".join(missing)})
    return pd.DataFrame(rows, columns=["year", "value_usd", "partners", "missing"])


def sco_share(reporter: str, years=None, membership: str = "historical", *, flow: str = "total",
              trade: pd.DataFrame | None = None) -> pd.DataFrame:
    """Share of a reporter's trade with the world that is with the other SCO members.

    Only years in which the reporter records its trade with the world
    (``WLD``) are returned.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``sco_usd``, ``world_usd``, ``share`` (0-1), ``missing``,
        ``source_id`` (the sources of the rows summed that year, ``"; "``-separated).

    Examples
    --------
    >>> s = sco_share("KAZ", [2020]).iloc[0]
    >>> print(f"{s['share']:.3f}", s["source_id"])
    0.476 imf_dots_2022
    """
    flows = _flows(flow)
    frame = _reporter_frame(trade, reporter, flows)
    years = _world_years(frame, flows, years)
    return _share(frame, reporter, years, flows, _members_by_year(years, membership))


def _world_years(frame: pd.DataFrame, flows: list[str], years=None) -> list[int]:
    """The years (of ``years``, or all) in which the reporter records every flow with the world."""
    world = frame[frame["partner_iso3"] == WORLD].groupby("year")["value_usd"].count()
    recorded = [int(year) for year in world[world == len(flows)].index]
    if years is None:
        return recorded
    recorded_set = set(recorded)
    return [year for year in years if year in recorded_set]


def _share(frame: pd.DataFrame, reporter: str, years: list, flows: list[str],
           members_by_year: dict[int, list[str]]) -> pd.DataFrame:
    """:func:`sco_share` of one reporter's rows, for years with a world record, the members of each year given."""
    values = _values(frame)
    out = _with_members(values, reporter, years, flows, members_by_year).rename(columns={"value_usd": "sco_usd"})
    out["world_usd"] = [int(sum(values[(WORLD, f, int(year))] for f in flows)) for year in out["year"]]
    out["share"] = out["sco_usd"] / out["world_usd"]
    sources: dict[int, list[tuple[str, str]]] = {}
    for partner, year, source in zip(frame["partner_iso3"].astype(str), frame["year"].tolist(),
                                     frame["source_id"].astype(str)):
        sources.setdefault(year, []).append((partner, source))
    out["source_id"] = [
        _joined_sources(source for partner, source in sources[year]
                        if partner == WORLD or (partner != reporter and partner in members_by_year[year]))
        for year in out["year"].astype(int)]
    return out[["year", "sco_usd", "world_usd", "share", "missing", "source_id"]]


def partner_ranking(reporter: str, year: int, partners=None, *, flow: str = "total",
                    trade: pd.DataFrame | None = None) -> pd.DataFrame:
    """Partners ranked by the reporter's recorded trade with them in one year.

    Returns ``rank``, ``partner_iso3``, ``value_usd`` and ``source_id`` (the sources of the rows summed).

    Examples
    --------
    >>> partner_ranking("KAZ", 2020, ["CHN", "RUS", "UZB"])["partner_iso3"].tolist()
    ['RUS', 'CHN', 'UZB']
    """
    flows = _flows(flow)
    frame = _reporter_frame(trade, reporter, flows)
    frame = frame[(frame["year"] == year) & (frame["partner_iso3"] != WORLD)]
    if partners is not None:
        frame = frame[frame["partner_iso3"].isin(list(partners))]
    ranked = frame.groupby("partner_iso3", as_index=False).agg(
        value_usd=("value_usd", "sum"), source_id=("source_id", _joined_sources))
    ranked = ranked.sort_values(["value_usd", "partner_iso3"], ascending=[False, True], ignore_index=True)
    ranked["rank"] = range(1, len(ranked) + 1)
    return ranked[["rank", "partner_iso3", "value_usd", "source_id"]]


def mirror_pair(a: str, b: str, years=None, *, trade: pd.DataFrame | None = None) -> pd.DataFrame:
    """Mirror statistics: the same bilateral trade as recorded by each side.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``reported_by_a`` and ``reported_by_b`` (exports plus
        imports, each side's own records; NA where a side has no complete
        record), and ``gap_pct`` = (a - b) / b.

    Examples
    --------
    >>> m = mirror_pair("KAZ", "CHN", [2020]).iloc[0]
    >>> print(f"{m['reported_by_a'] / 1e9:.2f} vs {m['reported_by_b'] / 1e9:.2f} bn")
    15.35 vs 21.43 bn
    """
    if trade is None:
        trade = load_trade(reporters=[a, b], partners=[a, b])
    sides = {}
    for reporter, partner in ((a, b), (b, a)):
        rows = trade[(trade["reporter_iso3"] == reporter) & (trade["partner_iso3"] == partner)]
        grouped = rows.groupby("year")["value_usd"].agg(["sum", "count"])
        sides[reporter] = grouped["sum"].where(grouped["count"] == len(FLOWS))
    index = sorted(set(sides[a].dropna().index) | set(sides[b].dropna().index)) if years is None else list(years)
    out = pd.DataFrame({"year": index})
    out["reported_by_a"] = [sides[a].get(y) for y in index]
    out["reported_by_b"] = [sides[b].get(y) for y in index]
    out["reported_by_a"] = out["reported_by_a"].astype("Float64")
    out["reported_by_b"] = out["reported_by_b"].astype("Float64")
    out["gap_pct"] = 100 * (out["reported_by_a"] - out["reported_by_b"]) / out["reported_by_b"]
    return out


def reproduce_aggregate(row, *, source: str = "bundled") -> tuple[int | None, str, str]:
    """Recompute one official aggregate from the package's trade rows.

    Parameters
    ----------
    row : mapping
        A row of :func:`~sco_research.data.load_official_aggregates`.
    source : {"bundled", "combined"}
        The rows to use (see :func:`~sco_research.data.load_trade`): the bundled table, or the rows the trade
        report charts, which add the national statistics of 2021-2023.

    Returns
    -------
    (int or None, str, str)
        The value in whole US$ (None when it cannot be computed), a short
        explanation when it cannot, and the sources of the rows summed
        (``"; "``-separated; empty when nothing was summed).

    Examples
    --------
    >>> from sco_research.data import load_official_aggregates
    >>> aggregates = load_official_aggregates().set_index("aggregate_id")
    >>> value, why, sources = reproduce_aggregate(aggregates.loc["chn_sco_2001_cgtn"])
    >>> print(f"{value / 1e9:.2f} bn")
    12.15 bn
    >>> reproduce_aggregate(aggregates.loc["kaz_chn_2022_kaz"])[1]
    'no export and import rows for that pair and year'
    >>> value, _, sources = reproduce_aggregate(aggregates.loc["kaz_chn_2022_kaz"], source="combined")
    >>> print(f"{value / 1e9:.2f} bn from {sources}")
    24.20 bn from bns_kaz_foreign_trade_by_country
    """
    require_choice("source", source, ("bundled", "combined"))
    year, reporter = int(row["year"]), row["reporter_iso3"]
    if row["membership_basis"] == "unstated":
        return None, "membership basis not stated", ""
    if row["membership_basis"] == "bilateral":
        rows = load_trade(source, reporters=reporter, partners=row["counterpart"], years=[year])
        if sorted(rows["flow"]) != ["export", "import"]:
            return None, "no export and import rows for that pair and year", ""
        return int(rows["value_usd"].sum()), "", _joined_sources(rows["source_id"])
    members_by_year = _members_by_year([year], str(row["membership_basis"]).removeprefix("as_of:"))
    frame = _reporter_frame(load_trade(source, reporters=reporter), reporter, list(FLOWS))
    result = _with_members(_values(frame), reporter, [year], list(FLOWS), members_by_year).iloc[0]
    if result["missing"]:
        partners = sorted({item.split(":")[0] for item in result["missing"].split(", ")})
        return None, "no rows for " + ", ".join(partners), ""
    counted = set(members_by_year[year]) - {reporter}
    summed = frame[(frame["year"] == year) & frame["partner_iso3"].isin(counted)]
    return int(result["value_usd"]), "", _joined_sources(summed["source_id"])


def reconciliation(reporter: str | None = None, *, source: str = "bundled") -> pd.DataFrame:
    """Official aggregates next to the package's value for the same basis.

    Parameters
    ----------
    reporter : str, optional
        ISO3 code: only this reporter's aggregates; all when omitted.
    source : {"bundled", "combined"}
        The rows to recompute from (see :func:`reproduce_aggregate`).

    Returns
    -------
    pandas.DataFrame
        ``aggregate_id``, ``year``, ``basis``, ``official_bn``, ``computed_bn``,
        ``gap_pct``, ``status`` ("within x %" or "OUTSIDE x %" for a figure
        with a tolerance, "no tolerance set" for one without, or why it cannot
        be reproduced) and ``computed_from`` (the sources of the rows summed).
        Values in US$ bn, rounded to 2 decimals.

    Examples
    --------
    >>> table = reconciliation("KGZ", source="combined")
    >>> print(table[["aggregate_id", "official_bn", "computed_bn", "status"]].to_string(index=False))
        aggregate_id  official_bn  computed_bn           status
    kgz_kaz_2022_nsc         1.18         1.18 no tolerance set
    kgz_kaz_2023_nsc         1.32         1.31 no tolerance set
    """
    aggregates = load_official_aggregates()
    if reporter is not None:
        aggregates = aggregates[aggregates["reporter_iso3"] == reporter]
    rows = []
    for _, row in aggregates.iterrows():
        value, why, sources = reproduce_aggregate(row, source=source)
        basis = row["membership_basis"] if row["membership_basis"] != "bilateral" else f"bilateral {row['counterpart']}"
        gap = None if value is None else 100 * (value - row["value_usd"]) / row["value_usd"]
        tolerance = row["reconcile_tolerance_pct"]
        if value is None:
            status = f"cannot reproduce: {why}"
        elif pd.isna(tolerance):
            status = "no tolerance set"
        else:
            status = f"{'within' if abs(gap) <= tolerance else 'OUTSIDE'} {tolerance:g} %"
        rows.append({"aggregate_id": row["aggregate_id"], "year": int(row["year"]), "basis": basis,
                     "official_bn": round(row["value_usd"] / 1e9, 2),
                     "computed_bn": None if value is None else round(value / 1e9, 2),
                     "gap_pct": None if gap is None else round(gap, 2), "status": status,
                     "computed_from": sources})
    return pd.DataFrame(rows, columns=["aggregate_id", "year", "basis", "official_bn", "computed_bn", "gap_pct",
                                       "status", "computed_from"])


def trade_matrix(year: int, membership: str = "historical", *, states=None, flow: str = "total",
                 trade: pd.DataFrame | None = None) -> pd.DataFrame:
    """Member × member goods trade in one year, each row as its reporter records it.

    Parameters
    ----------
    year : int
    membership : {"historical", "current"} or ISO date
        Whose trade: the members on 31 December of ``year``, the members on
        the latest date in the data, or the members on a given day.
    states : list of str, optional
        ISO3 codes to use instead of the members.
    flow : {"total", "export", "import"}
        ``"total"`` is exports plus imports.
    trade : pandas.DataFrame, optional
        Trade rows; the bundled table by default.

    Returns
    -------
    pandas.DataFrame
        Index ``reporter_iso3`` (rows), columns ``partner_iso3``, both in
        ISO3 order; values in US$ (float). A pair without a row for every
        flow asked for, and the diagonal, are NaN: a missing record is never
        0. ``attrs`` holds ``year``, ``flow``, ``membership`` and
        ``source_ids`` (the source of each value, one entry per cell), for
        :func:`~sco_research.analysis.sources.source_notes`.

    Examples
    --------
    >>> m = trade_matrix(2020)
    >>> print(f"{m.loc['KAZ', 'CHN'] / 1e9:.2f} bn")
    15.35 bn
    >>> m.shape, m.attrs["year"]
    ((8, 8), 2020)
    """
    flows = _flows(flow)
    if not isinstance(year, int) or isinstance(year, bool):
        raise ParameterError("year", year, "an integer year")
    codes = sorted(states) if states is not None else _members_for(year, membership)
    if trade is None:
        trade = load_trade(reporters=codes, partners=codes, years=[year], flows=flows)
    rows = trade[(trade["year"] == year) & trade["flow"].isin(flows) & trade["reporter_iso3"].isin(codes)
                 & trade["partner_iso3"].isin(codes) & (trade["reporter_iso3"] != trade["partner_iso3"])]
    grouped = rows.groupby(["reporter_iso3", "partner_iso3"])
    totals = grouped["value_usd"].agg(["sum", "count"])
    complete = totals[totals["count"] == len(flows)]
    matrix = pd.DataFrame(float("nan"), index=pd.Index(codes, name="reporter_iso3"),
                          columns=pd.Index(codes, name="partner_iso3"), dtype="float64")
    for (reporter, partner), value in complete["sum"].items():
        matrix.loc[reporter, partner] = float(value)
    kept = rows.set_index(["reporter_iso3", "partner_iso3"]).index.isin(complete.index)
    matrix.attrs = {"year": year, "flow": flow, "membership": membership if states is None else "states",
                    "source_ids": [str(s) for s in rows.loc[kept, "source_id"]]}
    return matrix


def latest_matrix_year(last_year: int, membership: str = "historical", *, flow: str = "total",
                       trade: pd.DataFrame | None = None) -> int:
    """The latest year up to ``last_year`` in which every member records its trade with at least one other.

    The default year of the member × member matrix: after the IMF years only a few
    pairs have a record, and a matrix of empty rows says nothing.

    Parameters
    ----------
    last_year : int
    membership, flow, trade
        As in :func:`trade_matrix`.

    Returns
    -------
    int
        That year; the earliest year with data when no year has every member.

    Examples
    --------
    >>> latest_matrix_year(2024), latest_matrix_year(2010, "current")
    (2020, 2010)
    """
    if trade is None:
        trade = load_trade(flows=_flows(flow))
    years = sorted({int(y) for y in trade["year"].unique() if y <= last_year}, reverse=True)
    for year in years:
        matrix = trade_matrix(year, membership, flow=flow, trade=trade)
        if matrix.notna().any(axis=1).all():
            return year
    if not years:
        raise ParameterError("last_year", last_year, f"a year from {int(trade['year'].min())} on")
    return years[-1]


def sco_shares(reporters=None, years=None, membership: str = "historical", *, flow: str = "total",
               trade: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`sco_share` for several reporters in one long frame (one row per reporter and year).

    Parameters
    ----------
    reporters : list of str, optional
        Defaults to the members on the latest date in the data.
    years, membership, flow, trade
        As in :func:`sco_share`.

    Returns
    -------
    pandas.DataFrame
        ``reporter_iso3``, ``year``, ``sco_usd``, ``world_usd``, ``share``
        (0-1), ``missing``, ``is_member`` (the reporter was a member on 31
        December of that year) and ``source_id`` (the sources of the rows
        summed, ``"; "``-separated); ``attrs`` holds ``membership`` and ``flow``.

    Examples
    --------
    >>> s = sco_shares(["KAZ", "IND"], [2016, 2020]).set_index(["reporter_iso3", "year"])
    >>> print(f"{s.loc[('KAZ', 2020), 'share']:.3f}", bool(s.loc[("IND", 2016), "is_member"]))
    0.476 False
    """
    codes = list(reporters) if reporters is not None else members(on=latest_date())
    years = list(years) if years is not None else None  # read once per reporter (a generator only once)
    flows = _flows(flow)
    if trade is None:
        trade = load_trade(reporters=codes, flows=flows)
    own = {reporter: _reporter_frame(trade, reporter, flows) for reporter in codes}
    chosen = {reporter: _world_years(frame, flows, years) for reporter, frame in own.items()}
    # The members of each year, looked up once for all the reporters.
    every_year = sorted({int(year) for reporter_years in chosen.values() for year in reporter_years})
    members_at_year_end = _members_by_year(every_year, "historical")
    counted = members_at_year_end if membership == "historical" else _members_by_year(every_year, membership)
    frames = []
    for reporter in codes:
        share = _share(own[reporter], reporter, chosen[reporter], flows, counted)
        share.insert(0, "reporter_iso3", reporter)
        share.insert(6, "is_member", [reporter in members_at_year_end[year] for year in share["year"].astype(int)])
        frames.append(share)
    columns = ["reporter_iso3", "year", "sco_usd", "world_usd", "share", "missing", "is_member", "source_id"]
    out = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    out.attrs = {"membership": membership, "flow": flow}
    return out
