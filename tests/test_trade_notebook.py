"""The 02_trade notebook: parameters, a papermill run, and the charts it draws."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

import sco_research as sco  # noqa: E402
from conftest import PROJECT, has_displayed_output, notebook_text, parameter_cell_defaults, run_notebook  # noqa: E402
from sco_research.analysis.trade import mirror_pair
from sco_research.data import load_trade  # noqa: E402
from sco_research.plotting import plot_mirror, plot_trade_by_partner  # noqa: E402
from sco_research.reports import trade_report  # noqa: E402

NOTEBOOK = PROJECT / "notebooks" / "02_trade.ipynb"


def test_parameter_cell_matches_the_package_defaults():
    assert parameter_cell_defaults(NOTEBOOK) == trade_report.DEFAULTS


def _run(tmp_path, *params):
    return run_notebook(NOTEBOOK, tmp_path, "-p", "save_figures", "False", *params)


def test_kazakhstan_from_2005_renders(tmp_path):
    result, out = _run(tmp_path, "-p", "reporter", "KAZ", "-p", "start_year", "2005")
    assert result.returncode == 0, result.stderr[-2000:]
    text = notebook_text(out)
    assert "Reporter KAZ · 2005-2024" in text
    assert "\n 2004 " not in text and "\n 2005 " in text  # the share table starts in 2005
    assert "kaz_sco_2023_mti" in text  # Kazakhstan's own official figures are listed


@pytest.mark.parametrize("params, message", [
    (("-p", "reporter", "USA"), "invalid reporter='USA': expected the ISO3 code of a reporter in the trade table: AFG"),
    (("-p", "start_year", "2015", "-p", "end_year", "2010"), "invalid end_year=2010: expected a year from start_year=2015 to 2024"),
    (("-p", "start_year", "1995"), "invalid start_year=1995: expected an integer year from 2001 to 2024"),
    (("-p", "flow", "re-export"), "invalid flow='re-export': expected one of 'total', 'export', 'import'"),
])
def test_bad_parameters_fail_before_charting(tmp_path, params, message):
    result, out = _run(tmp_path, *params)
    assert result.returncode != 0 and message in result.stderr
    assert not has_displayed_output(out)


def test_partner_chart_draws_one_line_per_partner_with_gaps_and_marks():
    rows = load_trade(reporters="CHN", partners=["RUS", "IND", "KAZ"])
    ax = plot_trade_by_partner(rows)
    lines = {line.get_gid().split(":")[1]: line for line in ax.get_lines() if (line.get_gid() or "").startswith("partner:")}
    assert sorted(lines) == ["IND", "KAZ", "RUS"]
    assert sorted(line.get_label() for line in lines.values()) == ["India", "Kazakhstan", "Russian Federation"]
    years = list(lines["RUS"].get_xdata())
    assert years == list(range(2001, 2025))  # every year on the axis ...
    russia = dict(zip(years, lines["RUS"].get_ydata()))
    assert russia[2024] == pytest.approx(244.81) and str(russia[2022]) == "nan"  # ... and gaps stay gaps
    gids = {line.get_gid() for line in ax.get_lines() if line.get_gid() and not line.get_gid().startswith("partner:")}
    assert gids == {"membership:2017", "membership:2023", "membership:2024", "source_switch"}
    sources = [t for t in ax.texts if t.get_gid() == "sources"]
    line = " ".join(sources[0].get_text().split())  # the line wraps
    assert len(sources) == 1 and "International Monetary Fund, 2022" in line and "bne IntelliNews (citing TASS), 2025" in line


def test_mirror_chart_draws_each_sides_record():
    mirror = mirror_pair("KAZ", "CHN", [2019, 2020])
    ax = plot_mirror(mirror, "KAZ", "CHN")
    kaz, chn = ax.get_lines()[:2]
    assert list(kaz.get_ydata()) == pytest.approx(list(mirror["reported_by_a"].astype(float) / 1e9))
    assert list(chn.get_ydata()) == pytest.approx(list(mirror["reported_by_b"].astype(float) / 1e9))


def test_unknown_units_are_refused():
    with pytest.raises(sco.ParameterError, match=r"invalid units='tn': expected one of 'bn', 'mn'"):
        plot_trade_by_partner(load_trade(reporters="KAZ", partners="CHN"), units="tn")
