"""Render many report jobs in parallel, atomically, with a manifest and an index page.

Each job runs in its own worker process (papermill changes the working
directory and the kernel inherits environment variables, neither of which is
thread-safe). A job renders into a hidden temporary folder inside the output
directory and is renamed to ``<output>/<notebook>/<slug>/`` only when the
executed notebook, the HTML and the figures are all written. A failing job
leaves no folder; a Ctrl-C stops the workers and removes every temporary
folder, so a report folder that exists is always complete.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from ..errors import PlanError
from ..paths import PROJECT_ROOT, data_dir
from ..version import __version__
from .plan import Job
from .rendering import _execute, export_html

FORMATS = ("ipynb", "html", "pdf", "slides")
SLIDE_ASSETS = Path(__file__).resolve().parent / "static" / "slides"
_TMP_PREFIX = ".tmp-"


def check_formats(formats) -> tuple[str, ...]:
    """Validate ``--format``; PDF needs nbconvert's webpdf exporter and Playwright's Chromium."""

    chosen = tuple(f.strip() for f in (formats.split(",") if isinstance(formats, str) else formats) if f.strip())
    for fmt in chosen:
        if fmt not in FORMATS:
            raise PlanError(f"invalid --format {fmt!r}: expected a comma-separated list of {', '.join(FORMATS)}")
    if not chosen:
        raise PlanError(f"invalid --format '': expected a comma-separated list of {', '.join(FORMATS)}")
    if "pdf" in chosen:
        import importlib.util

        if importlib.util.find_spec("playwright") is None:
            raise PlanError("invalid --format pdf: PDF export needs nbconvert's webpdf exporter, which needs "
                            "the 'playwright' package and its Chromium; install them or use --format html,ipynb")
    return chosen


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True,
                             timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return out.stdout.strip() + ("+dirty" if dirty else "") if out.returncode == 0 else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def data_hashes() -> dict[str, str]:
    """sha256 of every file under ``data/`` (relative path -> hex digest)."""
    root = data_dir()
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def export_slides(nb, folder: Path) -> str:
    """reveal.js slides without code cells that work offline: the assets are copied next to the HTML.

    nbconvert's template would load reveal.js, require.js, jQuery, MathJax and mermaid from CDNs; every URL
    points into ``slides-assets/`` instead (see ``scripts/vendor_slides.py``).
    """
    from nbconvert import SlidesExporter

    shutil.copytree(SLIDE_ASSETS, folder / "slides-assets", dirs_exist_ok=True)
    exporter = SlidesExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
                              reveal_url_prefix="slides-assets/reveal.js", require_js_url="slides-assets/require.js",
                              jquery_url="slides-assets/jquery.min.js", mathjax_url="slides-assets/mathjax-stub.js",
                              mermaid_js_url="slides-assets/mermaid-stub.mjs", font_awesome_url="")
    body, _ = exporter.from_notebook_node(nb)
    return body


def student_edition(nb):
    """The notebook without its ``solution`` cells (and so without their outputs).

    Solutions are executed first, so that later cells can use their results,
    and removed from what students receive.
    """
    nb = nb.copy()
    nb.cells = [c for c in nb.cells if "solution" not in c.get("metadata", {}).get("tags", [])]
    return nb


def render_job(job: Job, output_dir: str, formats: tuple[str, ...], timeout: int | None) -> dict:
    """Worker: render one job atomically; return its manifest entry (never raises for notebook errors)."""
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    started, clock = _now(), time.perf_counter()
    final = Path(output_dir) / job.name / job.slug
    entry = {"notebook": job.name, "source": str(job.notebook), "parameters": job.parameters, "slug": job.slug,
             "edition": job.edition,
             "output": str(final.relative_to(output_dir)), "started": started}
    tmp = Path(tempfile.mkdtemp(prefix=f"{_TMP_PREFIX}{job.name}-", dir=output_dir))
    try:
        executed = tmp / f"{job.name}.ipynb"
        _execute(job.notebook, executed, job.parameters, timeout, figures=tmp / "figures")
        nb = nbformat.read(executed, as_version=4)
        if job.edition == "student":
            nb = student_edition(nb)
            nbformat.write(nb, executed)
        if "html" in formats:
            (tmp / f"{job.name}.html").write_text(export_html(nb), encoding="utf-8")
        if "slides" in formats:
            (tmp / f"{job.name}.slides.html").write_text(export_slides(nb, tmp), encoding="utf-8")
        if "pdf" in formats:
            from nbconvert import WebPDFExporter

            body, _ = WebPDFExporter(exclude_input=True).from_notebook_node(nb)
            (tmp / f"{job.name}.pdf").write_bytes(body)
        if "ipynb" not in formats:
            executed.unlink()
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            shutil.rmtree(final)
        tmp.rename(final)
        entry.update(status="ok", files=sorted(str(p.relative_to(final)) for p in final.rglob("*") if p.is_file()))
    except PapermillExecutionError as exc:
        entry.update(status="failed", error=f"{exc.ename}: {exc.evalue}", failing_cell=exc.exec_count,
                     cell_source=(exc.source or "").strip().splitlines()[:3])
    except Exception as exc:  # a broken kernel, a timeout, an export error: report, do not crash the run
        entry.update(status="failed", error=f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    entry["duration_s"] = round(time.perf_counter() - clock, 2)
    return entry


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def write_index(output_dir: Path, manifest: dict) -> Path:
    """``index.html`` linking every report of the run with its parameters, date and status."""
    rows = []
    for job in manifest["jobs"]:
        params = ", ".join(f"{k}={v}" for k, v in job["parameters"].items()) or "defaults"
        if job["status"] == "ok" and any(f.endswith(".html") for f in job.get("files", [])):
            link = f'<a href="{html.escape(job["output"])}/{html.escape(job["notebook"])}.html">{html.escape(job["notebook"])}</a>'
        else:
            link = html.escape(job["notebook"])
        rows.append(f"<tr><td>{link}</td><td>{html.escape(params)}</td><td>{html.escape(job['started'])}</td>"
                    f"<td>{html.escape(job['status'])}</td></tr>")
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sco-research reports</title></head>\n"
            "<body><h1>sco-research reports</h1>\n"
            f"<p>Rendered {html.escape(manifest['started'])} from commit {html.escape(manifest['git_commit'])} "
            f"(package {html.escape(manifest['package_version'])}).</p>\n"
            "<table><thead><tr><th>report</th><th>parameters</th><th>rendered</th><th>status</th></tr></thead><tbody>\n"
            + "\n".join(rows) + "\n</tbody></table></body></html>\n")
    path = output_dir / "index.html"
    _write_atomic(path, page)
    return path


def _cleanup(output_dir: Path) -> None:
    for stale in output_dir.glob(f"{_TMP_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)


def run_jobs(jobs: list[Job], output_dir: Path, *, n_jobs: int | None = None, formats=("html", "ipynb"),
             timeout: int | None = 1800, log=print, progress: bool | None = None) -> dict:
    """Render ``jobs`` with ``n_jobs`` worker processes; write ``manifest.json`` and ``index.html``.

    Returns the manifest (``jobs`` in the order given). Ctrl-C cancels pending
    jobs, stops running kernels and removes temporary folders before
    re-raising ``KeyboardInterrupt``.
    """

    output_dir = Path(output_dir).resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    _cleanup(output_dir)
    n_jobs = max(1, min(n_jobs or os.cpu_count() or 1, len(jobs) or 1))
    manifest = {"started": _now(), "package_version": __version__, "git_commit": _git_commit(),
                "python": sys.version.split()[0], "jobs_requested": len(jobs), "workers": n_jobs,
                "formats": list(formats), "data_sha256": data_hashes(), "jobs": []}
    clock = time.perf_counter()
    progress = sys.stderr.isatty() if progress is None else progress
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(jobs), unit="report", desc="rendering")
    results: dict[int, dict] = {}
    pool = ProcessPoolExecutor(max_workers=n_jobs)
    try:
        futures = {pool.submit(render_job, job, str(output_dir), tuple(formats), timeout): i
                   for i, job in enumerate(jobs)}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                entry = future.result()
                results[futures[future]] = entry
                line = f"{entry['status']:6} {entry['notebook']}/{entry['slug']} ({entry['duration_s']} s)"
                if entry["status"] != "ok":
                    line += f": In [{entry.get('failing_cell', '?')}]: {entry['error']}"
                if bar is not None:
                    bar.update(1)
                    bar.write(line)
                else:
                    log(line)
    except KeyboardInterrupt:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        _cleanup(output_dir)
        raise
    finally:
        if bar is not None:
            bar.close()
        pool.shutdown(wait=True, cancel_futures=True)
        _cleanup(output_dir)
    manifest["jobs"] = [results[i] for i in sorted(results)]
    manifest["duration_s"] = round(time.perf_counter() - clock, 2)
    manifest["failed"] = sum(1 for j in manifest["jobs"] if j["status"] != "ok")
    _write_atomic(output_dir / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")
    write_index(output_dir, manifest)
    return manifest
