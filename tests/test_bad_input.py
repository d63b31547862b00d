"""Every kind of malformed data file is refused with file, line and column; accepted conventions parse the same."""

import pandas as pd
import pytest

import sco_research as sco
from conftest import edit_csv
from sco_research.data import load_table, validate


def _problems():
    return [str(p) for p in validate()]


def _refused(pattern: str) -> None:
    """The fault is reported by validate() and stops every loader, with no raw traceback."""
    import re

    problems = _problems()
    assert any(re.search(pattern, p) for p in problems), problems
    with pytest.raises(sco.DataValidationError):
        sco.load_memberships()


FAULTS = {
    # name: (file, old text, new text, expected message)
    "non-ISO date": ("memberships.csv", "IND,member,2017-06-09", "IND,member,2017-6-9",
                     r"memberships\.csv, line \d+, column 'start_date': value '2017-6-9' is not a date in YYYY-MM-DD form"),
    "date after today": ("summits.csv", "2025-08-31,2025-09-01", "2025-08-31,2099-09-01",
                         r"summits\.csv, line 26, column 'end_date': value '2099-09-01' is after \d{4}-\d\d-\d\d \(today\)"),
    "member before the SCO": ("memberships.csv", "CHN,member,2001-06-15", "CHN,member,1996-06-15",
                              r"memberships\.csv, line \d+, column 'start_date': a member spell cannot start on 1996-06-15"),
    "date before the precursor": ("memberships.csv", "CHN,member,2001-06-15", "CHN,member,1990-06-15",
                                  r"memberships\.csv, line \d+, column 'start_date': value '1990-06-15' is before 1996-04-26"),
    "observer before the SCO": ("memberships.csv", "MNG,observer,2004-06-17", "MNG,observer,1999-06-17",
                                r"memberships\.csv, line \d+, column 'start_date': an observer spell cannot start on "
                                r"1999-06-17, before the SCO was founded on 2001-06-15"),
    "precursor before 1996": ("memberships.csv", "CHN,shanghai_five,1996-04-26", "CHN,shanghai_five,1996-04-25",
                              r"memberships\.csv, line \d+, column 'start_date': value '1996-04-25' is before 1996-04-26"),
    "precursor past the founding": ("memberships.csv", "KAZ,shanghai_five,1996-04-26,2001-06-15",
                                    "KAZ,shanghai_five,1996-04-26,2001-06-16",
                                    r"memberships\.csv, line \d+, column 'end_date': a shanghai_five spell must end by "
                                    r"2001-06-15, when the SCO was proclaimed \(end 2001-06-16\)"),
    "precursor left open": ("memberships.csv", "RUS,shanghai_five,1996-04-26,2001-06-15,",
                            "RUS,shanghai_five,1996-04-26,,",
                            r"memberships\.csv, line \d+, column 'end_date': a shanghai_five spell must end by "
                            r"2001-06-15, when the SCO was proclaimed \(no end\)"),
    "precursor after the founding": ("memberships.csv", "LAO,partner,2025-09-01,,chs_decision",
                                     "LAO,shanghai_five,2025-09-01,,shanghai_agreement",
                                     r"memberships\.csv, line \d+, column 'end_date': a shanghai_five spell must end by "
                                     r"2001-06-15"),
    "precursor basis on an SCO spell": ("memberships.csv", "IND,member,2017-06-09,,chs_decision",
                                        "IND,member,2017-06-09,,shanghai_agreement",
                                        r"memberships\.csv, line \d+, column 'date_basis': shanghai_agreement dates "
                                        r"shanghai_five spells, not a member spell"),
    "SCO basis on a precursor spell": ("memberships.csv", "UZB,shanghai_five,2001-06-14,2001-06-15,shanghai_five_statement",
                                       "UZB,shanghai_five,2001-06-14,2001-06-15,chs_decision",
                                       r"memberships\.csv, line \d+, column 'date_basis': a shanghai_five spell is dated "
                                       r"by shanghai_agreement or shanghai_five_statement, not chs_decision"),
    "negative trade value": ("trade/bilateral_goods_trade.csv", "AFG,ARE,export,2001,2762004", "AFG,ARE,export,2001,-2762004",
                             r"bilateral_goods_trade\.csv, line 2, column 'value_usd': value -2762004 must be at least 0"),
    "trade with itself": ("trade/bilateral_goods_trade.csv", "AFG,ARE,export,2001,2762004", "AFG,AFG,export,2001,2762004",
                          r"bilateral_goods_trade\.csv, line 2, column 'partner_iso3': a reporter cannot trade with itself"),
    "non-numeric trade value": ("trade/bilateral_goods_trade.csv", "AFG,ARE,export,2001,2762004", "AFG,ARE,export,2001,27x2004",
                                r"bilateral_goods_trade\.csv, line 2, column 'value_usd': value '27x2004' is not a whole number"),
    "duplicate population row": ("population.csv", "ABW,2002,92074", "ABW,2001,92074",
                                 r"population\.csv, line 3, column 'iso3': duplicate row \(iso3='ABW', year=2001\)"),
    "duplicate trade key": ("trade/customs_rows.csv", "CHN,IND,import,2021", "CHN,IND,export,2021",
                            r"customs_rows\.csv, line 3, column 'reporter_iso3': duplicate row"),
    "repeated column": ("states.csv", "iso3,iso_numeric,name_en", "iso3,iso3,name_en",
                        r"states\.csv, line 1, column 'iso3': column name repeated"),
    "extra column": ("cities.csv", "geonames_id,name_en", "geonames_id,extra,name_en",
                     r"cities\.csv, line 1, column 'name_ru': required column missing|cities\.csv, line 1, column 'extra'"),
    "bad flag": ("chairmanships.csv", "RUS,2001-06-15,2002-06-07,1,true", "RUS,2001-06-15,2002-06-07,1,yes",
                 r"chairmanships\.csv, line 2, column 'is_inferred': value 'yes' must be 'true' or 'false'"),
    "claim metric unknown": ("claims.csv", ",member_count,", ",member_cnt,",
                             r"claims\.csv, line \d+, column 'metric': unknown metric 'member_cnt'"),
}


