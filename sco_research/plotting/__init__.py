"""Plotting functions: ``plot_x(..., ax=None) -> Axes``, no file I/O.

matplotlib and geopandas are imported when a plotting function is called, not
when :mod:`sco_research` is imported. Files are written only by
:mod:`sco_research.figures`.
"""

from .chairmanship import plot_chairmanship_timeline, plot_summit_map
from .maps import growth_snapshot_dates, membership_legend_handles, plot_membership_growth, plot_membership_map
from .membership import STATUS_COLORS, plot_status_counts
from .trade import plot_mirror, plot_partner_ranking, plot_sco_share, plot_trade_by_partner

__all__ = ["STATUS_COLORS", "plot_status_counts", "plot_membership_map", "plot_membership_growth",
           "growth_snapshot_dates", "membership_legend_handles", "plot_trade_by_partner", "plot_sco_share",
           "plot_partner_ranking", "plot_mirror", "plot_chairmanship_timeline", "plot_summit_map"]
