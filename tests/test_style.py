"""The one chart style, on the drawn artists of every chart of the default report set (real data).

Checked on what matplotlib draws, after ``fig.canvas.draw()``: whole-year tick labels, one colour per
country across charts, state names instead of ISO3 codes, labels and annotations that never overlap
(at several resolutions: hinted text is not the same size at every dpi), bar labels inside their
bars, map labels beside their own markers, a source line under every chart, steps that run to the
as-of date, the trade matrix against the trade table, and no leak of rcParams into the session.
"""

import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import sco_research as sco  # noqa: E402
from sco_research.analysis import trade as T  # noqa: E402
from sco_research.analysis.sources import source_notes  # noqa: E402
from sco_research.data import load_trade  # noqa: E402
from sco_research.plotting import (  # noqa: E402
    plot_chairmanship_timeline,
    plot_membership_growth,
    plot_membership_map,
    plot_mirror,
    plot_partner_ranking,
    plot_sco_share,
    plot_share_small_multiples,
    plot_status_counts,
    plot_summit_map,
    plot_trade_by_partner,
    plot_trade_matrix,
)
from sco_research.plotting.labels import state_names  # noqa: E402
from sco_research.plotting.style import (  # noqa: E402
    MEMBER_COLORS,
    contrast,
    country_color,
    country_palette,
    label_color,
    overlapping_pairs,
    spread,
    visible_tick_labels,
)
from sco_research.reports import trade_report  # noqa: E402
from sco_research.reports.parameters import TradeParameters  # noqa: E402

MEMBERS = sco.members(on=sco.latest_date())
CODES = set(sco.load_states()["iso3"]) | {"WLD"}
DPIS = (72, 100, 150)  # the figure's own, the report's (figures.DPI) and a small one


def _params(reporter):
    return TradeParameters(reporter=reporter)


# --- the charts of the default report set (notebooks/reports.yaml), drawn as the notebooks draw them -----

def by_partner(reporter="CHN"):
    return plot_trade_by_partner(trade_report.partner_series(_params(reporter)))


def sco_share_chart(reporter="CHN"):
    p = _params(reporter)
    return plot_sco_share(T.sco_share(p.reporter, p.years, p.membership, flow=p.flow), reporter=reporter,
                          membership=p.membership)


def ranking(reporter="CHN"):
    p = _params(reporter)
    year = int(T.sco_share(p.reporter, p.years, p.membership)["year"].max())
    return plot_partner_ranking(T.partner_ranking(reporter, year, p.chosen_partners), reporter=reporter, year=year)


def mirror(reporter="CHN"):
    p = _params(reporter)
    return plot_mirror(T.mirror_pair(reporter, p.mirror, [y for y in p.years if y <= 2020]), reporter,
                       p.mirror)


def matrix(year=2020, membership="current"):
    m = T.trade_matrix(year, membership)
    return plot_trade_matrix(m, sources=source_notes(m))


def small_multiples():
    shares = T.sco_shares()
    return plot_share_small_multiples(shares, sources=source_notes(shares))


def status_counts(as_of=None):
    day = sco.latest_date() if as_of is None else pd.Timestamp(as_of)
    return plot_status_counts(sco.status_counts().loc[:day], end=day)


TRADE_CHARTS = {"by_partner": by_partner, "sco_share": sco_share_chart, "ranking": ranking, "mirror": mirror}
YEAR_AXIS_CHARTS = {"by_partner": by_partner, "sco_share": sco_share_chart, "mirror": mirror}
OTHER_CHARTS = {
    "status_counts": status_counts,
    "status_counts_2017": lambda: status_counts("2017-06-09"),
    "map": lambda: plot_membership_map(),
    "growth": lambda: plot_membership_growth(),
    "timeline": lambda: plot_chairmanship_timeline(),
    "timeline_zh_kaz": lambda: plot_chairmanship_timeline(language="zh", highlight="KAZ"),
    "timeline_ru": lambda: plot_chairmanship_timeline(language="ru"),
    "summit_map": lambda: plot_summit_map(),
    "summit_map_zh": lambda: plot_summit_map(language="zh", highlight="KAZ"),
    "matrix": matrix,
    "small_multiples": small_multiples,
}
ALL_CHARTS = [pytest.param(lambda f=f, r=r: f(r), id=f"{name}-{r}") for name, f in TRADE_CHARTS.items()
              for r in MEMBERS] + [pytest.param(f, id=name) for name, f in OTHER_CHARTS.items()]


