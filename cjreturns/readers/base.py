"""What every reader returns: the canonical document, a source map and any reading findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from cjreturns.core.findings import DocPath, Finding, Severity
from cjreturns.core.limits import Limits as Limits  # readers are called with Limits

Position = tuple[int, int]  # 1-based line and column


class CellLabel(NamedTuple):
    """A workbook input cell as the person sees it: its sheet, the label printed for it (the
    question beside it, or its column's header) and the layout's field behind it."""

    sheet: str
    label: str
    field: Any
    vocabulary: Any = None  # the drop-down list's codes and labels, for a choice cell


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
