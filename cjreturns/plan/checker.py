"""Runs the plan's pipeline for one file or many: read -> schema -> rules -> located findings.

A plan file is read by the returns' own YAML and JSON readers, so it has the same limits and
the same reading findings with line and column. One bad file never stops the run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cjreturns.core.errors import CJReturnsError
from cjreturns.core.findings import DocPath, Finding, sort_findings
from cjreturns.plan.model import Plan, plan_from_document
from cjreturns.plan.rules import catalogue, context_for, rule_checks, schema_findings
from cjreturns.readers import Limits, SourceMap, read_return

PLAN_SUFFIXES = (".yaml", ".yml", ".json")


class PlanInvalidError(CJReturnsError):
    """The plan file has errors, so it cannot be loaded; `findings` says what they are."""

    def __init__(self, path: Path, findings: Sequence[Finding]) -> None:
        errors = [f for f in findings if f.severity == "error"]
        first = errors[0] if errors else None
        detail = f" (first: {first.location}: {first.message})" if first else ""
        super().__init__(
            f"{path} has {len(errors)} error{'s' if len(errors) != 1 else ''}{detail}; run "
            f"`cjreturns plan validate {path}` to see them all"
        )
        self.path = path
        self.findings = tuple(findings)


@dataclass(frozen=True)
class PlanResult:
    """One plan file after reading and checking: its findings and, when valid, the plan."""

    path: Path
    findings: tuple[Finding, ...]
    plan: Plan | None = None

    @property
    def valid(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "valid": self.valid,
            "update": self.plan.update if self.plan else None,
            "errors": sum(1 for f in self.findings if f.severity == "error"),
            "warnings": sum(1 for f in self.findings if f.severity == "warning"),
            "findings": [f.to_dict() for f in self.findings],
        }


def _finding(rule: str, path: DocPath, message: str, source_map: SourceMap) -> Finding:
    line, column, cell = source_map.locate(path)
    return Finding(rule, catalogue()[rule].severity, path, message, line, column, cell)


def check_document(
    document: Any,
    *,
    source_map: SourceMap | None = None,
    as_of: dt.date | None = None,
    path: Path | None = None,
) -> PlanResult:
    """Schema and rule findings for an already-read plan document, and the plan if valid.

    `as_of` is the date the overdue warning is judged on; by default the update's month.
    """
    source_map = source_map or SourceMap({})
    findings = [_finding(r, p, m, source_map) for r, p, m in schema_findings(document)]
    if isinstance(document, dict):
        ctx = context_for(document, as_of=as_of)
        for rule, run in rule_checks():
            try:
                findings.extend(_finding(rule.id, p, m, source_map) for p, m in run(ctx))
            except Exception as exc:  # a broken check is reported, never silently skipped
                message = (
                    f"The check `{rule.id}` could not run on this file ({type(exc).__name__}: "
                    f"{exc}). This is a bug in cjreturns: please report it. The file may have "
                    "problems this check would have found."
                )
                findings.append(Finding("plan-rule-crashed", "error", (), message))
    ordered = sort_findings(findings)
    valid = not any(f.severity == "error" for f in ordered)
    plan = plan_from_document(document, source=path) if valid else None
    return PlanResult(path or Path("<document>"), ordered, plan)


def check_file(
    path: Path, *, as_of: dt.date | None = None, limits: Limits | None = None
) -> PlanResult:
    """Read and check one plan file; problems reading it are findings, never exceptions."""
    if path.suffix.lower() not in PLAN_SUFFIXES:
        message = (
            f"{path.name}: a delivery plan is a YAML or JSON file (.yaml, .yml, .json), not "
            f"{path.suffix or 'a file without an extension'}."
        )
        return PlanResult(path, (Finding("plan-file-type", "error", (), message),))
    read = read_return(path, limits=limits)
    reading = tuple(read.findings)
    if read.document is None or any(f.severity == "error" for f in reading):
        return PlanResult(path, sort_findings(reading))
    checked = check_document(read.document, source_map=read.source_map, as_of=as_of, path=path)
    return PlanResult(path, sort_findings((*reading, *checked.findings)), checked.plan)


def check_paths(paths: Sequence[Path], *, as_of: dt.date | None = None) -> list[PlanResult]:
    """Check each plan file given, and every .yaml/.yml/.json in each folder given (sorted)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.suffix.lower() in PLAN_SUFFIXES and not f.name.startswith(".")
                )
            )
        else:
            files.append(p)
    return [check_file(f, as_of=as_of) for f in files]


def load(path: Path | str, *, as_of: dt.date | None = None) -> Plan:
    """The plan in `path`, for notebooks and the commands; raises PlanInvalidError on errors.

    Warnings (overdue deliverables, a missing update text) do not stop loading.
    """
    result = check_file(Path(path), as_of=as_of)
    if result.plan is None:
        raise PlanInvalidError(Path(path), result.findings)
    return result.plan
