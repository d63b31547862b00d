"""Charts of SCO membership through time."""

from __future__ import annotations

import pandas as pd

from ..analysis.membership import status_counts, summit_covering
from ..analysis.sources import source_notes
from ..data import load_memberships
from ..data.vocab import FOUNDING_DATE, PRECURSOR_STATUS, STATUS_LABELS, STATUSES
from ..params import day_in_words
from .style import (
    GUIDE_COLOR,
    NOTE_COLOR,
    chart_style,
    label_line_ends,
    measure,
    source_line,
    spread,
    style_axes,
    year_date_axis,
)

#: Fixed colour per status (the SCO statuses, then the Shanghai Five), shared by every chart and map.
STATUS_COLORS: dict[str, str] = {
    "member": "#1b6ca8",
    "observer": "#f4a259",
    "dialogue_partner": "#8cb369",
    "partner": "#bc4b51",
    # The SCO's precursor (1996-2001): drawn only on request.
    "shanghai_five": "#8c6bb1",
}
_LABEL_COLORS = {"member": "#1b6ca8", "observer": "#b5651d", "dialogue_partner": "#4f7a2a", "partner": "#a23b3b",
                 PRECURSOR_STATUS: "#6a4c93"}


def plot_status_counts(counts: pd.DataFrame | None = None, *, end=None, ax=None, mark_summits: bool = True,
                       sources=None):
    """Step chart of the number of states per SCO status through time, running to the as-of date.

    Each change of status is marked by a dotted line labelled with the
    Council of Heads of State meeting that decided it (city and year). Every
    step runs to ``end``; the count of each status on that day is written at
    the end of its line (a dot and a direct label, so a status that begins on
    the last day, such as "SCO partner" from Tianjin 2025, is still seen).

    Parameters
    ----------
    counts : pandas.DataFrame, optional
        Output of :func:`sco_research.status_counts`; computed when omitted.
        With a ``"shanghai_five"`` column (``include_precursor=True``) the
        Shanghai Five is drawn too, in its own colour, and its first day is
        marked "Shanghai Five 1996".
    end : str or pandas.Timestamp, optional
        The as-of date: right end of every step; defaults to the last change
        date plus one year.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when omitted.
    mark_summits : bool
        Mark the summits that changed the counts (dotted lines with
        ``gid="summit:<number>"`` and a label); a change that no summit of
        ``summits.csv`` covers is marked "no summit".
    sources : pandas.DataFrame or str, optional
        Source notes; by default those of the membership rows that began by ``end``.

    Returns
    -------
    matplotlib.axes.Axes
        One step line per status, labelled with :data:`STATUS_LABELS`.

    Examples
    --------
    >>> ax = plot_status_counts()
    >>> [line.get_label() for line in ax.get_lines()][:2]
    ['Member state', 'Observer state']
    """
    import matplotlib.pyplot as plt

    counts = status_counts() if counts is None else counts
    end = pd.Timestamp(end) if end is not None else counts.index.max() + pd.DateOffset(years=1)
    with chart_style():
        if ax is None:
            _, ax = plt.subplots(figsize=(9, 4.2))
        x = list(counts.index) + [end]
        ends = []
        # The SCO statuses, then the Shanghai Five when the counts include it (status_counts(include_precursor=True)).
        drawn = [s for s in (*STATUSES, PRECURSOR_STATUS) if s in counts.columns]
        for status in drawn:
            y = counts[status].tolist()
            ax.step(x, y + [y[-1]], where="post", color=STATUS_COLORS[status], label=STATUS_LABELS[status],
                    linewidth=2.2)
            if max(y) > 0:  # a status nobody held in the window gets no end label
                ends.append((end, y[-1], f"{STATUS_LABELS[status]}: {y[-1]}", _LABEL_COLORS[status]))
        held = [s for s in drawn if counts[s].max() > 0]
        ax.scatter([end] * len(held), [counts[s].iloc[-1] for s in held], s=18, zorder=4,
                   color=[STATUS_COLORS[s] for s in held], edgecolor="white", linewidth=0.6, gid="as_of")
        style_axes(ax)
        first = counts.index.min()
        margin = (end - first) * 0.015
        ax.set_xlim(first - margin, end + margin)
        ax.set_ylim(0, max(1, int(counts[drawn].to_numpy().max())) * 1.08)
        year_date_axis(ax, first, end)
        ax.yaxis.get_major_locator().set_params(integer=True)
        label_line_ends(ax, ends)
        rows = _mark_summits(ax, counts.index) if mark_summits else 0
        ax.set_ylabel("Number of states")
        title = "SCO states by status, and the Shanghai Five" if PRECURSOR_STATUS in drawn else "SCO states by status"
        ax.set_title(title, pad=rows + 8)
        if sources is None:
            memberships = load_memberships()
            sources = source_notes(memberships.loc[memberships["start_date"] <= end, "source_id"])
        source_line(ax, sources, note=f"Counts as of {day_in_words(end)}.", events=True)
    return ax


def _mark_summits(ax, days) -> float:
    """Dotted guides at each change, labelled vertically above the axes and spread so no two overlap.

    Returns the height (points) the labels take above the axes.
    """
    scale = ax.figure.dpi / 72
    labels = []
    for day in days:
        summit = summit_covering(day)
        label = "no summit" if summit is None else f"{summit['city']} {summit['start_date'].year}"
        gid = "summit:none" if summit is None else f"summit:{int(summit['number'])}"
        if summit is None and day < FOUNDING_DATE:  # a change of the Shanghai Five (the Shanghai agreement, 1996)
            label, gid = f"Shanghai Five {day.year}", f"precursor:{day.date()}"
        ax.axvline(day, color=GUIDE_COLOR, linestyle=":", linewidth=0.8, gid=gid)
        labels.append(ax.annotate(label, xy=(day, 1.0), xycoords=("data", "axes fraction"), xytext=(0, 4),
                                  textcoords="offset points", rotation=90, va="bottom", ha="center", fontsize=7.5,
                                  color=NOTE_COLOR, gid=gid, annotation_clip=False))
    if not labels:
        return 0.0
    boxes = measure(labels)
    wanted = [(b.x0 + b.x1) / 2 for b in boxes]
    centres = spread(wanted, [b.width for b in boxes], gap=2.0)
    for label, want, centre in zip(labels, wanted, centres):
        if abs(centre - want) > 0.5:
            label.xyann = ((centre - want) / scale, 4)
    return max(b.height for b in boxes) / scale + 4