@pytest.mark.parametrize("case", sorted(FAULTS))
def test_fault_is_refused_naming_file_line_and_column(case, data_copy):
    file, old, new, message = FAULTS[case]
    edit_csv(data_copy / file, old, new)
    _refused(message)


def test_row_with_missing_fields(data_copy):
    with open(data_copy / "states.csv", "a", encoding="utf-8") as f:
        f.write("JPN,392,Japan\n")
    _refused(r"states\.csv, line 29: the row has fewer fields than the header's 6")


def test_empty_file(data_copy):
    (data_copy / "summits.csv").write_bytes(b"")
    _refused(r"summits\.csv: the file is empty")


def test_header_only(data_copy):
    path = data_copy / "cities.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    _refused(r"cities\.csv: the file has a header but no data rows")


def test_wrong_encoding_names_the_line(data_copy):
    path = data_copy / "states.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1251", errors="replace"))
    _refused(r"states\.csv, line \d+: byte 0x[0-9a-f]{2} is not UTF-8 text")


def test_trade_table_cut_short(data_copy):
    path = data_copy / "trade" / "bilateral_goods_trade.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
    _refused(r"bilateral_goods_trade\.csv, column 'reporter_iso3': no imf_dots_2022 row for \w{3}'s \w+s to the world")


def test_corrupt_geometry_file(data_copy):
    path = data_copy / "geometries" / "countries_50m.parquet"
    path.write_bytes(path.read_bytes()[:5000])
    _refused(r"geometries/countries_50m\.parquet: cannot be read as Parquet")


def test_blank_line_inside_a_table(data_copy):
    path = data_copy / "secretaries_general.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:3] + ["\n"] + lines[3:]), encoding="utf-8")
    _refused(r"secretaries_general\.csv, line 4: empty line")


def test_line_numbers_count_a_quoted_line_break(data_copy):
    path = data_copy / "summits.csv"
    text = path.read_text(encoding="utf-8")
    # A note with a line break in the first data row moves every later row down one physical line.
    first_note = "The Shanghai Five met on 14-15 June 2001; the first SCO summit of the six founders was on 15 June."
    assert first_note in text
    edit_csv(path, first_note, '"The Shanghai Five met\non 14-15 June 2001; the first SCO summit of the six founders was on 15 June."')
    assert text != path.read_text(encoding="utf-8")
    edit_csv(path, "Tianjin,CHN,1792947", "Tientsin,CHN,1792947")
    _refused(r"summits\.csv, line 27, column 'city': 'Tientsin'")


def test_validate_reports_every_problem(data_copy):
    edit_csv(data_copy / "memberships.csv", "IND,member,2017-06-09", "IND,member,2017-6-9")
    edit_csv(data_copy / "cities.csv", "1792947,Tianjin", "1792947x,Tianjin")
    problems = _problems()
    assert any("memberships.csv" in p for p in problems) and any("cities.csv" in p for p in problems)
    with pytest.raises(sco.DataValidationError, match=r"and \d+ more problems?: run `sco-research validate`"):
        sco.load_states()


@pytest.mark.parametrize("convention", ["bom", "crlf", "spaces"])
def test_accepted_conventions_parse_to_identical_frames(convention, data_copy):
    path = data_copy / "memberships.csv"
    expected = load_table("memberships")
    text = path.read_text(encoding="utf-8")
    if convention == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    elif convention == "crlf":
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    else:
        edit_csv(path, "AFG,observer,2012-06-07", "AFG , observer ,2012-06-07")
    assert validate() == []
    pd.testing.assert_frame_equal(load_table("memberships"), expected)


def test_an_edit_is_seen_in_the_same_process(data_copy):
    before = sco.load_trade(reporters="AFG", partners="ARE", years=2001, flows="export")["value_usd"].iloc[0]
    edit_csv(data_copy / "trade" / "bilateral_goods_trade.csv", "AFG,ARE,export,2001,2762004", "AFG,ARE,export,2001,2762005")
    after = sco.load_trade(reporters="AFG", partners="ARE", years=2001, flows="export")["value_usd"].iloc[0]
    assert (before, after) == (2762004, 2762005)


def test_coverage_guards_events_after_the_checked_day(data_copy):
    edit_csv(data_copy / "coverage.csv", "\n2026-09-04,", "\n2025-08-01,")
    _refused(r"summits\.csv, line 26, column 'start_date': 2025-08-31 is after the day events were checked through "
             r"\(2025-08-01, coverage\.csv\)")


def test_stale_data_warning_follows_the_announced_year_without_a_month():
    from sco_research.data import stale_warning

    assert stale_warning("2026-11-28") is None
    assert stale_warning("2028-01-30") is None  # the 27th summit: 2027, no month given, so December plus 30 days
    assert "summit No. 27 (Islamabad) was due by December 2027" in stale_warning("2028-01-31")
    assert "events were checked through 4 September 2026" in stale_warning("2028-01-31")


def test_stale_data_warning_follows_the_announced_month(data_copy):
    from sco_research.data import stale_warning

    edit_csv(data_copy / "coverage.csv", ",2027,,", ",2027,8,")  # an announced month: August
    assert stale_warning("2027-09-30") is None  # August plus 30 days
    assert "summit No. 27 (Islamabad) was due by August 2027" in stale_warning("2027-10-01")
