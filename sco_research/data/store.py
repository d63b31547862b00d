"""The one store: read every data file, check it, type it, and cache the result by content.

Reading keeps the physical line of every row (a quoted note that spans two
lines moves every later row down by one), so every problem names file, line
and column. A file is checked as text by its schema (:mod:`.schema`), typed,
then checked against the other files (:mod:`.checks`).

The cache holds one validated snapshot of the data folder, keyed on the folder
and the SHA-256 of every file's bytes: an edit to any file is seen on the next
call, in the same process. Hashing every file on every call would cost more
than the lookups it guards, so each file's digest is remembered for its exact
``stat()`` (size, modification time in ns, inode); any write changes it.

A snapshot without problems is also kept on disk, in
``<cache_dir>/snapshots/``, under a key made of every file's digest (not the
folder: a copy of the data, such as a test's, reads the snapshot of the
original instead of checking it again, and does not push it out), the source
of the rules (this module, the schemas, the checks and the vocabularies) and
the versions of Python, pandas, numpy, pandera and pyarrow: every process that
reads the same data with the same rules (each report's kernel, each test
worker, the command line) then skips the checks that an earlier one passed. An
edited file or rule gives a new key, so a new rule takes effect at once; a
snapshot with problems is never stored, so problems are always found afresh.
An unreadable or unwritable cache folder is ignored.

Accepted conventions: UTF-8 with or without a byte-order mark; LF or CRLF line
ends; spaces around a value are dropped. Anything else is refused with
:class:`~sco_research.errors.DataValidationError`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import paths
from ..errors import DataValidationError
from ..files import atomic_write
from ..params import require_choice
from . import checks
from .schema import TABLES, Table

__all__ = ["Snapshot", "snapshot", "load_table", "validate", "data_files"]


@dataclass
class Snapshot:
    """Every table of one data folder, typed, with the problems found.

    ``tables`` holds the files that passed their schema (typed frames);
    ``lines`` the physical line of each of their rows; ``problems`` every
    problem found, in file order.
    """

    root: Path
    #: The folder and the digest of every file: equal keys, equal data.
    key: tuple = ()
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    lines: dict[str, np.ndarray] = field(default_factory=dict)
    problems: list[DataValidationError] = field(default_factory=list)


def data_files(root: Path | None = None) -> dict[str, Path]:
    """Path of every data file, by table name.

    Examples
    --------
    >>> data_files()["summits"].name
    'summits.csv'
    """
    folder = Path(root) if root is not None else paths.data_dir()
    return {name: folder / table.file for name, table in TABLES.items()}


# -- reading -------------------------------------------------------------------------------------------------

def _fail(table: Table, line: int | None, column: str | None, problem: str) -> DataValidationError:
    return DataValidationError(table.file, line, column, problem)


def _read_csv(table: Table, data: bytes) -> tuple[pd.DataFrame, np.ndarray]:
    if not data.strip():
        raise _fail(table, None, None, "the file is empty (expected a header line and data rows)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise _fail(table, line, None, f"byte {data[exc.start]:#04x} is not UTF-8 text (save the file as UTF-8)") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip() for name in next(reader)]
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise _fail(table, 1, repeated[0], f"column name repeated in the header {header}")
    expected = table.columns
    missing = [name for name in expected if name not in header]
    if missing:
        raise _fail(table, 1, missing[0], f"required column missing (header has {header})")
    extra = [name for name in header if name not in expected]
    if extra:
        raise _fail(table, 1, extra[0], f"unexpected column (expected exactly {expected})")
    rows, lines, first = [], [], 2  # the header is line 1
    try:
        for row in reader:
            # A quoted value with line breaks spans several physical lines: the row starts on `first`.
            if not row or all(not value.strip() for value in row):
                raise _fail(table, first, None, "empty line")
            if len(row) != len(header):
                fewer = "fewer" if len(row) < len(header) else "more"
                raise _fail(table, first, None, f"the row has {fewer} fields than the header's {len(header)}")
            rows.append(row)
            lines.append(first)
            first = reader.line_num + 1
    except csv.Error as exc:
        raise _fail(table, reader.line_num, None, f"cannot be read as CSV: {exc}") from None
    if not rows:
        raise _fail(table, None, None, "the file has a header but no data rows")
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    lines = np.asarray(lines, dtype=np.int64)
    frame = frame.apply(lambda column: column.str.strip())
    return frame[expected].replace("", None), lines


def _read_parquet(table: Table, data: bytes) -> tuple[pd.DataFrame, np.ndarray]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        arrow = pq.read_table(pa.BufferReader(data))
    except Exception as exc:  # pyarrow raises several types for a damaged file; all mean "unreadable"
        raise _fail(table, None, None, f"cannot be read as Parquet ({type(exc).__name__}: {exc}); "
                    "rebuild it with `python scripts/build_geometries.py`") from None
    header = arrow.column_names
    missing = [name for name in table.columns if name not in header]
    if missing:
        raise _fail(table, None, missing[0], f"required column missing (file has {header})")
    geo = json.loads((arrow.schema.metadata or {}).get(b"geo", b"{}") or b"{}")
    crs = (geo.get("columns", {}).get("geometry", {}) or {}).get("crs", {}) or {}
    code = (crs.get("id") or {}) if isinstance(crs, dict) else {}
    if (code.get("authority"), code.get("code")) != ("EPSG", 4326):
        raise _fail(table, None, "geometry", f"CRS must be EPSG:4326, found {code or 'none'}")
    frame = arrow.select(table.columns).to_pandas()
    for name in table.columns:
        if table.kind(name) == "text":
            frame[name] = frame[name].astype(object).where(frame[name].notna(), None)
    # A row of a Parquet file has no line; the row number (from 1) stands in for it.
    return frame, np.arange(1, len(frame) + 1, dtype=np.int64)


def _check_schema(table: Table, frame: pd.DataFrame, lines: np.ndarray) -> tuple[pd.DataFrame | None, list]:
    import pandera.pandas as pa

    try:
        checked = table.schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return None, _problems(table, exc.failure_cases, lines)
    duplicated = checked.duplicated(subset=list(table.key), keep="first")
    if table.parquet and "iso3" in checked:
        codes = checked["iso3"]
        duplicated |= codes.notna() & codes.duplicated(keep="first")
    if duplicated.any():
        return None, [_fail(table, int(lines[i]), table.key[0],
                            "duplicate row (" + ", ".join(f"{k}={_plain(checked.at[i, k])!r}" for k in table.key) + ")")
                      for i in np.flatnonzero(duplicated.to_numpy())]
    return _typed(table, checked), []


def _problems(table: Table, cases: pd.DataFrame, lines: np.ndarray) -> list[DataValidationError]:
    problems, coerced = [], set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        if check.startswith("coerce_dtype"):
            coerced.add(case.column)
    for case in cases.itertuples(index=False):
        check, column = str(case.check), case.column if isinstance(case.column, str) else None
        if check.startswith("dtype(") or (column in coerced and not check.startswith("coerce_dtype")
                                          and pd.isna(case.index)):
            continue  # a value that did not convert is reported once, as such
        line = _line_of(case.index, lines)
        value = _plain(case.failure_case)
        if check.startswith("coerce_dtype"):
            kind = table.kind(column)
            what = "is not a whole number" if kind == "integer" else "is not a number"
            problem = f"value {value!r} {what}" if line is not None else f"values {what}"
        elif check == "not_nullable":
            problem = "is empty"
        elif line is None:
            problem = check
        else:
            problem = f"value {value!r} {check}"
        problems.append(_fail(table, line, column, problem))
    order = {name: k for k, name in enumerate(table.columns)}
    return sorted(problems, key=lambda p: (p.row or 0, order.get(p.column, -1)))


def _line_of(index, lines: np.ndarray) -> int | None:
    """Physical line of a failure case's row, or None when pandera names no single row."""
    try:
        return None if pd.isna(index) else int(lines[int(index)])
    except (IndexError, TypeError, ValueError):
        return None