def _figure(chart):
    return getattr(chart, "figure", chart)


def _drawn(chart, dpi=None):
    fig = _figure(chart)
    if dpi is not None:
        fig.set_dpi(dpi)
    fig.canvas.draw()
    return fig


def _texts(fig):
    """Every text drawn: visible, not empty, not on a hidden axes (an empty small-multiple slot), and not a
    tick label of an axes whose axis is off (a map)."""
    hidden = set()
    for ax in fig.axes:
        if not ax.get_visible() or not ax.axison:
            for axis in (ax.xaxis, ax.yaxis):
                for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                    hidden |= {tick.label1, tick.label2}
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and t not in hidden
            and (t.axes is None or t.axes.get_visible())]


def _box(text):
    return Text.get_window_extent(text)  # the text alone, not an annotation's leader line


# --- year axes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", YEAR_AXIS_CHARTS)
@pytest.mark.parametrize("reporter", MEMBERS)
def test_year_axes_of_trade_charts_have_whole_year_ticks_only(name, reporter):
    ax = YEAR_AXIS_CHARTS[name](reporter)
    _drawn(ax, 150)
    labels = visible_tick_labels(ax.xaxis)
    assert labels and all(re.fullmatch(r"(19|20)\d\d", t) for t in labels), labels


@pytest.mark.parametrize("chart", [small_multiples, status_counts, lambda: plot_chairmanship_timeline(),
                                   lambda: plot_chairmanship_timeline(2017, 2025, language="ru")],
                         ids=["small_multiples", "status_counts", "timeline", "timeline_ru_2017"])
def test_every_other_year_axis_has_whole_year_ticks_only(chart):
    fig = _drawn(chart(), 150)
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.xaxis.get_visible() and ax.get_label() != "<colorbar>"]
    for ax in axes:
        labels = visible_tick_labels(ax.xaxis)
        assert all(re.fullmatch(r"(19|20)\d\d", t) for t in labels), labels
    assert any(visible_tick_labels(ax.xaxis) for ax in axes)


# --- colours -----------------------------------------------------------------------------------

def test_every_state_has_a_colour_and_the_members_are_distinct():
    palette = country_palette()
    assert set(palette) == CODES
    assert set(MEMBERS) <= set(MEMBER_COLORS)
    assert len({palette[c] for c in MEMBERS}) == len(MEMBERS)
    assert all(contrast(label_color(c), "#ffffff") >= 4.5 for c in CODES)
    with pytest.raises(sco.ParameterError, match=r"invalid iso3='XXX'"):
        country_color("XXX")


def _line_color(ax, gid):
    return to_hex(next(line for line in ax.get_lines() if line.get_gid() == gid).get_color())


def test_a_country_has_the_same_colour_in_every_chart():
    kaz, chn = country_color("KAZ"), country_color("CHN")
    assert _line_color(by_partner("CHN"), "partner:KAZ") == kaz
    assert _line_color(by_partner("RUS"), "partner:KAZ") == kaz  # not its position among the partners
    assert _line_color(by_partner("KAZ"), "partner:CHN") == chn
    bars = {p.get_gid(): to_hex(p.get_facecolor()) for p in ranking("CHN").patches}
    assert bars["partner:KAZ"] == kaz
    assert _line_color(mirror("CHN"), "recorded_by:KAZ") == kaz
    assert _line_color(sco_share_chart("KAZ"), "share:KAZ") == kaz
    grid_axes = _figure(small_multiples()).axes
    assert {_line_color(ax, "share:KAZ") for ax in grid_axes if ax.get_title() == "Kazakhstan"} == {kaz}
    timeline = plot_chairmanship_timeline(2023, 2025)
    chairs = sco.load_chairmanships()
    kaz_bars = [p for p in timeline.patches if (p.get_gid() or "").startswith("chair:")
                and to_hex(p.get_facecolor()) == kaz]
    assert len(kaz_bars) == int(((chairs["chair_iso3"] == "KAZ") & (chairs["start_date"] >= "2023-01-01")).sum())
    dots = {c.get_gid(): to_hex(c.get_facecolor()[0]) for c in plot_summit_map().collections if c.get_gid()}
    assert dots["city:Astana"] == kaz and dots["city:Beijing"] == chn


