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

#: Status of the states of the "Shanghai Five", the SCO's precursor (26 April 1996 to 15 June 2001). It is
#: recorded in memberships.csv but is not an SCO status: members, counts and default maps leave it out.
PRECURSOR_STATUS = "shanghai_five"

#: Every value of the ``status`` column of memberships.csv: the SCO statuses, then the precursor.
RECORDED_STATUSES: tuple[str, ...] = (*STATUSES, PRECURSOR_STATUS)

#: Human-readable labels for :data:`RECORDED_STATUSES`.
STATUS_LABELS: dict[str, str] = {
    "member": "Member state",
    "observer": "Observer state",
    "dialogue_partner": "Dialogue partner",
    "partner": "SCO partner",
    PRECURSOR_STATUS: "Shanghai Five (precursor)",
}

#: Day the SCO was founded (Declaration on the Establishment of the SCO).
FOUNDING_DATE = pd.Timestamp("2001-06-15")

#: Day of the Shanghai agreement of the "Shanghai Five", the SCO's precursor: the earliest day in the data.
PRECURSOR_DATE = pd.Timestamp("1996-04-26")

#: How a precursor spell's ``start_date`` is dated: the five signatories of the Shanghai agreement of
#: 26 April 1996, or admission by a joint statement of the Shanghai Five's heads of state (Uzbekistan, 2001).
PRECURSOR_DATE_BASES: tuple[str, ...] = ("shanghai_agreement", "shanghai_five_statement")
#: How a membership spell's ``start_date`` is dated.
DATE_BASES: tuple[str, ...] = ("founding_declaration", "chs_decision", "chs_decision_memorandum_later",
                               "chs_status_merge", *PRECURSOR_DATE_BASES)
#: Summit formats.
FORMATS: tuple[str, ...] = ("in-person", "virtual", "hybrid")
#: Precision of a Secretary-General's start or end date.
PRECISIONS: tuple[str, ...] = ("day", "year")

#: Trade flows, as seen from the reporter, and their valuation.
FLOWS: tuple[str, ...] = ("export", "import")
VALUATIONS: dict[str, str] = {"export": "FOB", "import": "CIF"}
#: Partner code of a reporter's trade with the world.
WORLD = "WLD"
#: The IMF Direction of Trade Statistics rows of the bundled trade table: their source and their last year
#: (2001-2020); later rows are customs releases or national statistics.
DOTS_SOURCE_ID = "imf_dots_2022"
LAST_DOTS_YEAR = 2020
#: Columns of every trade table (bundled, customs rows, national rows, online sources).
TRADE_COLUMNS: tuple[str, ...] = ("reporter_iso3", "partner_iso3", "flow", "year", "value_usd", "valuation",
                                  "is_estimate", "source_id", "note")
