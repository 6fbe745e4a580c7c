"""Readers: one per input format, chosen by file suffix. Each gives (document, source map).

Reading never raises for a bad file: a file that cannot be read is a finding.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from cjreturns.core.errors import UsageError
from cjreturns.core.limits import Limits
from cjreturns.readers.base import ReadResult, SourceMap
from cjreturns.readers.json_reader import read_json
from cjreturns.readers.yaml_reader import read_yaml

if TYPE_CHECKING:
    from cjreturns.readers.layout_model import LayoutChoice, WorkbookLayout

Reader = Callable[[bytes, Limits], ReadResult]
# Gives the workbook layouts to read against, built from the contract by the caller (readers
# sit below the contract): `cjreturns.contract.workbook_layout.workbook_layouts`.
LayoutSource = Callable[[], "WorkbookLayout | LayoutChoice"]

READERS: dict[str, Reader | None] = {
    ".json": read_json,
    ".yaml": read_yaml,
    ".yml": read_yaml,
    ".xlsx": None,  # needs the layout from the caller: see _reader_for
}


def _reader_for(suffix: str, workbook_layout: LayoutSource | None) -> Reader | None:
    if suffix != ".xlsx":
        return READERS.get(suffix)
    if workbook_layout is None:
        return None
    layout_source = workbook_layout

    def read_xlsx(data: bytes, limits: Limits) -> ReadResult:
        from cjreturns.readers.workbook import read_workbook  # openpyxl only when needed

        return read_workbook(data, limits, layout_source())

    return read_xlsx


def _no_layout(name: str) -> ReadResult:
    failed = ReadResult(None, SourceMap({}), format="xlsx")
    failed.add(
        "file-type", f"{PurePath(name).name}: a workbook cannot be read here. Use YAML or JSON."
    )
    return failed


# Files people send that are not returns we can read, each with what to do instead.
REFUSED: dict[str, str] = {
    ".xlsm": "Macro-enabled workbooks are not accepted. Save it as an Excel Workbook (.xlsx).",
    ".xls": "Old-style .xls workbooks are not accepted. Save it as an Excel Workbook (.xlsx).",
    ".xlsb": "Binary workbooks are not accepted. Save it as an Excel Workbook (.xlsx).",
    ".ods": "OpenDocument spreadsheets are not accepted. Save it as an Excel Workbook (.xlsx).",
    ".docx": "Word documents cannot be read. Use the return workbook, YAML or JSON.",
    ".doc": "Word documents cannot be read. Use the return workbook, YAML or JSON.",
    ".pdf": "PDF files cannot be read. Use the return workbook, YAML or JSON.",
    ".csv": "CSV files cannot be read as a return. Use the return workbook, YAML or JSON.",
}

SUPPORTED_SUFFIXES = tuple(READERS)

_NOT_REGULAR = (
    "This is not an ordinary file (it is a named pipe, a device or another special file), so "
    "it is not read. Save the return as an ordinary file and try again."
)


def is_candidate(path: Path) -> bool:
    """Whether a file found in a folder should be read (or refused with a finding)."""
    name = path.name
    if name.startswith((".", "~$")):  # hidden files and Office lock files
        return False
    suffix = path.suffix.lower()
    return suffix in READERS or suffix in REFUSED


def iter_return_files(paths: Iterable[Path], *, limits: Limits | None = None) -> list[Path]:
    """Expand folders (recursively, sorted) into return files; files given by name are kept."""
    limits = limits or Limits.from_env()
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            # Anything named like a return that is not a folder is kept, so a dangling symlink,
            # a symlink loop or a named pipe is reported by read_return, not skipped silently.
            # Hidden folders (.git, .old ...) are not searched, as hidden files are not read.
            found: list[Path] = []
            for folder, dirs, files in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in files:
                    c = Path(folder, name)
                    if is_candidate(c):
                        found.append(c)
                        if len(found) > limits.max_files:
                            raise UsageError(
                                f"{p} holds more than {limits.max_files:,} return files. Point "
                                "at a smaller folder, or raise the limit with "
                                "CJRETURNS_MAX_FILES."
                            )
            out.extend(sorted(found, key=str))
        else:
            out.append(p)
    return out


def _unreadable_kind(name: str) -> ReadResult | None:
    """A failed result for a file whose name says it is not a return we can read, else None."""
    suffix = PurePath(name).suffix.lower()
    failed = ReadResult(None, SourceMap({}), format=suffix.lstrip("."))
    if suffix in REFUSED:
        failed.add("file-type", f"{PurePath(name).name}: {REFUSED[suffix]}")
        return failed
    if suffix not in READERS:
        kinds = ", ".join(SUPPORTED_SUFFIXES)
        failed.add(
            "file-type",
            f"{PurePath(name).name}: files ending {suffix or '(no extension)'} cannot be read. "
            f"A return is one of: {kinds}.",
        )
        return failed
    return None


def read_return(
    path: Path, *, limits: Limits | None = None, workbook_layout: LayoutSource | None = None
) -> ReadResult:
    """Read one return file of any supported format. Problems come back as findings.

    A workbook is read against `workbook_layout()`; a caller that gives none cannot read
    workbooks (a finding says so).
    """
    limits = limits or Limits.from_env()
    refused = _unreadable_kind(path.name)
    if refused is not None:
        return refused
    if _reader_for(path.suffix.lower(), workbook_layout) is None:
        return _no_layout(path.name)
    failed = ReadResult(None, SourceMap({}), format=path.suffix.lower().lstrip("."))
    try:
        # Only ordinary files are read: a named pipe would block for ever and a device such as
        # /dev/zero never ends. Checked before opening, and again on the open file (O_NONBLOCK
        # keeps a pipe swapped in meanwhile from blocking the open itself).
        if not stat.S_ISREG(path.stat().st_mode):
            failed.add("file-unreadable", _NOT_REGULAR)
            return failed
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                failed.add("file-unreadable", _NOT_REGULAR)
                return failed
            if st.st_size > limits.max_file_bytes:
                failed.add("too-large", _too_large(st.st_size, limits))
                return failed
            data = fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        failed.add(
            "file-unreadable",
            f"The file cannot be opened ({reason}). Check it exists "
            "and that you have permission to read it.",
        )
        return failed
    if len(data) > limits.max_file_bytes:
        failed.add("too-large", "The file grew past the size limit while it was being read.")
        return failed
    return read_bytes(path.name, data, limits=limits, workbook_layout=workbook_layout)


def read_bytes(
    name: str,
    data: bytes,
    *,
    limits: Limits | None = None,
    workbook_layout: LayoutSource | None = None,
) -> ReadResult:
    """Read a return already in memory (a file chosen in the check page), its format chosen by
    the suffix of `name`, with the same findings as reading it from disk."""
    limits = limits or Limits.from_env()
    refused = _unreadable_kind(name)
    if refused is not None:
        return refused
    suffix = PurePath(name).suffix.lower()
    reader = _reader_for(suffix, workbook_layout)
    if reader is None:
        return _no_layout(name)
    if len(data) > limits.max_file_bytes:
        failed = ReadResult(None, SourceMap({}), format=suffix.lstrip("."))
        failed.add("too-large", _too_large(len(data), limits))
        return failed
    result = reader(data, limits)
    _bound_numbers(result)
    return result


def _too_large(size: int, limits: Limits) -> str:
    return (
        f"The file is {size / 1024 / 1024:.1f} MB, over the limit of "
        f"{limits.max_file_bytes / 1024 / 1024:.1f} MB. A return is far smaller: "
        "check that this is the right file."
    )


# More than any count in a return, and more digits than a spreadsheet cell holds exactly (15).
MAX_NUMBER = 10**15 - 1


def _bound_numbers(result: ReadResult) -> None:
    """A number past MAX_NUMBER, in any format, becomes a finding and is set aside: it would
    overflow the rates computed from counts and cannot be written to a workbook cell."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), result.document)]
    while stack:
        path, node = stack.pop()
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else ()
        )
        for key, value in items:
            child = (*path, key)
            if isinstance(value, dict | list):
                stack.append((child, value))
            elif (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and (abs(value) > MAX_NUMBER)
            ):
                digits = len(str(abs(value)) if isinstance(value, int) else f"{abs(value):.0f}")
                line, column, cell = result.source_map.locate(child)
                result.add(
                    "not-a-number",
                    f"This number has {digits:,} digits, far more than any count in a return "
                    "(and more than a spreadsheet can hold exactly). Correct it, or leave the "
                    "field out if it is not known.",
                    path=child,
                    line=line,
                    column=column,
                    cell=cell,
                )
                result.damaged.add(child)
                node[key] = None


__all__ = [
    "READERS",
    "REFUSED",
    "SUPPORTED_SUFFIXES",
    "Limits",
    "ReadResult",
    "SourceMap",
    "is_candidate",
    "iter_return_files",
    "read_bytes",
    "read_return",
]
