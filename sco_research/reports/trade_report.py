"""Support for the ``02_trade`` notebook: the series it charts and its sources.

Its parameters are checked by :class:`sco_research.reports.parameters.TradeParameters`.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.sources import source_ids_in
from ..analysis.trade import _flows, mirror_pair
from ..data import load_trade
from ..data.vocab import LAST_DOTS_YEAR
from ..plotting.trade import UNITS
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


def _in_units(values: pd.Series, units: str) -> pd.Series:
    # float64, not Float64: a printed table then shows every value with its two decimals (851.60, not 851.6)
    plain = values.astype("Float64").to_numpy("float64", na_value=float("nan"))
    return (pd.Series(plain, index=values.index) / UNITS[units]).round(2)


def share_table(share: pd.DataFrame, units: str = "bn") -> pd.DataFrame:
    """The numbers of the SCO-share chart: trade with the members and with the world in ``units``, the share in percent.

    Parameters
    ----------
    share : pandas.DataFrame
        A :func:`~sco_research.analysis.trade.sco_share` frame.
    units : {"bn", "mn"}
        US$ billions or millions, as the notebook's ``units``; the columns are named after them.

    Examples
    --------
    >>> from sco_research.analysis.trade import sco_share
    >>> share_table(sco_share("KAZ", [2020], "historical"), "mn").columns.tolist()
    ['year', 'sco_mn', 'world_mn', 'share_pct', 'missing']
    """
    return pd.DataFrame({"year": share["year"], f"sco_{units}": _in_units(share["sco_usd"], units),
                         f"world_{units}": _in_units(share["world_usd"], units),
                         "share_pct": (100 * share["share"]).round(1), "missing": share["missing"]})


def mirror_series(p) -> pd.DataFrame:
    """:func:`~sco_research.analysis.trade.mirror_pair` of the reporter and its mirror partner, in the chosen
    years of IMF DOTS (to 2020: the later sources rarely hold both sides of a pair).

    Examples
    --------
    >>> from sco_research.reports.parameters import TradeParameters
    >>> mirror_series(TradeParameters(reporter="KAZ"))["year"].agg(["min", "max"]).tolist()
    [2001, 2020]
    """
    return mirror_pair(p.reporter, p.mirror, [year for year in p.years if year <= LAST_DOTS_YEAR])


def mirror_table(mirror: pd.DataFrame, p, last: int = 5) -> pd.DataFrame:
    """The last ``last`` years of a mirror comparison, each side's record named by its state, in ``p.units``.

    Examples
    --------
    >>> from sco_research.reports.parameters import TradeParameters
    >>> p = TradeParameters(reporter="KAZ", units="mn")
    >>> mirror_table(mirror_series(p), p, last=1).to_dict("records")
    [{'year': 2020, 'KAZ_records_mn': 15350.5, 'CHN_records_mn': 21433.31, 'gap_pct': -28.4}]
    """
    rows = mirror.tail(last)
    return pd.DataFrame({"year": rows["year"], f"{p.reporter}_records_{p.units}": _in_units(rows["reported_by_a"], p.units),
                         f"{p.mirror}_records_{p.units}": _in_units(rows["reported_by_b"], p.units),
                         "gap_pct": rows["gap_pct"].round(1)}).reset_index(drop=True)
