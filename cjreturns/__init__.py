"""cjreturns: validate, aggregate and report Scotland's community justice annual returns.

The library API for notebooks and scripts. Each stage returns plain data or pandas DataFrames;
nothing here prints or exits. Heavy stages are imported on first use, so `import cjreturns`
stays quick.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from cjreturns.contract.reference import load_reference
    from cjreturns.core.findings import CollectionResult, FileResult, Finding
    from cjreturns.readers import Limits, ReadResult
    from cjreturns.validation.engine import validate_document, validate_file, validate_paths

__version__ = "0.1.0"

# name -> module that defines it, loaded on first use: pandas, openpyxl and python-docx are
# heavy, and even the validation modules (yaml, the rules) would slow `cjreturns --help`, which
# imports this package first.
_LAZY = {
    "Limits": "cjreturns.readers",
    "load_reference": "cjreturns.contract.reference",
    "validate_document": "cjreturns.validation.engine",
    "validate_file": "cjreturns.validation.engine",
    "validate_paths": "cjreturns.validation.engine",
    "CollectionResult": "cjreturns.core.findings",
    "FileResult": "cjreturns.core.findings",
    "Finding": "cjreturns.core.findings",
    "aggregate": "cjreturns.aggregation",
    "write_outputs": "cjreturns.outputs.national_tables",
    "build_report": "cjreturns.outputs.report",
    "write_report": "cjreturns.outputs.report",
    "check_docx": "cjreturns.outputs.report",
    "generate_template": "cjreturns.workbook",
    "convert": "cjreturns.workbook",
}


def read_return(path: Path | str, *, limits: Limits | None = None) -> ReadResult:
    """Read one return file (workbook, YAML or JSON) into a document, its source map and any
    reading findings, without validating it."""
    from pathlib import Path

    from cjreturns.contract.workbook_layout import workbook_layouts
    from cjreturns.readers import read_return as read

    return read(Path(path), limits=limits, workbook_layout=workbook_layouts)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cjreturns' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "CollectionResult",
    "FileResult",
    "Finding",
    "Limits",
    "__version__",
    "aggregate",
    "build_report",
    "check_docx",
    "convert",
    "generate_template",
    "load_reference",
    "read_return",
    "validate_document",
    "validate_file",
    "validate_paths",
    "write_outputs",
    "write_report",
]
