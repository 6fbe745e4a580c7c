"""The check page's Python side, run by Pyodide: the same library calls as `cjreturns validate`.

The page hands over the chosen file's name and bytes; findings come back as the JSON the CLI
prints with --format json, so the browser shows exactly what the command line would.
"""

from __future__ import annotations

import json
from typing import Any

from cjreturns.validation.engine import validate_bytes


def _bytes(data: Any) -> bytes:
    # A Uint8Array from the page arrives as a JsProxy; tests call this with bytes.
    return data.to_bytes() if hasattr(data, "to_bytes") else bytes(data)


def check(name: str, data: Any) -> str:
    """Findings for one file, as `cjreturns validate --format json` gives them for that file."""
    return json.dumps(validate_bytes(name, _bytes(data)).to_dict(), ensure_ascii=False)
