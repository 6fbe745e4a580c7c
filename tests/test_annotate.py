"""`cjreturns validate WORKBOOK --annotate COPY`: the coordinator's own workbook with the
findings in it, read back with openpyxl and checked to hold the same return."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner
from workbook_helpers import small_workbook, type_into

from cjreturns.cli import app
from cjreturns.outputs.annotate import FINDINGS_SHEET, annotate
from cjreturns.validation.engine import validate_bytes

BROKEN_CELLS = {
    "Partnership!B11": None,  # the coordinator's email, required
    "Partnership!B18": "31st March 2022",
    "Partnership!B19": "No",
}


def broken() -> bytes:
    return type_into(small_workbook(), BROKEN_CELLS)


def test_the_copy_has_the_findings_sheet_first_comments_and_fills() -> None:
    data = broken()
    result = validate_bytes("fife.xlsx", data)
    assert {f.cell for f in result.findings} >= {"Partnership!B11", "Partnership!B18"}
    copy = annotate("fife.xlsx", data, result)
    assert copy.refusal is None and copy.data is not None
    wb = load_workbook(io.BytesIO(copy.data))
    assert wb.sheetnames[0] == FINDINGS_SHEET
    assert wb.sheetnames[1:] == load_workbook(io.BytesIO(data)).sheetnames
    ws = wb[FINDINGS_SHEET]
    assert [c.value for c in ws[4]] == ["No.", "Severity", "Where", "What to do", "Rule"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert rows == [
        [i, f.severity.title(), f.cell, f.message, f.rule]
        for i, f in enumerate(result.findings, start=1)
    ]
    link = ws["C5"].hyperlink
    assert link is not None and link.location == "'Partnership'!B11"
    for f in result.findings:
        sheet, _, ref = (f.cell or "").rpartition("!")
        cell = wb[sheet][ref]
        assert cell.comment is not None and f.message in cell.comment.text
        expected = "FFC7CE" if f.severity == "error" else "FFEB9C"
        assert cell.fill.fgColor.rgb.endswith(expected)
    assert wb["Partnership"]["B16"].comment is None  # a cell without a finding is left alone


def test_the_copy_reads_back_to_the_same_return_and_findings() -> None:
    data = broken()
    result = validate_bytes("fife.xlsx", data)
    copy = annotate("fife.xlsx", data, result).data
    assert copy is not None
    again = validate_bytes("fife-checked.xlsx", copy)
    assert again.document == result.document
    assert again.findings == result.findings


def test_a_checked_copy_or_a_workbook_with_pictures_is_refused() -> None:
    data = broken()
    copy = annotate("fife.xlsx", data).data
    assert copy is not None
    refused = annotate("fife-checked.xlsx", copy)
    assert refused.data is None and refused.refusal is not None
    assert refused.refusal.rule == "annotate-refused"
    assert "already has a sheet called 'Findings'" in refused.refusal.message
    # a picture openpyxl would drop on the way through
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/media/image1.png", b"\x89PNG\r\n\x1a\n")
    refused = annotate("fife.xlsx", out.getvalue())
    assert refused.refusal is not None and "pictures" in refused.refusal.message


def test_cli_writes_the_copy_and_never_touches_the_original(tmp_path: Path) -> None:
    original = tmp_path / "fife.xlsx"
    original.write_bytes(broken())
    before = original.read_bytes()
    out = tmp_path / "fife-checked.xlsx"
    runner = CliRunner()
    result = runner.invoke(app, ["validate", str(original), "--annotate", str(out)])
    assert result.exit_code == 1, result.output
    assert "Wrote the checked copy" in result.stderr
    assert original.read_bytes() == before
    assert load_workbook(out).sheetnames[0] == FINDINGS_SHEET
    again = runner.invoke(app, ["validate", str(original), "--annotate", str(out)])
    assert again.exit_code == 2 and "already exists" in again.output
    same = runner.invoke(app, ["validate", str(original), "--annotate", str(original)])
    assert same.exit_code == 2 and "never changed" in same.output
    refused = runner.invoke(app, ["validate", str(out), "--annotate", str(tmp_path / "x.xlsx")])
    assert refused.exit_code == 1
    assert "annotate-refused" in refused.output and not (tmp_path / "x.xlsx").exists()
