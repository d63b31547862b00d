"""The tour notebook's helpers and the command line (its reports: test_reports.py)."""

import pytest
from click.testing import CliRunner

import sco_research as sco
from conftest import edit_csv
from sco_research.cli import main
from sco_research.reports import tour


@pytest.mark.parametrize("bad", ["2001-06-14", "2017-02-30", "yesterday", "2099-01-01", 2017])
def test_bad_as_of_names_parameter_and_range(bad):
    with pytest.raises(ValueError, match=r"invalid as_of=.*expected 'latest' or an ISO date from 2001-06-15 to 2025-09-01"):
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


def test_refresh_merges_stream_chunks_so_commits_do_not_churn():
    from nbformat.v4 import new_output

    from sco_research.reports.rendering import _coalesce_streams

    outputs = [new_output("stream", name="stdout", text="a\n"), new_output("stream", name="stdout", text="b\n"),
               new_output("stream", name="stderr", text="w\n"), new_output("stream", name="stdout", text="c\n")]
    merged = _coalesce_streams(outputs)
    assert [(o["name"], o["text"]) for o in merged] == [("stdout", "a\nb\n"), ("stderr", "w\n"), ("stdout", "c\n")]
