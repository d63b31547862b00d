import shutil
from pathlib import Path

import matplotlib
import pytest

# Figures drawn in the test process never need a screen; notebook kernels keep their inline backend.
matplotlib.use("Agg")

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A writable copy of data/ that the package reads instead of the real one."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("geometries", "trade"))
    monkeypatch.setenv("SCO_RESEARCH_DATA_DIR", str(target))
    return target


def edit_csv(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a CSV, failing loudly if the text to corrupt is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
