"""The tour notebook's helpers and the command line (its reports: test_reports.py)."""

import pytest
from click.testing import CliRunner

import sco_research as sco
from conftest import edit_csv
from sco_research.cli import main
from sco_research.reports import tour


@pytest.mark.parametrize("bad", ["2001-06-14", "2017-02-30", "yesterday", "2099-01-01", 2017])
def test_bad_as_of_names_parameter_and_range(bad):
    with pytest.raises(ValueError, match=r"invalid as_of=.*expected 'latest' or an ISO date from 2001-06-15 to 2026-09-01"):
        tour.resolve_as_of(bad)


def test_latest_is_the_last_date_in_the_data():
    assert tour.resolve_as_of("latest") == sco.latest_date()


def test_status_table_has_names_in_three_languages():
    table = tour.status_table("2017-06-09").set_index("iso3")
    assert table.loc["IND", "status"] == "Member state"
    assert table.loc["KGZ", "name_ru"] == "Киргизия" and table.loc["CHN", "name_zh"] == "中国"


def test_cli_validate_reports_rows_and_errors(data_copy):
    runner = CliRunner()
    ok = runner.invoke(main, ["validate"])
    assert ok.exit_code == 0 and "memberships.csv: 54 rows" in ok.output
    assert "\ncoverage.csv: 1 row\n" in ok.output  # one row, not "1 rows"
    edit_csv(data_copy / "chairmanships.csv", "KAZ,2023-07-04", "MNG,2023-07-04")
    bad = runner.invoke(main, ["validate"])
    assert bad.exit_code == 1 and "chairmanships.csv, line 24" in bad.output and "1 problem in" in bad.output


def test_plot_status_counts_draws_one_step_per_status():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.colors import to_hex

    from sco_research.plotting import plot_status_counts
    from sco_research.plotting.membership import STATUS_COLORS

    ax = plot_status_counts()
    lines = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert [line.get_label() for line in lines] == [sco.STATUS_LABELS[s] for s in sco.STATUSES]
    assert [to_hex(line.get_color()) for line in lines] == [STATUS_COLORS[s] for s in sco.STATUSES]
    member_line = lines[0]
    assert max(member_line.get_ydata()) == 10 and min(member_line.get_ydata()) == 6


def test_the_tour_and_its_status_chart_show_the_shanghai_five_on_request():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sco_research.plotting import plot_status_counts

    assert tour.resolve_as_of("1998-01-01", include_precursor=True).year == 1998
    assert tour.status_table("1998-01-01", include_precursor=True)["iso3"].tolist() == ["CHN", "KAZ", "KGZ", "RUS", "TJK"]
    assert tour.status_table("2001-06-15", include_precursor=True)["status"].unique().tolist() == ["Member state"]
    counts = sco.status_counts(include_precursor=True)
    assert counts.loc[:"2001-06-15", "shanghai_five"].tolist() == [5, 6, 0]
    assert counts.drop(columns="shanghai_five").loc["2001-06-15":].equals(sco.status_counts())  # the SCO's unchanged
    ax = plot_status_counts(counts.loc[:"2001-06-14"], end="2001-06-14")
    (five,) = [line for line in ax.get_lines() if line.get_label() == sco.STATUS_LABELS["shanghai_five"]]
    assert list(five.get_ydata()) == [5, 6, 6] and ax.get_title() == "SCO states by status, and the Shanghai Five"
    assert [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("precursor:")] == [
        "Shanghai Five 1996", "Shanghai Five 2001"]
    plt.close(ax.figure)
    default = plot_status_counts()
    assert sco.STATUS_LABELS["shanghai_five"] not in [line.get_label() for line in default.get_lines()]
    plt.close(default.figure)


def test_refresh_merges_stream_chunks_so_commits_do_not_churn():
    from nbformat.v4 import new_output

    from sco_research.reports.rendering import _coalesce_streams

    outputs = [new_output("stream", name="stdout", text="a\n"), new_output("stream", name="stdout", text="b\n"),
               new_output("stream", name="stderr", text="w\n"), new_output("stream", name="stdout", text="c\n")]
    merged = _coalesce_streams(outputs)
    assert [(o["name"], o["text"]) for o in merged] == [("stdout", "a\nb\n"), ("stderr", "w\n"), ("stdout", "c\n")]
