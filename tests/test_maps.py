"""What the map functions draw, and the figure writer (its files' reproducibility: test_figure_files.py)."""


import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import shapely  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.path import Path  # noqa: E402

import sco_research as sco  # noqa: E402
from sco_research.analysis import geography as geo  # noqa: E402
from sco_research.analysis.membership import summit_covering  # noqa: E402
from sco_research.figures import animate_membership, figure_stem, save_figure  # noqa: E402
from sco_research.plotting import (  # noqa: E402
    STATUS_COLORS,
    growth_snapshot_dates,
    plot_chairmanship_timeline,
    plot_membership_growth,
    plot_membership_map,
    plot_status_counts,
    plot_summit_map,
)
from sco_research.plotting.maps import NO_ISO_LABEL, NO_STATUS_COLOR, NO_STATUS_LABEL  # noqa: E402


def _collections(ax):
    return {c.get_gid(): c for c in ax.collections if c.get_gid()}


def _rings(frame, mask) -> int:
    """Exterior and interior rings of the selected geometries."""
    parts = shapely.get_parts(frame.loc[mask, "geometry"].to_numpy())
    return int(len(parts) + shapely.get_num_interior_rings(parts).sum())


def _drawn_rings(collection) -> int:
    """Rings drawn by a collection: each starts with a MOVETO."""
    return sum(int((p.codes == Path.MOVETO).sum()) for p in collection.get_paths())


def test_map_colours_each_status_and_draws_every_ring_of_every_country():
    ax = plot_membership_map("2017-06-09")
    drawn = _collections(ax)
    frame = geo.map_frame("2017-06-09")
    assert set(drawn) == {"status:member", "status:observer", "status:dialogue_partner", "status:none", "no_iso_code"}
    for status in ("member", "observer", "dialogue_partner"):
        collection = drawn[f"status:{status}"]
        assert {to_hex(c) for c in collection.get_facecolor()} == {STATUS_COLORS[status]}
        mask = frame["status"] == status
        assert len(collection.get_paths()) == mask.sum(), status  # one path per country
        assert _drawn_rings(collection) == _rings(frame, mask), status  # islands and holes included
    assert len(drawn["status:member"].get_paths()) == 8  # the six founders, India and Pakistan
    assert {to_hex(c) for c in drawn["status:none"].get_facecolor()} == {NO_STATUS_COLOR}
    assert len(drawn["no_iso_code"].get_paths()) == (~frame["has_iso_code"]).sum()
    assert sum(_drawn_rings(c) for c in drawn.values()) == _rings(frame, frame.index == frame.index)


def test_india_and_pakistan_change_colour_on_9_june_2017():
    def member_rings(day):
        ax = plot_membership_map(day)
        return _drawn_rings(_collections(ax)["status:member"])

    frame = geo.map_frame("2017-06-09")
    added = _rings(frame, frame["iso3"].isin(["IND", "PAK"]))
    assert member_rings("2017-06-09") - member_rings("2017-06-08") == added


def test_legend_is_identical_for_every_date():
    labels = []
    for day in ("2001-06-15", "2017-06-09", "2025-09-01"):
        legend = plot_membership_map(day).get_legend()
        labels.append([t.get_text() for t in legend.get_texts()])
    expected = [sco.STATUS_LABELS[s] for s in sco.STATUSES] + [NO_STATUS_LABEL, NO_ISO_LABEL]
    assert labels == [expected] * 3


def test_legend_follows_the_selected_statuses_and_title_states_the_date():
    ax = plot_membership_map("2024-07-04", statuses=["partner", "member"])
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["Member state", "SCO partner"]
    assert ax.get_title() == "SCO statuses on 4 July 2024"
    # Observers are not selected, so Afghanistan and Mongolia are drawn as "no status".
    assert "status:observer" not in _collections(ax)


def test_world_extent_uses_equal_earth():
    ax = plot_membership_map("2025-09-01", extent="world")
    xmin, ymin, xmax, ymax = geo.view_limits("world")
    assert ax.get_xlim() == (xmin, xmax)
    assert len(_collections(ax)["status:none"].get_paths()) > 200  # the Americas are drawn
    # The drawn outlines span the world as Equal Earth projects it (Robinson, say, is 0.7 % narrower and 2.8 % taller).
    vertices = np.concatenate([path.vertices for c in _collections(ax).values() for path in c.get_paths()])
    drawn = [vertices[:, 0].min(), vertices[:, 1].min(), vertices[:, 0].max(), vertices[:, 1].max()]
    assert np.allclose(drawn, sco.load_geometries().to_crs("EPSG:8857").total_bounds, rtol=1e-3)


