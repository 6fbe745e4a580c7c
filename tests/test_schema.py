"""The schema and the reference data agree: every code list in the schema comes from the reference.

The committed schemas/return.schema.json is the published contract; these tests fail if it drifts
from schemas/reference.yaml or from what `schema_source.build_schema()` generates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from cjreturns.contract.reference import load_reference
from cjreturns.contract.schema import load_schema
from cjreturns.contract.schema_source import SCHEMA_ID, SCHEMA_VERSION, build_schema, render
from cjreturns.core.resources import schema_path
from cjreturns.validation.rules import load_settings

RAW: dict[str, Any] = yaml.safe_load(schema_path("reference.yaml").read_text(encoding="utf-8"))

# Each x-vocabulary in the schema, with its codes read straight from the reference YAML (not via
# cjreturns.contract.reference, so a mistake there cannot hide one here).
REFERENCE_CODES: dict[str, list[Any]] = {
    "themes": [t["code"] for t in RAW["themes"]],
    "priority_actions": [a["id"] for a in RAW["strategy_2022"]["priority_actions"]],
    "statutory_partners": [p["code"] for p in RAW["statutory_partners"]],
    "partner_participation_levels": list(RAW["partner_participation_levels"]),
    "partnership_development": [d["code"] for d in RAW["partnership_development"]],
    "challenges": [c["code"] for c in RAW["challenges"]],
    "indicators": [i["code"] for i in RAW["indicators"]],
    "self_evaluation": [s["value"] for s in RAW["self_evaluation_scale"]],
    "activity_status": list(RAW["activity_status"]),
    "recommendation_status": list(RAW["recommendation_status"]),
}


def _vocabulary_nodes(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if "x-vocabulary" in node:
            yield where, node
        for key, child in node.items():
            yield from _vocabulary_nodes(child, f"{where}/{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _vocabulary_nodes(child, f"{where}/{i}")


def test_committed_schema_is_what_the_reference_generates() -> None:
    committed = schema_path("return.schema.json").read_text(encoding="utf-8")
    assert committed == render(build_schema()), (
        "schemas/return.schema.json is out of date: run python -m cjreturns.contract.schema_source"
    )
    assert json.loads(committed) == load_schema()


def test_schema_is_valid_draft_2020_12_with_id_and_version() -> None:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    assert schema["version"] == SCHEMA_VERSION
    assert re.fullmatch(r"\d+\.\d+", schema["version"])
    assert SCHEMA_VERSION in schema["$id"]
    assert schema["properties"]["schema_version"]["enum"] == [SCHEMA_VERSION]


def test_every_vocabulary_in_the_schema_equals_the_reference_codes() -> None:
    nodes = list(_vocabulary_nodes(load_schema()))
    seen = {node["x-vocabulary"] for _, node in nodes}
    assert seen == set(REFERENCE_CODES)
    for where, node in nodes:
        expected = REFERENCE_CODES[node["x-vocabulary"]]
        assert sorted(node["enum"]) == sorted(expected), where
        assert len(node["enum"]) == len(set(node["enum"])), f"repeated code at {where}"
        kind = "integer" if isinstance(expected[0], int) else "string"
        assert node["type"] == kind, where


def test_every_enum_in_the_schema_is_a_vocabulary_or_the_version() -> None:
    """No code list is typed into the schema by hand."""

    def enums(node: Any, where: str = "") -> Iterator[str]:
        if isinstance(node, dict):
            if "enum" in node and "x-vocabulary" not in node:
                yield where
            for key, child in node.items():
                yield from enums(child, f"{where}/{key}")

    assert list(enums(load_schema())) == ["/properties/schema_version"]


def test_reference_codes_are_unique() -> None:
    for name, codes in REFERENCE_CODES.items():
        assert len(codes) == len(set(codes)), name


def test_schema_requires_what_the_contract_requires() -> None:
    schema = load_schema()
    assert set(schema["required"]) == {
        "schema_version",
        "partnership",
        "reporting_year",
        "submitted_on",
        "contact",
        "governance",
        "outcomes",
    }
    assert schema["properties"]["governance"]["required"] == ["description"]
    outcomes = schema["properties"]["outcomes"]
    assert outcomes["required"] == ["1", "2", "3", "4", "5", "6", "7"]
    assert outcomes["additionalProperties"] is False
    assert len(RAW["national_outcomes"]) == 7
    activity = schema["$defs"]["activity"]
    assert set(activity["required"]) == {"title", "description", "themes"}
    assert activity["properties"]["themes"]["minItems"] == 1


def test_optional_lists_may_be_empty() -> None:
    """Only `themes` needs an entry; every other list may be empty."""

    def lists(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(node, dict):
            if node.get("type") == "array":
                yield where, node
            for key, child in node.items():
                yield from lists(child, f"{where}/{key}")

    with_minimum = [w for w, node in lists(load_schema()) if node.get("minItems")]
    assert with_minimum == ["/$defs/activity/properties/themes"]


def test_reference_cross_references_hold() -> None:
    ref = load_reference()
    outcome_ids = set(ref.outcomes)
    assert outcome_ids == {1, 2, 3, 4, 5, 6, 7}
    for theme in ref.themes.values():
        assert theme["outcome"] in outcome_ids, theme
    for indicator in ref.indicators.values():
        assert indicator["outcome"] in outcome_ids, indicator
        parent = indicator.get("at_most")
        assert parent is None or parent in ref.indicators, indicator
    aims = RAW["strategy_2022"]["aims"]
    assert sorted(a for aim in aims for a in aim["priority_actions"]) == sorted(
        ref.priority_actions
    )
    # The rule settings name only real indicators.
    assert set(load_settings().indicator_rates) <= set(ref.indicators)
    for key in RAW["key_facts_2021_22"]:
        assert key["value"] > 0


def test_thirty_partnerships_covering_every_council_once() -> None:
    ref = load_reference()
    assert len(ref.partnerships) == 30
    assert len({p.name for p in ref.partnerships}) == 30
    assert len({p.id for p in ref.partnerships}) == 30
    councils = [la for p in ref.partnerships for la in p.local_authorities]
    assert sorted(councils) == sorted(la["code"] for la in RAW["local_authorities"])
    assert len(councils) == 32
    assert sum(p.population for p in ref.partnerships) == 5_438_100
    ayrshire = ref.partnership("Community Justice Ayrshire")
    assert ayrshire is not None
    assert ayrshire.population == 121_840 + 135_280 + 112_550


def test_every_partnership_name_resolves_to_itself() -> None:
    ref = load_reference()
    for p in ref.partnerships:
        assert ref.resolve_partnership(p.name) == (p, False)
        assert ref.partnership(p.name) is p


def test_every_alias_and_brand_name_resolves_with_the_alias_flag() -> None:
    ref = load_reference()
    patterns = RAW["alias_patterns"]
    for p in ref.partnerships:
        forms = [*p.aliases, *(pattern.format(name=p.name) for pattern in patterns)]
        forms += [p.name.upper(), f"  {p.name.lower()}  "]
        for form in forms:
            assert ref.resolve_partnership(form) == (p, True), form


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Glasgow", "Glasgow City"),
        ("argyll & bute", "Argyll and Bute"),
        ("Western Isles", "Na h-Eileanan Siar"),
        ("Comhairle nan Eilean Siar", "Na h-Eileanan Siar"),
        ("Fife Community Justice Partnership", "Fife"),
        ("Community Justice  Ayrshire", "Community Justice Ayrshire"),
        ("Dumfries & Galloway CJP", "Dumfries and Galloway"),
    ],
)
def test_typical_ways_of_writing_a_partnership(written: str, name: str) -> None:
    found, _ = load_reference().resolve_partnership(written)
    assert found is not None and found.name == name


def test_no_alias_is_shared_by_two_partnerships() -> None:
    ref = load_reference()
    owners: dict[str, str] = {}
    for p in ref.partnerships:
        for form in [p.name, *p.aliases]:
            folded = " ".join(form.replace("&", "and").casefold().split())
            assert owners.setdefault(folded, p.name) == p.name, form


@pytest.mark.parametrize("name", ["Fyfe", "Scotland", "", "Edinburgh City Council"])
def test_unknown_names_do_not_resolve(name: str) -> None:
    assert load_reference().resolve_partnership(name) == (None, False)


def test_quantifiers() -> None:
    ref = load_reference()
    assert [ref.quantifier(n, 30) for n in (30, 0, 23, 15, 8, 3, 1)] == [
        "all",
        "no",
        "most",
        "many",
        "several",
        "some",
        "a few",
    ]
