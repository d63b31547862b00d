"""Trade charts: series by partner, SCO share, partner ranking, mirror statistics, member × member matrix, shares
of every member.

Every chart is drawn in the package style (:mod:`sco_research.plotting.style`):
whole-year axes, one colour per country (:func:`~sco_research.plotting.style.country_color`),
state names rather than ISO3 codes, direct labels instead of legends, guides
labelled without overlap, and a source line naming publisher and year under
the chart (an annotation with ``gid="sources"``).

:func:`plot_trade_matrix` and :func:`plot_share_small_multiples` only draw:
the frame comes from :mod:`sco_research.analysis.trade` and the source notes
from :func:`sco_research.analysis.sources.source_notes`. The older functions
still look the sources up themselves when ``sources`` is not given.
"""

from __future__ import annotations

from functools import cache
from numbers import Real

import pandas as pd

from ..analysis.sources import source_ids_in, source_notes
from ..data import load_trade
from ..data.vocab import DOTS_SOURCE_ID, LAST_DOTS_YEAR, WORLD
from ..errors import ParameterError
from ..params import require_choice
from .labels import check_language, font_for, state_names
from .style import (
    annotate_marks,
    chart_style,
    country_color,
    integer_year_axis,
    label_color,
    label_line_ends,
    marks_pad,
    source_line,
    style_axes,
)

UNITS = {"bn": 1e9, "mn": 1e6}
#: Membership changes annotated on time axes (year of the change: label).
MEMBERSHIP_MARKS = {2017: "India, Pakistan join", 2023: "Iran joins", 2024: "Belarus joins"}
_SWITCH_COLOR = "#a23b3b"


def _scale(units: str) -> float:

    return UNITS[require_choice("units", units, UNITS)]


def _name(code: str, language: str = "en") -> str:
    if code == WORLD:
        return {"en": "World", "ru": "Мир", "zh": "世界"}[language]
    return state_names(language).get(code, code)


def _notes(sources, source_ids):
    """Source notes: as given (frame or text), or looked up for ``source_ids``."""
    if sources is not None:
        return sources if isinstance(sources, (str, pd.DataFrame)) else source_notes(sources)
    return source_notes(list(source_ids))


def cite_under(ax, source_ids, *, sources=None, note: str | None = None):
    """Write the source line ("Source: Publisher, year; …") for ``source_ids`` under the axes (gid "sources")."""
    return source_line(ax, _notes(sources, [s for s in source_ids if s]), note=note)


def _new_axes(ax, size=(9, 4.5)):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _freeze_limits(ax, *, bottom=0.0) -> None:
    """Fix the data limits now, so labels placed next (in pixels) stay where they were put."""
    ax.autoscale_view()
    ax.set_xlim(*ax.get_xlim())
    if bottom is None:
        ax.set_ylim(*ax.get_ylim())
    else:
        ax.set_ylim(bottom, ax.get_ylim()[1])


def source_after_dots(rows: pd.DataFrame) -> str | None:
    """What a series drawn from ``rows`` switches to after the IMF DOTS years, or ``None`` if it does not.

    Parameters
    ----------
    rows : pandas.DataFrame
        Rows drawn, with ``year`` and ``source_id`` (trade rows, or a share
        frame whose ``source_id`` lists several ids).

    Returns
    -------
    str or None
        ``"national statistics"`` (the offices' tables of
        ``national_goods_trade.csv``), ``"customs releases"`` (any other
        source after the DOTS years), both joined by "and", or ``None`` when
        no row after the last DOTS year is drawn.

    Examples
    --------
    >>> source_after_dots(load_trade("combined", reporters="KAZ", partners="CHN"))
    'national statistics'
    >>> source_after_dots(load_trade(reporters="KAZ", partners="CHN")) is None
    True
    """
    if "source_id" not in rows or "year" not in rows:
        return None
    later = set(source_ids_in(rows.loc[rows["year"].astype(int) > LAST_DOTS_YEAR, "source_id"])) - {DOTS_SOURCE_ID}
    national = later & _national_source_ids()
    kinds = (["customs releases"] if later - national else []) + (["national statistics"] if national else [])
    return " and ".join(kinds) or None


def _national_source_ids() -> set[str]:
    return set(load_trade("national")["source_id"].astype(str))


def _mark_years(ax, first: int, last: int, after: str | None = None) -> list:
    """Membership changes in the window, and the change of source after the DOTS years (``after``: the new one)."""
    marks = [(year, label, f"membership:{year}") for year, label in MEMBERSHIP_MARKS.items() if first <= year <= last]
    if after and first <= LAST_DOTS_YEAR < last:
        marks.append((LAST_DOTS_YEAR + 0.5, f"IMF DOTS | {after}", "source_switch",
                      {"color": _SWITCH_COLOR, "linestyle": "--", "linewidth": 0.9, "label_color": _SWITCH_COLOR}))
    return annotate_marks(ax, marks)