@pytest.mark.parametrize("kwargs, message", [
    ({"on": "2001-06-14x"}, r"invalid on='2001-06-14x'"),
    ({"statuses": ["member", "guest"]}, r"invalid statuses='guest': expected one of 'member'"),
    ({"extent": "asia"}, r"invalid extent='asia': expected one of 'eurasia', 'world'"),
    ({"projection": "mercator"}, r"invalid projection='mercator': expected one of 'eurasia_laea', 'equal_earth'"),
])
def test_bad_arguments_fail_before_drawing(kwargs, message):
    figures_before = plt.get_fignums()
    args = {"on": "2020-01-01", **kwargs}
    with pytest.raises(sco.ParameterError, match=message):
        plot_membership_map(**args)
    assert plt.get_fignums() == figures_before


def test_default_growth_panels_are_the_membership_changes():
    days = growth_snapshot_dates()
    assert [d.date().isoformat() for d in days] == [
        "2001-06-15", "2004-06-17", "2009-06-16", "2017-06-09", "2023-07-04", "2024-07-04", "2025-09-01"]
    fig = plot_membership_growth()
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == len(days)
    assert visible[3].get_title() == "9 June 2017 · 8 members"
    assert [t.get_text() for t in fig.legends[0].get_texts()][-1] == NO_ISO_LABEL


def test_shanghai_five_is_drawn_only_on_request():
    plain = plot_membership_map("1998-01-01")
    assert set(_collections(plain)) == {"status:none", "no_iso_code"}
    assert plain.get_title() == "SCO statuses on 1 January 1998"
    ax = plot_membership_map("1998-01-01", include_precursor=True)
    drawn = _collections(ax)
    assert set(drawn) == {"status:shanghai_five", "status:none", "no_iso_code"}
    five = drawn["status:shanghai_five"]
    assert {to_hex(c) for c in five.get_facecolor()} == {STATUS_COLORS["shanghai_five"]}
    frame = geo.map_frame("1998-01-01", include_precursor=True)
    assert sorted(frame.loc[frame["status"] == "shanghai_five", "iso3"]) == ["CHN", "KAZ", "KGZ", "RUS", "TJK"]
    assert _drawn_rings(five) == _rings(frame, frame["status"] == "shanghai_five")
    assert ax.get_title() == "SCO statuses and the Shanghai Five on 1 January 1998"
    expected = [sco.STATUS_LABELS[s] for s in sco.STATUSES] + ["Shanghai Five (precursor)", NO_STATUS_LABEL,
                                                                 NO_ISO_LABEL]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == expected


def test_shanghai_five_adds_only_a_legend_entry_after_the_founding():
    plain = _collections(plot_membership_map("2017-06-09"))
    asked = _collections(plot_membership_map("2017-06-09", include_precursor=True))
    assert set(asked) == set(plain)
    assert all(len(asked[gid].get_paths()) == len(plain[gid].get_paths()) for gid in plain)
    legend = [[t.get_text() for t in plot_membership_map("2017-06-09", include_precursor=flag).get_legend().get_texts()]
              for flag in (False, True)]
    assert "Shanghai Five (precursor)" not in legend[0]
    assert [t for t in legend[1] if t != "Shanghai Five (precursor)"] == legend[0] and len(legend[1]) == len(legend[0]) + 1
    with pytest.raises(sco.ParameterError, match=r"invalid include_precursor='yes'"):
        plot_membership_map("1998-01-01", include_precursor="yes")


def test_growth_panels_with_the_precursor_start_in_1996():
    days = growth_snapshot_dates(include_precursor=True)
    assert days == [pd.Timestamp("1996-04-26"), *growth_snapshot_dates()]
    fig = plot_membership_growth(["1998-01-01", "2001-06-14", "2001-06-15"], include_precursor=True)
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    assert titles == ["1 January 1998 · Shanghai Five: 5", "14 June 2001 · Shanghai Five: 6", "15 June 2001 · 6 members"]
    assert "Shanghai Five (precursor)" in [t.get_text() for t in fig.legends[0].get_texts()]


