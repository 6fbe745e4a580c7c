"""Filled-in return workbooks (.xlsx), read into the canonical return with a cell for every value.

The file is checked as a zip before openpyxl sees it (`package.py`: zip bombs, entity
declarations, macros, another kind of Office file). openpyxl then reads it in read-only mode, so
memory stays bounded, and with `data_only=False`: formulas are never evaluated and their cached
results are not trusted (a cached value can be stale or planted), so a formula cell is a
`workbook-value` finding asking for the value to be typed. Each cell becomes a value in
`cells.py`, the inverse of what the workbook writer puts there.

Where each value goes comes from the layout it is handed, the description the generator
draws from. Cells are found by their headings (block titles in column A, column headers), not
fixed positions, so added rows, longer tables and extra theme columns read correctly.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from cjreturns.core.findings import DocPath
from cjreturns.core.limits import Limits
from cjreturns.readers.base import CellLabel, ReadResult, SourceMap
from cjreturns.readers.cells import EMPTY, cell_to_value
from cjreturns.readers.layout_model import (
    FIRST_BLOCK_ROW,
    REPEAT_HEADER,
    Field,
    Form,
    LayoutChoice,
    Sheet,
    Table,
    WorkbookLayout,
    order_like_schema,
)
from cjreturns.readers.package import check_package

MAX_ROWS = 20_000  # rows read from one sheet
MAX_COLUMNS = 200  # columns read from one sheet

Grid = dict[tuple[int, int], tuple[Any, str]]  # (row, column) -> (value, openpyxl data type)


def read_workbook(
    data: bytes, limits: Limits, layouts: WorkbookLayout | LayoutChoice
) -> ReadResult:
    """Read a filled-in return workbook made with one of `layouts` (built from the contract:
    `cjreturns.contract.workbook_layout.workbook_layouts` gives both frameworks'), told
    apart by its sheets. Never raises for a bad file: problems are findings."""
    if isinstance(layouts, WorkbookLayout):
        layouts = LayoutChoice.only(layouts)
    result = ReadResult(None, SourceMap({}), format="xlsx")
    problem = check_package(data, limits, kind="xlsx")
    if problem is not None:
        result.add(problem.rule, problem.message)
        return result
    grids = _load(data, limits, result, layouts.sheet_names)
    if grids is None:
        return result
    reader = _Reader(layouts.choose(set(grids)), grids, result, limits)
    reader.merged = _merged_ranges(data)
    document = reader.run()
    result.document = document
    result.source_map = SourceMap({}, cells=reader.cells, described=reader.described)
    return result


Span = tuple[int, int, int, int]  # first row, first column, last row, last column


def _merged_ranges(data: bytes) -> dict[str, list[Span]]:
    """Each sheet's merged ranges ("F5:F7"), which openpyxl's read-only mode does not give.

    A merge keeps only its first cell's value: merged over input cells, it silently drops the
    others (two activities' statuses), so the reader reports it. The package check has already
    refused entity declarations, so the XML parser sees plain XML.
    """
    import xml.etree.ElementTree as ET
    import zipfile

    from openpyxl.utils.cell import range_boundaries

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    found: dict[str, list[Span]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            targets = {r.get("Id"): r.get("Target", "") for r in rels}
            book = ET.fromstring(z.read("xl/workbook.xml"))
            for sheet in book.iter(f"{main}sheet"):
                target = targets.get(sheet.get(f"{rel_ns}id"), "")
                part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                if part not in z.namelist():
                    continue
                spans: list[Span] = []
                for _, element in ET.iterparse(z.open(part)):
                    if element.tag == f"{main}mergeCell":
                        c1, r1, c2, r2 = range_boundaries(element.get("ref", ""))
                        if None not in (c1, r1, c2, r2):
                            spans.append((r1, c1, r2, c2))
                    element.clear()
                if spans:
                    found[sheet.get("name", "")] = spans
    except Exception:  # a damaged part: openpyxl has read what it could; no merges known
        return {}
    return found


def _tolerate_unreadable_numbers() -> None:
    """A number cell whose text Python cannot read (over 4,300 digits, or not digits at all in a
    crafted file) makes openpyxl raise mid-sheet, losing the whole workbook for one cell. Its
    number parser is wrapped once so such a cell keeps its text and is reported on its cell."""
    from openpyxl.worksheet import _reader

    original = _reader._cast_number
    if getattr(original, "cjreturns_tolerant", False):
        return

    def cast(value: str) -> Any:
        try:
            return original(value)
        except ValueError:
            return value

    cast.cjreturns_tolerant = True  # type: ignore[attr-defined]
    _reader._cast_number = cast


def _load(
    data: bytes, limits: Limits, result: ReadResult, wanted: frozenset[str]
) -> dict[str, Grid] | None:
    """Every non-empty cell of the sheets the layout reads, with its type; None if unreadable."""
    from openpyxl import load_workbook

    _tolerate_unreadable_numbers()
    grids: dict[str, Grid] = {}
    cells = 0
    try:
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (extensions, print settings); irrelevant here
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
            try:
                for ws in wb.worksheets:
                    if ws.title not in wanted:
                        grids.setdefault(ws.title, {})  # known to exist, not read
                        continue
                    grid: Grid = {}
                    ws.reset_dimensions()  # a declared size may be a lie; read what is there
                    for n, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), start=1):
                        if n > MAX_ROWS:
                            result.add(
                                "too-large",
                                f"The sheet '{ws.title}' has more than "
                                f"{MAX_ROWS:,} rows; a return has far fewer.",
                            )
                            return None
                        for cell in row:
                            value = getattr(cell, "value", None)
                            if value is None:
                                continue
                            grid[(cell.row, cell.column)] = (value, cell.data_type)
                            cells += 1
                        if cells > limits.max_nodes:
                            result.add(
                                "too-large",
                                f"The workbook has more than {limits.max_nodes:,} filled cells.",
                            )
                            return None
                    grids[ws.title] = grid
                result.sheets = tuple(ws.title for ws in wb.worksheets)
            finally:
                wb.close()
    except Exception as exc:  # openpyxl fails in many ways on damaged files; all mean "unreadable"
        result.add(
            "workbook-unreadable",
            f"The workbook cannot be read ({type(exc).__name__}): it may be damaged. Open it in "
            "Excel and save it again as an Excel Workbook (.xlsx).",
        )
        return None
    return grids


# -- the layout ----------------------------------------------------------------------------------


def _get(document: Any, path: DocPath) -> Any:
    for key in path:
        if not isinstance(document, dict) or key not in document:
            return None
        document = document[key]
    return document


def _set(document: dict[str, Any], path: DocPath, value: Any) -> None:
    node: Any = document
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


class _Reader:
    def __init__(
        self, layout: WorkbookLayout, grids: dict[str, Grid], result: ReadResult, limits: Limits
    ) -> None:
        self.limits = limits
        self.layout = layout
        self.grids = grids
        self.result = result
        self.cells: dict[DocPath, str] = {}
        # Each input cell read: its label as printed (the question in a form, the column's
        # header in a table) and its field, so findings can be worded as the workbook is.
        self.described: dict[str, CellLabel] = {}
        self.headers: dict[int, str] = {}  # the current table's header text by column
        self.in_table = False
        self.sheet_name = ""
        self.grid: Grid = {}
        self.merged: dict[str, list[Span]] = {}
        self.reported_merges: set[tuple[str, Span]] = set()

    def run(self) -> dict[str, Any] | None:
        present = [s for s in self.layout.sheets if s.name in self.grids]
        if not present:
            found = ", ".join(f"'{n}'" for n in list(self.grids)[:5]) or "none"
            self.result.add(
                "workbook-layout",
                f"This is not a return workbook: none of its sheets ({found}) is one of the "
                "return's sheets (Partnership, Outcome 1 ...). Start from `cjreturns template`.",
            )
            return None
        document: dict[str, Any] = {}
        for sheet in self.layout.sheets:
            if sheet.name not in self.grids:
                self.layout_problem(
                    f"The workbook has no sheet called '{sheet.name}'. A sheet was renamed or "
                    "deleted: start from `cjreturns template` and copy your entries across."
                )
                continue
            self.sheet_name = sheet.name
            self.grid = self.grids[sheet.name]
            self.sheet(sheet, document)
        return order_like_schema(document, self.layout.schema_root)

    # -- helpers ----------------------------------------------------------------------------

    def ref(self, row: int, column: int) -> str:
        from openpyxl.utils import get_column_letter

        return f"{self.sheet_name}!{get_column_letter(column)}{row}"

    def text_at(self, row: int, column: int) -> str | None:
        value = self.grid.get((row, column), (None, ""))[0]
        return value.strip() if isinstance(value, str) else None

    def layout_problem(self, message: str, cell: str | None = None) -> None:
        self.result.add("workbook-layout", message, cell=cell)

    def locate(self, path: DocPath, row: int, column: int, *, weak: bool = False) -> None:
        if weak:
            self.cells.setdefault(path, self.ref(row, column))
        else:
            self.cells[path] = self.ref(row, column)

    def merge_over(self, row: int, column: int, path: DocPath) -> bool:
        """Whether (row, column) lies in a merged range; reports the range once."""
        for span in self.merged.get(self.sheet_name, ()):
            r1, c1, r2, c2 = span
            if r1 <= row <= r2 and c1 <= column <= c2 and (r1, c1) != (r2, c2):
                if (self.sheet_name, span) not in self.reported_merges:
                    self.reported_merges.add((self.sheet_name, span))
                    first, last = self.ref(r1, c1), self.ref(r2, c2).split("!")[1]
                    self.result.add(
                        "workbook-value",
                        f"The cells {first}:{last} are merged, so only the first holds a value "
                        "and the others are lost. Unmerge them (Home > Merge & Center) and type "
                        "each value in its own cell.",
                        path=path,
                        cell=self.ref(r1, c1),
                    )
                return (row, column) != (r1, c1)
        return False

    def value(self, field: Field, row: int, column: int, path: DocPath) -> Any:
        if self.merged and self.merge_over(row, column, path):
            self.result.damaged.add(path)
            return EMPTY
        label = self.headers.get(column) if self.in_table else self.text_at(row, 1)
        vocab = self.layout.vocabularies.get(field.vocabulary) if field.vocabulary else None
        self.described[self.ref(row, column)] = CellLabel(
            self.sheet_name, label or field.label, field, vocab
        )
        raw, data_type = self.grid.get((row, column), (None, "n"))
        if isinstance(raw, str) and len(raw) > self.limits.max_string_chars:
            self.result.add(
                "too-large",
                f"A value is longer than {self.limits.max_string_chars:,} characters. Shorten it.",
                path=path,
                cell=self.ref(row, column),
            )
            self.result.damaged.add(path)
            return EMPTY
        vocab = self.layout.vocabularies.get(field.vocabulary) if field.vocabulary else None
        value, problem = cell_to_value(field.kind, raw, data_type, vocab)
        if problem:
            self.result.add("workbook-value", problem, path=path, cell=self.ref(row, column))
            self.result.damaged.add(path)
        return value

    # -- blocks -----------------------------------------------------------------------------

    def starts(self, sheet: Sheet) -> list[int] | None:
        """The row of each block's title, found by its text and the row under it."""
        column_a = sorted(
            (r, v.strip()) for (r, c), (v, _) in self.grid.items() if c == 1 and isinstance(v, str)
        )
        rows: list[int] = []
        cursor = FIRST_BLOCK_ROW
        for block in sheet.blocks:
            below = (
                block.header[0] if isinstance(block, Form) and block.header else block.first_label
            )
            found = next(
                (
                    r
                    for r, text in column_a
                    if r >= cursor and text == block.title and self.text_at(r + 1, 1) == below
                ),
                None,
            )
            if found is None:
                self.layout_problem(
                    f"The sheet '{sheet.name}' has lost its '{block.title}' section (the heading "
                    f"'{block.title}' with '{below}' under it). Start from `cjreturns template` "
                    "and copy your entries across.",
                    cell=f"{sheet.name}!A{cursor}",
                )
                return None
            rows.append(found)
            cursor = found + 1
        return rows

    def sheet(self, sheet: Sheet, document: dict[str, Any]) -> None:
        starts = self.starts(sheet)
        if starts is None:
            return
        last = max((r for r, _ in self.grid), default=FIRST_BLOCK_ROW)
        for i, block in enumerate(sheet.blocks):
            end = starts[i + 1] - 1 if i + 1 < len(starts) else last
            if isinstance(block, Form):
                self.form(block, starts[i] + 1, end, document)
            else:
                self.table(block, starts[i] + 1, end, document)

    def form(self, block: Form, first: int, end: int, document: dict[str, Any]) -> None:
        self.in_table = False
        reported = len(self.result.findings)
        self.form_rows(block, first, end, document)
        base = self.cells.get(block.base)
        blank = not any(_get(document, (*block.base, *f.path)) is not None for f in block.fields)
        if block.if_blank and base and blank and len(self.result.findings) == reported:
            self.result.add(
                "workbook-blank", block.if_blank, path=block.base, cell=base, severity="warning"
            )

    def form_rows(self, block: Form, first: int, end: int, document: dict[str, Any]) -> None:
        labels: dict[str, int] = {}
        for r in range(first, end + 1):
            text = self.text_at(r, 1)
            if text is not None:
                labels.setdefault(text, r)
        for index, field in enumerate(block.fields):
            path = (*block.base, *field.path)
            if field.repeat:
                rows = sorted(
                    (int(m.group("n")), r)
                    for text, r in labels.items()
                    if (m := REPEAT_HEADER.match(text)) and m.group("label") == field.label
                )
                if not rows:
                    self.layout_problem(
                        f"The question '{field.label} 1' is missing from the "
                        f"'{block.title}' section."
                    )
                    continue
                items: list[Any] = []
                self.locate(path, rows[0][1], 2)
                for _, r in rows:
                    value = self.value(field, r, 2, (*path, len(items)))
                    if value is not EMPTY:
                        self.locate((*path, len(items)), r, 2)
                        items.append(value)
                if items:
                    _set(document, path, items)
            else:
                found = labels.get(field.label)
                if found is None:
                    self.layout_problem(
                        f"The question '{field.label}' is missing from the '{block.title}' section."
                    )
                    continue
                self.locate(path, found, 2)
                value = self.value(field, found, 2, path)
                if value is not EMPTY:
                    _set(document, path, value)
            if index == block.anchor:  # a finding about the whole form points here
                self.cells.setdefault(block.base, self.cells[path])

    def columns(self, block: Table, header_row: int) -> list[tuple[Field, list[int]]] | None:
        headers: dict[str, int] = {}
        for (r, c), (v, _) in self.grid.items():
            if r == header_row and isinstance(v, str):
                headers.setdefault(v.strip(), c)
        self.headers = {c: text for text, c in headers.items()}
        out: list[tuple[Field, list[int]]] = []
        missing: list[str] = []
        for field in block.fields:
            if field.repeat:
                found = sorted(
                    (int(m.group("n")), c)
                    for text, c in headers.items()
                    if (m := REPEAT_HEADER.match(text)) and m.group("label") == field.label
                )
                columns = [c for _, c in found]
            else:
                columns = [headers[field.label]] if field.label in headers else []
            if not columns:
                missing.append(field.labels()[0])
            out.append((field, columns))
        if missing:
            self.layout_problem(
                f"The '{block.title}' table has lost its column(s) {', '.join(missing)}. Start "
                "from `cjreturns template` and copy your entries across.",
                cell=self.ref(header_row, 1),
            )
            return None
        return out

    def table(self, block: Table, header_row: int, end: int, document: dict[str, Any]) -> None:
        self.in_table = True
        columns = self.columns(block, header_row)
        if columns is None:
            return
        first = header_row + 1
        self.locate(block.path, first, 1)
        if block.mapping:
            self.mapping(block, columns, first, end, document)
            return
        items: list[Any] = []
        scalar = len(columns) == 1 and not columns[0][0].path  # each row is one text (next steps)
        for r in range(first, end + 1):
            if not any((r, c) in self.grid for _, cols in columns for c in cols):
                continue
            base = (*block.path, len(items))
            item: dict[str, Any] = {}
            whole: Any = EMPTY
            self.locate(base, r, 1)
            for field, cols in columns:
                path = (*base, *field.path)
                for depth in range(len(base) + 1, len(path)):
                    self.locate(path[:depth], r, cols[0], weak=True)
                self.locate(path, r, cols[0])
                if field.repeat:
                    values: list[Any] = []
                    for c in cols:
                        value = self.value(field, r, c, path)
                        if value is not EMPTY:
                            self.locate((*path, len(values)), r, c)
                            values.append(value)
                    if values:
                        _set(item, field.path, values)
                    continue
                value = self.value(field, r, cols[0], path)
                if value is EMPTY:
                    continue
                if not field.path:
                    whole = value
                else:
                    _set(item, field.path, value)
            if scalar:
                if whole is not EMPTY:
                    items.append(whole)
            elif item or any(p[: len(base)] == base for p in self.result.damaged):
                items.append(order_like_schema(item, self.layout.schema_root, like=base))
        if items or block.keep_empty:
            _set(document, block.path, items)

    def mapping(
        self,
        block: Table,
        columns: list[tuple[Field, list[int]]],
        first: int,
        end: int,
        document: dict[str, Any],
    ) -> None:
        (key_field, (key_col, *_)), (value_field, (value_col, *_)) = columns[0], columns[1]
        found: dict[str, Any] = {}
        for r in range(first, end + 1):
            if (r, value_col) not in self.grid:
                continue  # a prefilled indicator nobody gave a number for
            reported = len(self.result.findings)
            key = self.value(key_field, r, key_col, block.path)
            if key is EMPTY and len(self.result.findings) > reported:
                continue  # a formula or an error value in the key cell, already reported
            if key is EMPTY:
                self.result.add(
                    "workbook-value",
                    f"A number is given without saying which {key_field.label.lower()} it is. "
                    "Choose one from the list in this row, or delete the number.",
                    path=block.path,
                    cell=self.ref(r, key_col),
                )
                continue
            key = str(key)
            path = (*block.path, key)
            if key in found:
                self.result.add(
                    "duplicate-key",
                    f"{key_field.label} `{key}` is given twice in this table; only the first is "
                    "read. Delete one of the rows.",
                    path=path,
                    cell=self.ref(r, key_col),
                )
                continue
            self.locate(path, r, value_col)
            value = self.value(value_field, r, value_col, path)
            if value is not EMPTY:
                found[key] = value
        if found:
            _set(document, block.path, found)


__all__ = ["read_workbook"]
