"""Self-checks for the seminars' exercises: "right" or "not yet", without giving the answer away.

Each seminar builds one :class:`Exercises` from its parameter model, and each
exercise has a check cell that calls :meth:`Exercises.check` with the
student's answer. The expected answers are computed here, from the data and
the notebook's parameters, so a check is right for every parameter value and
nothing of the answer is written in the notebook a student receives.

A check that passes prints one line. One that fails raises :class:`NotYet`,
which IPython shows as one line instead of a traceback; raising keeps the
nbgrader convention that a test cell which raises earns no points, so a
lecturer can grade the notebooks with nbgrader's autograder as they are.

Examples
--------
>>> from sco_research.reports.parameters import GrowthSeminarParameters
>>> exercises = Exercises(GrowthSeminarParameters())
>>> exercises.check(1, (6, 8, ["IND", "PAK"], 17))
Exercise 1: right.
>>> exercises.check(1, (6, 8, ["IND"], 17))
Traceback (most recent call last):
...
sco_research.reports.exercises.NotYet: Exercise 1: not yet. The states that joined are not right yet.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..analysis.geography import area_share
from ..analysis.membership import chair_on, change_dates, members, status_counts, summit_covering
from ..analysis.summits import summit_documents
from ..analysis.trade import mirror_pair, sco_share, trade_with_members
from ..data import load_secretaries_general, load_summits

__all__ = ["NotYet", "Part", "Exercises", "EXERCISES"]


class NotYet(AssertionError):
    """An answer that is not right yet. IPython shows it as its one-line message, without a traceback."""

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


@dataclass(frozen=True)
class Part:
    """One value of an answer: what it is (shown to students), its kind, and how to compute it.

    ``kind`` is ``"int"``, ``"number"`` (equal within ``tolerance``), ``"codes"`` (a collection of ISO3
    codes or other words, in any order and any case), ``"text"`` (a word, any case) or ``"day"`` (an ISO date).
    """

    what: str
    kind: str
    expected: Callable
    tolerance: float = 0.0


def _same(part: Part, answer, expected) -> bool:
    # numbers.Integral and numbers.Real also take numpy's integers and floats (a pandas cell's value).
    if part.kind == "int":
        return isinstance(answer, numbers.Integral) and not isinstance(answer, bool) and answer == int(expected)
    if part.kind == "number":
        return (isinstance(answer, numbers.Real) and not isinstance(answer, bool) and math.isfinite(answer)
                and abs(float(answer) - float(expected)) <= part.tolerance + 1e-9)
    if part.kind == "codes":
        if isinstance(answer, str) or not hasattr(answer, "__iter__"):
            return False
        given = [str(a).strip().upper() for a in answer]
        return len(given) == len(set(given)) and set(given) == {str(e).upper() for e in expected}
    if part.kind == "text":
        return isinstance(answer, str) and answer.strip().casefold() == str(expected).casefold()
    if part.kind == "day":
        try:
            return pd.Timestamp(str(answer)).normalize() == pd.Timestamp(expected).normalize()
        except ValueError:
            return False
    raise ValueError(f"unknown kind of answer {part.kind!r}")


def _form(parts: tuple[Part, ...]) -> str:
    if len(parts) == 1:
        return parts[0].what
    return "(" + ", ".join(part.what for part in parts) + ")"


# ---------------------------------------------------------------------------------------------------------------------
# The expected answers, by seminar and exercise number. Each function takes the notebook's parameter model.

def _members_joined(_):
    return sorted(set(members(on="2017-06-09")) - set(members(on="2017-06-08")))


def _trade_bn(basis):
    return lambda _: float(trade_with_members("CHN", [2001], basis).iloc[0]["value_usd"]) / 1e9


def _share_change_pp(basis):
    def change(p):
        share = sco_share(p.reporter, [2016, 2017], basis).set_index("year")["share"]
        return 100 * (share[2017] - share[2016])
    return change


def _largest_gap(p):
    mirror = mirror_pair(p.reporter, p.mirror)
    return mirror.loc[mirror["gap_pct"].abs().idxmax()]


def _summit_ending_chair(day):
    """The summit whose last day ends the chairmanship in force on ``day`` (a spell ends with a summit)."""
    return summit_covering(chair_on(day)["end_date"])


def _secretaries_until(p):
    offices = load_secretaries_general()
    return offices[offices["start_date"] <= p.day]


#: notebook -> exercise number -> the parts of its answer.
EXERCISES: dict[str, dict[int, tuple[Part, ...]]] = {
    "teaching/how_the_sco_grew": {
        1: (Part("the number of members on 8 June 2017", "int", lambda _: len(members(on="2017-06-08"))),
            Part("the number of members on 9 June 2017", "int", lambda _: len(members(on="2017-06-09"))),
            Part("the states that joined", "codes", _members_joined),
            Part("the summit's number", "int", lambda _: int(summit_covering("2017-06-09")["number"]))),
        2: (Part("the year of the peak", "int", lambda _: status_counts()["dialogue_partner"].idxmax().year),
            Part("the number of dialogue partners at the peak", "int",
                 lambda _: int(status_counts()["dialogue_partner"].max())),
            Part("the number of dialogue partners after Tianjin", "int",
                 lambda _: int(status_counts().loc["2025-09-01", "dialogue_partner"])),
            Part("the number of partners after Tianjin", "int",
                 lambda _: int(status_counts().loc["2025-09-01", "partner"]))),
        3: (Part("the first day the members' share exceeds 60 %", "day",
                 lambda _: next(d for d in change_dates() if area_share(d) > 0.6)),
            Part("the share of every status on 4 July 2024, in percent", "number",
                 lambda _: 100 * area_share("2024-07-04", ("member", "observer", "dialogue_partner", "partner")),
                 tolerance=0.1)),
    },
    "teaching/trade_and_power": {
        1: (Part("China's 2001 trade with the members of 2001, in US$ bn", "number", _trade_bn("historical"),
                 tolerance=0.01),
            Part("China's 2001 trade with the members of 2021, in US$ bn", "number", _trade_bn("2021-01-01"),
                 tolerance=0.01)),
        2: (Part("the change of the historical share in 2017, in percentage points", "number",
                 _share_change_pp("historical"), tolerance=0.1),
            Part("the change with the same partners in both years, in percentage points", "number",
                 _share_change_pp("current"), tolerance=0.1)),
        3: (Part("the year of the largest gap", "int", lambda p: int(_largest_gap(p)["year"])),
            Part("the gap in percent", "number", lambda p: float(_largest_gap(p)["gap_pct"]), tolerance=0.1),
            Part("the ISO3 code of the side that recorded more", "text",
                 lambda p: p.reporter if _largest_gap(p)["gap_pct"] > 0 else p.mirror)),
    },
    "teaching/who_runs_the_sco": {
        1: (Part("the ISO3 code of the chair on 1 January 2019", "text",
                 lambda _: chair_on("2019-01-01")["chair_iso3"]),
            Part("the number of the summit that ended its chairmanship", "int",
                 lambda _: int(_summit_ending_chair("2019-01-01")["number"])),
            Part("its city", "text", lambda _: _summit_ending_chair("2019-01-01")["city"])),
        2: (Part("the numbers of the summits not held wholly in person", "codes",
                 lambda _: [str(n) for n in load_summits().query("format != 'in-person'")["number"]]),
            Part("the number of the summit that adopted the Charter", "int",
                 lambda _: int(summit_documents().loc[lambda d: d["document"].str.startswith("Charter"),
                                                      "number"].iloc[0]))),
        3: (Part("the number of Secretaries-General who took office up to the day studied", "int",
                 lambda p: len(_secretaries_until(p))),
            Part("the number of their nationalities", "int",
                 lambda p: _secretaries_until(p)["nationality_iso3"].nunique()),
            Part("the members on that day that have not provided one", "codes",
                 lambda p: sorted(set(members(on=p.day)) - set(_secretaries_until(p)["nationality_iso3"])))),
    },
}


class Exercises:
    """The self-checks of one seminar, for the parameters it runs with.

    Parameters
    ----------
    parameters : NotebookParameters
        The seminar's parameter model (its ``notebook`` names the seminar).

    Examples
    --------
    >>> from sco_research.reports.parameters import TradeSeminarParameters
    >>> Exercises(TradeSeminarParameters()).form(1)
    "(China's 2001 trade with the members of 2001, in US$ bn, China's 2001 trade with the members of 2021, in US$ bn)"
    """

    def __init__(self, parameters):
        self.parameters = parameters
        self.notebook = type(parameters).notebook
        if self.notebook not in EXERCISES:
            raise ValueError(f"no exercises for notebook {self.notebook!r}: expected one of {', '.join(EXERCISES)}")
        self.exercises = EXERCISES[self.notebook]

    def form(self, number: int) -> str:
        """What the answer to exercise ``number`` is made of, in order (nothing of its value)."""
        return _form(self._parts(number))

    def _parts(self, number: int) -> tuple[Part, ...]:
        try:
            return self.exercises[number]
        except KeyError:
            raise ValueError(f"{self.notebook} has no exercise {number!r}: expected one of "
                             + ", ".join(str(n) for n in self.exercises)) from None

    def check(self, number: int, answer) -> None:
        """Print "right" for a right answer; raise :class:`NotYet` naming what is not right yet.

        The message says which part of the answer is wrong, or what form the
        answer must take, never the expected value.
        """
        parts = self._parts(number)
        head = f"Exercise {number}: not yet."
        if answer is Ellipsis or answer is None:
            raise NotYet(f"{head} Replace the ... of answer_{number} with your answer: {self.form(number)}.")
        values = (answer,) if len(parts) == 1 else answer
        if len(parts) > 1 and (isinstance(answer, (str, bytes)) or not isinstance(answer, (tuple, list))
                               or len(answer) != len(parts)):
            raise NotYet(f"{head} Expected {len(parts)} values in this order: {self.form(number)}.")
        for part, value in zip(parts, values):
            if not _same(part, value, part.expected(self.parameters)):
                what = part.what[0].upper() + part.what[1:]
                verb = "are" if part.kind == "codes" else "is"
                raise NotYet(f"{head} {what} {verb} not right yet.")
        print(f"Exercise {number}: right.")