# --- names, not codes; a source line; no overlaps: every chart of the default report set -------------

def _placed_labels(fig):
    """Placed labels, guide labels, bar and map labels, the source line, and the titles above them."""
    gids = ("line_label", "mark_label", "summit_label", "chair_label", "secretary_label", "city_label", "sources")
    titles = [ax.title for ax in fig.axes if ax.get_visible()] + ([fig._suptitle] if fig._suptitle else [])
    return [t for t in _texts(fig) if (t.get_gid() or "").startswith(gids) or t in titles]


#: Charts of SCO events (statuses, chairs, summits): their source line says how far the events were checked.
EVENT_CHARTS = ("status_counts", "map", "growth", "timeline", "summit_map")


@pytest.mark.parametrize("chart", ALL_CHARTS)
def test_chart_names_states_cites_its_sources_and_overlaps_nothing(chart, request):
    fig = _figure(chart())
    # statuses, chairs and summits after coverage.csv's day may exist: a chart of events says so in its source line
    # (in every language); a trade chart, whose years are its own coverage, does not
    shows_events = request.node.callspec.id.split("-")[0].startswith(EVENT_CHARTS)
    (line,) = [t for t in _texts(fig) if t.get_gid() == "sources"]
    assert (sco.coverage_note() in " ".join(line.get_text().split())) == shows_events
    for dpi in DPIS:
        _drawn(fig, dpi)
        # state names, never ISO3 codes, in titles, legends, tick labels and annotations
        codes = [t.get_text() for t in _texts(fig) if set(re.findall(r"\b[A-Z]{3}\b", t.get_text())) & CODES]
        assert codes == [], dpi
        # direct labels, guides' labels, bar and map labels and the source line: no two overlap
        assert overlapping_pairs(_placed_labels(fig)) == [], dpi
        # one readable source line, naming publishers and years, under every plot and clear of other text
        lines = [t for t in _texts(fig) if t.get_gid() == "sources"]
        assert len(lines) == 1
        text = lines[0].get_text()
        assert re.search(r"Sources?: [^;]+, (accessed )?(19|20)\d\d", text), text
        assert "_" not in text and lines[0].get_fontsize() >= 8  # publishers, not source ids
        box = _box(lines[0])
        assert [t.get_text() for t in _texts(fig) if t is not lines[0] and _box(t).overlaps(box)] == [], dpi
        assert all(box.y1 <= ax.bbox.y0 for ax in fig.axes if ax.get_visible()), dpi


def test_names_come_from_the_states_table_in_the_chosen_language():
    names = state_names("en")
    ax = by_partner("CHN")
    drawn = {line.get_gid(): line.get_label() for line in ax.get_lines() if (line.get_gid() or "").startswith("partner:")}
    assert drawn == {f"partner:{c}": names[c] for c in _params("CHN").chosen_partners}
    assert ax.get_title() == "Goods trade recorded by China, by partner"
    zh = plot_trade_matrix(T.trade_matrix(2020), sources="Source: test", language="zh")
    assert [t.get_text() for t in zh.get_yticklabels()][:2] == [state_names("zh")["CHN"], state_names("zh")["IND"]]


# --- labels and annotations ------------------------------------------------------------------

