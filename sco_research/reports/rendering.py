"""Executing notebooks with papermill and exporting them to HTML.

Reports (executed ``.ipynb``, HTML without input cells, figures, written
atomically) are rendered by :mod:`sco_research.reports.run`, which calls
:func:`_execute` and :func:`export_html` from here. This module also has

* :func:`refresh_notebook` — re-execute a committed notebook in place with its
  default parameters and strip run-specific metadata (timings, papermill
  block), so that re-running it changes nothing when the results do not.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ..paths import notebooks_dir

NOTEBOOK_DIR = notebooks_dir()


def list_notebooks(folder: Path = NOTEBOOK_DIR) -> list[Path]:
    """Committed notebooks, in name order: the report notebooks, then ``teaching/``.

    Examples
    --------
    >>> list_notebooks()[0].name
    '00_dataset_tour.ipynb'
    """
    folder = Path(folder)
    top = sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))
    return top + sorted(p for p in folder.glob("teaching/*.ipynb") if not p.name.startswith("."))


@contextlib.contextmanager
def _kernel_environment(**variables):
    """Set environment variables that the kernel inherits, and restore them afterwards."""
    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update({name: str(value) for name, value in variables.items()})
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _execute(source: Path, target: Path, parameters: dict | None, timeout: int | None,
             figures: Path | None = None) -> None:
    import papermill as pm

    # Inline figures even when the caller runs with MPLBACKEND=Agg (as CI jobs often do);
    # figures the notebook saves go to the report's own folder when one is given.
    # Reports keep no widget state and must not need a CDN: the explorers draw static maps.
    variables = {"MPLBACKEND": "module://matplotlib_inline.backend_inline", "SCO_RESEARCH_STATIC_WIDGETS": "1"}
    if figures is not None:
        variables["SCO_RESEARCH_FIGURES_DIR"] = figures
    with _kernel_environment(**variables):
        # The output is written once, at the end (and by papermill on an error), not before and after
        # every cell: nobody reads a render's temporary notebook mid-run, and rewriting a notebook that
        # holds every figure so far costs the run CPU that the other workers' kernels need.
        pm.execute_notebook(
            str(source), str(target), parameters=parameters or {}, kernel_name="python3",
            cwd=str(source.parent), progress_bar=False, execution_timeout=timeout, start_timeout=120,
            request_save_on_cell_execute=False,
        )


def _coalesce_streams(outputs):
    """Merge consecutive stdout (or stderr) chunks: how a kernel splits a stream depends on timing."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
            previous["text"] = previous["text"] + output["text"]
        else:
            merged.append(output)
    return merged


def _strip_run_metadata(nb) -> None:
    nb.metadata.pop("papermill", None)
    nb.metadata.get("language_info", {}).pop("version", None)
    count = 0
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            cell.outputs = _coalesce_streams(cell.outputs)
            for output in cell.outputs:
                if "execution_count" in output:
                    output["execution_count"] = count


def export_html(nb) -> str:
    """HTML of an executed notebook without code cells, prompts or the parameter cells' code."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb)
    return body


def refresh_notebook(path: Path, timeout: int | None = 1800) -> None:
    """Re-execute a committed notebook in place with its defaults, deterministically."""
    import nbformat

    path = Path(path).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        executed = Path(tmp) / path.name
        _execute(path, executed, None, timeout)
        nb = nbformat.read(executed, as_version=4)
    _strip_run_metadata(nb)
    nbformat.write(nb, path)
