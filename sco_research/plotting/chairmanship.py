"""Chairmanship timeline and summit host-city map, in English, Russian or Chinese.

Artists carry ``gid`` values the tests read: ``chair:<row>`` for each
chairmanship bar, ``summit:<number>`` for each summit marker,
``secretary:<row>`` for each Secretary-General bar, ``city:<name>`` for each
host city on the map.
"""

from __future__ import annotations

from ..analysis.geography import EURASIA_LAEA, map_frame
from ..analysis.membership import latest_date
from ..analysis.summits import chairmanships_in, summits_in, window
from ..data import load_table
from ..errors import ParameterError
from .labels import check_language, city_names, font_for, require_glyphs, state_names, ui
from .maps import NO_STATUS_COLOR, map_paths, path_collection

#: One fixed colour per state that has chaired (so a chair keeps its colour across charts and windows).
CHAIR_COLORS = {
    "RUS": "#c0392b", "UZB": "#16a085", "KAZ": "#2e86c1", "CHN": "#d4ac0d", "KGZ": "#8e44ad",
    "TJK": "#ca6f1e", "IND": "#1e8449", "PAK": "#5d6d7e", "IRN": "#a93226", "BLR": "#2874a6",
}
_FADED = 0.25


def _check_highlight(highlight) -> str | None:

    if highlight in (None, ""):
        return None
    members = sorted(set(load_table("memberships").query("status == 'member'")["iso3"]))
    if highlight not in members:
        raise ParameterError("highlight", highlight, "'' or the ISO3 code of a member state: " + ", ".join(members))
    return highlight


