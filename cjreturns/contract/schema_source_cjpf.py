"""Builds schemas/cjpf-2023/return.schema.json (contract 2.0) from the reference data.

Contract 2.0 keeps every section of 1.0 except the national outcomes: a return reports under the
13 priority actions of the 2022 National Strategy, and gives measures under the nine CJPF
outcomes. So the 2.0 schema is the 1.0 schema (built from the same reference) with those parts
replaced: a change to a shared section reaches both. A test checks the committed file equals
what this builds. Regenerate: `python -m cjreturns.contract.schema_source_cjpf`.
"""

from __future__ import annotations

import copy
from typing import Any

from cjreturns.contract.frameworks import CJPF, load_cjpf
from cjreturns.contract.reference import Reference, load_reference
from cjreturns.contract.schema_source import _codes, _text, build_schema, render
from cjreturns.core.resources import schema_path

SCHEMA_VERSION = "2.0"
SCHEMA_ID = "urn:cjreturns:schema:return:2.0"
SCHEMA_FILE = "cjpf-2023/return.schema.json"


def build_cjpf_schema(ref: Reference | None = None, cjpf: CJPF | None = None) -> dict[str, Any]:
    """The contract 2.0 return schema (JSON Schema 2020-12)."""
    ref = ref or load_reference()
    cjpf = cjpf or load_cjpf()
    schema = copy.deepcopy(build_schema(ref))
    defs = schema["$defs"]
    props = schema["properties"]

    # An activity sits under its priority action; it may name others it also serves.
    activity = defs["activity"]
    del activity["properties"]["priority_actions"]
    activity["properties"]["also_priority_actions"] = {
        "type": "array",
        "description": "Other priority actions this activity also serves.",
        "items": _codes("priority_actions", sorted(cjpf.priority_actions), kind="integer"),
    }

    v1_outcome = defs.pop("outcome")
    priority_action: dict[str, Any] = {
        "type": "object",
        "description": "What the partnership did towards one priority action of the strategy.",
        "additionalProperties": False,
        "properties": {
            key: v1_outcome["properties"][key]
            for key in ("self_evaluation", "activities", "challenges", "case_studies")
        },
    }
    priority_action["properties"]["no_activity_reason"] = _text(
        "Why there was no activity towards this priority action."
    )
    measures: dict[str, Any] = {}
    for number, outcome in cjpf.outcomes.items():
        codes = [m.code for m in cjpf.measures_of(number)]
        listed = (
            "Measures for this outcome: " + ", ".join(codes) + "."
            if codes
            else "No measures are defined for this outcome yet: give narrative or figures."
        )
        measures[str(number)] = {
            "type": "object",
            "description": outcome.text,
            "additionalProperties": False,
            "properties": {
                "measures": {
                    "type": "object",
                    "description": listed,
                    "propertyNames": _codes("measures", list(cjpf.measures)),
                    "additionalProperties": {"type": "integer", "minimum": 0},
                },
                "narrative": _text("Local evidence towards this outcome, in words."),
                "figures": copy.deepcopy(activity["properties"]["figures"]),
            },
        }
    pa_keys = [str(k) for k in sorted(cjpf.priority_actions)]
    outcome_keys = [str(k) for k in sorted(cjpf.outcomes)]

    rebuilt: dict[str, Any] = {}
    for key, value in props.items():
        if key == "outcomes":
            rebuilt["improvement_tool"] = {
                "type": "object",
                "description": "The CJS Community Justice Improvement Tool.",
                "additionalProperties": False,
                "properties": {
                    "used": {"type": "boolean"},
                    "completed_on": {"$ref": "#/$defs/date"},
                },
            }
            rebuilt["priority_actions"] = {
                "type": "object",
                "required": pa_keys,
                "additionalProperties": False,
                "properties": {k: {"$ref": "#/$defs/priority_action"} for k in pa_keys},
            }
            rebuilt["outcomes"] = {
                "type": "object",
                "additionalProperties": False,
                "properties": {k: {"$ref": f"#/$defs/outcome_{k}"} for k in outcome_keys},
            }
        else:
            rebuilt[key] = value
    rebuilt["schema_version"] = {"type": "string", "enum": [SCHEMA_VERSION]}
    schema["properties"] = rebuilt
    schema["required"] = ["priority_actions" if k == "outcomes" else k for k in schema["required"]]
    schema["$id"] = SCHEMA_ID
    schema["version"] = SCHEMA_VERSION
    schema["title"] = (
        "Community Justice Partnership annual return (2023 Community Justice Performance Framework)"
    )
    schema["description"] = (
        "A Community Justice Partnership's annual return to Community Justice Scotland for one "
        "reporting year (1 April to 31 March) from 2023-24, under the 13 priority actions of the "
        "2022 National Strategy and the 2023 Community Justice Performance Framework. Generated "
        "from schemas/reference.yaml."
    )
    defs["priority_action"] = priority_action
    for k in outcome_keys:
        defs[f"outcome_{k}"] = measures[k]
    return schema


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    schema_path(SCHEMA_FILE).write_text(render(build_cjpf_schema()), encoding="utf-8")
