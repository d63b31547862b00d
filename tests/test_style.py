"""The one chart style, on the drawn artists of every chart of the default report set (real data).

Checked on what matplotlib draws (``fig.draw_without_rendering()``: a draw's layout, without the pixels):
whole-year tick labels, one colour per country across charts, state names instead of ISO3 codes, labels
and annotations that never overlap (at several resolutions: hinted text is not the same size at every
dpi), bar labels inside their bars, map labels beside their own markers, a source line under every
chart, steps that run to the as-of date, the trade matrix against the trade table, and no leak of
rcParams into the session.

Each chart of the report set is built and drawn once, at the resolution reports are saved at, and
shared by the tests that only read its artists (the ``charts`` fixture); the resolution tests draw
one chart of each kind at the other resolutions too. The figure files' reproducibility across
processes is checked in test_figure_files.py and test_reports.py.
"""

import re
from functools import cache

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import sco_research as sco  # noqa: E402
from sco_research.analysis import trade as T  # noqa: E402
from sco_research.analysis.sources import source_notes  # noqa: E402
from sco_research.data import load_trade  # noqa: E402
from sco_research.figures import DPI  # noqa: E402
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
OTHER_DPIS = (72, 100)  # a small one and the figure's own, besides the report's (DPI, every chart)


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
    return plot_mirror(trade_report.mirror_series(p), reporter, p.mirror)


def matrix(year=2020, membership="current"):
    m = T.trade_matrix(year, membership)
    return plot_trade_matrix(m, sources=source_notes(m))


@cache
def _shares():
    return T.sco_shares()


def shares():
    """Every member's SCO share (computed once: it reads the whole trade table)."""
    return _shares().copy()


def small_multiples():
    data = shares()
    return plot_share_small_multiples(data, sources=source_notes(data))


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
REPORT_CHARTS = {f"{name}-{r}": (lambda f=f, r=r: f(r)) for name, f in TRADE_CHARTS.items() for r in MEMBERS}
REPORT_CHARTS.update(OTHER_CHARTS)
#: One chart of each kind (the placement code is the same for every reporter), reporters spread.
ONE_OF_EACH_KIND = ["by_partner-CHN", "sco_share-RUS", "ranking-KAZ", "mirror-IND", *OTHER_CHARTS]


def _figure(chart):
    return getattr(chart, "figure", chart)


def _drawn(chart, dpi=None):
    """The chart's figure, drawn at ``dpi``: laid out and every artist placed, as a draw does, without the
    rasterizing (these checks read positions and sizes, not pixels; the files' bytes: test_figure_files.py)."""
    fig = _figure(chart)
    if dpi is not None:
        fig.set_dpi(dpi)
    fig.draw_without_rendering()
    return fig


class DrawnCharts:
    """The charts of the report set, each built once and drawn at ``dpi`` when asked for."""

    def __init__(self):
        self._charts, self._drawn_at = {}, {}

    def __call__(self, name, dpi=DPI):
        """The chart (Axes or Figure) called ``name`` in :data:`REPORT_CHARTS`, drawn at ``dpi``."""
        if name not in self._charts:
            chart = self._charts[name] = REPORT_CHARTS[name]()
            # Out of pyplot, so that closing every figure after each test (conftest) leaves it drawn: a
            # closed figure loses its Agg canvas and its dpi.
            plt.close(_figure(chart))
            FigureCanvasAgg(_figure(chart))
        if self._drawn_at.get(name) != dpi:
            _drawn(self._charts[name], dpi)
            self._drawn_at[name] = dpi
        return self._charts[name]


@pytest.fixture(scope="module")
def charts():
    """Drawing is most of this module's time: the tests that only read a chart's artists share one drawing."""
    return DrawnCharts()


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
    """The text alone (not an annotation's leader line), in pixels at the figure's current dpi.

    The renderer is passed: without one, ``Text.get_window_extent`` measures with the renderer the text
    was first measured with, which keeps the size of another dpi once the figure is drawn at a new one.
    """
    return Text.get_window_extent(text, text.get_figure(root=True).canvas.get_renderer())


