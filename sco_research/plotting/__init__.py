"""Plotting functions: ``plot_x(..., ax=None) -> Axes``, no file I/O.

matplotlib, seaborn and geopandas are imported when a plotting function is
called, not when :mod:`sco_research` is imported. Files are written only by
:mod:`sco_research.figures`.

Every chart is drawn in one style (:mod:`sco_research.plotting.style`): whole-year
axes, one colour per country keyed by ISO3, state names rather than codes,
direct labels, annotations that never overlap and a source line naming
publisher and year. The style is applied inside each call and leaves the
session's ``rcParams`` unchanged; ``with chart_style():`` draws your own charts
in it.
"""

from .chairmanship import plot_chairmanship_timeline, plot_summit_map
from .maps import growth_snapshot_dates, membership_legend_handles, plot_membership_growth, plot_membership_map
from .membership import STATUS_COLORS, plot_status_counts
from .style import chart_style, country_color, country_palette
from .trade import (
    plot_mirror,
    plot_partner_ranking,
    plot_sco_share,
    plot_share_small_multiples,
    plot_trade_by_partner,
    plot_trade_matrix,
)

__all__ = ["STATUS_COLORS", "plot_status_counts", "plot_membership_map", "plot_membership_growth",
           "growth_snapshot_dates", "membership_legend_handles", "plot_trade_by_partner", "plot_sco_share",
           "plot_partner_ranking", "plot_mirror", "plot_trade_matrix", "plot_share_small_multiples",
           "plot_chairmanship_timeline", "plot_summit_map", "chart_style", "country_color", "country_palette"]
