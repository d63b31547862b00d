"""Support for the ``02_trade`` notebook: the series it charts and its sources.

Its parameters are checked by :class:`sco_research.reports.parameters.TradeParameters`.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.sources import source_ids_in
from ..analysis.trade import _flows
from ..data import load_trade
from .display import Citations


def reporter_trade(p) -> pd.DataFrame:
    """The reporter's rows in the chosen years and flows: IMF DOTS to 2020, then customs releases and, for
    Kazakhstan and Kyrgyzstan, the national statistics (``load_trade("combined")``; the charts mark the break).

    Parameters
    ----------
    p : sco_research.reports.parameters.TradeParameters
        The notebook's checked parameters.

    Examples
    --------
    >>> from sco_research.reports.parameters import TradeParameters
    >>> rows = reporter_trade(TradeParameters(reporter="KAZ", start_year=2019))
    >>> sorted(rows.loc[rows["year"] > 2020, "source_id"].unique())
    ['bns_kaz_foreign_trade_by_country']
    """
    return load_trade("combined", reporters=[p.reporter], years=p.years, flows=_flows(p.flow))


def partner_series(p) -> pd.DataFrame:
    """:func:`reporter_trade` with the chosen partners only.

    Examples
    --------
    >>> from sco_research.reports.parameters import TradeParameters
    >>> sorted(partner_series(TradeParameters(reporter="KAZ", partners=["CHN"], end_year=2002))["year"].unique().tolist())
    [2001, 2002]
    """
    rows = reporter_trade(p)
    return rows[rows["partner_iso3"].isin(p.chosen_partners)].reset_index(drop=True)


def all_trade(p) -> pd.DataFrame:
    """Every reporter's rows in the chosen flows, every year, from the same sources as :func:`reporter_trade`
    (for the member × member matrix and the shares of every member).

    Examples
    --------
    >>> from sco_research.reports.parameters import TradeParameters
    >>> sorted(all_trade(TradeParameters(flow="export"))["flow"].unique())
    ['export']
    """
    return load_trade("combined", flows=_flows(p.flow))


def sources_table(*frames: pd.DataFrame) -> Citations:
    """The sources of the frames charted, sorted by id: linked on the page, one ``[id] citation`` line as text.

    A frame gives its ``source_id`` column (``"; "``-lists split) or, for a
    :func:`~sco_research.analysis.trade.trade_matrix`, its ``attrs["source_ids"]``.

    Examples
    --------
    >>> from sco_research.analysis.trade import trade_matrix
    >>> from sco_research.reports.parameters import TradeParameters
    >>> sources_table(partner_series(TradeParameters(reporter="KAZ", end_year=2002)), trade_matrix(2020)).source_ids
    ['imf_dots_2022']
    """
    return Citations(sorted({sid for frame in frames for sid in source_ids_in(frame)}))
