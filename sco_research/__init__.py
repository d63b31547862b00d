"""sco-research: a cited dataset and helpers on the Shanghai Cooperation Organisation.

Importing the package is cheap: pandas is the only heavy import. Plotting
(matplotlib) and geometry (geopandas) load on first use; pandera loads only to
report a table that breaks a column rule (see :mod:`sco_research.rules`).

Examples
--------
>>> import sco_research as sco
>>> sco.members(on="2017-06-09")
['CHN', 'IND', 'KAZ', 'KGZ', 'PAK', 'RUS', 'TJK', 'UZB']
"""

from __future__ import annotations

import pandas as pd

from .errors import DataValidationError, ParameterError
from .membership import (
    FOUNDING_DATE,
    STATUS_LABELS,
    STATUSES,
    chair_on,
    change_dates,
    latest_date,
    latest_summit,
    members,
    status_counts,
    status_on,
    status_panel,
)

__version__ = "0.1.0"

__all__ = [
    "DataValidationError", "ParameterError", "FOUNDING_DATE", "STATUSES", "STATUS_LABELS",
    "load_sources", "load_states", "load_memberships", "load_summits", "load_cities", "load_chairmanships",
    "load_secretaries_general", "status_on", "members", "status_panel", "status_counts",
    "change_dates", "latest_date", "latest_summit", "chair_on", "cite",
    "load_geometries", "membership_geodataframe", "area_share",
]

# Names served lazily from submodules that import heavy libraries (geopandas).
_LAZY = {"load_geometries": "geo", "membership_geodataframe": "geo", "area_share": "geo"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _table(name: str) -> pd.DataFrame:
    from .datasets import load_table

    return load_table(name)


def load_sources() -> pd.DataFrame:
    """Citations: one row per ``source_id`` (publisher, title, url, published, accessed, note).

    Examples
    --------
    >>> load_sources()["source_id"].is_unique
    True
    """
    return _table("sources")


def load_states() -> pd.DataFrame:
    """Every state that ever held an SCO status, with ISO codes and EN/RU/ZH names.

    Examples
    --------
    >>> load_states().set_index("iso3").loc["KAZ", "name_ru"]
    'Казахстан'
    """
    return _table("states")


def load_memberships() -> pd.DataFrame:
    """One row per status spell ``[start_date, end_date)``; empty end means ongoing.

    Examples
    --------
    >>> str(load_memberships()["start_date"].dtype)
    'datetime64[s]'
    """
    return _table("memberships")


def load_cities() -> pd.DataFrame:
    """Summit host cities by GeoNames id, with their names in English, Russian and Chinese.

    Examples
    --------
    >>> load_cities().set_index("name_en").loc["Tianjin", "name_zh"]
    '天津'
    """
    return _table("cities")


def load_summits() -> pd.DataFrame:
    """Meetings of the Council of Heads of State, numbered from Shanghai 2001 (No. 1).

    Examples
    --------
    >>> load_summits().set_index("number").loc[24, "city"]
    'Astana'
    """
    return _table("summits")


def load_chairmanships() -> pd.DataFrame:
    """The rotating chairmanship, summit to summit; ``is_inferred`` marks spells no source states directly.

    Examples
    --------
    >>> load_chairmanships().iloc[-1]["chair_iso3"]
    'KGZ'
    """
    return _table("chairmanships")


def load_secretaries_general() -> pd.DataFrame:
    """Heads of the SCO Secretariat; ``*_precision`` says whether a date is known to the day or the year.

    Examples
    --------
    >>> load_secretaries_general().iloc[-1]["name"]
    'Nurlan Yermekbayev'
    """
    return _table("secretaries_general")


def cite(source_id: str) -> str:
    """Format one source as a one-line citation.

    Raises
    ------
    ParameterError
        If ``source_id`` is not in ``sources.csv``.

    Examples
    --------
    >>> cite("tass_2025_chair").startswith("TASS")
    True
    """
    sources = load_sources().set_index("source_id")
    if source_id not in sources.index:
        raise ParameterError("source_id", source_id, f"one of the {len(sources)} ids in data/sources.csv")
    row = sources.loc[source_id]
    published = "n.d." if pd.isna(row["published"]) else row["published"].date().isoformat()
    return (f"{row['publisher']}, \"{row['title']}\", {published}, {row['url']} "
            f"(accessed {row['accessed'].date().isoformat()})")
