"""Geometries, their join to states.csv, and land-area shares."""

import hashlib
import re

import pytest
from pyproj import Geod

import sco_research as sco
from conftest import PROJECT
from sco_research.analysis import geography as geo

GEOMETRIES = PROJECT / "data" / "geometries"


def test_every_state_has_exactly_one_geometry():
    world = geo.load_geometries()
    states = sco.load_states()
    counts = world["iso3"].value_counts()
    assert {code: int(counts.get(code, 0)) for code in states["iso3"]} == {code: 1 for code in states["iso3"]}
    numeric = world.dropna(subset=["iso3"]).set_index("iso3")["iso_numeric"]
    assert (numeric[states["iso3"]].to_numpy() == states["iso_numeric"].to_numpy()).all()


def test_features_without_iso_code_are_the_five_documented_ones():
    world = geo.load_geometries()
    without = world[~world["has_iso_code"]]
    assert sorted(without["name"]) == ["Indian Ocean Ter.", "Kosovo", "N. Cyprus", "Siachen Glacier", "Somaliland"]
    assert without["iso3"].isna().all() and (without["note"].str.len() > 0).all()
    readme = (GEOMETRIES / "README.md").read_text(encoding="utf-8")
    for name in without["name"]:
        assert f"| {name} |" in readme


def test_geometries_are_valid_and_in_wgs84():
    world = geo.load_geometries()
    assert world.crs.to_epsg() == 4326
    assert world.is_valid.all()
    assert set(world.geom_type) <= {"Polygon", "MultiPolygon"}
    # Split at the antimeridian: no part of Russia spans the globe.
    russia = world.set_index("iso3").loc["RUS", "geometry"]
    assert max(p.bounds[2] - p.bounds[0] for p in russia.geoms) < 180


def test_vendored_file_matches_the_hash_in_its_readme():
    digest = hashlib.sha256((GEOMETRIES / "countries_50m.parquet").read_bytes()).hexdigest()
    readme = (GEOMETRIES / "README.md").read_text(encoding="utf-8")
    documented = re.search(r"Output sha256 \| `([0-9a-f]{64})`", readme).group(1)
    assert digest == documented


def test_geometry_and_region_sources_resolve():
    world = geo.load_geometries()
    known = set(sco.load_sources()["source_id"])
    assert set(world["source_id"]) | set(world["region_source_id"]) <= known


def test_missing_state_geometry_is_refused(data_copy):
    import geopandas as gpd

    world = gpd.read_parquet(GEOMETRIES / "countries_50m.parquet")
    world[world["iso3"] != "LAO"].to_parquet(data_copy / "geometries" / "countries_50m.parquet")
    with pytest.raises(sco.DataValidationError, match=r"no geometry for states.csv codes \['LAO'\]"):
        geo.load_geometries()


def test_duplicate_geometry_code_is_refused(data_copy):
    import geopandas as gpd
    import pandas as pd

    world = gpd.read_parquet(GEOMETRIES / "countries_50m.parquet")
    doubled = pd.concat([world, world[world["iso3"] == "KAZ"]], ignore_index=True)
    doubled.to_parquet(data_copy / "geometries" / "countries_50m.parquet")
    with pytest.raises(sco.DataValidationError, match=r"geometries/countries_50m.parquet, line 241, column 'name': duplicate row \(name='Kazakhstan'\)"):
        geo.load_geometries()


def test_membership_geodataframe_on_the_day_india_and_pakistan_joined():
    before = geo.membership_geodataframe("2017-06-08").set_index("iso3")["status"]
    after = geo.membership_geodataframe("2017-06-09").set_index("iso3")["status"]
    assert before["IND"] == "observer" and after["IND"] == "member"
    assert before["PAK"] == "observer" and after["PAK"] == "member"
    assert list(after.cat.categories) == list(sco.STATUSES)
    assert after.isna().sum() == len(after) - 18  # 18 states held a status that day


def test_membership_geodataframe_can_keep_only_some_statuses():
    frame = geo.membership_geodataframe("2025-09-01", statuses=["member"])
    assert set(frame["status"].dropna()) == {"member"}
    assert int((frame["status"] == "member").sum()) == 10


def test_membership_geodataframe_keeps_the_shanghai_five_on_request():
    plain = geo.membership_geodataframe("1998-01-01")
    assert plain["status"].isna().all() and list(plain["status"].cat.categories) == list(sco.STATUSES)
    asked = geo.membership_geodataframe("1998-01-01", statuses=["member"], include_precursor=True)
    assert list(asked["status"].cat.categories) == [*sco.STATUSES, "shanghai_five"]
    assert sorted(asked.loc[asked["status"] == "shanghai_five", "iso3"]) == ["CHN", "KAZ", "KGZ", "RUS", "TJK"]


def test_equal_area_projection_matches_geodesic_areas():
    world = geo.load_geometries().set_index("iso3")
    areas = geo.region_areas("eurasia")
    geod = Geod(ellps="WGS84")
    for code in ["RUS", "CHN", "KAZ", "IND", "BLR"]:
        geodesic = abs(geod.geometry_area_perimeter(world.loc[code, "geometry"])[0])
        assert areas[code] == pytest.approx(geodesic, rel=1e-4), code


def test_member_area_share_grows_when_india_and_pakistan_join():
    before = geo.area_share("2017-06-08")
    after = geo.area_share("2017-06-09")
    areas = geo.region_areas("eurasia")
    assert after - before == pytest.approx((areas["IND"] + areas["PAK"]) / areas.sum(), abs=1e-12)
    assert before < 0.60 < after  # the seed's "more than 60 percent of Eurasia" starts to hold here


def test_eurasia_region_follows_m49():
    areas = geo.region_areas("eurasia")
    assert {"RUS", "TUR", "CYP", "IDN", "Siachen Glacier", "N. Cyprus", "Kosovo"} <= set(areas.index)
    assert not {"EGY", "GRL", "AUS", "Somaliland"} & set(areas.index)


def test_world_share_is_smaller_than_eurasian_share():
    assert 0 < geo.area_share("2025-09-01", region="world") < geo.area_share("2025-09-01")


@pytest.mark.parametrize("kwargs, message", [
    ({"region": "asia-pacific"}, r"invalid region='asia-pacific': expected one of 'eurasia', 'europe', 'asia', 'world'"),
    ({"statuses": ["members"]}, r"invalid statuses='members': expected one of 'member', 'observer'"),
    ({"statuses": []}, r"invalid statuses=\[\]: expected a non-empty selection"),
])
def test_area_share_rejects_bad_arguments(kwargs, message):
    with pytest.raises(sco.ParameterError, match=message):
        geo.area_share("2020-01-01", **kwargs)


def test_area_share_rejects_a_bad_date():
    with pytest.raises(ValueError, match=r"invalid on='2020-02-30'"):
        geo.area_share("2020-02-30")


def test_projection_choices():
    assert geo.resolve_projection(None, "eurasia") == ("eurasia_laea", geo.EURASIA_LAEA)
    with pytest.raises(sco.ParameterError, match=r"invalid projection='eurasia_laea': expected 'equal_earth'"):
        geo.resolve_projection("eurasia_laea", "world")
    with pytest.raises(sco.ParameterError, match=r"invalid extent='asia'"):
        geo.resolve_projection(None, "asia")
