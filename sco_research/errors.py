"""Exceptions raised by :mod:`sco_research`.

Every error the package raises on purpose derives from :class:`SCOResearchError`,
so ``except SCOResearchError`` catches them all.
"""

from __future__ import annotations


class SCOResearchError(Exception):
    """Base class of the package's own errors."""


class DataValidationError(SCOResearchError, ValueError):
    """A curated data file breaks the schema or a domain rule.

    Attributes
    ----------
    file : str
        Name of the data file (e.g. ``"memberships.csv"``).
    row : int or None
        Line number in the CSV file (the header is line 1), when the problem
        is tied to one row.
    column : str or None
        Column concerned, when the problem is tied to one column.
    problem : str
        What is wrong, in words.

    Examples
    --------
    >>> err = DataValidationError("states.csv", 3, "iso3", "duplicate code 'CHN'")
    >>> str(err)
    "states.csv, line 3, column 'iso3': duplicate code 'CHN'"
    """

    def __init__(self, file: str, row: int | None, column: str | None, problem: str):
        self.file, self.row, self.column, self.problem = file, row, column, problem
        where = [file]
        if row is not None:
            where.append(f"line {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {problem}")


class ParameterError(SCOResearchError, ValueError):
    """A user-facing parameter (function argument or notebook parameter) is invalid.

    The message names the parameter, the value received and the valid choices.

    Examples
    --------
    >>> str(ParameterError("status", "mmber", "one of 'member', 'observer'"))
    "invalid status='mmber': expected one of 'member', 'observer'"
    """

    def __init__(self, name: str, value: object, expected: str):
        self.name, self.value, self.expected = name, value, expected
        super().__init__(f"invalid {name}={value!r}: expected {expected}")


class PlanError(SCOResearchError, ValueError):
    """A report plan (CLI arguments, ``--params-file`` or the report set) cannot be run as given."""


class RemoteSourceError(SCOResearchError, RuntimeError):
    """An online trade source could not be reached, or answered with something that is not data."""
