"""Support for the ``01_membership_growth`` notebook: the snapshot table, the changes and the Eurasia claim.

Its parameters are checked by :class:`sco_research.reports.parameters.GrowthParameters`.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.geography import area_share
from ..analysis.membership import change_dates, members, status_on
from ..data import load_memberships, load_states
from ..data.vocab import PRECURSOR_STATUS, STATUSES
from ..params import parse_date
from ..plotting.maps import growth_snapshot_dates

#: The seed article's claim that the map notebook checks.
EURASIA_CLAIM_SHARE = 0.60

def default_snapshot_dates(as_of: pd.Timestamp, *, include_precursor: bool = False) -> tuple[pd.Timestamp, ...]:
    """The small multiples drawn when none are given: the growth snapshots up to ``as_of``, not beyond it
    (with ``include_precursor``, starting with the Shanghai Five of 1996).

    Examples
    --------
    >>> [d.year for d in default_snapshot_dates(pd.Timestamp("2017-06-09"))]
    [2001, 2004, 2009, 2017]
    >>> [d.year for d in default_snapshot_dates(pd.Timestamp("2004-06-17"), include_precursor=True)]
    [1996, 2001, 2004]
    """

    return tuple(d for d in growth_snapshot_dates(include_precursor=include_precursor) if d <= as_of)


def snapshot_table(dates, statuses=STATUSES) -> pd.DataFrame:
    """Counts and land-area shares for each snapshot day.

    Returns
    -------
    pandas.DataFrame
        One row per day: ``date``, the number of ``members`` and of holders of
        any selected status (``with_status``), and area shares in percent
        (``member_share_eurasia``, ``status_share_eurasia``,
        ``member_share_world``), each rounded to 1 decimal.

    Examples
    --------
    >>> snapshot_table(["2017-06-09"]).iloc[0]["member_share_eurasia"]
    np.float64(62.6)
    """

    rows = []
    for day in dates:
        held = status_on(day)
        rows.append({
            "date": pd.Timestamp(day).date().isoformat(),
            "members": len(members(on=day)),
            "with_status": int(held["status"].astype(str).isin(statuses).sum()),
            "member_share_eurasia": round(100 * area_share(day, ("member",), "eurasia"), 1),
            "status_share_eurasia": round(100 * area_share(day, statuses, "eurasia"), 1),
            "member_share_world": round(100 * area_share(day, ("member",), "world"), 1),
        })
    return pd.DataFrame(rows)


def eurasia_claim_verdict(day) -> str:
    """Whether the members' land area on a day exceeds 60 % of Eurasia, in one sentence.

    Examples
    --------
    >>> eurasia_claim_verdict("2024-07-04").startswith("Supported")
    True
    """

    share = area_share(day, ("member",), "eurasia")
    first = _first_day_above(EURASIA_CLAIM_SHARE)
    since = f" The members' share first passed 60 % on {first.date().isoformat()}." if first is not None else ""
    if share > EURASIA_CLAIM_SHARE:
        return (f"Supported: on {pd.Timestamp(day).date().isoformat()} the {len(members(on=day))} members held "
                f"{100 * share:.1f} % of Eurasia's land area (M49 Europe + Asia).{since}")
    return (f"Not supported on {pd.Timestamp(day).date().isoformat()}: the members held {100 * share:.1f} % of "
            f"Eurasia's land area (M49 Europe + Asia).{since}")


def _first_day_above(threshold: float):
    for day in change_dates():
        if area_share(day, ("member",), "eurasia") > threshold:
            return day
    return None


def changes_on(day, *, include_precursor: bool = False) -> pd.DataFrame:
    """States whose status changed on a day: before and after, with the citation of the new spell.

    With ``include_precursor`` the Shanghai Five counts as a status ("shanghai_five"): its states
    appear on 26 April 1996, Uzbekistan on 14 June 2001, and the founders' "before" on 15 June 2001.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``name_en``, ``before``, ``after`` (status or
        "none") and ``source_id``, sorted by ``after`` then ``iso3``.

    Examples
    --------
    >>> changes_on("2017-06-09")[["iso3", "before", "after"]].values.tolist()
    [['IND', 'observer', 'member'], ['PAK', 'observer', 'member']]
    >>> changes_on("2001-06-14", include_precursor=True)[["iso3", "after"]].values.tolist()
    [['UZB', 'shanghai_five']]
    """

    day = parse_date(day, "day")
    held = {"include_precursor": include_precursor}
    before = status_on(day - pd.Timedelta(days=1), **held).set_index("iso3")["status"].astype(str)
    after = status_on(day, **held).set_index("iso3")["status"].astype(str)
    codes = sorted(set(before.index) | set(after.index))
    spells = load_memberships()
    starting = spells[spells["start_date"] == day].set_index("iso3")["source_id"]
    ending = spells[spells["end_date"] == day].set_index("iso3")["source_id"]
    names = load_states().set_index("iso3")["name_en"]
    rows = []
    for code in codes:
        old, new = before.get(code, "none"), after.get(code, "none")
        if old != new:
            source = starting.get(code, ending.get(code))
            rows.append({"iso3": code, "name_en": names[code], "before": old, "after": new, "source_id": source})
    frame = pd.DataFrame(rows, columns=["iso3", "name_en", "before", "after", "source_id"])
    order = {s: i for i, s in enumerate((*STATUSES, PRECURSOR_STATUS, "none"))}
    return frame.sort_values(["after", "iso3"], key=lambda c: c.map(order) if c.name == "after" else c,
                             ignore_index=True)
