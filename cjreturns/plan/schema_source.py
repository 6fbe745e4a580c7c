"""Builds schemas/plan/plan.schema.json from the reference data, as the return's schema is built.

The committed schema is the published contract for one update of the delivery plan
(../shared/spec/delivery-plan-contract.md); a test checks it equals what this builds.
Regenerate after changing the reference: `python -m cjreturns.plan.schema_source`.
"""

from __future__ import annotations

import json
from typing import Any

from cjreturns.core.resources import schema_path
from cjreturns.plan.model import STATUSES
from cjreturns.plan.strategy import Strategy, load_strategy

SCHEMA_VERSION = "1.0"
SCHEMA_ID = "urn:cjreturns:schema:delivery-plan:1.0"
SCHEMA_FILE = "plan/plan.schema.json"
MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
NOT_BLANK = r"\S"


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "pattern": NOT_BLANK, "description": description}


def _names(description: str) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "string", "minLength": 1, "pattern": NOT_BLANK},
        "description": description,
    }


def build_schema(strategy: Strategy | None = None) -> dict[str, Any]:
    """The plan schema (JSON Schema 2020-12), priority actions taken from the strategy."""
    strategy = strategy or load_strategy()
    update_number = {"type": "integer", "minimum": 0}
    deliverable = {
        "type": "object",
        "description": "One numbered deliverable, as this update records it.",
        "required": ["number", "priority_action"],
        "additionalProperties": False,
        "properties": {
            "number": {"type": "integer", "minimum": 1, "description": "Its number in the plan."},
            "priority_action": {
                "type": "integer",
                "enum": sorted(strategy.priority_actions),
                "x-vocabulary": "priority_actions",
                "description": "The priority action it serves (1..13); the aim follows from it.",
            },
            "deliverable": _text("The deliverable's wording."),
            "timescale": {
                "$ref": "#/$defs/month",
                "description": "The month first planned (required unless completed previously).",
            },
            "timescale_text": _text(
                "The published words where the timescale is not one month; `timescale` then "
                "holds the latest month they allow."
            ),
            "revised_timescales": {
                "type": "array",
                "description": "Revisions in order, each with the update that made it.",
                "items": {
                    "type": "object",
                    "required": ["in_update", "to"],
                    "additionalProperties": False,
                    "properties": {"in_update": update_number, "to": {"$ref": "#/$defs/month"}},
                },
            },
            "lead": _names("The lead partner or partners."),
            "collaborators": _names("The partners it is delivered in collaboration with."),
            "further_detail": _text("The plan's further detail."),
            "update": _text("This update's text (required unless completed previously)."),
            "status": {
                "type": "string",
                "enum": list(STATUSES),
                "x-vocabulary": "plan_status",
                "description": "; ".join(f"{code}: {label}" for code, label in STATUSES.items()),
            },
            "completed_in_update": {
                **update_number,
                "description": "For completed_previously: the update it was completed in.",
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "version": SCHEMA_VERSION,
        "title": "National Strategy for Community Justice: delivery plan update",
        "description": (
            "The delivery plan as recorded in one published update: numbered deliverables under "
            "the strategy's priority actions, with timescales, revisions, partners, update text "
            "and status. Generated from schemas/reference.yaml."
        ),
        "type": "object",
        "required": ["schema_version", "update", "deliverables"],
        "additionalProperties": False,
        "properties": {
            "schema_version": {"type": "string", "enum": [SCHEMA_VERSION]},
            "update": {
                "type": "object",
                "required": ["number", "published"],
                "additionalProperties": False,
                "properties": {
                    "number": {
                        **update_number,
                        "description": "0 for the plan as first published.",
                    },
                    "published": {"$ref": "#/$defs/month"},
                },
            },
            "deliverables": {"type": "array", "items": {"$ref": "#/$defs/deliverable"}},
        },
        "$defs": {
            "month": {"type": "string", "pattern": MONTH_PATTERN, "description": "YYYY-MM"},
            "deliverable": deliverable,
        },
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    schema_path(SCHEMA_FILE).write_text(render(build_schema()), encoding="utf-8")
