"""Seminar notebooks: structure, exercises and solutions, and the student and lecturer editions."""

import nbformat
import pytest

from conftest import PROJECT

TEACHING = sorted((PROJECT / "notebooks" / "teaching").glob("*.ipynb"))
SECTIONS = ("## Overview", "## Prerequisites", "## Learning goals", "## Summary", "## References")


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.stem)
def test_seminar_structure(path):
    nb = nbformat.read(path, 4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in SECTIONS:
        assert heading in text, heading
    assert "time to learn" in text.lower() or "minutes to learn" in text or "hour to learn" in text
    exercises = [c for c in nb.cells if "exercise" in _tags(c)]
    solutions = [c for c in nb.cells if "solution" in _tags(c)]
    assert len(solutions) >= 3 and len(exercises) >= 2 * len(solutions)
    assert all(c.cell_type == "code" and c.outputs for c in solutions)  # committed executed


def test_two_seminars_exist():
    assert [p.stem for p in TEACHING] == ["how_the_sco_grew", "trade_and_power"]
