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
    # An empty validation cache, so full validation really runs in every session.
    os.environ["SCO_RESEARCH_CACHE_DIR"] = os.path.join(base, "cache")
    # Figures that notebooks save go to a temporary folder, never into the repository's figures/.
    os.environ["SCO_RESEARCH_FIGURES_DIR"] = os.path.join(base, "figures")
    # An inherited MPLBACKEND=Agg would make the kernels draw nothing inline.
    os.environ.pop("MPLBACKEND", None)
    # nbval compares outputs: the explorers draw their static maps, as in rendered reports.
    os.environ["SCO_RESEARCH_STATIC_WIDGETS"] = "1"


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "_sco_research_tmp", ""), ignore_errors=True)