@pytest.mark.parametrize("reporter", MEMBERS)
def test_partner_chart_labels_every_line_at_its_end_instead_of_a_legend(reporter):
    ax = by_partner(reporter)
    fig = _drawn(ax)
    assert ax.get_legend() is None
    lines = [line for line in ax.get_lines() if (line.get_gid() or "").startswith("partner:")]
    labels = {t.get_text(): t for t in ax.texts if t.get_gid() == "line_label"}
    assert sorted(labels) == sorted(line.get_label() for line in lines)
    for line in lines:
        x, y = line.get_xdata(), np.asarray(line.get_ydata(), dtype=float)
        last = np.flatnonzero(np.isfinite(y))[-1]
        label = labels[line.get_label()]
        assert label.xy == (x[last], y[last])  # anchored to the line's own last point
        assert _box(label).x0 >= ax.transData.transform((x[last], y[last]))[0]  # and to its right
    marks = [t for t in ax.texts if t.get_gid() == "mark_label"]
    assert all(_box(t).y0 >= ax.bbox.y1 for t in marks)  # above the plot, never over the data
    assert _box(ax.title).y0 >= max(_box(t).y1 for t in marks)  # and under the title
    assert fig


@pytest.mark.parametrize("language", ["en", "ru", "zh"])
def test_timeline_labels_fit_inside_their_bars(language):
    ax = plot_chairmanship_timeline(language=language)
    _drawn(ax, 150)
    bars = {p.get_gid(): p for p in ax.patches if p.get_gid()}
    inside = [t for t in ax.texts if re.fullmatch(r"(chair|secretary)_label:\d+", t.get_gid() or "")]
    assert len(inside) >= 12
    for text in inside:
        lane, n = text.get_gid().split("_label:")
        box = _box(text)
        bar = bars[f"{lane}:{n}"] if lane == "secretary" else _chair_bar(ax, bars, int(n))
        extent = bar.get_window_extent()
        ongoing = bars.get(f"ongoing:{bar.get_gid()}")
        right = ongoing.get_window_extent().x1 if ongoing is not None else extent.x1
        assert extent.x0 <= box.x0 and box.x1 <= right and extent.y0 <= box.y0 and box.y1 <= extent.y1, text.get_text()
        # readable: black or white, whichever contrasts more with the bar
        assert contrast(text.get_color(), _seen(bar)) >= 3.0, text.get_text()
    beside = [t for t in ax.texts if (t.get_gid() or "").endswith(":beside")]
    assert all(_box(t).x0 >= ax.bbox.x1 - 1 for t in beside)  # the open-ended last bars, named beside them


def _chair_bar(ax, bars, n):
    chairs = sorted((p for gid, p in bars.items() if re.fullmatch(r"chair:\d+", gid)), key=lambda p: p.get_x())
    return chairs[n]


def _seen(bar):
    from matplotlib.colors import to_rgba

    r, g, b, a = to_rgba(bar.get_facecolor())
    return tuple(a * c + (1 - a) for c in (r, g, b))


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("dpi", DPIS)
def test_summit_map_labels_sit_beside_their_own_marker(language, dpi):
    ax = plot_summit_map(language=language)
    _drawn(ax, dpi)
    dots = {c.get_gid().split(":", 1)[1]: c for c in ax.collections if (c.get_gid() or "").startswith("city:")}
    centres = {city: ax.transData.transform(dot.get_offsets()[0]) for city, dot in dots.items()}
    labels = {t.get_gid().split(":", 1)[1]: t for t in ax.texts if (t.get_gid() or "").startswith("city_label:")}
    assert sorted(labels) == sorted(dots)
    for city, label in labels.items():
        box = _box(label)
        distance = {other: _distance(box, c) for other, c in centres.items()}
        assert min(distance, key=distance.get) == city, (city, sorted(distance.items(), key=lambda kv: kv[1])[:2])
        for other, dot in dots.items():  # no label over another city's marker
            if other != city:
                radius = dot.get_sizes()[0] ** 0.5 / 2 * dpi / 72
                (cx, cy) = centres[other]
                assert _distance(box, (cx, cy)) >= radius, (city, other)
    assert overlapping_pairs(list(labels.values())) == []


def _distance(box, point):
    dx = max(box.x0 - point[0], 0, point[0] - box.x1)
    dy = max(box.y0 - point[1], 0, point[1] - box.y1)
    return (dx * dx + dy * dy) ** 0.5


def test_spread_keeps_order_and_separates_intervals():
    wanted = [0.0, 0.5, 0.6, 10.0, 10.2]
    centres = spread(wanted, [1.0] * 5, gap=0.2, low=-0.5)
    assert centres == sorted(centres)
    assert all(b - a >= 1.2 - 1e-9 for a, b in zip(centres, centres[1:]))
    assert centres[0] >= 0.0  # kept inside [low, high]: its lower edge at -0.5 or above


