"""Population data and the claims check: verdicts are computed from the data and follow it."""


import pytest

import sco_research as sco
from conftest import PROJECT, edit_csv
from sco_research.analysis.claims import evaluate, member_population
from sco_research.data import load_claims, load_population

SEEDS = PROJECT.parent / "shared" / "seeds"


def test_population_covers_every_member_for_every_year():
    pop = load_population()
    assert (int(pop["year"].min()), int(pop["year"].max())) == (2001, 2024)
    per_year = pop.groupby("year")["iso3"].nunique()
    assert per_year.min() == per_year.max() == 210
    members_ever = set(sco.load_memberships().query("status == 'member'")["iso3"])
    assert members_ever <= set(pop["iso3"])


def test_member_population_follows_membership():
    before, world, _ = member_population("2017-06-08")
    after, world_after, _ = member_population("2017-06-09")
    pop = load_population().query("year == 2017").set_index("iso3")["population"]
    assert after - before == pop["IND"] + pop["PAK"]
    assert world == world_after == pop.sum()


def test_every_claim_is_cited_and_its_seed_exists():
    claims = load_claims()
    known = set(sco.load_sources()["source_id"])
    assert set(claims["source_id"]) <= known
    if SEEDS.exists():
        for files in claims["seed_files"]:
            for name in filter(None, files.split(";")):
                assert (SEEDS / name.strip()).exists(), name


def test_verdicts_on_the_bundled_data():
    verdicts = evaluate().set_index("claim_id")["verdict"]
    assert verdicts["eurasia_three_fifths_2020"] == "supported"
    assert verdicts["half_world_population_2024"] == "not supported"
    assert verdicts["china_trade_over_500bn"] == "supported"
    assert verdicts["kazakhstan_sco_70bn_2024"] == "cannot check with the data"
    assert set(verdicts) <= {"supported", "not supported", "cannot check with the data"}


def test_verdicts_follow_the_data(data_copy):
    # Pretend MOFCOM had published 499.9 bn: the "> $500 bn" claim must fail.
    edit_csv(data_copy / "trade" / "official_aggregates.csv", "2024,512400000000,MOFCOM", "2024,499900000000,MOFCOM")
    verdicts = evaluate().set_index("claim_id")["verdict"]
    assert verdicts["china_trade_over_500bn"] == "not supported"
    assert verdicts["ten_members_2025"] == "supported"


def test_an_unknown_metric_is_reported(data_copy):
    edit_csv(data_copy / "claims.csv", ",member_count,", ",member_cnt,")
    with pytest.raises(sco.DataValidationError, match=r"claims.csv, line 7, column 'metric': unknown metric 'member_cnt': expected one of member_count"):
        evaluate()
