"""Population data and the check of quantitative claims about the SCO.

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

from functools import lru_cache

import pandas as pd

from .errors import DataValidationError
from .paths import data_dir

VERDICTS = ("supported", "not supported", "cannot check with the data")
METRICS = ("member_count", "member_population", "member_population_share", "member_area_share_eurasia",
           "member_area_km2", "unavailable")
_CLAIM_COLUMNS = ["claim_id", "claim", "source_id", "seed_files", "metric", "as_of", "comparison", "threshold",
                  "tolerance", "note"]


@lru_cache(maxsize=4)
def _population(data_key: str) -> pd.DataFrame:
    from .datasets import load_table

    path = data_dir() / "population.csv"
    frame = pd.read_csv(path, dtype={"iso3": str, "source_id": str}, keep_default_na=False)
    if list(frame.columns) != ["iso3", "year", "population", "source_id"]:
        raise DataValidationError("population.csv", 1, None, f"unexpected columns {list(frame.columns)}")
    bad = ~frame["iso3"].str.fullmatch(r"[A-Z]{3}")
    if bad.any():
        raise DataValidationError("population.csv", int(bad.idxmax()) + 2, "iso3", f"{frame.at[bad.idxmax(), 'iso3']!r} is not an ISO3 code")
    if (frame["population"] <= 0).any():
        i = int((frame["population"] <= 0).idxmax())
        raise DataValidationError("population.csv", i + 2, "population", "must be positive")
    unknown = set(frame["source_id"]) - set(load_table("sources")["source_id"])
    if unknown:
        raise DataValidationError("population.csv", None, "source_id", f"not in sources.csv: {sorted(unknown)}")
    return frame


def load_population() -> pd.DataFrame:
    """Total population by economy and year (World Bank WDI, SP.POP.TOTL), 2001-2024.

    Examples
    --------
    >>> pop = load_population()
    >>> int(pop.query("iso3 == 'KAZ' and year == 2024")["population"].iloc[0]) > 20_000_000
    True
    """
    return _population(str(data_dir())).copy()


def member_population(on) -> tuple[int, int, int]:
    """(members' population, population of all economies in the table, year used) on a day.

    The year is that of ``on``, or the latest year in the table before it.

    Examples
    --------
    >>> members_pop, world, year = member_population("2024-12-31")
    >>> year, members_pop > 3_000_000_000
    (2024, True)
    """
    from .dates import parse_date
    from .membership import members

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
    from .geo import area_share, region_areas
    from .membership import members

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
        from .trade import load_official_aggregates

        aggregates = load_official_aggregates().set_index("aggregate_id")
        key = metric.removeprefix("official:")
        if key not in aggregates.index:
            raise DataValidationError("claims.csv", None, "metric", f"unknown official aggregate {key!r}")
        return float(aggregates.loc[key, "value_usd"]), "US$", f"official figure {key} ({aggregates.loc[key, 'agency']})"
    raise DataValidationError("claims.csv", None, "metric", f"unknown metric {metric!r}")


def load_claims() -> pd.DataFrame:
    """The quantitative claims to check (``data/claims.csv``), validated."""
    from .datasets import load_table

    path = data_dir() / "claims.csv"
    claims = pd.read_csv(path, dtype=str, keep_default_na=False)
    if list(claims.columns) != _CLAIM_COLUMNS:
        raise DataValidationError("claims.csv", 1, None, f"columns must be {_CLAIM_COLUMNS}")
    known = set(load_table("sources")["source_id"])
    for i, row in claims.iterrows():
        if row["source_id"] not in known:
            raise DataValidationError("claims.csv", i + 2, "source_id", f"{row['source_id']!r} is not in sources.csv")
        if row["metric"] not in METRICS and not row["metric"].startswith("official:"):
            raise DataValidationError("claims.csv", i + 2, "metric", f"unknown metric {row['metric']!r}: expected one of "
                                      + ", ".join(METRICS) + " or official:<aggregate_id>")
        if row["comparison"] not in ("gt", "ge", "eq", "approx", "none"):
            raise DataValidationError("claims.csv", i + 2, "comparison", f"{row['comparison']!r} must be gt, ge, eq, approx or none")
    return claims


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
        threshold = float(claim["threshold"]) if claim["threshold"] else None
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
