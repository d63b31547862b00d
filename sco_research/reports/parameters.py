"""One declarative parameter model per notebook, registered by notebook name.

Each project notebook has a pydantic model here. The same model is used

* by ``sco-research render`` (and ``render --list``) before any kernel starts,
  through :func:`check_parameters` and :func:`describe_models`;
* by the notebook itself: its second cell builds the model from the values of
  the literal-only ``parameters`` cell, so a bad value stops the notebook
  before anything is drawn;
* by the test suite, which checks that every notebook's ``parameters`` cell is
  exactly :func:`parameters_cell` of its model (names, types, defaults and
  help text), so that ``papermill --help-notebook`` documents the model.

Models are strict (``"2005"`` is not a year) and frozen. A bad value raises
:class:`~sco_research.errors.ParameterError` naming the parameter, the value and
what is allowed; ranges that depend on the data (the latest day, the years of
the trade table, the reporters) are checked against the data in use.

Examples
--------
>>> TradeParameters(reporter="KAZ", start_year=2005).years[:2]
[2005, 2006]
>>> TradeParameters(reporter="USA")
Traceback (most recent call last):
...
sco_research.errors.ParameterError: invalid reporter='USA': expected the ISO3 code of a reporter in the trade table: AFG, ...
"""

from __future__ import annotations

import datetime as _dt
import typing
from typing import ClassVar, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..analysis.geography import EXTENTS, PROJECTIONS, check_statuses, resolve_projection
from ..analysis.membership import latest_date, members
from ..analysis.trade import FLOW_CHOICES, MEMBERSHIP_CHOICES, latest_matrix_year
from ..data import load_table
from ..data import trade_year_range as _trade_year_range
from ..data.vocab import FOUNDING_DATE, PRECURSOR_DATE
from ..errors import ParameterError, PlanError
from ..plotting.chairmanship import _check_highlight as check_highlight
from ..plotting.labels import LANGUAGES
from ..plotting.trade import UNITS
from .growth import default_snapshot_dates
from .tour import resolve_as_of

__all__ = ["NotebookParameters", "MODELS", "model_for", "check_parameters", "parse_raw", "convert_raw", "parameters_cell",
           "describe_models"]

#: Statuses coloured by default on the membership maps (every status of the SCO proper).
DEFAULT_MAP_STATUSES = ("member", "observer", "dialogue_partner", "partner")

_TYPE_WORDS = {"int": "an integer", "bool": "True or False", "str": "a string", "list": "a list"}
_PLURAL_WORDS = {"int": "integers", "bool": "True or False values", "str": "strings"}


class NotebookParameters(BaseModel):
    """Base of every notebook's parameter model: strict, frozen, no unknown names.

    Construct a model with keyword arguments, as the notebooks do; a bad value
    raises :class:`~sco_research.errors.ParameterError` instead of pydantic's
    ``ValidationError``.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    #: Name of the notebook the model belongs to (``teaching/<name>`` for the seminars).
    notebook: ClassVar[str] = ""

    def __init__(self, **values):
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise _parameter_error(type(self), exc) from None

    def given(self) -> dict:
        """The parameters whose values differ from the defaults (for figure names).

        Examples
        --------
        >>> ChairParameters(language="zh").given()
        {'language': 'zh'}
        """
        fields = type(self).model_fields
        return {name: getattr(self, name) for name, info in fields.items()
                if getattr(self, name) != info.get_default(call_default_factory=True)}

    @classmethod
    def domains(cls) -> dict[str, str]:
        """Valid values that depend on the data, by parameter (shown by ``render --list``)."""
        return {}


def _type_name(annotation) -> str:
    """``int``, ``bool``, ``str`` or ``list``: the type written in the notebook's parameters cell."""
    origin = typing.get_origin(annotation) or annotation
    if origin is Literal:
        return type(typing.get_args(annotation)[0]).__name__
    return getattr(origin, "__name__", str(origin))


def _expected(model: type[NotebookParameters], name: str, item: bool) -> str:
    """What a parameter (or, with ``item``, one element of a list parameter) must be, in words."""
    annotation = model.model_fields[name].annotation
    if item:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) is Literal:
        return "one of " + ", ".join(repr(v) for v in typing.get_args(annotation))
    kind = _type_name(annotation)
    if kind == "list" and typing.get_args(annotation):
        return f"a list of {_PLURAL_WORDS[_type_name(typing.get_args(annotation)[0])]}"
    return _TYPE_WORDS.get(kind, kind)


