"""The coordinator's workbook: a return as an Excel form, generated from the schema.

`generate_template` makes a blank workbook; `convert` turns a return of any format into another.
The layout both the generator and the reader follow is `cjreturns.contract.workbook_layout`.
"""

from __future__ import annotations

from cjreturns.workbook.convert import ConversionError, convert, dump_json, dump_yaml
from cjreturns.workbook.template import build_workbook, generate_template, workbook_bytes

__all__ = [
    "ConversionError",
    "build_workbook",
    "convert",
    "dump_json",
    "dump_yaml",
    "generate_template",
    "workbook_bytes",
]
