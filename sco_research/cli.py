"""Command line: ``sco-research validate | render | refresh-notebooks``."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from . import data
from .errors import ParameterError, PlanError, SCOResearchError
from .paths import notebooks_dir
from .reports.plan import describe_notebooks, jobs_from_file, make_job, read_yaml, refuse_shared_folders
from .reports.release import FORMATS as RELEASE_FORMATS
from .reports.release import export_release
from .reports.rendering import list_notebooks, refresh_notebook, refresh_readme_figures
from .reports.run import EXIT_LOCKED, OutputLocked, RunInterrupted, check_formats, prepare_output, run_jobs


@click.group()
@click.version_option(package_name="sco-research")
def main() -> None:
    """Cited data and reproducible notebooks on the Shanghai Cooperation Organisation."""


@main.command()
def validate() -> None:
    """Check every data file; list every problem found (file, line, column, value) and exit 1 if any."""
    snap = data.snapshot()
    for problem in snap.problems:
        click.echo(f"invalid data: {problem}", err=True)
    if snap.problems:
        click.echo(f"{len(snap.problems)} problem{'s' * (len(snap.problems) > 1)} in {snap.root}", err=True)
        sys.exit(1)
    for name, frame in snap.tables.items():
        click.echo(f"{data.TABLES[name].file}: {len(frame)} row{'s' * (len(frame) != 1)}")


@main.command("notebooks")
@click.argument("destination", type=click.Path(file_okay=False, path_type=Path))
def copy_notebooks(destination: Path) -> None:
    """Copy the notebooks (and the report set) into DESTINATION, to open them in JupyterLab.

    Refuses to overwrite a notebook that is already there.
    """
    source = notebooks_dir()
    files = sorted(p for p in source.rglob("*") if p.is_file() and p.suffix in (".ipynb", ".yaml"))
    clashes = [str(destination / p.relative_to(source)) for p in files if (destination / p.relative_to(source)).exists()]
    if clashes:
        click.echo(f"error: would overwrite {clashes[0]} (and {len(clashes) - 1} more); choose an empty folder", err=True)
        sys.exit(2)
    try:
        for path in files:
            target = destination / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    except OSError as exc:
        click.echo(f"error: cannot write into {destination}: {exc.strerror}", err=True)
        sys.exit(2)
    click.echo(f"copied {len(files)} files into {destination}; open them with `jupyter lab {destination}`")


@main.command()
@click.argument("notebooks", nargs=-1)
@click.option("-p", "--parameter", "parameters", nargs=2, multiple=True, metavar="NAME VALUE",
              help="Set a notebook parameter (repeatable); applies to every NOTEBOOK given.")
@click.option("--params-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML mapping of parameters for the NOTEBOOKs given (-p values win).")
@click.option("--output-dir", default="reports", show_default=True, type=click.Path(path_type=Path))
@click.option("--jobs", "n_jobs", type=click.IntRange(min=1), default=None,
              help="Parallel workers [default: one per core].")
@click.option("--format", "formats", default="html,ipynb", show_default=True,
              help="Comma-separated outputs: html, ipynb, slides, pdf.")
@click.option("--timeout", default=1800, show_default=True, type=click.IntRange(min=1),
              help="Per-cell timeout in seconds.")
@click.option("--reports-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Report set to render when no NOTEBOOK is given [default: notebooks/reports.yaml].")
@click.option("--edition", type=click.Choice(["lecturer", "student"]), default=None,
              help="For the NOTEBOOKs given [default: lecturer]; student: solutions become nbgrader stubs, answer "
                   "and check outputs and speaker notes are dropped. A report set gives each entry's edition.")
@click.option("--force", is_flag=True, help="Re-render every report, even those whose inputs are unchanged.")
@click.option("--prune", is_flag=True,
              help="Remove the reports of earlier runs that this run does not render or reuse (entries taken out "
                   "of a report set), instead of keeping them on the front page.")
@click.option("--wait", "wait_for_lock", is_flag=True,
              help="If another run is writing into OUTPUT_DIR, wait for it instead of exiting with status 75.")
@click.option("--list", "list_only", is_flag=True, help="List the notebooks and their parameters, then exit.")
def render(notebooks, parameters, params_file, output_dir, n_jobs, formats, timeout, reports_file, edition, force,
           prune, wait_for_lock, list_only):
    """Render NOTEBOOKs (names such as 01_membership_growth, or paths) into OUTPUT_DIR.

    With no NOTEBOOK, renders the default report set in notebooks/reports.yaml.
    Every job is checked before any kernel starts. Reports go to
    OUTPUT_DIR/<notebook>/<parameters>/ (with the kernel's output in render.log),
    with manifest.json and index.html for the folder. A report whose inputs
    (notebook, parameters, data, package) are unchanged is reused; --force
    re-renders it.

    Exit status: 0 all reports done; 1 a notebook failed (the others are still
    rendered); 2 a bad notebook, parameter, value, YAML file or output folder
    (nothing written); 75 another run holds OUTPUT_DIR; 130 after Ctrl-C and
    143 after SIGTERM (workers and kernels stopped, no partial report).
    """

    if list_only:
        click.echo(describe_notebooks())
        return
    try:
        chosen_formats = check_formats(formats)
        if notebooks:
            raw = {}
            if params_file is not None:
                loaded = read_yaml(params_file, "parameters file") or {}
                if not isinstance(loaded, dict):
                    raise PlanError(f"{params_file}: expected a mapping of parameter names to values")
                raw.update(loaded)
            raw.update(dict(parameters))
            jobs = refuse_shared_folders([make_job(ref, raw, edition or "lecturer") for ref in notebooks])
        else:
            if parameters or params_file:
                raise PlanError("-p/--params-file need a NOTEBOOK; the default set takes its parameters from "
                                "notebooks/reports.yaml")
            if edition is not None:
                raise PlanError(f"--edition {edition} needs a NOTEBOOK; a report set gives each entry's edition "
                                "(edition: student)")
            jobs = jobs_from_file(reports_file) if reports_file else jobs_from_file()
        check_formats(sorted({f for job in jobs for f in job.formats(chosen_formats)}))  # a report set's formats too
        prepare_output(output_dir)
    except PlanError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo(f"rendering {len(jobs)} report(s) into {output_dir}", err=True)
    stale = data.stale_warning()
    if stale:
        click.echo(f"warning: {stale}", err=True)
    try:
        manifest = run_jobs(jobs, output_dir, n_jobs=n_jobs, formats=chosen_formats, timeout=timeout,
                            log=lambda line: click.echo(line, err=True), force=force, wait=wait_for_lock,
                            prune=prune)
    except OutputLocked as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_LOCKED)
    except PlanError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except RunInterrupted as stop:
        click.echo(f"interrupted by {stop}: workers and kernels stopped, no partial report left; finished "
                   f"reports are listed in {Path(output_dir) / 'manifest.json'}", err=True)
        sys.exit(128 + stop.signum)
    this_run = manifest["jobs"][:len(jobs)]
    failed = [j for j in this_run if j["status"] == "failed"]
    reused = sum(1 for j in this_run if j["status"] == "reused")
    click.echo(f"{len(jobs) - len(failed) - reused} rendered, {reused} reused, {len(failed)} failed in "
               f"{manifest['duration_s']} s; see {Path(output_dir) / 'index.html'}", err=True)
    for job in failed:
        click.echo(f"FAILED {job['notebook']}/{job['slug']}: In [{job.get('failing_cell', '?')}]: {job['error']}"
                   + (f" (log: {Path(output_dir) / job['log']})" if job.get("log") else ""), err=True)
    if failed:
        sys.exit(1)


@main.command("refresh-notebooks")
@click.argument("notebooks", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def refresh_notebooks(notebooks: tuple[Path, ...]) -> None:
    """Re-execute committed notebooks in place with default parameters (for nbval)."""

    for nb in notebooks or list_notebooks():
        refresh_notebook(nb)
        click.echo(f"refreshed {nb}")


@main.command("readme-figures")
def readme_figures() -> None:
    """Maintainers: re-draw the figures the README shows, into figures/ (a checkout only).

    Runs the notebooks that draw them with their default parameters; nothing
    else writes into figures/.
    """
    try:
        written = refresh_readme_figures()
    except PlanError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    for path in written:
        click.echo(f"wrote {path}")


@main.command("export")
@click.argument("destination", type=click.Path(path_type=Path))
@click.option("--format", "formats", default=",".join(RELEASE_FORMATS), show_default=True,
              help="Comma-separated: csv, parquet, dta (csv is required: datapackage.json describes it).")
def export(destination: Path, formats: str) -> None:
    """Write the citable data release into DESTINATION, a new or empty folder.

    Every table as CSV, Parquet and Stata (.dta, with variable and value labels), the state-year panel of
    statuses, and a datapackage.json validated with frictionless, all carrying the data version. The folder
    appears complete or not at all. Exit status 2 on a bad DESTINATION or --format (nothing is written).
    """
    try:
        manifest = export_release(destination, formats=formats)
    except ParameterError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except SCOResearchError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    root = Path(manifest["destination"])
    for entry in manifest["files"]:
        click.echo(f"{root / entry['path']}  ({entry['bytes']:,} bytes)")
    click.echo(f"sco-research data {manifest['data_version']}: {len(manifest['rows'])} tables as "
               f"{', '.join(manifest['formats'])}, {len(manifest['files'])} files in {root}; "
               "datapackage.json validated with frictionless")


if __name__ == "__main__":
    main()
