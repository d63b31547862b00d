"""Each corruption of a copy of data/ must be caught, naming file, line and column."""

import pytest

import sco_research as sco
from conftest import edit_csv
from sco_research.data import load_table

CORRUPTIONS = {
    # name: (file, old text, new text, expected fragment of the message)
    "dangling code": ("memberships.csv", "LAO,partner", "LAX,partner", r"memberships\.csv, line \d+, column 'iso3': code 'LAX' is not in states\.csv"),
    "overlapping spells": ("memberships.csv", "IND,member,2017-06-09", "IND,member,2017-06-01", r"memberships\.csv, line \d+, column 'start_date': spell of IND starting 2017-06-01 overlaps the spell on line \d+ that ends 2017-06-09"),
    "end before start": ("memberships.csv", "MNG,observer,2004-06-17,2025-09-01", "MNG,observer,2004-06-17,2003-09-01", r"memberships\.csv, line \d+, column 'end_date': end 2003-09-01 is not after start 2004-06-17"),
    "member also partner": ("memberships.csv", "BLR,member,2024-07-04", "BLR,member,2015-07-10", r"memberships\.csv, line \d+, column 'start_date': spell of BLR"),
    "chair not a member": ("chairmanships.csv", "KAZ,2023-07-04", "MNG,2023-07-04", r"chairmanships\.csv, line 24, column 'chair_iso3': chair MNG is not a member"),
    "city not its GeoNames id": ("summits.csv", "Tianjin,CHN,1792947", "Tientsin,CHN,1792947", r"summits\.csv, line 26, column 'city': 'Tientsin' but cities\.csv names GeoNames id 1792947 'Tianjin'"),
    "host not a member": ("summits.csv", "Tianjin,CHN", "Tianjin,MNG", r"summits\.csv, line 26, column 'host_iso3': host MNG is not a member"),
    "missing source": ("memberships.csv", "pajhwok_2012_afghanistan_observer", "pajhwok_2012_typo", r"memberships\.csv, line \d+, column 'source_id': source_id 'pajhwok_2012_typo' is not in sources\.csv"),
    "malformed date": ("summits.csv", "2007-08-16,2007-08-16", "2007-08-32,2007-08-16", r"summits\.csv, line 8, column 'start_date': value '2007-08-32' is not a date"),
    "unknown status": ("memberships.csv", "LAO,partner", "LAO,associate", r"memberships\.csv, line \d+, column 'status': value 'associate'"),
    "duplicate source": ("sources.csv", "zeenews_2012_beijing,", "xinhua_2014_summit_history,", r"sources\.csv, line \d+, column 'source_id': duplicate row"),
    "secretary not a member": ("secretaries_general.csv", "张明,CHN", "张明,MNG", r"secretaries_general\.csv, line 8, column 'nationality_iso3'"),
    "name without its source": ("secretaries_general.csv", "rbc_2012_imanaliev,", ",", r"secretaries_general\.csv, line 4, column 'name_ru_source_id': name_ru and name_ru_source_id are given together or not at all"),
    "name source that is not in sources.csv": ("secretaries_general.csv", "xinhua_2019_norov", "xinhua_2019_typo", r"secretaries_general\.csv, line 7, column 'name_zh_source_id': source_id 'xinhua_2019_typo' is not in sources\.csv"),
    "iso numeric mismatch": ("states.csv", "CHN,156", "CHN,157", r"states\.csv, line \d+, column 'iso_numeric': '157' does not match ISO 3166-1 numeric '156'"),
    "bad url": ("sources.csv", "https://tass.com/world/2010153", "tass.com/world/2010153", r"sources\.csv, line \d+, column 'url': value 'tass\.com/world/2010153' must be an http\(s\) URL"),
    "summit out of order": ("summits.csv", "2025-08-31,2025-09-01", "2000-08-31,2025-09-01", r"summits\.csv, column 'number': numbers must run"),
    "not a number": ("summits.csv", "Tianjin,CHN,1792947", "Tianjin,CHN,17929x7", r"summits\.csv, line 26, column 'geonames_id': value '17929x7' is not a whole number"),
}


@pytest.mark.parametrize("case", sorted(CORRUPTIONS))
def test_corruption_is_caught(case, data_copy):
    file, old, new, message = CORRUPTIONS[case]
    edit_csv(data_copy / file, old, new)
    with pytest.raises(sco.DataValidationError, match=message) as info:
        load_table("memberships")
    assert info.value.file == file


