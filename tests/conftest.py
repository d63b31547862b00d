import gc
import shutil
from pathlib import Path

import matplotlib
import pytest
from browser import (  # noqa: F401  (fixtures for every test module, and the hook that tells them a test failed)
    chromium_browser,
    open_page,
    pytest_runtest_makereport,
    screenshot_dir,
)

# Figures drawn in the test process never need a screen; notebook kernels keep their inline backend.
matplotlib.use("Agg")

# The charts and frames these tests build are millions of small objects: with Python's default thresholds the
# cyclic collector ran about 1,700 times in test_style and test_maps alone, 7 % of their CPU time (measured with
# gc.callbacks). Collecting less often changes what is kept in memory for a while, not what any test checks.
gc.set_threshold(50_000, 20, 20)

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"


@pytest.fixture(autouse=True)
def _close_figures():
    """Every test starts with no open figure, whatever the previous one drew."""
    yield
    import sys

    pyplot = sys.modules.get("matplotlib.pyplot")  # tests that never drew need not import it
    if pyplot is not None:
        pyplot.close("all")


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A writable copy of data/ (every file) that the package reads instead of the real one."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.setenv("SCO_RESEARCH_DATA_DIR", str(target))
    return target


def edit_csv(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a CSV, failing loudly if the text to corrupt is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def run_notebook(notebook: Path, cwd: Path, *params: str):
    """Run a notebook with papermill from ``cwd`` (not the notebook's folder), figures off unless asked.

    Returns the completed process and the path of the executed notebook.
    """
    import subprocess
    import sys

    out = cwd / "out.ipynb"
    args = [sys.executable, "-m", "papermill", str(notebook), str(out), "-k", "python3", "--no-progress-bar", *params]
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd), out


def notebook_text(path: Path) -> str:
    """All stream outputs of an executed notebook, concatenated."""
    import nbformat

    nb = nbformat.read(path, 4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def has_displayed_output(path: Path) -> bool:
    """True if any cell of an executed notebook displayed something (a figure, a table)."""
    import nbformat

    nb = nbformat.read(path, 4)
    return any(o.get("output_type") == "display_data" for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def parameter_cell_defaults(path: Path) -> dict:
    """The literal defaults of a notebook's ``parameters`` cell."""
    import ast

    import nbformat

    nb = nbformat.read(path, 4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    return {node.target.id: ast.literal_eval(node.value) for node in ast.parse(cell.source).body}


#: Test modules and notebooks that take longest (each one xdist unit: `--dist loadscope` keeps a module, a class or a
#: notebook on one worker), longest first, as measured per unit on 2 cores (wall time with three workers). Starting
#: them first lets the many short modules fill the other workers meanwhile, instead of one long module running alone
#: at the end. The Makefile passes --no-loadscope-reorder, without which xdist orders units by their number of tests.
LONGEST_FIRST = ("tests/test_style.py", "tests/test_reports.py", "tests/test_release.py", "tests/test_render.py",
                 "tests/test_bad_input.py", "notebooks/02_trade.ipynb", "tests/test_wheel.py", "tests/test_teaching.py",
                 "notebooks/03_chairmanship_history.ipynb", "notebooks/01_membership_growth.ipynb",
                 "tests/test_validation.py", "tests/test_maps.py", "notebooks/teaching/how_the_sco_grew.ipynb")


def pytest_collection_modifyitems(items):
    """Run the longest units first (a stable sort: every module keeps its own order, every notebook its cells)."""
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}

    def position(item):
        path = item.path.relative_to(PROJECT).as_posix() if item.path.is_relative_to(PROJECT) else ""
        return rank.get(path, len(rank))

    items.sort(key=position)