# --- year axes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", YEAR_AXIS_CHARTS)
@pytest.mark.parametrize("reporter", MEMBERS)
def test_year_axes_of_trade_charts_have_whole_year_ticks_only(charts, name, reporter):
    ax = charts(f"{name}-{reporter}")
    labels = visible_tick_labels(ax.xaxis)
    assert labels and all(re.fullmatch(r"(19|20)\d\d", t) for t in labels), labels


@pytest.mark.parametrize("name", ["small_multiples", "status_counts", "timeline", "timeline_ru_2017"])
def test_every_other_year_axis_has_whole_year_ticks_only(charts, name):
    if name == "timeline_ru_2017":
        fig = _drawn(plot_chairmanship_timeline(2017, 2025, language="ru"), DPI)
    else:
        fig = _figure(charts(name))
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


def test_a_country_has_the_same_colour_in_every_chart(charts):
    kaz, chn = country_color("KAZ"), country_color("CHN")
    assert _line_color(charts("by_partner-CHN"), "partner:KAZ") == kaz
    assert _line_color(charts("by_partner-RUS"), "partner:KAZ") == kaz  # not its position among the partners
    assert _line_color(charts("by_partner-KAZ"), "partner:CHN") == chn
    bars = {p.get_gid(): to_hex(p.get_facecolor()) for p in charts("ranking-CHN").patches}
    assert bars["partner:KAZ"] == kaz
    assert _line_color(charts("mirror-CHN"), "recorded_by:KAZ") == kaz
    assert _line_color(charts("sco_share-KAZ"), "share:KAZ") == kaz
    grid_axes = _figure(charts("small_multiples")).axes
    assert {_line_color(ax, "share:KAZ") for ax in grid_axes if ax.get_title() == "Kazakhstan"} == {kaz}
    chairs = sco.load_chairmanships()
    kaz_bars = [p for p in charts("timeline").patches if re.fullmatch(r"chair:\d+", p.get_gid() or "")
                and to_hex(p.get_facecolor()) == kaz]
    assert len(kaz_bars) == int((chairs["chair_iso3"] == "KAZ").sum())
    dots = {c.get_gid(): to_hex(c.get_facecolor()[0]) for c in charts("summit_map").collections if c.get_gid()}
    assert dots["city:Astana"] == kaz and dots["city:Beijing"] == chn


# --- names, not codes; a source line; no overlaps: every chart of the default report set -------------

def _placed_labels(fig):
    """Placed labels, guide labels, bar and map labels, the source line, and the titles above them."""
    gids = ("line_label", "mark_label", "summit_label", "chair_label", "secretary_label", "city_label", "sources")
    titles = [ax.title for ax in fig.axes if ax.get_visible()] + ([fig._suptitle] if fig._suptitle else [])
    return [t for t in _texts(fig) if (t.get_gid() or "").startswith(gids) or t in titles]


#: Charts of SCO events (statuses, chairs, summits): their source line says how far the events were checked.
EVENT_CHARTS = ("status_counts", "map", "growth", "timeline", "summit_map")


def _names_sources_and_no_overlaps(fig, dpi):
    """The checks of a drawn chart that depend on how large its text is drawn."""
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


@pytest.mark.parametrize("name", REPORT_CHARTS)
def test_chart_names_states_cites_its_sources_and_overlaps_nothing(charts, name):
    fig = _figure(charts(name))
    # statuses, chairs and summits after coverage.csv's day may exist: a chart of events says so in its source line
    # (in every language); a trade chart, whose years are its own coverage, does not
    shows_events = name.split("-")[0].startswith(EVENT_CHARTS)
    (line,) = [t for t in _texts(fig) if t.get_gid() == "sources"]
    assert (sco.coverage_note() in " ".join(line.get_text().split())) == shows_events
    _names_sources_and_no_overlaps(fig, DPI)


