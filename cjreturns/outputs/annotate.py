"""A checked copy of a coordinator's workbook: their own file, with the findings put into it.

The copy gains a first sheet, "Findings" (one row per finding in workbook order: severity, a
link to the cell and what to do), and a comment and a fill on every cell a finding names. The
original is never touched. The copy must read back to the same return with the same findings
(the reader does not read the Findings sheet); a workbook holding what openpyxl would drop on
the way through (pictures, charts, pivot tables, macros, threaded comments, extensions it does
not support) is refused with a finding rather than returned poorer.
"""

from __future__ import annotations

import io
import math
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cjreturns.core.findings import FileResult, Finding
from cjreturns.outputs.files import reproducible_zip
from cjreturns.validation.engine import validate_bytes

FINDINGS_SHEET = "Findings"
AUTHOR = "Check your return"
FILLS = {"error": "FFC7CE", "warning": "FFEB9C"}  # Excel's own "bad" and "neutral" fills
REFUSED_RULE = "annotate-refused"

# Parts of an .xlsx that openpyxl does not carry through a load and save.
_DROPPED_PARTS = {
    "xl/media/": "pictures",
    "xl/charts/": "charts",
    "xl/drawings/": "drawings or pictures",
    "xl/pivotTables/": "pivot tables",
    "xl/pivotCache/": "pivot tables",
    "xl/slicers/": "slicers",
    "xl/timelines/": "timelines",
    "xl/threadedComments/": "threaded comments",
    "xl/vbaProject.bin": "macros",
    "xl/ctrlProps/": "form controls",
    "xl/embeddings/": "embedded objects",
    "customXml/": "custom XML data",
}


@dataclass(frozen=True)
class Annotated:
    """The checked copy's bytes, or None and the finding that says why it was refused."""

    data: bytes | None
    refusal: Finding | None = None


def _refuse(message: str) -> Annotated:
    return Annotated(
        None,
        Finding(
            REFUSED_RULE,
            "error",
            (),
            f"No checked copy was made: {message} The findings above still apply to your "
            "workbook; correct them there.",
        ),
    )


def _what_would_be_lost(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
    except zipfile.BadZipFile:
        return "the file is not a workbook that can be opened."
    lost = sorted(
        {
            what
            for n in names
            for part, what in _DROPPED_PARTS.items()
            if n.startswith(part) and not n.endswith(".vml")  # VML draws the comments
        }
    )
    if lost:
        return (
            f"the workbook holds {', '.join(lost)}, which would not survive in the copy. Check "
            "the original as it is, or remove them from a copy of your own and check that."
        )
    return None


def _findings_sheet(wb: Any, name: str, result: FileResult) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws = wb.create_sheet(FINDINGS_SHEET, 0)
    errors, warnings_ = len(result.errors), len(result.warnings)
    ws["A1"] = f"Findings for {name}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = (
        f"{errors:,} error{'' if errors == 1 else 's'} and {warnings_:,} "
        f"warning{'' if warnings_ == 1 else 's'}. Each row links to the cell to correct; the "
        "cell has a comment saying the same. Correct your own workbook, not this copy, and "
        "check it again."
    )
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells("A2:E2")
    ws.row_dimensions[2].height = 45
    headers = ("No.", "Severity", "Where", "What to do", "Rule")
    for column, text in enumerate(headers, start=1):
        cell = ws.cell(row=4, column=column, value=text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
    for i, f in enumerate(result.findings, start=1):
        row = 4 + i
        ws.cell(row=row, column=1, value=i)
        severity = ws.cell(row=row, column=2, value="Error" if f.severity == "error" else "Warning")
        severity.fill = PatternFill("solid", fgColor=FILLS[f.severity])
        where = ws.cell(row=row, column=3, value=f.cell or "(the whole workbook)")
        if f.cell:
            sheet, _, ref = f.cell.rpartition("!")
            if sheet in wb.sheetnames:
                quoted = sheet.replace("'", "''")
                where.hyperlink = Hyperlink(ref=where.coordinate, location=f"'{quoted}'!{ref}")
                where.font = Font(color="0563C1", underline="single")
        ws.cell(row=row, column=4, value=f.message)
        ws.cell(row=row, column=5, value=f.rule)
        for column in range(1, 6):
            ws.cell(row=row, column=column).alignment = Alignment(wrap_text=True, vertical="top")
        # openpyxl cannot measure text: the row is given a line per 85 characters of the
        # message (column D is 80 wide), as Excel and LibreOffice would otherwise show one
        ws.row_dimensions[row].height = 15 * max(1, math.ceil(len(f.message) / 85))
    for letter, width in zip("ABCDE", (6, 10, 22, 80, 24), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A5"
    ws.print_title_rows = "4:4"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False


def _mark_cells(wb: Any, result: FileResult) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    by_cell: dict[str, list[Finding]] = {}
    for f in result.findings:
        if f.cell:
            by_cell.setdefault(f.cell, []).append(f)
    for ref, found in by_cell.items():
        sheet, _, coordinate = ref.rpartition("!")
        if sheet not in wb.sheetnames:
            continue
        cell = wb[sheet][coordinate]
        text = "\n\n".join(
            f"{'Error' if f.severity == 'error' else 'Warning'}: {f.message}" for f in found
        )
        if cell.comment is not None:  # the coordinator's own note is kept under ours
            text = f"{text}\n\n(Earlier comment) {cell.comment.text}"
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 320, 160
        cell.comment = comment
        worst = "error" if any(f.severity == "error" for f in found) else "warning"
        cell.fill = PatternFill("solid", fgColor=FILLS[worst])


def _same(a: FileResult, b: FileResult) -> bool:
    def key(r: FileResult) -> list[tuple[Any, ...]]:
        return [(f.rule, f.severity, f.path, f.cell, f.message) for f in r.findings]

    return a.document == b.document and key(a) == key(b)


def annotate(name: str, data: bytes, result: FileResult | None = None) -> Annotated:
    """The checked copy of the workbook `data` (called `name`), or a refusal saying why not.

    `result` is the workbook's validation result (validated here when not given).
    """
    if Path(name).suffix.lower() != ".xlsx":
        return _refuse("only a return workbook (.xlsx) can be given a checked copy.")
    result = result or validate_bytes(name, data)
    if result.document is None:
        return _refuse("the workbook could not be read as a return.")
    lost = _what_would_be_lost(data)
    if lost:
        return _refuse(lost)
    if FINDINGS_SHEET in _sheet_names(data):
        return _refuse(
            f"the workbook already has a sheet called '{FINDINGS_SHEET}' (is it a checked copy?). "
            "Check your own workbook instead."
        )
    from openpyxl import load_workbook
    from openpyxl.writer.excel import ExcelWriter

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = load_workbook(io.BytesIO(data), keep_links=True, keep_vba=False)
    dropped = sorted({str(w.message).split(".")[0] for w in caught if "removed" in str(w.message)})
    if dropped:
        return _refuse(
            f"part of the workbook would not survive in the copy ({'; '.join(dropped)})."
        )
    _mark_cells(wb, result)
    _findings_sheet(wb, name, result)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    copy = reproducible_zip(buffer.getvalue())
    if not _same(result, validate_bytes(name, copy)):
        return _refuse(
            "the copy did not read back to the same return with the same findings, so it would "
            "mislead."
        )
    return Annotated(copy)


def _sheet_names(data: bytes) -> list[str]:
    import re

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read("xl/workbook.xml").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile):
        return []
    return re.findall(r'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', xml)


__all__ = ["FINDINGS_SHEET", "REFUSED_RULE", "Annotated", "annotate"]
