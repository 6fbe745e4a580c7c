"""Shared by the workbook tests: a small valid return and a way to type into workbook cells."""

from __future__ import annotations

import copy
import io
from functools import cache
from typing import Any

from openpyxl import load_workbook

_ACTIVITY_TEXT = "Partners ran sessions for people on orders and their families in three towns."


def _activity(title: str, themes: list[str], **extra: Any) -> dict[str, Any]:
    # every activity has a status, as in the example returns
    return {
        "title": title,
        "description": _ACTIVITY_TEXT,
        "themes": themes,
        "status": "in_progress",
        **extra,
    }


SMALL_RETURN: dict[str, Any] = {
    "schema_version": "1.0",
    "partnership": "Fife",
    "reporting_year": "2021-22",
    "submitted_on": "2022-09-29",
    "contact": {"name": "A. Coordinator", "email": "coordinator@example.org"},
    "sign_off": {
        "name": "A. Chair",
        "role": "Chair, Fife Community Justice Partnership",
        "date": "2022-09-28",
        "section_27_return": True,
        "section_23_report": True,
    },
    "governance": {
        "description": "The partnership reports to the community planning board and meets "
        "every quarter with all statutory partners.",
        "independent_chair": False,
        "reporting_lines": ["Community Planning Partnership Board"],
        "partners": {"police_scotland": "active", "health_board": "regular"},
        "development": ["terms_of_reference_review", "partner_induction"],
    },
    "outcomes": {
        "1": {
            "self_evaluation": 4,
            "activities": [
                _activity(
                    "Second Chancers exhibition",
                    ["stigma_awareness", "engagement_events"],
                    priority_actions=[13],
                    partners=["local_authority", "police_scotland"],
                    other_partners=["COPFS"],
                    third_sector=["Sacro", "Apex Scotland"],
                    lead_organisation="Fife Council",
                    status="completed",
                    period={"start": "2021-10-01", "end": "2022-03-31"},
                    impact="Visitors said it changed how they saw people with convictions.",
                    figures=[{"label": "people attending", "value": 96, "unit": "people"}],
                    links=["https://example.org/video"],
                )
            ],
        },
        "2": {"activities": [_activity("Needs assessment", ["needs_assessment"])]},
        "3": {"activities": [_activity("Housing pathway", ["housing"])]},
        "4": {
            "activities": [_activity("Diversion review", ["diversion"], status="in_progress")],
            "indicators": {"diversion_referrals": 300, "diversion_commenced": 250},
        },
        "5": {
            "activities": [_activity("Justice Star", ["outcome_monitoring"])],
            "case_studies": [
                {
                    "title": "Finding a home",
                    "summary": "A man released from custody was helped to find a tenancy, "
                    "register with a doctor and start a college course within three months.",
                    "consent_confirmed": True,
                }
            ],
            "challenges": [{"code": "workforce", "description": "Two posts were vacant."}],
        },
        "6": {"activities": [_activity("Work placements", ["employability_readiness"])]},
        "7": {"activities": [_activity("Mentoring", ["resilience_self_management"])]},
    },
    "achievements": [{"title": "Award for the women's service", "description": "A gold award."}],
    "challenges": [{"code": "cost_of_living", "description": "Poverty deepened over the year."}],
    "recommendations": [{"id": "R2", "response": "Plan agreed.", "status": "in_progress"}],
    "next_steps": ["Refresh the community justice outcomes improvement plan."],
}


def small_return() -> dict[str, Any]:
    return copy.deepcopy(SMALL_RETURN)


@cache
def small_workbook() -> bytes:
    """The small return as a workbook (made once: generating takes a few tenths of a second)."""
    from cjreturns.workbook import workbook_bytes

    return workbook_bytes(SMALL_RETURN)


@cache
def blank_workbook(partnership: str | None = None) -> bytes:
    """The 2021-22 blank workbook, the year the example returns are for."""
    from cjreturns.workbook import generate_template

    return generate_template(partnership=partnership, year="2021-22")


def type_into(data: bytes, cells: dict[str, Any]) -> bytes:
    """The workbook with values typed into cells ("Outcome 1!D5": value), as a person would."""
    wb = load_workbook(io.BytesIO(data))
    for ref, value in cells.items():
        sheet, cell = ref.rsplit("!", 1)
        wb[sheet][cell] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