def test_names_come_from_the_states_table_in_the_chosen_language(charts):
    names = state_names("en")
    ax = charts("by_partner-CHN")
    drawn = {line.get_gid(): line.get_label() for line in ax.get_lines() if (line.get_gid() or "").startswith("partner:")}
    assert drawn == {f"partner:{c}": names[c] for c in _params("CHN").chosen_partners}
    assert ax.get_title() == "Goods trade recorded by China, by partner"
    zh = plot_trade_matrix(T.trade_matrix(2020), sources="Source: test", language="zh")
    assert [t.get_text() for t in zh.get_yticklabels()][:2] == [state_names("zh")["CHN"], state_names("zh")["IND"]]


# --- labels and annotations ------------------------------------------------------------------

@pytest.mark.parametrize("reporter", MEMBERS)
def test_partner_chart_labels_every_line_at_its_end_instead_of_a_legend(charts, reporter):
    ax = charts(f"by_partner-{reporter}")
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


@pytest.mark.parametrize("name", ["timeline", "timeline_ru", "timeline_zh_kaz"], ids=["en", "ru", "zh"])
def test_timeline_labels_fit_inside_their_bars(charts, name):
    ax = charts(name)
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


SUMMIT_MAPS = ("summit_map", "summit_map_zh")


@pytest.mark.parametrize("name", SUMMIT_MAPS, ids=["en", "zh"])
def test_summit_map_labels_sit_beside_their_own_marker(charts, name):
    _labels_beside_their_own_marker(charts(name), DPI)  # at the other resolutions: the last test of this module


def _labels_beside_their_own_marker(ax, dpi):
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

def test_source_notes_name_the_publisher_and_year_of_the_rows_drawn(charts):
    notes = source_notes(load_trade(reporters="CHN", partners=["IND", "RUS"])["source_id"])
    assert notes["publisher"].tolist()[0] == "International Monetary Fund"  # most rows first
    assert set(notes["year"]) == {"2022", "2023", "2025"}
    ax = charts("by_partner-CHN")
    line = " ".join(next(t for t in ax.texts if t.get_gid() == "sources").get_text().split())
    assert "International Monetary Fund, 2022" in line and "The New Indian Express (PTI), 2023" in line


# --- steps run to the as-of date ---------------------------------------------------------------

@pytest.mark.parametrize("as_of", ["2017-06-09", "2024-07-04", None])
def test_status_steps_run_to_the_as_of_date_and_show_its_counts(charts, as_of):
    day = sco.latest_date() if as_of is None else pd.Timestamp(as_of)
    shared = {"2017-06-09": "status_counts_2017", None: "status_counts"}
    if as_of in shared:
        ax = charts(shared[as_of])
    else:
        ax = status_counts(as_of)
        _drawn(ax, DPI)
    import matplotlib.dates as mdates

    for line in ax.get_lines():
        if not line.get_label().startswith("_"):
            assert mdates.date2num(line.get_xdata()[-1]) == mdates.date2num(day)
    assert ax.get_xlim()[1] > mdates.date2num(day)  # the last step is not glued to the frame
    counts = sco.status_counts().loc[:day].iloc[-1]
    ends = {t.get_text() for t in ax.texts if t.get_gid() == "line_label"}
    held = [s for s in sco.STATUSES if sco.status_counts().loc[:day, s].max() > 0]
    assert ends == {f"{sco.STATUS_LABELS[s]}: {counts[s]}" for s in held}


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
def test_trade_matrix_cells_equal_the_trade_table(charts, year, membership):
    m = T.trade_matrix(year, membership)
    ax = charts("matrix") if (year, membership) == (2020, "current") else plot_trade_matrix(m, sources=source_notes(m))
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