def _plain(value):
    """A numpy scalar as the Python value it holds, for messages that read like the file."""
    return value.item() if hasattr(value, "item") and np.ndim(value) == 0 else value


def _typed(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for name in table.columns:
        kind = table.kind(name)
        if kind == "day":
            out[name] = pd.to_datetime(out[name], format="%Y-%m-%d").astype("datetime64[s]")
        elif kind == "flag":
            out[name] = out[name].eq("true").astype(bool)
        elif kind == "text":
            # An empty note is an empty string, as in the file; only a Parquet column has missing values.
            out[name] = (out[name] if table.parquet else out[name].fillna("")).astype("string")
        elif kind == "integer" and out[name].notna().all():
            out[name] = out[name].astype("int64")
    return out.reset_index(drop=True)


# -- the snapshot and its cache --------------------------------------------------------------------------------

_DIGESTS: dict[tuple, str] = {}
_SNAPSHOTS: dict[tuple, Snapshot] = {}


def _digest(path: str) -> str:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return "missing"
    signature = (path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    known = _DIGESTS.get(signature)
    if known is None:
        if len(_DIGESTS) > 256:
            _DIGESTS.clear()
        with open(path, "rb") as file:
            known = _DIGESTS[signature] = hashlib.sha256(file.read()).hexdigest()
    return known


@lru_cache(maxsize=32)
def _file_names(folder: str) -> tuple[str, ...]:
    """:func:`data_files` of ``folder`` as strings, remembered: :func:`snapshot` stats them at every call."""
    return tuple(str(path) for path in data_files(Path(folder)).values())


def _resolved(folder: str) -> str:
    """The folder's absolute path without symlinks; remembered for an absolute path (a relative one follows the
    working directory)."""
    return _resolved_absolute(folder) if os.path.isabs(folder) else str(Path(folder).resolve())


@lru_cache(maxsize=32)
def _resolved_absolute(folder: str) -> str:
    return str(Path(folder).resolve())


_FILES: dict[tuple[str, str], tuple] = {}


def _remember_checked(memo_key: tuple[str, str], known: tuple) -> None:
    """Remember one file's check (typed frame, lines, problems) by its table and content digest."""
    if len(_FILES) > 128:
        _FILES.clear()
    _FILES[memo_key] = known


def _checked_file(table: Table, data: bytes) -> tuple:
    """One file's typed frame, physical lines and problems, remembered by the file's content.

    A folder that differs from a checked one in a single file (an edit, a test's corrupted copy) then
    costs the checks of that file and of the rules that span files, not of every file again.
    """
    memo_key = (table.name, hashlib.sha256(data).hexdigest())
    known = _FILES.get(memo_key)
    if known is None:
        try:
            frame, lines = (_read_parquet if table.parquet else _read_csv)(table, data)
        except DataValidationError as problem:
            known = (None, None, [problem])
        else:
            typed, problems = _check_schema(table, frame, lines)
            known = (typed, lines if typed is not None else None, problems)
        _remember_checked(memo_key, known)
    typed, lines, problems = known
    return (typed.copy() if typed is not None else None), lines, list(problems)


def _build(root: Path, key: tuple) -> Snapshot:
    snap = Snapshot(root, key)
    for name, path in data_files(root).items():
        table = TABLES[name]
        if not path.exists():
            snap.problems.append(_fail(table, None, None, f"file not found at {path}"))
            continue
        typed, lines, problems = _checked_file(table, path.read_bytes())
        snap.problems.extend(problems)
        if typed is not None:
            snap.tables[name], snap.lines[name] = typed, lines
    snap.problems.extend(checks.check_all(snap.tables, snap.lines))
    return snap


_KEEP_ON_DISK = 16
_RULE_SOURCES = ("store.py", "schema.py", "checks.py", "vocab.py")


def _disk_key(key: tuple) -> str:
    import importlib.metadata as metadata
    import sys

    here = Path(__file__).resolve().parent
    _folder, digests = key  # the content, not where it lies
    parts = [repr(digests), sys.version]
    parts += [hashlib.sha256((here / name).read_bytes()).hexdigest() for name in _RULE_SOURCES]
    for library in ("pandas", "numpy", "pandera", "pyarrow"):
        try:
            parts.append(f"{library}={metadata.version(library)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{library}=none")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _from_disk(folder: Path, key: tuple) -> Snapshot | None:
    import pickle

    path = paths.cache_dir() / "snapshots" / f"{_disk_key(key)}.pickle"
    try:
        with open(path, "rb") as handle:
            tables, lines = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return None
    try:
        os.utime(path)  # recently used: the pruning in _to_disk keeps the most recently used, not the newest
    except OSError:
        pass
    # Each file is remembered as checked too (the key's digests are of the files' content, as _checked_file's
    # are): a copy of the folder with one file edited then costs the checks of that file only, here as in the
    # process that checked them all.
    _, digests = key
    for name, digest in zip(TABLES, digests):
        if name in tables:
            _remember_checked((name, digest), (tables[name], lines[name], []))
    return Snapshot(folder, key, tables, lines, [])


def _to_disk(snap: Snapshot) -> None:
    import pickle

    folder = paths.cache_dir() / "snapshots"

    def dump(tmp: str) -> None:
        with open(tmp, "wb") as handle:
            pickle.dump((snap.tables, snap.lines), handle, protocol=pickle.HIGHEST_PROTOCOL)

    try:
        atomic_write(folder / f"{_disk_key(snap.key)}.pickle", dump)
        kept = sorted((p for p in folder.glob("*.pickle") if not p.name.startswith(".")),  # not another's partial
                      key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[_KEEP_ON_DISK:]:  # test runs check many edited copies: keep the recently used ones
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home or a full disk: the next process checks the data again


def snapshot(root: Path | None = None) -> Snapshot:
    """The validated snapshot of a data folder (cached while no file changes).

    Examples
    --------
    >>> snap = snapshot()
    >>> snap.problems
    []
    """
    # Called by every loader, so a chart calls it hundreds of times: the check that no file changed is only a
    # stat of each file (its content is hashed again only when its size, times or inode change).
    where = _resolved(str(root if root is not None else paths.data_dir()))
    key = (where, tuple(_digest(path) for path in _file_names(where)))
    folder = Path(where)
    snap = _SNAPSHOTS.get(key)
    if snap is None:
        if len(_SNAPSHOTS) > 8:
            _SNAPSHOTS.clear()
        snap = _from_disk(folder, key)
        if snap is None:
            snap = _build(folder, key)
            if not snap.problems:
                _to_disk(snap)
        _SNAPSHOTS[key] = snap
    return snap


def validate(root: Path | None = None) -> list[DataValidationError]:
    """Check every data file; return every problem found (empty when the data are valid).

    Examples
    --------
    >>> validate()
    []
    """
    return list(snapshot(root).problems)


def load_table(name: str, root: Path | None = None) -> pd.DataFrame:
    """One data file, read, checked and typed (a fresh copy).

    Raises
    ------
    ParameterError
        For an unknown table name, listing the known ones.
    DataValidationError
        For the first problem found in any data file (``sco-research validate`` lists them all).

    Examples
    --------
    >>> load_table("memberships").columns[:3].tolist()
    ['iso3', 'status', 'start_date']
    """
    require_choice("table", name, list(TABLES))
    snap = snapshot(root)
    if snap.problems:
        first = snap.problems[0]
        more = len(snap.problems) - 1
        if more:
            first = DataValidationError(first.file, first.row, first.column,
                                        f"{first.problem} (and {more} more problem{'s' * (more > 1)}: "
                                        "run `sco-research validate` to list them)")
        raise first
    return snap.tables[name].copy()
