"""Support for the ``02_trade`` notebook: the series it charts and its sources.

Its parameters are checked by :class:`sco_research.reports.parameters.TradeParameters`.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.trade import _flows
from ..data import load_trade
from .display import Citations


def partner_series(p) -> pd.DataFrame:
    """The reporter's rows with the chosen partners, years and flows.

    Parameters
    ----------
    p : sco_research.reports.parameters.TradeParameters
        The notebook's checked parameters.

    Examples
    --------
    >>> from sco_research.reports.parameters import TradeParameters
    >>> sorted(partner_series(TradeParameters(reporter="KAZ", partners=["CHN"], end_year=2002))["year"].unique().tolist())
    [2001, 2002]
    """
    return load_trade(reporters=[p.reporter], partners=list(p.chosen_partners), years=p.years, flows=_flows(p.flow))


def sources_table(frame: pd.DataFrame) -> Citations:
    """The sources of a trade frame's rows, sorted by id: linked on the page, one ``[id] citation`` line as text.

    Examples
    --------
    >>> from sco_research.reports.parameters import TradeParameters
    >>> sources_table(partner_series(TradeParameters(reporter="KAZ", end_year=2002))).source_ids
    ['imf_dots_2022']
    """
    return Citations(sorted(frame["source_id"].dropna().unique()))
