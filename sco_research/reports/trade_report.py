"""Support for the ``02_trade`` notebook: parameter checks and the series it charts."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..analysis.membership import latest_date, members
from ..analysis.trade import FLOW_CHOICES, MEMBERSHIP_CHOICES, _flows
from ..data import cite, load_table, load_trade
from ..data import trade_year_range as year_range
from ..errors import ParameterError
from ..params import require_choice
from ..plotting.trade import UNITS

#: Defaults of the notebook's parameter cell (a test keeps the two equal).
DEFAULTS = {
    "reporter": "CHN",
    "partners": [],
    "start_year": 2001,
    "end_year": 2024,
    "flow": "total",
    "membership": "historical",
    "units": "bn",
    "mirror_partner": "",
    "save_figures": True,
}


@dataclass(frozen=True)
class TradeParameters:
    """Checked parameters of the trade notebook."""

    reporter: str
    partners: tuple[str, ...]
    start_year: int
    end_year: int
    flow: str
    membership: str
    units: str
    mirror_partner: str
    save_figures: bool
    given: tuple = ()  # the raw (name, value) pairs passed in, for figure names

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    def figure_parameters(self) -> dict:
        """The parameters given with values other than the defaults, for stable figure names.

        Examples
        --------
        >>> resolve_parameters(**{**DEFAULTS, "reporter": "KAZ"}).figure_parameters()
        {'reporter': 'KAZ'}
        """
        return {name: value for name, value in self.given if name != "save_figures" and DEFAULTS.get(name) != value}


def _year(name: str, value, first: int, last: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not first <= value <= last:
        raise ParameterError(name, value, f"an integer year from {first} to {last}")
    return value


def resolve_parameters(*, reporter, partners, start_year, end_year, flow, membership, units, mirror_partner,
                       save_figures) -> TradeParameters:
    """Check every notebook parameter before anything is computed or drawn.

    Examples
    --------
    >>> p = resolve_parameters(**DEFAULTS)
    >>> p.partners
    ('BLR', 'IND', 'IRN', 'KAZ', 'KGZ', 'PAK', 'RUS', 'TJK', 'UZB')
    >>> p.mirror_partner
    'KAZ'
    """
    trade = load_table("trade")
    reporters = sorted(trade["reporter_iso3"].unique())
    if reporter not in reporters:
        raise ParameterError("reporter", reporter, "the ISO3 code of a reporter in the trade table: " + ", ".join(reporters))
    first, last = year_range()
    start_year = _year("start_year", start_year, first, last)
    end_year = _year("end_year", end_year, first, last)
    if end_year < start_year:
        raise ParameterError("end_year", end_year, f"a year from start_year={start_year} to {last}")
    if not isinstance(partners, (list, tuple)):
        raise ParameterError("partners", partners, "a list of ISO3 codes (empty: the other members today)")
    known = sorted(set(trade["partner_iso3"]) - {"WLD", reporter})
    for partner in partners:
        if partner not in known:
            raise ParameterError("partners", partner, "ISO3 codes of the reporter's partners: " + ", ".join(known))
    chosen = tuple(partners) or tuple(c for c in members(on=latest_date()) if c != reporter)
    require_choice("flow", flow, FLOW_CHOICES)
    require_choice("membership", membership, MEMBERSHIP_CHOICES)
    require_choice("units", units, UNITS)
    if not isinstance(mirror_partner, str):
        raise ParameterError("mirror_partner", mirror_partner, "an ISO3 code or ''")
    mirror = mirror_partner or ("KAZ" if reporter == "CHN" else "CHN")
    if mirror == reporter or mirror not in reporters:
        raise ParameterError("mirror_partner", mirror_partner, "another reporter's ISO3 code: " + ", ".join(reporters))
    if not isinstance(save_figures, bool):
        raise ParameterError("save_figures", save_figures, "True or False")
    given = (("reporter", reporter), ("partners", list(partners)), ("start_year", start_year), ("end_year", end_year),
             ("flow", flow), ("membership", membership), ("units", units), ("mirror_partner", mirror_partner),
             ("save_figures", save_figures))
    return TradeParameters(reporter, chosen, start_year, end_year, flow, membership, units, mirror, save_figures,
                           given)


def partner_series(p: TradeParameters) -> pd.DataFrame:
    """The reporter's rows with the chosen partners, years and flows."""
    return load_trade(reporters=[p.reporter], partners=list(p.partners), years=p.years, flows=_flows(p.flow))


def sources_table(frame: pd.DataFrame) -> list[str]:
    """One citation line per source_id used in a trade frame."""
    return [f"[{sid}] {cite(sid)}" for sid in sorted(frame["source_id"].dropna().unique())]
