"""Render many report jobs in parallel, atomically and incrementally, with a manifest and an index page.

Safe to run unattended (cron, systemd, containers):

* **One run per output folder.** A run holds a lock on ``<output>/.sco-research/lock``;
  a second run into the same folder refuses at once, naming the run that holds
  it, or waits for it when asked (``wait=True``).
* **Atomic reports.** Each job renders into its own temporary folder under
  ``<output>/.sco-research/tmp/<run id>/`` and is renamed to
  ``<output>/<notebook>/<slug>/`` only when the executed notebook, the pages, the
  figures and ``report.json`` are all written. A run removes only its own
  temporary folders (and those of runs that died, which it knows by holding the lock).
* **Stopping.** Ctrl-C (SIGINT) and SIGTERM (``kill``, ``docker stop``, systemd)
  stop every worker and kernel, remove the run's temporary folders and record
  the reports finished so far; :class:`RunInterrupted` is raised with the signal.
* **Incremental.** A report whose inputs are unchanged (notebook file, parameters,
  edition, formats, every data file, the package's code and version and the
  versions of the libraries that draw and export) is reused, not re-executed;
  ``force=True`` re-renders. The manifest records each job as ``rendered``,
  ``reused`` or ``failed``, with its cache key.
* **Quiet logs.** Each job's kernel output goes to ``render.log`` beside the
  report; the terminal shows a progress bar (or one plain line per job when not
  on a terminal).

Each job runs in its own worker process: papermill changes the working
directory and the kernel inherits environment variables, neither of which is
thread-safe.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor
from concurrent.futures import wait as wait_for_futures
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from ..data import coverage, data_version
from ..errors import PlanError
from ..files import replace_folder, write_text_atomic
from ..paths import PROJECT_ROOT, data_dir, notebooks_dir
from ..version import __version__
from .editions import student_edition
from .plan import FORMATS, Job, refuse_shared_folders
from .rendering import _execute
from .site import THUMBNAIL, export_page, front_page_html, notebook_info, parameters_in_words, write_thumbnail
from .slides import export_slides

PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: The run's own state inside the output folder: the lock, who holds it, temporary folders, failed jobs' logs.
STATE_DIR = ".sco-research"
#: Written into every report folder: the job's manifest entry, with its cache key.
REPORT_RECORD = "report.json"
LOG_NAME = "render.log"
#: Libraries whose version changes what a report looks like (part of every cache key).
KEY_LIBRARIES = ("matplotlib", "pandas", "geopandas", "shapely", "pyproj", "seaborn", "nbconvert", "papermill",
                 "nbformat", "ipykernel")
#: Exit status of ``sco-research render`` when another run holds the output folder (EX_TEMPFAIL: try later).
EXIT_LOCKED = 75


class RunInterrupted(KeyboardInterrupt):
    """A render run was stopped by SIGINT (Ctrl-C) or SIGTERM; ``signum`` says which."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class OutputLocked(PlanError):
    """Another run holds the output folder."""


def check_formats(formats) -> tuple[str, ...]:
    """Validate ``--format``; PDF needs nbconvert's webpdf exporter and Playwright's Chromium.

    Examples
    --------
    >>> check_formats("html,ipynb")
    ('html', 'ipynb')
    """

    chosen = tuple(f.strip() for f in (formats.split(",") if isinstance(formats, str) else formats) if f.strip())
    for fmt in chosen:
        if fmt not in FORMATS:
            raise PlanError(f"invalid --format {fmt!r}: expected a comma-separated list of {', '.join(FORMATS)}")
    if not chosen:
        raise PlanError(f"invalid --format '': expected a comma-separated list of {', '.join(FORMATS)}")
    if "pdf" in chosen:
        import importlib.util

        if importlib.util.find_spec("playwright") is None or not _playwright_chromium():
            raise PlanError("invalid --format pdf: PDF export needs nbconvert's webpdf exporter, which needs "
                            "the 'playwright' package and its own Chromium (python -m playwright install chromium); "
                            "install them or use --format html,ipynb")
    return chosen


