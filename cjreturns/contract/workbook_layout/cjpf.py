"""The workbook for returns under the 2023 Community Justice Performance Framework (contract 2.0,
2023-24 on): a sheet per priority action (in aim order, each titled with its aim) instead of a
sheet per outcome, then one sheet for the framework's outcomes: their measures and narrative.
The Partnership sheet adds the Community Justice Improvement Tool."""

from __future__ import annotations

from typing import Any

from cjreturns.contract.frameworks import CJPF_2023, load_cjpf
from cjreturns.contract.reference import Reference
from cjreturns.contract.workbook_layout.parts import counts_table, heading_sheet
from cjreturns.contract.workbook_layout.spec import WorkbookSpec
from cjreturns.contract.workbook_layout.vocabularies import make_vocabulary
from cjreturns.core.findings import DocPath
from cjreturns.readers.layout_model import Block, Field, Form, Sheet, Vocabulary

OUTCOMES_SHEET = "Outcomes and measures"


def priority_action_sheet_name(pa: int) -> str:
    return f"Priority action {pa}"


def _sheets(ref: Reference, schema: dict[str, Any], activities: tuple[Field, ...]) -> list[Sheet]:
    cjpf = load_cjpf()
    sheets = [
        heading_sheet(
            schema,
            name=priority_action_sheet_name(pa),
            title=f"Aim {aim.id} – priority action {pa}: {cjpf.priority_actions[pa]}",
            base=("priority_actions", str(pa)),
            heading="this priority action",
            under="towards",
            activities=activities,
            rows=10,
        )
        for aim in cjpf.aims
        for pa in aim.priority_actions
    ]
    sheets.append(_outcomes_sheet())
    return sheets


def _outcomes_sheet() -> Sheet:
    cjpf = load_cjpf()
    blocks: list[Block] = []
    for number, outcome in cjpf.outcomes.items():
        base: DocPath = ("outcomes", str(number))
        codes = tuple(m.code for m in cjpf.measures_of(number))
        if codes:
            blocks.append(
                counts_table(
                    f"Outcome {number}: measures",
                    (*base, "measures"),
                    label="Measure",
                    choose="a measure",
                    vocabulary="measures",
                    prefill=codes,
                    rows=len(codes),
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


def _vocabularies() -> dict[str, Vocabulary]:
    """The measures, and the priority actions in the 2022 strategy's words."""
    cjpf = load_cjpf()
    return {
        "measures": make_vocabulary(
            "measures", [(m.code, m.label) for m in cjpf.measures.values()]
        ),
        "priority_actions": make_vocabulary(
            "priority_actions", [(k, f"{k} – {v}") for k, v in cjpf.priority_actions.items()]
        ),
    }


def _priority_action_sheets() -> frozenset[str]:
    return frozenset(priority_action_sheet_name(pa) for pa in load_cjpf().priority_actions)


IMPROVEMENT_TOOL = Form(
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

CJPF_WORKBOOK = WorkbookSpec(
    CJPF_2023,
    priority_actions=Field(
        "Also serves priority actions",
        ("also_priority_actions",),
        "numbers",
        "Other priority actions (1 to 13) this activity also serves, separated by commas. "
        "The Guidance sheet lists them.",
        width=14,
    ),
    sheets=_sheets,
    local_activity=(
        "Local activity beyond the priority actions",
        "Activities that serve none of the 13 priority actions, one per row.",
    ),
    partnership=(IMPROVEMENT_TOOL,),
    vocabularies=_vocabularies,
    marks=_priority_action_sheets,
)
