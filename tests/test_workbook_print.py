"""The blank workbook as a coordinator reads and prints it: a Guidance sheet without jargon or
commands, and print settings that keep every column on the page (checked in LibreOffice)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from workbook_helpers import blank_workbook


def _guidance_text() -> list[str]:
    ws = load_workbook(io.BytesIO(blank_workbook()))["Guidance"]
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def test_guidance_has_no_commands_backticks_or_jargon() -> None:
    text = _guidance_text()
    assert not [t for t in text if "`" in t or "cjreturns" in t.lower()]
    assert not [t for t in text if "schema" in t.lower()]
    check = next(t for t in text if t.startswith("Check the workbook before sending it"))
    assert "check-your-return.html" in check and "never leaves your computer" in check
    assert any(t.startswith("More rows: every row of a table is read") for t in text)


def test_guidance_describes_sheets_laid_out_alike_once() -> None:
    ws = load_workbook(io.BytesIO(blank_workbook()))["Guidance"]
    sheets = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert "Outcome 1 to Outcome 7" in sheets
    assert "Outcome 2" not in sheets
    rows = [
        (ws.cell(r, 2).value, ws.cell(r, 3).value)
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, 1).value == "Outcome 1 to Outcome 7"
    ]
    assert len(rows) == len(set(rows)) and ("Title", rows[0][1]) == rows[0]
    widths = [ws.column_dimensions[c].width for c in "ABC"]
    assert all(w <= 80 for w in widths), widths


def test_every_sheet_prints_to_the_page_width_with_its_headings() -> None:
    wb = load_workbook(io.BytesIO(blank_workbook()))
    for ws in wb.worksheets:
        if ws.sheet_state == "hidden":
            continue
        setup = ws.page_setup
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert int(setup.paperSize) == int(ws.PAPERSIZE_A4)
    outcome = wb["Outcome 1"]
    assert outcome.page_setup.orientation == "landscape"
    assert outcome.print_title_rows == "$1:$4"  # down to the activities' column headings
    assert wb["Guidance"].page_setup.orientation == "portrait"


@pytest.mark.slow
def test_the_blank_workbook_prints_on_few_pages_in_libreoffice(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdfinfo = shutil.which("pdfinfo")
    if soffice is None or pdfinfo is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice and poppler-utils are installed in CI (.ci/run)")
        pytest.skip("LibreOffice or poppler-utils is not installed")
    book = tmp_path / "blank.xlsx"
    book.write_bytes(blank_workbook())
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    info = subprocess.run(
        [pdfinfo, str(tmp_path / "blank.pdf")], check=True, capture_output=True, text=True
    ).stdout
    pages = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    # 118 pages with columns split before these settings; one page or so per sheet now
    assert pages <= 20, pages
