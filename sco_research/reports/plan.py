"""Which notebooks to render with which parameters, checked before any kernel starts.

A *job* is one notebook with one set of parameters. Jobs come from the command
line (``sco-research render NOTEBOOK -p NAME VALUE``) or from the committed
``reports.yaml`` (the default report set). Every job is checked here, before
any kernel starts:

* a project notebook's parameters are checked by its model in
  :mod:`sco_research.reports.parameters` (names, types, ranges, choices);
* a notebook from elsewhere is checked against its ``parameters`` cell (read
  with :func:`papermill.inspect_notebook`): unknown names are refused and
  values are converted to the declared type.

A failure raises :class:`PlanError`, naming notebook, parameter, value and the
valid choices; the command line exits with status 2.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import PlanError
from ..paths import notebooks_dir, report_set_file
from .parameters import MODELS, check_parameters, describe_models, parse_raw

NOTEBOOK_DIR = notebooks_dir()
REPORTS_FILE = report_set_file()
#: Editions of a rendered notebook (see :mod:`sco_research.reports.editions`).
EDITIONS = ("lecturer", "student")
#: Outputs a report can have (``--format`` of ``render``, ``formats:`` of a report-set entry).
FORMATS = ("ipynb", "html", "pdf", "slides")
#: Keys of one entry of a report set.
ENTRY_KEYS = {"notebook", "parameters", "edition", "formats"}
#: A notebook's file name becomes a folder name in the output: no dots first, no separators.
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class Job:
    """One notebook to render with one parameter set (values already typed and checked)."""

    notebook: Path
    parameters: dict = field(default_factory=dict)
    edition: str = "lecturer"
    #: Outputs this report adds to the run's ``--format`` (the report set's ``formats:``), e.g. ``("slides",)``.
    extra_formats: tuple[str, ...] = ()

    def formats(self, run_formats) -> tuple[str, ...]:
        """The run's formats and this report's own additions, in that order, each once.

        Examples
        --------
        >>> Job(Path("how_the_sco_grew.ipynb"), extra_formats=("slides",)).formats(("html", "ipynb"))
        ('html', 'ipynb', 'slides')
        """
        return tuple(dict.fromkeys((*run_formats, *self.extra_formats)))

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
    """A notebook name (``01_membership_growth``) or a path to any ``.ipynb`` file.

    The file name (without ``.ipynb``) names the report's folder, so it must
    start with a letter or digit and hold only letters, digits, ``_``, ``.``
    and ``-``: a file named ``...ipynb`` is refused rather than rendered into
    ``<output>/..``.

    Examples
    --------
    >>> resolve_notebook("teaching/how_the_sco_grew").name
    'how_the_sco_grew.ipynb'
    """
    path = Path(ref)
    if path.suffix == ".ipynb" and path.exists():
        resolved = path.resolve()
    else:
        candidate = NOTEBOOK_DIR / f"{ref}.ipynb"  # "teaching/<name>" resolves into the teaching folder
        if not candidate.exists() or ".." in Path(str(ref)).parts:
            raise PlanError(f"unknown notebook {str(ref)!r}: expected a path to an .ipynb file or one of "
                            + ", ".join(notebook_names()))
        resolved = candidate.resolve()
    if not _SAFE_NAME.fullmatch(resolved.stem):
        raise PlanError(f"invalid notebook file name {resolved.name!r}: the name before .ipynb must start with a "
                        "letter or digit and hold only letters, digits, '_', '.' and '-'")
    return resolved


def project_name(notebook: Path) -> str | None:
    """The registered name of a project notebook (``teaching/how_the_sco_grew``), or ``None`` for another file.

    Examples
    --------
    >>> project_name(NOTEBOOK_DIR / "02_trade.ipynb")
    '02_trade'
    """
    try:
        relative = Path(notebook).resolve().relative_to(NOTEBOOK_DIR.resolve())
    except ValueError:
        return None
    name = relative.with_suffix("").as_posix()
    return name if name in MODELS else None


def declared_parameters(notebook: Path) -> dict[str, dict]:
    """Name -> {"type", "default", "help"} from the notebook's ``parameters`` cell."""
    import papermill as pm

    declared = pm.inspect_notebook(str(notebook))
    return {name: {"type": info.get("inferred_type_name") or "None", "default": info.get("default"),
                   "help": info.get("help") or ""} for name, info in declared.items()}


def _convert(notebook: str, name: str, value, declared_type: str):
    """A raw value for a notebook from elsewhere, in the type its parameters cell declares."""
    value = parse_raw(value, declared_type)
    expected = {"int": int, "float": (int, float), "bool": bool, "list": list, "str": str, "dict": dict}.get(declared_type)
    if expected is not None and (not isinstance(value, expected) or (declared_type != "bool" and isinstance(value, bool))):
        raise PlanError(f"{notebook}: invalid {name}={value!r}: expected a {declared_type}")
    return value


