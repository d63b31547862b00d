"""The bundled trade table and its reconciliation with official aggregates (the online loaders: test_remote.py)."""

import importlib.util

import pandas as pd
import pytest

import sco_research as sco
from conftest import PROJECT, edit_csv
from sco_research.analysis.trade import (
    member_partners,
    mirror_pair,
    partner_ranking,
    reconciliation,
    reproduce_aggregate,
    sco_share,
    sco_shares,
    trade_with_members,
)
from sco_research.data import load_official_aggregates, load_trade

RAW = PROJECT.parent / "shared" / "raw" / "imf_dots_2022"


# --- the bundled table -------------------------------------------------------------------------

def test_every_reporter_and_partner_is_an_sco_state_or_the_world():
    trade = load_trade()
    states = set(sco.load_states()["iso3"])
    assert set(trade["reporter_iso3"]) == states
    assert set(trade["partner_iso3"]) == states | {"WLD"}
    # A state trading with itself or a negative value is refused as the table is read (test_bad_input.py).


def test_imf_years_and_customs_years_never_overlap():
    trade = load_trade()
    dots = trade[trade["source_id"] == "imf_dots_2022"]
    assert (int(dots["year"].min()), int(dots["year"].max())) == (2001, 2020)
    assert (trade.loc[trade["source_id"] != "imf_dots_2022", "year"] > 2020).all()


def test_iran_exports_by_partner_are_imf_estimates_and_china_rows_are_not():
    trade = load_trade(reporters=["IRN", "CHN"], years=list(range(2001, 2021)))
    iran_exports = trade[(trade["reporter_iso3"] == "IRN") & (trade["flow"] == "export")]
    assert iran_exports.loc[iran_exports["partner_iso3"] != "WLD", "is_estimate"].all()
    assert not iran_exports.loc[iran_exports["partner_iso3"] == "WLD", "is_estimate"].any()
    assert not trade.loc[trade["reporter_iso3"] == "CHN", "is_estimate"].any()


def test_the_kazakhstan_russia_2010_break_is_flagged():
    rows = load_trade(reporters="KAZ", partners="RUS", years=[2009, 2010, 2011])
    flagged = rows[rows["note"].str.contains("Customs Union")]
    assert sorted(flagged["year"].unique()) == [2010]
    totals = rows.groupby("year")["value_usd"].sum()
    assert totals[2010] < min(totals[2009], 0.5 * totals[2011])


@pytest.mark.parametrize("kwargs, message", [
    ({"reporters": ["XXX"]}, r"invalid reporters='XXX': expected ISO3 codes from states.csv: AFG, ARE"),
    ({"partners": "CHN1"}, r"invalid partners='CHN1': expected ISO3 codes from states.csv or 'WLD'"),
    ({"years": [2000]}, r"invalid years=2000: expected integer years from 2001 to 2024"),
    ({"flows": ["re-export"]}, r"invalid flows='re-export': expected one of 'export', 'import'"),
    ({"source": "wto"}, r"invalid source='wto': expected one of 'bundled', 'national', 'combined', 'imf', 'comtrade'"),
])
def test_load_trade_rejects_bad_parameters(kwargs, message):
    with pytest.raises(sco.ParameterError, match=message):
        load_trade(**kwargs)


def test_a_corrupt_trade_row_names_file_line_and_column(data_copy):
    edit_csv(data_copy / "trade" / "bilateral_goods_trade.csv", "AFG,ARE,export,2001,2762004,FOB",
             "AFG,ARE,export,2001,2762004,CIF")
    with pytest.raises(sco.DataValidationError,
                       match=r"trade/bilateral_goods_trade.csv, line 2, column 'valuation': export values must be FOB"):
        load_trade()


def test_a_dangling_trade_source_is_caught(data_copy):
    edit_csv(data_copy / "trade" / "bilateral_goods_trade.csv", "bne_2025_russia_china_trade", "bne_2099")
    with pytest.raises(sco.DataValidationError, match=r"source_id 'bne_2099' is not in sources.csv"):
        load_trade()