def plot_trade_by_partner(trade: pd.DataFrame, *, units: str = "bn", ax=None, title: str | None = None,
                          sources=None):
    """One line per partner: the reporter's recorded trade (rows summed over the flows given).

    Parameters
    ----------
    trade : pandas.DataFrame
        Rows of one reporter from :func:`sco_research.data.load_trade`.
    units : {"bn", "mn"}
    ax : matplotlib.axes.Axes, optional
    title : str, optional
        Defaults to "Goods trade recorded by <reporter>, by partner".
    sources : pandas.DataFrame or str, optional
        Source notes for the source line; by default those of the rows'
        ``source_id`` (:func:`~sco_research.analysis.sources.source_notes`).

    Returns
    -------
    matplotlib.axes.Axes
        One line per partner in the partner's colour, labelled with its name
        (``gid="partner:<ISO3>"``) and named at its last point; membership
        changes and the switch from IMF DOTS to customs releases or national
        statistics (:func:`source_after_dots`) marked, dashed, gid "source_switch";
        sources under the chart.

    Examples
    --------
    >>> from sco_research.data import load_trade
    >>> ax = plot_trade_by_partner(load_trade(reporters="KAZ", partners=["CHN", "RUS"]))
    >>> sorted(line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_"))
    ['China', 'Russian Federation']
    """
    scale = _scale(units)
    with chart_style():
        ax = _new_axes(ax)
        grouped = trade.groupby(["partner_iso3", "year"])["value_usd"].agg(["sum", "count"])
        # A partner-year missing one of the flows drawn would understate the total: leave it out.
        complete = grouped["sum"].where(grouped["count"] == trade["flow"].nunique())
        series = complete.unstack(0).sort_index()
        # Reindex to every year so that a gap in the data is a gap in the line, not a straight segment.
        series = series.reindex(range(int(series.index.min()), int(series.index.max()) + 1))
        ends = []
        for partner in sorted(series.columns):
            values = series[partner].astype("float64") / scale
            ax.plot(values.index, values.to_numpy(), marker="o", markersize=2.5, linewidth=1.6,
                    color=country_color(partner), label=_name(partner), gid=f"partner:{partner}")
            last = values.last_valid_index()
            if last is not None:
                ends.append((last, values[last], _name(partner), label_color(partner)))
        style_axes(ax)
        integer_year_axis(ax)
        _freeze_limits(ax)
        years = series.index
        marks = _mark_years(ax, int(years.min()), int(years.max()), source_after_dots(trade))
        label_line_ends(ax, ends)
        reporter = ", ".join(_name(r) for r in sorted(trade["reporter_iso3"].unique()))
        ax.set_title(title or f"Goods trade recorded by {reporter}, by partner", pad=marks_pad(marks))
        ax.set_ylabel(f"US$ {units}")
        cite_under(ax, trade["source_id"], sources=sources,
                   note="Exports plus imports as the reporter records them; a gap is a year without a complete record.")
    return ax


def plot_sco_share(share: pd.DataFrame, *, reporter: str, membership: str, ax=None, sources=None):
    """The SCO share of a reporter's recorded trade with the world, in percent.

    Parameters
    ----------
    share : pandas.DataFrame
        Output of :func:`sco_research.analysis.trade.sco_share`.
    reporter : str
        ISO3 of the reporter (its name is printed, and its colour used).
    membership : {"historical", "current"} or ISO date
        As passed to ``sco_share``; explained under the chart.
    sources : pandas.DataFrame or str, optional
        Source notes; by default those of ``share["source_id"]`` (IMF DOTS
        when the frame has no such column). A switch of source after the
        DOTS years is marked (:func:`source_after_dots`).

    Examples
    --------
    >>> from sco_research.analysis.trade import sco_share
    >>> ax = plot_sco_share(sco_share("KAZ"), reporter="KAZ", membership="historical")
    >>> ax.get_ylabel(), ax.get_title()
    ('Share of trade with the world (%)', 'Kazakhstan: share of recorded goods trade that is with SCO members')
    """
    with chart_style():
        ax = _new_axes(ax, (9, 3.8))
        ax.plot(share["year"], 100 * share["share"].astype("float64"), color=country_color(reporter), marker="o",
                markersize=3, label="SCO share", gid=f"share:{reporter}")
        style_axes(ax)
        integer_year_axis(ax)
        _freeze_limits(ax)
        marks = (_mark_years(ax, int(share["year"].min()), int(share["year"].max()), source_after_dots(share))
                 if len(share) else [])
        ax.set_ylabel("Share of trade with the world (%)")
        ax.set_title(f"{_name(reporter)}: share of recorded goods trade that is with SCO members",
                     pad=marks_pad(marks))
        basis = {"historical": "the members of each year", "current": "today's members in every year"}.get(
            membership, f"the members on {membership}")
        ids = share["source_id"] if "source_id" in share else [DOTS_SOURCE_ID] * bool(len(share))
        cite_under(ax, source_ids_in(ids), sources=sources,
                   note=f"SCO partners counted: {basis} ({membership} membership).")
    return ax


