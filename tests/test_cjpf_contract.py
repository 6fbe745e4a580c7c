"""Contract 2.0 (the 2023 CJPF): its schema, data dictionaries, the year deciding the framework,
and the rules per collection year."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from cjreturns import read_return
from cjreturns.cli import app
from cjreturns.contract.dictionary import render_dictionary
from cjreturns.contract.frameworks import framework_for_year, frameworks, load_cjpf, shape_of
from cjreturns.contract.schema import load_schema
from cjreturns.contract.schema_source import render
from cjreturns.contract.schema_source_cjpf import SCHEMA_FILE, build_cjpf_schema
from cjreturns.core.resources import schema_path
from cjreturns.validation.engine import validate_document, validate_file
from cjreturns.validation.years import rule_set

ROOT = Path(__file__).resolve().parent.parent
V1_FIFE = ROOT / "examples" / "returns" / "2021-22" / "fife.yaml"
V2_FIFE = ROOT / "examples" / "returns" / "2024-25" / "fife.yaml"
RAW = yaml.safe_load(schema_path("reference.yaml").read_text(encoding="utf-8"))


def _v2() -> dict[str, Any]:
    doc = read_return(V2_FIFE).document
    assert isinstance(doc, dict)
    return copy.deepcopy(doc)


# -- schema and dictionaries ---------------------------------------------------------------------


def test_committed_v2_schema_is_what_the_reference_generates() -> None:
    committed = schema_path(SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == render(build_cjpf_schema()), (
        "run python -m cjreturns.contract.schema_source_cjpf"
    )
    schema = load_schema(SCHEMA_FILE)
    Draft202012Validator.check_schema(schema)
    assert schema["version"] == "2.0"
    assert schema["properties"]["schema_version"]["enum"] == ["2.0"]


def test_v2_schema_has_the_contract_keys_and_codes_from_the_reference() -> None:
    schema = load_schema(SCHEMA_FILE)
    assert schema["required"] == [
        "schema_version", "partnership", "reporting_year", "submitted_on", "contact",
        "governance", "priority_actions",
    ]  # fmt: skip
    pas = schema["properties"]["priority_actions"]
    assert pas["required"] == [str(i) for i in range(1, 14)]
    assert list(schema["properties"]["outcomes"]["properties"]) == [str(i) for i in range(1, 10)]
    names = schema["$defs"]["outcome_1"]["properties"]["measures"]["propertyNames"]
    assert names["enum"] == [m["code"] for m in RAW["cjpf_2023"]["measures"]]
    activity = schema["$defs"]["activity"]["properties"]
    assert "priority_actions" not in activity
    assert activity["also_priority_actions"]["items"]["enum"] == list(range(1, 14))
    assert set(schema["$defs"]["priority_action"]["properties"]) == {
        "self_evaluation", "activities", "no_activity_reason", "challenges", "case_studies",
    }  # fmt: skip
    assert set(schema["properties"]["improvement_tool"]["properties"]) == {"used", "completed_on"}
    # Sections the contracts share are the same in both.
    v1 = load_schema()
    for key in ("contact", "sign_off", "governance", "context", "achievements", "challenges"):
        assert schema["properties"][key] == v1["properties"][key], key


@pytest.mark.parametrize("fw", list(frameworks().values()), ids=lambda f: f.id)
def test_committed_dictionary_is_what_the_schema_generates(fw: Any) -> None:
    committed = schema_path(fw.dictionary).read_text(encoding="utf-8")
    assert committed == render_dictionary(fw), "run python -m cjreturns.contract.dictionary"


def test_dictionary_rows() -> None:
    text = schema_path(frameworks()["cjpf_2023"].dictionary).read_text(encoding="utf-8")
    assert "| `priority_actions.<1-13>` | yes | section |" in text
    assert "| `outcomes.1.measures.<measures>` |  | whole number |" in text
    assert "Measures for this outcome: diversion_assessments, diversion_commenced" in text
    old = schema_path(frameworks()["opif_2016"].dictionary).read_text(encoding="utf-8")
    assert "| `outcomes.<1-7>.indicators.<indicators>` |  | whole number |" in old
    assert "priority_actions.<1-13>" not in old


# -- the year decides ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [("2016-17", "opif_2016"), ("2021-22", "opif_2016"), ("2022-23", "opif_2016"),
     ("2023-24", "cjpf_2023"), ("2024-25", "cjpf_2023"), ("2031-32", "cjpf_2023"),
     ("2015-16", None), ("2023-25", None), ("x", None)],
)  # fmt: skip
def test_year_to_framework(year: str, expected: str | None) -> None:
    found = framework_for_year(year)
    assert (found.id if found else None) == expected


def test_the_framework_boundary_agrees_with_the_reference() -> None:
    assert frameworks()["cjpf_2023"].first_year == RAW["cjpf_2023"]["first_reporting_year"]
    assert load_cjpf().first_reporting_year == "2023-24"
    assert [len(a.priority_actions) for a in load_cjpf().aims] == [2, 4, 4, 3]


def test_shapes() -> None:
    v1 = read_return(V1_FIFE).document
    assert shape_of(v1) == "opif_2016"
    assert shape_of(_v2()) == "cjpf_2023"
    assert shape_of({"schema_version": "2.0"}) == "cjpf_2023"
    assert shape_of({"outcomes": {"1": {"measures": {}}}}) == "cjpf_2023"
    assert shape_of({"partnership": "Fife"}) is None


def test_a_v1_return_for_2024_25_gets_exactly_one_framework_finding(tmp_path: Path) -> None:
    text = V1_FIFE.read_text(encoding="utf-8").replace(
        'reporting_year: "2021-22"', 'reporting_year: "2024-25"'
    )
    path = tmp_path / "fife.yaml"
    path.write_text(text, encoding="utf-8")
    result = validate_file(path)
    assert [(f.rule, f.severity, f.dotted_path, f.line) for f in result.findings] == [
        ("framework-mismatch", "error", "reporting_year", 5)
    ]
    message = result.findings[0].message
    assert "2016 Outcomes, Performance and Improvement Framework (OPIF)" in message
    assert "2024-25 returns follow the 2023 Community Justice Performance Framework" in message
    assert "`cjreturns template --year 2024-25`" in message
    assert "2016-17 to 2022-23, correct `reporting_year`" in message


def test_a_v2_return_for_2021_22_gets_exactly_one_framework_finding() -> None:
    doc = _v2()
    doc["reporting_year"] = "2021-22"
    findings = validate_document(doc, year="2021-22")
    assert [(f.rule, f.dotted_path) for f in findings] == [("framework-mismatch", "reporting_year")]
    assert "2021-22 returns follow the 2016 Outcomes" in findings[0].message
    assert "return for 2023-24 on, correct `reporting_year`" in findings[0].message


def test_with_no_reporting_year_the_expected_year_decides() -> None:
    doc = _v2()
    del doc["reporting_year"]
    assert [(f.rule, f.dotted_path) for f in validate_document(doc, year="2021-22")] == [
        ("framework-mismatch", "")
    ]
    assert [(f.rule, f.dotted_path) for f in validate_document(doc, year="2024-25")] == [
        ("missing-field", "reporting_year")
    ]


def test_a_valid_v2_return_has_no_findings_and_schema_errors_speak_of_priority_actions() -> None:
    doc = _v2()
    assert validate_document(doc, year="2024-25") == []
    del doc["priority_actions"]["8"]
    doc["priority_actions"]["14"] = {"activities": []}
    doc["outcomes"]["1"]["measures"]["diversion_comenced"] = 3
    got = {(f.rule, f.dotted_path): f.message for f in validate_document(doc)}
    assert set(got) == {
        ("missing-field", "priority_actions.8"),
        ("unknown-field", "priority_actions.14"),
        ("unknown-code", "outcomes.1.measures.diversion_comenced"),
    }
    assert got[("missing-field", "priority_actions.8")].startswith("Priority action 8 is missing.")
    assert "numbered 1 to 13" in got[("unknown-field", "priority_actions.14")]
    assert (
        "Did you mean 'diversion_commenced'?"
        in got[("unknown-code", "outcomes.1.measures.diversion_comenced")]
    )


# -- rules per collection year -------------------------------------------------------------------


def test_the_rule_set_changes_with_the_framework() -> None:
    old, new = rule_set("2022-23"), rule_set("2023-24")
    assert old.framework.id == "opif_2016" and new.framework.id == "cjpf_2023"
    assert "count-exceeds" in old.rules and "count-exceeds" not in new.rules
    assert new.deleted["count-exceeds"].status == "deleted"
    assert set(new.deleted) == {
        "outcome-no-activity-reason", "outcome-no-activity", "count-exceeds",
        "indicator-repeated", "indicator-outlier",
    }  # fmt: skip
    assert new.rules["consent-not-confirmed"].status == "amended"
    assert new.rules["consent-not-confirmed"].check == "cjpf_2023"
    assert new.rules["measure-completed-exceeds-commenced"].status == "added"
    assert new.rules["partnership-unknown"].status == "unchanged"
    assert all(r.status == "unchanged" for r in old.rules.values())
    assert rule_set("2016-17").rules["framework-mismatch"].status == "added"


def test_a_rule_amended_in_a_later_year() -> None:
    rule_id = "measure-commenced-exceeds-assessments"
    first, changed, after = rule_set("2023-24"), rule_set("2024-25"), rule_set("2025-26")
    assert (first.rules[rule_id].status, first.rules[rule_id].since) == ("added", "2023-24")
    assert (changed.rules[rule_id].status, changed.rules[rule_id].since) == ("amended", "2024-25")
    assert (after.rules[rule_id].status, after.rules[rule_id].since) == ("unchanged", "2024-25")
    assert first.rules[rule_id].params["pairs"] == [
        ["diversion_commenced", "diversion_assessments"]
    ]
    assert len(after.rules[rule_id].params["pairs"]) == 2
    assert [r.id for r in changed.catalogue() if r.status != "unchanged"] == [rule_id]
    # ... and validation follows the year: bail is compared from 2024-25 only.
    doc = _v2()
    doc["outcomes"]["3"]["measures"].update(
        bail_assessment_reports=10, bail_supervision_commenced=12, bail_supervision_completed=3
    )
    for year, expected in (("2023-24", []), ("2024-25", [rule_id]), ("2026-27", [rule_id])):
        doc["reporting_year"] = year
        doc["submitted_on"] = f"{int(year[:4]) + 1}-09-20"
        got = [f.rule for f in validate_document(doc) if f.rule == rule_id]
        assert got == expected, year


def test_cli_rules_for_a_year() -> None:
    result = CliRunner().invoke(app, ["rules", "--year", "2024-25"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Rules for 2024-25 returns (2023 Community Justice Performance Framework (CJPF), "
        "contract 2.0):\n"
    )
    assert "measure-commenced-exceeds-assessments" in result.stdout
    assert "Amended in 2024-25: Bail supervision commenced is also compared" in result.stdout
    n = len(rule_set("2024-25").rules)
    assert result.stdout.endswith(
        f"{n} rules in force: 0 added, 1 amended, {n - 1} unchanged; 0 deleted.\n"
    )
    rows = json.loads(CliRunner().invoke(app, ["rules", "--year", "2023-24", "-f", "json"]).stdout)
    status = {r["id"]: r["status"] for r in rows["rules"]}
    assert status["count-exceeds"] == "deleted"
    assert status["priority-action-no-activity"] == "added"
    assert rows["framework"] == "cjpf_2023"
    bad = CliRunner().invoke(app, ["rules", "--year", "2014-15"])
    assert bad.exit_code == 2
    assert "no rules for years before 2016-17" in bad.output


def test_cli_codes_for_a_year() -> None:
    runner = CliRunner()
    new = runner.invoke(app, ["codes", "--year", "2024-25"])
    assert new.exit_code == 0
    assert "measures" in new.stdout and "indicators" not in new.stdout
    old = runner.invoke(app, ["codes", "--year", "2021-22"])
    assert "indicators" in old.stdout and "measures" not in old.stdout
    refused = runner.invoke(app, ["codes", "indicators", "--year", "2024-25"])
    assert refused.exit_code == 2
    assert "2024-25 returns follow the 2023 Community Justice Performance Framework" in (
        refused.output
    )
    measures = runner.invoke(app, ["codes", "measures"]).stdout.splitlines()
    assert measures[0].split()[0] == "diversion_assessments"
    assert measures[0].endswith("Diversion from prosecution assessments undertaken (2023 CJPF "
                                "outcome 1)")  # fmt: skip
