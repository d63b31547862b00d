"""Vocabularies of the data files: the one place that names the allowed values.

This module imports nothing from the package, so every layer can use it.

Dates in the tables are ``datetime64[s]`` days (no time, no time zone); spells
are half-open intervals ``[start_date, end_date)`` and an empty end means
ongoing.
"""

from __future__ import annotations

import pandas as pd

#: SCO statuses in display order (also the order of categorical columns).
STATUSES: tuple[str, ...] = ("member", "observer", "dialogue_partner", "partner")

#: Human-readable labels for :data:`STATUSES`.
STATUS_LABELS: dict[str, str] = {
    "member": "Member state",
    "observer": "Observer state",
    "dialogue_partner": "Dialogue partner",
    "partner": "SCO partner",
}

#: Day the SCO was founded (Declaration on the Establishment of the SCO).
FOUNDING_DATE = pd.Timestamp("2001-06-15")

#: Day of the Shanghai agreement of the "Shanghai Five", the SCO's precursor: the earliest day in the data.
PRECURSOR_DATE = pd.Timestamp("1996-04-26")

#: How a membership spell's ``start_date`` is dated.
DATE_BASES: tuple[str, ...] = ("founding_declaration", "chs_decision", "chs_decision_memorandum_later",
                               "chs_status_merge")
#: Summit formats.
FORMATS: tuple[str, ...] = ("in-person", "virtual", "hybrid")
#: Precision of a Secretary-General's start or end date.
PRECISIONS: tuple[str, ...] = ("day", "year")

#: Trade flows, as seen from the reporter, and their valuation.
FLOWS: tuple[str, ...] = ("export", "import")
VALUATIONS: dict[str, str] = {"export": "FOB", "import": "CIF"}
#: Partner code of a reporter's trade with the world.
WORLD = "WLD"
#: Columns of every trade table (bundled, customs rows, national rows, online sources).
TRADE_COLUMNS: tuple[str, ...] = ("reporter_iso3", "partner_iso3", "flow", "year", "value_usd", "valuation",
                                  "is_estimate", "source_id", "note")
