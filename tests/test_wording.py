"""Findings in the words of the format the user wrote: a workbook's name the sheet, the label
printed for the cell and the cell, show drop-down labels, and never a key or a command."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner
from workbook_helpers import small_return, small_workbook, type_into

from cjreturns.cli import app
from cjreturns.validation.engine import validate_bytes, validate_file
from cjreturns.workbook import workbook_bytes


def _broken() -> dict:
    doc = small_return()
    act = doc["outcomes"]["1"]["activities"][0]
    act["themes"] = ["stigma_awarenes"]
    act["status"] = "finished"
    del doc["outcomes"]["2"]["activities"][0]["description"]
    doc["outcomes"]["4"]["indicators"]["diversion_commenced"] = 999
    doc["outcomes"]["5"]["case_studies"][0]["consent_confirmed"] = False
    doc["contact"]["email"] = "nobody"
    return doc


def test_workbook_findings_are_in_the_workbooks_words() -> None:
    result = validate_bytes("fife.xlsx", workbook_bytes(_broken()))
    assert [(f.cell, f.label, f.message) for f in result.findings] == [
        (
            "Partnership!B11",
            "Coordinator's email",
            "Partnership sheet, 'Coordinator's email' (B11): this is not an email address.",
        ),
        (
            "Outcome 1!C5",
            "Theme 1",
            "Outcome 1 sheet, 'Theme 1' (C5): 'stigma_awarenes' is not one of the choices in "
            "the drop-down list. Did you mean 'Challenging stigma and raising awareness'? Choose "
            "one from the drop-down list.",
        ),
        (
            "Outcome 1!F5",
            "Status",
            "Outcome 1 sheet, 'Status' (F5): 'finished' is not one of the choices in the "
            "drop-down list. Use one of: Planned, In progress, Completed.",
        ),
        (
            "Outcome 2!B5",
            "Description",
            "Outcome 2 sheet, 'Description' (B5): this is required. Fill it in.",
        ),
        (
            "Outcome 4!B28",
            "Number",
            "Outcome 4 sheet, 'Number' (B28): this is 999, more than 'Diversion from "
            "prosecution referrals received' (300), which it is part of. Correct whichever "
            "figure is wrong.",
        ),
        (
            "Outcome 5!C35",
            "Consent confirmed",
            "Outcome 5 sheet, 'Consent confirmed' (C35): case study 1 under outcome 5: consent "
            "is false. A case study can only be used with the person's consent: set 'Consent "
            "confirmed' to Yes once it is given, or remove the case study.",
        ),
    ]
    for f in result.findings:
        assert "`" not in f.message and "cjreturns" not in f.message


def test_yaml_and_json_keep_keys_and_line_column(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(_broken(), indent=1), encoding="utf-8")
    result = validate_file(path)
    email = next(f for f in result.findings if f.dotted_path == "contact.email")
    assert email.message == "`email` is not an email address (at contact.email)."
    assert email.line is not None and email.cell is None and email.label is None
    theme = next(f for f in result.findings if f.rule == "unknown-code" and "theme" in f.message)
    assert "`cjreturns codes themes` lists them" in theme.message


def test_dates_get_the_cells_own_advice() -> None:
    data = type_into(small_workbook(), {"Partnership!B18": "31st March 2022"})
    (f,) = [f for f in validate_bytes("fife.xlsx", data).findings if f.rule == "bad-format"]
    assert f.message == (
        "Partnership sheet, 'Date signed off' (B18): '31st March 2022' is not a date Excel "
        "recognises. Type a date, e.g. 29/09/2022."
    )


def test_a_blank_sign_off_block_is_a_finding() -> None:
    cells = {f"Partnership!B{r}": None for r in range(16, 21)}
    result = validate_bytes("fife.xlsx", type_into(small_workbook(), cells))
    blank = [(f.severity, f.cell, f.message) for f in result.findings if f.rule == "workbook-blank"]
    assert blank == [
        (
            "warning",
            "Partnership!B16",
            "Partnership sheet, 'Signed off by' (B16): the sign-off is blank. Fill in who signed "
            "the return off, their role and the date, and answer both questions: the return is "
            "the partnership's agreed return only once it is signed off.",
        ),
    ]
    # one answer in the block is not a blank block
    partly = {**cells, "Partnership!B16": "A. Chair"}
    again = validate_bytes("fife.xlsx", type_into(small_workbook(), partly))
    assert [f.cell for f in again.findings if f.rule == "workbook-blank"] == []


def test_json_output_carries_path_cell_and_label(tmp_path: Path) -> None:
    path = tmp_path / "fife.xlsx"
    path.write_bytes(workbook_bytes(_broken()))
    result = CliRunner().invoke(app, ["validate", str(path), "--format", "json"])
    (first, *_) = json.loads(result.output)["files"][0]["findings"]
    assert (first["path"], first["cell"], first["label"]) == (
        "contact.email",
        "Partnership!B11",
        "Coordinator's email",
    )
    text = CliRunner().invoke(app, ["validate", str(path)]).output
    assert "contact.email" not in text  # the text report names the cell, not the key
    assert "Partnership!B11" in text
