"""Loading the curated tables in ``data/`` with real dtypes.

Every table is read as text, converted column by column (a value that does not
convert is reported with its file, line and column), then validated by
:mod:`sco_research.validation`. Validation results are remembered per content
hash of the data files, so unchanged files are validated once, not on every
import; any edit to a file changes the hash and triggers full validation.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import paths
from .errors import DataValidationError

__all__ = ["TABLES", "load_tables", "table_files", "data_fingerprint"]


@dataclass(frozen=True)
class TableSpec:
    """Column types of one curated CSV file."""

    file: str
    required: tuple[str, ...]
    dates: tuple[str, ...] = ()
    ints: tuple[str, ...] = ()
    floats: tuple[str, ...] = ()
    bools: tuple[str, ...] = ()
    optional_dates: tuple[str, ...] = ()


TABLES: dict[str, TableSpec] = {
    "sources": TableSpec(
        "sources.csv",
        ("source_id", "publisher", "title", "url", "published", "accessed", "note"),
        dates=("accessed",), optional_dates=("published",),
    ),
    "states": TableSpec(
        "states.csv",
        ("iso3", "iso_numeric", "name_en", "name_ru", "name_zh", "source_id"),
    ),
    "memberships": TableSpec(
        "memberships.csv",
        ("iso3", "status", "start_date", "end_date", "date_basis", "alt_date", "source_id", "note"),
        dates=("start_date",), optional_dates=("end_date", "alt_date"),
    ),
    "cities": TableSpec(
        "cities.csv",
        ("geonames_id", "name_en", "name_ru", "name_zh", "source_id", "note"),
        ints=("geonames_id",),
    ),
    "summits": TableSpec(
        "summits.csv",
        ("number", "start_date", "end_date", "city", "host_iso3", "geonames_id", "latitude",
         "longitude", "coordinates_source_id", "format", "documents", "source_id", "documents_source_id", "note"),
        dates=("start_date", "end_date"), ints=("number", "geonames_id"),
        floats=("latitude", "longitude"),
    ),
    "chairmanships": TableSpec(
        "chairmanships.csv",
        ("chair_iso3", "start_date", "end_date", "start_summit", "is_inferred", "source_id", "note"),
        dates=("start_date",), optional_dates=("end_date",), ints=("start_summit",),
        bools=("is_inferred",),
    ),
    "secretaries_general": TableSpec(
        "secretaries_general.csv",
        ("name", "nationality_iso3", "start_date", "start_precision", "end_date", "end_precision",
         "source_id", "note"),
        dates=("start_date",), optional_dates=("end_date",),
    ),
}


def table_files(data_dir: Path | None = None) -> dict[str, Path]:
    """Paths of the curated CSV files, by table name."""
    root = Path(data_dir) if data_dir is not None else paths.data_dir()
    return {name: root / spec.file for name, spec in TABLES.items()}


def data_fingerprint(data_dir: Path | None = None) -> str:
    """SHA-256 over the names and bytes of every curated file.

    Examples
    --------
    >>> len(data_fingerprint())
    64
    """
    files = sorted(table_files(data_dir).items())
    # Hashing every file on each call would cost more than the tables' lookups it guards; a file whose
    # size, modification and change times and inode are all unchanged keeps its digest.
    signature = tuple((name, _stat_signature(path)) for name, path in files)
    known = _FINGERPRINTS.get(signature)
    if known is not None:
        return known
    digest = hashlib.sha256()
    for name, path in files:
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
    if len(_FINGERPRINTS) > 64:
        _FINGERPRINTS.clear()
    _FINGERPRINTS[signature] = digest.hexdigest()
    return _FINGERPRINTS[signature]


_FINGERPRINTS: dict[tuple, str] = {}


def _stat_signature(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _line(index: int) -> int:
    # The header is line 1; data rows start on line 2.
    return int(index) + 2


def _read(spec: TableSpec, path: Path) -> pd.DataFrame:
    if not path.exists():
        raise DataValidationError(spec.file, None, None, f"file not found at {path}")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataValidationError(spec.file, None, None, f"cannot be parsed as UTF-8 CSV: {exc}") from exc
    missing = [c for c in spec.required if c not in frame.columns]
    if missing:
        raise DataValidationError(spec.file, 1, missing[0], f"required column missing (header has {list(frame.columns)})")
    frame = frame.apply(lambda col: col.str.strip())
    return _convert(spec, frame)


def _convert(spec: TableSpec, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in spec.dates + spec.optional_dates:
        raw = frame[col]
        parsed = pd.to_datetime(raw.where(raw != ""), format="%Y-%m-%d", errors="coerce").astype("datetime64[s]")
        bad = parsed.isna() & ((raw != "") | (col in spec.dates))
        if bad.any():
            i = bad.idxmax()
            what = "is empty" if raw[i] == "" else f"value {raw[i]!r} is not a date in YYYY-MM-DD form"
            raise DataValidationError(spec.file, _line(i), col, what)
        out[col] = parsed
    for col, kind in [(c, "Int64") for c in spec.ints] + [(c, "Float64") for c in spec.floats]:
        raw = frame[col]
        num = pd.to_numeric(raw.where(raw != ""), errors="coerce")
        bad = num.isna() & (raw != "")
        if bad.any():
            i = bad.idxmax()
            raise DataValidationError(spec.file, _line(i), col, f"value {raw[i]!r} is not a number")
        if kind == "Int64" and ((num.dropna() % 1) != 0).any():
            i = ((num % 1) != 0).idxmax()
            raise DataValidationError(spec.file, _line(i), col, f"value {raw[i]!r} is not a whole number")
        out[col] = num.astype(kind)
    for col in spec.bools:
        raw = frame[col].str.lower()
        bad = ~raw.isin(["true", "false"])
        if bad.any():
            i = bad.idxmax()
            raise DataValidationError(spec.file, _line(i), col, f"value {frame[col][i]!r} is not 'true' or 'false'")
        out[col] = raw.eq("true")
    text_cols = [c for c in out.columns if c not in spec.dates + spec.optional_dates + spec.ints + spec.floats + spec.bools]
    for col in text_cols:
        out[col] = out[col].astype("string")
    return out


def _stamp_path(fingerprint: str) -> Path:
    from . import __version__

    return paths.cache_dir() / "validated" / f"{__version__}-{fingerprint}"


@functools.lru_cache(maxsize=8)
def _load_cached(data_dir: Path, fingerprint: str) -> dict[str, pd.DataFrame]:
    files = table_files(data_dir)
    tables = {name: _read(TABLES[name], files[name]) for name in TABLES}
    stamp = _stamp_path(fingerprint)
    if not stamp.exists():
        from .validation import validate_tables  # pandera is imported only here

        validate_tables(tables)
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.write_text("validated\n", encoding="utf-8")
        except OSError:
            pass  # a read-only cache only costs a re-validation next time
    return tables


def load_tables(data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Read, type and validate every curated table.

    Returns
    -------
    dict of str to pandas.DataFrame
        Fresh copies, keyed by table name (see :data:`TABLES`).

    Raises
    ------
    DataValidationError
        Naming the file, line and column of the first problem found.

    Examples
    --------
    >>> sorted(load_tables())[:2]
    ['chairmanships', 'cities']
    """
    tables = _cached_tables(data_dir)
    return {name: frame.copy() for name, frame in tables.items()}


def load_table(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """One curated table, read, typed and validated like :func:`load_tables` (a fresh copy).

    Cheaper than ``load_tables()[name]``, which copies every table.

    Raises
    ------
    ParameterError
        For an unknown table name, listing the known ones.

    Examples
    --------
    >>> load_table("memberships").columns[:3].tolist()
    ['iso3', 'status', 'start_date']
    """
    from .errors import require_choice

    require_choice("table", name, list(TABLES))
    return _cached_tables(data_dir)[name].copy()


def _cached_tables(data_dir: Path | None) -> dict[str, pd.DataFrame]:
    root = (Path(data_dir) if data_dir is not None else paths.data_dir()).resolve()
    return _load_cached(root, data_fingerprint(root))
