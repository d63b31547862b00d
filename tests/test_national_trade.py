"""The national-statistics trade table (data/trade/national_goods_trade.csv): rebuilt byte for byte from the raw
files, reconciled with Kazakhstan's (and Kyrgyzstan's) own published totals, and checked row by row.

The CSVs are read with pandas directly (not through the package's loaders).
"""

import importlib.util
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from conftest import DATA, PROJECT

RAW = PROJECT.parent / "shared" / "raw" / "national_stats_2024"
SCRIPT = PROJECT / "scripts" / "build_national_trade.py"
TABLE = DATA / "trade" / "national_goods_trade.csv"
READERS_MISSING = [name for name in ("xlrd", "openpyxl") if importlib.util.find_spec(name) is None]

needs_raw = pytest.mark.skipif(not RAW.exists(),
                               reason=f"the raw national statistics files ({RAW}) are not on this machine")
needs_readers = pytest.mark.skipif(bool(READERS_MISSING),
                                   reason=f"{', '.join(READERS_MISSING)} (dev extra) not installed")


def _read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _script():
    spec = importlib.util.spec_from_file_location("build_national_trade", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def table():
    return _read(TABLE)


# --- (a) the committed table is what the script makes --------------------------------------------------------

@needs_raw
@needs_readers
def test_the_script_reproduces_the_committed_table_byte_for_byte_twice(tmp_path):
    outputs = []
    for name in ("first.csv", "second.csv"):
        out = tmp_path / name
        result = subprocess.run([sys.executable, str(SCRIPT), "--raw", str(RAW), "--output", str(out)],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1], "two runs gave different bytes"
    assert outputs[0] == TABLE.read_bytes(), "the committed CSV differs from what the script builds"


@needs_raw
@needs_readers
def test_the_readme_holds_the_current_comparison_with_imf_dots():
    result = subprocess.run([sys.executable, str(SCRIPT), "--raw", str(RAW), "--compare"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in (DATA / "trade" / "README.md").read_text(encoding="utf-8")


@needs_raw
def test_the_script_refuses_an_input_whose_checksum_differs(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    target = raw / "kgz_nsc_4.03.00.20_imports.xlsx"
    target.chmod(0o644)
    with target.open("ab") as handle:
        handle.write(b"\0")
    out = tmp_path / "out.csv"
    result = subprocess.run([sys.executable, str(SCRIPT), "--raw", str(raw), "--output", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "kgz_nsc_4.03.00.20_imports.xlsx has sha256" in result.stderr and "refusing" in result.stderr
    assert not out.exists()


def test_an_unmapped_label_that_looks_like_one_of_our_states_stops_the_build():
    build = _script()
    names = {k: v for k, v in build.KAZ_NAMES.items() if v != "CHN"}
    args = (names, build.KAZ_WORLD, build.KAZ_AGGREGATES, build.KAZ_OTHER, "test")
    with pytest.raises(build.InputError, match=r"unmapped label 'Китай' looks like CHN"):
        build.classify("Китай", *args)
    assert build.classify("Тайвань (Китай)", *args) is None  # listed as another territory
    assert build.classify("Страны СНГ", *args) is None  # an aggregate, skipped by name
    assert build.classify("Всего", *args) == "WLD"
    assert build.classify("Германия", *args) is None  # a country that is not one of our states
    with pytest.raises(build.InputError, match=r"mapped to RUS but does not look like it"):
        build.classify("Беларусь", {"Беларусь": "RUS"}, set(), set(), set(), "test")


def test_thousands_become_whole_dollars_without_floats():
    build = _script()
    assert build.whole_usd(build.thousands(22221.200000000004, "t")) == 22_221_200
    assert build.whole_usd(build.thousands(101736459.87035, "t")) == 101_736_459_870
    assert build.whole_usd(build.thousands("8e-05", "t")) == 0  # 0.08 US$: no row
    assert build.whole_usd(build.thousands("0.0005", "t")) == 1  # half a dollar rounds up
    assert build.thousands("-", "t") is None and build.thousands("", "t") is None


# --- (b) reconciliation with the offices' own published totals ----------------------------------------------

SCO_2022 = ["CHN", "IND", "KGZ", "PAK", "RUS", "TJK", "UZB"]  # Kazakhstan's fellow members on 31 Dec 2022
#: aggregate_id -> (partners summed, tolerance in %). The official figures do not state their membership set;
#: the sets below are the ones that reproduce them (see the notes in official_aggregates.csv).
RECONCILE = {
    "kaz_sco_2022_mti": (SCO_2022 + ["IRN"], 0.5),  # Iran (member from July 2023) counted in 2022 too
    "kaz_sco_2023_mti": (SCO_2022 + ["IRN"], 0.5),  # members of 2023; April 2024 vintage, gap -0.41 %
    "kaz_sco_2023_pm": (SCO_2022 + ["IRN", "BLR"], 0.5),  # October 2024: Belarus a member since July 2024
    "kaz_chn_2022_kaz": (["CHN"], 0.5),  # published as 24.1 bn (rounded to 0.1 bn)
    "kgz_kaz_2022_nsc": (["KAZ"], 0.01),
    "kgz_kaz_2023_nsc": (["KAZ"], 0.5),  # the release's exports (455.702 m) differ from the table's (449.009 m)
}


@pytest.mark.parametrize("aggregate_id", sorted(RECONCILE))
def test_published_totals_are_reproduced_within_tolerance(table, aggregate_id):
    aggregates = _read(DATA / "trade" / "official_aggregates.csv").set_index("aggregate_id")
    official = aggregates.loc[aggregate_id]
    partners, tolerance = RECONCILE[aggregate_id]
    if official["membership_basis"] == "bilateral":
        assert partners == [official["counterpart"]]
    year, reporter = official["year"], official["reporter_iso3"]
    rows = table[(table["reporter_iso3"] == reporter) & (table["year"] == year) & table["partner_iso3"].isin(partners)]
    assert len(rows) == 2 * len(partners), f"missing rows: {sorted(set(partners) - set(rows['partner_iso3']))}"
    ours = rows["value_usd"].astype("int64").sum()
    gap = 100 * (ours - int(official["value_usd"])) / int(official["value_usd"])
    published = int(official["value_usd"])
    assert abs(gap) <= tolerance, f"{aggregate_id}: ours {ours / 1e9:.3f} bn, official {published / 1e9:.3f} bn ({gap:+.2f} %)"


def test_the_membership_sets_matter():
    """Without Iran and Belarus the 2023 figures are missed by more than the tolerance: the test can fail."""
    table = _read(TABLE)
    rows = table[(table["reporter_iso3"] == "KAZ") & (table["year"] == "2023") & table["partner_iso3"].isin(SCO_2022)]
    gap = 100 * (rows["value_usd"].astype("int64").sum() - 66_700_000_000) / 66_700_000_000
    assert gap < -RECONCILE["kaz_sco_2023_pm"][1]


# --- (c) row checks --------------------------------------------------------------------------------------------

def test_columns_are_those_of_the_bilateral_table(table):
    with (DATA / "trade" / "bilateral_goods_trade.csv").open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    assert list(table.columns) == header


def test_partners_are_states_or_the_world_and_reporters_and_years_are_as_documented(table):
    states = set(_read(DATA / "states.csv")["iso3"])
    assert set(table["partner_iso3"]) <= states | {"WLD"}
    assert set(table["reporter_iso3"]) == {"KAZ", "KGZ"}
    assert (table["reporter_iso3"] != table["partner_iso3"]).all()
    assert set(table["year"]) == {"2021", "2022", "2023"}
    assert set(table["flow"]) == {"export", "import"}
    assert (table["valuation"] == table["flow"].map({"export": "FOB", "import": "CIF"})).all()
    assert set(table["is_estimate"]) == {"false"}  # neither office marks a figure as an estimate


def test_no_duplicates_and_every_value_is_a_positive_whole_number(table):
    assert not table.duplicated(["reporter_iso3", "partner_iso3", "flow", "year"]).any()
    assert table["value_usd"].str.fullmatch(r"[1-9]\d*").all()


def test_rows_are_sorted(table):
    key = ["reporter_iso3", "partner_iso3", "flow", "year"]
    assert table[key].values.tolist() == table.sort_values(key)[key].values.tolist()


def test_every_source_id_resolves_and_there_is_one_per_office(table):
    sources = set(_read(DATA / "sources.csv")["source_id"])
    assert set(table["source_id"]) <= sources
    assert table.groupby("reporter_iso3")["source_id"].nunique().eq(1).all()
    assert "stat_uzb_trade_by_country" in sources  # the Uzbek office: comparison only (goods and services)


def test_world_rows_are_the_published_totals_not_sums(table):
    world = table[table["partner_iso3"] == "WLD"]
    assert len(world) == 2 * 2 * 3  # KAZ and KGZ publish a total for both flows and every year
    parts = table[table["partner_iso3"] != "WLD"].groupby(["reporter_iso3", "flow", "year"])["value_usd"].apply(
        lambda s: s.astype("int64").sum())
    totals = world.set_index(["reporter_iso3", "flow", "year"])["value_usd"].astype("int64")
    assert (totals > parts.loc[totals.index]).all()


def test_breaks_and_preliminary_figures_are_noted(table):
    first = table["year"] == "2021"
    assert table.loc[first, "note"].str.startswith("series break: national statistics from 2021").all()
    assert not table.loc[~first, "note"].str.contains("series break").any()
    kgz_2023_imports = (table["reporter_iso3"] == "KGZ") & (table["flow"] == "import") & (table["year"] == "2023")
    assert table.loc[kgz_2023_imports, "note"].str.startswith("preliminary").all()
    assert not table.loc[~kgz_2023_imports, "note"].str.contains("preliminary").any()


def test_values_match_cells_read_by_hand(table):
    """A few cells checked against the raw files by eye (thousand US$ x 1000)."""
    value = table.set_index(["reporter_iso3", "partner_iso3", "flow", "year"])["value_usd"]
    assert value[("KAZ", "CHN", "export", "2023")] == "14666158300"  # BNS 2023: 14 666 158.3001
    assert value[("KAZ", "WLD", "import", "2022")] == "50934360724"  # BNS 2022 'Всего': 50 934 360.72379
    assert value[("KGZ", "RUS", "import", "2023")] == "2182927174"  # NSC 4.03.00.20, 2023: 2 182 927.174
    assert value[("KGZ", "WLD", "export", "2021")] == "2752163747"  # NSC 4.03.00.18, 2021: 2 752 163.747


def test_the_package_reads_and_checks_the_national_rows():
    import sco_research as sco

    kaz = sco.load_trade(source="national", reporters="KAZ", partners="WLD", years=2023)
    assert sorted(kaz["flow"]) == ["export", "import"]
    assert set(kaz["source_id"]) == {"bns_kaz_foreign_trade_by_country"}
    with pytest.raises(sco.ParameterError, match=r"invalid years=2020: expected integer years from 2021 to 2023"):
        sco.load_trade(source="national", years=2020)


def test_the_combined_series_adds_national_rows_only_where_the_bundled_table_has_none():
    import sco_research as sco

    key = ["reporter_iso3", "partner_iso3", "flow", "year"]
    bundled, national = sco.load_trade(), sco.load_trade(source="national")
    combined = sco.load_trade(source="combined")
    assert not combined.duplicated(key).any()
    # every bundled row is kept as it is, and every national row whose key the bundled table lacks is added
    kept = combined.merge(bundled, on=list(bundled.columns), how="inner")
    assert len(kept) == len(bundled)
    new = ~national.set_index(key).index.isin(bundled.set_index(key).index)
    assert len(combined) == len(bundled) + int(new.sum()) and new.all()  # the two tables share no key today
    kaz = sco.load_trade(source="combined", reporters="KAZ", partners="CHN", flows="export")
    assert kaz.groupby("year")["source_id"].first().loc[[2020, 2021, 2023]].tolist() == [
        "imf_dots_2022", "bns_kaz_foreign_trade_by_country", "bns_kaz_foreign_trade_by_country"]


def test_a_corrupt_national_row_is_refused(data_copy):
    import sco_research as sco
    from conftest import edit_csv

    edit_csv(data_copy / "trade" / "national_goods_trade.csv", "KAZ,AFG,export,2021,469377202,FOB",
             "KAZ,AFG,export,2021,469377202,CIF")
    with pytest.raises(sco.DataValidationError,
                       match=r"trade/national_goods_trade.csv, line 2, column 'valuation': export values must be FOB"):
        sco.load_trade(source="national")
