"""Support for the ``01_membership_growth`` notebook: parameter checks and the snapshot table.

The notebook's parameter cell holds literals only; :func:`resolve_parameters`
checks them all before anything is drawn and returns typed values.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..analysis.geography import EXTENTS, PROJECTIONS, area_share, check_statuses, resolve_projection
from ..analysis.membership import change_dates, members, status_on
from ..data import load_memberships, load_states
from ..data.vocab import STATUSES
from ..errors import ParameterError
from ..params import parse_date, require_choice
from ..plotting.maps import growth_snapshot_dates
from .tour import resolve_as_of

#: The seed article's claim that the map notebook checks.
EURASIA_CLAIM_SHARE = 0.60

#: Defaults of the notebook's parameter cell (a test keeps the two equal).
DEFAULTS = {
    "as_of": "latest",
    "snapshot_dates": [],
    "statuses": list(STATUSES),
    "extent": "eurasia",
    "projection": "default",
    "save_figures": True,
}


@dataclass(frozen=True)
class GrowthParameters:
    """Checked parameters of the membership-growth notebook."""

    as_of: pd.Timestamp
    snapshot_dates: tuple[pd.Timestamp, ...]
    statuses: tuple[str, ...]
    extent: str
    projection: str | None
    save_figures: bool

    def figure_parameters(self) -> dict:
        """The parameters that differ from the notebook defaults, for stable figure names.

        Defaults are compared after resolution, so ``as_of="latest"`` and the
        latest date itself name the same files.
        """
        default = resolve_parameters(**DEFAULTS)
        # The default snapshots depend on as_of: compare with those for this report's day.
        default_snapshots = default_snapshot_dates(self.as_of)
        current = {"as_of": self.as_of.date().isoformat(),
                   "snapshot_dates": [d.date().isoformat() for d in self.snapshot_dates],
                   "statuses": list(self.statuses), "extent": self.extent,
                   "projection": self.projection or "default"}
        baseline = {"as_of": default.as_of.date().isoformat(),
                    "snapshot_dates": [d.date().isoformat() for d in default_snapshots],
                    "statuses": list(default.statuses), "extent": default.extent, "projection": "default"}
        return {k: v for k, v in current.items() if baseline[k] != v}


def default_snapshot_dates(as_of: pd.Timestamp) -> tuple[pd.Timestamp, ...]:
    """The small multiples drawn when none are given: the growth snapshots up to ``as_of``, not beyond it.

    Examples
    --------
    >>> [d.year for d in default_snapshot_dates(pd.Timestamp("2017-06-09"))]
    [2001, 2004, 2009, 2017]
    """

    return tuple(d for d in growth_snapshot_dates() if d <= as_of)


def resolve_parameters(*, as_of, snapshot_dates, statuses, extent, projection, save_figures) -> GrowthParameters:
    """Check every notebook parameter; raise :class:`ParameterError` on the first bad one.

    Parameters
    ----------
    as_of : str
        ``"latest"`` or an ISO day from 2001-06-15 to the latest date in the data.
    snapshot_dates : list of str
        Days of the small multiples; empty means those of
        :func:`~sco_research.plotting.growth_snapshot_dates` up to ``as_of``.
    statuses : list of str
        Statuses to colour, from :data:`~sco_research.STATUSES`.
    extent : str
        ``"eurasia"`` or ``"world"``.
    projection : str
        ``"default"`` (the extent's own), ``"eurasia_laea"`` or ``"equal_earth"``.
    save_figures : bool
        Whether to write figure files.

    Examples
    --------
    >>> p = resolve_parameters(as_of="2017-06-09", snapshot_dates=[], statuses=["member"],
    ...                        extent="eurasia", projection="default", save_figures=False)
    >>> p.as_of.date().isoformat(), p.statuses, [d.year for d in p.snapshot_dates]
    ('2017-06-09', ('member',), [2001, 2004, 2009, 2017])
    """

    day = resolve_as_of(as_of)
    if not isinstance(snapshot_dates, (list, tuple)):
        raise ParameterError("snapshot_dates", snapshot_dates, "a list of ISO dates (empty: every membership change)")
    snapshots = tuple(resolve_as_of(d, name="snapshot_dates") for d in snapshot_dates) or default_snapshot_dates(day)
    chosen = check_statuses(statuses)

    require_choice("extent", extent, EXTENTS)
    require_choice("projection", projection, ("default", *PROJECTIONS))
    projection = None if projection == "default" else projection
    resolve_projection(projection, extent)
    if not isinstance(save_figures, bool):
        raise ParameterError("save_figures", save_figures, "True or False")
    return GrowthParameters(day, snapshots, chosen, extent, projection, save_figures)


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


def changes_on(day) -> pd.DataFrame:
    """States whose status changed on a day: before and after, with the citation of the new spell.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso3``, ``name_en``, ``before``, ``after`` (status or
        "none") and ``source_id``, sorted by ``after`` then ``iso3``.

    Examples
    --------
    >>> changes_on("2017-06-09")[["iso3", "before", "after"]].values.tolist()
    [['IND', 'observer', 'member'], ['PAK', 'observer', 'member']]
    """

    day = parse_date(day, "day")
    before = status_on(day - pd.Timedelta(days=1)).set_index("iso3")["status"].astype(str)
    after = status_on(day).set_index("iso3")["status"].astype(str)
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
    order = {s: i for i, s in enumerate((*STATUSES, "none"))}
    return frame.sort_values(["after", "iso3"], key=lambda c: c.map(order) if c.name == "after" else c,
                             ignore_index=True)
