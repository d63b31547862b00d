"""The 01_membership_growth notebook: its parameters, a papermill run, and its helpers."""

import re

import nbformat
import pandas as pd
import pytest

import sco_research as sco
from conftest import PROJECT, has_displayed_output, notebook_text, parameter_cell_defaults, run_notebook
from sco_research.reports import growth

NOTEBOOK = PROJECT / "notebooks" / "01_membership_growth.ipynb"


def test_parameter_cell_matches_the_package_defaults():
    assert parameter_cell_defaults(NOTEBOOK) == growth.DEFAULTS


def test_parameter_cell_is_typed_and_documented_for_papermill():
    import papermill as pm

    declared = pm.inspect_notebook(str(NOTEBOOK))
    assert set(declared) == set(growth.DEFAULTS)
    assert all(p["inferred_type_name"] != "None" and p["help"] for p in declared.values())


def _run(tmp_path, *params):
    # From another directory and without --cwd: the notebook must not depend on the working directory.
    return run_notebook(NOTEBOOK, tmp_path, "-p", "save_figures", "False", *params)


def test_renders_india_and_pakistan_as_members_from_another_directory(tmp_path):
    result, out = _run(tmp_path, "-p", "as_of", "2017-06-09")
    assert result.returncode == 0, result.stderr[-2000:]
    text = notebook_text(out)
    assert "Members on 2017-06-09: CHN, IND, KAZ, KGZ, PAK, RUS, TJK, UZB" in text
    assert re.search(r"^2017-06-09 +8 +18 +62.6 ", text, re.M)  # the snapshot table row for that day
    nb = nbformat.read(out, 4)
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 3  # map, small multiples, counts
    assert list(tmp_path.iterdir()) == [out]  # save_figures=False wrote nothing


@pytest.mark.parametrize("params, message", [
    (("-p", "as_of", "2001-06-14"), "invalid as_of='2001-06-14': expected 'latest' or an ISO date from 2001-06-15"),
    (("-p", "as_of", "2017-6-9"), "invalid as_of='2017-6-9'"),
    (("-y", "statuses: [member, guest]"), "invalid statuses='guest': expected one of 'member', 'observer'"),
    (("-p", "extent", "africa"), "invalid extent='africa': expected one of 'eurasia', 'world'"),
])
def test_bad_parameters_fail_before_drawing(tmp_path, params, message):
    result, out = _run(tmp_path, *params)
    assert result.returncode != 0
    assert message in result.stderr
    assert not has_displayed_output(out)


def test_resolve_parameters_names_each_bad_value():
    base = dict(growth.DEFAULTS)
    with pytest.raises(sco.ParameterError, match=r"invalid projection='mercator': expected one of 'default', 'eurasia_laea', 'equal_earth'"):
        growth.resolve_parameters(**{**base, "projection": "mercator"})
    with pytest.raises(sco.ParameterError, match=r"invalid snapshot_dates='2017-06-09': expected a list"):
        growth.resolve_parameters(**{**base, "snapshot_dates": "2017-06-09"})
    with pytest.raises(sco.ParameterError, match=r"invalid snapshot_dates='2030-01-01'"):
        growth.resolve_parameters(**{**base, "snapshot_dates": ["2017-06-09", "2030-01-01"]})
    with pytest.raises(sco.ParameterError, match=r"invalid save_figures='yes': expected True or False"):
        growth.resolve_parameters(**{**base, "save_figures": "yes"})


def test_figure_names_only_carry_non_default_parameters():
    assert growth.resolve_parameters(**growth.DEFAULTS).figure_parameters() == {}
    latest = sco.latest_date().date().isoformat()
    assert growth.resolve_parameters(**{**growth.DEFAULTS, "as_of": latest}).figure_parameters() == {}
    changed = growth.resolve_parameters(**{**growth.DEFAULTS, "as_of": "2017-06-09", "extent": "world"})
    assert changed.figure_parameters() == {"as_of": "2017-06-09", "extent": "world"}


def test_changes_on_the_tianjin_summit_merge_every_observer_and_dialogue_partner():
    changes = growth.changes_on("2025-09-01")
    assert set(changes["after"]) == {"partner"}
    assert set(changes["before"]) == {"observer", "dialogue_partner", "none"}
    assert changes.loc[changes["before"] == "none", "iso3"].tolist() == ["LAO"]
    assert len(changes) == len(sco.status_on("2025-09-01").query("status == 'partner'"))


def test_snapshot_table_counts_match_the_membership_functions():
    table = growth.snapshot_table(["2017-06-08", "2017-06-09"]).set_index("date")
    assert table["members"].tolist() == [6, 8]
    assert table.loc["2017-06-08", "member_share_eurasia"] < 60 < table.loc["2017-06-09", "member_share_eurasia"]


def test_rendering_twice_gives_byte_identical_figures(tmp_path):
    import hashlib

    from sco_research.reports.plan import make_job
    from sco_research.reports.run import render_job

    job = make_job(NOTEBOOK, {"as_of": "2024-07-04"})
    digests = []
    for run in ("first", "second"):
        (tmp_path / run).mkdir()
        entry = render_job(job, str(tmp_path / run), ("html", "ipynb"), 1800)
        assert entry["status"] == "ok", entry
        figures = sorted((tmp_path / run / entry["output"] / "figures").iterdir())
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in figures})
    names = sorted(digests[0])
    assert "01_membership_growth__map__as_of-2024-07-04.png" in names
    assert "01_membership_growth__animation__as_of-2024-07-04.gif" in names
    assert digests[0] == digests[1]

    # The pictures in the report are the saved PNG files themselves, in the order the notebook draws them.
    import base64

    executed = next((tmp_path / "second" / entry["output"]).glob("*.ipynb"))
    shown = [hashlib.sha256(base64.b64decode(o["data"]["image/png"])).hexdigest()
             for cell in nbformat.read(executed, 4).cells if cell.cell_type == "code"
             for o in cell.outputs if "image/png" in o.get("data", {})]
    stems = ("map", "growth", "status_counts")
    assert shown == [digests[1][f"01_membership_growth__{s}__as_of-2024-07-04.png"] for s in stems]


def test_an_as_of_report_tells_the_story_up_to_its_day():
    early = growth.resolve_parameters(**{**growth.DEFAULTS, "as_of": "2017-06-08"})
    joined = growth.resolve_parameters(**{**growth.DEFAULTS, "as_of": "2017-06-09"})
    assert [d.date().isoformat() for d in early.snapshot_dates] == ["2001-06-15", "2004-06-17", "2009-06-16"]
    assert joined.snapshot_dates[-1] == pd.Timestamp("2017-06-09")
    # Snapshots chosen by the reader are kept as given, even after as_of.
    chosen = growth.resolve_parameters(**{**growth.DEFAULTS, "as_of": "2017-06-08", "snapshot_dates": ["2024-07-04"]})
    assert chosen.snapshot_dates == (pd.Timestamp("2024-07-04"),)
