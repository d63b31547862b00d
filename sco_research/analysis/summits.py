"""Chairmanships, summits and documents: analysis on the curated tables (pure pandas, no plotting)."""

from __future__ import annotations

import pandas as pd

from ..data import load_table
from ..data.vocab import FOUNDING_DATE
from ..errors import ParameterError
from ..params import parse_date
from .membership import latest_date


def window(start=None, end=None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """A time window from years (int) or dates; defaults: the founding summit and the latest date.

    Examples
    --------
    >>> [d.date().isoformat() for d in window(2017, 2020)]
    ['2017-01-01', '2020-12-31']
    """
    def as_day(value, name, month_day):
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            if not FOUNDING_DATE.year <= value <= latest_date().year:
                raise ParameterError(name, value, f"a year from {FOUNDING_DATE.year} to {latest_date().year}")
            return pd.Timestamp(f"{value}-{month_day}")
        return parse_date(value, name)

    first = as_day(start, "start", "01-01") or FOUNDING_DATE
    last = as_day(end, "end", "12-31") or latest_date()
    if last < first:
        raise ParameterError("end", end, f"a year or date not before start={start}")
    return first, last


def chairmanships_in(start=None, end=None) -> pd.DataFrame:
    """Chairmanship spells overlapping the window; an ongoing spell ends at the window's end.

    Examples
    --------
    >>> chairmanships_in(2023, 2025)["chair_iso3"].tolist()
    ['IND', 'KAZ', 'CHN', 'KGZ']
    """
    first, last = window(start, end)
    spells = load_table("chairmanships").copy()
    spells["shown_end"] = spells["end_date"].fillna(last).clip(upper=last)
    overlap = (spells["start_date"] <= last) & (spells["shown_end"] >= first)
    spells = spells[overlap].copy()
    spells["shown_start"] = spells["start_date"].clip(lower=first)
    return spells.reset_index(drop=True)


def summits_in(start=None, end=None) -> pd.DataFrame:
    """Summits that began inside the window.

    Examples
    --------
    >>> summits_in(2024, 2025)["city"].tolist()
    ['Astana', 'Tianjin']
    """
    first, last = window(start, end)
    summits = load_table("summits")
    return summits[(summits["start_date"] >= first) & (summits["start_date"] <= last)].reset_index(drop=True)


def chairmanship_summary() -> pd.DataFrame:
    """One row per state that was ever a member: chairs, summits hosted, wait before the first chair.

    Returns
    -------
    pandas.DataFrame
        ``iso3``, ``times_chaired``, ``first_chair_year``, ``last_chair_year``,
        ``summits_hosted``, ``member_since`` (date) and
        ``years_member_before_first_chair`` (to one decimal; NA if never chair),
        sorted by ``member_since`` then ``iso3``.

    Examples
    --------
    >>> summary = chairmanship_summary().set_index("iso3")
    >>> int(summary.loc["KAZ", "summits_hosted"]), int(summary.loc["IND", "times_chaired"])
    (4, 1)
    """
    memberships = load_table("memberships")
    members = memberships[memberships["status"] == "member"]
    since = members.groupby("iso3")["start_date"].min()
    chairs = load_table("chairmanships").groupby("chair_iso3")["start_date"].agg(["count", "min", "max"])
    hosted = load_table("summits")["host_iso3"].value_counts()
    rows = []
    for iso3, joined in since.items():
        count = int(chairs.loc[iso3, "count"]) if iso3 in chairs.index else 0
        first = chairs.loc[iso3, "min"] if count else pd.NaT
        rows.append({
            "iso3": iso3, "times_chaired": count,
            "first_chair_year": pd.NA if not count else int(first.year),
            "last_chair_year": pd.NA if not count else int(chairs.loc[iso3, "max"].year),
            "summits_hosted": int(hosted.get(iso3, 0)), "member_since": joined,
            "years_member_before_first_chair": pd.NA if not count else round((first - joined).days / 365.25, 1),
        })
    out = pd.DataFrame(rows)
    for column in ("first_chair_year", "last_chair_year"):
        out[column] = out[column].astype("Int64")
    out["years_member_before_first_chair"] = out["years_member_before_first_chair"].astype("Float64")
    return out.sort_values(["member_since", "iso3"], ignore_index=True)


def summit_documents() -> pd.DataFrame:
    """One row per main document adopted at a summit, with the citation that records it.

    Summits whose documents are not verified (see ``data/README.md``) have no rows.

    Examples
    --------
    >>> docs = summit_documents()
    >>> docs.loc[docs["number"] == 1, "document"].tolist()[0]
    'Declaration on the Establishment of the Shanghai Cooperation Organization'
    """
    summits = load_table("summits")
    rows = []
    for summit in summits.itertuples(index=False):
        for document in filter(None, (d.strip() for d in str(summit.documents or "").split(";"))):
            rows.append({"number": int(summit.number), "year": summit.start_date.year, "city": summit.city,
                         "document": document, "source_id": summit.documents_source_id})
    return pd.DataFrame(rows, columns=["number", "year", "city", "document", "source_id"])


def chair_basis(spell) -> str:
    """How a chairmanship (a row of ``chairmanships.csv``) is known, in the words every report uses.

    Examples
    --------
    >>> from sco_research import chair_on
    >>> chair_basis(chair_on("2024-01-01")), chair_basis(chair_on("2026-09-01"))
    ('stated by the source', "inferred from the next summit's host")
    """
    return "inferred from the next summit's host" if spell["is_inferred"] else "stated by the source"


def chair_and_next(on) -> tuple[pd.Series | None, pd.Series | None]:
    """The chairmanship in force on a day and the one after it (None when not recorded).

    Examples
    --------
    >>> current, following = chair_and_next("2025-10-01")
    >>> current["chair_iso3"], following["chair_iso3"]
    ('KGZ', 'PAK')
    >>> chair_and_next("2026-10-01")[1] is None
    True
    """
    day = parse_date(on, "on")
    spells = load_table("chairmanships").sort_values("start_date").reset_index(drop=True)
    current = spells[(spells["start_date"] <= day) & (spells["end_date"].isna() | (spells["end_date"] > day))]
    if current.empty:
        return None, None
    position = current.index[0]
    following = spells.iloc[position + 1] if position + 1 < len(spells) else None
    return current.iloc[0], following
