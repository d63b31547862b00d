"""Support for the ``03_chairmanship_history`` notebook: the current and next chair, with citations.

Its parameters are checked by :class:`sco_research.reports.parameters.ChairParameters`.
"""

from __future__ import annotations

from ..analysis.membership import latest_date
from ..analysis.summits import chair_and_next, chair_basis
from ..data import cite
from ..plotting.labels import state_names


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
                 f"(summit No. {int(current['start_summit'])}"
                 f"{'; ' + chair_basis(current) if current['is_inferred'] else ''}). "
                 f"[{current['source_id']}] {cite(current['source_id'])}")
    if following is None:
        lines.append("The next chair is not recorded in the data: the chairmanship passes at the next summit to the "
                     "state that hosts it, and no later summit is recorded yet.")
    else:
        lines.append(f"Next: {names[following['chair_iso3']]} from {following['start_date'].date()}. "
                     f"[{following['source_id']}]")
    return lines
