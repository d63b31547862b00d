"""Helpers behind ``notebooks/00_dataset_tour.ipynb``: validation of its parameter and its tables."""

from __future__ import annotations

import pandas as pd

from ..analysis.membership import active_spells, chair_on, latest_date, latest_summit, status_on
from ..analysis.summits import chair_basis
from ..data import cite, load_memberships, load_states
from ..data.vocab import FOUNDING_DATE, PRECURSOR_DATE, STATUS_LABELS
from ..errors import ParameterError
from ..params import parse_date


def resolve_as_of(as_of: str, name: str = "as_of", *, include_precursor: bool = False) -> pd.Timestamp:
    """Validate the ``as_of`` notebook parameter (or another day-valued one).

    Parameters
    ----------
    as_of : str
        ``"latest"`` or an ISO day between the founding (2001-06-15) and the
        latest date in the data.
    name : str
        Parameter name used in the error message.
    include_precursor : bool
        Accept days from the Shanghai Five's first day (26 April 1996) instead.

    Raises
    ------
    ParameterError
        Naming ``as_of``, the value and the valid range.

    Examples
    --------
    >>> resolve_as_of("2017-06-09").date().isoformat()
    '2017-06-09'
    >>> resolve_as_of("1998-01-01", include_precursor=True).year
    1998
    """
    latest = latest_date()
    first = PRECURSOR_DATE if include_precursor else FOUNDING_DATE
    valid = f"'latest' or an ISO date from {first.date()} to {latest.date()}"
    if isinstance(as_of, str) and as_of.strip() == "latest":
        return latest
    try:
        day = parse_date(as_of, name)
    except ParameterError:
        raise ParameterError(name, as_of, valid) from None
    if not first <= day <= latest:
        raise ParameterError(name, as_of, valid)
    return day


def status_table(on, *, include_precursor: bool = False) -> pd.DataFrame:
    """States holding each status on a day, with their names in the SCO's three languages.

    With ``include_precursor`` the Shanghai Five's states (1996-2001) are listed too.

    Examples
    --------
    >>> status_table("2004-06-17").iloc[-1]["name_en"]
    'Mongolia'
    >>> status_table("1998-01-01", include_precursor=True)["status"].unique().tolist()
    ['Shanghai Five (precursor)']
    """
    frame = status_on(on, include_precursor=include_precursor).merge(load_states()[["iso3", "name_en", "name_ru", "name_zh"]], on="iso3", how="left")
    frame["status"] = frame["status"].map(STATUS_LABELS).astype("string")
    return frame[["status", "iso3", "name_en", "name_ru", "name_zh"]]


def summary_lines(on) -> list[str]:
    """Sentences on the latest summit and the chair on a day, each with its citation.

    Examples
    --------
    >>> summary_lines("2024-01-01")[1].startswith("Chair on 2024-01-01: Kazakhstan")
    True
    """
    day = parse_date(on, "on")
    names = load_states().set_index("iso3")["name_en"]
    lines = []
    summit = latest_summit(day)
    if summit is not None:
        lines.append(f"Latest summit by {day.date()}: No. {summit['number']}, {summit['city']} "
                     f"({names[summit['host_iso3']]}), {summit['start_date'].date()} to {summit['end_date'].date()}, "
                     f"{summit['format']}. Source: {cite(summit['source_id'])}")
    chair = chair_on(day)
    if chair is not None:
        until = "ongoing" if pd.isna(chair["end_date"]) else f"until {chair['end_date'].date()}"
        lines.append(f"Chair on {day.date()}: {names[chair['chair_iso3']]} since {chair['start_date'].date()}, {until} "
                     f"({chair_basis(chair)}). Source: {cite(chair['source_id'])}")
    return lines


def source_ids_for(on) -> list[str]:
    """The sources behind the status of every state on a day, sorted (for :class:`~.display.Citations`).

    Examples
    --------
    >>> source_ids_for("2001-06-15")
    ['xinhua_2014_summit_history']
    """
    active = active_spells(load_memberships(), parse_date(on, "on"))
    return sorted(set(active["source_id"]))
