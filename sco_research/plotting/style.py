"""The one chart style: rc settings, one colour per country, year axes, source lines, labels that never overlap.

**How the style is applied.** Every plot function of the package draws inside
:func:`chart_style`, a :func:`matplotlib.rc_context` over :func:`style_rc`
(seaborn's ``whitegrid`` theme and ``notebook`` context, with the few
overrides in :data:`OVERRIDES`), and then fixes the look of its axes with
:func:`style_axes`. The style is therefore the same whatever the session's
own settings, and it does not leak: ``matplotlib.rcParams`` are exactly as
they were after a plot call (``sns.set_theme()`` would change them for the
rest of the session). Use ``with chart_style():`` to draw your own charts in
the same style.

**Deterministic.** The settings are literal values: the font is DejaVu Sans,
which ships with matplotlib (seaborn's theme would pick Arial where it is
installed, so figures would differ between machines), and label placement
(:func:`spread`, :func:`label_line_ends`, :func:`annotate_marks`) is
arithmetic on text extents, with no random start and no time limit.

**Colours.** :func:`country_color` gives every state in ``states.csv`` one
colour, the same in every chart: the ten members have the hand-picked,
mutually distinct :data:`MEMBER_COLORS`; the other states take
:data:`OTHER_COLORS` in the order of their sorted ISO3 codes.
:func:`label_color` is a darker shade of the same colour for text on white.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

from ..data import coverage_note, load_states
from ..data.vocab import WORLD
from ..errors import ParameterError

#: One colour per member state, fixed by ISO3 (mutually distinct; a test checks every current member has one).
MEMBER_COLORS: dict[str, str] = {
    "RUS": "#1f77b4",  # blue
    "IND": "#ff7f0e",  # orange
    "UZB": "#2ca02c",  # green
    "CHN": "#d62728",  # red
    "KGZ": "#9467bd",  # purple
    "TJK": "#8c564b",  # brown
    "PAK": "#e377c2",  # pink
    "IRN": "#bcbd22",  # olive
    "KAZ": "#17becf",  # cyan
    "BLR": "#393b79",  # indigo
}
#: Colours of the other states, taken in the order of their sorted ISO3 codes in ``states.csv``.
OTHER_COLORS: tuple[str, ...] = (
    "#5254a3", "#637939", "#8c6d31", "#843c39", "#7b4173", "#6b6ecf", "#8ca252", "#bd9e39", "#ad494a",
    "#a55194", "#636363", "#1b9e77", "#a6761d", "#b5cf6b", "#e7ba52", "#d6616b", "#ce6dbd",
)
#: The world total (partner ``WLD``) and anything that is not a state.
NEUTRAL_COLOR = "#5f5f5f"
#: Text colour of notes, source lines and annotations.
NOTE_COLOR = "#3d3d3d"
#: Guide lines (membership changes, summits).
GUIDE_COLOR = "#8a8a8a"

#: seaborn's ``whitegrid`` theme in its ``notebook`` context: ``{**sns.axes_style("whitegrid"),
#: **sns.plotting_context("notebook")}`` of seaborn 0.13.2, which a test compares with the installed seaborn.
#: Written out because importing seaborn imports ``scipy.stats`` (about 2 s in every kernel) and most charts need
#: nothing else from it. Its ``image.cmap`` ("rocket") is left out: that colormap exists only once seaborn is
#: imported, and every chart that uses a colormap names it.
SEABORN_THEME: dict = {
    "axes.axisbelow": True, "axes.edgecolor": ".8", "axes.facecolor": "white", "axes.grid": True,
    "axes.labelcolor": ".15", "axes.labelsize": 12, "axes.linewidth": 1.25, "axes.spines.bottom": True,
    "axes.spines.left": True, "axes.spines.right": True, "axes.spines.top": True, "axes.titlesize": 12,
    "figure.facecolor": "white", "font.family": ["sans-serif"],
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "font.size": 12, "grid.color": ".8", "grid.linestyle": "-", "grid.linewidth": 1, "legend.fontsize": 11,
    "legend.title_fontsize": 12, "lines.linewidth": 1.5, "lines.markersize": 6, "lines.solid_capstyle": "round",
    "patch.edgecolor": "w", "patch.force_edgecolor": True, "patch.linewidth": 1, "text.color": ".15",
    "xtick.bottom": False, "xtick.color": ".15", "xtick.direction": "out", "xtick.labelsize": 11,
    "xtick.major.size": 6, "xtick.major.width": 1.25, "xtick.minor.size": 4, "xtick.minor.width": 1,
    "xtick.top": False, "ytick.color": ".15", "ytick.direction": "out", "ytick.labelsize": 11, "ytick.left": False,
    "ytick.major.size": 6, "ytick.major.width": 1.25, "ytick.minor.size": 4, "ytick.minor.width": 1,
    "ytick.right": False,
}

#: Changes to seaborn's ``whitegrid`` / ``notebook`` theme (see the module docstring).
OVERRIDES: dict = {
    "font.family": ["sans-serif"],
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 10.0,
    "axes.titlesize": 12.5,
    "axes.titleweight": "bold",
    "axes.titlepad": 8.0,
    "axes.labelsize": 10.0,
    "axes.labelcolor": ".2",
    "axes.edgecolor": ".35",
    "axes.linewidth": 0.9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.spines.left": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.formatter.useoffset": False,
    "grid.color": ".88",
    "grid.linewidth": 0.8,
    "xtick.labelsize": 9.5,
    "ytick.labelsize": 9.5,
    "xtick.color": ".25",
    "ytick.color": ".25",
    "xtick.bottom": True,
    "xtick.major.size": 3.5,
    "xtick.major.width": 0.9,
    "ytick.major.size": 0.0,
    "legend.fontsize": 9.0,
    "legend.title_fontsize": 9.5,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "lines.markersize": 4.0,
}
SOURCE_FONTSIZE = 8.5
#: The gid of every chart's source line (:func:`source_line`): tests and the figure writer find the line by it.
SOURCE_LINE_GID = "sources"
ANNOTATION_FONTSIZE = 8.0
LABEL_FONTSIZE = 8.5
_GAP_PX = 3.0  # minimum gap between two placed labels, in pixels at the figure's dpi


@lru_cache(maxsize=1)
def _style_rc() -> tuple:
    return tuple(sorted({**SEABORN_THEME, **OVERRIDES}.items()))


def style_rc() -> dict:
    """The rc settings of every chart (a fresh dict).

    Examples
    --------
    >>> rc = style_rc()
    >>> rc["font.sans-serif"], rc["axes.spines.top"]
    (['DejaVu Sans'], False)
    """
    return {key: (list(value) if isinstance(value, list) else value) for key, value in _style_rc()}


@contextmanager
def chart_style():
    """Draw in the package's style; the session's rcParams are restored on exit.

    Examples
    --------
    >>> import matplotlib
    >>> with chart_style():
    ...     matplotlib.rcParams["font.sans-serif"]
    ['DejaVu Sans']
    """
    import matplotlib

    with matplotlib.rc_context(style_rc()):
        yield


def style_axes(ax, *, grid: str | None = "y") -> None:
    """Give an Axes the chart style explicitly, whatever rcParams were in force when it was created.

    Spines, grid and tick settings are stored on the Axes, so ticks created
    later (at draw time, outside :func:`chart_style`) look the same.

    Parameters
    ----------
    grid : {"y", "x", "both"} or None
        Grid lines to draw.
    """
    for side, visible in (("top", False), ("right", False), ("left", False), ("bottom", True)):
        ax.spines[side].set_visible(visible)
    ax.spines["bottom"].set_color("0.35")
    ax.spines["bottom"].set_linewidth(0.9)
    ax.set_facecolor("white")
    ax.set_axisbelow(True)
    ax.grid(False)
    if grid is not None:
        ax.grid(True, axis=grid, color="0.88", linewidth=0.8, linestyle="-")
    ax.tick_params(axis="x", which="major", bottom=True, top=False, length=3.5, width=0.9, color="0.35",
                   labelcolor="0.25", labelsize=9.5, direction="out")
    ax.tick_params(axis="y", which="major", left=False, right=False, length=0, labelcolor="0.25", labelsize=9.5)


# --- colours -------------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _palette(codes: tuple[str, ...]) -> dict[str, str]:
    others = sorted(set(codes) - set(MEMBER_COLORS))
    palette = dict(MEMBER_COLORS)
    palette.update({code: OTHER_COLORS[i % len(OTHER_COLORS)] for i, code in enumerate(others)})
    palette[WORLD] = NEUTRAL_COLOR
    return palette


def country_palette() -> dict[str, str]:
    """ISO3 -> colour for every state in ``states.csv`` (and ``WLD``), the same in every chart.

    Examples
    --------
    >>> palette = country_palette()
    >>> palette["CHN"], palette["RUS"]
    ('#d62728', '#1f77b4')
    >>> len(palette) == len(load_states()) + 1
    True
    """
    return dict(_palette(tuple(sorted(load_states()["iso3"]))))


def country_color(iso3: str) -> str:
    """The colour of a state in every chart.

    Raises
    ------
    ParameterError
        For a code that is not in ``states.csv`` (nor ``WLD``).

    Examples
    --------
    >>> country_color("KAZ")
    '#17becf'
    """
    palette = country_palette()
    if iso3 not in palette:
        raise ParameterError("iso3", iso3, "the ISO3 code of a state in states.csv, or 'WLD'")
    return palette[iso3]


def darker(color, amount: float = 0.35) -> str:
    """A colour mixed with black (``amount`` of black, 0-1), as hex.

    Examples
    --------
    >>> darker("#ffffff", 0.5)
    '#808080'
    """
    from matplotlib.colors import to_hex, to_rgb

    return to_hex(tuple((1 - amount) * c for c in to_rgb(color)))


def luminance(color) -> float:
    """WCAG relative luminance of a colour (0 black - 1 white).

    Examples
    --------
    >>> round(luminance("#ffffff"), 3), round(luminance("#000000"), 3)
    (1.0, 0.0)
    """
    from matplotlib.colors import to_rgb

    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    """WCAG contrast ratio of two colours (1-21).

    Examples
    --------
    >>> round(contrast("#000000", "#ffffff"), 1)
    21.0
    """
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def label_color(iso3: str) -> str:
    """Colour for a state's name written on white: its chart colour, darkened until the contrast is at least 4.5.

    Examples
    --------
    >>> contrast(label_color("IRN"), "#ffffff") >= 4.5
    True
    """
    color = country_color(iso3)
    for step in range(11):
        shade = darker(color, 0.06 * step)
        if contrast(shade, "#ffffff") >= 4.5:
            return shade
    return shade


def text_color_on(background, *, dark: str = "#1a1a1a", light: str = "#ffffff") -> str:
    """Black or white text, whichever contrasts more with ``background``.

    Examples
    --------
    >>> text_color_on("#d62728"), text_color_on("#bcbd22")
    ('#ffffff', '#1a1a1a')
    """
    return light if contrast(light, background) >= contrast(dark, background) else dark


# --- axes ----------------------------------------------------------------------------------------

def integer_year_axis(ax, axis: str = "x") -> None:
    """Year ticks on whole years only, printed as ``2005`` (no ``2002.5``, no thousands separator, no offset).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([2001, 2004], [1, 2])
    >>> integer_year_axis(ax)
    >>> fig.canvas.draw()
    >>> visible_tick_labels(ax.xaxis)
    ['2001', '2002', '2003', '2004']
    >>> plt.close(fig)
    """
    from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator

    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 5, 10], integer=True, min_n_ticks=1))
    target.set_major_formatter(FuncFormatter(lambda value, _pos: f"{round(value):d}"))
    target.set_minor_locator(NullLocator())


def year_date_axis(ax, first, last, axis: str = "x") -> None:
    """Ticks on 1 January of whole years, printed as ``2005``, on a date axis spanning ``first``-``last``.

    The step between ticks (1, 2, 5, 10 … years) keeps about six to ten
    labels. A window shorter than two years keeps matplotlib's month ticks.
    """
    import matplotlib.dates as mdates
    import pandas as pd

    span = (pd.Timestamp(last) - pd.Timestamp(first)).days / 365.25
    if span < 2:
        return
    base = next(step for step in (1, 2, 4, 5, 10, 20, 50) if span / step <= 9)
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(mdates.YearLocator(base=base))
    target.set_major_formatter(mdates.DateFormatter("%Y"))


def visible_tick_labels(axis) -> list[str]:
    """The texts of an axis' major tick labels inside its view limits (call after ``fig.canvas.draw()``)."""
    lo, hi = sorted(axis.get_view_interval())
    tol = 1e-9 * max(1.0, abs(hi - lo))
    return [tick.label1.get_text() for tick in axis.get_major_ticks()
            if lo - tol <= tick.get_loc() <= hi + tol and tick.label1.get_visible() and tick.label1.get_text()]


