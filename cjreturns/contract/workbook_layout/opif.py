"""The workbook for returns under the 2016 Outcomes, Performance and Improvement Framework
(contract 1.0, 2016-17 to 2022-23): a sheet per national outcome, each with the indicators
usually reported under it."""

from __future__ import annotations

from typing import Any

from cjreturns.contract.frameworks import OPIF_2016
from cjreturns.contract.reference import Reference
from cjreturns.contract.workbook_layout.parts import counts_table, heading_sheet
from cjreturns.contract.workbook_layout.spec import WorkbookSpec
from cjreturns.readers.layout_model import Field, Sheet


def _outcome_sheets(
    ref: Reference, schema: dict[str, Any], activities: tuple[Field, ...]
) -> list[Sheet]:
    sheets = []
    for key in schema["properties"]["outcomes"]["required"]:
        usual = tuple(c for c, i in ref.indicators.items() if str(i.get("outcome")) == key)
        sheets.append(
            heading_sheet(
                schema,
                name=f"Outcome {key}",
                title=f"Outcome {key}: {ref.outcomes[int(key)]['text']}",
                base=("outcomes", key),
                heading="this outcome",
                under="under",
                activities=activities,
                rows=15,
                counts=(
                    counts_table(
                        "Indicators",
                        ("outcomes", key, "indicators"),
                        label="Indicator",
                        choose="an indicator",
                        vocabulary="indicators",
                        prefill=usual,
                        rows=len(usual) + 2,
                    ),
                ),
            )
        )
    return sheets


OPIF_WORKBOOK = WorkbookSpec(
    OPIF_2016,
    priority_actions=Field(
        "Priority actions",
        ("priority_actions",),
        "numbers",
        "Numbers of the 2022 strategy's priority actions (1 to 13), separated by commas. "
        "The Guidance sheet lists them.",
        width=14,
    ),
    sheets=_outcome_sheets,
    local_activity=(
        "Local activity beyond the national outcomes",
        "Activities that fit none of the seven national outcomes, one per row.",
    ),
)
