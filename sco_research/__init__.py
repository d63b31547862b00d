"""sco-research: a cited dataset and helpers on the Shanghai Cooperation Organisation.

The package is layered; each layer imports only from those below it:

* :mod:`sco_research.data` reads, checks and types the data files;
* :mod:`sco_research.analysis` computes on their frames;
* :mod:`sco_research.plotting` draws, and :mod:`sco_research.figures` writes figures;
* :mod:`sco_research.reports` runs the notebooks; :mod:`sco_research.cli` is the command line.

This module re-exports the names most sessions need. Geometry functions import
geopandas on first use, so ``import sco_research`` costs little more than pandas.

Examples
--------
>>> import sco_research as sco
>>> sco.members(on="2017-06-09")
['CHN', 'IND', 'KAZ', 'KGZ', 'PAK', 'RUS', 'TJK', 'UZB']
"""

from __future__ import annotations

from .analysis.geography import area_share, membership_geodataframe
from .analysis.membership import (
    chair_on,
    change_dates,
    latest_date,
    latest_summit,
    members,
    status_counts,
    status_on,
    status_panel,
    summit_covering,
)
from .data import (
    cite,
    coverage_note,
    data_version,
    load_chairmanships,
    load_cities,
    load_claims,
    load_geometries,
    load_memberships,
    load_official_aggregates,
    load_population,
    load_secretaries_general,
    load_sources,
    load_states,
    load_summits,
    load_trade,
    validate,
)
from .data.vocab import FOUNDING_DATE, PRECURSOR_STATUS, STATUS_LABELS, STATUSES
from .errors import DataValidationError, ParameterError, SCOResearchError
from .version import __version__ as __version__

__all__ = [
    "SCOResearchError", "DataValidationError", "ParameterError", "FOUNDING_DATE", "STATUSES", "STATUS_LABELS",
    "PRECURSOR_STATUS",
    "validate", "load_sources", "load_states", "load_memberships", "load_summits", "load_cities",
    "load_chairmanships", "load_secretaries_general", "load_claims", "load_population", "load_trade",
    "load_official_aggregates", "load_geometries", "status_on", "members", "status_panel", "status_counts",
    "change_dates", "latest_date", "latest_summit", "summit_covering", "chair_on", "cite",
    "membership_geodataframe", "area_share", "data_version", "coverage_note",
]
