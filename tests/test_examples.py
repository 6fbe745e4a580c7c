"""The example collection: one valid 2021-22 return for each of the 30 partnerships."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cjreturns.cli import app
from cjreturns.contract.reference import load_reference
from cjreturns.core.findings import CollectionResult
from cjreturns.validation.engine import validate_paths

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "returns" / "2021-22"


@pytest.fixture(scope="module")
def collection() -> CollectionResult:
    return validate_paths([EXAMPLES], year="2021-22")


def test_every_example_is_valid_for_2021_22(collection: CollectionResult) -> None:
    errors = {str(f.path): [x.rule for x in f.errors] for f in collection.files if f.errors}
    assert errors == {}
    assert len(collection.files) == 30
    assert all(f.reporting_year == "2021-22" for f in collection.files)


def test_one_return_for_each_of_the_30_partnerships(collection: CollectionResult) -> None:
    names = [f.partnership for f in collection.files]
    assert len(set(names)) == 30
    assert set(names) == {p.name for p in load_reference().partnerships}


def test_a_mix_of_yaml_and_json(collection: CollectionResult) -> None:
    formats = Counter(f.format for f in collection.files)
    assert set(formats) == {"yaml", "json"}
    assert min(formats.values()) >= 5


def test_returns_vary_in_size(collection: CollectionResult) -> None:
    activities = []
    for f in collection.files:
        assert f.document is not None
        outcomes = f.document["outcomes"]
        assert sorted(outcomes) == ["1", "2", "3", "4", "5", "6", "7"]
        activities.append(sum(len(o.get("activities", [])) for o in outcomes.values()))
    assert max(activities) >= 2 * min(activities)
    sizes = [p.stat().st_size for p in EXAMPLES.iterdir()]
    assert max(sizes) >= 2 * min(sizes)


def test_no_personal_data_outside_contact_and_sign_off(collection: CollectionResult) -> None:
    flagged = [
        (f.path.name, x.dotted_path)
        for f in collection.files
        for x in f.findings
        if x.rule in {"personal-data", "placeholder-text", "rule-crashed"}
    ]
    assert flagged == []


def test_cli_validates_the_collection_with_exit_0() -> None:
    result = CliRunner().invoke(app, ["validate", str(EXAMPLES), "--year", "2021-22"])
    assert result.exit_code == 0, result.output
    assert "30 files checked: 30 valid, 0 invalid; 0 errors" in result.stdout
    assert "Traceback" not in result.output


def test_the_wrong_year_makes_every_example_invalid() -> None:
    result = validate_paths([EXAMPLES], year="2022-23")
    assert [f.valid for f in result.files] == [False] * 30
    assert {x.rule for f in result.files for x in f.errors} == {"reporting-year-mismatch"}
