"""Draws the return workbook's data sheets from the layout: each form and table, every input
cell at its document path (holding the return's value, if any), and where each path was written.

What goes where is the layout's (`cjreturns.contract.workbook_layout`); this module only draws
it, with the looks of `formatting` and the checks of `validations`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cjreturns.core.errors import CJReturnsError
from cjreturns.core.findings import DocPath, dotted
from cjreturns.readers.cells import cell_value, neutralise
from cjreturns.readers.layout_model import (
    FIRST_BLOCK_ROW,
    INTRO_ROW,
    TITLE_ROW,
    Field,
    Form,
    Sheet,
    Table,
    WorkbookLayout,
)
from cjreturns.workbook.formatting import Styles, fit_rows, print_setup, protect
from cjreturns.workbook.validations import Validations

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

EXCEL_MAX_CHARS = 32_767


class WorkbookWriteError(CJReturnsError):
    """A return holds something a workbook cell cannot (a control character, >32,767 chars)."""


def get_path(document: Any, path: DocPath) -> Any:
    """The value at `path` in `document`, or None where the path leads nowhere."""
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


class SheetWriter:
    """Writes sheets into one workbook, keeping where each input of the document went
    (`cells`: path -> "Sheet!C7") and the wrapped text of the sheet being drawn, to size its
    rows."""

    def __init__(
        self,
        wb: Workbook,
        layout: WorkbookLayout,
        document: dict[str, Any],
        styles: Styles,
        validations: Validations,
    ) -> None:
        self.wb = wb
        self.layout = layout
        self.document = document
        self.styles = styles
        self.validations = validations
        # wrapped text written to the sheet being drawn: (row, column, text), to size rows
        self.wrapped: list[tuple[int, int, str]] = []
        self.cells: dict[DocPath, str] = {}

    # -- cells ------------------------------------------------------------------------------

    def put(self, ws: Worksheet, row: int, column: int, value: Any, path: DocPath) -> None:
        """Write a value of the return; raises WorkbookWriteError for one a cell cannot hold."""
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
        """Write text of the workbook's own (a heading, a label, help) in the style `kind`."""
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
        self.validations.add(ws, field, row, column)

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
        fit_rows(ws, widths, self.wrapped)
        self.wrapped = []
        first = sheet.blocks[0] if sheet.blocks else None
        # a table's header row is repeated on every printed page; a form's sheet title is
        title_rows = f"{TITLE_ROW}:{FIRST_BLOCK_ROW + 1}" if isinstance(first, Table) else None
        print_setup(ws, wide=sum(widths.values()) > 130, title_rows=title_rows)
        protect(ws)

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