def _parameter_error(model: type[NotebookParameters], exc: ValidationError) -> ParameterError:
    """The first problem of a pydantic ``ValidationError`` as a :class:`ParameterError`."""
    error = exc.errors(include_url=False)[0]
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, ParameterError):
        return cause
    loc = error.get("loc") or ()
    name = str(loc[0]) if loc else "parameters"
    if error["type"] == "extra_forbidden":
        return ParameterError(name, error.get("input"),
                              f"a parameter of {model.notebook}: one of " + ", ".join(model.model_fields))
    if name not in model.model_fields:
        return ParameterError(name, error.get("input"), error.get("msg", "a valid value"))
    return ParameterError(name, error.get("input"), _expected(model, name, item=len(loc) > 1))


def _whole_year(name: str, value: int, first: int, last: int) -> int:
    if not first <= value <= last:
        raise ParameterError(name, value, f"an integer year from {first} to {last}")
    return value


def _years_in_order(start_year: int, end_year: int, last: int) -> None:
    # A range's end may not come before its start; the start itself was checked against its own range.
    if end_year < start_year:
        raise ParameterError("end_year", end_year, f"a year from start_year={start_year} to {last}")


def _day_text(name: str, value: str, include_precursor: bool = False) -> str:
    # 'latest' or a day from the founding (from 26 April 1996 with the precursor) to the latest date in the data
    resolve_as_of(value, name=name, include_precursor=include_precursor)
    return value


# ---------------------------------------------------------------------------------------------------------------------
# The notebooks' models


class _AsOfParameters(NotebookParameters):
    """A notebook about one day, ``as_of``: each model gives the parameter its own help text.

    A model with an ``include_precursor`` field accepts days from the Shanghai Five's first day
    (26 April 1996) when it is True; the others, days from the SCO's founding.
    """

    as_of: str = "latest"

    @property
    def _precursor(self) -> bool:
        return bool(getattr(self, "include_precursor", False))

    @model_validator(mode="after")
    def _check_as_of(self):
        # after the fields, so that include_precursor (declared after as_of) sets the first valid day
        _day_text("as_of", self.as_of, self._precursor)
        return self

    @property
    def day(self) -> pd.Timestamp:
        """``as_of`` as a day (``"latest"`` resolved)."""
        return resolve_as_of(self.as_of, include_precursor=self._precursor)

    @classmethod
    def domains(cls) -> dict[str, str]:
        return {"as_of": f"'latest' or {cls._days()}"}

    @classmethod
    def _days(cls) -> str:
        """The days a day-valued parameter of this notebook accepts, in words for ``render --list``."""
        first = f"{FOUNDING_DATE.date()} (from {PRECURSOR_DATE.date()} with include_precursor=True)" if (
            "include_precursor" in cls.model_fields) else f"{FOUNDING_DATE.date()}"
        return f"{first} to {latest_date().date()}"


_PRECURSOR_HELP = ("also show the Shanghai Five (1996-2001), the SCO's precursor: True or False; with True, days "
                   "from 1996-04-26 are accepted")


class TourParameters(_AsOfParameters):
    """Parameters of ``00_dataset_tour``."""

    notebook: ClassVar[str] = "00_dataset_tour"

    as_of: str = Field("latest", description="day to describe: ISO date YYYY-MM-DD between 2001-06-15 (1996-04-26 "
                                             "with include_precursor) and the latest date in the data, or \"latest\"")
    include_precursor: bool = Field(False, description=_PRECURSOR_HELP)


