"""Interactive exploration in JupyterLab: a date slider over the membership map, and a web map of statuses.

Both degrade to a static matplotlib map where interaction is impossible: when
ipywidgets (or folium) is not installed, when there is no Jupyter kernel, when
a headless executor such as papermill runs the kernel, or when
``$SCO_RESEARCH_STATIC_WIDGETS`` is set (``sco-research render`` sets it,
because exported HTML keeps no widget state and the web map's Leaflet library
would have to come from a CDN).
"""

from __future__ import annotations

import io
import os

import pandas as pd

from ..analysis.geography import check_statuses, membership_geodataframe, resolve_projection
from ..analysis.membership import active_spells, change_dates, latest_date
from ..data import load_memberships, load_states
from ..data.vocab import STATUS_LABELS, STATUSES
from ..params import day_in_words, parse_date
from .maps import plot_membership_map
from .membership import STATUS_COLORS


def widgets_available() -> bool:
    """True in a Jupyter kernel with a front end and ipywidgets installed, unless static output is forced.

    A kernel driven by a headless executor (papermill, nbclient, nbval) has
    nobody to move a slider, and widget cells can hang such executors
    (nbclient issue #312, papermill issue #723). Those executors are told
    apart by their execute requests, which carry ``allow_stdin=False``
    because they cannot answer ``input()``; JupyterLab, Notebook and VS Code
    send ``True``.

    Examples
    --------
    >>> widgets_available()  # a doctest runs outside a Jupyter kernel
    False
    """
    if os.environ.get("SCO_RESEARCH_STATIC_WIDGETS"):
        return False
    try:
        import ipywidgets  # noqa: F401
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None) if shell is not None else None
    if kernel is None:
        return False
    request = kernel.get_parent() or {}
    return bool(request.get("content", {}).get("allow_stdin", False))


def explorer_dates() -> list[pd.Timestamp]:
    """Slider stops: every day a status changed, plus the latest date in the data.

    Examples
    --------
    >>> [d.year for d in explorer_dates()][:3]
    [2001, 2004, 2005]
    """

    return sorted(set(change_dates()) | {latest_date()})