# --- sources -------------------------------------------------------------------------------------

def source_text(sources, *, max_items: int = 4) -> str:
    """ "Source: Publisher, year" (or "Sources: …; …") from :func:`~sco_research.analysis.sources.source_notes` rows.

    Parameters
    ----------
    sources : pandas.DataFrame or str
        Rows with ``publisher`` and ``year``, most important first; a string
        is used as it is.
    max_items : int
        Sources named; the rest are counted ("and 12 other sources").

    Examples
    --------
    >>> import pandas as pd
    >>> source_text(pd.DataFrame({"publisher": ["International Monetary Fund"], "year": ["2022"]}))
    'Source: International Monetary Fund, 2022'
    """
    if isinstance(sources, str):
        return sources
    # The list is ";"-separated: a ";" inside a publisher's name becomes a ",".
    items = [f"{str(p).replace(';', ',')}, {y}" for p, y in zip(sources["publisher"], sources["year"])]
    if not items:
        return ""
    shown = items[:max_items]
    rest = len(items) - len(shown)
    text = ("Sources: " if len(items) > 1 else "Source: ") + "; ".join(shown)
    if rest:
        text += f"; and {rest} other source{'s' if rest > 1 else ''} (full list: data/sources.csv)"
    return text


def _wrap(text: str, width_inches: float, fontsize: float) -> str:
    """Wrap a line to the width, breaking between "; "-separated items where possible (never inside
    "Publisher, 2022" unless one item alone is wider than the line).

    Examples
    --------
    >>> print(_wrap("Sources: A long publisher name, 2022; Another one, 2023", 2.4, 8.5))
    Sources: A long publisher name, 2022;
    Another one, 2023
    """
    import textwrap

    chars = max(24, int(width_inches * 72 / (0.52 * fontsize)))
    items = text.split("; ")
    lines: list[str] = []
    for n, item in enumerate(items):
        piece = item + (";" if n < len(items) - 1 else "")
        if lines and len(lines[-1]) + 1 + len(piece) <= chars:
            lines[-1] += " " + piece
        elif len(piece) <= chars:
            lines.append(piece)
        else:
            lines.extend(textwrap.wrap(piece, chars, break_long_words=False))
    return "\n".join(lines)


