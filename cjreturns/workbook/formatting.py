"""How every sheet of the return workbook looks, prints and is protected: the named styles, row
heights that fit wrapped text, A4 print settings and a password-free sheet protection.

The sheets are protected without a password (Review > Unprotect Sheet lifts it): protection
stops a slip from overwriting a heading, not a determined user. Input cells are unlocked by
their style.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "dd/mm/yyyy"
LINE_HEIGHT = 15  # points per line of 11-point text
MAX_ROW_HEIGHT = 300


class Styles:
    """The looks the workbook uses, registered once as named styles (fast to apply).

    `names[kind]` is the style a cell of that kind gets: title, intro, section, header, label,
    help, cell (text in a fixed table), input, input number, input date.
    """

    def __init__(self, wb: Workbook) -> None:
        from openpyxl.styles import (
            Alignment,
            Border,
            Font,
            NamedStyle,
            PatternFill,
            Protection,
            Side,
        )

        thin = Side(style="thin", color="A6A6A6")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        wrap = Alignment(wrap_text=True, vertical="top")
        grey = Font(italic=True, color="404040")
        unlocked = Protection(locked=False)
        looks = {
            "title": NamedStyle("cj title", font=Font(bold=True, size=14)),
            "intro": NamedStyle("cj intro", font=grey),
            "section": NamedStyle("cj section", font=Font(bold=True, size=12)),
            "header": NamedStyle(
                "cj header",
                font=Font(bold=True),
                border=border,
                fill=PatternFill("solid", fgColor="DDEBF7"),
                alignment=wrap,
            ),
            "label": NamedStyle(
                "cj label",
                font=Font(bold=True),
                border=border,
                fill=PatternFill("solid", fgColor="F2F2F2"),
                alignment=wrap,
            ),
            "help": NamedStyle("cj help", font=grey, alignment=wrap),
            "cell": NamedStyle("cj text", alignment=wrap),
            # Input cells: unlocked; text cells formatted as text so Excel does not turn
            # "1, 13" or "2019-22" into a number or a date as it is typed.
            "input": NamedStyle(
                "cj input", border=border, alignment=wrap, protection=unlocked, number_format="@"
            ),
            "input number": NamedStyle(
                "cj input number", border=border, alignment=wrap, protection=unlocked
            ),
            "input date": NamedStyle(
                "cj input date",
                border=border,
                alignment=wrap,
                protection=unlocked,
                number_format=DATE_FORMAT,
            ),
        }
        for style in looks.values():
            wb.add_named_style(style)
        self.names = {k: v.name for k, v in looks.items()}


def fit_rows(ws: Worksheet, widths: dict[int, float], texts: list[tuple[int, int, str]]) -> None:
    """Give rows of wrapped text room for every line: openpyxl cannot measure text, and Excel
    and LibreOffice keep the default height for a file that does not say, hiding narrative.

    `texts` are the wrapped texts written to the sheet as (row, column, text)."""
    lines: dict[int, int] = {}
    for row, column, text in texts:
        per_line = max(1.0, widths.get(column, 10) * 1.1 - 2)
        needed = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
        lines[row] = max(lines.get(row, 1), needed)
    for row, n in lines.items():
        if n > 1:
            ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, n * LINE_HEIGHT)


def print_setup(ws: Worksheet, *, wide: bool, title_rows: str | None) -> None:
    """Printed as a person would want: A4, every column on the page (fit to width, as many
    pages down as needed), landscape where the sheet is wide, a table's headings on each page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if wide else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


def protect(ws: Worksheet) -> None:
    """Protect headings without a password; people may still resize, add and remove rows."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.insertRows = False
    p.deleteRows = False
