"""One parameter model per notebook: the notebooks' parameters cells, the checks, the messages, `render --list`.

Every bad value is tested against the models in this process (no kernel): the
notebooks build the same model in their second cell, and `render` checks it
before any kernel starts.
"""

import re

import nbformat
import pytest
from click.testing import CliRunner

import sco_research as sco
from conftest import PROJECT
from sco_research.cli import main
from sco_research.errors import PlanError
from sco_research.reports.parameters import (
    MODELS,
    ChairParameters,
    ClaimsParameters,
    GrowthParameters,
    GrowthSeminarParameters,
    TourParameters,
    TradeParameters,
    TradeSeminarParameters,
    check_parameters,
    parameters_cell,
)
from sco_research.reports.plan import notebook_names

NOTEBOOKS = PROJECT / "notebooks"


def test_every_notebook_has_a_model():
    assert sorted(MODELS) == sorted(notebook_names())


@pytest.mark.parametrize("name", sorted(MODELS))
def test_the_parameters_cell_is_written_from_the_model(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", 4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    assert cells[0].source == parameters_cell(MODELS[name])


@pytest.mark.parametrize("name", sorted(MODELS))
def test_papermill_documents_the_model(name):
    import papermill as pm  # here, not at the top: only the worker that runs this test pays its import

    declared = pm.inspect_notebook(str(NOTEBOOKS / f"{name}.ipynb"))
    model = MODELS[name]
    assert list(declared) == list(model.model_fields)
    for field, info in model.model_fields.items():
        assert declared[field]["help"] == info.description
        assert eval(declared[field]["default"]) == info.get_default(call_default_factory=True)  # noqa: S307


@pytest.mark.parametrize("name", sorted(MODELS))
def test_the_notebook_builds_its_model_before_anything_else(name):
    """The cell after the parameters constructs the model with every parameter, by keyword."""
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", 4)
    index = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    check = nb.cells[index + 1].source
    model = MODELS[name]
    assert f"{model.__name__}(" in check
    for field in model.model_fields:
        assert f"{field}={field}" in check


def test_defaults_are_valid_and_resolve():
    assert TourParameters().day == sco.latest_date()
    growth = GrowthParameters()
    assert growth.map_projection is None and growth.chosen_statuses[0] == "member"
    assert [d.year for d in GrowthParameters(as_of="2017-06-09").snapshot_days] == [2001, 2004, 2009, 2017]
    trade = TradeParameters()
    assert trade.mirror == "KAZ" and "CHN" not in trade.chosen_partners and "KAZ" in trade.chosen_partners
    assert TradeParameters(reporter="RUS").mirror == "CHN"
    assert TradeParameters(end_year=2012).matrix == 2012 and TradeParameters(matrix_year=2015).matrix == 2015
    assert ChairParameters().highlighted is None and ChairParameters(highlight="KAZ").highlighted == "KAZ"
    assert ClaimsParameters().show_notes is True
    assert GrowthSeminarParameters(as_of="2004-06-17").day.year == 2004
    assert TradeSeminarParameters().mirror == "CHN"


def test_given_lists_only_the_values_that_differ_from_the_defaults():
    assert GrowthParameters().given() == {}
    assert GrowthParameters(as_of="2017-06-09", extent="world").given() == {"as_of": "2017-06-09", "extent": "world"}
    assert TradeParameters(reporter="KAZ").given() == {"reporter": "KAZ"}


@pytest.mark.parametrize("model, values, message", [
    (TourParameters, {"as_of": "1999-01-01"}, "invalid as_of='1999-01-01': expected 'latest' or an ISO date from 2001-06-15"),
    (TourParameters, {"as_of": "2017-6-9"}, "invalid as_of='2017-6-9': expected 'latest' or an ISO date"),
    (GrowthParameters, {"as_of": "2001-06-14"}, "invalid as_of='2001-06-14': expected 'latest' or an ISO date from 2001-06-15"),
    (GrowthParameters, {"statuses": ["guest"]}, "invalid statuses='guest': expected one of 'member', 'observer'"),
    (GrowthParameters, {"statuses": []}, "invalid statuses=[]: expected a non-empty selection"),
    (GrowthParameters, {"extent": "africa"}, "invalid extent='africa': expected one of 'eurasia', 'world'"),
    (GrowthParameters, {"projection": "mercator"}, "invalid projection='mercator': expected one of 'default'"),
    (GrowthParameters, {"snapshot_dates": ["2017-06-09", "2030-01-01"]}, "invalid snapshot_dates='2030-01-01'"),
    (GrowthParameters, {"snapshot_dates": "2017-06-09"}, "invalid snapshot_dates='2017-06-09': expected a list of strings"),
    (TradeParameters, {"reporter": "USA"}, "invalid reporter='USA': expected the ISO3 code of a reporter in the trade table: AFG"),
    (TradeParameters, {"start_year": 2015, "end_year": 2010}, "invalid end_year=2010: expected a year from start_year=2015 to 2024"),
    (TradeParameters, {"start_year": 1995}, "invalid start_year=1995: expected an integer year from 2001 to 2024"),
    (TradeParameters, {"start_year": "2005"}, "invalid start_year='2005': expected an integer"),
    (TradeParameters, {"start_year": True}, "invalid start_year=True: expected an integer"),
    (TradeParameters, {"flow": "re-export"}, "invalid flow='re-export': expected one of 'total', 'export', 'import'"),
    (TradeParameters, {"partners": ["XXX"]}, "invalid partners='XXX': expected ISO3 codes of the reporter's partners"),
    (TradeParameters, {"mirror_partner": "CHN"}, "invalid mirror_partner='CHN': expected '' or another reporter's"),
    (TradeParameters, {"units": "tn"}, "invalid units='tn': expected one of 'bn', 'mn'"),
    (TourParameters, {"include_precursor": "yes"}, "invalid include_precursor='yes': expected True or False"),
    (TourParameters, {"as_of": "1998-01-01"}, "invalid as_of='1998-01-01': expected 'latest' or an ISO date from 2001-06-15"),
    (GrowthParameters, {"as_of": "1995-01-01", "include_precursor": True},
     "invalid as_of='1995-01-01': expected 'latest' or an ISO date from 1996-04-26"),
    (GrowthParameters, {"snapshot_dates": ["1998-01-01"]}, "invalid snapshot_dates='1998-01-01': expected 'latest' or an "
                                                           "ISO date from 2001-06-15"),
    (TradeParameters, {"matrix_year": 1990}, "invalid matrix_year=1990: expected 0 (the default year) or an integer "
                                             "year from 2001 to 2024"),
    (ChairParameters, {"start_year": 2000}, "invalid start_year=2000: expected an integer year from 2001 to 2026"),
    (ChairParameters, {"start_year": 2020, "end_year": 2019}, "invalid end_year=2019: expected a year from start_year=2020"),
    (ChairParameters, {"highlight": "XXX"}, "invalid highlight='XXX': expected '' or the ISO3 code of a member state"),
    (ChairParameters, {"language": "kk"}, "invalid language='kk': expected one of 'en', 'ru', 'zh'"),
    (ClaimsParameters, {"show_notes": "yes"}, "invalid show_notes='yes': expected True or False"),
    (GrowthSeminarParameters, {"as_of": "latest "}, None),
    (TradeSeminarParameters, {"reporter": "kaz"}, "invalid reporter='kaz': expected the ISO3 code of a reporter"),
    (TradeParameters, {"start_yr": 2005}, "invalid start_yr=2005: expected a parameter of 02_trade: one of reporter"),
])
def test_bad_values_name_parameter_value_and_choices(model, values, message):
    if message is None:  # accepted: 'latest' with spaces is still 'latest'
        model(**values)
        return
    with pytest.raises(sco.ParameterError) as caught:
        model(**values)
    assert message in str(caught.value)


def test_models_are_frozen():
    p = TradeParameters()
    with pytest.raises(Exception, match="frozen"):
        p.reporter = "KAZ"


def test_raw_command_line_values_are_typed_by_the_model():
    assert check_parameters("02_trade", {"start_year": "2005", "partners": "[KAZ, RUS]", "reporter": "CHN"}) == {
        "start_year": 2005, "partners": ["KAZ", "RUS"], "reporter": "CHN"}
    assert check_parameters("04_claims_check", {"show_notes": "false"}) == {"show_notes": False}
    with pytest.raises(PlanError, match=r"^02_trade: invalid start_year='twenty': expected an integer$"):
        check_parameters("02_trade", {"start_year": "twenty"})
    with pytest.raises(PlanError, match=r"^04_claims_check: unknown parameter 'notes': expected one of show_notes$"):
        check_parameters("04_claims_check", {"notes": "true"})


@pytest.mark.parametrize("args, message", [
    (["02_trade", "-p", "start_yr", "2005"], "02_trade: unknown parameter 'start_yr': expected one of reporter, partners"),
    (["02_trade", "-p", "start_year", "1990"], "02_trade: invalid start_year=1990: expected an integer year from 2001 to 2024"),
    (["01_membership_growth", "-p", "statuses", "[member, guest]"], "invalid statuses='guest': expected one of 'member'"),
    (["04_claims_check", "-p", "show_notes", "maybe"], "04_claims_check: invalid show_notes='maybe': expected True or False"),
    (["teaching/how_the_sco_grew", "-p", "as_of", "1990-01-01"], "teaching/how_the_sco_grew: invalid as_of='1990-01-01'"),
    (["teaching/trade_and_power", "-p", "reporter", "USA"], "teaching/trade_and_power: invalid reporter='USA'"),
    (["03_chairmanship_history", "-p", "language", "kk"], "invalid language='kk': expected one of 'en', 'ru', 'zh'"),
    (["03_nothing"], "unknown notebook '03_nothing': expected a path to an .ipynb file or one of 00_dataset_tour"),
    (["00_dataset_tour", "--format", "html,docx"], "invalid --format 'docx'"),
])
def test_bad_jobs_exit_2_before_any_kernel_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "reports"
    result = CliRunner().invoke(main, ["render", *args, "--output-dir", str(out)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1  # one line, no traceback
    assert not out.exists()


def test_list_shows_every_model_with_types_defaults_and_valid_values():
    result = CliRunner().invoke(main, ["render", "--list"])
    assert result.exit_code == 0
    # Each notebook's block (its name at the start of a line, then its fields indented) holds its own fields, in order.
    blocks = dict(re.findall(r"^(\S+)\n((?:[ ]+.*\n?)*)", result.output, flags=re.M))
    assert sorted(blocks) == sorted(MODELS)
    for name, model in MODELS.items():
        assert re.findall(r"^  (\w+): ", blocks[name], flags=re.M) == list(model.model_fields), name
    assert "02_trade\n  reporter: str = 'CHN'\n      ISO3 code of the reporting state\n      valid: AFG," in result.output
    assert "  flow: str = 'total'\n      \"total\", \"export\" or \"import\"\n      choices: 'total', 'export', 'import'" in (
        result.output)
    assert f"valid: 'latest' or 2001-06-15 to {sco.latest_date().date()}" in result.output