def source_line(target, sources, *, max_items: int = 4, note: str | None = None, events: bool = False):
    """Write the source line under an Axes (below its tick labels) or under all axes of a Figure.

    The line is placed at draw time, 6 points under the lowest of the axes'
    tick labels and axis labels, so it never overlaps them.

    Parameters
    ----------
    target : matplotlib.axes.Axes or matplotlib.figure.Figure
    sources : pandas.DataFrame or str
        See :func:`source_text`.
    note : str, optional
        A line written before the sources (e.g. how to read the chart).
    events : bool
        The chart shows SCO events (statuses, chairs, summits): the note ends with
        :func:`~sco_research.data.coverage_note`, the day through which events were checked.

    Returns
    -------
    matplotlib.text.Annotation
        The text, with ``gid="sources"``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, pandas as pd
    >>> fig, ax = plt.subplots()
    >>> line = source_line(ax, pd.DataFrame({"publisher": ["TASS"], "year": ["2025"]}))
    >>> line.get_text(), line.get_gid()
    ('Source: TASS, 2025', 'sources')
    >>> source_line(ax, "Source: TASS, 2025", events=True).get_text().splitlines()[0]
    'Events checked through 4 September 2026.'
    >>> plt.close(fig)
    """
    from matplotlib.text import Annotation

    text = source_text(sources, max_items=max_items)
    if events:  # what the chart cannot show: events after the day the sources were last searched
        note = f"{note} {coverage_note()}" if note else coverage_note()
    if note:
        text = f"{note}\n{text}" if text else note
    is_figure = not hasattr(target, "transData")
    fig = target if is_figure else target.figure
    axes = [a for a in fig.axes if a.get_visible()] if is_figure else [target]
    width = (fig.get_figwidth() * 0.96) if is_figure else (fig.get_figwidth() * target.get_position().width)
    text = "\n".join(_wrap(line, width, SOURCE_FONTSIZE) for line in text.split("\n"))

    def anchor(renderer):
        from matplotlib.transforms import Bbox

        boxes = []
        for a in axes:
            boxes.append(a.bbox)
            if a.axison:
                for axis in (a.xaxis, a.yaxis):
                    box = axis.get_tightbbox(renderer)
                    if box is not None:
                        boxes.append(box)
        legends = [*(fig.legends if is_figure else []), *(a.get_legend() for a in axes)]
        legends += [c for a in axes for c in a.get_children() if c.__class__.__name__ == "Legend"]
        for legend in legends:
            if legend is not None and legend.get_visible():
                boxes.append(legend.get_window_extent(renderer))
        union = Bbox.union(boxes)
        left = fig.bbox.x0 + 0.02 * fig.bbox.width if is_figure else target.bbox.x0
        return Bbox.from_extents(left, union.y0, union.x1, union.y0)

    line = Annotation(text, xy=(0, 0), xycoords=anchor, xytext=(0, -6), textcoords="offset points", ha="left",
                      va="top", fontsize=SOURCE_FONTSIZE, color=NOTE_COLOR, linespacing=1.3, annotation_clip=False)
    line.set_gid(SOURCE_LINE_GID)
    if is_figure:
        fig.add_artist(line)
    else:
        target.add_artist(line)
        line.set_clip_on(False)
    return line