def plot_partner_ranking(ranking: pd.DataFrame, *, reporter: str, year: int, units: str = "bn", ax=None,
                         source_ids=None, sources=None):
    """Horizontal bars: partners ranked by recorded trade in one year (largest on top), with their values.

    The source line cites ``source_ids``, by default the ranking's ``source_id`` column (IMF DOTS without one).

    Examples
    --------
    >>> from sco_research.analysis.trade import partner_ranking
    >>> ax = plot_partner_ranking(partner_ranking("CHN", 2020, ["RUS", "IND"]), reporter="CHN", year=2020)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['India', 'Russian Federation']
    """
    scale = _scale(units)
    with chart_style():
        ax = _new_axes(ax, (7, 0.35 * max(len(ranking), 3) + 1.4))
        ordered = ranking.iloc[::-1]
        values = ordered["value_usd"].astype("float64") / scale
        names = [_name(p) for p in ordered["partner_iso3"]]
        bars = ax.barh(names, values, color=[country_color(p) for p in ordered["partner_iso3"]], height=0.7,
                       edgecolor="none")
        for bar, partner in zip(bars, ordered["partner_iso3"]):
            bar.set_gid(f"partner:{partner}")
        ax.bar_label(bars, labels=[_value_label(v) for v in values], padding=3, fontsize=8.5, color="0.2")
        style_axes(ax, grid="x")
        ax.spines["bottom"].set_visible(False)
        ax.margins(x=0.12)
        ax.set_xlabel(f"US$ {units}")
        ax.set_title(f"{_name(reporter)}: partners by recorded goods trade, {year}")
        if source_ids is None:
            source_ids = source_ids_in(ranking["source_id"]) if "source_id" in ranking else [DOTS_SOURCE_ID]
        cite_under(ax, source_ids, sources=sources)
    return ax


def _value_label(value: float) -> str:
    if pd.isna(value):
        return ""
    if value == 0:
        return "0"
    if value < 0.005:
        return "<0.01"
    return f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def plot_mirror(mirror: pd.DataFrame, a: str, b: str, *, units: str = "bn", ax=None, source_ids=(DOTS_SOURCE_ID,),
                sources=None):
    """The same bilateral trade as recorded by each side (exports plus imports), each in its state's colour.

    Examples
    --------
    >>> from sco_research.analysis.trade import mirror_pair
    >>> ax = plot_mirror(mirror_pair("KAZ", "CHN"), "KAZ", "CHN")
    >>> [line.get_label() for line in ax.get_lines()][:2]
    ['recorded by Kazakhstan', 'recorded by China']
    """
    scale = _scale(units)
    with chart_style():
        ax = _new_axes(ax, (9, 4))
        ends = []
        for column, side in (("reported_by_a", a), ("reported_by_b", b)):
            values = pd.Series(mirror[column].astype("float64").to_numpy() / scale, index=mirror["year"])
            label = f"recorded by {_name(side)}"
            ax.plot(values.index, values.to_numpy(), marker="o", markersize=3, color=country_color(side),
                    label=label, gid=f"recorded_by:{side}")
            last = values.last_valid_index()
            if last is not None:
                ends.append((last, values[last], label, label_color(side)))
        style_axes(ax)
        integer_year_axis(ax)
        _freeze_limits(ax)
        label_line_ends(ax, ends)
        ax.set_ylabel(f"US$ {units}")
        ax.set_title(f"Mirror statistics: {_name(a)}–{_name(b)} goods trade as each side records it")
        cite_under(ax, source_ids, sources=sources)
    return ax


