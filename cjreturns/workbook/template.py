"""Writes the return workbook: blank for a coordinator to fill in, or holding a return.

Everything about where things go comes from `layout.py`; this module only draws it. The sheets
are protected without a password (Review > Unprotect Sheet lifts it): protection stops a slip
from overwriting a heading, not a determined user. Input cells are unlocked. Generation is
byte-for-byte deterministic, so the committed template changes only when the layout does.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from cjreturns.contract.reference import load_reference
from cjreturns.contract.workbook_layout import (
    FIRST_BLOCK_ROW,
    GUIDANCE_SHEET,
    INTRO_ROW,
    LISTS_SHEET,
    TITLE_ROW,
    Field,
    Form,
    Sheet,
    Table,
    WorkbookLayout,
)
from cjreturns.contract.workbook_layout_cjpf import layout_for_year
from cjreturns.core.calendar import long_date, parse_year
from cjreturns.core.errors import CJReturnsError
from cjreturns.core.findings import DocPath, dotted
from cjreturns.outputs.files import reproducible_zip
from cjreturns.readers.cells import cell_value, neutralise
from cjreturns.readers.layout_model import DATE_ADVICE

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

EXCEL_MAX_CHARS = 32_767
DATE_FORMAT = "dd/mm/yyyy"


class WorkbookWriteError(CJReturnsError):
    """A return holds something a workbook cell cannot (a control character, >32,767 chars)."""


def get_path(document: Any, path: DocPath) -> Any:
    node = document
    for key in path:
        if isinstance(node, dict):
            if key not in node:
                return None
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        else:
            return None
    return node


class _Styles:
    """The looks the workbook uses, registered once as named styles (fast to apply)."""

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


class _Writer:
    def __init__(self, layout: WorkbookLayout, document: dict[str, Any]) -> None:
        from openpyxl import Workbook

        self.layout = layout
        self.document = document
        self.wb = Workbook()
        self.wb.remove(self.wb.active)
        self.styles = _Styles(self.wb)
        # DataValidation -> its cells, added as ranges at the end (one by one is slow)
        self.validated: dict[int, tuple[Any, list[tuple[int, int]]]] = {}
        # wrapped text written to the sheet being drawn: (row, column, text), to size rows
        self.wrapped: list[tuple[int, int, str]] = []
        self.cells: dict[DocPath, str] = {}
        self.list_ranges: dict[str, str] = {}
        # (sheet title, kind, vocabulary) -> DataValidation, so each list is one rule per sheet
        self.validations: dict[tuple[str, str, str | None], Any] = {}

    # -- cells ------------------------------------------------------------------------------

    def put(self, ws: Worksheet, row: int, column: int, value: Any, path: DocPath) -> None:
        if isinstance(value, str):
            if len(value) > EXCEL_MAX_CHARS:
                raise WorkbookWriteError(
                    f"{dotted(path)}: the text is {len(value):,} characters; a workbook cell "
                    f"holds at most {EXCEL_MAX_CHARS:,}."
                )
            value = neutralise(value)
        from openpyxl.utils.exceptions import IllegalCharacterError

        try:
            ws.cell(row=row, column=column, value=value)
            if isinstance(value, str):
                self.wrapped.append((row, column, value))
        except (IllegalCharacterError, ValueError, TypeError) as exc:
            raise WorkbookWriteError(
                f"{dotted(path)}: the value cannot be written to a workbook cell (it holds a "
                f"control character or a kind of value a cell cannot take: {exc})."
            ) from exc

    def fixed(self, ws: Worksheet, row: int, column: int, text: str, kind: str) -> None:
        ws.cell(row=row, column=column, value=text).style = self.styles.names[kind]
        if kind not in ("title", "intro", "section"):  # those run on into empty cells
            self.wrapped.append((row, column, text))

    def input_cell(
        self, ws: Worksheet, row: int, column: int, field: Field, value: Any, path: DocPath | None
    ) -> None:
        from openpyxl.utils import get_column_letter

        vocab = self.layout.vocabularies.get(field.vocabulary) if field.vocabulary else None
        if value is not None:
            self.put(ws, row, column, cell_value(field.kind, value, vocab), path or ())
        style = {"date": "input date", "whole": "input number"}.get(field.kind, "input")
        ws.cell(row=row, column=column).style = self.styles.names[style]
        if path is not None:
            self.cells[path] = f"{ws.title}!{get_column_letter(column)}{row}"
        self.validate(ws, field, row, column)

    def validate(self, ws: Worksheet, field: Field, row: int, column: int) -> None:
        key = (ws.title, field.kind, field.vocabulary)
        dv = self.validations.get(key)
        if dv is None:
            dv = _validation(field, self.list_ranges, self.layout)
            if dv is None:
                return
            ws.add_data_validation(dv)
            self.validations[key] = dv
            self.validated[id(dv)] = (dv, [])
        self.validated[id(dv)][1].append((column, row))

    def apply_validations(self) -> None:
        """Give each validation its cells as column ranges ("C5:C19 D5:D19")."""
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.cell_range import MultiCellRange

        for dv, cells in self.validated.values():
            ranges: list[tuple[str, int, int]] = []
            for column, row in sorted(cells):
                letter = get_column_letter(column)
                if ranges and ranges[-1][0] == letter and ranges[-1][2] == row - 1:
                    ranges[-1] = (letter, ranges[-1][1], row)
                else:
                    ranges.append((letter, row, row))
            dv.sqref = MultiCellRange(
                " ".join(f"{c}{a}:{c}{b}" if a != b else f"{c}{a}" for c, a, b in ranges)
            )

    # -- sheets -----------------------------------------------------------------------------

    def sheet(self, sheet: Sheet) -> None:
        from openpyxl.utils import get_column_letter

        ws = self.wb.create_sheet(sheet.name)
        self.wrapped = []
        self.fixed(ws, TITLE_ROW, 1, sheet.title, "title")
        self.fixed(ws, INTRO_ROW, 1, sheet.intro, "intro")
        row = FIRST_BLOCK_ROW
        widths: dict[int, float] = {}
        for block in sheet.blocks:
            self.fixed(ws, row, 1, block.title, "section")
            row += 1
            if isinstance(block, Form):
                row = self.form(ws, block, row)
                widths.update({1: 40, 2: 70, 3: 60})
            else:
                row, used = self.table(ws, block, row)
                for column, width in used.items():
                    widths[column] = max(widths.get(column, 0), width)
            row += 1  # a blank row between blocks
        for column, width in widths.items():
            ws.column_dimensions[get_column_letter(column)].width = width
        ws.freeze_panes = sheet.freeze
        _fit_rows(ws, widths, self.wrapped)
        self.wrapped = []
        first = sheet.blocks[0] if sheet.blocks else None
        # a table's header row is repeated on every printed page; a form's sheet title is
        title_rows = f"{TITLE_ROW}:{FIRST_BLOCK_ROW + 1}" if isinstance(first, Table) else None
        _print_setup(ws, wide=sum(widths.values()) > 130, title_rows=title_rows)
        _protect(ws)

    def form(self, ws: Worksheet, block: Form, row: int) -> int:
        if block.header:
            self.fixed(ws, row, 1, block.header[0], "header")
            self.fixed(ws, row, 2, block.header[1], "header")
            row += 1
        for field in block.fields:
            path = (*block.base, *field.path)
            value = get_path(self.document, path)
            if field.repeat:
                items = value if isinstance(value, list) else []
                labels = field.labels(max(field.repeat, len(items)))
                for n, label in enumerate(labels):
                    self.fixed(ws, row, 1, label, "label")
                    self.input_cell(
                        ws, row, 2, field, items[n] if n < len(items) else None, (*path, n)
                    )
                    if n == 0:
                        self.fixed(ws, row, 3, field.help, "help")
                        self.cells[path] = self.cells[(*path, 0)]
                    row += 1
            else:
                self.fixed(ws, row, 1, field.label, "label")
                self.input_cell(ws, row, 2, field, value, path)
                self.fixed(ws, row, 3, field.help, "help")
                row += 1
        return row

    def table(self, ws: Worksheet, block: Table, row: int) -> tuple[int, dict[int, float]]:
        raw = get_path(self.document, block.path)
        items: list[Any]
        if block.mapping:
            found = raw if isinstance(raw, dict) else {}
            keys = [k for k in block.prefill] + [k for k in found if k not in block.prefill]
            items = [(k, found.get(k)) for k in keys]
        else:
            items = raw if isinstance(raw, list) else []
        counts = {
            f.label: max(
                [f.repeat] + [len(v) for it in items if isinstance(v := get_path(it, f.path), list)]
            )
            for f in block.fields
            if f.repeat
        }
        columns: list[tuple[Field, int, str]] = []  # field, repetition index (or -1), header
        for f in block.fields:
            for n, header in enumerate(f.labels(counts.get(f.label))):
                columns.append((f, n if f.repeat else -1, header))
        widths: dict[int, float] = {}
        for c, (f, _, header) in enumerate(columns, start=1):
            self.fixed(ws, row, c, header, "header")
            widths[c] = f.width
        row += 1
        n_rows = max(block.rows, len(items) + (3 if items else 0))
        for i in range(n_rows):
            item = items[i] if i < len(items) else None
            for c, (f, n, _) in enumerate(columns, start=1):
                path: DocPath | None
                if block.mapping:
                    key, number = item if item is not None else (None, None)
                    value = key if c == 1 else number
                    path = (*block.path, key) if key is not None else None
                else:
                    value = item if not f.path else get_path(item, f.path)
                    path = (*block.path, i, *f.path)
                    if n >= 0:
                        value = value[n] if isinstance(value, list) and n < len(value) else None
                        path = (*path, n)
                self.input_cell(ws, row, c, f, value, path)
                if n == 0 and path is not None:
                    self.cells[path[:-1]] = self.cells[path]
            row += 1
        return row, widths

    # -- fixed sheets -----------------------------------------------------------------------

    def lists(self) -> None:
        """A hidden sheet of labels and codes that the drop-down lists read from."""
        from openpyxl.utils import get_column_letter

        ws = self.wb.create_sheet(LISTS_SHEET)
        column = 1
        for name, vocab in self.layout.vocabularies.items():
            letter = get_column_letter(column)
            self.fixed(ws, 1, column, name, "header")
            self.fixed(ws, 1, column + 1, f"{name} code", "header")
            for r, (code, label) in enumerate(zip(vocab.codes, vocab.labels, strict=True), 2):
                ws.cell(row=r, column=column, value=label)
                ws.cell(row=r, column=column + 1, value=code)
            self.list_ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(vocab.codes) + 1}"
            ws.column_dimensions[letter].width = 40
            ws.column_dimensions[get_column_letter(column + 1)].width = 24
            column += 2
        ws.sheet_state = "hidden"
        _protect(ws)

    def guidance(self, year: str) -> None:
        from openpyxl.utils import get_column_letter

        ws = self.wb.create_sheet(GUIDANCE_SHEET, 0)
        self.wrapped = []
        ref = load_reference()
        calendar = ref.calendar
        due_text = (
            long_date(calendar.due(year)) if parse_year(year) is not None else calendar.due_text()
        )
        row = 1
        self.fixed(ws, row, 1, f"Community justice annual return {year}", "title")
        paragraphs = [
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
        widths: dict[int, float] = {1: 22, 2: 36, 3: 70}
        for text in paragraphs:
            row += 1
            # one paragraph across the page's three columns, so it wraps at a readable width
            ws.cell(row=row, column=1, value=text).style = self.styles.names["help"]
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
            self.wrapped.append((row, 0, text))
        row += 2
        if self.layout.schema == "return.schema.json":
            row = self._guidance_table(
                ws,
                row,
                "National outcomes",
                ("Outcome", "What it means"),
                [(str(k), o["text"]) for k, o in sorted(ref.outcomes.items())],
            )
        else:  # the 2023 framework: the strategy's aims, then the framework's outcomes
            from cjreturns.contract.frameworks import load_cjpf

            cjpf = load_cjpf()
            row = self._guidance_table(
                ws,
                row,
                "Aims of the National Strategy for Community Justice (2022)",
                ("Aim", "Aim and its priority actions"),
                [
                    (str(a.id), f"{a.text} (priority actions "
                     f"{', '.join(map(str, a.priority_actions))})")
                    for a in cjpf.aims
                ],
            )  # fmt: skip
            row = self._guidance_table(
                ws,
                row,
                "Outcomes of the Community Justice Performance Framework (2023)",
                ("Outcome", "What it means"),
                [(str(k), o.text) for k, o in cjpf.outcomes.items()],
            )
        row = self._guidance_table(
            ws,
            row,
            "Priority actions (National Strategy for Community Justice, 2022)",
            ("Number", "Priority action"),
            [(str(k), v) for k, v in sorted(ref.priority_actions.items())],
        )
        self._guidance_table(
            ws,
            row,
            "What goes where",
            ("Sheet", "Column or question", "What to enter"),
            _what_goes_where(self.layout.sheets),
        )
        for column, width in widths.items():
            ws.column_dimensions[get_column_letter(column)].width = width
        _fit_rows(ws, {0: sum(widths.values()), **widths}, self.wrapped)
        _print_setup(ws, wide=False, title_rows=None)
        _protect(ws)

    def _guidance_table(
        self,
        ws: Worksheet,
        row: int,
        title: str,
        header: tuple[str, ...],
        rows: Sequence[tuple[str, ...]],
    ) -> int:
        self.fixed(ws, row, 1, title, "section")
        row += 1
        for c, text in enumerate(header, start=1):
            self.fixed(ws, row, c, text, "header")
        for values in rows:
            row += 1
            for c, text in enumerate(values, start=1):
                ws.cell(row=row, column=c, value=text).style = self.styles.names["cell"]
                self.wrapped.append((row, c, text))
        return row + 2


def _validation(field: Field, list_ranges: dict[str, str], layout: WorkbookLayout) -> Any:
    """The Excel data validation for a kind of cell, or None when Excel cannot check it."""
    from openpyxl.worksheet.datavalidation import DataValidation

    kind = field.kind
    if kind == "choice" and field.vocabulary is not None and field.vocabulary in list_ranges:
        vocab = layout.vocabularies[field.vocabulary]
        dv = DataValidation(type="list", formula1=list_ranges[vocab.name], allow_blank=True)
        dv.errorStyle = "stop" if vocab.strict else "warning"
        dv.error = "Choose a value from the drop-down list."
    elif kind == "yesno":
        dv = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
        dv.error = "Choose Yes or No."
    elif kind == "whole":
        dv = DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
        dv.error = "Type a whole number, 0 or more."
    elif kind == "date":
        # 1 January 2000 to 31 December 2099, as Excel date serial numbers
        dv = DataValidation(
            type="date", operator="between", formula1="36526", formula2="73050", allow_blank=True
        )
        dv.error = DATE_ADVICE
    else:
        return None
    dv.showErrorMessage = True
    dv.errorTitle = "Check this entry"
    dv.showInputMessage = True
    dv.promptTitle = field.label[:32]
    dv.prompt = field.help[:250]
    return dv


LINE_HEIGHT = 15  # points per line of 11-point text
MAX_ROW_HEIGHT = 300


def _what_goes_where(sheets: Sequence[Sheet]) -> list[tuple[str, str, str]]:
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


def _print_setup(ws: Worksheet, *, wide: bool, title_rows: str | None) -> None:
    """Printed as a person would want: A4, every column on the page (fit to width, as many
    pages down as needed), landscape where the sheet is wide, a table's headings on each page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if wide else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


