"""Support for the ``03_chairmanship_history`` notebook: parameter checks and summary lines."""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.membership import latest_date
from ..analysis.summits import chair_and_next
from ..data import cite
from ..data.vocab import FOUNDING_DATE
from ..errors import ParameterError
from ..plotting.chairmanship import _check_highlight
from ..plotting.labels import check_language, state_names

#: Defaults of the notebook's parameter cell (a test keeps the two equal).
DEFAULTS = {"start_year": 2001, "end_year": 2025, "highlight": "", "language": "en", "save_figures": True}


@dataclass(frozen=True)
class ChairParameters:
    """Checked parameters of the chairmanship notebook."""

    start_year: int
    end_year: int
    highlight: str | None
    language: str
    save_figures: bool

    def figure_parameters(self) -> dict:
        """Parameters that differ from the defaults, for stable figure names."""
        current = {"start_year": self.start_year, "end_year": self.end_year, "highlight": self.highlight or "",
                   "language": self.language}
        return {k: v for k, v in current.items() if DEFAULTS[k] != v}


def resolve_parameters(*, start_year, end_year, highlight, language, save_figures) -> ChairParameters:
    """Check every notebook parameter before anything is drawn.

    Examples
    --------
    >>> resolve_parameters(**{**DEFAULTS, "highlight": "KAZ", "language": "zh"}).highlight
    'KAZ'
    >>> resolve_parameters(**{**DEFAULTS, "start_year": 1996})
    Traceback (most recent call last):
    ...
    sco_research.errors.ParameterError: invalid start_year=1996: expected an integer year from 2001 to 2025
    """

    first, last = FOUNDING_DATE.year, latest_date().year
    for name, value in (("start_year", start_year), ("end_year", end_year)):
        if not isinstance(value, int) or isinstance(value, bool) or not first <= value <= last:
            raise ParameterError(name, value, f"an integer year from {first} to {last}")
    if end_year < start_year:
        raise ParameterError("end_year", end_year, f"a year from start_year={start_year} to {last}")
    if not isinstance(highlight, str):
        raise ParameterError("highlight", highlight, "'' or an ISO3 code")
    chosen = _check_highlight(highlight)
    check_language(language)
    if not isinstance(save_figures, bool):
        raise ParameterError("save_figures", save_figures, "True or False")
    return ChairParameters(start_year, end_year, chosen, language, save_figures)


def current_and_next_lines(language: str = "en") -> list[str]:
    """Sentences on the chair in force on the latest date in the data and the next one, with citations."""

    names = state_names(language)
    day = latest_date()
    current, following = chair_and_next(day)
    lines = []
    if current is None:
        return [f"No chairmanship is recorded on {day.date()}."]
    lines.append(f"On {day.date()}, the latest date in the data, {names[current['chair_iso3']]} "
                 f"({current['chair_iso3']}) chairs the SCO, since {current['start_date'].date()} "
                 f"(summit No. {int(current['start_summit'])}). [{current['source_id']}] {cite(current['source_id'])}")
    if following is None:
        lines.append("The next chair is not recorded in the data: the chairmanship passes at the next summit to the "
                     "state that hosts it, and no later summit is recorded yet.")
    else:
        lines.append(f"Next: {names[following['chair_iso3']]} from {following['start_date'].date()}. "
                     f"[{following['source_id']}]")
    return lines
