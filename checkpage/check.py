"""The check page's Python side, run by Pyodide: the same library calls as `cjreturns validate`.

The page hands over the chosen file's name and bytes; findings come back as the JSON the CLI
prints with --format json, so the browser shows exactly what the command line would. For a
workbook the checked copy (as `validate --annotate` writes it) is left in COPY for the page to
offer as a download.
"""

from __future__ import annotations

import json
import os
from typing import Any

from cjreturns.outputs.annotate import annotate
from cjreturns.validation.engine import validate_bytes

COPY = "/tmp/checked-copy.xlsx"


def _bytes(data: Any) -> bytes:
    # A Uint8Array from the page arrives as a JsProxy; tests call this with bytes.
    return data.to_bytes() if hasattr(data, "to_bytes") else bytes(data)


def check(name: str, data: Any) -> str:
    """Findings for one file, as `cjreturns validate --format json` gives them for that file,
    and under "copy" whether a checked copy is in COPY (or the finding that says why not)."""
    raw = _bytes(data)
    result = validate_bytes(name, raw)
    out: dict[str, Any] = result.to_dict()
    if os.path.exists(COPY):
        os.remove(COPY)
    if name.lower().endswith(".xlsx"):
        annotated = annotate(name, raw, result)
        if annotated.data is not None:
            with open(COPY, "wb") as fh:
                fh.write(annotated.data)
            out["copy"] = {"ready": True}
        else:
            assert annotated.refusal is not None
            out["copy"] = {"ready": False, "refusal": annotated.refusal.to_dict()}
    return json.dumps(out, ensure_ascii=False)
