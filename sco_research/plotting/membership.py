"""Charts of SCO membership through time."""

from __future__ import annotations

import pandas as pd

from ..membership import STATUS_LABELS, STATUSES, status_counts

#: Fixed colour per status, shared by every chart and map.
STATUS_COLORS: dict[str, str] = {
    "member": "#1b6ca8",
    "observer": "#f4a259",
    "dialogue_partner": "#8cb369",
    "partner": "#bc4b51",
}


def plot_status_counts(counts: pd.DataFrame | None = None, *, end=None, ax=None):
    """Step chart of the number of states per SCO status through time.

    Parameters
    ----------
    counts : pandas.DataFrame, optional
        Output of :func:`sco_research.status_counts`; computed when omitted.
    end : str or pandas.Timestamp, optional
        Right edge of the chart; defaults to the last change date plus one year.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created when omitted.

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
    ax.set_ylabel("Number of states")
    ax.set_ylim(bottom=0)
    ax.set_title("SCO states by status")
    ax.legend(loc="upper left", frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return ax
