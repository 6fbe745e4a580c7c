"""The workbook's first sheet, Guidance: how to fill the workbook in and check it, the
framework's outcomes (and aims) and the priority actions, and what goes in every question or
column. The reader does not read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from cjreturns.contract.reference import load_reference
from cjreturns.core.calendar import long_date, parse_year
from cjreturns.readers.layout_model import GUIDANCE_SHEET, Sheet
from cjreturns.workbook.formatting import fit_rows, print_setup, protect
from cjreturns.workbook.sheets import SheetWriter

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# A table of fixed text on the sheet: its title, its header row and its rows.
GuidanceTable = tuple[str, tuple[str, ...], Sequence[tuple[str, ...]]]


def _paragraphs(year: str) -> list[str]:
    calendar = load_reference().calendar
    due_text = (
        long_date(calendar.due(year)) if parse_year(year) is not None else calendar.due_text()
    )
    return [
        "This workbook is your partnership's annual return to Community Justice Scotland "
        f"for {year} ({calendar.span_text()}). Please send it by {due_text}.",
        "Fill in the white cells on each sheet. Grey cells are headings and cannot be "
        "changed. The sheets are protected without a password only to keep headings safe: "
        "Review > Unprotect Sheet removes the protection if you need to.",
        "Where a cell has a drop-down list, choose from it. One row is one activity; "
        "leave rows you do not need empty.",
        "Names and links in one cell: put each on its own line (Alt+Enter starts a new "
        "line in a cell), or separate them with semicolons.",
        "Figures: one per line, written as what was counted, a colon, the number and the "
        "unit, for example: people attending: 96 people.",
        "Personal data belongs only in Contact and Sign-off. Case studies and other text "
        "must not identify anyone, and a case study needs the person's consent.",
        "Type values, not formulas: formulas are not read.",
        "More rows: every row of a table is read, however many there are. If a table is "
        "full (more activities, case studies or challenges than it has rows), unprotect "
        "the sheet (Review > Unprotect Sheet), select the last row of the table, and use "
        "Insert > Insert Sheet Rows; or ask Community Justice Scotland for a workbook with "
        "more rows.",
        "Check the workbook before sending it: open the check page (the file "
        "check-your-return.html that comes with this workbook) in Chrome, Edge or Firefox "
        "and choose this workbook. It lists every problem with the sheet and the cell to "
        "correct, and gives you a copy of the workbook with each problem marked. Your "
        "file never leaves your computer: the page works without an internet connection.",
    ]


def _framework_tables(schema: str) -> list[GuidanceTable]:
    """The national outcomes (2016), or the strategy's aims then the framework's outcomes
    (2023), each as (title, header, rows)."""
    ref = load_reference()
    if schema == "return.schema.json":
        return [
            (
                "National outcomes",
                ("Outcome", "What it means"),
                [(str(k), o["text"]) for k, o in sorted(ref.outcomes.items())],
            )
        ]
    from cjreturns.contract.frameworks import load_cjpf

    cjpf = load_cjpf()
    return [
        (
            "Aims of the National Strategy for Community Justice (2022)",
            ("Aim", "Aim and its priority actions"),
            [
                (str(a.id), f"{a.text} (priority actions "
                 f"{', '.join(map(str, a.priority_actions))})")
                for a in cjpf.aims
            ],
        ),
        (
            "Outcomes of the Community Justice Performance Framework (2023)",
            ("Outcome", "What it means"),
            [(str(k), o.text) for k, o in cjpf.outcomes.items()],
        ),
    ]  # fmt: skip


def guidance_sheet(writer: SheetWriter, year: str) -> None:
    """Write the Guidance sheet, first in the workbook, for a return of `year`."""
    from openpyxl.utils import get_column_letter

    ws = writer.wb.create_sheet(GUIDANCE_SHEET, 0)
    writer.wrapped = []
    ref = load_reference()
    row = 1
    writer.fixed(ws, row, 1, f"Community justice annual return {year}", "title")
    # Paragraphs wrap in column A at a readable line length (no merged cells: screen
    # readers lose their way in them); the tables below use columns A to C.
    widths: dict[int, float] = {1: 70, 2: 34, 3: 60}
    for text in _paragraphs(year):
        row += 1
        writer.fixed(ws, row, 1, text, "help")
    row += 2
    tables: list[GuidanceTable] = [
        *_framework_tables(writer.layout.schema),
        (
            "Priority actions (National Strategy for Community Justice, 2022)",
            ("Number", "Priority action"),
            [(str(k), v) for k, v in sorted(ref.priority_actions.items())],
        ),
        (
            "What goes where",
            ("Sheet", "Column or question", "What to enter"),
            what_goes_where(writer.layout.sheets),
        ),
    ]
    for title, header, rows in tables:
        row = _table(writer, ws, row, title, header, rows)
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width
    fit_rows(ws, widths, writer.wrapped)
    print_setup(ws, wide=False, title_rows=None)
    protect(ws)


def _table(
    writer: SheetWriter,
    ws: Worksheet,
    row: int,
    title: str,
    header: tuple[str, ...],
    rows: Sequence[tuple[str, ...]],
) -> int:
    """A titled table of fixed text from `row`; gives the row after it and a blank row."""
    writer.fixed(ws, row, 1, title, "section")
    row += 1
    for c, text in enumerate(header, start=1):
        writer.fixed(ws, row, c, text, "header")
    for values in rows:
        row += 1
        for c, text in enumerate(values, start=1):
            ws.cell(row=row, column=c, value=text).style = writer.styles.names["cell"]
            writer.wrapped.append((row, c, text))
    return row + 2


def what_goes_where(sheets: Sequence[Sheet]) -> list[tuple[str, str, str]]:
    """One row per question or column, with sheets laid out alike (Outcome 1 to Outcome 7)
    described once rather than seven times."""
    rows: list[tuple[str, str, str]] = []
    groups: list[tuple[list[str], list[tuple[str, str]]]] = []
    for sheet in sheets:
        fields = [
            (f"{f.label} 1, 2 ..." if f.repeat else f.label, f.help)
            for block in sheet.blocks
            for f in block.fields
            if "Leave as it is" not in f.help  # nothing for a person to do
        ]
        if groups and groups[-1][1] == fields:
            groups[-1][0].append(sheet.name)
        else:
            groups.append(([sheet.name], fields))
    for names, fields in groups:
        where = names[0] if len(names) == 1 else f"{names[0]} to {names[-1]}"
        rows.extend((where, label, help_) for label, help_ in fields)
    return rows
