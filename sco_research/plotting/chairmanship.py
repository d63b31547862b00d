"""Chairmanship timeline and summit host-city map, in English, Russian or Chinese.

Artists carry ``gid`` values the tests read: ``chair:<row>`` for each
chairmanship bar, ``summit:<number>`` for each summit marker,
``secretary:<row>`` for each Secretary-General bar, ``city:<name>`` for each
host city on the map.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.geography import EURASIA_LAEA, map_frame
from ..analysis.membership import latest_date
from ..analysis.sources import source_notes
from ..analysis.summits import chairmanships_in, summits_in, window
from ..data import load_table
from ..errors import ParameterError
from .labels import check_language, city_names, font_for, require_glyphs, state_names, ui
from .maps import NO_STATUS_COLOR, map_paths, path_collection
from .style import (
    GUIDE_COLOR,
    MEMBER_COLORS,
    NOTE_COLOR,
    chart_style,
    country_color,
    fits,
    halo,
    measure,
    source_line,
    spread,
    style_axes,
    text_color_on,
    year_date_axis,
)

#: One fixed colour per state that has chaired: its colour in every chart (:func:`~sco_research.plotting.style.country_color`).
CHAIR_COLORS = dict(MEMBER_COLORS)
_FADED = 0.25
#: How far (days) the axis runs past the window's end; an open-ended spell is drawn to the edge, lighter.
_OPEN_DAYS = 150
_BAR_FONTSIZE = 7.5
_MIN_FONTSIZE = 6.0


def _check_highlight(highlight) -> str | None:

    if highlight in (None, ""):
        return None
    members = sorted(set(load_table("memberships").query("status == 'member'")["iso3"]))
    if highlight not in members:
        raise ParameterError("highlight", highlight, "'' or the ISO3 code of a member state: " + ", ".join(members))
    return highlight


def _fit_label(ax, bar, candidates, *, color, text_kw, gid, outside: bool, rotate: bool = False) -> object | None:
    """Write the first candidate that fits inside ``bar`` (7.5 pt down to 6 pt; then turned 90° if ``rotate``, on one
    line or two).

    If none fits and ``outside`` is true (the last bar of its lane), write the
    first candidate just right of the bar instead (its gid ends in
    ``:beside``); otherwise write nothing. Returns the text artist, or None.
    """
    x0, y0, width, height = bar.get_x(), bar.get_y(), bar.get_width(), bar.get_height()
    box = ax.transData.transform([(x0, y0), (x0 + width, y0 + height)])
    room_w, room_h = abs(box[1][0] - box[0][0]) - 4, abs(box[1][1] - box[0][1]) - 4
    centre = (x0 + width / 2, y0 + height / 2)
    tries = [(c, size, 0) for c in candidates for size in (_BAR_FONTSIZE, 6.75, _MIN_FONTSIZE)]
    if rotate:
        # Turned, a name on two lines too ("Российская Федерация" fits a one-year bar no other way). Chinese
        # names, stacked one character per line, are never turned: their chart passes rotate=False.
        tries += [(c, size, 90) for c in candidates if c.count("\n") <= 1 for size in (_BAR_FONTSIZE, 6.75, _MIN_FONTSIZE)]
    for candidate, size, rotation in tries:
        text = ax.text(*centre, candidate, ha="center", va="center", fontsize=size, color=color, rotation=rotation,
                       rotation_mode="anchor", linespacing=1.05, gid=gid, **text_kw)
        if fits(text, room_w, room_h):
            return text
        text.remove()
    if outside and candidates:  # beside the bar, on one line
        return ax.text(x0 + width, centre[1], " " + candidates[0], ha="left", va="center", fontsize=_BAR_FONTSIZE,
                       color=NOTE_COLOR, clip_on=False, gid=f"{gid}:beside", **text_kw)
    return None


def _name_candidates(name: str) -> list[str]:
    """The name on one line, then broken into two lines at the space nearest its middle."""
    words = name.split()
    if len(words) < 2:
        return [name]
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return [name, " ".join(words[:cut]) + "\n" + " ".join(words[cut:])]


def _spells_sources(*frames) -> list[str]:
    ids = []
    for frame in frames:
        ids.extend(frame["source_id"].dropna().astype(str))
    return ids


def plot_chairmanship_timeline(start=None, end=None, *, ax=None, highlight=None, language: str = "en",
                               sources=None):
    """Gantt chart: one bar per chairmanship, a marker per summit, and the Secretaries-General below.

    Bars are labelled with the state's name (or the Secretary-General's) only
    where the name fits inside the bar (on one or two lines, or turned 90°;
    stacked characters in Chinese); the last bar of a lane is labelled beside
    it instead; other names are in the legend. Label colours are black or
    white, whichever contrasts more with the bar. Summit labels stand
    vertically above their markers, spread so that none overlaps another. An
    open-ended spell (no end date yet) runs, lighter, past the window's end.

    Parameters
    ----------
    start, end : int year, date-like, optional
        Window; defaults to the founding summit and the latest date in the data.
    ax : matplotlib.axes.Axes, optional
    highlight : str, optional
        ISO3 of a member: its chairmanships and summits stay bright, the others fade.
    language : {"en", "ru", "zh"}
        Language of state names, city names, Secretaries-General's names (as the sources of
        ``name_ru``/``name_zh`` write them; in English where none is verified) and titles.
    sources : pandas.DataFrame or str, optional
        Source notes; by default those of the chairmanship, summit and
        Secretary-General rows drawn, and of the names in the chosen language.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ParameterError
        For a bad window, highlight or language, before anything is drawn.

    Examples
    --------
    >>> ax = plot_chairmanship_timeline(2020, 2025)
    >>> sorted(p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("chair:"))[:2]
    ['chair:0', 'chair:1']
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    language = check_language(language)
    highlight = _check_highlight(highlight)
    first, last = window(start, end)
    spells, summits = chairmanships_in(start, end), summits_in(start, end)
    secretaries = load_table("secretaries_general")
    secretaries["shown_end"] = secretaries["end_date"].fillna(last).clip(upper=last)
    secretaries = secretaries[(secretaries["start_date"] <= last) & (secretaries["shown_end"] >= first)]
    secretaries = secretaries.reset_index(drop=True)
    # A Secretary-General's name as a cited source writes it in the chart's language; where none is verified
    # (name_ru / name_zh empty), the English form.
    local = secretaries["name"] if language == "en" else secretaries[f"name_{language}"].fillna("")
    secretaries["shown_name"] = local.where(local != "", secretaries["name"])
    states, cities = state_names(language), city_names(language)
    labels = [states[c] for c in spells["chair_iso3"]] + [cities.get(c, c) for c in summits["city"]]
    labels += list(secretaries["shown_name"]) + [ui(language, k) for k in ("timeline_title", "chair_lane", "secretary_lane",
                                                                     "inferred")]
    require_glyphs(labels, language)
    font = font_for(language)
    text_kw = {"fontproperties": font} if font is not None else {}
    open_end = mdates.date2num(last) + _OPEN_DAYS

    with chart_style():
        if ax is None:
            _, ax = plt.subplots(figsize=(11, 4.4))
        chair_y, summit_y, sg_y = 1.0, 1.55, 0.0
        ax.set_ylim(-0.4, 1.7)
        ax.set_xlim(mdates.date2num(first) - 90, open_end)
        style_axes(ax, grid=None)
        year_date_axis(ax, first, last)
        chair_bars = []
        for i, spell in spells.iterrows():
            left = mdates.date2num(spell["shown_start"])
            width = mdates.date2num(spell["shown_end"]) - left
            alpha = 1.0 if highlight in (None, spell["chair_iso3"]) else _FADED
            color = country_color(spell["chair_iso3"])
            bar = ax.barh(chair_y, width, left=left, height=0.6, color=color, alpha=alpha, edgecolor="white",
                          linewidth=0.8, hatch="///" if spell["is_inferred"] else None).patches[0]
            bar.set_gid(f"chair:{i}")
            if pd.isna(spell["end_date"]) and spell["shown_end"] >= last:
                stub = ax.barh(chair_y, open_end - (left + width), left=left + width, height=0.6, color=color,
                               alpha=0.35 * alpha, edgecolor="none").patches[0]
                stub.set_gid(f"ongoing:chair:{i}")
                bar, alpha = _span(bar, stub), 0.35 * alpha  # the label sits mostly on the lighter stub
            chair_bars.append((bar, spell["chair_iso3"], alpha, bool(spell["is_inferred"])))
        for n, (bar, code, alpha, inferred) in enumerate(chair_bars):
            background = _seen_color(country_color(code), alpha)
            candidates = _name_candidates(states[code])
            if language == "zh":  # Chinese names stack vertically, one character under another
                candidates.append("\n".join(states[code]))
            label = _fit_label(ax, bar, candidates, color=text_color_on(background),
                               text_kw=text_kw, gid=f"chair_label:{n}", outside=n == len(chair_bars) - 1,
                               rotate=language != "zh")
            if label is not None and inferred:
                halo(label, background)  # readable over the hatching
        sg_colors = ("#7f8c8d", "#95a5a6")
        for i, sg in secretaries.iterrows():
            left = mdates.date2num(max(sg["start_date"], first))
            width = mdates.date2num(sg["shown_end"]) - left
            bar = ax.barh(sg_y, width, left=left, height=0.5, color=sg_colors[i % 2], edgecolor="white").patches[0]
            bar.set_gid(f"secretary:{i}")
            if pd.isna(sg["end_date"]) and sg["shown_end"] >= last:
                stub = ax.barh(sg_y, open_end - (left + width), left=left + width, height=0.5, color=sg_colors[i % 2],
                               alpha=0.35, edgecolor="none").patches[0]
                stub.set_gid(f"ongoing:secretary:{i}")
                bar = _span(bar, stub)
            shade = sg_colors[i % 2] if not isinstance(bar, _span) else _seen_color(sg_colors[i % 2], 0.35)
            name = str(sg["shown_name"])
            candidates = [*_name_candidates(name), name.split()[-1]] if " " in name else [name]
            _fit_label(ax, bar, candidates, color=text_color_on(shade), text_kw=text_kw,
                       gid=f"secretary_label:{i}", outside=i == len(secretaries) - 1)
        rows = _summit_labels(ax, summits, summit_y, highlight, cities, text_kw)

        chairs = list(dict.fromkeys(spells["chair_iso3"]))
        handles = [Patch(facecolor=country_color(c), label=states[c]) for c in chairs]
        if spells["is_inferred"].any():
            handles.append(Patch(facecolor="#bbbbbb", edgecolor="white", hatch="///", label=ui(language, "inferred")))
        legend = ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=min(6, len(handles)),
                           fontsize=8, frameon=False, prop=font, handlelength=1.4, columnspacing=1.2)
        if font is not None:
            for text in legend.get_texts():
                text.set_fontproperties(font)
                text.set_fontsize(8)
            ax.tick_params(axis="x", labelfontfamily=font.get_name())
        ax.set_yticks([sg_y, chair_y], [ui(language, "secretary_lane"), ui(language, "chair_lane")], **text_kw)
        ax.tick_params(axis="y", labelsize=9.5)
        ax.set_title(ui(language, "timeline_title"), pad=rows + 8, **text_kw)
        if sources is None:
            shown_summits = summits.assign(source_id=summits["source_id"])
            names = [] if language == "en" else [i for i in secretaries[f"name_{language}_source_id"].fillna("") if i]
            sources = source_notes(_spells_sources(spells, shown_summits, secretaries) + names)
        source_line(ax, sources, events=True)
    return ax


