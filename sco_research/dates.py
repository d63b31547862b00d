"""Parsing of user-supplied dates."""

from __future__ import annotations

import datetime as _dt
import re

import pandas as pd

from .errors import ParameterError

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

DateLike = "str | datetime.date | pandas.Timestamp"


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
