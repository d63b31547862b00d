"""Where the package finds its data and keeps its cache.

Both locations can be overridden with environment variables, which is how the
tests point the package at corrupted copies of the data.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Root of the project checkout (the package is installed in editable mode).
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """Folder holding the curated CSV files.

    ``$SCO_RESEARCH_DATA_DIR`` overrides the default ``<project>/data``.

    Examples
    --------
    >>> data_dir().name
    'data'
    """
    override = os.environ.get("SCO_RESEARCH_DATA_DIR")
    return Path(override).resolve() if override else PROJECT_ROOT / "data"


def cache_dir() -> Path:
    """Folder for derived, disposable files (validation stamps, downloads).

    ``$SCO_RESEARCH_CACHE_DIR`` overrides ``$XDG_CACHE_HOME/sco-research``
    (``~/.cache/sco-research`` when ``XDG_CACHE_HOME`` is unset).
    """
    override = os.environ.get("SCO_RESEARCH_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sco-research"


def figures_dir() -> Path:
    """Folder where :func:`sco_research.figures.save_figure` writes by default.

    ``$SCO_RESEARCH_FIGURES_DIR`` overrides the default ``<project>/figures``
    (report rendering points it at each report's own folder).

    Examples
    --------
    >>> figures_dir().name
    'figures'
    """
    override = os.environ.get("SCO_RESEARCH_FIGURES_DIR")
    return Path(override).resolve() if override else PROJECT_ROOT / "figures"
