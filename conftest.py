"""Test-session environment for everything pytest collects (tests/ and the nbval notebooks in notebooks/).

Set in ``pytest_configure`` rather than in a fixture, because nbval starts each notebook's kernel while
collecting-and-setting-up the notebook file, before any fixture runs; the kernels inherit this environment.
"""

import os
import shutil
import tempfile


def pytest_configure(config):
    base = tempfile.mkdtemp(prefix="sco-research-tests-")
    config._sco_research_tmp = base
    # A validation cache that holds only what this session checked, so full validation really runs in every
    # session: `make test` checks the data into a new folder just before and names it here (every worker and
    # kernel then reads that snapshot instead of each worker checking the same bytes again); run alone, pytest
    # starts each process (each xdist worker) from an empty folder of its own.
    checked = os.environ.get("SCO_RESEARCH_CHECKED_CACHE_DIR", "")
    os.environ["SCO_RESEARCH_CACHE_DIR"] = checked or os.path.join(base, "cache")
    # The notebooks run as JupyterLab runs them, and as `sco-research refresh-notebooks` made their committed
    # outputs: no figure folder, so they write no file (figures are shown, not saved; the growth notebook makes no
    # animation). An inherited folder would make nbval run what neither does. What a render saves, in each report's
    # own folder, is checked in test_reports.py.
    os.environ.pop("SCO_RESEARCH_FIGURES_DIR", None)
    # An inherited MPLBACKEND=Agg would make the kernels draw nothing inline.
    os.environ.pop("MPLBACKEND", None)
    # nbval compares outputs: the explorers draw their static maps, as in rendered reports.
    os.environ["SCO_RESEARCH_STATIC_WIDGETS"] = "1"


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "_sco_research_tmp", ""), ignore_errors=True)
