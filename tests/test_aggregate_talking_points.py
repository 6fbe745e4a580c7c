"""Talking points: the safe condition evaluator, rules as data, and each built-in rule firing on
a collection built to trigger it."""

from __future__ import annotations

from pathlib import Path

import pytest
from aggregate_helpers import activity, minimal_return, write_return

from cjreturns.aggregation import TalkingPointRulesError, aggregate
from cjreturns.aggregation.talking_point_conditions import Condition
from cjreturns.aggregation.talking_points import load_rules

NAMES = frozenset({"n", "N", "word", "q1", "label"})


@pytest.mark.parametrize(
    ("source", "variables", "expected"),
    [
        ("n >= 3", {"n": 3}, True),
        ("n / N >= 0.5 and N > 0", {"n": 2, "N": 4}, True),
        ("n / N >= 0.5", {"n": 1, "N": 0}, False),  # division by zero: false, not a crash
        ("q1 > 2", {"q1": None}, False),  # no number: false
        ("word in ('a few', 'no')", {"word": "no"}, True),
        ("not n", {"n": 0}, True),
        ("1 < n < 3", {"n": 2}, True),
        ("-n < 0 or N == 1", {"n": 0, "N": 1}, True),
    ],
)
def test_condition_evaluates(source: str, variables: dict[str, object], expected: bool) -> None:
    assert Condition(source, NAMES)(variables) is expected


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('echo hi')",
        "label.__class__",
        "label[0] == 'x'",
        "(lambda: 1)()",
        "n ** 2 > 1",
        "open('x')",
        "missing_name > 1",
        "[x for x in label]",
        "n if n else N",
        "n > ",
    ],
)
def test_condition_refuses_anything_else(source: str) -> None:
    with pytest.raises(ValueError):
        Condition(source, NAMES)


