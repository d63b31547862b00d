"""The one place where figures become files: deterministic, atomically written.

Rendering the same figure twice gives byte-identical files:

* PNG: no ``Software`` tag (it carries the matplotlib version);
* SVG: a fixed ``svg.hashsalt`` (clip-path and glyph ids) and no ``Date``;
* PDF: no ``CreationDate``, ``Creator`` or ``Producer``;
* GIF: frames rendered at a fixed dpi and assembled by Pillow, which adds no
  timestamp.

Each file is written to a temporary name beside its target and renamed into
place, so an interrupted run never leaves a truncated figure.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from .analysis.geography import check_statuses, map_frame
from .analysis.membership import latest_date, status_on
from .data.vocab import FOUNDING_DATE, STATUSES
from .errors import ParameterError
from .files import atomic_write
from .params import day_in_words, parse_date, require_choice
from .paths import figures_dir
from .plotting.maps import (
    NO_STATUS_COLOR,
    map_paths,
    membership_legend_handles,
    path_collection,
    plot_membership_map,
)
from .plotting.membership import STATUS_COLORS
from .plotting.style import SOURCE_LINE_GID

FORMATS = ("png", "svg", "pdf")
DPI = 150
_PAD_INCHES = 0.1
SVG_HASHSALT = "sco-research"
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}
_MAX_SLUG = 80
#: Set by ``sco-research render`` to each report's own figure folder.
FIGURES_DIR_VARIABLE = "SCO_RESEARCH_FIGURES_DIR"


def _slug_value(value) -> str:
    if isinstance(value, (list, tuple)):
        return "+".join(_slug_value(v) for v in value) or "none"
    return re.sub(r"[^A-Za-z0-9.]+", "-", str(value)).strip("-") or "none"


def figure_stem(notebook: str, figure: str, parameters: dict | None = None) -> str:
    """Stable file stem from a notebook name, a figure name and the parameters.

    Parameters are sorted by name; a stem longer than 80 characters of
    parameters is replaced by a short hash of them, so names stay readable
    and still differ when the parameters do.

    Examples
    --------
    >>> figure_stem("01_membership_growth", "map", {"as_of": "2017-06-09", "extent": "eurasia"})
    '01_membership_growth__map__as_of-2017-06-09_extent-eurasia'
    >>> figure_stem("01_membership_growth", "map")
    '01_membership_growth__map'
    """
    for name, value in (("notebook", notebook), ("figure", figure)):
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", value or ""):
            raise ParameterError(name, value, "letters, digits, '_', '.' or '-'")
    stem = f"{notebook}__{figure}"
    if not parameters:
        return stem
    slug = "_".join(f"{k}-{_slug_value(parameters[k])}" for k in sorted(parameters))
    if len(slug) > _MAX_SLUG:
        digest = hashlib.sha256(json.dumps(parameters, sort_keys=True, default=str).encode()).hexdigest()[:12]
        slug = f"params-{digest}"
    return f"{stem}__{slug}"


def _check_formats(formats) -> tuple[str, ...]:
    formats = (formats,) if isinstance(formats, str) else tuple(formats)
    if not formats:
        raise ParameterError("formats", formats, "a non-empty selection of " + ", ".join(map(repr, FORMATS)))
    for fmt in formats:
        require_choice("formats", fmt, FORMATS)
    return formats


def save_figure(fig, stem: str, *, directory=None, formats=("png", "svg"), dpi: int = DPI) -> list[Path]:
    """Write a figure as byte-reproducible files ``<directory>/<stem>.<format>``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (an Axes is accepted too; its figure is saved).
    stem : str
        File name without extension, usually from :func:`figure_stem`.
    directory : str or pathlib.Path, optional
        Defaults to :func:`sco_research.paths.figures_dir` (``figures/``).
    formats : sequence of {"png", "svg", "pdf"}
    dpi : int
        Raster resolution of the PNG.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``formats``.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> paths = save_figure(fig, "example", directory=tempfile.mkdtemp())
    >>> [p.suffix for p in paths]
    ['.png', '.svg']
    """
    formats = _check_formats(formats)
    if not re.fullmatch(r"[A-Za-z0-9_.+-]+", stem or ""):
        raise ParameterError("stem", stem, "letters, digits, '_', '.', '+' or '-'")
    fig = getattr(fig, "figure", fig)
    folder = Path(directory) if directory is not None else figures_dir()
    written = []
    bbox = _tight_bbox(fig, dpi)  # once for every format: "tight" would lay the figure out again for each
    for fmt in formats:
        target = folder / f"{stem}.{fmt}"
        atomic_write(target, lambda tmp, fmt=fmt: _savefig(fig, tmp, fmt, dpi, bbox))
        written.append(target)
    return written


def _tight_bbox(fig, dpi: int):
    """The figure's tight bounding box (inches) at ``dpi``, with the writer's padding.

    matplotlib's own ``bbox_inches="tight"`` draws the figure once before measuring it, because some artists
    are placed only by a draw (a layout engine, axisartist's labels, a draw-event callback). This package's charts
    place every artist when it is measured (ticks, annotations, the source line), so for them that extra draw, a
    fifth of the time of writing a PNG and an SVG, is skipped; any other figure, or one with a layout engine, is
    drawn first as matplotlib does. The crop equals matplotlib's (tests/test_maps.py).
    """
    original = fig.dpi
    fig.set_dpi(dpi)
    try:
        if fig.get_layout_engine() is not None or not _is_package_chart(fig):
            fig.draw_without_rendering()
        return fig.get_tightbbox().padded(_PAD_INCHES)
    finally:
        fig.set_dpi(original)


def _is_package_chart(fig) -> bool:
    """Whether the figure is one of this package's charts: each carries its source line."""
    artists = [*fig.texts, *fig.artists, *(artist for ax in fig.axes for artist in (*ax.texts, *ax.artists))]
    return any(artist.get_gid() == SOURCE_LINE_GID for artist in artists)


def _savefig(fig, target, fmt: str, dpi: int, bbox=None) -> None:
    """The one set of ``savefig`` settings behind every figure file and every figure shown in a report."""
    import matplotlib

    with matplotlib.rc_context({"svg.hashsalt": SVG_HASHSALT, "svg.fonttype": "path"}):
        fig.savefig(target, format=fmt, dpi=dpi, metadata=_METADATA[fmt], facecolor="white",
                    bbox_inches=bbox if bbox is not None else "tight", pad_inches=_PAD_INCHES)


class ReportFigures:
    """The figures of one report: saved under stable names, and shown from the file just written.

    :meth:`show` writes a figure with :func:`save_figure`, displays the PNG
    it wrote and closes the figure. The picture in the notebook (and in the
    HTML report) is therefore the very file in ``figures/``, and the figure is
    rendered once instead of once more by the inline backend.

    Parameters
    ----------
    notebook : str
        Notebook name, the first part of every file name.
    parameters : dict, optional
        Parameters that distinguish this report's files (see :func:`figure_stem`).
    save : bool, optional
        ``False`` shows figures without writing files; ``True`` writes them into ``directory`` (default
        :func:`sco_research.paths.figures_dir`). By default (``None``) figures are written only when a
        ``directory`` is given or ``$SCO_RESEARCH_FIGURES_DIR`` is set, as ``sco-research render`` does
        for each report; a notebook opened in JupyterLab writes nothing.
    directory : str or pathlib.Path, optional
        Where files go; defaults to ``$SCO_RESEARCH_FIGURES_DIR``.
    formats : sequence of {"png", "svg", "pdf"}
        Files written for each figure.

    Attributes
    ----------
    saved : list of pathlib.Path
        Every file written so far, in order.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> figures = ReportFigures("example", {"as_of": "2017-06-09"}, directory=tempfile.mkdtemp())
    >>> fig, ax = plt.subplots()
    >>> figures.show(ax, "demo")
    >>> [p.name for p in figures.saved]
    ['example__demo__as_of-2017-06-09.png', 'example__demo__as_of-2017-06-09.svg']
    >>> plt.fignum_exists(fig.number)
    False
    """

    def __init__(self, notebook: str, parameters: dict | None = None, *, save: bool | None = None, directory=None,
                 formats=("png", "svg")):
        if save is not None and not isinstance(save, bool):
            raise ParameterError("save", save, "True, False or None")
        figure_stem(notebook, "figure", parameters)  # checks the notebook name now, not at the first figure
        if directory is None and os.environ.get(FIGURES_DIR_VARIABLE):
            directory = os.environ[FIGURES_DIR_VARIABLE]
        if save and directory is None:
            directory = figures_dir()
        self.notebook, self.parameters = notebook, dict(parameters or {})
        # A notebook run in JupyterLab or by plain papermill writes no file: only a render (which sets
        # $SCO_RESEARCH_FIGURES_DIR to the report's folder) or an explicit directory does.
        self.save = (directory is not None) if save is None else save
        self.directory = Path(directory) if directory is not None else None
        self.formats = _check_formats(formats)
        self.saved: list[Path] = []

    def path_for(self, name: str, suffix: str) -> Path:
        """Where a file named ``name`` with ``suffix`` (such as ``"gif"``) goes, for files written elsewhere."""
        folder = self.directory if self.directory is not None else figures_dir()
        return folder / f"{figure_stem(self.notebook, name, self.parameters)}.{suffix.lstrip('.')}"

    def add(self, path) -> Path:
        """Record a file written by other means (an animation) in :attr:`saved`; return it."""
        self.saved.append(Path(path))
        return Path(path)

    def show_animation(self, name: str, *, alt: str, **animation) -> Path | None:
        """Write the membership animation (:func:`animate_membership` with ``animation``) as ``name`` and show it.

        Only where files are saved (in a render, beside the report's other figures): its frames take seconds to
        draw, so a notebook opened in JupyterLab prints how to get one instead. The GIF is embedded in the
        output, so the page and the executed notebook show it wherever they are copied.

        Returns
        -------
        pathlib.Path or None
            The file written (added to :attr:`saved`), or ``None`` when nothing is saved.

        Examples
        --------
        >>> ReportFigures("example", save=False).show_animation("animation", alt="The SCO, year by year")
        Not drawn here: `sco-research render` writes this animation with the report's other figures, and
        animate_membership(path) writes one anywhere.
        """
        path = self.path_for(name, "gif")  # a bad name fails even when nothing is saved
        if not self.save:
            print("Not drawn here: `sco-research render` writes this animation with the report's other figures, and\n"
                  "animate_membership(path) writes one anywhere.")
            return None
        self.add(animate_membership(path, **animation))
        _display_gif(path.read_bytes(), alt=alt)
        return path

    def show(self, fig, name: str) -> None:
        """Save ``fig`` (a Figure or an Axes) as ``name`` (files added to :attr:`saved`), display it, close it.

        Returns nothing, so that a cell ending with it prints no list of paths.
        """
        import io

        import matplotlib.pyplot as plt

        fig = getattr(fig, "figure", fig)
        stem = figure_stem(self.notebook, name, self.parameters)  # a bad name fails even when nothing is saved
        try:
            written = []
            if self.save:
                written = save_figure(fig, stem, directory=self.directory, formats=self.formats)
                self.saved.extend(written)
            if "png" in self.formats and written:
                png = written[self.formats.index("png")].read_bytes()
            else:
                buffer = io.BytesIO()
                _savefig(fig, buffer, "png", DPI, _tight_bbox(fig, DPI))  # the crop save_figure would give
                png = buffer.getvalue()
            # The page links the picture to its full-size file, the SVG where there is one: a chart of panels is
            # drawn narrower than its file on a page, and a reader may want to zoom. The link is relative to the
            # report's folder, where a render moves this folder ("figures/").
            full_size = written[self.formats.index("svg" if "svg" in self.formats else "png")] if written else None
            _display_png(png, alt=chart_title(fig) or name,
                         file=f"{full_size.parent.name}/{full_size.name}" if full_size is not None else None)
        finally:
            plt.close(fig)


def chart_title(fig) -> str:
    """What a figure shows, for alt text: its suptitle, else its label, else its first axes title; may be ``""``.

    A figure of panels without an overall title (small multiples) describes itself with
    :meth:`~matplotlib.figure.Figure.set_label`, so that its alt text is not the first panel's title.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set_title("Members of the SCO", loc="left")
    >>> chart_title(fig)
    'Members of the SCO'
    """
    fig = getattr(fig, "figure", fig)
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        return " ".join(suptitle.get_text().split())
    if fig.get_label().strip():
        return " ".join(fig.get_label().split())
    for ax in fig.axes:
        for loc in ("center", "left", "right"):
            text = ax.get_title(loc=loc).strip()
            if text:
                return " ".join(text.split())
    return ""


def alt_text_metadata(fig) -> tuple[dict, dict]:
    """IPython mime-bundle formatter: no data of its own, the figure's title as the PNG's alt text."""
    title = chart_title(fig)
    return {}, ({"image/png": {"alt": title}} if title else {})


def load_ipython_extension(ipython) -> None:
    """``%load_ext sco_research.figures``: every matplotlib figure a cell shows carries its title as alt text.

    ``sco-research render`` registers :func:`alt_text_metadata` the same way in each kernel, so charts shown
    with ``plt.show()`` get the same ``alt`` metadata (read by the report page) as those shown by
    :meth:`ReportFigures.show`.
    """
    from matplotlib.figure import Figure

    ipython.display_formatter.mimebundle_formatter.for_type(Figure, alt_text_metadata)


def _in_ipython() -> bool:
    """Whether this code runs in an IPython shell (a kernel), where figures are displayed."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return False
    return get_ipython() is not None


def _display_png(png: bytes, alt: str = "", file: str | None = None) -> None:
    """Show PNG bytes in a running IPython kernel, at the size the inline backend would give the figure.

    ``alt`` becomes the image's alt text in the report page (output metadata ``image/png`` → ``alt``), and
    ``file`` (a path relative to the report's folder) the target of a link around it (→ ``file``).
    """
    if not _in_ipython():
        return
    import matplotlib
    from IPython.display import Image, display

    width = int.from_bytes(png[16:20], "big")  # the PNG header's IHDR width
    metadata = {key: value for key, value in (("alt", alt), ("file", file)) if value}
    display(Image(data=png, format="png", width=round(width * matplotlib.rcParams["figure.dpi"] / DPI),
                  metadata=metadata or None))


def _display_gif(gif: bytes, alt: str) -> None:
    """Show GIF bytes in a running IPython kernel, as HTML (nbconvert's pages render no ``image/gif`` output)."""
    if not _in_ipython():
        return
    import base64
    import html

    from IPython.display import HTML, display

    encoded = base64.b64encode(gif).decode("ascii")
    display(HTML(f'<figure class="chart"><img src="data:image/gif;base64,{encoded}" alt="{html.escape(alt)}">'
                 "</figure>"))


def animate_membership(path, *, start_year: int = 2001, end_year: int | None = None, until=None, fps: float = 1.5,
                       statuses=None, extent: str = "eurasia", projection: str | None = None,
                       dpi: int = 80) -> Path:
    """Write an animation of the membership map, one frame per year (status on 31 December).

    The map, legend and frame are drawn once; each frame only recolours the
    countries and rewrites the title on top of that background (blitting), and
    a GIF's frames share one palette, taken from the first frame (whose legend
    shows every status colour). Both keep a 25-frame GIF well under a second.

    Parameters
    ----------
    path : str or pathlib.Path
        ``.gif`` (Pillow, always available) or ``.mp4`` (needs ffmpeg on PATH).
    start_year, end_year : int
        First and last frame; ``end_year`` defaults to the year of ``until``,
        or else of the latest date in the data.
    until : str, datetime.date or pandas.Timestamp, optional
        Stop on this day: the last frame shows the statuses held that day
        rather than on 31 December (an "as of" report's animation ends where
        its map does).
    fps : float
        Frames per second.
    statuses, extent, projection
        As in :func:`sco_research.plotting.plot_membership_map`.
    dpi : int
        Resolution of each frame (the frame is 8 x 5.5 inches).

    Returns
    -------
    pathlib.Path
        The file written (atomically).

    Raises
    ------
    ParameterError
        For a bad suffix, an unavailable ffmpeg, or years outside the data.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> animate_membership(Path(tempfile.mkdtemp()) / "sco.gif", start_year=2016, end_year=2017).name
    'sco.gif'
    """
    import pandas as pd
    from matplotlib import animation

    path = Path(path)
    if path.suffix not in (".gif", ".mp4"):
        raise ParameterError("path", str(path), "a file name ending in '.gif' or '.mp4'")
    if path.suffix == ".mp4" and not animation.FFMpegWriter.isAvailable():
        raise ParameterError("path", str(path), "'.gif' (ffmpeg, needed for '.mp4', is not on PATH)")
    last = latest_date().year
    if until is not None:
        until = parse_date(until, "until")
        if not FOUNDING_DATE <= until <= latest_date():
            raise ParameterError("until", until.date().isoformat(),
                                 f"a day from {FOUNDING_DATE.date()} to {latest_date().date()}")
    default_end = until.year if until is not None else last
    end_year = default_end if end_year is None else end_year
    for name, year in (("start_year", start_year), ("end_year", end_year)):
        if not isinstance(year, int) or not FOUNDING_DATE.year <= year <= last:
            raise ParameterError(name, year, f"an integer year from {FOUNDING_DATE.year} to {last}")
    if end_year < start_year:
        raise ParameterError("end_year", end_year, f"a year not before start_year={start_year}")
    if until is not None and end_year != until.year:
        raise ParameterError("end_year", end_year, f"{until.year}, the year of until={until.date()}, or None")
    statuses = STATUSES if statuses is None else statuses
    days = [pd.Timestamp(year, 12, 31) for year in range(start_year, end_year + 1)]
    if until is not None:
        days[-1] = until
    fig, update = _animation_figure(days[0], statuses=statuses, extent=extent, projection=projection, dpi=dpi)
    if path.suffix == ".mp4":
        movie = animation.FuncAnimation(fig, update, frames=days, repeat=False)
        atomic_write(path, lambda tmp: movie.save(tmp, writer=animation.FFMpegWriter(fps=fps), dpi=dpi))
        return path
    from PIL import Image

    frames = _blitted_frames(fig, update, days)
    palette = frames[0].quantize(method=Image.Quantize.FASTOCTREE)
    frames = [frame.quantize(palette=palette, dither=Image.Dither.NONE) for frame in frames]
    atomic_write(path, lambda tmp: frames[0].save(tmp, format="GIF", save_all=True, append_images=frames[1:],
                                                   duration=round(1000 / fps), loop=0))
    return path


def _animation_figure(first_day, *, statuses, extent, projection, dpi):
    """The animation's figure (outside pyplot, so no notebook displays it) and its per-day update function."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 5.5), dpi=dpi, facecolor="white")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    plot_membership_map(first_day, ax=ax, statuses=statuses, extent=extent, projection=projection, legend=False,
                        sources=False)
    # Below the map, not over it: the legend is part of the background that every frame reuses.
    fig.legend(handles=membership_legend_handles(statuses), loc="lower center", ncols=3, fontsize=7, frameon=False)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.11, top=0.93)
    collection, recolour = _recolouring(ax, statuses=statuses, extent=extent, projection=projection)

    def update(day):
        recolour(day)
        year_end = day.month == 12 and day.day == 31
        ax.set_title(f"SCO statuses at the end of {day.year}" if year_end else f"SCO statuses on {day_in_words(day)}")
        return collection, ax.title

    return fig, update


def _blitted_frames(fig, update, days) -> list:
    """Draw the static background once, then only the artists ``update`` returns, for each day; RGB images."""
    import numpy as np
    from PIL import Image

    canvas = fig.canvas
    moving = update(days[0])
    for artist in moving:
        artist.set_animated(True)  # left out of the full draw below
    canvas.draw()
    background = canvas.copy_from_bbox(fig.bbox)
    frames = []
    for day in days:
        canvas.restore_region(background)
        for artist in update(day):
            fig.draw_artist(artist)
        frames.append(Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3].copy()))
    return frames


def _recolouring(ax, *, statuses, extent, projection):
    """Replace the status collections of a drawn map by one collection; return it and a function that recolours it."""
    import numpy as np
    from matplotlib.colors import to_rgba

    chosen = set(check_statuses(statuses))
    for collection in list(ax.collections):
        if (collection.get_gid() or "").startswith("status:"):
            collection.remove()
    frame = map_frame("2001-06-15", statuses=statuses, extent=extent, projection=projection)
    with_code = frame["has_iso_code"].to_numpy()
    frame = frame[with_code]
    collection = path_collection(map_paths(extent, projection)[with_code], gid="status:animated",
                                 edgecolor="white", linewidth=0.25)
    ax.add_collection(collection)
    codes = frame["iso3"].to_numpy()
    palette = {status: to_rgba(color) for status, color in STATUS_COLORS.items()}
    blank = to_rgba(NO_STATUS_COLOR)

    def recolour(day):
        held = status_on(day).set_index("iso3")["status"].astype(str)
        rows = np.array([palette[held[c]] if c in held.index and held[c] in chosen else blank for c in codes])
        collection.set_facecolor(rows)

    return collection, recolour
