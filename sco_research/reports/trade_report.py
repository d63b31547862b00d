"""Support for the ``02_trade`` notebook: the series it charts and its sources.

Its parameters are checked by :class:`sco_research.reports.parameters.TradeParameters`.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.sources import source_ids_in
from ..analysis.trade import _flows
from ..data import cite, load_trade


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


def sources_table(*frames: pd.DataFrame) -> list[str]:
    """One citation line per source_id used in the frames charted (their ``source_id`` column, or for a
    :func:`~sco_research.analysis.trade.trade_matrix` its ``attrs["source_ids"]``).

    Examples
    --------
    >>> from sco_research.analysis.trade import trade_matrix
    >>> sources_table(trade_matrix(2020))[0][:40]
    '[imf_dots_2022] International Monetary F'
    """
    ids = {sid for frame in frames for sid in source_ids_in(frame)}
    return [f"[{sid}] {cite(sid)}" for sid in sorted(ids)]
