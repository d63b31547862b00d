"""Maps of SCO membership: one day, or small multiples through time.

Every map uses the same colours (:data:`~sco_research.plotting.STATUS_COLORS`)
and the same legend, whatever the day: statuses that nobody holds that day are
still listed, so maps of different days can be compared side by side.

The Shanghai Five, the SCO's precursor (1996-2001), is drawn only on request
(``include_precursor=True``): then it has its own colour and legend entry, and
maps of days before the SCO's founding on 15 June 2001 show it.

Each drawn group is one matplotlib ``PathCollection``, one compound path per
country, whose ``gid`` names it (``"status:member"``, ``"status:none"``,
``"no_iso_code"``), which is how the tests check what was drawn.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ..analysis.geography import check_statuses, map_frame, map_geometries, resolve_projection, view_limits
from ..analysis.membership import active_spells, change_dates, check_include_precursor, latest_date, members, status_on
from ..analysis.sources import source_notes
from ..data import load_memberships, snapshot
from ..data.vocab import PRECURSOR_STATUS, RECORDED_STATUSES, STATUS_LABELS, STATUSES
from ..errors import ParameterError
from ..params import day_in_words, parse_date
from .membership import STATUS_COLORS
from .style import chart_style, source_line

#: Fill of countries with no SCO status that day.
NO_STATUS_COLOR = "#e4e4e4"
NO_STATUS_LABEL = "No SCO status"
#: Features without an ISO code (Kosovo, N. Cyprus, Somaliland, Siachen Glacier, ...).
NO_ISO_LABEL = "No ISO code (disputed or unrecognised)"
_EDGE = {"edgecolor": "white", "linewidth": 0.25}


def membership_legend_handles(statuses=STATUSES, *, include_precursor: bool = False) -> list:
    """Legend patches: one per status in ``statuses`` (in canonical order), the Shanghai Five when
    ``include_precursor``, then the two fixed entries.

    Examples
    --------
    >>> [h.get_label() for h in membership_legend_handles(["member"])]
    ['Member state', 'No SCO status', 'No ISO code (disputed or unrecognised)']
    >>> [h.get_label() for h in membership_legend_handles(["member"], include_precursor=True)][:2]
    ['Member state', 'Shanghai Five (precursor)']
    """
    from matplotlib.patches import Patch

    shown = check_statuses(statuses) + ((PRECURSOR_STATUS,) if check_include_precursor(include_precursor) else ())
    handles = [Patch(facecolor=STATUS_COLORS[s], label=STATUS_LABELS[s], **_EDGE) for s in shown]
    handles.append(Patch(facecolor=NO_STATUS_COLOR, edgecolor="#9a9a9a", linewidth=0.5, label=NO_STATUS_LABEL))
    handles.append(Patch(facecolor=NO_STATUS_COLOR, edgecolor="#6f6f6f", hatch="////", linewidth=0.5,
                         label=NO_ISO_LABEL))
    return handles


def _draw_groups(frame, ax, paths) -> None:
    has_status = frame["status"].notna()
    no_iso = ~frame["has_iso_code"]
    groups = [("status:none", ~has_status & ~no_iso, {"facecolor": NO_STATUS_COLOR, **_EDGE})]
    groups.append(("no_iso_code", no_iso, {"facecolor": NO_STATUS_COLOR, "edgecolor": "#6f6f6f", "hatch": "////",
                                            "linewidth": 0.3}))
    for status in RECORDED_STATUSES:  # the precursor last: present only in frames that asked for it
        groups.append((f"status:{status}", frame["status"] == status, {"facecolor": STATUS_COLORS[status], **_EDGE}))
    for gid, mask, style in groups:
        if mask.any():
            ax.add_collection(path_collection(paths[mask.to_numpy()], gid=gid, **style), autolim=True)
    ax.autoscale_view()


def geometry_paths(geometries) -> list:
    """One matplotlib ``Path`` per (multi)polygon, holes included, built without a Python loop per ring.

    Rings are oriented first (exteriors anticlockwise, holes clockwise), so
    holes stay empty whatever the fill rule.

    Examples
    --------
    >>> from shapely.geometry import Polygon, box
    >>> donut = Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (1, 3), (3, 3), (3, 1)]])
    >>> [len(p.vertices) for p in geometry_paths([donut, box(5, 5, 6, 6)])]
    [10, 5]
    """
    import numpy as np
    import shapely
    from matplotlib.path import Path

    geometries = shapely.orient_polygons(np.asarray(list(geometries), dtype=object))
    if len(geometries) == 0:
        return []
    kind, coords, offsets = shapely.to_ragged_array(geometries)
    if kind not in (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON):
        raise TypeError(f"polygons expected, got {kind.name.lower()} geometries")
    rings = offsets[0]
    codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
    codes[rings[:-1]] = Path.MOVETO
    codes[rings[1:] - 1] = Path.CLOSEPOLY
    # Vertex range of each geometry: follow geometry -> polygon -> ring offsets down to the coordinates.
    starts = rings[offsets[1][offsets[2]]] if kind == shapely.GeometryType.MULTIPOLYGON else rings[offsets[1]]
    return [Path(coords[a:b], codes[a:b]) for a, b in zip(starts[:-1], starts[1:])]


def path_collection(paths, **style):
    """One collection drawing ``paths`` in data coordinates (one path per country: see :func:`geometry_paths`).

    Unlike ``GeoDataFrame.plot``, adding it does not redraw the canvas, and
    one compound path per country (rather than one patch per island) keeps
    drawing and SVG output small.

    Examples
    --------
    >>> from shapely.geometry import MultiPolygon, box
    >>> paths = geometry_paths([MultiPolygon([box(0, 0, 1, 1), box(2, 2, 3, 3)]), box(5, 5, 6, 6)])
    >>> len(path_collection(paths, facecolor="#1f77b4", gid="demo").get_paths())
    2
    """
    from matplotlib.collections import PathCollection

    # PathCollection scales each path by `sizes` (points); None draws them in data coordinates.
    collection = PathCollection(list(paths), **style)
    collection.set_sizes(None)
    return collection


def map_paths(extent: str = "eurasia", projection: str | None = None):
    """The drawn geometries of a map as matplotlib paths, one per row of :func:`~sco_research.analysis.geography.map_frame`.

    Built once per extent and projection and cached, like the projected geometries.

    Examples
    --------
    >>> from sco_research.analysis.geography import map_frame
    >>> len(map_paths("eurasia")) == len(map_frame("2024-07-04"))
    True
    """

    _, crs = resolve_projection(projection, extent)
    return _map_paths(extent, crs, snapshot().key)


@lru_cache(maxsize=8)
def _map_paths(extent: str, crs: str, snapshot_key: tuple):
    import numpy as np

    geometries = map_geometries(extent, crs)
    paths = np.empty(len(geometries), dtype=object)
    paths[:] = geometry_paths(geometries.to_numpy())
    paths.flags.writeable = False  # shared by every map drawn in this process
    return paths


def _map_sources(days, frame):
    """Source notes of a map: the boundaries, then the membership rows in force on the days drawn."""
    spells = load_memberships()
    ids = list(frame["source_id"].dropna().astype(str))
    for day in days:
        ids += list(active_spells(spells, day)["source_id"].dropna().astype(str))
    return source_notes(ids)


def plot_membership_map(on=None, *, ax=None, statuses=STATUSES, extent: str = "eurasia",
                        projection: str | None = None, legend: bool = True, title: str | None = None,
                        include_precursor: bool = False, sources=None):
    """Map of the SCO status each state held on a day.

    Parameters
    ----------
    on : str, datetime.date or pandas.Timestamp, optional
        The day; defaults to the latest date in the data.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when omitted.
    statuses : sequence of str
        Statuses to colour; holders of other statuses are drawn as "no status".
    extent : {"eurasia", "world"}
        Area shown (:data:`sco_research.analysis.geography.EXTENTS`).
    projection : {"eurasia_laea", "equal_earth"}, optional
        Defaults to the extent's projection (the Eurasian LAEA for "eurasia").
    legend : bool
        Draw the legend (the small multiples draw one shared legend instead).
    title : str, optional
        Defaults to "SCO statuses on <day>" ("SCO statuses and the Shanghai
        Five on <day>" with ``include_precursor``).
    include_precursor : bool
        Also colour the states of the Shanghai Five, the SCO's precursor
        (26 April 1996 to 14 June 2001), and list it in the legend.
    sources : pandas.DataFrame, str or False, optional
        Source notes for the line under the map; by default the boundaries
        and the membership rows in force that day. ``False`` writes none
        (the small multiples write one line for all panels).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ParameterError
        For a bad date, status, extent or projection, before anything is drawn.

    Examples
    --------
    >>> ax = plot_membership_map("2017-06-09")
    >>> ax.get_title()
    'SCO statuses on 9 June 2017'
    >>> ax = plot_membership_map("1998-01-01", include_precursor=True)
    >>> len(next(c for c in ax.collections if c.get_gid() == "status:shanghai_five").get_paths())
    5
    """

    day = latest_date() if on is None else parse_date(on, "on")
    frame = map_frame(day, statuses=statuses, extent=extent, projection=projection,
                      include_precursor=include_precursor)
    import matplotlib.pyplot as plt

    with chart_style():
        if ax is None:
            _, ax = plt.subplots(figsize=(9, 6))
        _draw_groups(frame, ax, map_paths(extent, projection))

        xmin, ymin, xmax, ymax = view_limits(extent, projection)
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(ymin, ymax)
        ax.set_aspect("equal")
        ax.set_axis_off()
        what = "SCO statuses and the Shanghai Five" if include_precursor else "SCO statuses"
        ax.set_title(title if title is not None else f"{what} on {day_in_words(day)}")
        if legend:
            ax.legend(handles=membership_legend_handles(statuses, include_precursor=include_precursor),
                      loc="lower left", bbox_to_anchor=(1.0, 0.0), fontsize=8.5, frameon=False)
        if sources is not False:
            source_line(ax, _map_sources([day], frame) if sources is None else sources, events=True)
    return ax


def growth_snapshot_dates(*, include_precursor: bool = False) -> list[pd.Timestamp]:
    """Default panels of :func:`plot_membership_growth`.

    The days on which the set of members changed (2001, 2017, 2023, 2024),
    plus the first day each other status existed (observer 2004, dialogue
    partner 2009, partner 2025); with ``include_precursor``, also the first
    day of the Shanghai Five (26 April 1996).

    Examples
    --------
    >>> [d.year for d in growth_snapshot_dates()]
    [2001, 2004, 2009, 2017, 2023, 2024, 2025]
    >>> [d.year for d in growth_snapshot_dates(include_precursor=True)][:2]
    [1996, 2001]
    """
    days, previous, seen = [], None, set()
    for day in change_dates(include_precursor=include_precursor):
        current = members(on=day)
        statuses = set(status_on(day, include_precursor=include_precursor)["status"].astype(str))
        if current != previous or statuses - seen:
            days.append(day)
        previous, seen = current, seen | statuses
    return days


def plot_membership_growth(dates=None, *, statuses=STATUSES, extent: str = "eurasia",
                           projection: str | None = None, ncols: int = 4, panel_size: float = 3.2,
                           include_precursor: bool = False):
    """Small multiples: one membership map per day, with one shared legend.

    Parameters
    ----------
    dates : sequence of date-like, optional
        Days to draw, in the order given; defaults to :func:`growth_snapshot_dates`.
    statuses, extent, projection, include_precursor
        As in :func:`plot_membership_map`. With ``include_precursor`` the
        default days start with the Shanghai Five (1996), and the title of a
        panel before the SCO's founding counts the Shanghai Five's states.
    ncols : int
        Panels per row.
    panel_size : float
        Height of one panel in inches.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per day (titled with the day and the member count), plus
        empty axes hidden; the legend fills the first empty slot (or sits
        under the panels), and one source line runs under everything.

    Examples
    --------
    >>> fig = plot_membership_growth(["2001-06-15", "2025-09-01"])
    >>> [ax.get_title() for ax in fig.axes if ax.get_visible()]
    ['15 June 2001 · 6 members', '1 September 2025 · 10 members']
    >>> fig.get_label()  # what the whole figure shows (its alt text in a report)
    'SCO membership maps on 2 days, 15 June 2001 to 1 September 2025, one map per day with its member count'
    """
    import matplotlib.pyplot as plt

    include_precursor = check_include_precursor(include_precursor)
    days = (growth_snapshot_dates(include_precursor=include_precursor) if dates is None
            else [parse_date(d, "dates") for d in dates])
    if not days:
        raise ParameterError("dates", dates, "at least one date")
    if not isinstance(ncols, int) or ncols < 1:
        raise ParameterError("ncols", ncols, "a positive integer")
    check_statuses(statuses)
    resolve_projection(projection, extent)
    ncols = min(ncols, len(days))
    nrows = -(-len(days) // ncols)
    handles = membership_legend_handles(statuses, include_precursor=include_precursor)
    with chart_style():
        fig, axes = plt.subplots(nrows, ncols, figsize=(ncols * panel_size * 1.35, nrows * panel_size + 0.9),
                                 squeeze=False)
        for ax, day in zip(axes.flat, days):
            title = f"{day_in_words(day)} · {len(members(on=day))} members"
            five = 0
            if include_precursor:
                five = int((status_on(day, include_precursor=True)["status"] == PRECURSOR_STATUS).sum())
            if five:  # the precursor ends when the SCO begins: no day has both
                title = f"{day_in_words(day)} · Shanghai Five: {five}"
            plot_membership_map(day, ax=ax, statuses=statuses, extent=extent, projection=projection, legend=False,
                                title=title, include_precursor=include_precursor, sources=False)
            ax.title.set_fontsize(10)
        empty = list(axes.flat)[len(days):]
        for ax in empty:
            ax.set_visible(False)
        if empty:  # the legend fills the first empty slot
            fig.subplots_adjust(left=0.01, right=0.99, top=0.95, bottom=0.08, wspace=0.03, hspace=0.15)
            box = empty[0].get_position()
            fig.legend(handles=handles, loc="center", ncols=1, fontsize=9,
                       frameon=False, bbox_to_anchor=(box.x0 + box.width / 2, box.y0 + box.height / 2))
        else:
            fig.subplots_adjust(left=0.01, right=0.99, top=0.95, bottom=0.16, wspace=0.03, hspace=0.15)
            fig.legend(handles=handles, loc="lower center", ncols=3, fontsize=9,
                       frameon=False, bbox_to_anchor=(0.5, 0.03))
        # No overall title (each panel has its own): the label says what the whole figure shows, for alt text.
        counted = "its count of SCO members or Shanghai Five states" if include_precursor else "its member count"
        fig.set_label(f"SCO membership map on {day_in_words(days[0])}, with {counted}" if len(days) == 1 else
                      f"SCO membership maps on {len(days)} days, {day_in_words(days[0])} to {day_in_words(days[-1])}, "
                      f"one map per day with {counted}")
        frame = map_frame(days[-1], statuses=statuses, extent=extent, projection=projection,
                          include_precursor=include_precursor)
        source_line(fig, _map_sources(days, frame), events=True)
    return fig