# --- source lines ------------------------------------------------------------------------------

def test_source_notes_name_the_publisher_and_year_of_the_rows_drawn():
    notes = source_notes(load_trade(reporters="CHN", partners=["IND", "RUS"])["source_id"])
    assert notes["publisher"].tolist()[0] == "International Monetary Fund"  # most rows first
    assert set(notes["year"]) == {"2022", "2023", "2025"}
    ax = by_partner("CHN")
    line = " ".join(next(t for t in ax.texts if t.get_gid() == "sources").get_text().split())
    assert "International Monetary Fund, 2022" in line and "The New Indian Express (PTI), 2023" in line


# --- steps run to the as-of date ---------------------------------------------------------------

@pytest.mark.parametrize("as_of", ["2017-06-09", "2024-07-04", None])
def test_status_steps_run_to_the_as_of_date_and_show_its_counts(as_of):
    day = sco.latest_date() if as_of is None else pd.Timestamp(as_of)
    ax = status_counts(as_of)
    fig = _drawn(ax)
    import matplotlib.dates as mdates

    for line in ax.get_lines():
        if not line.get_label().startswith("_"):
            assert mdates.date2num(line.get_xdata()[-1]) == mdates.date2num(day)
    assert ax.get_xlim()[1] > mdates.date2num(day)  # the last step is not glued to the frame
    counts = sco.status_counts().loc[:day].iloc[-1]
    ends = {t.get_text() for t in ax.texts if t.get_gid() == "line_label"}
    held = [s for s in sco.STATUSES if sco.status_counts().loc[:day, s].max() > 0]
    assert ends == {f"{sco.STATUS_LABELS[s]}: {counts[s]}" for s in held}
    assert fig


# --- the new charts ----------------------------------------------------------------------------

def _mesh(ax):
    from matplotlib.collections import QuadMesh

    return next(c for c in ax.collections if isinstance(c, QuadMesh))


def _annotations(ax):
    n = len(ax.get_xticks())
    cells = {}
    for t in ax.texts:
        x, y = t.get_position()
        if t.get_gid() != "sources" and float(x).is_integer() is False and 0 < x < n:
            cells[(int(y), int(x))] = t.get_text()
    return cells


@pytest.mark.parametrize("year, membership", [(2020, "current"), (2010, "historical"), (2004, "current")])
def test_trade_matrix_cells_equal_the_trade_table(year, membership):
    m = T.trade_matrix(year, membership)
    ax = plot_trade_matrix(m, sources=source_notes(m))
    mesh = np.ma.masked_invalid(_mesh(ax).get_array()).reshape(len(m), len(m.columns))
    rows = load_trade(reporters=list(m.index), partners=list(m.columns), years=[year])
    totals = rows.groupby(["reporter_iso3", "partner_iso3"])["value_usd"].agg(["sum", "count"])
    names = state_names("en")
    assert [t.get_text() for t in ax.get_yticklabels()] == [names[c] for c in m.index]
    assert [t.get_text() for t in ax.get_xticklabels()] == [names[c] for c in m.columns]
    cells = _annotations(ax)
    for i, reporter in enumerate(m.index):
        for j, partner in enumerate(m.columns):
            key = (reporter, partner)
            if reporter != partner and key in totals.index and totals.loc[key, "count"] == 2:
                assert mesh[i, j] == pytest.approx(totals.loc[key, "sum"] / 1e9, rel=1e-12)
                assert cells[(i, j)] not in ("", "0") or totals.loc[key, "sum"] == 0
            else:  # no complete record (or the diagonal): masked, blank, never 0
                assert mesh.mask[i, j] and np.isnan(m.loc[reporter, partner]), key
                assert cells.get((i, j), "") == ""