class _span:
    """Bar plus its open-ended stub, seen as one bar by :func:`_fit_label`."""

    def __init__(self, bar, stub):
        self._bar, self._stub = bar, stub

    def get_x(self):
        return self._bar.get_x()

    def get_y(self):
        return self._bar.get_y()

    def get_width(self):
        return self._bar.get_width() + self._stub.get_width()

    def get_height(self):
        return self._bar.get_height()


def _seen_color(color, alpha: float) -> str:
    """The colour a translucent bar shows on white."""
    from matplotlib.colors import to_hex, to_rgb

    return to_hex(tuple(alpha * c + (1 - alpha) for c in to_rgb(color)))


def _summit_labels(ax, summits, summit_y, highlight, cities, text_kw) -> float:
    """A marker per summit and its label ("City 2024") set vertically above it, spread so that none overlaps.

    Returns the height (points) the labels reach above the axes.
    """
    import matplotlib.dates as mdates


    scale = ax.figure.dpi / 72
    labels = []
    for _, summit in summits.sort_values("start_date").iterrows():
        x = mdates.date2num(summit["start_date"])
        faded = highlight not in (None, summit["host_iso3"])
        marker = ax.plot([x], [summit_y], marker="v", color="#333333", alpha=_FADED if faded else 1.0,
                         markersize=6, linestyle="none")[0]
        marker.set_gid(f"summit:{int(summit['number'])}")
        text = f"{cities.get(summit['city'], summit['city'])} {summit['start_date'].year}"
        labels.append(ax.annotate(text, xy=(x, summit_y), xycoords="data", xytext=(0, 7), textcoords="offset points",
                                  rotation=90, ha="center", va="bottom", fontsize=7.5, color=NOTE_COLOR,
                                  alpha=0.4 if faded else 1.0, annotation_clip=False,
                                  gid=f"summit_label:{int(summit['number'])}", **text_kw))
    if not labels:
        return 0.0
    boxes = measure(labels)
    wanted = [(b.x0 + b.x1) / 2 for b in boxes]
    for label, want, centre in zip(labels, wanted, spread(wanted, [b.width for b in boxes], gap=2.0)):
        if abs(centre - want) > 0.5:
            label.xyann = ((centre - want) / scale, 7)
    return max(0.0, (max(b.y1 for b in boxes) - ax.bbox.y1) / scale)


