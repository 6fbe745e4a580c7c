"""National counts and tidy tables over a hand-built collection, with the numbers worked out by
hand in the comments."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from aggregate_helpers import (
    CASE_STUDY_SUMMARY,
    CASE_STUDY_TITLE,
    activity,
    minimal_return,
    write_return,
)

from cjreturns.aggregation import Aggregate, aggregate
from cjreturns.aggregation.counts import Words, indicator_counts, load_settings
from cjreturns.contract.reference import load_reference

FIFE, HIGHLAND, AYRSHIRE = 371_910, 235_540, 121_840 + 135_280 + 112_550


def build(folder: Path) -> Path:
    fife = minimal_return("Fife")
    fife["outcomes"]["1"]["activities"] = [
        activity("engagement_events", "social_media", priority_actions=(13,)),
        activity("stigma_awareness", status="planned"),
    ]
    fife["outcomes"]["2"]["self_evaluation"] = 4
    fife["outcomes"]["2"]["activities"] = [activity("needs_assessment", status="in_progress")]
    fife["outcomes"]["4"]["indicators"] = {"diversion_referrals": 100, "diversion_commenced": 80}
    fife["outcomes"]["3"]["challenges"] = [
        {"code": "workforce", "description": "Vacancies in justice social work teams."},
        {"code": "cost_of_living", "description": "People cannot afford to travel."},
    ]
    fife["governance"]["partners"] = {"police_scotland": "active", "sds": "occasional"}
    fife["governance"]["development"] = [
        "partner_information_sessions",
        "terms_of_reference_review",
    ]
    fife["challenges"] = [{"code": "workforce", "description": "Recruitment is hard."}]
    fife["local_activity"] = [activity("peer_support")]

    highland = minimal_return("Highland")
    highland["outcomes"]["2"]["self_evaluation"] = 4
    highland["outcomes"]["4"]["indicators"] = {"diversion_referrals": 3}
    highland["governance"]["partners"] = {"police_scotland": "regular", "sds": "none"}
    highland["governance"]["development"] = ["partner_information_sessions"]
    highland["challenges"] = [
        {"code": "rurality", "description": "Long distances to travel."},
        {"code": "workforce", "description": "Hard to fill posts."},
    ]

    ayrshire = minimal_return("Community Justice Ayrshire")
    ayrshire["outcomes"]["1"] = {
        "activities": [],
        "no_activity_reason": "Work on this outcome paused while the partnership revised its plan.",
    }
    ayrshire["outcomes"]["2"]["self_evaluation"] = 5
    ayrshire["outcomes"]["4"]["indicators"] = {"diversion_referrals": 200}
    ayrshire["governance"]["partners"] = {"police_scotland": "active"}

    angus = minimal_return("Angus")
    angus["outcomes"]["5"]["activities"].append(activity("exit_questionnaires"))
    angus["outcomes"]["5"]["case_studies"] = [
        {"title": CASE_STUDY_TITLE, "summary": CASE_STUDY_SUMMARY, "consent_confirmed": True},
    ]
    for name, doc in (
        ("fife", fife),
        ("highland", highland),
        ("ayrshire", ayrshire),
        ("angus", angus),
    ):
        write_return(folder, f"{name}.yaml", doc)
    return folder


@pytest.fixture(scope="module")
def agg(tmp_path_factory: pytest.TempPathFactory) -> Aggregate:
    folder = build(tmp_path_factory.mktemp("counts"))
    result = aggregate(folder)
    assert result.coverage.rejected == ()
    return result


def test_outcome_counts(agg: Aggregate) -> None:
    one = agg.counts["outcomes"]["1"]
    # Fife, Highland and Angus report outcome 1 activity; Ayrshire gives a reason instead.
    assert one["partnerships_with_activity"] == 3
    assert one["partnerships_with_activity_word"] == "most"  # 3 of 4 = 0.75
    assert one["activities"] == 4  # Fife 2, Highland 1, Angus 1
    assert one["by_status"] == {"planned": 1, "in_progress": 0, "completed": 3}
    assert one["themes"]["engagement_events"] == 3
    assert one["themes"]["social_media"] == 1
    assert one["themes"]["co_production"] == 0  # an outcome 1 theme nobody reported
    assert "housing" not in one["themes"]  # not an outcome 1 theme and not used there
    assert one["themes_words"]["social_media"] == "several"  # 1 of 4 = 0.25
    assert one["priority_actions"]["13"] == 1 and sum(one["priority_actions"].values()) == 1
    two = agg.counts["outcomes"]["2"]
    assert two["by_status"] == {"planned": 0, "in_progress": 1, "completed": 3}
    assert two["self_evaluation"] == {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1, "6": 0}
    assert two["self_evaluation_words"]["4"] == "many"  # 2 of 4


def test_indicator_counts_and_rates(agg: Aggregate) -> None:
    referrals = agg.counts["indicators"]["diversion_referrals"]
    assert referrals["total"] == 303  # 100 + 3 + 200: a small value still counts in totals
    assert referrals["partnerships_reporting"] == 3
    assert referrals["partnerships_reporting_word"] == "most"
    rates = sorted([100 / FIFE * 1e4, 3 / HIGHLAND * 1e4, 200 / AYRSHIRE * 1e4])
    assert referrals["median_rate"] == round(rates[1], 2)
    assert referrals["q1_rate"] == round((rates[0] + rates[1]) / 2, 2)
    assert referrals["q3_rate"] == round((rates[1] + rates[2]) / 2, 2)
    assert referrals["national_rate"] == round(303 / (FIFE + HIGHLAND + AYRSHIRE) * 1e4, 2)
    assert referrals["outliers"] == []  # fewer than 4 partnerships: no outliers named
    # Highland's 3 is below 5, so its rate is not published.
    assert referrals["rates"] == {
        "Community Justice Ayrshire": round(200 / AYRSHIRE * 1e4, 2),
        "Fife": round(100 / FIFE * 1e4, 2),
    }
    commenced = agg.counts["indicators"]["diversion_commenced"]
    assert (commenced["total"], commenced["partnerships_reporting"]) == (80, 1)
    unused = agg.counts["indicators"]["bail_assessments"]
    assert unused["total"] == 0 and unused["median_rate"] is None
    assert unused["partnerships_reporting_word"] == "no"


def test_ayrshire_population_is_its_three_councils(agg: Aggregate) -> None:
    frame = agg.tables["indicators"]
    row = frame[frame["partnership"] == "Community Justice Ayrshire"].iloc[0]
    assert row["population"] == AYRSHIRE == 369_670
    assert row["rate_per_10000"] == pytest.approx(200 / 369_670 * 1e4, abs=1e-4)


def test_partners_development_challenges(agg: Aggregate) -> None:
    c = agg.counts
    assert c["partner_participation"]["police_scotland"] == {
        "active": 2,
        "regular": 1,
        "occasional": 0,
        "none": 0,
        "not_stated": 1,
    }
    assert c["partner_participation"]["sds"] == {
        "active": 0,
        "regular": 0,
        "occasional": 1,
        "none": 1,
        "not_stated": 2,
    }
    assert c["partner_participation_words"]["sds"]["not_stated"] == "many"
    assert c["partnership_development"]["partner_information_sessions"] == 2
    assert c["partnership_development"]["terms_of_reference_review"] == 1
    assert c["partnership_development"]["self_evaluation"] == 0
    # Fife names workforce twice (outcome 3 and partnership-wide): it counts once.
    assert list(c["challenges"].items())[:3] == [
        ("workforce", 2),
        ("cost_of_living", 1),
        ("rurality", 1),
    ]
    assert c["challenges"]["stigma"] == 0
    assert c["challenges_ranking"] == ["workforce", "cost_of_living", "rurality"]
    assert c["challenges_words"]["workforce"] == "many"


def test_person_centred_and_local(agg: Aggregate) -> None:
    pc = agg.counts["person_centred"]
    assert pc["partnerships_with_activity"] == 4
    assert pc["evidence"] == {"exit_questionnaires": 1, "outcome_monitoring": 0, "life_stories": 0}
    assert (pc["partnerships_with_case_studies"], pc["case_studies"]) == (1, 1)
    assert agg.counts["local_activity"]["partnerships_with_activity"] == 1


def test_tidy_tables(agg: Aggregate) -> None:
    t = agg.tables
    assert list(t["activities"].columns) == ["partnership", "outcome", "activity", "status"]
    # 7 each; Ayrshire none under outcome 1; Fife one more; Angus one more; Fife local 1
    assert len(t["activities"]) == 4 * 7 - 1 + 1 + 1 + 1
    themes = t["themes"]
    fife_one = themes[(themes["partnership"] == "Fife") & (themes["outcome"] == "1")]
    assert fife_one[["activity", "theme"]].values.tolist() == [
        [1, "engagement_events"],
        [1, "social_media"],
        [2, "stigma_awareness"],
    ]
    partners = t["partners"]
    assert len(partners) == 4 * 8  # every statutory partner for every partnership
    assert partners[(partners["partnership"] == "Angus")]["level"].unique().tolist() == [
        "not_stated"
    ]
    assert t["case_studies"].columns.tolist() == ["partnership", "outcome", "case_study"]
    for frame in t.values():  # no narrative ever reaches the tables
        text = frame.astype(str).to_string()
        assert CASE_STUDY_TITLE not in text and "Recruitment is hard" not in text


def test_aggregate_json_shape(agg: Aggregate) -> None:
    data = agg.to_json_dict()
    assert list(data)[:8] == [
        "reporting_year",
        "coverage",
        "outcomes",
        "indicators",
        "partner_participation",
        "partnership_development",
        "challenges",
        "talking_points",
    ]
    assert list(data["outcomes"]) == ["1", "2", "3", "4", "5", "6", "7"]
    assert list(data["outcomes"]["1"])[:6] == [
        "partnerships_with_activity",
        "activities",
        "by_status",
        "themes",
        "self_evaluation",
        "priority_actions",
    ]
    assert list(data["outcomes"]["1"]["priority_actions"]) == [str(i) for i in range(1, 14)]
    assert list(data["indicators"]["cpo_commenced"])[:2] == ["total", "partnerships_reporting"]
    assert all(set(p) >= {"id", "outcome", "text", "evidence"} for p in data["talking_points"])


def test_quartiles_and_outliers_by_hand() -> None:
    ref = load_reference()
    # Five partnerships of 10,000 people each: the rate per 10,000 is the value itself.
    frame = pd.DataFrame(
        [
            (f"P{i}", "4", "cpo_commenced", v, 10_000, float(v))
            for i, v in enumerate([10, 20, 30, 40, 100])
        ],
        columns=["partnership", "outcome", "indicator", "value", "population", "rate_per_10000"],
    )
    counts = indicator_counts({"indicators": frame}, ref, Words(ref, 5), load_settings())
    cpo = counts["cpo_commenced"]
    # Inclusive quartiles of 10 20 30 40 100: Q1 20, median 30, Q3 40; IQR 20;
    # outliers beyond 40 + 1.5 x 20 = 70 or below 20 - 30 = -10: only 100.
    assert (cpo["q1_rate"], cpo["median_rate"], cpo["q3_rate"], cpo["iqr"]) == (20, 30, 40, 20)
    assert (cpo["min_rate"], cpo["max_rate"]) == (10, 100)
    assert cpo["outliers"] == ["P4"]
    assert cpo["national_rate"] == 200 / 50_000 * 10_000
    assert cpo["total"] == 200


@pytest.mark.parametrize(
    ("n", "total", "word"),
    [
        (30, 30, "all"),
        (0, 30, "no"),
        (23, 30, "most"),
        (22, 30, "many"),
        (15, 30, "many"),
        (14, 30, "several"),
        (8, 30, "several"),
        (7, 30, "some"),
        (3, 30, "some"),
        (2, 30, "a few"),
        (1, 30, "a few"),
        (3, 4, "most"),
        (2, 4, "many"),
        (1, 4, "several"),
        (0, 0, "no"),
    ],
)
def test_quantifier_boundaries(n: int, total: int, word: str) -> None:
    assert Words(load_reference(), total)(n) == word
