"""Run ``sco-research render`` with notebooks executed in the worker process itself, without a kernel.

The run mechanics (locks, overlapping runs, signals, reuse, path checks) do not depend on how a notebook's
cells are executed, but a kernel start costs seconds of CPU. :func:`install` replaces the executor that the
render workers call (``sco_research.reports.run._execute``) with :func:`execute_in_process`; the workers are
forked from the process that installed it, so they inherit it. Everything else of the run is the real code.
One test in test_render.py renders with real kernels, so the whole path stays covered.

The notebooks written by the tests are plain Python that behaves the same under a kernel, so if the
workers were ever not forked (another start method), the tests would still pass, only slower.

For the tests that signal or overlap whole runs, :func:`start_render` runs ``sco-research render`` in a
process of its own, forked from the test's process: a run's main process as the command line starts it,
without the seconds of imports a fresh interpreter would repeat.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path


class _Tee(io.TextIOBase):
    """Write to a cell's captured output and, as a kernel does, to the file descriptor it inherited (which a
    render worker points at the job's render.log), whatever Python-level stream the process has."""

    def __init__(self, fd: int):
        self.captured = io.StringIO()
        self.fd = fd

    def write(self, text):
        self.captured.write(text)
        os.write(self.fd, text.encode())
        return len(text)


def execute_in_process(source: Path, target: Path, parameters: dict | None, timeout: int | None,
                       figures: Path | None = None, log_output: bool = False) -> None:
    """Execute a notebook's code cells with :func:`exec`, as papermill does with a kernel.

    Same signature as ``sco_research.reports.rendering._execute``: the parameters are injected by
    papermill (an ``injected-parameters`` cell after the ``parameters`` cell), cells run in the
    notebook's folder, their stdout and stderr become stream outputs, the executed notebook is written
    to ``target``, and a failing cell raises :class:`papermill.exceptions.PapermillExecutionError` with
    its execution count. ``timeout``, ``figures`` and ``log_output`` are not needed by the test notebooks.
    """
    import nbformat
    from nbformat.v4 import new_output
    from papermill.exceptions import PapermillExecutionError
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = parameterize_notebook(load_notebook_node(str(source)), parameters or {})
    namespace = {"__name__": "__main__"}
    count = 0
    with contextlib.chdir(source.parent):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            count += 1
            cell.execution_count = count
            out, err = _Tee(1), _Tee(2)
            failure = None
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    exec(compile(cell.source, f"<cell In [{count}]>", "exec"), namespace)  # noqa: S102
            except Exception as exc:
                failure = exc
            cell.outputs = [new_output("stream", name=name, text=tee.captured.getvalue())
                            for name, tee in (("stdout", out), ("stderr", err)) if tee.captured.getvalue()]
            if failure is not None:
                nbformat.write(nb, target)
                raise PapermillExecutionError(index, count, cell.source, type(failure).__name__, str(failure), [])
    nbformat.write(nb, target)


def install() -> None:
    """Make render workers forked from now on execute notebooks in-process."""
    from sco_research.reports import run

    run._execute = execute_in_process


def _render_main(arguments: list[str], stdout: str, stderr: str, new_session: bool) -> None:
    import sys

    if new_session:
        os.setsid()  # as a terminal starts a command: Ctrl-C reaches its whole process group
    install()
    for fd, path in ((1, stdout), (2, stderr)):
        with open(path, "ab", buffering=0) as target:
            os.dup2(target.fileno(), fd)
    sys.stdout = open(1, "w", buffering=1, closefd=False)  # the process's own streams
    sys.stderr = open(2, "w", buffering=1, closefd=False)
    from sco_research.cli import main

    main(["render", *arguments], prog_name="sco-research")  # exits with the command's status


def start_render(arguments: list[str], stdout: Path, stderr: Path, *, new_session: bool = False):
    """Start ``sco-research render ARGUMENTS`` in a forked process writing to ``stdout`` and ``stderr``.

    Returns the started :class:`multiprocessing.Process`; its ``exitcode`` is the command's exit status.
    """
    import multiprocessing

    process = multiprocessing.get_context("fork").Process(
        target=_render_main, args=([str(a) for a in arguments], str(stdout), str(stderr), new_session))
    process.start()
    return process