def plot_trade_matrix(matrix: pd.DataFrame, *, sources, ax=None, units: str = "bn", language: str = "en",
                      title: str | None = None):
    """Heatmap of member × member goods trade in one year, as each reporter (row) records it.

    Parameters
    ----------
    matrix : pandas.DataFrame
        :func:`sco_research.analysis.trade.trade_matrix`: reporters as rows,
        partners as columns (ISO3), US$, NaN where there is no record.
    sources : pandas.DataFrame or str
        Source notes, e.g. ``source_notes(matrix)``.
    ax : matplotlib.axes.Axes, optional
    units : {"bn", "mn"}
    language : {"en", "ru", "zh"}
        Language of the state names.
    title : str, optional
        Defaults to "Goods trade between SCO members, <year>".

    Returns
    -------
    matplotlib.axes.Axes
        A seaborn heatmap (one ``QuadMesh``) with a symmetric-log colour
        scale; each cell annotated with its value; cells without a record
        are left empty over a hatched background (never drawn as 0); the
        diagonal is blank.

    Examples
    --------
    >>> from sco_research.analysis.sources import source_notes
    >>> from sco_research.analysis.trade import trade_matrix
    >>> m = trade_matrix(2020)
    >>> ax = plot_trade_matrix(m, sources=source_notes(m))
    >>> [t.get_text() for t in ax.get_yticklabels()][:2]
    ['China', 'India']
    """
    import numpy as np
    import seaborn as sns
    from matplotlib.colors import SymLogNorm
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import FuncFormatter

    scale = _scale(units)
    language = check_language(language)
    font = font_for(language)
    text_kw = {"fontproperties": font} if font is not None else {}
    values = matrix.astype("float64") / scale
    annotations = np.vectorize(_value_label, otypes=[object])(values.to_numpy())
    finite = values.to_numpy()[np.isfinite(values.to_numpy())]
    top = float(finite.max()) if finite.size else 1.0
    with chart_style():
        n = len(values.columns)
        ax = _new_axes(ax, (1.0 + 0.72 * n, 0.8 + 0.55 * len(values)))
        sns.heatmap(values, ax=ax, annot=annotations, fmt="", annot_kws={"fontsize": 8}, cmap="mako_r",
                    norm=SymLogNorm(linthresh=0.01 * 1e9 / scale, linscale=0.4, vmin=0, vmax=top, base=10),
                    linewidths=0.8, linecolor="white", square=False,
                    cbar_kws={"label": f"US$ {units} (log scale)", "shrink": 0.8,
                              "format": FuncFormatter(lambda v, _pos: f"{v:g}")})
        for i, code in enumerate(values.index):
            if code in values.columns:
                j = list(values.columns).index(code)
                ax.add_patch(Rectangle((j, i), 1, 1, facecolor="white", edgecolor="white", zorder=2,
                                       gid=f"diagonal:{code}"))
        ax.patch.set_facecolor("#f3f3f3")
        ax.patch.set_hatch("////")
        ax.patch.set_edgecolor("#d0d0d0")
        ax.grid(False)
        for side in ("top", "right", "left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_xticks(np.arange(n) + 0.5, [_name(c, language) for c in values.columns], rotation=40, ha="right",
                      rotation_mode="anchor", **text_kw)
        ax.set_yticks(np.arange(len(values)) + 0.5, [_name(c, language) for c in values.index], rotation=0, **text_kw)
        ax.tick_params(axis="both", length=0, labelsize=9)
        ax.set_xlabel("Partner", labelpad=6)
        ax.set_ylabel("Recorded by", labelpad=6)
        year = matrix.attrs.get("year")
        ax.set_title(title or f"Goods trade between SCO members{f', {year}' if year is not None else ''}", **text_kw)
        source_line(ax, sources, note=("Exports plus imports, as the reporting state (row) records them. "
                                       "Hatched: no record for that pair."))
    return ax


