"""Country geometries, membership on the map and land-area shares.

The boundaries are Natural Earth 4.1.0 admin-0 countries at 1:50m, as
redistributed by the npm package world-atlas 2.0.2 and converted to
GeoParquet by ``scripts/build_geometries.py`` (see ``data/geometries/README.md``
for provenance, licence, sha256 and the worldview of the boundaries).

geopandas is imported inside the functions, so ``import sco_research`` stays
cheap. The file is read and checked by :mod:`sco_research.data`; the
projected, clipped and simplified geometries are cached per data snapshot, so
an edited geometry file is seen at once.

Regions (``region=`` of :func:`area_share`) are unions of UN M49 regions:

* ``"eurasia"`` — M49 *Europe* (150) plus *Asia* (142). All of Russia counts
  (M49 puts Russia in Eastern Europe); Egypt's Sinai and Greenland do not.
* ``"europe"``, ``"asia"`` — one M49 region each.
* ``"world"`` — every feature in the file, Antarctica included.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import pandas as pd

from ..data import load_geometries, snapshot
from ..data.vocab import PRECURSOR_STATUS, STATUSES
from ..errors import ParameterError
from ..params import parse_date
from ..params import require_choice as _choice
from .membership import check_include_precursor, status_categorical, status_on

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

#: Lambert azimuthal equal-area centred on 50°N 80°E: the default for Eurasian maps and areas.
EURASIA_LAEA = "+proj=laea +lat_0=50 +lon_0=80 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
#: Equal Earth (EPSG:8857), a global equal-area projection, for world maps.
EQUAL_EARTH = "EPSG:8857"

#: Named projections accepted by the mapping functions.
PROJECTIONS: dict[str, str] = {"eurasia_laea": EURASIA_LAEA, "equal_earth": EQUAL_EARTH}

#: Map extents: the projection used by default, and the longitude/latitude box
#: (west, south, east, north) whose geometries are drawn (None = everything).
EXTENTS: dict[str, dict] = {
    # West of Iceland to the Bering Strait, south to the Maldives and Java.
    "eurasia": {"projection": "eurasia_laea", "box": (-25.0, -11.0, 180.0, 82.0)},
    "world": {"projection": "equal_earth", "box": None},
}

#: Regions for :func:`area_share`, as tuples of UN M49 region names.
REGIONS: dict[str, tuple[str, ...]] = {
    "eurasia": ("Europe", "Asia"),
    "europe": ("Europe",),
    "asia": ("Asia",),
    "world": ("Africa", "Americas", "Antarctica", "Asia", "Europe", "Oceania"),
}

#: Equal-area projection in which each region's areas are measured.
AREA_PROJECTIONS: dict[str, str] = {
    "eurasia": EURASIA_LAEA, "europe": EURASIA_LAEA, "asia": EURASIA_LAEA, "world": EQUAL_EARTH,
}

# Tolerance (metres, in the map projection) for the one-off simplification of drawn maps.
_DRAW_TOLERANCE_M = 5_000.0


def resolve_projection(projection: str | None, extent: str = "eurasia") -> tuple[str, str]:
    """Check ``extent`` and ``projection``; return ``(projection_name, crs)``.

    ``projection=None`` takes the extent's default. The Eurasian LAEA is not
    offered for world maps: an azimuthal projection centred on Asia tears
    apart the far side of the globe.

    Examples
    --------
    >>> resolve_projection(None, "world")
    ('equal_earth', 'EPSG:8857')
    """
    _choice("extent", extent, list(EXTENTS))
    name = EXTENTS[extent]["projection"] if projection is None else projection
    _choice("projection", name, list(PROJECTIONS))
    if extent == "world" and name == "eurasia_laea":
        raise ParameterError("projection", name, "'equal_earth' for extent='world' "
                             "(the Eurasian LAEA tears the far side of the globe apart)")
    return name, PROJECTIONS[name]


@lru_cache(maxsize=2)
def _geometries(snapshot_key: tuple) -> gpd.GeoDataFrame:
    return load_geometries()


def geometries() -> gpd.GeoDataFrame:
    """:func:`~sco_research.data.load_geometries`, read once per data snapshot (do not modify)."""
    return _geometries(snapshot().key)


def membership_geodataframe(on, *, statuses=STATUSES, include_precursor: bool = False) -> gpd.GeoDataFrame:
    """Country geometries with the SCO status each held on a day.

    Parameters
    ----------
    on : str, datetime.date or pandas.Timestamp
        The day.
    statuses : sequence of str
        SCO statuses to keep; states holding another status get NA.
    include_precursor : bool
        Also keep the Shanghai Five, the SCO's precursor (status
        ``"shanghai_five"``, 1996-2001), and add that category.

    Returns
    -------
    geopandas.GeoDataFrame
        :func:`load_geometries` plus ``status``, an ordered categorical over
        every status in :data:`~sco_research.STATUSES` (and ``"shanghai_five"``
        when ``include_precursor``; NA: no status that day).

    Examples
    --------
    >>> gdf = membership_geodataframe("2017-06-09")
    >>> sorted(gdf.loc[gdf["status"] == "member", "iso3"])[:3]
    ['CHN', 'IND', 'KAZ']
    >>> gdf = membership_geodataframe("1998-01-01", include_precursor=True)
    >>> sorted(gdf.loc[gdf["status"] == "shanghai_five", "iso3"])
    ['CHN', 'KAZ', 'KGZ', 'RUS', 'TJK']
    """
    day = parse_date(on, "on")
    statuses = check_statuses(statuses)
    include_precursor = check_include_precursor(include_precursor)
    kept = (*statuses, PRECURSOR_STATUS) if include_precursor else statuses
    frame = geometries().copy()
    held = status_on(day, include_precursor=include_precursor).set_index("iso3")["status"].astype(str)
    held = held[held.isin(kept)]
    frame["status"] = status_categorical(frame["iso3"].map(held), include_precursor=include_precursor)
    return frame


def check_statuses(statuses) -> tuple[str, ...]:
    """Validate a selection of statuses; return it as a tuple in canonical order.

    Examples
    --------
    >>> check_statuses(["partner", "member"])
    ('member', 'partner')
    """
    if isinstance(statuses, str):
        statuses = [statuses]
    statuses = list(statuses)
    if not statuses:
        raise ParameterError("statuses", statuses, "a non-empty selection of " + ", ".join(map(repr, STATUSES)))
    for status in statuses:
        _choice("statuses", status, STATUSES)
    return tuple(s for s in STATUSES if s in statuses)


def map_geometries(extent: str, crs: str) -> gpd.GeoSeries:
    """Geometries clipped to the extent, projected and simplified once per data snapshot."""
    return _map_geometries(extent, crs, snapshot().key)


@lru_cache(maxsize=8)
def _map_geometries(extent: str, crs: str, snapshot_key: tuple) -> gpd.GeoSeries:
    """Geometries clipped to the extent, projected and simplified once, keyed by iso3/name."""
    import geopandas as gpd
    from shapely.geometry import box

    frame = _geometries(snapshot_key)
    geometry = frame.geometry
    bounds = EXTENTS[extent]["box"]
    if bounds is not None:
        # Chukotka reaches past 180°; keep the sliver west of the Bering Strait too.
        clip = gpd.GeoSeries([box(*bounds), box(-180.0, 60.0, -168.0, 72.0)], crs="EPSG:4326").union_all()
        geometry = geometry.clip(clip)
    projected = geometry.to_crs(crs)
    projected = projected[~projected.is_empty & projected.geom_type.isin(["Polygon", "MultiPolygon"])]
    # simplify_coverage keeps shared borders shared, unlike per-feature simplify.
    return projected.simplify_coverage(_DRAW_TOLERANCE_M)


def view_limits(extent: str = "eurasia", projection: str | None = None) -> tuple[float, float, float, float]:
    """Axes limits (xmin, ymin, xmax, ymax) of a map, in projected units.

    For "eurasia": the bounds of the M49 Europe and Asia features inside the
    extent's box, plus a 2 % margin; for "world": the bounds of everything.

    Examples
    --------
    >>> xmin, ymin, xmax, ymax = view_limits("eurasia")
    >>> xmin < 0 < xmax
    True
    """
    _, crs = resolve_projection(projection, extent)
    frame = geometries()
    geometry = map_geometries(extent, crs)
    if extent == "eurasia":
        geometry = geometry[frame.loc[geometry.index, "un_region"].isin(REGIONS["eurasia"]).to_numpy()]
    xmin, ymin, xmax, ymax = geometry.total_bounds
    dx, dy = (xmax - xmin) * 0.02, (ymax - ymin) * 0.02
    return (float(xmin - dx), float(ymin - dy), float(xmax + dx), float(ymax + dy))


def map_frame(on, *, statuses=STATUSES, extent: str = "eurasia", projection: str | None = None,
              include_precursor: bool = False) -> gpd.GeoDataFrame:
    """:func:`membership_geodataframe` clipped, projected and simplified for drawing.

    The projected geometries are computed once per extent and projection and
    cached, so drawing many maps (small multiples, animations) reprojects nothing.
    ``include_precursor`` is passed on (the Shanghai Five, 1996-2001).

    Examples
    --------
    >>> frame = map_frame("2024-07-04")
    >>> frame.crs.is_projected
    True
    """
    _, crs = resolve_projection(projection, extent)
    frame = membership_geodataframe(on, statuses=statuses, include_precursor=include_precursor)
    geometry = map_geometries(extent, crs)
    frame = frame.loc[geometry.index].set_geometry(geometry.values, crs=crs)
    return frame


def area_share(on, statuses=("member",), region: str = "eurasia") -> float:
    """Share of a region's land area held by states with the given statuses on a day.

    Areas are measured in an equal-area projection (:data:`AREA_PROJECTIONS`:
    the Eurasian LAEA for Eurasia, Europe and Asia; Equal Earth for the world)
    on the full-resolution 1:50m geometries. A state counts with its whole
    territory if M49 puts it in the region, and not at all otherwise: Russia
    counts in full in Eurasia, Egypt (Sinai included) not at all. Only SCO
    statuses count: the Shanghai Five (1996-2001) is not an SCO status.

    Parameters
    ----------
    on : str, datetime.date or pandas.Timestamp
        The day.
    statuses : sequence of str
        Statuses whose holders are counted.
    region : str
        One of :data:`REGIONS`.

    Returns
    -------
    float
        Between 0 and 1.

    Examples
    --------
    >>> round(area_share("2001-06-15"), 3)
    0.552
    """
    day = parse_date(on, "on")
    statuses = check_statuses(statuses)
    _choice("region", region, list(REGIONS))
    areas = region_areas(region)
    held = status_on(day)
    holders = set(held.loc[held["status"].astype(str).isin(statuses), "iso3"])
    inside = areas[areas.index.isin(holders)]
    return float(inside.sum() / areas.sum())


@lru_cache(maxsize=8)
def _region_areas(region: str, snapshot_key: tuple) -> pd.Series:
    frame = _geometries(snapshot_key)
    frame = frame[frame["un_region"].isin(REGIONS[region])]
    areas = frame.geometry.to_crs(AREA_PROJECTIONS[region]).area
    # Features without an ISO code keep their name as the key, so they count in the total.
    keys = frame["iso3"].fillna(frame["name"])
    return pd.Series(areas.to_numpy(), index=pd.Index(keys.to_numpy(), name="iso3"), name="area_m2")


def region_areas(region: str = "eurasia") -> pd.Series:
    """Land area (m²) of every feature in a region, measured in its equal-area projection.

    Examples
    --------
    >>> areas = region_areas("eurasia")
    >>> areas.idxmax()
    'RUS'
    """
    _choice("region", region, list(REGIONS))
    return _region_areas(region, snapshot().key).copy()
