"""Helpers of the 01_membership_growth notebook (its parameters: test_parameters.py; its reports: test_reports.py)."""


import pandas as pd

import sco_research as sco
from sco_research.reports import growth
from sco_research.reports.parameters import GrowthParameters


def test_changes_on_the_tianjin_summit_merge_every_observer_and_dialogue_partner():
    changes = growth.changes_on("2025-09-01")
    assert set(changes["after"]) == {"partner"}
    assert set(changes["before"]) == {"observer", "dialogue_partner", "none"}
    assert changes.loc[changes["before"] == "none", "iso3"].tolist() == ["LAO"]
    assert len(changes) == len(sco.status_on("2025-09-01").query("status == 'partner'"))


def test_with_the_precursor_the_growth_story_starts_with_the_shanghai_five_in_1996():
    p = GrowthParameters(include_precursor=True)
    assert p.snapshot_days[:2] == (pd.Timestamp("1996-04-26"), pd.Timestamp("2001-06-15"))
    assert p.snapshot_days[1:] == GrowthParameters().snapshot_days
    assert growth.changes_on("1996-04-26", include_precursor=True)["after"].tolist() == ["shanghai_five"] * 5
    founding = growth.changes_on("2001-06-15", include_precursor=True)
    assert set(founding["before"]) == {"shanghai_five"} and set(founding["after"]) == {"member"} and len(founding) == 6
    assert growth.changes_on("2001-06-15")["before"].tolist() == ["none"] * 6  # without it, the founders come from none
    early = GrowthParameters(as_of="1998-01-01", include_precursor=True)
    assert early.snapshot_days == (pd.Timestamp("1996-04-26"),) and not early.animated and GrowthParameters().animated


def test_snapshot_table_counts_match_the_membership_functions():
    table = growth.snapshot_table(["2017-06-08", "2017-06-09"]).set_index("date")
    assert table["members"].tolist() == [6, 8]
    assert table.loc["2017-06-08", "member_share_eurasia"] < 60 < table.loc["2017-06-09", "member_share_eurasia"]


def test_an_as_of_report_tells_the_story_up_to_its_day():
    early = GrowthParameters(as_of="2017-06-08")
    joined = GrowthParameters(as_of="2017-06-09")
    assert [d.date().isoformat() for d in early.snapshot_days] == ["2001-06-15", "2004-06-17", "2009-06-16"]
    assert joined.snapshot_days[-1] == pd.Timestamp("2017-06-09")
    # Snapshots chosen by the reader are kept as given, even after as_of.
    chosen = GrowthParameters(as_of="2017-06-08", snapshot_dates=["2024-07-04"])
    assert chosen.snapshot_days == (pd.Timestamp("2024-07-04"),)
