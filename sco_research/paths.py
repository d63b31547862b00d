"""Where the package finds its data, notebooks and report set, and where it keeps its cache.

An installed wheel carries the data, the notebooks and the report set inside
the package (``sco_research/_bundle/``, read with :mod:`importlib.resources`);
a checkout (an editable install) uses its own ``data/`` and ``notebooks/``.
Environment variables override both, which is how the tests point the package
at corrupted copies of the data.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["PROJECT_ROOT", "data_dir", "notebooks_dir", "report_set_file", "cache_dir", "figures_dir", "is_checkout"]

#: Root of the project checkout when the package runs from one (the parent of the package folder).
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def is_checkout() -> bool:
    """True when the package runs from a project checkout rather than from an installed wheel."""
    return (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "data").is_dir()


@lru_cache(maxsize=8)
def _bundled(name: str) -> Path:
    """The folder ``name`` shipped in the wheel, or the checkout's own folder of that name."""
    shipped = resources.files("sco_research") / "_bundle" / name
    if shipped.is_dir():
        return Path(str(shipped))
    return PROJECT_ROOT / name


def data_dir() -> Path:
    """Folder holding the curated data files.

    ``$SCO_RESEARCH_DATA_DIR`` overrides the default (the data shipped with the
    package, or ``<checkout>/data``).

    Examples
    --------
    >>> data_dir().name
    'data'
    """
    override = os.environ.get("SCO_RESEARCH_DATA_DIR")
    return Path(override).resolve() if override else _bundled("data")


def notebooks_dir() -> Path:
    """Folder holding the report notebooks (``teaching/`` holds the seminars).

    Examples
    --------
    >>> (notebooks_dir() / "00_dataset_tour.ipynb").is_file()
    True
    """
    return _bundled("notebooks")


def report_set_file() -> Path:
    """The default report set rendered by ``sco-research render`` (``notebooks/reports.yaml``)."""
    return notebooks_dir() / "reports.yaml"


def cache_dir() -> Path:
    """Folder for derived, disposable files (downloads).

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

    ``$SCO_RESEARCH_FIGURES_DIR`` overrides the default: ``<checkout>/figures``
    in a checkout, ``./figures`` for an installed package (report rendering
    points it at each report's own folder).

    Examples
    --------
    >>> figures_dir().name
    'figures'
    """
    override = os.environ.get("SCO_RESEARCH_FIGURES_DIR")
    if override:
        return Path(override).resolve()
    return PROJECT_ROOT / "figures" if is_checkout() else Path.cwd() / "figures"
