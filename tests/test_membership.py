import datetime as dt

import pandas as pd
import pytest

import sco_research as sco


def test_india_and_pakistan_join_on_2017_06_09():
    before, after = sco.members(on="2017-06-08"), sco.members(on="2017-06-09")
    assert len(before) == 6 and len(after) == 8
    assert set(after) - set(before) == {"IND", "PAK"}
    observers_before = sco.status_on("2017-06-08").query("status == 'observer'")["iso3"].tolist()
    assert {"IND", "PAK"} <= set(observers_before)


def test_belarus_is_the_tenth_member_from_2024_07_04():
    assert "BLR" not in sco.members(on="2024-07-03")
    on_day = sco.members(on="2024-07-04")
    assert len(on_day) == 10 and "BLR" in on_day


def test_iran_member_from_the_new_delhi_meeting():
    assert "IRN" not in sco.members(on="2023-07-03")
    assert "IRN" in sco.members(on="2023-07-04")


def test_tianjin_merge_leaves_only_members_and_partners():
    before = sco.status_on("2025-08-31")["status"].astype(str)
    after = sco.status_on("2025-09-01")["status"].astype(str)
    assert set(before) == {"member", "observer", "dialogue_partner"}
    assert set(after) == {"member", "partner"}
    assert "LAO" in sco.status_on("2025-09-01")["iso3"].tolist()
    assert "LAO" not in sco.status_on("2025-08-31")["iso3"].tolist()


def test_counts_match_the_published_figures():
    # Seed article (before Astana 2024): nine members, three observers, 14 dialogue partners.
    # TASS, 1 Sep 2025: before Tianjin 10 members, two observers, 14 dialogue partners; after it 17 partners.
    def count(day):
        return sco.status_on(day)["status"].astype(str).value_counts().to_dict()

    assert count("2024-07-03") == {"member": 9, "observer": 3, "dialogue_partner": 14}
    assert count("2025-08-31") == {"member": 10, "observer": 2, "dialogue_partner": 14}
    assert count("2025-09-01") == {"member": 10, "partner": 17}


def test_nothing_before_the_founding():
    assert sco.status_on("2001-06-14").empty
    assert sco.members(on="2001-06-15") == ["CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"]


@pytest.mark.parametrize("day", ["2017-06-09", dt.date(2017, 6, 9), pd.Timestamp("2017-06-09"), dt.datetime(2017, 6, 9, 15, 30)])
def test_accepted_date_types_agree(day):
    assert sco.members(on=day) == sco.members(on="2017-06-09")


@pytest.mark.parametrize("bad", ["2017-13-01", "09/06/2017", "2017-06", "", None, 20170609, pd.NaT])
def test_bad_dates_raise_value_error_naming_the_value(bad):
    with pytest.raises(ValueError, match=r"invalid date=.*expected an ISO date"):
        sco.status_on(bad)


def test_status_on_dtypes_and_order():
    frame = sco.status_on("2025-09-01")
    assert str(frame["iso3"].dtype) == "string"
    assert list(frame["status"].cat.categories) == list(sco.STATUSES)
    assert frame["status"].is_monotonic_increasing


def test_status_panel_one_row_per_state_and_year():
    panel = sco.status_panel(2001, 2025)
    n_states = len(sco.load_states())
    assert len(panel) == n_states * 25
    assert not panel.duplicated(["iso3", "year"]).any()
    ind = panel.query("iso3 == 'IND'").set_index("year")["status"].astype(str)
    assert ind[2004] == "none" and ind[2005] == "observer" and ind[2016] == "observer" and ind[2017] == "member"


def test_status_panel_reference_day_matters():
    start = sco.status_panel(2017, 2017, reference="year_start").set_index("iso3")["status"]
    end = sco.status_panel(2017, 2017, reference="year_end").set_index("iso3")["status"]
    assert (start["IND"], end["IND"]) == ("observer", "member")


@pytest.mark.parametrize("args, name", [((2020, 2019), "end_year"), ((2001.5, 2003), "start_year"),
                                        (("2001", 2003), "start_year"), ((2001, 2003, "december"), "reference")])
def test_status_panel_rejects_bad_arguments(args, name):
    with pytest.raises(ValueError, match=f"invalid {name}="):
        sco.status_panel(*args)


def test_status_counts_steps_follow_the_spells():
    counts = sco.status_counts()
    assert counts.index.is_monotonic_increasing
    assert (counts["total"] == counts[list(sco.STATUSES)].sum(axis=1)).all()
    assert counts.loc["2017-06-09", "member"] == 8 and counts.loc["2015-07-10", "member"] == 6


def test_chair_and_latest_summit():
    assert sco.chair_on("2024-01-01")["chair_iso3"] == "KAZ"
    assert sco.chair_on("2024-07-04")["chair_iso3"] == "CHN"
    assert sco.chair_on("2025-09-01")["chair_iso3"] == "KGZ"
    assert sco.chair_on("2001-06-14") is None
    assert int(sco.latest_summit("2024-12-31")["number"]) == 24
    assert sco.latest_summit("2001-06-14") is None


def test_answers_follow_an_edited_memberships_table_in_the_same_process(data_copy):
    from conftest import edit_csv

    assert "IND" in sco.members(on="2020-01-01")  # answered (and kept) from the bundled table
    edit_csv(data_copy / "memberships.csv", "IND,member,2017-06-09,", "IND,member,2021-06-09,")
    edit_csv(data_copy / "memberships.csv", "IND,observer,2005-07-05,2017-06-09,", "IND,observer,2005-07-05,2021-06-09,")
    assert "IND" not in sco.members(on="2020-01-01")
    assert sco.status_on("2020-01-01").set_index("iso3").loc["IND", "status"] == "observer"
    assert "IND" in sco.members(on="2021-06-09")