# --- label placement -----------------------------------------------------------------------------

def spread(wanted, sizes, *, low: float = float("-inf"), high: float = float("inf"), gap: float = 0.0) -> list[float]:
    """Centres as close as possible (least squares) to ``wanted`` such that no two intervals overlap.

    Interval ``i`` is ``sizes[i]`` long; intervals keep the order of their
    wanted centres and are kept inside ``[low, high]`` when they fit.
    Deterministic (no random start, no iteration limit).

    Examples
    --------
    >>> spread([0, 1, 2], [2, 2, 2])
    [-1.0, 1.0, 3.0]
    >>> spread([5, 5], [2, 2], low=0, high=6)
    [3.0, 5.0]
    """
    order = sorted(range(len(wanted)), key=lambda i: (wanted[i], i))
    blocks: list[dict] = []  # each: items (in order), length, start (lower edge)

    def place(block):
        offsets, position = [], 0.0
        for i in block["items"]:
            offsets.append(position + sizes[i] / 2)
            position += sizes[i] + gap
        block["length"] = position - gap
        best = sum(wanted[i] - o for i, o in zip(block["items"], offsets)) / len(block["items"])
        start = min(max(best, low), high - block["length"]) if high - low >= block["length"] else low
        block["start"], block["offsets"] = start, offsets

    for i in order:
        block = {"items": [i]}
        place(block)
        blocks.append(block)
        while len(blocks) > 1 and blocks[-2]["start"] + blocks[-2]["length"] + gap > blocks[-1]["start"] + 1e-9:
            last = blocks.pop()
            blocks[-1]["items"].extend(last["items"])
            place(blocks[-1])
    centres = [0.0] * len(wanted)
    for block in blocks:
        for i, offset in zip(block["items"], block["offsets"]):
            centres[i] = float(block["start"] + offset)
    return centres


