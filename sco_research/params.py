"""Parsing of user-supplied arguments: one parser per kind of value, each naming the parameter when it refuses one.

Every layer parses its arguments with these, so a day, a year or a choice is
refused with the same words everywhere.
"""

from __future__ import annotations

import datetime as _dt
import re

import pandas as pd

from .errors import ParameterError

__all__ = ["day_in_words", "parse_date", "parse_year", "require_choice"]

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: object, name: str = "date") -> pd.Timestamp:
    """Turn a user-supplied date into a midnight :class:`pandas.Timestamp`.

    Parameters
    ----------
    value : str, datetime.date, datetime.datetime or pandas.Timestamp
        Strings must be ISO 8601 days (``YYYY-MM-DD``).
    name : str
        Parameter name used in the error message.

    Returns
    -------
    pandas.Timestamp
        The day, without time or time zone.

    Raises
    ------
    ParameterError
        (a ``ValueError``) naming the parameter and the value when the value is
        not a real calendar day in the accepted forms.

    Examples
    --------
    >>> parse_date("2017-06-09")
    Timestamp('2017-06-09 00:00:00')
    """
    expected = "an ISO date 'YYYY-MM-DD', a datetime.date or a pandas.Timestamp"
    if value is pd.NaT:
        raise ParameterError(name, value, expected)
    if isinstance(value, pd.Timestamp):
        return value.tz_localize(None).normalize() if value.tzinfo else value.normalize()
    if isinstance(value, _dt.datetime):
        return pd.Timestamp(value.replace(tzinfo=None)).normalize()
    if isinstance(value, _dt.date):
        return pd.Timestamp(value)
    if isinstance(value, str) and _ISO_DAY.match(value.strip()):
        try:
            return pd.Timestamp(_dt.date.fromisoformat(value.strip()))
        except ValueError:
            pass
    raise ParameterError(name, value, expected)


def day_in_words(value) -> str:
    """A day as readers write it, ``9 June 2017``: the one way charts, pages and messages write a day.

    ``value`` is a day, a date-time or an ISO string; a time of day is left out.

    Examples
    --------
    >>> day_in_words("2017-06-09"), day_in_words("2026-11-27T17:08:57+00:00")
    ('9 June 2017', '27 November 2026')
    >>> day_in_words(pd.Timestamp("2026-02-12"))
    '12 February 2026'
    """
    day = _dt.date.fromisoformat(str(value)[:10])
    return f"{day.day} {day:%B %Y}"


def parse_year(value: object, name: str = "year", *, first: int = 1900, last: int = 2200) -> int:
    """A whole year between ``first`` and ``last``, or :class:`ParameterError`.

    Examples
    --------
    >>> parse_year(2017)
    2017
    >>> parse_year("2017")
    Traceback (most recent call last):
    ...
    sco_research.errors.ParameterError: invalid year='2017': expected a whole year from 1900 to 2200
    """
    expected = f"a whole year from {first} to {last}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(name, value, expected)
    if not first <= value <= last:
        raise ParameterError(name, value, expected)
    return value


def require_choice(name: str, value, choices):
    """Return ``value`` if it is one of ``choices``; else raise :class:`ParameterError` listing them.

    Examples
    --------
    >>> require_choice("language", "zh", ("en", "ru", "zh"))
    'zh'
    >>> require_choice("language", "fr", ("en", "ru", "zh"))
    Traceback (most recent call last):
    ...
    sco_research.errors.ParameterError: invalid language='fr': expected one of 'en', 'ru', 'zh'
    """
    choices = list(choices)
    if value not in choices:
        raise ParameterError(name, value, "one of " + ", ".join(repr(c) for c in choices))
    return value
