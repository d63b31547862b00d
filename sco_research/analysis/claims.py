"""The check of quantitative claims about the SCO against the package's data.

Each claim in ``data/claims.csv`` names a *metric* (a function of the
package's data), a day, a comparison and a threshold; :func:`evaluate`
computes the value and the verdict. Nothing in the verdicts is typed in:
change the data and the verdicts follow.

Metrics
-------
``member_count``, ``member_population`` (persons, population of the year of
``as_of`` or the latest year before it), ``member_population_share`` (of the
economies in ``data/population.csv``), ``member_area_share_eurasia``,
``member_area_km2``, ``official:<aggregate_id>`` (a figure from
``data/trade/official_aggregates.csv``) and ``unavailable``.
"""

from __future__ import annotations

import pandas as pd

from ..data import load_claims, load_official_aggregates, load_population
from ..data.checks import METRICS
from ..errors import DataValidationError
from ..params import parse_date
from .geography import area_share, region_areas
from .membership import members

__all__ = ["VERDICTS", "METRICS", "member_population", "evaluate"]

VERDICTS = ("supported", "not supported", "cannot check with the data")


def member_population(on) -> tuple[int, int, int]:
    """(members' population, population of all economies in the table, year used) on a day.

    The year is that of ``on``, or the latest year in the table before it.

    Examples
    --------
    >>> members_pop, world, year = member_population("2024-12-31")
    >>> year, members_pop > 3_000_000_000
    (2024, True)
    """
    day = parse_date(on, "on")
    pop = load_population()
    year = min(day.year, int(pop["year"].max()))
    this_year = pop[pop["year"] == year].set_index("iso3")["population"]
    codes = members(on=day)
    missing = [c for c in codes if c not in this_year.index]
    if missing:
        raise DataValidationError("population.csv", None, "iso3", f"no {year} population for members {missing}")
    return int(this_year[codes].sum()), int(this_year.sum()), year


def _metric(metric: str, as_of) -> tuple[float | None, str, str]:
    """(value, unit, how it was computed) for one metric on one day."""
    if metric == "unavailable":
        return None, "", "no data in the package"
    if metric == "member_count":
        return float(len(members(on=as_of))), "states", "members on the day"
    if metric == "member_population":
        value, _, year = member_population(as_of)
        return float(value), "persons", f"members on the day, population of {year} (WDI)"
    if metric == "member_population_share":
        value, world, year = member_population(as_of)
        return value / world, "share", f"members / all {len(load_population().query('year == @year'))} economies, {year}"
    if metric == "member_area_share_eurasia":
        return area_share(as_of, ("member",), "eurasia"), "share", "members' land area / M49 Europe + Asia"
    if metric == "member_area_km2":
        areas = region_areas("world")
        codes = members(on=as_of)
        return float(areas[areas.index.isin(codes)].sum() / 1e6), "km²", "members' land area, equal-area projection"
    if metric.startswith("official:"):
        aggregates = load_official_aggregates().set_index("aggregate_id")
        key = metric.removeprefix("official:")
        if key not in aggregates.index:
            raise DataValidationError("claims.csv", None, "metric", f"unknown official aggregate {key!r}")
        return float(aggregates.loc[key, "value_usd"]), "US$", f"official figure {key} ({aggregates.loc[key, 'agency']})"
    raise DataValidationError("claims.csv", None, "metric", f"unknown metric {metric!r}")


def evaluate(claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Compute each claim's value from the package's data and its verdict.

    Returns
    -------
    pandas.DataFrame
        ``claim_id``, ``claim``, ``source_id``, ``value`` (display text),
        ``threshold`` (display text), ``verdict`` (one of :data:`VERDICTS`),
        ``basis`` (how the value was computed).

    Examples
    --------
    >>> verdicts = evaluate().set_index("claim_id")["verdict"]
    >>> verdicts["ten_members_2025"]
    'supported'
    """
    claims = load_claims() if claims is None else claims
    rows = []
    for _, claim in claims.iterrows():
        value, unit, basis = _metric(claim["metric"], claim["as_of"])
        threshold = None if pd.isna(claim["threshold"]) else float(claim["threshold"])
        if value is None or claim["comparison"] == "none":
            verdict = VERDICTS[2]
        elif claim["comparison"] == "gt":
            verdict = VERDICTS[0] if value > threshold else VERDICTS[1]
        elif claim["comparison"] == "ge":
            verdict = VERDICTS[0] if value >= threshold else VERDICTS[1]
        elif claim["comparison"] == "eq":
            verdict = VERDICTS[0] if value == threshold else VERDICTS[1]
        else:  # approx
            verdict = VERDICTS[0] if abs(value / threshold - 1) <= float(claim["tolerance"]) else VERDICTS[1]
        rows.append({"claim_id": claim["claim_id"], "claim": claim["claim"], "source_id": claim["source_id"],
                     "value": _show(value, unit), "threshold": _show(threshold, unit) if threshold is not None else "",
                     "comparison": claim["comparison"], "verdict": verdict, "basis": basis})
    return pd.DataFrame(rows)


def _show(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "share":
        return f"{100 * value:.1f} %"
    if unit == "persons":
        return f"{value / 1e9:.3f} bn people"
    if unit == "US$":
        return f"US$ {value / 1e9:.2f} bn"
    if unit == "km²":
        return f"{value / 1e6:.2f} M km²"
    return f"{value:g} {unit}"
