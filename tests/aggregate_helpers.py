"""Small hand-built returns for the aggregation tests: a minimal valid return per partnership."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

CONTACT_NAME = "Morag Contactperson"
CONTACT_EMAIL = "morag.contact@example.org"
SIGN_OFF_NAME = "Hamish Signatory"
CASE_STUDY_TITLE = "Journey of hope through recovery"
CASE_STUDY_SUMMARY = (
    "A person supported by the service moved into a settled tenancy and started a college "
    "course after a year of weekly support sessions with a peer mentor."
)


def activity(
    *themes: str,
    status: str = "completed",
    partners: tuple[str, ...] = (),
    priority_actions: tuple[int, ...] = (),
) -> dict[str, Any]:
    act: dict[str, Any] = {
        "title": f"Work on {', '.join(themes)}",
        "description": "Partners delivered this work across the area during the year.",
        "themes": list(themes),
        "status": status,
    }
    if partners:
        act["partners"] = list(partners)
    if priority_actions:
        act["priority_actions"] = list(priority_actions)
    return act


def minimal_return(
    partnership: str, *, submitted_on: str = "2022-09-20", year: str = "2021-22"
) -> dict[str, Any]:
    """A return that validates with no errors: one completed activity under every outcome."""
    themes = {
        "1": "engagement_events",
        "2": "needs_assessment",
        "3": "housing",
        "4": "diversion",
        "5": "holistic_support",
        "6": "positive_relationships",
        "7": "resilience_self_management",
    }
    return {
        "schema_version": "1.0",
        "partnership": partnership,
        "reporting_year": year,
        "submitted_on": submitted_on,
        "contact": {"name": CONTACT_NAME, "email": CONTACT_EMAIL},
        "sign_off": {
            "name": SIGN_OFF_NAME,
            "role": "Chair",
            "date": "2022-09-01",
            "section_27_return": True,
            "section_23_report": True,
        },
        "governance": {
            "description": "The partnership reports to the community planning board and meets "
            "every quarter with all statutory partners present.",
        },
        "outcomes": {key: {"activities": [activity(theme)]} for key, theme in themes.items()},
    }


def write_return(folder: Path, name: str, document: dict[str, Any]) -> Path:
    """Write a return as YAML or JSON (by the suffix of `name`) and give its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if path.suffix == ".json":
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def with_changes(document: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(document)
    out.update(changes)
    return out