@lru_cache(maxsize=8)
def _measuring_renderer(dpi: float):
    """A 1×1-pixel Agg renderer at ``dpi``, kept for reuse.

    Text metrics depend only on the renderer's dpi, never on its canvas size, and a figure's own renderer is
    rebuilt (a full-size pixel buffer) at every dpi change: placing the labels of one timeline at four
    resolutions made hundreds of them.
    """
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, dpi)


def _extent(text):
    """The bounding box of a text alone (not an annotation's arrow), in display pixels, at its current position."""
    from matplotlib.text import Annotation, Text

    renderer = _measuring_renderer(text.get_figure(root=True).dpi)
    if isinstance(text, Annotation):
        text.update_positions(renderer)
    return Text.get_window_extent(text, renderer)


#: Resolutions at which label sizes are measured. Hinted text is not the same size in points at every
#: resolution (up to 15 % wider at 72 dpi than at 100 dpi), so placement uses the largest box.
MEASURE_DPIS = (72, 100, 150, 200)


def measure(texts) -> list:
    """Boxes of texts in display pixels at the figure's dpi, each the union of its boxes rendered at
    :data:`MEASURE_DPIS` (and the figure's own dpi), so that placement holds in every saved file."""
    from matplotlib.transforms import Bbox

    texts = list(texts)
    if not texts:
        return []
    fig = texts[0].get_figure(root=True)
    original = fig.dpi
    boxes: list = [None] * len(texts)
    try:
        for dpi in sorted({*MEASURE_DPIS, original}):
            fig._set_dpi(dpi, forward=False)
            factor = original / dpi
            for i, text in enumerate(texts):
                box = Bbox(_extent(text).get_points() * factor)
                boxes[i] = box if boxes[i] is None else Bbox.union([boxes[i], box])
    finally:
        fig._set_dpi(original, forward=False)
    return boxes


