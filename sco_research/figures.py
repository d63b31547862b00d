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
import tempfile
from pathlib import Path

from .errors import ParameterError, require_choice
from .paths import figures_dir

FORMATS = ("png", "svg", "pdf")
DPI = 150
SVG_HASHSALT = "sco-research"
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}
_MAX_SLUG = 80
_UMASK = os.umask(0)
os.umask(_UMASK)


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


def _atomic_write(target: Path, write) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=target.suffix)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; give the file the usual permissions
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    import matplotlib

    formats = _check_formats(formats)
    if not re.fullmatch(r"[A-Za-z0-9_.+-]+", stem or ""):
        raise ParameterError("stem", stem, "letters, digits, '_', '.', '+' or '-'")
    fig = getattr(fig, "figure", fig)
    folder = Path(directory) if directory is not None else figures_dir()
    written = []
    with matplotlib.rc_context({"svg.hashsalt": SVG_HASHSALT, "svg.fonttype": "path"}):
        for fmt in formats:
            target = folder / f"{stem}.{fmt}"
            _atomic_write(target, lambda tmp, fmt=fmt: fig.savefig(
                tmp, format=fmt, dpi=dpi, metadata=_METADATA[fmt], facecolor="white", bbox_inches="tight",
                pad_inches=0.1))
            written.append(target)
    return written


def animate_membership(path, *, start_year: int = 2001, end_year: int | None = None, fps: float = 1.5,
                       statuses=None, extent: str = "eurasia", projection: str | None = None,
                       dpi: int = 80) -> Path:
    """Write an animation of the membership map, one frame per year (status on 31 December).

    Parameters
    ----------
    path : str or pathlib.Path
        ``.gif`` (Pillow, always available) or ``.mp4`` (needs ffmpeg on PATH).
    start_year, end_year : int
        First and last frame; ``end_year`` defaults to the year of the latest
        date in the data.
    fps : float
        Frames per second.
    statuses, extent, projection
        As in :func:`sco_research.plotting.plot_membership_map`.
    dpi : int
        Resolution of each frame.

    Returns
    -------
    pathlib.Path
        The file written (atomically).

    Raises
    ------
    ParameterError
        For a bad suffix, an unavailable ffmpeg, or years outside the data.
    """
    import matplotlib.pyplot as plt
    from matplotlib import animation

    from .membership import FOUNDING_DATE, STATUSES, latest_date
    from .plotting.maps import plot_membership_map

    path = Path(path)
    writers = {".gif": animation.PillowWriter, ".mp4": animation.FFMpegWriter}
    if path.suffix not in writers:
        raise ParameterError("path", str(path), "a file name ending in '.gif' or '.mp4'")
    if path.suffix == ".mp4" and not animation.FFMpegWriter.isAvailable():
        raise ParameterError("path", str(path), "'.gif' (ffmpeg, needed for '.mp4', is not on PATH)")
    last = latest_date().year
    end_year = last if end_year is None else end_year
    for name, year in (("start_year", start_year), ("end_year", end_year)):
        if not isinstance(year, int) or not FOUNDING_DATE.year <= year <= last:
            raise ParameterError(name, year, f"an integer year from {FOUNDING_DATE.year} to {last}")
    if end_year < start_year:
        raise ParameterError("end_year", end_year, f"a year not before start_year={start_year}")
    statuses = STATUSES if statuses is None else statuses

    years = list(range(start_year, end_year + 1))
    fig, ax = plt.subplots(figsize=(8, 5.5))
    # Draw the map once; each frame only recolours the polygons and retitles the axes,
    # which is several times faster than redrawing every frame from scratch.
    plot_membership_map(f"{years[0]}-12-31", ax=ax, statuses=statuses, extent=extent, projection=projection,
                        legend=False)
    from .plotting.maps import membership_legend_handles

    # Inside the axes: a movie frame has no "tight" bounding box to make room for an outside legend.
    ax.legend(handles=membership_legend_handles(statuses), loc="lower left", fontsize=7, frameon=True,
              framealpha=0.85)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.93)
    recolour = _recolouring(ax, statuses=statuses, extent=extent, projection=projection)

    def draw(year):
        recolour(f"{year}-12-31")
        ax.set_title(f"SCO statuses at the end of {year}")

    movie = animation.FuncAnimation(fig, draw, frames=years, repeat=False)
    try:
        _atomic_write(path, lambda tmp: movie.save(tmp, writer=writers[path.suffix](fps=fps), dpi=dpi))
    finally:
        plt.close(fig)
    return path


def _recolouring(ax, *, statuses, extent, projection):
    """Replace the status collections of a drawn map by one collection; return a function that recolours it."""
    import numpy as np
    import shapely
    from matplotlib.colors import to_rgba

    from .geo import check_statuses, map_frame
    from .membership import status_on
    from .plotting.maps import NO_STATUS_COLOR, polygon_collection
    from .plotting.membership import STATUS_COLORS

    chosen = set(check_statuses(statuses))
    for collection in list(ax.collections):
        if (collection.get_gid() or "").startswith("status:"):
            collection.remove()
    frame = map_frame("2001-06-15", statuses=statuses, extent=extent, projection=projection)
    frame = frame[frame["has_iso_code"]]
    geometries = frame.geometry.to_numpy()
    owner = np.repeat(np.arange(len(frame)), shapely.get_num_geometries(geometries))
    collection = polygon_collection(geometries, gid="status:animated", edgecolor="white", linewidth=0.25)
    ax.add_collection(collection)
    codes = frame["iso3"].to_numpy()
    palette = {status: to_rgba(color) for status, color in STATUS_COLORS.items()}
    blank = to_rgba(NO_STATUS_COLOR)

    def recolour(day):
        held = status_on(day).set_index("iso3")["status"].astype(str)
        rows = np.array([palette[held[c]] if c in held.index and held[c] in chosen else blank for c in codes])
        collection.set_facecolor(rows[owner])

    return recolour
