"""The zip guard for Office files (.xlsx returns, .docx drafts) before a library unzips them.

openpyxl and python-docx inflate parts into memory and parse their XML, so what must never reach
them is refused here first, from the zip's own directory and a streamed scan of each part: too
many parts, too much unzipped in total, one part compressed far beyond any real file (a zip
bomb), a part that declares XML entities (entity expansion, external entities), macros, and a
file of another Office kind under the expected name. The return reader and `check-docx` share it.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Literal

from cjreturns.readers.base import Limits

MAX_MEMBERS = 10_000  # files inside the zip; a workbook or a report has a few dozen
MAX_RATIO = 200  # unzipped / zipped size of one member; real parts stay well under 100
RATIO_FLOOR = 1 << 20  # members smaller than 1 MB unzipped are not worth a ratio check

Kind = Literal["xlsx", "docx"]

_MACRO = re.compile(rb"macroEnabled|vbaProject|activeX", re.IGNORECASE)
# The part that makes a zip the expected kind of Office file.
_MAIN_PART = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}
_NOUN = {"xlsx": "workbook", "docx": "document"}
_USUAL = {"xlsx": "a return workbook", "docx": "a report"}  # what a real file of the kind is
# How a part declares a DTD, in the encodings an XML parser accepts.
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_DAMAGED = (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error)
# The compression methods zipfile can read; a damaged header can name any other number.
_READABLE = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)


@dataclass(frozen=True)
class PackageProblem:
    """Why a file was not opened: a reading rule id and a message that says what to do."""

    rule: str
    message: str


def check_package(data: bytes, limits: Limits, *, kind: Kind = "xlsx") -> PackageProblem | None:
    """The first reason `data` must not be unzipped by openpyxl/python-docx, or None."""
    noun = _NOUN[kind]
    if kind == "xlsx" and not data:
        return PackageProblem(
            "file-empty", "The file is empty. Fill in the return workbook and send it."
        )
    if kind == "xlsx" and len(data) > limits.max_file_bytes:
        return PackageProblem(
            "too-large",
            f"The file is {len(data) / 1024 / 1024:.1f} MB, over the limit "
            f"of {limits.max_file_bytes / 1024 / 1024:.1f} MB.",
        )
    if kind == "xlsx" and data.startswith(b"\xd0\xcf\x11\xe0"):
        return PackageProblem(
            "workbook-unreadable",
            "This is an old-style .xls workbook or a password-protected workbook, which cannot "
            "be read. Remove any password and save it as an Excel Workbook (.xlsx).",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return PackageProblem(
            "workbook-unreadable",
            "The file is not an Excel workbook: it is damaged, or another kind of file with an "
            ".xlsx name. Open it in Excel and save it as an Excel Workbook (.xlsx)."
            if kind == "xlsx"
            else "The file is not a Word .docx file: it is damaged, or another kind of file with a "
            ".docx name.",
        )
    with archive:
        return _check_members(archive, members, limits, kind, noun)


def _check_members(
    archive: zipfile.ZipFile,
    members: list[zipfile.ZipInfo],
    limits: Limits,
    kind: Kind,
    noun: str,
) -> PackageProblem | None:
    if len(members) > MAX_MEMBERS:
        return PackageProblem(
            "too-large",
            f"The {noun} holds {len(members):,} parts; {_USUAL[kind]} "
            "has a few dozen. Check this is the right file.",
        )
    total = sum(m.file_size for m in members)
    if total > limits.max_archive_bytes:
        return PackageProblem(
            "too-large",
            f"The {noun} unzips to {total / 1024 / 1024:,.0f} MB, over the limit of "
            f"{limits.max_archive_bytes / 1024 / 1024:,.0f} MB"
            + (" (CJRETURNS_MAX_ARCHIVE_BYTES)" if kind == "docx" else "")
            + f". {_USUAL[kind].capitalize()} is far smaller: check this is the right file.",
        )
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            return PackageProblem(
                "too-large",
                f"Part of the {noun} ({m.filename}) is compressed "
                f"{m.file_size // max(m.compress_size, 1):,} to 1, far more than any real "
                f"{noun} (a 'zip bomb'). The file was not opened. Check where it came from.",
            )
    for m in members:
        if m.compress_type not in _READABLE:
            return PackageProblem(
                "workbook-unreadable",
                f"Part of the {noun} ({m.filename}) is stored in a way no office program writes "
                f"(compression method {m.compress_type}): the file is damaged. Save it again "
                "from Excel or Word, or send the original.",
            )
    for m in members:
        if _declares_dtd(archive, m):
            return PackageProblem(
                "workbook-unreadable",
                f"Part of the {noun} ({m.filename}) declares XML entities (a DOCTYPE), "
                f"which no real {noun} does; they can expand to gigabytes. The file was not "
                "opened. Check where it came from.",
            )
    names = {m.filename for m in members}
    if kind == "xlsx" and _has_macros(archive, names):
        return PackageProblem(
            "file-type",
            "The workbook contains macros (it is macro-enabled), and macro-enabled "
            "workbooks are not accepted. Save it as an Excel Workbook (.xlsx) without macros.",
        )
    if _MAIN_PART[kind] not in names:
        return PackageProblem("workbook-unreadable", _what_it_is(names, archive, kind))
    return None


def _has_macros(archive: zipfile.ZipFile, names: set[str]) -> bool:
    lowered = {n.lower() for n in names}
    if any(n.endswith("vbaproject.bin") or n.startswith("xl/activex/") for n in lowered):
        return True
    if "[Content_Types].xml" in names:
        info = archive.getinfo("[Content_Types].xml")
        if info.file_size <= 1 << 20:
            # a damaged part is left to openpyxl, which will say the file cannot be opened
            with contextlib.suppress(*_DAMAGED):
                return bool(_MACRO.search(archive.read(info)))
    return False


def _declares_dtd(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether a part declares a DTD. Office never writes one; it is how entity expansion
    ("billion laughs": a 10 KB workbook took 1 GB of memory) and external entities get in.
    Every part is scanned, whatever its name: a relationship can point anywhere."""
    tail = b""
    with contextlib.suppress(*_DAMAGED), archive.open(member) as fh:
        while chunk := fh.read(1 << 20):
            window = tail + chunk
            if any(m in window for m in _DTD_MARKERS):
                return True
            tail = window[-32:]
    return False  # a damaged part is left to the library, which says the file cannot be opened


def _what_it_is(names: set[str], archive: zipfile.ZipFile, kind: Kind) -> str:
    if "xl/workbook.xml" in names:
        what = "an Excel workbook"
    elif "word/document.xml" in names:
        what = "a Word document"
    elif "ppt/presentation.xml" in names:
        what = "a PowerPoint presentation"
    elif (
        "mimetype" in names
        and archive.getinfo("mimetype").file_size < 200
        and (b"opendocument" in archive.read("mimetype"))
    ):
        what = "an OpenDocument file"
    else:
        what = "a zip file, not an Excel workbook" if kind == "xlsx" else "a zip file"
    if kind == "docx":
        return f"The file is {what}, not a Word .docx file."
    return (
        f"The file is named .xlsx but is {what}. Send the return workbook (.xlsx), or the "
        "return as YAML or JSON."
    )


__all__ = ["MAX_MEMBERS", "MAX_RATIO", "PackageProblem", "check_package"]