def test_trade_matrix_leaves_an_incomplete_pair_empty_not_zero():
    m = T.trade_matrix(2004, "current")
    assert np.isnan(m.loc["KGZ", "PAK"])  # only one flow recorded by Kyrgyzstan in 2004
    exports = T.trade_matrix(2004, "current", flow=next(iter(
        load_trade(reporters="KGZ", partners="PAK", years=[2004])["flow"])))
    assert exports.loc["KGZ", "PAK"] > 0
    assert np.isnan(T.trade_matrix(2022, "current").loc["KAZ", "CHN"])  # no 2022 row in the bundled table
    assert m.attrs["source_ids"] and set(m.attrs["source_ids"]) == {"imf_dots_2022"}


def test_share_small_multiples_have_one_panel_per_member_on_one_scale():
    shares = T.sco_shares()
    fig = plot_share_small_multiples(shares, sources=source_notes(shares))
    names = state_names("en")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert sorted(ax.get_title() for ax in panels) == sorted(names[c] for c in MEMBERS)
    assert len({ax.get_ylim() for ax in panels}) == 1 and panels[0].get_ylim()[0] == 0
    for ax in panels:
        code = next(c for c in MEMBERS if names[c] == ax.get_title())
        drawn = dict(zip(*[np.asarray(a, dtype=float) for a in _line(ax, f"before:{code}").get_data()]))
        expected = shares[shares["reporter_iso3"] == code].set_index("year")["share"] * 100
        assert {int(y): v for y, v in drawn.items() if np.isfinite(v)}.keys() <= set(expected.index)
        solid = _line(ax, f"share:{code}")
        member_years = set(shares[(shares["reporter_iso3"] == code) & shares["is_member"]]["year"])
        drawn_years = {int(x) for x, y in zip(*solid.get_data()) if np.isfinite(y)}
        assert drawn_years == member_years


def _line(ax, gid):
    return next(line for line in ax.get_lines() if line.get_gid() == gid)


# --- the style does not leak, and figures stay byte-identical ----------------------------------

@pytest.mark.parametrize("chart", [by_partner, small_multiples, matrix, status_counts, lambda: plot_summit_map()],
                         ids=["by_partner", "small_multiples", "matrix", "status_counts", "summit_map"])
def test_plotting_leaves_the_sessions_rcparams_alone(chart):
    with matplotlib.rc_context({"font.size": 17.0, "axes.grid": False, "axes.titleweight": "normal"}):
        before = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
        fig = _drawn(chart())
        after = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
        assert after == before
        assert matplotlib.rcParams["font.size"] == 17.0
    title = fig.axes[0].title if fig.axes[0].get_title() else fig.texts[0]
    assert title.get_fontweight() == "bold"  # the chart itself is in the package style


_SAVE = """
import matplotlib
matplotlib.use("Agg")
from sco_research.analysis import trade as T
from sco_research.analysis.sources import source_notes
from sco_research.data import load_trade
from sco_research.figures import save_figure
from sco_research.plotting import plot_share_small_multiples, plot_trade_by_partner, plot_trade_matrix
m = T.trade_matrix(2020, "current")
save_figure(plot_trade_matrix(m, sources=source_notes(m)), "matrix", directory=DIRECTORY, formats=["png"])
s = T.sco_shares(["CHN", "IND", "KAZ"])
save_figure(plot_share_small_multiples(s, sources=source_notes(s)), "shares", directory=DIRECTORY, formats=["png"])
save_figure(plot_trade_by_partner(load_trade(reporters="CHN", partners=["IND", "KAZ", "RUS"])), "partners",
            directory=DIRECTORY, formats=["png", "svg"])
"""


def test_new_and_restyled_figures_are_byte_identical_across_processes(tmp_path):
    import hashlib

    # One file set drawn in a fresh process (another hash seed), one drawn here.
    subprocess.run([sys.executable, "-c", f"DIRECTORY = {str(tmp_path / 'a')!r}\n{_SAVE}"], check=True)
    exec(_SAVE, {"DIRECTORY": str(tmp_path / "b")})  # noqa: S102
    digests = [{p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (tmp_path / run).iterdir()}
               for run in ("a", "b")]
    assert len(digests[0]) == 4 and digests[0] == digests[1]


def test_no_figure_is_left_open_by_a_failed_argument_check():
    before = plt.get_fignums()
    with pytest.raises(sco.ParameterError):
        plot_trade_matrix(T.trade_matrix(2020), sources="x", units="tn")
    assert plt.get_fignums() == before