def fits(text, width: float, height: float) -> bool:
    """Whether a text's box (:func:`measure`: at every resolution) is at most ``width`` × ``height`` display pixels.

    The box at the figure's own dpi comes first, alone: a text too large there is too large in the union of
    all, and most of the texts tried against a space are (measuring every one at every resolution was half of
    the time of a chairmanship timeline).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> text = ax.text(0.5, 0.5, "Kazakhstan")
    >>> fits(text, 200, 30), fits(text, 20, 30)
    (True, False)
    >>> plt.close(fig)
    """
    alone = _extent(text)
    if alone.width > width or alone.height > height:
        return False
    box = measure([text])[0]
    return bool(box.width <= width and box.height <= height)


def overlapping_pairs(texts, pad: float = 0.0) -> list[tuple[str, str]]:
    """Pairs of texts whose drawn bounding boxes overlap (after ``fig.canvas.draw()``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> a, b = ax.text(0.5, 0.5, "one"), ax.text(0.5, 0.5, "two")
    >>> fig.canvas.draw()
    >>> overlapping_pairs([a, b])
    [('one', 'two')]
    >>> plt.close(fig)
    """
    boxes = [(t.get_text(), _extent(t).expanded(1, 1).padded(pad)) for t in texts if t.get_visible() and t.get_text()]
    pairs = []
    for i, (name_a, a) in enumerate(boxes):
        for name_b, b in boxes[i + 1:]:
            if a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1:
                pairs.append((name_a, name_b))
    return pairs


def halo(text, color: str = "white", width: float = 2.2) -> None:
    """A stroke of ``color`` around a text's letters, so that it stays readable over guides, lines and hatching.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> label = ax.text(0.5, 0.5, "Kazakhstan")
    >>> halo(label)
    >>> type(label.get_path_effects()[0]).__name__
    'withStroke'
    >>> plt.close(fig)
    """
    from matplotlib import patheffects

    text.set_path_effects([patheffects.withStroke(linewidth=width, foreground=color)])