class GrowthParameters(_AsOfParameters):
    """Parameters of ``01_membership_growth``."""

    notebook: ClassVar[str] = "01_membership_growth"

    as_of: str = Field("latest", description="day of the main map: ISO date YYYY-MM-DD from 2001-06-15 (1996-04-26 "
                                             "with include_precursor) to the latest date in the data, or \"latest\"")
    snapshot_dates: list[str] = Field([], description="days of the small multiples as ISO dates; an empty list means "
                                                      "every change of membership up to as_of")
    statuses: list[str] = Field(list(DEFAULT_MAP_STATUSES), description="statuses to colour, in any order")
    extent: Literal[tuple(EXTENTS)] = Field("eurasia", description="area shown: \"eurasia\" or \"world\"")
    projection: Literal[("default", *PROJECTIONS)] = Field(
        "default", description="\"default\" (Lambert equal-area for Eurasia, Equal Earth for the world), "
                               "\"eurasia_laea\" or \"equal_earth\"")
    include_precursor: bool = Field(False, description=_PRECURSOR_HELP)

    @model_validator(mode="after")
    def _check_snapshots(self):
        for day in self.snapshot_dates:
            _day_text("snapshot_dates", day, self.include_precursor)
        return self

    @field_validator("statuses")
    @classmethod
    def _check_statuses(cls, value: list[str]) -> list[str]:
        check_statuses(value)
        return value

    @model_validator(mode="after")
    def _check_projection(self):
        resolve_projection(self.map_projection, self.extent)
        return self

    @property
    def snapshot_days(self) -> tuple[pd.Timestamp, ...]:
        """Days of the small multiples: those given, or every growth snapshot up to :attr:`day`."""
        given = tuple(resolve_as_of(d, name="snapshot_dates", include_precursor=self.include_precursor)
                      for d in self.snapshot_dates)
        return given or default_snapshot_dates(self.day, include_precursor=self.include_precursor)

    @property
    def chosen_statuses(self) -> tuple[str, ...]:
        """``statuses`` in canonical order."""
        return check_statuses(self.statuses)

    @property
    def animated(self) -> bool:
        """Whether there is a year-by-year animation: it runs from the SCO's founding year to :attr:`day`."""
        return self.day >= FOUNDING_DATE

    @property
    def map_projection(self) -> str | None:
        """The projection name, or ``None`` for the extent's own."""
        return None if self.projection == "default" else self.projection

    @classmethod
    def domains(cls) -> dict[str, str]:
        return {**super().domains(), "snapshot_dates": f"days from {cls._days()}",
                "statuses": "any of " + ", ".join(DEFAULT_MAP_STATUSES)}


def _trade_reporters() -> list[str]:
    return sorted(load_table("trade")["reporter_iso3"].unique())


def _known_reporter(value: str) -> str:
    reporters = _trade_reporters()
    if value not in reporters:
        raise ParameterError("reporter", value,
                             "the ISO3 code of a reporter in the trade table: " + ", ".join(reporters))
    return value


def default_mirror_partner(reporter: str) -> str:
    """The partner of a mirror comparison when none is chosen: Kazakhstan for China, China otherwise.

    Examples
    --------
    >>> default_mirror_partner("RUS")
    'CHN'
    """
    return "KAZ" if reporter == "CHN" else "CHN"


class _ReporterParameters(NotebookParameters):
    """A notebook seen from one reporter of the trade table: each model gives ``reporter`` its default and help."""

    reporter: str = "CHN"

    @field_validator("reporter")
    @classmethod
    def _valid_reporter(cls, value: str) -> str:
        return _known_reporter(value)

    @classmethod
    def domains(cls) -> dict[str, str]:
        return {"reporter": ", ".join(_trade_reporters())}


class TradeParameters(_ReporterParameters):
    """Parameters of ``02_trade``."""

    notebook: ClassVar[str] = "02_trade"

    reporter: str = Field("CHN", description="ISO3 code of the reporting state")
    partners: list[str] = Field([], description="ISO3 codes of the partners to chart; an empty list means the other "
                                                "members today")
    start_year: int = Field(2001, description="first year, from 2001")
    end_year: int = Field(2024, description="last year, up to 2024 (the last year with any row)")
    flow: Literal[FLOW_CHOICES] = Field("total", description="\"total\", \"export\" or \"import\"")
    membership: Literal[MEMBERSHIP_CHOICES] = Field(
        "historical", description="members of each year (\"historical\") or today's members for every year "
                                  "(\"current\")")
    units: Literal[tuple(UNITS)] = Field("bn", description="\"bn\" (US$ billions) or \"mn\" (US$ millions)")
    mirror_partner: str = Field("", description="partner of the mirror chart; an empty string means KAZ for China "
                                                "and CHN otherwise")
    matrix_year: int = Field(0, description="year of the member × member trade matrix; 0 means the latest year up "
                                            "to end_year in which every member records trade with another")

    @field_validator("start_year", "end_year")
    @classmethod
    def _check_year(cls, value: int, info) -> int:
        return _whole_year(info.field_name, value, *_trade_year_range())

    @field_validator("matrix_year")
    @classmethod
    def _check_matrix_year(cls, value: int) -> int:
        first, last = _trade_year_range()
        if value != 0 and not first <= value <= last:
            raise ParameterError("matrix_year", value, f"0 (the default year) or an integer year from {first} to {last}")
        return value

    @model_validator(mode="after")
    def _check_combination(self):
        _years_in_order(self.start_year, self.end_year, _trade_year_range()[1])
        trade = load_table("trade")
        known = sorted(set(trade["partner_iso3"].unique()) - {"WLD", self.reporter})
        for partner in self.partners:
            if partner not in known:
                raise ParameterError("partners", partner, "ISO3 codes of the reporter's partners: " + ", ".join(known))
        reporters = _trade_reporters()
        if self.mirror == self.reporter or self.mirror not in reporters:
            raise ParameterError("mirror_partner", self.mirror_partner,
                                 "'' or another reporter's ISO3 code: " + ", ".join(r for r in reporters
                                                                                      if r != self.reporter))
        return self

    @property
    def years(self) -> list[int]:
        """Every year from ``start_year`` to ``end_year``."""
        return list(range(self.start_year, self.end_year + 1))

    @property
    def chosen_partners(self) -> tuple[str, ...]:
        """``partners``, or the other members on the latest date in the data."""
        return tuple(self.partners) or tuple(c for c in members(on=latest_date()) if c != self.reporter)

    @property
    def mirror(self) -> str:
        """The partner of the mirror chart (``mirror_partner`` or its default)."""
        return self.mirror_partner or default_mirror_partner(self.reporter)

    @property
    def matrix(self) -> int:
        """The trade matrix's year: ``matrix_year``, or for 0 :func:`~sco_research.analysis.trade.latest_matrix_year`."""
        return self.matrix_year or latest_matrix_year(self.end_year, self.membership, flow=self.flow)

    @classmethod
    def domains(cls) -> dict[str, str]:
        first, last = _trade_year_range()
        return {**super().domains(), "start_year": f"{first} to {last}",
                "end_year": f"{first} to {last}, not before start_year", "matrix_year": f"0, or {first} to {last}"}


