"""Column rules of the curated tables: one declaration, two uses.

:data:`COLUMN_RULES` declares, for every column, its dtype and its checks
(required, regex, allowed values, bounds, uniqueness). From it

* :mod:`sco_research.schemas` builds the pandera schemas, which produce the
  detailed report when something is wrong, and which users can reuse;
* :func:`violated` checks the same rules with vectorised pandas, without
  importing pandera, so that loading valid data stays cheap (pandera's import
  alone costs about half of ``import pandas``).

Loading runs :func:`violated` first and calls pandera only when it finds a
problem; a test checks that both agree on every rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .membership import STATUSES

ISO3 = r"^[A-Z]{3}$"
DATE_BASES = ("founding_declaration", "chs_decision", "chs_decision_memorandum_later", "chs_status_merge")
FORMATS = ("in-person", "virtual", "hybrid")
PRECISIONS = ("day", "year")


@dataclass(frozen=True)
class Rule:
    """The checks of one column; ``error`` is the message of its value check."""

    dtype: str = "string"
    nullable: bool = False
    empty_ok: bool = False  # text columns only: the empty string is allowed
    regex: str | None = None
    isin: tuple[str, ...] | None = None
    ge: float | None = None
    in_range: tuple[float, float] | None = None
    unique: bool = False
    error: str = ""


def _text(regex=None, error="", *, isin=None, empty_ok=False) -> Rule:
    return Rule("string", regex=regex, isin=isin, empty_ok=empty_ok, error=error)


_ISO = _text(ISO3, "must be three capital letters")
_DATE = Rule("datetime64[s]")
_OPTIONAL_DATE = Rule("datetime64[s]", nullable=True)
_FREE = _text(empty_ok=True)

COLUMN_RULES: dict[str, dict[str, Rule]] = {
    "sources": {
        "source_id": _text(r"^[a-z0-9_]+$", "must be lowercase letters, digits and '_'"),
        "publisher": _text(), "title": _text(),
        "url": _text(r"^https?://", "must be an http(s) URL"),
        "accessed": _DATE, "published": _OPTIONAL_DATE, "note": _FREE,
    },
    "states": {
        "iso3": _ISO, "iso_numeric": _text(r"^\d{3}$", "must be three digits"),
        "name_en": _text(), "name_ru": _text(), "name_zh": _text(), "source_id": _text(),
    },
    "memberships": {
        "iso3": _ISO, "status": _text(isin=STATUSES, error=f"must be one of {', '.join(STATUSES)}"),
        "start_date": _DATE, "end_date": _OPTIONAL_DATE, "alt_date": _OPTIONAL_DATE,
        "date_basis": _text(isin=DATE_BASES, error=f"must be one of {', '.join(DATE_BASES)}"),
        "source_id": _text(), "note": _FREE,
    },
    "cities": {
        "geonames_id": Rule("Int64", ge=1, unique=True, error="must be a positive GeoNames id"),
        "name_en": _text(), "name_ru": _text(), "name_zh": _text(), "source_id": _text(), "note": _FREE,
    },
    "summits": {
        "number": Rule("Int64", ge=1, unique=True, error="must be at least 1"),
        "start_date": _DATE, "end_date": _DATE, "city": _text(), "host_iso3": _ISO,
        "geonames_id": Rule("Int64"),
        "latitude": Rule("Float64", in_range=(-90, 90), error="must lie in [-90, 90]"),
        "longitude": Rule("Float64", in_range=(-180, 180), error="must lie in [-180, 180]"),
        "coordinates_source_id": _text(),
        "format": _text(isin=FORMATS, error=f"must be one of {', '.join(FORMATS)}"),
        "documents": _FREE, "source_id": _text(), "documents_source_id": _FREE, "note": _FREE,
    },
    "chairmanships": {
        "chair_iso3": _ISO, "start_date": _DATE, "end_date": _OPTIONAL_DATE, "start_summit": Rule("Int64"),
        "is_inferred": Rule("bool"), "source_id": _text(), "note": _FREE,
    },
    "secretaries_general": {
        "name": _text(), "nationality_iso3": _ISO, "start_date": _DATE,
        "start_precision": _text(isin=PRECISIONS, error="must be 'day' or 'year'"),
        "end_date": _OPTIONAL_DATE, "end_precision": _FREE, "source_id": _text(), "note": _FREE,
    },
}


def violated(name: str, frame: pd.DataFrame) -> bool:
    """True if any column rule of table ``name`` fails (cheap; says nothing about where).

    Examples
    --------
    >>> violated("states", pd.DataFrame({"iso3": pd.array(["KAZ"], dtype="string")}))  # columns missing
    True
    """
    for column, rule in COLUMN_RULES[name].items():
        if column not in frame.columns:
            return True
        values = frame[column]
        if str(values.dtype) != rule.dtype:
            return True
        missing = values.isna()
        if missing.any() and not rule.nullable:
            return True
        present = values[~missing]
        if rule.dtype == "string":
            if not rule.empty_ok and (present.str.len() < 1).any():
                return True
            if rule.regex is not None and not present.str.contains(rule.regex, regex=True).all():
                return True
            if rule.isin is not None and not present.isin(rule.isin).all():
                return True
        if rule.ge is not None and (present < rule.ge).any():
            return True
        if rule.in_range is not None and ((present < rule.in_range[0]) | (present > rule.in_range[1])).any():
            return True
        if rule.unique and values.duplicated().any():
            return True
    return False