def test_missing_column_is_named(data_copy):
    edit_csv(data_copy / "chairmanships.csv", "chair_iso3,", "chair,")
    with pytest.raises(sco.DataValidationError, match=r"chairmanships\.csv, line 1, column 'chair_iso3': required column missing"):
        load_table("memberships")


def test_missing_file_is_named(data_copy):
    (data_copy / "summits.csv").unlink()
    with pytest.raises(sco.DataValidationError, match=r"summits\.csv: file not found"):
        load_table("memberships")


def test_state_without_any_spell(data_copy):
    with open(data_copy / "states.csv", "a", encoding="utf-8") as f:
        f.write("JPN,392,Japan,Япония,日本,pycountry_26_2_16\n")
    with pytest.raises(sco.DataValidationError, match=r"states\.csv, line 29, column 'iso3': JPN has no spell"):
        load_table("memberships")


def test_validated_stamp_is_per_content(data_copy):
    load_table("memberships")  # valid: stamps this content
    edit_csv(data_copy / "memberships.csv", "LAO,partner", "LAX,partner")
    with pytest.raises(sco.DataValidationError):
        load_table("memberships")  # new content, so the stamp does not apply


def test_public_loaders_return_independent_copies():
    a = sco.load_states()
    a.loc[0, "name_en"] = "changed"
    assert sco.load_states().loc[0, "name_en"] != "changed"


def test_summit_city_missing_from_cities_is_named_in_summits(data_copy):
    edit_csv(data_copy / "cities.csv", "1792947,Tianjin", "1792948,Tianjin")
    with pytest.raises(sco.DataValidationError,
                       match=r"summits\.csv, line 26, column 'geonames_id': GeoNames id 1792947 of Tianjin is not in cities\.csv"):
        load_table("memberships")


def _count_checks(monkeypatch) -> list:
    """The folders the store checks from now on (each call of its _build), in order."""
    from sco_research.data import store

    built = []
    monkeypatch.setattr(store, "_build", lambda root, key, build=store._build: built.append(root) or build(root, key))
    return built


def test_a_copy_of_checked_data_reads_the_checked_snapshot_and_an_edit_is_checked_afresh(data_copy, tmp_path,
                                                                                       monkeypatch):
    """The snapshot kept on disk is keyed on the files' content, not their folder."""
    from conftest import DATA
    from sco_research.data import store

    monkeypatch.setenv("SCO_RESEARCH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(store, "_SNAPSHOTS", {})  # nothing this worker checked before
    store.snapshot(DATA)  # checked and kept on disk, in an empty cache
    monkeypatch.setattr(store, "_SNAPSHOTS", {})  # as a new process would start: nothing in memory
    monkeypatch.setattr(store, "_FILES", {})
    built = _count_checks(monkeypatch)
    copy = store.snapshot(data_copy)
    assert built == [] and copy.problems == [] and copy.root == data_copy.resolve()
    assert copy.tables["memberships"].equals(store.snapshot(DATA).tables["memberships"])
    assert len(list((tmp_path / "cache" / "snapshots").glob("*.pickle"))) == 1
    edit_csv(data_copy / "memberships.csv", "LAO,partner", "LAX,partner")
    problems = store.snapshot(data_copy).problems
    assert "code 'LAX' is not in states.csv" in str(problems[0]) and built == [data_copy.resolve()]


def test_reading_a_kept_snapshot_marks_it_recently_used(tmp_path, monkeypatch):
    """The 16 snapshots kept on disk are the most recently used: the project's own, read by every kernel, is not
    pushed out by a test run's many edited copies."""
    import os
    import time

    from conftest import DATA
    from sco_research.data import store

    monkeypatch.setenv("SCO_RESEARCH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(store, "_SNAPSHOTS", {})
    store.snapshot(DATA)
    (kept,) = (tmp_path / "cache" / "snapshots").glob("*.pickle")
    os.utime(kept, (1_000_000_000, 1_000_000_000))  # written long ago
    monkeypatch.setattr(store, "_SNAPSHOTS", {})  # a new process
    built = _count_checks(monkeypatch)
    store.snapshot(DATA)
    assert built == [] and kept.stat().st_mtime > time.time() - 60  # read, not rebuilt and rewritten
