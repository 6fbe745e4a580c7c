"""The contract 2.0 workbook: `template --year 2024-25` gives a sheet per priority action in aim
order plus the outcomes' measures; every 2024-25 example survives a workbook unchanged, and
findings in a filled-in workbook point at its cells."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cjreturns.cli import app
from cjreturns.contract.workbook_layout import workbook_layouts
from cjreturns.readers import Limits, read_return
from cjreturns.readers.workbook import read_workbook
from cjreturns.validation.engine import validate_file
from cjreturns.workbook import dump_json, generate_template, workbook_bytes
from cjreturns.workbook.template import cell_map

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "returns" / "2024-25"
FILES = sorted(EXAMPLES.glob("*.*"))


def test_template_for_2024_25_has_a_sheet_per_priority_action_grouped_by_aim() -> None:
    wb = load_workbook(io.BytesIO(generate_template(year="2024-25", partnership="Fife")))
    names = wb.sheetnames
    assert names[:2] == ["Guidance", "Partnership"]
    assert names[2:15] == [f"Priority action {i}" for i in range(1, 14)]
    assert names[15] == "Outcomes and measures"
    assert names[16:] == ["Local activity", "Achievements", "Challenges", "Recommendations",
                          "Next steps", "Lists"]  # fmt: skip
    titles = [wb[f"Priority action {i}"]["A1"].value for i in (1, 2, 3, 7, 11, 13)]
    assert titles == [
        "Aim 1 – priority action 1: Diversion and direct measures",
        "Aim 1 – priority action 2: Support following arrest and in police custody",
        "Aim 2 – priority action 3: Bail services as alternatives to remand",
        "Aim 3 – priority action 7: Health and social care on release from prison",
        "Aim 4 – priority action 11: Leadership, governance and strategic planning",
        "Aim 4 – priority action 13: Understanding and confidence; reducing stigma",
    ]
    measures = [c.value for c in wb["Outcomes and measures"]["A"] if c.value]
    assert "Diversion from prosecution cases commenced" in measures
    assert (
        "Outcome 9: More people across the workforce and in the community understand, and "
        "have confidence in, community justice" in measures
    )
    guidance = [c.value for c in wb["Guidance"]["A"] if c.value]
    assert "Aims of the National Strategy for Community Justice (2022)" in guidance
    assert "National outcomes" not in guidance
    blank = read_workbook(
        generate_template(year="2024-25", partnership="Fife"), Limits(), workbook_layouts()
    )
    assert blank.document is not None
    assert blank.document["schema_version"] == "2.0"
    assert blank.document["reporting_year"] == "2024-25"


def test_template_for_2021_22_is_still_the_2016_workbook() -> None:
    wb = load_workbook(io.BytesIO(generate_template(year="2021-22")))
    assert "Outcome 1" in wb.sheetnames and "Priority action 1" not in wb.sheetnames


@pytest.mark.parametrize("example", FILES, ids=[p.name for p in FILES])
def test_every_2024_25_example_survives_a_workbook_unchanged(example: Path) -> None:
    original = read_return(example).document
    assert isinstance(original, dict)
    back = read_workbook(workbook_bytes(original), Limits(), workbook_layouts())
    # a return without a sign-off shows a blank sign-off block, which the workbook warns about
    expected = [] if "sign_off" in original else [("workbook-blank", "Partnership!B16")]
    assert [(f.rule, f.cell) for f in back.findings] == expected
    assert back.document == original
    assert dump_json(back.document) == dump_json(original)


def test_findings_in_a_v2_workbook_point_at_cells(tmp_path: Path) -> None:
    doc = read_return(EXAMPLES / "fife.yaml").document
    assert isinstance(doc, dict)
    doc["outcomes"]["1"]["measures"]["diversion_completed"] = 999
    path = tmp_path / "fife.xlsx"
    path.write_bytes(workbook_bytes(doc))
    result = validate_file(path, year="2024-25")
    where = cell_map(doc)[("outcomes", "1", "measures", "diversion_completed")]
    assert [(f.rule, f.cell) for f in result.findings] == [
        ("measure-completed-exceeds-commenced", where)
    ]


def test_cli_template_year_2026_27(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    result = CliRunner().invoke(app, ["template", "--year", "2026-27", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Priority action 13" in load_workbook(out).sheetnames