class ChairParameters(NotebookParameters):
    """Parameters of ``03_chairmanship_history``."""

    notebook: ClassVar[str] = "03_chairmanship_history"

    start_year: int = Field(2001, description="first year shown, from 2001")
    end_year: int = Field(2026, description="last year shown, up to the year of the latest date in the data")
    highlight: str = Field("", description="ISO3 code of a member to highlight, or an empty string for none")
    language: Literal[LANGUAGES] = Field("en", description="labels in \"en\", \"ru\" or \"zh\"")

    @field_validator("start_year", "end_year")
    @classmethod
    def _check_year(cls, value: int, info) -> int:
        return _whole_year(info.field_name, value, FOUNDING_DATE.year, latest_date().year)

    @field_validator("highlight")
    @classmethod
    def _valid_highlight(cls, value: str) -> str:
        check_highlight(value)
        return value

    @model_validator(mode="after")
    def _check_order(self):
        _years_in_order(self.start_year, self.end_year, latest_date().year)
        return self

    @property
    def highlighted(self) -> str | None:
        """``highlight``, or ``None`` for none."""
        return self.highlight or None

    @classmethod
    def domains(cls) -> dict[str, str]:
        years = f"{FOUNDING_DATE.year} to {latest_date().year}"
        spells = load_table("memberships")
        member_codes = sorted(set(spells.loc[spells["status"] == "member", "iso3"]))
        return {"start_year": years, "end_year": years + ", not before start_year",
                "highlight": "'' or " + ", ".join(member_codes)}


class ClaimsParameters(NotebookParameters):
    """Parameters of ``04_claims_check``."""

    notebook: ClassVar[str] = "04_claims_check"

    show_notes: bool = Field(True, description="print how each claim is read and where the value comes from")


class GrowthSeminarParameters(_AsOfParameters):
    """Parameters of the seminar ``teaching/how_the_sco_grew``."""

    notebook: ClassVar[str] = "teaching/how_the_sco_grew"

    as_of: str = Field("latest", description="day to study: ISO date YYYY-MM-DD from 2001-06-15, or \"latest\"")


class TradeSeminarParameters(_ReporterParameters):
    """Parameters of the seminar ``teaching/trade_and_power``."""

    notebook: ClassVar[str] = "teaching/trade_and_power"

    reporter: str = Field("KAZ", description="ISO3 code of the member studied")

    @property
    def mirror(self) -> str:
        """The partner of the mirror exercise."""
        return default_mirror_partner(self.reporter)


class WhoRunsSeminarParameters(_AsOfParameters):
    """Parameters of the seminar ``teaching/who_runs_the_sco``."""

    notebook: ClassVar[str] = "teaching/who_runs_the_sco"

    as_of: str = Field("latest", description="day whose chair and Secretary-General the seminar names: ISO date "
                                             "YYYY-MM-DD from 2001-06-15, or \"latest\"")


