"""The data release (`sco-research export`): a Frictionless package that validates, CSV, Parquet and Stata files that
read back to the package's own tables, labels, one data version everywhere, and all or nothing on disk."""

import fnmatch
import json
import re
import shutil
import tomllib
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from conftest import PROJECT
from sco_research import data_version, paths
from sco_research.analysis.membership import status_panel
from sco_research.cli import main
from sco_research.data import load_table, snapshot
from sco_research.data.schema import LABELS, TABLES
from sco_research.data.vocab import STATUS_LABELS, STATUSES
from sco_research.errors import DataValidationError, ParameterError, SCOResearchError
from sco_research.reports import release
from sco_research.reports.release import PANEL, RELEASE_TABLES, export_release, labels, parse_formats


@pytest.fixture(scope="module")
def _release(tmp_path_factory):
    """One full release (CSV, Parquet, Stata) and the reports of the frictionless validations the export ran."""
    import frictionless  # here, not at the top: only the worker that runs this module pays its import

    folder = tmp_path_factory.mktemp("release") / "sco-data"
    reports, validate = [], frictionless.validate

    def recorded(source, *args, **kwargs):
        reports.append(validate(source, *args, **kwargs))
        return reports[-1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(frictionless, "validate", recorded)
        manifest = export_release(folder)
    return folder, manifest, reports


@pytest.fixture(scope="module")
def exported(_release):
    """The release folder and its manifest, shared by the tests that only read them."""
    folder, manifest, _ = _release
    return folder, manifest


@pytest.fixture(scope="module")
def frames():
    return release.release_tables()


def _package(folder) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


# -- the data package -----------------------------------------------------------------------------------------------

def test_frictionless_validates_the_package(_release):
    """Checked on the export's own validation (of the files before they were moved into place, the same bytes)."""
    _, manifest, reports = _release
    assert len(reports) == 1, "the export must validate the package once"
    report = reports[0]
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])[:5]
    tables = {task.name: task.stats["rows"] for task in report.tasks if task.type == "table"}
    assert tables == manifest["rows"]
    assert set(tables) == {*RELEASE_TABLES, PANEL}
    # Every file of every format is a resource, and frictionless checked its hash.
    assert {task.name for task in report.tasks} == {f"{name}{suffix}" for name in tables
                                                    for suffix in ("", "-parquet", "-dta")}


def test_the_package_describes_the_tables_from_their_declarations(exported):
    folder, _ = exported
    package = _package(folder)
    assert package["licenses"][0]["name"] == "MIT" and "no licence of its own for the data" in package["description"]
    assert len(package["sources"]) == len(load_table("sources"))
    resources = {r["name"]: r for r in package["resources"]}
    memberships = resources["memberships"]["schema"]
    fields = {f["name"]: f for f in memberships["fields"]}
    assert list(fields) == TABLES["memberships"].columns
    assert fields["status"]["constraints"]["enum"] == ["member", "observer", "dialogue_partner", "partner",
                                                       "shanghai_five"]
    assert fields["start_date"]["type"] == "date" and fields["start_date"]["constraints"]["required"] is True
    assert "required" not in fields["end_date"].get("constraints", {})
    assert fields["iso3"]["description"] == LABELS["memberships"][1]["iso3"]
    assert memberships["primaryKey"] == ["iso3", "status", "start_date"]
    assert {"fields": "iso3", "reference": {"resource": "states", "fields": "iso3"}} in memberships["foreignKeys"]
    trade = {f["name"]: f for f in resources["trade"]["schema"]["fields"]}
    assert trade["value_usd"]["unit"].startswith("US dollars") and trade["is_estimate"]["type"] == "boolean"
    # partner_iso3 may be WLD, which states.csv does not hold: no foreign key on it.
    assert [k["fields"] for k in resources["trade"]["schema"]["foreignKeys"]] == ["source_id", "reporter_iso3"]
    assert {s["path"] for s in resources["trade"]["sources"]} >= {"https://data.imf.org/"}
    assert resources["status_panel"]["schema"]["primaryKey"] == ["iso3", "year"]


