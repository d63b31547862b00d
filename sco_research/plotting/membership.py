"""Charts of SCO membership through time."""

from __future__ import annotations

import pandas as pd

from ..analysis.membership import status_counts, summit_covering
from ..data.vocab import STATUS_LABELS, STATUSES

#: Fixed colour per status (the SCO statuses, then the Shanghai Five), shared by every chart and map.
STATUS_COLORS: dict[str, str] = {
    "member": "#1b6ca8",
    "observer": "#f4a259",
    "dialogue_partner": "#8cb369",
    "partner": "#bc4b51",
    # The SCO's precursor (1996-2001): drawn only on request.
    "shanghai_five": "#8c6bb1",
}


def plot_status_counts(counts: pd.DataFrame | None = None, *, end=None, ax=None, mark_summits: bool = True):
    """Step chart of the number of states per SCO status through time.

    Each change of status is marked by a dotted line labelled with the
    Council of Heads of State meeting that decided it (city and year).

    Parameters
    ----------
    counts : pandas.DataFrame, optional
        Output of :func:`sco_research.status_counts`; computed when omitted.
    end : str or pandas.Timestamp, optional
        Right edge of the chart; defaults to the last change date plus one year.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when omitted.
    mark_summits : bool
        Mark the summits that changed the counts (dotted lines with
        ``gid="summit:<number>"`` and a label); a change that no summit of
        ``summits.csv`` covers is marked "no summit".

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
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    x = list(counts.index) + [end]
    for status in STATUSES:
        y = counts[status].tolist()
        ax.step(x, y + [y[-1]], where="post", color=STATUS_COLORS[status], label=STATUS_LABELS[status], linewidth=2)
    if mark_summits:
        _mark_summits(ax, counts.index)
    ax.set_ylabel("Number of states")
    ax.set_ylim(bottom=0)
    ax.set_title("SCO states by status", pad=75 if mark_summits else 6)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return ax


def _mark_summits(ax, days) -> None:
    transform = ax.get_xaxis_transform()  # x in data units, y in axes fraction
    for day in days:
        summit = summit_covering(day)
        label = "no summit" if summit is None else f"{summit['city']} {summit['start_date'].year}"
        gid = "summit:none" if summit is None else f"summit:{int(summit['number'])}"
        ax.axvline(day, color="#777777", linestyle=":", linewidth=0.8, gid=gid)
        ax.text(day, 1.01, label, transform=transform, rotation=90, va="bottom", ha="center", fontsize=7,
                color="#555555", gid=gid)
