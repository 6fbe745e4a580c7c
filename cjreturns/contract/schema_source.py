"""Builds schemas/return.schema.json from the reference data, so codes are never typed twice.

The committed schema is the published contract; a test checks it equals what this builds.
Regenerate after changing the reference: `python -m cjreturns.contract.schema_source`.
"""

from __future__ import annotations

import json
from typing import Any

from cjreturns.contract.reference import Reference, load_reference
from cjreturns.core.resources import schema_path

SCHEMA_VERSION = "1.0"
SCHEMA_ID = "urn:cjreturns:schema:return:1.0"


# Text that must say something: at least one character that is not white space.
NOT_BLANK = r"\S"


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "pattern": NOT_BLANK, "description": description}


def _texts(description: str) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "description": description,
    }


def _codes(vocabulary: str, codes: list[Any], *, kind: str = "string") -> dict[str, Any]:
    return {"type": kind, "enum": codes, "x-vocabulary": vocabulary}


def build_schema(ref: Reference | None = None) -> dict[str, Any]:
    """The return schema (JSON Schema 2020-12) with every vocabulary taken from `ref`."""
    ref = ref or load_reference()
    date = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    activity = {
        "type": "object",
        "description": "One piece of work the partnership did or planned.",
        "required": ["title", "description", "themes"],
        "additionalProperties": False,
        "properties": {
            "title": _text("A short name for the activity."),
            "description": _text("What was done, by whom and for whom."),
            "themes": {
                "type": "array",
                "minItems": 1,
                "items": _codes("themes", list(ref.themes)),
            },
            "priority_actions": {
                "type": "array",
                "items": _codes("priority_actions", sorted(ref.priority_actions), kind="integer"),
            },
            "partners": {
                "type": "array",
                "items": _codes("statutory_partners", list(ref.statutory_partners)),
            },
            "other_partners": _texts("Non-statutory public bodies involved."),
            "third_sector": _texts("Third sector organisations involved."),
            "lead_organisation": _text("The organisation leading the activity."),
            "status": _codes("activity_status", list(ref.activity_status)),
            "period": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"start": {"$ref": "#/$defs/date"}, "end": {"$ref": "#/$defs/date"}},
            },
            "impact": _text("Evidence of the difference the activity made."),
            "figures": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["label", "value"],
                    "additionalProperties": False,
                    "properties": {
                        "label": _text("What was counted."),
                        "value": {"type": "number", "minimum": 0},
                        "unit": {"type": "string"},
                    },
                },
            },
            "links": {
                "type": "array",
                "items": {"type": "string", "pattern": r"^https?://\S+$"},
            },
        },
    }
    challenge = {
        "type": "object",
        "required": ["code"],
        "additionalProperties": False,
        "properties": {
            "code": _codes("challenges", list(ref.challenges)),
            "description": _text("The challenge in the partnership's words."),
        },
    }
    case_study = {
        "type": "object",
        "required": ["title", "summary"],
        "additionalProperties": False,
        "properties": {
            "title": _text("A short title that identifies nobody."),
            "summary": _text("The story, with nothing that could identify a person."),
            "consent_confirmed": {"type": "boolean"},
        },
    }
    outcome = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "self_evaluation": _codes(
                "self_evaluation", sorted(ref.self_evaluation), kind="integer"
            ),
            "activities": {"type": "array", "items": {"$ref": "#/$defs/activity"}},
            "no_activity_reason": _text("Why there was no activity under this outcome."),
            "indicators": {
                "type": "object",
                "propertyNames": _codes("indicators", list(ref.indicators)),
                "additionalProperties": {"type": "integer", "minimum": 0},
            },
            "challenges": {"type": "array", "items": {"$ref": "#/$defs/challenge"}},
            "case_studies": {"type": "array", "items": {"$ref": "#/$defs/case_study"}},
        },
    }
    outcome_keys = [str(k) for k in sorted(ref.outcomes)]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "version": SCHEMA_VERSION,
        "title": "Community Justice Partnership annual return",
        "description": (
            "A Community Justice Partnership's annual return to Community Justice Scotland for "
            f"one reporting year ({ref.calendar.span_text()}). "
            "Generated from schemas/reference.yaml."
        ),
        "type": "object",
        "required": [
            "schema_version",
            "partnership",
            "reporting_year",
            "submitted_on",
            "contact",
            "governance",
            "outcomes",
        ],
        "additionalProperties": False,
        "properties": {
            "schema_version": {"type": "string", "enum": [SCHEMA_VERSION]},
            "partnership": _text("The partnership's name as in the reference list."),
            "reporting_year": {"type": "string", "description": "Financial year, e.g. 2021-22."},
            "submitted_on": {"$ref": "#/$defs/date"},
            "contact": {
                "type": "object",
                "description": "Personal data: never copied into national outputs.",
                "required": ["name", "email"],
                "additionalProperties": False,
                "properties": {
                    "name": _text("The coordinator's name."),
                    "email": {"type": "string", "pattern": r"^[^@\s]+@[^@\s]+\.[^@\s]+$"},
                    "phone": {"type": "string"},
                    "role": {"type": "string"},
                },
            },
            "sign_off": {
                "type": "object",
                "description": "Personal data too: never copied into national outputs.",
                "additionalProperties": False,
                "properties": {
                    "name": _text("Who signed the return off."),
                    "role": {"type": "string"},
                    "date": {"$ref": "#/$defs/date"},
                    "section_27_return": {"type": "boolean"},
                    "section_23_report": {"type": "boolean"},
                },
            },
            "governance": {
                "type": "object",
                "required": ["description"],
                "additionalProperties": False,
                "properties": {
                    "description": _text("How the partnership is governed."),
                    "independent_chair": {"type": "boolean"},
                    "chair_role": {"type": "string"},
                    "plan_period": {"type": "string"},
                    "reporting_lines": _texts("Boards the partnership reports to."),
                    "linked_partnerships": _texts("Partnerships it works with."),
                    "subgroups": _texts("Its subgroups."),
                    "partners": {
                        "type": "object",
                        "propertyNames": _codes("statutory_partners", list(ref.statutory_partners)),
                        "additionalProperties": _codes(
                            "partner_participation_levels", list(ref.participation_levels)
                        ),
                    },
                    "other_partners": _texts("Bodies that are not statutory partners."),
                    "development": {
                        "type": "array",
                        "items": _codes("partnership_development", list(ref.development)),
                    },
                    "third_sector_involvement": {"type": "string"},
                },
            },
            "context": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "pandemic_impact": {"type": "string"},
                    "local_context": {"type": "string"},
                },
            },
            "outcomes": {
                "type": "object",
                "required": outcome_keys,
                "additionalProperties": False,
                "properties": {k: {"$ref": "#/$defs/outcome"} for k in outcome_keys},
            },
            "local_activity": {"type": "array", "items": {"$ref": "#/$defs/activity"}},
            "achievements": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["title"],
                    "additionalProperties": False,
                    "properties": {
                        "title": _text("The achievement."),
                        "description": {"type": "string"},
                    },
                },
            },
            "challenges": {"type": "array", "items": {"$ref": "#/$defs/challenge"}},
            "recommendations": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id"],
                    "additionalProperties": False,
                    "properties": {
                        "id": _text("The recommendation's id, e.g. R2."),
                        "response": {"type": "string"},
                        "status": _codes("recommendation_status", list(ref.recommendation_status)),
                    },
                },
            },
            "next_steps": _texts("Next steps, one per item."),
        },
        "$defs": {
            "date": date,
            "activity": activity,
            "outcome": outcome,
            "challenge": challenge,
            "case_study": case_study,
        },
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    schema_path("return.schema.json").write_text(render(build_schema()), encoding="utf-8")
