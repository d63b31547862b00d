"""The charts of the 02_trade notebook (its parameters: test_parameters.py; its reports: test_reports.py; its small
multiples: test_style.py)."""

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


@pytest.mark.parametrize("units, scale", [("bn", 1e9), ("mn", 1e6)])
def test_the_tables_follow_the_charts_units_and_name_each_side(units, scale):
    """The share and mirror tables are in the notebook's ``units``, as its charts are, and each side's record
    is named by its state; the mirror's years are those of IMF DOTS, the last five shown."""
    from sco_research.analysis.trade import sco_share
    from sco_research.reports import trade_report
    from sco_research.reports.parameters import TradeParameters

    p = TradeParameters(reporter="KAZ", units=units)
    share = sco_share("KAZ", p.years, p.membership, trade=trade_report.reporter_trade(p))
    table = trade_report.share_table(share, units).set_index("year")
    row = share.set_index("year").loc[2020]
    assert (table.loc[2020, f"sco_{units}"], table.loc[2020, f"world_{units}"]) == (
        round(row["sco_usd"] / scale, 2), round(row["world_usd"] / scale, 2))
    mirror = trade_report.mirror_table(trade_report.mirror_series(p), p)
    assert mirror.columns.tolist() == ["year", f"KAZ_records_{units}", f"CHN_records_{units}", "gap_pct"]
    assert mirror["year"].tolist() == [2016, 2017, 2018, 2019, 2020]
    pair = mirror_pair("KAZ", "CHN", [2020]).iloc[0]
    assert mirror.iloc[-1][f"CHN_records_{units}"] == round(pair["reported_by_b"] / scale, 2)


def test_unknown_units_are_refused():
    with pytest.raises(sco.ParameterError, match=r"invalid units='tn': expected one of 'bn', 'mn'"):
        plot_trade_by_partner(load_trade(reporters="KAZ", partners="CHN"), units="tn")


def _switch(ax):
    """The dashed guide of the change of source, and the label above it (None when not drawn)."""
    lines = [line for line in ax.get_lines() if line.get_gid() == "source_switch"]
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "mark_label" and t.get_text().startswith("IMF DOTS")]
    return lines, labels


@pytest.mark.parametrize("reporter, after", [("KAZ", "national statistics"), ("KGZ", "national statistics"),
                                             ("CHN", "customs releases"), ("RUS", None)])
def test_partner_and_share_charts_mark_the_change_of_source_after_the_imf_years(reporter, after):
    from sco_research.analysis.trade import sco_share
    from sco_research.plotting import plot_sco_share
    from sco_research.reports import trade_report
    from sco_research.reports.parameters import TradeParameters

    p = TradeParameters(reporter=reporter)
    rows = trade_report.partner_series(p)
    assert set(rows.loc[rows["year"] > 2020, "source_id"]).isdisjoint({"imf_dots_2022"})
    share = sco_share(p.reporter, p.years, p.membership, trade=trade_report.reporter_trade(p))
    charts = [plot_trade_by_partner(rows)]
    if share["year"].max() > 2020:  # China's world total ends with the IMF years: no switch on its share chart
        charts.append(plot_sco_share(share, reporter=reporter, membership=p.membership))
    for ax in charts:
        lines, labels = _switch(ax)
        if after is None:  # Russia: nothing after 2020 in the chosen years, so no break to mark
            assert lines == [] and labels == []
            continue
        (line,) = lines
        assert list(line.get_xdata()) == [2020.5, 2020.5] and line.get_linestyle() == "--"
        assert labels == [f"IMF DOTS | {after}"]
        sources = " ".join(next(t for t in ax.texts if t.get_gid() == "sources").get_text().split())
        assert "International Monetary Fund, 2022" in sources
        if after == "national statistics":  # the office is cited beside the IMF
            assert "Statistic" in sources.split("International Monetary Fund, 2022", 1)[1]


@pytest.mark.parametrize("panel_height", [0.5, "2", True])
def test_small_multiples_refuse_a_panel_too_small_or_not_a_number(panel_height):
    from sco_research.analysis.sources import source_notes
    from sco_research.analysis.trade import sco_shares
    from sco_research.plotting import plot_share_small_multiples

    shares = sco_shares(["KAZ"], [2019, 2020])
    with pytest.raises(sco.ParameterError, match=rf"invalid panel_height={panel_height!r}: expected a height in "
                                                 r"inches of at least 1\.0"):
        plot_share_small_multiples(shares, sources=source_notes(shares), panel_height=panel_height)
