"""Membership analysis: functions of the memberships table (the bundled one unless another is passed).

Spells are half-open intervals ``[start_date, end_date)``: a state whose
observer spell ends on 2017-06-09 and whose member spell starts that day is a
member on 2017-06-09, not an observer. An empty ``end_date`` means ongoing.

The table also records the SCO's precursor, the "Shanghai Five" (status
``"shanghai_five"``, :data:`~sco_research.data.vocab.PRECURSOR_STATUS`: the
five signatories of the Shanghai agreement from 26 April 1996, Uzbekistan from
14 June 2001, every spell ending on 15 June 2001). It is not an SCO status:
:func:`members`, :func:`status_counts` and :func:`change_dates` never count it,
and :func:`status_on` and :func:`status_panel` show it only on request.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..data import load_table, snapshot
from ..data.vocab import FOUNDING_DATE, PRECURSOR_STATUS, RECORDED_STATUSES, STATUS_LABELS, STATUSES
from ..errors import ParameterError
from ..params import parse_date, parse_year, require_choice

__all__ = ["FOUNDING_DATE", "STATUS_LABELS", "STATUSES", "PRECURSOR_STATUS", "CONVENTIONS", "active_spells",
           "check_include_precursor", "status_categorical", "status_on", "members", "status_panel", "change_dates",
           "status_counts", "latest_date", "chair_on", "latest_summit", "summit_covering"]

_REFERENCE_DAYS = {"year_end": (12, 31), "mid_year": (7, 1), "year_start": (1, 1)}

#: Conventions of :func:`status_panel`: the package's own (``"sco"``) and that of the Correlates of War IGO data
#: v3 (``"cow"``), which treat the Shanghai Five and the SCO as one organisation from 1996 and record no observers.
CONVENTIONS = ("sco", "cow")


def _memberships(memberships: pd.DataFrame | None) -> pd.DataFrame:
    return load_table("memberships") if memberships is None else memberships


def check_include_precursor(value) -> bool:
    """Validate an ``include_precursor`` argument: True or False.

    Examples
    --------
    >>> check_include_precursor(True)
    True
    """
    if not isinstance(value, bool):
        raise ParameterError("include_precursor", value, "True or False")
    return value


def active_spells(spells: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    """Rows of a spell table (``start_date``/``end_date``, half-open) in force on ``day``."""
    return spells[_in_force(spells, day)]


def _in_force(spells: pd.DataFrame, day: pd.Timestamp):
    """Boolean array: which spells are in force on ``day`` (computed on plain arrays, as maps ask often)."""
    start = spells["start_date"].to_numpy()
    end = spells["end_date"].to_numpy()
    moment = np.datetime64(pd.Timestamp(day).to_datetime64(), "ns")
    return (start <= moment) & (np.isnat(end) | (end > moment))


def status_categorical(values, *, include_none: bool = False, include_precursor: bool = False) -> pd.Categorical:
    """Ordered categorical of statuses with every category present.

    Keeping unused categories is what makes legends and tables identical for
    every date. The categories are :data:`STATUSES`, then ``"shanghai_five"``
    when ``include_precursor``, then ``"none"`` when ``include_none``.

    Examples
    --------
    >>> list(status_categorical(["partner"]).categories)
    ['member', 'observer', 'dialogue_partner', 'partner']
    >>> list(status_categorical([], include_precursor=True, include_none=True).categories)[-2:]
    ['shanghai_five', 'none']
    """
    cats = list(RECORDED_STATUSES if include_precursor else STATUSES) + (["none"] if include_none else [])
    return pd.Categorical(values, categories=cats, ordered=True)


def status_on(date, *, include_precursor: bool = False, memberships: pd.DataFrame | None = None) -> pd.DataFrame:
    """States holding any SCO status on a day (and, on request, the Shanghai Five).

    Parameters
    ----------
    date : str, datetime.date or pandas.Timestamp
        The day (ISO ``YYYY-MM-DD`` when a string). Days before the SCO was
        founded (15 June 2001) are accepted: without ``include_precursor``
        nobody held an SCO status on them.
    include_precursor : bool
        Also list the states of the Shanghai Five, the SCO's precursor, with
        status ``"shanghai_five"`` (26 April 1996 to 14 June 2001), and add
        that category to ``status``.
    memberships : pandas.DataFrame, optional
        A memberships table; defaults to the bundled one.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3`` (string) and ``status`` (ordered categorical over
        :data:`STATUSES`, plus ``"shanghai_five"`` when ``include_precursor``),
        one row per state, sorted by status then code.

    Examples
    --------
    >>> status_on("2001-06-15")["iso3"].tolist()
    ['CHN', 'KAZ', 'KGZ', 'RUS', 'TJK', 'UZB']
    >>> status_on("1998-01-01").empty
    True
    >>> status_on("1998-01-01", include_precursor=True)["iso3"].tolist()
    ['CHN', 'KAZ', 'KGZ', 'RUS', 'TJK']
    """
    day = parse_date(date, "date")
    include_precursor = check_include_precursor(include_precursor)
    if memberships is None:
        # Maps, animations and tables ask for the same days again and again; the answer is kept per
        # snapshot of the data (the store's content-keyed cache), so an edit is never answered from stale data.
        return _bundled_status_on(snapshot().key, day, include_precursor).copy()
    return _status_on(memberships, day, include_precursor)


@lru_cache(maxsize=1024)
def _bundled_status_on(snapshot_key: tuple, day: pd.Timestamp, include_precursor: bool) -> pd.DataFrame:
    return _status_on(load_table("memberships"), day, include_precursor)


def _status_on(memberships: pd.DataFrame, day: pd.Timestamp, include_precursor: bool) -> pd.DataFrame:
    status = memberships["status"].astype(str).to_numpy(dtype=object)
    active = _in_force(memberships, day)
    if not include_precursor:
        active &= status != PRECURSOR_STATUS
    iso3 = memberships["iso3"].to_numpy(dtype=object)[active]
    status = status[active]
    rank = np.array([RECORDED_STATUSES.index(s) for s in status], dtype=int)
    order = np.lexsort((iso3.astype(str), rank))
    return pd.DataFrame({
        "iso3": pd.array(iso3[order], dtype="string"),
        "status": status_categorical(status[order], include_precursor=include_precursor),
    })


def members(on, *, memberships: pd.DataFrame | None = None) -> list[str]:
    """Sorted ISO3 codes of the member states on a day.

    Only SCO members: the Shanghai Five (1996-2001) is never counted, so the
    list is empty before 15 June 2001.

    Examples
    --------
    >>> len(members(on="2017-06-08")), len(members(on="2017-06-09"))
    (6, 8)
    >>> members(on="1998-01-01")
    []
    """
    if memberships is None:  # asked hundreds of times per trade report: kept per snapshot of the data, as status_on
        return list(_bundled_members(snapshot().key, parse_date(on, "on")))
    frame = status_on(on, memberships=memberships)
    return sorted(frame.loc[frame["status"] == "member", "iso3"].tolist())


@lru_cache(maxsize=1024)
def _bundled_members(snapshot_key: tuple, day: pd.Timestamp) -> tuple[str, ...]:
    frame = _bundled_status_on(snapshot_key, day, False)
    return tuple(sorted(frame.loc[frame["status"] == "member", "iso3"].tolist()))


def status_panel(start_year: int, end_year: int, reference: str = "year_end", *, convention: str = "sco",
                 memberships: pd.DataFrame | None = None, states: pd.DataFrame | None = None) -> pd.DataFrame:
    """State-year panel of SCO statuses, in the spirit of the COW IGO data.

    Parameters
    ----------
    start_year, end_year : int
        Inclusive range of years.
    reference : {"year_end", "mid_year", "year_start"}
        Day of the year on which the status is read: 31 December, 1 July or
        1 January.
    convention : {"sco", "cow"}
        ``"sco"`` (default): the SCO statuses as recorded; the Shanghai Five
        (1996-2001) is left out, so years before 2001 are all ``"none"``.
        ``"cow"``: as the Correlates of War IGO data v3 code the SCO, one
        organisation from 1996 whose only status is full membership: a
        Shanghai Five state counts as ``"member"``, and observers, dialogue
        partners and partners as ``"none"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``year`` (int64) and ``status`` (ordered categorical
        over :data:`STATUSES` with the extra category ``"none"``, whatever the
        convention), one row for every state in ``states.csv`` and every year.

    Examples
    --------
    >>> panel = status_panel(2016, 2017)
    >>> panel.query("iso3 == 'IND'")["status"].tolist()
    ['observer', 'member']
    >>> cow = status_panel(1998, 2017, convention="cow").set_index(["iso3", "year"])["status"]
    >>> cow["CHN", 1998], cow["IND", 2016], cow["IND", 2017]
    ('member', 'none', 'member')
    """
    start_year, end_year = parse_year(start_year, "start_year"), parse_year(end_year, "end_year")
    if end_year < start_year:
        raise ParameterError("end_year", end_year, f"a year not before start_year={start_year}")
    if reference not in _REFERENCE_DAYS:
        raise ParameterError("reference", reference, f"one of {', '.join(map(repr, _REFERENCE_DAYS))}")
    require_choice("convention", convention, CONVENTIONS)
    cow = convention == "cow"
    m = _memberships(memberships)
    codes = sorted((load_table("states") if states is None else states)["iso3"].tolist())
    month, day = _REFERENCE_DAYS[reference]
    rows = []
    for year in range(start_year, end_year + 1):
        on = status_on(pd.Timestamp(year=year, month=month, day=day), include_precursor=cow, memberships=m)
        held = dict(zip(on["iso3"], on["status"].astype(str)))
        if cow:
            # One organisation from 1996 with full members only: precursor years are membership years.
            held = {code: "member" for code, status in held.items() if status in ("member", PRECURSOR_STATUS)}
        rows.extend((code, year, held.get(code, "none")) for code in codes)
    panel = pd.DataFrame(rows, columns=["iso3", "year", "status"])
    panel["iso3"] = panel["iso3"].astype("string")
    panel["year"] = panel["year"].astype("int64")
    panel["status"] = status_categorical(panel["status"], include_none=True)
    return panel


def change_dates(*, include_precursor: bool = False, memberships: pd.DataFrame | None = None) -> list[pd.Timestamp]:
    """Every day on which some state's SCO status changed, in order.

    Parameters
    ----------
    include_precursor : bool
        Also the days on which the Shanghai Five changed (26 April 1996,
        14 June 2001 and its end, 15 June 2001).
    memberships : pandas.DataFrame, optional
        A memberships table; defaults to the bundled one.

    Examples
    --------
    >>> [d.year for d in change_dates()][:3]
    [2001, 2004, 2005]
    >>> [d.date().isoformat() for d in change_dates(include_precursor=True)][:3]
    ['1996-04-26', '2001-06-14', '2001-06-15']
    """
    m = _memberships(memberships)
    if not check_include_precursor(include_precursor):
        m = m[m["status"] != PRECURSOR_STATUS]
    days = set(m["start_date"]) | set(m["end_date"].dropna())
    return sorted(pd.Timestamp(d) for d in days)


def status_counts(*, include_precursor: bool = False, memberships: pd.DataFrame | None = None) -> pd.DataFrame:
    """Number of states per SCO status after each change of status.

    Parameters
    ----------
    include_precursor : bool
        Also count the Shanghai Five (1996-2001), in a column of its own,
        from its first day (26 April 1996); otherwise it is not counted.
    memberships : pandas.DataFrame, optional
        A memberships table; defaults to the bundled one.

    Returns
    -------
    pandas.DataFrame
        Index ``date`` (each change day), one int64 column per status in
        :data:`STATUSES` order (then ``"shanghai_five"`` when
        ``include_precursor``), plus ``total``: the states holding an SCO
        status (the precursor is never in it).

    Examples
    --------
    >>> status_counts().loc["2024-07-04", "member"]
    np.int64(10)
    >>> status_counts(include_precursor=True)["shanghai_five"].tolist()[:3]
    [5, 6, 0]
    """
    include_precursor = check_include_precursor(include_precursor)
    m = _memberships(memberships)
    columns = [*STATUSES, PRECURSOR_STATUS] if include_precursor else list(STATUSES)
    rows = []
    for day in change_dates(include_precursor=include_precursor, memberships=m):
        held = status_on(day, include_precursor=include_precursor, memberships=m)["status"].astype(str)
        rows.append([day, *held.value_counts().reindex(columns, fill_value=0).astype("int64").tolist()])
    out = pd.DataFrame(rows, columns=["date", *columns]).set_index("date")
    out["total"] = out[list(STATUSES)].sum(axis=1)
    return out.astype("int64")


def latest_date() -> pd.Timestamp:
    """Latest date recorded anywhere in the membership, summit and chair tables.

    This is the default ``as_of`` of the notebooks: the data say nothing later.
    """
    return _latest_date(snapshot().key)


@lru_cache(maxsize=8)
def _latest_date(snapshot_key: tuple) -> pd.Timestamp:
    memberships = load_table("memberships")
    candidates = [memberships["start_date"].max(), memberships["end_date"].max(),
                  load_table("summits")["end_date"].max(), load_table("chairmanships")["start_date"].max()]
    return pd.Timestamp(max(c for c in candidates if not pd.isna(c)))


def chair_on(date) -> pd.Series | None:
    """The chairmanship spell in force on a day, or None before the first one.

    Examples
    --------
    >>> chair_on("2024-01-01")["chair_iso3"]
    'KAZ'
    """
    day = parse_date(date, "date")
    hit = active_spells(load_table("chairmanships"), day)
    return None if hit.empty else hit.iloc[0]


def latest_summit(on) -> pd.Series | None:
    """The last Council of Heads of State meeting that began on or before a day.

    Examples
    --------
    >>> int(latest_summit("2025-12-31")["number"])
    25
    """
    day = parse_date(on, "on")
    s = load_table("summits")
    past = s[s["start_date"] <= day].sort_values("start_date")
    return None if past.empty else past.iloc[-1]


def summit_covering(date) -> pd.Series | None:
    """The Council of Heads of State meeting in session on a day, or None.

    Status decisions take effect on a summit day, so this names the summit
    behind each change of :func:`change_dates`.

    Examples
    --------
    >>> summit_covering("2017-06-09")["city"]
    'Astana'
    """
    day = parse_date(date, "date")
    s = load_table("summits")
    hit = s[(s["start_date"] <= day) & (s["end_date"] >= day)]
    return None if hit.empty else hit.iloc[0]
