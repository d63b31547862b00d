import datetime as dt
import re

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
    with pytest.raises(sco.ParameterError, match=re.escape(f"invalid date={bad!r}: expected an ISO date")):
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
    assert sco.chair_on("2026-08-31")["chair_iso3"] == "KGZ"
    assert sco.chair_on("2001-06-14") is None
    assert int(sco.latest_summit("2024-12-31")["number"]) == 24
    assert sco.latest_summit("2026-08-31")["city"] == "Tianjin"
    assert sco.latest_summit("2001-06-14") is None


def test_the_bishkek_summit_ends_the_kyrgyz_chairmanship_and_the_next_is_inferred():
    """The 26th Council of Heads of State meeting (People's Daily, 2 September 2026); the chair after it is
    inferred from the announced host of the 27th (Pakistan, 2027), so it is flagged and cites that announcement."""
    summit = sco.latest_summit("2026-11-28")
    assert (int(summit["number"]), summit["city"], summit["host_iso3"], str(summit["start_date"].date()),
            summit["format"], summit["source_id"]) == (26, "Bishkek", "KGZ", "2026-09-01", "in-person",
                                                       "people_2026_bishkek_chs")
    chair = sco.chair_on("2026-09-01")
    assert (chair["chair_iso3"], bool(chair["is_inferred"]), int(chair["start_summit"])) == ("PAK", True, 26)
    assert "Inferred" in chair["note"] and chair["source_id"] == "telegraphindia_2025_pak_2027"
    coverage = sco.data.coverage()
    assert (int(coverage["next_summit_number"]), coverage["next_summit_host_iso3"], int(coverage["next_summit_year"]),
            pd.isna(coverage["next_summit_month"])) == (27, "PAK", 2027, True)


def test_answers_follow_an_edited_memberships_table_in_the_same_process(data_copy):
    from conftest import edit_csv

    assert "IND" in sco.members(on="2020-01-01")  # answered (and kept) from the bundled table
    edit_csv(data_copy / "memberships.csv", "IND,member,2017-06-09,", "IND,member,2021-06-09,")
    edit_csv(data_copy / "memberships.csv", "IND,observer,2005-07-05,2017-06-09,", "IND,observer,2005-07-05,2021-06-09,")
    assert "IND" not in sco.members(on="2020-01-01")
    assert sco.status_on("2020-01-01").set_index("iso3").loc["IND", "status"] == "observer"
    assert "IND" in sco.members(on="2021-06-09")


# The Shanghai Five, the SCO's precursor: recorded, shown on request, never counted.
FIVE = ["CHN", "KAZ", "KGZ", "RUS", "TJK"]
DAY = pd.Timedelta(days=1)


def _without_precursor():
    m = sco.load_memberships()
    return m[m["status"] != "shanghai_five"].reset_index(drop=True)


def test_status_on_lists_the_shanghai_five_only_on_request():
    assert sco.status_on("1998-01-01").empty
    five = sco.status_on("1998-01-01", include_precursor=True)
    assert five["iso3"].tolist() == FIVE
    assert five["status"].astype(str).tolist() == ["shanghai_five"] * 5
    assert list(five["status"].cat.categories) == [*sco.STATUSES, "shanghai_five"]
    assert sco.status_on("1996-04-25", include_precursor=True).empty
    assert sco.status_on("1996-04-26", include_precursor=True)["iso3"].tolist() == FIVE
    assert sco.status_on("2001-06-13", include_precursor=True)["iso3"].tolist() == FIVE
    assert sco.status_on("2001-06-14", include_precursor=True)["iso3"].tolist() == [*FIVE, "UZB"]
    # Every precursor spell ends when the SCO begins: on the founding day the six are members only.
    founding = sco.status_on("2001-06-15", include_precursor=True)
    assert founding["iso3"].tolist() == [*FIVE, "UZB"]
    assert set(founding["status"].astype(str)) == {"member"}


def test_including_the_precursor_changes_nothing_after_the_founding():
    for day in sco.change_dates():
        with_five = sco.status_on(day, include_precursor=True)
        plain = sco.status_on(day)
        assert with_five["iso3"].tolist() == plain["iso3"].tolist()
        assert with_five["status"].astype(str).tolist() == plain["status"].astype(str).tolist()


