"""Command line: ``sco-research validate | render | refresh-notebooks``."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group()
@click.version_option(package_name="sco-research")
def main() -> None:
    """Cited data and reproducible notebooks on the Shanghai Cooperation Organisation."""


@main.command()
def validate() -> None:
    """Load and validate every curated table; exit 1 with the problem on failure."""
    from .datasets import load_tables
    from .errors import DataValidationError

    try:
        tables = load_tables()
    except DataValidationError as exc:
        click.echo(f"invalid data: {exc}", err=True)
        sys.exit(1)
    for name, frame in tables.items():
        click.echo(f"{name}: {len(frame)} rows")


@main.command()
@click.argument("notebooks", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output-dir", default="reports", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--timeout", default=1800, show_default=True, help="Per-cell timeout in seconds.")
def render(notebooks: tuple[Path, ...], output_dir: Path, timeout: int) -> None:
    """Execute notebooks with their default parameters into OUTPUT_DIR (ipynb + HTML).

    With no NOTEBOOKS, renders every notebook in notebooks/. A failing notebook
    does not stop the others; the exit status is 1 if any failed.
    """
    from .rendering import list_notebooks, render_notebook

    failures = []
    for nb in notebooks or list_notebooks():
        try:
            folder = render_notebook(nb, output_dir, timeout=timeout)
            click.echo(f"rendered {nb.name} -> {folder}")
        except Exception as exc:  # report and continue: one broken notebook must not hide the rest
            failures.append(nb.name)
            click.echo(f"FAILED {nb.name}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", err=True)
    if failures:
        click.echo(f"{len(failures)} notebook(s) failed: {', '.join(failures)}", err=True)
        sys.exit(1)


@main.command("refresh-notebooks")
@click.argument("notebooks", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def refresh_notebooks(notebooks: tuple[Path, ...]) -> None:
    """Re-execute committed notebooks in place with default parameters (for nbval)."""
    from .rendering import list_notebooks, refresh_notebook

    for nb in notebooks or list_notebooks():
        refresh_notebook(nb)
        click.echo(f"refreshed {nb}")


if __name__ == "__main__":
    main()
