"""Excel's own checks on input cells: the hidden Lists sheet the drop-down lists read from, and a
data validation per kind of cell (a choice from a list, Yes or No, a whole number, a date).

Excel checks as a person types; `cjreturns validate` checks everything again, so a check Excel
cannot make (a list of codes in one cell, a web address) is left to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cjreturns.readers.layout_model import DATE_ADVICE, LISTS_SHEET, Field, WorkbookLayout
from cjreturns.workbook.formatting import Styles, protect

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


def lists_sheet(wb: Workbook, layout: WorkbookLayout, styles: Styles) -> dict[str, str]:
    """A hidden sheet of labels and codes that the drop-down lists read from; gives the range of
    each vocabulary's labels ("Lists!$A$2:$A$19")."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(LISTS_SHEET)
    ranges: dict[str, str] = {}
    column = 1
    for name, vocab in layout.vocabularies.items():
        letter = get_column_letter(column)
        ws.cell(row=1, column=column, value=name).style = styles.names["header"]
        ws.cell(row=1, column=column + 1, value=f"{name} code").style = styles.names["header"]
        for r, (code, label) in enumerate(zip(vocab.codes, vocab.labels, strict=True), 2):
            ws.cell(row=r, column=column, value=label)
            ws.cell(row=r, column=column + 1, value=code)
        ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(vocab.codes) + 1}"
        ws.column_dimensions[letter].width = 40
        ws.column_dimensions[get_column_letter(column + 1)].width = 24
        column += 2
    ws.sheet_state = "hidden"
    protect(ws)
    return ranges


class Validations:
    """The data validations of a workbook: one per sheet and kind of cell (and list), each
    given its cells as ranges at the end (adding cells one by one is slow)."""

    def __init__(self, layout: WorkbookLayout, list_ranges: dict[str, str]) -> None:
        self.layout = layout
        self.list_ranges = list_ranges
        # (sheet title, kind, vocabulary) -> the DataValidation and its cells (column, row)
        self.found: dict[tuple[str, str, str | None], tuple[Any, list[tuple[int, int]]]] = {}

    def add(self, ws: Worksheet, field: Field, row: int, column: int) -> None:
        """Check the cell as `field` says, if Excel can."""
        key = (ws.title, field.kind, field.vocabulary)
        if key not in self.found:
            dv = data_validation(field, self.list_ranges, self.layout)
            if dv is None:
                return
            ws.add_data_validation(dv)
            self.found[key] = (dv, [])
        self.found[key][1].append((column, row))

    def apply(self) -> None:
        """Give each validation its cells as column ranges ("C5:C19 D5:D19")."""
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.cell_range import MultiCellRange

        for dv, cells in self.found.values():
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


def data_validation(field: Field, list_ranges: dict[str, str], layout: WorkbookLayout) -> Any:
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