@pytest.mark.parametrize("day", ["1996-04-26", "1998-01-01", "2001-06-14"])
def test_members_are_empty_on_precursor_days(day):
    assert sco.members(on=day) == []


def test_members_counts_and_change_dates_ignore_the_precursor_on_every_day():
    sco_only = _without_precursor()
    days = sorted({d + k * DAY for d in sco.change_dates(include_precursor=True) for k in (-1, 0, 1)})
    assert days[0] < pd.Timestamp("1996-04-26") and pd.Timestamp("2001-06-14") in days
    for day in days:
        assert sco.members(on=day) == sco.members(on=day, memberships=sco_only), day
        plain = sco.status_on(day)
        assert "shanghai_five" not in plain["status"].astype(str).tolist(), day
        assert list(plain["status"].cat.categories) == list(sco.STATUSES)
    assert sco.change_dates() == sco.change_dates(memberships=sco_only)
    assert sco.change_dates()[0] == sco.FOUNDING_DATE
    counts = sco.status_counts()
    assert list(counts.columns) == [*sco.STATUSES, "total"]
    assert counts.index.min() == sco.FOUNDING_DATE
    pd.testing.assert_frame_equal(counts, sco.status_counts(memberships=sco_only))


def test_area_shares_ignore_the_precursor():
    assert sco.area_share("1998-01-01", ("member",)) == 0.0
    assert sco.area_share("1998-01-01", sco.STATUSES, "world") == 0.0
    with pytest.raises(ValueError, match=r"invalid statuses='shanghai_five'"):
        sco.area_share("1998-01-01", ("shanghai_five",))


def test_change_dates_on_request_start_with_the_shanghai_agreement():
    days = sco.change_dates(include_precursor=True)
    assert days[:3] == [pd.Timestamp("1996-04-26"), pd.Timestamp("2001-06-14"), sco.FOUNDING_DATE]
    assert days[3:] == sco.change_dates()[1:]


def test_default_panel_is_unchanged_by_the_precursor_rows():
    panel = sco.status_panel(1996, 2025)
    pd.testing.assert_frame_equal(panel, sco.status_panel(1996, 2025, memberships=_without_precursor()))
    assert (panel.loc[panel["year"] < 2001, "status"].astype(str) == "none").all()
    assert list(panel["status"].cat.categories) == [*sco.STATUSES, "none"]


def test_cow_panel_counts_the_shanghai_five_as_members_and_records_no_other_status():
    cow = sco.status_panel(1996, 2025, convention="cow")
    default = sco.status_panel(1996, 2025)
    assert cow[["iso3", "year"]].equals(default[["iso3", "year"]])
    assert list(cow["status"].cat.categories) == [*sco.STATUSES, "none"]
    assert set(cow["status"].astype(str)) == {"member", "none"}
    held = cow[cow["status"] == "member"].groupby("year")["iso3"].apply(sorted)
    for year in range(1996, 2001):
        assert held[year] == FIVE, year
    assert held[2001] == [*FIVE, "UZB"]
    # From 2001 the members are the default panel's; observers, dialogue partners and partners are "none".
    later = default["year"] >= 2001
    expected = default.loc[later, "status"].astype(str).where(lambda s: s == "member", "none")
    assert cow.loc[later, "status"].astype(str).tolist() == expected.tolist()
    ind = cow.query("iso3 == 'IND'").set_index("year")["status"].astype(str)
    assert ind[2016] == "none" and ind[2017] == "member"


def test_cow_panel_reads_the_reference_day_too():
    start = sco.status_panel(1996, 1996, reference="year_start", convention="cow")
    assert (start["status"].astype(str) == "none").all()  # the Shanghai agreement came on 26 April
    mid = sco.status_panel(2001, 2001, reference="mid_year", convention="cow")
    assert sorted(mid.loc[mid["status"] == "member", "iso3"]) == [*FIVE, "UZB"]


@pytest.mark.parametrize("call, message", [
    (lambda: sco.status_panel(2001, 2003, convention="COW"), r"invalid convention='COW': expected one of 'sco', 'cow'"),
    (lambda: sco.status_on("1998-01-01", include_precursor="yes"), r"invalid include_precursor='yes': expected True or False"),
    (lambda: sco.change_dates(include_precursor=1), r"invalid include_precursor=1: expected True or False"),
])
def test_precursor_arguments_are_checked(call, message):
    with pytest.raises(ValueError, match=message):
        call()