def plot_summit_map(*, ax=None, highlight=None, language: str = "en", sources=None):
    """Host cities of every summit on a map of the members, sized by how many summits each hosted.

    Each label sits beside its own marker: the first of eight positions
    around the marker (right, left, above, below, then the diagonals) where it
    overlaps no other label, no other marker and stays inside the map; if
    none is free, it moves further out along the same directions with a thin
    leader line. Markers take the host state's colour; the legend names the
    states and shows the marker sizes.

    Examples
    --------
    >>> ax = plot_summit_map()
    >>> sorted(c.get_gid() for c in ax.collections if (c.get_gid() or "").startswith("city:"))[:2]
    ['city:Astana', 'city:Beijing']
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from pyproj import Transformer

    language = check_language(language)
    highlight = _check_highlight(highlight)
    summits = load_table("summits")
    hosted = summits.groupby(["city", "host_iso3", "latitude", "longitude"], as_index=False).agg(
        summits=("number", "count"), years=("start_date", lambda d: sorted(x.year for x in d)))
    cities, states = city_names(language), state_names(language)
    hosts = sorted(hosted["host_iso3"].unique(), key=lambda c: (states[c], c))
    require_glyphs([cities.get(c, c) for c in hosted["city"]] + [states[c] for c in hosts]
                   + [ui(language, "summit_map_title"), ui(language, "summits_hosted")], language)
    font = font_for(language)
    text_kw = {"fontproperties": font} if font is not None else {}

    with chart_style():
        if ax is None:
            _, ax = plt.subplots(figsize=(9, 6.4))
        frame = map_frame(latest_date(), statuses=("member",))
        members = (frame["status"] == "member").to_numpy()
        paths = map_paths()
        ax.add_collection(path_collection(paths[~members], facecolor=NO_STATUS_COLOR, edgecolor="white",
                                          linewidth=0.25, gid="base:other"))
        ax.add_collection(path_collection(paths[members], facecolor="#dce6f0", edgecolor="white", linewidth=0.4,
                                          gid="base:members"))
        to_map = Transformer.from_crs("EPSG:4326", EURASIA_LAEA, always_xy=True)
        xs, ys = to_map.transform(hosted["longitude"].to_numpy(), hosted["latitude"].to_numpy())
        pad = 900_000
        ax.set_xlim(xs.min() - pad, xs.max() + pad)
        ax.set_ylim(ys.min() - pad, ys.max() + pad)
        ax.set_aspect("equal")
        ax.set_axis_off()
        dots = []
        for x, y, row in zip(xs, ys, hosted.itertuples(index=False)):
            faded = highlight not in (None, row.host_iso3)
            dot = ax.scatter([x], [y], s=60 * row.summits, color=country_color(row.host_iso3),
                             alpha=0.3 if faded else 0.9, edgecolor="white", linewidth=0.8, zorder=3)
            dot.set_gid(f"city:{row.city}")
            dots.append(dot)
        _place_city_labels(ax, xs, ys, hosted, cities, highlight, text_kw)
        legend_kw = {"frameon": False, "fontsize": 8, "prop": font, "handletextpad": 0.3, "columnspacing": 1.0,
                     "title_fontproperties": font}
        hosts_legend = ax.legend(
            handles=[Line2D([], [], marker="o", linestyle="none", markersize=7, markerfacecolor=country_color(c),
                            markeredgecolor="white", label=states[c]) for c in hosts],
            loc="upper left", bbox_to_anchor=(0.0, -0.01), ncols=4, title=ui(language, "host_state"), **legend_kw)
        ax.add_artist(hosts_legend)
        sizes = sorted(hosted["summits"].unique())
        sizes_legend = ax.legend(
            handles=[Line2D([], [], marker="o", linestyle="none", markersize=(60 * n) ** 0.5, markerfacecolor="#bbbbbb",
                            markeredgecolor="white", label=f"{n}") for n in sizes],
            loc="upper right", bbox_to_anchor=(1.0, -0.01), ncols=len(sizes), title=ui(language, "summits_count"),
            **legend_kw)
        for legend in (hosts_legend, sizes_legend):
            legend.set_gid("legend")
            if font is not None:
                for text in legend.get_texts():
                    text.set_fontproperties(font)
                    text.set_fontsize(8)
        ax.set_title(ui(language, "summit_map_title"), **text_kw)
        if sources is None:
            sources = source_notes(list(summits["source_id"].dropna().astype(str))
                                   + list(summits["coordinates_source_id"].dropna().astype(str))
                                   + list(frame["source_id"].dropna().astype(str)))
        source_line(ax, sources, note=_SHADED_NOTE.get(language), events=True)
    return ax


#: What the shading shows (no Chinese note: the bundled font subset lacks its characters).
_SHADED_NOTE = {"en": "Shaded: member states today.", "ru": "Заливка: нынешние государства-члены."}
#: Directions tried for a city label, in order: right, left, above, below, then the diagonals.
_DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1))


def _gap_to(box, point) -> float:
    """Distance from a point to the nearest point of a box (0 inside it)."""
    dx = max(box.x0 - point[0], 0.0, point[0] - box.x1)
    dy = max(box.y0 - point[1], 0.0, point[1] - box.y1)
    return (dx * dx + dy * dy) ** 0.5


def _place_city_labels(ax, xs, ys, hosted, cities, highlight, text_kw) -> list:
    """Put each city's label beside its own marker without overlapping other labels or markers (deterministic).

    Cities are placed largest first; each takes the first position of
    :data:`_DIRECTIONS` (just clear of its marker, then further out with a
    leader line) that overlaps no placed label and no other marker, stays in
    the map, and is nearer its own marker than any other.
    """
    from matplotlib.transforms import Bbox


    scale = ax.figure.dpi / 72
    centres = [ax.transData.transform((x, y)) for x, y in zip(xs, ys)]
    radii = [((60 * n) ** 0.5) / 2 * scale + 0.8 * scale for n in hosted["summits"]]  # pixels, edge included
    markers = [Bbox.from_extents(cx - r, cy - r, cx + r, cy + r) for (cx, cy), r in zip(centres, radii)]
    frame = ax.bbox
    taken: list = []
    labels = []
    order = sorted(range(len(hosted)), key=lambda i: (-int(hosted["summits"].iloc[i]), hosted["city"].iloc[i]))
    texts = [f"{cities.get(city, city)} ({summits})" for city, summits in zip(hosted["city"], hosted["summits"])]
    probes = {i: ax.text(xs[i], ys[i], texts[i], fontsize=8, **text_kw) for i in order}
    sizes = dict(zip(probes, measure(probes.values())))  # all at once: each resolution is set once, not per label
    for probe in probes.values():
        probe.remove()
    for i in order:
        row = hosted.iloc[i]
        faded = highlight not in (None, row["host_iso3"])
        text = texts[i]
        w, h = sizes[i].width, sizes[i].height
        chosen = None
        for extra in (0, 6, 14, 24, 36):
            for dx, dy in _DIRECTIONS:
                gap = radii[i] + 2 * scale + extra * scale
                cx, cy = centres[i]
                left = cx + gap if dx > 0 else (cx - gap - w if dx < 0 else cx - w / 2)
                bottom = cy + gap if dy > 0 else (cy - gap - h if dy < 0 else cy - h / 2)
                box = Bbox.from_bounds(left, bottom, w, h)
                inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
                clear = all(not box.overlaps(other) for other in taken)
                clear = clear and all(not box.overlaps(m) for j, m in enumerate(markers) if j != i)
                # and unmistakably its own: nearer its marker than any other marker
                own = _gap_to(box, centres[i])
                clear = clear and all(_gap_to(box, c) > own + 2 * scale for j, c in enumerate(centres) if j != i)
                if inside and clear:
                    chosen = (box, extra)
                    break
            if chosen:
                break
        if chosen is None:  # nowhere free: right of the marker
            gap = radii[i] + 2 * scale
            chosen = (Bbox.from_bounds(centres[i][0] + gap, centres[i][1] - h / 2, w, h), 0)
        box, extra = chosen
        taken.append(box)
        offset = ((box.x0 - centres[i][0]) / scale, (box.y0 - centres[i][1]) / scale)
        arrow = None
        if extra:
            arrow = {"arrowstyle": "-", "color": GUIDE_COLOR, "lw": 0.5, "shrinkA": 0, "shrinkB": radii[i] / scale}
        labels.append(ax.annotate(text, xy=(xs[i], ys[i]), xycoords="data", xytext=offset, textcoords="offset points",
                                  ha="left", va="bottom", fontsize=8, zorder=4, alpha=0.4 if faded else 1.0,
                                  color="#1a1a1a", arrowprops=arrow, annotation_clip=False,
                                  gid=f"city_label:{row['city']}", **text_kw))
    return labels
