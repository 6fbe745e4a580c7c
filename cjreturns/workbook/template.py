"""Writes the return workbook, blank for a coordinator to fill in or holding a return, as .xlsx
bytes: the reporting year chooses the framework's layout. The Lists sheet is drawn first so
the drop-downs can refer to it (it ends up last, hidden), then the data sheets, then Guidance,
which is placed first.

Generation is byte-for-byte deterministic (no clock: the file is dated at the start of the
reporting year), so the committed template changes only when the layout does. Where each piece
is drawn: `sheets` (the data sheets), `guidance`, `validations` (drop-down lists and Excel's
checks), `formatting` (looks, print settings, protection).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING, Any

from cjreturns.contract.reference import load_reference
from cjreturns.contract.workbook_layout import layout_for_year
from cjreturns.core.findings import DocPath
from cjreturns.outputs.files import reproducible_zip
from cjreturns.readers.layout_model import LISTS_SHEET, WorkbookLayout
from cjreturns.workbook.formatting import Styles
from cjreturns.workbook.guidance import guidance_sheet
from cjreturns.workbook.sheets import SheetWriter
from cjreturns.workbook.validations import Validations, lists_sheet

if TYPE_CHECKING:
    from openpyxl import Workbook


def _data_sheets(layout: WorkbookLayout, document: dict[str, Any]) -> SheetWriter:
    """A new workbook with the Lists sheet and every data sheet of `layout` drawn."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    styles = Styles(wb)
    validations = Validations(layout, lists_sheet(wb, layout, styles))
    writer = SheetWriter(wb, layout, document, styles, validations)
    for sheet in layout.sheets:
        writer.sheet(sheet)
    return writer


def build_workbook(document: dict[str, Any], *, year: str | None = None) -> Workbook:
    """An openpyxl Workbook holding `document` (a canonical return) in the return layout."""
    from openpyxl.workbook.protection import WorkbookProtection

    year = year or _year_of(document)
    writer = _data_sheets(layout_for_year(year), document)
    guidance_sheet(writer, year)
    writer.validations.apply()
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
    return _data_sheets(layout_for_year(_year_of(document)), document).cells


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
