"""Rebuild ``data/geometries/countries_50m.parquet`` from the npm package world-atlas@2.0.2.

world-atlas redistributes Natural Earth 4.1.0 admin-0 countries (1:50m) as
TopoJSON with ISO 3166-1 numeric ids. This script:

1. fetches the package with ``npm pack world-atlas@2.0.2`` (or takes a local
   tarball with ``--tarball``) and checks its sha256 against the pinned value;
2. reads the ``countries`` layer of ``countries-50m.json``, sets the CRS
   (the TopoJSON carries none; it is WGS 84 longitude/latitude);
3. repairs the three invalid geometries (Russia, Fiji and Antarctica). They
   are invalid because their rings cross the 180th meridian, which TopoJSON
   allows on the sphere but which becomes a band around the globe in planar
   longitude/latitude (it would add some 2 million km² to Russia). Every
   feature is split at ±180° with the ``antimeridian`` package; ``make_valid``
   is a last resort that no feature needs today;
4. joins ISO 3166-1 alpha-3 codes by numeric id with pycountry, dissolves the
   two features that share id 036 (Australia and Ashmore and Cartier Is.),
   and gives the five features without an id an explicit, documented record
   (:data:`FEATURES_WITHOUT_ISO`) instead of silently dropping them;
5. adds the UN M49 region and sub-region of each feature (from the
   ``UNregion`` column of country-converter 1.3.2, which follows M49);
6. writes GeoParquet, sorted by name, so that a re-run gives the same bytes.

Run ``python scripts/build_geometries.py`` (needs npm and the ``dev`` extra:
country-converter and antimeridian).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import subprocess
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pycountry

PROJECT = Path(__file__).resolve().parents[1]
OUTPUT = PROJECT / "data" / "geometries" / "countries_50m.parquet"
PACKAGE = "world-atlas@2.0.2"
TARBALL_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
TOPOJSON_MEMBER = "package/countries-50m.json"
TOPOJSON_SHA256 = "04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394"
GEOMETRY_SOURCE_ID = "natural_earth_world_atlas_2_0_2"
REGION_SOURCE_ID = "unsd_m49"

# M49 sub-region -> M49 region (the "continental" level: 002, 009, 010, 019, 142, 150).
M49_REGIONS = {
    "Northern Africa": "Africa", "Eastern Africa": "Africa", "Middle Africa": "Africa",
    "Southern Africa": "Africa", "Western Africa": "Africa",
    "Caribbean": "Americas", "Central America": "Americas", "South America": "Americas",
    "Northern America": "Americas",
    "Central Asia": "Asia", "Eastern Asia": "Asia", "South-eastern Asia": "Asia",
    "Southern Asia": "Asia", "Western Asia": "Asia",
    "Eastern Europe": "Europe", "Northern Europe": "Europe", "Southern Europe": "Europe",
    "Western Europe": "Europe",
    "Australia and New Zealand": "Oceania", "Melanesia": "Oceania", "Micronesia": "Oceania",
    "Polynesia": "Oceania",
    "Antarctica": "Antarctica",
}

#: Features that carry no ISO 3166-1 code in world-atlas. They are kept, drawn
#: hatched on maps, and placed in the M49 sub-region of the territory around them.
FEATURES_WITHOUT_ISO = {
    "Kosovo": ("Southern Europe", "Partially recognised; no ISO 3166-1 code (the user-assigned XK is not used here)."),
    "N. Cyprus": ("Western Asia", "De facto administration in northern Cyprus; recognised only by Turkey."),
    "Somaliland": ("Eastern Africa", "De facto administration in northern Somalia; not recognised."),
    "Siachen Glacier": ("Southern Asia", "Disputed between India and Pakistan; Natural Earth shows it as its own unit."),
    "Indian Ocean Ter.": ("Australia and New Zealand", "Australian external territories (Christmas Island, Cocos (Keeling) Islands) merged by Natural Earth."),
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch_tarball(workdir: Path) -> Path:
    """Download the npm package tarball into ``workdir`` with ``npm pack``."""
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=workdir, check=True, capture_output=True)
    return workdir / "world-atlas-2.0.2.tgz"


def extract_topojson(tarball: Path, workdir: Path) -> Path:
    if sha256(tarball) != TARBALL_SHA256:
        raise SystemExit(f"{tarball}: sha256 {sha256(tarball)} differs from the pinned {TARBALL_SHA256}")
    with tarfile.open(tarball) as tar:
        tar.extract(TOPOJSON_MEMBER, workdir, filter="data")
    path = workdir / TOPOJSON_MEMBER
    if sha256(path) != TOPOJSON_SHA256:
        raise SystemExit(f"{path}: sha256 differs from the pinned {TOPOJSON_SHA256}")
    return path


def m49_subregions() -> dict[str, str]:
    """ISO alpha-3 -> M49 sub-region, read from country-converter's data table.

    country-converter's ``CountryConverter`` class does not start under
    pandas 3 ("NA", Namibia's ISO2 code, is read as missing), so its table is
    read directly with missing-value parsing switched off.
    """
    spec = importlib.util.find_spec("country_converter")
    if spec is None or spec.origin is None:
        raise SystemExit("country-converter is needed: pip install -e '.[dev]'")
    table = Path(spec.origin).with_name("country_data.tsv")
    data = pd.read_csv(table, sep="\t", dtype=str, keep_default_na=False)
    return dict(zip(data["ISO3"], data["UNregion"]))


def build(topojson: Path) -> gpd.GeoDataFrame:
    raw = gpd.read_file(topojson, layer="countries").set_crs("EPSG:4326")
    # make_valid can return GeometryCollections holding stray lines; keep polygons only.
    raw["geometry"] = raw.geometry.apply(_split_at_antimeridian)
    still_invalid = ~raw.geometry.is_valid
    raw.loc[still_invalid, "geometry"] = raw.loc[still_invalid].geometry.make_valid().apply(_polygonal)
    subregions = m49_subregions()

    rows = []
    for feature in raw.itertuples(index=False):
        if pd.isna(feature.id):
            if feature.name not in FEATURES_WITHOUT_ISO:
                raise SystemExit(f"feature {feature.name!r} has no ISO id and no entry in FEATURES_WITHOUT_ISO")
            subregion, note = FEATURES_WITHOUT_ISO[feature.name]
            rows.append((pd.NA, pd.NA, feature.name, subregion, False, note, feature.geometry))
            continue
        country = pycountry.countries.get(numeric=feature.id)
        if country is None:
            raise SystemExit(f"feature {feature.name!r}: ISO numeric {feature.id!r} unknown to pycountry")
        rows.append((country.alpha_3, feature.id, feature.name, subregions[country.alpha_3], True, "",
                     feature.geometry))
    frame = gpd.GeoDataFrame(
        rows, columns=["iso3", "iso_numeric", "name", "un_subregion", "has_iso_code", "note", "geometry"],
        crs="EPSG:4326")

    # Australia and Ashmore and Cartier Is. share 036: one row per ISO code.
    coded = frame[frame["has_iso_code"]]
    names = coded.groupby("iso3")["name"].agg(lambda s: " + ".join(s))
    first = coded.groupby("iso3")["name"].first()
    dissolved = coded.dissolve(by="iso3", aggfunc="first").reset_index()
    dissolved["note"] = [
        f"Dissolved from Natural Earth features: {names[c]}." if names[c] != first[c] else ""
        for c in dissolved["iso3"]]
    frame = pd.concat([dissolved, frame[~frame["has_iso_code"]]], ignore_index=True)

    frame["un_region"] = frame["un_subregion"].map(M49_REGIONS)
    if frame["un_region"].isna().any():
        raise SystemExit(f"unmapped M49 sub-regions: {sorted(frame.loc[frame['un_region'].isna(), 'un_subregion'])}")
    frame["source_id"] = GEOMETRY_SOURCE_ID
    frame["region_source_id"] = REGION_SOURCE_ID
    frame = frame.sort_values("name", kind="stable").reset_index(drop=True)
    for column in ("iso3", "iso_numeric", "name", "un_region", "un_subregion", "note", "source_id", "region_source_id"):
        frame[column] = frame[column].astype("string")
    frame["has_iso_code"] = frame["has_iso_code"].astype(bool)
    columns = ["iso3", "iso_numeric", "name", "un_region", "un_subregion", "has_iso_code", "note",
               "source_id", "region_source_id", "geometry"]
    return gpd.GeoDataFrame(frame[columns], geometry="geometry", crs="EPSG:4326")


def _split_at_antimeridian(geometry):
    import warnings

    import antimeridian
    from shapely.geometry import shape

    # world-atlas rings are wound clockwise (d3's convention); fix_winding=True
    # reverses them, and the warning that announces it says nothing new.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", antimeridian.FixWindingWarning)
        return shape(antimeridian.fix_shape(geometry, fix_winding=True))


def _polygonal(geometry):
    from shapely.geometry import GeometryCollection, MultiPolygon, Polygon

    if isinstance(geometry, (Polygon, MultiPolygon)):
        return geometry
    if isinstance(geometry, GeometryCollection):
        parts = []
        for part in geometry.geoms:
            if isinstance(part, Polygon):
                parts.append(part)
            elif isinstance(part, MultiPolygon):
                parts.extend(part.geoms)
        return MultiPolygon(parts)
    raise ValueError(f"unexpected geometry type {geometry.geom_type}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="a local world-atlas-2.0.2.tgz instead of npm pack")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        tarball = args.tarball or fetch_tarball(workdir)
        frame = build(extract_topojson(tarball, workdir))
    invalid = frame.loc[~frame.is_valid, "name"].tolist()
    if invalid:
        raise SystemExit(f"still invalid after make_valid: {invalid}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(args.output, index=False, compression="zstd", write_covering_bbox=False)
    print(f"{args.output.relative_to(PROJECT)}: {len(frame)} features, sha256 {sha256(args.output)}")


if __name__ == "__main__":
    main()
