"""Bilateral goods trade: the bundled, cited table, optional online sources, and SCO aggregates.

Layers:

* :mod:`.bundled` — reading and checking ``data/trade/*.csv`` (offline);
* the online sources (IMF IMTS, UN Comtrade) live in :mod:`sco_research.data.remote`;
  :mod:`.remote` is a compatibility name for it;
* :mod:`.analysis` — pure functions on trade frames (:func:`trade_with_members`,
  :func:`sco_share`).

Examples
--------
>>> from sco_research.trade import load_trade
>>> china = load_trade(reporters=["CHN"], partners=["RUS"], years=[2020], flows=["export"])
>>> int(china["value_usd"].iloc[0])
50608370600
"""

from .analysis import mirror_pair, partner_ranking, reconciliation, sco_share, trade_with_members
from .bundled import FLOWS, load_official_aggregates, load_trade

__all__ = ["FLOWS", "load_trade", "load_official_aggregates", "trade_with_members", "sco_share",
           "partner_ranking", "mirror_pair", "reconciliation"]