#: Every project notebook's model, by notebook name.
MODELS: dict[str, type[NotebookParameters]] = {model.notebook: model for model in (
    TourParameters, GrowthParameters, TradeParameters, ChairParameters, ClaimsParameters,
    GrowthSeminarParameters, TradeSeminarParameters, WhoRunsSeminarParameters)}


def model_for(notebook: str) -> type[NotebookParameters]:
    """The parameter model of a project notebook, by name.

    Examples
    --------
    >>> model_for("02_trade").__name__
    'TradeParameters'
    """
    try:
        return MODELS[notebook]
    except KeyError:
        raise PlanError(f"no parameter model for notebook {notebook!r}: expected one of "
                        + ", ".join(MODELS)) from None


def parse_raw(value, kind: str):
    """A raw value from the command line or a YAML file, parsed for a parameter of type ``kind``.

    Strings are parsed as YAML unless the parameter is a string (``2005`` → 2005,
    ``true`` → True, ``[KAZ, RUS]`` → a list); a string that is not YAML is returned
    unchanged, for the caller's type check to refuse with its own message.

    Examples
    --------
    >>> parse_raw("[KAZ, RUS]", "list"), parse_raw("2005", "str")
    (['KAZ', 'RUS'], '2005')
    """
    import yaml

    if isinstance(value, str) and kind not in ("str", "None"):
        try:
            return yaml.safe_load(value)
        except yaml.YAMLError:
            return value
    return value


def convert_raw(model: type[NotebookParameters], name: str, value):
    """A raw value for a project notebook, in the type its model declares (:func:`parse_raw`, ISO days for dates).

    Examples
    --------
    >>> convert_raw(TradeParameters, "start_year", "2005")
    2005
    >>> convert_raw(GrowthParameters, "snapshot_dates", "[2017-06-09]")
    ['2017-06-09']
    """
    value = parse_raw(value, _type_name(model.model_fields[name].annotation))
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [v.isoformat() if isinstance(v, _dt.date) else v for v in value]
    return value


def check_parameters(notebook: str, raw: dict) -> dict:
    """Check raw parameters of a project notebook against its model; return them typed.

    Raises :class:`~sco_research.errors.PlanError` naming the notebook, the
    parameter, the value and what is allowed.

    Examples
    --------
    >>> check_parameters("02_trade", {"start_year": "2005"})
    {'start_year': 2005}
    >>> check_parameters("02_trade", {"start_yr": "2005"})
    Traceback (most recent call last):
    ...
    sco_research.errors.PlanError: 02_trade: unknown parameter 'start_yr': expected one of reporter, partners, start_year, end_year, flow, membership, units, mirror_partner, matrix_year
    """
    model = model_for(notebook)
    typed = {}
    for name, value in raw.items():
        if name not in model.model_fields:
            raise PlanError(f"{notebook}: unknown parameter {name!r}: expected one of " + ", ".join(model.model_fields))
        typed[name] = convert_raw(model, name, value)
    try:
        model(**typed)
    except ParameterError as exc:
        raise PlanError(f"{notebook}: {exc}") from None
    return typed


def parameters_cell(model: type[NotebookParameters]) -> str:
    """The literal-only ``parameters`` cell of a notebook, written from its model.

    One line per parameter, ``name: type = default  # help``, which is what
    ``papermill --help-notebook`` reads.

    Examples
    --------
    >>> print(parameters_cell(ClaimsParameters))
    show_notes: bool = True  # print how each claim is read and where the value comes from
    """
    lines = []
    for name, info in model.model_fields.items():
        default = info.get_default(call_default_factory=True)
        text = repr(default).replace("'", '"')
        lines.append(f"{name}: {_type_name(info.annotation)} = {text}  # {info.description}")
    return "\n".join(lines)


def describe_models() -> str:
    """Text for ``sco-research render --list``: every notebook's parameters, types, defaults and valid values."""
    out = []
    for notebook, model in MODELS.items():
        out.append(notebook)
        domains = model.domains()
        for name, info in model.model_fields.items():
            default = info.get_default(call_default_factory=True)
            out.append(f"  {name}: {_type_name(info.annotation)} = {default!r}")
            out.append(f"      {info.description}")
            annotation = info.annotation
            if typing.get_origin(annotation) is Literal:
                out.append("      choices: " + ", ".join(repr(v) for v in typing.get_args(annotation)))
            elif name in domains:
                out.append(f"      valid: {domains[name]}")
    return "\n".join(out)