def test_frictionless_finds_a_broken_row(exported, tmp_path):
    """The validation is not a formality: an unknown state code in a copy fails on its foreign key."""
    folder, _ = exported
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    path = copy / "csv" / "memberships.csv"
    path.write_text(re.sub(r"^AFG,", "XYZ,", path.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    # Only the edited resource is validated (the whole package was above); its foreign keys still resolve
    # against the package's other resources.
    import frictionless

    report = frictionless.Package(str(copy / "datapackage.json")).get_resource("memberships").validate()
    kinds = {error[0] for error in report.flatten(["type"])}
    assert not report.valid and {"foreign-key", "hash-count"} <= kinds
    assert [task.name for task in report.tasks] == ["memberships"]


# -- the files read back to the tables --------------------------------------------------------------------------------

def test_csv_files_read_back_through_the_package_checks(exported, tmp_path):
    """The CSV files, put in place of the curated ones, pass every check and load to the same frames."""
    folder, _ = exported
    copy = tmp_path / "data"
    shutil.copytree(paths.data_dir(), copy)
    for name in RELEASE_TABLES:
        shutil.copyfile(folder / "csv" / f"{name}.csv", copy / TABLES[name].file)
    snap = snapshot(copy)
    assert snap.problems == []
    for name in RELEASE_TABLES:
        pd.testing.assert_frame_equal(snap.tables[name], load_table(name), obj=name)


def test_the_panel_is_the_status_panel_over_the_checked_years(exported, frames):
    folder, manifest = exported
    panel = pd.read_csv(folder / "csv" / "status_panel.csv", dtype=str, keep_default_na=False)
    assert (panel["year"].astype(int).min(), panel["year"].astype(int).max()) == (2001, 2025)
    expected = status_panel(2001, 2025)
    assert panel["iso3"].tolist() == expected["iso3"].tolist()
    assert panel["status"].tolist() == expected["status"].astype(str).tolist()
    assert panel.query("iso3 == 'IND' and year == '2017'")["status"].tolist() == ["member"]
    assert manifest["rows"][PANEL] == len(load_table("states")) * 25


def test_parquet_files_hold_the_typed_tables(exported, frames):
    folder, _ = exported
    for name, frame in frames.items():
        back = pd.read_parquet(folder / "parquet" / f"{name}.parquet")
        for column, spec in release._table(name).spec.items():
            if spec.kind == "day":  # Parquet dates (date32), read as datetime.date
                back[column] = pd.to_datetime(back[column]).astype("datetime64[s]")
        pd.testing.assert_frame_equal(back, frame, obj=name)


def _from_stata(name: str, back: pd.DataFrame) -> pd.DataFrame:
    """A Stata frame read with its value labels, turned back into the codes and types of the tables."""
    out = back.copy()
    for column, spec in release._table(name).spec.items():
        vocabulary = release._vocabulary(spec)
        if vocabulary is not None:
            codes = dict(zip(release._value_labels(vocabulary), vocabulary))
            out[column] = out[column].astype(object).map(codes)
        elif spec.kind == "flag":
            out[column] = out[column].astype(str).eq("true")
    return out


def _comparable(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column, spec in release._table(name).spec.items():
        if spec.kind == "text":
            out[column] = out[column].astype(object).where(out[column].notna(), "")
            if release._vocabulary(spec) is not None:
                out[column] = out[column].replace("", None)
        elif spec.kind in ("integer", "decimal"):
            out[column] = out[column].astype("Float64")
        elif spec.kind == "day":
            out[column] = out[column].astype("datetime64[s]")
    return out


@pytest.mark.parametrize("name", [*RELEASE_TABLES, PANEL])
def test_stata_files_read_back_with_their_labels(exported, frames, name):
    folder, _ = exported
    path = folder / "stata" / f"{name}.dta"
    with pd.io.stata.StataReader(path) as reader:
        back = reader.read(convert_categoricals=True)
        variable_labels, value_labels, data_label = reader.variable_labels(), reader.value_labels(), reader.data_label
    title, column_labels = labels(name)
    assert variable_labels == column_labels and data_label == title
    assert list(back.columns) == release._table(name).columns
    for column, spec in release._table(name).spec.items():
        vocabulary = release._vocabulary(spec)
        if vocabulary is not None:
            assert list(value_labels[column].values()) == release._value_labels(vocabulary)
        elif spec.kind == "flag":
            assert value_labels[column] == {0: "false", 1: "true"}
    expected, got = _comparable(name, frames[name]), _comparable(name, _from_stata(name, back))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_categorical=False, obj=name)


def test_stata_statuses_carry_the_display_labels(exported):
    folder, _ = exported
    with pd.io.stata.StataReader(folder / "stata" / "status_panel.dta") as reader:
        panel = reader.read(convert_categoricals=True)
        labelled = reader.value_labels()["status"]
    assert list(labelled.values()) == [*(STATUS_LABELS[s] for s in STATUSES), release.NO_STATUS_LABEL]
    assert panel.query("iso3 == 'IND' and year == 2017")["status"].tolist() == ["Member state"]
    memberships = pd.read_stata(folder / "stata" / "memberships.dta")
    assert set(memberships["status"]) <= set(STATUS_LABELS.values())


def test_stata_limits_are_handled(tmp_path):
    """Names of at most 32 characters, labels of at most 80, and text over 2045 bytes written as strL."""
    for name in [*TABLES, PANEL]:
        title, column_labels = labels(name)
        assert len(title) <= 80 and all(len(label) <= 80 for label in column_labels.values()), name
        assert list(column_labels) == (release._table(name).columns if name == PANEL else TABLES[name].columns)
        assert all(release._STATA_NAME.match(column) for column in column_labels), name
    sources = load_table("sources")
    long_note = "Примечание " * 200  # 2,200 characters, 4,200 bytes in UTF-8
    sources.loc[0, "note"] = long_note
    _, keywords = release._stata_frame("sources", sources)
    assert "note" in keywords["convert_strl"]
    release._write_dta("sources", sources, tmp_path / "sources.dta", "2026.11.27")
    assert pd.read_stata(tmp_path / "sources.dta")["note"].iloc[0] == long_note
    with pytest.raises(SCOResearchError, match="longer than Stata's 80"):
        release._stata_label("x" * 81, "t.c")
    with pytest.raises(SCOResearchError, match="too large for Stata"):
        release._stata_integers(pd.Series([2 ** 60]), "t.c")


def test_strl_rows_of_python_strings_write_the_same_bytes_and_restore_the_option(tmp_path, monkeypatch):
    """The faster strL path (string inference off while writing) changes nothing in the file, and leaves pandas'
    option as it found it, after a failure too."""
    import contextlib
    import warnings

    def inference():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return pd.get_option("future.infer_string")

    sources = load_table("sources")
    assert release._stata_frame("sources", sources)[1]["convert_strl"]  # the notes are strL
    before = inference()
    release._write_dta("sources", sources, tmp_path / "fast.dta", "2026.11.27")
    assert inference() == before
    with monkeypatch.context() as patch:
        patch.setattr(release, "_rows_of_python_strings", contextlib.nullcontext)
        release._write_dta("sources", sources, tmp_path / "plain.dta", "2026.11.27")
    assert (tmp_path / "fast.dta").read_bytes() == (tmp_path / "plain.dta").read_bytes()
    with pytest.raises(OSError), release._rows_of_python_strings():
        assert inference() is False
        release._write_dta("sources", sources, tmp_path / "no-such-folder" / "x.dta", "2026.11.27")
    assert inference() == before


# -- one version ----------------------------------------------------------------------------------------------------

def test_one_data_version_everywhere(exported):
    folder, manifest = exported
    version = data_version()
    citation = yaml.safe_load((PROJECT / "CITATION.cff").read_text(encoding="utf-8"))
    assert str(citation["version"]) == version
    assert str(citation["date-released"]) == version.replace(".", "-")
    assert _package(folder)["version"] == manifest["data_version"] == version
    with pd.io.stata.StataReader(folder / "stata" / "memberships.dta") as reader:
        assert reader.time_stamp.startswith(pd.Timestamp(version.replace(".", "-")).strftime("%d %b %Y"))


def test_the_changelog_lists_versions_newest_first():
    text = (paths.data_dir() / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings[0] == data_version()
    assert all(re.fullmatch(r"\d{4}\.\d{2}\.\d{2}", h) for h in headings), headings
    assert headings == sorted(set(headings), reverse=True)


def test_a_bad_version_heading_is_refused(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    copy.mkdir()
    monkeypatch.setenv("SCO_RESEARCH_DATA_DIR", str(copy))
    with pytest.raises(DataValidationError, match="CHANGELOG.md: file not found"):
        data_version()
    (copy / "CHANGELOG.md").write_text("# Data changelog\n\n## 2026.02.30\n\nA day that does not exist.\n")
    with pytest.raises(DataValidationError, match="CHANGELOG.md, line 3: the newest version heading"):
        data_version()


# -- all or nothing on disk -----------------------------------------------------------------------------------------

def test_refuses_a_destination_that_is_not_empty(tmp_path):
    target = tmp_path / "release"
    target.mkdir()
    (target / "mine.txt").write_text("keep me")
    with pytest.raises(ParameterError, match="not empty"):
        export_release(target)
    assert [p.name for p in tmp_path.iterdir()] == ["release"]
    assert [p.name for p in target.iterdir()] == ["mine.txt"]


def test_bad_formats_are_refused():
    assert parse_formats("csv") == ("csv",) and parse_formats(["dta", "csv", "parquet"]) == release.FORMATS
    with pytest.raises(ParameterError, match="invalid format='xlsx'"):
        parse_formats("csv,xlsx")
    with pytest.raises(ParameterError, match="includes csv"):
        parse_formats("parquet,dta")


@pytest.mark.parametrize("existing", [False, True])
def test_a_failure_mid_export_leaves_nothing(tmp_path, monkeypatch, existing):
    calls = []

    def failing(name, frame, path, version):
        calls.append(name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        path.write_bytes(b"partial")

    monkeypatch.setitem(release._WRITERS, "parquet", failing)
    target = tmp_path / "release"
    if existing:
        target.mkdir()
    with pytest.raises(OSError, match="No space left"):
        export_release(target)
    assert len(calls) == 3
    assert [p.name for p in tmp_path.iterdir()] == (["release"] if existing else [])
    assert not existing or list(target.iterdir()) == []


def test_an_invalid_package_is_never_moved_into_place(tmp_path, monkeypatch):
    def invalid(descriptor):
        raise SCOResearchError("the data package does not validate (1 errors): test")

    monkeypatch.setattr(release, "_validate", invalid)
    with pytest.raises(SCOResearchError, match="does not validate"):
        export_release(tmp_path / "release", formats="csv")
    assert list(tmp_path.iterdir()) == []


# -- the command ----------------------------------------------------------------------------------------------------

def test_the_command_writes_and_lists_the_release(exported, tmp_path, monkeypatch):
    folder, _ = exported
    monkeypatch.setattr(release, "_validate", lambda descriptor: None)  # validated above; the command is tested here
    result = CliRunner().invoke(main, ["export", str(tmp_path / "out"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert f"{tmp_path / 'out' / 'csv' / 'memberships.csv'}" in result.output
    assert f"sco-research data {data_version()}: 15 tables as csv" in result.output
    assert not (tmp_path / "out" / "stata").exists()
    # The same data give the same bytes.
    for name in RELEASE_TABLES:
        assert (tmp_path / "out" / "csv" / f"{name}.csv").read_bytes() == (folder / "csv" / f"{name}.csv").read_bytes()


@pytest.mark.parametrize("arguments, message", [
    (["--format", "csv,sav"], "invalid format='sav': expected a comma-separated selection of csv, parquet, dta"),
    (["--format", "dta"], "invalid format='dta'"),
])
def test_the_command_refuses_bad_formats(tmp_path, arguments, message):
    result = CliRunner().invoke(main, ["export", str(tmp_path / "out"), *arguments])
    assert result.exit_code == 2 and message in result.output
    assert len(result.output.strip().splitlines()) == 1 and list(tmp_path.iterdir()) == []


def test_the_command_refuses_bad_destinations(tmp_path):
    full = tmp_path / "full"
    full.mkdir()
    (full / "x").write_text("")
    afile = tmp_path / "afile"
    afile.write_text("")
    for destination, message in [(full, "this one is not empty"), (afile, "this is a file"),
                                 (tmp_path / "no" / "such", "inside an existing folder")]:
        result = CliRunner().invoke(main, ["export", str(destination)])
        assert result.exit_code == 2, result.output
        assert f"invalid destination='{destination}'" in result.output and message in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "full"]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc, where nothing can be created")
def test_the_command_refuses_an_unwritable_destination():
    result = CliRunner().invoke(main, ["export", "/proc/sco-release"])
    assert result.exit_code == 2 and "invalid destination='/proc/sco-release'" in result.output
    assert "a folder that can be written" in result.output


def test_the_wheel_ships_the_changelog():
    """data_version() of an installed package reads the CHANGELOG.md shipped in sco_research/_bundle/data."""
    globs = tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert any(fnmatch.fnmatch("CHANGELOG.md", glob) for glob in globs["sco_research._bundle.data"])
