"""Contract 2.0: the invalid corpus (examples/invalid/cjpf-2023/) gives exactly its expected
findings, every rule written for the 2023 framework is exercised, and the 2024-25 example
collection is valid, varied and carries the warnings it was made with."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from cjreturns.contract.reference import load_reference
from cjreturns.core.findings import CollectionResult
from cjreturns.validation.engine import validate_file, validate_paths
from cjreturns.validation.years import rule_set

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "examples" / "invalid" / "cjpf-2023"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (CASES / "expected.yaml").read_text(encoding="utf-8")
)
EXAMPLES = ROOT / "examples" / "returns" / "2024-25"


def _keys(findings: Any) -> set[tuple[Any, ...]]:
    return {(f["rule"], f["severity"], f["path"], f["line"], f["column"]) for f in findings}


def test_every_case_file_has_an_expectation() -> None:
    assert {p.name for p in (CASES / "returns").iterdir()} == set(EXPECTED)
    assert all(case["why"] for case in EXPECTED.values())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_case_gives_exactly_the_expected_findings(name: str) -> None:
    case = EXPECTED[name]
    result = validate_file(CASES / "returns" / name, year=case.get("year"))
    actual = _keys(f.to_dict() for f in result.findings)
    assert actual == _keys(case["findings"])
    assert result.valid is not any(f["severity"] == "error" for f in case["findings"])


def test_every_rule_of_the_2023_framework_is_exercised() -> None:
    produced = {f["rule"] for case in EXPECTED.values() for f in case["findings"]}
    written_for_cjpf = {
        r.id
        for year in ("2023-24", "2024-25")
        for r in rule_set(year).rules.values()
        if r.check == "cjpf_2023" or r.id == "framework-mismatch"
    }
    assert written_for_cjpf - produced == set()
    severities = {r.id: r.severity for r in rule_set("2024-25").rules.values()}
    for case in EXPECTED.values():
        for f in case["findings"]:
            assert severities[f["rule"]] == f["severity"], f


@pytest.fixture(scope="module")
def collection() -> CollectionResult:
    return validate_paths([EXAMPLES], year="2024-25")


def test_the_2024_25_examples_are_valid_one_per_partnership(collection: CollectionResult) -> None:
    assert {
        str(f.path.name): [x.rule for x in f.errors] for f in collection.files if f.errors
    } == {}
    assert sorted(f.partnership or "" for f in collection.files) == sorted(
        p.name for p in load_reference().partnerships
    )
    formats = Counter(f.format for f in collection.files)
    assert formats == {"yaml": 20, "json": 10}


def test_the_2024_25_examples_carry_their_warnings(collection: CollectionResult) -> None:
    warnings = Counter(x.rule for f in collection.files for x in f.warnings)
    assert warnings == {
        "priority-action-no-activity": 7,
        "submitted-late": 2,
        "measure-commenced-exceeds-assessments": 1,
        "partnership-alias": 1,
    }
    late = sorted(f.partnership or "" for f in collection.files
                  for x in f.warnings if x.rule == "submitted-late")  # fmt: skip
    assert late == ["Clackmannanshire", "Moray"]


def test_the_2024_25_examples_vary(collection: CollectionResult) -> None:
    activities = []
    for f in collection.files:
        assert f.document is not None
        assert sorted(f.document["priority_actions"], key=int) == [str(i) for i in range(1, 14)]
        activities.append(
            sum(len(a.get("activities", [])) for a in f.document["priority_actions"].values())
        )
    assert max(activities) >= 1.5 * min(activities)
