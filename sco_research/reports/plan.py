"""Which notebooks to render with which parameters, checked before any kernel starts.

A *job* is one notebook with one set of parameters. Jobs come from the command
line (``sco-research render NOTEBOOK -p NAME VALUE``) or from the committed
``reports.yaml`` (the default report set). Every job is checked here:

1. each parameter name must be declared in the notebook's ``parameters`` cell
   (read with :func:`papermill.inspect_notebook`);
2. each value is converted to the declared type (``int``, ``float``, ``bool``,
   ``list``, ``str``);
3. the project's own notebooks also run their parameter check (the same
   function their second cell calls), so out-of-range values are refused too.

A failure raises :class:`PlanError`, naming notebook, parameter, value and the
valid choices; the command line exits with status 2.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ParameterError, PlanError
from ..paths import notebooks_dir, report_set_file
from . import chair_report, growth, trade_report
from .tour import resolve_as_of

NOTEBOOK_DIR = notebooks_dir()
REPORTS_FILE = report_set_file()
#: Editions of a rendered notebook: the student edition drops cells tagged ``solution``.
EDITIONS = ("lecturer", "student")


@dataclass(frozen=True)
class Job:
    """One notebook to render with one parameter set (values already typed and checked)."""

    notebook: Path
    parameters: dict = field(default_factory=dict)
    edition: str = "lecturer"

    @property
    def name(self) -> str:
        return self.notebook.stem

    @property
    def slug(self) -> str:
        """Folder name for the parameters: ``defaults``, ``as_of-2017-06-09`` or a short hash."""
        suffix = "" if self.edition == "lecturer" else f"__{self.edition}"
        if not self.parameters:
            return "defaults" + suffix
        text = "_".join(f"{k}-{_slug_value(self.parameters[k])}" for k in sorted(self.parameters))
        if len(text) <= 80:
            return text + suffix
        digest = hashlib.sha256(json.dumps(self.parameters, sort_keys=True).encode()).hexdigest()[:12]
        return f"params-{digest}{suffix}"


def _slug_value(value) -> str:
    if isinstance(value, (list, tuple)):
        return "+".join(_slug_value(v) for v in value) or "none"
    return re.sub(r"[^A-Za-z0-9.]+", "-", str(value)).strip("-") or "none"


def notebook_names() -> list[str]:
    """The project's notebooks, by name.

    Examples
    --------
    >>> notebook_names()[:2]
    ['00_dataset_tour', '01_membership_growth']
    """
    return sorted(p.stem for p in NOTEBOOK_DIR.glob("*.ipynb")) + sorted(
        f"teaching/{p.stem}" for p in (NOTEBOOK_DIR / "teaching").glob("*.ipynb"))


def resolve_notebook(ref: str | Path) -> Path:
    """A notebook name (``01_membership_growth``) or a path to any ``.ipynb`` file."""
    path = Path(ref)
    if path.suffix == ".ipynb" and path.exists():
        return path.resolve()
    candidate = NOTEBOOK_DIR / f"{ref}.ipynb"  # "teaching/<name>" resolves into the teaching folder
    if candidate.exists():
        return candidate
    raise PlanError(f"unknown notebook {str(ref)!r}: expected a path to an .ipynb file or one of "
                    + ", ".join(notebook_names()))


def declared_parameters(notebook: Path) -> dict[str, dict]:
    """Name -> {"type", "default", "help"} from the notebook's ``parameters`` cell."""
    import papermill as pm

    declared = pm.inspect_notebook(str(notebook))
    return {name: {"type": info.get("inferred_type_name") or "None", "default": info.get("default"),
                   "help": info.get("help") or ""} for name, info in declared.items()}


def _convert(notebook: str, name: str, value, declared_type: str):
    """A raw value (CLI string or YAML value) -> the declared type, or PlanError."""
    import yaml

    def fail(expected: str):
        raise PlanError(f"{notebook}: invalid {name}={value!r}: expected {expected}")

    if isinstance(value, _dt.date):
        value = value.isoformat()
    if declared_type == "int":
        if isinstance(value, bool):
            fail("an integer")
        if isinstance(value, int):
            return value
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            return int(value)
        fail("an integer")
    if declared_type == "float":
        try:
            return float(value)
        except (TypeError, ValueError):
            fail("a number")
    if declared_type == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        fail("True or False")
    if declared_type == "list":
        if isinstance(value, str):
            try:
                value = yaml.safe_load(value)
            except yaml.YAMLError:
                fail("a list, e.g. [a, b] or []")
        if not isinstance(value, list):
            fail("a list, e.g. [a, b] or []")
        return [v.isoformat() if isinstance(v, _dt.date) else v for v in value]
    if declared_type == "str":
        if not isinstance(value, str):
            fail("a string")
        return value
    return value  # undeclared type (a notebook outside the project): passed through