def _playwright_chromium() -> bool:
    """Whether Playwright's own Chromium is installed.

    The pinned environment has Playwright for the browser tests, which drive Debian's Chromium instead; it
    downloads no browser of its own.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        return Path(playwright.chromium.executable_path).exists()


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                             timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return out.stdout.strip() + ("+dirty" if dirty else "") if out.returncode == 0 else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_hashes() -> dict[str, str]:
    """sha256 of every file under ``data/`` (relative path -> hex digest)."""
    root = data_dir()
    return {p.relative_to(root).as_posix(): _sha256(p) for p in sorted(root.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


def code_hash() -> str:
    """One sha256 over the package's own files (code, slide assets, fonts), by relative path.

    The bundled data and notebooks are keyed separately, so they are left out.
    """
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        relative = path.relative_to(PACKAGE_DIR)
        if not path.is_file() or relative.parts[0] == "_bundle" or "__pycache__" in relative.parts:
            continue
        digest.update(relative.as_posix().encode() + b"\0" + _sha256(path).encode() + b"\n")
    return digest.hexdigest()


def run_inputs() -> dict:
    """What every report of a run depends on besides its notebook: package, code, data and library versions."""
    versions = {}
    for name in KEY_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {"package_version": __version__, "data_version": data_version(), "code_sha256": code_hash(),
            "data_sha256": data_hashes(),
            "python": sys.version.split()[0], "libraries": versions}


def cache_key(job: Job, formats, inputs: dict) -> str:
    """The key under which a job's report is reused: a sha256 of everything the report depends on.

    Examples
    --------
    >>> from sco_research.reports.plan import make_job
    >>> inputs = {"package_version": "0", "code_sha256": "c", "data_sha256": {}}
    >>> a = cache_key(make_job("00_dataset_tour"), ("html",), inputs)
    >>> a == cache_key(make_job("00_dataset_tour"), ("html",), inputs), a == cache_key(
    ...     make_job("00_dataset_tour", {"as_of": "2017-06-09"}), ("html",), inputs)
    (True, False)
    """
    record = {"notebook_sha256": _sha256(job.notebook), "notebook": job.name, "parameters": job.parameters,
              "edition": job.edition, "formats": sorted(formats), "inputs": inputs}
    return hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


# ---------------------------------------------------------------------------------------------------------------------
# The output folder: safe paths, the lock, temporary folders


def report_folder(output_dir: Path, job: Job) -> Path:
    """``<output>/<notebook>/<slug>``, refused if it would lie outside the output folder (a symbolic link, say)."""
    final = _inside(output_dir, f"{job.name}/{job.slug}")
    if final is None:
        output_dir = Path(output_dir).resolve()
        raise PlanError(f"report {job.name}/{job.slug} would be written to {(output_dir / job.name / job.slug).resolve()}"
                        f", outside {output_dir}")
    return final


def _inside(output_dir: Path, relative: str) -> Path | None:
    """``output_dir / relative`` resolved, or ``None`` if it is the output folder itself or lies outside it."""
    output_dir = Path(output_dir).resolve()
    path = (output_dir / relative).resolve()
    return path if path.is_relative_to(output_dir) and path != output_dir else None


def prepare_output(output_dir) -> Path:
    """Create the output folder and its state folder, or :class:`PlanError` saying why it cannot be written."""
    output_dir = Path(output_dir)
    try:
        state = output_dir / STATE_DIR
        (state / "tmp").mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=state, prefix="probe-", delete=True)
        probe.close()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise PlanError(f"cannot write into the output folder {output_dir}: {reason}"
                        + (f" ({exc.filename})" if exc.filename and str(exc.filename) != str(output_dir) else "")
                        ) from None
    return output_dir.resolve()


def _holder(state: Path) -> str:
    try:
        info = json.loads((state / "run.json").read_text(encoding="utf-8"))
        return (f"run {info['run_id']} (pid {info['pid']} on {info['host']}, started {info['started']}: "
                f"{info['command']})")
    except (OSError, ValueError, KeyError):
        return "another run"


@contextmanager
def output_lock(output_dir: Path, *, wait: bool = False, log=print):
    """Hold the output folder's lock for one run; yield the run's id.

    Raises :class:`OutputLocked` at once when another run holds it, unless
    ``wait`` is true. The lock is an OS file lock, so it is released when the
    holding process ends, however it ends.
    """
    from filelock import FileLock, Timeout

    state = Path(output_dir) / STATE_DIR
    lock = FileLock(state / "lock", timeout=-1 if wait else 0)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait:
            raise OutputLocked(f"{output_dir} is being written by {_holder(state)}; wait for it to finish, or "
                               "pass --wait to queue behind it") from None
        log(f"waiting for {_holder(state)} to finish writing {output_dir}")
        lock.acquire()
    run_id = f"{_dt.datetime.now(_dt.UTC):%Y%m%dT%H%M%S}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    try:
        info = {"run_id": run_id, "pid": os.getpid(), "host": socket.gethostname(), "started": _now(),
                "command": " ".join(Path(sys.argv[0]).name.split() + sys.argv[1:])}
        write_text_atomic(state / "run.json", json.dumps(info, indent=2) + "\n")
        # Holding the lock, any other run's temporary folder belongs to a run that died: remove it.
        (state / "tmp").mkdir(parents=True, exist_ok=True)
        for stale in (state / "tmp").iterdir():
            shutil.rmtree(stale, ignore_errors=True)
        yield run_id
    finally:
        lock.release()


# ---------------------------------------------------------------------------------------------------------------------
# One job, in a worker process


def _prepare_workers(formats: set[str]) -> None:
    """Do the start-up work every job repeats once, here, before the worker processes are forked.

    A forked worker starts with a copy of this process: without this, each worker imports papermill and
    nbconvert and compiles the page's Jinja templates and CSS selectors for its first job (about 1 CPU-s a
    worker, measured; a test run forks dozens). Workers started another way (spawn, forkserver) inherit
    nothing, so nothing is done for them.
    """
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        return
    try:
        import papermill  # noqa: F401  (what _execute imports in each worker)
        from nbformat.v4 import new_notebook

        if "html" in formats:  # an empty page through the same exporter: its templates and selectors compiled
            day = _now()
            export_page(new_notebook(), info={"title": "", "description": "", "group": "other"}, parameters="",
                        rendered=day, checked_through=day, package_version=__version__)
    except Exception:  # noqa: S110  (only a head start: each job meets the same failure and reports it as its own)
        pass


def _worker_init() -> None:
    # Ctrl-C reaches the whole terminal process group: let the main process alone decide what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class _PublishedPaths(logging.Filter):
    """Log lines name the notebook and the report as they are published, not by this server's folders.

    papermill logs the paths it reads, writes and runs in; ``replacements`` maps each to its published name.
    """

    def __init__(self, replacements: dict[str, str]):
        super().__init__()
        self.replacements = sorted(replacements.items(), key=lambda pair: -len(pair[0]))  # longest first

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for old, new in self.replacements:
            message = message.replace(old, new)
        record.msg, record.args = message, None
        return True


@contextmanager
def _output_to(log_path: Path, published: dict[str, str] | None = None):
    """Send this process's stdout and stderr (and so the kernel's, which inherits them) to ``log_path``."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    handler = logging.FileHandler(log_path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_PublishedPaths(published or {}))
    papermill_log = logging.getLogger("papermill")
    papermill_log.addHandler(handler)
    papermill_log.setLevel(logging.INFO)
    with open(log_path, "ab", buffering=0) as target:
        os.dup2(target.fileno(), 1)
        os.dup2(target.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            papermill_log.removeHandler(handler)
            handler.close()


def notebook_source(notebook: Path) -> str:
    """How a published report names its notebook: relative to the package's notebooks, else the file name alone.

    A manifest and an executed notebook are published with the report; the server's folders stay out of them.

    Examples
    --------
    >>> notebook_source(notebooks_dir() / "teaching" / "trade_and_power.ipynb")
    'teaching/trade_and_power.ipynb'
    >>> notebook_source(Path("/home/someone/work/draft.ipynb"))
    'draft.ipynb'
    """
    try:
        return Path(notebook).resolve().relative_to(notebooks_dir().resolve()).as_posix()
    except ValueError:
        return Path(notebook).name


def render_job(job: Job, output_dir: str, run_tmp: str, formats: tuple[str, ...], timeout: int | None,
               key: str) -> dict:
    """Worker: render one job atomically; return its manifest entry (never raises for notebook errors)."""
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    started, clock = _now(), time.perf_counter()
    output = Path(output_dir)
    final = report_folder(output, job)
    entry = {"notebook": job.name, "source": notebook_source(job.notebook), "parameters": job.parameters, "slug": job.slug,
             "edition": job.edition, "output": final.relative_to(output).as_posix(), "started": started,
             "cache_key": key}
    tmp = Path(tempfile.mkdtemp(prefix=f"{job.name}-", dir=run_tmp))
    log_path = tmp / LOG_NAME
    try:
        executed = tmp / f"{job.name}.ipynb"
        source = entry["source"]
        published = {str(job.notebook): source, str(tmp): entry["output"],
                     str(job.notebook.parent): Path(source).parent.as_posix()}
        with _output_to(log_path, published):
            # The log is published beside the report: a student edition's would give the answers its page hides.
            _execute(job.notebook, executed, job.parameters, timeout, figures=tmp / "figures",
                     log_output=job.edition != "student")
        nb = nbformat.read(executed, as_version=4)
        # papermill records the paths it read and wrote (this server's folders): name the published files instead.
        nb.metadata.get("papermill", {}).update(input_path=source, output_path=executed.name)
        if job.edition == "student":
            nb = student_edition(nb)
        if "ipynb" in formats:
            nbformat.write(nb, executed)
        # What the front page's card and the page's header say, kept in report.json for reused reports.
        info = notebook_info(nb)
        words = parameters_in_words(job.parameters, job.edition, teaching=info["group"] == "teaching")
        entry.update(info, parameters_in_words=words, checked_through=coverage()["checked_through"].date().isoformat())
        thumbnail = write_thumbnail(nb, tmp / THUMBNAIL)
        if thumbnail is not None:
            entry["thumbnail_size"] = list(thumbnail)
        if "html" in formats:
            page = export_page(nb, info=info, parameters=words, rendered=started, checked_through=entry["checked_through"],
                               package_version=__version__,
                               notebook_file=f"{job.name}.ipynb" if "ipynb" in formats else None)
            (tmp / f"{job.name}.html").write_text(page, encoding="utf-8")
        if "slides" in formats:
            (tmp / f"{job.name}.slides.html").write_text(export_slides(nb, tmp), encoding="utf-8")
        if "pdf" in formats:
            from nbconvert import WebPDFExporter

            body, _ = WebPDFExporter(exclude_input=True).from_notebook_node(nb)
            (tmp / f"{job.name}.pdf").write_bytes(body)
        if "ipynb" not in formats:
            executed.unlink()
        entry.update(status="rendered", duration_s=round(time.perf_counter() - clock, 2))
        entry["files"] = sorted([*(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file()), REPORT_RECORD])
        (tmp / REPORT_RECORD).write_text(json.dumps(entry, indent=2, sort_keys=True, default=str) + "\n",
                                         encoding="utf-8")
        # Readable by a web server running as another user; the old report stays until the new one replaces it.
        replace_folder(tmp, final, aside_in=run_tmp)
    except PapermillExecutionError as exc:
        entry.update(status="failed", error=f"{exc.ename}: {exc.evalue}", failing_cell=exc.exec_count,
                     cell_source=(exc.source or "").strip().splitlines()[:3])
    except Exception as exc:  # a broken kernel, a timeout, an export error: report, do not crash the run
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        entry.update(status="failed", error=f"{type(exc).__name__}: {first_line}")
    finally:
        if entry.get("status") == "failed" and log_path.exists():
            with open(log_path, "a", encoding="utf-8") as log:
                log.write(f"job failed: In [{entry.get('failing_cell', '?')}]: {entry['error']}\n")
            kept = output / STATE_DIR / "logs" / job.name / f"{job.slug}.log"
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(log_path, kept)
            entry["log"] = kept.relative_to(output).as_posix()
        shutil.rmtree(tmp, ignore_errors=True)
    entry.setdefault("duration_s", round(time.perf_counter() - clock, 2))
    return entry


def reusable(output_dir: Path, job: Job, key: str) -> dict | None:
    """The recorded entry of a complete report rendered with the same cache key, or ``None``."""
    folder = report_folder(output_dir, job)
    try:
        record = json.loads((folder / REPORT_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("cache_key") != key or record.get("status") != "rendered":
        return None
    if not all((folder / name).is_file() for name in record.get("files", [])):
        return None
    return record


# ---------------------------------------------------------------------------------------------------------------------
# The index page and the manifest


def write_index(output_dir: Path, manifest: dict, today=None) -> Path:
    """``index.html``: the site's front page, one card per report (:func:`~sco_research.reports.site.front_page_html`).

    ``today`` (default: the real day) decides whether the stale-data warning is shown.
    """
    path = output_dir / "index.html"
    write_text_atomic(path, front_page_html(manifest, today))
    return path


def _earlier_entries(output_dir: Path, current: list[dict]) -> list[dict]:
    """Entries of the previous manifest whose reports are still in the folder and were not part of this run."""
    try:
        previous = json.loads((output_dir / "manifest.json").read_text(encoding="utf-8")).get("jobs", [])
    except (OSError, ValueError):
        return []
    taken = {entry["output"] for entry in current}
    kept = []
    for entry in previous:
        if entry.get("output") in taken or entry.get("status") == "failed":
            continue
        if (output_dir / entry["output"] / REPORT_RECORD).is_file():
            kept.append({**entry, "status": "kept"})
    return sorted(kept, key=lambda e: e["output"])


def _remove_report(output_dir: Path, output: str) -> None:
    """Remove an earlier run's report folder, and its notebook's folder once that is empty."""
    folder = _inside(output_dir, output)
    if folder is None:
        return  # a manifest edited by hand: never remove anything outside the output folder
    shutil.rmtree(folder, ignore_errors=True)
    try:
        folder.parent.rmdir()
    except OSError:
        pass  # other reports of that notebook remain


def _write_manifest(output_dir: Path, manifest: dict) -> None:
    write_text_atomic(output_dir / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")
    write_index(output_dir, manifest)


# ---------------------------------------------------------------------------------------------------------------------
# The run


def _stop_processes(processes) -> None:
    """Terminate processes (workers and their kernels), then kill those still alive after 5 s."""
    import psutil

    for process in processes:
        try:
            process.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(processes, timeout=5)
    for process in alive:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=5)


@contextmanager
def _signals_raise():
    """Within the block, SIGTERM (and SIGINT) raise :class:`RunInterrupted` in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise RunInterrupted(signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def run_jobs(jobs: list[Job], output_dir: Path, *, n_jobs: int | None = None, formats=("html", "ipynb"),
             timeout: int | None = 1800, log=print, progress: bool | None = None, force: bool = False,
             wait: bool = False, prune: bool = False) -> dict:
    """Render ``jobs`` with ``n_jobs`` worker processes; write ``manifest.json`` and ``index.html``.

    Returns the manifest: ``jobs`` holds this run's entries in the order given
    (status ``rendered``, ``reused`` or ``failed``), then the reports of earlier
    runs still in the folder (status ``kept``), unless ``prune``: then those are
    removed once this run has finished (listed in ``pruned``). Raises :class:`PlanError`
    for two jobs written to one folder, before anything is written; :class:`OutputLocked`
    when another run holds the folder (unless ``wait``), and
    :class:`RunInterrupted` after SIGINT or SIGTERM, once workers and kernels
    are stopped, temporary folders removed and the finished reports recorded.
    """
    import psutil

    refuse_shared_folders(jobs)
    output_dir = prepare_output(output_dir)
    for job in jobs:
        report_folder(output_dir, job)  # refuse a path outside the output folder before anything runs
    with output_lock(output_dir, wait=wait, log=log) as run_id:
        run_tmp = output_dir / STATE_DIR / "tmp" / run_id
        run_tmp.mkdir(parents=True)
        clock = time.perf_counter()
        inputs = run_inputs()
        job_formats = [job.formats(formats) for job in jobs]  # the run's formats and each report's own
        keys = [cache_key(job, formats_of_job, inputs) for job, formats_of_job in zip(jobs, job_formats)]
        manifest = {"run_id": run_id, "started": _now(), "package_version": __version__,
                    "data_version": inputs["data_version"], "git_commit": _git_commit(),
                    "python": inputs["python"], "jobs_requested": len(jobs), "formats": list(formats),
                    "code_sha256": inputs["code_sha256"], "data_sha256": inputs["data_sha256"],
                    "libraries": inputs["libraries"], "forced": force, "jobs": []}
        results: dict[int, dict] = {}
        for i, job in enumerate(jobs):
            record = None if force else reusable(output_dir, job, keys[i])
            if record is not None:
                results[i] = {**record, "status": "reused", "reused_in": run_id}
        todo = [i for i in range(len(jobs)) if i not in results]
        n_workers = max(1, min(n_jobs or os.cpu_count() or 1, len(todo) or 1))
        manifest["workers"] = n_workers if todo else 0
        progress = sys.stderr.isatty() if progress is None else progress
        bar = None
        if progress and todo:
            from tqdm import tqdm

            bar = tqdm(total=len(todo), unit="report", desc="rendering")
        if len(results):
            log(f"reused {len(results)} unchanged report(s); rendering {len(todo)}")
        pool = None
        try:
            with _signals_raise():
                if todo:
                    _prepare_workers({f for i in todo for f in job_formats[i]})
                    pool = ProcessPoolExecutor(max_workers=n_workers, initializer=_worker_init)
                    futures = {pool.submit(render_job, jobs[i], str(output_dir), str(run_tmp), job_formats[i],
                                           timeout, keys[i]): i for i in todo}
                    pending = set(futures)
                    while pending:
                        done, pending = wait_for_futures(pending, return_when=FIRST_COMPLETED)
                        for future in done:
                            entry = future.result()
                            results[futures[future]] = entry
                            line = f"{entry['status']:8} {entry['notebook']}/{entry['slug']} ({entry['duration_s']} s)"
                            if entry["status"] == "failed":
                                line += f": In [{entry.get('failing_cell', '?')}]: {entry['error']}"
                            if bar is not None:
                                bar.update(1)
                                bar.write(line)
                            else:
                                log(line)
        except RunInterrupted as stop:
            # Collect every descendant first: a kernel whose worker died first would be lost to the search.
            _stop_processes(psutil.Process().children(recursive=True))
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
            manifest["interrupted"] = signal.Signals(stop.signum).name
            raise
        finally:
            if bar is not None:
                bar.close()
            if pool is not None:
                pool.shutdown(wait=True)
            shutil.rmtree(run_tmp, ignore_errors=True)
            manifest["jobs"] = [results[i] for i in sorted(results)]
            earlier = _earlier_entries(output_dir, manifest["jobs"])
            if prune and "interrupted" not in manifest:
                for entry in earlier:
                    _remove_report(output_dir, entry["output"])
                manifest["pruned"], earlier = [entry["output"] for entry in earlier], []
            manifest["jobs"] += earlier
            manifest["duration_s"] = round(time.perf_counter() - clock, 2)
            manifest["failed"] = sum(1 for j in manifest["jobs"] if j["status"] == "failed")
            _write_manifest(output_dir, manifest)
    return manifest
