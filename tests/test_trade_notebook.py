"""The charts of the 02_trade notebook (its parameters: test_parameters.py; its reports: test_reports.py)."""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

import sco_research as sco  # noqa: E402
from sco_research.analysis.trade import mirror_pair
from sco_research.data import load_trade  # noqa: E402
from sco_research.plotting import plot_mirror, plot_trade_by_partner  # noqa: E402


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