def make_job(ref: str | Path, raw_parameters: dict | None = None, edition: str = "lecturer") -> Job:
    """Check one notebook reference and its raw parameters; return a :class:`Job`.

    Examples
    --------
    >>> make_job("02_trade", {"start_year": "2005"}).parameters
    {'start_year': 2005}
    >>> make_job("02_trade", {"start_yr": "2005"})
    Traceback (most recent call last):
    ...
    sco_research.errors.PlanError: 02_trade: unknown parameter 'start_yr': expected one of reporter, partners, start_year, end_year, flow, membership, units, mirror_partner, matrix_year
    """
    if edition not in EDITIONS:
        raise PlanError(f"invalid edition {edition!r}: expected one of {', '.join(EDITIONS)}")
    notebook = resolve_notebook(ref)
    raw = dict(raw_parameters or {})
    name = project_name(notebook)
    if name is not None:
        return Job(notebook, check_parameters(name, raw), edition)
    declared = declared_parameters(notebook)
    params = {}
    for key, value in raw.items():
        if key not in declared:
            choices = ", ".join(declared) or "(the notebook declares no parameters)"
            raise PlanError(f"{notebook.stem}: unknown parameter {key!r}: expected one of {choices}")
        params[key] = _convert(notebook.stem, key, value, declared[key]["type"])
    return Job(notebook, params, edition)


def read_yaml(path: Path, what: str):
    """A YAML file's content, or :class:`PlanError` naming the file, line and column of a syntax error."""
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError(f"{path}: {what} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(f"{path}: cannot read the {what}: {exc}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PlanError(f"{path}{where}: the {what} is not valid YAML: {problem}") from None


def jobs_from_file(path: Path = REPORTS_FILE) -> list[Job]:
    """The report set in a YAML file: a list of ``{notebook: NAME, parameters: {...}, edition: ..., formats: [...]}``.

    ``formats`` (optional) lists outputs the report gets in addition to the run's ``--format``, such as
    ``[slides]`` for a seminar.
    """
    path = Path(path)
    entries = read_yaml(path, "report set")
    if not isinstance(entries, dict) or not isinstance(entries.get("reports"), list):
        raise PlanError(f"{path}: expected a mapping with a 'reports' list")
    jobs = []
    for i, entry in enumerate(entries["reports"], start=1):
        if not isinstance(entry, dict) or "notebook" not in entry or set(entry) - ENTRY_KEYS:
            raise PlanError(f"{path}: report {i}: expected keys 'notebook' and optional 'parameters', 'edition' and "
                            f"'formats', got {entry!r}")
        parameters = entry.get("parameters") or {}
        if not isinstance(parameters, dict):
            raise PlanError(f"{path}: report {i}: 'parameters' must be a mapping, got {parameters!r}")
        formats = entry.get("formats") or []
        if not isinstance(formats, list) or set(formats) - set(FORMATS):
            raise PlanError(f"{path}: report {i}: 'formats' must be a list of {', '.join(FORMATS)}, got {formats!r}")
        try:
            job = make_job(entry["notebook"], parameters, entry.get("edition", "lecturer"))
        except PlanError as exc:
            raise PlanError(f"{path}: report {i}: {exc}") from None
        jobs.append(replace(job, extra_formats=tuple(formats)))
    return refuse_shared_folders(jobs, f"{path}: ")


def refuse_shared_folders(jobs: list[Job], where: str = "") -> list[Job]:
    """``jobs``, or :class:`PlanError` if two of them would be written to the same report folder.

    The second would silently replace the first (the same report given twice, or two notebooks of the same
    name in different folders). ``where`` starts the message (the report set's file).

    Examples
    --------
    >>> refuse_shared_folders([make_job("02_trade"), make_job("02_trade", {"reporter": "KAZ"})]) != []
    True
    >>> refuse_shared_folders([make_job("02_trade", {"reporter": "KAZ"}), make_job("02_trade", {"reporter": "KAZ"})])
    Traceback (most recent call last):
    ...
    sco_research.errors.PlanError: reports 1 and 2 are the same report (02_trade, reporter-KAZ): it would be rendered twice into 02_trade/reporter-KAZ/
    """
    seen: dict[tuple[str, str], tuple[int, Job]] = {}
    for number, job in enumerate(jobs, start=1):
        folder = (job.name, job.slug)
        if folder in seen:
            first, other = seen[folder]
            if other.notebook.resolve() != job.notebook.resolve():
                problem = f"are different notebooks of one name ({other.notebook} and {job.notebook}): both would be written"
            elif (other.parameters, other.edition) == (job.parameters, job.edition):
                problem = f"are the same report ({job.name}, {job.slug}): it would be rendered twice"
            else:
                problem = (f"have parameters that differ but name one folder ({other.parameters} and {job.parameters}):"
                           " both would be written")
            raise PlanError(f"{where}reports {first} and {number} {problem} into {job.name}/{job.slug}/")
        seen[folder] = (number, job)
    return jobs


def describe_notebooks() -> str:
    """Text for ``sco-research render --list``: each notebook's parameter model (types, defaults, valid values)."""
    return describe_models()
