"""The delivery plan: the contract, each rule with its finding, status and overdue by hand, the CLI.

A small hand-made plan (three deliverables) is counted by hand; the real update 2 is counted by
hand from the published page as of fixed dates (see the comments beside the expected lists).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from typer.testing import CliRunner, Result

from cjreturns.cli import app
from cjreturns.core.resources import schema_path
from cjreturns.plan import PlanInvalidError, check_document, check_file, load
from cjreturns.plan.model import Month, plan_from_document
from cjreturns.plan.rules import CHECKS, catalogue, load_schema
from cjreturns.plan.schema_source import build_schema, render

ROOT = Path(__file__).resolve().parent.parent
UPDATE_2 = ROOT / "examples" / "delivery-plan" / "update-2-2024-03.yaml"
UPDATE_0 = ROOT / "examples" / "delivery-plan" / "update-0-2023-06-aim-4.yaml"
runner = CliRunner()


def run(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def small_plan() -> dict[str, Any]:
    """Three deliverables in update 3 (published 2025-06), one per kind of status."""
    return {
        "schema_version": "1.0",
        "update": {"number": 3, "published": "2025-06"},
        "deliverables": [
            {
                "number": 1,
                "priority_action": 1,
                "deliverable": "Publish guidance.",
                "timescale": "2024-10",
                "lead": ["Scottish Government"],
                "update": "Published.",
                "status": "complete",
            },
            {
                "number": 2,
                "priority_action": 3,
                "deliverable": "Expand bail supervision.",
                "timescale": "2024-12",
                "revised_timescales": [{"in_update": 2, "to": "2025-09"}],
                "lead": ["Local Authorities"],
                "collaborators": ["Social Work Scotland"],
                "update": "Under way.",
                "status": "in_progress_revised",
            },
            {
                "number": 3,
                "priority_action": 12,
                "deliverable": "Hear victims' voices.",
                "timescale": "2025-03",
                "lead": ["Community Justice Scotland"],
                "update": "Delayed.",
                "status": "outstanding",
            },
        ],
    }


def rules_of(document: Any, *, as_of: dt.date | None = None) -> list[tuple[str, str, str]]:
    result = check_document(document, as_of=as_of)
    return [(f.rule, f.severity, f.dotted_path) for f in result.findings]


# -- the contract ------------------------------------------------------------------------------


def test_the_committed_schema_is_the_one_built_from_the_reference() -> None:
    assert schema_path("plan/plan.schema.json").read_text(encoding="utf-8") == render(
        build_schema()
    )
    Draft202012Validator.check_schema(load_schema())


def test_every_rule_in_the_catalogue_has_its_check_and_no_check_is_uncatalogued() -> None:
    rules = catalogue()
    assert {r.id for r in rules.values() if r.stage == "rules"} == set(CHECKS)
    assert all(r.id.startswith("plan-") and r.title and r.fix for r in rules.values())
    assert {r.severity for r in rules.values()} == {"error", "warning"}


def test_the_small_plan_is_valid_with_one_overdue_warning() -> None:
    # as of the end of June 2025: 3 was due by March 2025 and is outstanding
    assert rules_of(small_plan()) == [("plan-overdue", "warning", "deliverables.2.status")]


# -- each rule with its finding ------------------------------------------------------------------


def mutate(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(small_plan())
    change(document)
    return document


def item(n: int) -> Any:
    return lambda doc: doc["deliverables"][n]


CASES: list[tuple[str, Any, tuple[str, str, str]]] = [
    (
        "missing update",
        lambda d: d.pop("update"),
        ("plan-missing-field", "error", "update"),
    ),
    (
        "missing priority action",
        lambda d: d["deliverables"][0].pop("priority_action"),
        ("plan-missing-field", "error", "deliverables.0.priority_action"),
    ),
    (
        "misspelt field",
        lambda d: d["deliverables"][0].update(leads=["x"]),
        ("plan-unknown-field", "warning", "deliverables.0.leads"),
    ),
    (
        "number as text",
        lambda d: d["deliverables"][0].update(number="1"),
        ("plan-wrong-type", "error", "deliverables.0.number"),
    ),
    (
        "unknown status",
        lambda d: d["deliverables"][0].update(status="done"),
        ("plan-bad-value", "error", "deliverables.0.status"),
    ),
    (
        "timescale a day",
        lambda d: d["deliverables"][0].update(timescale="2024-10-31"),
        ("plan-not-a-month", "error", "deliverables.0.timescale"),
    ),
    (
        "revision month 13",
        lambda d: d["deliverables"][1]["revised_timescales"][0].update(to="2025-13"),
        ("plan-not-a-month", "error", "deliverables.1.revised_timescales.0.to"),
    ),
    (
        "priority action 14",
        lambda d: d["deliverables"][0].update(priority_action=14),
        ("plan-unknown-priority-action", "error", "deliverables.0.priority_action"),
    ),
    (
        "number used twice",
        lambda d: d["deliverables"][1].update(number=1),
        ("plan-duplicate-number", "error", "deliverables.1.number"),
    ),
    (
        "no timescale",
        lambda d: d["deliverables"][0].pop("timescale"),
        ("plan-timescale-missing", "error", "deliverables.0"),
    ),
    (
        "no text",
        lambda d: d["deliverables"][0].pop("deliverable"),
        ("plan-deliverable-missing", "error", "deliverables.0"),
    ),
    (
        "no status in an update",
        lambda d: d["deliverables"][0].pop("status"),
        ("plan-status-missing", "error", "deliverables.0"),
    ),
    (
        "revised without a revision",
        lambda d: d["deliverables"][1].pop("revised_timescales"),
        ("plan-revised-without-revision", "error", "deliverables.1.status"),
    ),
    (
        "revised in a later update",
        lambda d: d["deliverables"][1]["revised_timescales"][0].update(in_update=4),
        (
            "plan-revision-from-later-update",
            "error",
            "deliverables.1.revised_timescales.0.in_update",
        ),
    ),
    (
        "revisions out of order",
        lambda d: d["deliverables"][1]["revised_timescales"].insert(
            0, {"in_update": 3, "to": "2025-06"}
        ),
        ("plan-revisions-out-of-order", "error", "deliverables.1.revised_timescales.1"),
    ),
    (
        "completed previously in this update",
        lambda d: d["deliverables"][0].update(status="completed_previously", completed_in_update=3),
        ("plan-completed-not-earlier", "error", "deliverables.0.completed_in_update"),
    ),
    (
        "no update text",
        lambda d: d["deliverables"][0].pop("update"),
        ("plan-update-missing", "warning", "deliverables.0"),
    ),
    (
        "no lead",
        lambda d: d["deliverables"][0].update(lead=[]),
        ("plan-lead-missing", "warning", "deliverables.0"),
    ),
]


@pytest.mark.parametrize(("change", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_rule_gives_its_finding(change: Any, expected: tuple[str, str, str]) -> None:
    found = rules_of(mutate(change))
    overdue = ("plan-overdue", "warning", "deliverables.2.status")  # in the small plan already
    assert [f for f in found if f != overdue] == [expected]


def test_every_catalogued_rule_is_exercised_by_a_case() -> None:
    exercised = {c[2][0] for c in CASES} | {"plan-overdue", "plan-file-type", "plan-rule-crashed"}
    assert exercised == set(catalogue())


def test_a_check_that_fails_is_reported_not_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ctx: Any) -> Any:
        raise KeyError("oops")

    monkeypatch.setitem(CHECKS, "plan-lead-missing", broken)
    found = rules_of(small_plan())
    assert ("plan-rule-crashed", "error", "") in found
    assert ("plan-overdue", "warning", "deliverables.2.status") in found  # the others still ran


def test_a_previously_completed_deliverable_needs_no_text_timescale_or_update() -> None:
    doc = mutate(
        lambda d: (
            d["deliverables"][0].clear()
            or d["deliverables"][0].update(
                number=1, priority_action=1, status="completed_previously", completed_in_update=2
            )
        )
    )
    assert rules_of(doc) == [("plan-overdue", "warning", "deliverables.2.status")]


def test_the_plan_as_first_published_needs_no_status_or_update_text() -> None:
    doc = small_plan()
    doc["update"] = {"number": 0, "published": "2023-06"}
    for d in doc["deliverables"]:
        d.pop("status")
        d.pop("update")
        d.pop("revised_timescales", None)
    assert rules_of(doc) == []
    # by 2025-01-01 deliverables 1 (Oct 2024) and ... 2 (Dec 2024) have passed, with no status
    assert rules_of(doc, as_of=dt.date(2025, 1, 1)) == [
        ("plan-overdue", "warning", "deliverables.0"),
        ("plan-overdue", "warning", "deliverables.1"),
    ]


def test_findings_in_a_file_have_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    text = UPDATE_0.read_text(encoding="utf-8").replace(
        "timescale: 2024-06", "timescale: June 2024"
    )
    path.write_text(text, encoding="utf-8")
    result = check_file(path)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "timescale: June 2024" in t)
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("plan-not-a-month", line, 5)]
    assert not result.valid and result.plan is None


def test_reading_problems_are_the_readers_findings(tmp_path: Path) -> None:
    broken = tmp_path / "plan.yaml"
    broken.write_text("update: {number: 2\n", encoding="utf-8")
    assert [f.rule for f in check_file(broken).findings] == ["yaml-syntax"]
    sheet = tmp_path / "plan.xlsx"
    sheet.write_bytes(b"PK")
    assert [f.rule for f in check_file(sheet).findings] == ["plan-file-type"]


def test_load_refuses_a_plan_with_errors(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(mutate(lambda d: d["deliverables"][1].update(number=1))))
    with pytest.raises(
        PlanInvalidError, match=r"has 1 error \(first: .*Deliverable 1 appears twice"
    ):
        load(path)


# -- status and overdue, by hand -------------------------------------------------------------------


def test_small_plan_status_by_hand() -> None:
    plan = plan_from_document(small_plan())
    # 1 complete (never overdue); 2 due Sep 2025 (revised); 3 due Mar 2025
    assert plan.summary(dt.date(2025, 3, 31))["overdue"] == []
    assert plan.summary(dt.date(2025, 4, 1))["overdue"] == [3]
    assert plan.summary(dt.date(2025, 9, 30))["overdue"] == [3]
    assert plan.summary(dt.date(2025, 10, 1)) == {
        "update": 3,
        "published": "2025-06",
        "as_of": "2025-10-01",
        "deliverables": 3,
        "by_status": {"in_progress_revised": 1, "outstanding": 1, "complete": 1},
        "by_aim": {"1": {"complete": 1}, "2": {"in_progress_revised": 1}, "4": {"outstanding": 1}},
        "by_priority_action": {
            "1": {"complete": 1},
            "3": {"in_progress_revised": 1},
            "12": {"outstanding": 1},
        },
        "overdue": [2, 3],
    }


# Worked out by hand from the published update 2 (March 2024). Not complete, with the month of
# the latest timescale (revisions included) ended by 1 December 2026: everything but 21 (2028),
# 38 and 39 (revised to December 2027); 10, 11, 15, 25 and 35 are complete and 1, 13, 14, 18,
# 23, 30 and 37 completed previously.
OVERDUE_2026_12_01 = [
    2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 17, 19, 20, 22, 24, 26, 27, 28, 29, 31, 32, 33, 34, 36,
    40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50,
]  # fmt: skip
# As the update itself would judge them (end of March 2024): due by February 2024 at the
# latest and not complete. 24 is due March 2024 (revised in update 1), so not yet.
OVERDUE_2024_03 = [2, 4, 5, 6, 36]


def test_update_2_overdue_by_hand_on_fixed_dates() -> None:
    plan = load(UPDATE_2)
    assert plan.summary(dt.date(2026, 12, 1))["overdue"] == OVERDUE_2026_12_01
    assert plan.summary()["overdue"] == OVERDUE_2024_03
    assert plan.summary()["as_of"] == "2024-03-31"
    # 45, 46 and 47 are due October 2026: not yet on 31 October, overdue on 1 November
    assert {45, 46, 47} & set(plan.summary(dt.date(2026, 10, 31))["overdue"]) == set()
    assert {45, 46, 47} <= set(plan.summary(dt.date(2026, 11, 1))["overdue"])


def test_update_2_counts_by_aim_by_hand() -> None:
    summary = load(UPDATE_2).summary(dt.date(2026, 12, 1))
    assert summary["deliverables"] == 50
    assert summary["by_aim"] == {
        "1": {"in_progress": 3, "outstanding": 4, "completed_previously": 1},
        "2": {"in_progress": 7, "in_progress_revised": 2, "complete": 3, "completed_previously": 3},
        "3": {
            "in_progress": 6,
            "in_progress_revised": 3,
            "outstanding": 1,
            "complete": 1,
            "completed_previously": 2,
        },
        "4": {
            "in_progress": 9,
            "in_progress_revised": 2,
            "outstanding": 1,
            "complete": 1,
            "completed_previously": 1,
        },
    }
    assert summary["by_priority_action"]["11"] == {
        "in_progress": 7,
        "outstanding": 1,
        "complete": 1,
        "completed_previously": 1,
    }


def test_status_dataframe_for_notebooks() -> None:
    frame = load(UPDATE_2).status(as_of=dt.date(2026, 12, 1))
    assert len(frame) == 50
    assert frame.attrs == {"update": 2, "as_of": "2026-12-01"}
    assert sorted(frame.loc[frame["overdue"], "number"]) == OVERDUE_2026_12_01
    row = frame.set_index("number").loc[9]
    assert (row["aim"], row["timescale"], row["latest_timescale"], row["revisions"]) == (
        2,
        "2023-12",
        "2025-01",
        1,
    )
    assert row["due_by"] == dt.date(2025, 1, 31)
    assert row["collaborators"] == "Social Work Scotland and Scottish Government"
    assert frame.set_index("number").loc[21, "timescale_text"] == (
        "Main changes to be delivered by 2025 with full implementation by 2028"
    )


def test_month_labels_and_bounds() -> None:
    m = Month.parse("2024-02")
    assert (m.label(), str(m), m.last_day) == ("February 2024", "2024-02", dt.date(2024, 2, 29))
    with pytest.raises(ValueError):
        Month.parse("2024-2")


# -- the CLI ---------------------------------------------------------------------------------------


def test_plan_status_json_has_the_contract_keys() -> None:
    result = run("plan", "status", UPDATE_2, "--as-of", "2026-12-01", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"update", "as_of", "deliverables", "by_status", "by_aim", "by_priority_action"} <= set(
        data
    )
    assert (data["update"], data["as_of"], data["deliverables"]) == (2, "2026-12-01", 50)
    assert data["overdue"] == OVERDUE_2026_12_01
    assert list(data["by_aim"]) == ["1", "2", "3", "4"]
    assert list(data["by_priority_action"]) == [str(n) for n in range(1, 14)]


def test_plan_status_text_lists_what_is_overdue() -> None:
    result = run("plan", "status", UPDATE_2, "--as-of", "2026-12-01")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Delivery plan update 2 (March 2024) as of 1 December 2026: 50 deliverables."
    heading = lines.index(
        "Overdue as of 1 December 2026 (35): latest timescale passed and not complete."
    )
    listed = [int(line.split()[0]) for line in lines[heading + 1 : heading + 36]]
    assert listed == OVERDUE_2026_12_01
    assert lines[heading + 1] == (
        "   2  due by October 2023 (Outstanding; lead: Community Justice Scotland): Launch and "
        "support the embedding of updated Diversion from Prosecution Guidelines."
    )
    assert "  Aim 4: 14; 2 complete; 10 overdue. Strengthen the leadership" in result.stdout


def test_plan_status_defaults_to_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "SOURCE_DATE_EPOCH", str(int(dt.datetime(2024, 5, 1, tzinfo=dt.UTC).timestamp()))
    )
    data = json.loads(run("plan", "status", UPDATE_2, "-f", "json").stdout)
    # by 1 May 2024 April has ended: the April 2024 deliverables not complete (3, 17, 22, 29,
    # 32, 34) and March 2024's 24 join the five of March
    assert data["as_of"] == "2024-05-01"
    assert data["overdue"] == [2, 3, 4, 5, 6, 17, 22, 24, 29, 32, 34, 36]


def test_plan_validate_exit_codes(tmp_path: Path) -> None:
    ok = run("plan", "validate", UPDATE_2.parent)
    assert ok.exit_code == 0
    assert ok.stdout.endswith("2 files checked: 2 valid, 0 invalid; 0 errors, 5 warnings.\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(mutate(lambda d: d["deliverables"][1].update(number=1))))
    result = run("plan", "validate", bad, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [f["rule"] for f in data["files"][0]["findings"]] == [
        "plan-duplicate-number",
        "plan-overdue",
    ]
    assert run("plan", "validate", tmp_path / "missing.yaml").exit_code == 2
    assert run("plan", "validate", UPDATE_2, "--as-of", "tomorrow").exit_code == 2


def test_plan_validate_as_of_changes_the_overdue_warnings() -> None:
    result = run("plan", "validate", UPDATE_2, "--as-of", "2026-12-01", "-f", "json")
    overdue = [f for f in json.loads(result.stdout)["files"][0]["findings"]]
    assert len(overdue) == 35 and {f["rule"] for f in overdue} == {"plan-overdue"}


def test_plan_status_of_an_invalid_plan_is_one_line_and_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(mutate(lambda d: d["deliverables"][0].update(status="done"))))
    result = run("plan", "status", bad)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "has 1 error" in result.stderr and "cjreturns plan validate" in result.stderr


# -- never a crash ---------------------------------------------------------------------------------

_KEYS = st.sampled_from(
    [
        "schema_version", "update", "number", "published", "deliverables", "priority_action",
        "deliverable", "timescale", "timescale_text", "revised_timescales", "in_update", "to",
        "lead", "collaborators", "further_detail", "status", "completed_in_update",
    ]
)  # fmt: skip
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 60),
    st.sampled_from(["2024-06", "2024-13", "1.0", "in_progress_revised", "completed_previously"]),
    st.text(max_size=8),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=6),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_KEYS, _VALUES, max_size=6), st.data())
def test_any_document_gives_findings_never_an_exception(document: Any, data: Any) -> None:
    """Random documents near the contract's shape, and mutations of the small plan."""
    for doc in (document, _mutated(data)):
        result = check_document(doc, as_of=dt.date(2025, 1, 1))
        assert all(f.rule in catalogue() for f in result.findings)
        if result.valid:  # a valid document must load and summarise
            assert result.plan is not None
            result.plan.summary(dt.date(2030, 1, 1))


def _mutated(data: Any) -> dict[str, Any]:
    doc = small_plan()
    target = data.draw(st.sampled_from([doc, doc["update"], *doc["deliverables"]]))
    target[data.draw(_KEYS)] = data.draw(_VALUES)
    return doc