def _png(fig) -> bytes:
    """The figure as PNG bytes (the picture a viewer without widgets shows)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")  # as the inline backend draws figures
    return buffer.getvalue()


class MembershipExplorer:
    """The membership map with a date slider and a status selector, or its picture where nothing can move them.

    Shown as the last expression of a cell (or with ``display``), it gives the
    front end one output with three representations: the widget view (which
    JupyterLab, Notebook and VS Code draw as slider, selector and map), the map
    as a PNG picture (which static viewers, exported pages and nbval see) and a
    one-line text. The text depends only on the day and statuses shown at the
    start, so a notebook saved from JupyterLab and the same notebook run by
    nbval have the same text output.

    Attributes
    ----------
    widget : ipywidgets.VBox or None
        Slider, status selector and map output; ``None`` in the static fallback.
    ax : matplotlib.axes.Axes
        The map drawn last (closed: it is shown through the explorer, not by the inline backend).

    Examples
    --------
    >>> explorer = MembershipExplorer(statuses=("member",), static=True)
    >>> explorer
    Membership explorer: members on 2026-09-01 (move the slider in JupyterLab to see another day)
    """

    def __init__(self, *, statuses=STATUSES, extent: str = "eurasia", static: bool | None = None):
        self.statuses = check_statuses(statuses)
        self.extent = extent
        resolve_projection(None, extent)
        if static is None:
            static = not widgets_available()
        self.dates = explorer_dates()
        self.ax = None
        self.png = b""
        self.widget = None
        self._label = _explorer_label(self.dates[-1], self.statuses)
        if static:
            self._draw(self.dates[-1], self.statuses)
            return

        import ipywidgets as widgets

        self.slider = widgets.SelectionSlider(options=[(d.date().isoformat(), d) for d in self.dates],
                                              value=self.dates[-1], description="Day", continuous_update=False,
                                              layout=widgets.Layout(width="90%"))
        self.selector = widgets.SelectMultiple(options=list(STATUSES), value=self.statuses, description="Statuses",
                                               rows=4)
        self.output = widgets.Output()
        self.slider.observe(self.redraw, names="value")
        self.selector.observe(self.redraw, names="value")
        self.widget = widgets.VBox([self.slider, self.selector, self.output])
        self.redraw()

    def _draw(self, day, statuses) -> None:
        import matplotlib.pyplot as plt

        self.ax = plot_membership_map(day, statuses=statuses, extent=self.extent)
        self.png = _png(self.ax.figure)
        # Closed at once: the inline backend would otherwise show the figure a second time after the cell.
        plt.close(self.ax.figure)

    def redraw(self, *_) -> None:
        """Draw the map for the slider's day and the selected statuses into the widget's output."""
        from IPython.display import Image, display

        self.output.clear_output(wait=True)
        with self.output:
            if self.selector.value:
                self._draw(self.slider.value, self.selector.value)
                display(Image(self.png))
            else:
                print("Select at least one status.")

    def __repr__(self) -> str:
        return self._label

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        bundle = {"text/plain": self._label, "image/png": self.png}
        if self.widget is not None:
            view = self.widget._repr_mimebundle_()["application/vnd.jupyter.widget-view+json"]
            bundle["application/vnd.jupyter.widget-view+json"] = view
        # The map's title as the picture's alt text, as report pages expect of every chart.
        title = " ".join(self.ax.get_title().split()) if self.ax is not None else ""
        return bundle, ({"image/png": {"alt": title}} if title else {})


def _explorer_label(day, statuses) -> str:
    words = " and ".join(", ".join(status.replace("_", " ") + "s" for status in statuses).rsplit(", ", 1))
    return f"Membership explorer: {words} on {day.date()} (move the slider in JupyterLab to see another day)"


def membership_explorer(*, statuses=STATUSES, extent: str = "eurasia", static: bool | None = None):
    """A date slider and a status selector over :func:`~sco_research.plotting.plot_membership_map`.

    Display the result (make it the last expression of a cell): assigning it
    to a name shows nothing.

    Parameters
    ----------
    statuses : sequence of str
        Statuses selected at the start.
    extent : {"eurasia", "world"}
    static : bool, optional
        Force (True) or forbid (False) the static fallback; by default it is
        used when :func:`widgets_available` is False.

    Returns
    -------
    MembershipExplorer
        The widget (slider, status selector, map output) where a front end can
        move it, else the map of the latest date as a picture.

    Examples
    --------
    >>> membership_explorer(statuses=["member", "observer"]).widget is None  # no kernel here: the picture
    True
    """
    return MembershipExplorer(statuses=statuses, extent=extent, static=static)


def status_frame(on=None) -> pd.DataFrame:
    """States with an SCO status on a day: iso3, name, status, since (start of the spell) and its source.

    Examples
    --------
    >>> status_frame("2017-06-09").set_index("iso3").loc["IND", "since"]
    '2017-06-09'
    """

    day = latest_date() if on is None else parse_date(on, "on")
    spells = active_spells(load_memberships(), day)
    spells = spells[spells["status"].isin(STATUSES)]  # the Shanghai Five (1996-2001) is not an SCO status
    names = load_states().set_index("iso3")["name_en"]
    return pd.DataFrame({"iso3": spells["iso3"].astype(str), "name": spells["iso3"].map(names).astype(str),
                         "status": spells["status"].astype(str),
                         "since": spells["start_date"].dt.strftime("%Y-%m-%d"),
                         "source_id": spells["source_id"].astype(str)}).reset_index(drop=True)


def membership_web_map(on=None, *, statuses=STATUSES, tiles: str | None = None, static: bool | None = None):
    """An interactive (folium) map of the states holding a status, with name, status, date and source tooltips.

    Parameters
    ----------
    on : date-like, optional
        Defaults to the latest date in the data.
    statuses : sequence of str
    tiles : str, optional
        A folium tile layer (e.g. ``"OpenStreetMap"``, needs the network); None draws no base map.
    static : bool, optional
        As in :func:`membership_explorer`.

    Returns
    -------
    folium.Map or matplotlib.axes.Axes
        The web map names each status as the other maps do ("Dialogue partner"). Its Leaflet library and
        styles load from public CDNs when the map is shown, so it needs the network in the browser even
        without ``tiles``; offline (and in rendered reports) use the static map.
    """

    chosen = check_statuses(statuses)
    day = latest_date() if on is None else on
    if static is None:
        try:
            import folium  # noqa: F401

            static = bool(os.environ.get("SCO_RESEARCH_STATIC_WIDGETS"))
        except ImportError:
            static = True
    if static:
        return plot_membership_map(day, statuses=chosen)
    frame = membership_geodataframe(day, statuses=chosen)
    frame = frame[frame["status"].notna()][["iso3", "geometry"]].merge(status_frame(day), on="iso3")
    frame["status"] = frame["status"].map(STATUS_LABELS)  # the legend and tooltips read as on the other maps
    return frame.explore(column="status", categorical=True, categories=[STATUS_LABELS[s] for s in chosen],
                         cmap=[STATUS_COLORS[s] for s in chosen], tiles=tiles,
                         tooltip=["name", "status", "since", "source_id"], legend=True,
                         legend_kwds={"caption": f"SCO status on {day_in_words(parse_date(day, 'on'))}"},
                         style_kwds={"weight": 0.5, "color": "white"})
