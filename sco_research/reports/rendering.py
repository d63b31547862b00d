"""Executing notebooks with papermill for reports, committed notebooks and the README figures.

Reports (executed ``.ipynb``, HTML pages without input cells, figures, written
atomically) are rendered by :mod:`sco_research.reports.run`, which calls
:func:`_execute` from here (the pages come from :mod:`sco_research.reports.site`). This module also has

* :func:`refresh_notebook` — re-execute a committed notebook in place with its
  default parameters and strip run-specific metadata (timings, papermill
  block), so that re-running it changes nothing when the results do not.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import uuid
from pathlib import Path

from ..errors import PlanError
from ..figures import FIGURES_DIR_VARIABLE
from ..files import atomic_write, copy_atomic
from ..paths import PROJECT_ROOT, is_checkout, notebooks_dir

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


def quiet_kernel_manager():
    """The kernel manager class for rendering: IPC transport and no interrupt at shutdown.

    Two defaults of ``jupyter_client`` make every successful render log noise:
    a TCP kernel warns that its traffic is unencrypted (on one machine, a
    Unix socket is the right transport anyway), and a graceful shutdown first
    sends SIGINT, which the idle kernel logs as "ERROR | KeyboardInterrupt
    caught in kernel". After a notebook has run to its end nothing is left to
    interrupt, so the shutdown request is sent directly. (A class built on
    first use, so that importing this module does not import jupyter_client.)
    """
    global _QUIET_KERNEL_MANAGER
    if _QUIET_KERNEL_MANAGER is None:
        from jupyter_client.manager import AsyncKernelManager

        class QuietKernelManager(AsyncKernelManager):
            def __init__(self, **kwargs):
                kwargs.setdefault("transport", "ipc")
                # Each kernel's sockets are named after its connection file; without one they would all be
                # "kernel-ipc-N" in the working directory, shared by kernels running side by side.
                kwargs.setdefault("connection_file", os.path.join(
                    tempfile.gettempdir(), f"sco-research-kernel-{os.getpid()}-{uuid.uuid4().hex[:12]}.json"))
                super().__init__(**kwargs)

            async def _async_interrupt_kernel(self) -> None:
                if self.shutting_down:  # a finished notebook: nothing runs, a shutdown request suffices
                    return
                await super()._async_interrupt_kernel()

        _QUIET_KERNEL_MANAGER = QuietKernelManager
    return _QUIET_KERNEL_MANAGER


_QUIET_KERNEL_MANAGER = None


#: Run in every kernel at start: charts shown with ``plt.show()`` carry their title as alt text, as those of
#: ``ReportFigures.show`` do (what ``%load_ext sco_research.figures`` does, registered by type name so that a
#: kernel that shows no figure imports neither matplotlib nor the package for it).
_ALT_TEXT = ("get_ipython().display_formatter.mimebundle_formatter.for_type_by_name('matplotlib.figure', 'Figure', "
             "lambda fig: __import__('sco_research.figures', fromlist=['_']).alt_text_metadata(fig))")


def _execute(source: Path, target: Path, parameters: dict | None, timeout: int | None,
             figures: Path | None = None, log_output: bool = False) -> None:
    import papermill as pm

    # Inline figures even when the caller runs with MPLBACKEND=Agg (as CI jobs often do);
    # figures the notebook saves go to the report's own folder when one is given.
    # Reports keep no widget state and must not need a CDN: the explorers draw static maps.
    variables = {"MPLBACKEND": "module://matplotlib_inline.backend_inline", "SCO_RESEARCH_STATIC_WIDGETS": "1",
                 FIGURES_DIR_VARIABLE: figures if figures is not None else ""}
    with _kernel_environment(**variables):
        # The output is written once, at the end (and by papermill on an error), not before and after
        # every cell: nobody reads a render's temporary notebook mid-run, and rewriting a notebook that
        # holds every figure so far costs the run CPU that the other workers' kernels need.
        pm.execute_notebook(
            str(source), str(target), parameters=parameters or {}, kernel_name="python3",
            cwd=str(source.parent), progress_bar=False, execution_timeout=timeout, start_timeout=120,
            request_save_on_cell_execute=False, kernel_manager_class=quiet_kernel_manager(),
            log_output=log_output,  # each cell's output also goes to the papermill log (a report's render.log)
            extra_arguments=[f"--IPKernelApp.exec_lines={_ALT_TEXT}"],
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


def refresh_notebook(path: Path, timeout: int | None = 1800) -> None:
    """Re-execute a committed notebook in place with its defaults, deterministically."""
    import nbformat

    path = Path(path).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        executed = Path(tmp) / path.name
        _execute(path, executed, None, timeout)
        nb = nbformat.read(executed, as_version=4)
    _strip_run_metadata(nb)
    atomic_write(path, lambda tmp: nbformat.write(nb, tmp))


#: Figures the README shows are linked as ``](figures/<notebook>__<figure>.<ext>)``.
_README_FIGURE = re.compile(r"\]\(figures/([A-Za-z0-9_.+-]+\.(?:png|gif|svg))\)")


def readme_figure_names(readme: Path) -> list[str]:
    """File names of the figures a README links under ``figures/``, in order of appearance.

    Examples
    --------
    >>> readme_figure_names(PROJECT_ROOT / "README.md")[0]
    '01_membership_growth__map.png'
    """
    names = []
    for name in _README_FIGURE.findall(Path(readme).read_text(encoding="utf-8")):
        if name not in names:
            names.append(name)
    return names


def refresh_readme_figures(readme: Path | None = None, timeout: int | None = 1800) -> list[Path]:
    """Re-draw the figures the README shows into ``figures/``, by running their notebooks with defaults.

    The one command that writes into the tracked ``figures/`` folder (``make figures``). Each figure
    is found by the notebook that its name starts with; files are copied in atomically.
    """
    if not is_checkout():
        raise PlanError("readme-figures works in a checkout of the repository, not in an installed package")
    readme = Path(readme) if readme is not None else PROJECT_ROOT / "README.md"
    names = readme_figure_names(readme)
    by_notebook: dict[str, list[str]] = {}
    for name in names:
        notebook = name.split("__", 1)[0]
        if not (NOTEBOOK_DIR / f"{notebook}.ipynb").is_file():
            raise PlanError(f"{readme}: figure {name!r} names no notebook ({notebook}.ipynb not found)")
        by_notebook.setdefault(notebook, []).append(name)
    target = PROJECT_ROOT / "figures"
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for notebook, files in by_notebook.items():
            drawn = Path(tmp) / notebook
            _execute(NOTEBOOK_DIR / f"{notebook}.ipynb", Path(tmp) / f"{notebook}.ipynb", None, timeout,
                     figures=drawn)
            for name in files:
                if not (drawn / name).is_file():
                    raise PlanError(f"{notebook} drew no figure {name!r}; it drew "
                                    + ", ".join(sorted(p.name for p in drawn.glob("*"))))
        for notebook, files in by_notebook.items():
            for name in files:
                written.append(copy_atomic(Path(tmp) / notebook / name, target / name))
    return written
