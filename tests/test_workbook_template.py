"""The blank workbook: sheets, headings, drop-downs, validation, protection, the committed copy."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from workbook_helpers import blank_workbook

from cjreturns.contract.reference import load_reference
from cjreturns.contract.schema import load_schema
from cjreturns.contract.workbook_layout import workbook_layout
from cjreturns.core.errors import UsageError
from cjreturns.readers.layout_model import Form
from cjreturns.workbook import generate_template

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "return-2021-22.xlsx"

ACTIVITY_HEADERS = [
    "Title", "Description", "Theme 1", "Theme 2", "Theme 3", "Status", "Priority actions",
    "Statutory partner 1", "Statutory partner 2", "Statutory partner 3", "Statutory partner 4",
    "Other public bodies", "Third sector organisations", "Lead organisation", "Start date",
    "End date", "Impact", "Figures", "Links",
]  # fmt: skip


@pytest.fixture(scope="module")
def wb() -> Any:
    return load_workbook(io.BytesIO(blank_workbook()))


def _validation(ws: Any, cell: str) -> Any:
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, f"{ws.title}!{cell} has {len(found)} validations"
    return found[0]


def _list_values(wb: Any, formula: str) -> list[str]:
    sheet, ref = formula.split("!")
    return [c.value for (c,) in wb[sheet][ref.replace("$", "")]]


def test_sheets_are_the_return_in_order(wb: Any) -> None:
    assert wb.sheetnames == [
        "Guidance", "Partnership", *(f"Outcome {n}" for n in range(1, 8)), "Local activity",
        "Achievements", "Challenges", "Recommendations", "Next steps", "Lists",
    ]  # fmt: skip
    assert [ws.sheet_state for ws in wb.worksheets].count("hidden") == 1
    assert wb["Lists"].sheet_state == "hidden"
    assert wb.security.lockStructure


def test_outcome_sheets_have_a_heading_and_one_header_row(wb: Any) -> None:
    ref = load_reference()
    for n in range(1, 8):
        ws = wb[f"Outcome {n}"]
        assert ws["A1"].value == f"Outcome {n}: {ref.outcomes[n]['text']}"
        assert ws["A3"].value == "Activities"
        assert [c.value for c in ws[4]] == ACTIVITY_HEADERS
        assert ws.freeze_panes == "B5"
        assert not ws.merged_cells.ranges
    assert [c.value for c in wb["Local activity"][4]] == ACTIVITY_HEADERS


def test_drop_downs_show_labels_from_the_reference(wb: Any) -> None:
    ref = load_reference()
    ws = wb["Outcome 1"]
    themes = _validation(ws, "D5")
    assert themes.type == "list" and themes.showErrorMessage
    assert _list_values(wb, themes.formula1) == [t["name"] for t in ref.themes.values()]
    assert _list_values(wb, _validation(ws, "F5").formula1) == [
        "Planned", "In progress", "Completed",
    ]  # fmt: skip
    partners = _list_values(wb, _validation(ws, "H5").formula1)
    assert partners == list(ref.statutory_partners.values())
    assert _validation(ws, "C35").formula1 == '"Yes,No"'  # case study consent
    assert _list_values(wb, _validation(ws, "B22").formula1)[0] == "6 – Excellent"
    # The partnership name is suggested from the list, and an alias is still allowed.
    name = _validation(wb["Partnership"], "B4")
    assert _list_values(wb, name.formula1)[0] == "Aberdeen City"
    assert name.errorStyle == "warning"


def test_indicators_take_whole_numbers_and_list_the_outcomes_usual_indicators(wb: Any) -> None:
    ws = wb["Outcome 4"]
    assert ws["A25"].value == "Indicators"
    assert [ws["A26"].value, ws["B26"].value] == ["Indicator", "Number"]
    usual = [i["name"] for i in load_reference().indicators.values() if i["outcome"] == 4]
    assert [ws.cell(row=r, column=1).value for r in range(27, 27 + len(usual))] == usual
    number = _validation(ws, "B27")
    assert (number.type, number.operator, number.formula1) == ("whole", "greaterThanOrEqual", "0")


def test_input_cells_are_unlocked_and_everything_else_is_protected(wb: Any) -> None:
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        assert not ws.protection.password
    ws = wb["Outcome 1"]
    assert ws["A4"].protection.locked and ws["A1"].protection.locked
    assert not ws["A5"].protection.locked and not ws["S19"].protection.locked
    partnership = wb["Partnership"]
    assert partnership["A4"].value == "Partnership name" and partnership["A4"].protection.locked
    assert not partnership["B4"].protection.locked
    assert partnership["B5"].value == "2021-22" and partnership["B7"].value == "1.0"


def test_narrative_columns_are_wide_and_wrapped(wb: Any) -> None:
    ws = wb["Outcome 2"]
    assert ws.column_dimensions["B"].width >= 60
    assert ws["B5"].alignment.wrap_text
    assert wb["Partnership"].column_dimensions["B"].width >= 60


def test_guidance_explains_every_column(wb: Any) -> None:
    ws = wb["Guidance"]
    text = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Community justice annual return 2021-22" in text
    assert any("30 September 2022" in t for t in text)
    for _, _, field in workbook_layout().fields():
        if "Leave as it is" not in field.help:  # nothing for a person to do there
            assert field.help in text, field.label


def test_layout_covers_every_field_of_the_schema() -> None:
    """Each leaf of the schema has a cell, so a return in any format fits in a workbook."""
    schema = load_schema()

    def leaves(node: Any, path: tuple[str, ...]) -> set[tuple[str, ...]]:
        while "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        if node.get("type") == "object" and "properties" in node:
            return {p for k, v in node["properties"].items() for p in leaves(v, (*path, k))}
        if node.get("type") == "object":  # a mapping (partners, indicators)
            return {(*path, "*")}
        if node.get("type") == "array" and (
            node["items"].get("type") == "object" or "$ref" in node["items"]
        ):
            return leaves(node["items"], (*path, "*"))
        return {path}

    covered: set[tuple[str, ...]] = set()
    for _, block, field in workbook_layout().fields():
        if isinstance(block, Form):
            path = (*block.base, *field.path)
            covered.add((*path[:-1], "*") if block.base == ("governance", "partners") else path)
        elif block.mapping or not field.path:  # a mapping, or a list of plain text
            covered.add(tuple(str(p) for p in block.path))
        else:
            covered.add(tuple(str(p) for p in (*block.path, "*", *field.path)))
    covered = {tuple("*" if p.isdigit() else p for p in c) for c in covered}
    wanted = {tuple("*" if p.isdigit() else p for p in leaf) for leaf in leaves(schema, ())}
    # A cell may hold a whole list of objects (figures: one per line), covering what is below.
    assert {w for w in wanted if not any(w[: len(c)] == c for c in covered)} == set()


def test_generation_is_deterministic() -> None:
    assert generate_template(year="2021-22") == blank_workbook()


def _contents(data: bytes) -> dict[str, Any]:
    wb = load_workbook(io.BytesIO(data))
    out: dict[str, Any] = {"sheets": wb.sheetnames}
    for ws in wb.worksheets:
        out[ws.title] = {
            "state": ws.sheet_state,
            "cells": {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value},
            "unlocked": sorted(
                c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked
            ),
            "validations": sorted(
                (dv.type, dv.formula1, dv.formula2, str(dv.sqref))
                for dv in ws.data_validations.dataValidation
            ),
            "freeze": ws.freeze_panes,
            "protected": ws.protection.sheet,
        }
    return out


def test_the_committed_template_is_what_the_generator_makes_now() -> None:
    """If this fails: `cjreturns template --out templates/return-2021-22.xlsx --force`."""
    assert _contents(TEMPLATE.read_bytes()) == _contents(blank_workbook())


def test_partnership_and_year_options() -> None:
    wb = load_workbook(io.BytesIO(generate_template(partnership="Western Isles", year="2022-23")))
    assert wb["Partnership"]["B4"].value == "Na h-Eileanan Siar"
    assert wb["Partnership"]["B5"].value == "2022-23"
    assert wb["Guidance"]["A1"].value == "Community justice annual return 2022-23"
    with pytest.raises(UsageError, match="not a partnership"):
        generate_template(partnership="Atlantis")
    with pytest.raises(UsageError, match="not a reporting year"):
        generate_template(year="2022")