def label_line_ends(ax, ends, *, fontsize: float = LABEL_FONTSIZE, pad_points: float = 5.0) -> list:
    """Direct labels just right of each line's last point, moved apart vertically so that none overlap.

    Labels whose boxes would overlap horizontally are spread vertically
    (:func:`spread`) inside the axes' height; a label moved away from its
    point gets a thin leader line. Each label has a white :func:`halo`.

    Parameters
    ----------
    ends : sequence of (x, y, text, color)
        Last point of each line (data coordinates), its label and colour.

    Returns
    -------
    list of matplotlib.text.Annotation
        One per entry of ``ends``, in the same order, each with
        ``gid="line_label"``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [0, 1]); _ = ax.plot([0, 1], [0, 1.01])
    >>> labels = label_line_ends(ax, [(1, 1, "one", "C0"), (1, 1.01, "two", "C1")])
    >>> fig.canvas.draw()
    >>> overlapping_pairs(labels)
    []
    >>> plt.close(fig)
    """
    scale = ax.figure.dpi / 72
    common = {"xycoords": "data", "textcoords": "offset points", "ha": "left", "va": "center",
              "fontsize": fontsize, "annotation_clip": False}
    probes = [ax.annotate(text, xy=(x, y), xytext=(pad_points, 0), color=color, **common)
              for x, y, text, color in ends]
    boxes = measure(probes)
    for probe in probes:
        probe.remove()
    points = [ax.transData.transform((ax.convert_xunits(x), ax.convert_yunits(y))) for x, y, _, _ in ends]
    # Labels that share columns of pixels form a group; each group is spread vertically.
    order = sorted(range(len(ends)), key=lambda i: (boxes[i].x0, i))
    groups, right = [], None
    for i in order:
        if right is None or boxes[i].x0 > right + _GAP_PX:
            groups.append([i])
            right = boxes[i].x1
        else:
            groups[-1].append(i)
            right = max(right, boxes[i].x1)
    shifts = [0.0] * len(ends)
    for group in groups:
        centres = spread([points[i][1] for i in group], [boxes[i].height for i in group], low=ax.bbox.y0,
                         high=ax.bbox.y1, gap=_GAP_PX)
        for i, centre in zip(group, centres):
            shifts[i] = (centre - points[i][1]) / scale
    labels = []
    for (x, y, text, color), shift in zip(ends, shifts):
        arrow = None
        if abs(shift) > 0.6 * fontsize:
            arrow = {"arrowstyle": "-", "color": GUIDE_COLOR, "lw": 0.6, "shrinkA": 0, "shrinkB": 1.5,
                     "relpos": (0.0, 0.5)}
        label = ax.annotate(text, xy=(x, y), xytext=(pad_points, shift), color=color, arrowprops=arrow,
                            gid="line_label", **common)
        halo(label, "white")  # a guide such as the dashed change of source must not strike through a name
        labels.append(label)
    return labels


def annotate_marks(ax, marks, *, fontsize: float = ANNOTATION_FONTSIZE, color: str = NOTE_COLOR) -> list:
    """Vertical guides at x values, labelled in rows above the axes so that no two labels overlap.

    Each label starts at its guide; a label that would overlap one already
    placed goes to the next row up. Give the title room with :func:`marks_pad`.

    Parameters
    ----------
    marks : sequence of (x, text, gid) or (x, text, gid, style)
        ``style``: ``axvline`` settings for that guide, plus ``label_color``.

    Returns
    -------
    list of matplotlib.text.Annotation
        The labels, each with ``gid="mark_label"``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> ax.set_xlim(2000, 2025)
    (2000.0, 2025.0)
    >>> labels = annotate_marks(ax, [(2023, "Iran joins", "a"), (2024, "Belarus joins", "b")])
    >>> fig.canvas.draw()
    >>> overlapping_pairs(labels), [round(t.xyann[1]) for t in labels]
    ([], [3, 14])
    >>> plt.close(fig)
    """
    row_height = 1.35 * fontsize  # points
    placed: list[list[tuple[float, float]]] = []
    labels = []
    for mark in sorted(marks, key=lambda m: (m[0], m[1])):
        x, text, gid = mark[:3]
        style = {"color": GUIDE_COLOR, "linestyle": ":", "linewidth": 0.9, **(mark[3] if len(mark) > 3 else {})}
        text_color = style.pop("label_color", color)
        ax.axvline(x, gid=gid, **style)
        label = ax.annotate(text, xy=(x, 1.0), xycoords=("data", "axes fraction"), xytext=(2, 3),
                            textcoords="offset points", ha="left", va="bottom", fontsize=fontsize,
                            color=text_color, annotation_clip=False, gid="mark_label")
        box = measure([label])[0]
        row = _free_row(placed, box.x0, box.x1, 2 * _GAP_PX)
        placed[row].append((box.x0, box.x1))
        label.xyann = (2, 3 + row * row_height)
        labels.append(label)
    return labels


def _free_row(rows: list, x0: float, x1: float, gap: float) -> int:
    """Index of the lowest row where [x0, x1] overlaps no interval (a new row is appended when none is free)."""
    for index, taken in enumerate(rows):
        if all(x1 + gap <= a or b + gap <= x0 for a, b in taken):
            return index
    rows.append([])
    return len(rows) - 1


def marks_pad(labels, *, fontsize: float = ANNOTATION_FONTSIZE) -> float:
    """Title padding (points) that clears the rows of :func:`annotate_marks` labels."""
    if not labels:
        return 8.0
    return max(label.xyann[1] for label in labels) + 1.35 * fontsize + 6