def write_rules(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture()
def small(tmp_path: Path) -> Path:
    d = tmp_path / "r"
    for name in ("Fife", "Angus", "Moray", "Stirling"):
        write_return(d, f"{name}.yaml", minimal_return(name))
    return d


def test_rules_are_data(small: Path, tmp_path: Path) -> None:
    rules = write_rules(
        tmp_path / "tp.yaml",
        """
rules:
  - id: counted
    for_each: coverage
    when: "N >= 4"
    text: "{Nw} partnerships"
  - id: switched-off
    enabled: false
    for_each: coverage
    when: "N >= 0"
    text: "never"
""",
    )
    with pytest.raises(TalkingPointRulesError, match=r"rule `counted`: unknown name \{Nw\}"):
        aggregate(small, talking_points_file=rules)
    write_rules(rules, rules.read_text().replace("{Nw}", "{N}").replace("never", "x"))
    points = aggregate(small, talking_points_file=rules).talking_points
    assert [(p.id, p.text, p.evidence) for p in points] == [
        ("counted", "4 partnerships", {"N": 4}),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("rules: 3", "expected a list under `rules:`"),
        ("rules:\n  - {id: a, for_each: nowhere, when: 'N', text: x}", "for_each must be one of"),
        (
            "rules:\n  - {id: a, for_each: coverage, when: 'N', text: x, colour: red}",
            "unknown keys ['colour']",
        ),
        ("rules:\n  - {id: a, for_each: coverage, text: x}", "missing keys ['when']"),
        ("rules:\n  - {id: Bad Id, for_each: coverage, when: 'N', text: x}", "kebab-case"),
        (
            "rules:\n  - {id: a, for_each: coverage, when: 'N', text: x}\n"
            "  - {id: a, for_each: coverage, when: 'N', text: y}",
            "rule ids used twice: a",
        ),
        ("rules: [", "cannot read talking-point rules"),
    ],
)
def test_bad_rules_file(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(TalkingPointRulesError, match=message.replace("[", r"\[")):
        load_rules(write_rules(tmp_path / "tp.yaml", body))


def test_template_cannot_reach_attributes(small: Path, tmp_path: Path) -> None:
    rules = write_rules(
        tmp_path / "tp.yaml",
        """
rules:
  - {id: a, for_each: coverage, when: "N > 0", text: "{missing_names.__class__}"}
""",
    )
    with pytest.raises(TalkingPointRulesError, match="unknown name"):
        aggregate(small, talking_points_file=rules)


def test_builtin_rules_load() -> None:
    rules = load_rules()
    ids = [r.id for r in rules]
    assert {
        "returns-missing",
        "returns-late",
        "returns-rejected",
        "theme-few-partnerships",
        "partner-often-not-engaged",
        "indicator-wide-spread",
        "challenge-most-named",
        "person-centred-exit-questionnaires",
    } <= set(ids)


@pytest.fixture()
def triggering(tmp_path: Path) -> Path:
    """Eight partnerships built so every built-in example rule has something to say."""
    d = tmp_path / "t"
    names = [
        "Fife",
        "Angus",
        "Moray",
        "Stirling",
        "Falkirk",
        "Highland",
        "Inverclyde",
        "Midlothian",
    ]
    populations_rates = [1, 2, 3, 4, 20, 40, 60, 80]  # diversion referrals per 10,000 people
    from cjreturns.contract.reference import load_reference

    ref = load_reference()
    for i, (name, rate) in enumerate(zip(names, populations_rates, strict=True)):
        doc = minimal_return(name, submitted_on="2022-10-04" if name == "Moray" else "2022-09-20")
        population = ref.partnership(name).population  # type: ignore[union-attr]
        doc["outcomes"]["4"]["indicators"] = {
            "diversion_referrals": max(5, round(rate * population / 10_000))
        }
        doc["governance"]["partners"] = {"sds": "none" if i < 5 else "active"}
        doc["challenges"] = [{"code": "workforce", "description": "Posts are hard to fill."}]
        if i < 5:  # exit questionnaires, no other way of evidencing outcomes 5-7
            doc["outcomes"]["5"]["activities"] = [activity("exit_questionnaires")]
        write_return(d, f"{name}.yaml", doc)
    bad = minimal_return("Dundee City")
    bad["outcomes"]["1"]["activities"][0]["themes"] = ["not_a_theme"]
    write_return(d, "dundee.yaml", bad)
    return d


def test_each_example_rule_fires(triggering: Path) -> None:
    agg = aggregate(triggering)
    by_id: dict[str, list[str]] = {}
    for p in agg.talking_points:
        by_id.setdefault(p.id, []).append(p.text)
    assert by_id["returns-missing"] == [
        "21 of the 30 partnerships sent no return: "
        + ", ".join(sorted(set(agg.coverage.missing))[:-1])
        + " and West Lothian."
    ]
    assert by_id["returns-late"] == [
        "1 of the 8 returns counted arrived after the 30 September deadline: Moray."
    ]
    assert by_id["returns-rejected"][0].startswith(
        "1 of the 9 files received could not be counted because they have errors (Dundee City)"
    )
    # the theme's count is across all outcomes, and says so: it sits under outcome 1
    assert (
        "Across all outcomes, no partnerships (0 of 8) evidenced social media and online "
        "resources, a theme usually reported under outcome 1." in by_id["theme-few-partnerships"]
    )
    assert any(
        t.startswith("Skills Development Scotland: in 5 of 8 partnerships")
        for t in by_id["partner-often-not-engaged"]
    )
    assert len(by_id["indicator-wide-spread"]) == 1
    assert by_id["indicator-wide-spread"][0].startswith(
        "Rates of diversion from prosecution referrals received varied widely between the 8 "
        "partnerships that reported them"
    )
    assert by_id["challenge-most-named"] == [
        "All partnerships (8 of 8) named recruitment, retention and wellbeing of the workforce "
        "as a challenge."
    ]
    assert by_id["person-centred-exit-questionnaires"] == [
        "Person-centred outcomes were evidenced mainly by exit questionnaires: 5 of the 8 "
        "partnerships reporting on outcomes 5 to 7 used them, against 0 using outcome "
        "monitoring tools and 0 life stories."
    ]


def test_talking_points_cite_their_numbers(triggering: Path) -> None:
    agg = aggregate(triggering)
    spread = next(p for p in agg.talking_points if p.id == "indicator-wide-spread")
    assert spread.outcome == "4"
    assert spread.evidence["indicator"] == "diversion_referrals"
    assert spread.evidence["n"] == 8 and spread.evidence["N"] == 8
    assert spread.evidence["spread"] >= 3
    counts = agg.counts["indicators"]["diversion_referrals"]
    assert spread.evidence["q1"] == counts["q1_rate"]
    partner = next(
        p for p in agg.talking_points if p.id == "partner-often-not-engaged" and p.subject == "sds"
    )
    assert partner.evidence == {
        "partner": "sds",
        "n_low": 5,
        "N": 8,
        "occasional": 0,
        "none": 5,
        "not_stated": 0,
    }
    assert partner.title == "Engagement of statutory partners"  # its heading in the report
    assert all(p.title for p in agg.talking_points)
    exit_q = next(p for p in agg.talking_points if p.id == "person-centred-exit-questionnaires")
    assert exit_q.outcome == "5-7"
    assert exit_q.prompts  # questions for the analyst travel with the point
