"""Turning bytes into text the way people's files actually arrive (BOMs, wrong encodings)."""

from __future__ import annotations

import codecs
from bisect import bisect_right

from cjreturns.readers.base import ReadResult

_UTF16_32_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def decode_text(data: bytes, result: ReadResult) -> str | None:
    """UTF-8 text with or without a BOM; anything else is a finding saying how to fix it."""
    if not data.removeprefix(codecs.BOM_UTF8).strip():  # Notepad saves "empty" as a BOM
        result.add("file-empty", "The file is empty. Fill in the return or remove the file.")
        return None
    for bom, name in _UTF16_32_BOMS:
        if data.startswith(bom):
            result.add(
                "file-encoding",
                f"The file is saved as {name} text. Save it as UTF-8 (in most editors: "
                "Save As, Encoding: UTF-8) and try again.",
                line=1,
                column=1,
            )
            return None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b"\x00" in data[:8192]:
        utf16 = _utf16_without_bom(data[:8192])
        if utf16:
            result.add(
                "file-encoding",
                f"The file looks like {utf16} text saved without a byte-order mark, which "
                "cannot be read. Save it as UTF-8 (in most editors: Save As, Encoding: UTF-8; "
                "in Notepad choose 'UTF-8') and try again.",
                line=1,
                column=1,
            )
            return None
        result.add(
            "file-binary",
            "The file holds binary data, not a return in text form. Check that this is the "
            "right file and that its name ends with the right extension.",
        )
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = line_col(data, exc.start)
        result.add(
            "file-encoding",
            f"The file is not UTF-8 text (byte 0x{data[exc.start]:02X} cannot be read; it was "
            "probably saved as Latin-1 or Windows-1252). Save it as UTF-8 and try again.",
            line=line,
            column=column,
        )
        return None


def _utf16_without_bom(head: bytes) -> str | None:
    """'UTF-16' when `head` reads as mostly printable UTF-16 text (every other byte a NUL, as
    Latin letters are): how some Windows tools save text without a BOM. None otherwise."""
    head = head[: len(head) - len(head) % 2]
    for codec, zeros_at in (("utf-16-le", 1), ("utf-16-be", 0)):
        if head[zeros_at::2].count(0) < 0.6 * (len(head) // 2):
            continue
        try:
            text = head.decode(codec)
        except UnicodeDecodeError:
            continue
        printable = sum(c.isprintable() or c in "\r\n\t" for c in text)
        if text and printable >= 0.95 * len(text):
            return "UTF-16"
    return None


def line_col(data: bytes | str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset (bytes or characters)."""
    newline: bytes | str = b"\n" if isinstance(data, bytes) else "\n"
    line = data.count(newline, 0, offset) + 1  # type: ignore[arg-type]
    start = data.rfind(newline, 0, offset) + 1  # type: ignore[arg-type]
    return line, offset - start + 1


class LineIndex:
    """Fast offset -> (line, column) for many look-ups in one text."""

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts

    def __call__(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self._starts, offset) - 1
        return i + 1, offset - self._starts[i] + 1