def plot_share_small_multiples(frame: pd.DataFrame, *, sources, ncols: int = 5, language: str = "en",
                               panel_height: float = 2.0, title: str | None = None):
    """Small multiples: each member's SCO share of its recorded trade, one panel per member, on one scale.

    Parameters
    ----------
    frame : pandas.DataFrame
        :func:`sco_research.analysis.trade.sco_shares`: ``reporter_iso3``,
        ``year``, ``share`` and ``is_member``.
    sources : pandas.DataFrame or str
        Source notes, e.g. ``source_notes(frame)``.
    ncols : int
        Panels per row.
    language : {"en", "ru", "zh"}
        Language of the panel titles (state names).
    panel_height : float
        Height of one panel, inches.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
        A seaborn ``FacetGrid`` figure: one axes per reporter (ordered by
        name), shared y axis in percent, whole-year x axis; the line is
        solid for the years the reporter was a member and dotted before; a
        panel whose series changes source after the IMF DOTS years
        (:func:`source_after_dots`) has a dashed line there (gid
        "source_switch"), explained in the note above the sources.

    Examples
    --------
    >>> from sco_research.analysis.sources import source_notes
    >>> from sco_research.analysis.trade import sco_shares
    >>> shares = sco_shares(["KAZ", "IND"])
    >>> fig = plot_share_small_multiples(shares, sources=source_notes(shares))
    >>> [ax.get_title() for ax in fig.axes]
    ['India', 'Kazakhstan']
    """
    language = check_language(language)
    if isinstance(panel_height, bool) or not isinstance(panel_height, Real) or panel_height < _MIN_PANEL_HEIGHT:
        raise ParameterError("panel_height", panel_height, f"a height in inches of at least {_MIN_PANEL_HEIGHT}")
    font = font_for(language)
    text_kw = {"fontproperties": font} if font is not None else {}
    data = frame.assign(percent=100 * frame["share"].astype("float64"),
                        reporter=frame["reporter_iso3"].astype(str), year=frame["year"].astype("int64"))
    codes = sorted(data["reporter"].unique(), key=lambda c: (_name(c, language), c))
    with chart_style():
        grid = _panel_grid()(data, col="reporter", col_order=codes, col_wrap=min(ncols, max(len(codes), 1)),
                             sharex=True, sharey=True, height=panel_height, aspect=1.25, despine=False)

        def panel(data, color=None, **_):
            import matplotlib.pyplot as plt

            ax = plt.gca()
            code = data["reporter"].iloc[0]
            series = data.sort_values("year")
            member = series["is_member"].astype(bool).to_numpy()
            years, values = series["year"].to_numpy(), series["percent"].to_numpy()
            # Dotted up to the first year as a member (so the two parts join), solid from then on.
            first = int(member.argmax()) if member.any() else len(values) - 1
            before = values.copy()
            before[first + 1:] = float("nan")
            after = values.copy()
            after[~member] = float("nan")
            ax.plot(years, before, color=country_color(code), linewidth=1.0, linestyle=":", gid=f"before:{code}")
            ax.plot(years, after, color=country_color(code), linewidth=2.0, gid=f"share:{code}")
            if source_after_dots(series) and years.min() <= LAST_DOTS_YEAR:
                ax.axvline(LAST_DOTS_YEAR + 0.5, color=_SWITCH_COLOR, linestyle="--", linewidth=0.9,
                           gid="source_switch")

        grid.map_dataframe(panel)
        width, height = grid.figure.get_size_inches()
        # Room for the tick labels, the y label, the panel titles and the title, in inches whatever the number
        # of panels (the saved file is cropped to what is drawn).
        grid.figure.subplots_adjust(left=0.36 / width, right=1 - 0.22 / width, bottom=0.38 / height,
                                    top=1 - 0.56 / height, hspace=0.45, wspace=0.08)
        for code, ax in zip(codes, grid.axes.flat):
            style_axes(ax)
            integer_year_axis(ax)
            ax.xaxis.set_major_locator(_sparse_years())
            ax.set_title(_name(code, language), color=label_color(code), fontsize=10.5, fontweight="bold", **text_kw)
            ax.set_xlabel("")
            ax.set_ylabel("")
        grid.set(ylim=(0, None))
        for ax in grid.axes.flat[::min(ncols, max(len(codes), 1))]:
            ax.set_ylabel("% of trade", fontsize=9)
        fig = grid.figure
        fig.suptitle(title or "Share of each member's recorded goods trade that is with the other SCO members",
                     x=0.02, ha="left", fontsize=12.5, fontweight="bold", **text_kw)
        membership = frame.attrs.get("membership", "historical")
        basis = {"historical": "the members of each year", "current": "today's members in every year"}.get(
            membership, f"the members on {membership}")
        note = f"Partners counted: {basis}. Dotted: years before the state joined."
        after = source_after_dots(frame)
        if after and (frame["year"].astype(int) <= LAST_DOTS_YEAR).any():
            note += f" Dashed: the change from IMF DOTS (to {LAST_DOTS_YEAR}) to {after}."
        source_line(fig, sources, note=note)
    return fig


#: Below this (inches) a panel has no room left between its title and its tick labels.
_MIN_PANEL_HEIGHT = 1.0


@cache
def _panel_grid():
    """seaborn's FacetGrid without its own layout: the small multiples set their margins once, in inches.

    FacetGrid lays the figure out twice (on creation and after mapping), measuring every tick label each
    time: half the time of the whole chart, and the margins were then set again anyway.
    """
    import seaborn as sns

    class PanelGrid(sns.FacetGrid):
        def tight_layout(self, *args, **kwargs):
            return self

    return PanelGrid


def _sparse_years():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=3, steps=[1, 2, 5, 10], integer=True)
