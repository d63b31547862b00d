"""Plotting functions: ``plot_x(..., ax=None) -> Axes``, no file I/O.

matplotlib is imported when a plotting function is called, not when
:mod:`sco_research` is imported.
"""

from .membership import plot_status_counts

__all__ = ["plot_status_counts"]
