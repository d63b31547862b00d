"""A citable data release: every table as CSV, Parquet and Stata, described by a validated Frictionless data package.

:func:`export_release` writes, into a new folder:

* ``csv/<table>.csv``: every data table (the country boundaries excepted, see :data:`RELEASE_TABLES`) and the
  COW-style state-year panel (:data:`PANEL`), UTF-8, in the conventions of the curated files (ISO days,
  ``true``/``false``), so that the package's own checks read them back to the same frames;
* ``parquet/<table>.parquet``: the same frames, typed;
* ``stata/<table>.dta``: the same frames for Stata 14 and later (format 118, UTF-8), with a variable label for every
  column and value labels for every coded column (statuses, date bases, flows, flags ...);
* ``datapackage.json``: a Frictionless data package (name, version, licence, sources, contributors) whose CSV
  resources carry a Table Schema derived from the one declaration of each file (:mod:`sco_research.data.schema`:
  types, required columns, patterns, allowed values, ranges, primary keys, its labels and units; foreign keys to
  ``states`` and ``sources`` from :mod:`sco_research.data.checks`); the Parquet and Stata files are listed with
  their sizes and SHA-256 hashes;
* ``docs/``: the data READMEs and ``CHANGELOG.md``.

The data version (:func:`sco_research.data.data_version`) names the release. The folder is written beside the
destination under a temporary name, validated with the ``frictionless`` library, and only then renamed into place:
a failure leaves nothing behind, and an existing non-empty folder is never touched. The same data and package
give the same bytes.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import hashlib
import json
import os
import re
import shutil
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..analysis.membership import status_panel
from ..data import coverage, data_version, load_table
from ..data.checks import STATE_CODE_COLUMNS
from ..data.schema import LABELS, SOURCE_COLUMNS, TABLES, TODAY, UNITS, Column, Table, integer, text
from ..data.vocab import PRECURSOR_STATUS, STATUS_LABELS, STATUSES
from ..errors import ParameterError, SCOResearchError
from ..version import __version__

__all__ = ["FORMATS", "PANEL", "RELEASE_TABLES", "NO_STATUS_LABEL", "export_release", "parse_formats",
           "release_tables", "labels"]

#: The formats a release can hold; CSV always (the data package describes the CSV files).
FORMATS: tuple[str, ...] = ("csv", "parquet", "dta")

#: Every declared table except the country boundaries (``geometries``): those are Natural Earth's (as
#: redistributed by world-atlas 2.0.2), binary geometries that CSV and Stata cannot hold.
RELEASE_TABLES: tuple[str, ...] = tuple(name for name, table in TABLES.items() if not table.parquet)

#: The COW-style state-year panel of statuses (:func:`sco_research.analysis.membership.status_panel`).
PANEL = "status_panel"
#: Stata value label of the panel's ``none`` (no SCO status on the reference day).
NO_STATUS_LABEL = "No SCO status"

_PANEL_TABLE = Table(PANEL, "status_panel.csv", {
    "iso3": text(regex=r"^[A-Z]{3}$"),
    "year": integer(ge=1996),
    "status": text(isin=(*STATUSES, "none")),
}, ("iso3", "year"))
_PANEL_LABELS = ("State-year panel of SCO statuses (status held on 31 December)", {
    "iso3": "State (ISO 3166-1 alpha-3): every state of states.csv",
    "year": "Calendar year",
    "status": "SCO status held on 31 December of the year (none: no status)",
})

#: The data documentation copied into the release (``docs/``), relative to the data folder.
_DOCS = ("README.md", "trade/README.md", "CHANGELOG.md")

#: Per format: folder, file suffix, media type, and what the file is.
_FILES = {
    "csv": ("csv", "csv", "text/csv", "CSV"),
    "parquet": ("parquet", "parquet", "application/vnd.apache.parquet", "Parquet"),
    "dta": ("stata", "dta", "application/x-stata-dta",
            "Stata 14 or later (.dta format 118, UTF-8) with variable and value labels"),
}

_FIELD_TYPES = {"text": "string", "day": "date", "flag": "boolean", "integer": "integer", "decimal": "number"}

# Stata (format 118): variable names of at most 32 characters, variable and data-set labels of at most 80, str#
# strings of at most 2045 bytes (longer ones are written as strL), whole numbers in a long up to 2,147,483,620
# (larger ones as doubles, exact up to 2**53).
_STATA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")
_STATA_LABEL = 80
_STATA_STR = 2045
_STATA_LONG = 2_147_483_620
_EXACT_DOUBLE = 2 ** 53

_LICENSE = {"name": "MIT", "path": "https://opensource.org/licenses/MIT", "title": "MIT License"}
_LICENSE_NOTE = (
    "Licence: the project states no licence of its own for the data; the one given is the project's (MIT), and the "
    "project asks that the tables be reused with attribution to this project and to the sources cited in each row. "
    "Parts carry third-party terms (docs/README.md and the project README, 'Data sources and licences'): state names "
    "from ISO 3166-1 via pycountry (Debian iso-codes translations, LGPL), city coordinates from GeoNames (CC BY 4.0), "
    "trade for 2001-2020 from the IMF's Direction of Trade Statistics (reuse with attribution under the IMF's terms).")


@dataclass(frozen=True)
class _Written:
    path: str  # relative to the release folder, with '/'
    bytes: int
    sha256: str


def parse_formats(formats) -> tuple[str, ...]:
    """The formats of a release, in :data:`FORMATS` order, from a comma-separated text or a sequence.

    Raises
    ------
    ParameterError
        For an unknown or empty format, or a selection without ``csv``.

    Examples
    --------
    >>> parse_formats("dta,csv")
    ('csv', 'dta')
    """
    values = [part.strip() for part in formats.split(",")] if isinstance(formats, str) else list(formats)
    expected = f"a comma-separated selection of {', '.join(FORMATS)} that includes csv (datapackage.json describes it)"
    for value in values:
        if value not in FORMATS:
            raise ParameterError("format", value, expected)
    if "csv" not in values:
        raise ParameterError("format", ",".join(values), expected)
    return tuple(f for f in FORMATS if f in values)


def _check_destination(destination) -> Path:
    dest = Path(destination).expanduser().absolute()
    if dest.exists() and not dest.is_dir():
        raise ParameterError("destination", str(dest), "a new or empty folder (this is a file)")
    if dest.is_dir() and any(dest.iterdir()):
        raise ParameterError("destination", str(dest), "a new or empty folder (this one is not empty)")
    if not dest.parent.is_dir():
        raise ParameterError("destination", str(dest), f"a folder inside an existing folder ({dest.parent} is not one)")
    if not os.access(dest.parent, os.W_OK | os.X_OK):
        raise ParameterError("destination", str(dest), f"a folder that can be written ({dest.parent} cannot)")
    return dest


# -- what the release holds and says ------------------------------------------------------------------------------

def release_tables() -> dict[str, pd.DataFrame]:
    """The frames a release holds: every table of :data:`RELEASE_TABLES`, then the state-year panel.

    The panel reads each state's status on 31 December (``status_panel(..., reference="year_end")``) from the
    first year of a status to the last year whose 31 December the events were checked through
    (``coverage.csv``).

    Examples
    --------
    >>> frames = release_tables()
    >>> frames["status_panel"].query("iso3 == 'IND' and year == 2017")["status"].tolist()
    ['member']
    """
    frames = {name: load_table(name) for name in RELEASE_TABLES}
    checked = coverage()["checked_through"]
    last = checked.year if (checked.month, checked.day) == (12, 31) else checked.year - 1
    spells = frames["memberships"]
    # The package's own convention: the panel starts with the SCO, not with its precursor (the COW convention,
    # which counts the Shanghai Five as membership, is status_panel(..., convention="cow")).
    first = int(spells.loc[spells["status"] != PRECURSOR_STATUS, "start_date"].min().year)
    frames[PANEL] = status_panel(first, last, "year_end")
    return frames


def labels(name: str) -> tuple[str, dict[str, str]]:
    """The label of a release table and of its columns (:data:`sco_research.data.schema.LABELS`, or the panel's).

    Examples
    --------
    >>> labels("status_panel")[1]["year"]
    'Calendar year'
    """
    return _PANEL_LABELS if name == PANEL else LABELS[name]


def _table(name: str) -> Table:
    return _PANEL_TABLE if name == PANEL else TABLES[name]


def _vocabulary(column: Column) -> tuple[str, ...] | None:
    """The allowed values of a coded text column, or None."""
    if column.kind != "text":
        return None
    for check, args, _ in column.checks:
        if check == "isin":
            return tuple(args[0])
    return None


def _value_labels(vocabulary: tuple[str, ...]) -> list[str]:
    """Stata value labels of a vocabulary: the display labels of statuses, the codes themselves otherwise."""
    if set(vocabulary) <= {*STATUSES, PRECURSOR_STATUS, "none"}:
        return [NO_STATUS_LABEL if code == "none" else STATUS_LABELS.get(code, code) for code in vocabulary]
    return list(vocabulary)


def _moving_bound(value) -> bool:
    """True for the bounds that move with the calendar (today, this year): the published schema leaves them out."""
    return value == TODAY or value == int(TODAY[:4])


def _field(name: str, column: Column, label: str) -> dict:
    field = {"name": name, "type": _FIELD_TYPES[column.kind], "description": label}
    if name in UNITS:
        field["unit"] = UNITS[name]
    if column.kind == "flag":
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    constraints = {} if column.optional else {"required": True}
    for check, args, _ in column.checks:
        if check == "str_matches" and column.kind == "text":
            constraints["pattern"] = args[0].removeprefix("^").removesuffix("$")
        elif check == "isin" and column.kind == "text":
            constraints["enum"] = list(args[0])
        elif check == "ge":
            constraints["minimum"] = args[0]
        elif check == "le" and not _moving_bound(args[0]):
            constraints["maximum"] = args[0]
        elif check == "in_range":
            constraints["minimum"], constraints["maximum"] = args
    if constraints:
        field["constraints"] = constraints
    return field


def _foreign_keys(name: str, table: Table) -> list[dict]:
    keys = []
    if name != "sources":
        keys += [{"fields": column, "reference": {"resource": "sources", "fields": "source_id"}}
                 for column in SOURCE_COLUMNS if column in table.spec]
    # Columns that may also hold WLD (the world) cannot be a foreign key: states.csv has no such row.
    codes = ["iso3"] if name == PANEL else [column for t, column, world in STATE_CODE_COLUMNS
                                            if t == name and not world]
    keys += [{"fields": column, "reference": {"resource": "states", "fields": "iso3"}} for column in codes]
    return keys


def _schema(name: str) -> dict:
    table, (_, column_labels) = _table(name), labels(name)
    schema = {"fields": [_field(column, spec, column_labels[column]) for column, spec in table.spec.items()],
              "missingValues": [""], "primaryKey": list(table.key)}
    keys = _foreign_keys(name, table)
    if keys:
        schema["foreignKeys"] = keys
    return schema


def _source(row) -> dict:
    return {"title": f"{row.publisher}: {row.title}", "path": row.url}


def _cited(frame: pd.DataFrame, sources: pd.DataFrame) -> list[dict]:
    """The Frictionless ``sources`` of a table: the rows of sources.csv that its source columns cite."""
    used = set()
    for column in SOURCE_COLUMNS:
        if column in frame:
            used |= {value for value in frame[column].dropna() if value}
    return [_source(row) for row in sources.itertuples(index=False) if row.source_id in used]


def _csv_resource(name: str, frame: pd.DataFrame, written: _Written, sources: pd.DataFrame) -> dict:
    title = labels(name)[0]
    if name == PANEL:
        first, last = int(frame["year"].min()), int(frame["year"].max())
        description = (f"One row per state of states.csv and year, {first}-{last}, in the spirit of the COW IGO "
                       f"data; the last year is the last whose 31 December the events were checked through "
                       f"(coverage.csv). Made by sco_research.status_panel({first}, {last}, reference='year_end').")
    else:
        description = f"Same rows and columns as data/{TABLES[name].file}."
    resource = {"name": name, "type": "table", "path": written.path, "title": title, "description": description,
                "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "bytes": written.bytes, "hash": f"sha256:{written.sha256}", "schema": _schema(name)}
    cited = _cited(frame, sources) if name != "sources" else []
    if cited:
        resource["sources"] = cited
    return resource


def _file_resource(name: str, fmt: str, written: _Written) -> dict:
    _, _, mediatype, what = _FILES[fmt]
    return {"name": f"{name}-{fmt}", "type": "file", "path": written.path, "title": labels(name)[0],
            "description": f"The {name} table as {what}: the rows and columns of csv/{name}.csv.",
            "format": fmt, "mediatype": mediatype, "bytes": written.bytes, "hash": f"sha256:{written.sha256}"}


# -- writers ------------------------------------------------------------------------------------------------------

def _csv_column(values: pd.Series, kind: str) -> list[str]:
    if kind == "day":
        return values.dt.strftime("%Y-%m-%d").fillna("").tolist()
    if kind == "flag":
        return ["true" if value else "false" for value in values]
    if kind == "integer":
        return ["" if pd.isna(value) else str(int(value)) for value in values]
    if kind == "decimal":
        return ["" if pd.isna(value) else repr(float(value)) for value in values]
    return ["" if pd.isna(value) else str(value) for value in values.astype(object)]


def _write_csv(name: str, frame: pd.DataFrame, path: Path, version: str) -> None:
    table = _table(name)
    columns = [_csv_column(frame[column], spec.kind) for column, spec in table.spec.items()]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows(zip(*columns))


def _write_parquet(name: str, frame: pd.DataFrame, path: Path, version: str) -> None:
    """The typed frame as Parquet; days as Parquet dates (``date32``), not timestamps."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = _table(name)
    arrow = pa.Table.from_pandas(frame[table.columns], preserve_index=False)
    for position, (column, spec) in enumerate(table.spec.items()):
        if spec.kind == "day":
            arrow = arrow.set_column(position, column, arrow.column(column).cast(pa.date32()))
    pq.write_table(arrow, path)


def _stata_label(text: str, where: str) -> str:
    if len(text) > _STATA_LABEL:
        raise SCOResearchError(f"{where}: the label {text!r} is longer than Stata's {_STATA_LABEL} characters")
    return text


def _stata_integers(values: pd.Series, where: str) -> pd.Series:
    """Whole numbers as a Stata long where they fit, as doubles (exact) where they do not or some are missing."""
    present = values.dropna()
    biggest = int(present.abs().max()) if len(present) else 0
    if biggest > _EXACT_DOUBLE:
        raise SCOResearchError(f"{where}: {biggest} is too large for Stata (a double is exact up to 2**53)")
    if biggest <= _STATA_LONG and len(present) == len(values):
        return values.astype("int32")
    return pd.Series(values.to_numpy(dtype="float64", na_value=np.nan), index=values.index)


def _as_strl(strings: pd.Series) -> bool:
    """Whether a text column must be a Stata strL (a value over 2045 bytes) or is smaller as one.

    A str# column takes its longest value's bytes in every row; a strL column 8 bytes a row and each distinct
    value once (with about 16 bytes of header): long, rare notes are much smaller that way.
    """
    sizes = strings.map(lambda value: len(value.encode("utf-8")))
    if sizes.max() > _STATA_STR:
        return True
    distinct = strings.drop_duplicates()
    strl_bytes = 8 * len(strings) + int(distinct.map(lambda value: len(value.encode("utf-8")) + 16).sum())
    return strl_bytes < int(sizes.max()) * len(strings)


def _stata_frame(name: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The frame as Stata takes it, and the keywords of :meth:`pandas.DataFrame.to_stata` that label it."""
    table, (title, column_labels) = _table(name), labels(name)
    out, dates, value_labels, strl, variable_labels = {}, {}, {}, [], {}
    for column, spec in table.spec.items():
        where = f"{name}.{column}"
        if not _STATA_NAME.match(column):
            raise SCOResearchError(f"{where}: not a Stata variable name (at most 32 letters, digits and '_', "
                                   "not starting with a digit)")
        values = frame[column]
        vocabulary = _vocabulary(spec)
        if vocabulary is not None:  # coded text: integer codes with a value label
            names = dict(zip(vocabulary, _value_labels(vocabulary)))
            out[column] = pd.Categorical(values.astype(object).map(names), categories=list(names.values()))
        elif spec.kind == "text":
            strings = values.astype(object).where(values.notna(), "").astype(str)
            if _as_strl(strings):
                strl.append(column)
            out[column] = strings
        elif spec.kind == "day":
            out[column], dates[column] = values, "td"
        elif spec.kind == "flag":
            out[column], value_labels[column] = values.astype("int8"), {0: "false", 1: "true"}
        elif spec.kind == "integer":
            out[column] = _stata_integers(values, where)
        else:
            out[column] = pd.Series(values.to_numpy(dtype="float64", na_value=np.nan), index=values.index)
        variable_labels[column] = _stata_label(column_labels[column], where)
    return pd.DataFrame(out), {"convert_dates": dates, "value_labels": value_labels or None, "convert_strl": strl,
                               "variable_labels": variable_labels, "data_label": _stata_label(title, name)}


@contextlib.contextmanager
def _rows_of_python_strings():
    """Turn pandas' string inference off while a frame is written, and restore it afterwards.

    pandas writes strL columns row by row (``DataFrame.iterrows``); with string inference on, each row of
    Python strings becomes a string-dtype Series first, which took most of an export's time. Off, the rows stay
    Python objects and the same bytes are written about twice as fast. The option is process-wide (an export
    runs in one thread) and deprecated: where pandas no longer has it, only the speed differs.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the option's own deprecation notice
        try:
            previous = pd.get_option("future.infer_string")
        except pd.errors.OptionError:
            previous = None
        else:
            pd.set_option("future.infer_string", False)
    if previous is None:
        yield
        return
    try:
        yield
    finally:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            pd.set_option("future.infer_string", previous)


def _write_dta(name: str, frame: pd.DataFrame, path: Path, version: str) -> None:
    from pandas.errors import InvalidColumnName, PossiblePrecisionLoss

    stata, keywords = _stata_frame(name, frame)
    with warnings.catch_warnings():
        # pandas renames what Stata cannot take, or rounds, with a warning: here either is an error.
        warnings.simplefilter("error", InvalidColumnName)
        warnings.simplefilter("error", PossiblePrecisionLoss)
        with _rows_of_python_strings():
            stata.to_stata(path, write_index=False, version=118,
                           time_stamp=_dt.datetime.strptime(version, "%Y.%m.%d"), **keywords)


_WRITERS = {"csv": _write_csv, "parquet": _write_parquet, "dta": _write_dta}


def _written(root: Path, path: Path) -> _Written:
    data = path.read_bytes()
    return _Written(path.relative_to(root).as_posix(), len(data), hashlib.sha256(data).hexdigest())


def _validate(descriptor: Path) -> None:
    import frictionless

    report = frictionless.validate(str(descriptor))
    if not report.valid:
        errors = report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
        shown = "; ".join(" ".join(str(part) for part in error if part is not None) for error in errors[:5])
        raise SCOResearchError(f"the data package does not validate ({len(errors)} errors): {shown}")


def _write_release(root: Path, frames: dict[str, pd.DataFrame], formats: tuple[str, ...], version: str) -> list:
    """Write every file of the release into ``root`` and validate it; return the files written, in order."""
    sources = frames["sources"]
    resources, files = [], []
    for fmt in formats:
        (root / _FILES[fmt][0]).mkdir()
    for name, frame in frames.items():
        for fmt in formats:
            folder, suffix, _, _ = _FILES[fmt]
            path = root / folder / f"{name}.{suffix}"
            _WRITERS[fmt](name, frame, path, version)
            written = _written(root, path)
            files.append(written)
            resources.append(_csv_resource(name, frame, written, sources) if fmt == "csv"
                             else _file_resource(name, fmt, written))
    for relative in _DOCS:
        target = root / "docs" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(paths.data_dir() / relative, target)
        files.append(_written(root, target))
    checked = frames["coverage"]["checked_through"].iloc[0].date().isoformat()
    package = {
        "name": "sco-research-data",
        "title": "sco-research: a cited dataset on the Shanghai Cooperation Organisation",
        "description": (f"Curated tables on the Shanghai Cooperation Organisation (statuses, summits, chairmanships, "
                        f"Secretaries-General, trade, population, claims), every row citing a source of sources.csv, "
                        f"and a state-year panel of statuses. Data version {version} (docs/CHANGELOG.md says what "
                        f"changed); events checked through {checked} (coverage.csv). The columns are explained in "
                        f"docs/README.md and docs/trade/README.md. {_LICENSE_NOTE}"),
        "version": version,
        "licenses": [_LICENSE],
        "contributors": [{"title": "sco-research contributors", "role": "author"}],
        "sources": [_source(row) for row in sources.itertuples(index=False)],
        "created_with": f"sco-research {__version__}",
        "resources": resources,
    }
    descriptor = root / "datapackage.json"
    descriptor.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    files.append(_written(root, descriptor))
    _validate(descriptor)
    return files


def export_release(destination, *, formats=FORMATS) -> dict:
    """Write the data release (CSV, Parquet, Stata, ``datapackage.json``) into a new folder, all or nothing.

    Parameters
    ----------
    destination : str or pathlib.Path
        A folder that does not exist yet (inside one that does) or an empty one.
    formats : str or sequence of str
        Any of :data:`FORMATS` (comma-separated text or a sequence); ``csv`` is required, as
        ``datapackage.json`` describes the CSV files.

    Returns
    -------
    dict
        The manifest: ``data_version``, ``package_version``, ``destination``, ``formats``, ``rows`` (by table)
        and ``files`` (``path`` relative to the destination, ``bytes``, ``sha256``).

    Raises
    ------
    ParameterError
        For a destination that is a file, a non-empty folder, or cannot be written, and for an unknown format;
        nothing is written.
    SCOResearchError
        When ``frictionless`` is not installed (``pip install 'sco-research[release]'``), or writing or
        validation fails; the partial folder is removed.
    DataValidationError
        When the data do not pass their checks (before anything is written).

    Examples
    --------
    An export validates every row with frictionless (seconds); tests/test_release.py runs it.

    >>> manifest = export_release("sco-data", formats="csv")  # doctest: +SKIP
    >>> manifest["data_version"]  # doctest: +SKIP
    '2026.11.28'
    """
    chosen = parse_formats(formats)
    dest = _check_destination(destination)
    try:
        import frictionless  # noqa: F401  (checked before anything is written)
    except ImportError:
        raise SCOResearchError("sco-research export needs the frictionless library to validate the data package: "
                               "pip install 'sco-research[release]'") from None
    version = data_version()
    frames = release_tables()
    partial = dest.parent / f".{dest.name}.partial-{uuid.uuid4().hex[:12]}"
    try:
        partial.mkdir()
    except OSError as exc:
        raise ParameterError("destination", str(dest), f"a folder that can be written ({exc.strerror})") from None
    try:
        files = _write_release(partial, frames, chosen, version)
        if dest.is_dir():
            dest.rmdir()  # empty, as checked; should a file have appeared meanwhile, this fails and nothing moves
        partial.rename(dest)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return {
        "data_version": version,
        "package_version": __version__,
        "destination": str(dest),
        "formats": list(chosen),
        "rows": {name: len(frame) for name, frame in frames.items()},
        "files": [{"path": f.path, "bytes": f.bytes, "sha256": f.sha256} for f in files],
    }
