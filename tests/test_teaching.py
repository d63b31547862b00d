"""Seminar notebooks: structure, exercises and solutions, and the student and lecturer editions."""

import nbformat
import pytest
from click.testing import CliRunner

from conftest import PROJECT
from sco_research.cli import main

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


@pytest.mark.parametrize("edition", ["student", "lecturer"])
def test_editions(tmp_path, edition):
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["render", "teaching/how_the_sco_grew", "--edition", edition,
                                       "--output-dir", str(out), "-p", "as_of", "2024-07-04"])
    assert result.exit_code == 0, result.output
    folder = out / "how_the_sco_grew" / ("as_of-2024-07-04" + ("__student" if edition == "student" else ""))
    nb = nbformat.read(folder / "how_the_sco_grew.ipynb", 4)
    html = (folder / "how_the_sco_grew.html").read_text()
    source = nbformat.read(TEACHING[0], 4)
    n_solutions = sum("solution" in _tags(c) for c in source.cells)
    n_exercises = sum("exercise" in _tags(c) for c in source.cells)
    assert sum("exercise" in _tags(c) for c in nb.cells) == n_exercises
    if edition == "student":
        assert not any("solution" in _tags(c) for c in nb.cells)
        assert "summit No. 17 in Astana" not in html  # a solution's output
    else:
        assert sum("solution" in _tags(c) for c in nb.cells) == n_solutions
        assert "summit No. 17 in Astana" in html


@pytest.mark.skipif(__import__("shutil").which("chromium") is None,
                    reason="chromium is not installed (apt-get install chromium); see docs/slides_offline_check.md")
def test_slides_work_offline_in_chromium(tmp_path):
    import re
    import subprocess

    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["render", "teaching/how_the_sco_grew", "--edition", "student", "--format",
                                       "slides", "--output-dir", str(out)])
    assert result.exit_code == 0, result.output
    slides = out / "how_the_sco_grew" / "defaults__student" / "how_the_sco_grew.slides.html"
    page = slides.read_text()
    external = re.findall(r'<(?:script|link)[^>]*(?:src|href)="https?://[^"]*"', page)
    assert external == []
    dom = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         f"--user-data-dir={tmp_path / 'profile'}", "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--virtual-time-budget=5000", "--dump-dom", slides.as_uri()],
        capture_output=True, text=True, timeout=120).stdout
    assert re.search(r'<div class="reveal [^"]*\bready\b', dom), "reveal.js did not initialise offline"
    assert dom.count("<section") > 8 and "Exercise 2" in dom
    assert "partners after Tianjin" not in dom  # the student edition carries no solution output


def test_slides_reference_only_bundled_files(tmp_path):
    """Every script and stylesheet of the slides is a file shipped next to them (runs without Chromium)."""
    import re

    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["render", "teaching/trade_and_power", "--format", "slides",
                                       "--output-dir", str(out)])
    assert result.exit_code == 0, result.output
    folder = out / "trade_and_power" / "defaults"
    page = (folder / "trade_and_power.slides.html").read_text()
    references = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"#]+)"', page)
    references += re.findall(r'"(slides-assets/[^"]+)"', page)  # the modules require.js loads
    assert references and all(not r.startswith(("http:", "https:", "//")) for r in references)
    for ref in set(references):
        target = folder / (ref if ref.endswith((".js", ".css", ".mjs")) else ref + ".js")
        assert target.exists(), ref
