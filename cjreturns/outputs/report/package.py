"""Saving a python-docx document as bytes that depend only on its content.

python-docx stamps every zip member with the current time, so two runs over the same returns
would give different files. We re-pack the parts in a fixed order with a fixed timestamp.
"""

from __future__ import annotations

import io
from typing import Any

from cjreturns.outputs.files import reproducible_zip


def docx_bytes(document: Any) -> bytes:
    """The document as .docx bytes: same content, same bytes."""
    raw = io.BytesIO()
    document.save(raw)
    return reproducible_zip(raw.getvalue())