def test_share_small_multiples_have_one_panel_per_member_on_one_scale(charts):
    data = shares()
    fig = charts("small_multiples")
    names = state_names("en")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert sorted(ax.get_title() for ax in panels) == sorted(names[c] for c in MEMBERS)
    assert len({ax.get_ylim() for ax in panels}) == 1 and panels[0].get_ylim()[0] == 0
    for ax in panels:
        code = next(c for c in MEMBERS if names[c] == ax.get_title())
        drawn = dict(zip(*[np.asarray(a, dtype=float) for a in _line(ax, f"before:{code}").get_data()]))
        expected = data[data["reporter_iso3"] == code].set_index("year")["share"] * 100
        before = {int(y): v for y, v in drawn.items() if np.isfinite(v)}
        assert before and before == pytest.approx(expected[list(before)].to_dict(), rel=1e-12)
        solid = _line(ax, f"share:{code}")
        member_years = set(data[(data["reporter_iso3"] == code) & data["is_member"]]["year"])
        drawn_years = {int(x) for x, y in zip(*solid.get_data()) if np.isfinite(y)}
        assert drawn_years == member_years


def test_share_small_multiples_mark_the_change_only_in_the_panels_that_change_source():
    """The 02_trade notebook's small multiples (here rather than in test_trade_notebook.py: drawing them imports
    seaborn, and with it scipy.stats, 1.6 CPU-s in each process that does; this module's worker does already)."""
    shares = T.sco_shares(["CHN", "KAZ", "KGZ", "RUS"], trade=load_trade("combined"))  # two switch source, two do not
    fig = plot_share_small_multiples(shares, sources=source_notes(shares))
    marked = sorted(ax.get_title() for ax in fig.axes
                    if any(line.get_gid() == "source_switch" and line.get_linestyle() == "--" for line in ax.get_lines()))
    assert marked == ["Kazakhstan", "Kyrgyzstan"]  # the two reporters with national statistics after 2020
    note = next(t for t in fig.findobj(Text) if t.get_gid() == "sources").get_text()
    assert "Dashed: the change from IMF DOTS (to 2020) to national statistics." in " ".join(note.split())
    plt.close(fig)


def _line(ax, gid):
    return next(line for line in ax.get_lines() if line.get_gid() == gid)


# --- the style does not leak, and figures stay byte-identical ----------------------------------

@pytest.mark.parametrize("chart", [by_partner, small_multiples, matrix, status_counts, lambda: plot_summit_map()],
                         ids=["by_partner", "small_multiples", "matrix", "status_counts", "summit_map"])
def test_plotting_leaves_the_sessions_rcparams_alone(chart):
    with matplotlib.rc_context({"font.size": 17.0, "axes.grid": False, "axes.titleweight": "normal"}):
        before = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
        fig = _figure(chart())  # not drawn: the package sets its style when it builds a chart, never at draw time
        after = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
        assert after == before
        assert matplotlib.rcParams["font.size"] == 17.0
    title = fig.axes[0].title if fig.axes[0].get_title() else fig.texts[0]
    assert title.get_fontweight() == "bold"  # the chart itself is in the package style


def test_no_figure_is_left_open_by_a_failed_argument_check():
    before = plt.get_fignums()
    with pytest.raises(sco.ParameterError):
        plot_trade_matrix(T.trade_matrix(2020), sources="x", units="tn")
    assert plt.get_fignums() == before


def test_the_written_out_theme_is_seaborns_whitegrid_notebook_theme():
    """style.SEABORN_THEME stands in for importing seaborn; it must stay what the installed seaborn gives."""
    import seaborn as sns

    from sco_research.plotting.style import SEABORN_THEME

    theme = {**sns.axes_style("whitegrid"), **sns.plotting_context("notebook")}
    assert theme.pop("image.cmap") == "rocket"  # seaborn's own colormap, left out (see SEABORN_THEME)
    assert SEABORN_THEME == theme


# --- at other resolutions: last in this module, so that each chart is drawn at the report's dpi for every test above
# and then once at each other dpi (a chart drawn at another dpi in between would be drawn again at the report's)

@pytest.mark.parametrize("name", ONE_OF_EACH_KIND)
def test_labels_stay_apart_at_other_resolutions(charts, name):
    """Hinted text is not the same size at every dpi (up to 15 % wider at 72 dpi than at 100)."""
    for dpi in OTHER_DPIS:
        chart = charts(name, dpi)
        _names_sources_and_no_overlaps(_figure(chart), dpi)
        if name in SUMMIT_MAPS:
            _labels_beside_their_own_marker(chart, dpi)
