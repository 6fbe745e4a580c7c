"""Saving a python-docx document as bytes that depend only on its content.

python-docx stamps every zip member with the current time, so two runs over the same returns
would give different files. We re-pack the parts in a fixed order with a fixed timestamp.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def docx_bytes(document: Any) -> bytes:
    """The document as .docx bytes: same content, same bytes."""
    raw = io.BytesIO()
    document.save(raw)
    raw.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = src.namelist()
        # [Content_Types].xml first, as Office writes it; the rest in the order python-docx chose.
        names.sort(key=lambda n: n != "[Content_Types].xml")
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, src.read(name))
    return out.getvalue()