def test_shanghai_five_label_in_the_three_languages():
    from sco_research.plotting.labels import LANGUAGES, UI, missing_glyphs

    assert UI["en"]["shanghai_five"] == sco.STATUS_LABELS["shanghai_five"]
    for language in LANGUAGES:
        assert missing_glyphs([UI[language]["shanghai_five"]], language) == set(), language
    assert "上海五国" in UI["zh"]["shanghai_five"] and "Шанхайская" in UI["ru"]["shanghai_five"]


def test_status_counts_mark_the_summit_behind_each_change():
    ax = plot_status_counts()
    marks = sorted({line.get_gid() for line in ax.get_lines() if line.get_gid()})
    changes = sco.change_dates()
    assert len(marks) == len(changes)
    # Each guide stands on its change's day and names the summit that made the change.
    guides = [line for line in ax.get_lines() if (line.get_gid() or "").startswith(("summit:", "precursor:"))]
    assert [mdates.num2date(ax.convert_xunits(line.get_xdata()[0])).date() for line in guides] == \
        [day.date() for day in changes]
    for line, day in zip(guides, changes):
        summit = summit_covering(day)
        assert line.get_gid() == ("summit:none" if summit is None else f"summit:{int(summit['number'])}"), day
    labels = {t.get_text() for t in ax.texts}
    assert {"Shanghai 2001", "Astana 2017", "Tianjin 2025"} <= labels


def test_figure_names_are_stable_and_short():
    assert figure_stem("01_membership_growth", "map") == "01_membership_growth__map"
    long = figure_stem("01_membership_growth", "growth", {"snapshot_dates": ["2001-06-15"] * 20})
    assert long.startswith("01_membership_growth__growth__params-") and len(long) < 60  # the same in every
    # process: test_figure_files.py
    with pytest.raises(sco.ParameterError, match=r"invalid figure='map/x'"):
        figure_stem("nb", "map/x")


def test_report_figures_save_show_and_close(tmp_path):
    from sco_research.figures import ReportFigures

    # A small figure of one's own: saving the package's charts is checked on the reports' files (test_reports.py).
    figures = ReportFigures("01_membership_growth", {"as_of": "2017-06-09"}, directory=tmp_path)
    ax = plt.subplots(figsize=(2, 1))[1]
    figures.show(ax, "map")
    assert [p.name for p in figures.saved] == ["01_membership_growth__map__as_of-2017-06-09.png",
                                               "01_membership_growth__map__as_of-2017-06-09.svg"]
    assert not plt.fignum_exists(ax.figure.number)
    assert figures.path_for("animation", "gif") == tmp_path / "01_membership_growth__animation__as_of-2017-06-09.gif"

    unsaved = ReportFigures("01_membership_growth", save=False, directory=tmp_path / "off")
    unsaved.show(plt.subplots(figsize=(2, 1))[1], "status_counts")
    assert unsaved.saved == [] and not (tmp_path / "off").exists()
    with pytest.raises(sco.ParameterError, match=r"invalid figure='map/x'"):
        unsaved.show(plt.subplots()[0], "map/x")
    with pytest.raises(sco.ParameterError, match=r"invalid save='yes': expected True, False or None"):
        ReportFigures("01_membership_growth", save="yes")


@pytest.mark.parametrize("chart", ["map", "status_counts", "timeline_zh", "summit_map", "constrained", "axisartist"])
def test_the_files_are_cropped_where_a_draw_would_crop_them(chart):
    """The writer measures the package's charts without drawing them first, and draws any other figure (or one
    with a layout engine) first: the box equals the one measured after a draw, as bbox_inches="tight" does."""
    from sco_research import figures

    if chart == "constrained":  # a layout engine moves the axes at draw time
        fig, ax = plt.subplots(layout="constrained", figsize=(4, 3))
        ax.set_ylabel("a long label " * 3)
        fig.suptitle("A title wider than the axes it sits over")
        assert not figures._is_package_chart(fig)
    elif chart == "axisartist":  # a user's figure whose axis labels are placed only by a draw
        from mpl_toolkits.axisartist import Axes as ArtistAxes

        fig = plt.figure(figsize=(4, 3))
        fig.add_subplot(axes_class=ArtistAxes).set_ylabel("a label placed at draw time " * 2)
        assert not figures._is_package_chart(fig)
    else:
        charts = {"map": lambda: plot_membership_map("2017-06-09"),
                  "status_counts": lambda: plot_status_counts(sco.status_counts()),
                  "timeline_zh": lambda: plot_chairmanship_timeline(language="zh", highlight="KAZ"),
                  "summit_map": lambda: plot_summit_map()}
        fig = charts[chart]().figure
        assert figures._is_package_chart(fig)
    measured = figures._tight_bbox(fig, figures.DPI).extents
    fig.set_dpi(figures.DPI)
    fig.draw_without_rendering()
    assert list(measured) == list(fig.get_tightbbox().padded(figures._PAD_INCHES).extents)


