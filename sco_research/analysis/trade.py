"""Aggregates of the trade table: SCO totals, shares, rankings, mirror statistics.

Pure functions of a trade frame (:func:`~sco_research.data.load_trade`'s
output, the bundled table by default). Every series uses one reporter's own
figures; reporter-side and partner-side values are never mixed in one series.
"""

from __future__ import annotations

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
    if membership == "historical":
        day = f"{year}-12-31"
    elif membership == "current":
        day = latest_date()
    else:
        day = membership
        try:
            members(on=day)
        except ValueError:
            raise ParameterError("membership", membership, "'historical', 'current' or an ISO date") from None
    return [code for code in members(on=day) if code != reporter]


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
    values = frame.set_index(["partner_iso3", "flow", "year"])["value_usd"]
    rows = []
    for year in years:
        partners = member_partners(reporter, int(year), membership)
        total, missing = 0, []
        for partner in partners:
            for f in flows:
                key = (partner, f, int(year))
                if key in values.index:
                    total += int(values[key])
                else:
                    missing.append(partner if len(flows) == 1 else f"{partner}:{f}")
        rows.append({"year": int(year), "value_usd": total, "partners": len(partners), "missing": ", ".join(missing)})
    return pd.DataFrame(rows, columns=["year", "value_usd", "partners", "missing"])


def sco_share(reporter: str, years=None, membership: str = "historical", *, flow: str = "total",
              trade: pd.DataFrame | None = None) -> pd.DataFrame:
    """Share of a reporter's trade with the world that is with the other SCO members.

    Only years in which the reporter records its trade with the world
    (``WLD``) are returned.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``sco_usd``, ``world_usd``, ``share`` (0-1), ``missing``.

    Examples
    --------
    >>> s = sco_share("KAZ", [2020]).iloc[0]
    >>> print(f"{s['share']:.3f}")
    0.476
    """
    flows = _flows(flow)
    frame = _reporter_frame(trade, reporter, flows)
    world = frame[frame["partner_iso3"] == WORLD].groupby("year")["value_usd"].agg(["sum", "count"])
    world = world[world["count"] == len(flows)]["sum"]
    years = sorted(world.index) if years is None else [y for y in years if y in world.index]
    sco = trade_with_members(reporter, years, membership, flow=flow, trade=frame)
    out = sco.rename(columns={"value_usd": "sco_usd"})
    out["world_usd"] = [int(world[y]) for y in out["year"]]
    out["share"] = out["sco_usd"] / out["world_usd"]
    return out[["year", "sco_usd", "world_usd", "share", "missing"]]


def partner_ranking(reporter: str, year: int, partners=None, *, flow: str = "total",
                    trade: pd.DataFrame | None = None) -> pd.DataFrame:
    """Partners ranked by the reporter's recorded trade with them in one year.

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
    ranked = frame.groupby("partner_iso3", as_index=False)["value_usd"].sum()
    ranked = ranked.sort_values(["value_usd", "partner_iso3"], ascending=[False, True], ignore_index=True)
    ranked["rank"] = range(1, len(ranked) + 1)
    return ranked[["rank", "partner_iso3", "value_usd"]]


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


def reproduce_aggregate(row) -> tuple[int | None, str]:
    """Recompute one official aggregate from the bundled table.

    Parameters
    ----------
    row : mapping
        A row of :func:`~sco_research.data.load_official_aggregates`.

    Returns
    -------
    (int or None, str)
        The bundled table's value in whole US$ (None when it cannot be
        computed) and a short explanation when it cannot.

    Examples
    --------
    >>> from sco_research.data import load_official_aggregates
    >>> row = load_official_aggregates().set_index("aggregate_id").loc["chn_sco_2001_cgtn"]
    >>> value, why = reproduce_aggregate(row)
    >>> print(f"{value / 1e9:.2f} bn")
    12.15 bn
    """
    year = int(row["year"])
    if row["membership_basis"] == "unstated":
        return None, "membership basis not stated"
    if row["membership_basis"] == "bilateral":
        rows = load_trade(reporters=row["reporter_iso3"], partners=row["counterpart"], years=[year])
        if sorted(rows["flow"]) != ["export", "import"]:
            return None, "no export and import rows for that pair and year"
        return int(rows["value_usd"].sum()), ""
    basis = str(row["membership_basis"]).removeprefix("as_of:")
    result = trade_with_members(row["reporter_iso3"], [year], basis).iloc[0]
    if result["missing"]:
        partners = sorted({item.split(":")[0] for item in result["missing"].split(", ")})
        return None, "no rows for " + ", ".join(partners)
    return int(result["value_usd"]), ""


def reconciliation(reporter: str | None = None) -> pd.DataFrame:
    """Official aggregates next to the bundled table's value for the same basis.

    Returns
    -------
    pandas.DataFrame
        ``aggregate_id``, ``year``, ``basis``, ``official_bn``, ``bundled_bn``,
        ``gap_pct`` and ``status`` ("within x %", "outside x %" or why it
        cannot be reproduced). Values in US$ bn, rounded to 2 decimals.
    """

    aggregates = load_official_aggregates()
    if reporter is not None:
        aggregates = aggregates[aggregates["reporter_iso3"] == reporter]
    rows = []
    for _, row in aggregates.iterrows():
        value, why = reproduce_aggregate(row)
        basis = row["membership_basis"] if row["membership_basis"] != "bilateral" else f"bilateral {row['counterpart']}"
        gap = None if value is None else 100 * (value - row["value_usd"]) / row["value_usd"]
        tolerance = row["reconcile_tolerance_pct"]
        if value is None:
            status = f"cannot reproduce: {why}"
        elif pd.isna(tolerance):
            status = "not claimed"
        else:
            status = f"{'within' if abs(gap) <= tolerance else 'OUTSIDE'} {tolerance:g} %"
        rows.append({"aggregate_id": row["aggregate_id"], "year": int(row["year"]), "basis": basis,
                     "official_bn": round(row["value_usd"] / 1e9, 2),
                     "bundled_bn": None if value is None else round(value / 1e9, 2),
                     "gap_pct": None if gap is None else round(gap, 2), "status": status})
    return pd.DataFrame(rows, columns=["aggregate_id", "year", "basis", "official_bn", "bundled_bn", "gap_pct",
                                       "status"])
