"""What every reader returns: the canonical document, a source map and any reading findings."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from cjreturns.validation.findings import DocPath, Finding, Severity

Position = tuple[int, int]  # 1-based line and column


class CellLabel(NamedTuple):
    """A workbook input cell as the person sees it: its sheet, the label printed for it (the
    question beside it, or its column's header) and the layout's field behind it."""

    sheet: str
    label: str
    field: Any
    vocabulary: Any = None  # the drop-down list's codes and labels, for a choice cell


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return max(1, int(value))
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or broken file from exhausting the machine.

    Each can be changed with an environment variable (see README, "Limits").
    """

    max_file_bytes: int = 10 * 1024 * 1024  # CJRETURNS_MAX_FILE_BYTES
    max_depth: int = 64  # CJRETURNS_MAX_DEPTH: nesting of mappings and lists
    max_string_chars: int = 200_000  # CJRETURNS_MAX_STRING_CHARS: one text value
    max_nodes: int = 500_000  # CJRETURNS_MAX_NODES: values after YAML aliases expand
    max_archive_bytes: int = 100 * 1024 * 1024  # CJRETURNS_MAX_ARCHIVE_BYTES: unzipped workbook
    max_files: int = 10_000  # CJRETURNS_MAX_FILES: return files read from one folder

    @classmethod
    def from_env(cls) -> Limits:
        d = cls()
        return cls(
            max_file_bytes=_env_int("CJRETURNS_MAX_FILE_BYTES", d.max_file_bytes),
            max_depth=_env_int("CJRETURNS_MAX_DEPTH", d.max_depth),
            max_string_chars=_env_int("CJRETURNS_MAX_STRING_CHARS", d.max_string_chars),
            max_nodes=_env_int("CJRETURNS_MAX_NODES", d.max_nodes),
            max_archive_bytes=_env_int("CJRETURNS_MAX_ARCHIVE_BYTES", d.max_archive_bytes),
            max_files=_env_int("CJRETURNS_MAX_FILES", d.max_files),
        )


class SourceMap:
    """Maps a document path to where it was written: line/column in text, or a workbook cell.

    A path with no entry of its own (a missing key, say) is located at its nearest ancestor, so
    "add `description` here" points at the activity that lacks it. Text formats may build the
    map lazily: it is only needed when there is something to report.
    """

    def __init__(
        self,
        positions: dict[DocPath, Position] | None = None,
        *,
        cells: dict[DocPath, str] | None = None,
        builder: Callable[[], dict[DocPath, Position]] | None = None,
        described: dict[str, CellLabel] | None = None,
    ) -> None:
        self._positions = positions
        self._builder = builder
        self.cells = cells or {}
        self.described = described or {}  # workbook cell ("Sheet!B4") -> its label

    @property
    def positions(self) -> dict[DocPath, Position]:
        if self._positions is None:
            self._positions = self._builder() if self._builder else {}
        return self._positions

    def locate(self, path: DocPath) -> tuple[int | None, int | None, str | None]:
        """(line, column, cell) for `path` or its nearest located ancestor."""
        p = tuple(path)
        while True:
            if p in self.cells:
                return None, None, self.cells[p]
            pos = self.positions.get(p)
            if pos is not None:
                return pos[0], pos[1], None
            if not p:
                return None, None, None
            p = p[:-1]


@dataclass
class ReadResult:
    """A document as read, with where each part came from and anything wrong with the reading."""

    document: Any
    source_map: SourceMap
    findings: list[Finding] = field(default_factory=list)
    format: str = ""
    # Paths whose value the reader could not take as written (NaN, a duplicate key ...): later
    # checks skip them so one mistake is reported once.
    damaged: set[DocPath] = field(default_factory=set)
    # A workbook's sheet names in the order of its tabs, so findings can be listed tab by tab.
    sheets: tuple[str, ...] = ()

    def add(
        self,
        rule: str,
        message: str,
        *,
        path: DocPath = (),
        line: int | None = None,
        column: int | None = None,
        cell: str | None = None,
        severity: Severity = "error",
    ) -> None:
        self.findings.append(Finding(rule, severity, path, message, line, column, cell))
