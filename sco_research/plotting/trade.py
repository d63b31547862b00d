"""Trade charts: series by partner, SCO share, partner ranking, mirror statistics.

Each function draws on one Axes and writes the sources of what it drew under
the chart (``ax.texts`` entry with ``gid="sources"``).
"""

from __future__ import annotations

import pandas as pd

from ..params import require_choice

UNITS = {"bn": 1e9, "mn": 1e6}
#: Membership changes annotated on time axes (year of the change: label).
MEMBERSHIP_MARKS = {2017: "India, Pakistan join", 2023: "Iran joins", 2024: "Belarus joins"}
#: Last year of IMF DOTS in the bundled table; later rows are national customs releases.
LAST_DOTS_YEAR = 2020


def _scale(units: str) -> float:

    return UNITS[require_choice("units", units, UNITS)]


def cite_under(ax, source_ids) -> None:
    """Write "Sources: <id>, …" under the axes (one text artist with gid "sources")."""
    ids = sorted({s for s in source_ids if s})
    ax.text(0.0, -0.14, "Sources: " + "; ".join(ids) + " (data/sources.csv)", transform=ax.transAxes, fontsize=7,
            color="#555555", va="top", wrap=True, gid="sources")


def _new_axes(ax, size=(9, 4.5)):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _mark_years(ax, first: int, last: int) -> None:
    transform = ax.get_xaxis_transform()
    for level, (year, label) in enumerate(MEMBERSHIP_MARKS.items()):
        if first <= year <= last:
            ax.axvline(year, color="#999999", linestyle=":", linewidth=0.8, gid=f"membership:{year}")
            # Staggered heights: the 2023 and 2024 labels would otherwise overprint each other.
            ax.text(year, 0.99 - 0.06 * level, f" {label}", transform=transform, fontsize=7, va="top",
                    color="#555555")
    if first <= LAST_DOTS_YEAR < last:
        ax.axvline(LAST_DOTS_YEAR + 0.5, color="#bb5555", linestyle="--", linewidth=0.8, gid="source_switch")
        ax.text(LAST_DOTS_YEAR + 0.5, 0.78, " IMF DOTS | customs releases", transform=transform, fontsize=7,
                va="top", color="#bb5555")


def plot_trade_by_partner(trade: pd.DataFrame, *, units: str = "bn", ax=None, title: str | None = None):
    """One line per partner: the reporter's recorded trade (rows summed over the flows given).

    Parameters
    ----------
    trade : pandas.DataFrame
        Rows of one reporter from :func:`sco_research.data.load_trade`.

    Returns
    -------
    matplotlib.axes.Axes
        One line per partner (label = ISO3), membership changes and the switch
        from IMF data to customs releases marked, sources under the chart.

    Examples
    --------
    >>> from sco_research.data import load_trade
    >>> ax = plot_trade_by_partner(load_trade(reporters="KAZ", partners=["CHN", "RUS"]))
    >>> sorted(line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_"))
    ['CHN', 'RUS']
    """
    scale = _scale(units)
    ax = _new_axes(ax)
    grouped = trade.groupby(["partner_iso3", "year"])["value_usd"].agg(["sum", "count"])
    # A partner-year missing one of the flows drawn would understate the total: leave it out.
    complete = grouped["sum"].where(grouped["count"] == trade["flow"].nunique())
    series = complete.unstack(0).sort_index()
    # Reindex to every year so that a gap in the data is a gap in the line, not a straight segment.
    series = series.reindex(range(int(series.index.min()), int(series.index.max()) + 1))
    for partner in sorted(series.columns):
        values = series[partner] / scale
        ax.plot(values.index, values.to_numpy(), marker="o", markersize=2.5, linewidth=1.4, label=partner)
    years = series.index
    _mark_years(ax, int(years.min()), int(years.max()))
    reporter = ", ".join(sorted(trade["reporter_iso3"].unique()))
    ax.set_title(title or f"Goods trade recorded by {reporter}, by partner")
    ax.set_ylabel(f"US$ {units}")
    ax.legend(ncols=2, fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(axis="y", alpha=0.3)
    cite_under(ax, trade["source_id"])
    return ax


def plot_sco_share(share: pd.DataFrame, *, reporter: str, membership: str, ax=None):
    """The SCO share of a reporter's recorded trade with the world, in percent.

    Examples
    --------
    >>> from sco_research.analysis.trade import sco_share
    >>> ax = plot_sco_share(sco_share("KAZ"), reporter="KAZ", membership="historical")
    >>> ax.get_ylabel()
    'Share of trade with the world (%)'
    """
    ax = _new_axes(ax, (9, 3.8))
    ax.plot(share["year"], 100 * share["share"], color="#1b6ca8", marker="o", markersize=3, label="SCO share")
    if len(share):
        _mark_years(ax, int(share["year"].min()), int(share["year"].max()))
    ax.set_ylim(bottom=0)
    ax.set_ylabel("Share of trade with the world (%)")
    ax.set_title(f"{reporter}: trade with the other SCO members ({membership} membership) as a share of all trade")
    ax.grid(axis="y", alpha=0.3)
    cite_under(ax, ["imf_dots_2022"] if len(share) else [])
    return ax


def plot_partner_ranking(ranking: pd.DataFrame, *, reporter: str, year: int, units: str = "bn", ax=None,
                         source_ids=("imf_dots_2022",)):
    """Horizontal bars: partners ranked by recorded trade in one year (largest on top).

    Examples
    --------
    >>> from sco_research.analysis.trade import partner_ranking
    >>> ax = plot_partner_ranking(partner_ranking("CHN", 2020, ["RUS", "IND"]), reporter="CHN", year=2020)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['IND', 'RUS']
    """
    scale = _scale(units)
    ax = _new_axes(ax, (7, 0.35 * max(len(ranking), 3) + 1.2))
    ordered = ranking.iloc[::-1]
    ax.barh(ordered["partner_iso3"], ordered["value_usd"] / scale, color="#1b6ca8")
    ax.set_xlabel(f"US$ {units}")
    ax.set_title(f"{reporter}'s partners by recorded goods trade, {year}")
    ax.grid(axis="x", alpha=0.3)
    cite_under(ax, source_ids)
    return ax


def plot_mirror(mirror: pd.DataFrame, a: str, b: str, *, units: str = "bn", ax=None):
    """The same bilateral trade as recorded by each side (exports plus imports).

    Examples
    --------
    >>> from sco_research.analysis.trade import mirror_pair
    >>> ax = plot_mirror(mirror_pair("KAZ", "CHN"), "KAZ", "CHN")
    >>> [line.get_label() for line in ax.get_lines()][:2]
    ['recorded by KAZ', 'recorded by CHN']
    """
    scale = _scale(units)
    ax = _new_axes(ax, (9, 4))
    for column, side, color in (("reported_by_a", a, "#1b6ca8"), ("reported_by_b", b, "#bc4b51")):
        values = mirror[column].astype("float64") / scale
        ax.plot(mirror["year"], values, marker="o", markersize=3, color=color, label=f"recorded by {side}")
    ax.set_ylabel(f"US$ {units}")
    ax.set_title(f"Mirror statistics: {a}–{b} goods trade as each side records it")
    ax.legend(frameon=False, fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    cite_under(ax, ["imf_dots_2022"])
    return ax
