"""An accessible statistics workbook in the UK Government Analysis Function style.

Cover sheet, contents (with links), notes, then one table per sheet: a title in A1, short lines
of notes in column A, then a single header row at a fixed row, marked as an Excel table. No
merged cells, no blank columns, no colour-only meaning. Shorthand ([c], [x]) is explained on the
cover and notes sheets. Every text cell is neutralised against formula injection.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cjreturns.outputs.files import reproducible_zip
from cjreturns.readers.cells import neutralise as neutralise_text

# Rows above a table: title (1), then exactly these many note lines, so every table's header
# row is at the same place and screen-reader users and macros can rely on it.
NOTE_LINES = 3
HEADER_ROW = 1 + NOTE_LINES + 1

CONFIDENTIAL = "[c]"
NOT_AVAILABLE = "[x]"
SHORTHAND = {
    CONFIDENTIAL: "confidential: a partnership-level figure below 5 is not shown, so that "
    "individuals cannot be identified. National totals include it.",
    NOT_AVAILABLE: "not available: the partnership did not report this figure, or there is no "
    "figure to show.",
}

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value: Any) -> Any:
    """Make text safe to put in a spreadsheet cell or CSV field.

    Formula text is guarded by the one spreadsheet-text policy (`readers.cells.neutralise`: an
    apostrophe before = + - @ tab or carriage return wherever a spreadsheet could start a cell,
    also after `,` `;` tab and line breaks). Control characters that .xlsx cannot hold are
    dropped. Numbers and other values pass through unchanged.
    """
    if not isinstance(value, str):
        return value
    return neutralise_text(_ILLEGAL.sub("", value))


@dataclass(frozen=True)
class SheetTable:
    """One table for one sheet. `notes` are the short lines between the title and the table."""

    sheet: str
    title: str
    notes: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    csv_name: str = ""

    def __post_init__(self) -> None:
        if len(self.notes) != NOTE_LINES:
            raise ValueError(f"{self.sheet}: exactly {NOTE_LINES} note lines above a table")
        if len(set(self.columns)) != len(self.columns):
            raise ValueError(f"{self.sheet}: column headings must be unique")


def _width(values: Sequence[Any]) -> float:
    longest = max((len(str(v)) for v in values if v is not None), default=8)
    return float(min(max(longest + 2, 10), 60))


def statistics_workbook(
    tables: Sequence[SheetTable],
    *,
    title: str,
    cover: Sequence[tuple[str, str]],
    notes: Sequence[tuple[str, str]],
) -> bytes:
    """The whole workbook as .xlsx bytes.

    `cover` is (heading, paragraph) pairs; `notes` is (note number, note text) pairs.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink
    from openpyxl.worksheet.table import Table, TableStyleInfo

    wb = Workbook()
    heading, subheading = Font(bold=True, size=15), Font(bold=True, size=12)

    ws = wb.active
    assert ws is not None
    ws.title = "Cover"
    ws["A1"] = neutralise(title)
    ws["A1"].font = heading
    row = 2
    for head, text in cover:
        ws.cell(row=row, column=1, value=neutralise(head)).font = subheading
        # long paragraphs wrap inside the column instead of running on as one line
        paragraph = ws.cell(row=row + 1, column=1, value=neutralise(text))
        paragraph.alignment = Alignment(wrap_text=True, vertical="top")
        row += 2
    ws.column_dimensions["A"].width = 100

    sheets: list[tuple[str, str, tuple[str, ...], list[tuple[Any, ...]]]] = [
        (
            "Contents",
            "Contents",
            (
                "This worksheet contains one table.",
                "Select a sheet name to go to that table.",
                "Shorthand used in the tables is explained on the Cover and Notes sheets.",
            ),
            [(t.sheet, t.title) for t in tables],
        ),
        (
            "Notes",
            "Notes",
            (
                "This worksheet contains one table.",
                "Each note says which tables it applies to.",
                f"Shorthand: {CONFIDENTIAL} confidential, {NOT_AVAILABLE} not available.",
            ),
            list(notes),
        ),
    ]
    headers = {"Contents": ("Sheet name", "Table title"), "Notes": ("Note number", "Note text")}
    for name, sheet_title, lines, rows in sheets:
        _write_table(
            wb, name, sheet_title, lines, headers[name], rows, Font, Table, TableStyleInfo, heading
        )
    contents = wb["Contents"]
    for i, t in enumerate(tables):
        cell = contents.cell(row=HEADER_ROW + 1 + i, column=1)
        # An in-workbook link (location), not a file or web address.
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{t.sheet}'!A1", display=t.sheet)
        cell.style = "Hyperlink"
    for t in tables:
        _write_table(
            wb,
            t.sheet,
            t.title,
            t.notes,
            t.columns,
            list(t.rows),
            Font,
            Table,
            TableStyleInfo,
            heading,
        )

    return _reproducible_bytes(wb)


def _reproducible_bytes(wb: Any) -> bytes:
    """Save with fixed dates (document properties and zip entries) instead of "now", so the
    same counts always give byte-identical tables."""
    import datetime as dt
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    wb.properties.created = wb.properties.modified = dt.datetime(2000, 1, 1)
    wb.properties.creator = "cjreturns"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    return reproducible_zip(raw.getvalue())


def _write_table(
    wb: Any,
    sheet: str,
    title: str,
    lines: Sequence[str],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    font: Any,
    table: Any,
    style: Any,
    heading: Any,
) -> None:
    ws = wb.create_sheet(sheet)
    ws["A1"] = neutralise(title)
    ws["A1"].font = heading
    for i, line in enumerate(lines, start=2):
        ws.cell(row=i, column=1, value=neutralise(line))
    from openpyxl.styles import Alignment

    for j, name in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=j, value=neutralise(name))
        cell.font = font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")  # long headings wrap
    for i, values in enumerate(rows, start=HEADER_ROW + 1):
        for j, value in enumerate(values, start=1):
            cell = ws.cell(row=i, column=j, value=neutralise(value))
            if isinstance(value, float):
                cell.number_format = "#,##0.00"
            elif isinstance(value, int) and not isinstance(value, bool) and value >= 10_000:
                cell.number_format = "#,##0"  # populations and totals, read at a glance
    from openpyxl.utils import get_column_letter

    for j, name in enumerate(columns, start=1):
        # wide enough for the values and the heading's longest word; the heading wraps
        longest = max(str(name).split() or [""], key=len)
        width = _width([longest, *(r[j - 1] for r in rows)])
        ws.column_dimensions[get_column_letter(j)].width = max(width, min(len(str(name)), 24))
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    if rows:  # an Excel table needs at least one row under its header
        last = f"{get_column_letter(len(columns))}{HEADER_ROW + len(rows)}"
        t = table(
            displayName=f"table_{re.sub(r'[^A-Za-z0-9_]', '_', sheet)}", ref=f"A{HEADER_ROW}:{last}"
        )
        t.tableStyleInfo = style(
            name="TableStyleLight1",
            showRowStripes=False,
            showColumnStripes=False,
            showFirstColumn=False,
            showLastColumn=False,
        )
        ws.add_table(t)