@pytest.mark.skipif(not RAW.exists(), reason="the IMF DOTS workbooks in ../shared/raw/imf_dots_2022 are not on this machine")
@pytest.mark.skipif(importlib.util.find_spec("openpyxl") is None, reason="openpyxl (dev extra) is not installed")
def test_values_equal_the_workbook_cells_they_came_from():
    import openpyxl

    spec = importlib.util.spec_from_file_location("build_trade", PROJECT / "scripts" / "build_trade.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    files = build.reporter_files(RAW)
    trade = load_trade().set_index(["reporter_iso3", "partner_iso3", "flow", "year"])
    checked = 0
    for reporter in ("CHN", "KAZ", "IRN", "UZB"):
        book = openpyxl.load_workbook(files[reporter], read_only=True)
        for sheet in book.worksheets:
            flow = "export" if sheet.title.startswith("Exports") else "import"
            rows = list(sheet.iter_rows(values_only=True))
            header = [str(c).strip() if c is not None else None for c in rows[6]]
            for line in rows[7:]:
                partner = build.IMF_NAMES.get(str(line[1]).strip()) if line[1] else None
                if partner not in ("RUS", "CHN", "IND", "WLD") or partner == reporter:
                    continue
                for year in (2001, 2010, 2020):
                    cell = line[header.index(str(year))]
                    expected = build.parse_cell(cell)
                    if expected is None:
                        assert (reporter, partner, flow, year) not in trade.index
                        continue
                    row = trade.loc[(reporter, partner, flow, year)]
                    assert (int(row["value_usd"]), bool(row["is_estimate"])) == expected, (reporter, partner, flow, year, cell)
                    checked += 1
        book.close()
    assert checked > 60


# --- official aggregates and reconciliation ---------------------------------------------------

AGGREGATES = load_official_aggregates()


@pytest.mark.parametrize("aggregate_id", AGGREGATES.loc[AGGREGATES["reconcile_tolerance_pct"].notna(), "aggregate_id"])
def test_official_aggregate_is_reproduced_within_its_tolerance(aggregate_id):
    row = AGGREGATES.set_index("aggregate_id").loc[aggregate_id]
    ours, why, sources = reproduce_aggregate(row)
    assert ours is not None, why
    assert sources and set(sources.split("; ")) <= set(load_trade(reporters=row["reporter_iso3"])["source_id"])
    gap = 100 * abs(ours - row["value_usd"]) / row["value_usd"]
    assert gap <= row["reconcile_tolerance_pct"], f"{aggregate_id}: ours {ours / 1e9:.3f} bn, official {row['value_usd'] / 1e9:.3f} bn"


def test_aggregates_that_cannot_be_reproduced_say_why():
    silent = AGGREGATES[AGGREGATES["reconcile_tolerance_pct"].isna() & ~AGGREGATES["note"].str.contains("Not reproducible")]
    assert silent.empty, silent["aggregate_id"].tolist()
    table = reconciliation().set_index("aggregate_id")
    unclaimed = AGGREGATES.loc[AGGREGATES["reconcile_tolerance_pct"].isna(), "aggregate_id"]
    assert table.loc[unclaimed, "status"].str.startswith("cannot reproduce").all()
    assert table.loc[table["status"].str.startswith("within"), "computed_bn"].notna().all()
    assert not table["status"].str.startswith("OUTSIDE").any()


def test_the_rows_the_trade_report_charts_reproduce_the_national_offices_figures():
    """The trade page's table recomputes from the rows its charts draw (the national statistics after 2020), so
    its figures and its charts agree; the bundled table alone cannot reproduce these three."""
    bilateral = ["kaz_chn_2022_kaz", "kgz_kaz_2022_nsc", "kgz_kaz_2023_nsc"]
    everything = reconciliation().set_index("aggregate_id")
    assert everything.loc[bilateral, "status"].str.startswith("cannot reproduce: no export and import rows").all()
    combined = reconciliation(source="combined").set_index("aggregate_id")
    national = load_trade("national")
    for aggregate_id in bilateral:
        row = AGGREGATES.set_index("aggregate_id").loc[aggregate_id]
        pair = national[(national["reporter_iso3"] == row["reporter_iso3"])
                        & (national["partner_iso3"] == row["counterpart"]) & (national["year"] == row["year"])]
        assert len(pair) == 2
        assert combined.loc[aggregate_id, "computed_bn"] == round(pair["value_usd"].sum() / 1e9, 2)
        assert combined.loc[aggregate_id, "computed_from"] == pair["source_id"].iloc[0]
        assert abs(combined.loc[aggregate_id, "gap_pct"]) < 1 and combined.loc[aggregate_id, "status"] == "no tolerance set"
    # Figures the bundled rows reproduce come out the same from the combined rows (the national rows only fill gaps).
    reproduced = everything.index[everything["computed_bn"].notna()]
    assert len(reproduced) >= 5
    assert combined.loc[reproduced, "computed_bn"].tolist() == everything.loc[reproduced, "computed_bn"].tolist()
    with pytest.raises(sco.ParameterError, match=r"invalid source='imf'"):
        reconciliation("KAZ", source="imf")


def test_historical_and_current_bases_give_the_two_published_2001_figures():
    historical = trade_with_members("CHN", [2001], "historical").iloc[0]
    as_of_2021 = trade_with_members("CHN", [2001], "2021-01-01").iloc[0]
    assert historical["partners"] == 5 and as_of_2021["partners"] == 7
    assert round(historical["value_usd"] / 1e9, 2) == 12.15  # CGTN, members of 2001
    assert round(as_of_2021["value_usd"] / 1e9, 2) == 17.05  # GAC index 17.14, with India and Pakistan


def test_member_partners_follow_the_membership_table():
    assert member_partners("CHN", 2016) == ["KAZ", "KGZ", "RUS", "TJK", "UZB"]
    assert member_partners("CHN", 2017) == ["IND", "KAZ", "KGZ", "PAK", "RUS", "TJK", "UZB"]
    assert "BLR" in member_partners("KAZ", 2024) and "IRN" in member_partners("KAZ", 2023)
    with pytest.raises(sco.ParameterError, match=r"invalid membership='recent'"):
        member_partners("CHN", 2020, "recent")


def test_missing_partners_are_reported_not_silently_dropped():
    row = trade_with_members("CHN", [2024]).iloc[0]
    assert "IND:export" in row["missing"] and "RUS" not in row["missing"]


def test_sco_share_uses_the_reporters_own_world_total():
    share = sco_share("CHN", [2001, 2020]).set_index("year")
    world = load_trade(reporters="CHN", partners="WLD", years=[2020])["value_usd"].sum()
    assert share.loc[2020, "world_usd"] == world
    assert 0.02 < share.loc[2001, "share"] < share.loc[2020, "share"] < 0.1
    assert 2024 not in share.index  # no world total recorded for 2024


def test_a_trade_frame_with_a_row_twice_is_refused_naming_the_row():
    trade = load_trade(reporters="KAZ", years=[2020])
    twice = trade[(trade["partner_iso3"] == "CHN") & (trade["flow"] == "export")]
    doubled = pd.concat([trade, twice], ignore_index=True)
    for call in (lambda: sco_share("KAZ", [2020], trade=doubled), lambda: sco_shares(["KAZ"], trade=doubled),
                 lambda: trade_with_members("KAZ", [2020], trade=doubled)):
        with pytest.raises(sco.ParameterError, match=r"invalid trade='two rows for KAZ -> CHN, export, 2020': "
                                                     r"expected one row per reporter, partner, flow and year"):
            call()


def test_mirror_statistics_keep_each_sides_own_figures():
    mirror = mirror_pair("KAZ", "CHN", [2020]).iloc[0]
    kaz = load_trade(reporters="KAZ", partners="CHN", years=[2020])["value_usd"].sum()
    chn = load_trade(reporters="CHN", partners="KAZ", years=[2020])["value_usd"].sum()
    assert (mirror["reported_by_a"], mirror["reported_by_b"]) == (kaz, chn)
    assert mirror["gap_pct"] < -20  # Kazakhstan records far less trade with China than China does


def test_partner_ranking_orders_by_value():
    ranking = partner_ranking("CHN", 2020, ["RUS", "IND", "KAZ"])
    assert ranking["partner_iso3"].tolist() == ["RUS", "IND", "KAZ"]
    assert ranking["value_usd"].is_monotonic_decreasing


def test_the_default_matrix_year_is_the_latest_in_which_every_member_has_a_record():
    from sco_research.analysis.trade import latest_matrix_year, trade_matrix

    for membership in ("historical", "current"):
        year = latest_matrix_year(2024, membership)
        assert trade_matrix(year, membership).notna().any(axis=1).all()
        for later in range(year + 1, 2025):  # the customs-release years have a few pairs only
            assert not trade_matrix(later, membership).notna().any(axis=1).all(), later
    assert latest_matrix_year(2009) == 2009