def _domain_check(notebook: Path, params: dict, declared: dict) -> None:
    """Run the project notebook's own parameter check on defaults + given values."""
    checks = {"00_dataset_tour": _check_tour, "01_membership_growth": _check_growth, "02_trade": _check_trade,
              "03_chairmanship_history": _check_chair}
    check = checks.get(notebook.stem) if notebook.parent.resolve() == NOTEBOOK_DIR.resolve() else None
    if check is None:
        return
    import ast

    full = {name: ast.literal_eval(info["default"]) for name, info in declared.items()}
    full.update(params)
    try:
        check(full)
    except ParameterError as exc:
        raise PlanError(f"{notebook.stem}: {exc}") from None


def _check_tour(p: dict) -> None:
    resolve_as_of(p["as_of"])


def _check_growth(p: dict) -> None:
    growth.resolve_parameters(**p)


def _check_trade(p: dict) -> None:
    trade_report.resolve_parameters(**p)


def _check_chair(p: dict) -> None:
    chair_report.resolve_parameters(**p)


def make_job(ref: str | Path, raw_parameters: dict | None = None, edition: str = "lecturer") -> Job:
    """Check one notebook reference and its raw parameters; return a :class:`Job`.

    Examples
    --------
    >>> make_job("02_trade", {"start_year": "2005"}).parameters
    {'start_year': 2005}
    >>> make_job("02_trade", {"start_yr": "2005"})
    Traceback (most recent call last):
    ...
    sco_research.errors.PlanError: 02_trade: unknown parameter 'start_yr': expected one of reporter, partners, start_year, end_year, flow, membership, units, mirror_partner, save_figures
    """
    if edition not in EDITIONS:
        raise PlanError(f"invalid edition {edition!r}: expected one of {', '.join(EDITIONS)}")
    notebook = resolve_notebook(ref)
    declared = declared_parameters(notebook)
    params = {}
    for name, value in (raw_parameters or {}).items():
        if name not in declared:
            choices = ", ".join(declared) or "(the notebook declares no parameters)"
            raise PlanError(f"{notebook.stem}: unknown parameter {name!r}: expected one of {choices}")
        params[name] = _convert(notebook.stem, name, value, declared[name]["type"])
    _domain_check(notebook, params, declared)
    return Job(notebook, params, edition)


def jobs_from_file(path: Path = REPORTS_FILE) -> list[Job]:
    """The report set in a YAML file: a list of ``{notebook: NAME, parameters: {...}}``."""
    import yaml

    path = Path(path)
    if not path.exists():
        raise PlanError(f"{path}: file not found")
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(entries, dict) or not isinstance(entries.get("reports"), list):
        raise PlanError(f"{path}: expected a mapping with a 'reports' list")
    jobs = []
    for i, entry in enumerate(entries["reports"], start=1):
        if not isinstance(entry, dict) or "notebook" not in entry or set(entry) - {"notebook", "parameters", "edition"}:
            raise PlanError(f"{path}: report {i}: expected keys 'notebook' and optional 'parameters' and 'edition', "
                            f"got {entry!r}")
        jobs.append(make_job(entry["notebook"], entry.get("parameters") or {}, entry.get("edition", "lecturer")))
    duplicates = {(j.name, j.slug) for j in jobs if sum((k.name, k.slug) == (j.name, j.slug) for k in jobs) > 1}
    if duplicates:
        raise PlanError(f"{path}: the same report is listed twice: {sorted(duplicates)}")
    return jobs


def describe_notebooks() -> str:
    """Text for ``sco-research render --list``: each notebook, its parameters, types, defaults and help."""
    lines = []
    for name in notebook_names():
        lines.append(name)
        for param, info in declared_parameters(NOTEBOOK_DIR / f"{name}.ipynb").items():
            lines.append(f"  {param}: {info['type']} = {info['default']}")
            if info["help"]:
                lines.append(f"      {info['help']}")
    return "\n".join(lines)
