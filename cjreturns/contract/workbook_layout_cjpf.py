"""The coordinator's workbook for returns under the 2023 Community Justice Performance Framework
(contract 2.0): the 2016 workbook's Partnership and list sheets, with a sheet per priority action
(in aim order, each titled with its aim) instead of a sheet per outcome, and one sheet for the
framework's outcomes: their measures and narrative.

Described with the same blocks as layout.py, so the same writer and reader handle both.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from functools import cache
from typing import Any

from cjreturns.contract.frameworks import CJPF_2023, framework, load_cjpf
from cjreturns.contract.reference import load_reference
from cjreturns.contract.workbook_layout import (
    Block,
    Field,
    Form,
    Sheet,
    Table,
    WorkbookLayout,
    _activity_fields,
    _challenge_fields,
    _describe,
    _make_vocabulary,
    _partnership_sheet,
    workbook_layout,
)
from cjreturns.core.findings import DocPath
from cjreturns.readers.layout_model import LayoutChoice

OUTCOMES_SHEET = "Outcomes and measures"


def priority_action_sheet_name(pa: int) -> str:
    return f"Priority action {pa}"


def _activity_fields_cjpf(schema: dict[str, Any]) -> tuple[Field, ...]:
    fields = []
    for f in _activity_fields(schema):
        if f.path == ("priority_actions",):
            f = dataclasses.replace(
                f,
                label="Also serves priority actions",
                path=("also_priority_actions",),
                help="Other priority actions (1 to 13) this activity also serves, separated by "
                "commas. The Guidance sheet lists them.",
            )
        fields.append(f)
    return tuple(fields)


def _priority_action_sheet(schema: dict[str, Any], pa: int) -> Sheet:
    cjpf = load_cjpf()
    aim = cjpf.aim_of(pa)
    base: DocPath = ("priority_actions", str(pa))
    blocks: tuple[Block, ...] = (
        Table(
            "Activities",
            (*base, "activities"),
            _activity_fields_cjpf(schema),
            rows=10,
            keep_empty=True,
        ),
        Form(
            "Summary for this priority action",
            base,
            (
                Field(
                    "Self-evaluation",
                    ("self_evaluation",),
                    "choice",
                    "Optional: the partnership's own score on the Care Inspectorate scale, "
                    "6 (excellent) to 1 (unsatisfactory).",
                    "self_evaluation",
                ),
                Field(
                    "Reason for no activity",
                    ("no_activity_reason",),
                    "long",
                    "Only if there were no activities towards this priority action: say why.",
                ),
            ),
            anchor=1,
        ),
        Table(
            "Case studies",
            (*base, "case_studies"),
            (
                Field(
                    "Case study title",
                    ("title",),
                    "text",
                    _describe(schema, "$defs", "case_study", "properties", "title"),
                    width=30,
                ),
                Field(
                    "Summary",
                    ("summary",),
                    "long",
                    _describe(schema, "$defs", "case_study", "properties", "summary"),
                    width=70,
                ),
                Field(
                    "Consent confirmed",
                    ("consent_confirmed",),
                    "yesno",
                    "Yes once the person has agreed to the story being used.",
                    width=14,
                ),
            ),
            rows=3,
        ),
        Table(
            "Challenges for this priority action",
            (*base, "challenges"),
            _challenge_fields(schema),
            rows=3,
        ),
    )
    return Sheet(
        priority_action_sheet_name(pa),
        f"Aim {aim.id} – priority action {pa}: {cjpf.priority_actions[pa]}",
        "One row per activity. Choose themes, status and partners from the drop-down lists; "
        "grey cells are fixed, white cells are for you.",
        blocks,
        freeze="B5",
    )


def _outcomes_sheet(schema: dict[str, Any]) -> Sheet:
    cjpf = load_cjpf()
    blocks: list[Block] = []
    for number, outcome in cjpf.outcomes.items():
        base: DocPath = ("outcomes", str(number))
        codes = tuple(m.code for m in cjpf.measures_of(number))
        if codes:
            blocks.append(
                Table(
                    f"Outcome {number}: measures",
                    (*base, "measures"),
                    (
                        Field(
                            "Measure",
                            (),
                            "choice",
                            "Choose a measure from the list.",
                            "measures",
                            width=50,
                        ),
                        Field(
                            "Number",
                            (),
                            "whole",
                            "A whole number for the reporting year (0 or more).",
                            width=14,
                        ),
                    ),
                    rows=len(codes),
                    mapping=True,
                    prefill=codes,
                )
            )
        blocks.append(
            Form(
                f"Outcome {number}: {outcome.text}",
                base,
                (
                    Field(
                        f"Outcome {number} narrative",
                        ("narrative",),
                        "long",
                        "Optional: local evidence towards this outcome, in words.",
                    ),
                ),
            )
        )
    return Sheet(
        OUTCOMES_SHEET,
        "The framework's outcomes: measures and local evidence",
        "Give the measures you have for the reporting year; leave a number empty if unknown.",
        tuple(blocks),
        freeze="A3",
    )


@cache
def cjpf_workbook_layout() -> WorkbookLayout:
    """The contract 2.0 workbook, built from its schema and the reference data."""
    from cjreturns.contract.schema import load_schema

    schema_file = framework(CJPF_2023).schema
    schema = load_schema(schema_file)
    old = workbook_layout()
    ref = load_reference()
    partnership = _partnership_sheet(ref, schema)
    improvement = Form(
        "Community Justice Improvement Tool",
        ("improvement_tool",),
        (
            Field(
                "Improvement tool used",
                ("used",),
                "yesno",
                "Yes if the partnership used the CJS Community Justice Improvement Tool.",
            ),
            Field(
                "Completed on",
                ("completed_on",),
                "date",
                "When the self-evaluation with the tool was completed.",
            ),
        ),
    )
    partnership = dataclasses.replace(partnership, blocks=(*partnership.blocks, improvement))
    cjpf = load_cjpf()
    sheets: list[Sheet] = [partnership]
    sheets += [
        _priority_action_sheet(schema, pa) for aim in cjpf.aims for pa in aim.priority_actions
    ]
    sheets.append(_outcomes_sheet(schema))
    for s in old.sheets:  # local activity, achievements, challenges, recommendations, next steps
        if s.name == "Local activity":
            table = s.blocks[0]
            assert isinstance(table, Table)
            s = dataclasses.replace(
                s,
                title="Local activity beyond the priority actions",
                intro="Activities that serve none of the 13 priority actions, one per row.",
                blocks=(dataclasses.replace(table, fields=_activity_fields_cjpf(schema)),),
            )
        if s.name != "Partnership" and not s.name.startswith("Outcome "):
            sheets.append(s)
    from cjreturns.contract.workbook_layout import build_vocabularies

    vocabularies = build_vocabularies(ref, schema)
    vocabularies["measures"] = _make_vocabulary(
        "measures", [(m.code, m.label) for m in cjpf.measures.values()]
    )
    vocabularies["priority_actions"] = _make_vocabulary(
        "priority_actions", [(k, f"{k} – {v}") for k, v in cjpf.priority_actions.items()]
    )
    return WorkbookLayout(tuple(sheets), vocabularies, schema=schema_file, schema_root=schema)


def layout_for_year(year: str | None) -> WorkbookLayout:
    """The workbook a reporting year's return is written in (the year decides the framework)."""
    from cjreturns.contract.frameworks import framework_for_year_or_latest

    if year is not None and framework_for_year_or_latest(year).id == CJPF_2023:
        return cjpf_workbook_layout()
    return workbook_layout()


def layout_for_sheets(names: Collection[str]) -> WorkbookLayout:
    """The layout a filled-in workbook was made with, known by its sheets."""
    if any(priority_action_sheet_name(pa) in names for pa in load_cjpf().priority_actions):
        return cjpf_workbook_layout()
    return workbook_layout()


@cache
def workbook_layouts() -> LayoutChoice:
    """Both frameworks' workbooks, for a reader to tell which one it has been given."""
    return LayoutChoice(frozenset(every_sheet_name()), layout_for_sheets)


def every_sheet_name() -> set[str]:
    """The sheets either layout reads."""
    return {s.name for s in workbook_layout().sheets} | {
        s.name for s in cjpf_workbook_layout().sheets
    }