def test_report_figures_write_nothing_unless_a_render_asks(tmp_path, monkeypatch):
    """In JupyterLab or plain papermill no folder is set: the figure is shown, no file is written anywhere."""
    from sco_research.figures import FIGURES_DIR_VARIABLE, ReportFigures

    monkeypatch.delenv(FIGURES_DIR_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    quiet = ReportFigures("01_membership_growth")
    assert not quiet.save
    quiet.show(plt.subplots(figsize=(2, 1))[1], "status_counts")
    assert quiet.saved == [] and list(tmp_path.iterdir()) == []
    monkeypatch.setenv(FIGURES_DIR_VARIABLE, str(tmp_path / "report" / "figures"))  # what a render sets
    saving = ReportFigures("01_membership_growth")
    saving.show(plt.subplots(figsize=(2, 1))[1], "status_counts")
    assert saving.save and [p.parent for p in saving.saved] == [tmp_path / "report" / "figures"] * 2


def test_save_figure_rejects_unknown_formats_and_leaves_nothing(tmp_path):
    fig, _ = plt.subplots()
    with pytest.raises(sco.ParameterError, match=r"invalid formats='jpg': expected one of 'png', 'svg', 'pdf'"):
        save_figure(fig, "x", directory=tmp_path, formats=("png", "jpg"))
    assert list(tmp_path.iterdir()) == []


def test_animation_until_a_day_ends_on_that_day(tmp_path):
    from PIL import Image

    path = animate_membership(tmp_path / "as_of.gif", start_year=2015, until="2017-06-09")
    with Image.open(path) as gif:
        assert gif.n_frames == 3  # end of 2015, end of 2016, 9 June 2017


def test_animation_has_one_frame_per_year(tmp_path):
    import numpy as np
    from matplotlib.colors import to_rgb
    from PIL import Image

    path = animate_membership(tmp_path / "growth.gif", start_year=2016, end_year=2018)
    member = np.array(to_rgb(STATUS_COLORS["member"])) * 255
    member_pixels = []
    with Image.open(path) as gif:
        assert gif.n_frames == 3
        for index in range(gif.n_frames):
            gif.seek(index)
            rgb = np.asarray(gif.convert("RGB"), dtype=float)
            member_pixels.append(int((np.abs(rgb - member).sum(axis=2) < 12).sum()))
    assert [p.name for p in tmp_path.iterdir()] == ["growth.gif"]
    # Each frame is recoloured: India and Pakistan join in 2017 and stay members in 2018.
    assert member_pixels[1] > 1.1 * member_pixels[0]
    assert member_pixels[2] == member_pixels[1]


@pytest.mark.parametrize("kwargs, message", [
    ({"path": "growth.avi"}, r"invalid path='.*growth.avi': expected a file name ending in '.gif' or '.mp4'"),
    ({"path": "g.gif", "start_year": 1999}, r"invalid start_year=1999: expected an integer year from 2001 to 2026"),
    ({"path": "g.gif", "start_year": 2010, "end_year": 2005}, r"invalid end_year=2005"),
    ({"path": "g.gif", "until": "2001-06-14"}, r"invalid until='2001-06-14': expected a day from 2001-06-15"),
    ({"path": "g.gif", "until": "2017-06-09", "end_year": 2018}, r"invalid end_year=2018: expected 2017"),
])
def test_animation_rejects_bad_arguments(tmp_path, kwargs, message):
    kwargs["path"] = tmp_path / kwargs["path"]
    with pytest.raises(sco.ParameterError, match=message):
        animate_membership(**kwargs)
    assert list(tmp_path.iterdir()) == []