def plot_chairmanship_timeline(start=None, end=None, *, ax=None, highlight=None, language: str = "en"):
    """Gantt chart: one bar per chairmanship, a marker per summit, and the Secretaries-General below.

    Parameters
    ----------
    start, end : int year, date-like, optional
        Window; defaults to the founding summit and the latest date in the data.
    ax : matplotlib.axes.Axes, optional
    highlight : str, optional
        ISO3 of a member: its chairmanships and summits stay bright, the others fade.
    language : {"en", "ru", "zh"}
        Language of state names, city names and titles.

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

    language = check_language(language)
    highlight = _check_highlight(highlight)
    first, last = window(start, end)
    spells, summits = chairmanships_in(start, end), summits_in(start, end)
    secretaries = load_table("secretaries_general")
    secretaries["shown_end"] = secretaries["end_date"].fillna(last).clip(upper=last)
    secretaries = secretaries[(secretaries["start_date"] <= last) & (secretaries["shown_end"] >= first)]
    states, cities = state_names(language), city_names(language)
    labels = [states[c] for c in spells["chair_iso3"]] + [cities.get(c, c) for c in summits["city"]]
    labels += list(secretaries["name"]) + [ui(language, k) for k in ("timeline_title", "chair_lane", "secretary_lane")]
    require_glyphs(labels, language)
    font = font_for(language)
    text_kw = {"fontproperties": font} if font is not None else {}

    if ax is None:
        _, ax = plt.subplots(figsize=(11, 4.2))
    chair_y, summit_y, sg_y = 1.0, 1.55, 0.0
    for i, spell in spells.iterrows():
        left = mdates.date2num(spell["shown_start"])
        width = mdates.date2num(spell["shown_end"]) - left
        alpha = 1.0 if highlight in (None, spell["chair_iso3"]) else _FADED
        bar = ax.barh(chair_y, width, left=left, height=0.6, color=CHAIR_COLORS.get(spell["chair_iso3"], "#999999"),
                      alpha=alpha, edgecolor="white", hatch="///" if spell["is_inferred"] else None)
        bar.patches[0].set_gid(f"chair:{i}")
        # ISO3 codes fit inside one-year bars; the legend gives the names in the chosen language.
        ax.text(left + width / 2, chair_y, spell["chair_iso3"], ha="center", va="center", fontsize=6.5,
                color="white", alpha=max(alpha, 0.6), clip_on=True)
    for _, summit in summits.iterrows():
        x = mdates.date2num(summit["start_date"])
        faded = highlight not in (None, summit["host_iso3"])
        marker = ax.plot([x], [summit_y], marker="v", color="#333333", alpha=_FADED if faded else 1.0,
                         markersize=6, linestyle="none")[0]
        marker.set_gid(f"summit:{int(summit['number'])}")
        ax.text(x, summit_y + 0.12, f"{cities.get(summit['city'], summit['city'])} {summit['start_date'].year}",
                rotation=60, fontsize=6.5, ha="left", va="bottom", alpha=0.35 if faded else 1.0, **text_kw)
    for i, sg in secretaries.reset_index(drop=True).iterrows():
        left = mdates.date2num(max(sg["start_date"], first))
        width = mdates.date2num(sg["shown_end"]) - left
        bar = ax.barh(sg_y, width, left=left, height=0.5, color="#95a5a6" if i % 2 else "#7f8c8d", edgecolor="white")
        bar.patches[0].set_gid(f"secretary:{i}")
        ax.text(left + width / 2, sg_y, sg["name"] if width > 700 else "", ha="center", va="center",
                fontsize=7, color="white", clip_on=True, **text_kw)
    from matplotlib.patches import Patch

    chairs = list(dict.fromkeys(spells["chair_iso3"]))
    legend = ax.legend(handles=[Patch(color=CHAIR_COLORS.get(c, "#999999"), label=f"{c} {states[c]}") for c in chairs],
                       loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False, prop=font)
    if font is not None:
        for text in legend.get_texts():
            text.set_fontproperties(font)
            text.set_fontsize(7)
    ax.set_yticks([sg_y, chair_y], [ui(language, "secretary_lane"), ui(language, "chair_lane")], **text_kw)
    ax.set_ylim(-0.6, 3.3)
    # A little room after the window so that the last summit's label and bar stay readable.
    ax.set_xlim(mdates.date2num(first), mdates.date2num(last) + 90)
    ax.xaxis_date()
    ax.set_title(ui(language, "timeline_title"), **text_kw)
    ax.text(1.0, -0.12, ui(language, "inferred"), transform=ax.transAxes, ha="right", va="top", fontsize=7,
            color="#555555", **text_kw)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    return ax


def plot_summit_map(*, ax=None, highlight=None, language: str = "en"):
    """Host cities of every summit on a map of the members, sized by how many summits each hosted.

    Labels are placed with adjustText so that they do not overlap.

    Examples
    --------
    >>> ax = plot_summit_map()
    >>> sorted(c.get_gid() for c in ax.collections if (c.get_gid() or "").startswith("city:"))[:2]
    ['city:Astana', 'city:Beijing']
    """
    import matplotlib.pyplot as plt
    from adjustText import adjust_text
    from pyproj import Transformer

    language = check_language(language)
    highlight = _check_highlight(highlight)
    summits = load_table("summits")
    hosted = summits.groupby(["city", "host_iso3", "latitude", "longitude"], as_index=False).agg(
        summits=("number", "count"), years=("start_date", lambda d: sorted(x.year for x in d)))
    cities = city_names(language)
    require_glyphs([cities.get(c, c) for c in hosted["city"]] + [ui(language, "summit_map_title"),
                                                                  ui(language, "summits_hosted")], language)
    font = font_for(language)
    text_kw = {"fontproperties": font} if font is not None else {}

    if ax is None:
        _, ax = plt.subplots(figsize=(9, 6))
    frame = map_frame(latest_date(), statuses=("member",))
    members = (frame["status"] == "member").to_numpy()
    paths = map_paths()
    ax.add_collection(path_collection(paths[~members], facecolor=NO_STATUS_COLOR, edgecolor="white",
                                      linewidth=0.25, gid="base:other"))
    ax.add_collection(path_collection(paths[members], facecolor="#d6e4f0", edgecolor="white", linewidth=0.4,
                                      gid="base:members"))
    to_map = Transformer.from_crs("EPSG:4326", EURASIA_LAEA, always_xy=True)
    xs, ys = to_map.transform(hosted["longitude"].to_numpy(), hosted["latitude"].to_numpy())
    texts = []
    for (x, y), row in zip(zip(xs, ys), hosted.itertuples(index=False)):
        faded = highlight not in (None, row.host_iso3)

        dot = ax.scatter([x], [y], s=60 * row.summits, color=CHAIR_COLORS.get(row.host_iso3, "#555555"),
                         alpha=0.3 if faded else 0.9, edgecolor="white", linewidth=0.8, zorder=3)
        dot.set_gid(f"city:{row.city}")
        texts.append(ax.text(x, y, f"{cities.get(row.city, row.city)} ({row.summits})", fontsize=8, zorder=4,
                             alpha=0.4 if faded else 1.0, **text_kw))
    pad = 900_000
    ax.set_xlim(xs.min() - pad, xs.max() + pad)
    ax.set_ylim(ys.min() - pad, ys.max() + pad)
    ax.set_aspect("equal")
    ax.set_axis_off()
    # A fixed iteration budget, not adjustText's default one-second time limit, so that the
    # labels land in the same place on every run (byte-identical figure files). On these 16 cities
    # the overlap stops improving after about 100 iterations and only oscillates afterwards.
    adjust_text(texts, ax=ax, x=xs, y=ys, iter_lim=100, arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.5})
    ax.set_title(f"{ui(language, 'summit_map_title')} ({ui(language, 'summits_hosted')})", **text_kw)
    return ax
