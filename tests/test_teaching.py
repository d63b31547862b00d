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


# ---------------------------------------------------------------------------------------------------------------------
# The explorer in JupyterLab: one run of the seminar as JupyterLab runs it, shared by the tests below.

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


@pytest.fixture(scope="module")
def lab_run(tmp_path_factory):
    """``how_the_sco_grew`` run top to bottom in a kernel that is asked what JupyterLab asks, and saved.

    JupyterLab sends its execute requests with ``allow_stdin=True`` (a person can answer ``input()``);
    headless executors send ``False``, which is how the package tells them apart. nbclient records the
    widget state that the kernel's widget comms send, as JupyterLab does when it saves widget state.
    """
    import os
    import time

    from nbclient import NotebookClient

    from sco_research.reports.rendering import quiet_kernel_manager

    class LabLikeClient(NotebookClient):
        async def async_start_new_kernel_client(self):
            client = await super().async_start_new_kernel_client()
            client.allow_stdin = True  # what JupyterLab sends; nbclient sets False
            return client

    source = PROJECT / "notebooks" / "teaching" / "how_the_sco_grew.ipynb"
    nb = nbformat.read(source, 4)
    env = {k: v for k, v in os.environ.items() if k != "SCO_RESEARCH_STATIC_WIDGETS"}
    clock = time.perf_counter()
    LabLikeClient(nb, kernel_name="python3", kernel_manager_class=quiet_kernel_manager(), store_widget_state=True,
                  resources={"metadata": {"path": str(source.parent)}}).execute(env=env)
    saved = tmp_path_factory.mktemp("lab") / source.name
    nbformat.write(nb, saved)
    return {"nb": nb, "saved": saved, "seconds": time.perf_counter() - clock}


def _explorer_output(nb):
    cells = [c for c in nb.cells if c.cell_type == "code" and "membership_explorer()" in c.source]
    assert len(cells) == 1
    (output,) = cells[0].outputs
    return output


def test_the_explorer_is_displayed_as_a_live_widget_in_jupyterlab(lab_run):
    import sco_research as sco
    from sco_research.plotting.explore import explorer_dates

    output = _explorer_output(lab_run["nb"])
    assert {WIDGET_VIEW, "image/png", "text/plain"} <= set(output["data"])  # the view, and a picture for static viewers
    state = lab_run["nb"].metadata["widgets"][WIDGET_STATE]["state"]
    box = state[output["data"][WIDGET_VIEW]["model_id"]]  # the displayed model is in the saved state
    assert box["model_name"] == "VBoxModel"
    children = [state[ref.removeprefix("IPY_MODEL_")] for ref in box["state"]["children"]]
    slider, selector, shown = children
    assert slider["model_name"] == "SelectionSliderModel"
    assert slider["state"]["_options_labels"] == [d.date().isoformat() for d in explorer_dates()]
    assert slider["state"]["_options_labels"][slider["state"]["index"]] == str(sco.latest_date().date())
    assert selector["state"]["_options_labels"] == list(sco.STATUSES)
    # The map was drawn into the widget's output area, not into the cell.
    assert shown["model_name"] == "OutputModel"
    assert [list(o["data"]) for o in shown["state"]["outputs"]] == [["image/png", "text/plain"]]


def test_a_notebook_saved_from_jupyterlab_passes_nbval(lab_run):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SCO_RESEARCH_STATIC_WIDGETS"}  # nbval alone decides
    result = subprocess.run(
        [sys.executable, "-m", "pytest", lab_run["saved"].name, "--nbval", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", "--nbval-sanitize-with", str(PROJECT / "tests" / "nbval_sanitize.cfg")],
        cwd=lab_run["saved"].parent, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