def _fit_rows(ws: Worksheet, widths: dict[int, float], texts: list[tuple[int, int, str]]) -> None:
    """Give rows of wrapped text room for every line: openpyxl cannot measure text, and Excel
    and LibreOffice keep the default height for a file that does not say, hiding narrative."""
    import math

    lines: dict[int, int] = {}
    for row, column, text in texts:
        per_line = max(1.0, widths.get(column, 10) * 1.1 - 2)
        needed = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
        lines[row] = max(lines.get(row, 1), needed)
    for row, n in lines.items():
        if n > 1:
            ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, n * LINE_HEIGHT)


def _protect(ws: Worksheet) -> None:
    """Protect headings without a password; people may still resize, add and remove rows."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.insertRows = False
    p.deleteRows = False


def build_workbook(document: dict[str, Any], *, year: str | None = None) -> Workbook:
    """An openpyxl Workbook holding `document` (a canonical return) in the return layout."""
    from openpyxl.workbook.protection import WorkbookProtection

    year = year or _year_of(document)
    layout = layout_for_year(year)
    writer = _Writer(layout, document)
    writer.lists()
    for sheet in layout.sheets:
        writer.sheet(sheet)
    writer.guidance(year)
    writer.apply_validations()
    writer.wb.move_sheet(LISTS_SHEET, offset=len(writer.wb.sheetnames) - 1)
    writer.wb.active = 0
    writer.wb.security = WorkbookProtection(lockStructure=True)
    props = writer.wb.properties
    props.title = f"Community justice annual return {year}"
    props.creator = "cjreturns"
    props.language = "en-GB"
    return writer.wb


def cell_map(document: dict[str, Any]) -> dict[DocPath, str]:
    """Where each input of `document` is written: path -> "Sheet!C7" (tests and tools use it)."""
    layout = layout_for_year(_year_of(document))
    writer = _Writer(layout, document)
    writer.lists()
    for sheet in layout.sheets:
        writer.sheet(sheet)
    return writer.cells


def default_year(today: dt.date | None = None) -> str:
    """The reporting year whose return is being prepared today (see Reference.return_year_on):
    what a blank workbook is for unless a year is given."""
    return load_reference().return_year_on(today or dt.date.today())


def _year_of(document: dict[str, Any]) -> str:
    year = document.get("reporting_year")
    return year if isinstance(year, str) and year else default_year()


def workbook_bytes(document: dict[str, Any], *, year: str | None = None) -> bytes:
    """The .xlsx file for `document`, identical bytes for identical input."""
    from openpyxl.writer.excel import ExcelWriter

    wb = build_workbook(document, year=year)
    year = year or _year_of(document)
    start = int(year[:4]) if re.match(r"^\d{4}-\d{2}$", year) else 2000
    fixed_time = dt.datetime(start, 4, 1)  # the start of the reporting year, not "now"
    wb.properties.created = fixed_time
    wb.properties.modified = fixed_time
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    return reproducible_zip(buffer.getvalue())


def blank_document(*, partnership: str | None = None, year: str | None = None) -> dict[str, Any]:
    """What a blank template holds: the schema version, the year and (optionally) the name."""
    from cjreturns.contract.frameworks import framework_for_year_or_latest
    from cjreturns.contract.schema import load_schema

    year = year or default_year()
    schema = load_schema(framework_for_year_or_latest(year).schema)
    document: dict[str, Any] = {
        "schema_version": schema["properties"]["schema_version"]["enum"][0],
        "reporting_year": year,
    }
    if partnership:
        document["partnership"] = partnership
    return document


def generate_template(*, partnership: str | None = None, year: str | None = None) -> bytes:
    """A blank return workbook for one year (and optionally one partnership), as .xlsx bytes.

    `partnership` may be a name or an alias; the workbook holds the reference name. Raises
    UsageError for a partnership that is not in the reference list or a malformed year.
    """
    from cjreturns.core.calendar import parse_year
    from cjreturns.core.errors import UsageError

    year = year or default_year()
    if parse_year(year) is None:
        raise UsageError(f"{year!r} is not a reporting year like 2021-22")
    name = None
    if partnership:
        found, _ = load_reference().resolve_partnership(partnership)
        if found is None:
            raise UsageError(
                f"{partnership!r} is not a partnership in the reference list; "
                "`cjreturns codes partnerships` lists them"
            )
        name = found.name
    return workbook_bytes(blank_document(partnership=name, year=year), year=year)
