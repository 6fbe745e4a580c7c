"""The result types that travel between stages: a Finding, a FileResult, a CollectionResult.

Findings are data. Reporters take a finished result and never re-validate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]
DocPath = tuple[str | int, ...]


def dotted(path: Sequence[str | int]) -> str:
    """`("outcomes", "4", "activities", 0)` -> `outcomes.4.activities.0`."""
    return ".".join(str(p) for p in path)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file: which rule, how serious, where, and what to do about it."""

    rule: str
    severity: Severity
    path: DocPath
    message: str
    line: int | None = None
    column: int | None = None
    cell: str | None = None
    label: str | None = None  # in a workbook: the label printed for the cell

    @property
    def dotted_path(self) -> str:
        return dotted(self.path)

    @property
    def location(self) -> str:
        """The most useful pointer a person can follow: a cell, else line:column, else path."""
        if self.cell:
            return self.cell
        if self.line is not None:
            return f"{self.line}:{self.column or 1}"
        return self.dotted_path or "(file)"

    def sort_key(self) -> tuple[int, int, str, str]:
        return (
            self.line if self.line is not None else 0,
            self.column if self.column is not None else 0,
            self.dotted_path,
            self.rule,
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity,
            "path": self.dotted_path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }
        if self.cell is not None:
            out["cell"] = self.cell
        if self.label is not None:
            out["label"] = self.label
        return out


@dataclass(frozen=True)
class FileResult:
    """Everything known about one return file after reading and validating it.

    `document` is the canonical return (JSON-compatible: string outcome keys, ISO date strings),
    or None when the file could not be read at all.
    """

    path: Path
    findings: tuple[Finding, ...]
    document: dict[str, Any] | None = None
    partnership: str | None = None
    reporting_year: str | None = None
    format: str | None = None

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def valid(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "format": self.format,
            "partnership": self.partnership,
            "reporting_year": self.reporting_year,
            "valid": self.valid,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class CollectionResult:
    """The results of one validation run over many files, in the order they were given."""

    files: tuple[FileResult, ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        return all(f.valid for f in self.files)

    def summary(self) -> dict[str, int]:
        return {
            "files": len(self.files),
            "valid": sum(1 for f in self.files if f.valid),
            "invalid": sum(1 for f in self.files if not f.valid),
            "errors": sum(len(f.errors) for f in self.files),
            "warnings": sum(len(f.warnings) for f in self.files),
        }

    def to_dict(self) -> dict[str, Any]:
        return {"files": [f.to_dict() for f in self.files], "summary": self.summary()}


def sort_findings(
    findings: Iterable[Finding], *, sheets: Sequence[str] = ()
) -> tuple[Finding, ...]:
    """Order findings by position so a coordinator can work down the file: by line in a text
    file; in a workbook (`sheets`: its tabs in order) tab by tab, then row and column."""
    unique = dict.fromkeys(findings)  # the same finding twice helps nobody
    if not sheets:
        return tuple(sorted(unique, key=Finding.sort_key))
    tab = {name: i for i, name in enumerate(sheets)}

    def key(f: Finding) -> tuple[int, int, int, int, str, str]:
        sheet, _, ref = (f.cell or "").rpartition("!")
        m = _CELL.fullmatch(ref)
        if not f.cell or not m:  # about the whole file, or a sheet that is missing
            return (0, 0, 0, 0, f.dotted_path, f.rule)
        column = 0
        for letter in m.group(1):
            column = column * 26 + ord(letter) - 64
        return (1, tab.get(sheet, len(tab)), int(m.group(2)), column, f.dotted_path, f.rule)

    return tuple(sorted(unique, key=key))


_CELL = re.compile(r"([A-Z]{1,3})([0-9]+)")
