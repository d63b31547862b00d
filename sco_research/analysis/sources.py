"""Who published what a chart draws: the publisher and year of each source, for source lines under charts.

Charts name their sources by publisher and year ("International Monetary
Fund, 2022"), not by ``source_id``. :func:`source_notes` turns the
``source_id`` values of the rows a chart draws into those short notes, most
used source first; :func:`sco_research.plotting.style.source_line` writes
them under the chart.
"""

from __future__ import annotations

import re
from collections import Counter

import pandas as pd

from ..data import load_sources
from ..errors import ParameterError

_ID_YEAR = re.compile(r"(?:^|_)((?:19|20)\d\d)(?:_|$)")


def source_ids_in(source_ids) -> list[str]:
    """The ids in a ``source_id`` column, list or frame (see :func:`source_notes`), ``";"``-lists split.

    Examples
    --------
    >>> source_ids_in(["imf_dots_2022; pti_2023_india_china_trade", None])
    ['imf_dots_2022', 'pti_2023_india_china_trade']
    """
    if isinstance(source_ids, pd.DataFrame):
        if "source_id" in source_ids.columns:
            source_ids = source_ids["source_id"]
        else:
            source_ids = source_ids.attrs.get("source_ids", [])
    if isinstance(source_ids, str):
        source_ids = [source_ids]
    ids = []
    for value in source_ids:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            continue
        ids.extend(part.strip() for part in str(value).split(";") if part.strip())
    return ids


def source_year(row) -> str:
    """The year to print for a source: its publication year, else the year in its id, else "accessed <year>".

    ``sources.csv`` leaves ``published`` empty when the page gives no full
    date; the ids of dated sources carry the year (``imf_dots_2022``,
    ``bne_2025_russia_china_trade``). Undated databases and code releases
    (``un_comtrade_api``, ``natural_earth_world_atlas_2_0_2``) are cited by
    the year they were accessed.

    Examples
    --------
    >>> source_year({"source_id": "imf_dots_2022", "published": pd.NaT, "accessed": pd.Timestamp("2026-11-22")})
    '2022'
    >>> source_year({"source_id": "unsd_m49", "published": pd.NaT, "accessed": pd.Timestamp("2026-11-22")})
    'accessed 2026'
    """
    if not pd.isna(row["published"]):
        return str(pd.Timestamp(row["published"]).year)
    found = _ID_YEAR.search(str(row["source_id"]))
    if found:
        return found.group(1)
    return f"accessed {pd.Timestamp(row['accessed']).year}"


def source_notes(source_ids, *, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Publisher and year of the sources behind a chart, the most used first.

    Parameters
    ----------
    source_ids : iterable of str, pandas.Series or pandas.DataFrame
        The ``source_id`` of every row drawn (repeats count: the source of
        most rows comes first). Values may hold several ids separated by
        ``";"``. A DataFrame gives its ``source_id`` column, or else its
        ``attrs["source_ids"]`` (as set by
        :func:`sco_research.analysis.trade.trade_matrix`).
    sources : pandas.DataFrame, optional
        ``sources.csv`` rows; the bundled table by default.

    Returns
    -------
    pandas.DataFrame
        ``source_id``, ``publisher``, ``year`` (see :func:`source_year`) and
        ``rows`` (how many of the given ids were this one), one row per
        source, ordered by ``rows`` (descending) then publisher.

    Raises
    ------
    ParameterError
        For an id that is not in ``sources.csv``.

    Examples
    --------
    >>> source_notes(["imf_dots_2022", "imf_dots_2022", "pti_2023_india_china_trade"])[["publisher", "year"]].values.tolist()
    [['International Monetary Fund', '2022'], ['The New Indian Express (PTI)', '2023']]
    """
    counts = Counter(source_ids_in(source_ids))
    table = (load_sources() if sources is None else sources).set_index("source_id")
    unknown = sorted(set(counts) - set(table.index))
    if unknown:
        raise ParameterError("source_ids", unknown[0], f"one of the {len(table)} ids in data/sources.csv")
    rows = []
    for source_id, n in counts.items():
        row = table.loc[source_id]
        rows.append({"source_id": source_id, "publisher": str(row["publisher"]),
                     "year": source_year({"source_id": source_id, **row.to_dict()}), "rows": n})
    out = pd.DataFrame(rows, columns=["source_id", "publisher", "year", "rows"])
    return out.sort_values(["rows", "publisher", "source_id"], ascending=[False, True, True], ignore_index=True)
